/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-summary.h: what the window shows about a connected database: engine,
 * Baby Buddy version, children, records, and each user's time zone. Loading
 * it is also how "Test Connection" tests a connection. */

#pragma once

#include <gio/gio.h>

#include "bb-database.h"

G_BEGIN_DECLS

typedef struct {
  char *username;
  char *timezone;           /* IANA name from babybuddy_settings, NULL if unset */
} BbSummaryUser;

typedef struct {
  BbEngine    engine;
  char       *babybuddy_version;   /* "2.10" or "unknown" */
  GPtrArray  *children;            /* char *: "First Last", in id order */
  guint64     records;             /* rows in every model a backup holds */
  GPtrArray  *users;               /* BbSummaryUser, by username */
} BbDatabaseSummary;

void               bb_database_summary_free        (BbDatabaseSummary      *summary);
BbDatabaseSummary *bb_database_summary_load        (const BbConnectionInfo *info,
                                                    GCancellable           *cancellable,
                                                    GError                **error);
void               bb_database_summary_load_async  (const BbConnectionInfo *info,
                                                    GCancellable           *cancellable,
                                                    GAsyncReadyCallback     callback,
                                                    gpointer                user_data);
BbDatabaseSummary *bb_database_summary_load_finish (GAsyncResult           *result,
                                                    GError                **error);
/* The user's zone, or NULL when there is no such user or the user has none. */
const char        *bb_database_summary_find_timezone (const BbDatabaseSummary *summary,
                                                      const char              *username);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbDatabaseSummary, bb_database_summary_free)

G_END_DECLS
