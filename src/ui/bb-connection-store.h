/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-connection-store.h: saved connections. Where each database is lives in
 * GSettings ("connections", "active-connection"); passwords live in the
 * user's keyring through libsecret, never in GSettings or a file. No GTK. */

#pragma once

#include <gio/gio.h>

#include "bb-database.h"

G_BEGIN_DECLS

typedef struct {
  char             *id;            /* stable, unique: "c1a2b3..." */
  char             *label;         /* shown to the user: "db.sqlite3", "babybuddy on db.example" */
  BbConnectionInfo *info;          /* password always NULL here */
  char             *media_folder;  /* Baby Buddy's media folder, NULL if not chosen */
} BbSavedConnection;

void               bb_saved_connection_free (BbSavedConnection *connection);
BbSavedConnection *bb_saved_connection_copy (const BbSavedConnection *connection);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbSavedConnection, bb_saved_connection_free)

/* A label for a new connection: the file name for SQLite, "NAME on HOST" else. */
char              *bb_connection_default_label (const BbConnectionInfo *info);

#define BB_TYPE_CONNECTION_STORE (bb_connection_store_get_type ())
G_DECLARE_FINAL_TYPE (BbConnectionStore, bb_connection_store, BB, CONNECTION_STORE, GObject)

/* Emits "changed" (no arguments) whenever the list or the active connection changes. */
BbConnectionStore *bb_connection_store_new              (GSettings              *settings);
/* BbSavedConnection, in the order they were added; the array owns them. */
GPtrArray         *bb_connection_store_dup_all          (BbConnectionStore      *self);
BbSavedConnection *bb_connection_store_dup              (BbConnectionStore      *self,
                                                         const char             *id);
BbSavedConnection *bb_connection_store_dup_active       (BbConnectionStore      *self);
/* Adds (or, for the same engine and place, updates) a connection and returns
 * its id; info->password is ignored: store it with store_password_async. */
char              *bb_connection_store_add              (BbConnectionStore      *self,
                                                         const BbConnectionInfo *info,
                                                         const char             *label);
void               bb_connection_store_remove           (BbConnectionStore      *self,
                                                         const char             *id);
void               bb_connection_store_set_active       (BbConnectionStore      *self,
                                                         const char             *id);
void               bb_connection_store_set_media_folder (BbConnectionStore      *self,
                                                         const char             *id,
                                                         const char             *folder);

/* The keyring. A NULL or empty password removes the stored one. */
void               bb_connection_store_store_password_async  (BbConnectionStore   *self,
                                                              const char          *id,
                                                              const char          *password,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
gboolean           bb_connection_store_store_password_finish (BbConnectionStore   *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);
/* Returns NULL without an error when no password is stored. */
void               bb_connection_store_lookup_password_async  (BbConnectionStore   *self,
                                                               const char          *id,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
char              *bb_connection_store_lookup_password_finish (BbConnectionStore   *self,
                                                               GAsyncResult        *result,
                                                               GError             **error);

G_END_DECLS
