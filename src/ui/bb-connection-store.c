/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-connection-store.c: saved connections.
 *
 * GSettings is the only copy of the list: every call reads the keys again,
 * so two stores (or two windows) on the same settings never disagree, and a
 * change made elsewhere reaches "changed" through GSettings::changed.
 * Passwords go to the user's keyring through libsecret, keyed by the
 * connection's id; they never touch GSettings or a file of ours. */

#define G_LOG_DOMAIN "bb-connection-store"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>
#include <string.h>

#include "bb-connection-store.h"

#define KEY_CONNECTIONS "connections"
#define KEY_ACTIVE      "active-connection"

struct _BbConnectionStore
{
  GObject    parent_instance;

  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (BbConnectionStore, bb_connection_store, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The names stored in the "engine" field of each dictionary. */
static const struct {
  BbEngine    engine;
  const char *name;
} engine_names[] = {
  { BB_ENGINE_SQLITE, "sqlite" },
  { BB_ENGINE_POSTGRESQL, "postgresql" },
  { BB_ENGINE_MYSQL, "mysql" },
};

static const SecretSchema *
get_secret_schema (void)
{
  static const SecretSchema schema = {
    "org.babybuddy.Backup.Connection", SECRET_SCHEMA_NONE,
    {
      { "connection-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static const char *
engine_to_name (BbEngine engine)
{
  for (gsize i = 0; i < G_N_ELEMENTS (engine_names); i++)
    {
      if (engine_names[i].engine == engine)
        return engine_names[i].name;
    }
  g_assert_not_reached ();
}

static guint
default_port (BbEngine engine)
{
  switch (engine)
    {
    case BB_ENGINE_POSTGRESQL:
      return 5432;
    case BB_ENGINE_MYSQL:
      return 3306;
    case BB_ENGINE_SQLITE:
    default:
      return 0;
    }
}

/* NULL for a missing, mistyped or empty string. */
static char *
dict_dup_string (GVariantDict *dict,
                 const char   *key)
{
  g_autoptr(GVariant) value = g_variant_dict_lookup_value (dict, key, G_VARIANT_TYPE_STRING);
  const char *text;

  if (value == NULL)
    return NULL;
  text = g_variant_get_string (value, NULL);
  return text[0] != '\0' ? g_strdup (text) : NULL;
}

static void
dict_set_string (GVariantDict *dict,
                 const char   *key,
                 const char   *text)
{
  if (text != NULL && text[0] != '\0')
    g_variant_dict_insert (dict, key, "s", text);
  else
    g_variant_dict_remove (dict, key);
}

/* NULL when the dictionary is not a usable connection (no id, unknown engine):
 * it is then left alone, neither shown nor deleted. */
static BbSavedConnection *
saved_connection_new_from_variant (GVariant *value)
{
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (value);
  g_autoptr(BbSavedConnection) connection = g_new0 (BbSavedConnection, 1);
  g_autofree char *engine = NULL;
  guint32 port = 0;

  connection->id = dict_dup_string (&dict, "id");
  engine = dict_dup_string (&dict, "engine");
  if (connection->id == NULL || engine == NULL)
    return NULL;

  connection->info = g_new0 (BbConnectionInfo, 1);
  if (!bb_engine_from_django (engine, &connection->info->engine))
    return NULL;

  if (connection->info->engine == BB_ENGINE_SQLITE)
    {
      connection->info->path = dict_dup_string (&dict, "path");
    }
  else
    {
      connection->info->host = dict_dup_string (&dict, "host");
      if (g_variant_dict_lookup (&dict, "port", "u", &port))
        connection->info->port = port;
      connection->info->name = dict_dup_string (&dict, "name");
      connection->info->user = dict_dup_string (&dict, "user");
    }
  connection->media_folder = dict_dup_string (&dict, "media-folder");
  connection->label = dict_dup_string (&dict, "label");
  if (connection->label == NULL)
    connection->label = bb_connection_default_label (connection->info);

  return g_steal_pointer (&connection);
}

static void
dict_set_info (GVariantDict           *dict,
               const BbConnectionInfo *info)
{
  g_variant_dict_insert (dict, "engine", "s", engine_to_name (info->engine));
  if (info->engine == BB_ENGINE_SQLITE)
    {
      dict_set_string (dict, "path", info->path);
      g_variant_dict_remove (dict, "host");
      g_variant_dict_remove (dict, "port");
      g_variant_dict_remove (dict, "name");
      g_variant_dict_remove (dict, "user");
    }
  else
    {
      g_variant_dict_remove (dict, "path");
      dict_set_string (dict, "host", info->host);
      if (info->port != 0)
        g_variant_dict_insert (dict, "port", "u", (guint32) info->port);
      else
        g_variant_dict_remove (dict, "port");
      dict_set_string (dict, "name", info->name);
      dict_set_string (dict, "user", info->user);
    }
}

/* Whether two connections reach the same database. */
static gboolean
same_place (const BbConnectionInfo *a,
            const BbConnectionInfo *b)
{
  if (a->engine != b->engine)
    return FALSE;
  if (a->engine == BB_ENGINE_SQLITE)
    return g_strcmp0 (a->path, b->path) == 0;
  return g_strcmp0 (a->host, b->host) == 0 &&
         (a->port ? a->port : default_port (a->engine)) ==
         (b->port ? b->port : default_port (b->engine)) &&
         g_strcmp0 (a->name, b->name) == 0 &&
         g_strcmp0 (a->user, b->user) == 0;
}

static const char *
dict_get_id (GVariant *value)
{
  const char *id = NULL;

  if (!g_variant_lookup (value, "id", "&s", &id))
    return NULL;
  return id;
}

/* The stored dictionaries, with the one whose id is id (if any) at *index. */
static GPtrArray *
read_dicts (BbConnectionStore *self,
            const char        *id,
            guint             *index)
{
  g_autoptr(GVariant) list = g_settings_get_value (self->settings, KEY_CONNECTIONS);
  g_autoptr(GPtrArray) dicts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  GVariantIter iter;
  GVariant *child;

  if (index != NULL)
    *index = G_MAXUINT;

  g_variant_iter_init (&iter, list);
  while ((child = g_variant_iter_next_value (&iter)) != NULL)
    {
      if (index != NULL && id != NULL && *index == G_MAXUINT &&
          g_strcmp0 (dict_get_id (child), id) == 0)
        *index = dicts->len;
      g_ptr_array_add (dicts, child);
    }
  return g_steal_pointer (&dicts);
}

static void
write_dicts (BbConnectionStore *self,
             GPtrArray         *dicts)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < dicts->len; i++)
    g_variant_builder_add_value (&builder, g_ptr_array_index (dicts, i));
  g_settings_set_value (self->settings, KEY_CONNECTIONS, g_variant_builder_end (&builder));
}

static void
replace_dict (GPtrArray *dicts,
              guint      index,
              GVariant  *value)
{
  g_variant_unref (g_ptr_array_index (dicts, index));
  g_ptr_array_index (dicts, index) = g_variant_ref_sink (value);
}

/* A keyring error as the user should read it; cancelling stays as it is so
 * that callers can leave it unreported. */
static void
return_keyring_error (GTask      *task,
                      GError     *error,
                      gboolean    storing)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      return;
    }

  if (storing)
    g_task_return_new_error (task, error->domain, error->code,
                             /* Translators: %s is the keyring's own error message. */
                             _("The password could not be saved because the keyring could not be used. "
                               "Make sure your keyring is unlocked (for example in the Passwords and Keys app) "
                               "and try again. The keyring said: %s"),
                             error->message);
  else
    g_task_return_new_error (task, error->domain, error->code,
                             /* Translators: %s is the keyring's own error message. */
                             _("The saved password could not be read because the keyring could not be used. "
                               "Make sure your keyring is unlocked (for example in the Passwords and Keys app) "
                               "and try again. The keyring said: %s"),
                             error->message);
  g_error_free (error);
}

static void
settings_changed_cb (GSettings         *settings,
                     const char        *key,
                     BbConnectionStore *self)
{
  if (g_str_equal (key, KEY_CONNECTIONS) || g_str_equal (key, KEY_ACTIVE))
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
password_stored_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    return_keyring_error (task, error, TRUE);
  else
    g_task_return_boolean (task, TRUE);
}

static void
password_cleared_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* FALSE without an error: there was nothing to clear, which is fine. */
  secret_password_clear_finish (result, &error);
  if (error != NULL)
    return_keyring_error (task, error, TRUE);
  else
    g_task_return_boolean (task, TRUE);
}

static void
password_looked_up_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *password;

  password = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    return_keyring_error (task, error, FALSE);
  else
    g_task_return_pointer (task, password, (GDestroyNotify) secret_password_free);
}

/* Nobody waits for this one: a password left behind is harmless (nothing
 * refers to its id any more), so a failure is only logged. */
static void
removed_password_cleared_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  secret_password_clear_finish (result, &error);
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("The password of a removed connection stays in the keyring: %s", error->message);
}

static void
bb_connection_store_dispose (GObject *object)
{
  BbConnectionStore *self = BB_CONNECTION_STORE (object);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_func (self->settings, settings_changed_cb, self);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (bb_connection_store_parent_class)->dispose (object);
}

static void
bb_connection_store_class_init (BbConnectionStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bb_connection_store_dispose;

  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

static void
bb_connection_store_init (BbConnectionStore *self)
{
}

void
bb_saved_connection_free (BbSavedConnection *connection)
{
  if (connection == NULL)
    return;
  g_free (connection->id);
  g_free (connection->label);
  g_clear_pointer (&connection->info, bb_connection_info_free);
  g_free (connection->media_folder);
  g_free (connection);
}

BbSavedConnection *
bb_saved_connection_copy (const BbSavedConnection *connection)
{
  BbSavedConnection *copy;

  g_return_val_if_fail (connection != NULL, NULL);

  copy = g_new0 (BbSavedConnection, 1);
  copy->id = g_strdup (connection->id);
  copy->label = g_strdup (connection->label);
  copy->info = connection->info != NULL ? bb_connection_info_copy (connection->info) : NULL;
  copy->media_folder = g_strdup (connection->media_folder);
  if (copy->info != NULL)
    bb_connection_info_set_password (copy->info, NULL);
  return copy;
}

char *
bb_connection_default_label (const BbConnectionInfo *info)
{
  g_autofree char *host = NULL;
  const char *name;

  g_return_val_if_fail (info != NULL, NULL);

  if (info->engine == BB_ENGINE_SQLITE)
    {
      if (info->path == NULL || info->path[0] == '\0')
        return g_strdup (_("SQLite database"));
      return g_path_get_basename (info->path);
    }

  name = info->name != NULL && info->name[0] != '\0'
         ? info->name : bb_engine_to_display (info->engine);

  /* A socket path says nothing to the user but "on this computer". */
  if (info->host != NULL && info->host[0] == '/')
    /* Translators: %s is a database name; the database server is reached
     * through a local socket. */
    return g_strdup_printf (_("%s on this computer"), name);

  if (info->host == NULL || info->host[0] == '\0')
    host = g_strdup ("localhost");
  else
    host = g_strdup (info->host);
  if (info->port != 0 && info->port != default_port (info->engine))
    {
      g_autofree char *plain = g_steal_pointer (&host);

      /* An IPv6 address needs brackets before a port. */
      if (strchr (plain, ':') != NULL)
        host = g_strdup_printf ("[%s]:%u", plain, info->port);
      else
        host = g_strdup_printf ("%s:%u", plain, info->port);
    }

  /* Translators: a saved connection's name, "DATABASE on HOST",
   * e.g. "babybuddy on db.example". */
  return g_strdup_printf (_("%s on %s"), name, host);
}

BbConnectionStore *
bb_connection_store_new (GSettings *settings)
{
  BbConnectionStore *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (BB_TYPE_CONNECTION_STORE, NULL);
  self->settings = g_object_ref (settings);
  g_signal_connect (self->settings, "changed",
                    G_CALLBACK (settings_changed_cb), self);
  return self;
}

GPtrArray *
bb_connection_store_dup_all (BbConnectionStore *self)
{
  g_autoptr(GPtrArray) connections = NULL;
  g_autoptr(GPtrArray) dicts = NULL;

  g_return_val_if_fail (BB_IS_CONNECTION_STORE (self), NULL);

  connections = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_saved_connection_free);
  dicts = read_dicts (self, NULL, NULL);
  for (guint i = 0; i < dicts->len; i++)
    {
      BbSavedConnection *connection = saved_connection_new_from_variant (g_ptr_array_index (dicts, i));

      if (connection != NULL)
        g_ptr_array_add (connections, connection);
    }
  return g_steal_pointer (&connections);
}

BbSavedConnection *
bb_connection_store_dup (BbConnectionStore *self,
                         const char        *id)
{
  g_autoptr(GPtrArray) dicts = NULL;
  guint index;

  g_return_val_if_fail (BB_IS_CONNECTION_STORE (self), NULL);

  if (id == NULL || id[0] == '\0')
    return NULL;

  dicts = read_dicts (self, id, &index);
  if (index == G_MAXUINT)
    return NULL;
  return saved_connection_new_from_variant (g_ptr_array_index (dicts, index));
}

BbSavedConnection *
bb_connection_store_dup_active (BbConnectionStore *self)
{
  g_autofree char *id = NULL;

  g_return_val_if_fail (BB_IS_CONNECTION_STORE (self), NULL);

  id = g_settings_get_string (self->settings, KEY_ACTIVE);
  return bb_connection_store_dup (self, id);
}

char *
bb_connection_store_add (BbConnectionStore      *self,
                         const BbConnectionInfo *info,
                         const char             *label)
{
  g_autoptr(GPtrArray) dicts = NULL;
  g_autofree char *id = NULL;
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);

  g_return_val_if_fail (BB_IS_CONNECTION_STORE (self), NULL);
  g_return_val_if_fail (info != NULL, NULL);

  if (label != NULL && label[0] == '\0')
    label = NULL;

  dicts = read_dicts (self, NULL, NULL);
  for (guint i = 0; i < dicts->len; i++)
    {
      GVariant *value = g_ptr_array_index (dicts, i);
      g_autoptr(BbSavedConnection) existing = saved_connection_new_from_variant (value);
      g_auto(GVariantDict) update = G_VARIANT_DICT_INIT (value);

      if (existing == NULL || !same_place (existing->info, info))
        continue;

      if (label != NULL && g_strcmp0 (existing->label, label) != 0)
        {
          g_variant_dict_insert (&update, "label", "s", label);
          replace_dict (dicts, i, g_variant_dict_end (&update));
          write_dicts (self, dicts);
        }
      return g_strdup (existing->id);
    }

  id = g_uuid_string_random ();
  g_variant_dict_insert (&dict, "id", "s", id);
  if (label != NULL)
    g_variant_dict_insert (&dict, "label", "s", label);
  else
    {
      g_autofree char *default_label = bb_connection_default_label (info);

      g_variant_dict_insert (&dict, "label", "s", default_label);
    }
  dict_set_info (&dict, info);
  g_ptr_array_add (dicts, g_variant_ref_sink (g_variant_dict_end (&dict)));
  write_dicts (self, dicts);

  return g_steal_pointer (&id);
}

void
bb_connection_store_remove (BbConnectionStore *self,
                            const char        *id)
{
  g_autoptr(GPtrArray) dicts = NULL;
  g_autofree char *active = NULL;
  guint index;

  g_return_if_fail (BB_IS_CONNECTION_STORE (self));
  g_return_if_fail (id != NULL);

  dicts = read_dicts (self, id, &index);
  if (index != G_MAXUINT)
    {
      g_ptr_array_remove_index (dicts, index);
      write_dicts (self, dicts);
    }

  active = g_settings_get_string (self->settings, KEY_ACTIVE);
  if (g_str_equal (active, id))
    g_settings_set_string (self->settings, KEY_ACTIVE, "");

  secret_password_clear (get_secret_schema (), NULL,
                         removed_password_cleared_cb, NULL,
                         "connection-id", id,
                         NULL);
}

void
bb_connection_store_set_active (BbConnectionStore *self,
                                const char        *id)
{
  g_autofree char *active = NULL;

  g_return_if_fail (BB_IS_CONNECTION_STORE (self));

  if (id == NULL)
    id = "";
  active = g_settings_get_string (self->settings, KEY_ACTIVE);
  if (!g_str_equal (active, id))
    g_settings_set_string (self->settings, KEY_ACTIVE, id);
}

void
bb_connection_store_set_media_folder (BbConnectionStore *self,
                                      const char        *id,
                                      const char        *folder)
{
  g_autoptr(GPtrArray) dicts = NULL;
  g_autofree char *old = NULL;
  guint index;

  g_return_if_fail (BB_IS_CONNECTION_STORE (self));
  g_return_if_fail (id != NULL);

  if (folder != NULL && folder[0] == '\0')
    folder = NULL;

  dicts = read_dicts (self, id, &index);
  if (index == G_MAXUINT)
    return;

  {
    g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (g_ptr_array_index (dicts, index));

    old = dict_dup_string (&dict, "media-folder");
    if (g_strcmp0 (old, folder) == 0)
      return;
    dict_set_string (&dict, "media-folder", folder);
    replace_dict (dicts, index, g_variant_dict_end (&dict));
  }
  write_dicts (self, dicts);
}

void
bb_connection_store_store_password_async (BbConnectionStore   *self,
                                          const char          *id,
                                          const char          *password,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(BbSavedConnection) connection = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (BB_IS_CONNECTION_STORE (self));
  g_return_if_fail (id != NULL && id[0] != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bb_connection_store_store_password_async);

  if (password == NULL || password[0] == '\0')
    {
      secret_password_clear (get_secret_schema (), cancellable,
                             password_cleared_cb, g_steal_pointer (&task),
                             "connection-id", id,
                             NULL);
      return;
    }

  connection = bb_connection_store_dup (self, id);
  /* Translators: the name of a password in the user's keyring (shown in
   * apps such as Passwords and Keys); %s is the connection's label,
   * e.g. "babybuddy on db.example". */
  label = g_strdup_printf (_("Baby Buddy Backup: %s"),
                           connection != NULL ? connection->label : id);
  secret_password_store (get_secret_schema (), SECRET_COLLECTION_DEFAULT,
                         label, password, cancellable,
                         password_stored_cb, g_steal_pointer (&task),
                         "connection-id", id,
                         NULL);
}

gboolean
bb_connection_store_store_password_finish (BbConnectionStore  *self,
                                           GAsyncResult       *result,
                                           GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, bb_connection_store_store_password_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
bb_connection_store_lookup_password_async (BbConnectionStore   *self,
                                           const char          *id,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (BB_IS_CONNECTION_STORE (self));
  g_return_if_fail (id != NULL && id[0] != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bb_connection_store_lookup_password_async);

  secret_password_lookup (get_secret_schema (), cancellable,
                          password_looked_up_cb, task,
                          "connection-id", id,
                          NULL);
}

char *
bb_connection_store_lookup_password_finish (BbConnectionStore  *self,
                                            GAsyncResult       *result,
                                            GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, bb_connection_store_lookup_password_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
