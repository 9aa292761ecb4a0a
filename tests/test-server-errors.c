/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-server-errors.c: what a user can run into with a PostgreSQL or
 * MariaDB server, on real servers of this program's own (tests/servers.sh):
 * the server stopped in the middle of a backup or a restore, a password
 * changed between the check and the restore, a user who may only read.
 * Each must end in a message that says so in plain words, no file left
 * behind and the database exactly as it was. */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "bb-backup-job.h"
#include "bb-database.h"
#include "bb-restore-job.h"
#include "bb-test-util.h"

static char *tmpdir;
static char *source_backup;   /* the reference data, backed up from SQLite */

/* Helpers */

static const char *
engine_code (BbEngine engine)
{
  g_assert_true (engine == BB_ENGINE_POSTGRESQL || engine == BB_ENGINE_MYSQL);
  return engine == BB_ENGINE_POSTGRESQL ? "pg" : "mysql";
}

/* A database name of this run: the servers may outlive one test program. */
static char *
db_name (const char *what)
{
  static guint counter;

  return g_strdup_printf ("bbe_%s_%d_%u", what, (int) getpid (), counter++);
}

static char *
make_folder (const char *what)
{
  static guint counter;
  char *path = g_strdup_printf ("%s/%s-%u", tmpdir, what, counter++);

  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
  return path;
}

static void
assert_message_has (const GError *error,
                    const char   *needle)
{
  g_assert_nonnull (error);
  if (strstr (error->message, needle) == NULL)
    g_error ("“%s” is not in the message “%s”", needle, error->message);
}

static const char *
admin_database (BbEngine engine)
{
  return engine == BB_ENGINE_POSTGRESQL ? "postgres" : "mysql";
}

static void
server_sql (BbEngine    engine,
            const char *db,
            const char *sql)
{
  g_free (bb_test_servers_sql (engine_code (engine), db, sql));
}

static BbRestoreJob *
new_restore_job (const BbConnectionInfo *target)
{
  BbRestoreJob *job = bb_restore_job_new (source_backup, target);
  g_autofree char *safety = make_folder ("safety");

  bb_restore_job_set_mode (job, BB_RESTORE_MODE_REPLACE);
  bb_restore_job_set_safety_dir (job, safety);
  return job;
}

/* The server stopped in the middle */

typedef struct {
  const char *engine;
  gint        fired;
  gboolean    checked;      /* restore: the check pass is over */
  guint64     done_at_stop;
  guint64     total_at_stop;
} StopRun;

static void
stop_during_backup_cb (BbBackupJob *job,
                       GParamSpec  *pspec,
                       StopRun     *run)
{
  /* The first page is in: the reader is between two queries. */
  if (bb_backup_job_get_records_done (job) == 0
      || !g_atomic_int_compare_and_exchange (&run->fired, 0, 1))
    return;
  run->done_at_stop = bb_backup_job_get_records_done (job);
  run->total_at_stop = bb_backup_job_get_records_total (job);
  bb_test_servers_stop (run->engine);
}

static void
test_stopped_during_backup (gconstpointer data)
{
  BbEngine engine = GPOINTER_TO_INT (data);
  g_autofree char *out = make_folder ("out");
  g_autoptr(BbConnectionInfo) info = bb_test_servers_info (engine, "bb_ref");
  g_autoptr(BbBackupJob) job = bb_backup_job_new (info, out);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  StopRun run = { engine_code (engine), 0, FALSE, 0, 0 };

  if (!bb_test_servers_owned ())
    {
      g_test_skip ("the servers are shared with other tests ($BB_TEST_SERVERS_DIR)");
      return;
    }

  bb_backup_job_set_timezone (job, "UTC");
  g_signal_connect (job, "notify::records-done", G_CALLBACK (stop_during_backup_cb), &run);
  path = bb_backup_job_run (job, NULL, &error);
  bb_test_servers_restart (run.engine);

  g_assert_true (run.fired);
  g_assert_cmpuint (run.done_at_stop, <, run.total_at_stop);
  g_assert_null (path);
  g_assert_error (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_CONNECTION_LOST);
  assert_message_has (error, "The connection to the database server was lost");
  g_assert_null (strstr (error->message, bb_test_servers_password ()));
  /* No ZIP and no temporary file. */
  bb_test_assert_dir_empty (out);
}

static void
stop_during_restore_cb (BbRestoreJob *job,
                        GParamSpec   *pspec,
                        StopRun      *run)
{
  guint64 done = bb_restore_job_get_records_done (job);
  guint64 total = bb_restore_job_get_records_total (job);

  /* The check pass ends with every record seen; the load starts again at 0
   * and writes in batches, all in one transaction. Stop after some of them. */
  if (!run->checked)
    {
      run->checked = total > 0 && done == total;
      return;
    }
  if (done < 10000 || !g_atomic_int_compare_and_exchange (&run->fired, 0, 1))
    return;
  run->done_at_stop = done;
  run->total_at_stop = total;
  bb_test_servers_stop (run->engine);
}

static void
test_stopped_during_restore (gconstpointer data)
{
  BbEngine engine = GPOINTER_TO_INT (data);
  g_autofree char *name = db_name ("stopped");
  g_autoptr(BbConnectionInfo) target = NULL;
  g_autoptr(BbRestoreJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL, *after = NULL;
  StopRun run = { engine_code (engine), 0, FALSE, 0, 0 };

  if (!bb_test_servers_owned ())
    {
      g_test_skip ("the servers are shared with other tests ($BB_TEST_SERVERS_DIR)");
      return;
    }

  bb_test_servers_clone (run.engine, "bb_fresh", name);
  target = bb_test_servers_info (engine, name);
  before = bb_test_logical_dump (target);
  job = new_restore_job (target);
  g_signal_connect (job, "notify::records-done", G_CALLBACK (stop_during_restore_cb), &run);
  g_assert_false (bb_restore_job_run (job, NULL, &error));
  bb_test_servers_restart (run.engine);

  g_assert_true (run.fired);
  g_assert_cmpuint (run.done_at_stop, <, run.total_at_stop);
  g_assert_error (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_CONNECTION_LOST);
  assert_message_has (error, "Your data has not been changed.");
  assert_message_has (error, "The connection to the database server was lost");
  g_assert_null (strstr (error->message, bb_test_servers_password ()));

  /* The server rolled the transaction back: every row as it was. */
  after = bb_test_logical_dump (target);
  g_assert_cmpstr (before, ==, after);
}

/* A server process killed in the middle of a statement */

typedef struct {
  BbEngine engine;
  gboolean killed;
} KillQuery;

#define KILL_MARKER "bb-kill-me"

/* Waits for the statement that holds the marker to run on the server, then
 * kills the server process that runs it (PostgreSQL: as a crash or the
 * out-of-memory killer would, no goodbye to the client) or, on MariaDB, its
 * connection. */
static gpointer
kill_query_thread (gpointer user_data)
{
  KillQuery *kill = user_data;
  const char *sql = kill->engine == BB_ENGINE_POSTGRESQL
                    ? "SELECT pid FROM pg_stat_activity WHERE state = 'active' "
                      "AND query LIKE '%" KILL_MARKER "%' AND pid <> pg_backend_pid()"
                    : "SELECT id FROM information_schema.processlist "
                      "WHERE info LIKE '%" KILL_MARKER "%' AND id <> CONNECTION_ID()";

  for (guint i = 0; i < 100 && !kill->killed; i++)
    {
      g_autofree char *id = bb_test_servers_sql (engine_code (kill->engine),
                                                 admin_database (kill->engine), sql);

      g_strstrip (id);
      if (id[0] != '\0' && kill->engine == BB_ENGINE_POSTGRESQL)
        {
          g_autofree char *command = g_strdup_printf ("kill -KILL %s", id);
          kill->killed = g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
        }
      else if (id[0] != '\0')
        {
          g_autofree char *command = g_strdup_printf ("KILL CONNECTION %s", id);
          server_sql (kill->engine, admin_database (kill->engine), command);
          kill->killed = TRUE;
        }
      else
        g_usleep (100 * 1000);
    }
  return NULL;
}

/* PostgreSQL ends every session after a server process crashed, and takes a
 * moment to take connections again. */
static void
wait_for_server (BbEngine engine)
{
  g_autoptr(BbConnectionInfo) info = bb_test_servers_info (engine, "bb_ref");

  for (guint i = 0; i < 300; i++)
    {
      g_autoptr(BbDatabase) db = bb_database_new (info);

      if (bb_database_open (db, NULL))
        return;
      g_usleep (100 * 1000);
    }
  g_error ("the %s server did not come back", engine_code (engine));
}

static void
test_killed_mid_statement (gconstpointer data)
{
  KillQuery kill = { GPOINTER_TO_INT (data), FALSE };
  g_autoptr(BbConnectionInfo) info = bb_test_servers_info (kill.engine, "bb_ref");
  g_autoptr(BbDatabase) db = bb_database_new (info);
  g_autoptr(BbDatabase) locker = bb_database_new (info);
  g_autoptr(GError) error = NULL;
  g_autoptr(BbRows) rows = NULL;
  GThread *killer;
  gint64 start;

  if (!bb_test_servers_owned ())
    {
      g_test_skip ("the servers are shared with other tests ($BB_TEST_SERVERS_DIR)");
      return;
    }

  g_assert_true (bb_database_open (db, &error));
  g_assert_no_error (error);
  /* PostgreSQL: the statement waits for a lock while it is being prepared,
   * where libgda 5.2 crashed on the error of a connection gone. */
  if (kill.engine == BB_ENGINE_POSTGRESQL)
    {
      g_assert_true (bb_database_open (locker, &error));
      g_assert_true (bb_database_execute (locker, "BEGIN", &error));
      g_assert_true (bb_database_execute (locker, "LOCK TABLE core_note IN ACCESS EXCLUSIVE MODE", &error));
      g_assert_no_error (error);
    }
  killer = g_thread_new ("killer", kill_query_thread, &kill);
  start = g_get_monotonic_time ();
  rows = bb_database_query (db, kill.engine == BB_ENGINE_POSTGRESQL
                                ? "SELECT '" KILL_MARKER "', note FROM core_note"
                                : "SELECT '" KILL_MARKER "', SLEEP(20)", 2, &error);
  g_thread_join (killer);
  wait_for_server (kill.engine);

  g_assert_true (kill.killed);
  g_assert_null (rows);
  g_assert_error (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_CONNECTION_LOST);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 15 * G_USEC_PER_SEC);
  /* And the next statement says the same, it does not crash either. */
  g_clear_error (&error);
  g_assert_false (bb_database_execute (db, "SELECT 1", &error));
  g_assert_error (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_CONNECTION_LOST);
}

/* Logins of their own */

/* A fresh copy of what Baby Buddy's migrations leave (a restore would change
 * it) and a login for it alone, so that changing the login touches no other
 * test, with these rights. */
typedef enum {
  RIGHTS_OWNER,               /* what the owner may do */
  RIGHTS_READ,                /* read only */
  RIGHTS_TABLES,              /* PostgreSQL: change the tables, not their sequences */
  RIGHTS_TABLES_SEQUENCES,    /* PostgreSQL: change the tables and set their sequences */
} Rights;

typedef struct {
  BbConnectionInfo *owner;    /* the test user, who owns the database */
  BbConnectionInfo *login;    /* the login of this test */
  char             *before;   /* every row, before the test */
} Target;

static void
target_set_up (Target     *t,
               BbEngine    engine,
               const char *password,
               Rights      rights)
{
  g_autofree char *db = db_name ("db");
  g_autofree char *user = db_name ("user");
  g_autofree char *create = NULL, *grant = NULL;

  bb_test_servers_clone (engine_code (engine), "bb_fresh", db);
  if (engine == BB_ENGINE_POSTGRESQL)
    {
      create = g_strdup_printf ("CREATE ROLE \"%s\" LOGIN PASSWORD '%s'", user, password);
      if (rights == RIGHTS_OWNER)
        grant = g_strdup_printf ("GRANT bbtest TO \"%s\"", user);
      else
        grant = g_strdup_printf ("GRANT %s ON ALL TABLES IN SCHEMA public TO \"%s\"",
                                 rights == RIGHTS_READ ? "SELECT" : "SELECT, INSERT, UPDATE, DELETE",
                                 user);
    }
  else
    {
      g_assert_true (rights == RIGHTS_OWNER || rights == RIGHTS_READ);
      create = g_strdup_printf ("CREATE USER '%s'@'127.0.0.1' IDENTIFIED BY '%s'", user, password);
      grant = g_strdup_printf ("GRANT %s ON `%s`.* TO '%s'@'127.0.0.1'",
                               rights == RIGHTS_READ ? "SELECT" : "ALL PRIVILEGES", db, user);
    }
  server_sql (engine, admin_database (engine), create);
  server_sql (engine, db, grant);
  if (rights == RIGHTS_TABLES_SEQUENCES)
    {
      g_autofree char *sequences =
        g_strdup_printf ("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO \"%s\"", user);
      server_sql (engine, db, sequences);
    }

  t->owner = bb_test_servers_info (engine, db);
  t->login = bb_test_servers_info (engine, db);
  g_free (t->login->user);
  t->login->user = g_steal_pointer (&user);
  bb_connection_info_set_password (t->login, password);
  t->before = bb_test_logical_dump (t->owner);
}

/* The database goes first, as a role that still holds privileges cannot be
 * dropped. */
static void
target_drop (Target *t)
{
  BbEngine engine = t->owner->engine;
  g_autofree char *drop_db = NULL, *drop_user = NULL;

  if (engine == BB_ENGINE_POSTGRESQL)
    {
      drop_db = g_strdup_printf ("DROP DATABASE IF EXISTS \"%s\" WITH (FORCE)", t->owner->name);
      drop_user = g_strdup_printf ("DROP ROLE IF EXISTS \"%s\"", t->login->user);
    }
  else
    {
      drop_db = g_strdup_printf ("DROP DATABASE IF EXISTS `%s`", t->owner->name);
      drop_user = g_strdup_printf ("DROP USER IF EXISTS '%s'@'127.0.0.1'", t->login->user);
    }
  server_sql (engine, admin_database (engine), drop_db);
  server_sql (engine, admin_database (engine), drop_user);
  g_clear_pointer (&t->owner, bb_connection_info_free);
  g_clear_pointer (&t->login, bb_connection_info_free);
  g_clear_pointer (&t->before, g_free);
}

/* Every row as it was, then as target_drop(). */
static void
target_finish (Target *t)
{
  g_autofree char *after = bb_test_logical_dump (t->owner);

  g_assert_cmpstr (t->before, ==, after);
  target_drop (t);
}

static void
change_password (const BbConnectionInfo *info,
                 const char             *password)
{
  g_autofree char *sql = NULL;

  if (info->engine == BB_ENGINE_POSTGRESQL)
    sql = g_strdup_printf ("ALTER ROLE \"%s\" PASSWORD '%s'", info->user, password);
  else
    sql = g_strdup_printf ("ALTER USER '%s'@'127.0.0.1' IDENTIFIED BY '%s'", info->user, password);
  server_sql (info->engine, admin_database (info->engine), sql);
}

/* The password changed between the check (the wizard's preview) and the
 * restore: refused as a wrong password, nothing written. */
static void
test_password_changed (gconstpointer data)
{
  Target t;
  g_autoptr(BbRestoreJob) job = NULL;
  g_autoptr(GError) error = NULL;
  const BbRestorePreview *preview;

  target_set_up (&t, GPOINTER_TO_INT (data), "first-Pw1", RIGHTS_OWNER);
  job = new_restore_job (t.login);
  preview = bb_restore_job_check (job, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (preview->problems->len, ==, 0);
  g_assert_cmpuint (preview->total_records, >, 90000);

  change_password (t.login, "second-Pw2");
  g_assert_false (bb_restore_job_run (job, NULL, &error));
  g_assert_error (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_AUTH_FAILED);
  assert_message_has (error, "Your data has not been changed.");
  assert_message_has (error, "refused the user name or password");
  assert_message_has (error, t.login->user);
  g_assert_null (strstr (error->message, "Pw1"));
  g_assert_null (strstr (error->message, "Pw2"));
  g_assert_null (bb_restore_job_get_safety_backup (job));

  target_finish (&t);
}

/* The check refuses job's target, naming the login, saying why and, when
 * not NULL, detail; the restore stops there: before the safety backup, with
 * nothing written. */
static void
assert_refused (BbRestoreJob *job,
                const Target *t,
                const char   *why,
                const char   *detail)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (bb_restore_job_check (job, NULL, &error));
  g_assert_error (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_READ_ONLY);
  assert_message_has (error, why);
  if (detail != NULL)
    assert_message_has (error, detail);
  assert_message_has (error, t->login->user);
  g_clear_error (&error);

  g_assert_false (bb_restore_job_run (job, NULL, &error));
  g_assert_error (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_READ_ONLY);
  assert_message_has (error, "Your data has not been changed.");
  assert_message_has (error, why);
  g_assert_null (bb_restore_job_get_safety_backup (job));
}

/* A user who may only read: the check already says so, in both modes, and
 * the restore stops there, before the safety backup, with nothing written. */
static void
test_read_only_user (gconstpointer data)
{
  static const BbRestoreMode modes[] = { BB_RESTORE_MODE_MERGE, BB_RESTORE_MODE_REPLACE };
  Target t;

  target_set_up (&t, GPOINTER_TO_INT (data), "reader-Pw3", RIGHTS_READ);
  for (gsize i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr(BbRestoreJob) job = new_restore_job (t.login);

      bb_restore_job_set_mode (job, modes[i]);
      assert_refused (job, &t, "may read this database but not change it", NULL);
    }
  target_finish (&t);
}

/* PostgreSQL: a user who may change the tables but may not set the
 * sequences that number their rows. The check says so, before the safety
 * backup, rather than the load failing at its very end. */
static void
test_no_sequence_rights (void)
{
  Target t;
  g_autoptr(BbRestoreJob) job = NULL;

  target_set_up (&t, BB_ENGINE_POSTGRESQL, "tables-Pw4", RIGHTS_TABLES);
  job = new_restore_job (t.login);
  assert_refused (job, &t, "may change the tables but not the counters", "_id_seq");
  target_finish (&t);
}

/* PostgreSQL: a user granted the tables and their sequences but owning
 * neither, as some setups give the web app's user. Only an owner may ALTER
 * a sequence; this user's restore sets them with setval(), and each ends
 * above every id, so the next row Baby Buddy adds gets a free one. */
static void
test_sequence_rights_only (void)
{
  static const char * const tables[] = { "auth_user", "core_child", "core_feeding", "core_sleep" };
  Target t;
  g_autoptr(BbRestoreJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = make_folder ("granted-backup");
  g_autofree char *backup = NULL;

  target_set_up (&t, BB_ENGINE_POSTGRESQL, "granted-Pw5", RIGHTS_TABLES_SEQUENCES);
  job = new_restore_job (t.login);
  g_assert_true (bb_restore_job_run (job, NULL, &error));
  g_assert_no_error (error);

  backup = bb_test_backup (t.owner, out);
  bb_test_assert_same_models (source_backup, backup);
  for (gsize i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql =
        g_strdup_printf ("SELECT nextval(pg_get_serial_sequence('%s', 'id')) > MAX(id) AND COUNT(*) > 0 "
                         "FROM %s", tables[i], tables[i]);
      g_autofree char *free_id = bb_test_servers_sql ("pg", t.owner->name, sql);

      g_strstrip (free_id);
      if (g_strcmp0 (free_id, "t") != 0)
        g_error ("The next id of %s is taken: “%s”", tables[i], free_id);
    }
  target_drop (&t);
}

int
main (int    argc,
      char **argv)
{
  static const BbEngine engines[] = { BB_ENGINE_POSTGRESQL, BB_ENGINE_MYSQL };
  int status;

  g_test_init (&argc, &argv, NULL);
  bb_test_servers_start ();
  tmpdir = bb_test_make_tmpdir ();
  {
    g_autofree char *dir = make_folder ("source");
    g_autofree char *sqlite = bb_test_copy_reference_sqlite (dir);
    g_autoptr(BbConnectionInfo) info = bb_test_sqlite_info (sqlite);
    g_autofree char *out = make_folder ("source-backup");

    bb_test_truncate_sqlite_to_ms (sqlite);
    source_backup = bb_test_backup (info, out);
  }

  for (gsize i = 0; i < G_N_ELEMENTS (engines); i++)
    {
      const char *code = engine_code (engines[i]);
      gconstpointer data = GINT_TO_POINTER (engines[i]);
      g_autofree char *backup = g_strdup_printf ("/bb/server-errors/stopped/backup/%s", code);
      g_autofree char *restore = g_strdup_printf ("/bb/server-errors/stopped/restore/%s", code);
      g_autofree char *password = g_strdup_printf ("/bb/server-errors/password-changed/%s", code);
      g_autofree char *read_only = g_strdup_printf ("/bb/server-errors/read-only-user/%s", code);
      g_autofree char *killed = g_strdup_printf ("/bb/server-errors/killed-mid-statement/%s", code);

      g_test_add_data_func (backup, data, test_stopped_during_backup);
      g_test_add_data_func (killed, data, test_killed_mid_statement);
      g_test_add_data_func (restore, data, test_stopped_during_restore);
      g_test_add_data_func (password, data, test_password_changed);
      g_test_add_data_func (read_only, data, test_read_only_user);
    }
  g_test_add_func ("/bb/server-errors/no-sequence-rights/pg", test_no_sequence_rights);
  g_test_add_func ("/bb/server-errors/sequence-rights-only/pg", test_sequence_rights_only);

  status = g_test_run ();
  bb_test_remove_tree (tmpdir);
  g_free (source_backup);
  return status;
}
