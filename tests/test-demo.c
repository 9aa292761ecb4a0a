/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-demo.c: the demo database generator: about as many records as asked,
 * valid keys and entries, the same database from the same seed, a fresh
 * database for rows=0, an existing file left alone, a clean backup, and
 * nothing left behind when cancelled. */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "bb-backup-job.h"
#include "bb-demo.h"
#include "bb-test-util.h"

typedef struct {
  char *dir;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = bb_test_make_tmpdir ();
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  bb_test_remove_tree (f->dir);
  g_free (f->dir);
}

static char *
make_demo (Fixture    *f,
           const char *name,
           guint64     rows,
           guint32     seed)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, name, NULL);

  g_assert_true (bb_demo_create (path, rows, seed, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  return path;
}

static BbDatabase *
open_db (const char *path)
{
  g_autoptr(BbConnectionInfo) info = g_new0 (BbConnectionInfo, 1);
  g_autoptr(GError) error = NULL;
  BbDatabase *db;

  info->engine = BB_ENGINE_SQLITE;
  info->path = g_strdup (path);
  db = bb_database_new (info);
  g_assert_true (bb_database_open (db, &error));
  g_assert_no_error (error);
  return db;
}

static gint64
query_int (BbDatabase *db,
           const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = bb_database_query_value (db, sql, &error);

  g_assert_no_error (error);
  g_assert_nonnull (value);
  return g_ascii_strtoll (value, NULL, 10);
}

static gint64
count_rows (BbDatabase *db,
            const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT CAST(count(*) AS TEXT) FROM \"%s\"", table);

  return query_int (db, sql);
}

static GStrv
table_names (BbDatabase *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbRows) rows = NULL;
  GPtrArray *names = g_ptr_array_new ();

  rows = bb_database_query (db, "SELECT name FROM sqlite_master WHERE type = 'table' "
                            "AND name <> 'sqlite_sequence' ORDER BY name", 1, &error);
  g_assert_no_error (error);
  for (guint r = 0; r < rows->n_rows; r++)
    g_ptr_array_add (names, g_strdup (bb_rows_get (rows, r, 0)));
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (names, FALSE);
}

static gint64
count_all (BbDatabase *db)
{
  g_auto(GStrv) names = table_names (db);
  gint64 total = 0;

  for (guint i = 0; names[i] != NULL; i++)
    total += count_rows (db, names[i]);
  return total;
}

static void
assert_keys_valid (BbDatabase *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbRows) fk = NULL;
  g_autofree char *integrity = NULL;

  fk = bb_database_query (db, "PRAGMA foreign_key_check", 4, &error);
  g_assert_no_error (error);
  if (fk->n_rows > 0)
    g_error ("foreign key broken in %s row %s (-> %s)", bb_rows_get (fk, 0, 0),
             bb_rows_get (fk, 0, 1), bb_rows_get (fk, 0, 2));
  integrity = bb_database_query_value (db, "PRAGMA integrity_check", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (integrity, ==, "ok");
}

/* The file as SQL text: equal texts, equal databases. */
static char *
dump (const char *path)
{
  const char *argv[] = { "sqlite3", path, ".dump", NULL };
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (out, "CREATE TABLE"));
  return out;
}

static guint
schema_insert_count (void)
{
  g_autoptr(GBytes) bytes = g_resources_lookup_data ("/org/babybuddy/Backup/engine/demo-schema.sql",
                                                     G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  g_assert_nonnull (bytes);
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    n += g_str_has_prefix (lines[i], "INSERT INTO ");
  return n;
}

static void
test_row_count (Fixture       *f,
                gconstpointer  data)
{
  static const guint64 sizes[] = { 3000, 20000 };

  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *name = g_strdup_printf ("count-%" G_GUINT64_FORMAT ".sqlite3", sizes[i]);
      g_autofree char *path = make_demo (f, name, sizes[i], 1 + i);
      g_autoptr(BbDatabase) db = open_db (path);
      gint64 total = count_all (db);

      g_test_message ("%" G_GUINT64_FORMAT " rows asked, %" G_GINT64_FORMAT " written",
                      sizes[i], total);
      g_assert_cmpint (total, >=, sizes[i] * 0.95);
      g_assert_cmpint (total, <=, sizes[i] * 1.05);
    }
}

static void
test_content (Fixture       *f,
              gconstpointer  data)
{
  static const char *entries[] = { "core_feeding", "core_sleep", "core_pumping", "core_tummytime" };
  g_autofree char *path = make_demo (f, "content.sqlite3", 20000, 3);
  g_autoptr(BbDatabase) db = open_db (path);
  gint64 diapers, feedings, children, users;
  g_auto(GStrv) tables = table_names (db);

  assert_keys_valid (db);

  /* Everything a Baby Buddy 2.10 SQLite database has: 35 tables + sqlite_sequence. */
  g_assert_cmpuint (g_strv_length (tables), ==, 35);

  /* A family: admin, a parent, a read-only caregiver, two or three children. */
  users = count_rows (db, "auth_user");
  g_assert_cmpint (users, ==, 3);
  g_assert_cmpint (count_rows (db, "babybuddy_settings"), ==, users);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM auth_user WHERE username = 'admin' AND id = 1 "
                                  "AND is_superuser = 1 AND is_staff = 1 AND password = "
                                  "'pbkdf2_sha256$1000000$xuhHZJ8o0SPCUEJP37frKB$"
                                  "9qevY1K8vclIpgBqsHA5kvIcGjFIDq2AdSznimoapT4='"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM auth_user_groups WHERE group_id = 1 "
                                  "AND user_id <> 1"), ==, 1);
  children = count_rows (db, "core_child");
  g_assert_cmpint (children, >=, 2);
  g_assert_cmpint (children, <=, 3);
  g_assert_cmpint (query_int (db, "SELECT count(DISTINCT slug) FROM core_child WHERE slug <> ''"), ==, children);

  /* Diaper changes and feedings are the bulk, as in a real family. */
  diapers = count_rows (db, "core_diaperchange");
  feedings = count_rows (db, "core_feeding");
  for (guint i = 0; tables[i] != NULL; i++)
    if (g_str_has_prefix (tables[i], "core_") && strcmp (tables[i], "core_diaperchange") != 0
        && strcmp (tables[i], "core_feeding") != 0)
      g_assert_cmpint (count_rows (db, tables[i]), <, MIN (diapers, feedings));
  g_assert_cmpint (diapers + feedings, >, 20000 / 2);
  g_assert_cmpint (count_rows (db, "core_weightpercentile"), ==, 0);
  g_assert_cmpint (count_rows (db, "core_heightpercentile"), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    g_assert_cmpint (count_rows (db, entries[i]), >, 0);
  g_assert_cmpint (count_rows (db, "core_weight"), >, 0);
  g_assert_cmpint (count_rows (db, "core_height"), >, 0);
  g_assert_cmpint (count_rows (db, "core_headcircumference"), >, 0);
  g_assert_cmpint (count_rows (db, "core_bmi"), >, 0);
  g_assert_cmpint (count_rows (db, "core_temperature"), >, 0);
  g_assert_cmpint (count_rows (db, "core_medication"), >, 0);
  g_assert_cmpint (count_rows (db, "core_note"), >, 0);

  /* Values Django wrote: choices, datetimes, durations, non-ASCII text. */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM core_feeding WHERE type NOT IN "
                                  "('breast milk', 'formula', 'fortified breast milk', 'solid food') "
                                  "OR method NOT IN ('bottle', 'left breast', 'right breast', "
                                  "'both breasts', 'parent fed', 'self fed')"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM core_diaperchange WHERE color NOT IN "
                                  "('', 'black', 'brown', 'green', 'yellow') OR (wet = 0 AND solid = 0)"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM core_medication WHERE dosage_unit NOT IN "
                                  "('mg', 'ml', 'tablets', 'drops')"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM core_feeding WHERE start NOT GLOB "
                                  "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]' "
                                  "AND start NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] "
                                  "[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]'"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM core_feeding WHERE start LIKE '%.%'"), >, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM core_feeding WHERE start NOT LIKE '%.%'"), >, 0);
  /* duration is end - start in microseconds, exactly (SQLite's date functions
   * round to milliseconds: whole seconds and the fraction are read apart). */
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      g_autofree char *sql = g_strdup_printf (
        "SELECT count(*) FROM %s WHERE typeof(duration) <> 'integer' OR duration <= 0 "
        "OR duration <> (strftime('%%s', substr(\"end\", 1, 19)) - strftime('%%s', substr(start, 1, 19))) "
        "* 1000000 "
        "+ CAST(substr(\"end\", 21) AS INTEGER) - CAST(substr(start, 21) AS INTEGER)", entries[i]);
      g_assert_cmpint (query_int (db, sql), ==, 0);
    }
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM core_sleep WHERE nap NOT IN (0, 1)"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM core_sleep WHERE nap = 1"), >, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM core_sleep WHERE nap = 0"), >, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM core_temperature WHERE temperature < 35 "
                                  "OR temperature > 42"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM core_note WHERE note LIKE '%👶%' "
                                  "OR note LIKE '%ü%' OR note LIKE '%é%'"), >, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM core_note WHERE note LIKE '%''%'"), >, 0);

  /* Consecutive days up to the fixed reference date, never "now". */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM core_feeding WHERE start >= '2026-11-01 06:00'"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM core_feeding WHERE start >= '2026-10-25'"), >, 0);

  /* Baby Buddy refuses overlapping entries of one kind for one child. */
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      g_autofree char *sql = g_strdup_printf (
        "SELECT count(*) FROM (SELECT start, lag(\"end\") OVER (PARTITION BY child_id "
        "ORDER BY start) AS previous_end FROM %s) WHERE previous_end > start", entries[i]);
      g_assert_cmpint (query_int (db, sql), ==, 0);
    }

  /* Every tag points at an entry of its content type (no database key does). */
  g_assert_cmpint (count_rows (db, "core_tagged"), >, 0);
  g_assert_cmpint (query_int (db,
    "SELECT count(*) FROM core_tagged t JOIN django_content_type c ON c.id = t.content_type_id "
    "WHERE c.app_label <> 'core' OR NOT ("
    "(c.model = 'feeding' AND t.object_id IN (SELECT id FROM core_feeding)) OR "
    "(c.model = 'sleep' AND t.object_id IN (SELECT id FROM core_sleep)) OR "
    "(c.model = 'diaperchange' AND t.object_id IN (SELECT id FROM core_diaperchange)) OR "
    "(c.model = 'pumping' AND t.object_id IN (SELECT id FROM core_pumping)) OR "
    "(c.model = 'tummytime' AND t.object_id IN (SELECT id FROM core_tummytime)) OR "
    "(c.model = 'temperature' AND t.object_id IN (SELECT id FROM core_temperature)) OR "
    "(c.model = 'medication' AND t.object_id IN (SELECT id FROM core_medication)) OR "
    "(c.model = 'note' AND t.object_id IN (SELECT id FROM core_note)) OR "
    "(c.model = 'weight' AND t.object_id IN (SELECT id FROM core_weight)) OR "
    "(c.model = 'height' AND t.object_id IN (SELECT id FROM core_height)) OR "
    "(c.model = 'headcircumference' AND t.object_id IN (SELECT id FROM core_headcircumference)) OR "
    "(c.model = 'bmi' AND t.object_id IN (SELECT id FROM core_bmi)))"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(DISTINCT content_type_id) FROM core_tagged"), >=, 5);

  /* AUTOINCREMENT bookkeeping matches the explicit ids. */
  g_assert_cmpint (query_int (db, "SELECT seq FROM sqlite_sequence WHERE name = 'core_feeding'"), ==,
                   query_int (db, "SELECT max(id) FROM core_feeding"));
  g_assert_cmpint (query_int (db, "SELECT seq FROM sqlite_sequence WHERE name = 'core_tagged'"), ==,
                   query_int (db, "SELECT max(id) FROM core_tagged"));
}

static void
test_deterministic (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *a = make_demo (f, "a.sqlite3", 5000, 42);
  g_autofree char *b = make_demo (f, "b.sqlite3", 5000, 42);
  g_autofree char *c = make_demo (f, "c.sqlite3", 5000, 43);
  g_autofree char *dump_a = dump (a);
  g_autofree char *dump_b = dump (b);
  g_autofree char *dump_c = dump (c);

  g_assert_true (strstr (dump_a, "INSERT INTO core_feeding") != NULL);
  g_assert_cmpstr (dump_a, ==, dump_b);
  g_assert_cmpstr (dump_a, !=, dump_c);
}

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *path = make_demo (f, "empty.sqlite3", 0, 1);
  g_autoptr(BbDatabase) db = open_db (path);
  g_auto(GStrv) tables = table_names (db);

  assert_keys_valid (db);
  g_assert_cmpuint (g_strv_length (tables), ==, 35);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM sqlite_master WHERE type = 'index'"), >, 40);

  /* What Baby Buddy's migrate leaves: the reference rows and the admin account. */
  g_assert_cmpint (count_rows (db, "django_migrations"), ==, 102);
  g_assert_cmpint (count_rows (db, "django_content_type"), ==, 31);
  g_assert_cmpint (count_rows (db, "auth_permission"), ==, 125);
  g_assert_cmpint (count_rows (db, "auth_group"), ==, 2);
  g_assert_cmpint (count_rows (db, "dbsettings_setting"), ==, 2);
  g_assert_cmpint (count_rows (db, "auth_user"), ==, 1);
  g_assert_cmpint (count_rows (db, "babybuddy_settings"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM auth_user WHERE username = 'admin'"), ==, 1);
  g_assert_cmpint (count_all (db), ==, schema_insert_count () + 2);
  for (guint i = 0; tables[i] != NULL; i++)
    if (g_str_has_prefix (tables[i], "core_"))
      g_assert_cmpint (count_rows (db, tables[i]), ==, 0);
}

static void
test_existing_file (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "precious.sqlite3", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) names = NULL;

  g_assert_true (g_file_set_contents (path, "not yours", -1, NULL));
  g_assert_false (bb_demo_create (path, 1000, 1, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "not yours");

  names = bb_test_list_dir (f->dir);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, "precious.sqlite3");
}

static void
test_backup (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *path = make_demo (f, "backup.sqlite3", 20000, 5);
  g_autofree char *out = g_build_filename (f->dir, "out", NULL);
  g_autoptr(BbConnectionInfo) info = g_new0 (BbConnectionInfo, 1);
  g_autoptr(BbBackupJob) job = NULL;
  g_autoptr(BbDatabase) db = open_db (path);
  g_autoptr(GHashTable) entries = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *zip = NULL;
  g_auto(GStrv) warnings = NULL;
  JsonObject *meta;
  JsonArray *models, *feedings;
  GBytes *bytes;
  gboolean seen_feeding = FALSE;

  g_assert_cmpint (g_mkdir (out, 0755), ==, 0);
  info->engine = BB_ENGINE_SQLITE;
  info->path = g_strdup (path);
  job = bb_backup_job_new (info, out);
  bb_backup_job_set_timezone (job, "Europe/Berlin");
  zip = bb_backup_job_run (job, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (zip);
  warnings = bb_backup_job_dup_warnings (job);
  g_assert_cmpuint (warnings ? g_strv_length (warnings) : 0, ==, 0);

  entries = bb_test_read_zip (zip);
  bytes = g_hash_table_lookup (entries, "metadata.json");
  g_assert_nonnull (bytes);
  json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  meta = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (meta, "babybuddy_version"), ==, "2.9.0 - 2.10.0");
  g_assert_cmpstr (json_object_get_string_member (meta, "database_engine"), ==, "django.db.backends.sqlite3");

  /* Each model's record count is its table's row count. */
  models = json_object_get_array_member (meta, "models");
  g_assert_cmpuint (json_array_get_length (models), >=, 27);
  for (guint i = 0; i < json_array_get_length (models); i++)
    {
      JsonObject *model = json_array_get_object_element (models, i);
      const char *label = json_object_get_string_member (model, "model");
      g_autofree char *table = NULL;
      const char *dot = strchr (label, '.');

      if (strcmp (label, "core.feeding") == 0)
        seen_feeding = TRUE;
      if (g_str_has_prefix (label, "core."))
        {
          table = g_strdup_printf ("core_%s", dot + 1);
          g_assert_cmpint (json_object_get_int_member (model, "records"), ==, count_rows (db, table));
        }
    }
  g_assert_true (seen_feeding);

  /* The feeding fixture parses and holds what the table holds. */
  bytes = g_hash_table_lookup (entries, "core/feeding.json");
  g_assert_nonnull (bytes);
  json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  feedings = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpint (json_array_get_length (feedings), ==, count_rows (db, "core_feeding"));
  {
    JsonObject *first = json_array_get_object_element (feedings, 0);
    JsonObject *fields = json_object_get_object_member (first, "fields");

    g_assert_cmpstr (json_object_get_string_member (first, "model"), ==, "core.feeding");
    g_assert_cmpint (json_object_get_int_member (first, "pk"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (fields, "child"), ==, 1);
    g_assert_true (g_str_has_suffix (json_object_get_string_member (fields, "start"), "Z"));
  }
}

static gpointer
cancel_later (gpointer data)
{
  g_usleep (150 * 1000);
  g_cancellable_cancel (data);
  return NULL;
}

static void
test_cancelled (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "cancelled.sqlite3", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  GThread *thread;
  gint64 started;

  /* Already cancelled: nothing is even created. */
  g_cancellable_cancel (cancellable);
  g_assert_false (bb_demo_create (path, 1000, 1, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  names = bb_test_list_dir (f->dir);
  g_assert_cmpuint (g_strv_length (names), ==, 0);
  g_clear_pointer (&names, g_strfreev);

  /* Cancelled part way through a generation that takes seconds. */
  g_cancellable_reset (cancellable);
  thread = g_thread_new ("cancel", cancel_later, cancellable);
  started = g_get_monotonic_time ();
  g_assert_false (bb_demo_create (path, 5000000, 1, cancellable, &error));
  g_thread_join (thread);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* It stopped at the next batch, not at the end. */
  g_assert_cmpint (g_get_monotonic_time () - started, <, 5 * G_USEC_PER_SEC);

  names = bb_test_list_dir (f->dir);
  if (names[0] != NULL)
    g_error ("a cancelled demo left %s behind", names[0]);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/bb/demo/row-count", test_row_count);
  ADD ("/bb/demo/content", test_content);
  ADD ("/bb/demo/deterministic", test_deterministic);
  ADD ("/bb/demo/empty", test_empty);
  ADD ("/bb/demo/existing-file-refused", test_existing_file);
  ADD ("/bb/demo/backup", test_backup);
  ADD ("/bb/demo/cancelled-leaves-nothing", test_cancelled);
#undef ADD

  return g_test_run ();
}
