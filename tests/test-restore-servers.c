/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-restore-servers.c: restore on real PostgreSQL and MariaDB servers
 * (started by tests/servers.sh): all nine engine pairs give the same model
 * files again, round trips into non-empty databases, merge, refusals and
 * rollbacks that leave the database (its id counters too) as it was, counters
 * after explicit ids, what MariaDB cannot hold caught before anything is
 * written, and a backup taken while another process writes at full speed
 * that is one consistent snapshot and restores cleanly. */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "bb-backup-job.h"
#include "bb-database.h"
#include "bb-restore-job.h"
#include "bb-test-corpus.h"
#include "bb-test-util.h"

static const BbEngine all_engines[] = { BB_ENGINE_SQLITE, BB_ENGINE_POSTGRESQL, BB_ENGINE_MYSQL };

static char *tmpdir;
static char *source_backups[3];   /* the shared data backed up from each engine */

static const char *
engine_code (BbEngine engine)
{
  switch (engine)
    {
    case BB_ENGINE_SQLITE:
      return "sqlite";
    case BB_ENGINE_POSTGRESQL:
      return "pg";
    case BB_ENGINE_MYSQL:
      return "mysql";
    default:
      g_assert_not_reached ();
    }
}

static char *
db_name (const char *what)
{
  static guint counter;
  return g_strdup_printf ("bbr_%s_%d_%u", what, (int) getpid (), counter++);
}

/* A database to restore into: "fresh" is what Baby Buddy's migrations leave,
 * "ref" the full reference data. The connection is returned, the name kept. */
static BbConnectionInfo *
make_database (BbEngine    engine,
               const char *kind,
               char      **name_out)
{
  g_autofree char *name = db_name (kind);

  if (engine == BB_ENGINE_SQLITE)
    {
      g_autofree char *dir = g_build_filename (tmpdir, name, NULL);
      g_autofree char *path = NULL;

      g_mkdir (dir, 0700);
      path = strcmp (kind, "fresh") == 0 ? bb_test_make_empty_sqlite (dir)
                                         : bb_test_copy_reference_sqlite (dir);
      if (strcmp (kind, "ref") == 0)
        bb_test_truncate_sqlite_to_ms (path);
      if (name_out)
        *name_out = g_strdup (path);
      return bb_test_sqlite_info (path);
    }

  bb_test_servers_clone (engine_code (engine), strcmp (kind, "fresh") == 0 ? "bb_fresh" : "bb_ref", name);
  if (name_out)
    *name_out = g_strdup (name);
  return bb_test_servers_info (engine, name);
}

static char *
backup_into_tmp (const BbConnectionInfo *info)
{
  g_autofree char *folder = g_build_filename (tmpdir, "backups", NULL);
  g_autofree char *sub = NULL;
  static guint n;

  sub = g_strdup_printf ("%s/%u", folder, n++);
  g_mkdir_with_parents (sub, 0700);
  return bb_test_backup (info, sub);
}

static BbRestoreJob *
new_job (const char             *file,
         const BbConnectionInfo *target,
         BbRestoreMode           mode)
{
  BbRestoreJob *job = bb_restore_job_new (file, target);
  g_autofree char *safety = g_build_filename (tmpdir, "safety", NULL);

  bb_restore_job_set_mode (job, mode);
  bb_restore_job_set_safety_dir (job, safety);
  return job;
}

static void
restore_ok (const char             *file,
            const BbConnectionInfo *target,
            BbRestoreMode           mode)
{
  g_autoptr(BbRestoreJob) job = new_job (file, target, mode);
  g_autoptr(GError) error = NULL;

  if (!bb_restore_job_run (job, NULL, &error))
    {
      const BbRestorePreview *preview = bb_restore_job_get_preview (job);
      for (guint i = 0; preview && i < preview->problems->len; i++)
        g_printerr ("problem: %s\n", (char *) g_ptr_array_index (preview->problems, i));
    }
  g_assert_no_error (error);
}

static void
set_up_sources (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (all_engines); i++)
    {
      g_autoptr(BbConnectionInfo) info = make_database (all_engines[i], "ref", NULL);
      source_backups[i] = backup_into_tmp (info);
    }
  /* The same data on every engine: the same model files (as the backup tests show). */
  bb_test_assert_same_models (source_backups[0], source_backups[1]);
  bb_test_assert_same_models (source_backups[0], source_backups[2]);
}

/* A backup from any engine restores into a freshly migrated database of any
 * engine, and a backup of that gives the same model files. */
static void
test_pair (gconstpointer data)
{
  guint from = GPOINTER_TO_UINT (data) / 3, to = GPOINTER_TO_UINT (data) % 3;
  g_autoptr(BbConnectionInfo) target = make_database (all_engines[to], "fresh", NULL);
  g_autofree char *again = NULL;

  restore_ok (source_backups[from], target, BB_RESTORE_MODE_REPLACE);
  again = backup_into_tmp (target);
  bb_test_assert_same_models (source_backups[from], again);
}

/* Replace into the full reference database (every row replaced by itself),
 * then ids continue after the largest restored one. */
static void
test_replace_and_counters (gconstpointer data)
{
  BbEngine engine = GPOINTER_TO_INT (data);
  g_autofree char *name = NULL;
  g_autoptr(BbConnectionInfo) target = make_database (engine, "ref", &name);
  g_autoptr(BbDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *again = NULL, *max = NULL, *id = NULL, *expected = NULL;

  /* A counter far ahead: after the restore it follows the data again. */
  if (engine == BB_ENGINE_POSTGRESQL)
    g_free (bb_test_servers_sql ("pg", name, "SELECT setval(pg_get_serial_sequence('core_note', 'id'), 500000)"));
  else
    g_free (bb_test_servers_sql ("mysql", name, "ALTER TABLE core_note AUTO_INCREMENT = 500000"));
  restore_ok (source_backups[0], target, BB_RESTORE_MODE_REPLACE);
  again = backup_into_tmp (target);
  bb_test_assert_same_models (source_backups[0], again);

  db = bb_database_new (target);
  g_assert_true (bb_database_open (db, &error));
  max = bb_database_query_value (db, "SELECT MAX(id) FROM core_note", &error);
  g_assert_no_error (error);
  g_assert_true (bb_database_execute (db, "INSERT INTO core_note (child_id, note, time) "
                                          "VALUES (1, 'after', '2025-01-01 00:00:00+00')", &error)
                 || engine == BB_ENGINE_MYSQL);
  if (engine == BB_ENGINE_MYSQL)
    {
      g_clear_error (&error);
      g_assert_true (bb_database_execute (db, "INSERT INTO core_note (child_id, note, time) "
                                              "VALUES (1, 'after', '2025-01-01 00:00:00')", &error));
    }
  g_assert_no_error (error);
  id = bb_database_query_value (db, "SELECT MAX(id) FROM core_note", &error);
  expected = g_strdup_printf ("%" G_GINT64_FORMAT, g_ascii_strtoll (max, NULL, 10) + 1);
  g_assert_cmpstr (id, ==, expected);
}

/* A restore that fails after it has reset the id counters (at its last
 * statement before the commit, made to fail by a trigger) leaves them as they
 * were too: setval() would not have been rolled back, and a counter below the
 * old rows' ids breaks every later insert. */
static void
test_counters_roll_back (void)
{
  g_autofree char *name = NULL;
  g_autoptr(BbConnectionInfo) target = make_database (BB_ENGINE_POSTGRESQL, "ref", &name);
  g_autoptr(BbRestoreJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL, *after = NULL, *counters_before = NULL, *counters_after = NULL;
  /* Link rows take their ids from nextval(), which nothing takes back: those
   * counters only grow (gaps, no harm). */
  const char *counters = "SELECT string_agg(sequencename || ' ' || COALESCE(last_value::text, '-'), ', ' "
                         "ORDER BY sequencename) FROM pg_sequences WHERE sequencename NOT IN "
                         "('auth_group_permissions_id_seq', 'auth_user_groups_id_seq', "
                         "'auth_user_user_permissions_id_seq')";

  g_free (bb_test_servers_sql ("pg", name, "SELECT setval(pg_get_serial_sequence('core_note', 'id'), 500000)"));
  g_free (bb_test_servers_sql ("pg", name,
                               "CREATE FUNCTION fail_cb () RETURNS trigger LANGUAGE plpgsql AS "
                               "$$BEGIN RAISE EXCEPTION 'injected by a test'; END$$;"
                               "CREATE TRIGGER fail BEFORE DELETE ON cache_default "
                               "FOR EACH STATEMENT EXECUTE FUNCTION fail_cb ()"));
  before = bb_test_logical_dump (target);
  counters_before = bb_test_servers_sql ("pg", name, counters);
  g_assert_nonnull (strstr (counters_before, "core_note_id_seq 500000"));

  job = new_job (source_backups[0], target, BB_RESTORE_MODE_REPLACE);
  g_assert_false (bb_restore_job_run (job, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "injected by a test"));

  after = bb_test_logical_dump (target);
  g_assert_cmpstr (before, ==, after);
  counters_after = bb_test_servers_sql ("pg", name, counters);
  g_assert_cmpstr (counters_before, ==, counters_after);
}

/* Merge into the reference data with a changed record: the backup's version wins,
 * extra rows stay. */
static void
test_merge (gconstpointer data)
{
  BbEngine engine = GPOINTER_TO_INT (data);
  g_autofree char *name = NULL;
  g_autoptr(BbConnectionInfo) target = make_database (engine, "ref", &name);
  g_autofree char *note = NULL, *extra = NULL, *settings = NULL;

  g_free (bb_test_servers_sql (engine_code (engine), name,
                               "UPDATE core_note SET note = 'changed' WHERE id = 1"));
  g_free (bb_test_servers_sql (engine_code (engine), name,
                               engine == BB_ENGINE_POSTGRESQL
                               ? "INSERT INTO core_tag (id, name, slug, color, last_used) VALUES "
                                 "(900, 'extra', 'extra', '#123456', '2024-01-01 00:00:00+00')"
                               : "INSERT INTO core_tag (id, name, slug, color, last_used) VALUES "
                                 "(900, 'extra', 'extra', '#123456', '2024-01-01 00:00:00')"));
  restore_ok (source_backups[0], target, BB_RESTORE_MODE_MERGE);

  note = bb_test_servers_sql (engine_code (engine), name, "SELECT note FROM core_note WHERE id = 1");
  g_assert_cmpstr (g_strstrip (note), !=, "changed");
  extra = bb_test_servers_sql (engine_code (engine), name, "SELECT name FROM core_tag WHERE id = 900");
  g_assert_cmpstr (g_strstrip (extra), ==, "extra");
  settings = bb_test_servers_sql (engine_code (engine), name,
                                  "SELECT COUNT(*) FROM babybuddy_settings");
  g_assert_cmpstr (g_strstrip (settings), ==, "3");
}

/* Refused files and late failures leave the server's database as it was. */
static void
test_refusals_unchanged (gconstpointer data)
{
  BbEngine engine = GPOINTER_TO_INT (data);
  g_autoptr(BbConnectionInfo) target = make_database (engine, "fresh", NULL);
  g_autofree char *before = bb_test_logical_dump (target);
  static const BbTestCorpusKind kinds[] = {
    BB_TEST_CORPUS_BAD_CRC, BB_TEST_CORPUS_BAD_JSON_LAST_RECORD, BB_TEST_CORPUS_WRONG_TYPES,
    BB_TEST_CORPUS_DUPLICATE_PK, BB_TEST_CORPUS_DANGLING_FK, BB_TEST_CORPUS_UNKNOWN_FIELD,
  };

  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *broken = g_strdup_printf ("%s/broken-%s-%zu.zip", tmpdir, engine_code (engine), i);
      g_autoptr(BbRestoreJob) job = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *after = NULL;

      g_assert_true (bb_test_corpus_make (kinds[i], source_backups[0], broken, NULL));
      job = new_job (broken, target, BB_RESTORE_MODE_REPLACE);
      g_assert_false (bb_restore_job_run (job, NULL, &error));
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, "Your data has not been changed"));
      after = bb_test_logical_dump (target);
      g_assert_cmpstr (before, ==, after);
    }

  /* A failure injected after most rows are written. */
  {
    g_autoptr(BbRestoreJob) job = new_job (source_backups[0], target, BB_RESTORE_MODE_REPLACE);
    g_autoptr(GError) error = NULL;
    g_autofree char *after = NULL;

    bb_restore_job_set_fail_after (job, 90000);
    g_assert_false (bb_restore_job_run (job, NULL, &error));
    g_assert_error (error, BB_RESTORE_ERROR, BB_RESTORE_ERROR_FAILED);
    after = bb_test_logical_dump (target);
    g_assert_cmpstr (before, ==, after);
  }
}

/* Text that SQL and libgda's parser find hard, through the bulk path of
 * every engine and back: the same bytes. */
static void
test_tricky_text (gconstpointer data)
{
  BbEngine engine = GPOINTER_TO_INT (data);
  g_autofree char *dir = g_strdup_printf ("%s/tricky-%s", tmpdir, engine_code (engine));
  g_autofree char *sqlite = NULL, *backup = NULL, *again = NULL;
  g_autoptr(BbConnectionInfo) source = NULL;
  g_autoptr(BbConnectionInfo) target = make_database (engine, "fresh", NULL);
  g_autoptr(BbDatabase) db = bb_database_new (target);
  g_autoptr(GError) error = NULL;

  g_mkdir (dir, 0700);
  sqlite = bb_test_copy_reference_sqlite (dir);
  bb_test_sqlite_exec (sqlite,
                       "UPDATE core_note SET note = 'back\\slash \\'' quote '''' ##x::int ; -- /* */ "
                       "tab\tnew\nline $1 :name ? %s \\\\\\ end\\' WHERE id = 1;"
                       "UPDATE core_note SET note = '\\' WHERE id = 2;"
                       "UPDATE core_note SET note = '''' WHERE id = 3;"
                       "UPDATE core_child SET last_name = 'O''Brien \\ 👶' WHERE id = 1;");
  source = bb_test_sqlite_info (sqlite);
  backup = backup_into_tmp (source);
  restore_ok (backup, target, BB_RESTORE_MODE_REPLACE);
  again = backup_into_tmp (target);
  bb_test_assert_same_models (backup, again);

  /* The fast path really ran (libgda's own parser chokes on some of this). */
  g_assert_true (bb_database_open (db, &error));
  g_assert_no_error (error);
  g_assert_true (bb_database_has_native_bulk (db));
}

/* Tag names that differ only in case are fine on SQLite and PostgreSQL but
 * collide on MariaDB: validation says so, and nothing is written. */
static void
test_mariadb_case_collision (void)
{
  g_autofree char *dir = g_build_filename (tmpdir, "case", NULL);
  g_autofree char *sqlite = NULL, *backup = NULL, *before = NULL, *after = NULL;
  g_autoptr(BbConnectionInfo) source = NULL;
  g_autoptr(BbConnectionInfo) target = make_database (BB_ENGINE_MYSQL, "fresh", NULL);
  g_autoptr(BbRestoreJob) job = NULL;
  g_autoptr(GError) error = NULL;
  const BbRestorePreview *preview;
  gboolean found = FALSE;

  g_mkdir (dir, 0700);
  sqlite = bb_test_copy_reference_sqlite (dir);
  bb_test_sqlite_exec (sqlite, "INSERT INTO core_tag (id, name, slug, color, last_used) VALUES "
                               "(500, 'Bath', 'bath-a', '#ffffff', '2024-01-01 00:00:00'),"
                               "(501, 'bath', 'bath-b', '#ffffff', '2024-01-01 00:00:00');");
  source = bb_test_sqlite_info (sqlite);
  backup = backup_into_tmp (source);

  before = bb_test_logical_dump (target);
  job = new_job (backup, target, BB_RESTORE_MODE_REPLACE);
  g_assert_false (bb_restore_job_run (job, NULL, &error));
  g_assert_error (error, BB_RESTORE_ERROR, BB_RESTORE_ERROR_INVALID);
  preview = bb_restore_job_get_preview (job);
  for (guint i = 0; i < preview->problems->len; i++)
    {
      const char *p = g_ptr_array_index (preview->problems, i);
      if (strstr (p, "core.tag") && strstr (p, "500") && strstr (p, "501") && strstr (p, "case"))
        found = TRUE;
    }
  g_assert_true (found);
  after = bb_test_logical_dump (target);
  g_assert_cmpstr (before, ==, after);
}

/* Backup under writers: tests/bb-test-writer changes rows at full speed in
 * another process while the backup runs. Its transaction k adds the child
 * "writer-TAG-k" with two feedings and sets one note to "writer TAG k", so a
 * consistent snapshot holds 2 feedings per writer child and the note names
 * the last of them; the restore checks every foreign key. */

static JsonArray *
model_objects (GHashTable *entries,
               const char *name,
               JsonNode  **keep)
{
  GBytes *bytes = g_hash_table_lookup (entries, name);
  g_autofree char *text = NULL;

  g_assert_nonnull (bytes);
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  *keep = json_from_string (text, NULL);
  g_assert_nonnull (*keep);
  return json_node_get_array (*keep);
}

/* Objects of a model whose field starts with prefix, and the highest number
 * after it. */
static guint
count_prefixed (JsonArray  *objects,
                const char *field,
                const char *prefix,
                guint64    *highest)
{
  guint n = 0;

  *highest = 0;
  for (guint i = 0; i < json_array_get_length (objects); i++)
    {
      JsonObject *fields = json_object_get_object_member (json_array_get_object_element (objects, i),
                                                          "fields");
      const char *value = json_object_get_string_member (fields, field);

      if (value != NULL && g_str_has_prefix (value, prefix))
        {
          n++;
          *highest = MAX (*highest, g_ascii_strtoull (value + strlen (prefix), NULL, 10));
        }
    }
  return n;
}

static guint64
writer_children (const BbConnectionInfo *info,
                 const char             *tag)
{
  g_autoptr(BbDatabase) db = bb_database_new (info);
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM core_child WHERE slug LIKE 'writer-%s-%%'", tag);
  g_autofree char *count = NULL;

  g_assert_true (bb_database_open (db, &error));
  count = bb_database_query_value (db, sql, &error);
  g_assert_no_error (error);
  return g_ascii_strtoull (count, NULL, 10);
}

/* The snapshot is one moment of the writer's: whole transactions only, and
 * one between the counts before and after the backup. Returns how many
 * writer children it holds. */
static guint
assert_writer_snapshot (const char *path,
                        const char *tag,
                        guint64     before,
                        guint64     after)
{
  g_autofree char *child_prefix = g_strdup_printf ("writer-%s-", tag);
  g_autofree char *text_prefix = g_strdup_printf ("writer %s ", tag);
  g_autoptr(GHashTable) entries = bb_test_read_zip (path);
  g_autoptr(JsonNode) children_node = NULL, feedings_node = NULL, notes_node = NULL;
  guint64 last_child, last_feeding, last_note;
  guint children, feedings, notes;

  children = count_prefixed (model_objects (entries, "core/child.json", &children_node), "slug",
                             child_prefix, &last_child);
  feedings = count_prefixed (model_objects (entries, "core/feeding.json", &feedings_node), "notes",
                             text_prefix, &last_feeding);
  notes = count_prefixed (model_objects (entries, "core/note.json", &notes_node), "note",
                          text_prefix, &last_note);
  g_assert_cmpuint (children, >=, before);
  g_assert_cmpuint (children, <=, after);
  g_assert_cmpuint (last_child, ==, children);
  g_assert_cmpuint (feedings, ==, 2 * children);
  g_assert_cmpuint (last_feeding, ==, children);
  g_assert_cmpuint (notes, ==, 1);
  g_assert_cmpuint (last_note, ==, children);
  return children;
}

static void
test_backup_under_writers (gconstpointer data)
{
  BbEngine engine = GPOINTER_TO_INT (data);
  g_autofree char *name = NULL, *disk_dir = NULL;
  g_autoptr(BbConnectionInfo) source = NULL;
  g_autoptr(BbConnectionInfo) target = make_database (engine, "fresh", NULL);
  g_autofree char *url = NULL;
  g_autofree char *writer = g_build_filename (g_getenv ("BB_BUILD_DIR"), "tests", "bb-test-writer", NULL);
  g_autofree char *tag = g_strdup_printf ("%d", (int) getpid ());
  g_autofree char *line = NULL, *summary = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) moments = g_string_new (NULL);
  guint64 concurrent = 0;
  guint children = 0;

  /* On SQLite a demo database twice the reference's size: the writer holds
   * its lock longer, the backups meet it more often. */
  if (engine == BB_ENGINE_SQLITE)
    {
      const char *argv[] = { "demo", NULL, "--rows", "200000", NULL };

      /* On a disk, not tmpfs: commits wait for fsync, like Baby Buddy's. */
      disk_dir = g_build_filename (g_get_tmp_dir (), "bb-writers-XXXXXX", NULL);
      g_assert_nonnull (g_mkdtemp (disk_dir));
      name = g_build_filename (disk_dir, "writers.sqlite3", NULL);
      argv[1] = name;
      g_assert_cmpint (bb_test_run_cli (argv, NULL, NULL, NULL), ==, 0);
      source = bb_test_sqlite_info (name);
      url = g_strconcat ("sqlite://", name, NULL);
    }
  else
    {
      source = make_database (engine, "ref", &name);
      url = bb_test_servers_url (engine, name);
    }

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, writer, url, tag, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_cmpstr (line, ==, "ready");

  /* Several backups by the command line, each meeting the writer at another
   * point (on SQLite some meet it holding its lock: they wait, not fail). */
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *folder = g_strdup_printf ("%s/writers-%s-%u/", tmpdir, engine_code (engine), i);
      const char *argv[] = { "backup", "--database", url, "--output", folder, NULL };
      g_autofree char *path = NULL, *err = NULL;
      guint64 before = writer_children (source, tag);
      int status = (g_mkdir (folder, 0700), bb_test_run_cli (argv, NULL, &path, &err));
      guint64 after = writer_children (source, tag);

      if (status != 0)
        g_error ("backup %u under the writer failed: %s", i, err);
      g_strchomp (path);

      children = assert_writer_snapshot (path, tag, before, after);
      concurrent += after - before;
      g_string_append_printf (moments, " %" G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT, before, after);
      if (i == 3)
        {
          restore_ok (path, target, BB_RESTORE_MODE_REPLACE);
          g_assert_cmpuint (writer_children (target, tag), ==, children);
        }
    }

  g_subprocess_send_signal (proc, SIGTERM);
  summary = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_true (g_subprocess_wait_check (proc, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("%s: writer %s; its commits before..after each backup:%s", engine_code (engine),
                  summary, moments->str);
  /* The writer went on while the backups read. */
  g_assert_cmpuint (concurrent, >, 0);
  if (disk_dir != NULL)
    bb_test_remove_tree (disk_dir);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  bb_test_servers_start ();
  tmpdir = bb_test_make_tmpdir ();
  set_up_sources ();

  for (guint from = 0; from < 3; from++)
    for (guint to = 0; to < 3; to++)
      {
        g_autofree char *path = g_strdup_printf ("/bb/restore/servers/pair/%s-to-%s",
                                                 engine_code (all_engines[from]),
                                                 engine_code (all_engines[to]));
        g_test_add_data_func (path, GUINT_TO_POINTER (from * 3 + to), test_pair);
      }
  g_test_add_data_func ("/bb/restore/servers/replace-counters/pg",
                        GINT_TO_POINTER (BB_ENGINE_POSTGRESQL), test_replace_and_counters);
  g_test_add_data_func ("/bb/restore/servers/replace-counters/mysql",
                        GINT_TO_POINTER (BB_ENGINE_MYSQL), test_replace_and_counters);
  g_test_add_func ("/bb/restore/servers/counters-roll-back/pg", test_counters_roll_back);
  g_test_add_data_func ("/bb/restore/servers/merge/pg", GINT_TO_POINTER (BB_ENGINE_POSTGRESQL), test_merge);
  g_test_add_data_func ("/bb/restore/servers/merge/mysql", GINT_TO_POINTER (BB_ENGINE_MYSQL), test_merge);
  g_test_add_data_func ("/bb/restore/servers/unchanged/pg",
                        GINT_TO_POINTER (BB_ENGINE_POSTGRESQL), test_refusals_unchanged);
  g_test_add_data_func ("/bb/restore/servers/unchanged/mysql",
                        GINT_TO_POINTER (BB_ENGINE_MYSQL), test_refusals_unchanged);
  g_test_add_func ("/bb/restore/servers/mariadb-case-collision", test_mariadb_case_collision);
  for (guint i = 0; i < G_N_ELEMENTS (all_engines); i++)
    {
      g_autofree char *path = g_strdup_printf ("/bb/restore/servers/tricky-text/%s",
                                               engine_code (all_engines[i]));
      g_test_add_data_func (path, GINT_TO_POINTER (all_engines[i]), test_tricky_text);
    }
  for (guint i = 0; i < G_N_ELEMENTS (all_engines); i++)
    {
      g_autofree char *path = g_strdup_printf ("/bb/restore/servers/backup-under-writers/%s",
                                               engine_code (all_engines[i]));
      g_test_add_data_func (path, GINT_TO_POINTER (all_engines[i]), test_backup_under_writers);
    }

  status = g_test_run ();
  bb_test_remove_tree (tmpdir);
  return status;
}
