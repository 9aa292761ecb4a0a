/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-application.c: a subcommand is handled in the local command line, so the
 * command line needs no display and never registers on the session bus;
 * anything else activates the window. The application owns what every
 * window shares: settings, saved connections and the history. */

#define G_LOG_DOMAIN "bb-application"

#include "config.h"

#include <glib/gi18n.h>

#include "bb-application.h"
#include "bb-cli.h"
#include "bb-window.h"

struct _BbApplication
{
  AdwApplication     parent_instance;

  GSettings         *settings;
  BbConnectionStore *store;
  BbHistory         *history;
  gboolean           open_demo;
};

G_DEFINE_FINAL_TYPE (BbApplication, bb_application, ADW_TYPE_APPLICATION)

static gboolean
bb_application_local_command_line (GApplication   *app,
                                   char         ***arguments,
                                   int            *exit_status)
{
  char **argv = *arguments;

  if (argv[0] != NULL && argv[1] != NULL && bb_cli_is_subcommand (argv[1]))
    {
      *exit_status = bb_cli_run (g_strv_length (argv), argv);
      return TRUE;
    }
  return G_APPLICATION_CLASS (bb_application_parent_class)->local_command_line (app, arguments, exit_status);
}

static int
bb_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("babybuddy-backup %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }
  BB_APPLICATION (app)->open_demo = g_variant_dict_contains (options, "demo");
  return -1;
}

static void
quit_activated_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  BbApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Closing each window lets one that is busy ask first. */
  if (windows == NULL)
    g_application_quit (G_APPLICATION (self));
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
}

static void
about_activated_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  BbApplication *self = user_data;
  const char *developers[] = { _("Baby Buddy Backup developers"), NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-icon", APPLICATION_ID,
                        "application-name", _("Baby Buddy Backup"),
                        "developer-name", _("Baby Buddy Backup developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Back up and restore your Baby Buddy data: every record in one "
                                      "file, restored all at once or not at all, on SQLite, PostgreSQL "
                                      "and MySQL or MariaDB."),
                        "website", "https://github.com/babybuddy/babybuddy",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", "© 2026 Baby Buddy Backup developers",
                        "developers", developers,
                        /* Translators: your name(s), one per line, shown in the About window. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
bb_application_startup (GApplication *app)
{
  BbApplication *self = BB_APPLICATION (app);
  static const GActionEntry actions[] = {
    { "quit", quit_activated_cb },
    { "about", about_activated_cb },
  };
  static const struct { const char *action; const char *accels[2]; } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "win.backup", { "<Control>b", NULL } },
    { "win.restore", { "<Control>o", NULL } },
    { "win.preferences", { "<Control>comma", NULL } },
    { "win.show-help-overlay", { "<Control>question", NULL } },
  };

  G_APPLICATION_CLASS (bb_application_parent_class)->startup (app);

  self->settings = g_settings_new (APPLICATION_ID);
  self->store = bb_connection_store_new (self->settings);
  self->history = bb_history_new (NULL);

  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action, accels[i].accels);
}

static void
bb_application_activate (GApplication *app)
{
  BbApplication *self = BB_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_autoptr(BbSavedConnection) active = NULL;

  if (window == NULL)
    window = GTK_WINDOW (bb_window_new (self));
  gtk_window_present (window);

  active = bb_connection_store_dup_active (self->store);
  if (self->open_demo && active == NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.try-demo", NULL);
  self->open_demo = FALSE;
}

static void
bb_application_dispose (GObject *object)
{
  BbApplication *self = BB_APPLICATION (object);

  g_clear_object (&self->store);
  g_clear_object (&self->history);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (bb_application_parent_class)->dispose (object);
}

static void
bb_application_class_init (BbApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = bb_application_dispose;
  app_class->local_command_line = bb_application_local_command_line;
  app_class->handle_local_options = bb_application_handle_local_options;
  app_class->startup = bb_application_startup;
  app_class->activate = bb_application_activate;
}

static void
bb_application_init (BbApplication *self)
{
  g_autofree char *description = bb_cli_describe_subcommands ();
  static const GOptionEntry entries[] = {
    { "version", 'v', 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and exit"), NULL },
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Open the demo database when no database is set up"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[COMMAND] [OPTION…]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Back up and restore a Baby Buddy database."));
  g_application_set_option_context_description (G_APPLICATION (self), description);
}

BbApplication *
bb_application_new (void)
{
  return g_object_new (BB_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}

GSettings *
bb_application_get_settings (BbApplication *self)
{
  g_return_val_if_fail (BB_IS_APPLICATION (self), NULL);
  return self->settings;
}

BbConnectionStore *
bb_application_get_connection_store (BbApplication *self)
{
  g_return_val_if_fail (BB_IS_APPLICATION (self), NULL);
  return self->store;
}

BbHistory *
bb_application_get_history (BbApplication *self)
{
  g_return_val_if_fail (BB_IS_APPLICATION (self), NULL);
  return self->history;
}
