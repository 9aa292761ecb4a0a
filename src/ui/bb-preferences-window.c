/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-preferences-window.c: STUB, being written. */

#define G_LOG_DOMAIN "bb-preferences-window"

#include "config.h"

#include "bb-preferences-window.h"

struct _BbPreferencesWindow
{
  AdwPreferencesWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (BbPreferencesWindow, bb_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
bb_preferences_window_class_init (BbPreferencesWindowClass *klass)
{
  gtk_widget_class_set_template_from_resource (GTK_WIDGET_CLASS (klass), "/org/babybuddy/Backup/ui/bb-preferences-window.ui");
}

static void
bb_preferences_window_init (BbPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

BbPreferencesWindow *
bb_preferences_window_new (GtkWindow *parent, GSettings *settings, const BbDatabaseSummary *summary)
{
  return g_object_new (BB_TYPE_PREFERENCES_WINDOW, "transient-for", parent, "modal", TRUE, NULL);
}

char *
bb_preferences_resolve_timezone (GSettings *settings, const BbDatabaseSummary *summary)
{
  switch (g_settings_get_enum (settings, "timezone-source"))
    {
    case 1:
      return g_settings_get_string (settings, "timezone");
    case 2:
      {
        g_autofree char *user = g_settings_get_string (settings, "timezone-user");
        const char *zone = summary ? bb_database_summary_find_timezone (summary, user) : NULL;
        return g_strdup (zone ? zone : "");
      }
    default:
      return g_strdup ("");
    }
}
