/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-connection-dialog.c: STUB, being written. */
#define G_LOG_DOMAIN "bb-connection-dialog"
#include "config.h"
#include "bb-connection-dialog.h"
struct _BbConnectionDialog { AdwWindow parent_instance; };
G_DEFINE_FINAL_TYPE (BbConnectionDialog, bb_connection_dialog, ADW_TYPE_WINDOW)
G_DEFINE_BOXED_TYPE (BbConnectionInfo, bb_connection_info, bb_connection_info_copy, bb_connection_info_free)
static void bb_connection_dialog_class_init (BbConnectionDialogClass *k) { gtk_widget_class_set_template_from_resource (GTK_WIDGET_CLASS (k), "/org/babybuddy/Backup/ui/bb-connection-dialog.ui"); }
static void bb_connection_dialog_init (BbConnectionDialog *self) { gtk_widget_init_template (GTK_WIDGET (self)); }
BbConnectionDialog *bb_connection_dialog_new (GtkWindow *parent, const BbConnectionInfo *initial) { return g_object_new (BB_TYPE_CONNECTION_DIALOG, "transient-for", parent, "modal", TRUE, NULL); }
