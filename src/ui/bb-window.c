/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-window.c: the main window. With no database it welcomes the user with
 * three ways to choose one; then it connects (in a worker thread, through the
 * engine's summary), shows the Back Up and History pages, and opens the
 * restore wizard, the preferences and the connection dialog. */

#define G_LOG_DOMAIN "bb-window"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "bb-connection-dialog.h"
#include "bb-demo.h"
#include "bb-file-manager.h"
#include "bb-history-page.h"
#include "bb-preferences-window.h"
#include "bb-window.h"

/* Rows in the demo database the welcome page offers: enough to look real,
 * quick to make. */
#define DEMO_ROWS 20000

struct _BbWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  GtkMenuButton        *connection_button;
  GtkWidget            *menu_button;
  GtkWidget            *open_file_button;
  GtkWidget            *connect_server_button;
  GtkWidget            *demo_button;
  GtkWidget            *retry_button;
  GtkStack             *main_stack;
  AdwStatusPage        *welcome_page;
  AdwStatusPage        *connecting_page;
  GtkSpinner           *connecting_spinner;
  AdwStatusPage        *error_page;
  GtkWidget            *edit_connection_button;
  AdwViewStack         *view_stack;
  BbBackupPage         *backup_page;
  BbHistoryPage        *history_page;

  GSettings            *settings;
  BbConnectionStore    *store;
  BbHistory            *history;
  GMenu                *connections_menu;

  BbSavedConnection    *connection;     /* the one shown, or being connected to */
  BbConnectionInfo     *info;           /* its place with the password, once connected */
  GCancellable         *connecting;
  GtkNativeDialog      *chooser;
  gboolean              close_confirmed;
};

G_DEFINE_FINAL_TYPE (BbWindow, bb_window, ADW_TYPE_APPLICATION_WINDOW)

static void connect_active (BbWindow *self);

static BbConnectionInfo *
sqlite_info_new (const char *path)
{
  BbConnectionInfo *info = g_new0 (BbConnectionInfo, 1);

  info->engine = BB_ENGINE_SQLITE;
  info->path = g_strdup (path);
  return info;
}

static void
set_state (BbWindow   *self,
           const char *state)
{
  gboolean main = g_strcmp0 (state, "main") == 0;

  gtk_stack_set_visible_child_name (self->main_stack, state);
  gtk_spinner_set_spinning (self->connecting_spinner, g_strcmp0 (state, "connecting") == 0);
  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, main);
  adw_view_switcher_bar_set_reveal (self->switcher_bar,
                                    main && adw_view_switcher_title_get_title_visible (self->switcher_title));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.backup", main);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.restore", main);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.restore-file", main);
}

static void
rebuild_connections_menu (BbWindow *self)
{
  g_autoptr(GPtrArray) all = bb_connection_store_dup_all (self->store);
  g_autoptr(GMenu) saved = g_menu_new ();
  g_autoptr(GMenu) add = g_menu_new ();
  g_autoptr(GMenu) remove = g_menu_new ();

  g_menu_remove_all (self->connections_menu);
  for (guint i = 0; i < all->len; i++)
    {
      BbSavedConnection *connection = g_ptr_array_index (all, i);
      g_autoptr(GMenuItem) item = g_menu_item_new (connection->label, NULL);

      g_menu_item_set_action_and_target_value (item, "win.switch-connection",
                                               g_variant_new_string (connection->id));
      g_menu_append_item (saved, item);
    }
  g_menu_append (add, _("Open a Database _File…"), "win.open-database");
  g_menu_append (add, _("Connect to a _Server…"), "win.connect-server");
  g_menu_append (add, _("_Demo Database"), "win.try-demo");
  g_menu_append (remove, _("_Forget This Database"), "win.forget-connection");

  if (all->len > 0)
    g_menu_append_section (self->connections_menu, _("Databases"), G_MENU_MODEL (saved));
  g_menu_append_section (self->connections_menu, NULL, G_MENU_MODEL (add));
  if (self->connection != NULL)
    g_menu_append_section (self->connections_menu, NULL, G_MENU_MODEL (remove));
  gtk_widget_set_visible (GTK_WIDGET (self->connection_button), all->len > 0);
}

static void
show_error (BbWindow     *self,
            const GError *error)
{
  gboolean server = self->connection != NULL && self->connection->info->engine != BB_ENGINE_SQLITE;
  g_autofree char *title = NULL;

  /* Translators: %s is a database's name, like "db.sqlite3" or "babybuddy on db.example". */
  title = g_strdup_printf (_("Cannot Open “%s”"), self->connection ? self->connection->label : "");
  adw_status_page_set_title (self->error_page, title);
  adw_status_page_set_description (self->error_page, error->message);
  gtk_widget_set_visible (self->edit_connection_button, server);
  set_state (self, "error");
}

static void
summary_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(BbWindow) self = user_data;
  g_autoptr(BbDatabaseSummary) summary = NULL;
  g_autoptr(GError) error = NULL;

  summary = bb_database_summary_load_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->connecting);
  if (summary == NULL)
    {
      show_error (self, error);
      return;
    }
  /* The summary that proved the connection is the one the page shows. */
  bb_backup_page_set_connection (self->backup_page, self->connection, self->info, g_steal_pointer (&summary));
  set_state (self, "main");
}

static void
connect_with_password (BbWindow   *self,
                       const char *password)
{
  g_clear_pointer (&self->info, bb_connection_info_free);
  self->info = bb_connection_info_copy (self->connection->info);
  bb_connection_info_set_password (self->info, password);
  bb_database_summary_load_async (self->info, self->connecting, summary_loaded_cb, g_object_ref (self));
}

static void
password_looked_up_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(BbWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;

  password = bb_connection_store_lookup_password_finish (BB_CONNECTION_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    {
      g_clear_object (&self->connecting);
      show_error (self, error);
      return;
    }
  connect_with_password (self, password);
}

static void
connect_active (BbWindow *self)
{
  g_autofree char *title = NULL;

  g_cancellable_cancel (self->connecting);
  g_clear_object (&self->connecting);
  g_clear_pointer (&self->connection, bb_saved_connection_free);
  g_clear_pointer (&self->info, bb_connection_info_free);
  bb_backup_page_set_connection (self->backup_page, NULL, NULL, NULL);

  self->connection = bb_connection_store_dup_active (self->store);
  rebuild_connections_menu (self);
  if (self->connection == NULL)
    {
      set_state (self, "welcome");
      return;
    }

  /* Translators: %s is a database's name, like "db.sqlite3". */
  title = g_strdup_printf (_("Opening “%s”…"), self->connection->label);
  adw_status_page_set_title (self->connecting_page, title);
  adw_status_page_set_description (self->connecting_page, NULL);
  set_state (self, "connecting");

  self->connecting = g_cancellable_new ();
  if (self->connection->info->engine == BB_ENGINE_SQLITE)
    connect_with_password (self, NULL);
  else
    bb_connection_store_lookup_password_async (self->store, self->connection->id, self->connecting,
                                               password_looked_up_cb, g_object_ref (self));
}

typedef struct {
  BbWindow         *self;
  BbConnectionInfo *info;
  char             *id;
} AddData;

static void
add_data_free (AddData *data)
{
  g_object_unref (data->self);
  bb_connection_info_free (data->info);
  g_free (data->id);
  g_free (data);
}

static void
password_stored_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  AddData *data = user_data;
  BbWindow *self = data->self;
  g_autoptr(GError) error = NULL;

  if (!bb_connection_store_store_password_finish (BB_CONNECTION_STORE (source), result, &error))
    {
      AdwToast *toast = adw_toast_new (error->message);

      adw_toast_set_timeout (toast, 0);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
    }
  bb_connection_store_set_active (self->store, data->id);
  connect_active (self);
  add_data_free (data);
}

static void
demo_created_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(BbWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BbConnectionInfo) info = NULL;
  const char *path;

  path = g_task_propagate_pointer (G_TASK (result), &error);
  if (path == NULL)
    {
      g_autoptr(GError) shown = g_error_new (error->domain, error->code,
                                             _("The demo database could not be created: %s"),
                                             error->message);
      g_clear_pointer (&self->connection, bb_saved_connection_free);
      show_error (self, shown);
      return;
    }
  info = sqlite_info_new (path);
  bb_window_add_connection (self, info, _("Demo database"));
}

static void
create_demo_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  const char *path = task_data;
  g_autofree char *partial = g_strconcat (path, ".partial", NULL);
  g_autofree char *folder = g_path_get_dirname (path);
  GError *error = NULL;

  /* Made under another name and renamed, so a half-made demo is never used. */
  g_mkdir_with_parents (folder, 0700);
  g_unlink (partial);
  if (!bb_demo_create (partial, DEMO_ROWS, 1, cancellable, &error) ||
      g_rename (partial, path) != 0)
    {
      g_unlink (partial);
      if (error == NULL)
        error = g_error_new (G_IO_ERROR, g_io_error_from_errno (errno), "%s", g_strerror (errno));
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_strdup (path), g_free);
}

static void
try_demo_activated_cb (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  BbWindow *self = BB_WINDOW (widget);
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "babybuddy-backup", "demo.sqlite3", NULL);
  g_autoptr(GTask) task = NULL;

  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autoptr(BbConnectionInfo) info = sqlite_info_new (path);

      bb_window_add_connection (self, info, _("Demo database"));
      return;
    }

  adw_status_page_set_title (self->connecting_page, _("Creating the Demo Database…"));
  adw_status_page_set_description (self->connecting_page,
                                   _("Made-up children with a few weeks of feedings, sleep and diaper changes."));
  set_state (self, "connecting");
  task = g_task_new (NULL, NULL, demo_created_cb, g_object_ref (self));
  g_task_set_source_tag (task, try_demo_activated_cb);
  g_task_set_task_data (task, g_steal_pointer (&path), g_free);
  g_task_run_in_thread (task, create_demo_thread);
}

static void
database_chosen_cb (GtkNativeDialog *dialog,
                    int              response,
                    gpointer         user_data)
{
  BbWindow *self = user_data;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_clear_object (&self->chooser);
  path = file ? g_file_get_path (file) : NULL;
  if (path != NULL)
    {
      g_autoptr(BbConnectionInfo) info = sqlite_info_new (path);

      bb_window_add_connection (self, info, NULL);
    }
}

static void
open_database_activated_cb (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  BbWindow *self = BB_WINDOW (widget);
  GtkFileChooserNative *native;
  g_autoptr(GtkFileFilter) sqlite = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  native = gtk_file_chooser_native_new (_("Open a Baby Buddy Database"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (sqlite, _("SQLite databases"));
  gtk_file_filter_add_pattern (sqlite, "*.sqlite3");
  gtk_file_filter_add_pattern (sqlite, "*.sqlite");
  gtk_file_filter_add_pattern (sqlite, "*.db");
  gtk_file_filter_add_mime_type (sqlite, "application/vnd.sqlite3");
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), sqlite);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), all);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);

  g_clear_object (&self->chooser);
  self->chooser = GTK_NATIVE_DIALOG (native);
  g_signal_connect (native, "response", G_CALLBACK (database_chosen_cb), self);
  gtk_native_dialog_show (self->chooser);
}

static void
dialog_connected_cb (BbConnectionDialog *dialog,
                     BbConnectionInfo   *info,
                     BbWindow           *self)
{
  bb_window_add_connection (self, info, NULL);
}

static void
open_connection_dialog (BbWindow               *self,
                        const BbConnectionInfo *initial)
{
  BbConnectionDialog *dialog = bb_connection_dialog_new (GTK_WINDOW (self), initial);

  g_signal_connect_object (dialog, "connected", G_CALLBACK (dialog_connected_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
connect_server_activated_cb (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  open_connection_dialog (BB_WINDOW (widget), NULL);
}

static void
edit_connection_activated_cb (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  BbWindow *self = BB_WINDOW (widget);

  if (self->connection != NULL && self->connection->info->engine != BB_ENGINE_SQLITE)
    open_connection_dialog (self, self->info ? self->info : self->connection->info);
  else
    gtk_widget_activate_action (widget, "win.open-database", NULL);
}

static void
reconnect_activated_cb (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  connect_active (BB_WINDOW (widget));
}

static void
show_welcome_activated_cb (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  BbWindow *self = BB_WINDOW (widget);

  g_cancellable_cancel (self->connecting);
  set_state (self, "welcome");
}

static void
switch_connection_activated_cb (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  BbWindow *self = BB_WINDOW (widget);

  if (bb_backup_page_is_busy (self->backup_page))
    return;
  bb_connection_store_set_active (self->store, g_variant_get_string (parameter, NULL));
  connect_active (self);
}

static void
forget_connection_activated_cb (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  BbWindow *self = BB_WINDOW (widget);

  if (self->connection == NULL || bb_backup_page_is_busy (self->backup_page))
    return;
  bb_connection_store_remove (self->store, self->connection->id);
  connect_active (self);
}

static void
wizard_restored_cb (BbRestoreWizard *wizard,
                    BbWindow        *self)
{
  /* The database changed: show its new figures. */
  bb_backup_page_set_connection (self->backup_page, self->connection, self->info, NULL);
}

static void
restore_activated_cb (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  bb_window_open_restore_wizard (BB_WINDOW (widget), NULL);
}

static void
restore_file_activated_cb (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  g_autoptr(GFile) file = g_file_new_for_path (g_variant_get_string (parameter, NULL));

  bb_window_open_restore_wizard (BB_WINDOW (widget), file);
}

static void
backup_activated_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  BbWindow *self = BB_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "backup");
  bb_backup_page_back_up (self->backup_page);
}

static void
show_file_activated_cb (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  bb_show_in_file_manager (GTK_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
preferences_activated_cb (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  BbWindow *self = BB_WINDOW (widget);
  BbPreferencesWindow *preferences;

  preferences = bb_preferences_window_new (GTK_WINDOW (self), self->settings,
                                           bb_backup_page_get_summary (self->backup_page));
  gtk_window_present (GTK_WINDOW (preferences));
}

static gboolean
file_dropped_cb (GtkDropTarget *target,
                 const GValue  *value,
                 double         x,
                 double         y,
                 BbWindow      *self)
{
  GFile *file = g_value_get_object (value);

  if (file == NULL || g_strcmp0 (bb_window_get_state (self), "main") != 0)
    return FALSE;
  bb_window_open_restore_wizard (self, file);
  return TRUE;
}

static void
title_visible_changed_cb (BbWindow *self)
{
  adw_view_switcher_bar_set_reveal (self->switcher_bar,
                                    g_strcmp0 (bb_window_get_state (self), "main") == 0 &&
                                    adw_view_switcher_title_get_title_visible (self->switcher_title));
}

static void
stop_backup_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         BbWindow         *self)
{
  if (g_strcmp0 (response, "stop") != 0)
    return;
  self->close_confirmed = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
bb_window_close_request (GtkWindow *window)
{
  BbWindow *self = BB_WINDOW (window);
  int width, height;

  if (bb_backup_page_is_busy (self->backup_page) && !self->close_confirmed)
    {
      GtkWidget *dialog = adw_message_dialog_new (window, _("Stop the Backup?"),
                                                  _("The backup is not finished. If you stop it now, "
                                                    "no backup file is kept."));

      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "continue", _("_Continue Backing Up"),
                                        "stop", _("_Stop and Quit"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "stop",
                                                  ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "continue");
      adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "continue");
      g_signal_connect_object (dialog, "response", G_CALLBACK (stop_backup_response_cb), self, 0);
      gtk_window_present (GTK_WINDOW (dialog));
      return TRUE;
    }

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  return GTK_WINDOW_CLASS (bb_window_parent_class)->close_request (window);
}

static void
bb_window_dispose (GObject *object)
{
  BbWindow *self = BB_WINDOW (object);

  g_cancellable_cancel (self->connecting);
  g_clear_object (&self->connecting);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), BB_TYPE_WINDOW);
  G_OBJECT_CLASS (bb_window_parent_class)->dispose (object);
}

static void
bb_window_finalize (GObject *object)
{
  BbWindow *self = BB_WINDOW (object);

  g_clear_pointer (&self->connection, bb_saved_connection_free);
  g_clear_pointer (&self->info, bb_connection_info_free);
  g_clear_object (&self->connections_menu);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_object (&self->history);
  G_OBJECT_CLASS (bb_window_parent_class)->finalize (object);
}

static void
bb_window_class_init (BbWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = bb_window_dispose;
  object_class->finalize = bb_window_finalize;
  window_class->close_request = bb_window_close_request;

  g_type_ensure (BB_TYPE_BACKUP_PAGE);
  g_type_ensure (BB_TYPE_HISTORY_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/babybuddy/Backup/ui/bb-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BbWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BbWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, BbWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, BbWindow, connection_button);
  gtk_widget_class_bind_template_child (widget_class, BbWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, BbWindow, open_file_button);
  gtk_widget_class_bind_template_child (widget_class, BbWindow, connect_server_button);
  gtk_widget_class_bind_template_child (widget_class, BbWindow, demo_button);
  gtk_widget_class_bind_template_child (widget_class, BbWindow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, BbWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, BbWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, BbWindow, connecting_page);
  gtk_widget_class_bind_template_child (widget_class, BbWindow, connecting_spinner);
  gtk_widget_class_bind_template_child (widget_class, BbWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, BbWindow, edit_connection_button);
  gtk_widget_class_bind_template_child (widget_class, BbWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, BbWindow, backup_page);
  gtk_widget_class_bind_template_child (widget_class, BbWindow, history_page);

  gtk_widget_class_install_action (widget_class, "win.open-database", NULL, open_database_activated_cb);
  gtk_widget_class_install_action (widget_class, "win.connect-server", NULL, connect_server_activated_cb);
  gtk_widget_class_install_action (widget_class, "win.try-demo", NULL, try_demo_activated_cb);
  gtk_widget_class_install_action (widget_class, "win.edit-connection", NULL, edit_connection_activated_cb);
  gtk_widget_class_install_action (widget_class, "win.reconnect", NULL, reconnect_activated_cb);
  gtk_widget_class_install_action (widget_class, "win.show-welcome", NULL, show_welcome_activated_cb);
  gtk_widget_class_install_action (widget_class, "win.switch-connection", "s", switch_connection_activated_cb);
  gtk_widget_class_install_action (widget_class, "win.forget-connection", NULL, forget_connection_activated_cb);
  gtk_widget_class_install_action (widget_class, "win.backup", NULL, backup_activated_cb);
  gtk_widget_class_install_action (widget_class, "win.restore", NULL, restore_activated_cb);
  gtk_widget_class_install_action (widget_class, "win.restore-file", "s", restore_file_activated_cb);
  gtk_widget_class_install_action (widget_class, "win.preferences", NULL, preferences_activated_cb);
  gtk_widget_class_install_action (widget_class, "win.show-file", "s", show_file_activated_cb);
}

static void
bb_window_init (BbWindow *self)
{
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->connections_menu = g_menu_new ();
  gtk_menu_button_set_menu_model (self->connection_button, G_MENU_MODEL (self->connections_menu));

  drop = gtk_drop_target_new (G_TYPE_FILE, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (file_dropped_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  g_signal_connect_swapped (self->switcher_title, "notify::title-visible",
                            G_CALLBACK (title_visible_changed_cb), self);
}

BbWindow *
bb_window_new (BbApplication *application)
{
  BbWindow *self;

  g_return_val_if_fail (BB_IS_APPLICATION (application), NULL);

  self = g_object_new (BB_TYPE_WINDOW, "application", application, NULL);
  self->settings = g_object_ref (bb_application_get_settings (application));
  self->store = g_object_ref (bb_application_get_connection_store (application));
  self->history = g_object_ref (bb_application_get_history (application));

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  bb_backup_page_setup (self->backup_page, self->settings, self->store, self->history);
  bb_history_page_set_history (self->history_page, self->history);
  g_signal_connect_swapped (self->store, "changed", G_CALLBACK (rebuild_connections_menu), self);
  connect_active (self);
  return self;
}

const char *
bb_window_get_state (BbWindow *self)
{
  g_return_val_if_fail (BB_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->main_stack);
}

BbBackupPage *
bb_window_get_backup_page (BbWindow *self)
{
  g_return_val_if_fail (BB_IS_WINDOW (self), NULL);
  return self->backup_page;
}

void
bb_window_add_connection (BbWindow               *self,
                          const BbConnectionInfo *info,
                          const char             *label)
{
  g_autofree char *default_label = NULL;
  AddData *data;

  g_return_if_fail (BB_IS_WINDOW (self));
  g_return_if_fail (info != NULL);

  if (label == NULL)
    label = default_label = bb_connection_default_label (info);

  data = g_new0 (AddData, 1);
  data->self = g_object_ref (self);
  data->info = bb_connection_info_copy (info);
  data->id = bb_connection_store_add (self->store, info, label);
  if (info->engine == BB_ENGINE_SQLITE)
    {
      bb_connection_store_set_active (self->store, data->id);
      connect_active (self);
      add_data_free (data);
      return;
    }
  /* The password goes to the keyring before the connection is used, so the
   * connection never exists without it. */
  bb_connection_store_store_password_async (self->store, data->id, info->password, NULL,
                                            password_stored_cb, data);
}

BbRestoreWizard *
bb_window_open_restore_wizard (BbWindow *self,
                               GFile    *file)
{
  BbRestoreWizard *wizard;

  g_return_val_if_fail (BB_IS_WINDOW (self), NULL);

  if (self->info == NULL || g_strcmp0 (bb_window_get_state (self), "main") != 0)
    return NULL;
  wizard = bb_restore_wizard_new (GTK_WINDOW (self), self->info, self->connection->label,
                                  self->connection->media_folder, self->history);
  g_signal_connect_object (wizard, "restored", G_CALLBACK (wizard_restored_cb), self, 0);
  gtk_window_present (GTK_WINDOW (wizard));
  if (file != NULL)
    bb_restore_wizard_open_file (wizard, file);
  return wizard;
}

void
bb_window_add_toast (BbWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (BB_IS_WINDOW (self));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

GtkFileChooser *
bb_window_get_chooser (BbWindow *self)
{
  g_return_val_if_fail (BB_IS_WINDOW (self), NULL);
  return self->chooser ? GTK_FILE_CHOOSER (self->chooser) : NULL;
}
