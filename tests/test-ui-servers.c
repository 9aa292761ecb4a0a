/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ui-servers.c: connecting the window to real PostgreSQL and MariaDB
 * servers through the connection dialog: Test Connection, errors in place,
 * the password in the real keyring (never in GSettings), and the saved
 * connection working again after a restart of the window. */

#include "config.h"

#include <libsecret/secret.h>
#include <string.h>

#include "bb-application.h"
#include "bb-connection-dialog.h"
#include "bb-test-ui.h"
#include "bb-test-util.h"
#include "bb-window.h"

static BbApplication *app;

static void
spin (void)
{
  g_main_context_iteration (NULL, FALSE);
  g_usleep (1000);
}

static GtkWidget *
child (gpointer    widget,
       const char *name)
{
  return bb_test_template_child (widget, BB_TYPE_CONNECTION_DIALOG, name);
}

static void
fill (BbConnectionDialog     *dialog,
      const BbConnectionInfo *info,
      const char             *password)
{
  g_autofree char *port = g_strdup_printf ("%u", info->port);

  adw_combo_row_set_selected (ADW_COMBO_ROW (child (dialog, "engine_row")),
                              info->engine == BB_ENGINE_MYSQL ? 1 : 0);
  gtk_editable_set_text (GTK_EDITABLE (child (dialog, "host_row")), info->host);
  gtk_editable_set_text (GTK_EDITABLE (child (dialog, "port_row")), port);
  gtk_editable_set_text (GTK_EDITABLE (child (dialog, "name_row")), info->name);
  gtk_editable_set_text (GTK_EDITABLE (child (dialog, "user_row")), info->user);
  gtk_editable_set_text (GTK_EDITABLE (child (dialog, "password_row")), password);
}

static const char *
wait_for_status (BbConnectionDialog *dialog)
{
  GtkLabel *status = GTK_LABEL (child (dialog, "status_label"));
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (gtk_label_get_label (status)[0] == '\0' || strcmp (gtk_label_get_label (status), "Connecting…") == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      spin ();
    }
  return gtk_label_get_label (status);
}

static void
wait_for_state (BbWindow   *window,
                const char *state)
{
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (g_strcmp0 (bb_window_get_state (window), state) != 0 ||
         (strcmp (state, "main") == 0 && bb_backup_page_get_summary (bb_window_get_backup_page (window)) == NULL))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      spin ();
    }
}

static void
set_server_password (BbEngine    engine,
                     const char *password)
{
  g_autoptr(GString) literal = g_string_new ("'");
  g_autofree char *sql = NULL;

  for (const char *p = password; *p != '\0'; p++)
    {
      if (*p == '\'')
        g_string_append (literal, "''");
      else if (*p == '\\' && engine == BB_ENGINE_MYSQL)
        g_string_append (literal, "\\\\");
      else
        g_string_append_c (literal, *p);
    }
  g_string_append_c (literal, '\'');
  if (engine == BB_ENGINE_POSTGRESQL)
    {
      sql = g_strdup_printf ("ALTER USER bbtest PASSWORD %s", literal->str);
      g_free (bb_test_servers_sql ("pg", "postgres", sql));
    }
  else
    {
      sql = g_strdup_printf ("ALTER USER 'bbtest'@'127.0.0.1' IDENTIFIED BY %s; "
                             "ALTER USER 'bbtest'@'localhost' IDENTIFIED BY %s",
                             literal->str, literal->str);
      g_free (bb_test_servers_sql ("mysql", "mysql", sql));
    }
}

static void
check_server (BbEngine engine)
{
  g_autoptr(BbConnectionInfo) info = bb_test_servers_info (engine, "bb_ref");
  GSettings *settings = bb_application_get_settings (app);
  BbConnectionDialog *dialog;
  BbWindow *window;
  const char *status;
  g_autoptr(GVariant) connections = NULL;
  g_autofree char *printed = NULL;
  g_autofree char *active = NULL;
  g_autofree char *stored = NULL;
  g_autoptr(GError) error = NULL;
  const SecretSchema schema = {
    "org.babybuddy.Backup.Connection", SECRET_SCHEMA_NONE,
    { { "connection-id", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } }
  };

  g_settings_set_value (settings, "connections", g_variant_new ("aa{sv}", NULL));
  g_settings_set_string (settings, "active-connection", "");
  window = bb_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpstr (bb_window_get_state (window), ==, "welcome");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.connect-server", NULL));
  dialog = bb_test_find_toplevel (BB_TYPE_CONNECTION_DIALOG);
  g_assert_nonnull (dialog);

  /* A wrong password: said in the dialog, which stays open. */
  fill (dialog, info, "not the password");
  bb_test_click (child (dialog, "test_button"));
  status = wait_for_status (dialog);
  g_assert_true (gtk_widget_has_css_class (child (dialog, "status_label"), "error"));
  g_assert_nonnull (strstr (status, "password"));

  /* The right one: Test Connection tells what is there. */
  fill (dialog, info, info->password);
  bb_test_click (child (dialog, "test_button"));
  status = wait_for_status (dialog);
  g_assert_true (gtk_widget_has_css_class (child (dialog, "status_label"), "success"));
  g_assert_nonnull (strstr (status, "Connected"));

  bb_test_click (child (dialog, "connect_button"));
  wait_for_state (window, "main");
  g_assert_cmpuint (bb_backup_page_get_summary (bb_window_get_backup_page (window))->engine, ==, engine);

  /* The password is in the keyring under the saved connection's id, and in no setting. */
  active = g_settings_get_string (settings, "active-connection");
  stored = secret_password_lookup_sync (&schema, NULL, &error, "connection-id", active, NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, info->password);
  connections = g_settings_get_value (settings, "connections");
  printed = g_variant_print (connections, TRUE);
  g_assert_null (strstr (printed, info->password));
  g_assert_nonnull (strstr (printed, info->name));

  /* A new window (as after a restart) connects with the keyring's password. */
  gtk_window_destroy (GTK_WINDOW (window));
  window = bb_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  wait_for_state (window, "main");

  /* A password changed on the server: the window says so and offers to try again. */
  set_server_password (engine, "changed-for-test");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.reconnect", NULL);
  wait_for_state (window, "error");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (
    GTK_WIDGET (window), BB_TYPE_WINDOW, "retry_button"))));
  set_server_password (engine, info->password);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.reconnect", NULL);
  wait_for_state (window, "main");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_postgresql (void)
{
  check_server (BB_ENGINE_POSTGRESQL);
}

static void
test_mariadb (void)
{
  check_server (BB_ENGINE_MYSQL);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  bb_test_servers_start ();
  app = bb_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));

  g_test_add_func ("/bb/ui/servers/postgresql", test_postgresql);
  g_test_add_func ("/bb/ui/servers/mariadb", test_mariadb);
  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
