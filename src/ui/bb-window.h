/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-window.h: the main window. */

#pragma once

#include <adwaita.h>

#include "bb-application.h"

G_BEGIN_DECLS

#define BB_TYPE_WINDOW (bb_window_get_type ())
G_DECLARE_FINAL_TYPE (BbWindow, bb_window, BB, WINDOW, AdwApplicationWindow)

BbWindow *bb_window_new (BbApplication *application);

G_END_DECLS
