/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-cli.c: the command line as scripts and cron see it: exit codes, one-line
 * errors, quiet output off a terminal, and no password in the process list. */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "bb-test-util.h"

static void
test_version_and_help (void)
{
  const char *version[] = { "--version", NULL };
  const char *help[] = { "--help", NULL };
  const char *backup_help[] = { "backup", "--help", NULL };
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (bb_test_run_cli (version, NULL, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, "babybuddy-backup " PACKAGE_VERSION "\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (bb_test_run_cli (help, NULL, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "backup"));
  g_assert_nonnull (strstr (out, "inspect"));
  g_assert_nonnull (strstr (out, "demo"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (bb_test_run_cli (backup_help, NULL, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "--database"));
  g_assert_nonnull (strstr (out, "--from-env"));
  g_assert_nonnull (strstr (out, "--password-file"));
  g_assert_nonnull (strstr (out, "--timezone"));
}

static void
test_usage_errors (void)
{
  const char *cases[][6] = {
    { "backup", NULL },                                            /* no database */
    { "backup", "--database", "sqlite:///x", "--from-env", NULL }, /* both */
    { "backup", "--database", "sqlite:///x", "--compression", "12", NULL },
    { "backup", "--no-such-option", NULL },
    { "inspect", NULL },
    { "demo", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL, *err = NULL;

      g_assert_cmpint (bb_test_run_cli (cases[i], NULL, &out, &err), ==, 2);
      g_assert_cmpstr (out, ==, "");
      g_assert_true (g_str_has_prefix (err, "babybuddy-backup: "));
    }
}

static void
test_failures_one_line (void)
{
  g_autofree char *dir = bb_test_make_tmpdir ();
  g_autofree char *missing_url = g_strdup_printf ("sqlite://%s/typo.sqlite3", dir);
  g_autofree char *not_bb = g_build_filename (dir, "recipes.sqlite3", NULL);
  g_autofree char *not_bb_url = g_strconcat ("sqlite://", not_bb, NULL);
  g_autofree char *garbage = g_build_filename (dir, "garbage.zip", NULL);
  const char *missing[] = { "backup", "--database", missing_url, "--output", dir, NULL };
  const char *other[] = { "backup", "--database", not_bb_url, "--output", dir, NULL };
  const char *bad_url[] = { "backup", "--database", "oracle://x@y/z", NULL };
  const char *inspect[] = { "inspect", garbage, NULL };
  const char *cases[][2] = {
    { (const char *) missing, "does not exist" },
    { (const char *) other, "not a Baby Buddy database" },
    { (const char *) bad_url, "not supported" },
    { (const char *) inspect, "cannot be opened as a backup" },
  };

  bb_test_sqlite_exec (not_bb, "CREATE TABLE recipes (id integer primary key);");
  g_assert_true (g_file_set_contents (garbage, "PK\x03\x04 not really a zip", -1, NULL));

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL, *err = NULL;
      g_auto(GStrv) lines = NULL;

      g_assert_cmpint (bb_test_run_cli ((const char * const *) cases[i][0], NULL, &out, &err), ==, 1);
      lines = g_strsplit (err, "\n", -1);
      g_assert_cmpuint (g_strv_length (lines), ==, 2);
      g_assert_cmpstr (lines[1], ==, "");
      g_assert_nonnull (strstr (err, cases[i][1]));
      g_assert_cmpstr (out, ==, "");
    }

  /* The mistyped file was not created by trying. */
  g_assert_false (g_file_test (missing_url + strlen ("sqlite://"), G_FILE_TEST_EXISTS));
  bb_test_remove_tree (dir);
}

static void
test_backup_and_inspect (void)
{
  g_autofree char *dir = bb_test_make_tmpdir ();
  g_autofree char *db = bb_test_copy_reference_sqlite (dir);
  g_autofree char *out_dir = g_build_filename (dir, "out", NULL);
  g_autofree char *url = g_strconcat ("sqlite://", db, NULL);
  const char *backup[] = { "backup", "--database", url, "-o", out_dir, "--timezone", "Asia/Kolkata", NULL };
  g_autofree char *out = NULL, *err = NULL, *inspect_out = NULL;
  g_autofree char *path = NULL;

  g_assert_cmpint (g_mkdir (out_dir, 0755), ==, 0);
  g_assert_cmpint (bb_test_run_cli (backup, NULL, &out, &err), ==, 0);
  /* Not on a terminal: no progress bar, only the path. */
  g_assert_cmpstr (err, ==, "");
  g_assert_true (g_str_has_suffix (out, ".zip\n"));
  path = g_strndup (out, strlen (out) - 1);
  g_assert_true (g_str_has_prefix (path, out_dir));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  {
    const char *inspect[] = { "inspect", path, NULL };
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (bb_test_run_cli (inspect, NULL, &inspect_out, &err), ==, 0);
  }
  g_assert_nonnull (strstr (inspect_out, "Backup format:       1.0"));
  g_assert_nonnull (strstr (inspect_out, "django.db.backends.sqlite3"));
  g_assert_nonnull (strstr (inspect_out, "Time zone:           Asia/Kolkata"));
  g_assert_nonnull (strstr (inspect_out, "+05:30"));
  g_assert_nonnull (strstr (inspect_out, "Records:             94687"));
  g_assert_nonnull (strstr (inspect_out, "core.feeding                           7548"));
  bb_test_remove_tree (dir);
}

static void
test_from_env (void)
{
  g_autofree char *dir = bb_test_make_tmpdir ();
  g_autofree char *db = bb_test_copy_reference_sqlite (dir);
  g_auto(GStrv) env = g_get_environ ();
  const char *args[] = { "backup", "--from-env", "--output", dir, NULL };
  g_autofree char *out = NULL, *err = NULL;

  env = g_environ_setenv (env, "DB_ENGINE", "django.db.backends.sqlite3", TRUE);
  env = g_environ_setenv (env, "DB_NAME", db, TRUE);
  env = g_environ_unsetenv (env, "DATABASE_URL");
  g_assert_cmpint (bb_test_run_cli (args, (const char * const *) env, &out, &err), ==, 0);
  g_assert_true (g_str_has_prefix (out, dir));
  bb_test_remove_tree (dir);
}

static void
test_password_hidden_from_process_list (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL, *cmdline_path = NULL, *cmdline = NULL;
  const char *argv[] = { bb_test_cli_path (), "backup", "--database", NULL, "--output", g_get_tmp_dir (), NULL };
  GPid pid;
  gsize len;

  /* The process Valgrind runs is Valgrind: its /proc/PID/cmdline is Valgrind's
   * own and keeps the arguments as given. The normal run checks this. */
  if (g_getenv ("BB_VALGRIND") != NULL)
    {
      g_test_skip ("/proc/PID/cmdline under Valgrind is Valgrind's");
      return;
    }

  /* A server that accepts the connection and never answers keeps the
   * client waiting long enough to look at its arguments. */
  g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &bound, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("postgres://baby:Sup3rS3cret@127.0.0.1:%u/babybuddy",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  argv[3] = url;

  g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL
                 | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &pid, &error);
  g_assert_no_error (error);
  g_usleep (G_USEC_PER_SEC / 2);

  cmdline_path = g_strdup_printf ("/proc/%d/cmdline", pid);
  g_assert_true (g_file_get_contents (cmdline_path, &cmdline, &len, NULL));
  for (gsize i = 0; i + 1 < len; i++)
    if (cmdline[i] == '\0')
      cmdline[i] = ' ';
  g_test_message ("cmdline: %s", cmdline);
  g_assert_nonnull (strstr (cmdline, "postgres://baby:"));
  g_assert_null (strstr (cmdline, "Sup3rS3cret"));

  kill (pid, SIGKILL);
  waitpid (pid, NULL, 0);
  g_spawn_close_pid (pid);
}

static void
test_settings_timezone (void)
{
  g_autofree char *dir = bb_test_make_tmpdir ();
  g_autofree char *db = bb_test_copy_reference_sqlite (dir);
  g_autofree char *url = g_strconcat ("sqlite://", db, NULL);
  g_autofree char *settings_dir = g_build_filename (dir, "config", "glib-2.0", "settings", NULL);
  g_autofree char *keyfile = g_build_filename (settings_dir, "keyfile", NULL);
  g_autofree char *config = g_build_filename (dir, "config", NULL);
  g_auto(GStrv) env = g_get_environ ();
  const char *args[] = { "backup", "--database", url, "--output", dir, NULL };
  const char *explicit[] = { "backup", "--database", url, "--output", dir, "--timezone", "UTC", NULL };
  g_autofree char *out = NULL, *err = NULL, *path = NULL;
  g_autoptr(GHashTable) entries = NULL;

  /* The preference, written where GLib's keyfile backend reads it. */
  g_assert_cmpint (g_mkdir_with_parents (settings_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (keyfile, "[org/babybuddy/Backup]\ntimezone='Asia/Kolkata'\n", -1, NULL));
  env = g_environ_setenv (env, "GSETTINGS_BACKEND", "keyfile", TRUE);
  env = g_environ_setenv (env, "XDG_CONFIG_HOME", config, TRUE);

  g_assert_cmpint (bb_test_run_cli (args, (const char * const *) env, &out, &err), ==, 0);
  path = g_strndup (out, strlen (out) - 1);
  entries = bb_test_read_zip (path);
  g_assert_nonnull (strstr (g_bytes_get_data (g_hash_table_lookup (entries, "metadata.json"), NULL),
                            "\"timezone\" : \"Asia/Kolkata\""));
  g_clear_pointer (&entries, g_hash_table_unref);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&path, g_free);

  /* --timezone wins over the preference. */
  g_assert_cmpint (bb_test_run_cli (explicit, (const char * const *) env, &out, &err), ==, 0);
  path = g_strndup (out, strlen (out) - 1);
  entries = bb_test_read_zip (path);
  g_assert_nonnull (strstr (g_bytes_get_data (g_hash_table_lookup (entries, "metadata.json"), NULL),
                            "\"timezone\" : \"UTC\""));
  bb_test_remove_tree (dir);
}

/* Runs a shell command on a pseudo-terminal (util-linux script); the input
 * is typed a second later, after the program has turned echo off, as a
 * person would after seeing the prompt. */
static char *
run_on_terminal (const char *command,
                 const char *input)
{
  g_autofree char *q_command = g_shell_quote (command);
  g_autofree char *q_input = g_shell_quote (input);
  g_autofree char *shell = g_strdup_printf ("(sleep 1; printf %%s %s) | script -qec %s /dev/null", q_input, q_command);
  const char *argv[] = { "sh", "-c", shell, NULL };
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, NULL, &error);
  g_assert_no_error (error);
  return out;
}

static void
test_terminal_progress (void)
{
  g_autofree char *dir = bb_test_make_tmpdir ();
  g_autofree char *db = bb_test_copy_reference_sqlite (dir);
  g_autofree char *command = g_strdup_printf ("%s backup --database sqlite://%s --output %s",
                                              bb_test_cli_path (), db, dir);
  g_autofree char *out = run_on_terminal (command, "");

  /* A bar redrawn in place, reaching every record, then cleared. */
  g_assert_nonnull (strstr (out, "\r\033[K["));
  g_assert_nonnull (strstr (out, "100%  94687/94687"));
  g_assert_nonnull (strstr (out, "core.feeding"));
  g_assert_nonnull (strstr (out, ".zip"));
  bb_test_remove_tree (dir);
}

static void
test_terminal_password_prompt (void)
{
  g_autofree char *command = g_strdup_printf ("%s backup --database postgres://baby@127.0.0.1:1/bb --output /tmp",
                                              bb_test_cli_path ());
  g_autofree char *out = run_on_terminal (command, "Typed!Secret\n");

  g_assert_nonnull (strstr (out, "Password for baby: "));
  /* Not echoed, not in the error. */
  g_assert_null (strstr (out, "Typed!Secret"));
  g_assert_nonnull (strstr (out, "Cannot reach the database server"));
}

/* restore on a terminal: the preview, then a question; only "y" writes. */
static void
test_terminal_restore_confirm (void)
{
  g_autofree char *dir = bb_test_make_tmpdir ();
  g_autofree char *db = bb_test_copy_reference_sqlite (dir);
  g_autofree char *target_dir = g_build_filename (dir, "target", NULL);
  g_autofree char *target = NULL, *backup = NULL, *command = NULL, *no = NULL, *yes = NULL;
  g_autoptr(BbConnectionInfo) info = NULL;
  g_autoptr(BbConnectionInfo) target_info = NULL;
  g_autofree char *before = NULL, *after = NULL;

  info = bb_test_sqlite_info (db);
  backup = bb_test_backup (info, dir);
  g_mkdir (target_dir, 0700);
  target = bb_test_make_empty_sqlite (target_dir);
  target_info = bb_test_sqlite_info (target);
  before = bb_test_logical_dump (target_info);
  command = g_strdup_printf ("%s restore %s --database sqlite://%s --no-safety-backup",
                             bb_test_cli_path (), backup, target);

  no = run_on_terminal (command, "n\n");
  g_assert_nonnull (strstr (no, "Records:"));
  g_assert_nonnull (strstr (no, "94687"));
  g_assert_nonnull (strstr (no, "Children:"));
  g_assert_nonnull (strstr (no, "[y/N]"));
  g_assert_nonnull (strstr (no, "Nothing was changed"));
  after = bb_test_logical_dump (target_info);
  g_assert_cmpstr (before, ==, after);

  yes = run_on_terminal (command, "y\n");
  g_assert_nonnull (strstr (yes, "Restored 94687 records"));
  bb_test_remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bb/cli/version-and-help", test_version_and_help);
  g_test_add_func ("/bb/cli/usage-errors", test_usage_errors);
  g_test_add_func ("/bb/cli/failures-one-line", test_failures_one_line);
  g_test_add_func ("/bb/cli/backup-and-inspect", test_backup_and_inspect);
  g_test_add_func ("/bb/cli/from-env", test_from_env);
  g_test_add_func ("/bb/cli/password-hidden", test_password_hidden_from_process_list);
  g_test_add_func ("/bb/cli/settings-timezone", test_settings_timezone);
  g_test_add_func ("/bb/cli/terminal-progress", test_terminal_progress);
  g_test_add_func ("/bb/cli/terminal-password-prompt", test_terminal_password_prompt);
  g_test_add_func ("/bb/cli/terminal-restore-confirm", test_terminal_restore_confirm);

  return g_test_run ();
}
