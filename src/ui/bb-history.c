/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-history.c: STUB, being written. */

#define G_LOG_DOMAIN "bb-history"

#include "config.h"

#include "bb-history.h"

struct _BbHistory
{
  GObject    parent_instance;
  char      *path;
  GPtrArray *entries;
};

G_DEFINE_FINAL_TYPE (BbHistory, bb_history, G_TYPE_OBJECT)

BbHistoryEntry *bb_history_entry_copy (const BbHistoryEntry *e) { BbHistoryEntry *n = g_memdup2 (e, sizeof *e); n->time = e->time ? g_date_time_ref (e->time) : NULL; n->connection = g_strdup (e->connection); n->file = g_strdup (e->file); n->message = g_strdup (e->message); return n; }
void bb_history_entry_free (BbHistoryEntry *e) { if (!e) return; g_clear_pointer (&e->time, g_date_time_unref); g_free (e->connection); g_free (e->file); g_free (e->message); g_free (e); }
static void bb_history_finalize (GObject *o) { BbHistory *h = BB_HISTORY (o); g_free (h->path); g_ptr_array_unref (h->entries); G_OBJECT_CLASS (bb_history_parent_class)->finalize (o); }
static void bb_history_class_init (BbHistoryClass *k) { G_OBJECT_CLASS (k)->finalize = bb_history_finalize; g_signal_new ("changed", G_TYPE_FROM_CLASS (k), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0); }
static void bb_history_init (BbHistory *self) { self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_history_entry_free); }
BbHistory *bb_history_new (const char *path) { BbHistory *h = g_object_new (BB_TYPE_HISTORY, NULL); h->path = path ? g_strdup (path) : g_build_filename (g_get_user_data_dir (), "babybuddy-backup", "history.json", NULL); return h; }
const char *bb_history_get_path (BbHistory *self) { return self->path; }
GPtrArray *bb_history_get_entries (BbHistory *self) { return self->entries; }
gboolean bb_history_add (BbHistory *self, const BbHistoryEntry *entry, GError **error) { g_ptr_array_insert (self->entries, 0, bb_history_entry_copy (entry)); g_signal_emit_by_name (self, "changed"); return TRUE; }
