/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ui-german.c: with LANGUAGE=de the window is German: the welcome
 * page, the menus' actions, the backup page and the connection dialog show
 * the German catalog's words, read from the build folder's .mo file. */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "bb-application.h"
#include "bb-connection-dialog.h"
#include "bb-window.h"

static const char *
template_text (gpointer    widget,
               GType       type,
               const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (child);
  if (GTK_IS_BUTTON (child))
    return gtk_button_get_label (GTK_BUTTON (child));
  if (ADW_IS_STATUS_PAGE (child))
    return adw_status_page_get_title (ADW_STATUS_PAGE (child));
  if (ADW_IS_PREFERENCES_ROW (child))
    return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child));
  g_assert_not_reached ();
}

static void
assert_german (const char *shown,
               const char *english)
{
  const char *german = g_dgettext (GETTEXT_PACKAGE, english);

  g_test_message ("%s -> %s", english, shown);
  g_assert_cmpstr (german, !=, english);   /* the catalog has it */
  g_assert_cmpstr (shown, ==, german);     /* and the window shows it */
}

static void
test_window_in_german (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbApplication) app = bb_application_new ();
  BbWindow *window;
  BbConnectionDialog *dialog;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  window = bb_window_new (app);
  gtk_window_present (GTK_WINDOW (window));

  g_assert_cmpstr (bb_window_get_state (window), ==, "welcome");
  assert_german (template_text (window, BB_TYPE_WINDOW, "welcome_page"), "Welcome to Baby Buddy Backup");
  assert_german (template_text (window, BB_TYPE_WINDOW, "open_file_button"), "_Open a Baby Buddy Database File…");
  assert_german (template_text (window, BB_TYPE_WINDOW, "connect_server_button"), "_Connect to a Database Server…");
  assert_german (template_text (window, BB_TYPE_WINDOW, "demo_button"), "_Try the Demo Database");
  assert_german (template_text (bb_window_get_backup_page (window), BB_TYPE_BACKUP_PAGE, "backup_button"),
                 "_Back Up Now");
  assert_german (gtk_widget_get_tooltip_text (GTK_WIDGET (gtk_widget_get_template_child (
                   GTK_WIDGET (window), BB_TYPE_WINDOW, "menu_button"))), "Main Menu");

  dialog = bb_connection_dialog_new (GTK_WINDOW (window), NULL);
  assert_german (gtk_window_get_title (GTK_WINDOW (dialog)), "Connect to a Database Server");
  assert_german (template_text (dialog, BB_TYPE_CONNECTION_DIALOG, "test_button"), "_Test Connection");
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *catalogs = g_build_filename (g_getenv ("BB_BUILD_DIR"), "po", NULL);

  /* The test environment says C.UTF-8, in which gettext ignores LANGUAGE. */
  g_setenv ("LC_ALL", "de_DE.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "de", TRUE);
  bindtextdomain (GETTEXT_PACKAGE, catalogs);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  gtk_test_init (&argc, &argv, NULL);
  /* gtk_test_init () sets en_US.UTF-8 for every test; this one is German. */
  setlocale (LC_ALL, "de_DE.UTF-8");
  g_assert_cmpstr (setlocale (LC_MESSAGES, NULL), ==, "de_DE.UTF-8");

  g_test_add_func ("/bb/ui/german/window", test_window_in_german);
  return g_test_run ();
}
