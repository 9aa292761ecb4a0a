/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-window.h: the main window. */

#pragma once

#include <adwaita.h>

#include "bb-application.h"
#include "bb-backup-page.h"
#include "bb-restore-wizard.h"

G_BEGIN_DECLS

#define BB_TYPE_WINDOW (bb_window_get_type ())
G_DECLARE_FINAL_TYPE (BbWindow, bb_window, BB, WINDOW, AdwApplicationWindow)

BbWindow        *bb_window_new                (BbApplication          *application);
/* "welcome", "connecting", "error" or "main". */
const char      *bb_window_get_state          (BbWindow               *self);
BbBackupPage    *bb_window_get_backup_page    (BbWindow               *self);
/* Saves the connection (its password in the keyring), makes it active and
 * connects; what the first-run choices end in. */
void             bb_window_add_connection     (BbWindow               *self,
                                               const BbConnectionInfo *info,
                                               const char             *label);
/* Opens the restore wizard on the active database; file NULL: it asks. */
BbRestoreWizard *bb_window_open_restore_wizard (BbWindow              *self,
                                                GFile                 *file);
/* The file chooser the window shows, while it shows one (tests answer it). */
GtkFileChooser  *bb_window_get_chooser        (BbWindow               *self);
void             bb_window_add_toast          (BbWindow               *self,
                                               AdwToast               *toast);

G_END_DECLS
