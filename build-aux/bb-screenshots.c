/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-screenshots.c: puts the real window in the states the README and the
 * AppStream metainfo show, on a demo database, and captures each with
 * ImageMagick's `import`. Run by build-aux/screenshots.sh under Xvfb. */

#include "config.h"

#include <gdk/x11/gdkx.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "bb-application.h"
#include "bb-demo.h"
#include "bb-window.h"

static const char *output_dir;

static void
spin_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

static void
spin_until (gboolean (*done) (gpointer), gpointer data, const char *what)
{
  gint64 end = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  while (!done (data))
    {
      if (g_get_monotonic_time () > end)
        g_error ("Timed out waiting for %s", what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  spin_for (800);   /* transitions and the first frames */
}

static void
capture (GtkWindow  *window,
         const char *name)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *xid = g_strdup_printf ("0x%lx", (unsigned long) gdk_x11_surface_get_xid (surface));
  g_autofree char *path = g_build_filename (output_dir, name, NULL);
  const char *argv[] = { "import", "-window", xid, path, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("import %s: %s", path, error->message);
  g_print ("%s\n", path);
}

static gboolean
is_main (gpointer data)
{
  return g_strcmp0 (bb_window_get_state (data), "main") == 0 &&
         bb_backup_page_get_summary (bb_window_get_backup_page (data)) != NULL;
}

static gboolean
is_idle (gpointer data)
{
  return !bb_backup_page_is_busy (bb_window_get_backup_page (data));
}

static gboolean
wizard_on_inside (gpointer data)
{
  return g_strcmp0 (bb_restore_wizard_get_page (data), "inside") == 0;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(BbApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BbConnectionInfo) info = g_new0 (BbConnectionInfo, 1);
  g_autofree char *folder = NULL;
  g_autofree char *backup = NULL;
  g_autoptr(GFile) file = NULL;
  BbWindow *window;
  BbRestoreWizard *wizard;

  if (argc != 2)
    g_error ("usage: bb-screenshots OUTPUT-FOLDER");
  output_dir = argv[1];
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("BB_LOCALEDIR") ? g_getenv ("BB_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  gtk_init ();

  folder = g_build_filename (g_get_user_data_dir (), "screenshots", NULL);
  g_mkdir_with_parents (folder, 0700);
  info->engine = BB_ENGINE_SQLITE;
  info->path = g_build_filename (folder, "db.sqlite3", NULL);
  if (!bb_demo_create (info->path, 20000, 3, NULL, &error))
    g_error ("demo: %s", error->message);

  app = bb_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("register: %s", error->message);
  window = bb_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 760);
  gtk_window_present (GTK_WINDOW (window));
  bb_window_add_connection (window, info, "db.sqlite3");
  spin_until (is_main, window, "the database");

  /* Two backups, so the history has something to show. */
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *name = g_strdup_printf ("backup_11242%u_0930%02u.zip", 5 + i, 12 + i);

      g_free (backup);
      backup = g_build_filename (folder, name, NULL);
      g_clear_object (&file);
      file = g_file_new_for_path (backup);
      bb_backup_page_back_up_to (bb_window_get_backup_page (window), file);
      spin_until (is_idle, window, "the backup");
    }
  spin_for (11000);   /* the toast goes away */
  capture (GTK_WINDOW (window), "backup.png");

  {
    AdwViewStack *stack = ADW_VIEW_STACK (gtk_widget_get_template_child (GTK_WIDGET (window), BB_TYPE_WINDOW,
                                                                         "view_stack"));
    adw_view_stack_set_visible_child_name (stack, "history");
  }
  spin_for (800);
  capture (GTK_WINDOW (window), "history.png");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.preferences", NULL);
  spin_for (1000);
  {
    GListModel *toplevels = gtk_window_get_toplevels ();

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWindow) preferences = g_list_model_get_item (toplevels, i);

        if (ADW_IS_PREFERENCES_WINDOW (preferences))
          {
            capture (preferences, "preferences.png");
            gtk_window_destroy (preferences);
          }
      }
  }

  if (g_getenv ("BB_SCREENSHOTS_NO_WIZARD") != NULL)
    return 0;
  wizard = bb_window_open_restore_wizard (window, file);
  spin_until (wizard_on_inside, wizard, "the wizard's preview");
  capture (GTK_WINDOW (wizard), "restore-preview.png");

  gtk_window_destroy (GTK_WINDOW (wizard));
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
