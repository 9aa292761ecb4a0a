/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-database.c: connection URLs, Baby Buddy's environment variables, and
 * opening SQLite files (the server engines are in test-backup-servers.c). */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "bb-database.h"
#include "bb-schema.h"
#include "bb-test-util.h"

static void
test_url_sqlite (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbConnectionInfo) a = bb_connection_info_new_from_url ("sqlite:///data/db.sqlite3", &error);
  g_autoptr(BbConnectionInfo) b = NULL;
  g_autoptr(BbConnectionInfo) c = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (a->engine, ==, BB_ENGINE_SQLITE);
  g_assert_cmpstr (a->path, ==, "/data/db.sqlite3");

  /* dj-database-url's four-slash form and percent-encoding. */
  b = bb_connection_info_new_from_url ("sqlite:////srv/baby%20buddy/db.sqlite3", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (b->path, ==, "/srv/baby buddy/db.sqlite3");

  c = bb_connection_info_new_from_url ("sqlite://relative.db", &error);
  g_assert_error (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_INVALID_URL);
  g_assert_null (c);
}

static void
test_url_servers (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbConnectionInfo) pg = NULL;
  g_autoptr(BbConnectionInfo) my = NULL;
  g_autoptr(BbConnectionInfo) sock = NULL;
  g_autoptr(BbConnectionInfo) v6 = NULL;
  g_autofree char *described = NULL;

  pg = bb_connection_info_new_from_url ("postgres://baby:p%40ss%3Aw%27rd@db.local:5433/babybuddy", &error);
  g_assert_no_error (error);
  g_assert_cmpint (pg->engine, ==, BB_ENGINE_POSTGRESQL);
  g_assert_cmpstr (pg->user, ==, "baby");
  g_assert_cmpstr (pg->password, ==, "p@ss:w'rd");
  g_assert_cmpstr (pg->host, ==, "db.local");
  g_assert_cmpuint (pg->port, ==, 5433);
  g_assert_cmpstr (pg->name, ==, "babybuddy");

  /* Never the password in anything shown. */
  described = bb_connection_info_describe (pg);
  g_assert_null (strstr (described, "p@ss"));
  g_assert_nonnull (strstr (described, "db.local"));

  my = bb_connection_info_new_from_url ("mariadb://root@localhost/bb?charset=utf8mb4", &error);
  g_assert_no_error (error);
  g_assert_cmpint (my->engine, ==, BB_ENGINE_MYSQL);
  g_assert_null (my->password);
  g_assert_cmpuint (my->port, ==, 0);
  g_assert_cmpstr (my->name, ==, "bb");

  /* A socket folder as host. */
  sock = bb_connection_info_new_from_url ("postgresql://bb@%2Fvar%2Frun%2Fpostgresql/babybuddy", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sock->host, ==, "/var/run/postgresql");

  v6 = bb_connection_info_new_from_url ("postgres://u:p@[::1]:5432/x", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (v6->host, ==, "::1");
  g_assert_cmpuint (v6->port, ==, 5432);
}

static void
test_url_invalid (void)
{
  static const char *bad[] = {
    "db.sqlite3",
    "oracle://u:p@h/db",
    "postgres://u:p@host:99999/db",
    "postgres://u:p@host:5432/",
    "mysql://u:p@host",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BbConnectionInfo) info = bb_connection_info_new_from_url (bad[i], &error);

      g_assert_null (info);
      g_assert_error (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_INVALID_URL);
    }
}

static void
test_env (void)
{
  g_autoptr(GError) error = NULL;
  const char *pg_env[] = { "DB_ENGINE=django.db.backends.postgresql", "DB_NAME=babybuddy",
                           "DB_USER=bb", "DB_PASSWORD=s3cret", "DB_HOST=db", "DB_PORT=5432", NULL };
  const char *url_env[] = { "DB_ENGINE=django.db.backends.postgresql", "DB_NAME=ignored",
                            "DATABASE_URL=mysql://a:b@h:3307/real", NULL };
  const char *sqlite_env[] = { "DB_NAME=/app/data/db.sqlite3", NULL };
  const char *bad_engine[] = { "DB_ENGINE=django.db.backends.oracle", "DB_NAME=x", NULL };
  const char *nothing[] = { "HOME=/root", NULL };
  g_autoptr(BbConnectionInfo) pg = bb_connection_info_new_from_env (pg_env, &error);
  g_autoptr(BbConnectionInfo) url = NULL;
  g_autoptr(BbConnectionInfo) sqlite = NULL;
  g_autoptr(BbConnectionInfo) none = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (pg->engine, ==, BB_ENGINE_POSTGRESQL);
  g_assert_cmpstr (pg->password, ==, "s3cret");
  g_assert_cmpstr (pg->host, ==, "db");
  g_assert_cmpuint (pg->port, ==, 5432);

  /* DATABASE_URL wins, as in Baby Buddy's settings. */
  url = bb_connection_info_new_from_env (url_env, &error);
  g_assert_no_error (error);
  g_assert_cmpint (url->engine, ==, BB_ENGINE_MYSQL);
  g_assert_cmpstr (url->name, ==, "real");
  g_assert_cmpuint (url->port, ==, 3307);

  /* Baby Buddy's default engine is SQLite. */
  sqlite = bb_connection_info_new_from_env (sqlite_env, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite->engine, ==, BB_ENGINE_SQLITE);
  g_assert_cmpstr (sqlite->path, ==, "/app/data/db.sqlite3");

  none = bb_connection_info_new_from_env (bad_engine, &error);
  g_assert_null (none);
  g_assert_error (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_INVALID_URL);
  g_clear_error (&error);

  none = bb_connection_info_new_from_env (nothing, &error);
  g_assert_null (none);
  g_assert_error (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_INVALID_URL);
}

static BbDatabase *
sqlite_database (const char *path)
{
  g_autoptr(BbConnectionInfo) info = g_new0 (BbConnectionInfo, 1);

  info->engine = BB_ENGINE_SQLITE;
  info->path = g_strdup (path);
  return bb_database_new (info);
}

static void
test_sqlite_missing_not_created (void)
{
  g_autofree char *dir = bb_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "typo.sqlite3", NULL);
  g_autoptr(BbDatabase) db = sqlite_database (path);
  g_autoptr(GError) error = NULL;

  g_assert_false (bb_database_open (db, &error));
  g_assert_error (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, path));
  /* libgda would have created an empty file: it must not exist. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  bb_test_remove_tree (dir);
}

static void
test_sqlite_not_sqlite (void)
{
  g_autofree char *dir = bb_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "notes.txt", NULL);
  g_autoptr(BbDatabase) db = sqlite_database (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "just some text, not a database at all", -1, NULL));
  g_assert_false (bb_database_open (db, &error));
  g_assert_error (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_NOT_SQLITE);
  bb_test_remove_tree (dir);
}

static void
test_sqlite_not_babybuddy (void)
{
  g_autofree char *dir = bb_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "other.sqlite3", NULL);
  g_autoptr(BbDatabase) db = NULL;
  g_autoptr(BbSchema) schema = NULL;
  g_autoptr(GError) error = NULL;

  bb_test_sqlite_exec (path, "CREATE TABLE recipes (id integer primary key, name text);");
  db = sqlite_database (path);
  g_assert_true (bb_database_open (db, &error));
  g_assert_no_error (error);
  schema = bb_schema_load (db, &error);
  g_assert_null (schema);
  g_assert_error (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_NOT_BABYBUDDY);
  bb_test_remove_tree (dir);
}

static void
test_sqlite_query_text (void)
{
  g_autofree char *dir = bb_test_make_tmpdir ();
  g_autofree char *path = bb_test_copy_reference_sqlite (dir);
  g_autoptr(BbDatabase) db = sqlite_database (path);
  g_autoptr(BbRows) rows = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (bb_database_open (db, &error));
  /* Values libgda's native types would lose: > 2^31, NULL, and text. */
  rows = bb_database_query (db, "SELECT 4294967296 * 3, NULL, 'x''y', printf('%!.17g', 0.1 + 0.2)",
                            4, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->n_rows, ==, 1);
  g_assert_cmpstr (bb_rows_get (rows, 0, 0), ==, "12884901888");
  g_assert_null (bb_rows_get (rows, 0, 1));
  g_assert_cmpstr (bb_rows_get (rows, 0, 2), ==, "x'y");
  g_assert_cmpstr (bb_rows_get (rows, 0, 3), ==, "0.30000000000000004");

  g_assert_null (bb_database_query (db, "SELECT * FROM no_such_table", 1, &error));
  g_assert_error (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_QUERY_FAILED);
  bb_test_remove_tree (dir);
}

static void
test_schema_reference (void)
{
  g_autofree char *dir = bb_test_make_tmpdir ();
  g_autofree char *path = bb_test_copy_reference_sqlite (dir);
  g_autoptr(BbDatabase) db = sqlite_database (path);
  g_autoptr(BbSchema) schema = NULL;
  g_autoptr(GError) error = NULL;
  BbModel *user, *feeding, *tagged;

  g_assert_true (bb_database_open (db, &error));
  schema = bb_schema_load (db, &error);
  g_assert_no_error (error);

  /* 30 dumpdata models less the three Baby Buddy's migrations recreate. */
  g_assert_cmpuint (schema->models->len, ==, 27);
  g_assert_null (bb_schema_find_model (schema, "sessions.session"));
  g_assert_null (bb_schema_find_model (schema, "auth.permission"));
  g_assert_null (bb_schema_find_model (schema, "contenttypes.contenttype"));
  g_assert_null (bb_schema_find_model (schema, "auth.user_groups"));
  g_assert_cmpuint (schema->unknown_tables->len, ==, 0);
  g_assert_cmpstr (schema->babybuddy_version, ==, "2.9.0 - 2.10.0");
  g_assert_cmpuint (schema->migrations->len, ==, 102);

  user = bb_schema_find_model (schema, "auth.user");
  g_assert_nonnull (user);
  g_assert_cmpuint (user->m2m->len, ==, 2);

  /* dumpdata's field order, not the table's column order ("end" comes first in SQLite). */
  feeding = bb_schema_find_model (schema, "core.feeding");
  g_assert_cmpstr (((BbField *) g_ptr_array_index (feeding->fields, 1))->name, ==, "start");
  g_assert_cmpstr (((BbField *) g_ptr_array_index (feeding->fields, 2))->name, ==, "end");
  g_assert_cmpint (((BbField *) g_ptr_array_index (feeding->fields, 3))->kind, ==, BB_FIELD_DURATION);

  tagged = bb_schema_find_model (schema, "core.tagged");
  g_assert_cmpint (((BbField *) g_ptr_array_index (tagged->fields, 0))->ref, ==, BB_REF_CONTENT_TYPE);
  g_assert_cmpstr (g_hash_table_lookup (schema->content_types, "4"), ==, "[\"core\", \"feeding\"]");
  bb_test_remove_tree (dir);
}

static void
test_sql_type_inference (void)
{
  g_assert_cmpint (bb_field_kind_from_sql ("integer"), ==, BB_FIELD_INTEGER);
  g_assert_cmpint (bb_field_kind_from_sql ("int(11)"), ==, BB_FIELD_INTEGER);
  g_assert_cmpint (bb_field_kind_from_sql ("bigint(20) unsigned"), ==, BB_FIELD_INTEGER);
  g_assert_cmpint (bb_field_kind_from_sql ("tinyint(1)"), ==, BB_FIELD_BOOLEAN);
  g_assert_cmpint (bb_field_kind_from_sql ("boolean"), ==, BB_FIELD_BOOLEAN);
  g_assert_cmpint (bb_field_kind_from_sql ("interval"), ==, BB_FIELD_DURATION);
  g_assert_cmpint (bb_field_kind_from_sql ("timestamp with time zone"), ==, BB_FIELD_DATETIME);
  g_assert_cmpint (bb_field_kind_from_sql ("datetime(6)"), ==, BB_FIELD_DATETIME);
  g_assert_cmpint (bb_field_kind_from_sql ("time without time zone"), ==, BB_FIELD_TIME);
  g_assert_cmpint (bb_field_kind_from_sql ("date"), ==, BB_FIELD_DATE);
  g_assert_cmpint (bb_field_kind_from_sql ("double precision"), ==, BB_FIELD_FLOAT);
  g_assert_cmpint (bb_field_kind_from_sql ("REAL"), ==, BB_FIELD_FLOAT);
  g_assert_cmpint (bb_field_kind_from_sql ("numeric(10,2)"), ==, BB_FIELD_DECIMAL);
  g_assert_cmpint (bb_field_kind_from_sql ("inet"), ==, BB_FIELD_IP);
  g_assert_cmpint (bb_field_kind_from_sql ("varchar(100)"), ==, BB_FIELD_TEXT);
  g_assert_cmpint (bb_field_kind_from_sql ("point"), ==, BB_FIELD_TEXT);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bb/database/url/sqlite", test_url_sqlite);
  g_test_add_func ("/bb/database/url/servers", test_url_servers);
  g_test_add_func ("/bb/database/url/invalid", test_url_invalid);
  g_test_add_func ("/bb/database/env", test_env);
  g_test_add_func ("/bb/database/sqlite/missing-not-created", test_sqlite_missing_not_created);
  g_test_add_func ("/bb/database/sqlite/not-sqlite", test_sqlite_not_sqlite);
  g_test_add_func ("/bb/database/sqlite/not-babybuddy", test_sqlite_not_babybuddy);
  g_test_add_func ("/bb/database/sqlite/query-text", test_sqlite_query_text);
  g_test_add_func ("/bb/database/schema/reference", test_schema_reference);
  g_test_add_func ("/bb/database/schema/sql-types", test_sql_type_inference);

  return g_test_run ();
}
