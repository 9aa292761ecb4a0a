/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-restore-sqlite.c: restore on SQLite: round trips, replace and merge,
 * a freshly migrated target, refusals that leave the database unchanged,
 * rollback, safety backups, counters, media, Django fixtures, the command line. */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "bb-backup-job.h"
#include "bb-restore-job.h"
#include "bb-test-corpus.h"
#include "bb-test-util.h"

typedef struct {
  char             *dir;
  char             *reference;      /* a copy of the shared database */
  BbConnectionInfo *reference_info;
  char             *backup;         /* a backup of it */
  char             *safety;         /* safety backups go here */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = bb_test_make_tmpdir ();
  f->reference = bb_test_copy_reference_sqlite (f->dir);
  f->reference_info = bb_test_sqlite_info (f->reference);
  f->backup = bb_test_backup (f->reference_info, f->dir);
  f->safety = g_build_filename (f->dir, "safety", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  bb_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->reference);
  bb_connection_info_free (f->reference_info);
  g_free (f->backup);
  g_free (f->safety);
}

static char *
make_target (Fixture    *f,
             const char *name)
{
  g_autofree char *sub = g_build_filename (f->dir, name, NULL);

  g_mkdir (sub, 0700);
  return bb_test_make_empty_sqlite (sub);
}

static BbRestoreJob *
new_job (Fixture                *f,
         const char             *file,
         const BbConnectionInfo *target,
         BbRestoreMode           mode)
{
  BbRestoreJob *job = bb_restore_job_new (file, target);

  bb_restore_job_set_mode (job, mode);
  bb_restore_job_set_safety_dir (job, f->safety);
  return job;
}

static void
restore_ok (Fixture                *f,
            const char             *file,
            const BbConnectionInfo *target,
            BbRestoreMode           mode)
{
  g_autoptr(BbRestoreJob) job = new_job (f, file, target, mode);
  g_autoptr(GError) error = NULL;

  if (!bb_restore_job_run (job, NULL, &error))
    {
      const BbRestorePreview *preview = bb_restore_job_get_preview (job);
      for (guint i = 0; preview && i < preview->problems->len; i++)
        g_printerr ("problem: %s\n", (char *) g_ptr_array_index (preview->problems, i));
    }
  g_assert_no_error (error);
}

static char *
backup_of (Fixture    *f,
           const char *db,
           const char *name)
{
  g_autoptr(BbConnectionInfo) info = bb_test_sqlite_info (db);
  g_autofree char *folder = g_build_filename (f->dir, name, NULL);

  g_mkdir (folder, 0700);
  return bb_test_backup (info, folder);
}

static char *
query (const char *db,
       const char *sql)
{
  g_autoptr(BbConnectionInfo) info = bb_test_sqlite_info (db);
  g_autoptr(BbDatabase) database = bb_database_new (info);
  g_autoptr(GError) error = NULL;
  char *value;

  g_assert_true (bb_database_open (database, &error));
  value = bb_database_query_value (database, sql, &error);
  g_assert_no_error (error);
  return value;
}

/* Round trip into a freshly migrated database: the same model files. A plain
 * loaddata fails here (the admin's settings row collides). */
static void
test_round_trip_fresh (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *target = make_target (f, "fresh");
  g_autoptr(BbConnectionInfo) info = bb_test_sqlite_info (target);
  g_autofree char *again = NULL;

  restore_ok (f, f->backup, info, BB_RESTORE_MODE_REPLACE);
  again = backup_of (f, target, "again");
  bb_test_assert_same_models (f->backup, again);
}

/* Replace into a database with other data: afterwards it holds the backup's
 * data exactly; old sessions and cached pages are gone; counters follow. */
static void
test_replace_non_empty (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *target = make_target (f, "busy");
  g_autoptr(BbConnectionInfo) info = bb_test_sqlite_info (target);
  g_autofree char *again = NULL, *sessions = NULL, *cache = NULL, *seq = NULL, *max = NULL;

  bb_test_sqlite_exec (target,
                       "INSERT INTO core_child (id, first_name, last_name, birth_date, slug) "
                       "VALUES (77, 'Other', 'Kid', '2020-01-01', 'other-kid');"
                       "INSERT INTO core_note (id, child_id, note, time) "
                       "VALUES (9000, 77, 'x', '2024-01-01 00:00:00');"
                       "INSERT INTO django_session VALUES ('abc', 'data', '2030-01-01 00:00:00');"
                       "INSERT INTO cache_default VALUES ('k', 'v', '2030-01-01 00:00:00');"
                       "UPDATE sqlite_sequence SET seq = 99999 WHERE name = 'core_note';");
  restore_ok (f, f->backup, info, BB_RESTORE_MODE_REPLACE);
  again = backup_of (f, target, "again");
  bb_test_assert_same_models (f->backup, again);

  sessions = query (target, "SELECT COUNT(*) FROM django_session");
  cache = query (target, "SELECT COUNT(*) FROM cache_default");
  g_assert_cmpstr (sessions, ==, "0");
  g_assert_cmpstr (cache, ==, "0");
  seq = query (target, "SELECT seq FROM sqlite_sequence WHERE name = 'core_note'");
  max = query (target, "SELECT MAX(id) FROM core_note");
  g_assert_cmpstr (seq, ==, max);
}

/* A target whose tables hold more rows than one slice of the SQLite delete
 * (50,000): 130,000 feedings, and tags on every one. Replace leaves exactly
 * the backup's data; a late failure leaves the target exactly as it was. */
static char *
make_large_target (Fixture    *f,
                   const char *name)
{
  g_autofree char *sub = g_build_filename (f->dir, name, NULL);
  g_autofree char *target = NULL;
  g_autofree char *count = NULL;

  g_mkdir (sub, 0700);
  target = bb_test_copy_reference_sqlite (sub);
  bb_test_sqlite_exec (target,
                       "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 130000) "
                       "INSERT INTO core_feeding (id, start, \"end\", duration, type, method, amount, child_id, notes) "
                       "SELECT 1000000 + i, '2020-01-01 00:00:00', '2020-01-01 00:10:00', 600000000, "
                       "'formula', 'bottle', i % 200, 1, 'bulk ' || i FROM n;"
                       "INSERT INTO core_tagged (object_id, content_type_id, tag_id) "
                       "SELECT f.id, t.content_type_id, t.tag_id FROM core_feeding f, "
                       "(SELECT content_type_id, tag_id FROM core_tagged LIMIT 1) t WHERE f.id > 1000000;");
  count = query (target, "SELECT COUNT(*) FROM core_feeding");
  g_assert_cmpint (g_ascii_strtoll (count, NULL, 10), >, 130000);
  return g_steal_pointer (&target);
}

static void
test_replace_large (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *target = make_large_target (f, "large");
  g_autoptr(BbConnectionInfo) info = bb_test_sqlite_info (target);
  g_autofree char *again = NULL, *before = NULL, *after = NULL;
  g_autoptr(BbRestoreJob) job = NULL;
  g_autoptr(GError) error = NULL;

  before = bb_test_logical_dump (info);
  job = new_job (f, f->backup, info, BB_RESTORE_MODE_REPLACE);
  bb_restore_job_set_fail_after (job, 90000);
  g_assert_false (bb_restore_job_run (job, NULL, &error));
  g_assert_error (error, BB_RESTORE_ERROR, BB_RESTORE_ERROR_FAILED);
  after = bb_test_logical_dump (info);
  g_assert_true (before != NULL && after != NULL && strcmp (before, after) == 0);

  restore_ok (f, f->backup, info, BB_RESTORE_MODE_REPLACE);
  again = backup_of (f, target, "again");
  bb_test_assert_same_models (f->backup, again);
}

/* Merge keeps the target's other rows, updates by pk, matches settings by
 * user, and replaces many-to-many sets of merged records. */
static void
test_merge (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *target = make_target (f, "merge");
  g_autoptr(BbConnectionInfo) info = bb_test_sqlite_info (target);
  g_autofree char *kept = NULL, *settings = NULL, *settings_pk = NULL, *children = NULL;
  g_autofree char *feedings = NULL, *expected = NULL, *groups = NULL;

  /* The admin's settings under another id; a child the backup does not have. */
  bb_test_sqlite_exec (target,
                       "UPDATE babybuddy_settings SET id = 7 WHERE user_id = 1;"
                       "INSERT INTO core_child (id, first_name, last_name, birth_date, slug) "
                       "VALUES (77, 'Other', 'Kid', '2020-01-01', 'other-kid');");
  restore_ok (f, f->backup, info, BB_RESTORE_MODE_MERGE);

  kept = query (target, "SELECT first_name FROM core_child WHERE id = 77");
  g_assert_cmpstr (kept, ==, "Other");
  children = query (target, "SELECT COUNT(*) FROM core_child");
  g_assert_cmpstr (children, ==, "3");
  settings = query (target, "SELECT COUNT(*) FROM babybuddy_settings WHERE user_id = 1");
  settings_pk = query (target, "SELECT id FROM babybuddy_settings WHERE user_id = 1");
  g_assert_cmpstr (settings, ==, "1");
  g_assert_cmpstr (settings_pk, ==, "1");
  feedings = query (target, "SELECT COUNT(*) FROM core_feeding");
  expected = query (f->reference, "SELECT COUNT(*) FROM core_feeding");
  g_assert_cmpstr (feedings, ==, expected);
  groups = query (target, "SELECT group_concat(group_id) FROM auth_user_groups WHERE user_id = 2");
  g_assert_cmpstr (groups, ==, "1");

  /* A second merge changes no record (many-to-many rows are written anew,
   * so compare what a backup sees). */
  {
    g_autofree char *before = backup_of (f, target, "merge-1");
    g_autofree char *after = NULL;
    restore_ok (f, f->backup, info, BB_RESTORE_MODE_MERGE);
    after = backup_of (f, target, "merge-2");
    bb_test_assert_same_models (before, after);
  }
}

/* Merge: a unique name the target has on another record is a conflict,
 * reported with model, pk and field before anything is written. */
static void
test_merge_unique_conflict (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *target = make_target (f, "conflict");
  g_autoptr(BbConnectionInfo) info = bb_test_sqlite_info (target);
  g_autofree char *slug = query (f->reference, "SELECT slug FROM core_child WHERE id = 1");
  g_autofree char *sql = g_strdup_printf ("INSERT INTO core_child (id, first_name, last_name, "
                                          "birth_date, slug) VALUES (50, 'A', 'B', '2020-01-01', '%s')",
                                          slug);
  g_autoptr(BbRestoreJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL, *after = NULL;
  const BbRestorePreview *preview;
  gboolean found = FALSE;

  bb_test_sqlite_exec (target, sql);
  before = bb_test_logical_dump (info);
  job = new_job (f, f->backup, info, BB_RESTORE_MODE_MERGE);
  g_assert_false (bb_restore_job_run (job, NULL, &error));
  g_assert_error (error, BB_RESTORE_ERROR, BB_RESTORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Your data has not been changed"));
  preview = bb_restore_job_get_preview (job);
  for (guint i = 0; i < preview->problems->len; i++)
    {
      const char *p = g_ptr_array_index (preview->problems, i);
      if (strstr (p, "core.child 1") && strstr (p, "slug") && strstr (p, slug))
        found = TRUE;
    }
  g_assert_true (found);
  after = bb_test_logical_dump (info);
  g_assert_cmpstr (before, ==, after);
}

/* A reference to a record that is only in the target: fine when merging
 * (the record stays), refused when replacing (it would be deleted). The
 * preview counts the records a merge overwrites. */
static void
test_merge_reference_to_target (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *target = make_target (f, "merge-ref");
  g_autoptr(BbConnectionInfo) info = bb_test_sqlite_info (target);
  g_autofree char *dangling = g_build_filename (f->dir, "dangling.zip", NULL);
  g_autoptr(BbRestoreJob) replace = NULL;
  g_autoptr(BbRestoreJob) merge = NULL;
  g_autoptr(GError) error = NULL;
  const BbRestorePreview *preview;
  g_autofree char *child = NULL;

  g_assert_true (bb_test_corpus_make (BB_TEST_CORPUS_DANGLING_FK, f->backup, dangling, NULL));
  bb_test_sqlite_exec (target, "INSERT INTO core_child (id, first_name, last_name, birth_date, slug) "
                               "VALUES (999999, 'Only', 'Here', '2020-01-01', 'only-here');");

  replace = new_job (f, dangling, info, BB_RESTORE_MODE_REPLACE);
  g_assert_false (bb_restore_job_run (replace, NULL, &error));
  g_assert_error (error, BB_RESTORE_ERROR, BB_RESTORE_ERROR_INVALID);
  g_clear_error (&error);

  merge = new_job (f, dangling, info, BB_RESTORE_MODE_MERGE);
  preview = bb_restore_job_check (merge, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (preview->problems->len, ==, 0);
  /* The fresh target's admin, settings, group and dbsettings rows share ids with the backup. */
  g_assert_cmpuint (preview->merge_overwrites, >, 0);
  g_assert_true (bb_restore_job_run (merge, NULL, &error));
  g_assert_no_error (error);
  child = query (target, "SELECT first_name FROM core_child WHERE id = 999999");
  g_assert_cmpstr (child, ==, "Only");
}

/* The preview: children with date ranges and counts, users, media, warnings. */
static void
test_preview (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *media_backup = NULL;
  g_autofree char *folder = g_build_filename (f->dir, "media-backup", NULL);
  g_autofree char *media = g_build_filename (bb_test_shared_dir (), "babybuddy", "media", NULL);
  g_autoptr(BbBackupJob) backup = NULL;
  g_autoptr(BbRestoreJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *target = make_target (f, "preview");
  g_autoptr(BbConnectionInfo) info = bb_test_sqlite_info (target);
  const BbRestorePreview *preview;
  g_autofree char *first = NULL, *last = NULL, *feedings = NULL;
  BbPreviewChild *child;
  gboolean saw_feedings = FALSE;

  g_mkdir (folder, 0700);
  backup = bb_backup_job_new (f->reference_info, folder);
  bb_backup_job_set_media_dir (backup, media);
  media_backup = bb_backup_job_run (backup, NULL, &error);
  g_assert_no_error (error);

  job = new_job (f, media_backup, info, BB_RESTORE_MODE_REPLACE);
  preview = bb_restore_job_check (job, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (preview);
  g_assert_cmpuint (preview->problems->len, ==, 0);
  g_assert_cmpstr (preview->format_version, ==, "1.0");
  g_assert_cmpstr (preview->source_engine, ==, "SQLite");
  g_assert_cmpstr (preview->babybuddy_version, ==, "2.9.0 - 2.10.0");
  g_assert_cmpuint (preview->total_records, ==, 94687);
  g_assert_cmpuint (preview->media_files, ==, 2);
  g_assert_cmpuint (preview->media_bytes, ==, 676 + 677);
  g_assert_cmpuint (preview->users->len, ==, 3);
  g_assert_cmpuint (preview->children->len, ==, 2);
  g_assert_cmpuint (preview->target_records, >, 0);
  g_assert_cmpuint (preview->warnings->len, >=, 1);   /* the target is not empty */

  first = query (f->reference, "SELECT first_name || ' ' || last_name FROM core_child "
                               "ORDER BY first_name || ' ' || last_name LIMIT 1");
  child = g_ptr_array_index (preview->children, 0);
  g_assert_cmpstr (child->name, ==, first);
  last = query (f->reference, "SELECT substr(MIN(start), 1, 10) FROM core_feeding WHERE child_id = "
                              "(SELECT id FROM core_child WHERE first_name || ' ' || last_name = "
                              "(SELECT first_name || ' ' || last_name FROM core_child "
                              "ORDER BY 1 LIMIT 1))");
  g_assert_nonnull (child->first_entry);
  g_assert_cmpstr (child->first_entry, <=, last);
  feedings = query (f->reference, "SELECT COUNT(*) FROM core_feeding WHERE child_id = "
                                  "(SELECT id FROM core_child WHERE first_name || ' ' || last_name = "
                                  "(SELECT first_name || ' ' || last_name FROM core_child "
                                  "ORDER BY 1 LIMIT 1))");
  for (guint i = 0; i < child->counts->len; i++)
    {
      BbPreviewCount *count = g_ptr_array_index (child->counts, i);
      if (strcmp (count->label, "core.feeding") == 0)
        {
          g_assert_cmpuint (count->count, ==, g_ascii_strtoull (feedings, NULL, 10));
          saw_feedings = TRUE;
        }
    }
  g_assert_true (saw_feedings);
}

/* What the message about each broken archive must mention. */
static const char *
expected_text (BbTestCorpusKind kind)
{
  switch (kind)
    {
    case BB_TEST_CORPUS_TRUNCATED:            return "incomplete";
    case BB_TEST_CORPUS_FLIPPED_BYTES:        return "core/feeding.json";
    case BB_TEST_CORPUS_BAD_CRC:              return "core/feeding.json";
    case BB_TEST_CORPUS_PATH_TRAVERSAL:       return "evil.txt";
    case BB_TEST_CORPUS_ABSOLUTE_PATH:        return "/tmp/evil.txt";
    case BB_TEST_CORPUS_SYMLINK:              return "media/link";
    case BB_TEST_CORPUS_ZIP_BOMB:             return "core/bomb.json";
    case BB_TEST_CORPUS_NO_METADATA:          return "metadata.json";
    case BB_TEST_CORPUS_UNKNOWN_VERSION:      return "newer version";
    case BB_TEST_CORPUS_BAD_JSON_LAST_RECORD: return "not valid JSON";
    case BB_TEST_CORPUS_WRONG_TYPES:          return "yesterday";
    case BB_TEST_CORPUS_DUPLICATE_PK:         return "appears more than once";
    case BB_TEST_CORPUS_DANGLING_FK:          return "999999";
    case BB_TEST_CORPUS_UNKNOWN_MODEL:        return "core.unicorn";
    case BB_TEST_CORPUS_UNKNOWN_FIELD:        return "colour";
    default:
      g_assert_not_reached ();
    }
}

/* Each broken archive is refused with its own message; the database is
 * exactly as before. */
static void
test_corpus (Fixture       *f,
             gconstpointer  data)
{
  BbTestCorpusKind kind = GPOINTER_TO_INT (data);
  g_autofree char *target = make_target (f, "corpus");
  g_autoptr(BbConnectionInfo) info = bb_test_sqlite_info (target);
  g_autofree char *broken = g_build_filename (f->dir, "broken.zip", NULL);
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr(BbRestoreJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) make_error = NULL;
  const BbRestorePreview *preview;
  g_autofree char *all = NULL;

  g_assert_true (bb_test_corpus_make (kind, f->backup, broken, &make_error));
  g_assert_no_error (make_error);

  before = bb_test_logical_dump (info);
  job = new_job (f, broken, info, BB_RESTORE_MODE_REPLACE);
  g_assert_false (bb_restore_job_run (job, NULL, &error));
  g_assert_nonnull (error);
  preview = bb_restore_job_get_preview (job);
  if (preview != NULL && preview->problems->len > 0)
    {
      GString *text = g_string_new (NULL);
      for (guint i = 0; i < preview->problems->len; i++)
        g_string_append_printf (text, "%s\n", (char *) g_ptr_array_index (preview->problems, i));
      all = g_string_free (text, FALSE);
    }
  else
    all = g_strdup (error->message);
  g_test_message ("%s: %s", bb_test_corpus_name (kind), all);
  g_assert_nonnull (strstr (all, expected_text (kind)));
  g_assert_nonnull (strstr (error->message, "Your data has not been changed"));

  after = bb_test_logical_dump (info);
  g_assert_cmpstr (before, ==, after);
  /* No safety backup is taken for a file that is refused. */
  g_assert_false (g_file_test (f->safety, G_FILE_TEST_EXISTS));
}

/* A failure after most rows are written rolls everything back. */
static void
test_rollback_late_failure (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *target = make_target (f, "late");
  g_autoptr(BbConnectionInfo) info = bb_test_sqlite_info (target);
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr(BbRestoreJob) job = NULL;
  g_autoptr(GError) error = NULL;

  bb_test_sqlite_exec (target, "INSERT INTO django_session VALUES ('abc', 'data', '2030-01-01 00:00:00');");
  before = bb_test_logical_dump (info);
  job = new_job (f, f->backup, info, BB_RESTORE_MODE_REPLACE);
  bb_restore_job_set_fail_after (job, 90000);
  g_assert_false (bb_restore_job_run (job, NULL, &error));
  g_assert_error (error, BB_RESTORE_ERROR, BB_RESTORE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "Your data has not been changed"));
  g_assert_cmpuint (bb_restore_job_get_records_done (job), >=, 90000);
  after = bb_test_logical_dump (info);
  g_assert_cmpstr (before, ==, after);
}

static void
cancel_when_halfway_cb (BbRestoreJob *job,
                        GParamSpec   *pspec,
                        GCancellable *cancellable)
{
  if (bb_restore_job_get_records_total (job) > 0
      && bb_restore_job_get_records_done (job) > bb_restore_job_get_records_total (job) / 2)
    g_cancellable_cancel (cancellable);
}

/* Cancel while writing: rolled back, reported as a cancel. */
static void
test_cancel_rolls_back (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *target = make_target (f, "cancel");
  g_autoptr(BbConnectionInfo) info = bb_test_sqlite_info (target);
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr(BbRestoreJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  const BbRestorePreview *preview;

  before = bb_test_logical_dump (info);
  job = new_job (f, f->backup, info, BB_RESTORE_MODE_MERGE);
  preview = bb_restore_job_check (job, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (preview->problems->len, ==, 0);
  /* Progress is notified synchronously without a main context: cancel from there. */
  g_signal_connect (job, "notify::records-done", G_CALLBACK (cancel_when_halfway_cb), cancellable);
  g_assert_false (bb_restore_job_run (job, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  after = bb_test_logical_dump (info);
  g_assert_cmpstr (before, ==, after);
}

/* A replace takes a safety backup first, keeps the last five, reports it,
 * and the safety backup restores the previous state. */
static void
test_safety_backup (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *target = make_target (f, "safe");
  g_autoptr(BbConnectionInfo) info = bb_test_sqlite_info (target);
  g_autofree char *before = bb_test_logical_dump (info);
  g_autofree char *undone = NULL;
  g_autofree char *safety_path = NULL;
  g_auto(GStrv) files = NULL;

  for (int i = 0; i < 7; i++)
    {
      g_autoptr(BbRestoreJob) job = new_job (f, f->backup, info, BB_RESTORE_MODE_REPLACE);
      g_autoptr(GError) error = NULL;

      g_assert_true (bb_restore_job_run (job, NULL, &error));
      g_assert_no_error (error);
      g_assert_nonnull (bb_restore_job_get_safety_backup (job));
      g_assert_true (g_str_has_prefix (bb_restore_job_get_safety_backup (job), f->safety));
      g_assert_true (g_file_test (bb_restore_job_get_safety_backup (job), G_FILE_TEST_IS_REGULAR));

      if (i == 0)
        {
          /* Undo: the safety backup brings back the state before. */
          safety_path = g_build_filename (f->dir, "undo.zip", NULL);
          g_assert_cmpint (g_rename (bb_restore_job_get_safety_backup (job), safety_path), ==, 0);
          restore_ok (f, safety_path, info, BB_RESTORE_MODE_REPLACE);
          undone = bb_test_logical_dump (info);
          /* The same rows; only the id counters now follow the data (they
           * were ahead in this copy, whose rows were deleted to make it). */
          *strstr (before, "== sqlite_sequence") = '\0';
          *strstr (undone, "== sqlite_sequence") = '\0';
          if (!bb_test_same_text (before, undone))
            g_assert_cmpstr (before, ==, undone);
        }
    }
  /* Seven restores (and the undo): the last five safety backups are kept. */
  files = bb_test_list_dir (f->safety);
  g_assert_cmpuint (g_strv_length (files), ==, 5);
}

/* Media go into the chosen folder only; merge keeps existing files. */
static void
test_media (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (f->dir, "media-backup", NULL);
  g_autofree char *media = g_build_filename (bb_test_shared_dir (), "babybuddy", "media", NULL);
  g_autofree char *out = g_build_filename (f->dir, "restored-media", NULL);
  g_autofree char *picture = g_build_filename (out, "child", "picture", "oracle-child.jpg", NULL);
  g_autofree char *original = g_build_filename (media, "child", "picture", "oracle-child.jpg", NULL);
  g_autofree char *target = make_target (f, "media");
  g_autoptr(BbConnectionInfo) info = bb_test_sqlite_info (target);
  g_autoptr(BbBackupJob) backup = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL, *a = NULL, *b = NULL;
  gsize la, lb;

  g_mkdir (folder, 0700);
  backup = bb_backup_job_new (f->reference_info, folder);
  bb_backup_job_set_media_dir (backup, media);
  path = bb_backup_job_run (backup, NULL, &error);
  g_assert_no_error (error);

  /* Merge into a folder that has the picture already: it is kept. */
  {
    g_autofree char *picture_dir = g_path_get_dirname (picture);
    g_mkdir_with_parents (picture_dir, 0755);
  }
  g_assert_true (g_file_set_contents (picture, "mine", -1, NULL));
  {
    g_autoptr(BbRestoreJob) job = new_job (f, path, info, BB_RESTORE_MODE_MERGE);
    bb_restore_job_set_media_dir (job, out);
    g_assert_true (bb_restore_job_run (job, NULL, &error));
    g_assert_no_error (error);
  }
  g_assert_true (g_file_get_contents (picture, &a, &la, NULL));
  g_assert_cmpstr (a, ==, "mine");
  g_clear_pointer (&a, g_free);

  /* What a killed restore left in the folder: its staged temporary goes,
   * files that only look alike stay. */
  {
    g_autofree char *picture_dir = g_path_get_dirname (picture);
    const char *leftovers[] = { ".oracle-child.jpg.restore-Ab12Cd", ".notes.restore-abc",
                                "notes.restore-abcdef", ".restore-abcdef" };

    for (guint i = 0; i < G_N_ELEMENTS (leftovers); i++)
      {
        g_autofree char *leftover = g_build_filename (picture_dir, leftovers[i], NULL);
        g_assert_true (g_file_set_contents (leftover, "x", -1, NULL));
      }
  }

  /* Replace overwrites it with the backup's. */
  {
    g_autoptr(BbRestoreJob) job = new_job (f, path, info, BB_RESTORE_MODE_REPLACE);
    bb_restore_job_set_media_dir (job, out);
    g_assert_true (bb_restore_job_run (job, NULL, &error));
    g_assert_no_error (error);
  }
  g_assert_true (g_file_get_contents (picture, &a, &la, NULL));
  g_assert_true (g_file_get_contents (original, &b, &lb, NULL));
  g_assert_cmpmem (a, la, b, lb);
  {
    g_autofree char *picture_dir = g_path_get_dirname (picture);
    g_auto(GStrv) names = bb_test_list_dir (picture_dir);
    g_autofree char *joined = g_strjoinv (" ", names);

    g_assert_cmpstr (joined, ==, ".notes.restore-abc .restore-abcdef notes.restore-abcdef oracle-child.jpg");
  }

  /* Nothing but the two files (and their folders) was written. */
  {
    g_auto(GStrv) top = bb_test_list_dir (out);
    g_autofree char *notes = g_build_filename (out, "notes", "images", NULL);
    g_auto(GStrv) note_files = bb_test_list_dir (notes);
    g_assert_cmpuint (g_strv_length (top), ==, 2);
    g_assert_cmpuint (g_strv_length (note_files), ==, 1);
  }
}

/* A media folder with a symbolic link inside: nothing is written through it. */
static void
test_media_symlink (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (f->dir, "media-backup", NULL);
  g_autofree char *media = g_build_filename (bb_test_shared_dir (), "babybuddy", "media", NULL);
  g_autofree char *out = g_build_filename (f->dir, "restored-media", NULL);
  g_autofree char *elsewhere = g_build_filename (f->dir, "elsewhere", NULL);
  g_autofree char *link = g_build_filename (out, "child", NULL);
  g_autofree char *target = make_target (f, "media");
  g_autoptr(BbConnectionInfo) info = bb_test_sqlite_info (target);
  g_autofree char *before = bb_test_logical_dump (info);
  g_autofree char *after = NULL;
  g_autoptr(BbBackupJob) backup = NULL;
  g_autoptr(BbRestoreJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_auto(GStrv) outside = NULL;

  g_mkdir (folder, 0700);
  g_mkdir (out, 0700);
  g_mkdir (elsewhere, 0700);
  g_assert_cmpint (symlink (elsewhere, link), ==, 0);
  backup = bb_backup_job_new (f->reference_info, folder);
  bb_backup_job_set_media_dir (backup, media);
  path = bb_backup_job_run (backup, NULL, &error);
  g_assert_no_error (error);

  job = new_job (f, path, info, BB_RESTORE_MODE_REPLACE);
  bb_restore_job_set_media_dir (job, out);
  g_assert_false (bb_restore_job_run (job, NULL, &error));
  g_assert_error (error, BB_RESTORE_ERROR, BB_RESTORE_ERROR_MEDIA);
  outside = bb_test_list_dir (elsewhere);
  g_assert_cmpuint (g_strv_length (outside), ==, 0);
  after = bb_test_logical_dump (info);
  g_assert_cmpstr (before, ==, after);
}

/* A plain Django fixture (dumpdata output): .json, .json.gz and a ZIP with
 * one .json. Content types and permissions come as ids of the source
 * database and are mapped through the fixture's own records. */
static void
test_django_fixture (Fixture       *f,
                     gconstpointer  data)
{
  const char *form = data;
  g_autofree char *dumpdata = g_build_filename (bb_test_shared_dir (), "babybuddy", "sqlite",
                                                "dumpdata.json", NULL);
  g_autofree char *input = NULL;
  g_autofree char *target = make_target (f, "fixture");
  g_autoptr(BbConnectionInfo) info = bb_test_sqlite_info (target);
  g_autofree char *expected = NULL, *again = NULL;
  g_autofree char *ms_copy_dir = g_build_filename (f->dir, "ms", NULL);
  g_autofree char *ms_copy = NULL;
  g_autoptr(BbConnectionInfo) ms_info = NULL;

  if (strcmp (form, "json") == 0)
    input = g_strdup (dumpdata);
  else if (strcmp (form, "gz") == 0)
    {
      g_autofree char *cmd = NULL;
      input = g_build_filename (f->dir, "dump.json.gz", NULL);
      cmd = g_strdup_printf ("sh -c 'gzip -c < \"%s\" > \"%s\"'", dumpdata, input);
      g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
    }
  else
    {
      zip_t *zip;
      int err = 0;
      input = g_build_filename (f->dir, "dump.zip", NULL);
      zip = zip_open (input, ZIP_CREATE | ZIP_TRUNCATE, &err);
      g_assert_nonnull (zip);
      g_assert_cmpint (zip_file_add (zip, "babybuddy/dump.json",
                                     zip_source_file (zip, dumpdata, 0, -1), 0), >=, 0);
      g_assert_cmpint (zip_close (zip), ==, 0);
    }

  restore_ok (f, input, info, BB_RESTORE_MODE_REPLACE);

  /* Django's dumpdata has milliseconds: compare with the reference cut to them. */
  g_mkdir (ms_copy_dir, 0700);
  ms_copy = bb_test_copy_reference_sqlite (ms_copy_dir);
  bb_test_truncate_sqlite_to_ms (ms_copy);
  ms_info = bb_test_sqlite_info (ms_copy);
  expected = backup_of (f, ms_copy, "expected");
  again = backup_of (f, target, "again");
  bb_test_assert_same_models (expected, again);
}

/* References a fixture makes before the records they name: checked at the
 * end, one kept per referred record (memory does not grow with the file),
 * every referring record counted. */
static void
test_fixture_missing_references (Fixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *target = make_target (f, "missing");
  g_autoptr(BbConnectionInfo) info = bb_test_sqlite_info (target);
  g_autofree char *input = g_build_filename (f->dir, "missing.json", NULL);
  g_autoptr(GString) json = g_string_new ("[");
  g_autoptr(BbRestoreJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = bb_test_logical_dump (info);
  g_autofree char *after = NULL;
  const BbRestorePreview *preview;
  static const int children[] = { 999, 999, 999, 999, 998, 1 };

  for (guint i = 0; i < G_N_ELEMENTS (children); i++)
    g_string_append_printf (json, "{\"model\": \"core.feeding\", \"pk\": %u, \"fields\": {\"child\": %d, "
                            "\"start\": \"2024-11-24T03:14:17.805Z\", \"end\": \"2024-11-24T03:22:17.805Z\", "
                            "\"duration\": \"00:08:00\", \"type\": \"formula\", \"method\": \"bottle\", "
                            "\"amount\": null, \"notes\": \"\"}},\n", i + 1, children[i]);
  g_string_append (json, "{\"model\": \"core.child\", \"pk\": 1, \"fields\": {\"first_name\": \"A\", "
                         "\"last_name\": \"B\", \"birth_date\": \"2024-11-23\", \"birth_time\": null, "
                         "\"slug\": \"a-b\", \"picture\": \"\"}}]");
  g_assert_true (g_file_set_contents (input, json->str, json->len, NULL));

  job = new_job (f, input, info, BB_RESTORE_MODE_REPLACE);
  g_assert_false (bb_restore_job_run (job, NULL, &error));
  g_assert_error (error, BB_RESTORE_ERROR, BB_RESTORE_ERROR_INVALID);
  preview = bb_restore_job_get_preview (job);
  g_assert_cmpuint (preview->problems->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (preview->problems, 0), ==,
                   "core.feeding 1: “child” refers to record 999 of core.child, which is not in the backup.");
  g_assert_cmpstr (g_ptr_array_index (preview->problems, 1), ==,
                   "core.feeding 5: “child” refers to record 998 of core.child, which is not in the backup.");
  g_assert_cmpstr (g_ptr_array_index (preview->problems, 2), ==, "… and 3 more problems in core.feeding.");
  after = bb_test_logical_dump (info);
  g_assert_cmpstr (before, ==, after);
}

/* Other migrations on the target: allowed (with a warning) when every field
 * fits, refused naming both versions when a column is missing. */
static void
test_other_version (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *target = make_target (f, "version");
  g_autoptr(BbConnectionInfo) info = bb_test_sqlite_info (target);
  g_autoptr(BbRestoreJob) fits = NULL;
  g_autoptr(BbRestoreJob) misses = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL, *after = NULL;
  const BbRestorePreview *preview;
  gboolean named = FALSE;

  /* One migration less: "2.7.0 - 2.8.0" by the release table, same columns. */
  bb_test_sqlite_exec (target, "DELETE FROM django_migrations WHERE app = 'core' AND name = '0036_medication'");
  fits = new_job (f, f->backup, info, BB_RESTORE_MODE_REPLACE);
  preview = bb_restore_job_check (fits, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (preview->problems->len, ==, 0);
  for (guint i = 0; i < preview->warnings->len; i++)
    if (strstr (g_ptr_array_index (preview->warnings, i), "2.9.0 - 2.10.0"))
      named = TRUE;
  g_assert_true (named);

  /* A column the backup has is missing: refused, both versions named. */
  bb_test_sqlite_exec (target, "ALTER TABLE core_sleep DROP COLUMN nap");
  before = bb_test_logical_dump (info);
  misses = new_job (f, f->backup, info, BB_RESTORE_MODE_REPLACE);
  g_assert_false (bb_restore_job_run (misses, NULL, &error));
  g_assert_error (error, BB_RESTORE_ERROR, BB_RESTORE_ERROR_INVALID);
  preview = bb_restore_job_get_preview (misses);
  named = FALSE;
  for (guint i = 0; i < preview->problems->len; i++)
    {
      const char *p = g_ptr_array_index (preview->problems, i);
      if (strstr (p, "2.9.0 - 2.10.0") && strstr (p, "Baby Buddy"))
        named = TRUE;
    }
  g_assert_true (named);
  after = bb_test_logical_dump (info);
  g_assert_cmpstr (before, ==, after);
}

/* A newer major format: refused, saying so. */
static void
test_newer_format (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *target = make_target (f, "newer");
  g_autoptr(BbConnectionInfo) info = bb_test_sqlite_info (target);
  g_autofree char *broken = g_build_filename (f->dir, "newer.zip", NULL);
  g_autoptr(BbRestoreJob) job = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (bb_test_corpus_make (BB_TEST_CORPUS_UNKNOWN_VERSION, f->backup, broken, NULL));
  job = new_job (f, broken, info, BB_RESTORE_MODE_REPLACE);
  g_assert_false (bb_restore_job_run (job, NULL, &error));
  g_assert_error (error, BB_RESTORE_ERROR, BB_RESTORE_ERROR_NEWER_FORMAT);
  g_assert_nonnull (strstr (error->message, "newer version"));
}

/* Progress is delivered in the thread that started the job, records done
 * never exceed the total, and the end reaches it. */
static void
progress_cb (BbRestoreJob *job,
             GParamSpec   *pspec,
             gpointer      user_data)
{
  guint *calls = user_data;

  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  g_assert_cmpuint (bb_restore_job_get_records_done (job), <=, MAX (bb_restore_job_get_records_total (job), 1));
  (*calls)++;
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  gboolean *ok = user_data;
  g_autoptr(GError) error = NULL;

  *ok = bb_restore_job_run_finish (BB_RESTORE_JOB (source), result, &error);
  g_assert_no_error (error);
}

static void
test_async_progress (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *target = make_target (f, "async");
  g_autoptr(BbConnectionInfo) info = bb_test_sqlite_info (target);
  g_autoptr(BbRestoreJob) job = new_job (f, f->backup, info, BB_RESTORE_MODE_REPLACE);
  gboolean ok = FALSE;
  guint calls = 0;

  g_signal_connect (job, "notify::records-done", G_CALLBACK (progress_cb), &calls);
  bb_restore_job_run_async (job, NULL, done_cb, &ok);
  while (!ok)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (calls, >, 2);
  g_assert_cmpuint (bb_restore_job_get_records_done (job), ==, 94687);
  g_assert_cmpuint (bb_restore_job_get_records_total (job), ==, 94687);
}

/* verify: the archive alone. */
static void
test_verify (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *broken = g_build_filename (f->dir, "dangling.zip", NULL);
  g_autofree char *out = NULL, *err = NULL;
  const char *good_args[] = { "verify", f->backup, NULL };
  const char *bad_args[] = { "verify", broken, NULL };

  g_assert_cmpint (bb_test_run_cli (good_args, NULL, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "94687"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_true (bb_test_corpus_make (BB_TEST_CORPUS_DANGLING_FK, f->backup, broken, NULL));
  g_assert_cmpint (bb_test_run_cli (bad_args, NULL, &out, &err), ==, 1);
  g_assert_nonnull (strstr (err, "999999"));
}

/* The command line: --yes needed off a terminal; restore and its summary. */
static void
test_cli_restore (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *target = make_target (f, "cli");
  g_autofree char *url = g_strdup_printf ("sqlite://%s", target);
  g_autofree char *out = NULL, *err = NULL, *again = NULL;
  const char *no_yes[] = { "restore", f->backup, "--database", url, NULL };
  const char *args[] = { "restore", f->backup, "--database", url, "--yes", "--no-safety-backup", NULL };

  g_assert_cmpint (bb_test_run_cli (no_yes, NULL, &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "--yes"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (bb_test_run_cli (args, NULL, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Restored 94687 records"));
  again = backup_of (f, target, "again");
  bb_test_assert_same_models (f->backup, again);
}

/* A database this user may not change: a read-only file, or a file in a
 * read-only folder (where SQLite cannot make its journal). The command line
 * runs as nobody when the tests run as root, who may write anywhere. The
 * restore is refused by the check, before the safety backup and before
 * anything is written, and says why. */
static void
test_read_only (Fixture       *f,
                gconstpointer  data)
{
  gboolean folder = GPOINTER_TO_INT (data);
  g_autofree char *target = make_target (f, "read-only");
  g_autofree char *target_dir = g_path_get_dirname (target);
  g_autoptr(BbConnectionInfo) info = bb_test_sqlite_info (target);
  g_autofree char *url = g_strdup_printf ("sqlite://%s", target);
  g_autofree char *before = bb_test_logical_dump (info);
  g_autofree char *after = NULL, *err = NULL;
  g_autofree char *data_home = g_build_filename (f->dir, "data-home", NULL);
  g_autofree char *safety = g_build_filename (data_home, "babybuddy-backup", "safety", NULL);
  g_auto(GStrv) files = NULL;
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "XDG_DATA_HOME", data_home, TRUE);
  const char *args[] = { "restore", f->backup, "--database", url, "--yes", NULL };
  gboolean root = getuid () == 0;

  /* Everyone may read the backup and the database; who may write what: */
  g_assert_cmpint (g_chmod (f->dir, 0755), ==, 0);
  g_assert_cmpint (g_chmod (f->backup, 0644), ==, 0);
  g_assert_cmpint (g_mkdir (data_home, 0777), ==, 0);
  g_assert_cmpint (g_chmod (data_home, 0777), ==, 0);
  if (folder)
    {
      /* the file, but not its folder (nobody: not root's folder) */
      g_assert_cmpint (g_chmod (target, root ? 0666 : 0644), ==, 0);
      g_assert_cmpint (g_chmod (target_dir, root ? 0755 : 0555), ==, 0);
    }
  else
    {
      /* the folder, but not the file (nobody: neither) */
      g_assert_cmpint (g_chmod (target, root ? 0644 : 0444), ==, 0);
      g_assert_cmpint (g_chmod (target_dir, 0755), ==, 0);
    }

  g_assert_cmpint (bb_test_run_cli_unprivileged (args, (const char * const *) env, &err), ==, 1);
  g_test_message ("%s", err);
  g_assert_nonnull (strstr (err, "Your data has not been changed."));
  g_assert_nonnull (strstr (err, "The database file cannot be changed"));
  g_assert_nonnull (strstr (err, "read-only"));
  g_assert_nonnull (strstr (err, "attempt to write a readonly database"));
  {
    g_auto(GStrv) lines = g_strsplit (err, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 2);  /* one line */
  }

  /* Refused before the safety backup. */
  g_assert_false (g_file_test (safety, G_FILE_TEST_EXISTS));

  g_assert_cmpint (g_chmod (target_dir, 0700), ==, 0);
  after = bb_test_logical_dump (info);
  g_assert_cmpstr (before, ==, after);
  /* No journal left beside it. */
  files = bb_test_list_dir (target_dir);
  g_assert_cmpuint (g_strv_length (files), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) \
  g_test_add ("/bb/restore/sqlite/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("round-trip-fresh", test_round_trip_fresh, NULL);
  ADD ("replace-non-empty", test_replace_non_empty, NULL);
  ADD ("replace-large", test_replace_large, NULL);
  ADD ("merge", test_merge, NULL);
  ADD ("merge-unique-conflict", test_merge_unique_conflict, NULL);
  ADD ("merge-reference-to-target", test_merge_reference_to_target, NULL);
  ADD ("preview", test_preview, NULL);
  ADD ("rollback-late-failure", test_rollback_late_failure, NULL);
  ADD ("cancel-rolls-back", test_cancel_rolls_back, NULL);
  ADD ("safety-backup", test_safety_backup, NULL);
  ADD ("media", test_media, NULL);
  ADD ("media-symlink", test_media_symlink, NULL);
  ADD ("django-fixture/json", test_django_fixture, "json");
  ADD ("django-fixture/gz", test_django_fixture, "gz");
  ADD ("django-fixture/zip", test_django_fixture, "zip");
  ADD ("django-fixture/missing-references", test_fixture_missing_references, NULL);
  ADD ("newer-format", test_newer_format, NULL);
  ADD ("other-version", test_other_version, NULL);
  ADD ("async-progress", test_async_progress, NULL);
  ADD ("verify", test_verify, NULL);
  ADD ("cli", test_cli_restore, NULL);
  ADD ("read-only/file", test_read_only, GINT_TO_POINTER (FALSE));
  ADD ("read-only/folder", test_read_only, GINT_TO_POINTER (TRUE));

  for (int kind = 0; kind < BB_TEST_CORPUS_N_KINDS; kind++)
    {
      g_autofree char *path = g_strdup_printf ("/bb/restore/sqlite/refused/%s",
                                               bb_test_corpus_name (kind));
      g_test_add (path, Fixture, GINT_TO_POINTER (kind), fixture_set_up, test_corpus, fixture_tear_down);
    }
  return g_test_run ();
}
