/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-history-page.c: the History page. The list is rebuilt whenever the
 * history changes (it holds at most a few hundred entries); whether each file
 * still exists is checked again whenever the page is shown, since files get
 * moved and deleted behind the app's back. */

#define G_LOG_DOMAIN "bb-history-page"

#include "config.h"

#include <glib/gi18n.h>

#include "bb-file-manager.h"
#include "bb-history-page.h"

struct _BbHistoryPage
{
  AdwBin         parent_instance;

  BbHistory     *history;

  GtkStack      *stack;
  AdwStatusPage *empty_page;
  GtkListBox    *list_box;
};

G_DEFINE_FINAL_TYPE (BbHistoryPage, bb_history_page, ADW_TYPE_BIN)

static char *
format_duration (double seconds)
{
  guint total;

  if (!(seconds >= 0.5))
    return g_strdup (_("under a second"));
  total = seconds >= G_MAXUINT ? G_MAXUINT : (guint) (seconds + 0.5);
  if (total < 60)
    return g_strdup_printf (ngettext ("%u second", "%u seconds", total), total);
  if (total < 3600)
    {
      if (total % 60 == 0)
        return g_strdup_printf (ngettext ("%u minute", "%u minutes", total / 60), total / 60);
      /* Translators: a duration in minutes and seconds, as in “2 min 5 s”. */
      return g_strdup_printf (_("%u min %u s"), total / 60, total % 60);
    }
  /* Translators: a duration in hours and minutes, as in “1 h 5 min”. */
  return g_strdup_printf (_("%u h %u min"), total / 3600, (total % 3600) / 60);
}

static char *
format_records (guint64 records)
{
  g_autofree char *number = g_strdup_printf ("%'" G_GUINT64_FORMAT, records);

  /* Translators: %s is a number of database records, as in “1,234 records”. */
  return g_strdup_printf (ngettext ("%s record", "%s records", (gulong) records), number);
}

static char *
format_subtitle (const BbHistoryEntry *entry)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *line = NULL;

  if (entry->time != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (entry->time);

      /* Translators: when a backup or restore started, in the format of
       * g_date_time_format(), as in “24 November 2026, 09:30”. */
      g_ptr_array_add (parts, g_date_time_format (local, _("%-d %B %Y, %H:%M")));
    }
  if (entry->connection != NULL && entry->connection[0] != '\0')
    g_ptr_array_add (parts, g_strdup (entry->connection));
  if (entry->outcome == BB_HISTORY_SUCCEEDED)
    {
      g_ptr_array_add (parts, g_format_size (entry->size));
      g_ptr_array_add (parts, format_records (entry->records));
    }
  if (entry->outcome != BB_HISTORY_CANCELLED)
    g_ptr_array_add (parts, format_duration (entry->duration));
  g_ptr_array_add (parts, NULL);
  line = g_strjoinv (" · ", (char **) parts->pdata);

  switch (entry->outcome)
    {
    case BB_HISTORY_FAILED:
      return g_strconcat (line, "\n",
                          entry->message != NULL && entry->message[0] != '\0'
                          ? entry->message : _("Failed"), NULL);
    case BB_HISTORY_CANCELLED:
      return g_strconcat (line, "\n",
                          entry->message != NULL && entry->message[0] != '\0'
                          ? entry->message : _("Cancelled"), NULL);
    case BB_HISTORY_SUCCEEDED:
    default:
      return g_steal_pointer (&line);
    }
}

static GtkWidget *
create_status_icon (BbHistoryOutcome outcome)
{
  const char *icon_name;
  const char *label;
  const char *style;
  GtkWidget *image;

  switch (outcome)
    {
    case BB_HISTORY_FAILED:
      icon_name = "dialog-error-symbolic";
      label = _("Failed");
      style = "error";
      break;
    case BB_HISTORY_CANCELLED:
      icon_name = "process-stop-symbolic";
      label = _("Cancelled");
      style = "dim-label";
      break;
    case BB_HISTORY_SUCCEEDED:
    default:
      icon_name = "emblem-ok-symbolic";
      label = _("Succeeded");
      style = "success";
      break;
    }

  image = gtk_image_new_from_icon_name (icon_name);
  gtk_widget_add_css_class (image, style);
  gtk_widget_set_tooltip_text (image, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (image),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  return image;
}

static GtkWidget *
create_icon_button (const char *icon_name,
                    const char *label)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  return button;
}

static void
update_row_file_state (GtkWidget *row)
{
  const char *path = g_object_get_data (G_OBJECT (row), "bb-path");
  GtkWidget *show_button = g_object_get_data (G_OBJECT (row), "bb-show-button");
  GtkWidget *restore_button = g_object_get_data (G_OBJECT (row), "bb-restore-button");
  gboolean exists = path != NULL && g_file_test (path, G_FILE_TEST_IS_REGULAR);

  gtk_widget_set_sensitive (show_button, exists);
  /* GTK 4 shows tooltips on insensitive widgets too: say why. */
  gtk_widget_set_tooltip_text (show_button, exists ? _("Show in Files") : _("The file no longer exists"));
  gtk_widget_set_visible (restore_button, exists);
}

static void
update_file_states (BbHistoryPage *self)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (g_object_get_data (G_OBJECT (row), "bb-path") != NULL)
      update_row_file_state (row);
}

static void
show_in_files_clicked_cb (GtkButton *button,
                          GtkWidget *row)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (button));

  bb_show_in_file_manager (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                           g_object_get_data (G_OBJECT (row), "bb-path"));
}

static GtkWidget *
create_row (const BbHistoryEntry *entry)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *basename = entry->file != NULL ? g_path_get_basename (entry->file) : g_strdup ("");
  g_autofree char *title = NULL;
  g_autofree char *subtitle = format_subtitle (entry);
  GtkWidget *show_button;
  GtkWidget *restore_button;

  if (entry->kind == BB_HISTORY_RESTORE)
    /* Translators: a history row's title; %s is a backup file's name. */
    title = g_strdup_printf (_("Restore — %s"), basename);
  else
    /* Translators: a history row's title; %s is a backup file's name. */
    title = g_strdup_printf (_("Backup — %s"), basename);

  /* File names and error messages are not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), create_status_icon (entry->outcome));

  show_button = create_icon_button ("folder-open-symbolic", _("Show in Files"));
  g_signal_connect_object (show_button, "clicked", G_CALLBACK (show_in_files_clicked_cb), row, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), show_button);

  /* An action, so the window can disable restoring while a job runs. */
  restore_button = create_icon_button ("document-revert-symbolic", _("Restore…"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (restore_button), "win.restore-file");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (restore_button),
                                          g_variant_new_string (entry->file != NULL ? entry->file : ""));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), restore_button);

  g_object_set_data_full (G_OBJECT (row), "bb-path", g_strdup (entry->file), g_free);
  g_object_set_data (G_OBJECT (row), "bb-show-button", show_button);
  g_object_set_data (G_OBJECT (row), "bb-restore-button", restore_button);
  update_row_file_state (row);
  return row;
}

static void
rebuild_list (BbHistoryPage *self)
{
  GPtrArray *entries = self->history != NULL ? bb_history_get_entries (self->history) : NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);

  for (guint i = 0; entries != NULL && i < entries->len; i++)
    gtk_list_box_append (self->list_box, create_row (g_ptr_array_index (entries, i)));

  gtk_stack_set_visible_child_name (self->stack,
                                    entries != NULL && entries->len > 0 ? "list" : "empty");
}

static void
history_changed_cb (BbHistoryPage *self)
{
  rebuild_list (self);
}

static void
bb_history_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (bb_history_page_parent_class)->map (widget);
  update_file_states (BB_HISTORY_PAGE (widget));
}

static void
bb_history_page_dispose (GObject *object)
{
  BbHistoryPage *self = BB_HISTORY_PAGE (object);

  g_clear_object (&self->history);

  G_OBJECT_CLASS (bb_history_page_parent_class)->dispose (object);
}

static void
bb_history_page_class_init (BbHistoryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bb_history_page_dispose;
  widget_class->map = bb_history_page_map;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/babybuddy/Backup/ui/bb-history-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BbHistoryPage, stack);
  gtk_widget_class_bind_template_child (widget_class, BbHistoryPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, BbHistoryPage, list_box);
}

static void
bb_history_page_init (BbHistoryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
bb_history_page_set_history (BbHistoryPage *self,
                             BbHistory     *history)
{
  g_return_if_fail (BB_IS_HISTORY_PAGE (self));
  g_return_if_fail (history == NULL || BB_IS_HISTORY (history));

  if (self->history == history)
    return;
  if (self->history != NULL)
    g_signal_handlers_disconnect_by_func (self->history, history_changed_cb, self);
  g_set_object (&self->history, history);
  if (history != NULL)
    g_signal_connect_object (history, "changed", G_CALLBACK (history_changed_cb), self, G_CONNECT_SWAPPED);
  rebuild_list (self);
}
