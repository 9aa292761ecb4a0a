/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-restore-wizard.c: the restore wizard. One BbRestoreJob per chosen file:
 * its check (in a worker thread) fills the "inside" page or lists problems;
 * its run writes everything or nothing. Undo restores the safety backup the
 * run made, through the same pages. */

#define G_LOG_DOMAIN "bb-restore-wizard"

#include "config.h"

#include <glib/gi18n.h>

#include "bb-format.h"
#include "bb-restore-job.h"
#include "bb-restore-wizard.h"

struct _BbRestoreWizard
{
  AdwWindow             parent_instance;

  AdwWindowTitle       *window_title;
  GtkWidget            *back_button;
  GtkWidget            *next_button;
  GtkStack             *stack;
  GtkWidget            *choose_button;
  AdwStatusPage        *checking_status;
  GtkProgressBar       *check_progress;
  GtkListBox           *problems_list;
  AdwActionRow         *created_row;
  AdwActionRow         *source_row;
  AdwActionRow         *records_row;
  AdwActionRow         *users_row;
  AdwActionRow         *media_row;
  GtkListBox           *children_list;
  GtkWidget            *warnings_box;
  GtkListBox           *warnings_list;
  GtkCheckButton       *replace_check;
  GtkCheckButton       *merge_check;
  GtkWidget            *media_group;
  GtkSwitch            *media_switch;
  AdwActionRow         *media_folder_row;
  GtkWidget            *safety_note;
  AdwStatusPage        *confirm_status;
  GtkButton            *confirm_button;
  AdwStatusPage        *restoring_status;
  GtkProgressBar       *restore_progress;
  GtkLabel             *restore_label;
  GtkWidget            *cancel_button;
  AdwStatusPage        *done_status;
  GtkLabel             *safety_label;
  GtkWidget            *undo_button;
  AdwStatusPage        *failed_status;
  GtkLabel             *error_label;
  GtkWidget            *try_again_button;

  BbConnectionInfo     *target;
  char                 *label;
  char                 *media_folder;
  BbHistory            *history;

  GFile                *file;
  BbRestoreJob         *job;
  GCancellable         *cancellable;
  GtkFileChooserNative *chooser;
  GDateTime            *started;
  char                 *undo_file;       /* the safety backup of the last run */
  gboolean              undoing;
  gboolean              running;
  gboolean              close_when_done;
  gboolean              checking_merge;  /* checking again for a merge, then confirm */

  guint64               fail_after;
  char                 *safety_dir;
  gboolean              safety_dir_set;
};

G_DEFINE_FINAL_TYPE (BbRestoreWizard, bb_restore_wizard, ADW_TYPE_WINDOW)

enum {
  SIGNAL_RESTORED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
clear_list (GtkListBox *list)
{
  GtkWidget *row;

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, row);
}

static GtkWidget *
text_row (const char *icon_name,
          const char *text)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (text);
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  if (icon_name != NULL)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);

      gtk_widget_set_valign (icon, GTK_ALIGN_START);
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Warning"), -1);
      gtk_box_append (GTK_BOX (box), icon);
    }
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

static void
update_buttons (BbRestoreWizard *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);
  gboolean problems = gtk_widget_get_visible (GTK_WIDGET (self->problems_list));
  gboolean back, next;
  const char *title;

  back = g_strcmp0 (page, "inside") == 0 || g_strcmp0 (page, "options") == 0 ||
         g_strcmp0 (page, "confirm") == 0 || (g_strcmp0 (page, "checking") == 0 && problems);
  next = g_strcmp0 (page, "inside") == 0 || g_strcmp0 (page, "options") == 0 ||
         g_strcmp0 (page, "checking") == 0;
  gtk_widget_set_visible (self->back_button, back);
  gtk_widget_set_visible (self->next_button, next);
  /* Checking: Next stays there, insensitive, until the check is done (it then
   * moves on by itself) or found problems (it never will). */
  gtk_widget_set_sensitive (self->next_button, g_strcmp0 (page, "checking") != 0);

  if (g_strcmp0 (page, "choose") == 0)
    title = _("Choose a Backup");
  else if (g_strcmp0 (page, "checking") == 0)
    title = _("Checking");
  else if (g_strcmp0 (page, "inside") == 0)
    title = _("What Is Inside");
  else if (g_strcmp0 (page, "options") == 0)
    title = _("Options");
  else if (g_strcmp0 (page, "confirm") == 0)
    title = _("Confirm");
  else if (g_strcmp0 (page, "restoring") == 0)
    title = _("Restoring");
  else
    title = _("Restore a Backup");
  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, self->label);
}

static void
show_page (BbRestoreWizard *self,
           const char      *page)
{
  gtk_stack_set_visible_child_name (self->stack, page);
  update_buttons (self);
}

static void
add_history (BbRestoreWizard  *self,
             BbHistoryOutcome  outcome,
             const char       *message)
{
  const BbRestorePreview *preview = self->job ? bb_restore_job_get_preview (self->job) : NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_file_get_path (self->file);
  BbHistoryEntry entry = { 0 };

  if (self->history == NULL || self->started == NULL)
    return;
  info = g_file_query_info (self->file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL, NULL);
  entry.kind = BB_HISTORY_RESTORE;
  entry.time = self->started;
  entry.connection = self->label;
  entry.file = path;
  entry.size = info ? g_file_info_get_size (info) : 0;
  entry.records = outcome == BB_HISTORY_SUCCEEDED && preview ? preview->total_records
                                                              : bb_restore_job_get_records_done (self->job);
  entry.outcome = outcome;
  entry.message = (char *) message;
  entry.duration = g_date_time_difference (now, self->started) / (double) G_TIME_SPAN_SECOND;
  if (!bb_history_add (self->history, &entry, &error))
    g_warning ("The history could not be saved: %s", error->message);
}

static void
progress_changed_cb (BbRestoreWizard *self)
{
  guint64 done, total;
  g_autofree char *model = NULL;
  g_autofree char *text = NULL;

  if (self->job == NULL)
    return;
  done = bb_restore_job_get_records_done (self->job);
  total = bb_restore_job_get_records_total (self->job);
  model = bb_restore_job_dup_current_model (self->job);
  text = bb_format_progress (done, total, model);
  if (self->running)
    {
      if (total > 0)
        gtk_progress_bar_set_fraction (self->restore_progress, MIN (1.0, (double) done / total));
      gtk_label_set_label (self->restore_label, text);
    }
  else
    {
      if (total > 0)
        gtk_progress_bar_set_fraction (self->check_progress, MIN (1.0, (double) done / total));
      else
        gtk_progress_bar_pulse (self->check_progress);
      gtk_progress_bar_set_text (self->check_progress, text);
    }
}

static void
drop_job (BbRestoreWizard *self)
{
  if (self->job != NULL)
    g_signal_handlers_disconnect_by_data (self->job, self);
  g_clear_object (&self->job);
  g_clear_object (&self->cancellable);
}

/* A new job (replace mode) on file, in place of the last one. */
static void
load_job (BbRestoreWizard *self,
          GFile           *file)
{
  g_autofree char *path = g_file_get_path (file);

  drop_job (self);
  g_set_object (&self->file, file);
  self->job = bb_restore_job_new (path, self->target);
  self->cancellable = g_cancellable_new ();
  g_signal_connect_swapped (self->job, "notify::records-done", G_CALLBACK (progress_changed_cb), self);
  g_signal_connect_swapped (self->job, "notify::records-total", G_CALLBACK (progress_changed_cb), self);
  g_signal_connect_swapped (self->job, "notify::current-model", G_CALLBACK (progress_changed_cb), self);
}

static void
fill_inside (BbRestoreWizard        *self,
             const BbRestorePreview *preview)
{
  g_autofree char *records = bb_format_count (preview->total_records);
  g_autofree char *created = NULL;
  g_autofree char *source = NULL;
  g_autofree char *users = NULL;
  g_autofree char *media = NULL;

  if (preview->created != NULL)
    {
      g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (preview->created, NULL);
      g_autoptr(GDateTime) local = time ? g_date_time_to_local (time) : NULL;

      created = local ? g_date_time_format (local, "%x %X") : g_strdup (preview->created);
    }
  adw_action_row_set_subtitle (self->created_row,
                               created ? created : preview->is_fixture ? _("A Django fixture, no date")
                                                                     : _("Unknown"));
  if (preview->generator != NULL && created != NULL)
    {
      /* Translators: "24.11.2026 09:30:00 by Baby Buddy Backup 0.1.0". */
      g_autofree char *made = g_strdup_printf (_("%s by %s"), created, preview->generator);
      adw_action_row_set_subtitle (self->created_row, made);
    }
  /* Translators: "SQLite, Baby Buddy 2.10". */
  source = g_strdup_printf (_("%s, Baby Buddy %s"),
                            preview->source_engine ? preview->source_engine : _("unknown engine"),
                            preview->babybuddy_version ? preview->babybuddy_version : _("unknown"));
  adw_action_row_set_subtitle (self->source_row, source);
  adw_action_row_set_subtitle (self->records_row, records);
  users = bb_format_list (preview->users);
  adw_action_row_set_subtitle (self->users_row, users ? users : _("None"));
  if (preview->media_files > 0)
    {
      g_autofree char *size = g_format_size (preview->media_bytes);

      media = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u file, %s", "%u files, %s", preview->media_files),
                               preview->media_files, size);
    }
  adw_action_row_set_subtitle (self->media_row, media ? media : _("None"));

  clear_list (self->children_list);
  for (guint i = 0; i < preview->children->len; i++)
    {
      BbPreviewChild *child = g_ptr_array_index (preview->children, i);
      GtkWidget *row = adw_expander_row_new ();
      g_autofree char *entries = bb_format_count (child->entries);
      g_autofree char *subtitle = NULL;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), child->name);
      if (child->first_entry != NULL)
        /* Translators: "1,234 entries, 2026-01-02 – 2026-03-04". */
        subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s entry, %s – %s", "%s entries, %s – %s",
                                                 child->entries),
                                    entries, child->first_entry, child->last_entry);
      else
        subtitle = g_strdup (_("No entries"));
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
      for (guint j = 0; child->counts != NULL && j < child->counts->len; j++)
        {
          BbPreviewCount *count = g_ptr_array_index (child->counts, j);
          GtkWidget *count_row = adw_action_row_new ();
          g_autofree char *n = bb_format_count (count->count);
          GtkWidget *value = gtk_label_new (n);

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (count_row), bb_format_model_name (count->label));
          gtk_widget_add_css_class (value, "dim-label");
          adw_action_row_add_suffix (ADW_ACTION_ROW (count_row), value);
          adw_expander_row_add_row (ADW_EXPANDER_ROW (row), count_row);
        }
      gtk_list_box_append (self->children_list, row);
    }
  if (preview->children->len == 0)
    gtk_list_box_append (self->children_list, text_row (NULL, _("The backup holds no children.")));

  clear_list (self->warnings_list);
  for (guint i = 0; i < preview->warnings->len; i++)
    gtk_list_box_append (self->warnings_list,
                         text_row ("dialog-warning-symbolic", g_ptr_array_index (preview->warnings, i)));
  gtk_widget_set_visible (self->warnings_box, preview->warnings->len > 0);

  /* Media can be restored only into a folder, and only when there are any. */
  gtk_widget_set_visible (self->media_group, preview->media_files > 0);
  gtk_switch_set_active (self->media_switch, preview->media_files > 0 && self->media_folder != NULL);
  adw_action_row_set_subtitle (self->media_folder_row, self->media_folder ? self->media_folder : _("Not chosen yet"));
}

static void
show_problems (BbRestoreWizard *self,
               GPtrArray       *problems,
               const GError    *error)
{
  clear_list (self->problems_list);
  if (error != NULL)
    gtk_list_box_append (self->problems_list, text_row ("dialog-error-symbolic", error->message));
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    gtk_list_box_append (self->problems_list, text_row ("dialog-error-symbolic", g_ptr_array_index (problems, i)));
  gtk_widget_set_visible (GTK_WIDGET (self->problems_list), TRUE);
  adw_status_page_set_icon_name (self->checking_status, "dialog-error-symbolic");
  /* The database refused (read-only, unreachable, a wrong password): the
   * backup itself may be fine. */
  if (error != NULL && error->domain == BB_DATABASE_ERROR)
    {
      adw_status_page_set_title (self->checking_status, _("Cannot Restore Into This Database"));
      adw_status_page_set_description (self->checking_status,
                                       _("Nothing was changed. The backup may be fine: solve the problem below with the database, then try again."));
    }
  else if (self->checking_merge)
    {
      adw_status_page_set_title (self->checking_status, _("This Backup Cannot Be Merged"));
      adw_status_page_set_description (self->checking_status,
                                       _("Nothing was changed. Go back and choose Replace, or change the records named below in Baby Buddy."));
    }
  else
    {
      adw_status_page_set_title (self->checking_status, _("This Backup Cannot Be Restored"));
      adw_status_page_set_description (self->checking_status,
                                       _("Nothing was changed. Choose another backup, or make a new one."));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->check_progress), FALSE);
  update_buttons (self);
}

static void run_job (BbRestoreWizard *self);
static void update_confirm (BbRestoreWizard *self);

static void
checked_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(BbRestoreWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  const BbRestorePreview *preview;

  if (BB_RESTORE_JOB (source) != self->job)
    return;
  preview = bb_restore_job_check_finish (self->job, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (preview == NULL || preview->problems->len > 0)
    {
      if (self->undoing)
        {
          self->undoing = FALSE;
          adw_status_page_set_title (self->failed_status, _("Undo Failed"));
          gtk_label_set_label (self->error_label, error ? error->message
                               : (char *) g_ptr_array_index (preview->problems, 0));
          show_page (self, "failed");
          return;
        }
      show_problems (self, preview ? preview->problems : NULL, error);
      return;
    }
  if (self->undoing)
    {
      run_job (self);
      return;
    }
  if (self->checking_merge)
    {
      update_confirm (self);
      show_page (self, "confirm");
      return;
    }
  fill_inside (self, preview);
  show_page (self, "inside");
}

static void start_check (BbRestoreWizard *self);

static void
check_file (BbRestoreWizard *self,
            GFile           *file)
{
  load_job (self, file);
  self->checking_merge = FALSE;
  start_check (self);
}

/* Runs the job's check with the checking page shown. */
static void
start_check (BbRestoreWizard *self)
{
  g_autofree char *name = g_file_get_basename (self->file);

  gtk_widget_set_visible (GTK_WIDGET (self->problems_list), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->check_progress), TRUE);
  gtk_progress_bar_set_fraction (self->check_progress, 0.0);
  gtk_progress_bar_set_text (self->check_progress, NULL);
  adw_status_page_set_icon_name (self->checking_status, "system-search-symbolic");
  adw_status_page_set_title (self->checking_status, _("Checking the Backup…"));
  adw_status_page_set_description (self->checking_status, name);
  show_page (self, "checking");
  bb_restore_job_check_async (self->job, self->cancellable, checked_cb, g_object_ref (self));
}

static void
ran_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(BbRestoreWizard) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean undo = self->undoing;

  self->running = FALSE;
  self->undoing = FALSE;
  gtk_widget_set_sensitive (self->cancel_button, TRUE);
  if (bb_restore_job_run_finish (BB_RESTORE_JOB (source), result, &error))
    {
      const BbRestorePreview *preview = bb_restore_job_get_preview (self->job);
      const char *safety = bb_restore_job_get_safety_backup (self->job);
      g_autofree char *records = bb_format_count (preview->total_records);
      g_autofree char *description = NULL;

      add_history (self, BB_HISTORY_SUCCEEDED, NULL);
      g_free (self->undo_file);
      self->undo_file = undo ? NULL : g_strdup (safety);
      adw_status_page_set_title (self->done_status, undo ? _("Restore Undone") : _("Restore Complete"));
      /* Translators: "94,687 records are now in db.sqlite3." */
      description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s record is now in %s.",
                                                  "%s records are now in %s.", preview->total_records),
                                     records, self->label);
      adw_status_page_set_description (self->done_status,
                                       undo ? _("The database holds what it held before the restore.") : description);
      if (self->undo_file != NULL)
        {
          /* Translators: %s is a file's path. */
          g_autofree char *text = g_strdup_printf (_("The data it held before was saved in %s."), self->undo_file);
          gtk_label_set_label (self->safety_label, text);
        }
      gtk_widget_set_visible (GTK_WIDGET (self->safety_label), self->undo_file != NULL);
      gtk_widget_set_visible (self->undo_button, self->undo_file != NULL);
      show_page (self, "done");
      g_signal_emit (self, signals[SIGNAL_RESTORED], 0);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      add_history (self, BB_HISTORY_CANCELLED, _("The restore was cancelled."));
      adw_status_page_set_title (self->failed_status, _("Restore Cancelled"));
      gtk_label_set_label (self->error_label, "");
      show_page (self, "failed");
    }
  else
    {
      add_history (self, BB_HISTORY_FAILED, error->message);
      adw_status_page_set_title (self->failed_status, undo ? _("Undo Failed") : _("Restore Failed"));
      gtk_label_set_label (self->error_label, error->message);
      show_page (self, "failed");
    }
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), gtk_label_get_label (self->error_label)[0] != '\0');
  if (self->close_when_done)
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
run_job (BbRestoreWizard *self)
{
  g_clear_pointer (&self->started, g_date_time_unref);
  self->started = g_date_time_new_now_utc ();
  self->running = TRUE;
  if (self->fail_after > 0)
    bb_restore_job_set_fail_after (self->job, self->fail_after);
  if (self->undoing)
    bb_restore_job_set_safety_dir (self->job, NULL);
  else if (self->safety_dir_set)
    bb_restore_job_set_safety_dir (self->job, self->safety_dir);
  gtk_progress_bar_set_fraction (self->restore_progress, 0.0);
  gtk_label_set_label (self->restore_label, _("Checking the backup once more…"));
  adw_status_page_set_title (self->restoring_status, self->undoing ? _("Undoing the Restore…") : _("Restoring…"));
  show_page (self, "restoring");
  bb_restore_job_run_async (self->job, self->cancellable, ran_cb, g_object_ref (self));
}

static void
update_confirm (BbRestoreWizard *self)
{
  const BbRestorePreview *preview = bb_restore_job_get_preview (self->job);
  gboolean merge = gtk_check_button_get_active (self->merge_check);
  /* The button's label has a mnemonic: an underscore in the name is text. */
  g_auto(GStrv) parts = g_strsplit (self->label, "_", -1);
  g_autofree char *label = g_strjoinv ("__", parts);
  g_autofree char *button = NULL;
  g_autofree char *description = NULL;
  g_autofree char *records = bb_format_count (preview->total_records);

  if (merge)
    {
      /* Translators: the confirm button; %s names the database, like "db.sqlite3". */
      button = g_strdup_printf (_("_Merge into %s"), label);
      g_autofree char *overwrites = bb_format_count (preview->merge_overwrites);

      /* Translators: "94,687 records from the backup go into db.sqlite3; 120 of them replace ..." */
      description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                  "%s records from the backup go into %s; %s of them replaces the record with the same ID there. Everything else stays.",
                                                  "%s records from the backup go into %s; %s of them replace the records with the same IDs there. Everything else stays.",
                                                  preview->merge_overwrites),
                                     records, self->label, overwrites);
    }
  else
    {
      g_autofree char *now = bb_format_count (preview->target_records);

      /* Translators: the confirm button; %s names the database, like "db.sqlite3". */
      button = g_strdup_printf (_("_Replace Data in %s"), label);
      description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                  "%s holds %s record now; it will be removed and replaced by the backup’s %s. A safety backup is made first.",
                                                  "%s holds %s records now; they will be removed and replaced by the backup’s %s. A safety backup is made first.",
                                                  preview->target_records),
                                     self->label, now, records);
    }
  gtk_button_set_label (self->confirm_button, button);
  adw_status_page_set_description (self->confirm_status, description);
}

static void
next_clicked_cb (BbRestoreWizard *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  if (g_strcmp0 (page, "inside") == 0)
    show_page (self, "options");
  else if (g_strcmp0 (page, "options") == 0)
    {
      BbRestoreMode mode = gtk_check_button_get_active (self->merge_check)
                           ? BB_RESTORE_MODE_MERGE : BB_RESTORE_MODE_REPLACE;

      /* What a merge would overwrite, and its conflicts with unique fields,
       * are only known from a check in merge mode: check again first. */
      self->checking_merge = mode == BB_RESTORE_MODE_MERGE;
      if (mode != bb_restore_job_get_mode (self->job))
        {
          bb_restore_job_set_mode (self->job, mode);
          if (self->checking_merge)
            {
              start_check (self);
              return;
            }
        }
      update_confirm (self);
      show_page (self, "confirm");
    }
}

static void
back_clicked_cb (BbRestoreWizard *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  if (g_strcmp0 (page, "confirm") == 0 ||
      (g_strcmp0 (page, "checking") == 0 && self->checking_merge))
    {
      self->checking_merge = FALSE;
      show_page (self, "options");
    }
  else if (g_strcmp0 (page, "options") == 0)
    show_page (self, "inside");
  else
    {
      drop_job (self);
      show_page (self, "choose");
    }
}

static void
confirm_clicked_cb (BbRestoreWizard *self)
{
  gboolean merge = gtk_check_button_get_active (self->merge_check);

  bb_restore_job_set_mode (self->job, merge ? BB_RESTORE_MODE_MERGE : BB_RESTORE_MODE_REPLACE);
  bb_restore_job_set_media_dir (self->job,
                                gtk_switch_get_active (self->media_switch) && gtk_widget_get_visible (self->media_group)
                                ? self->media_folder : NULL);
  run_job (self);
}

static void
cancel_clicked_cb (BbRestoreWizard *self)
{
  g_cancellable_cancel (self->cancellable);
  gtk_widget_set_sensitive (self->cancel_button, FALSE);
  gtk_label_set_label (self->restore_label, _("Cancelling; putting everything back…"));
}

static void
undo_clicked_cb (BbRestoreWizard *self)
{
  g_autoptr(GFile) file = NULL;

  if (self->undo_file == NULL)
    return;
  file = g_file_new_for_path (self->undo_file);
  g_clear_pointer (&self->undo_file, g_free);
  load_job (self, file);
  self->undoing = TRUE;
  adw_status_page_set_title (self->restoring_status, _("Undoing the Restore…"));
  gtk_label_set_label (self->restore_label, _("Checking the safety backup…"));
  show_page (self, "restoring");
  self->running = FALSE;
  bb_restore_job_check_async (self->job, self->cancellable, checked_cb, g_object_ref (self));
}

static void
try_again_clicked_cb (BbRestoreWizard *self)
{
  drop_job (self);
  show_page (self, "choose");
}

static void
mode_changed_cb (BbRestoreWizard *self)
{
  gtk_widget_set_visible (self->safety_note, !gtk_check_button_get_active (self->merge_check) &&
                                              gtk_check_button_get_active (self->replace_check));
}

static void
media_changed_cb (BbRestoreWizard *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->media_folder_row), gtk_switch_get_active (self->media_switch));
}

static void
file_chosen_cb (GtkNativeDialog *dialog,
                int              response,
                BbRestoreWizard *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  gtk_native_dialog_destroy (dialog);
  g_clear_object (&self->chooser);
  if (file != NULL)
    check_file (self, file);
}

static void
choose_clicked_cb (BbRestoreWizard *self)
{
  g_autoptr(GtkFileFilter) backups = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Choose a Backup"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_filter_set_name (backups, _("Backups"));
  gtk_file_filter_add_pattern (backups, "*.zip");
  gtk_file_filter_add_pattern (backups, "*.json");
  gtk_file_filter_add_pattern (backups, "*.json.gz");
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), backups);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), all);
  g_signal_connect (self->chooser, "response", G_CALLBACK (file_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
media_folder_chosen_cb (GtkNativeDialog *dialog,
                        int              response,
                        BbRestoreWizard *self)
{
  g_autoptr(GFile) folder = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  gtk_native_dialog_destroy (dialog);
  g_clear_object (&self->chooser);
  if (folder != NULL && g_file_get_path (folder) != NULL)
    {
      g_free (self->media_folder);
      self->media_folder = g_file_get_path (folder);
      adw_action_row_set_subtitle (self->media_folder_row, self->media_folder);
      gtk_switch_set_active (self->media_switch, TRUE);
    }
}

static void
media_folder_clicked_cb (BbRestoreWizard *self)
{
  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Choose Baby Buddy’s Media Folder"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect (self->chooser, "response", G_CALLBACK (media_folder_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static gboolean
file_dropped_cb (GtkDropTarget   *target,
                 const GValue    *value,
                 double           x,
                 double           y,
                 BbRestoreWizard *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);
  GFile *file = g_value_get_object (value);

  /* A drop never replaces a file that is about to be restored. */
  if (file == NULL || self->running ||
      !(g_strcmp0 (page, "choose") == 0 || g_strcmp0 (page, "failed") == 0 ||
        (g_strcmp0 (page, "checking") == 0 && gtk_widget_get_visible (GTK_WIDGET (self->problems_list)))))
    return FALSE;
  check_file (self, file);
  return TRUE;
}

static void
stop_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  BbRestoreWizard  *self)
{
  if (g_strcmp0 (response, "cancel") != 0 || !self->running)
    return;
  self->close_when_done = TRUE;
  cancel_clicked_cb (self);
}

static gboolean
bb_restore_wizard_close_request (GtkWindow *window)
{
  BbRestoreWizard *self = BB_RESTORE_WIZARD (window);
  GtkWidget *dialog;

  if (!self->running)
    return GTK_WINDOW_CLASS (bb_restore_wizard_parent_class)->close_request (window);

  /* The restore is all or nothing: closing means cancelling it first. */
  dialog = adw_message_dialog_new (window, _("Cancel the Restore?"),
                                   _("Nothing has been changed yet. If you cancel, the database stays as it was."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "continue", _("_Continue Restoring"),
                                    "cancel", _("C_ancel Restore"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "cancel", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "continue");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "continue");
  g_signal_connect_object (dialog, "response", G_CALLBACK (stop_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

static void
bb_restore_wizard_dispose (GObject *object)
{
  BbRestoreWizard *self = BB_RESTORE_WIZARD (object);

  g_cancellable_cancel (self->cancellable);
  drop_job (self);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), BB_TYPE_RESTORE_WIZARD);
  G_OBJECT_CLASS (bb_restore_wizard_parent_class)->dispose (object);
}

static void
bb_restore_wizard_finalize (GObject *object)
{
  BbRestoreWizard *self = BB_RESTORE_WIZARD (object);

  g_clear_pointer (&self->target, bb_connection_info_free);
  g_free (self->label);
  g_free (self->media_folder);
  g_clear_object (&self->history);
  g_clear_object (&self->file);
  g_clear_pointer (&self->started, g_date_time_unref);
  g_free (self->undo_file);
  g_free (self->safety_dir);
  G_OBJECT_CLASS (bb_restore_wizard_parent_class)->finalize (object);
}

static void
bb_restore_wizard_class_init (BbRestoreWizardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = bb_restore_wizard_dispose;
  object_class->finalize = bb_restore_wizard_finalize;
  window_class->close_request = bb_restore_wizard_close_request;

  signals[SIGNAL_RESTORED] = g_signal_new ("restored", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/babybuddy/Backup/ui/bb-restore-wizard.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, BbRestoreWizard, name)
  BIND (window_title);
  BIND (back_button);
  BIND (next_button);
  BIND (stack);
  BIND (choose_button);
  BIND (checking_status);
  BIND (check_progress);
  BIND (problems_list);
  BIND (created_row);
  BIND (source_row);
  BIND (records_row);
  BIND (users_row);
  BIND (media_row);
  BIND (children_list);
  BIND (warnings_box);
  BIND (warnings_list);
  BIND (replace_check);
  BIND (merge_check);
  BIND (media_group);
  BIND (media_switch);
  BIND (media_folder_row);
  BIND (safety_note);
  BIND (confirm_status);
  BIND (confirm_button);
  BIND (restoring_status);
  BIND (restore_progress);
  BIND (restore_label);
  BIND (cancel_button);
  BIND (done_status);
  BIND (safety_label);
  BIND (undo_button);
  BIND (failed_status);
  BIND (error_label);
  BIND (try_again_button);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, next_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, choose_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, confirm_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, undo_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, try_again_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, mode_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, media_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, media_folder_clicked_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
bb_restore_wizard_init (BbRestoreWizard *self)
{
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));
  drop = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (file_dropped_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  update_buttons (self);
}

BbRestoreWizard *
bb_restore_wizard_new (GtkWindow              *parent,
                       const BbConnectionInfo *target,
                       const char             *label,
                       const char             *media_folder,
                       BbHistory              *history)
{
  BbRestoreWizard *self;

  g_return_val_if_fail (target != NULL, NULL);

  self = g_object_new (BB_TYPE_RESTORE_WIZARD, "transient-for", parent, "modal", TRUE, NULL);
  self->target = bb_connection_info_copy (target);
  self->label = g_strdup (label ? label : "");
  self->media_folder = g_strdup (media_folder);
  self->history = history ? g_object_ref (history) : NULL;
  update_buttons (self);
  return self;
}

void
bb_restore_wizard_open_file (BbRestoreWizard *self,
                             GFile           *file)
{
  g_return_if_fail (BB_IS_RESTORE_WIZARD (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->running)
    return;
  check_file (self, file);
}

const char *
bb_restore_wizard_get_page (BbRestoreWizard *self)
{
  g_return_val_if_fail (BB_IS_RESTORE_WIZARD (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

GtkFileChooser *
bb_restore_wizard_get_chooser (BbRestoreWizard *self)
{
  g_return_val_if_fail (BB_IS_RESTORE_WIZARD (self), NULL);
  return self->chooser ? GTK_FILE_CHOOSER (self->chooser) : NULL;
}

void
bb_restore_wizard_set_fail_after (BbRestoreWizard *self,
                                  guint64          records)
{
  g_return_if_fail (BB_IS_RESTORE_WIZARD (self));
  self->fail_after = records;
}

void
bb_restore_wizard_set_safety_dir (BbRestoreWizard *self,
                                  const char      *folder)
{
  g_return_if_fail (BB_IS_RESTORE_WIZARD (self));
  g_free (self->safety_dir);
  self->safety_dir = g_strdup (folder);
  self->safety_dir_set = TRUE;
}
