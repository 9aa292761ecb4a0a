/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-cli.c: the command line. Thin: it parses options, starts an engine job,
 * draws progress on a terminal and turns the result into an exit code
 * (0 success, 1 failure with a one-line message, 2 bad usage). */

#define G_LOG_DOMAIN "bb-cli"

#include "config.h"

#include <inttypes.h>
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
#include "bb-restore-job.h"

#define EXIT_USAGE 2

static const struct {
  const char *name;
  const char *summary;
} subcommands[] = {
  { "backup", N_("Back up a Baby Buddy database to a ZIP file") },
  { "restore", N_("Restore a backup (or a Django fixture) into a Baby Buddy database") },
  { "verify", N_("Check that a backup file is complete and readable") },
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
  /* The _strv variant frees what it takes out: argv is GApplication's copy. */
  if (!g_option_context_parse_strv (context, argv, &error))
    {
      *status = usage_error (context, error->message);
      return FALSE;
    }
  *argc = g_strv_length (*argv);
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

/* Jobs: started, their progress drawn on a terminal, waited for. */

typedef void (*JobStartFunc) (gpointer             job,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data);

typedef struct {
  GMainLoop    *loop;
  GAsyncResult *result;
  gboolean      drawn;
} JobRun;

/* Both jobs have records-done, records-total and current-model. */
static void
job_progress_cb (GObject    *job,
                 GParamSpec *pspec,
                 JobRun     *run)
{
  guint64 done = 0, total = 0;
  g_autofree char *model = NULL;
  double fraction;
  int width = 30, filled;

  g_object_get (job, "records-done", &done, "records-total", &total, "current-model", &model, NULL);
  fraction = total > 0 ? MIN ((double) done / total, 1.0) : 0.0;
  filled = (int) (fraction * width);
  fprintf (stderr, "\r\033[K[%.*s%*s] %3d%%  %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT "  %s",
           filled, "##############################", width - filled, "",
           (int) (fraction * 100), done, total, model ? model : "");
  fflush (stderr);
  run->drawn = TRUE;
}

static void
job_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  JobRun *run = user_data;

  run->result = g_object_ref (result);
  g_main_loop_quit (run->loop);
}

/* Runs start (an _async function of job) to its end; the result is for the _finish. */
static GAsyncResult *
wait_for_job (gpointer     job,
              JobStartFunc start)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  JobRun run = { 0 };
  gulong handler = 0;

  run.loop = g_main_loop_new (NULL, FALSE);
  if (isatty (STDERR_FILENO))
    handler = g_signal_connect (job, "notify::records-done", G_CALLBACK (job_progress_cb), &run);
  start (job, cancellable, job_done_cb, &run);
  g_main_loop_run (run.loop);
  g_main_loop_unref (run.loop);
  if (handler != 0)
    g_signal_handler_disconnect (job, handler);
  if (run.drawn)
    fputs ("\r\033[K", stderr);
  return run.result;
}

/* Backup */

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
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *path = NULL;

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

  result = wait_for_job (job, (JobStartFunc) bb_backup_job_run_async);
  path = bb_backup_job_run_finish (job, result, &error);
  if (path == NULL)
    return fail (error);

  {
    g_auto(GStrv) warnings = bb_backup_job_dup_warnings (job);

    for (guint i = 0; warnings[i] != NULL; i++)
      g_printerr (_("Warning: %s\n"), warnings[i]);
  }
  g_print ("%s\n", path);
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

/* Restore and verify */

/* The check (restore FALSE) or the whole restore, with progress on a terminal. */
static gboolean
run_restore_job (BbRestoreJob  *job,
                 gboolean       restore,
                 GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  if (restore)
    {
      result = wait_for_job (job, (JobStartFunc) bb_restore_job_run_async);
      return bb_restore_job_run_finish (job, result, error);
    }
  result = wait_for_job (job, (JobStartFunc) bb_restore_job_check_async);
  return bb_restore_job_check_finish (job, result, error) != NULL;
}

static void
print_preview (const BbRestorePreview *preview)
{
  if (preview->is_fixture)
    g_print ("%-22s %s\n", _("File:"), _("Django fixture"));
  else
    {
      g_print ("%-22s %s\n", _("Backup format:"), preview->format_version ? preview->format_version : "?");
      g_print ("%-22s %s\n", _("Created:"), preview->created ? preview->created : "?");
      g_print ("%-22s %s\n", _("From:"), preview->source_engine ? preview->source_engine : "?");
    }
  g_print ("%-22s %s\n", _("Baby Buddy version:"),
           preview->babybuddy_version ? preview->babybuddy_version : _("unknown"));
  if (preview->target_engine != NULL)
    g_print ("%-22s %s, Baby Buddy %s\n", _("Into:"), preview->target_engine,
             preview->target_babybuddy_version);
  g_print ("%-22s %" G_GUINT64_FORMAT "\n", _("Records:"), preview->total_records);
  if (preview->media_files > 0)
    g_print ("%-22s %u (%" G_GUINT64_FORMAT " bytes)\n", _("Media files:"), preview->media_files,
             preview->media_bytes);

  for (guint i = 0; i < preview->children->len; i++)
    {
      BbPreviewChild *child = g_ptr_array_index (preview->children, i);

      g_print ("%-22s %s", i == 0 ? _("Children:") : "", child->name);
      if (child->first_entry != NULL)
        g_print (_(" — %" PRIu64 " entries from %s to %s"), child->entries,
                 child->first_entry, child->last_entry);
      g_print ("\n");
    }
  if (preview->users->len > 0)
    {
      g_autoptr(GString) users = g_string_new (NULL);
      for (guint i = 0; i < preview->users->len; i++)
        g_string_append_printf (users, "%s%s", i ? ", " : "", (char *) g_ptr_array_index (preview->users, i));
      g_print ("%-22s %s\n", _("Users:"), users->str);
    }

  if (preview->models->len > 0)
    {
      g_print ("\n%-32s %10s\n", _("Model"), _("Records"));
      for (guint i = 0; i < preview->models->len; i++)
        {
          BbPreviewModel *model = g_ptr_array_index (preview->models, i);
          g_print ("%-32s %10" G_GUINT64_FORMAT "\n", model->label, model->records);
        }
    }
  for (guint i = 0; i < preview->warnings->len; i++)
    g_printerr (_("Warning: %s\n"), (char *) g_ptr_array_index (preview->warnings, i));
}

static int
print_problems (const BbRestorePreview *preview)
{
  g_printerr (ngettext ("babybuddy-backup: the file cannot be restored because of %u problem. "
                        "Nothing was changed.\n",
                        "babybuddy-backup: the file cannot be restored because of %u problems. "
                        "Nothing was changed.\n", preview->problems->len),
              preview->problems->len);
  for (guint i = 0; i < preview->problems->len; i++)
    g_printerr ("  • %s\n", (char *) g_ptr_array_index (preview->problems, i));
  return EXIT_FAILURE;
}

static gboolean
confirm (const char *question)
{
  char answer[64];
  /* Translators: the answers that mean "yes", separated by "|"; "y" always works too. */
  g_auto(GStrv) yes = g_strsplit (_("y|yes"), "|", -1);

  fputs (question, stderr);
  fflush (stderr);
  if (fgets (answer, sizeof answer, stdin) == NULL)
    return FALSE;
  g_strstrip (answer);
  if (g_ascii_strcasecmp (answer, "y") == 0)
    return TRUE;
  for (guint i = 0; yes[i] != NULL; i++)
    if (g_utf8_collate (answer, yes[i]) == 0)
      return TRUE;
  return FALSE;
}

static int
cmd_restore (int argc, char **argv)
{
  g_autofree char *url = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *media = NULL;
  gboolean from_env = FALSE, replace = FALSE, merge = FALSE, yes = FALSE, no_safety = FALSE;
  gint64 max_size = 0;
  int status = 0;
  GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_STRING, &url,
      N_("Database address: sqlite:///path, postgres://user@host:port/name or mysql://…"), N_("URL") },
    { "from-env", 'e', 0, G_OPTION_ARG_NONE, &from_env,
      N_("Read Baby Buddy’s DATABASE_URL or DB_* environment variables"), NULL },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      N_("Read the database password from a file"), N_("FILE") },
    { "replace", 0, 0, G_OPTION_ARG_NONE, &replace,
      N_("Delete the records of every backed-up kind, then load the backup (default)"), NULL },
    { "merge", 0, 0, G_OPTION_ARG_NONE, &merge,
      N_("Insert new records and update existing ones by id; keep the rest"), NULL },
    { "media", 'm', 0, G_OPTION_ARG_FILENAME, &media,
      N_("Restore the backup’s media files into this folder"), N_("DIR") },
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &yes,
      N_("Do not ask for confirmation"), NULL },
    { "no-safety-backup", 0, 0, G_OPTION_ARG_NONE, &no_safety,
      N_("Do not back up the database before replacing its data"), NULL },
    { "max-size", 0, 0, G_OPTION_ARG_INT64, &max_size,
      N_("Refuse files larger than this many bytes (default: 2 GiB)"), N_("BYTES") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE — restore a backup into a Baby Buddy database"));
  g_autoptr(BbConnectionInfo) info = NULL;
  g_autoptr(BbRestoreJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *where = NULL;
  const BbRestorePreview *preview;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_options (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return usage_error (context, _("restore takes exactly one backup file"));
  if ((url == NULL) == !from_env)
    return usage_error (context, _("Give either --database URL or --from-env"));
  if (replace && merge)
    return usage_error (context, _("Choose either --replace or --merge"));
  if (max_size < 0)
    return usage_error (context, _("--max-size must not be negative"));
  if (!yes && !isatty (STDIN_FILENO))
    return usage_error (context, _("Not on a terminal: add --yes to restore without confirmation"));

  info = connection_from_options (url, from_env, password_file, &error);
  if (info == NULL)
    return fail (error);
  where = bb_connection_info_describe (info);

  job = bb_restore_job_new (argv[1], info);
  bb_restore_job_set_mode (job, merge ? BB_RESTORE_MODE_MERGE : BB_RESTORE_MODE_REPLACE);
  bb_restore_job_set_media_dir (job, media);
  if (no_safety)
    bb_restore_job_set_safety_dir (job, NULL);
  if (max_size > 0)
    {
      BbArchiveLimits limits;
      bb_archive_limits_init_default (&limits);
      limits.max_file_size = max_size;
      bb_restore_job_set_limits (job, &limits);
    }

  if (!yes)
    {
      g_autofree char *question = NULL;

      if (!run_restore_job (job, FALSE, &error))
        return fail (error);
      preview = bb_restore_job_get_preview (job);
      print_preview (preview);
      if (preview->problems->len > 0)
        return print_problems (preview);
      if (merge)
        question = g_strdup_printf (_("\nMerge these records into %s? [y/N] "), where);
      else
        question = g_strdup_printf (_("\nReplace the data in %s with this backup? A safety "
                                      "backup is taken first. [y/N] "), where);
      if (!confirm (question))
        {
          g_printerr (_("Nothing was changed.\n"));
          return EXIT_FAILURE;
        }
    }

  if (!run_restore_job (job, TRUE, &error))
    {
      preview = bb_restore_job_get_preview (job);
      if (g_error_matches (error, BB_RESTORE_ERROR, BB_RESTORE_ERROR_INVALID) && preview != NULL)
        return print_problems (preview);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_printerr (_("babybuddy-backup: cancelled; your data has not been changed.\n"));
          return EXIT_FAILURE;
        }
      return fail (error);
    }

  preview = bb_restore_job_get_preview (job);
  for (guint i = 0; yes && i < preview->warnings->len; i++)
    g_printerr (_("Warning: %s\n"), (char *) g_ptr_array_index (preview->warnings, i));
  g_print (ngettext ("Restored %" PRIu64 " record into %s.\n",
                     "Restored %" PRIu64 " records into %s.\n", preview->total_records),
           preview->total_records, where);
  if (bb_restore_job_get_safety_backup (job) != NULL)
    g_print (_("Safety backup of the previous data: %s\n"), bb_restore_job_get_safety_backup (job));
  return EXIT_SUCCESS;
}

static int
cmd_verify (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE — check a backup file"));
  g_autoptr(BbRestoreJob) job = NULL;
  g_autoptr(GError) error = NULL;
  const BbRestorePreview *preview;
  int status = 0;

  if (!parse_options (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return usage_error (context, _("verify takes exactly one backup file"));

  job = bb_restore_job_new_verify (argv[1]);
  if (!run_restore_job (job, FALSE, &error))
    return fail (error);
  preview = bb_restore_job_get_preview (job);
  if (preview->problems->len > 0)
    return print_problems (preview);
  g_print (ngettext ("The file is intact: %" PRIu64 " record in %u models; every entry "
                     "decompresses, checksums match and references resolve.\n",
                     "The file is intact: %" PRIu64 " records in %u models; every entry "
                     "decompresses, checksums match and references resolve.\n",
                     preview->total_records),
           preview->total_records, preview->models->len);
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
  if (strcmp (argv[1], "restore") == 0)
    return cmd_restore (argc - 1, argv + 1);
  if (strcmp (argv[1], "verify") == 0)
    return cmd_verify (argc - 1, argv + 1);
  if (strcmp (argv[1], "inspect") == 0)
    return cmd_inspect (argc - 1, argv + 1);
  if (strcmp (argv[1], "demo") == 0)
    return cmd_demo (argc - 1, argv + 1);
  return EXIT_USAGE;
}
