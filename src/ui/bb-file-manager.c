/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-file-manager.c: Nautilus, Nemo, Dolphin and others implement
 * org.freedesktop.FileManager1, which selects the file; GTK 4.8 has no
 * GtkFileLauncher, so the fallback opens the folder's URI. */

#define G_LOG_DOMAIN "bb-file-manager"

#include "config.h"

#include "bb-file-manager.h"

typedef struct {
  GtkWindow *parent;
  char      *folder_uri;
} ShowData;

static void
show_data_free (ShowData *data)
{
  g_clear_object (&data->parent);
  g_free (data->folder_uri);
  g_free (data);
}

static void
show_items_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  ShowData *data = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    {
      g_debug ("FileManager1.ShowItems: %s", error->message);
      gtk_show_uri (data->parent, data->folder_uri, GDK_CURRENT_TIME);
    }
  show_data_free (data);
}

void
bb_show_in_file_manager (GtkWindow  *parent,
                         const char *path)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autofree char *uri = NULL;
  GApplication *app = g_application_get_default ();
  GDBusConnection *bus;
  const char *uris[2] = { NULL, NULL };
  ShowData *data;

  g_return_if_fail (path != NULL);

  file = g_file_new_for_path (path);
  folder = g_file_get_parent (file);
  uri = g_file_get_uri (file);
  data = g_new0 (ShowData, 1);
  data->parent = parent ? g_object_ref (parent) : NULL;
  data->folder_uri = g_file_get_uri (folder ? folder : file);

  bus = app != NULL ? g_application_get_dbus_connection (app) : NULL;
  if (bus == NULL)
    {
      gtk_show_uri (parent, data->folder_uri, GDK_CURRENT_TIME);
      show_data_free (data);
      return;
    }
  uris[0] = uri;
  g_dbus_connection_call (bus, "org.freedesktop.FileManager1", "/org/freedesktop/FileManager1",
                          "org.freedesktop.FileManager1", "ShowItems",
                          g_variant_new ("(^ass)", uris, ""), NULL,
                          G_DBUS_CALL_FLAGS_NONE, 5000, NULL, show_items_done_cb, data);
}
