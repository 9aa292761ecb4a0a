/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-application.h: the application: the command line, or the window. */

#pragma once

#include <adwaita.h>

#include "bb-connection-store.h"
#include "bb-history.h"

G_BEGIN_DECLS

#define BB_TYPE_APPLICATION (bb_application_get_type ())
G_DECLARE_FINAL_TYPE (BbApplication, bb_application, BB, APPLICATION, AdwApplication)

BbApplication     *bb_application_new                  (void);
GSettings         *bb_application_get_settings         (BbApplication *self);
BbConnectionStore *bb_application_get_connection_store (BbApplication *self);
BbHistory         *bb_application_get_history          (BbApplication *self);

G_END_DECLS
