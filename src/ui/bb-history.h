/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-history.h: every backup and restore this app made, kept as a small JSON
 * log in the user's data folder. No GTK. */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  BB_HISTORY_BACKUP,
  BB_HISTORY_RESTORE,
} BbHistoryKind;

typedef enum {
  BB_HISTORY_SUCCEEDED,
  BB_HISTORY_FAILED,
  BB_HISTORY_CANCELLED,
} BbHistoryOutcome;

typedef struct {
  BbHistoryKind     kind;
  GDateTime        *time;          /* when it started */
  char             *connection;    /* the connection's label */
  char             *file;          /* absolute path of the backup written or read */
  guint64           size;          /* bytes of that file */
  guint64           records;
  BbHistoryOutcome  outcome;
  char             *message;       /* why it failed, or NULL */
  double            duration;      /* seconds */
} BbHistoryEntry;

BbHistoryEntry *bb_history_entry_copy (const BbHistoryEntry *entry);
void            bb_history_entry_free (BbHistoryEntry       *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbHistoryEntry, bb_history_entry_free)

#define BB_TYPE_HISTORY (bb_history_get_type ())
G_DECLARE_FINAL_TYPE (BbHistory, bb_history, BB, HISTORY, GObject)

/* path NULL: $XDG_DATA_HOME/babybuddy-backup/history.json. Loads the file;
 * an unreadable one is set aside and the history starts empty.
 * Emits "changed" (no arguments) after each add. */
BbHistory   *bb_history_new         (const char           *path);
const char  *bb_history_get_path    (BbHistory            *self);
/* BbHistoryEntry, newest first; owned by the history. */
GPtrArray   *bb_history_get_entries (BbHistory            *self);
/* Adds the entry and rewrites the file atomically; keeps the newest 500. */
gboolean     bb_history_add         (BbHistory            *self,
                                     const BbHistoryEntry *entry,
                                     GError              **error);

G_END_DECLS
