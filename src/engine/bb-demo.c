/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-demo.c: placeholder until the generator lands in this same session. */

#define G_LOG_DOMAIN "bb-demo"

#include "config.h"

#include "bb-database.h"
#include "bb-demo.h"

gboolean
bb_demo_create (const char    *path,
                guint64        rows,
                guint32        seed,
                GCancellable  *cancellable,
                GError       **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "not yet");
  return FALSE;
}
