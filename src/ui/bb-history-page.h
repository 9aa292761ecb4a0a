/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-history-page.h: the History page: one row per backup or restore, newest
 * first; a row can show its file in the file manager or restore it. */

#pragma once

#include <adwaita.h>

#include "bb-history.h"

G_BEGIN_DECLS

#define BB_TYPE_HISTORY_PAGE (bb_history_page_get_type ())
G_DECLARE_FINAL_TYPE (BbHistoryPage, bb_history_page, BB, HISTORY_PAGE, AdwBin)

/* Restoring a row activates the action "win.restore-file" with the file's path (s). */
void bb_history_page_set_history (BbHistoryPage *self,
                                  BbHistory     *history);

G_END_DECLS
