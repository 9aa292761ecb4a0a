/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-connection-store.c: saved connections in GSettings (memory backend)
 * and their passwords in the real gnome-keyring that tests/ui-session.sh
 * starts, unlocked, for this test only. */

#define _GNU_SOURCE   /* memmem */

#include "config.h"

#include <libsecret/secret.h>
#include <string.h>

#include "bb-connection-store.h"

#define TIMEOUT_SECONDS 10

/* Every character that has broken a quoting somewhere, and some that are
 * not ASCII. */
#define TRICKY_PASSWORD "p'a\\s\"s @w:o/rd;%20$HOME`ü€日本🙂"

static const SecretSchema keyring_schema = {
  "org.babybuddy.Backup.Connection", SECRET_SCHEMA_NONE,
  {
    { "connection-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

typedef struct {
  GSettings         *settings;
  BbConnectionStore *store;
  guint              n_changed;
} Fixture;

static void
changed_cb (BbConnectionStore *store,
            Fixture           *fixture)
{
  fixture->n_changed++;
}

static gboolean
timed_out_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Spins the main loop until *value reaches at least target; fails the test
 * after TIMEOUT_SECONDS. Then runs whatever else is pending, so that a
 * caller can assert that nothing more came. */
static void
wait_for_count (guint      *value,
                guint       target,
                const char *what)
{
  gboolean timed_out = FALSE;
  guint timeout = g_timeout_add_seconds (TIMEOUT_SECONDS, timed_out_cb, &timed_out);

  while (*value < target && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("Timed out waiting for %s (%u of %u)", what, *value, target);
  g_source_remove (timeout);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

static void
result_ready_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for_result (GAsyncResult **result)
{
  gboolean timed_out = FALSE;
  guint timeout = g_timeout_add_seconds (TIMEOUT_SECONDS, timed_out_cb, &timed_out);

  while (*result == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("Timed out waiting for the keyring");
  g_source_remove (timeout);
  return *result;
}

static void
store_password (BbConnectionStore *store,
                const char        *id,
                const char        *password)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  bb_connection_store_store_password_async (store, id, password, NULL, result_ready_cb, &result);
  g_assert_true (bb_connection_store_store_password_finish (store, wait_for_result (&result), &error));
  g_assert_no_error (error);
}

static char *
lookup_password (BbConnectionStore *store,
                 const char        *id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *password;

  bb_connection_store_lookup_password_async (store, id, NULL, result_ready_cb, &result);
  password = bb_connection_store_lookup_password_finish (store, wait_for_result (&result), &error);
  g_assert_no_error (error);
  return password;
}

/* Straight from libsecret, not through the store. */
static char *
lookup_password_directly (const char *id)
{
  g_autoptr(GError) error = NULL;
  char *password = secret_password_lookup_sync (&keyring_schema, NULL, &error,
                                                "connection-id", id, NULL);

  g_assert_no_error (error);
  return password;
}

static BbConnectionInfo *
make_sqlite_info (const char *path)
{
  BbConnectionInfo *info = g_new0 (BbConnectionInfo, 1);

  info->engine = BB_ENGINE_SQLITE;
  info->path = g_strdup (path);
  return info;
}

static BbConnectionInfo *
make_server_info (BbEngine    engine,
                  const char *host,
                  guint       port,
                  const char *name,
                  const char *user,
                  const char *password)
{
  BbConnectionInfo *info = g_new0 (BbConnectionInfo, 1);

  info->engine = engine;
  info->host = g_strdup (host);
  info->port = port;
  info->name = g_strdup (name);
  info->user = g_strdup (user);
  info->password = g_strdup (password);
  return info;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->settings = g_settings_new ("org.babybuddy.Backup");
  /* The memory backend lives as long as the process: start each test empty. */
  g_settings_reset (fixture->settings, "connections");
  g_settings_reset (fixture->settings, "active-connection");
  fixture->store = bb_connection_store_new (fixture->settings);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_signal_connect (fixture->store, "changed", G_CALLBACK (changed_cb), fixture);
  fixture->n_changed = 0;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->store);
  g_clear_object (&fixture->settings);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

static void
test_labels (void)
{
  g_autoptr(BbConnectionInfo) sqlite = make_sqlite_info ("/srv/baby buddy/data/db.sqlite3");
  g_autoptr(BbConnectionInfo) pg = make_server_info (BB_ENGINE_POSTGRESQL, "db.example", 0, "babybuddy", "bb", NULL);
  g_autoptr(BbConnectionInfo) pg_port = make_server_info (BB_ENGINE_POSTGRESQL, "db.example", 5432, "babybuddy", "bb", NULL);
  g_autoptr(BbConnectionInfo) pg_other_port = make_server_info (BB_ENGINE_POSTGRESQL, "db.example", 5433, "babybuddy", "bb", NULL);
  g_autoptr(BbConnectionInfo) pg_local = make_server_info (BB_ENGINE_POSTGRESQL, NULL, 0, "babybuddy", NULL, NULL);
  g_autoptr(BbConnectionInfo) pg_socket = make_server_info (BB_ENGINE_POSTGRESQL, "/var/run/postgresql", 0, "babybuddy", "bb", NULL);
  g_autoptr(BbConnectionInfo) my = make_server_info (BB_ENGINE_MYSQL, "10.0.0.7", 3306, "bb", "root", "secret");
  g_autoptr(BbConnectionInfo) my_socket = make_server_info (BB_ENGINE_MYSQL, "/run/mysqld/mysqld.sock", 0, "bb", "root", NULL);
  g_autoptr(BbConnectionInfo) v6 = make_server_info (BB_ENGINE_MYSQL, "::1", 3307, "bb", "root", NULL);
  struct {
    BbConnectionInfo *info;
    const char       *label;
  } cases[] = {
    { sqlite, "db.sqlite3" },
    { pg, "babybuddy on db.example" },
    { pg_port, "babybuddy on db.example" },
    { pg_other_port, "babybuddy on db.example:5433" },
    { pg_local, "babybuddy on localhost" },
    { pg_socket, "babybuddy on this computer" },
    { my, "bb on 10.0.0.7" },
    { my_socket, "bb on this computer" },
    { v6, "bb on [::1]:3307" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *label = bb_connection_default_label (cases[i].info);

      g_assert_cmpstr (label, ==, cases[i].label);
    }
}

static void
test_add_and_dup (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(BbConnectionInfo) sqlite = make_sqlite_info ("/home/me/babybuddy/db.sqlite3");
  g_autoptr(BbConnectionInfo) pg = make_server_info (BB_ENGINE_POSTGRESQL, "db.example", 5433, "babybuddy", "baby", "hunter2");
  g_autoptr(BbConnectionInfo) my = make_server_info (BB_ENGINE_MYSQL, NULL, 0, "bb", "root", NULL);
  g_autofree char *sqlite_id = NULL;
  g_autofree char *pg_id = NULL;
  g_autofree char *my_id = NULL;
  g_autoptr(BbSavedConnection) saved = NULL;
  g_autoptr(BbSavedConnection) copy = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GVariant) raw = NULL;
  g_autoptr(GVariant) first = NULL;
  g_autoptr(GVariant) second = NULL;
  const char *text;
  guint32 port;

  all = bb_connection_store_dup_all (fixture->store);
  g_assert_cmpuint (all->len, ==, 0);
  g_clear_pointer (&all, g_ptr_array_unref);

  sqlite_id = bb_connection_store_add (fixture->store, sqlite, NULL);
  pg_id = bb_connection_store_add (fixture->store, pg, "Home server");
  my_id = bb_connection_store_add (fixture->store, my, "");
  g_assert_nonnull (sqlite_id);
  g_assert_cmpuint (strlen (sqlite_id), >, 8);
  g_assert_cmpstr (sqlite_id, !=, pg_id);
  g_assert_cmpstr (pg_id, !=, my_id);
  g_assert_cmpstr (sqlite_id, !=, my_id);

  saved = bb_connection_store_dup (fixture->store, sqlite_id);
  g_assert_nonnull (saved);
  g_assert_cmpstr (saved->id, ==, sqlite_id);
  g_assert_cmpstr (saved->label, ==, "db.sqlite3");
  g_assert_cmpint (saved->info->engine, ==, BB_ENGINE_SQLITE);
  g_assert_cmpstr (saved->info->path, ==, "/home/me/babybuddy/db.sqlite3");
  g_assert_null (saved->info->host);
  g_assert_null (saved->info->password);
  g_assert_null (saved->media_folder);
  g_clear_pointer (&saved, bb_saved_connection_free);

  saved = bb_connection_store_dup (fixture->store, pg_id);
  g_assert_nonnull (saved);
  g_assert_cmpstr (saved->label, ==, "Home server");
  g_assert_cmpint (saved->info->engine, ==, BB_ENGINE_POSTGRESQL);
  g_assert_null (saved->info->path);
  g_assert_cmpstr (saved->info->host, ==, "db.example");
  g_assert_cmpuint (saved->info->port, ==, 5433);
  g_assert_cmpstr (saved->info->name, ==, "babybuddy");
  g_assert_cmpstr (saved->info->user, ==, "baby");
  g_assert_null (saved->info->password);

  copy = bb_saved_connection_copy (saved);
  g_assert_true (copy != saved && copy->info != saved->info);
  g_assert_cmpstr (copy->id, ==, saved->id);
  g_assert_cmpstr (copy->label, ==, saved->label);
  g_assert_cmpstr (copy->info->host, ==, "db.example");
  g_assert_cmpuint (copy->info->port, ==, 5433);
  g_clear_pointer (&saved, bb_saved_connection_free);

  /* An empty label counts as none. */
  saved = bb_connection_store_dup (fixture->store, my_id);
  g_assert_cmpstr (saved->label, ==, "bb on localhost");
  g_assert_cmpint (saved->info->engine, ==, BB_ENGINE_MYSQL);
  g_assert_null (saved->info->host);
  g_assert_cmpuint (saved->info->port, ==, 0);
  g_assert_cmpstr (saved->info->user, ==, "root");
  g_clear_pointer (&saved, bb_saved_connection_free);

  g_assert_null (bb_connection_store_dup (fixture->store, "no-such-id"));
  g_assert_null (bb_connection_store_dup (fixture->store, ""));

  all = bb_connection_store_dup_all (fixture->store);
  g_assert_cmpuint (all->len, ==, 3);
  g_assert_cmpstr (((BbSavedConnection *) all->pdata[0])->id, ==, sqlite_id);
  g_assert_cmpstr (((BbSavedConnection *) all->pdata[1])->id, ==, pg_id);
  g_assert_cmpstr (((BbSavedConnection *) all->pdata[2])->id, ==, my_id);

  /* The stored form is what the schema's description promises. */
  raw = g_settings_get_value (fixture->settings, "connections");
  g_assert_cmpuint (g_variant_n_children (raw), ==, 3);
  first = g_variant_get_child_value (raw, 0);
  g_assert_true (g_variant_lookup (first, "engine", "&s", &text));
  g_assert_cmpstr (text, ==, "sqlite");
  g_assert_true (g_variant_lookup (first, "path", "&s", &text));
  g_assert_cmpstr (text, ==, "/home/me/babybuddy/db.sqlite3");
  second = g_variant_get_child_value (raw, 1);
  g_assert_true (g_variant_lookup (second, "id", "&s", &text));
  g_assert_cmpstr (text, ==, pg_id);
  g_assert_true (g_variant_lookup (second, "label", "&s", &text));
  g_assert_cmpstr (text, ==, "Home server");
  g_assert_true (g_variant_lookup (second, "engine", "&s", &text));
  g_assert_cmpstr (text, ==, "postgresql");
  g_assert_true (g_variant_lookup (second, "port", "u", &port));
  g_assert_cmpuint (port, ==, 5433);
  g_assert_false (g_variant_lookup (second, "password", "&s", &text));
  g_assert_false (g_variant_lookup (second, "path", "&s", &text));
}

static void
test_same_place (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(BbConnectionInfo) pg = make_server_info (BB_ENGINE_POSTGRESQL, "db.example", 0, "babybuddy", "baby", "one");
  g_autoptr(BbConnectionInfo) pg_again = make_server_info (BB_ENGINE_POSTGRESQL, "db.example", 5432, "babybuddy", "baby", "two");
  g_autoptr(BbConnectionInfo) pg_other_user = make_server_info (BB_ENGINE_POSTGRESQL, "db.example", 0, "babybuddy", "admin", NULL);
  g_autoptr(BbConnectionInfo) my_same_fields = make_server_info (BB_ENGINE_MYSQL, "db.example", 0, "babybuddy", "baby", NULL);
  g_autoptr(BbConnectionInfo) sqlite = make_sqlite_info ("/data/db.sqlite3");
  g_autoptr(BbConnectionInfo) sqlite_again = make_sqlite_info ("/data/db.sqlite3");
  g_autoptr(BbConnectionInfo) sqlite_other = make_sqlite_info ("/data/other/db.sqlite3");
  g_autofree char *id = NULL;
  g_autofree char *id_again = NULL;
  g_autofree char *id_unlabelled = NULL;
  g_autofree char *id_other_user = NULL;
  g_autofree char *id_mysql = NULL;
  g_autofree char *sqlite_id = NULL;
  g_autofree char *sqlite_id_again = NULL;
  g_autofree char *sqlite_other_id = NULL;
  g_autoptr(BbSavedConnection) saved = NULL;
  g_autoptr(GPtrArray) all = NULL;

  id = bb_connection_store_add (fixture->store, pg, NULL);
  id_again = bb_connection_store_add (fixture->store, pg_again, "Renamed");
  g_assert_cmpstr (id_again, ==, id);
  saved = bb_connection_store_dup (fixture->store, id);
  g_assert_cmpstr (saved->label, ==, "Renamed");
  g_clear_pointer (&saved, bb_saved_connection_free);

  /* No label: the one given before stays. */
  id_unlabelled = bb_connection_store_add (fixture->store, pg, NULL);
  g_assert_cmpstr (id_unlabelled, ==, id);
  saved = bb_connection_store_dup (fixture->store, id);
  g_assert_cmpstr (saved->label, ==, "Renamed");
  g_clear_pointer (&saved, bb_saved_connection_free);

  id_other_user = bb_connection_store_add (fixture->store, pg_other_user, NULL);
  g_assert_cmpstr (id_other_user, !=, id);
  id_mysql = bb_connection_store_add (fixture->store, my_same_fields, NULL);
  g_assert_cmpstr (id_mysql, !=, id);

  sqlite_id = bb_connection_store_add (fixture->store, sqlite, NULL);
  sqlite_id_again = bb_connection_store_add (fixture->store, sqlite_again, "Main");
  sqlite_other_id = bb_connection_store_add (fixture->store, sqlite_other, NULL);
  g_assert_cmpstr (sqlite_id_again, ==, sqlite_id);
  g_assert_cmpstr (sqlite_other_id, !=, sqlite_id);

  all = bb_connection_store_dup_all (fixture->store);
  g_assert_cmpuint (all->len, ==, 5);
  g_assert_cmpstr (((BbSavedConnection *) all->pdata[0])->id, ==, id);
  g_assert_cmpstr (((BbSavedConnection *) all->pdata[0])->label, ==, "Renamed");
  g_assert_cmpstr (((BbSavedConnection *) all->pdata[3])->label, ==, "Main");
  g_assert_cmpstr (((BbSavedConnection *) all->pdata[4])->label, ==, "db.sqlite3");
}

static void
test_remove_and_active (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(BbConnectionInfo) a = make_sqlite_info ("/a/a.sqlite3");
  g_autoptr(BbConnectionInfo) b = make_sqlite_info ("/b/b.sqlite3");
  g_autoptr(BbConnectionInfo) c = make_sqlite_info ("/c/c.sqlite3");
  g_autofree char *a_id = NULL;
  g_autofree char *b_id = NULL;
  g_autofree char *c_id = NULL;
  g_autofree char *active = NULL;
  g_autoptr(BbSavedConnection) saved = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GSettings) other = NULL;
  g_autoptr(GVariant) odd_list = NULL;
  g_autoptr(GVariant) list = NULL;

  g_assert_null (bb_connection_store_dup_active (fixture->store));

  a_id = bb_connection_store_add (fixture->store, a, NULL);
  b_id = bb_connection_store_add (fixture->store, b, NULL);
  c_id = bb_connection_store_add (fixture->store, c, NULL);
  g_assert_null (bb_connection_store_dup_active (fixture->store));

  bb_connection_store_set_active (fixture->store, b_id);
  saved = bb_connection_store_dup_active (fixture->store);
  g_assert_nonnull (saved);
  g_assert_cmpstr (saved->id, ==, b_id);
  g_assert_cmpstr (saved->label, ==, "b.sqlite3");
  g_clear_pointer (&saved, bb_saved_connection_free);

  /* Removing another one leaves the active one alone. */
  bb_connection_store_remove (fixture->store, a_id);
  g_assert_null (bb_connection_store_dup (fixture->store, a_id));
  saved = bb_connection_store_dup_active (fixture->store);
  g_assert_cmpstr (saved->id, ==, b_id);
  g_clear_pointer (&saved, bb_saved_connection_free);
  all = bb_connection_store_dup_all (fixture->store);
  g_assert_cmpuint (all->len, ==, 2);
  g_assert_cmpstr (((BbSavedConnection *) all->pdata[0])->id, ==, b_id);
  g_assert_cmpstr (((BbSavedConnection *) all->pdata[1])->id, ==, c_id);
  g_clear_pointer (&all, g_ptr_array_unref);

  /* Removing the active one clears the active key. */
  bb_connection_store_remove (fixture->store, b_id);
  g_assert_null (bb_connection_store_dup_active (fixture->store));
  active = g_settings_get_string (fixture->settings, "active-connection");
  g_assert_cmpstr (active, ==, "");
  g_clear_pointer (&active, g_free);
  all = bb_connection_store_dup_all (fixture->store);
  g_assert_cmpuint (all->len, ==, 1);
  g_assert_cmpstr (((BbSavedConnection *) all->pdata[0])->id, ==, c_id);
  g_clear_pointer (&all, g_ptr_array_unref);

  /* Removing an unknown id changes nothing. */
  bb_connection_store_remove (fixture->store, "no-such-id");
  all = bb_connection_store_dup_all (fixture->store);
  g_assert_cmpuint (all->len, ==, 1);
  g_clear_pointer (&all, g_ptr_array_unref);

  bb_connection_store_set_active (fixture->store, c_id);
  saved = bb_connection_store_dup_active (fixture->store);
  g_assert_cmpstr (saved->id, ==, c_id);
  g_clear_pointer (&saved, bb_saved_connection_free);
  bb_connection_store_set_active (fixture->store, NULL);
  g_assert_null (bb_connection_store_dup_active (fixture->store));
  active = g_settings_get_string (fixture->settings, "active-connection");
  g_assert_cmpstr (active, ==, "");
  g_clear_pointer (&active, g_free);

  /* The active id can go away behind the store's back (another window
   * rewrote the list): then there is no active connection. */
  bb_connection_store_set_active (fixture->store, c_id);
  other = g_settings_new ("org.babybuddy.Backup");
  g_settings_set_value (other, "connections", g_variant_new_parsed ("@aa{sv} []"));
  g_assert_null (bb_connection_store_dup_active (fixture->store));
  active = g_settings_get_string (fixture->settings, "active-connection");
  g_assert_cmpstr (active, ==, c_id);

  /* Dictionaries the store does not understand are skipped, not lost. */
  odd_list = g_variant_ref_sink (g_variant_new_parsed ("[{'id': <'x1'>, 'engine': <'oracle'>, 'label': <'?'>},"
                                 " {'label': <'no id'>, 'engine': <'sqlite'>, 'path': <'/p'>},"
                                 " {'id': <'x2'>, 'engine': <'sqlite'>, 'path': <'/q/q.db'>, 'extra': <42>}]"));
  g_settings_set_value (other, "connections", odd_list);
  all = bb_connection_store_dup_all (fixture->store);
  g_assert_cmpuint (all->len, ==, 1);
  g_assert_cmpstr (((BbSavedConnection *) all->pdata[0])->id, ==, "x2");
  g_assert_cmpstr (((BbSavedConnection *) all->pdata[0])->label, ==, "q.db");
  bb_connection_store_set_media_folder (fixture->store, "x2", "/media");
  list = g_settings_get_value (other, "connections");
  g_assert_cmpuint (g_variant_n_children (list), ==, 3);
  {
    g_autoptr(GVariant) third = g_variant_get_child_value (list, 2);
    gint32 extra = 0;

    g_assert_true (g_variant_lookup (third, "extra", "i", &extra));
    g_assert_cmpint (extra, ==, 42);
  }
}

static void
test_media_folder (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(BbConnectionInfo) pg = make_server_info (BB_ENGINE_POSTGRESQL, "db.example", 0, "babybuddy", "baby", NULL);
  g_autoptr(BbConnectionInfo) sqlite = make_sqlite_info ("/data/db.sqlite3");
  g_autofree char *pg_id = NULL;
  g_autofree char *sqlite_id = NULL;
  g_autofree char *again = NULL;
  g_autoptr(BbSavedConnection) saved = NULL;

  pg_id = bb_connection_store_add (fixture->store, pg, "Server");
  sqlite_id = bb_connection_store_add (fixture->store, sqlite, NULL);

  bb_connection_store_set_media_folder (fixture->store, pg_id, "/srv/babybuddy/media");
  saved = bb_connection_store_dup (fixture->store, pg_id);
  g_assert_cmpstr (saved->media_folder, ==, "/srv/babybuddy/media");
  /* Nothing else moved. */
  g_assert_cmpstr (saved->label, ==, "Server");
  g_assert_cmpstr (saved->info->host, ==, "db.example");
  g_assert_cmpstr (saved->info->user, ==, "baby");
  g_clear_pointer (&saved, bb_saved_connection_free);
  saved = bb_connection_store_dup (fixture->store, sqlite_id);
  g_assert_null (saved->media_folder);
  g_clear_pointer (&saved, bb_saved_connection_free);

  /* Adding the same place again keeps the folder. */
  again = bb_connection_store_add (fixture->store, pg, "Server again");
  g_assert_cmpstr (again, ==, pg_id);
  saved = bb_connection_store_dup (fixture->store, pg_id);
  g_assert_cmpstr (saved->media_folder, ==, "/srv/babybuddy/media");
  g_assert_cmpstr (saved->label, ==, "Server again");
  g_clear_pointer (&saved, bb_saved_connection_free);

  bb_connection_store_set_media_folder (fixture->store, pg_id, NULL);
  saved = bb_connection_store_dup (fixture->store, pg_id);
  g_assert_null (saved->media_folder);
  g_clear_pointer (&saved, bb_saved_connection_free);

  bb_connection_store_set_media_folder (fixture->store, sqlite_id, "/data/media");
  bb_connection_store_set_media_folder (fixture->store, sqlite_id, "");
  saved = bb_connection_store_dup (fixture->store, sqlite_id);
  g_assert_null (saved->media_folder);
  g_clear_pointer (&saved, bb_saved_connection_free);

  /* An unknown id is ignored. */
  bb_connection_store_set_media_folder (fixture->store, "no-such-id", "/x");
  g_assert_null (bb_connection_store_dup (fixture->store, "no-such-id"));
}

static void
test_changed (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(BbConnectionInfo) sqlite = make_sqlite_info ("/data/db.sqlite3");
  g_autoptr(GSettings) other = g_settings_new ("org.babybuddy.Backup");
  g_autofree char *id = NULL;
  g_autofree char *again = NULL;
  guint expected = 0;

  id = bb_connection_store_add (fixture->store, sqlite, NULL);
  wait_for_count (&fixture->n_changed, ++expected, "add");
  g_assert_cmpuint (fixture->n_changed, ==, expected);

  /* The same place with no new label changes nothing. */
  again = bb_connection_store_add (fixture->store, sqlite, NULL);
  g_assert_cmpstr (again, ==, id);
  wait_for_count (&fixture->n_changed, expected, "nothing");
  g_assert_cmpuint (fixture->n_changed, ==, expected);

  bb_connection_store_set_active (fixture->store, id);
  wait_for_count (&fixture->n_changed, ++expected, "set_active");
  g_assert_cmpuint (fixture->n_changed, ==, expected);

  bb_connection_store_set_active (fixture->store, id);
  wait_for_count (&fixture->n_changed, expected, "nothing");
  g_assert_cmpuint (fixture->n_changed, ==, expected);

  bb_connection_store_set_media_folder (fixture->store, id, "/data/media");
  wait_for_count (&fixture->n_changed, ++expected, "set_media_folder");
  g_assert_cmpuint (fixture->n_changed, ==, expected);

  /* Another GSettings object on the same backend, as another window has. */
  g_settings_set_string (other, "active-connection", "");
  wait_for_count (&fixture->n_changed, ++expected, "active-connection from elsewhere");
  g_assert_cmpuint (fixture->n_changed, ==, expected);
  g_assert_null (bb_connection_store_dup_active (fixture->store));

  g_settings_set_value (other, "connections",
                        g_variant_new_parsed ("[{'id': <'elsewhere'>, 'engine': <'mysql'>, 'name': <'bb'>}]"));
  wait_for_count (&fixture->n_changed, ++expected, "connections from elsewhere");
  g_assert_cmpuint (fixture->n_changed, ==, expected);

  /* Other keys are none of the store's business. */
  g_settings_set_int (other, "compression-level", 3);
  g_settings_set_boolean (fixture->settings, "include-media", TRUE);
  wait_for_count (&fixture->n_changed, expected, "nothing");
  g_assert_cmpuint (fixture->n_changed, ==, expected);
  g_settings_reset (other, "compression-level");
  g_settings_reset (other, "include-media");

  bb_connection_store_set_active (fixture->store, "elsewhere");
  wait_for_count (&fixture->n_changed, ++expected, "set_active");
  /* Removing the active connection changes both keys. */
  bb_connection_store_remove (fixture->store, "elsewhere");
  expected += 2;
  wait_for_count (&fixture->n_changed, expected, "remove");
  g_assert_cmpuint (fixture->n_changed, ==, expected);
}

static void
test_password_round_trip (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(BbConnectionInfo) pg = make_server_info (BB_ENGINE_POSTGRESQL, "db.example", 0, "babybuddy", "baby", NULL);
  g_autoptr(BbConnectionInfo) my = make_server_info (BB_ENGINE_MYSQL, "db.example", 0, "bb", "root", NULL);
  g_autofree char *pg_id = NULL;
  g_autofree char *my_id = NULL;
  g_autofree char *password = NULL;
  g_autoptr(GError) error = NULL;
  GList *items;

  pg_id = bb_connection_store_add (fixture->store, pg, NULL);
  my_id = bb_connection_store_add (fixture->store, my, NULL);

  /* Nothing stored yet: NULL and no error. */
  password = lookup_password (fixture->store, pg_id);
  g_assert_null (password);
  password = lookup_password (fixture->store, "never-stored");
  g_assert_null (password);

  store_password (fixture->store, pg_id, TRICKY_PASSWORD);
  store_password (fixture->store, my_id, "the other one");

  password = lookup_password (fixture->store, pg_id);
  g_assert_cmpstr (password, ==, TRICKY_PASSWORD);
  g_clear_pointer (&password, g_free);
  password = lookup_password_directly (pg_id);
  g_assert_cmpstr (password, ==, TRICKY_PASSWORD);
  g_clear_pointer (&password, g_free);
  password = lookup_password (fixture->store, my_id);
  g_assert_cmpstr (password, ==, "the other one");
  g_clear_pointer (&password, g_free);

  /* The keyring shows the item under a name a person recognises. */
  items = secret_password_search_sync (&keyring_schema, SECRET_SEARCH_ALL, NULL, &error,
                                       "connection-id", pg_id, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  {
    g_autofree char *label = secret_retrievable_get_label (items->data);

    g_assert_cmpstr (label, ==, "Baby Buddy Backup: babybuddy on db.example");
  }
  g_list_free_full (items, g_object_unref);

  /* Storing again replaces, it does not add a second item. */
  store_password (fixture->store, pg_id, "changed ✓");
  password = lookup_password (fixture->store, pg_id);
  g_assert_cmpstr (password, ==, "changed ✓");
  g_clear_pointer (&password, g_free);
  items = secret_password_search_sync (&keyring_schema, SECRET_SEARCH_ALL, NULL, &error,
                                       "connection-id", pg_id, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  g_list_free_full (items, g_object_unref);

  /* An empty password clears, and so does NULL; the other stays. */
  store_password (fixture->store, pg_id, "");
  password = lookup_password (fixture->store, pg_id);
  g_assert_null (password);
  g_assert_null (lookup_password_directly (pg_id));
  store_password (fixture->store, pg_id, NULL);   /* nothing left to clear: still fine */
  store_password (fixture->store, my_id, NULL);
  g_assert_null (lookup_password_directly (my_id));
}

static void
test_remove_clears_password (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(BbConnectionInfo) pg = make_server_info (BB_ENGINE_POSTGRESQL, "db.example", 0, "babybuddy", "baby", NULL);
  g_autoptr(BbConnectionInfo) sqlite = make_sqlite_info ("/data/db.sqlite3");
  g_autofree char *pg_id = NULL;
  g_autofree char *sqlite_id = NULL;
  g_autofree char *password = NULL;
  gint64 deadline;

  pg_id = bb_connection_store_add (fixture->store, pg, NULL);
  sqlite_id = bb_connection_store_add (fixture->store, sqlite, NULL);
  store_password (fixture->store, pg_id, "to be removed");
  store_password (fixture->store, sqlite_id, "to be kept");
  password = lookup_password_directly (pg_id);
  g_assert_cmpstr (password, ==, "to be removed");
  g_clear_pointer (&password, g_free);

  bb_connection_store_remove (fixture->store, pg_id);

  /* The keyring is cleared in the background: wait for it. */
  deadline = g_get_monotonic_time () + TIMEOUT_SECONDS * G_USEC_PER_SEC;
  while ((password = lookup_password_directly (pg_id)) != NULL)
    {
      g_clear_pointer (&password, g_free);
      if (g_get_monotonic_time () > deadline)
        g_error ("remove() left the password in the keyring");
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
      g_usleep (20000);
    }

  password = lookup_password_directly (sqlite_id);
  g_assert_cmpstr (password, ==, "to be kept");
  g_clear_pointer (&password, g_free);
  store_password (fixture->store, sqlite_id, NULL);
}

/* Fails the test if needle is in any file under folder (recursively);
 * returns how many files were read. */
static guint
assert_not_in_files (const char *folder,
                     const char *needle)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;
  guint n_files = 0;

  if (dir == NULL)
    return 0;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          n_files += assert_not_in_files (path, needle);
          continue;
        }
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR) ||
          !g_file_get_contents (path, &contents, &length, NULL))
        continue;
      n_files++;
      if (memmem (contents, length, needle, strlen (needle)) != NULL)
        g_error ("The password is in %s", path);
    }
  return n_files;
}

static void
test_password_not_in_settings_or_files (Fixture       *fixture,
                                        gconstpointer  data)
{
  g_autoptr(BbConnectionInfo) pg = make_server_info (BB_ENGINE_POSTGRESQL, "db.example", 0, "babybuddy", "baby",
                                                     TRICKY_PASSWORD);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autofree char *id = NULL;
  g_autofree char *password = NULL;
  g_autofree char *config_home = g_build_filename (g_get_home_dir (), ".config", NULL);
  g_autofree char *keyrings = g_build_filename (g_get_user_data_dir (), "keyrings", NULL);
  g_auto(GStrv) keys = NULL;
  g_autoptr(GString) everything = g_string_new (NULL);
  guint n_keyring_files;

  /* The info carries a password; add() must drop it. */
  id = bb_connection_store_add (fixture->store, pg, "Server");
  bb_connection_store_set_active (fixture->store, id);
  bb_connection_store_set_media_folder (fixture->store, id, "/srv/media");
  store_password (fixture->store, id, TRICKY_PASSWORD);
  password = lookup_password (fixture->store, id);
  g_assert_cmpstr (password, ==, TRICKY_PASSWORD);
  g_settings_sync ();

  g_object_get (fixture->settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (fixture->settings, keys[i]);
      g_autofree char *printed = g_variant_print (value, TRUE);

      g_test_message ("%s = %s", keys[i], printed);
      g_string_append_printf (everything, "%s=%s\n", keys[i], printed);
    }
  /* The check can see what the store saved... */
  g_assert_nonnull (strstr (everything->str, "db.example"));
  g_assert_nonnull (strstr (everything->str, "/srv/media"));
  g_assert_nonnull (strstr (everything->str, id));
  /* ...and the password is not there, neither as is nor in parts. */
  g_assert_null (strstr (everything->str, TRICKY_PASSWORD));
  g_assert_null (strstr (everything->str, "@w:o/rd"));
  g_assert_null (strstr (everything->str, "日本"));

  /* Nor in any file: configuration, and the keyring's own files, which are
   * encrypted. The keyring must have written something, or the last check
   * proves nothing. */
  g_assert_nonnull (strstr (g_get_user_config_dir (), "bb-ui-test"));
  assert_not_in_files (g_get_user_config_dir (), TRICKY_PASSWORD);
  assert_not_in_files (config_home, TRICKY_PASSWORD);
  n_keyring_files = assert_not_in_files (keyrings, TRICKY_PASSWORD);
  g_assert_cmpuint (n_keyring_files, >, 0);
  assert_not_in_files (g_get_home_dir (), TRICKY_PASSWORD);
  assert_not_in_files (g_get_user_data_dir (), TRICKY_PASSWORD);
  assert_not_in_files (g_get_user_cache_dir (), TRICKY_PASSWORD);

  store_password (fixture->store, id, NULL);
}

static void
test_password_cancelled (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;

  /* Cancelling stays a plain cancellation that callers can leave unreported. */
  g_cancellable_cancel (cancellable);
  bb_connection_store_lookup_password_async (fixture->store, "some-id", cancellable, result_ready_cb, &result);
  password = bb_connection_store_lookup_password_finish (fixture->store, wait_for_result (&result), &error);
  g_assert_null (password);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* No keyring at all (no session bus to find it on): the error says what
 * happened and what to do, then what the library said. */
static void
test_password_no_keyring (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GSettings) settings = NULL;
      g_autoptr(BbConnectionStore) store = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *password = NULL;

      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bb-test-bus", TRUE);
      settings = g_settings_new ("org.babybuddy.Backup");
      store = bb_connection_store_new (settings);

      bb_connection_store_lookup_password_async (store, "some-id", NULL, result_ready_cb, &result);
      password = bb_connection_store_lookup_password_finish (store, wait_for_result (&result), &error);
      g_assert_null (password);
      g_assert_nonnull (error);
      g_printerr ("lookup: %s\n", error->message);
      g_assert_true (g_str_has_prefix (error->message, "The saved password could not be read because the keyring could not be used."));
      g_clear_error (&error);
      g_clear_object (&result);

      bb_connection_store_store_password_async (store, "some-id", "secret", NULL, result_ready_cb, &result);
      g_assert_false (bb_connection_store_store_password_finish (store, wait_for_result (&result), &error));
      g_assert_nonnull (error);
      g_printerr ("store: %s\n", error->message);
      g_assert_true (g_str_has_prefix (error->message, "The password could not be saved because the keyring could not be used."));
      return;
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, 0);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*lookup: *unlocked*The keyring said: ?*");
  g_test_trap_assert_stderr ("*store: *unlocked*The keyring said: ?*");
}

static void
add_test (const char *path,
          void (*func) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  /* Never touch a real user's keyring or settings. */
  if (g_getenv ("XDG_DATA_HOME") == NULL || strstr (g_getenv ("XDG_DATA_HOME"), "bb-ui-test") == NULL ||
      g_strcmp0 (g_getenv ("GSETTINGS_BACKEND"), "memory") != 0)
    {
      g_printerr ("Run this test through tests/ui-session.sh (meson test --suite ui).\n");
      return 1;
    }

  g_test_add_func ("/bb/ui/connection-store/labels", test_labels);
  add_test ("/bb/ui/connection-store/add-and-dup", test_add_and_dup);
  add_test ("/bb/ui/connection-store/same-place", test_same_place);
  add_test ("/bb/ui/connection-store/remove-and-active", test_remove_and_active);
  add_test ("/bb/ui/connection-store/media-folder", test_media_folder);
  add_test ("/bb/ui/connection-store/changed", test_changed);
  add_test ("/bb/ui/connection-store/password/round-trip", test_password_round_trip);
  add_test ("/bb/ui/connection-store/password/removed-with-connection", test_remove_clears_password);
  add_test ("/bb/ui/connection-store/password/not-in-settings-or-files", test_password_not_in_settings_or_files);
  add_test ("/bb/ui/connection-store/password/cancelled", test_password_cancelled);
  g_test_add_func ("/bb/ui/connection-store/password/no-keyring", test_password_no_keyring);

  return g_test_run ();
}
