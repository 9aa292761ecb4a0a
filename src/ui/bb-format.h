/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-format.h: numbers and model names as the window shows them. */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* 94687 -> "94,687" with the locale's thousands separator. */
char       *bb_format_count      (guint64     n);
/* "core.feeding" -> "Feedings"; a label without a name is returned as is. */
const char *bb_format_model_name (const char *label);
/* "12,345 of 94,687 records · Feedings" (model may be NULL). */
char       *bb_format_progress   (guint64     done,
                                  guint64     total,
                                  const char *model);

/* "a, b, c" from an array of strings; NULL when it is empty. */
char       *bb_format_list       (GPtrArray  *strings);

G_END_DECLS
