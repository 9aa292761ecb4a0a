/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-backup-servers.c: backups from real PostgreSQL and MariaDB servers
 * (started by tests/servers.sh): the same data gives the same bytes on every
 * engine, passwords with quotes and backslashes work and never leak, every
 * connection failure has its own error, and a backup is one snapshot that
 * leaves nothing behind when the server goes away. */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include "bb-backup-job.h"
#include "bb-database.h"
#include "bb-test-util.h"

#define BB_VERSION_2_10 "2.9.0 - 2.10.0"

static const BbEngine server_engines[] = { BB_ENGINE_POSTGRESQL, BB_ENGINE_MYSQL };

/* Helpers */

static const char *
engine_code (BbEngine engine)
{
  g_assert_true (engine == BB_ENGINE_POSTGRESQL || engine == BB_ENGINE_MYSQL);
  return engine == BB_ENGINE_POSTGRESQL ? "pg" : "mysql";
}

/* The server's maintenance database, to run statements that are not about one database. */
static const char *
admin_database (BbEngine engine)
{
  return engine == BB_ENGINE_POSTGRESQL ? "postgres" : "mysql";
}

static char *
server_sql (BbEngine    engine,
            const char *db,
            const char *sql)
{
  return bb_test_servers_sql (engine_code (engine), db, sql);
}

/* A database name of this run: the servers may outlive one test program. */
static char *
db_name (const char *what)
{
  return g_strdup_printf ("bbt_%s_%d", what, (int) getpid ());
}

static char *
clone_reference (BbEngine    engine,
                 const char *what)
{
  char *name = db_name (what);

  bb_test_servers_clone (engine_code (engine), "bb_ref", name);
  return name;
}

static void
drop_database (BbEngine    engine,
               const char *name)
{
  g_autofree char *sql = NULL;

  if (engine == BB_ENGINE_POSTGRESQL)
    sql = g_strdup_printf ("DROP DATABASE IF EXISTS \"%s\" WITH (FORCE)", name);
  else
    sql = g_strdup_printf ("DROP DATABASE IF EXISTS `%s`", name);
  g_free (server_sql (engine, admin_database (engine), sql));
}

static GDateTime *
fixed_now (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  return g_date_time_new (utc, 2025, 3, 4, 5, 6, 7);
}

static BbBackupJob *
new_job (const BbConnectionInfo *info,
         const char             *dir)
{
  BbBackupJob *job = bb_backup_job_new (info, dir);
  g_autoptr(GDateTime) now = fixed_now ();

  bb_backup_job_set_timezone (job, "UTC");
  bb_backup_job_set_now (job, now);
  return job;
}

static char *
run_backup (const BbConnectionInfo  *info,
            const char              *dir,
            GError                 **error)
{
  g_autoptr(BbBackupJob) job = new_job (info, dir);

  return bb_backup_job_run (job, NULL, error);
}

/* Backs up into dir, which must hold only the ZIP afterwards; returns its entries. */
static GHashTable *
backup_entries (const BbConnectionInfo *info,
                const char             *dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = run_backup (info, dir, &error);
  g_auto(GStrv) names = NULL;
  g_autofree char *base = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (path);
  names = bb_test_list_dir (dir);
  base = g_path_get_basename (path);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, base);
  return bb_test_read_zip (path);
}

static JsonObject *
parse_object (const char *text,
              gssize      len)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, text, len, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_nonnull (root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}

static JsonObject *
metadata_of (GHashTable *entries)
{
  GBytes *bytes = g_hash_table_lookup (entries, "metadata.json");
  gsize len;
  const char *data;

  g_assert_nonnull (bytes);
  data = g_bytes_get_data (bytes, &len);
  return parse_object (data, len);
}

/* The object of metadata's "models" array that describes label, or NULL. */
static JsonObject *
metadata_model (JsonObject *metadata,
                const char *label)
{
  JsonArray *models = json_object_get_array_member (metadata, "models");

  for (guint i = 0; i < json_array_get_length (models); i++)
    {
      JsonObject *model = json_array_get_object_element (models, i);

      if (g_strcmp0 (json_object_get_string_member (model, "model"), label) == 0)
        return model;
    }
  return NULL;
}

static gboolean
bytes_contain (GBytes     *bytes,
               const char *needle)
{
  gsize len, n = strlen (needle);
  const char *data = g_bytes_get_data (bytes, &len);

  for (gsize i = 0; n <= len && i <= len - n; i++)
    if (data[i] == needle[0] && memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* Fixture objects in a model file: one per line, each starting the same way. */
static guint
count_objects (GBytes *file)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (file, NULL), g_bytes_get_size (file));
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "{\"model\": "))
      n++;
  return n;
}

/* The line of a model file holding pk, without its trailing comma. */
static char *
object_line (GBytes     *file,
             const char *label,
             const char *pk)
{
  g_autofree char *text = g_strndup (g_bytes_get_data (file, NULL), g_bytes_get_size (file));
  g_autofree char *prefix = g_strdup_printf ("{\"model\": \"%s\", \"pk\": %s, ", label, pk);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], prefix))
        {
          gsize len = strlen (lines[i]);

          if (len > 0 && lines[i][len - 1] == ',')
            len--;
          return g_strndup (lines[i], len);
        }
    }
  return NULL;
}

static GBytes *
entry (GHashTable *entries,
       const char *name)
{
  GBytes *bytes = g_hash_table_lookup (entries, name);

  if (bytes == NULL)
    g_test_message ("the backup has no entry %s", name);
  g_assert_nonnull (bytes);
  return bytes;
}

static char *
server_count (BbEngine    engine,
              const char *db,
              const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM %s", table);
  char *out = server_sql (engine, db, sql);

  return g_strstrip (out);
}

/* 1: identical across engines */


/* Says where two files first differ, for the log. */
static void
describe_difference (const char *name,
                     const char *engine_a,
                     GBytes     *a,
                     const char *engine_b,
                     GBytes     *b)
{
  g_autofree char *ta = g_strndup (g_bytes_get_data (a, NULL), g_bytes_get_size (a));
  g_autofree char *tb = g_strndup (g_bytes_get_data (b, NULL), g_bytes_get_size (b));
  g_auto(GStrv) la = g_strsplit (ta, "\n", -1);
  g_auto(GStrv) lb = g_strsplit (tb, "\n", -1);
  guint i;

  for (i = 0; la[i] != NULL && lb[i] != NULL; i++)
    if (strcmp (la[i], lb[i]) != 0)
      break;
  g_test_message ("%s differs (%u vs %u lines), first at line %u:", name,
                  g_strv_length (la), g_strv_length (lb), i + 1);
  g_test_message ("  %-10s %.400s", engine_a, la[i] ? la[i] : "(end of file)");
  g_test_message ("  %-10s %.400s", engine_b, lb[i] ? lb[i] : "(end of file)");
}

static void
test_identical_across_engines (void)
{
  g_autofree char *tmp = bb_test_make_tmpdir ();
  g_autofree char *sqlite_dir = g_build_filename (tmp, "sqlite", NULL);
  char *out[3] = { NULL };
  g_autofree char *sqlite_path = NULL;
  g_autoptr(BbConnectionInfo) sqlite_info = g_new0 (BbConnectionInfo, 1);
  GHashTable *entries[3] = { NULL };
  JsonObject *metadata[3] = { NULL };
  static const char *engine_names[3] = { "sqlite", "postgresql", "mysql" };
  static const char *django_engines[3] = {
    "django.db.backends.sqlite3", "django.db.backends.postgresql", "django.db.backends.mysql",
  };
  g_autoptr(GList) names = NULL;
  guint differing = 0, compared = 0;
  guint64 counted = 0;

  g_assert_cmpint (g_mkdir (sqlite_dir, 0700), ==, 0);
  sqlite_path = bb_test_copy_reference_sqlite (sqlite_dir);
  bb_test_truncate_sqlite_to_ms (sqlite_path);
  sqlite_info->engine = BB_ENGINE_SQLITE;
  sqlite_info->path = g_strdup (sqlite_path);

  for (guint e = 0; e < 3; e++)
    {
      g_autoptr(BbConnectionInfo) info = NULL;
      g_autofree char *dir_name = g_strconcat ("out-", engine_names[e], NULL);

      out[e] = g_build_filename (tmp, dir_name, NULL);
      g_assert_cmpint (g_mkdir (out[e], 0700), ==, 0);
      info = e == 0 ? bb_connection_info_copy (sqlite_info)
                    : bb_test_servers_info (server_engines[e - 1], "bb_ref");
      entries[e] = backup_entries (info, out[e]);
      metadata[e] = metadata_of (entries[e]);
    }

  /* The same entries. */
  for (guint e = 1; e < 3; e++)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, entries[0]);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (!g_hash_table_contains (entries[e], key))
          g_test_message ("%s is missing from the %s backup", (char *) key, engine_names[e]);
      g_hash_table_iter_init (&iter, entries[e]);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (!g_hash_table_contains (entries[0], key))
          g_test_message ("%s is only in the %s backup", (char *) key, engine_names[e]);
      g_assert_cmpuint (g_hash_table_size (entries[e]), ==, g_hash_table_size (entries[0]));
    }
  g_assert_cmpuint (g_hash_table_size (entries[0]), >, 20);

  /* The same bytes in every model file. */
  names = g_list_sort (g_hash_table_get_keys (entries[0]), (GCompareFunc) g_strcmp0);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      GBytes *reference = g_hash_table_lookup (entries[0], name);

      if (strcmp (name, "metadata.json") == 0)
        continue;
      g_assert_true (g_str_has_suffix (name, ".json"));
      compared++;
      counted += count_objects (reference);
      for (guint e = 1; e < 3; e++)
        {
          GBytes *other = g_hash_table_lookup (entries[e], name);

          g_assert_nonnull (other);
          if (!bb_test_same_model_file (reference, other))
            {
              describe_difference (name, engine_names[0], reference, engine_names[e], other);
              differing++;
            }
        }
    }
  g_assert_cmpuint (compared, >, 20);
  g_assert_cmpuint (differing, ==, 0);
  /* bb_ref holds ~95k rows; the backup must hold them all. */
  g_assert_cmpuint (counted, >, 90000);

  /* metadata.json: what must differ, and what must not. */
  for (guint e = 0; e < 3; e++)
    {
      JsonArray *models = json_object_get_array_member (metadata[e], "models");

      g_assert_cmpstr (json_object_get_string_member (metadata[e], "database_engine"), ==,
                       django_engines[e]);
      g_assert_cmpstr (json_object_get_string_member (metadata[e], "babybuddy_version"), ==,
                       BB_VERSION_2_10);
      g_assert_cmpint (json_object_get_int_member (metadata[e], "total_records"), ==, counted);
      g_assert_cmpint (json_object_get_int_member (metadata[e], "models_count"), ==, compared);
      g_assert_cmpuint (json_array_get_length (models), ==, compared);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (metadata[e],
                                                                             "unknown_tables")), ==, 0);
      for (guint i = 0; i < json_array_get_length (models); i++)
        {
          JsonObject *model = json_array_get_object_element (models, i);
          JsonObject *first = json_array_get_object_element (json_object_get_array_member (metadata[0], "models"), i);
          GBytes *file = g_hash_table_lookup (entries[e], json_object_get_string_member (model, "file"));
          GBytes *first_file = g_hash_table_lookup (entries[0], json_object_get_string_member (first, "file"));
          g_autofree char *digest = NULL;

          /* Same order, same counts, same digests, and the digests are right. */
          g_assert_nonnull (file);
          g_assert_cmpstr (json_object_get_string_member (model, "model"), ==,
                           json_object_get_string_member (first, "model"));
          g_assert_cmpint (json_object_get_int_member (model, "records"), ==, count_objects (file));
          digest = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, file);
          g_assert_cmpstr (json_object_get_string_member (model, "sha256"), ==, digest);
          /* The same bytes as the first engine's, so the same digest (under
           * Valgrind SQLite's doubles may differ in the last digits). */
          g_assert_true (bb_test_same_model_file (file, first_file));
          if (g_bytes_equal (file, first_file))
            g_assert_cmpstr (json_object_get_string_member (model, "sha256"), ==,
                             json_object_get_string_member (first, "sha256"));
        }
    }

  for (guint e = 0; e < 3; e++)
    {
      g_hash_table_unref (entries[e]);
      json_object_unref (metadata[e]);
      g_free (out[e]);
      out[e] = NULL;
    }
  bb_test_remove_tree (tmp);
}

/* 2: password quoting */

static const char *
test_password (void)
{
  static char *password;

  if (password == NULL)
    {
      g_autoptr(BbConnectionInfo) info = bb_test_servers_info (BB_ENGINE_POSTGRESQL, "bb_ref");
      password = g_strdup (info->password);
      /* The traps this test is about. */
      g_assert_nonnull (strchr (password, '\''));
      g_assert_nonnull (strchr (password, '\\'));
    }
  return password;
}

/* Every form in which a password could leak. */
static void
assert_no_password (const char *what,
                    GBytes     *bytes)
{
  const char *password = test_password ();
  g_autofree char *escaped = g_uri_escape_string (password, NULL, FALSE);
  g_autoptr(GString) json = g_string_new (NULL);

  for (const char *p = password; *p; p++)
    {
      if (*p == '\\' || *p == '"')
        g_string_append_c (json, '\\');
      g_string_append_c (json, *p);
    }
  if (bytes_contain (bytes, password) || bytes_contain (bytes, escaped)
      || bytes_contain (bytes, json->str))
    g_test_message ("the password appears in %s", what);
  g_assert_false (bytes_contain (bytes, password));
  g_assert_false (bytes_contain (bytes, escaped));
  g_assert_false (bytes_contain (bytes, json->str));
}

static void
assert_text_has_no_password (const char *what,
                             const char *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  assert_no_password (what, bytes);
}

static char *
url_without_password (BbEngine    engine,
                      const char *db)
{
  g_autoptr(BbConnectionInfo) info = bb_test_servers_info (engine, db);

  return g_strdup_printf ("%s://%s@%s:%u/%s",
                          engine == BB_ENGINE_POSTGRESQL ? "postgres" : "mysql",
                          info->user, info->host, info->port, db);
}

/* The environment for the CLI, with temporary files in tmpdir. */
static GStrv
cli_environ (const char *tmpdir)
{
  char **env = g_get_environ ();

  return g_environ_setenv (env, "TMPDIR", tmpdir, TRUE);
}

/* Checks a successful CLI backup: one line on stdout naming the ZIP in dir. */
static GHashTable *
assert_cli_backup (int         status,
                   const char *out,
                   const char *err,
                   const char *dir)
{
  g_autofree char *path = NULL;
  g_auto(GStrv) names = bb_test_list_dir (dir);
  g_autofree char *base = NULL;

  if (status != 0)
    g_test_message ("CLI failed (%d): %s", status, err);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_str_has_suffix (out, ".zip\n"));
  path = g_strndup (out, strlen (out) - 1);
  g_assert_null (strchr (path, '\n'));
  base = g_path_get_basename (path);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, base);
  return bb_test_read_zip (path);
}

static void
assert_backup_has_no_password (GHashTable *entries)
{
  GHashTableIter iter;
  gpointer key, value;

  assert_no_password ("metadata.json", entry (entries, "metadata.json"));
  g_hash_table_iter_init (&iter, entries);
  while (g_hash_table_iter_next (&iter, &key, &value))
    assert_no_password (key, value);
}

static void
test_password_quoting (void)
{
  const char *password = test_password ();

  for (gsize i = 0; i < G_N_ELEMENTS (server_engines); i++)
    {
      BbEngine engine = server_engines[i];
      g_autofree char *tmp = bb_test_make_tmpdir ();
      g_autofree char *api_dir = g_build_filename (tmp, "api", NULL);
      g_autofree char *cli_dir = g_build_filename (tmp, "cli", NULL);
      g_autofree char *cli_url_dir = g_build_filename (tmp, "cli-url", NULL);
      g_autofree char *cli_tmp = g_build_filename (tmp, "cli-tmp", NULL);
      g_autofree char *pw_file = g_build_filename (tmp, "password", NULL);
      g_autofree char *url = bb_test_servers_url (engine, "bb_ref");
      g_autofree char *bare_url = url_without_password (engine, "bb_ref");
      g_autofree char *pw_text = g_strconcat (password, "\n", NULL);
      g_autoptr(BbConnectionInfo) info = NULL;
      g_autoptr(GHashTable) entries = NULL;
      g_autoptr(JsonObject) metadata = NULL;
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) env = cli_environ (cli_tmp);
      g_auto(GStrv) left = NULL;
      g_autofree char *out = NULL, *err = NULL;
      int status;

      g_test_message ("engine %s", engine_code (engine));
      g_assert_cmpint (g_mkdir (api_dir, 0700), ==, 0);
      g_assert_cmpint (g_mkdir (cli_dir, 0700), ==, 0);
      g_assert_cmpint (g_mkdir (cli_url_dir, 0700), ==, 0);
      g_assert_cmpint (g_mkdir (cli_tmp, 0700), ==, 0);

      /* The URL carries the password percent-encoded; parsing gives it back whole. */
      g_assert_null (strchr (url, '\''));
      g_assert_null (strchr (url, '\\'));
      info = bb_connection_info_new_from_url (url, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (info->password, ==, password);
      g_assert_cmpstr (info->user, ==, "bbtest");
      g_assert_cmpstr (info->name, ==, "bb_ref");

      entries = backup_entries (info, api_dir);
      metadata = metadata_of (entries);
      g_assert_cmpstr (json_object_get_string_member (metadata, "database_engine"), ==,
                       bb_engine_to_django (engine));
      g_assert_cmpint (json_object_get_int_member (metadata, "total_records"), >, 90000);
      assert_backup_has_no_password (entries);
      g_clear_pointer (&entries, g_hash_table_unref);

      /* The command line with --password-file (with an editor's trailing newline). */
      g_assert_true (g_file_set_contents (pw_file, pw_text, -1, NULL));
      g_assert_cmpint (g_chmod (pw_file, 0600), ==, 0);
      {
        const char *argv[] = { "backup", "--database", bare_url, "--password-file", pw_file,
                               "-o", cli_dir, "-z", "UTC", NULL };

        status = bb_test_run_cli (argv, (const char * const *) env, &out, &err);
      }
      entries = assert_cli_backup (status, out, err, cli_dir);
      assert_text_has_no_password ("the CLI's stdout", out);
      assert_text_has_no_password ("the CLI's stderr", err);
      assert_backup_has_no_password (entries);
      g_clear_pointer (&entries, g_hash_table_unref);
      g_clear_pointer (&out, g_free);
      g_clear_pointer (&err, g_free);

      /* The command line with the password in the URL. */
      {
        const char *argv[] = { "backup", "--database", url, "-o", cli_url_dir, "-z", "UTC", NULL };

        status = bb_test_run_cli (argv, (const char * const *) env, &out, &err);
      }
      entries = assert_cli_backup (status, out, err, cli_url_dir);
      assert_text_has_no_password ("the CLI's stdout", out);
      assert_text_has_no_password ("the CLI's stderr", err);
      assert_backup_has_no_password (entries);

      /* No password file (libpq's PGPASSFILE) is left in the temporary folder. */
      left = bb_test_list_dir (cli_tmp);
      for (guint j = 0; left[j] != NULL; j++)
        g_test_message ("left behind in TMPDIR: %s", left[j]);
      g_assert_cmpuint (g_strv_length (left), ==, 0);

      bb_test_remove_tree (tmp);
    }
}

/* 3: wrong password */

static void
test_wrong_password (void)
{
  static const char *wrong = "wr0ng'pass\\word";

  for (gsize i = 0; i < G_N_ELEMENTS (server_engines); i++)
    {
      BbEngine engine = server_engines[i];
      g_autofree char *tmp = bb_test_make_tmpdir ();
      g_autofree char *api_dir = g_build_filename (tmp, "api", NULL);
      g_autofree char *cli_dir = g_build_filename (tmp, "cli", NULL);
      g_autofree char *cli_tmp = g_build_filename (tmp, "cli-tmp", NULL);
      g_autofree char *escaped = g_uri_escape_string (wrong, NULL, FALSE);
      g_autoptr(BbConnectionInfo) info = bb_test_servers_info (engine, "bb_ref");
      g_autoptr(BbConnectionInfo) stranger = bb_test_servers_info (engine, "bb_ref");
      g_autofree char *url = NULL;
      g_autofree char *path = NULL;
      g_autofree char *out = NULL, *err = NULL, *lower = NULL;
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) env = cli_environ (cli_tmp);
      int status;

      g_test_message ("engine %s", engine_code (engine));
      g_assert_cmpint (g_mkdir (api_dir, 0700), ==, 0);
      g_assert_cmpint (g_mkdir (cli_dir, 0700), ==, 0);
      g_assert_cmpint (g_mkdir (cli_tmp, 0700), ==, 0);

      /* API: a wrong password, and a user that does not exist. */
      bb_connection_info_set_password (info, wrong);
      path = run_backup (info, api_dir, &error);
      g_assert_null (path);
      g_assert_error (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_AUTH_FAILED);
      g_assert_null (strstr (error->message, wrong));
      g_clear_error (&error);

      g_free (stranger->user);
      stranger->user = g_strdup ("nobody_here");
      path = run_backup (stranger, api_dir, &error);
      g_assert_null (path);
      g_assert_error (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_AUTH_FAILED);
      g_clear_error (&error);
      bb_test_assert_dir_empty (api_dir);

      /* Command line. */
      url = g_strdup_printf ("%s://bbtest:%s@%s:%u/bb_ref",
                             engine == BB_ENGINE_POSTGRESQL ? "postgres" : "mysql",
                             escaped, info->host, info->port);
      {
        const char *argv[] = { "backup", "--database", url, "-o", cli_dir, "-z", "UTC", NULL };

        status = bb_test_run_cli (argv, (const char * const *) env, &out, &err);
      }
      g_test_message ("stderr: %s", err);
      g_assert_cmpint (status, ==, 1);
      g_assert_cmpstr (out, ==, "");
      lower = g_utf8_strdown (err, -1);
      g_assert_nonnull (strstr (lower, "password"));
      g_assert_nonnull (strstr (lower, "user"));
      g_assert_null (strstr (err, wrong));
      g_assert_null (strstr (err, escaped));
      assert_text_has_no_password ("the CLI's stderr", err);
      bb_test_assert_dir_empty (cli_dir);
      bb_test_assert_dir_empty (cli_tmp);

      bb_test_remove_tree (tmp);
    }
}

/* 4: unreachable server, missing database */

static guint
free_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any, FALSE, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  /* Bound but not listening, then closed: nothing answers there. */
  g_socket_close (socket, NULL);
  return port;
}

static void
assert_backup_fails (const BbConnectionInfo *info,
                     const char             *dir,
                     gint                    code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  gint64 start = g_get_monotonic_time ();

  path = run_backup (info, dir, &error);
  g_assert_null (path);
  if (error != NULL)
    g_test_message ("%s", error->message);
  g_assert_error (error, BB_DATABASE_ERROR, code);
  g_assert_null (strstr (error->message, test_password ()));
  /* Refused at once, not after a long time-out. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 20 * G_USEC_PER_SEC);
  bb_test_assert_dir_empty (dir);
}

static void
test_unreachable (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (server_engines); i++)
    {
      BbEngine engine = server_engines[i];
      g_autofree char *tmp = bb_test_make_tmpdir ();
      g_autoptr(BbConnectionInfo) info = NULL;
      g_autofree char *missing = db_name ("missing");
      guint ports[] = { 1, free_port () };

      g_test_message ("engine %s", engine_code (engine));
      for (gsize p = 0; p < G_N_ELEMENTS (ports); p++)
        {
          g_clear_pointer (&info, bb_connection_info_free);
          info = bb_test_servers_info (engine, "bb_ref");
          info->port = ports[p];
          assert_backup_fails (info, tmp, BB_DATABASE_ERROR_UNREACHABLE);
        }

      g_clear_pointer (&info, bb_connection_info_free);
      info = bb_test_servers_info (engine, missing);
      assert_backup_fails (info, tmp, BB_DATABASE_ERROR_NO_SUCH_DATABASE);

      bb_test_remove_tree (tmp);
    }
}

/* 5: not a Baby Buddy database */

static void
test_not_babybuddy (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (server_engines); i++)
    {
      BbEngine engine = server_engines[i];
      g_autofree char *tmp = bb_test_make_tmpdir ();
      g_autofree char *name = db_name ("empty");
      g_autofree char *sql = NULL;
      g_autoptr(BbConnectionInfo) info = bb_test_servers_info (engine, name);

      g_test_message ("engine %s", engine_code (engine));
      drop_database (engine, name);
      if (engine == BB_ENGINE_POSTGRESQL)
        sql = g_strdup_printf ("CREATE DATABASE \"%s\" OWNER bbtest", name);
      else
        sql = g_strdup_printf ("CREATE DATABASE `%s`", name);
      g_free (server_sql (engine, admin_database (engine), sql));

      /* Empty. */
      assert_backup_fails (info, tmp, BB_DATABASE_ERROR_NOT_BABYBUDDY);

      /* Some other application's tables. */
      g_free (server_sql (engine, name,
                          "CREATE TABLE app_thing (id integer PRIMARY KEY, name varchar(20));"
                          "INSERT INTO app_thing VALUES (1, 'x');"));
      if (engine == BB_ENGINE_POSTGRESQL)
        g_free (server_sql (engine, name, "ALTER TABLE app_thing OWNER TO bbtest"));
      assert_backup_fails (info, tmp, BB_DATABASE_ERROR_NOT_BABYBUDDY);

      drop_database (engine, name);
      bb_test_remove_tree (tmp);
    }
}

/* 6: emoji */

static char *
hex_of (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const guchar *p = (const guchar *) text; *p; p++)
    g_string_append_printf (out, "%02x", *p);
  return g_string_free (out, FALSE);
}

static void
test_emoji (void)
{
  static const char *note = "Schläft 👶🍼 — gut";

  for (gsize i = 0; i < G_N_ELEMENTS (server_engines); i++)
    {
      BbEngine engine = server_engines[i];
      g_autofree char *tmp = bb_test_make_tmpdir ();
      g_autofree char *name = clone_reference (engine, "emoji");
      g_autofree char *hex = hex_of (note);
      g_autofree char *sql = NULL;
      g_autofree char *stored = NULL;
      g_autofree char *line = NULL;
      g_autofree char *expected = NULL;
      g_autoptr(BbConnectionInfo) info = bb_test_servers_info (engine, name);
      g_autoptr(GHashTable) entries = NULL;
      g_autoptr(JsonObject) object = NULL;
      JsonObject *fields;

      g_test_message ("engine %s", engine_code (engine));
      /* Hex, so that no client character set can get in the way. */
      if (engine == BB_ENGINE_POSTGRESQL)
        sql = g_strdup_printf ("UPDATE core_note SET note = convert_from(decode('%s', 'hex'), 'UTF8') "
                               "WHERE id = 1", hex);
      else
        sql = g_strdup_printf ("UPDATE core_note SET note = CONVERT(X'%s' USING utf8mb4) WHERE id = 1",
                               hex);
      g_free (server_sql (engine, name, sql));
      stored = server_sql (engine, name, engine == BB_ENGINE_POSTGRESQL
                           ? "SELECT encode(convert_to(note, 'UTF8'), 'hex') FROM core_note WHERE id = 1"
                           : "SELECT LOWER(HEX(note)) FROM core_note WHERE id = 1");
      g_assert_cmpstr (g_strstrip (stored), ==, hex);

      entries = backup_entries (info, tmp);
      line = object_line (entry (entries, "core/note.json"), "core.note", "1");
      g_assert_nonnull (line);
      g_test_message ("%s", line);
      /* Raw UTF-8, not \u escapes, not '?'. */
      expected = g_strdup_printf ("\"note\": \"%s\"", note);
      g_assert_nonnull (strstr (line, expected));
      object = parse_object (line, -1);
      fields = json_object_get_object_member (object, "fields");
      g_assert_cmpstr (json_object_get_string_member (fields, "note"), ==, note);

      drop_database (engine, name);
      bb_test_remove_tree (tmp);
    }
}

/* 7: a schema without rows */

static void
test_empty_schema (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (server_engines); i++)
    {
      BbEngine engine = server_engines[i];
      g_autofree char *tmp = bb_test_make_tmpdir ();
      g_autoptr(BbConnectionInfo) info = bb_test_servers_info (engine, "bb_schema");
      g_autoptr(GHashTable) entries = NULL;
      g_autoptr(JsonObject) metadata = NULL;
      GHashTableIter iter;
      gpointer key, value;
      guint files = 0;
      JsonArray *models;

      g_test_message ("engine %s", engine_code (engine));
      entries = backup_entries (info, tmp);
      metadata = metadata_of (entries);

      g_hash_table_iter_init (&iter, entries);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          gsize len;
          const char *data = g_bytes_get_data (value, &len);

          if (strcmp (key, "metadata.json") == 0)
            continue;
          files++;
          if (len != 3 || memcmp (data, "[]\n", 3) != 0)
            g_test_message ("%s is not \"[]\\n\": %.200s", (char *) key, data);
          g_assert_cmpmem (data, len, "[]\n", 3);
        }
      g_assert_cmpuint (files, >, 20);

      g_assert_cmpint (json_object_get_int_member (metadata, "total_records"), ==, 0);
      g_assert_cmpint (json_object_get_int_member (metadata, "models_count"), ==, files);
      models = json_object_get_array_member (metadata, "models");
      g_assert_cmpuint (json_array_get_length (models), ==, files);
      for (guint m = 0; m < json_array_get_length (models); m++)
        g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (models, m),
                                                     "records"), ==, 0);
      g_assert_cmpstr (json_object_get_string_member (metadata, "database_engine"), ==,
                       bb_engine_to_django (engine));

      bb_test_remove_tree (tmp);
    }
}

/* 8: the server connection goes away in the middle */

typedef struct {
  BbEngine     engine;
  const char  *db;
  gint         fired;
  guint        killed;
  guint64      done_at_kill;
  guint64      total_at_kill;
} KillRun;

/* Ends every connection of the test user to db; returns how many. */
static guint
kill_connections (BbEngine    engine,
                  const char *db)
{
  g_autofree char *sql = NULL;
  g_autofree char *out = NULL;
  guint killed = 0;

  if (engine == BB_ENGINE_POSTGRESQL)
    {
      /* OFFSET 0 keeps the filter ahead of the terminations; the timeout
       * waits until each backend has really gone. */
      sql = g_strdup_printf ("SELECT pg_terminate_backend(pid, 10000) FROM (SELECT pid FROM "
                             "pg_stat_activity WHERE usename = 'bbtest' AND datname = '%s' "
                             "OFFSET 0) AS s", db);
      out = server_sql (engine, admin_database (engine), sql);
      for (const char *p = out; *p; p++)
        killed += *p == 't';
    }
  else
    {
      g_auto(GStrv) ids = NULL;

      sql = g_strdup_printf ("SELECT id FROM information_schema.processlist "
                             "WHERE user = 'bbtest' AND db = '%s'", db);
      out = server_sql (engine, admin_database (engine), sql);
      ids = g_strsplit (g_strstrip (out), "\n", -1);
      for (guint i = 0; ids[i] != NULL; i++)
        {
          g_autofree char *kill = NULL;

          if (ids[i][0] == '\0')
            continue;
          kill = g_strdup_printf ("KILL CONNECTION %s", ids[i]);
          g_free (server_sql (engine, admin_database (engine), kill));
          killed++;
        }
    }
  return killed;
}

static void
kill_on_progress_cb (BbBackupJob *job,
                     GParamSpec  *pspec,
                     KillRun     *run)
{
  /* The first page is in: the producer is between two queries. */
  if (bb_backup_job_get_records_done (job) == 0)
    return;
  if (!g_atomic_int_compare_and_exchange (&run->fired, 0, 1))
    return;
  run->done_at_kill = bb_backup_job_get_records_done (job);
  run->total_at_kill = bb_backup_job_get_records_total (job);
  run->killed = kill_connections (run->engine, run->db);
}

static void
test_connection_lost (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (server_engines); i++)
    {
      BbEngine engine = server_engines[i];
      g_autofree char *tmp = bb_test_make_tmpdir ();
      g_autofree char *name = clone_reference (engine, "lost");
      g_autoptr(BbConnectionInfo) info = bb_test_servers_info (engine, name);
      g_autoptr(BbBackupJob) job = new_job (info, tmp);
      g_autoptr(GError) error = NULL;
      g_autofree char *path = NULL;
      KillRun run = { engine, name, 0, 0, 0, 0 };
      gint64 start;

      g_test_message ("engine %s", engine_code (engine));
      g_signal_connect (job, "notify::records-done", G_CALLBACK (kill_on_progress_cb), &run);
      start = g_get_monotonic_time ();
      path = bb_backup_job_run (job, NULL, &error);

      g_assert_true (run.fired);
      g_assert_cmpuint (run.killed, >=, 1);
      /* Killed in the middle, not at the end. */
      g_assert_cmpuint (run.done_at_kill, <, run.total_at_kill);
      if (path != NULL)
        g_test_message ("the backup succeeded after its connection was killed: %s", path);
      g_assert_null (path);
      g_assert_nonnull (error);
      g_test_message ("error: %s", error->message);
      g_assert_null (strstr (error->message, test_password ()));
      g_assert_cmpint (g_get_monotonic_time () - start, <, 60 * G_USEC_PER_SEC);
      /* No ZIP, no .babybuddy-backup-* temporary. */
      bb_test_assert_dir_empty (tmp);

      drop_database (engine, name);
      bb_test_remove_tree (tmp);
    }
}

/* 9: one snapshot */

typedef struct {
  BbEngine     engine;
  const char  *db;
  const char  *slug;
  gint         fired;
} InsertRun;

static void
insert_on_progress_cb (BbBackupJob *job,
                       GParamSpec  *pspec,
                       InsertRun   *run)
{
  g_autofree char *child = NULL;
  g_autofree char *feeding = NULL;
  const char *end = run->engine == BB_ENGINE_POSTGRESQL ? "\"end\"" : "`end`";

  if (!g_atomic_int_compare_and_exchange (&run->fired, 0, 1))
    return;
  /* Each in its own autocommit transaction, committed before the backup reads on. */
  child = g_strdup_printf ("INSERT INTO core_child (first_name, last_name, birth_date, slug, picture) "
                           "VALUES ('Snap', 'Shot', '2025-01-01', '%s', '')", run->slug);
  g_free (server_sql (run->engine, run->db, child));
  feeding = g_strdup_printf ("INSERT INTO core_feeding (start, %s, duration, type, method, amount, "
                             "child_id, notes) SELECT '2025-01-01 10:00:00', '2025-01-01 10:20:00', "
                             "NULL, 'formula', 'bottle', 42.0, id, 'during the backup' "
                             "FROM core_child WHERE slug = '%s'", end, run->slug);
  g_free (server_sql (run->engine, run->db, feeding));
}

static void
test_consistent_snapshot (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (server_engines); i++)
    {
      BbEngine engine = server_engines[i];
      g_autofree char *tmp = bb_test_make_tmpdir ();
      g_autofree char *name = clone_reference (engine, "snap");
      g_autoptr(BbConnectionInfo) info = bb_test_servers_info (engine, name);
      g_autoptr(BbBackupJob) job = new_job (info, tmp);
      g_autoptr(GError) error = NULL;
      g_autofree char *path = NULL;
      g_autofree char *children_before = server_count (engine, name, "core_child");
      g_autofree char *feedings_before = server_count (engine, name, "core_feeding");
      g_autofree char *children_after = NULL, *feedings_after = NULL;
      g_autoptr(GHashTable) entries = NULL;
      g_autoptr(JsonObject) metadata = NULL;
      InsertRun run = { engine, name, "snap-shot-during-backup", 0 };
      guint64 children = g_ascii_strtoull (children_before, NULL, 10);
      guint64 feedings = g_ascii_strtoull (feedings_before, NULL, 10);

      g_test_message ("engine %s", engine_code (engine));
      g_assert_cmpuint (children, >=, 1);
      g_assert_cmpuint (feedings, >, 5000);

      g_signal_connect (job, "notify::records-done", G_CALLBACK (insert_on_progress_cb), &run);
      path = bb_backup_job_run (job, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (path);
      g_assert_true (run.fired);

      /* The rows are in the database now... */
      children_after = server_count (engine, name, "core_child");
      feedings_after = server_count (engine, name, "core_feeding");
      g_assert_cmpuint (g_ascii_strtoull (children_after, NULL, 10), ==, children + 1);
      g_assert_cmpuint (g_ascii_strtoull (feedings_after, NULL, 10), ==, feedings + 1);

      /* ...but not in the backup, and its counts agree with what it holds. */
      entries = bb_test_read_zip (path);
      metadata = metadata_of (entries);
      g_assert_cmpuint (count_objects (entry (entries, "core/child.json")), ==, children);
      g_assert_cmpuint (count_objects (entry (entries, "core/feeding.json")), ==, feedings);
      g_assert_false (bytes_contain (entry (entries, "core/child.json"), run.slug));
      g_assert_false (bytes_contain (entry (entries, "core/feeding.json"), "during the backup"));
      g_assert_cmpint (json_object_get_int_member (metadata_model (metadata, "core.child"), "records"),
                       ==, children);
      g_assert_cmpint (json_object_get_int_member (metadata_model (metadata, "core.feeding"), "records"),
                       ==, feedings);
      g_assert_cmpuint (bb_backup_job_get_records_done (job), ==,
                        json_object_get_int_member (metadata, "total_records"));
      g_assert_cmpuint (bb_backup_job_get_records_total (job), ==,
                        json_object_get_int_member (metadata, "total_records"));

      drop_database (engine, name);
      bb_test_remove_tree (tmp);
    }
}

/* 10: a table the catalog does not know */

static void
test_unknown_table (void)
{
  static const char *expected =
    "[\n"
    "{\"model\": \"myplugin.widget\", \"pk\": 1, \"fields\": {\"name\": \"Gizmo\", "
    "\"created\": \"2024-05-06T07:08:09.123456Z\", \"amount\": 2.5, \"child\": 1}},\n"
    "{\"model\": \"myplugin.widget\", \"pk\": 2, \"fields\": {\"name\": \"Spr\\\"ocket\", "
    "\"created\": \"2023-01-02T03:04:05Z\", \"amount\": 1e-07, \"child\": null}}\n"
    "]\n";

  for (gsize i = 0; i < G_N_ELEMENTS (server_engines); i++)
    {
      BbEngine engine = server_engines[i];
      g_autofree char *tmp = bb_test_make_tmpdir ();
      g_autofree char *name = clone_reference (engine, "plugin");
      g_autoptr(BbConnectionInfo) info = bb_test_servers_info (engine, name);
      g_autoptr(GHashTable) entries = NULL;
      g_autoptr(JsonObject) metadata = NULL;
      g_autoptr(JsonObject) object = NULL;
      g_autofree char *line = NULL;
      JsonObject *fields, *model;
      JsonArray *unknown;
      GBytes *file;

      g_test_message ("engine %s", engine_code (engine));
      if (engine == BB_ENGINE_POSTGRESQL)
        {
          g_free (server_sql (engine, name,
                              "CREATE TABLE myplugin_widget (id integer PRIMARY KEY, "
                              "name varchar(50), created timestamp(6), amount double precision, "
                              "child_id int REFERENCES core_child(id));"
                              "ALTER TABLE myplugin_widget OWNER TO bbtest;"));
        }
      else
        {
          g_free (server_sql (engine, name,
                              "CREATE TABLE myplugin_widget (id integer PRIMARY KEY, "
                              "name varchar(50), created datetime(6), amount double, "
                              "child_id int, FOREIGN KEY (child_id) REFERENCES core_child(id))"));
        }
      g_free (server_sql (engine, name,
                          "INSERT INTO myplugin_widget VALUES "
                          "(2, 'Spr\"ocket', '2023-01-02 03:04:05', 1e-7, NULL), "
                          "(1, 'Gizmo', '2024-05-06 07:08:09.123456', 2.5, 1)"));

      entries = backup_entries (info, tmp);
      file = entry (entries, "myplugin/widget.json");
      if (g_bytes_get_size (file) != strlen (expected)
          || memcmp (g_bytes_get_data (file, NULL), expected, strlen (expected)) != 0)
        g_test_message ("myplugin/widget.json:\n%.*s", (int) g_bytes_get_size (file),
                        (const char *) g_bytes_get_data (file, NULL));
      g_assert_cmpmem (g_bytes_get_data (file, NULL), g_bytes_get_size (file),
                       expected, strlen (expected));

      /* The types, field by field. */
      line = object_line (file, "myplugin.widget", "1");
      g_assert_nonnull (line);
      object = parse_object (line, -1);
      g_assert_cmpint (json_object_get_int_member (object, "pk"), ==, 1);
      fields = json_object_get_object_member (object, "fields");
      g_assert_cmpuint (json_object_get_size (fields), ==, 4);
      g_assert_cmpint (json_node_get_value_type (json_object_get_member (fields, "name")), ==, G_TYPE_STRING);
      g_assert_cmpint (json_node_get_value_type (json_object_get_member (fields, "created")), ==, G_TYPE_STRING);
      g_assert_true (g_str_has_suffix (json_object_get_string_member (fields, "created"), "Z"));
      g_assert_cmpint (json_node_get_value_type (json_object_get_member (fields, "amount")), ==, G_TYPE_DOUBLE);
      g_assert_cmpint (json_node_get_value_type (json_object_get_member (fields, "child")), ==, G_TYPE_INT64);
      g_assert_false (json_object_has_member (fields, "child_id"));

      metadata = metadata_of (entries);
      unknown = json_object_get_array_member (metadata, "unknown_tables");
      g_assert_cmpuint (json_array_get_length (unknown), ==, 1);
      g_assert_cmpstr (json_array_get_string_element (unknown, 0), ==, "myplugin_widget");
      model = metadata_model (metadata, "myplugin.widget");
      g_assert_nonnull (model);
      g_assert_cmpstr (json_object_get_string_member (model, "file"), ==, "myplugin/widget.json");
      g_assert_cmpint (json_object_get_int_member (model, "records"), ==, 2);

      drop_database (engine, name);
      bb_test_remove_tree (tmp);
    }
}

/* A socket folder as host, percent-encoded, as dj-database-url users write it:
 * PostgreSQL's socket folder, and MariaDB's folder (mysqld.sock inside). */
static void
test_socket_folder_host (void)
{
  g_autofree char *password = g_uri_escape_string (bb_test_servers_password (), NULL, FALSE);
  g_autofree char *mysql_dir = g_path_get_dirname (bb_test_servers_socket (BB_ENGINE_MYSQL));
  const char *folders[] = { bb_test_servers_socket (BB_ENGINE_POSTGRESQL), mysql_dir };
  const char *schemes[] = { "postgres", "mariadb" };

  g_assert_true (g_str_has_suffix (bb_test_servers_socket (BB_ENGINE_MYSQL), "/mysqld.sock"));
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *dir = bb_test_make_tmpdir ();
      g_autofree char *host = g_uri_escape_string (folders[i], NULL, FALSE);
      g_autoptr(BbConnectionInfo) info = bb_test_servers_info (BB_ENGINE_POSTGRESQL, "bb_ref");
      /* libpq names the socket after the port: the test server's is not 5432. */
      g_autofree char *port = i == 0 ? g_strdup_printf (":%u", info->port) : g_strdup ("");
      g_autofree char *url = g_strdup_printf ("%s://bbtest:%s@%s%s/bb_ref", schemes[i], password, host, port);
      const char *argv[] = { "backup", "--database", url, "--output", dir, NULL };
      g_autofree char *out = NULL, *err = NULL;

      g_assert_nonnull (strstr (url, "%2F"));
      if (bb_test_run_cli (argv, NULL, &out, &err) != 0)
        g_error ("%s over its socket: %s", schemes[i], err);
      g_assert_true (g_str_has_prefix (out, dir));
      bb_test_remove_tree (dir);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  bb_test_servers_start ();

  g_test_add_func ("/bb/backup/servers/identical-across-engines", test_identical_across_engines);
  g_test_add_func ("/bb/backup/servers/password-quoting", test_password_quoting);
  g_test_add_func ("/bb/backup/servers/wrong-password", test_wrong_password);
  g_test_add_func ("/bb/backup/servers/unreachable", test_unreachable);
  g_test_add_func ("/bb/backup/servers/not-babybuddy", test_not_babybuddy);
  g_test_add_func ("/bb/backup/servers/emoji", test_emoji);
  g_test_add_func ("/bb/backup/servers/empty-schema", test_empty_schema);
  g_test_add_func ("/bb/backup/servers/connection-lost", test_connection_lost);
  g_test_add_func ("/bb/backup/servers/consistent-snapshot", test_consistent_snapshot);
  g_test_add_func ("/bb/backup/servers/unknown-table", test_unknown_table);
  g_test_add_func ("/bb/backup/servers/socket-folder-host", test_socket_folder_host);

  return g_test_run ();
}
