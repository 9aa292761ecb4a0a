/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-connection-store.c: STUB, being written. */

#define G_LOG_DOMAIN "bb-connection-store"

#include "config.h"

#include "bb-connection-store.h"

struct _BbConnectionStore
{
  GObject    parent_instance;
  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (BbConnectionStore, bb_connection_store, G_TYPE_OBJECT)

void bb_saved_connection_free (BbSavedConnection *c) { if (!c) return; g_free (c->id); g_free (c->label); g_clear_pointer (&c->info, bb_connection_info_free); g_free (c->media_folder); g_free (c); }
BbSavedConnection *bb_saved_connection_copy (const BbSavedConnection *c) { BbSavedConnection *n = g_new0 (BbSavedConnection, 1); n->id = g_strdup (c->id); n->label = g_strdup (c->label); n->info = bb_connection_info_copy (c->info); n->media_folder = g_strdup (c->media_folder); return n; }
char *bb_connection_default_label (const BbConnectionInfo *info) { return bb_connection_info_describe (info); }
static void bb_connection_store_finalize (GObject *o) { g_clear_object (&BB_CONNECTION_STORE (o)->settings); G_OBJECT_CLASS (bb_connection_store_parent_class)->finalize (o); }
static void bb_connection_store_class_init (BbConnectionStoreClass *k) { G_OBJECT_CLASS (k)->finalize = bb_connection_store_finalize; g_signal_new ("changed", G_TYPE_FROM_CLASS (k), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0); }
static void bb_connection_store_init (BbConnectionStore *self) { }
BbConnectionStore *bb_connection_store_new (GSettings *settings) { BbConnectionStore *s = g_object_new (BB_TYPE_CONNECTION_STORE, NULL); s->settings = g_object_ref (settings); return s; }
GPtrArray *bb_connection_store_dup_all (BbConnectionStore *self) { return g_ptr_array_new_with_free_func ((GDestroyNotify) bb_saved_connection_free); }
BbSavedConnection *bb_connection_store_dup (BbConnectionStore *self, const char *id) { return NULL; }
BbSavedConnection *bb_connection_store_dup_active (BbConnectionStore *self) { return NULL; }
char *bb_connection_store_add (BbConnectionStore *self, const BbConnectionInfo *info, const char *label) { return g_strdup ("stub"); }
void bb_connection_store_remove (BbConnectionStore *self, const char *id) { }
void bb_connection_store_set_active (BbConnectionStore *self, const char *id) { }
void bb_connection_store_set_media_folder (BbConnectionStore *self, const char *id, const char *folder) { }
void bb_connection_store_store_password_async (BbConnectionStore *self, const char *id, const char *password, GCancellable *c, GAsyncReadyCallback cb, gpointer d) { GTask *t = g_task_new (self, c, cb, d); g_task_return_boolean (t, TRUE); g_object_unref (t); }
gboolean bb_connection_store_store_password_finish (BbConnectionStore *self, GAsyncResult *r, GError **e) { return g_task_propagate_boolean (G_TASK (r), e); }
void bb_connection_store_lookup_password_async (BbConnectionStore *self, const char *id, GCancellable *c, GAsyncReadyCallback cb, gpointer d) { GTask *t = g_task_new (self, c, cb, d); g_task_return_pointer (t, NULL, NULL); g_object_unref (t); }
char *bb_connection_store_lookup_password_finish (BbConnectionStore *self, GAsyncResult *r, GError **e) { return g_task_propagate_pointer (G_TASK (r), e); }
