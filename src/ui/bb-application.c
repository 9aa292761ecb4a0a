/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-application.c: a subcommand is handled in the local command line, so the
 * command line needs no display and never registers on the session bus;
 * anything else activates the window. */

#define G_LOG_DOMAIN "bb-application"

#include "config.h"

#include <glib/gi18n.h>

#include "bb-application.h"
#include "bb-cli.h"
#include "bb-window.h"

struct _BbApplication
{
  AdwApplication parent_instance;
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
  return -1;
}

static void
bb_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (bb_window_new (BB_APPLICATION (app)));
  gtk_window_present (window);
}

static void
bb_application_class_init (BbApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->local_command_line = bb_application_local_command_line;
  app_class->handle_local_options = bb_application_handle_local_options;
  app_class->activate = bb_application_activate;
}

static void
bb_application_init (BbApplication *self)
{
  g_autofree char *description = bb_cli_describe_subcommands ();
  static const GOptionEntry entries[] = {
    { "version", 'v', 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and exit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[COMMAND] [OPTION…]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Back up and restore a Baby Buddy database."));
  g_application_set_option_context_description (G_APPLICATION (self), description);
}

GSettings *bb_application_get_settings (BbApplication *self) { return NULL; }
BbConnectionStore *bb_application_get_connection_store (BbApplication *self) { return NULL; }
BbHistory *bb_application_get_history (BbApplication *self) { return NULL; }

BbApplication *
bb_application_new (void)
{
  return g_object_new (BB_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}
