/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-format.c: shared by the backup page and the restore wizard, so both
 * count and name things the same way. */

#define G_LOG_DOMAIN "bb-format"

#include "config.h"

#include <glib/gi18n.h>

#include "bb-format.h"

static const struct {
  const char *label;
  const char *name;
} model_names[] = {
  { "core.child", N_("Children") },
  { "core.feeding", N_("Feedings") },
  { "core.sleep", N_("Sleep") },
  { "core.diaperchange", N_("Diaper changes") },
  { "core.tummytime", N_("Tummy time") },
  { "core.note", N_("Notes") },
  { "core.weight", N_("Weight") },
  { "core.height", N_("Height") },
  { "core.headcircumference", N_("Head circumference") },
  { "core.bmi", N_("BMI") },
  { "core.temperature", N_("Temperature") },
  { "core.pumping", N_("Pumping") },
  { "core.timer", N_("Timers") },
  { "core.tag", N_("Tags") },
  { "auth.user", N_("Users") },
  { "babybuddy.settings", N_("User settings") },
};

char *
bb_format_count (guint64 n)
{
  return g_strdup_printf ("%'" G_GUINT64_FORMAT, n);
}

const char *
bb_format_model_name (const char *label)
{
  for (guint i = 0; label != NULL && i < G_N_ELEMENTS (model_names); i++)
    if (g_strcmp0 (model_names[i].label, label) == 0)
      return _(model_names[i].name);
  return label;
}

char *
bb_format_progress (guint64     done,
                    guint64     total,
                    const char *model)
{
  g_autofree char *done_text = bb_format_count (done);
  g_autofree char *total_text = bb_format_count (total);

  /* Translators: "12,345 of 94,687 records · Feedings" while a job runs. */
  return g_strdup_printf (_("%s of %s records · %s"), done_text, total_text,
                          model ? bb_format_model_name (model) : "…");
}

char *
bb_format_list (GPtrArray *strings)
{
  GString *out;

  if (strings == NULL || strings->len == 0)
    return NULL;
  out = g_string_new (g_ptr_array_index (strings, 0));
  for (guint i = 1; i < strings->len; i++)
    {
      g_string_append (out, ", ");
      g_string_append (out, g_ptr_array_index (strings, i));
    }
  return g_string_free (out, FALSE);
}
