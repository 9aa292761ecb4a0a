/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-database.h: the one place that talks to libgda (text in, text out). */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  BB_ENGINE_SQLITE,
  BB_ENGINE_POSTGRESQL,
  BB_ENGINE_MYSQL,
} BbEngine;

const char *bb_engine_to_django (BbEngine engine);
const char *bb_engine_to_display (BbEngine engine);
gboolean    bb_engine_from_django (const char *name,
                                   BbEngine   *engine);

#define BB_DATABASE_ERROR (bb_database_error_quark ())

typedef enum {
  BB_DATABASE_ERROR_INVALID_URL,
  BB_DATABASE_ERROR_NOT_FOUND,
  BB_DATABASE_ERROR_NOT_SQLITE,
  BB_DATABASE_ERROR_AUTH_FAILED,
  BB_DATABASE_ERROR_UNREACHABLE,
  BB_DATABASE_ERROR_NO_SUCH_DATABASE,
  BB_DATABASE_ERROR_NOT_BABYBUDDY,
  BB_DATABASE_ERROR_QUERY_FAILED,
  BB_DATABASE_ERROR_MISSING_PROVIDER,
  BB_DATABASE_ERROR_CONNECTION_LOST,   /* the server went away while in use */
  BB_DATABASE_ERROR_READ_ONLY,         /* the database or the user may not change data */
} BbDatabaseError;

GQuark bb_database_error_quark (void);

/* Where a database is; the password is held here and nowhere else. */
typedef struct {
  BbEngine  engine;
  char     *path;        /* SQLite: absolute path of the file */
  char     *host;        /* NULL: default; starts with '/': socket folder or file */
  guint     port;        /* 0: default */
  char     *name;
  char     *user;
  char     *password;
} BbConnectionInfo;

BbConnectionInfo *bb_connection_info_new_from_url (const char          *url,
                                                   GError             **error);
BbConnectionInfo *bb_connection_info_new_from_env (const char * const  *envp,
                                                   GError             **error);
BbConnectionInfo *bb_connection_info_copy         (const BbConnectionInfo *info);
void              bb_connection_info_free         (BbConnectionInfo   *info);
void              bb_connection_info_set_password (BbConnectionInfo   *info,
                                                   const char         *password);
char             *bb_connection_info_describe     (const BbConnectionInfo *info);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbConnectionInfo, bb_connection_info_free)

/* A result set as text: cells are NULL for SQL NULL. */
typedef struct {
  guint   n_rows;
  guint   n_cols;
  char  **cells;
} BbRows;

static inline const char *
bb_rows_get (const BbRows *rows, guint row, guint col)
{
  return rows->cells[(gsize) row * rows->n_cols + col];
}

void bb_rows_free (BbRows *rows);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbRows, bb_rows_free)

#define BB_TYPE_DATABASE (bb_database_get_type ())
G_DECLARE_FINAL_TYPE (BbDatabase, bb_database, BB, DATABASE, GObject)

BbDatabase             *bb_database_new        (const BbConnectionInfo *info);
BbDatabase             *bb_database_create_sqlite (const char     *path,
                                                   GError        **error);
gboolean                bb_database_open       (BbDatabase   *self,
                                                GError      **error);
void                    bb_database_close      (BbDatabase   *self);
BbEngine                bb_database_get_engine (BbDatabase   *self);
const BbConnectionInfo *bb_database_get_info   (BbDatabase   *self);
BbRows                 *bb_database_query      (BbDatabase   *self,
                                                const char   *sql,
                                                guint         n_cols,
                                                GError      **error);
gboolean                bb_database_execute    (BbDatabase   *self,
                                                const char   *sql,
                                                GError      **error);
/* A long statement that returns nothing (a multi-row INSERT): sent to the
 * engine's client library as written when the connection's handle is known,
 * else through libgda like bb_database_execute. */
gboolean                bb_database_execute_bulk (BbDatabase *self,
                                                  const char *sql,
                                                  gsize       length,
                                                  GError    **error);
gboolean                bb_database_has_native_bulk (BbDatabase *self);
char                   *bb_database_query_value (BbDatabase  *self,
                                                 const char  *sql,
                                                 GError     **error);

G_END_DECLS
