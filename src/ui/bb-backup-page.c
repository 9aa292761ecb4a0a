/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-backup-page.c: the main page. It shows what the connected database holds
 * (loaded in a worker thread), asks where to save with the file name already
 * filled in, runs the backup job with progress and Cancel, and says how it
 * went: a toast with "Open Folder", or a dialog with the engine's message. */

#define G_LOG_DOMAIN "bb-backup-page"

#include "config.h"

#include <glib/gi18n.h>

#include "bb-backup-job.h"
#include "bb-backup-page.h"
#include "bb-file-name.h"
#include "bb-format.h"
#include "bb-preferences-window.h"

struct _BbBackupPage
{
  AdwBin              parent_instance;

  AdwPreferencesGroup *database_group;
  GtkLabel            *engine_label;
  GtkLabel            *version_label;
  GtkLabel            *children_label;
  GtkLabel            *records_label;
  GtkLabel            *last_backup_label;
  GtkSwitch           *media_switch;
  AdwActionRow        *media_folder_row;
  GtkStack            *action_stack;
  GtkWidget           *backup_button;
  GtkLabel            *progress_title;
  GtkProgressBar      *progress_bar;
  GtkLabel            *progress_label;
  GtkWidget           *cancel_button;

  GSettings           *settings;
  BbConnectionStore   *store;
  BbHistory           *history;

  BbSavedConnection   *connection;
  BbConnectionInfo    *info;
  BbDatabaseSummary   *summary;
  GCancellable        *loading;

  GtkFileChooserNative *chooser;
  BbBackupJob         *job;
  GCancellable        *cancellable;
  GDateTime           *started;
  char                *output;
};

G_DEFINE_FINAL_TYPE (BbBackupPage, bb_backup_page, ADW_TYPE_BIN)

static char *
format_when (GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (time);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  int days = g_date_time_get_day_of_year (now) - g_date_time_get_day_of_year (local);

  if (g_date_time_get_year (now) != g_date_time_get_year (local) || days < 0 || days > 1)
    /* Translators: a date and time, see the strftime manual page. */
    return g_date_time_format (local, _("%x, %H:%M"));
  if (days == 0)
    /* Translators: a time today, see the strftime manual page. */
    return g_date_time_format (local, _("Today, %H:%M"));
  /* Translators: a time yesterday, see the strftime manual page. */
  return g_date_time_format (local, _("Yesterday, %H:%M"));
}

static void
update_last_backup (BbBackupPage *self)
{
  GPtrArray *entries;

  if (self->history == NULL || self->connection == NULL)
    return;
  entries = bb_history_get_entries (self->history);
  for (guint i = 0; i < entries->len; i++)
    {
      BbHistoryEntry *entry = g_ptr_array_index (entries, i);

      if (entry->kind == BB_HISTORY_BACKUP && entry->outcome == BB_HISTORY_SUCCEEDED &&
          g_strcmp0 (entry->connection, self->connection->label) == 0)
        {
          g_autofree char *when = format_when (entry->time);

          gtk_label_set_label (self->last_backup_label, when);
          return;
        }
    }
  gtk_label_set_label (self->last_backup_label, _("Never"));
}

static void
update_media (BbBackupPage *self)
{
  const char *folder = self->connection ? self->connection->media_folder : NULL;

  adw_action_row_set_subtitle (self->media_folder_row, folder ? folder : _("Not chosen yet"));
}

static void
update_buttons (BbBackupPage *self)
{
  gboolean busy = self->job != NULL;

  gtk_stack_set_visible_child_name (self->action_stack, busy ? "busy" : "idle");
  gtk_widget_set_sensitive (self->backup_button, self->summary != NULL && !busy && self->chooser == NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->media_switch), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->media_folder_row), !busy && gtk_switch_get_active (self->media_switch));
}

static void
show_summary (BbBackupPage *self)
{
  const BbDatabaseSummary *summary = self->summary;
  g_autofree char *records = NULL;
  g_autofree char *children = NULL;

  if (summary == NULL)
    {
      gtk_label_set_label (self->engine_label, self->info ? bb_engine_to_display (self->info->engine) : "");
      gtk_label_set_label (self->version_label, "…");
      gtk_label_set_label (self->children_label, "…");
      gtk_label_set_label (self->records_label, "…");
      return;
    }
  records = bb_format_count (summary->records);
  children = bb_format_list (summary->children);
  if (children == NULL)
    children = g_strdup (_("None yet"));
  gtk_label_set_label (self->engine_label, bb_engine_to_display (summary->engine));
  gtk_label_set_label (self->version_label,
                       g_strcmp0 (summary->babybuddy_version, "unknown") == 0
                       ? _("Unknown") : summary->babybuddy_version);
  gtk_label_set_label (self->children_label, children);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->children_label), children);
  gtk_label_set_label (self->records_label, records);
}

static void
summary_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(BbBackupPage) self = user_data;
  g_autoptr(GError) error = NULL;
  BbDatabaseSummary *summary;

  summary = bb_database_summary_load_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->loading);
  if (summary == NULL)
    {
      gtk_label_set_label (self->records_label, error->message);
      return;
    }
  g_clear_pointer (&self->summary, bb_database_summary_free);
  self->summary = summary;
  show_summary (self);
  update_buttons (self);
}

static void
reload_summary (BbBackupPage *self)
{
  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  g_clear_pointer (&self->summary, bb_database_summary_free);
  show_summary (self);
  update_buttons (self);
  if (self->info == NULL)
    return;
  self->loading = g_cancellable_new ();
  bb_database_summary_load_async (self->info, self->loading, summary_loaded_cb, g_object_ref (self));
}

static void
progress_changed_cb (BbBackupPage *self)
{
  guint64 done, total;
  g_autofree char *model = NULL;
  g_autofree char *text = NULL;

  if (self->job == NULL)
    return;
  done = bb_backup_job_get_records_done (self->job);
  total = bb_backup_job_get_records_total (self->job);
  model = bb_backup_job_dup_current_model (self->job);
  if (total > 0)
    gtk_progress_bar_set_fraction (self->progress_bar, MIN (1.0, (double) done / total));
  text = bb_format_progress (done, total, model);
  gtk_label_set_label (self->progress_label, text);
}

static void
add_history (BbBackupPage     *self,
             BbHistoryOutcome  outcome,
             const char       *message)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GFile) file = g_file_new_for_path (self->output);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  BbHistoryEntry entry = { 0 };

  if (outcome == BB_HISTORY_SUCCEEDED)
    info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL, NULL);
  entry.kind = BB_HISTORY_BACKUP;
  entry.time = self->started;
  entry.connection = self->connection ? self->connection->label : NULL;
  entry.file = self->output;
  entry.size = info ? g_file_info_get_size (info) : 0;
  entry.records = bb_backup_job_get_records_done (self->job);
  entry.outcome = outcome;
  entry.message = (char *) message;
  entry.duration = g_date_time_difference (now, self->started) / (double) G_TIME_SPAN_SECOND;
  if (!bb_history_add (self->history, &entry, &error))
    g_warning ("The history could not be saved: %s", error->message);
}

static void
add_toast (BbBackupPage *self,
           AdwToast     *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

static void
show_failure (BbBackupPage *self,
              const char   *message)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   _("Backup Failed"), message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
backup_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BbBackupPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  path = bb_backup_job_run_finish (BB_BACKUP_JOB (source), result, &error);
  if (path != NULL)
    {
      g_autofree char *name = g_path_get_basename (path);
      /* Translators: %s is a file name like "backup_112426_093000.zip". */
      g_autofree char *title = g_strdup_printf (_("Backed up to “%s”"), name);
      AdwToast *toast = adw_toast_new (title);

      g_free (self->output);
      self->output = g_strdup (path);
      adw_toast_set_button_label (toast, _("_Open Folder"));
      adw_toast_set_action_name (toast, "win.show-file");
      adw_toast_set_action_target_value (toast, g_variant_new_string (path));
      adw_toast_set_timeout (toast, 10);
      add_history (self, BB_HISTORY_SUCCEEDED, NULL);
      add_toast (self, toast);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      add_history (self, BB_HISTORY_CANCELLED, _("The backup was cancelled."));
      add_toast (self, adw_toast_new (_("Backup cancelled; no file was kept")));
    }
  else
    {
      add_history (self, BB_HISTORY_FAILED, error->message);
      show_failure (self, error->message);
    }

  g_signal_handlers_disconnect_by_data (self->job, self);
  g_clear_object (&self->job);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->started, g_date_time_unref);
  update_buttons (self);
  update_last_backup (self);
}

static void
start_backup (BbBackupPage *self,
              const char   *path)
{
  g_autofree char *zone = bb_preferences_resolve_timezone (self->settings, self->summary);
  g_autofree char *folder = g_path_get_dirname (path);

  g_assert (self->job == NULL);

  g_settings_set_string (self->settings, "last-folder", folder);
  g_free (self->output);
  self->output = g_strdup (path);
  self->started = g_date_time_new_now_utc ();
  self->cancellable = g_cancellable_new ();
  self->job = bb_backup_job_new (self->info, path);
  bb_backup_job_set_timezone (self->job, zone);
  bb_backup_job_set_compression_level (self->job, g_settings_get_int (self->settings, "compression-level"));
  if (gtk_switch_get_active (self->media_switch) && self->connection->media_folder != NULL)
    bb_backup_job_set_media_dir (self->job, self->connection->media_folder);

  g_signal_connect_swapped (self->job, "notify::records-done", G_CALLBACK (progress_changed_cb), self);
  g_signal_connect_swapped (self->job, "notify::records-total", G_CALLBACK (progress_changed_cb), self);
  g_signal_connect_swapped (self->job, "notify::current-model", G_CALLBACK (progress_changed_cb), self);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_label_set_label (self->progress_label, _("Reading the database…"));
  update_buttons (self);

  bb_backup_job_run_async (self->job, self->cancellable, backup_done_cb, g_object_ref (self));
}

static GFile *
default_folder (BbBackupPage *self)
{
  g_autofree char *last = g_settings_get_string (self->settings, "last-folder");
  g_autofree char *preferred = g_settings_get_string (self->settings, "backup-folder");
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);

  if (last[0] != '\0' && g_file_test (last, G_FILE_TEST_IS_DIR))
    return g_file_new_for_path (last);
  if (preferred[0] != '\0' && g_file_test (preferred, G_FILE_TEST_IS_DIR))
    return g_file_new_for_path (preferred);
  if (documents != NULL && g_file_test (documents, G_FILE_TEST_IS_DIR))
    return g_file_new_for_path (documents);
  return g_file_new_for_path (g_get_home_dir ());
}

static char *
default_file_name (BbBackupPage *self)
{
  g_autofree char *zone = bb_preferences_resolve_timezone (self->settings, self->summary);
  g_autoptr(GTimeZone) tz = bb_time_zone_new (zone, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now (tz ? tz : g_time_zone_new_local ());

  return bb_file_name_for_time (now);
}

/* The chosen file's path (NULL when cancelled); the chooser is gone after. */
static char *
close_chooser (BbBackupPage *self,
               int           response)
{
  g_autoptr(GFile) file = NULL;
  char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (self->chooser));
  if (file != NULL)
    path = g_file_get_path (file);
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  return path;
}

static void
save_chosen_cb (GtkNativeDialog *dialog,
                int              response,
                BbBackupPage    *self)
{
  g_autofree char *path = close_chooser (self, response);
  update_buttons (self);
  if (path != NULL && self->job == NULL && self->info != NULL)
    {
      if (!g_str_has_suffix (path, ".zip"))
        {
          char *with_suffix = g_strconcat (path, ".zip", NULL);

          g_free (path);
          path = with_suffix;
        }
      start_backup (self, path);
    }
}

static void
media_folder_chosen_cb (GtkNativeDialog *dialog,
                        int              response,
                        BbBackupPage    *self)
{
  g_autofree char *path = close_chooser (self, response);
  if (path != NULL && self->connection != NULL)
    {
      g_free (self->connection->media_folder);
      self->connection->media_folder = g_strdup (path);
      bb_connection_store_set_media_folder (self->store, self->connection->id, path);
    }
  else if (self->connection != NULL && self->connection->media_folder == NULL)
    gtk_switch_set_active (self->media_switch, FALSE);
  update_media (self);
  update_buttons (self);
}

static void
media_folder_clicked_cb (BbBackupPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Choose Baby Buddy’s Media Folder"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  if (self->connection != NULL && self->connection->media_folder != NULL)
    {
      g_autoptr(GFile) folder = g_file_new_for_path (self->connection->media_folder);

      gtk_file_chooser_set_file (GTK_FILE_CHOOSER (self->chooser), folder, NULL);
    }
  g_signal_connect (self->chooser, "response", G_CALLBACK (media_folder_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
media_switch_changed_cb (BbBackupPage *self)
{
  update_buttons (self);
  /* The folder is asked for once, when media are first wanted. */
  if (gtk_switch_get_active (self->media_switch) && self->connection != NULL &&
      self->connection->media_folder == NULL && self->chooser == NULL &&
      gtk_widget_get_mapped (GTK_WIDGET (self)))
    media_folder_clicked_cb (self);
}

static void
backup_clicked_cb (BbBackupPage *self)
{
  bb_backup_page_back_up (self);
}

static void
cancel_clicked_cb (BbBackupPage *self)
{
  g_cancellable_cancel (self->cancellable);
  gtk_widget_set_sensitive (self->cancel_button, FALSE);
  gtk_label_set_label (self->progress_label, _("Cancelling…"));
}

static void
history_changed_cb (BbBackupPage *self)
{
  update_last_backup (self);
}

static void
bb_backup_page_dispose (GObject *object)
{
  BbBackupPage *self = BB_BACKUP_PAGE (object);

  g_cancellable_cancel (self->loading);
  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (self->history, self);
  if (self->job != NULL)
    g_signal_handlers_disconnect_by_data (self->job, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), BB_TYPE_BACKUP_PAGE);
  G_OBJECT_CLASS (bb_backup_page_parent_class)->dispose (object);
}

static void
bb_backup_page_finalize (GObject *object)
{
  BbBackupPage *self = BB_BACKUP_PAGE (object);

  g_clear_object (&self->loading);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->job);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_object (&self->history);
  g_clear_pointer (&self->connection, bb_saved_connection_free);
  g_clear_pointer (&self->info, bb_connection_info_free);
  g_clear_pointer (&self->summary, bb_database_summary_free);
  g_clear_pointer (&self->started, g_date_time_unref);
  g_free (self->output);
  G_OBJECT_CLASS (bb_backup_page_parent_class)->finalize (object);
}

static void
bb_backup_page_class_init (BbBackupPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bb_backup_page_dispose;
  object_class->finalize = bb_backup_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/babybuddy/Backup/ui/bb-backup-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BbBackupPage, database_group);
  gtk_widget_class_bind_template_child (widget_class, BbBackupPage, engine_label);
  gtk_widget_class_bind_template_child (widget_class, BbBackupPage, version_label);
  gtk_widget_class_bind_template_child (widget_class, BbBackupPage, children_label);
  gtk_widget_class_bind_template_child (widget_class, BbBackupPage, records_label);
  gtk_widget_class_bind_template_child (widget_class, BbBackupPage, last_backup_label);
  gtk_widget_class_bind_template_child (widget_class, BbBackupPage, media_switch);
  gtk_widget_class_bind_template_child (widget_class, BbBackupPage, media_folder_row);
  gtk_widget_class_bind_template_child (widget_class, BbBackupPage, action_stack);
  gtk_widget_class_bind_template_child (widget_class, BbBackupPage, backup_button);
  gtk_widget_class_bind_template_child (widget_class, BbBackupPage, progress_title);
  gtk_widget_class_bind_template_child (widget_class, BbBackupPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, BbBackupPage, progress_label);
  gtk_widget_class_bind_template_child (widget_class, BbBackupPage, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, backup_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, media_folder_clicked_cb);

}

static void
bb_backup_page_init (BbBackupPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->media_switch, "notify::active", G_CALLBACK (media_switch_changed_cb), self);
  show_summary (self);
  update_buttons (self);
}

void
bb_backup_page_setup (BbBackupPage      *self,
                      GSettings         *settings,
                      BbConnectionStore *store,
                      BbHistory         *history)
{
  g_return_if_fail (BB_IS_BACKUP_PAGE (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  g_set_object (&self->settings, settings);
  g_set_object (&self->store, store);
  g_set_object (&self->history, history);
  g_signal_connect_swapped (history, "changed", G_CALLBACK (history_changed_cb), self);
}

void
bb_backup_page_set_connection (BbBackupPage            *self,
                               const BbSavedConnection *connection,
                               const BbConnectionInfo  *info,
                               BbDatabaseSummary       *summary)
{
  g_autoptr(BbDatabaseSummary) given = summary;

  g_return_if_fail (BB_IS_BACKUP_PAGE (self));
  g_return_if_fail (self->settings != NULL);

  if (self->job != NULL)
    return;
  /* The caller may pass our own copies back to reload. */
  if (connection != self->connection)
    {
      BbSavedConnection *copy = connection ? bb_saved_connection_copy (connection) : NULL;

      g_clear_pointer (&self->connection, bb_saved_connection_free);
      self->connection = copy;
    }
  if (info != self->info)
    {
      BbConnectionInfo *copy = info ? bb_connection_info_copy (info) : NULL;

      g_clear_pointer (&self->info, bb_connection_info_free);
      self->info = copy;
    }
  adw_preferences_group_set_description (self->database_group, connection ? connection->label : NULL);
  g_signal_handlers_block_by_func (self->media_switch, media_switch_changed_cb, self);
  gtk_switch_set_active (self->media_switch, g_settings_get_boolean (self->settings, "include-media"));
  g_signal_handlers_unblock_by_func (self->media_switch, media_switch_changed_cb, self);
  update_media (self);
  update_last_backup (self);
  if (given == NULL)
    {
      reload_summary (self);
      return;
    }
  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  g_clear_pointer (&self->summary, bb_database_summary_free);
  self->summary = g_steal_pointer (&given);
  show_summary (self);
  update_buttons (self);
}

const BbDatabaseSummary *
bb_backup_page_get_summary (BbBackupPage *self)
{
  g_return_val_if_fail (BB_IS_BACKUP_PAGE (self), NULL);
  return self->summary;
}

void
bb_backup_page_back_up (BbBackupPage *self)
{
  GtkRoot *root;
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GtkFileFilter) filter = NULL;
  g_autofree char *name = NULL;

  g_return_if_fail (BB_IS_BACKUP_PAGE (self));

  if (self->job != NULL || self->chooser != NULL || self->summary == NULL)
    return;

  root = gtk_widget_get_root (GTK_WIDGET (self));
  self->chooser = gtk_file_chooser_native_new (_("Save Backup"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("Backups"));
  gtk_file_filter_add_pattern (filter, "*.zip");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  folder = default_folder (self);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), folder, NULL);
  name = default_file_name (self);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect (self->chooser, "response", G_CALLBACK (save_chosen_cb), self);
  update_buttons (self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

void
bb_backup_page_back_up_to (BbBackupPage *self,
                           GFile        *file)
{
  g_autofree char *path = NULL;

  g_return_if_fail (BB_IS_BACKUP_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  path = g_file_get_path (file);
  if (self->job != NULL || self->info == NULL || path == NULL)
    return;
  start_backup (self, path);
}

gboolean
bb_backup_page_is_busy (BbBackupPage *self)
{
  g_return_val_if_fail (BB_IS_BACKUP_PAGE (self), FALSE);
  return self->job != NULL;
}

GtkFileChooser *
bb_backup_page_get_chooser (BbBackupPage *self)
{
  g_return_val_if_fail (BB_IS_BACKUP_PAGE (self), NULL);
  return self->chooser ? GTK_FILE_CHOOSER (self->chooser) : NULL;
}
