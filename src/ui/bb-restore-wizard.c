/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-restore-wizard.c: STUB, being written. */

#define G_LOG_DOMAIN "bb-restore-wizard"

#include "config.h"

#include "bb-restore-wizard.h"

struct _BbRestoreWizard
{
  AdwWindow  parent_instance;
  GtkStack  *stack;
};

G_DEFINE_FINAL_TYPE (BbRestoreWizard, bb_restore_wizard, ADW_TYPE_WINDOW)

static void
bb_restore_wizard_class_init (BbRestoreWizardClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/babybuddy/Backup/ui/bb-restore-wizard.ui");
  gtk_widget_class_bind_template_child (widget_class, BbRestoreWizard, stack);
}

static void
bb_restore_wizard_init (BbRestoreWizard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

BbRestoreWizard *
bb_restore_wizard_new (GtkWindow *parent, const BbConnectionInfo *target, const char *label,
                       const char *media_folder, BbHistory *history)
{
  return g_object_new (BB_TYPE_RESTORE_WIZARD, "transient-for", parent, "modal", TRUE, NULL);
}

void bb_restore_wizard_open_file (BbRestoreWizard *self, GFile *file) { }
const char *bb_restore_wizard_get_page (BbRestoreWizard *self) { return gtk_stack_get_visible_child_name (self->stack); }
