/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-backup-job.h: database -> backup ZIP, with progress and cancellation. */

#pragma once

#include <gio/gio.h>

#include "bb-database.h"

G_BEGIN_DECLS

#define BB_BACKUP_ERROR (bb_backup_error_quark ())

typedef enum {
  BB_BACKUP_ERROR_INVALID_TIMEZONE,
  BB_BACKUP_ERROR_DESTINATION,
  BB_BACKUP_ERROR_READ,
  BB_BACKUP_ERROR_WRITE,
} BbBackupError;

GQuark bb_backup_error_quark (void);

#define BB_BACKUP_FORMAT_VERSION "1.0"

#define BB_TYPE_BACKUP_JOB (bb_backup_job_get_type ())
G_DECLARE_FINAL_TYPE (BbBackupJob, bb_backup_job, BB, BACKUP_JOB, GObject)

BbBackupJob *bb_backup_job_new                (const BbConnectionInfo *info,
                                               const char             *output);
void         bb_backup_job_set_timezone       (BbBackupJob            *self,
                                               const char             *identifier);
void         bb_backup_job_set_media_dir      (BbBackupJob            *self,
                                               const char             *media_dir);
void         bb_backup_job_set_compression_level (BbBackupJob         *self,
                                                  int                  level);
void         bb_backup_job_set_now            (BbBackupJob            *self,
                                               GDateTime              *now);

guint64      bb_backup_job_get_records_done   (BbBackupJob            *self);
guint64      bb_backup_job_get_records_total  (BbBackupJob            *self);
char        *bb_backup_job_dup_current_model  (BbBackupJob            *self);
GStrv        bb_backup_job_dup_warnings       (BbBackupJob            *self);

char        *bb_backup_job_run                (BbBackupJob            *self,
                                               GCancellable           *cancellable,
                                               GError                **error);
void         bb_backup_job_run_async          (BbBackupJob            *self,
                                               GCancellable           *cancellable,
                                               GAsyncReadyCallback     callback,
                                               gpointer                user_data);
char        *bb_backup_job_run_finish         (BbBackupJob            *self,
                                               GAsyncResult           *result,
                                               GError                **error);

G_END_DECLS
