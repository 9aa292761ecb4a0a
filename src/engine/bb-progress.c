/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-progress.c: see bb-progress.h. Updates from a worker are coalesced:
 * one notification is queued at a time, and it reads the latest values. */

#define G_LOG_DOMAIN "bb-progress"

#include "config.h"

#include <string.h>

#include "bb-progress.h"

void
bb_progress_init (BbProgress *progress,
                  GObject    *owner,
                  GParamSpec *done,
                  GParamSpec *total,
                  GParamSpec *model)
{
  memset (progress, 0, sizeof *progress);
  g_mutex_init (&progress->lock);
  progress->owner = owner;
  progress->pspecs[0] = total;
  progress->pspecs[1] = model;
  progress->pspecs[2] = done;
}

void
bb_progress_clear (BbProgress *progress)
{
  g_clear_pointer (&progress->model, g_free);
  g_clear_pointer (&progress->context, g_main_context_unref);
  g_mutex_clear (&progress->lock);
}

void
bb_progress_follow_thread_context (BbProgress *progress)
{
  g_mutex_lock (&progress->lock);
  g_clear_pointer (&progress->context, g_main_context_unref);
  progress->context = g_main_context_ref_thread_default ();
  g_mutex_unlock (&progress->lock);
}

static gboolean
notify_cb (gpointer user_data)
{
  BbProgress *progress = user_data;

  g_mutex_lock (&progress->lock);
  progress->pending = FALSE;
  g_mutex_unlock (&progress->lock);

  /* Total and model first: a listener of records-done sees them current. */
  for (guint i = 0; i < G_N_ELEMENTS (progress->pspecs); i++)
    g_object_notify_by_pspec (progress->owner, progress->pspecs[i]);
  return G_SOURCE_REMOVE;
}

static void
unref_owner (gpointer user_data)
{
  g_object_unref (((BbProgress *) user_data)->owner);
}

void
bb_progress_update (BbProgress *progress,
                    gint64      done,
                    guint64     add,
                    gint64      total,
                    const char *model)
{
  GMainContext *context = NULL;
  gboolean schedule = FALSE;

  g_mutex_lock (&progress->lock);
  if (done >= 0)
    progress->done = done;
  progress->done += add;
  if (total >= 0)
    progress->total = total;
  if (model != NULL && g_strcmp0 (model, progress->model) != 0)
    {
      g_free (progress->model);
      progress->model = g_strdup (model);
    }
  if (!progress->pending)
    {
      schedule = progress->pending = TRUE;
      context = progress->context ? g_main_context_ref (progress->context) : NULL;
    }
  g_mutex_unlock (&progress->lock);

  if (!schedule)
    return;

  /* Properties change in the thread that started the job, never in a worker;
   * the owner is kept alive until the notification has run. */
  if (context != NULL)
    {
      g_object_ref (progress->owner);
      g_main_context_invoke_full (context, G_PRIORITY_DEFAULT, notify_cb, progress,
                                  unref_owner);
      g_main_context_unref (context);
    }
  else
    notify_cb (progress);
}

guint64
bb_progress_get_done (BbProgress *progress)
{
  guint64 value;

  g_mutex_lock (&progress->lock);
  value = progress->done;
  g_mutex_unlock (&progress->lock);
  return value;
}

guint64
bb_progress_get_total (BbProgress *progress)
{
  guint64 value;

  g_mutex_lock (&progress->lock);
  value = progress->total;
  g_mutex_unlock (&progress->lock);
  return value;
}

char *
bb_progress_dup_model (BbProgress *progress)
{
  char *value;

  g_mutex_lock (&progress->lock);
  value = g_strdup (progress->model);
  g_mutex_unlock (&progress->lock);
  return value;
}

void
bb_progress_install_properties (GObjectClass  *klass,
                                guint          first_id,
                                GParamSpec   **pspecs)
{
  pspecs[0] = g_param_spec_uint64 ("records-done", NULL, NULL, 0, G_MAXUINT64, 0,
                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  pspecs[1] = g_param_spec_uint64 ("records-total", NULL, NULL, 0, G_MAXUINT64, 0,
                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  pspecs[2] = g_param_spec_string ("current-model", NULL, NULL, NULL,
                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  for (guint i = 0; i < 3; i++)
    g_object_class_install_property (klass, first_id + i, pspecs[i]);
}

gboolean
bb_progress_get_property (BbProgress *progress,
                          guint       first_id,
                          guint       prop_id,
                          GValue     *value)
{
  switch (prop_id - first_id)
    {
    case 0:
      g_value_set_uint64 (value, bb_progress_get_done (progress));
      return TRUE;
    case 1:
      g_value_set_uint64 (value, bb_progress_get_total (progress));
      return TRUE;
    case 2:
      g_value_take_string (value, bb_progress_dup_model (progress));
      return TRUE;
    default:
      return FALSE;
    }
}
