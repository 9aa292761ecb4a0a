/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-history.c: the backup and restore log: what is written, what a new
 * BbHistory reads back, the cap, a broken file set aside, file modes. */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>

#include "bb-history.h"
#include "bb-test-util.h"

typedef struct {
  char      *dir;
  char      *path;
  BbHistory *history;
  guint      n_changed;
} Fixture;

static void
changed_cb (BbHistory *history,
            Fixture   *fixture)
{
  fixture->n_changed++;
}

static BbHistoryEntry *
make_entry (BbHistoryKind     kind,
            GDateTime        *time,
            const char       *connection,
            const char       *file,
            guint64           size,
            guint64           records,
            BbHistoryOutcome  outcome,
            const char       *message,
            double            duration)
{
  BbHistoryEntry *entry = g_new0 (BbHistoryEntry, 1);

  entry->kind = kind;
  entry->time = g_date_time_ref (time);
  entry->connection = g_strdup (connection);
  entry->file = g_strdup (file);
  entry->size = size;
  entry->records = records;
  entry->outcome = outcome;
  entry->message = g_strdup (message);
  entry->duration = duration;
  return entry;
}

static void
assert_same_entry (const BbHistoryEntry *a,
                   const BbHistoryEntry *b)
{
  g_assert_cmpint (a->kind, ==, b->kind);
  g_assert_nonnull (a->time);
  g_assert_nonnull (b->time);
  g_assert_true (g_date_time_equal (a->time, b->time));
  g_assert_cmpint (g_date_time_get_microsecond (a->time), ==, g_date_time_get_microsecond (b->time));
  g_assert_cmpint (g_date_time_get_utc_offset (a->time), ==, g_date_time_get_utc_offset (b->time));
  g_assert_cmpstr (a->connection, ==, b->connection);
  g_assert_cmpstr (a->file, ==, b->file);
  g_assert_cmpuint (a->size, ==, b->size);
  g_assert_cmpuint (a->records, ==, b->records);
  g_assert_cmpint (a->outcome, ==, b->outcome);
  g_assert_cmpstr (a->message, ==, b->message);
  g_assert_cmpfloat (a->duration, ==, b->duration);
}

static void
add_entry (BbHistory            *history,
           const BbHistoryEntry *entry)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bb_history_add (history, entry, &error));
  g_assert_no_error (error);
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = bb_test_make_tmpdir ();
  fixture->path = g_build_filename (fixture->dir, "nested", "folder", "history.json", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->history != NULL)
    g_assert_finalize_object (fixture->history);
  bb_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static void
open_history (Fixture *fixture)
{
  fixture->history = bb_history_new (fixture->path);
  g_assert_cmpstr (bb_history_get_path (fixture->history), ==, fixture->path);
  g_signal_connect (fixture->history, "changed", G_CALLBACK (changed_cb), fixture);
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("+02:00");
  g_autoptr(GTimeZone) new_york = g_time_zone_new_identifier ("-05:00");
  g_autoptr(GDateTime) t1 = g_date_time_new (berlin, 2024, 3, 1, 8, 30, 15.25);
  g_autoptr(GDateTime) t2 = g_date_time_new_utc (2024, 3, 2, 21, 0, 0);
  g_autoptr(GDateTime) t3 = g_date_time_new (new_york, 2024, 12, 31, 23, 59, 59.999999);
  g_autoptr(BbHistoryEntry) e1 = make_entry (BB_HISTORY_BACKUP, t1, "db.sqlite3",
                                             "/home/me/Documents/babybuddy-2024-03-01.zip",
                                             123456789012, 48213, BB_HISTORY_SUCCEEDED, NULL, 12.375);
  g_autoptr(BbHistoryEntry) e2 = make_entry (BB_HISTORY_RESTORE, t2, "babybuddy on db.example",
                                             "/media/usb/Baby “Buddy” backups/ünïcødé.zip",
                                             0, 0, BB_HISTORY_FAILED,
                                             "The database refused the password for “baby”.\n"
                                             "Check it and try again: \"quoted\" \\ back\tslash",
                                             0.000123);
  g_autoptr(BbHistoryEntry) e3 = make_entry (BB_HISTORY_BACKUP, t3, NULL, NULL,
                                             0, 17, BB_HISTORY_CANCELLED, NULL, 3);
  g_autoptr(BbHistory) reloaded = NULL;
  g_autoptr(BbHistoryEntry) copy = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  JsonObject *root;
  JsonArray *array;
  JsonObject *object;
  GPtrArray *entries;
  GPtrArray *reloaded_entries;

  open_history (fixture);
  g_assert_cmpuint (bb_history_get_entries (fixture->history)->len, ==, 0);
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));

  add_entry (fixture->history, e1);
  add_entry (fixture->history, e2);
  add_entry (fixture->history, e3);

  /* Newest first. */
  entries = bb_history_get_entries (fixture->history);
  g_assert_cmpuint (entries->len, ==, 3);
  assert_same_entry (entries->pdata[0], e3);
  assert_same_entry (entries->pdata[1], e2);
  assert_same_entry (entries->pdata[2], e1);
  /* The history keeps copies, not the caller's entries. */
  g_assert_true (entries->pdata[2] != e1);
  g_assert_true (((BbHistoryEntry *) entries->pdata[2])->connection != e1->connection);

  copy = bb_history_entry_copy (entries->pdata[1]);
  assert_same_entry (copy, e2);
  g_assert_true (copy->message != e2->message);

  /* Another BbHistory reads every field back, in the same order. */
  reloaded = bb_history_new (fixture->path);
  reloaded_entries = bb_history_get_entries (reloaded);
  g_assert_cmpuint (reloaded_entries->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    assert_same_entry (reloaded_entries->pdata[i], entries->pdata[i]);

  /* The file is the documented format. */
  contents = read_file (fixture->path);
  g_test_message ("%s", contents);
  json_parser_load_from_data (parser, contents, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "version"), ==, 1);
  array = json_object_get_array_member (root, "entries");
  g_assert_cmpuint (json_array_get_length (array), ==, 3);

  object = json_array_get_object_element (array, 2);
  g_assert_cmpstr (json_object_get_string_member (object, "kind"), ==, "backup");
  g_assert_cmpstr (json_object_get_string_member (object, "time"), ==, "2024-03-01T08:30:15.250000+02:00");
  g_assert_cmpstr (json_object_get_string_member (object, "connection"), ==, "db.sqlite3");
  g_assert_cmpint (json_object_get_int_member (object, "size"), ==, 123456789012);
  g_assert_cmpint (json_object_get_int_member (object, "records"), ==, 48213);
  g_assert_cmpstr (json_object_get_string_member (object, "outcome"), ==, "succeeded");
  g_assert_true (json_object_get_null_member (object, "message"));
  g_assert_cmpfloat (json_object_get_double_member (object, "duration"), ==, 12.375);

  object = json_array_get_object_element (array, 1);
  g_assert_cmpstr (json_object_get_string_member (object, "kind"), ==, "restore");
  g_assert_cmpstr (json_object_get_string_member (object, "time"), ==, "2024-03-02T21:00:00+00:00");
  g_assert_cmpstr (json_object_get_string_member (object, "outcome"), ==, "failed");
  g_assert_cmpstr (json_object_get_string_member (object, "message"), ==, e2->message);

  object = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (object, "time"), ==, "2024-12-31T23:59:59.999999-05:00");
  g_assert_cmpstr (json_object_get_string_member (object, "outcome"), ==, "cancelled");
  g_assert_true (json_object_get_null_member (object, "connection"));
  g_assert_true (json_object_get_null_member (object, "file"));
}

static void
test_cap (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(GDateTime) start = g_date_time_new_utc (2024, 1, 1, 0, 0, 0);
  g_autoptr(BbHistory) reloaded = NULL;
  GPtrArray *entries;

  open_history (fixture);
  for (guint i = 0; i < 505; i++)
    {
      g_autoptr(GDateTime) time = g_date_time_add_minutes (start, i);
      g_autoptr(BbHistoryEntry) entry = make_entry (i % 2 ? BB_HISTORY_RESTORE : BB_HISTORY_BACKUP, time,
                                                    "db.sqlite3", "/tmp/b.zip", i * 10, i,
                                                    BB_HISTORY_SUCCEEDED, NULL, i / 4.0);

      add_entry (fixture->history, entry);
    }
  g_assert_cmpuint (fixture->n_changed, ==, 505);

  entries = bb_history_get_entries (fixture->history);
  g_assert_cmpuint (entries->len, ==, 500);
  /* The five oldest (records 0 to 4) are gone. */
  g_assert_cmpuint (((BbHistoryEntry *) entries->pdata[0])->records, ==, 504);
  g_assert_cmpuint (((BbHistoryEntry *) entries->pdata[499])->records, ==, 5);
  for (guint i = 0; i < entries->len; i++)
    g_assert_cmpuint (((BbHistoryEntry *) entries->pdata[i])->records, ==, 504 - i);

  reloaded = bb_history_new (fixture->path);
  g_assert_cmpuint (bb_history_get_entries (reloaded)->len, ==, 500);
  for (guint i = 0; i < entries->len; i++)
    assert_same_entry (bb_history_get_entries (reloaded)->pdata[i], entries->pdata[i]);
}

static void
check_set_aside (Fixture    *fixture,
                 const char *broken)
{
  g_autofree char *bad = g_strconcat (fixture->path, ".bad", NULL);
  g_autofree char *folder = g_path_get_dirname (fixture->path);
  g_autofree char *kept = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(BbHistoryEntry) entry = make_entry (BB_HISTORY_BACKUP, now, "db.sqlite3", "/tmp/b.zip",
                                                1, 2, BB_HISTORY_SUCCEEDED, NULL, 1.5);
  g_autoptr(BbHistory) reloaded = NULL;

  g_clear_object (&fixture->history);
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_file_set_contents (fixture->path, broken, -1, &error);
  g_assert_no_error (error);

  g_test_expect_message ("bb-history", G_LOG_LEVEL_MESSAGE, "*history.json.bad*");
  open_history (fixture);
  g_test_assert_expected_messages ();

  g_assert_cmpuint (bb_history_get_entries (fixture->history)->len, ==, 0);
  g_assert_false (g_file_test (fixture->path, G_FILE_TEST_EXISTS));
  kept = read_file (bad);
  g_assert_cmpstr (kept, ==, broken);

  /* A new history starts and is readable again. */
  add_entry (fixture->history, entry);
  reloaded = bb_history_new (fixture->path);
  g_assert_cmpuint (bb_history_get_entries (reloaded)->len, ==, 1);
  assert_same_entry (bb_history_get_entries (reloaded)->pdata[0], entry);
}

static void
test_corrupt (Fixture       *fixture,
              gconstpointer  data)
{
  static const char * const broken[] = {
    "{\"version\": 1, \"entries\": [",                                       /* cut off */
    "not json at all",
    "[]",                                                                    /* not an object */
    "{\"version\": 2, \"entries\": []}",                                     /* unknown version */
    "{\"version\": 1, \"entries\": {}}",
    "{\"version\": 1, \"entries\": [{\"kind\": \"export\", \"time\": \"2024-01-01T00:00:00Z\","
    " \"outcome\": \"succeeded\"}]}",                                        /* unknown kind */
    "{\"version\": 1, \"entries\": [{\"kind\": \"backup\", \"time\": \"yesterday\","
    " \"outcome\": \"succeeded\"}]}",                                        /* bad time */
    "{\"version\": 1, \"entries\": [{\"kind\": \"backup\", \"time\": \"2024-01-01T00:00:00Z\","
    " \"outcome\": \"succeeded\", \"size\": -5}]}",                          /* negative size */
    "\xff\xfe garbage",
  };

  /* Each one replaces the .bad the one before left. */
  for (gsize i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_test_message ("broken file %" G_GSIZE_FORMAT, i);
      check_set_aside (fixture, broken[i]);
    }
}

static void
test_file_mode (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(BbHistoryEntry) entry = make_entry (BB_HISTORY_BACKUP, now, "db.sqlite3", "/tmp/b.zip",
                                                1, 2, BB_HISTORY_SUCCEEDED, NULL, 1.5);
  g_autofree char *folder = g_path_get_dirname (fixture->path);
  GStatBuf buf;
  mode_t old_umask;

  /* Even with a umask that lets everyone read. */
  old_umask = umask (0);
  open_history (fixture);
  add_entry (fixture->history, entry);
  umask (old_umask);

  g_assert_cmpint (g_stat (fixture->path, &buf), ==, 0);
  g_assert_true (S_ISREG (buf.st_mode));
  g_assert_cmpint (buf.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (folder, &buf), ==, 0);
  g_assert_cmpint (buf.st_mode & 0777, ==, 0700);

  /* Rewriting keeps the mode. */
  add_entry (fixture->history, entry);
  g_assert_cmpint (g_stat (fixture->path, &buf), ==, 0);
  g_assert_cmpint (buf.st_mode & 0777, ==, 0600);
}

static void
test_changed (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(BbHistoryEntry) entry = make_entry (BB_HISTORY_RESTORE, now, "db.sqlite3", "/tmp/b.zip",
                                                1, 2, BB_HISTORY_FAILED, "It broke.", 0.5);
  g_autoptr(GError) error = NULL;
  g_autofree char *blocker = NULL;

  open_history (fixture);
  g_assert_cmpuint (fixture->n_changed, ==, 0);
  add_entry (fixture->history, entry);
  g_assert_cmpuint (fixture->n_changed, ==, 1);
  add_entry (fixture->history, entry);
  g_assert_cmpuint (fixture->n_changed, ==, 2);

  /* A file cannot be written where a folder should be: the add reports it,
   * and the entry is still shown. */
  g_clear_object (&fixture->history);
  blocker = g_build_filename (fixture->dir, "blocker", NULL);
  g_file_set_contents (blocker, "", 0, &error);
  g_assert_no_error (error);
  g_free (fixture->path);
  fixture->path = g_build_filename (blocker, "history.json", NULL);
  open_history (fixture);
  fixture->n_changed = 0;
  g_assert_false (bb_history_add (fixture->history, entry, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "The history could not be saved"));
  g_assert_nonnull (strstr (error->message, fixture->dir));
  g_assert_cmpuint (fixture->n_changed, ==, 1);
  g_assert_cmpuint (bb_history_get_entries (fixture->history)->len, ==, 1);
}

static void
test_default_path (void)
{
  const char *data_home = g_getenv ("XDG_DATA_HOME");
  g_autofree char *expected = NULL;
  g_autoptr(BbHistory) history = NULL;
  g_autoptr(BbHistory) reloaded = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(BbHistoryEntry) entry = make_entry (BB_HISTORY_BACKUP, now, "db.sqlite3", "/tmp/b.zip",
                                                1, 2, BB_HISTORY_SUCCEEDED, NULL, 1.5);

  /* tests/ui-session.sh points XDG_DATA_HOME at a folder of its own. */
  g_assert_nonnull (data_home);
  g_assert_nonnull (strstr (data_home, "bb-ui-test"));
  expected = g_build_filename (data_home, "babybuddy-backup", "history.json", NULL);

  history = bb_history_new (NULL);
  g_assert_cmpstr (bb_history_get_path (history), ==, expected);
  g_assert_cmpuint (bb_history_get_entries (history)->len, ==, 0);
  add_entry (history, entry);
  g_assert_true (g_file_test (expected, G_FILE_TEST_IS_REGULAR));

  reloaded = bb_history_new (NULL);
  g_assert_cmpuint (bb_history_get_entries (reloaded)->len, ==, 1);
  assert_same_entry (bb_history_get_entries (reloaded)->pdata[0], entry);
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

  add_test ("/bb/ui/history/round-trip", test_round_trip);
  add_test ("/bb/ui/history/cap", test_cap);
  add_test ("/bb/ui/history/corrupt", test_corrupt);
  add_test ("/bb/ui/history/file-mode", test_file_mode);
  add_test ("/bb/ui/history/changed", test_changed);
  g_test_add_func ("/bb/ui/history/default-path", test_default_path);

  return g_test_run ();
}
