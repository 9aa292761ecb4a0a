/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-database.c: connection URLs, opening a database through libgda, and
 * running queries whose results come back as text, losslessly. Every libgda
 * trap measured in LIBGDA.md that concerns connecting and reading is handled
 * here so that nothing above this file needs to know about libgda. */

#define G_LOG_DOMAIN "bb-database"

#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libgda/libgda.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bb-database.h"

/* libgda 5.2 predates g_autoptr. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GdaStatement, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GdaDataModel, g_object_unref)

/* Exported by libgda but only declared in a private header. */
void gda_connection_del_prepared_statement (GdaConnection *cnc,
                                            GdaStatement  *gda_stmt);
gpointer gda_connection_internal_get_provider_data (GdaConnection *cnc);

struct _BbDatabase
{
  GObject           parent_instance;
  BbConnectionInfo *info;
  GdaConnection    *cnc;
  GdaSqlParser     *parser;
  GdaSqlParser     *raw_parser;   /* delimit only: the provider sees the SQL as written */
  gpointer          pgconn;       /* PostgreSQL: libpq's PGconn, to see a lost connection */
  gpointer          native;       /* the client library's handle for bulk statements, or NULL */
};

G_DEFINE_FINAL_TYPE (BbDatabase, bb_database, G_TYPE_OBJECT)

G_DEFINE_QUARK (bb-database-error-quark, bb_database_error)

const char *
bb_engine_to_django (BbEngine engine)
{
  switch (engine)
    {
    case BB_ENGINE_SQLITE:
      return "django.db.backends.sqlite3";
    case BB_ENGINE_POSTGRESQL:
      return "django.db.backends.postgresql";
    case BB_ENGINE_MYSQL:
      return "django.db.backends.mysql";
    default:
      g_assert_not_reached ();
    }
}

const char *
bb_engine_to_display (BbEngine engine)
{
  switch (engine)
    {
    case BB_ENGINE_SQLITE:
      return "SQLite";
    case BB_ENGINE_POSTGRESQL:
      return "PostgreSQL";
    case BB_ENGINE_MYSQL:
      return "MySQL/MariaDB";
    default:
      g_assert_not_reached ();
    }
}

gboolean
bb_engine_from_django (const char *name,
                       BbEngine   *engine)
{
  static const struct {
    const char *name;
    BbEngine    engine;
  } names[] = {
    { "django.db.backends.sqlite3", BB_ENGINE_SQLITE },
    { "django.db.backends.postgresql", BB_ENGINE_POSTGRESQL },
    { "django.db.backends.postgresql_psycopg2", BB_ENGINE_POSTGRESQL },
    { "django.db.backends.mysql", BB_ENGINE_MYSQL },
    { "sqlite", BB_ENGINE_SQLITE },
    { "sqlite3", BB_ENGINE_SQLITE },
    { "postgres", BB_ENGINE_POSTGRESQL },
    { "postgresql", BB_ENGINE_POSTGRESQL },
    { "pgsql", BB_ENGINE_POSTGRESQL },
    { "mysql", BB_ENGINE_MYSQL },
    { "mariadb", BB_ENGINE_MYSQL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (g_ascii_strcasecmp (name, names[i].name) == 0)
        {
          *engine = names[i].engine;
          return TRUE;
        }
    }
  return FALSE;
}

void
bb_rows_free (BbRows *rows)
{
  if (rows == NULL)
    return;
  for (gsize i = 0; i < (gsize) rows->n_rows * rows->n_cols; i++)
    g_free (rows->cells[i]);
  g_free (rows->cells);
  g_free (rows);
}

/* Connection info */

void
bb_connection_info_free (BbConnectionInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->path);
  g_free (info->host);
  g_free (info->name);
  g_free (info->user);
  if (info->password != NULL)
    {
      explicit_bzero (info->password, strlen (info->password));
      g_free (info->password);
    }
  g_free (info);
}

BbConnectionInfo *
bb_connection_info_copy (const BbConnectionInfo *info)
{
  BbConnectionInfo *copy = g_new0 (BbConnectionInfo, 1);

  copy->engine = info->engine;
  copy->path = g_strdup (info->path);
  copy->host = g_strdup (info->host);
  copy->port = info->port;
  copy->name = g_strdup (info->name);
  copy->user = g_strdup (info->user);
  copy->password = g_strdup (info->password);
  return copy;
}

void
bb_connection_info_set_password (BbConnectionInfo *info,
                                 const char       *password)
{
  if (info->password != NULL)
    explicit_bzero (info->password, strlen (info->password));
  g_free (info->password);
  info->password = g_strdup (password);
}

/* A description safe to show and log: it never contains the password. */
char *
bb_connection_info_describe (const BbConnectionInfo *info)
{
  if (info->engine == BB_ENGINE_SQLITE)
    return g_strdup_printf ("SQLite %s", info->path);

  return g_strdup_printf ("%s %s%s%s:%u/%s",
                          bb_engine_to_display (info->engine),
                          info->user ? info->user : "",
                          info->user ? "@" : "",
                          info->host ? info->host : "localhost",
                          info->port ? info->port
                                     : (info->engine == BB_ENGINE_POSTGRESQL ? 5432 : 3306),
                          info->name ? info->name : "");
}

static char *
uri_unescape (const char *text,
              gsize       len)
{
  g_autofree char *part = g_strndup (text, len);

  return g_uri_unescape_string (part, NULL);
}

static gboolean
invalid_url (GError     **error,
             const char  *why)
{
  g_set_error (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_INVALID_URL,
               /* Translators: %s says what is wrong with the URL. */
               _("The database address is not valid: %s. Use a form such as "
                 "sqlite:///path/to/db.sqlite3 or postgres://user:password@host:5432/name."),
               why);
  return FALSE;
}

BbConnectionInfo *
bb_connection_info_new_from_url (const char  *url,
                                 GError     **error)
{
  g_autoptr(BbConnectionInfo) info = g_new0 (BbConnectionInfo, 1);
  const char *sep, *rest, *at, *slash, *hostport, *colon;
  g_autofree char *scheme = NULL;

  g_return_val_if_fail (url != NULL, NULL);

  sep = strstr (url, "://");
  if (sep == NULL)
    {
      invalid_url (error, _("it has no “engine://” prefix"));
      return NULL;
    }

  scheme = g_ascii_strdown (url, sep - url);
  if (!bb_engine_from_django (scheme, &info->engine))
    {
      g_autofree char *why = g_strdup_printf (_("the engine “%s” is not supported"), scheme);
      invalid_url (error, why);
      return NULL;
    }

  rest = sep + 3;

  if (info->engine == BB_ENGINE_SQLITE)
    {
      g_autofree char *path = NULL;

      /* dj-database-url writes sqlite:////abs; Baby Buddy users also write sqlite:///abs. */
      while (rest[0] == '/' && rest[1] == '/')
        rest++;
      path = uri_unescape (rest, strlen (rest));
      if (path == NULL || !g_path_is_absolute (path))
        {
          invalid_url (error, _("an SQLite address needs an absolute file path"));
          return NULL;
        }
      info->path = g_canonicalize_filename (path, NULL);
      return g_steal_pointer (&info);
    }

  slash = strchr (rest, '/');
  if (slash == NULL || slash[1] == '\0')
    {
      invalid_url (error, _("it names no database"));
      return NULL;
    }

  /* The password may contain '@' when percent-encoding was forgotten: the
   * last '@' before the path separates the credentials from the host. */
  at = g_strrstr_len (rest, slash - rest, "@");
  hostport = rest;
  if (at != NULL)
    {
      const char *pw = memchr (rest, ':', at - rest);

      if (pw != NULL)
        {
          info->user = uri_unescape (rest, pw - rest);
          info->password = uri_unescape (pw + 1, at - pw - 1);
        }
      else
        info->user = uri_unescape (rest, at - rest);
      hostport = at + 1;
    }

  colon = NULL;
  if (hostport[0] == '[')
    {
      const char *close = memchr (hostport, ']', slash - hostport);

      if (close == NULL)
        {
          invalid_url (error, _("an IPv6 host has no closing “]”"));
          return NULL;
        }
      info->host = g_strndup (hostport + 1, close - hostport - 1);
      if (close[1] == ':')
        colon = close + 1;
    }
  else
    {
      colon = memchr (hostport, ':', slash - hostport);
      if (slash - hostport > 0)
        info->host = uri_unescape (hostport, (colon ? colon : slash) - hostport);
    }

  if (colon != NULL && colon + 1 < slash)
    {
      g_autofree char *port = g_strndup (colon + 1, slash - colon - 1);
      guint64 value;

      if (!g_ascii_string_to_unsigned (port, 10, 1, 65535, &value, NULL))
        {
          invalid_url (error, _("the port is not a number from 1 to 65535"));
          return NULL;
        }
      info->port = value;
    }

  if (info->host != NULL && info->host[0] == '\0')
    g_clear_pointer (&info->host, g_free);

  {
    const char *query = strchr (slash + 1, '?');
    gsize len = query ? (gsize) (query - slash - 1) : strlen (slash + 1);

    info->name = uri_unescape (slash + 1, len);
  }

  if (info->name == NULL || info->name[0] == '\0')
    {
      invalid_url (error, _("it names no database"));
      return NULL;
    }

  return g_steal_pointer (&info);
}

static const char *
env_get (const char * const *envp,
         const char         *name)
{
  const char *value = g_environ_getenv ((char **) envp, name);

  return (value != NULL && value[0] != '\0') ? value : NULL;
}

/* Baby Buddy's own variables: DATABASE_URL wins, as in its settings. */
BbConnectionInfo *
bb_connection_info_new_from_env (const char * const  *envp,
                                 GError             **error)
{
  g_autoptr(BbConnectionInfo) info = NULL;
  const char *engine, *name, *port;

  if (env_get (envp, "DATABASE_URL") != NULL)
    return bb_connection_info_new_from_url (env_get (envp, "DATABASE_URL"), error);

  engine = env_get (envp, "DB_ENGINE");
  name = env_get (envp, "DB_NAME");
  if (engine == NULL && name == NULL)
    {
      g_set_error_literal (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_INVALID_URL,
                           _("Neither DATABASE_URL nor DB_ENGINE and DB_NAME are set. "
                             "Set them as in Baby Buddy’s configuration, or use --database."));
      return NULL;
    }

  info = g_new0 (BbConnectionInfo, 1);
  info->engine = BB_ENGINE_SQLITE;
  if (engine != NULL && !bb_engine_from_django (engine, &info->engine))
    {
      g_set_error (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_INVALID_URL,
                   _("DB_ENGINE “%s” is not supported. Use django.db.backends.sqlite3, "
                     "django.db.backends.postgresql or django.db.backends.mysql."), engine);
      return NULL;
    }

  if (name == NULL)
    {
      g_set_error_literal (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_INVALID_URL,
                           _("DB_NAME is not set: it names the database (the file for SQLite)."));
      return NULL;
    }

  if (info->engine == BB_ENGINE_SQLITE)
    {
      if (!g_path_is_absolute (name))
        {
          g_set_error (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_INVALID_URL,
                       _("DB_NAME “%s” must be an absolute path to the SQLite file."), name);
          return NULL;
        }
      info->path = g_canonicalize_filename (name, NULL);
      return g_steal_pointer (&info);
    }

  info->name = g_strdup (name);
  info->user = g_strdup (env_get (envp, "DB_USER"));
  info->password = g_strdup (env_get (envp, "DB_PASSWORD"));
  info->host = g_strdup (env_get (envp, "DB_HOST"));
  port = env_get (envp, "DB_PORT");
  if (port != NULL)
    {
      guint64 value;

      if (!g_ascii_string_to_unsigned (port, 10, 1, 65535, &value, NULL))
        {
          g_set_error (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_INVALID_URL,
                       _("DB_PORT “%s” is not a number from 1 to 65535."), port);
          return NULL;
        }
      info->port = value;
    }
  return g_steal_pointer (&info);
}

/* Opening */

static void
append_param (GString    *str,
              const char *key,
              const char *value)
{
  g_autofree char *encoded = gda_rfc1738_encode (value);

  if (str->len > 0)
    g_string_append_c (str, ';');
  g_string_append_printf (str, "%s=%s", key, encoded);
}

static gboolean
sqlite_file_check (const char  *path,
                   GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GError) local_error = NULL;
  char header[16] = { 0 };
  gsize n_read = 0;

  /* libgda creates a missing file silently: a typo must not give an empty database. */
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_NOT_FOUND,
                   _("The database file “%s” does not exist. Check the path."), path);
      return FALSE;
    }

  in = g_file_read (file, NULL, &local_error);
  if (in == NULL
      || !g_input_stream_read_all (G_INPUT_STREAM (in), header, sizeof header, &n_read,
                                   NULL, &local_error))
    {
      g_set_error (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_NOT_FOUND,
                   _("The database file “%s” cannot be read: %s"), path, local_error->message);
      return FALSE;
    }

  if (n_read != sizeof header || memcmp (header, "SQLite format 3", 16) != 0)
    {
      g_set_error (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_NOT_SQLITE,
                   _("The file “%s” is not an SQLite database."), path);
      return FALSE;
    }
  return TRUE;
}

/* libgda 5.2 puts host, dbname, user and password between single quotes in
 * libpq's conninfo without escaping them ("TODO" in its source), so a quote
 * or backslash in a password broke the connection (LIBGDA.md). libpq reads
 * backslash escapes inside quoted values: escaping here makes any value work. */
static char *
pq_conninfo_escape (const char *value)
{
  GString *out = g_string_new (NULL);

  for (const char *p = value; *p; p++)
    {
      if (*p == '\\' || *p == '\'')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static void
append_pq_param (GString    *str,
                 const char *key,
                 const char *value)
{
  g_autofree char *escaped = pq_conninfo_escape (value);

  append_param (str, key, escaped);
  explicit_bzero (escaped, strlen (escaped));
}

static void
append_port (GString *cnc,
             guint    port)
{
  g_autofree char *text = g_strdup_printf ("%u", port);

  if (port != 0)
    append_param (cnc, "PORT", text);
}

static gboolean
message_has (const char *message,
             const char *needle)
{
  return message != NULL && strstr (message, needle) != NULL;
}

/* Turns libgda's raw connection error into a message that says what to fix. */
static void
set_connect_error (GError                **error,
                   const BbConnectionInfo *info,
                   const GError           *gda_error)
{
  const char *raw = gda_error ? gda_error->message : "";
  g_autofree char *where = bb_connection_info_describe (info);

  if (message_has (raw, "password authentication failed")
      || message_has (raw, "Access denied")
      || message_has (raw, "no password supplied")
      || message_has (raw, "authentication failed"))
    g_set_error (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_AUTH_FAILED,
                 _("The server refused the user name or password (%s). "
                   "Check the user and password."), where);
  else if (message_has (raw, "does not exist") || message_has (raw, "Unknown database"))
    g_set_error (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_NO_SUCH_DATABASE,
                 _("The database “%s” does not exist on the server (%s). Check its name."),
                 info->name, where);
  else if (message_has (raw, "could not connect") || message_has (raw, "Can't connect")
           || message_has (raw, "Connection refused") || message_has (raw, "could not translate host")
           || message_has (raw, "Unknown MySQL server host") || message_has (raw, "Unknown server host")
           || message_has (raw, "timeout expired") || message_has (raw, "No such file"))
    g_set_error (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_UNREACHABLE,
                 _("Cannot reach the database server (%s). Check that it is running and that "
                   "the host and port are right."), where);
  else if (message_has (raw, "No provider"))
    g_set_error (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_MISSING_PROVIDER,
                 _("Support for %s is not installed (libgda provider missing)."),
                 bb_engine_to_display (info->engine));
  else
    g_set_error (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_UNREACHABLE,
                 _("Cannot connect to the database (%s): %s"), where, raw);
}

/* How long SQLite work waits for another process's lock (Baby Buddy
 * committing) before it gives up. */
#define SQLITE_BUSY_TIMEOUT_MS 10000

static gboolean
setup_session (BbDatabase  *self,
               GError     **error)
{
  static const char *pg_setup[] = {
    "SET TIME ZONE 'UTC'",
    "SET DateStyle TO 'ISO, YMD'",
    "SET IntervalStyle TO 'postgres'",
    "SET extra_float_digits TO 1",
    NULL,
  };
  /* The MySQL provider connects as utf8mb3: emoji would read back as '?'. */
  static const char *mysql_setup[] = {
    "SET NAMES utf8mb4",
    "SET time_zone = '+00:00'",
    NULL,
  };
  const char **setup = NULL;

  if (self->info->engine == BB_ENGINE_POSTGRESQL)
    setup = pg_setup;
  else if (self->info->engine == BB_ENGINE_MYSQL)
    setup = mysql_setup;
  else
    {
      /* Baby Buddy may be writing: wait for its lock instead of failing at
       * once with "database is locked". libgda runs a PRAGMA as a SELECT
       * (LIBGDA.md); this one returns the timeout. */
      g_autofree char *sql = g_strdup_printf ("PRAGMA busy_timeout = %d", SQLITE_BUSY_TIMEOUT_MS);
      g_autoptr(BbRows) rows = bb_database_query (self, sql, 1, error);

      return rows != NULL;
    }

  for (gsize i = 0; setup != NULL && setup[i] != NULL; i++)
    if (!bb_database_execute (self, setup[i], error))
      return FALSE;
  return TRUE;
}

/* libgda 5.2's PostgreSQL provider crashes (g_ascii_strtoull (NULL) in
 * _gda_postgres_make_error) on an error without an SQLSTATE, and that is what
 * libpq reports once the server has closed the connection (a terminated
 * backend, a restarted server), also while a statement is being prepared. So
 * statements go to libpq directly once the session is set up (pq_run), and
 * before each one libpq itself is asked whether the connection is still
 * there. libpq is the one the provider loaded. */
typedef struct {
  int (*status)        (gpointer conn);
  int (*consume_input) (gpointer conn);
} PqApi;

#define PQ_CONNECTION_OK 0

/* Only call once the provider has loaded libpq: a miss is remembered. */
static const PqApi *
pq_api (void)
{
  static gsize ready = 0;
  static PqApi api;

  if (g_once_init_enter (&ready))
    {
      void *lib = dlopen ("libpq.so.5", RTLD_LAZY | RTLD_NOLOAD);

      if (lib != NULL)
        {
          api.status = (int (*) (gpointer)) dlsym (lib, "PQstatus");
          api.consume_input = (int (*) (gpointer)) dlsym (lib, "PQconsumeInput");
        }
      g_once_init_leave (&ready, 1);
    }
  return api.status != NULL && api.consume_input != NULL ? &api : NULL;
}

/* libgda 5.2's PostgresConnectionData starts with (reuseable, cnc, pconn);
 * the cnc pointer confirms the layout before pconn is trusted. */
static gpointer
find_pgconn (GdaConnection *cnc)
{
  gpointer *data = gda_connection_internal_get_provider_data (cnc);
  const PqApi *pq = pq_api ();

  if (data == NULL || data[1] != (gpointer) cnc || data[2] == NULL || pq == NULL)
    return NULL;
  if (pq->status (data[2]) != PQ_CONNECTION_OK)
    return NULL;
  return data[2];
}

static void
set_connection_lost (GError **error)
{
  g_set_error_literal (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_CONNECTION_LOST,
                       _("The connection to the database server was lost. Check that the "
                         "server is running, then try again."));
}

static gboolean
check_connection (BbDatabase  *self,
                  GError     **error)
{
  const PqApi *pq;

  if (self->pgconn == NULL)
    return TRUE;
  /* Set only once a PostgreSQL connection exists, so libpq is loaded. */
  pq = pq_api ();
  /* Reading what is pending sees the server's goodbye (a notice to libpq
   * while idle), then, on the second read, the closed socket. */
  if (pq->status (self->pgconn) == PQ_CONNECTION_OK
      && pq->consume_input (self->pgconn) && pq->consume_input (self->pgconn)
      && pq->status (self->pgconn) == PQ_CONNECTION_OK)
    return TRUE;
  set_connection_lost (error);
  return FALSE;
}

static gboolean
message_has_any (const char         *message,
                 const char * const *needles)
{
  for (gsize i = 0; needles[i] != NULL; i++)
    if (message_has (message, needles[i]))
      return TRUE;
  return FALSE;
}

/* Turns a failed statement's raw text into what it means for the user. The
 * client libraries word these the same in every version we support: SQLite,
 * libpq (and the PostgreSQL server), MariaDB Connector/C (and the server). */
static void
set_statement_error (BbDatabase  *self,
                     GError     **error,
                     const char  *raw)
{
  static const char * const lost[] = {
    /* libpq and the server shutting down */
    "server closed the connection unexpectedly", "terminating connection due to administrator",
    "no connection to the server", "connection to server was lost",
    "could not receive data from server", "could not send data to server",
    /* MariaDB: client library and server */
    "server has gone away", "Server has gone away", "Lost connection to",
    "Server shutdown in progress", "Connection was killed",
    NULL,
  };
  static const char * const read_only[] = {
    /* SQLite: a read-only file, or a folder where the journal cannot be made */
    "attempt to write a readonly database",
    /* PostgreSQL */
    "permission denied for", "in a read-only transaction",
    /* MariaDB */
    "command denied to user", "--read-only option", "is read only",
    NULL,
  };

  if (raw == NULL || raw[0] == '\0')
    raw = _("unknown error");

  if (message_has_any (raw, lost))
    set_connection_lost (error);
  else if (message_has_any (raw, read_only) && self->info->engine == BB_ENGINE_SQLITE)
    g_set_error (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_READ_ONLY,
                 /* Translators: %s is the database's own message. */
                 _("The database file cannot be changed: the file or its folder is read-only "
                   "for this user. Let this user write to both, or restore as the user who "
                   "runs Baby Buddy. The database reported: %s"), raw);
  else if (message_has_any (raw, read_only))
    g_set_error (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_READ_ONLY,
                 /* Translators: the first %s is a user name, the second the database's own message. */
                 _("The database user “%s” may read this database but not change it. Connect as "
                   "a user who may change it, such as the one Baby Buddy uses. The database "
                   "reported: %s"), self->info->user ? self->info->user : "", raw);
  else
    g_set_error (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_QUERY_FAILED,
                 _("The database reported an error: %s"), raw);
}

/* Bulk statements (a restore's multi-row INSERTs) skip libgda: its parser
 * turns every token of a statement into list nodes and GValues, which cost
 * three quarters of a restore's time. The statement text goes to the client
 * library the provider itself loaded, on the provider's own connection, so
 * transactions and session settings are shared. The handle is found in
 * libgda 5.2's private connection data; its layout is confirmed before the
 * handle is trusted, and without a confirmed handle libgda runs the SQL. */
typedef struct {
  int          (*sqlite_exec)    (gpointer db, const char *sql, gpointer cb, gpointer arg, char **errmsg);
  void         (*sqlite_free)    (gpointer p);
  const char * (*sqlite_filename) (gpointer db, const char *name);
  gpointer     (*pq_exec)        (gpointer conn, const char *sql);
  int          (*pq_result_status) (gpointer result);
  char *       (*pq_error_message) (gpointer result);
  char *       (*pq_error_field) (gpointer result, int field);
  void         (*pq_clear)       (gpointer result);
  int          (*pq_ntuples)     (gpointer result);
  int          (*pq_nfields)     (gpointer result);
  char *       (*pq_getvalue)    (gpointer result, int row, int col);
  int          (*pq_getlength)   (gpointer result, int row, int col);
  int          (*pq_getisnull)   (gpointer result, int row, int col);
  int          (*my_real_query)  (gpointer mysql, const char *sql, unsigned long length);
  const char * (*my_error)       (gpointer mysql);
  unsigned long (*my_thread_id)  (gpointer mysql);
  gpointer     (*my_store_result) (gpointer mysql);
  int          (*my_field_count) (gpointer mysql);
  void         (*my_free_result) (gpointer result);
} NativeApi;

#define PGRES_COMMAND_OK 1
#define PGRES_TUPLES_OK 2
#define PG_DIAG_MESSAGE_PRIMARY 'M'

/* Each client library is looked up once the provider has loaded it, that
 * is, after the first connection to that engine; a miss is remembered. */
static const NativeApi *
native_api (BbEngine engine)
{
  static gsize ready[3];
  static NativeApi api;

  if (g_once_init_enter (&ready[engine]))
    {
      void *lib;

      if (engine == BB_ENGINE_SQLITE
          && (lib = dlopen ("libsqlite3.so.0", RTLD_LAZY | RTLD_NOLOAD)) != NULL)
        {
          api.sqlite_exec = dlsym (lib, "sqlite3_exec");
          api.sqlite_free = dlsym (lib, "sqlite3_free");
          api.sqlite_filename = dlsym (lib, "sqlite3_db_filename");
        }
      if (engine == BB_ENGINE_POSTGRESQL
          && (lib = dlopen ("libpq.so.5", RTLD_LAZY | RTLD_NOLOAD)) != NULL)
        {
          api.pq_exec = dlsym (lib, "PQexec");
          api.pq_result_status = dlsym (lib, "PQresultStatus");
          api.pq_error_message = dlsym (lib, "PQresultErrorMessage");
          api.pq_error_field = dlsym (lib, "PQresultErrorField");
          api.pq_clear = dlsym (lib, "PQclear");
          api.pq_ntuples = dlsym (lib, "PQntuples");
          api.pq_nfields = dlsym (lib, "PQnfields");
          api.pq_getvalue = dlsym (lib, "PQgetvalue");
          api.pq_getlength = dlsym (lib, "PQgetlength");
          api.pq_getisnull = dlsym (lib, "PQgetisnull");
        }
      if (engine == BB_ENGINE_MYSQL
          && (lib = dlopen ("libmariadb.so.3", RTLD_LAZY | RTLD_NOLOAD)) != NULL)
        {
          api.my_real_query = dlsym (lib, "mysql_real_query");
          api.my_error = dlsym (lib, "mysql_error");
          api.my_thread_id = dlsym (lib, "mysql_thread_id");
          api.my_store_result = dlsym (lib, "mysql_store_result");
          api.my_field_count = dlsym (lib, "mysql_field_count");
          api.my_free_result = dlsym (lib, "mysql_free_result");
        }
      g_once_init_leave (&ready[engine], 1);
    }
  return &api;
}

/* Called once the connection is open and its session set up. */
static gpointer
find_native (BbDatabase *self)
{
  gpointer *data = gda_connection_internal_get_provider_data (self->cnc);
  const NativeApi *api = native_api (self->info->engine);

  if (data == NULL)
    return NULL;

  switch (self->info->engine)
    {
    case BB_ENGINE_SQLITE:
      {
        /* (cnc, sqlite3 *, file, …): the handle must hold our file. */
        g_autofree char *ours = NULL, *theirs = NULL;
        const char *file;

        if (data[0] != (gpointer) self->cnc || data[1] == NULL
            || api->sqlite_exec == NULL || api->sqlite_filename == NULL)
          return NULL;
        file = api->sqlite_filename (data[1], "main");
        ours = realpath (self->info->path, NULL);
        theirs = file != NULL ? realpath (file, NULL) : NULL;
        if (ours == NULL || g_strcmp0 (ours, theirs) != 0)
          return NULL;
        return data[1];
      }

    case BB_ENGINE_POSTGRESQL:
      if (api->pq_exec == NULL || api->pq_result_status == NULL || api->pq_error_message == NULL
          || api->pq_error_field == NULL || api->pq_clear == NULL || api->pq_ntuples == NULL
          || api->pq_nfields == NULL || api->pq_getvalue == NULL || api->pq_getlength == NULL
          || api->pq_getisnull == NULL)
        return NULL;
      return self->pgconn;

    case BB_ENGINE_MYSQL:
      {
        /* (reuseable, cnc, MYSQL *, …): the thread id must be this session's. */
        g_autofree char *id = NULL;

        if (data[1] != (gpointer) self->cnc || data[2] == NULL || api->my_real_query == NULL
            || api->my_thread_id == NULL || api->my_store_result == NULL
            || api->my_field_count == NULL || api->my_free_result == NULL)
          return NULL;
        id = bb_database_query_value (self, "SELECT CAST(CONNECTION_ID() AS CHAR)", NULL);
        if (id == NULL || g_ascii_strtoull (id, NULL, 10) != api->my_thread_id (data[2]))
          return NULL;
        return data[2];
      }

    default:
      return NULL;
    }
}

/* PostgreSQL statements go to libpq on the provider's own connection once it
 * is known, never through libgda: libgda 5.2 crashes on an error without an
 * SQLSTATE (see check_connection), which is what libpq reports when the
 * server goes away in the middle of a statement, and check_connection can
 * only see that between statements. libpq also hands out every value as
 * text. Returns the result (PQclear it) or NULL with error set. */
static gpointer
pq_run (BbDatabase  *self,
        const char  *sql,
        GError     **error)
{
  const NativeApi *api = native_api (BB_ENGINE_POSTGRESQL);
  gpointer result = api->pq_exec (self->native, sql);
  int status = result ? api->pq_result_status (result) : -1;
  const char *message;

  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
    return result;

  message = result ? api->pq_error_field (result, PG_DIAG_MESSAGE_PRIMARY) : NULL;
  if (message == NULL && result != NULL)
    message = api->pq_error_message (result);
  g_debug ("statement failed: %.200s: %s", sql, message ? message : "?");
  if (pq_api ()->status (self->native) != PQ_CONNECTION_OK)
    set_connection_lost (error);
  else
    {
      g_autofree char *text = g_strstrip (g_strdup (message ? message : ""));
      set_statement_error (self, error, text);
    }
  if (result != NULL)
    api->pq_clear (result);
  return NULL;
}

static gboolean
uses_libpq (BbDatabase *self)
{
  return self->info->engine == BB_ENGINE_POSTGRESQL && self->native != NULL;
}

/* Empty rows of a result with the columns the caller expects, or NULL. */
static BbRows *
rows_new (guint     n_rows,
          guint     n_cols,
          guint     expected_cols,
          GError  **error)
{
  BbRows *rows;

  if (n_cols != expected_cols)
    {
      g_set_error (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_QUERY_FAILED,
                   "query returned %u columns, expected %u", n_cols, expected_cols);
      return NULL;
    }
  rows = g_new0 (BbRows, 1);
  rows->n_rows = n_rows;
  rows->n_cols = n_cols;
  rows->cells = g_new0 (char *, (gsize) n_rows * n_cols + 1);
  return rows;
}

static BbRows *
pq_query (BbDatabase  *self,
          const char  *sql,
          guint        n_cols,
          GError     **error)
{
  const NativeApi *api = native_api (BB_ENGINE_POSTGRESQL);
  gpointer result = pq_run (self, sql, error);
  BbRows *rows;

  if (result == NULL)
    return NULL;
  rows = rows_new (api->pq_ntuples (result), api->pq_nfields (result), n_cols, error);
  for (guint r = 0; rows != NULL && r < rows->n_rows; r++)
    for (guint c = 0; c < n_cols; c++)
      if (!api->pq_getisnull (result, r, c))
        rows->cells[(gsize) r * n_cols + c] = g_strndup (api->pq_getvalue (result, r, c),
                                                          api->pq_getlength (result, r, c));
  api->pq_clear (result);
  return rows;
}

static gboolean
pq_execute (BbDatabase  *self,
            const char  *sql,
            GError     **error)
{
  gpointer result = pq_run (self, sql, error);

  if (result == NULL)
    return FALSE;
  native_api (BB_ENGINE_POSTGRESQL)->pq_clear (result);
  return TRUE;
}

gboolean
bb_database_execute_bulk (BbDatabase  *self,
                          const char  *sql,
                          gsize        length,
                          GError     **error)
{
  const NativeApi *api = native_api (self->info->engine);
  g_autofree char *message = NULL;

  g_return_val_if_fail (BB_IS_DATABASE (self), FALSE);
  g_return_val_if_fail (self->cnc != NULL, FALSE);

  if (self->native == NULL)
    return bb_database_execute (self, sql, error);
  if (!check_connection (self, error))
    return FALSE;

  switch (self->info->engine)
    {
    case BB_ENGINE_SQLITE:
      {
        char *errmsg = NULL;

        if (api->sqlite_exec (self->native, sql, NULL, NULL, &errmsg) == 0)
          return TRUE;
        message = g_strdup (errmsg ? errmsg : _("unknown error"));
        if (errmsg != NULL)
          api->sqlite_free (errmsg);
        break;
      }

    case BB_ENGINE_POSTGRESQL:
      return pq_execute (self, sql, error);

    case BB_ENGINE_MYSQL:
      if (api->my_real_query (self->native, sql, length) == 0)
        {
          /* A statement with a result must have it fetched before the next one. */
          if (api->my_field_count (self->native) > 0)
            {
              gpointer result = api->my_store_result (self->native);
              if (result != NULL)
                api->my_free_result (result);
            }
          return TRUE;
        }
      message = g_strdup (api->my_error (self->native));
      break;

    default:
      g_assert_not_reached ();
    }

  g_debug ("bulk statement failed: %.200s…: %s", sql, message);
  set_statement_error (self, error, message);
  return FALSE;
}

gboolean
bb_database_has_native_bulk (BbDatabase *self)
{
  g_return_val_if_fail (BB_IS_DATABASE (self), FALSE);
  return self->native != NULL;
}

static gboolean open_full (BbDatabase *self, gboolean create, GError **error);

gboolean
bb_database_open (BbDatabase  *self,
                  GError     **error)
{
  return open_full (self, FALSE, error);
}

/* A new, empty SQLite file (the demo generator); an existing file is refused. */
BbDatabase *
bb_database_create_sqlite (const char  *path,
                           GError     **error)
{
  g_autoptr(BbConnectionInfo) info = g_new0 (BbConnectionInfo, 1);
  g_autoptr(BbDatabase) db = NULL;
  g_autofree char *display = NULL;
  int fd;

  g_return_val_if_fail (path != NULL && g_path_is_absolute (path), NULL);

  /* The file is made here: libgda, given a name that does not exist, opens
   * (and creates) "<name>.db" instead. An empty file is an empty database. */
  display = g_filename_display_name (path);
  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      int saved = errno;

      if (saved == EEXIST)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                     _("“%s” already exists. Choose a new file name."), display);
      else
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                     _("Cannot create “%s”: %s"), display, g_strerror (saved));
      return NULL;
    }
  close (fd);

  info->engine = BB_ENGINE_SQLITE;
  info->path = g_strdup (path);
  db = bb_database_new (info);
  if (!open_full (db, TRUE, error))
    {
      g_unlink (path);
      return NULL;
    }
  return g_steal_pointer (&db);
}

static gboolean
open_full (BbDatabase  *self,
           gboolean     create,
           GError     **error)
{
  g_autoptr(GString) cnc = g_string_new (NULL);
  g_autoptr(GString) auth = g_string_new (NULL);
  g_autoptr(GError) gda_error = NULL;
  const BbConnectionInfo *info;
  const char *provider = NULL;

  g_return_val_if_fail (BB_IS_DATABASE (self), FALSE);

  if (self->cnc != NULL)
    return TRUE;

  info = self->info;
  switch (info->engine)
    {
    case BB_ENGINE_SQLITE:
      {
        g_autofree char *dir = g_path_get_dirname (info->path);
        g_autofree char *base = g_path_get_basename (info->path);

        if (!create && !sqlite_file_check (info->path, error))
          return FALSE;
        provider = "SQLite";
        append_param (cnc, "DB_DIR", dir);
        append_param (cnc, "DB_NAME", base);
      }
      break;

    case BB_ENGINE_POSTGRESQL:
      provider = "PostgreSQL";
      if (info->host != NULL)
        append_pq_param (cnc, "HOST", info->host);
      append_port (cnc, info->port);
      append_pq_param (cnc, "DB_NAME", info->name);
      if (info->user != NULL)
        append_pq_param (auth, "USERNAME", info->user);
      if (info->password != NULL)
        append_pq_param (auth, "PASSWORD", info->password);
      break;

    case BB_ENGINE_MYSQL:
      provider = "MySQL";
      if (info->host != NULL && info->host[0] == '/')
        {
          g_autofree char *socket = NULL;

          if (g_file_test (info->host, G_FILE_TEST_IS_DIR))
            socket = g_build_filename (info->host, "mysqld.sock", NULL);
          else
            socket = g_strdup (info->host);
          append_param (cnc, "UNIX_SOCKET", socket);
        }
      else
        {
          append_param (cnc, "HOST", info->host ? info->host : "localhost");
          append_port (cnc, info->port);
        }
      append_param (cnc, "DB_NAME", info->name);
      if (info->user != NULL)
        append_param (auth, "USERNAME", info->user);
      if (info->password != NULL)
        append_param (auth, "PASSWORD", info->password);
      break;

    default:
      g_assert_not_reached ();
    }

  /* libgda's SQLite provider reads the schema while it opens, before a busy
   * timeout can be set: while Baby Buddy holds its lock, try again. */
  for (gint64 deadline = g_get_monotonic_time () + SQLITE_BUSY_TIMEOUT_MS * G_GINT64_CONSTANT (1000);;)
    {
      self->cnc = gda_connection_open_from_string (provider, cnc->str,
                                                   auth->len ? auth->str : NULL,
                                                   GDA_CONNECTION_OPTIONS_NONE, &gda_error);
      if (self->cnc != NULL || info->engine != BB_ENGINE_SQLITE || gda_error == NULL
          || strstr (gda_error->message, "database is locked") == NULL
          || g_get_monotonic_time () > deadline)
        break;
      g_clear_error (&gda_error);
      g_usleep (20 * 1000);
    }
  if (auth->len > 0)
    explicit_bzero (auth->str, auth->len);

  if (self->cnc == NULL)
    {
      set_connect_error (error, info, gda_error);
      return FALSE;
    }

  if (info->engine == BB_ENGINE_POSTGRESQL)
    self->pgconn = find_pgconn (self->cnc);

  self->parser = gda_connection_create_parser (self->cnc);
  if (self->parser == NULL)
    self->parser = gda_sql_parser_new ();
  /* libgda runs a parsed BEGIN only through its own transaction API, which
   * cannot say READ ONLY or WITH CONSISTENT SNAPSHOT: statements are passed
   * through as written instead. */
  self->raw_parser = gda_sql_parser_new ();
  g_object_set (self->raw_parser, "mode", GDA_SQL_PARSER_MODE_DELIMIT, NULL);

  if (!setup_session (self, error))
    {
      bb_database_close (self);
      return FALSE;
    }
  self->native = find_native (self);
  if (self->native == NULL)
    g_debug ("No native handle for bulk statements on %s: libgda runs them",
             bb_engine_to_display (info->engine));
  return TRUE;
}

void
bb_database_close (BbDatabase *self)
{
  g_return_if_fail (BB_IS_DATABASE (self));

  g_clear_object (&self->parser);
  g_clear_object (&self->raw_parser);
  self->pgconn = NULL;
  self->native = NULL;
  if (self->cnc != NULL)
    {
      gda_connection_close_no_warning (self->cnc);
      g_clear_object (&self->cnc);
    }
}

static GdaStatement *
parse (GdaSqlParser  *parser,
       const char    *sql,
       GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  GdaStatement *stmt;

  stmt = gda_sql_parser_parse_string (parser, sql, NULL, &local_error);
  if (stmt == NULL)
    {
      g_set_error (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_QUERY_FAILED,
                   _("The database query could not be prepared: %s"),
                   local_error ? local_error->message : "");
      return NULL;
    }
  return stmt;
}

static void
set_query_error (BbDatabase    *self,
                 GError       **error,
                 const GError  *gda_error)
{
  set_statement_error (self, error, gda_error ? gda_error->message : NULL);
}

/* Every value comes back as text: libgda's native types lose data (LIBGDA.md),
 * so SQLite and PostgreSQL are asked for strings and MySQL casts in the SQL. */
BbRows *
bb_database_query (BbDatabase  *self,
                   const char  *sql,
                   guint        n_cols,
                   GError     **error)
{
  g_autoptr(GdaStatement) stmt = NULL;
  g_autoptr(GdaDataModel) model = NULL;
  g_autoptr(GError) gda_error = NULL;
  g_autofree GType *col_types = NULL;
  BbRows *rows;

  g_return_val_if_fail (BB_IS_DATABASE (self), NULL);
  g_return_val_if_fail (self->cnc != NULL, NULL);

  if (!check_connection (self, error))
    return NULL;
  if (uses_libpq (self))
    return pq_query (self, sql, n_cols, error);

  /* libgda re-renders a parsed CAST(x AS CHAR) as "CAST (x AS CHAR)", which
   * MariaDB rejects as a syntax error: MySQL gets the SQL as written. */
  stmt = parse (self->info->engine == BB_ENGINE_MYSQL ? self->raw_parser : self->parser,
                sql, error);
  if (stmt == NULL)
    return NULL;

  if (self->info->engine != BB_ENGINE_MYSQL)
    {
      col_types = g_new (GType, n_cols + 1);
      for (guint i = 0; i < n_cols; i++)
        col_types[i] = G_TYPE_STRING;
      col_types[n_cols] = G_TYPE_NONE;
    }

  model = gda_connection_statement_execute_select_full (self->cnc, stmt, NULL,
                                                        GDA_STATEMENT_MODEL_RANDOM_ACCESS,
                                                        col_types, &gda_error);
  /* Statements are never released otherwise (PostgreSQL keeps each one
   * prepared server-side; MariaDB refuses more after ~16k). */
  gda_connection_del_prepared_statement (self->cnc, stmt);

  if (model == NULL)
    {
      g_debug ("query failed: %s: %s", sql, gda_error ? gda_error->message : "?");
      set_query_error (self, error, gda_error);
      return NULL;
    }

  rows = rows_new (gda_data_model_get_n_rows (model), gda_data_model_get_n_columns (model),
                   n_cols, error);
  if (rows == NULL)
    return NULL;

  for (guint r = 0; r < rows->n_rows; r++)
    {
      for (guint c = 0; c < n_cols; c++)
        {
          const GValue *value = gda_data_model_get_value_at (model, c, r, &gda_error);
          char **cell = &rows->cells[(gsize) r * n_cols + c];

          if (value == NULL)
            {
              bb_rows_free (rows);
              set_query_error (self, error, gda_error);
              return NULL;
            }
          if (gda_value_is_null (value))
            *cell = NULL;
          else if (G_VALUE_HOLDS_STRING (value))
            {
              /* The MySQL provider hands out '' as a string GValue holding
               * NULL; SQL NULL is a GdaNull, handled above. */
              const char *text = g_value_get_string (value);
              *cell = g_strdup (text != NULL ? text : "");
            }
          else if (G_VALUE_HOLDS (value, GDA_TYPE_BINARY))
            {
              const GdaBinary *bin = gda_value_get_binary (value);
              *cell = g_strndup ((const char *) bin->data, bin->binary_length);
            }
          else
            *cell = gda_value_stringify (value);
        }
    }

  return rows;
}

char *
bb_database_query_value (BbDatabase  *self,
                         const char  *sql,
                         GError     **error)
{
  g_autoptr(BbRows) rows = bb_database_query (self, sql, 1, error);

  if (rows == NULL)
    return NULL;
  if (rows->n_rows == 0 || bb_rows_get (rows, 0, 0) == NULL)
    return g_strdup ("");
  return g_strdup (bb_rows_get (rows, 0, 0));
}

gboolean
bb_database_execute (BbDatabase  *self,
                     const char  *sql,
                     GError     **error)
{
  g_autoptr(GdaStatement) stmt = NULL;
  g_autoptr(GError) gda_error = NULL;
  gint result;

  g_return_val_if_fail (BB_IS_DATABASE (self), FALSE);
  g_return_val_if_fail (self->cnc != NULL, FALSE);

  if (!check_connection (self, error))
    return FALSE;
  if (uses_libpq (self))
    return pq_execute (self, sql, error);

  stmt = parse (self->raw_parser, sql, error);
  if (stmt == NULL)
    return FALSE;

  result = gda_connection_statement_execute_non_select (self->cnc, stmt, NULL, NULL, &gda_error);
  gda_connection_del_prepared_statement (self->cnc, stmt);
  /* -2 means "done, but no row count" (BEGIN, SET, PRAGMA). */
  if (result == -1 || gda_error != NULL)
    {
      g_debug ("statement failed (%d): %s: %s", result, sql, gda_error ? gda_error->message : "?");
      set_query_error (self, error, gda_error);
      return FALSE;
    }
  return TRUE;
}

BbEngine
bb_database_get_engine (BbDatabase *self)
{
  g_return_val_if_fail (BB_IS_DATABASE (self), BB_ENGINE_SQLITE);
  return self->info->engine;
}

const BbConnectionInfo *
bb_database_get_info (BbDatabase *self)
{
  g_return_val_if_fail (BB_IS_DATABASE (self), NULL);
  return self->info;
}

static void
bb_database_finalize (GObject *object)
{
  BbDatabase *self = BB_DATABASE (object);

  bb_database_close (self);
  g_clear_pointer (&self->info, bb_connection_info_free);

  G_OBJECT_CLASS (bb_database_parent_class)->finalize (object);
}

static void
bb_database_class_init (BbDatabaseClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bb_database_finalize;
}

static void
bb_database_init (BbDatabase *self)
{
}

BbDatabase *
bb_database_new (const BbConnectionInfo *info)
{
  static gsize gda_ready = 0;
  BbDatabase *self;

  g_return_val_if_fail (info != NULL, NULL);

  if (g_once_init_enter (&gda_ready))
    {
      gda_init ();
      g_once_init_leave (&gda_ready, 1);
    }

  self = g_object_new (BB_TYPE_DATABASE, NULL);
  self->info = bb_connection_info_copy (info);
  return self;
}
