/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-demo.h: a Baby Buddy-shaped SQLite database full of generated data. */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

gboolean bb_demo_create (const char    *path,
                         guint64        rows,
                         guint32        seed,
                         GCancellable  *cancellable,
                         GError       **error);

G_END_DECLS
