/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-connection-dialog.c: the server form. Test Connection and Connect both
 * load the database's summary in a worker thread; an error stays in the
 * dialog, next to the fields, so the user can fix them. */

#define G_LOG_DOMAIN "bb-connection-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "bb-connection-dialog.h"
#include "bb-summary.h"

struct _BbConnectionDialog
{
  AdwWindow      parent_instance;

  AdwComboRow   *engine_row;
  AdwEntryRow   *host_row;
  AdwEntryRow   *port_row;
  AdwEntryRow   *name_row;
  AdwEntryRow   *user_row;
  AdwEntryRow   *password_row;
  GtkWidget     *connect_button;
  GtkWidget     *test_button;
  GtkSpinner    *spinner;
  GtkLabel      *status_label;

  GCancellable  *testing;
  gboolean       connect_when_done;
};

G_DEFINE_FINAL_TYPE (BbConnectionDialog, bb_connection_dialog, ADW_TYPE_WINDOW)
G_DEFINE_BOXED_TYPE (BbConnectionInfo, bb_connection_info, bb_connection_info_copy, bb_connection_info_free)

enum {
  SIGNAL_CONNECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static BbEngine
selected_engine (BbConnectionDialog *self)
{
  return adw_combo_row_get_selected (self->engine_row) == 1 ? BB_ENGINE_MYSQL : BB_ENGINE_POSTGRESQL;
}

static const char *
default_port (BbEngine engine)
{
  return engine == BB_ENGINE_MYSQL ? "3306" : "5432";
}

/* The port field: empty (the default, 0) or 1..65535. */
static gboolean
read_port (BbConnectionDialog *self,
           guint64            *port)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->port_row))));

  *port = 0;
  return text[0] == '\0' || g_ascii_string_to_unsigned (text, 10, 1, 65535, port, NULL);
}

/* NULL when the fields cannot make a connection yet. */
static BbConnectionInfo *
read_fields (BbConnectionDialog *self)
{
  g_autoptr(BbConnectionInfo) info = g_new0 (BbConnectionInfo, 1);
  g_autofree char *host = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->host_row))));
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  g_autofree char *user = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->user_row))));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  guint64 port_number = 0;

  if (!read_port (self, &port_number))
    return NULL;
  if (name[0] == '\0' || user[0] == '\0')
    return NULL;

  info->engine = selected_engine (self);
  info->host = host[0] != '\0' ? g_steal_pointer (&host) : NULL;
  info->port = port_number;
  info->name = g_steal_pointer (&name);
  info->user = g_steal_pointer (&user);
  info->password = password[0] != '\0' ? g_strdup (password) : NULL;
  return g_steal_pointer (&info);
}

static void
update_buttons (BbConnectionDialog *self)
{
  g_autoptr(BbConnectionInfo) info = read_fields (self);
  gboolean busy = self->testing != NULL;
  guint64 port;
  gboolean port_ok = read_port (self, &port);

  if (port_ok)
    gtk_widget_remove_css_class (GTK_WIDGET (self->port_row), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->port_row), "error");
  gtk_widget_set_sensitive (self->connect_button, info != NULL && !busy);
  gtk_widget_set_sensitive (self->test_button, info != NULL && !busy);
}

static void
set_status (BbConnectionDialog *self,
            const char         *text,
            const char         *css_class)
{
  gtk_label_set_label (self->status_label, text);
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "success");
  if (css_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), css_class);
}

static void
tested_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BbConnectionDialog) self = user_data;
  g_autoptr(BbDatabaseSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BbConnectionInfo) info = NULL;

  summary = bb_database_summary_load_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->testing);
  gtk_spinner_set_spinning (self->spinner, FALSE);
  update_buttons (self);

  if (summary == NULL)
    {
      set_status (self, error->message, "error");
      return;
    }
  if (self->connect_when_done)
    {
      info = read_fields (self);
      if (info != NULL)
        {
          g_signal_emit (self, signals[SIGNAL_CONNECTED], 0, info);
          gtk_window_close (GTK_WINDOW (self));
          return;
        }
    }

  {
    g_autofree char *records = g_strdup_printf ("%'" G_GUINT64_FORMAT, summary->records);
    g_autofree char *children = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u child", "%u children",
                                                              summary->children->len),
                                                 summary->children->len);
    /* Translators: "Connected: Baby Buddy 2.10, 2 children, 94,687 records." */
    g_autofree char *text = g_strdup_printf (_("Connected: Baby Buddy %s, %s, %s records."),
                                             summary->babybuddy_version, children, records);

    set_status (self, text, "success");
  }
}

static void
start_test (BbConnectionDialog *self,
            gboolean            connect_when_done)
{
  g_autoptr(BbConnectionInfo) info = read_fields (self);

  if (info == NULL || self->testing != NULL)
    return;
  self->connect_when_done = connect_when_done;
  self->testing = g_cancellable_new ();
  gtk_spinner_set_spinning (self->spinner, TRUE);
  set_status (self, _("Connecting…"), NULL);
  update_buttons (self);
  bb_database_summary_load_async (info, self->testing, tested_cb, g_object_ref (self));
}

static void
test_clicked_cb (BbConnectionDialog *self)
{
  start_test (self, FALSE);
}

static void
connect_clicked_cb (BbConnectionDialog *self)
{
  start_test (self, TRUE);
}

static void
engine_changed_cb (BbConnectionDialog *self)
{
  const char *port = gtk_editable_get_text (GTK_EDITABLE (self->port_row));
  BbEngine engine = selected_engine (self);

  /* A default port follows the engine; a port the user typed stays. */
  if (port[0] == '\0' || g_strcmp0 (port, default_port (engine == BB_ENGINE_MYSQL
                                                        ? BB_ENGINE_POSTGRESQL : BB_ENGINE_MYSQL)) == 0)
    gtk_editable_set_text (GTK_EDITABLE (self->port_row), default_port (engine));
  set_status (self, "", NULL);
  update_buttons (self);
}

static void
field_changed_cb (BbConnectionDialog *self)
{
  update_buttons (self);
}

static void
bb_connection_dialog_dispose (GObject *object)
{
  BbConnectionDialog *self = BB_CONNECTION_DIALOG (object);

  g_cancellable_cancel (self->testing);
  g_clear_object (&self->testing);
  gtk_widget_dispose_template (GTK_WIDGET (self), BB_TYPE_CONNECTION_DIALOG);
  G_OBJECT_CLASS (bb_connection_dialog_parent_class)->dispose (object);
}

static void
bb_connection_dialog_class_init (BbConnectionDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bb_connection_dialog_dispose;

  signals[SIGNAL_CONNECTED] = g_signal_new ("connected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                            0, NULL, NULL, NULL, G_TYPE_NONE, 1, BB_TYPE_CONNECTION_INFO);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/babybuddy/Backup/ui/bb-connection-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, BbConnectionDialog, engine_row);
  gtk_widget_class_bind_template_child (widget_class, BbConnectionDialog, host_row);
  gtk_widget_class_bind_template_child (widget_class, BbConnectionDialog, port_row);
  gtk_widget_class_bind_template_child (widget_class, BbConnectionDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, BbConnectionDialog, user_row);
  gtk_widget_class_bind_template_child (widget_class, BbConnectionDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, BbConnectionDialog, connect_button);
  gtk_widget_class_bind_template_child (widget_class, BbConnectionDialog, test_button);
  gtk_widget_class_bind_template_child (widget_class, BbConnectionDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, BbConnectionDialog, status_label);
  gtk_widget_class_bind_template_callback (widget_class, test_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, connect_clicked_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
bb_connection_dialog_init (BbConnectionDialog *self)
{
  GtkEditable *fields[5];

  gtk_widget_init_template (GTK_WIDGET (self));
  fields[0] = GTK_EDITABLE (self->host_row);
  fields[1] = GTK_EDITABLE (self->port_row);
  fields[2] = GTK_EDITABLE (self->name_row);
  fields[3] = GTK_EDITABLE (self->user_row);
  fields[4] = GTK_EDITABLE (self->password_row);
  gtk_editable_set_text (GTK_EDITABLE (self->port_row), default_port (BB_ENGINE_POSTGRESQL));
  g_signal_connect_swapped (self->engine_row, "notify::selected", G_CALLBACK (engine_changed_cb), self);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    g_signal_connect_swapped (fields[i], "changed", G_CALLBACK (field_changed_cb), self);
  update_buttons (self);
}

BbConnectionDialog *
bb_connection_dialog_new (GtkWindow              *parent,
                          const BbConnectionInfo *initial)
{
  BbConnectionDialog *self;
  g_autofree char *port = NULL;

  self = g_object_new (BB_TYPE_CONNECTION_DIALOG, "transient-for", parent, NULL);
  if (initial != NULL && initial->engine != BB_ENGINE_SQLITE)
    {
      adw_combo_row_set_selected (self->engine_row, initial->engine == BB_ENGINE_MYSQL ? 1 : 0);
      gtk_editable_set_text (GTK_EDITABLE (self->host_row), initial->host ? initial->host : "");
      port = initial->port ? g_strdup_printf ("%u", initial->port) : g_strdup (default_port (initial->engine));
      gtk_editable_set_text (GTK_EDITABLE (self->port_row), port);
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), initial->name ? initial->name : "");
      gtk_editable_set_text (GTK_EDITABLE (self->user_row), initial->user ? initial->user : "");
      gtk_editable_set_text (GTK_EDITABLE (self->password_row), initial->password ? initial->password : "");
    }
  return self;
}
