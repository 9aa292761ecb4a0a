/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-file-name.h: backup_MMDDYY_HHMMSS.zip in an IANA time zone. */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

GTimeZone *bb_time_zone_new     (const char  *identifier,
                                 GError     **error);
char      *bb_file_name_for_time (GDateTime  *time);

G_END_DECLS
