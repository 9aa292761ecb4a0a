/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-file-name.c: the file name users know from Baby Buddy's own exports,
 * taken in the zone they chose, not in whatever zone the machine runs. */

#define G_LOG_DOMAIN "bb-file-name"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bb-backup-job.h"
#include "bb-file-name.h"

/* NULL or "" means the system's zone. An unknown name is an error, never a
 * silent fall back to UTC (GLib's g_time_zone_new() would do that). */
GTimeZone *
bb_time_zone_new (const char  *identifier,
                  GError     **error)
{
  GTimeZone *tz;

  if (identifier == NULL || identifier[0] == '\0')
    return g_time_zone_new_local ();

  tz = g_time_zone_new_identifier (identifier);
  if (tz == NULL)
    g_set_error (error, BB_BACKUP_ERROR, BB_BACKUP_ERROR_INVALID_TIMEZONE,
                 _("“%s” is not a known time zone. Use a name such as Europe/Berlin or "
                   "America/New_York."), identifier);
  return tz;
}

char *
bb_file_name_for_time (GDateTime *time)
{
  return g_date_time_format (time, "backup_%m%d%y_%H%M%S.zip");
}
