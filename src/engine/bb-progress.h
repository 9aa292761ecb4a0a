/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-progress.h: a job's records done / total and current model, written by
 * worker threads and notified as its owner's properties in the thread that
 * started the job. Shared by the backup and restore jobs. */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct {
  GMutex        lock;
  guint64       done;
  guint64       total;
  char         *model;
  GObject      *owner;          /* not a reference: the progress lives in it */
  GParamSpec   *pspecs[3];      /* records-done, records-total, current-model */
  GMainContext *context;        /* where notifications go; NULL: at once */
  gboolean      pending;
} BbProgress;

void     bb_progress_init        (BbProgress   *progress,
                                  GObject      *owner,
                                  GParamSpec   *done,
                                  GParamSpec   *total,
                                  GParamSpec   *model);
void     bb_progress_clear       (BbProgress   *progress);
/* Notifications go to the calling thread's default main context from now on. */
void     bb_progress_follow_thread_context (BbProgress *progress);
/* done < 0 keeps the count (add > 0 adds to it); total < 0 keeps the total;
 * model NULL keeps the model. */
void     bb_progress_update      (BbProgress   *progress,
                                  gint64        done,
                                  guint64       add,
                                  gint64        total,
                                  const char   *model);
guint64  bb_progress_get_done    (BbProgress   *progress);
guint64  bb_progress_get_total   (BbProgress   *progress);
char    *bb_progress_dup_model   (BbProgress   *progress);

/* The properties every job has, as ids first_id, first_id + 1, first_id + 2:
 * "records-done", "records-total", "current-model" (read-only). pspecs gets
 * the three GParamSpecs. */
void     bb_progress_install_properties (GObjectClass *klass,
                                         guint         first_id,
                                         GParamSpec  **pspecs);
/* For the owner's get_property: FALSE when prop_id is not one of the three. */
gboolean bb_progress_get_property (BbProgress   *progress,
                                   guint         first_id,
                                   guint         prop_id,
                                   GValue       *value);

G_END_DECLS
