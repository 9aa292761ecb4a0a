/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-test-util.c: shared test helpers, see bb-test-util.h. */

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zip.h>

#include "bb-backup-job.h"
#include "bb-dialect.h"
#include "bb-schema.h"
#include "bb-test-util.h"

#define TEST_PASSWORD_FALLBACK "bb'te\\st@pa:ss%"

const char *
bb_test_source_dir (void)
{
  const char *dir = g_getenv ("BB_SOURCE_DIR");

  g_assert_nonnull (dir);
  return dir;
}

gboolean
bb_test_same_double (double a,
                     double b)
{
  return a == b || (g_getenv ("BB_VALGRIND") != NULL && fabs (a - b) <= 1e-14 * fabs (a));
}

/* The same text, but numbers only as close as bb_test_same_double asks. */
static gboolean
same_text_but_doubles (const char *a,
                       const char *b)
{
  while (*a != '\0' && *b != '\0')
    {
      if (g_ascii_isdigit (*a) && g_ascii_isdigit (*b))
        {
          char *end_a, *end_b;
          double x = g_ascii_strtod (a, &end_a), y = g_ascii_strtod (b, &end_b);

          if (!bb_test_same_double (x, y))
            return FALSE;
          a = end_a;
          b = end_b;
          continue;
        }
      if (*a++ != *b++)
        return FALSE;
    }
  return *a == *b;
}

gboolean
bb_test_same_text (const char *a,
                   const char *b)
{
  return strcmp (a, b) == 0 || (g_getenv ("BB_VALGRIND") != NULL && same_text_but_doubles (a, b));
}

gboolean
bb_test_same_model_file (GBytes *a,
                         GBytes *b)
{
  g_autofree char *text_a = NULL, *text_b = NULL;

  if (g_bytes_equal (a, b))
    return TRUE;
  if (g_getenv ("BB_VALGRIND") == NULL)
    return FALSE;
  text_a = g_strndup (g_bytes_get_data (a, NULL), g_bytes_get_size (a));
  text_b = g_strndup (g_bytes_get_data (b, NULL), g_bytes_get_size (b));
  return same_text_but_doubles (text_a, text_b);
}

const char *
bb_test_shared_dir (void)
{
  static char *dir;

  if (dir == NULL)
    {
      const char *env = g_getenv ("BB_SHARED_DIR");
      g_autofree char *guess = g_build_filename (bb_test_source_dir (), "..", "shared", NULL);

      dir = g_canonicalize_filename (env ? env : guess, NULL);
      if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
        g_error ("The shared reference data is missing: %s (set BB_SHARED_DIR)", dir);
    }
  return dir;
}

const char *
bb_test_cli_path (void)
{
  const char *cli = g_getenv ("BB_CLI");

  g_assert_nonnull (cli);
  return cli;
}

char *
bb_test_make_tmpdir (void)
{
  /* /dev/shm is much faster for the servers' files on this kind of machine. */
  const char *base = g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) ? "/dev/shm" : g_get_tmp_dir ();
  g_autofree char *tmpl = g_build_filename (base, "bbtest-XXXXXX", NULL);
  char *dir = g_mkdtemp (g_steal_pointer (&tmpl));

  g_assert_nonnull (dir);
  return dir;
}

void
bb_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (path == NULL)
    return;
  dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            bb_test_remove_tree (child);
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autofree char *contents = NULL;
  gsize len;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (from, &contents, &len, &error);
  g_assert_no_error (error);
  g_file_set_contents (to, contents, len, &error);
  g_assert_no_error (error);
}

char *
bb_test_copy_reference_sqlite (const char *dir)
{
  g_autofree char *from = g_build_filename (bb_test_shared_dir (), "babybuddy", "sqlite", "db.sqlite3", NULL);
  char *to = g_build_filename (dir, "db.sqlite3", NULL);

  copy_file (from, to);
  return to;
}

void
bb_test_sqlite_exec (const char *path,
                     const char *sql)
{
  const char *argv[] = { "sqlite3", path, sql, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                NULL, NULL, NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("sqlite3 failed on %s: %s", sql, err);
}

char *
bb_test_make_empty_sqlite (const char *dir)
{
  char *path = bb_test_copy_reference_sqlite (dir);

  /* What a freshly migrated database keeps: tables and the rows migrations insert. */
  bb_test_sqlite_exec (path,
                       "PRAGMA foreign_keys=OFF; BEGIN;"
                       "DELETE FROM core_tagged; DELETE FROM core_tag; DELETE FROM core_bmi;"
                       "DELETE FROM core_diaperchange; DELETE FROM core_feeding;"
                       "DELETE FROM core_headcircumference; DELETE FROM core_height;"
                       "DELETE FROM core_medication; DELETE FROM core_note; DELETE FROM core_pumping;"
                       "DELETE FROM core_sleep; DELETE FROM core_temperature; DELETE FROM core_timer;"
                       "DELETE FROM core_tummytime; DELETE FROM core_weight; DELETE FROM core_child;"
                       "DELETE FROM auth_user_groups; DELETE FROM auth_user_user_permissions;"
                       "DELETE FROM authtoken_token; DELETE FROM axes_accessattempt;"
                       "DELETE FROM axes_accesslog; DELETE FROM django_admin_log;"
                       "DELETE FROM django_session; DELETE FROM cache_default;"
                       "DELETE FROM babybuddy_settings WHERE user_id <> 1;"
                       "DELETE FROM auth_user WHERE id <> 1;"
                       "DELETE FROM auth_group_permissions WHERE group_id <> 1;"
                       "DELETE FROM auth_group WHERE id <> 1; COMMIT;");
  return path;
}

GHashTable *
bb_test_read_zip (const char *path)
{
  GHashTable *entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) g_bytes_unref);
  zip_t *zip;
  int err = 0;

  zip = zip_open (path, ZIP_RDONLY | ZIP_CHECKCONS, &err);
  g_assert_nonnull (zip);
  for (zip_int64_t i = 0; i < zip_get_num_entries (zip, 0); i++)
    {
      zip_stat_t st;
      zip_file_t *file;
      guint8 *buf;

      g_assert_cmpint (zip_stat_index (zip, i, 0, &st), ==, 0);
      buf = g_malloc (st.size + 1);
      file = zip_fopen_index (zip, i, 0);
      g_assert_nonnull (file);
      g_assert_cmpint (zip_fread (file, buf, st.size), ==, (zip_int64_t) st.size);
      zip_fclose (file);
      buf[st.size] = '\0';
      g_hash_table_insert (entries, g_strdup (st.name), g_bytes_new_take (buf, st.size));
    }
  zip_close (zip);
  return entries;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

GStrv
bb_test_list_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  GPtrArray *names = g_ptr_array_new ();
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (names, FALSE);
}

void
bb_test_assert_dir_empty (const char *dir)
{
  g_auto(GStrv) names = bb_test_list_dir (dir);

  for (guint i = 0; names[i] != NULL; i++)
    g_test_message ("left behind in %s: %s", dir, names[i]);
  g_assert_cmpuint (g_strv_length (names), ==, 0);
}

int
bb_test_run_cli (const char * const *argv,
                 const char * const *envp,
                 char              **out,
                 char              **err)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *o = NULL, *e = NULL;
  int status;

  g_ptr_array_add (args, (gpointer) bb_test_cli_path ());
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);

  g_spawn_sync (NULL, (char **) args->pdata, (char **) envp, G_SPAWN_DEFAULT, NULL, NULL,
                &o, &e, &status, &error);
  g_assert_no_error (error);
  if (out)
    *out = g_steal_pointer (&o);
  if (err)
    *err = g_steal_pointer (&e);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

int
bb_test_run_cli_unprivileged (const char * const *argv,
                              const char * const *envp,
                              char              **err)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status;

  if (getuid () == 0)
    {
      g_ptr_array_add (args, "runuser");
      g_ptr_array_add (args, "-u");
      g_ptr_array_add (args, "nobody");
      g_ptr_array_add (args, "--");
    }
  g_ptr_array_add (args, (gpointer) bb_test_cli_path ());
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);

  g_spawn_sync ("/", (char **) args->pdata, (char **) envp, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                NULL, NULL, NULL, err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

/* Servers */

static char *servers_dir;
static gboolean servers_owned;
static char *servers_env_pg_port, *servers_env_mysql_port, *servers_env_password;
static char *servers_env_pg_socket_dir, *servers_env_mysql_socket;

static char *
servers_script (void)
{
  return g_build_filename (bb_test_source_dir (), "tests", "servers.sh", NULL);
}

static char *
run_script (const char * const *args,
            gboolean            must_succeed)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *script = servers_script ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status;

  g_ptr_array_add (argv, "bash");
  g_ptr_array_add (argv, script);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  if (must_succeed && !g_spawn_check_wait_status (status, NULL))
    g_error ("servers.sh %s failed: %s", args[0], err);
  return out;
}

static char *
env_value (const char *env_text,
           const char *name)
{
  g_auto(GStrv) lines = g_strsplit (env_text, "\n", -1);
  g_autofree char *prefix = g_strdup_printf ("export %s=", name);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], prefix))
        {
          g_autoptr(GError) error = NULL;
          char *value = g_shell_unquote (lines[i] + strlen (prefix), &error);

          g_assert_no_error (error);
          return value;
        }
    }
  g_error ("servers.sh env lacks %s", name);
  return NULL;
}

static void
servers_stop_at_exit (void)
{
  if (servers_owned && servers_dir != NULL)
    {
      const char *args[] = { "stop", servers_dir, NULL };
      g_free (run_script (args, FALSE));
      bb_test_remove_tree (servers_dir);
    }
}

void
bb_test_servers_start (void)
{
  g_autofree char *env_text = NULL;
  g_autofree char *env_file = NULL;

  if (servers_dir != NULL)
    return;

  if (g_getenv ("BB_TEST_SERVERS_DIR") != NULL)
    servers_dir = g_strdup (g_getenv ("BB_TEST_SERVERS_DIR"));
  else
    {
      const char *args[] = { "start", NULL, NULL };

      g_autofree char *script = servers_script ();
      g_autofree char *q_script = NULL, *q_dir = NULL, *watch = NULL;
      const char *watcher[] = { "sh", "-c", NULL, NULL };
      g_autoptr(GError) error = NULL;

      servers_dir = bb_test_make_tmpdir ();
      args[1] = servers_dir;
      servers_owned = TRUE;
      atexit (servers_stop_at_exit);

      /* A failed assertion aborts and skips atexit: a watcher outlives this
       * process and stops the servers whatever way it ends. */
      q_script = g_shell_quote (script);
      q_dir = g_shell_quote (servers_dir);
      watch = g_strdup_printf ("while kill -0 %d 2>/dev/null; do sleep 1; done; "
                               "bash %s stop %s >/dev/null 2>&1; rm -rf %s",
                               (int) getpid (), q_script, q_dir, q_dir);
      watcher[2] = watch;
      g_spawn_async (NULL, (char **) watcher, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, &error);
      g_assert_no_error (error);
      g_free (run_script (args, TRUE));
    }

  env_file = g_build_filename (servers_dir, "env", NULL);
  g_assert_true (g_file_get_contents (env_file, &env_text, NULL, NULL));
  servers_env_pg_port = env_value (env_text, "BB_TEST_PG_PORT");
  servers_env_mysql_port = env_value (env_text, "BB_TEST_MYSQL_PORT");
  servers_env_password = env_value (env_text, "BB_TEST_DB_PASSWORD");
  servers_env_pg_socket_dir = env_value (env_text, "BB_TEST_PG_SOCKET_DIR");
  servers_env_mysql_socket = env_value (env_text, "BB_TEST_MYSQL_SOCKET");
  g_assert_cmpstr (servers_env_password, ==, TEST_PASSWORD_FALLBACK);
}

void
bb_test_servers_clone (const char *engine,
                       const char *src,
                       const char *dst)
{
  const char *args[] = { "clone", servers_dir, engine, src, dst, NULL };

  g_assert_nonnull (servers_dir);
  g_free (run_script (args, TRUE));
}

char *
bb_test_servers_sql (const char *engine,
                     const char *db,
                     const char *sql)
{
  const char *args[] = { "sql", servers_dir, engine, db, sql, NULL };

  g_assert_nonnull (servers_dir);
  return run_script (args, TRUE);
}

gboolean
bb_test_servers_owned (void)
{
  g_assert_nonnull (servers_dir);
  return servers_owned;
}

void
bb_test_servers_stop (const char *engine)
{
  const char *args[] = { "stop", servers_dir, engine, NULL };

  g_assert_true (servers_owned);
  g_free (run_script (args, TRUE));
}

void
bb_test_servers_restart (const char *engine)
{
  const char *args[] = { "restart", servers_dir, engine, NULL };

  g_assert_true (servers_owned);
  g_free (run_script (args, TRUE));
}

BbConnectionInfo *
bb_test_servers_info (BbEngine    engine,
                      const char *db)
{
  BbConnectionInfo *info = g_new0 (BbConnectionInfo, 1);

  g_assert_nonnull (servers_dir);
  info->engine = engine;
  info->host = g_strdup ("127.0.0.1");
  info->port = atoi (engine == BB_ENGINE_POSTGRESQL ? servers_env_pg_port : servers_env_mysql_port);
  info->name = g_strdup (db);
  info->user = g_strdup ("bbtest");
  info->password = g_strdup (servers_env_password);
  return info;
}

char *
bb_test_servers_url (BbEngine    engine,
                     const char *db)
{
  g_autofree char *password = g_uri_escape_string (servers_env_password, NULL, FALSE);

  g_assert_nonnull (servers_dir);
  return g_strdup_printf ("%s://bbtest:%s@127.0.0.1:%s/%s",
                          engine == BB_ENGINE_POSTGRESQL ? "postgres" : "mysql",
                          password,
                          engine == BB_ENGINE_POSTGRESQL ? servers_env_pg_port : servers_env_mysql_port,
                          db);
}

const char *
bb_test_servers_socket (BbEngine engine)
{
  g_assert_nonnull (servers_dir);
  return engine == BB_ENGINE_POSTGRESQL ? servers_env_pg_socket_dir : servers_env_mysql_socket;
}

const char *
bb_test_servers_password (void)
{
  g_assert_nonnull (servers_dir);
  return servers_env_password;
}

/* The servers hold the reference data as loaded from Django's dumpdata, which
 * truncates datetimes and times to milliseconds (README.md); the SQLite file
 * still has every microsecond. Same data means cutting the copy to the same
 * precision; everything else is compared byte for byte. */
void
bb_test_truncate_sqlite_to_ms (const char *path)
{
  g_autoptr(BbConnectionInfo) info = g_new0 (BbConnectionInfo, 1);
  g_autoptr(BbDatabase) db = NULL;
  g_autoptr(BbRows) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) sql = g_string_new ("BEGIN;");

  info->engine = BB_ENGINE_SQLITE;
  info->path = g_strdup (path);
  db = bb_database_new (info);
  g_assert_true (bb_database_open (db, &error));
  g_assert_no_error (error);
  rows = bb_database_query (db,
                            "SELECT m.name, p.name, lower(p.type) FROM sqlite_master AS m "
                            "JOIN pragma_table_info(m.name) AS p WHERE m.type = 'table' "
                            "AND lower(p.type) IN ('datetime', 'time') ORDER BY 1, 2",
                            3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->n_rows, >, 10);
  bb_database_close (db);

  for (guint r = 0; r < rows->n_rows; r++)
    {
      const char *table = bb_rows_get (rows, r, 0);
      const char *column = bb_rows_get (rows, r, 1);
      /* "YYYY-MM-DD HH:MM:SS" or "HH:MM:SS", then ".ffffff" */
      int width = strcmp (bb_rows_get (rows, r, 2), "datetime") == 0 ? 19 : 8;

      g_string_append_printf (sql,
                              "UPDATE \"%s\" SET \"%s\" = substr(\"%s\", 1, %d) || '000' "
                              "WHERE length(\"%s\") = %d AND substr(\"%s\", %d, 1) = '.';",
                              table, column, column, width + 4, column, width + 7, column,
                              width + 1);
    }
  g_string_append (sql, "COMMIT;");
  bb_test_sqlite_exec (path, sql->str);
}

char *
bb_test_backup (const BbConnectionInfo *info,
                const char             *folder)
{
  g_autoptr(BbBackupJob) job = bb_backup_job_new (info, folder);
  g_autoptr(GError) error = NULL;
  char *path;

  bb_backup_job_set_timezone (job, "UTC");
  path = bb_backup_job_run (job, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (path);
  return path;
}

void
bb_test_assert_same_models (const char *expected_zip,
                            const char *actual_zip)
{
  g_autoptr(GHashTable) expected = bb_test_read_zip (expected_zip);
  g_autoptr(GHashTable) actual = bb_test_read_zip (actual_zip);
  GHashTableIter iter;
  gpointer name, bytes;

  g_hash_table_iter_init (&iter, expected);
  while (g_hash_table_iter_next (&iter, &name, &bytes))
    {
      GBytes *other;

      if (strcmp (name, "metadata.json") == 0)
        continue;
      other = g_hash_table_lookup (actual, name);
      if (other == NULL)
        g_error ("%s is missing from %s", (char *) name, actual_zip);
      if (!bb_test_same_model_file (bytes, other))
        {
          /* Name the first different line: that is what one needs to see. */
          g_auto(GStrv) a = g_strsplit (g_bytes_get_data (bytes, NULL), "\n", -1);
          g_auto(GStrv) b = g_strsplit (g_bytes_get_data (other, NULL), "\n", -1);
          for (guint i = 0; a[i] != NULL && b[i] != NULL; i++)
            if (strcmp (a[i], b[i]) != 0)
              g_error ("%s differs at line %u:\nexpected %s\nactual   %s", (char *) name, i + 1, a[i], b[i]);
          g_error ("%s differs in length", (char *) name);
        }
    }
  g_hash_table_iter_init (&iter, actual);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    if (!g_hash_table_contains (expected, name))
      g_error ("%s is in %s but not expected", (char *) name, actual_zip);
}

/* Every row of every table as text, sorted: equal dumps, equal databases. */
char *
bb_test_logical_dump (const BbConnectionInfo *info)
{
  g_autoptr(BbDatabase) db = bb_database_new (info);
  g_autoptr(GError) error = NULL;
  g_autoptr(BbRows) columns = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  BbEngine engine = info->engine;
  guint r = 0;

  g_assert_true (bb_database_open (db, &error));
  g_assert_no_error (error);
  columns = bb_database_query (db, bb_dialect_columns_query (engine), 6, &error);
  g_assert_no_error (error);

  while (r < columns->n_rows)
    {
      const char *table = bb_rows_get (columns, r, 0);
      g_autoptr(GString) sql = g_string_new ("SELECT ");
      g_autoptr(BbRows) rows = NULL;
      g_autofree char *qt = bb_dialect_quote_identifier (engine, table);
      guint n = 0;

      for (; r < columns->n_rows && strcmp (bb_rows_get (columns, r, 0), table) == 0; r++, n++)
        {
          if (n > 0)
            g_string_append (sql, ", ");
          bb_dialect_append_select_expr (engine, sql, bb_field_kind_from_sql (bb_rows_get (columns, r, 2)),
                                         bb_rows_get (columns, r, 1));
        }
      g_string_append_printf (sql, " FROM %s ORDER BY ", qt);
      for (guint i = 1; i <= n; i++)
        g_string_append_printf (sql, "%s%u", i > 1 ? ", " : "", i);
      rows = bb_database_query (db, sql->str, n, &error);
      g_assert_no_error (error);

      g_string_append_printf (out, "== %s (%u rows)\n", table, rows->n_rows);
      for (guint row = 0; row < rows->n_rows; row++)
        {
          for (guint c = 0; c < n; c++)
            {
              const char *cell = bb_rows_get (rows, row, c);
              g_string_append_printf (out, "%s%s", c ? "\t" : "", cell ? cell : "\\N");
            }
          g_string_append_c (out, '\n');
        }
    }
  bb_database_close (db);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

BbConnectionInfo *
bb_test_sqlite_info (const char *path)
{
  BbConnectionInfo *info = g_new0 (BbConnectionInfo, 1);

  info->engine = BB_ENGINE_SQLITE;
  info->path = g_strdup (path);
  return info;
}

