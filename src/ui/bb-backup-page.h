/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-backup-page.h: the main page: the connected database at a glance,
 * "Back Up Now", progress with Cancel. */

#pragma once

#include <adwaita.h>

#include "bb-connection-store.h"
#include "bb-history.h"
#include "bb-summary.h"

G_BEGIN_DECLS

#define BB_TYPE_BACKUP_PAGE (bb_backup_page_get_type ())
G_DECLARE_FINAL_TYPE (BbBackupPage, bb_backup_page, BB, BACKUP_PAGE, AdwBin)

void                     bb_backup_page_setup          (BbBackupPage            *self,
                                                        GSettings               *settings,
                                                        BbConnectionStore       *store,
                                                        BbHistory               *history);
/* info carries the password; NULL: no database. summary (taken over) is
 * the database's when the caller has just loaded it, else NULL: the page
 * loads it. */
void                     bb_backup_page_set_connection (BbBackupPage            *self,
                                                        const BbSavedConnection *connection,
                                                        const BbConnectionInfo  *info,
                                                        BbDatabaseSummary       *summary);
const BbDatabaseSummary *bb_backup_page_get_summary    (BbBackupPage            *self);
/* Opens the save dialog ("Back Up Now"). */
void                     bb_backup_page_back_up        (BbBackupPage            *self);
/* Backs up into this file at once (what the save dialog does on Save). */
void                     bb_backup_page_back_up_to     (BbBackupPage            *self,
                                                        GFile                   *file);
gboolean                 bb_backup_page_is_busy        (BbBackupPage            *self);
/* The save dialog while it is open, else NULL (tests answer it). */
GtkFileChooser          *bb_backup_page_get_chooser    (BbBackupPage            *self);

G_END_DECLS
