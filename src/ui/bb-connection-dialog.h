/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-connection-dialog.h: "Connect to a database server": engine, host,
 * port, database, user, password, with Test Connection. */

#pragma once

#include <adwaita.h>

#include "bb-database.h"

G_BEGIN_DECLS

#define BB_TYPE_CONNECTION_DIALOG (bb_connection_dialog_get_type ())
G_DECLARE_FINAL_TYPE (BbConnectionDialog, bb_connection_dialog, BB, CONNECTION_DIALOG, AdwWindow)

/* Emits "connected" (a boxed BbConnectionInfo with its password) once the
 * connection worked; the dialog then closes. */
BbConnectionDialog *bb_connection_dialog_new (GtkWindow              *parent,
                                              const BbConnectionInfo *initial);

GType bb_connection_info_get_type (void) G_GNUC_CONST;
#define BB_TYPE_CONNECTION_INFO (bb_connection_info_get_type ())

G_END_DECLS
