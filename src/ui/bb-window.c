/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-window.c: a plain window until the desktop-app issue builds the real
 * pages; it points users at the command line, which works today. */

#define G_LOG_DOMAIN "bb-window"

#include "config.h"

#include <glib/gi18n.h>

#include "bb-window.h"

struct _BbWindow
{
  AdwApplicationWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (BbWindow, bb_window, ADW_TYPE_APPLICATION_WINDOW)

static void
bb_window_class_init (BbWindowClass *klass)
{
}

static void
bb_window_init (BbWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *status = adw_status_page_new ();

  gtk_window_set_title (GTK_WINDOW (self), _("Baby Buddy Backup"));
  gtk_window_set_default_size (GTK_WINDOW (self), 640, 480);

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "document-save-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (status), _("Baby Buddy Backup"));
  adw_status_page_set_description (ADW_STATUS_PAGE (status),
                                   _("The backup window is on its way. Until then, back up and "
                                     "restore from a terminal:\n"
                                     "<tt>babybuddy-backup backup --database URL</tt>\n"
                                     "<tt>babybuddy-backup restore FILE --database URL</tt>"));
  gtk_widget_set_vexpand (status, TRUE);

  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), status);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (self), box);
}

const char *bb_window_get_state (BbWindow *self) { return "welcome"; }
BbBackupPage *bb_window_get_backup_page (BbWindow *self) { return NULL; }
void bb_window_add_connection (BbWindow *self, const BbConnectionInfo *info, const char *label) { }
BbRestoreWizard *bb_window_open_restore_wizard (BbWindow *self, GFile *file) { return NULL; }
void bb_window_add_toast (BbWindow *self, AdwToast *toast) { }

BbWindow *
bb_window_new (BbApplication *application)
{
  return g_object_new (BB_TYPE_WINDOW, "application", application, NULL);
}
