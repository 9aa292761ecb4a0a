/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-restore-wizard.h: the restore wizard, a modal window whose pages are a
 * GtkStack with Back / Next: choose -> checking -> inside -> options ->
 * confirm -> restoring -> done or failed. */

#pragma once

#include <adwaita.h>

#include "bb-database.h"
#include "bb-history.h"

G_BEGIN_DECLS

#define BB_TYPE_RESTORE_WIZARD (bb_restore_wizard_get_type ())
G_DECLARE_FINAL_TYPE (BbRestoreWizard, bb_restore_wizard, BB, RESTORE_WIZARD, AdwWindow)

/* Signals: "restored" (no arguments) after a restore or an undo succeeded,
 * so the window can show the database's new figures. */

/* target carries its password; label names it to the user ("db.sqlite3");
 * media_folder is the connection's media folder or NULL. */
BbRestoreWizard *bb_restore_wizard_new       (GtkWindow              *parent,
                                              const BbConnectionInfo *target,
                                              const char             *label,
                                              const char             *media_folder,
                                              BbHistory              *history);
/* Skips the first page: checks this file at once. */
void             bb_restore_wizard_open_file (BbRestoreWizard        *self,
                                              GFile                  *file);
/* The name of the visible page: "choose", "checking", "inside", "options",
 * "confirm", "restoring", "done", "failed". */
const char      *bb_restore_wizard_get_page  (BbRestoreWizard        *self);
/* The file chooser while it is open, else NULL (tests answer it). */
GtkFileChooser  *bb_restore_wizard_get_chooser (BbRestoreWizard      *self);

/* Tests only: fail after this many records were written (see
 * bb_restore_job_set_fail_after), and where safety backups go. */
void             bb_restore_wizard_set_fail_after (BbRestoreWizard     *self,
                                                   guint64              records);
void             bb_restore_wizard_set_safety_dir (BbRestoreWizard     *self,
                                                   const char          *folder);

G_END_DECLS
