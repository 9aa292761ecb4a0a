/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-file-manager.h: show a file in the user's file manager. */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Opens the file's folder with the file selected (FileManager1 on the
 * session bus), or just the folder where no file manager answers. */
void bb_show_in_file_manager (GtkWindow  *parent,
                              const char *path);

G_END_DECLS
