/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-restore-job.h: backup ZIP (or Django fixture) -> database, checked
 * first, written in one transaction, with progress and cancellation. */

#pragma once

#include <gio/gio.h>

#include "bb-archive-reader.h"
#include "bb-database.h"

G_BEGIN_DECLS

#define BB_RESTORE_ERROR (bb_restore_error_quark ())

typedef enum {
  BB_RESTORE_ERROR_INVALID,        /* the file was refused: see the preview's problems */
  BB_RESTORE_ERROR_NEWER_FORMAT,   /* made by a newer version of this app */
  BB_RESTORE_ERROR_FAILED,         /* writing failed and was rolled back */
  BB_RESTORE_ERROR_SAFETY_BACKUP,  /* the safety backup could not be made; nothing written */
  BB_RESTORE_ERROR_MEDIA,          /* media files could not be written; nothing written */
} BbRestoreError;

GQuark bb_restore_error_quark (void);

typedef enum {
  BB_RESTORE_MODE_REPLACE,
  BB_RESTORE_MODE_MERGE,
} BbRestoreMode;

typedef struct {
  char    *label;          /* "core.feeding" */
  guint64  records;
} BbPreviewModel;

typedef struct {
  char    *label;          /* "core.feeding" */
  guint64  count;
} BbPreviewCount;

typedef struct {
  char      *name;         /* "Jennifer Jordan" */
  char      *first_entry;  /* date "YYYY-MM-DD" or NULL when there are no entries */
  char      *last_entry;
  guint64    entries;
  GPtrArray *counts;       /* BbPreviewCount per entry type, in model order */
} BbPreviewChild;

/* What the confirm page shows. Plain data, owned by the job. */
typedef struct {
  gboolean    is_fixture;           /* a plain Django fixture, no metadata */
  char       *format_version;       /* "1.0", NULL for a fixture */
  char       *created;              /* ISO 8601 with offset, NULL if unknown */
  char       *timezone;
  char       *source_engine;        /* display name, NULL if unknown */
  char       *babybuddy_version;    /* of the backup, "unknown" if not known */
  char       *target_engine;
  char       *target_babybuddy_version;
  char       *generator;            /* "Baby Buddy Backup 0.1.0" */
  guint64     total_records;
  GPtrArray  *models;               /* BbPreviewModel, in load order */
  GPtrArray  *children;             /* BbPreviewChild */
  GPtrArray  *users;                /* char *: usernames */
  guint       media_files;
  guint64     media_bytes;
  guint64     target_records;       /* rows the target holds now in the backup's models */
  guint64     merge_overwrites;     /* backup records whose pk exists in the target */
  GPtrArray  *warnings;             /* char *, translated */
  GPtrArray  *problems;             /* char *, translated; not empty: the restore is refused */
} BbRestorePreview;

#define BB_TYPE_RESTORE_JOB (bb_restore_job_get_type ())
G_DECLARE_FINAL_TYPE (BbRestoreJob, bb_restore_job, BB, RESTORE_JOB, GObject)

BbRestoreJob *bb_restore_job_new                (const char             *file,
                                                 const BbConnectionInfo *target);
void          bb_restore_job_set_mode           (BbRestoreJob           *self,
                                                 BbRestoreMode           mode);
BbRestoreMode bb_restore_job_get_mode           (BbRestoreJob           *self);
/* Media files are restored into this folder only; NULL: media are not restored. */
void          bb_restore_job_set_media_dir      (BbRestoreJob           *self,
                                                 const char             *media_dir);
/* Before a replace, the target is backed up into this folder (the default is
 * $XDG_DATA_HOME/babybuddy-backup/safety) and the last 5 are kept; NULL: none. */
void          bb_restore_job_set_safety_dir     (BbRestoreJob           *self,
                                                 const char             *folder);
void          bb_restore_job_set_limits         (BbRestoreJob           *self,
                                                 const BbArchiveLimits  *limits);
/* verify: check the file alone, without a target database. */
BbRestoreJob *bb_restore_job_new_verify         (const char             *file);

guint64       bb_restore_job_get_records_done   (BbRestoreJob           *self);
guint64       bb_restore_job_get_records_total  (BbRestoreJob           *self);
char         *bb_restore_job_dup_current_model  (BbRestoreJob           *self);

/* Reads the whole file once and the target's schema; writes nothing. Returns
 * the preview (owned by the job) even when it lists problems; NULL with an
 * error only when the file or the database cannot be read at all, or when
 * the database may not be changed (BB_DATABASE_ERROR_READ_ONLY). */
const BbRestorePreview *bb_restore_job_check        (BbRestoreJob        *self,
                                                     GCancellable        *cancellable,
                                                     GError             **error);
void                    bb_restore_job_check_async  (BbRestoreJob        *self,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
const BbRestorePreview *bb_restore_job_check_finish (BbRestoreJob        *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
const BbRestorePreview *bb_restore_job_get_preview  (BbRestoreJob        *self);

/* Checks again (the file or the database may have changed), takes the safety
 * backup, then writes everything in one transaction. On any error or cancel
 * the database is as it was. */
gboolean      bb_restore_job_run                (BbRestoreJob           *self,
                                                 GCancellable           *cancellable,
                                                 GError                **error);
void          bb_restore_job_run_async          (BbRestoreJob           *self,
                                                 GCancellable           *cancellable,
                                                 GAsyncReadyCallback     callback,
                                                 gpointer                user_data);
gboolean      bb_restore_job_run_finish         (BbRestoreJob           *self,
                                                 GAsyncResult           *result,
                                                 GError                **error);
/* After a successful run: the safety backup's path, or NULL. */
const char   *bb_restore_job_get_safety_backup  (BbRestoreJob           *self);

/* Tests only: fail with an error after this many records were written. */
void          bb_restore_job_set_fail_after     (BbRestoreJob           *self,
                                                 guint64                 records);

G_END_DECLS
