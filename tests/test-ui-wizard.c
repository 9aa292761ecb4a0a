/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ui-wizard.c: the restore wizard, driven page by page in a real window
 * on copies of the shared SQLite database: replace with undo, merge, a
 * corrupt file, a failure while writing, cancel, closing while restoring.
 * After each, the target's logical dump says what the database holds. */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "bb-restore-wizard.h"
#include "bb-test-ui.h"
#include "bb-test-util.h"

typedef struct {
  char             *tmpdir;
  char             *target;       /* the database restored into */
  char             *source;       /* the database the backup was made of */
  char             *backup;
  char             *original;     /* the target's dump before anything */
  char             *original_backup; /* and its backup */
  BbConnectionInfo *info;
  BbHistory        *history;
  BbRestoreWizard  *wizard;
} Fixture;

static GtkWidget *
child (Fixture    *fixture,
       const char *name)
{
  return bb_test_template_child (fixture->wizard, BB_TYPE_RESTORE_WIZARD, name);
}

static gboolean
shown (Fixture    *fixture,
       const char *name)
{
  return gtk_widget_get_mapped (child (fixture, name)) && gtk_widget_is_sensitive (child (fixture, name));
}

static void
click (Fixture    *fixture,
       const char *name)
{
  g_assert_true (gtk_widget_get_mapped (child (fixture, name)));
  bb_test_click (child (fixture, name));
}

static const char *
page (Fixture *fixture)
{
  return bb_restore_wizard_get_page (fixture->wizard);
}

static gboolean
check_finished (gpointer data)
{
  Fixture *fixture = data;

  return g_strcmp0 (page (fixture), "checking") != 0 ||
         gtk_widget_get_visible (child (fixture, "problems_list"));
}

static gboolean
run_finished (gpointer data)
{
  return g_strcmp0 (page (data), "done") == 0 || g_strcmp0 (page (data), "failed") == 0;
}

static char *
query (const char *db_path,
       const char *sql)
{
  g_autoptr(BbConnectionInfo) info = bb_test_sqlite_info (db_path);
  g_autoptr(BbDatabase) db = bb_database_new (info);
  g_autoptr(GError) error = NULL;
  char *value;

  g_assert_true (bb_database_open (db, &error));
  value = bb_database_query_value (db, sql, &error);
  g_assert_no_error (error);
  return value;
}

/* The target's logical dump, without the sessions a replace empties on
 * purpose (they are not backed up: a restored user logs in again). */
static char *
target_dump (Fixture *fixture)
{
  g_autofree char *dump = bb_test_logical_dump (fixture->info);
  char *start = strstr (dump, "== django_session ");
  char *end = start ? strstr (start + 1, "\n== ") : NULL;

  if (start == NULL)
    return g_steal_pointer (&dump);
  return g_strdup_printf ("%.*s%s", (int) (start - dump), dump, end ? end + 1 : "");
}

static void
assert_same_dump (const char *actual,
                  const char *expected)
{
  /* Not g_assert_cmpstr: the dumps are megabytes. */
  if (g_strcmp0 (actual, expected) != 0 && g_getenv ("BB_TEST_DUMP_DIR") != NULL)
    {
      g_autofree char *a = g_build_filename (g_getenv ("BB_TEST_DUMP_DIR"), "actual.txt", NULL);
      g_autofree char *e = g_build_filename (g_getenv ("BB_TEST_DUMP_DIR"), "expected.txt", NULL);

      g_file_set_contents (a, actual, -1, NULL);
      g_file_set_contents (e, expected, -1, NULL);
    }
  if (g_strcmp0 (actual, expected) != 0)
    g_error ("The database is not as expected (dumps of %zu and %zu bytes differ)",
             strlen (actual), strlen (expected));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *target_dir = NULL;
  g_autofree char *source_dir = NULL;
  g_autofree char *backups = NULL;
  g_autofree char *history = NULL;
  g_autofree char *safety = NULL;
  g_autoptr(BbConnectionInfo) source = NULL;

  fixture->tmpdir = bb_test_make_tmpdir ();
  target_dir = g_build_filename (fixture->tmpdir, "target", NULL);
  source_dir = g_build_filename (fixture->tmpdir, "source", NULL);
  backups = g_build_filename (fixture->tmpdir, "backups", NULL);
  safety = g_build_filename (fixture->tmpdir, "safety", NULL);
  g_assert_cmpint (g_mkdir (target_dir, 0700) | g_mkdir (source_dir, 0700) | g_mkdir (backups, 0700), ==, 0);

  fixture->target = bb_test_copy_reference_sqlite (target_dir);
  fixture->source = bb_test_copy_reference_sqlite (source_dir);
  /* The backup differs from the target: fewer feedings, a renamed child. */
  bb_test_sqlite_exec (fixture->source,
                       "DELETE FROM core_feeding WHERE id % 3 = 0;"
                       "UPDATE core_child SET first_name = 'Renamed' WHERE id = (SELECT MIN(id) FROM core_child);");
  source = bb_test_sqlite_info (fixture->source);
  fixture->backup = bb_test_backup (source, backups);
  fixture->info = bb_test_sqlite_info (fixture->target);
  fixture->original = target_dump (fixture);
  {
    g_autofree char *originals = g_build_filename (fixture->tmpdir, "original", NULL);

    g_assert_cmpint (g_mkdir (originals, 0700), ==, 0);
    fixture->original_backup = bb_test_backup (fixture->info, originals);
  }

  history = g_build_filename (fixture->tmpdir, "history.json", NULL);
  fixture->history = bb_history_new (history);
  fixture->wizard = bb_restore_wizard_new (NULL, fixture->info, "db.sqlite3", NULL, fixture->history);
  g_object_ref_sink (fixture->wizard);
  bb_restore_wizard_set_safety_dir (fixture->wizard, safety);
  gtk_window_present (GTK_WINDOW (fixture->wizard));
}

/* The target holds what this backup holds: backed up again, every model
 * file is the same (link tables get new ids and the cache is emptied on a
 * restore, so rows are compared through the backup, as a user sees them). */
static void
assert_target_holds (Fixture    *fixture,
                     const char *backup)
{
  g_autofree char *dir = g_dir_make_tmp ("bb-again-XXXXXX", NULL);
  g_autofree char *again = NULL;

  g_assert_nonnull (dir);
  again = bb_test_backup (fixture->info, dir);
  bb_test_assert_same_models (backup, again);
  bb_test_remove_tree (dir);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->wizard));
  g_clear_object (&fixture->wizard);
  g_clear_object (&fixture->history);
  g_clear_pointer (&fixture->info, bb_connection_info_free);
  bb_test_remove_tree (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_free (fixture->target);
  g_free (fixture->source);
  g_free (fixture->backup);
  g_free (fixture->original);
  g_free (fixture->original_backup);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The first page's button and the file chooser, as a user would. */
static void
choose (Fixture    *fixture,
        const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GtkFileChooser *chooser;

  g_assert_cmpstr (page (fixture), ==, "choose");
  g_assert_false (gtk_widget_get_visible (child (fixture, "back_button")));
  g_assert_false (gtk_widget_get_visible (child (fixture, "next_button")));
  click (fixture, "choose_button");
  chooser = bb_restore_wizard_get_chooser (fixture->wizard);
  g_assert_nonnull (chooser);
  g_assert_true (gtk_file_chooser_set_file (chooser, file, NULL));
  bb_test_wait_until (bb_test_chooser_has_file, chooser, 10, "the chooser to select the file");
  g_signal_emit_by_name (chooser, "response", GTK_RESPONSE_ACCEPT);
  g_assert_null (bb_restore_wizard_get_chooser (fixture->wizard));
  g_assert_cmpstr (page (fixture), ==, "checking");
  g_assert_true (gtk_widget_get_visible (child (fixture, "next_button")));
  g_assert_false (gtk_widget_is_sensitive (child (fixture, "next_button")));
  bb_test_wait_until (check_finished, fixture, 60, "the check");
}

/* A row below root whose title is title, or NULL. */
static GtkWidget *
find_row (GtkWidget  *root,
          const char *title)
{
  for (GtkWidget *w = gtk_widget_get_first_child (root); w != NULL; w = gtk_widget_get_next_sibling (w))
    {
      GtkWidget *found;

      if (ADW_IS_PREFERENCES_ROW (w) && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (w)), title) == 0)
        return w;
      if ((found = find_row (w, title)) != NULL)
        return found;
    }
  return NULL;
}

/* Every label's text below root, joined by "|". */
static void
collect_labels (GtkWidget *root,
                GString   *out)
{
  for (GtkWidget *w = gtk_widget_get_first_child (root); w != NULL; w = gtk_widget_get_next_sibling (w))
    {
      if (GTK_IS_LABEL (w))
        g_string_append_printf (out, "|%s", gtk_label_get_label (GTK_LABEL (w)));
      collect_labels (w, out);
    }
}

static char *
labels_below (GtkWidget *root)
{
  GString *out = g_string_new (NULL);

  collect_labels (root, out);
  g_string_append_c (out, '|');
  return g_string_free (out, FALSE);
}

static gboolean
progress_seen_cb (GtkProgressBar *bar,
                  GParamSpec     *pspec,
                  gboolean       *seen)
{
  if (gtk_progress_bar_get_fraction (bar) > 0.0)
    *seen = TRUE;
  return FALSE;
}

/* inside -> options (mode) -> confirm; returns the confirm button's label. */
static void
go_to_confirm (Fixture  *fixture,
               gboolean  merge)
{
  g_assert_cmpstr (page (fixture), ==, "inside");
  g_assert_true (shown (fixture, "next_button"));
  g_assert_true (shown (fixture, "back_button"));
  click (fixture, "next_button");
  g_assert_cmpstr (page (fixture), ==, "options");
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (child (fixture, "replace_check"))));
  g_assert_true (gtk_widget_get_mapped (child (fixture, "safety_note")));
  if (merge)
    {
      gtk_check_button_set_active (GTK_CHECK_BUTTON (child (fixture, "merge_check")), TRUE);
      g_assert_false (gtk_widget_get_visible (child (fixture, "safety_note")));
    }
  /* The shared reference backup has no media: nothing to ask about them. */
  g_assert_false (gtk_widget_get_mapped (child (fixture, "media_group")));
  click (fixture, "next_button");
  if (merge)
    {
      /* What a merge overwrites is checked in merge mode first. */
      g_assert_cmpstr (page (fixture), ==, "checking");
      bb_test_wait_until (check_finished, fixture, 60, "the merge check");
    }
  g_assert_cmpstr (page (fixture), ==, "confirm");
  g_assert_false (gtk_widget_get_visible (child (fixture, "next_button")));
  g_assert_true (shown (fixture, "back_button"));
  g_assert_true (gtk_widget_has_css_class (child (fixture, "confirm_button"), "destructive-action"));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (child (fixture, "confirm_button"))), ==,
                   merge ? "_Merge into db.sqlite3" : "_Replace Data in db.sqlite3");
}

static void
count_cb (guint *count)
{
  (*count)++;
}

static void
test_replace_and_undo (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *name = query (fixture->source, "SELECT first_name || ' ' || last_name FROM core_child "
                                                  "ORDER BY id LIMIT 1");
  g_autofree char *feedings = query (fixture->source, "SELECT COUNT(*) FROM core_feeding WHERE child_id = "
                                                      "(SELECT MIN(id) FROM core_child)");
  g_autofree char *expected = NULL;
  g_autofree char *labels = NULL;
  GtkWidget *expander, *feeding_row;
  BbHistoryEntry *entry;
  gboolean progress = FALSE;
  const char *safety;
  guint restored = 0;

  g_signal_connect_swapped (fixture->wizard, "restored", G_CALLBACK (count_cb), &restored);
  g_signal_connect (child (fixture, "restore_progress"), "notify::fraction", G_CALLBACK (progress_seen_cb), &progress);

  choose (fixture, fixture->backup);
  g_assert_cmpstr (page (fixture), ==, "inside");

  /* The first child, with its new name, and its feedings counted as in SQL. */
  expander = find_row (child (fixture, "children_list"), name);
  g_assert_nonnull (expander);
  g_assert_true (g_str_has_prefix (name, "Renamed "));
  feeding_row = find_row (expander, "Feedings");
  g_assert_nonnull (feeding_row);
  labels = labels_below (feeding_row);
  expected = g_strdup_printf ("|%'" G_GUINT64_FORMAT "|", g_ascii_strtoull (feedings, NULL, 10));
  g_assert_nonnull (strstr (labels, expected));

  go_to_confirm (fixture, FALSE);
  /* Back and forward again keep the choice. */
  click (fixture, "back_button");
  g_assert_cmpstr (page (fixture), ==, "options");
  click (fixture, "next_button");
  click (fixture, "confirm_button");
  g_assert_cmpstr (page (fixture), ==, "restoring");
  g_assert_true (shown (fixture, "cancel_button"));
  g_assert_false (gtk_widget_get_visible (child (fixture, "back_button")));
  bb_test_wait_until (run_finished, fixture, 120, "the restore");
  g_assert_cmpstr (page (fixture), ==, "done");
  g_assert_true (progress);
  g_assert_cmpuint (restored, ==, 1);

  assert_target_holds (fixture, fixture->backup);
  safety = strstr (gtk_label_get_label (GTK_LABEL (child (fixture, "safety_label"))), fixture->tmpdir);
  g_assert_nonnull (safety);
  {
    g_autofree char *path = g_strndup (safety, strlen (safety) - 1);   /* without the full stop */
    g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  }
  entry = g_ptr_array_index (bb_history_get_entries (fixture->history), 0);
  g_assert_cmpint (entry->kind, ==, BB_HISTORY_RESTORE);
  g_assert_cmpint (entry->outcome, ==, BB_HISTORY_SUCCEEDED);
  g_assert_cmpstr (entry->file, ==, fixture->backup);
  g_assert_cmpstr (entry->connection, ==, "db.sqlite3");

  /* Undo puts the target back as it was. */
  click (fixture, "undo_button");
  bb_test_wait_until (run_finished, fixture, 120, "the undo");
  g_assert_cmpstr (page (fixture), ==, "done");
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (child (fixture, "done_status"))), ==, "Restore Undone");
  g_assert_false (gtk_widget_get_visible (child (fixture, "undo_button")));
  g_assert_cmpuint (restored, ==, 2);
  assert_target_holds (fixture, fixture->original_backup);
  g_assert_cmpuint (bb_history_get_entries (fixture->history)->len, ==, 2);
}

static void
test_merge (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *before = query (fixture->target, "SELECT COUNT(*) FROM core_feeding");
  g_autofree char *after = NULL;
  g_autofree char *name = NULL;

  choose (fixture, fixture->backup);
  go_to_confirm (fixture, TRUE);
  click (fixture, "confirm_button");
  bb_test_wait_until (run_finished, fixture, 120, "the merge");
  g_assert_cmpstr (page (fixture), ==, "done");

  /* Merging kept the feedings the backup lacks and took the backup's name. */
  after = query (fixture->target, "SELECT COUNT(*) FROM core_feeding");
  g_assert_cmpstr (after, ==, before);
  name = query (fixture->target, "SELECT first_name FROM core_child ORDER BY id LIMIT 1");
  g_assert_cmpstr (name, ==, "Renamed");
  /* A merge makes no safety backup, so there is nothing to undo. */
  g_assert_false (gtk_widget_get_visible (child (fixture, "undo_button")));
}

static void
check_refused (Fixture    *fixture,
               const char *path)
{
  g_autofree char *dump = NULL;
  g_autofree char *labels = NULL;

  choose (fixture, path);
  g_assert_cmpstr (page (fixture), ==, "checking");
  g_assert_true (gtk_widget_get_mapped (child (fixture, "problems_list")));
  g_assert_false (gtk_widget_is_sensitive (child (fixture, "next_button")));
  g_assert_true (shown (fixture, "back_button"));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (child (fixture, "checking_status"))), ==,
                   "This Backup Cannot Be Restored");
  labels = labels_below (child (fixture, "problems_list"));
  g_test_message ("problems: %s", labels);
  g_assert_cmpuint (strlen (labels), >, 10);
  dump = target_dump (fixture);
  assert_same_dump (dump, fixture->original);

  click (fixture, "back_button");
  g_assert_cmpstr (page (fixture), ==, "choose");
}

static void
test_corrupt (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *truncated = g_build_filename (fixture->tmpdir, "truncated.zip", NULL);
  g_autofree char *text = g_build_filename (fixture->tmpdir, "notes.zip", NULL);
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (fixture->backup, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (truncated, contents, length / 2, NULL));
  g_assert_true (g_file_set_contents (text, "Shopping list: diapers, wipes\n", -1, NULL));

  check_refused (fixture, truncated);
  check_refused (fixture, text);
}

/* The database refuses at the check (here: its file is gone): the wizard
 * says so, and does not blame the backup. */
static void
test_database_refused (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *aside = g_strconcat (fixture->target, ".aside", NULL);
  g_autofree char *labels = NULL;
  g_autofree char *dump = NULL;

  g_assert_cmpint (g_rename (fixture->target, aside), ==, 0);
  choose (fixture, fixture->backup);
  g_assert_cmpstr (page (fixture), ==, "checking");
  g_assert_false (gtk_widget_is_sensitive (child (fixture, "next_button")));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (child (fixture, "checking_status"))), ==,
                   "Cannot Restore Into This Database");
  labels = labels_below (child (fixture, "problems_list"));
  g_test_message ("problems: %s", labels);
  g_assert_nonnull (strstr (labels, "db.sqlite3"));
  g_assert_false (g_file_test (fixture->target, G_FILE_TEST_EXISTS));

  g_assert_cmpint (g_rename (aside, fixture->target), ==, 0);
  dump = target_dump (fixture);
  assert_same_dump (dump, fixture->original);
}

static void
test_run_failure (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *dump = NULL;
  BbHistoryEntry *entry;

  bb_restore_wizard_set_fail_after (fixture->wizard, 1000);
  choose (fixture, fixture->backup);
  go_to_confirm (fixture, FALSE);
  click (fixture, "confirm_button");
  bb_test_wait_until (run_finished, fixture, 120, "the failing restore");
  g_assert_cmpstr (page (fixture), ==, "failed");
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (child (fixture, "failed_status"))), ==, "Restore Failed");
  g_assert_cmpstr (adw_status_page_get_description (ADW_STATUS_PAGE (child (fixture, "failed_status"))), ==,
                   "Your data has not been changed.");
  g_assert_true (g_str_has_prefix (gtk_label_get_label (GTK_LABEL (child (fixture, "error_label"))),
                                   "Your data has not been changed"));
  dump = target_dump (fixture);
  assert_same_dump (dump, fixture->original);
  entry = g_ptr_array_index (bb_history_get_entries (fixture->history), 0);
  g_assert_cmpint (entry->outcome, ==, BB_HISTORY_FAILED);

  /* Try Again starts over. */
  click (fixture, "try_again_button");
  g_assert_cmpstr (page (fixture), ==, "choose");
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *dump = NULL;
  BbHistoryEntry *entry;

  choose (fixture, fixture->backup);
  go_to_confirm (fixture, FALSE);
  click (fixture, "confirm_button");
  click (fixture, "cancel_button");
  g_assert_false (gtk_widget_is_sensitive (child (fixture, "cancel_button")));
  bb_test_wait_until (run_finished, fixture, 120, "the cancelled restore");
  g_assert_cmpstr (page (fixture), ==, "failed");
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (child (fixture, "failed_status"))), ==,
                   "Restore Cancelled");
  dump = target_dump (fixture);
  assert_same_dump (dump, fixture->original);
  entry = g_ptr_array_index (bb_history_get_entries (fixture->history), 0);
  g_assert_cmpint (entry->outcome, ==, BB_HISTORY_CANCELLED);
}

static void
test_close_while_restoring (Fixture       *fixture,
                            gconstpointer  data)
{
  AdwMessageDialog *dialog;
  g_autofree char *dump = NULL;

  choose (fixture, fixture->backup);
  go_to_confirm (fixture, FALSE);
  click (fixture, "confirm_button");
  gtk_window_close (GTK_WINDOW (fixture->wizard));
  /* Still there, asking. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->wizard)));
  dialog = bb_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Cancel the Restore?");
  adw_message_dialog_response (dialog, "cancel");
  bb_test_wait_until (run_finished, fixture, 120, "the cancelled restore");
  dump = target_dump (fixture);
  assert_same_dump (dump, fixture->original);
}

static void
test_merge_conflict (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *labels = NULL;
  g_autofree char *dump = NULL;

  /* Another child in the target has the slug the backup's first child has. */
  bb_test_sqlite_exec (fixture->target,
                       "CREATE TEMP TABLE moved AS SELECT * FROM core_child WHERE id = 1;"
                       "UPDATE moved SET id = 99;"
                       "UPDATE core_child SET slug = 'moved-away' WHERE id = 1;"
                       "INSERT INTO core_child SELECT * FROM moved;");
  g_free (fixture->original);
  fixture->original = target_dump (fixture);

  choose (fixture, fixture->backup);
  click (fixture, "next_button");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (child (fixture, "merge_check")), TRUE);
  click (fixture, "next_button");
  bb_test_wait_until (check_finished, fixture, 60, "the merge check");
  g_assert_cmpstr (page (fixture), ==, "checking");
  g_assert_true (gtk_widget_get_mapped (child (fixture, "problems_list")));
  g_assert_false (gtk_widget_is_sensitive (child (fixture, "next_button")));
  labels = labels_below (child (fixture, "problems_list"));
  g_test_message ("merge problems: %s", labels);
  g_assert_nonnull (strstr (labels, "slug"));

  /* Back to the options: replacing is still possible. */
  click (fixture, "back_button");
  g_assert_cmpstr (page (fixture), ==, "options");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (child (fixture, "replace_check")), TRUE);
  click (fixture, "next_button");
  g_assert_cmpstr (page (fixture), ==, "confirm");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (child (fixture, "confirm_button"))), ==,
                   "_Replace Data in db.sqlite3");
  dump = target_dump (fixture);
  assert_same_dump (dump, fixture->original);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/bb/ui/wizard/replace-and-undo", test_replace_and_undo);
  ADD ("/bb/ui/wizard/merge", test_merge);
  ADD ("/bb/ui/wizard/merge-conflict", test_merge_conflict);
  ADD ("/bb/ui/wizard/corrupt", test_corrupt);
  ADD ("/bb/ui/wizard/database-refused", test_database_refused);
  ADD ("/bb/ui/wizard/run-failure", test_run_failure);
  ADD ("/bb/ui/wizard/cancel", test_cancel);
  ADD ("/bb/ui/wizard/close-while-restoring", test_close_while_restoring);
#undef ADD

  return g_test_run ();
}
