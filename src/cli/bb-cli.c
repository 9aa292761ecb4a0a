/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-cli.c: the command line. Thin: it parses options, starts an engine job,
 * draws progress on a terminal and turns the result into an exit code
 * (0 success, 1 failure with a one-line message, 2 bad usage). */

#define G_LOG_DOMAIN "bb-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "bb-archive.h"
#include "bb-backup-job.h"
#include "bb-cli.h"
#include "bb-database.h"
#include "bb-demo.h"

#define EXIT_USAGE 2

static const struct {
  const char *name;
  const char *summary;
} subcommands[] = {
  { "backup", N_("Back up a Baby Buddy database to a ZIP file") },
  { "inspect", N_("Show what a backup file holds") },
  { "demo", N_("Create a demo Baby Buddy database with generated data") },
};

gboolean
bb_cli_is_subcommand (const char *arg)
{
  for (gsize i = 0; i < G_N_ELEMENTS (subcommands); i++)
    if (g_strcmp0 (arg, subcommands[i].name) == 0)
      return TRUE;
  return FALSE;
}

char *
bb_cli_describe_subcommands (void)
{
  GString *out = g_string_new (_("Commands:"));

  for (gsize i = 0; i < G_N_ELEMENTS (subcommands); i++)
    g_string_append_printf (out, "\n  %-10s %s", subcommands[i].name, _(subcommands[i].summary));
  g_string_append_printf (out, "\n\n%s", _("Run “babybuddy-backup COMMAND --help” for a command’s options. "
                                           "Without a command, the window opens."));
  return g_string_free (out, FALSE);
}

static int
fail (const GError *error)
{
  /* One line: messages never contain a password. */
  g_autofree char *line = g_strdup (error->message);

  g_strdelimit (line, "\n", ' ');
  g_printerr ("babybuddy-backup: %s\n", line);
  return EXIT_FAILURE;
}

static int
usage_error (GOptionContext *context,
             const char     *message)
{
  g_printerr ("babybuddy-backup: %s\n", message);
  g_printerr (_("Run “babybuddy-backup --help” for usage.\n"));
  return EXIT_USAGE;
}

static gboolean
parse_options (GOptionContext  *context,
               int             *argc,
               char          ***argv,
               int             *status)
{
  g_autoptr(GError) error = NULL;

  g_option_context_set_strict_posix (context, FALSE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *status = usage_error (context, error->message);
      return FALSE;
    }
  return TRUE;
}

/* Reads a password without echo; NULL when not on a terminal. */
static char *
prompt_password (const char *prompt)
{
  struct termios old, quiet;
  char buf[1024];
  char *result = NULL;

  if (!isatty (STDIN_FILENO) || tcgetattr (STDIN_FILENO, &old) != 0)
    return NULL;

  quiet = old;
  quiet.c_lflag &= ~ECHO;
  fputs (prompt, stderr);
  fflush (stderr);
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
  if (fgets (buf, sizeof buf, stdin) != NULL)
    {
      buf[strcspn (buf, "\r\n")] = '\0';
      result = g_strdup (buf);
    }
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &old);
  fputc ('\n', stderr);
  explicit_bzero (buf, sizeof buf);
  return result;
}

static char *
read_password_file (const char  *path,
                    GError     **error)
{
  g_autofree char *contents = NULL;
  gsize len;

  if (!g_file_get_contents (path, &contents, &len, error))
    {
      g_autofree char *display = g_filename_display_name (path);
      g_autoptr(GError) local = g_steal_pointer (error);
      g_set_error (error, G_FILE_ERROR, local->code,
                   _("Cannot read the password file “%s”: %s"), display, g_strerror (errno ? errno : ENOENT));
      return NULL;
    }
  /* A trailing newline from an editor or `echo` is not part of the password. */
  while (len > 0 && (contents[len - 1] == '\n' || contents[len - 1] == '\r'))
    contents[--len] = '\0';
  return g_steal_pointer (&contents);
}

/* Connection from --database or --from-env, completed with a password. */
static BbConnectionInfo *
connection_from_options (const char  *url,
                         gboolean     from_env,
                         const char  *password_file,
                         GError     **error)
{
  g_autoptr(BbConnectionInfo) info = NULL;

  if (url != NULL)
    info = bb_connection_info_new_from_url (url, error);
  else
    {
      g_auto(GStrv) env = g_get_environ ();
      info = bb_connection_info_new_from_env ((const char * const *) env, error);
    }
  if (info == NULL)
    return NULL;

  if (password_file != NULL)
    {
      g_autofree char *password = read_password_file (password_file, error);

      if (password == NULL)
        return NULL;
      bb_connection_info_set_password (info, password);
      explicit_bzero (password, strlen (password));
    }
  else if (info->engine != BB_ENGINE_SQLITE && info->password == NULL && info->user != NULL)
    {
      g_autofree char *prompt = g_strdup_printf (_("Password for %s: "), info->user);
      g_autofree char *password = prompt_password (prompt);

      if (password != NULL)
        {
          bb_connection_info_set_password (info, password);
          explicit_bzero (password, strlen (password));
        }
    }
  return g_steal_pointer (&info);
}

/* Backup */

typedef struct {
  GMainLoop *loop;
  char      *path;
  GError    *error;
  gboolean   tty;
  gboolean   drawn;
} BackupRun;

static void
progress_changed_cb (BbBackupJob *job,
                     GParamSpec  *pspec,
                     BackupRun   *run)
{
  guint64 done = bb_backup_job_get_records_done (job);
  guint64 total = bb_backup_job_get_records_total (job);
  g_autofree char *model = bb_backup_job_dup_current_model (job);
  double fraction = total > 0 ? (double) done / total : 0.0;
  int width = 30, filled = (int) (fraction * width);

  if (!run->tty)
    return;

  fprintf (stderr, "\r\033[K[%.*s%*s] %3d%%  %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT "  %s",
           filled, "##############################", width - filled, "",
           (int) (fraction * 100), done, total, model ? model : "");
  fflush (stderr);
  run->drawn = TRUE;
}

static void
backup_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  BackupRun *run = user_data;

  run->path = bb_backup_job_run_finish (BB_BACKUP_JOB (source), result, &run->error);
  g_main_loop_quit (run->loop);
}

static char *
settings_timezone (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;

  /* An uninstalled build may have no schema: fall back to the system's zone. */
  if (source == NULL)
    return NULL;
  schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL)
    return NULL;
  settings = g_settings_new (APPLICATION_ID);
  return g_settings_get_string (settings, "timezone");
}

static int
cmd_backup (int argc, char **argv)
{
  g_autofree char *url = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *output = NULL;
  g_autofree char *timezone = NULL;
  g_autofree char *media = NULL;
  gboolean from_env = FALSE;
  int level = 6;
  int status = 0;
  GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_STRING, &url,
      N_("Database address: sqlite:///path, postgres://user@host:port/name or mysql://…"), N_("URL") },
    { "from-env", 'e', 0, G_OPTION_ARG_NONE, &from_env,
      N_("Read Baby Buddy’s DATABASE_URL or DB_* environment variables"), NULL },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      N_("Read the database password from a file"), N_("FILE") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Folder for the backup (a name is generated) or a file path; default: current folder"), N_("PATH") },
    { "timezone", 'z', 0, G_OPTION_ARG_STRING, &timezone,
      N_("IANA time zone for the file name and metadata (default: preferences, then the system)"), N_("ZONE") },
    { "media", 'm', 0, G_OPTION_ARG_FILENAME, &media,
      N_("Baby Buddy’s media folder: include pictures and files"), N_("DIR") },
    { "compression", 'c', 0, G_OPTION_ARG_INT, &level,
      N_("Compression level from 0 (none) to 9 (smallest)"), N_("LEVEL") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— back up a Baby Buddy database"));
  g_autoptr(BbConnectionInfo) info = NULL;
  g_autoptr(BbBackupJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  BackupRun run = { 0 };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_options (context, &argc, &argv, &status))
    return status;

  if (argc > 1)
    return usage_error (context, _("backup takes no file arguments; use --output"));
  if ((url == NULL) == !from_env)
    return usage_error (context, _("Give either --database URL or --from-env"));
  if (level < 0 || level > 9)
    return usage_error (context, _("--compression takes a level from 0 to 9"));

  info = connection_from_options (url, from_env, password_file, &error);
  if (info == NULL)
    return fail (error);

  if (timezone == NULL)
    timezone = settings_timezone ();

  job = bb_backup_job_new (info, output ? output : ".");
  bb_backup_job_set_timezone (job, timezone);
  bb_backup_job_set_media_dir (job, media);
  bb_backup_job_set_compression_level (job, level);

  run.loop = g_main_loop_new (NULL, FALSE);
  run.tty = isatty (STDERR_FILENO);
  g_signal_connect (job, "notify::records-done", G_CALLBACK (progress_changed_cb), &run);
  bb_backup_job_run_async (job, cancellable, backup_done_cb, &run);
  g_main_loop_run (run.loop);
  g_main_loop_unref (run.loop);

  if (run.drawn)
    fputs ("\r\033[K", stderr);

  if (run.path == NULL)
    {
      status = fail (run.error);
      g_clear_error (&run.error);
      return status;
    }

  {
    g_auto(GStrv) warnings = bb_backup_job_dup_warnings (job);

    for (guint i = 0; warnings[i] != NULL; i++)
      g_printerr (_("Warning: %s\n"), warnings[i]);
  }
  g_print ("%s\n", run.path);
  g_free (run.path);
  return EXIT_SUCCESS;
}

/* Inspect */

static int
cmd_inspect (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE — show what a backup holds"));
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *meta;
  JsonArray *models;
  int status = 0;

  if (!parse_options (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return usage_error (context, _("inspect takes exactly one backup file"));

  bytes = bb_archive_read_entry (argv[1], "metadata.json", 16 * 1024 * 1024, &error);
  if (bytes == NULL)
    return fail (error);

  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (&error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID,
                   _("“%s” is damaged: its metadata.json is not valid JSON."), argv[1]);
      return fail (error);
    }

  meta = json_node_get_object (json_parser_get_root (parser));
  g_print ("%-20s %s\n", _("Backup format:"), json_object_get_string_member_with_default (meta, "version", "?"));
  g_print ("%-20s %s\n", _("Created:"), json_object_get_string_member_with_default (meta, "timestamp", "?"));
  g_print ("%-20s %s\n", _("Time zone:"), json_object_get_string_member_with_default (meta, "timezone", "?"));
  g_print ("%-20s %s\n", _("Database engine:"), json_object_get_string_member_with_default (meta, "database_engine", "?"));
  g_print ("%-20s %s\n", _("Baby Buddy version:"), json_object_get_string_member_with_default (meta, "babybuddy_version", "?"));
  g_print ("%-20s %" G_GINT64_FORMAT "\n", _("Models:"), json_object_get_int_member_with_default (meta, "models_count", 0));
  g_print ("%-20s %" G_GINT64_FORMAT "\n", _("Records:"), json_object_get_int_member_with_default (meta, "total_records", 0));
  g_print ("%-20s %s\n", _("Media included:"),
           json_object_get_boolean_member_with_default (meta, "includes_media", FALSE) ? _("yes") : _("no"));

  models = json_object_get_array_member (meta, "models");
  if (models != NULL)
    {
      g_print ("\n%-32s %10s\n", _("Model"), _("Records"));
      for (guint i = 0; i < json_array_get_length (models); i++)
        {
          JsonObject *m = json_array_get_object_element (models, i);

          if (m == NULL)
            continue;
          g_print ("%-32s %10" G_GINT64_FORMAT "\n",
                   json_object_get_string_member_with_default (m, "model", "?"),
                   json_object_get_int_member_with_default (m, "records", 0));
        }
    }
  return EXIT_SUCCESS;
}

/* Demo */

static int
cmd_demo (int argc, char **argv)
{
  gint64 rows = 20000;
  int seed = 1;
  GOptionEntry entries[] = {
    { "rows", 'r', 0, G_OPTION_ARG_INT64, &rows, N_("About how many records to generate"), N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, N_("Seed of the generator (same seed, same data)"), N_("N") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("PATH — create a demo Baby Buddy database"));
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  int status = 0;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_options (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return usage_error (context, _("demo takes exactly one path for the new database"));
  if (rows < 0)
    return usage_error (context, _("--rows must not be negative"));

  path = g_canonicalize_filename (argv[1], NULL);
  if (!bb_demo_create (path, rows, seed, NULL, &error))
    return fail (error);
  g_print ("%s\n", path);
  return EXIT_SUCCESS;
}

int
bb_cli_run (int    argc,
            char **argv)
{
  g_return_val_if_fail (argc >= 2 && bb_cli_is_subcommand (argv[1]), EXIT_USAGE);

  /* From here on argv[0] is the subcommand, as GOptionContext expects a program name. */
  if (strcmp (argv[1], "backup") == 0)
    return cmd_backup (argc - 1, argv + 1);
  if (strcmp (argv[1], "inspect") == 0)
    return cmd_inspect (argc - 1, argv + 1);
  if (strcmp (argv[1], "demo") == 0)
    return cmd_demo (argc - 1, argv + 1);
  return EXIT_USAGE;
}
