/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-preferences-window.c: the Preferences window. Every control writes its
 * GSettings key at once (GNOME preferences have no Apply button), and follows
 * the key when something else changes it. The time zone for file names comes
 * from the system, a chosen IANA zone, or a Baby Buddy user's own setting; an
 * example file name shows what the next backup will be called. */

#define G_LOG_DOMAIN "bb-preferences-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bb-file-name.h"
#include "bb-preferences-window.h"

/* The nicks of org.babybuddy.Backup.TimezoneSource, in the time zone
 * combo row's order. */
typedef enum {
  TIMEZONE_SOURCE_SYSTEM,
  TIMEZONE_SOURCE_ZONE,
  TIMEZONE_SOURCE_USER,
} TimezoneSource;

static const char * const timezone_source_nicks[] = { "system", "zone", "user" };

struct _BbPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  BbDatabaseSummary    *summary;       /* our own copy, or NULL */
  GPtrArray            *zone_users;    /* char *: the usernames user_row lists, in its order */
  char                 *zone_needle;   /* the zone search, normalized */
  guint                 example_timeout;
  gboolean              zones_loaded;
  gboolean              syncing_user;  /* user_row is being set from the settings */

  AdwComboRow          *timezone_source_row;
  AdwActionRow         *zone_row;
  AdwComboRow          *user_row;
  AdwActionRow         *example_row;
  AdwActionRow         *folder_row;
  GtkButton            *folder_reset_button;
  GtkButton            *folder_button;
  AdwActionRow         *compression_row;
  GtkScale             *compression_scale;
  AdwActionRow         *media_row;
  GtkSwitch            *media_switch;
  GtkWidget            *zone_page;
  GtkSearchEntry       *zone_search;
  GtkListBox           *zone_list;
  GtkFileChooserNative *folder_chooser;
};

G_DEFINE_FINAL_TYPE (BbPreferencesWindow, bb_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
summary_user_free (BbSummaryUser *user)
{
  g_free (user->username);
  g_free (user->timezone);
  g_free (user);
}

/* The window may outlive the caller's summary (it is only borrowed), so it
 * keeps a copy; bb_database_summary_free() frees it like a loaded one. */
static BbDatabaseSummary *
copy_summary (const BbDatabaseSummary *summary)
{
  BbDatabaseSummary *copy = g_new0 (BbDatabaseSummary, 1);

  copy->engine = summary->engine;
  copy->babybuddy_version = g_strdup (summary->babybuddy_version);
  copy->records = summary->records;
  copy->children = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; summary->children != NULL && i < summary->children->len; i++)
    g_ptr_array_add (copy->children, g_strdup (g_ptr_array_index (summary->children, i)));
  copy->users = g_ptr_array_new_with_free_func ((GDestroyNotify) summary_user_free);
  for (guint i = 0; summary->users != NULL && i < summary->users->len; i++)
    {
      const BbSummaryUser *user = g_ptr_array_index (summary->users, i);
      BbSummaryUser *user_copy = g_new0 (BbSummaryUser, 1);

      user_copy->username = g_strdup (user->username);
      user_copy->timezone = g_strdup (user->timezone);
      g_ptr_array_add (copy->users, user_copy);
    }
  return copy;
}

/* Lower case, and '_' as the space people type: "new york" finds
 * America/New_York. */
static char *
normalize_zone_text (const char *text)
{
  char *folded = g_utf8_casefold (text, -1);

  g_strdelimit (folded, "_", ' ');
  return folded;
}

static void
add_zone (GHashTable *zones,
          const char *name)
{
  /* "Factory" is tzdata's placeholder for machines not set up yet. */
  if (name != NULL && name[0] != '\0' && strcmp (name, "Factory") != 0)
    g_hash_table_add (zones, g_strdup (name));
}

/* tzdata.zi names every zone ("Z name …") and every alias ("L target alias"),
 * the backward-compatible names included; older systems only have the
 * zone tables, which list one name per zone. */
static void
read_zone_names (const char *dir,
                 GHashTable *zones)
{
  static const char * const tables[] = { "zone1970.tab", "zone.tab" };
  g_autofree char *zi_path = g_build_filename (dir, "tzdata.zi", NULL);
  g_autofree char *contents = NULL;

  if (g_file_get_contents (zi_path, &contents, NULL, NULL))
    {
      g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        {
          g_auto(GStrv) fields = NULL;

          if ((lines[i][0] != 'Z' && lines[i][0] != 'L') || lines[i][1] != ' ')
            continue;
          fields = g_strsplit_set (lines[i], " \t", -1);
          if (lines[i][0] == 'Z' && g_strv_length (fields) >= 2)
            add_zone (zones, fields[1]);
          else if (lines[i][0] == 'L' && g_strv_length (fields) >= 3)
            add_zone (zones, fields[2]);
        }
      return;
    }

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_autofree char *path = g_build_filename (dir, tables[t], NULL);
      g_auto(GStrv) lines = NULL;

      g_clear_pointer (&contents, g_free);
      if (!g_file_get_contents (path, &contents, NULL, NULL))
        continue;
      lines = g_strsplit (contents, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          g_auto(GStrv) fields = g_strsplit (lines[i], "\t", -1);

          if (lines[i][0] != '#' && g_strv_length (fields) >= 3)
            add_zone (zones, fields[2]);
        }
      return;
    }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Every IANA zone name the system knows, sorted, "UTC" always among them. */
static GPtrArray *
list_time_zones (void)
{
  g_autoptr(GHashTable) zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *dir = g_getenv ("TZDIR");
  GPtrArray *names;
  GHashTableIter iter;
  gpointer name;

  read_zone_names (dir != NULL && dir[0] != '\0' ? dir : "/usr/share/zoneinfo", zones);
  add_zone (zones, "UTC");

  names = g_ptr_array_new_full (g_hash_table_size (zones), g_free);
  g_hash_table_iter_init (&iter, zones);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    {
      g_hash_table_iter_steal (&iter);
      g_ptr_array_add (names, name);
    }
  g_ptr_array_sort (names, compare_strings);
  return names;
}

/* "UTC+05:30" now, or NULL when the system cannot load the zone. */
static char *
format_zone_offset (const char *identifier,
                    GDateTime  *now_utc)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (identifier);
  g_autoptr(GDateTime) local = NULL;
  GTimeSpan offset;
  gint64 minutes;

  if (tz == NULL)
    return NULL;
  local = g_date_time_to_timezone (now_utc, tz);
  offset = g_date_time_get_utc_offset (local);
  if (offset == 0)
    return g_strdup (_("UTC"));
  minutes = ABS (offset) / G_TIME_SPAN_MINUTE;
  /* Translators: a time zone's offset from UTC now, like UTC+05:30; the
   * first %s is the sign, then hours and minutes. */
  return g_strdup_printf (_("UTC%s%02d:%02d"), offset < 0 ? "−" : "+",
                          (int) (minutes / 60), (int) (minutes % 60));
}

static GtkWidget *
create_zone_row (const char *identifier,
                 GDateTime  *now_utc)
{
  g_autofree char *offset = format_zone_offset (identifier, now_utc);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), identifier);
  if (offset != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), offset);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  gtk_widget_set_visible (check, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Chosen"),
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), check);

  g_object_set_data_full (G_OBJECT (row), "bb-zone", g_strdup (identifier), g_free);
  g_object_set_data_full (G_OBJECT (row), "bb-zone-key", normalize_zone_text (identifier), g_free);
  g_object_set_data (G_OBJECT (row), "bb-zone-check", check);
  return row;
}

static gboolean
filter_zone_row (GtkListBoxRow *row,
                 gpointer       user_data)
{
  BbPreferencesWindow *self = user_data;
  const char *key = g_object_get_data (G_OBJECT (row), "bb-zone-key");

  if (self->zone_needle == NULL || self->zone_needle[0] == '\0')
    return TRUE;
  return key != NULL && strstr (key, self->zone_needle) != NULL;
}

/* The list is built the first time it is shown: some six hundred rows the
 * window does not need otherwise. */
static void
ensure_zone_list (BbPreferencesWindow *self)
{
  g_autoptr(GPtrArray) zones = NULL;
  g_autoptr(GDateTime) now_utc = NULL;

  if (self->zones_loaded)
    return;
  self->zones_loaded = TRUE;

  zones = list_time_zones ();
  now_utc = g_date_time_new_now_utc ();
  for (guint i = 0; i < zones->len; i++)
    gtk_list_box_append (self->zone_list, create_zone_row (g_ptr_array_index (zones, i), now_utc));
  gtk_list_box_set_filter_func (self->zone_list, filter_zone_row, self, NULL);
}

static void
update_zone_checks (BbPreferencesWindow *self)
{
  g_autofree char *chosen = g_settings_get_string (self->settings, "timezone");

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->zone_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *check = g_object_get_data (G_OBJECT (row), "bb-zone-check");

      if (check != NULL)
        gtk_widget_set_visible (check, g_strcmp0 (g_object_get_data (G_OBJECT (row), "bb-zone"), chosen) == 0);
    }
}

static void
update_example (BbPreferencesWindow *self)
{
  g_autofree char *zone = bb_preferences_resolve_timezone (self->settings, self->summary);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) tz = bb_time_zone_new (zone, &error);
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *name = NULL;

  if (tz == NULL)
    {
      adw_action_row_set_subtitle (self->example_row, error->message);
      return;
    }
  now = g_date_time_new_now (tz);
  name = bb_file_name_for_time (now);
  /* Ticks every second: leave a selection in the subtitle alone until the
   * name really changes. */
  if (g_strcmp0 (adw_action_row_get_subtitle (self->example_row), name) != 0)
    adw_action_row_set_subtitle (self->example_row, name);
}

static guint
find_zone_user (BbPreferencesWindow *self,
                const char          *username)
{
  for (guint i = 0; i < self->zone_users->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->zone_users, i), username) == 0)
      return i;
  return GTK_INVALID_LIST_POSITION;
}

static void
update_user_row (BbPreferencesWindow *self)
{
  g_autofree char *username = g_settings_get_string (self->settings, "timezone-user");
  guint position = find_zone_user (self, username);

  self->syncing_user = TRUE;
  adw_combo_row_set_selected (self->user_row, position);
  self->syncing_user = FALSE;

  gtk_widget_set_sensitive (GTK_WIDGET (self->user_row), self->zone_users->len > 0);
  if (self->summary == NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->user_row),
                                 _("Connect to a Baby Buddy database to use one of its users’ time zones"));
  else if (self->zone_users->len == 0)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->user_row),
                                 _("No user of this database has chosen a time zone in Baby Buddy"));
  else if (position == GTK_INVALID_LIST_POSITION && username[0] != '\0')
    {
      g_autofree char *subtitle = NULL;

      /* Translators: %s is a Baby Buddy username. */
      subtitle = g_strdup_printf (_("“%s” has no time zone in this database, so the system’s is used"),
                                  username);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->user_row), subtitle);
    }
  else if (position == GTK_INVALID_LIST_POSITION)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->user_row),
                                 _("None chosen yet, so the system’s time zone is used"));
  else
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->user_row),
                                 _("The time zone this user chose in Baby Buddy"));
}

static void
update_time_zone_rows (BbPreferencesWindow *self)
{
  TimezoneSource source = g_settings_get_enum (self->settings, "timezone-source");
  g_autofree char *zone = g_settings_get_string (self->settings, "timezone");

  if (source == TIMEZONE_SOURCE_SYSTEM)
    {
      g_autoptr(GTimeZone) local = g_time_zone_new_local ();

      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->timezone_source_row),
                                   g_time_zone_get_identifier (local));
    }
  else
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->timezone_source_row), "");

  gtk_widget_set_visible (GTK_WIDGET (self->zone_row), source == TIMEZONE_SOURCE_ZONE);
  adw_action_row_set_subtitle (self->zone_row,
                               zone[0] != '\0' ? zone
                                               : _("None chosen yet, so the system’s time zone is used"));

  gtk_widget_set_visible (GTK_WIDGET (self->user_row), source == TIMEZONE_SOURCE_USER);
  update_user_row (self);
  update_example (self);
}

/* "~/Backups" rather than "/home/someone/Backups". */
static char *
display_folder (const char *path)
{
  const char *home = g_get_home_dir ();
  g_autofree char *display = g_filename_display_name (path);
  gsize home_len = strlen (home);

  if (home_len > 1 && g_str_has_prefix (path, home) && (path[home_len] == '/' || path[home_len] == '\0'))
    {
      g_autofree char *rest = g_filename_display_name (path + home_len);

      return g_strconcat ("~", rest, NULL);
    }
  return g_steal_pointer (&display);
}

static void
update_folder_row (BbPreferencesWindow *self)
{
  g_autofree char *folder = g_settings_get_string (self->settings, "backup-folder");

  if (folder[0] == '\0')
    {
      const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);

      adw_action_row_set_subtitle (self->folder_row,
                                   documents != NULL ? _("Documents") : _("Home Folder"));
      gtk_widget_set_visible (GTK_WIDGET (self->folder_reset_button), FALSE);
    }
  else
    {
      g_autofree char *display = display_folder (folder);

      adw_action_row_set_subtitle (self->folder_row, display);
      gtk_widget_set_visible (GTK_WIDGET (self->folder_reset_button), TRUE);
    }
}

static gboolean
source_get_mapping (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (timezone_source_nicks); i++)
    if (strcmp (nick, timezone_source_nicks[i]) == 0)
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  return FALSE;
}

static GVariant *
source_set_mapping (const GValue       *value,
                    const GVariantType *expected_type,
                    gpointer            user_data)
{
  guint position = g_value_get_uint (value);

  if (position >= G_N_ELEMENTS (timezone_source_nicks))
    return NULL;
  return g_variant_new_string (timezone_source_nicks[position]);
}

static gboolean
example_tick_cb (gpointer user_data)
{
  update_example (user_data);
  return G_SOURCE_CONTINUE;
}

static void
settings_changed_cb (BbPreferencesWindow *self,
                     const char          *key,
                     GSettings           *settings)
{
  if (g_str_equal (key, "timezone-source"))
    {
      /* Choosing "a user's zone" with none chosen yet takes the first user
       * rather than showing a user the setting does not name. */
      if (g_settings_get_enum (settings, "timezone-source") == TIMEZONE_SOURCE_USER &&
          self->zone_users->len > 0)
        {
          g_autofree char *username = g_settings_get_string (settings, "timezone-user");

          if (find_zone_user (self, username) == GTK_INVALID_LIST_POSITION)
            g_settings_set_string (settings, "timezone-user", g_ptr_array_index (self->zone_users, 0));
        }
      update_time_zone_rows (self);
    }
  else if (g_str_equal (key, "timezone") || g_str_equal (key, "timezone-user"))
    {
      update_time_zone_rows (self);
      if (g_str_equal (key, "timezone"))
        update_zone_checks (self);
    }
  else if (g_str_equal (key, "backup-folder"))
    update_folder_row (self);
}

static void
user_row_selected_cb (BbPreferencesWindow *self)
{
  guint position = adw_combo_row_get_selected (self->user_row);
  const char *username;
  g_autofree char *current = NULL;

  if (self->syncing_user || self->settings == NULL || position >= self->zone_users->len)
    return;
  username = g_ptr_array_index (self->zone_users, position);
  current = g_settings_get_string (self->settings, "timezone-user");
  if (g_strcmp0 (current, username) != 0)
    g_settings_set_string (self->settings, "timezone-user", username);
}

static void
zone_row_activated_cb (BbPreferencesWindow *self)
{
  ensure_zone_list (self);
  gtk_editable_set_text (GTK_EDITABLE (self->zone_search), "");
  update_zone_checks (self);
  adw_preferences_window_present_subpage (ADW_PREFERENCES_WINDOW (self), self->zone_page);
  gtk_widget_grab_focus (GTK_WIDGET (self->zone_search));
}

static void
zone_back_clicked_cb (BbPreferencesWindow *self)
{
  adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (self));
}

static void
zone_search_changed_cb (BbPreferencesWindow *self)
{
  g_free (self->zone_needle);
  self->zone_needle = normalize_zone_text (gtk_editable_get_text (GTK_EDITABLE (self->zone_search)));
  g_strstrip (self->zone_needle);
  gtk_list_box_invalidate_filter (self->zone_list);
}

static void
zone_list_row_activated_cb (BbPreferencesWindow *self,
                            GtkListBoxRow       *row)
{
  const char *zone = g_object_get_data (G_OBJECT (row), "bb-zone");

  if (zone == NULL)
    return;
  g_settings_set_string (self->settings, "timezone", zone);
  adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (self));
}

/* Enter in the search takes the first zone found. */
static void
zone_search_activated_cb (BbPreferencesWindow *self)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->zone_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      if (GTK_IS_LIST_BOX_ROW (row) && gtk_widget_get_child_visible (row) &&
          g_object_get_data (G_OBJECT (row), "bb-zone") != NULL)
        {
          zone_list_row_activated_cb (self, GTK_LIST_BOX_ROW (row));
          return;
        }
    }
}

static void
zone_search_stopped_cb (BbPreferencesWindow *self)
{
  if (gtk_editable_get_text (GTK_EDITABLE (self->zone_search))[0] != '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->zone_search), "");
  else
    adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (self));
}

static void
folder_button_clicked_cb (BbPreferencesWindow *self)
{
  g_autofree char *folder = g_settings_get_string (self->settings, "backup-folder");
  const char *start = folder[0] != '\0' ? folder : g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);

  if (start != NULL && g_file_test (start, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GFile) file = g_file_new_for_path (start);

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->folder_chooser), file, NULL);
    }
  gtk_native_dialog_set_transient_for (GTK_NATIVE_DIALOG (self->folder_chooser), GTK_WINDOW (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->folder_chooser));
}

static void
folder_chooser_response_cb (BbPreferencesWindow *self,
                            int                  response)
{
  /* The chooser holds a reference on its parent; keep none between uses. */
  gtk_native_dialog_set_transient_for (GTK_NATIVE_DIALOG (self->folder_chooser), NULL);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (self->folder_chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      /* Portals hand out local paths; anything else cannot be written by
       * the backup job, so it is not offered as a default. */
      if (path != NULL)
        g_settings_set_string (self->settings, "backup-folder", path);
    }
}

static void
folder_reset_clicked_cb (BbPreferencesWindow *self)
{
  g_settings_reset (self->settings, "backup-folder");
}

static void
bb_preferences_window_map (GtkWidget *widget)
{
  BbPreferencesWindow *self = BB_PREFERENCES_WINDOW (widget);

  GTK_WIDGET_CLASS (bb_preferences_window_parent_class)->map (widget);

  if (self->settings != NULL)
    update_example (self);
  if (self->example_timeout == 0)
    self->example_timeout = g_timeout_add_seconds (1, example_tick_cb, self);
}

static void
bb_preferences_window_unmap (GtkWidget *widget)
{
  BbPreferencesWindow *self = BB_PREFERENCES_WINDOW (widget);

  g_clear_handle_id (&self->example_timeout, g_source_remove);
  GTK_WIDGET_CLASS (bb_preferences_window_parent_class)->unmap (widget);
}

static void
bb_preferences_window_dispose (GObject *object)
{
  BbPreferencesWindow *self = BB_PREFERENCES_WINDOW (object);

  g_clear_handle_id (&self->example_timeout, g_source_remove);
  if (self->folder_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->folder_chooser));
  gtk_widget_dispose_template (GTK_WIDGET (self), BB_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (bb_preferences_window_parent_class)->dispose (object);
}

static void
bb_preferences_window_finalize (GObject *object)
{
  BbPreferencesWindow *self = BB_PREFERENCES_WINDOW (object);

  g_clear_pointer (&self->summary, bb_database_summary_free);
  g_clear_pointer (&self->zone_users, g_ptr_array_unref);
  g_free (self->zone_needle);

  G_OBJECT_CLASS (bb_preferences_window_parent_class)->finalize (object);
}

static void
bb_preferences_window_class_init (BbPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bb_preferences_window_dispose;
  object_class->finalize = bb_preferences_window_finalize;
  widget_class->map = bb_preferences_window_map;
  widget_class->unmap = bb_preferences_window_unmap;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/babybuddy/Backup/ui/bb-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, timezone_source_row);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, zone_row);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, user_row);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, example_row);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, folder_row);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, folder_reset_button);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, folder_button);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, compression_row);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, compression_scale);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, media_row);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, media_switch);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, zone_page);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, zone_search);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, zone_list);
  gtk_widget_class_bind_template_child (widget_class, BbPreferencesWindow, folder_chooser);
  gtk_widget_class_bind_template_callback (widget_class, user_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, zone_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, zone_back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, zone_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, zone_search_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, zone_search_stopped_cb);
  gtk_widget_class_bind_template_callback (widget_class, zone_list_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, folder_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, folder_chooser_response_cb);
  gtk_widget_class_bind_template_callback (widget_class, folder_reset_clicked_cb);
}

static void
bb_preferences_window_init (BbPreferencesWindow *self)
{
  self->zone_users = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_search_entry_set_key_capture_widget (self->zone_search, self->zone_page);
}

BbPreferencesWindow *
bb_preferences_window_new (GtkWindow               *parent,
                           GSettings               *settings,
                           const BbDatabaseSummary *summary)
{
  BbPreferencesWindow *self;
  g_autoptr(GtkStringList) users = gtk_string_list_new (NULL);

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (BB_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
  self->settings = g_object_ref (settings);
  self->summary = summary != NULL ? copy_summary (summary) : NULL;

  for (guint i = 0; self->summary != NULL && i < self->summary->users->len; i++)
    {
      const BbSummaryUser *user = g_ptr_array_index (self->summary->users, i);
      g_autofree char *label = NULL;

      if (user->timezone == NULL)
        continue;
      /* Translators: a Baby Buddy username and the time zone the user chose,
       * as in “alice (Europe/Berlin)”. */
      label = g_strdup_printf (_("%s (%s)"), user->username, user->timezone);
      gtk_string_list_append (users, label);
      g_ptr_array_add (self->zone_users, g_strdup (user->username));
    }
  self->syncing_user = TRUE;
  adw_combo_row_set_model (self->user_row, G_LIST_MODEL (users));
  self->syncing_user = FALSE;

  g_settings_bind_with_mapping (settings, "timezone-source",
                                self->timezone_source_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                source_get_mapping, source_set_mapping, NULL, NULL);
  g_settings_bind (settings, "compression-level",
                   gtk_range_get_adjustment (GTK_RANGE (self->compression_scale)), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "include-media", self->media_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (settings, "changed", G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);

  update_time_zone_rows (self);
  update_folder_row (self);
  return self;
}

char *
bb_preferences_resolve_timezone (GSettings               *settings,
                                 const BbDatabaseSummary *summary)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  switch ((TimezoneSource) g_settings_get_enum (settings, "timezone-source"))
    {
    case TIMEZONE_SOURCE_ZONE:
      {
        /* An unknown name is passed on, not dropped: the backup then fails
         * saying so instead of silently using another zone. */
        g_autofree char *zone = g_settings_get_string (settings, "timezone");

        return g_strdup (g_strstrip (zone));
      }
    case TIMEZONE_SOURCE_USER:
      {
        g_autofree char *user = g_settings_get_string (settings, "timezone-user");
        const char *zone = summary != NULL && user[0] != '\0'
                           ? bb_database_summary_find_timezone (summary, user) : NULL;

        return g_strdup (zone != NULL ? zone : "");
      }
    case TIMEZONE_SOURCE_SYSTEM:
    default:
      return g_strdup ("");
    }
}
