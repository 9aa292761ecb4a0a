/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-file-manager.c: Nautilus, Nemo, Dolphin and others implement
 * org.freedesktop.FileManager1, which selects the file; GTK 4.8 has no
 * GtkFileLauncher, so where no file manager answers, the folder's URI is
 * opened instead. */

#define G_LOG_DOMAIN "bb-file-manager"

#include "config.h"

#include "bb-file-manager.h"

typedef struct {
  GtkWindow *parent;
  char      *path;
} ShowData;

static void
show_data_free (ShowData *data)
{
  g_clear_object (&data->parent);
  g_free (data->path);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ShowData, show_data_free)

static void
show_folder (ShowData *data)
{
  g_autoptr(GFile) file = g_file_new_for_path (data->path);
  g_autoptr(GFile) folder = g_file_get_parent (file);
  g_autofree char *uri = g_file_get_uri (folder ? folder : file);

  gtk_show_uri (data->parent, uri, GDK_CURRENT_TIME);
}

static void
show_items_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(ShowData) data = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL)
    {
      g_debug ("FileManager1.ShowItems failed, opening the folder: %s", error->message);
      show_folder (data);
    }
}

static void
session_bus_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(ShowData) data = user_data;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  const char *uris[2] = { NULL, NULL };

  bus = g_bus_get_finish (result, &error);
  uri = g_filename_to_uri (data->path, NULL, NULL);
  if (bus == NULL || uri == NULL)
    {
      show_folder (data);
      return;
    }
  uris[0] = uri;
  g_dbus_connection_call (bus, "org.freedesktop.FileManager1", "/org/freedesktop/FileManager1",
                          "org.freedesktop.FileManager1", "ShowItems",
                          g_variant_new ("(^ass)", uris, ""), NULL,
                          G_DBUS_CALL_FLAGS_NONE, -1, NULL, show_items_done_cb,
                          g_steal_pointer (&data));
}

void
bb_show_in_file_manager (GtkWindow  *parent,
                         const char *path)
{
  ShowData *data;

  g_return_if_fail (path != NULL);

  data = g_new0 (ShowData, 1);
  data->parent = parent ? g_object_ref (parent) : NULL;
  data->path = g_strdup (path);
  g_bus_get (G_BUS_TYPE_SESSION, NULL, session_bus_cb, data);
}
