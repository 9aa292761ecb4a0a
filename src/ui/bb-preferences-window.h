/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-preferences-window.h: time zone for file names, default backup folder,
 * compression level, media by default. */

#pragma once

#include <adwaita.h>

#include "bb-summary.h"

G_BEGIN_DECLS

#define BB_TYPE_PREFERENCES_WINDOW (bb_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (BbPreferencesWindow, bb_preferences_window, BB, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* summary: the connected database's (its users and their zones), or NULL. */
BbPreferencesWindow *bb_preferences_window_new (GtkWindow               *parent,
                                                GSettings               *settings,
                                                const BbDatabaseSummary *summary);

/* The zone backups are named in, by the settings: "" for the system's. */
char *bb_preferences_resolve_timezone (GSettings               *settings,
                                       const BbDatabaseSummary *summary);

G_END_DECLS
