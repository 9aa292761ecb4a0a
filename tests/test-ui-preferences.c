/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ui-preferences.c: the Preferences window and the History page, driven
 * through their real widgets: settings follow the controls and the controls
 * follow the settings, the zone list and user list come from the system's
 * tzdata and a real database, history rows show what happened and reach the
 * window's restore action and the file manager over the session bus. */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "bb-file-name.h"
#include "bb-history-page.h"
#include "bb-preferences-window.h"
#include "bb-summary.h"
#include "bb-test-util.h"

/* Runs the main loop until expr holds; fails the test after 10 s. */
#define WAIT_FOR(expr) G_STMT_START {                                        \
    gint64 deadline__ = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;      \
    while (!(expr) && g_get_monotonic_time () < deadline__)                 \
      spin ();                                                              \
    g_assert_true (expr);                                                   \
  } G_STMT_END

static void
spin (void)
{
  if (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  else
    g_usleep (2 * 1000);
}

/* Lets pending idles and redraws run. */
static void
flush (void)
{
  for (int i = 0; i < 10; i++)
    while (g_main_context_pending (NULL))
      g_main_context_iteration (NULL, FALSE);
}

static GSettings *
new_settings (void)
{
  static const char * const keys[] = {
    "timezone-source", "timezone", "timezone-user", "compression-level",
    "backup-folder", "include-media",
  };
  GSettings *settings = g_settings_new ("org.babybuddy.Backup");

  /* The memory backend lives as long as the process: start each test afresh. */
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_settings_reset (settings, keys[i]);
  return settings;
}

static void
assert_setting (GSettings  *settings,
                const char *key,
                const char *expected)
{
  g_autofree char *value = g_settings_get_string (settings, key);

  g_assert_cmpstr (value, ==, expected);
}

static gpointer
template_child (gpointer    widget,
                GType       type,
                const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (child);
  return child;
}

#define PREFS_CHILD(win, name) template_child ((win), BB_TYPE_PREFERENCES_WINDOW, (name))
#define HISTORY_CHILD(page, name) template_child ((page), BB_TYPE_HISTORY_PAGE, (name))

static void
destroy_window (gpointer window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  flush ();
}

/* A copy of the reference database whose users' zones are: admin none,
 * reader America/New_York (as shipped), staffer Europe/Berlin (set here, so
 * the list can only come from the database). */
static BbDatabaseSummary *
load_summary (const char *dir,
              gboolean    no_zones)
{
  g_autofree char *path = bb_test_copy_reference_sqlite (dir);
  g_autoptr(BbConnectionInfo) info = bb_test_sqlite_info (path);
  g_autoptr(GError) error = NULL;
  BbDatabaseSummary *summary;

  bb_test_sqlite_exec (path,
                       "UPDATE babybuddy_settings SET timezone = 'Europe/Berlin' "
                       "WHERE user_id = (SELECT id FROM auth_user WHERE username = 'staffer');"
                       "UPDATE babybuddy_settings SET timezone = '' "
                       "WHERE user_id = (SELECT id FROM auth_user WHERE username = 'admin');");
  if (no_zones)
    bb_test_sqlite_exec (path, "UPDATE babybuddy_settings SET timezone = '';");
  summary = bb_database_summary_load (info, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (summary);
  return summary;
}

/* ---- Preferences --------------------------------------------------------- */

static void
test_timezone_source (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  BbPreferencesWindow *win = bb_preferences_window_new (NULL, settings, NULL);
  AdwComboRow *source_row = PREFS_CHILD (win, "timezone_source_row");
  GtkWidget *zone_row = PREFS_CHILD (win, "zone_row");
  GtkWidget *user_row = PREFS_CHILD (win, "user_row");

  gtk_window_present (GTK_WINDOW (win));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (win)));
  g_assert_cmpuint (adw_combo_row_get_selected (source_row), ==, 0);
  g_assert_false (gtk_widget_get_visible (zone_row));
  g_assert_false (gtk_widget_get_visible (user_row));

  /* Combo -> key. */
  adw_combo_row_set_selected (source_row, 1);
  g_assert_cmpint (g_settings_get_enum (settings, "timezone-source"), ==, 1);
  g_assert_true (gtk_widget_get_visible (zone_row));
  g_assert_false (gtk_widget_get_visible (user_row));
  adw_combo_row_set_selected (source_row, 2);
  g_assert_cmpint (g_settings_get_enum (settings, "timezone-source"), ==, 2);
  g_assert_false (gtk_widget_get_visible (zone_row));
  g_assert_true (gtk_widget_get_visible (user_row));
  /* No database: the user row says why it cannot be used. */
  g_assert_false (gtk_widget_get_sensitive (user_row));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (user_row)), "Connect"));
  adw_combo_row_set_selected (source_row, 0);
  g_assert_cmpint (g_settings_get_enum (settings, "timezone-source"), ==, 0);

  /* Key -> combo. */
  g_settings_set_enum (settings, "timezone-source", 1);
  g_assert_cmpuint (adw_combo_row_get_selected (source_row), ==, 1);
  g_assert_true (gtk_widget_get_visible (zone_row));
  g_settings_set_enum (settings, "timezone-source", 2);
  g_assert_cmpuint (adw_combo_row_get_selected (source_row), ==, 2);
  g_assert_true (gtk_widget_get_visible (user_row));
  g_settings_reset (settings, "timezone-source");
  g_assert_cmpuint (adw_combo_row_get_selected (source_row), ==, 0);
  g_assert_false (gtk_widget_get_visible (user_row));

  destroy_window (win);
}

/* The zones the list shows now, in its order. */
static GPtrArray *
visible_zones (GtkListBox *list)
{
  GPtrArray *zones = g_ptr_array_new ();

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row) && gtk_widget_get_child_visible (row))
      g_ptr_array_add (zones, (gpointer) adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
  return zones;
}

static guint
count_visible_zones (GtkListBox *list)
{
  g_autoptr(GPtrArray) zones = visible_zones (list);

  return zones->len;
}

static GtkWidget *
find_zone_row (GtkListBox *list,
               const char *zone)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row) &&
        g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), zone) == 0)
      return row;
  return NULL;
}

static gboolean
zones_contain (GPtrArray  *zones,
               const char *zone)
{
  return g_ptr_array_find_with_equal_func (zones, zone, g_str_equal, NULL);
}

static gboolean
subpage_shown (BbPreferencesWindow *win)
{
  GtkWidget *page = PREFS_CHILD (win, "zone_page");

  return gtk_widget_get_root (page) == GTK_ROOT (win) && gtk_widget_get_mapped (page);
}

static gboolean
subpage_closed (BbPreferencesWindow *win)
{
  GtkWidget *page = PREFS_CHILD (win, "zone_page");

  return !gtk_widget_get_mapped (page);
}

static void
test_zone_subpage (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  BbPreferencesWindow *win;
  GtkWidget *zone_row;
  GtkListBox *list;
  GtkEditable *search;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) found = NULL;

  g_settings_set_enum (settings, "timezone-source", 1);
  win = bb_preferences_window_new (NULL, settings, NULL);
  zone_row = PREFS_CHILD (win, "zone_row");
  list = PREFS_CHILD (win, "zone_list");
  search = PREFS_CHILD (win, "zone_search");
  gtk_window_present (GTK_WINDOW (win));
  WAIT_FOR (gtk_widget_get_mapped (zone_row));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (zone_row)), "system"));

  /* Activating the Zone row opens the subpage with every zone, sorted. */
  gtk_widget_activate (zone_row);
  WAIT_FOR (subpage_shown (win));
  all = visible_zones (list);
  g_assert_cmpuint (all->len, >, 300);
  g_assert_true (zones_contain (all, "Europe/Berlin"));
  g_assert_true (zones_contain (all, "America/New_York"));
  g_assert_true (zones_contain (all, "UTC"));
  g_assert_false (zones_contain (all, "Factory"));
  for (guint i = 1; i < all->len; i++)
    g_assert_cmpstr (g_ptr_array_index (all, i - 1), <, g_ptr_array_index (all, i));

  /* Case does not matter and a space finds an underscore. */
  gtk_editable_set_text (search, "new york");
  WAIT_FOR (count_visible_zones (list) < 10);
  found = visible_zones (list);
  g_assert_cmpuint (found->len, >=, 1);
  g_assert_cmpuint (found->len, <=, 3);
  g_assert_true (zones_contain (found, "America/New_York"));
  g_assert_false (zones_contain (found, "Europe/Berlin"));
  g_clear_pointer (&found, g_ptr_array_unref);

  gtk_editable_set_text (search, "no such place");
  WAIT_FOR (count_visible_zones (list) == 0);

  gtk_editable_set_text (search, "NEW_YORK");
  WAIT_FOR (count_visible_zones (list) > 0 && count_visible_zones (list) < 10);

  /* Choosing a zone sets the key and closes the subpage. */
  gtk_widget_activate (find_zone_row (list, "America/New_York"));
  assert_setting (settings, "timezone", "America/New_York");
  WAIT_FOR (subpage_closed (win));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (zone_row)), ==, "America/New_York");

  /* Opening it again starts with an empty search; Enter takes the first match. */
  gtk_widget_activate (zone_row);
  WAIT_FOR (subpage_shown (win));
  g_assert_cmpstr (gtk_editable_get_text (search), ==, "");
  gtk_editable_set_text (search, "europe/berl");
  WAIT_FOR (count_visible_zones (list) == 1);
  g_signal_emit_by_name (search, "activate");
  assert_setting (settings, "timezone", "Europe/Berlin");
  WAIT_FOR (subpage_closed (win));

  /* The key changed elsewhere: the row follows. */
  g_settings_set_string (settings, "timezone", "Asia/Tokyo");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (zone_row)), ==, "Asia/Tokyo");

  destroy_window (win);
}

static guint
find_string (GListModel *model,
             const char *string)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), string) == 0)
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

static void
test_user_zone (void)
{
  g_autofree char *dir = bb_test_make_tmpdir ();
  g_autoptr(BbDatabaseSummary) summary = load_summary (dir, FALSE);
  g_autoptr(BbDatabaseSummary) no_zones = load_summary (dir, TRUE);
  g_autoptr(GSettings) settings = new_settings ();
  BbPreferencesWindow *win;
  AdwComboRow *user_row;
  AdwComboRow *source_row;
  GListModel *model;
  g_autofree char *resolved = NULL;

  g_settings_set_enum (settings, "timezone-source", 2);
  win = bb_preferences_window_new (NULL, settings, summary);
  user_row = PREFS_CHILD (win, "user_row");
  source_row = PREFS_CHILD (win, "timezone_source_row");
  gtk_window_present (GTK_WINDOW (win));

  /* Only users with a zone, by username, with their zone. */
  model = adw_combo_row_get_model (user_row);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  g_assert_cmpuint (find_string (model, "reader (America/New_York)"), ==, 0);
  g_assert_cmpuint (find_string (model, "staffer (Europe/Berlin)"), ==, 1);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (user_row)));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (user_row)));
  /* Nobody chosen yet: nobody shown as chosen. */
  g_assert_cmpuint (adw_combo_row_get_selected (user_row), ==, GTK_INVALID_LIST_POSITION);
  assert_setting (settings, "timezone-user", "");

  adw_combo_row_set_selected (user_row, 1);
  assert_setting (settings, "timezone-user", "staffer");
  resolved = bb_preferences_resolve_timezone (settings, summary);
  g_assert_cmpstr (resolved, ==, "Europe/Berlin");

  g_settings_set_string (settings, "timezone-user", "reader");
  g_assert_cmpuint (adw_combo_row_get_selected (user_row), ==, 0);

  /* A user without a zone: none selected, and the row says so. */
  g_settings_set_string (settings, "timezone-user", "admin");
  g_assert_cmpuint (adw_combo_row_get_selected (user_row), ==, GTK_INVALID_LIST_POSITION);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (user_row)), "admin"));

  /* Choosing "a user's zone" again then takes the first user with one. */
  adw_combo_row_set_selected (source_row, 0);
  adw_combo_row_set_selected (source_row, 2);
  assert_setting (settings, "timezone-user", "reader");
  g_assert_cmpuint (adw_combo_row_get_selected (user_row), ==, 0);
  destroy_window (win);

  /* A database where no user chose a zone. */
  win = bb_preferences_window_new (NULL, settings, no_zones);
  user_row = PREFS_CHILD (win, "user_row");
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (user_row)), ==, 0);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (user_row)));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (user_row)), "No user"));
  destroy_window (win);

  bb_test_remove_tree (dir);
}

static void
assert_resolves (GSettings               *settings,
                 const BbDatabaseSummary *summary,
                 const char              *expected)
{
  g_autofree char *zone = bb_preferences_resolve_timezone (settings, summary);

  g_assert_cmpstr (zone, ==, expected);
}

static void
test_resolve (void)
{
  g_autofree char *dir = bb_test_make_tmpdir ();
  g_autoptr(BbDatabaseSummary) summary = load_summary (dir, FALSE);
  g_autoptr(GSettings) settings = new_settings ();

  g_settings_set_string (settings, "timezone", "Asia/Tokyo");
  g_settings_set_string (settings, "timezone-user", "staffer");

  g_settings_set_enum (settings, "timezone-source", 0);
  assert_resolves (settings, summary, "");
  assert_resolves (settings, NULL, "");

  g_settings_set_enum (settings, "timezone-source", 1);
  assert_resolves (settings, summary, "Asia/Tokyo");
  assert_resolves (settings, NULL, "Asia/Tokyo");
  g_settings_set_string (settings, "timezone", "");
  assert_resolves (settings, summary, "");

  g_settings_set_enum (settings, "timezone-source", 2);
  assert_resolves (settings, summary, "Europe/Berlin");
  g_settings_set_string (settings, "timezone-user", "reader");
  assert_resolves (settings, summary, "America/New_York");
  /* No database, a user without a zone, no such user: the system's zone. */
  assert_resolves (settings, NULL, "");
  g_settings_set_string (settings, "timezone-user", "admin");
  assert_resolves (settings, summary, "");
  g_settings_set_string (settings, "timezone-user", "nobody");
  assert_resolves (settings, summary, "");

  bb_test_remove_tree (dir);
}

/* "backup_MMDDYY_HHMM": the file name up to the minute. */
static char *
name_to_minute (const char *zone)
{
  g_autoptr(GTimeZone) tz = bb_time_zone_new (zone, NULL);
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *name = NULL;

  g_assert_nonnull (tz);
  now = g_date_time_new_now (tz);
  name = bb_file_name_for_time (now);
  g_assert_cmpuint (strlen (name), ==, strlen ("backup_112426_093000.zip"));
  return g_strndup (name, strlen ("backup_112426_0930"));
}

/* The example row shows the name of a backup made now in zone; compared to
 * the minute, again when the minute turned over meanwhile. */
static void
assert_example_in_zone (BbPreferencesWindow *win,
                        const char          *zone)
{
  AdwActionRow *example = PREFS_CHILD (win, "example_row");
  g_autofree char *expected = NULL;
  g_autofree char *shown = NULL;

  for (int attempt = 0; attempt < 3; attempt++)
    {
      g_autofree char *after = NULL;

      g_clear_pointer (&expected, g_free);
      g_clear_pointer (&shown, g_free);
      expected = name_to_minute (zone);
      shown = g_strdup (adw_action_row_get_subtitle (example));
      after = name_to_minute (zone);
      g_assert_true (g_str_has_prefix (shown, "backup_"));
      g_assert_true (g_str_has_suffix (shown, ".zip"));
      g_assert_cmpuint (strlen (shown), ==, strlen ("backup_112426_093000.zip"));
      if (g_str_equal (expected, after) && g_str_has_prefix (shown, expected))
        return;
      /* The minute turned meanwhile: the window's second tick catches up. */
      g_usleep (G_USEC_PER_SEC + G_USEC_PER_SEC / 10);
      flush ();
    }
  shown[strlen (expected)] = '\0';
  g_assert_cmpstr (shown, ==, expected);
}

static void
test_example_name (void)
{
  g_autofree char *dir = bb_test_make_tmpdir ();
  g_autoptr(BbDatabaseSummary) summary = load_summary (dir, FALSE);
  g_autoptr(GSettings) settings = new_settings ();
  BbPreferencesWindow *win = bb_preferences_window_new (NULL, settings, summary);
  AdwActionRow *example = PREFS_CHILD (win, "example_row");

  gtk_window_present (GTK_WINDOW (win));
  flush ();

  /* TZ=UTC in the test environment: the system's zone is UTC. */
  assert_example_in_zone (win, "UTC");

  /* Kolkata is 5:30 off UTC: the minutes differ from UTC's at any time. */
  g_settings_set_string (settings, "timezone", "Asia/Kolkata");
  g_settings_set_enum (settings, "timezone-source", 1);
  assert_example_in_zone (win, "Asia/Kolkata");

  g_settings_set_string (settings, "timezone", "Pacific/Chatham");
  assert_example_in_zone (win, "Pacific/Chatham");

  g_settings_set_string (settings, "timezone-user", "staffer");
  g_settings_set_enum (settings, "timezone-source", 2);
  assert_example_in_zone (win, "Europe/Berlin");

  /* An unknown zone is said so, not replaced by another. */
  g_settings_set_string (settings, "timezone", "Mars/Olympus_Mons");
  g_settings_set_enum (settings, "timezone-source", 1);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (example), "Mars/Olympus_Mons"));
  g_assert_false (g_str_has_prefix (adw_action_row_get_subtitle (example), "backup_"));

  g_settings_set_enum (settings, "timezone-source", 0);
  assert_example_in_zone (win, "UTC");

  destroy_window (win);
  bb_test_remove_tree (dir);
}

static void
test_compression_and_media (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  BbPreferencesWindow *win = bb_preferences_window_new (NULL, settings, NULL);
  GtkRange *scale = PREFS_CHILD (win, "compression_scale");
  AdwActionRow *compression_row = PREFS_CHILD (win, "compression_row");
  GtkSwitch *media = PREFS_CHILD (win, "media_switch");
  GtkWidget *media_row = PREFS_CHILD (win, "media_row");

  gtk_window_present (GTK_WINDOW (win));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (compression_row), "0 is fastest, 9 is smallest"));
  g_assert_cmpfloat (gtk_range_get_value (scale), ==, 6);
  g_assert_cmpfloat (gtk_adjustment_get_lower (gtk_range_get_adjustment (scale)), ==, 0);
  g_assert_cmpfloat (gtk_adjustment_get_upper (gtk_range_get_adjustment (scale)), ==, 9);

  gtk_range_set_value (scale, 2);
  g_assert_cmpint (g_settings_get_int (settings, "compression-level"), ==, 2);
  gtk_range_set_value (scale, 9);
  g_assert_cmpint (g_settings_get_int (settings, "compression-level"), ==, 9);
  g_settings_set_int (settings, "compression-level", 0);
  g_assert_cmpfloat (gtk_range_get_value (scale), ==, 0);
  g_settings_set_int (settings, "compression-level", 8);
  g_assert_cmpfloat (gtk_range_get_value (scale), ==, 8);

  g_assert_false (gtk_switch_get_active (media));
  gtk_switch_set_active (media, TRUE);
  g_assert_true (g_settings_get_boolean (settings, "include-media"));
  g_settings_set_boolean (settings, "include-media", FALSE);
  g_assert_false (gtk_switch_get_active (media));
  /* The whole row toggles the switch. */
  gtk_widget_activate (media_row);
  WAIT_FOR (g_settings_get_boolean (settings, "include-media"));
  g_assert_true (gtk_switch_get_active (media));

  destroy_window (win);
}

static gboolean
chooser_has_file (GtkFileChooserNative *chooser,
                  GFile                *file)
{
  g_autoptr(GFile) chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  return chosen != NULL && g_file_equal (chosen, file);
}

static void
test_folder (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autofree char *dir = bb_test_make_tmpdir ();
  g_autofree char *other = g_build_filename (dir, "other", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  g_autoptr(GFile) other_folder = NULL;
  BbPreferencesWindow *win = bb_preferences_window_new (NULL, settings, NULL);
  AdwActionRow *row = PREFS_CHILD (win, "folder_row");
  GtkWidget *reset = PREFS_CHILD (win, "folder_reset_button");
  GtkWidget *choose = PREFS_CHILD (win, "folder_button");
  GtkFileChooserNative *chooser = PREFS_CHILD (win, "folder_chooser");
  g_autofree char *home_folder = g_build_filename (g_get_home_dir (), "Backups", NULL);
  g_autofree char *subtitle = NULL;

  gtk_window_present (GTK_WINDOW (win));
  subtitle = g_strdup (adw_action_row_get_subtitle (row));
  g_assert_true (g_str_equal (subtitle, "Documents") || g_str_equal (subtitle, "Home Folder"));
  g_assert_false (gtk_widget_get_visible (reset));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (reset), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Use the Documents Folder");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (choose)), ==, "_Choose…");
  g_assert_cmpint (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)), ==,
                   GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER);

  /* The button opens the chooser over the window. */
  gtk_widget_activate (choose);
  WAIT_FOR (gtk_native_dialog_get_visible (GTK_NATIVE_DIALOG (chooser)));
  g_assert_true (gtk_native_dialog_get_transient_for (GTK_NATIVE_DIALOG (chooser)) == GTK_WINDOW (win));
  gtk_native_dialog_hide (GTK_NATIVE_DIALOG (chooser));

  /* Accepting a folder sets the key and shows it. */
  g_assert_true (gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), folder, NULL));
  /* The fallback chooser selects a folder once it has loaded its parent. */
  WAIT_FOR (chooser_has_file (chooser, folder));
  g_signal_emit_by_name (chooser, "response", GTK_RESPONSE_ACCEPT);
  assert_setting (settings, "backup-folder", dir);
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, dir);
  g_assert_true (gtk_widget_get_visible (reset));

  /* Cancelling changes nothing. */
  g_assert_cmpint (g_mkdir (other, 0700), ==, 0);
  other_folder = g_file_new_for_path (other);
  g_assert_true (gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), other_folder, NULL));
  g_signal_emit_by_name (chooser, "response", GTK_RESPONSE_CANCEL);
  assert_setting (settings, "backup-folder", dir);

  /* Under the home folder it is shown with a tilde. */
  g_settings_set_string (settings, "backup-folder", home_folder);
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "~/Backups");

  /* Reset: back to the Documents folder. */
  g_signal_emit_by_name (reset, "clicked");
  assert_setting (settings, "backup-folder", "");
  g_assert_false (gtk_widget_get_visible (reset));
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, subtitle);

  destroy_window (win);
  bb_test_remove_tree (dir);
}

static void
test_transient (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  GtkWidget *parent = gtk_window_new ();
  BbPreferencesWindow *win = bb_preferences_window_new (GTK_WINDOW (parent), settings, NULL);

  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (win)) == GTK_WINDOW (parent));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (win)));
  g_assert_true (ADW_IS_PREFERENCES_WINDOW (win));
  destroy_window (win);
  destroy_window (parent);
}

/* ---- History page -------------------------------------------------------- */

static BbHistoryEntry *
make_entry (BbHistoryKind     kind,
            const char       *iso_time,
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
  entry->time = g_date_time_new_from_iso8601 (iso_time, NULL);
  g_assert_nonnull (entry->time);
  entry->connection = g_strdup (connection);
  entry->file = g_strdup (file);
  entry->size = size;
  entry->records = records;
  entry->outcome = outcome;
  entry->message = g_strdup (message);
  entry->duration = duration;
  return entry;
}

static GPtrArray *
page_rows (BbHistoryPage *page)
{
  GtkWidget *list = HISTORY_CHILD (page, "list_box");
  GPtrArray *rows = g_ptr_array_new ();

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row))
      g_ptr_array_add (rows, row);
  return rows;
}

typedef gboolean (*WidgetMatch) (GtkWidget *widget, const char *name);

static gboolean
button_has_icon (GtkWidget  *widget,
                 const char *icon_name)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (widget)), icon_name) == 0;
}

static gboolean
image_has_icon (GtkWidget  *widget,
                const char *icon_name)
{
  return GTK_IS_IMAGE (widget) && g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (widget)), icon_name) == 0;
}

static GtkWidget *
find_descendant (GtkWidget   *widget,
                 WidgetMatch  match,
                 const char  *name)
{
  if (match (widget, name))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, match, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
restore_button (GtkWidget *row)
{
  GtkWidget *button = find_descendant (row, button_has_icon, "document-revert-symbolic");

  g_assert_nonnull (button);
  return button;
}

static GtkWidget *
show_button (GtkWidget *row)
{
  GtkWidget *button = find_descendant (row, button_has_icon, "folder-open-symbolic");

  g_assert_nonnull (button);
  return button;
}

static void
assert_status_icon (GtkWidget  *row,
                    const char *icon_name,
                    const char *label)
{
  GtkWidget *image = find_descendant (row, image_has_icon, icon_name);

  g_assert_nonnull (image);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_PROPERTY_LABEL, label);
}

typedef struct {
  char       *dir;
  char       *existing;   /* a backup file that exists */
  char       *missing;    /* one that was deleted */
  BbHistory  *history;
  GtkWidget  *window;
  BbHistoryPage *page;
  GPtrArray  *restored;   /* char *: paths win.restore-file was activated with */
} HistoryFixture;

static void
restore_file_activated_cb (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  HistoryFixture *fixture = user_data;

  g_ptr_array_add (fixture->restored, g_variant_dup_string (parameter, NULL));
}

static void
history_fixture_set_up (HistoryFixture *fixture,
                        gconstpointer   data)
{
  g_autofree char *history_path = NULL;
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) restore = g_simple_action_new ("restore-file", G_VARIANT_TYPE_STRING);
  g_autoptr(GError) error = NULL;

  fixture->dir = bb_test_make_tmpdir ();
  fixture->existing = g_build_filename (fixture->dir, "backup_112426_093000.zip", NULL);
  fixture->missing = g_build_filename (fixture->dir, "backup_112626_080000.zip", NULL);
  g_file_set_contents (fixture->existing, "PK not really a zip", -1, &error);
  g_assert_no_error (error);
  history_path = g_build_filename (fixture->dir, "history.json", NULL);
  fixture->history = bb_history_new (history_path);
  fixture->restored = g_ptr_array_new_with_free_func (g_free);

  g_signal_connect (restore, "activate", G_CALLBACK (restore_file_activated_cb), fixture);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (restore));
  fixture->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 700, 500);
  gtk_widget_insert_action_group (fixture->window, "win", G_ACTION_GROUP (group));
  fixture->page = g_object_new (BB_TYPE_HISTORY_PAGE, NULL);
  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (fixture->page));
  gtk_window_present (GTK_WINDOW (fixture->window));
}

static void
history_fixture_tear_down (HistoryFixture *fixture,
                           gconstpointer   data)
{
  destroy_window (fixture->window);
  g_clear_object (&fixture->history);
  g_clear_pointer (&fixture->restored, g_ptr_array_unref);
  bb_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->existing);
  g_free (fixture->missing);
}

static void
add_entry (BbHistory      *history,
           BbHistoryEntry *entry)
{
  g_autoptr(BbHistoryEntry) owned = entry;
  g_autoptr(GError) error = NULL;

  g_assert_true (bb_history_add (history, owned, &error));
  g_assert_no_error (error);
}

/* A backup that worked, a restore that failed, a backup that was cancelled,
 * in the order they happened. */
static void
add_three_entries (HistoryFixture *fixture)
{
  add_entry (fixture->history,
             make_entry (BB_HISTORY_BACKUP, "2026-11-24T09:30:00Z", "Home", fixture->existing,
                         1234567, 1234, BB_HISTORY_SUCCEEDED, NULL, 12.4));
  add_entry (fixture->history,
             make_entry (BB_HISTORY_RESTORE, "2026-11-25T10:00:00Z", "Home & Garden", "/nonexistent/backup_x.zip",
                         0, 0, BB_HISTORY_FAILED, "The archive is damaged <really>.", 3));
  add_entry (fixture->history,
             make_entry (BB_HISTORY_BACKUP, "2026-11-26T08:00:00Z", "Server", fixture->missing,
                         0, 0, BB_HISTORY_CANCELLED, NULL, 0.2));
}

static void
test_history_empty (HistoryFixture *fixture,
                    gconstpointer   data)
{
  GtkStack *stack = HISTORY_CHILD (fixture->page, "stack");
  AdwStatusPage *empty = HISTORY_CHILD (fixture->page, "empty_page");
  g_autoptr(GPtrArray) rows = NULL;

  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  bb_history_page_set_history (fixture->page, fixture->history);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (empty)));
  g_assert_cmpstr (adw_status_page_get_title (empty), ==, "No Backups Yet");
  g_assert_nonnull (strstr (adw_status_page_get_description (empty), "appear in this list"));
  rows = page_rows (fixture->page);
  g_assert_cmpuint (rows->len, ==, 0);

  /* The first entry switches to the list; no history switches back. */
  add_entry (fixture->history,
             make_entry (BB_HISTORY_BACKUP, "2026-11-24T09:30:00Z", "Home", fixture->existing,
                         10, 1, BB_HISTORY_SUCCEEDED, NULL, 1));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "list");
  bb_history_page_set_history (fixture->page, NULL);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
}

static void
test_history_rows (HistoryFixture *fixture,
                   gconstpointer   data)
{
  GtkStack *stack = HISTORY_CHILD (fixture->page, "stack");
  GtkWidget *list = HISTORY_CHILD (fixture->page, "list_box");
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) more_rows = NULL;
  GtkWidget *cancelled, *failed, *succeeded;

  bb_history_page_set_history (fixture->page, fixture->history);
  add_three_entries (fixture);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "list");
  g_assert_true (gtk_widget_has_css_class (list, "boxed-list"));
  WAIT_FOR (gtk_widget_get_mapped (list));

  rows = page_rows (fixture->page);
  g_assert_cmpuint (rows->len, ==, 3);
  cancelled = g_ptr_array_index (rows, 0);
  failed = g_ptr_array_index (rows, 1);
  succeeded = g_ptr_array_index (rows, 2);

  /* Newest first, time in the local zone (TZ=UTC here), and no markup.
   * gtk_test_init() runs the tests in en_US.UTF-8: digits are grouped, and
   * g_format_size() puts a no-break space before the unit. */
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (cancelled)), ==,
                   "Backup — backup_112626_080000.zip");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (cancelled)), ==,
                   "26 November 2026, 08:00 · Server\nCancelled");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (failed)), ==,
                   "Restore — backup_x.zip");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (failed)), ==,
                   "25 November 2026, 10:00 · Home & Garden · 3 seconds\nThe archive is damaged <really>.");
  g_assert_false (adw_preferences_row_get_use_markup (ADW_PREFERENCES_ROW (failed)));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (succeeded)), ==,
                   "Backup — backup_112426_093000.zip");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (succeeded)), ==,
                   "24 November 2026, 09:30 · Home · 1.2\u00a0MB · 1,234 records · 12 seconds");

  assert_status_icon (succeeded, "emblem-ok-symbolic", "Succeeded");
  assert_status_icon (failed, "dialog-error-symbolic", "Failed");
  assert_status_icon (cancelled, "process-stop-symbolic", "Cancelled");

  /* Only the file that exists can be shown or restored. */
  g_assert_true (gtk_widget_get_sensitive (show_button (succeeded)));
  g_assert_true (gtk_widget_get_visible (restore_button (succeeded)));
  g_assert_false (gtk_widget_get_sensitive (show_button (cancelled)));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (show_button (cancelled)), ==, "The file no longer exists");
  g_assert_false (gtk_widget_get_visible (restore_button (cancelled)));
  g_assert_false (gtk_widget_get_sensitive (show_button (failed)));
  g_assert_false (gtk_widget_get_visible (restore_button (failed)));

  /* Icon-only buttons: a tooltip and an accessible label. */
  g_assert_cmpstr (gtk_widget_get_tooltip_text (show_button (succeeded)), ==, "Show in Files");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (show_button (succeeded)),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Show in Files");
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (show_button (cancelled)),
                                                   GTK_ACCESSIBLE_PROPERTY_LABEL));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (restore_button (succeeded)), ==, "Restore…");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (restore_button (succeeded)),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Restore…");

  /* Another entry: the list follows "changed", newest on top; plural forms. */
  add_entry (fixture->history,
             make_entry (BB_HISTORY_RESTORE, "2026-11-27T23:59:00Z", "Home", fixture->existing,
                         512, 1, BB_HISTORY_SUCCEEDED, NULL, 125));
  more_rows = page_rows (fixture->page);
  g_assert_cmpuint (more_rows->len, ==, 4);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (g_ptr_array_index (more_rows, 0))), ==,
                   "Restore — backup_112426_093000.zip");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (g_ptr_array_index (more_rows, 0))), ==,
                   "27 November 2026, 23:59 · Home · 512 bytes · 1 record · 2 min 5 s");
}

static void
test_history_file_removed (HistoryFixture *fixture,
                           gconstpointer   data)
{
  g_autoptr(GPtrArray) rows = NULL;
  GtkWidget *succeeded;

  bb_history_page_set_history (fixture->page, fixture->history);
  add_three_entries (fixture);
  rows = page_rows (fixture->page);
  succeeded = g_ptr_array_index (rows, 2);
  g_assert_true (gtk_widget_get_sensitive (show_button (succeeded)));

  /* Deleted behind the app's back: noticed when the page is shown again. */
  g_assert_cmpint (g_unlink (fixture->existing), ==, 0);
  gtk_widget_set_visible (GTK_WIDGET (fixture->page), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (fixture->page), TRUE);
  WAIT_FOR (!gtk_widget_get_sensitive (show_button (succeeded)));
  g_assert_false (gtk_widget_get_visible (restore_button (succeeded)));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (show_button (succeeded)), ==, "The file no longer exists");
}

static void
test_history_restore_action (HistoryFixture *fixture,
                             gconstpointer   data)
{
  g_autoptr(GPtrArray) rows = NULL;
  GtkWidget *button;

  bb_history_page_set_history (fixture->page, fixture->history);
  add_three_entries (fixture);
  rows = page_rows (fixture->page);
  button = restore_button (g_ptr_array_index (rows, 2));
  WAIT_FOR (gtk_widget_is_sensitive (button) && gtk_widget_get_mapped (button));

  g_signal_emit_by_name (button, "clicked");
  WAIT_FOR (fixture->restored->len == 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->restored, 0), ==, fixture->existing);
}

/* The file manager's D-Bus interface, served by the test on the session bus
 * that ui-session.sh runs. */
static const char file_manager_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.FileManager1'>"
  "    <method name='ShowItems'>"
  "      <arg type='as' name='uris' direction='in'/>"
  "      <arg type='s' name='startup_id' direction='in'/>"
  "    </method>"
  "  </interface>"
  "</node>";

static void
file_manager_method_cb (GDBusConnection       *connection,
                        const char            *sender,
                        const char            *object_path,
                        const char            *interface_name,
                        const char            *method_name,
                        GVariant              *parameters,
                        GDBusMethodInvocation *invocation,
                        gpointer               user_data)
{
  GPtrArray *shown = user_data;
  g_autofree const char **uris = NULL;
  const char *startup_id;

  g_assert_cmpstr (method_name, ==, "ShowItems");
  g_variant_get (parameters, "(^a&s&s)", &uris, &startup_id);
  for (guint i = 0; uris[i] != NULL; i++)
    g_ptr_array_add (shown, g_strdup (uris[i]));
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
test_history_show_in_files (HistoryFixture *fixture,
                            gconstpointer   data)
{
  static const GDBusInterfaceVTable vtable = { file_manager_method_cb, NULL, NULL, { 0 } };
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autoptr(GDBusNodeInfo) node = NULL;
  g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *uri = g_filename_to_uri (fixture->existing, NULL, NULL);
  guint registration;
  guint32 request_result;
  GtkWidget *button;

  g_assert_no_error (error);
  node = g_dbus_node_info_new_for_xml (file_manager_xml, &error);
  g_assert_no_error (error);
  registration = g_dbus_connection_register_object (bus, "/org/freedesktop/FileManager1",
                                                    node->interfaces[0], &vtable, shown, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.FileManager1", 0),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &request_result);
  g_assert_cmpuint (request_result, ==, 1);   /* DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER */

  bb_history_page_set_history (fixture->page, fixture->history);
  add_three_entries (fixture);
  rows = page_rows (fixture->page);
  button = show_button (g_ptr_array_index (rows, 2));
  g_signal_emit_by_name (button, "clicked");
  WAIT_FOR (shown->len == 1);
  g_assert_cmpstr (g_ptr_array_index (shown, 0), ==, uri);

  g_dbus_connection_unregister_object (bus, registration);
  g_clear_pointer (&reply, g_variant_unref);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "ReleaseName",
                                       g_variant_new ("(s)", "org.freedesktop.FileManager1"),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/bb/ui/preferences/timezone-source", test_timezone_source);
  g_test_add_func ("/bb/ui/preferences/zone-subpage", test_zone_subpage);
  g_test_add_func ("/bb/ui/preferences/user-zone", test_user_zone);
  g_test_add_func ("/bb/ui/preferences/resolve-timezone", test_resolve);
  g_test_add_func ("/bb/ui/preferences/example-name", test_example_name);
  g_test_add_func ("/bb/ui/preferences/compression-and-media", test_compression_and_media);
  g_test_add_func ("/bb/ui/preferences/folder", test_folder);
  g_test_add_func ("/bb/ui/preferences/transient", test_transient);
  g_test_add ("/bb/ui/history/empty", HistoryFixture, NULL,
              history_fixture_set_up, test_history_empty, history_fixture_tear_down);
  g_test_add ("/bb/ui/history/rows", HistoryFixture, NULL,
              history_fixture_set_up, test_history_rows, history_fixture_tear_down);
  g_test_add ("/bb/ui/history/file-removed", HistoryFixture, NULL,
              history_fixture_set_up, test_history_file_removed, history_fixture_tear_down);
  g_test_add ("/bb/ui/history/restore-action", HistoryFixture, NULL,
              history_fixture_set_up, test_history_restore_action, history_fixture_tear_down);
  g_test_add ("/bb/ui/history/show-in-files", HistoryFixture, NULL,
              history_fixture_set_up, test_history_show_in_files, history_fixture_tear_down);

  return g_test_run ();
}
