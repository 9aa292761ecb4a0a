/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ui-window.c: the real main window under Xvfb, with a real keyring:
 * first run, opening a copy of the shared SQLite database through the file
 * chooser, backing up through the save dialog (name, folder, progress,
 * cancel, failure), the connection dialog, shortcuts and accessible labels. */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "bb-application.h"
#include "bb-backup-job.h"
#include "bb-connection-dialog.h"
#include "bb-file-name.h"
#include "bb-test-ui.h"
#include "bb-test-util.h"
#include "bb-window.h"

typedef struct {
  BbApplication *app;
  BbWindow      *window;
  char          *tmpdir;
  char          *db;
} Fixture;

static gboolean
state_is_not_connecting (gpointer data)
{
  const char *state = bb_window_get_state (data);

  return g_strcmp0 (state, "connecting") != 0;
}

static gboolean
summary_loaded (gpointer data)
{
  return bb_backup_page_get_summary (bb_window_get_backup_page (data)) != NULL;
}

static gboolean
backup_finished (gpointer data)
{
  return !bb_backup_page_is_busy (bb_window_get_backup_page (data));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  GSettings *settings;
  g_autoptr(GError) error = NULL;

  fixture->tmpdir = bb_test_make_tmpdir ();
  fixture->db = bb_test_copy_reference_sqlite (fixture->tmpdir);
  /* One application per process, as in the app; each test gets a new window. */
  static BbApplication *app;

  if (app == NULL)
    {
      app = bb_application_new ();
      g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
      g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
      g_assert_no_error (error);
    }
  fixture->app = app;

  settings = bb_application_get_settings (fixture->app);
  g_settings_set_value (settings, "connections", g_variant_new ("aa{sv}", NULL));
  g_settings_reset (settings, "active-connection");
  g_settings_reset (settings, "last-folder");
  g_settings_reset (settings, "backup-folder");
  g_settings_reset (settings, "timezone-source");
  g_settings_reset (settings, "include-media");

  fixture->window = bb_window_new (fixture->app);
  g_object_ref_sink (fixture->window);
  gtk_window_present (GTK_WINDOW (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->window);
  bb_test_remove_tree (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_free (fixture->db);
  while (g_main_context_iteration (NULL, FALSE))
    ;
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

/* Opens fixture->db the way a user does: the welcome page's button, the file chooser. */
static void
open_database (Fixture *fixture)
{
  GtkFileChooser *chooser;
  g_autoptr(GFile) file = g_file_new_for_path (fixture->db);

  g_assert_cmpstr (bb_window_get_state (fixture->window), ==, "welcome");
  bb_test_click (bb_test_template_child (fixture->window, BB_TYPE_WINDOW, "open_file_button"));
  chooser = bb_window_get_chooser (fixture->window);
  g_assert_nonnull (chooser);
  g_assert_cmpint (gtk_file_chooser_get_action (chooser), ==, GTK_FILE_CHOOSER_ACTION_OPEN);
  g_assert_true (gtk_file_chooser_set_file (chooser, file, NULL));
  /* An open dialog selects the file once it has read the folder. */
  bb_test_wait_until (bb_test_chooser_has_file, chooser, 10, "the chooser to select the file");
  g_signal_emit_by_name (chooser, "response", GTK_RESPONSE_ACCEPT);

  bb_test_wait_until (state_is_not_connecting, fixture->window, 30, "the database to open");
  g_assert_cmpstr (bb_window_get_state (fixture->window), ==, "main");
  bb_test_wait_until (summary_loaded, fixture->window, 30, "the database summary");
}

static void
test_first_run (Fixture       *fixture,
                gconstpointer  data)
{
  GtkWidget *open_button = bb_test_template_child (fixture->window, BB_TYPE_WINDOW, "open_file_button");
  GtkWidget *server_button = bb_test_template_child (fixture->window, BB_TYPE_WINDOW, "connect_server_button");
  GtkWidget *demo_button = bb_test_template_child (fixture->window, BB_TYPE_WINDOW, "demo_button");

  g_assert_cmpstr (bb_window_get_state (fixture->window), ==, "welcome");
  g_assert_true (gtk_widget_is_sensitive (open_button) && gtk_widget_get_mapped (open_button));
  g_assert_true (gtk_widget_is_sensitive (server_button) && gtk_widget_get_mapped (server_button));
  g_assert_true (gtk_widget_is_sensitive (demo_button) && gtk_widget_get_mapped (demo_button));
  /* Nothing to back up or restore into yet: Ctrl+B and Ctrl+O do nothing. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.backup", NULL);
  g_assert_null (bb_backup_page_get_chooser (bb_window_get_backup_page (fixture->window)));
  g_assert_null (bb_window_open_restore_wizard (fixture->window, NULL));
  g_assert_false (gtk_widget_get_visible (bb_test_template_child (fixture->window, BB_TYPE_WINDOW, "connection_button")));
}

static void
test_open_database (Fixture       *fixture,
                    gconstpointer  data)
{
  BbBackupPage *page = bb_window_get_backup_page (fixture->window);
  const BbDatabaseSummary *summary;
  g_autofree char *children = query (fixture->db, "SELECT COUNT(*) FROM core_child");
  g_autofree char *feedings = query (fixture->db, "SELECT COUNT(*) FROM core_feeding");
  g_autofree char *first = query (fixture->db, "SELECT first_name FROM core_child ORDER BY id LIMIT 1");
  GtkLabel *children_label, *engine_label, *records_label;
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autoptr(GVariant) saved = NULL;
  g_autofree char *active = NULL;

  open_database (fixture);
  summary = bb_backup_page_get_summary (page);
  g_assert_cmpuint (summary->children->len, ==, g_ascii_strtoull (children, NULL, 10));
  g_assert_cmpuint (summary->records, >, g_ascii_strtoull (feedings, NULL, 10));
  g_assert_cmpstr (summary->babybuddy_version, ==, "2.9.0 - 2.10.0");

  children_label = GTK_LABEL (bb_test_template_child (page, BB_TYPE_BACKUP_PAGE, "children_label"));
  engine_label = GTK_LABEL (bb_test_template_child (page, BB_TYPE_BACKUP_PAGE, "engine_label"));
  records_label = GTK_LABEL (bb_test_template_child (page, BB_TYPE_BACKUP_PAGE, "records_label"));
  g_assert_nonnull (strstr (gtk_label_get_label (children_label), first));
  g_assert_cmpstr (gtk_label_get_label (engine_label), ==, "SQLite");
  {
    g_autofree char *expected = g_strdup_printf ("%'" G_GUINT64_FORMAT, summary->records);
    g_assert_cmpstr (gtk_label_get_label (records_label), ==, expected);
  }
  g_assert_true (gtk_widget_is_sensitive (bb_test_template_child (page, BB_TYPE_BACKUP_PAGE, "backup_button")));
  g_assert_true (gtk_widget_get_visible (bb_test_template_child (fixture->window, BB_TYPE_WINDOW, "connection_button")));

  /* Saved: the next start opens the same database. */
  saved = g_settings_get_value (settings, "connections");
  g_assert_cmpuint (g_variant_n_children (saved), ==, 1);
  active = g_settings_get_string (settings, "active-connection");
  g_assert_cmpstr (active, !=, "");
}

static gboolean
progress_seen (gpointer data)
{
  GtkProgressBar *bar = data;

  return gtk_progress_bar_get_fraction (bar) > 0.0;
}

static void
test_backup (Fixture       *fixture,
             gconstpointer  data)
{
  BbBackupPage *page = bb_window_get_backup_page (fixture->window);
  GSettings *settings = bb_application_get_settings (fixture->app);
  g_autofree char *folder = g_build_filename (fixture->tmpdir, "backups", NULL);
  g_autofree char *reference_folder = g_build_filename (fixture->tmpdir, "reference", NULL);
  g_autofree char *path = NULL;
  g_autofree char *reference = NULL;
  g_autoptr(GFile) current_folder = NULL;
  g_autoptr(GRegex) pattern = g_regex_new ("^backup_[0-9]{6}_[0-9]{6}\\.zip$", 0, 0, NULL);
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier ("Pacific/Kiritimati");
  g_autoptr(GDateTime) before = NULL;
  g_autoptr(GDateTime) after = NULL;
  g_autofree char *name_before = NULL;
  g_autofree char *name_after = NULL;
  g_auto(GStrv) files = NULL;
  GtkFileChooser *chooser;
  GtkWidget *button = bb_test_template_child (page, BB_TYPE_BACKUP_PAGE, "backup_button");
  GtkWidget *cancel = bb_test_template_child (page, BB_TYPE_BACKUP_PAGE, "cancel_button");
  GtkProgressBar *bar = GTK_PROGRESS_BAR (bb_test_template_child (page, BB_TYPE_BACKUP_PAGE, "progress_bar"));
  GtkLabel *progress_label = GTK_LABEL (bb_test_template_child (page, BB_TYPE_BACKUP_PAGE, "progress_label"));
  BbHistoryEntry *entry;
  char *name;

  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (reference_folder, 0700), ==, 0);
  g_settings_set_string (settings, "backup-folder", folder);
  /* UTC+14: the name must follow the configured zone, not the system's (UTC here). */
  g_settings_set_string (settings, "timezone", "Pacific/Kiritimati");
  g_settings_set_string (settings, "timezone-source", "zone");
  open_database (fixture);

  before = g_date_time_new_now (zone);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.backup", NULL));
  after = g_date_time_new_now (zone);
  chooser = bb_backup_page_get_chooser (page);
  g_assert_nonnull (chooser);
  g_assert_cmpint (gtk_file_chooser_get_action (chooser), ==, GTK_FILE_CHOOSER_ACTION_SAVE);
  g_assert_false (gtk_widget_is_sensitive (button));

  /* The default name: backup_MMDDYY_HHMMSS.zip, now, in Kiritimati. */
  name = gtk_file_chooser_get_current_name (chooser);
  g_assert_true (g_regex_match (pattern, name, 0, NULL));
  name_before = bb_file_name_for_time (before);
  name_after = bb_file_name_for_time (after);
  g_assert_true (g_strcmp0 (name, name_before) == 0 || g_strcmp0 (name, name_after) == 0);
  g_free (name);
  bb_test_wait_until (bb_test_chooser_has_folder, chooser, 10, "the chooser's folder");
  current_folder = gtk_file_chooser_get_current_folder (chooser);
  g_assert_nonnull (current_folder);
  {
    g_autofree char *current = g_file_get_path (current_folder);
    g_assert_cmpstr (current, ==, folder);
  }

  /* The user types another name; the folder stays. */
  path = g_build_filename (folder, "mine.zip", NULL);
  gtk_file_chooser_set_current_name (chooser, "mine");
  g_signal_emit_by_name (chooser, "response", GTK_RESPONSE_ACCEPT);
  g_assert_null (bb_backup_page_get_chooser (page));

  g_assert_true (bb_backup_page_is_busy (page));
  g_assert_false (gtk_widget_is_sensitive (button) && gtk_widget_get_mapped (button));
  g_assert_true (gtk_widget_is_sensitive (cancel) && gtk_widget_get_mapped (cancel));
  bb_test_wait_until (progress_seen, bar, 60, "progress");
  g_assert_nonnull (strstr (gtk_label_get_label (progress_label), " of "));
  bb_test_wait_until (backup_finished, fixture->window, 120, "the backup");
  entry = g_ptr_array_index (bb_history_get_entries (bb_application_get_history (fixture->app)), 0);
  g_assert_cmpstr (entry->message, ==, NULL);
  g_assert_cmpstr (entry->file, ==, path);

  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  files = bb_test_list_dir (folder);
  g_assert_cmpuint (g_strv_length (files), ==, 1);    /* no temporary file left */
  reference = bb_test_backup (bb_test_sqlite_info (fixture->db), reference_folder);
  bb_test_assert_same_models (reference, path);

  {
    g_autofree char *last = g_settings_get_string (settings, "last-folder");
    g_assert_cmpstr (last, ==, folder);
  }
  entry = g_ptr_array_index (bb_history_get_entries (bb_application_get_history (fixture->app)), 0);
  g_assert_cmpint (entry->kind, ==, BB_HISTORY_BACKUP);
  g_assert_cmpint (entry->outcome, ==, BB_HISTORY_SUCCEEDED);
  g_assert_cmpstr (entry->file, ==, path);
  g_assert_cmpuint (entry->records, ==, bb_backup_page_get_summary (page)->records);
  g_assert_cmpuint (entry->size, >, 1000);
  g_assert_true (gtk_widget_is_sensitive (button) && gtk_widget_get_mapped (button));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (bb_test_template_child (page, BB_TYPE_BACKUP_PAGE, "last_backup_label"))),
                   !=, "Never");
}

static void
test_backup_cancel (Fixture       *fixture,
                    gconstpointer  data)
{
  BbBackupPage *page = bb_window_get_backup_page (fixture->window);
  g_autofree char *folder = g_build_filename (fixture->tmpdir, "backups", NULL);
  g_autofree char *path = g_build_filename (folder, "cancelled.zip", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_auto(GStrv) files = NULL;
  BbHistoryEntry *entry;

  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  open_database (fixture);
  bb_backup_page_back_up_to (page, file);
  g_assert_true (bb_backup_page_is_busy (page));
  bb_test_click (bb_test_template_child (page, BB_TYPE_BACKUP_PAGE, "cancel_button"));
  bb_test_wait_until (backup_finished, fixture->window, 60, "the cancelled backup");

  files = bb_test_list_dir (folder);
  g_assert_cmpuint (g_strv_length (files), ==, 0);
  entry = g_ptr_array_index (bb_history_get_entries (bb_application_get_history (fixture->app)), 0);
  g_assert_cmpint (entry->outcome, ==, BB_HISTORY_CANCELLED);
}

static void
test_backup_failure (Fixture       *fixture,
                     gconstpointer  data)
{
  BbBackupPage *page = bb_window_get_backup_page (fixture->window);
  g_autofree char *path = g_build_filename (fixture->tmpdir, "no such folder", "backup.zip", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  AdwMessageDialog *dialog;
  BbHistoryEntry *entry;

  open_database (fixture);
  bb_backup_page_back_up_to (page, file);
  bb_test_wait_until (backup_finished, fixture->window, 60, "the failed backup");

  dialog = bb_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Backup Failed");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "no such folder"));
  entry = g_ptr_array_index (bb_history_get_entries (bb_application_get_history (fixture->app)), 0);
  g_assert_cmpint (entry->outcome, ==, BB_HISTORY_FAILED);
  g_assert_cmpstr (entry->message, ==, adw_message_dialog_get_body (dialog));
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_shortcuts_and_labels (Fixture       *fixture,
                           gconstpointer  data)
{
  static const struct { const char *action; const char *accel; } accels[] = {
    { "win.backup", "<Control>b" },
    { "win.restore", "<Control>o" },
    { "win.preferences", "<Control>comma" },
    { "app.quit", "<Control>q" },
  };
  const char *icon_buttons[] = { "menu_button", "connection_button" };

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    {
      g_auto(GStrv) set = gtk_application_get_accels_for_action (GTK_APPLICATION (fixture->app), accels[i].action);

      g_assert_cmpuint (g_strv_length (set), ==, 1);
      g_assert_cmpstr (set[0], ==, accels[i].accel);
    }
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (fixture->window)));

  for (guint i = 0; i < G_N_ELEMENTS (icon_buttons); i++)
    {
      GtkWidget *button = bb_test_template_child (fixture->window, BB_TYPE_WINDOW, icon_buttons[i]);

      g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL));
      g_assert_nonnull (gtk_widget_get_tooltip_text (button));
    }
}

static gboolean
dialog_status_set (gpointer data)
{
  GtkLabel *label = data;

  return gtk_label_get_label (label)[0] != '\0' && strcmp (gtk_label_get_label (label), "Connecting…") != 0;
}

static void
test_connection_dialog_error (Fixture       *fixture,
                              gconstpointer  data)
{
  BbConnectionDialog *dialog;
  GtkWidget *connect, *test;
  GtkLabel *status;
  GtkEditable *port, *name;

  dialog = bb_connection_dialog_new (GTK_WINDOW (fixture->window), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  connect = bb_test_template_child (dialog, BB_TYPE_CONNECTION_DIALOG, "connect_button");
  test = bb_test_template_child (dialog, BB_TYPE_CONNECTION_DIALOG, "test_button");
  status = GTK_LABEL (bb_test_template_child (dialog, BB_TYPE_CONNECTION_DIALOG, "status_label"));
  port = GTK_EDITABLE (bb_test_template_child (dialog, BB_TYPE_CONNECTION_DIALOG, "port_row"));
  name = GTK_EDITABLE (bb_test_template_child (dialog, BB_TYPE_CONNECTION_DIALOG, "name_row"));

  g_assert_cmpstr (gtk_editable_get_text (port), ==, "5432");
  adw_combo_row_set_selected (ADW_COMBO_ROW (bb_test_template_child (dialog, BB_TYPE_CONNECTION_DIALOG, "engine_row")), 1);
  g_assert_cmpstr (gtk_editable_get_text (port), ==, "3306");
  g_assert_true (gtk_widget_is_sensitive (connect));

  /* A port that is not a number, or no database name: nothing to try. */
  gtk_editable_set_text (port, "80a");
  g_assert_false (gtk_widget_is_sensitive (connect));
  g_assert_false (gtk_widget_is_sensitive (test));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (port), "error"));
  gtk_editable_set_text (port, "1");
  g_assert_true (gtk_widget_is_sensitive (connect));
  gtk_editable_set_text (name, "");
  g_assert_false (gtk_widget_is_sensitive (connect));
  gtk_editable_set_text (name, "babybuddy");

  /* Nothing listens on 127.0.0.1:1: the error stays in the dialog. */
  gtk_editable_set_text (GTK_EDITABLE (bb_test_template_child (dialog, BB_TYPE_CONNECTION_DIALOG, "host_row")), "127.0.0.1");
  bb_test_click (connect);
  bb_test_wait_until (dialog_status_set, status, 60, "the connection error");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (status), "error"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_true (gtk_widget_is_sensitive (connect));
  g_assert_cmpstr (bb_window_get_state (fixture->window), ==, "welcome");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static gboolean
state_is_main (gpointer data)
{
  return g_strcmp0 (bb_window_get_state (data), "main") == 0;
}

static void
test_demo (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *demo = g_build_filename (g_get_user_data_dir (), "babybuddy-backup", "demo.sqlite3", NULL);

  g_assert_false (g_file_test (demo, G_FILE_TEST_EXISTS));
  bb_test_click (bb_test_template_child (fixture->window, BB_TYPE_WINDOW, "demo_button"));
  g_assert_cmpstr (bb_window_get_state (fixture->window), ==, "connecting");
  bb_test_wait_until (state_is_main, fixture->window, 120, "the demo database");
  bb_test_wait_until (summary_loaded, fixture->window, 30, "the demo summary");
  g_assert_true (g_file_test (demo, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (bb_backup_page_get_summary (bb_window_get_backup_page (fixture->window))->records, >, 10000);
}

static void
test_missing_file (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(BbConnectionInfo) info = bb_test_sqlite_info (fixture->db);
  AdwStatusPage *error_page = ADW_STATUS_PAGE (bb_test_template_child (fixture->window, BB_TYPE_WINDOW, "error_page"));

  g_assert_cmpint (g_unlink (fixture->db), ==, 0);
  bb_window_add_connection (fixture->window, info, "gone.sqlite3");
  bb_test_wait_until (state_is_not_connecting, fixture->window, 30, "the error");
  g_assert_cmpstr (bb_window_get_state (fixture->window), ==, "error");
  g_assert_nonnull (strstr (adw_status_page_get_title (error_page), "gone.sqlite3"));
  g_assert_nonnull (strstr (adw_status_page_get_description (error_page), fixture->db));
  g_assert_true (gtk_widget_get_mapped (bb_test_template_child (fixture->window, BB_TYPE_WINDOW, "retry_button")));
}

static void
test_switch_connection (Fixture       *fixture,
                        gconstpointer  data)
{
  BbBackupPage *page = bb_window_get_backup_page (fixture->window);
  g_autofree char *other_dir = g_build_filename (fixture->tmpdir, "other", NULL);
  g_autofree char *other = NULL;
  g_autoptr(BbConnectionInfo) info = NULL;
  BbConnectionStore *store = bb_application_get_connection_store (fixture->app);
  g_autoptr(BbSavedConnection) first = NULL;
  g_autoptr(GPtrArray) all = NULL;
  guint64 records;

  open_database (fixture);
  records = bb_backup_page_get_summary (page)->records;
  first = bb_connection_store_dup_active (store);

  /* A second database: a copy with one child and its entries gone. */
  g_assert_cmpint (g_mkdir (other_dir, 0700), ==, 0);
  other = bb_test_copy_reference_sqlite (other_dir);
  info = bb_test_sqlite_info (other);
  bb_test_sqlite_exec (other, "PRAGMA foreign_keys = OFF; DELETE FROM core_feeding;");
  bb_window_add_connection (fixture->window, info, NULL);
  bb_test_wait_until (state_is_not_connecting, fixture->window, 30, "the second database");
  bb_test_wait_until (summary_loaded, fixture->window, 30, "its summary");
  g_assert_cmpuint (bb_backup_page_get_summary (page)->records, <, records);
  all = bb_connection_store_dup_all (store);
  g_assert_cmpuint (all->len, ==, 2);

  /* Back to the first, from the databases menu. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.switch-connection", "s", first->id));
  bb_test_wait_until (state_is_not_connecting, fixture->window, 30, "the first database again");
  bb_test_wait_until (summary_loaded, fixture->window, 30, "its summary");
  g_assert_cmpuint (bb_backup_page_get_summary (page)->records, ==, records);

  /* Forgetting the active one leaves the other. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.forget-connection", NULL));
  g_clear_pointer (&all, g_ptr_array_unref);
  all = bb_connection_store_dup_all (store);
  g_assert_cmpuint (all->len, ==, 1);
  g_assert_cmpstr (((BbSavedConnection *) g_ptr_array_index (all, 0))->info->path, ==, other);
}

static void
test_backup_media (Fixture       *fixture,
                   gconstpointer  data)
{
  BbBackupPage *page = bb_window_get_backup_page (fixture->window);
  BbConnectionStore *store = bb_application_get_connection_store (fixture->app);
  g_autofree char *media = g_build_filename (bb_test_shared_dir (), "babybuddy", "media", NULL);
  g_autofree char *path = g_build_filename (fixture->tmpdir, "with-media.zip", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (media);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(BbSavedConnection) saved = NULL;
  g_autoptr(GHashTable) entries = NULL;
  GtkSwitch *media_switch = GTK_SWITCH (bb_test_template_child (page, BB_TYPE_BACKUP_PAGE, "media_switch"));
  GtkFileChooser *chooser;
  GHashTableIter iter;
  gpointer key;
  guint media_entries = 0;

  open_database (fixture);
  /* Media wanted, no folder yet: the folder is asked for, once. */
  gtk_switch_set_active (media_switch, TRUE);
  chooser = bb_backup_page_get_chooser (page);
  g_assert_nonnull (chooser);
  g_assert_cmpint (gtk_file_chooser_get_action (chooser), ==, GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER);
  /* Inside the folder with nothing selected, "Select" picks the folder. */
  g_assert_true (gtk_file_chooser_set_current_folder (chooser, folder, NULL));
  bb_test_wait_until (bb_test_chooser_has_folder, chooser, 10, "the chooser to enter the folder");
  g_signal_emit_by_name (chooser, "response", GTK_RESPONSE_ACCEPT);
  saved = bb_connection_store_dup_active (store);
  g_assert_cmpstr (saved->media_folder, ==, media);

  bb_backup_page_back_up_to (page, file);
  bb_test_wait_until (backup_finished, fixture->window, 120, "the backup with media");
  entries = bb_test_read_zip (path);
  g_hash_table_iter_init (&iter, entries);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (g_str_has_prefix (key, "media/"))
      media_entries++;
  g_assert_cmpuint (media_entries, >, 0);
}

static gboolean
wizard_past_checking (gpointer data)
{
  const char *page = bb_restore_wizard_get_page (data);

  return g_strcmp0 (page, "checking") != 0;
}

static void
test_restore_from_history (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (fixture->tmpdir, "backups", NULL);
  g_autofree char *path = g_build_filename (folder, "from-history.zip", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  BbRestoreWizard *wizard;
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint before;

  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  open_database (fixture);
  bb_backup_page_back_up_to (bb_window_get_backup_page (fixture->window), file);
  bb_test_wait_until (backup_finished, fixture->window, 120, "the backup");

  /* What a history row's Restore button (and dropping the file) does. */
  before = g_list_model_get_n_items (toplevels);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.restore-file", "s", path));
  g_assert_cmpuint (g_list_model_get_n_items (toplevels), ==, before + 1);
  wizard = bb_test_find_toplevel (BB_TYPE_RESTORE_WIZARD);
  g_assert_nonnull (wizard);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (wizard)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (wizard)) == GTK_WINDOW (fixture->window));
  bb_test_wait_until (wizard_past_checking, wizard, 60, "the wizard's check");
  g_assert_cmpstr (bb_restore_wizard_get_page (wizard), ==, "inside");
  gtk_window_destroy (GTK_WINDOW (wizard));
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/bb/ui/window/first-run", test_first_run);
  ADD ("/bb/ui/window/open-database", test_open_database);
  ADD ("/bb/ui/window/backup", test_backup);
  ADD ("/bb/ui/window/backup-cancel", test_backup_cancel);
  ADD ("/bb/ui/window/backup-failure", test_backup_failure);
  ADD ("/bb/ui/window/shortcuts-and-labels", test_shortcuts_and_labels);
  ADD ("/bb/ui/window/connection-dialog-error", test_connection_dialog_error);
  ADD ("/bb/ui/window/missing-file", test_missing_file);
  ADD ("/bb/ui/window/demo", test_demo);
  ADD ("/bb/ui/window/switch-connection", test_switch_connection);
  ADD ("/bb/ui/window/backup-media", test_backup_media);
  ADD ("/bb/ui/window/restore-from-history", test_restore_from_history);
#undef ADD

  return g_test_run ();
}

