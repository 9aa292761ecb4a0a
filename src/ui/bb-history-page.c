/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-history-page.c: STUB, being written. */

#define G_LOG_DOMAIN "bb-history-page"

#include "config.h"

#include "bb-history-page.h"

struct _BbHistoryPage
{
  AdwBin     parent_instance;
  BbHistory *history;
};

G_DEFINE_FINAL_TYPE (BbHistoryPage, bb_history_page, ADW_TYPE_BIN)

static void
bb_history_page_dispose (GObject *object)
{
  g_clear_object (&BB_HISTORY_PAGE (object)->history);
  G_OBJECT_CLASS (bb_history_page_parent_class)->dispose (object);
}

static void
bb_history_page_class_init (BbHistoryPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = bb_history_page_dispose;
  gtk_widget_class_set_template_from_resource (GTK_WIDGET_CLASS (klass), "/org/babybuddy/Backup/ui/bb-history-page.ui");
}

static void
bb_history_page_init (BbHistoryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
bb_history_page_set_history (BbHistoryPage *self, BbHistory *history)
{
  g_set_object (&self->history, history);
}
