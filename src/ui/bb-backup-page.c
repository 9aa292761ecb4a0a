/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-backup-page.c: STUB, being written. */
#define G_LOG_DOMAIN "bb-backup-page"
#include "config.h"
#include "bb-backup-page.h"
struct _BbBackupPage { AdwBin parent_instance; };
G_DEFINE_FINAL_TYPE (BbBackupPage, bb_backup_page, ADW_TYPE_BIN)
static void bb_backup_page_class_init (BbBackupPageClass *k) { gtk_widget_class_set_template_from_resource (GTK_WIDGET_CLASS (k), "/org/babybuddy/Backup/ui/bb-backup-page.ui"); }
static void bb_backup_page_init (BbBackupPage *self) { gtk_widget_init_template (GTK_WIDGET (self)); }
void bb_backup_page_setup (BbBackupPage *self, GSettings *s, BbConnectionStore *c, BbHistory *h) { }
void bb_backup_page_set_connection (BbBackupPage *self, const BbSavedConnection *c, const BbConnectionInfo *i) { }
const BbDatabaseSummary *bb_backup_page_get_summary (BbBackupPage *self) { return NULL; }
void bb_backup_page_back_up (BbBackupPage *self) { }
void bb_backup_page_back_up_to (BbBackupPage *self, GFile *f) { }
gboolean bb_backup_page_is_busy (BbBackupPage *self) { return FALSE; }
GtkFileChooser *bb_backup_page_get_chooser (BbBackupPage *self) { return NULL; }
