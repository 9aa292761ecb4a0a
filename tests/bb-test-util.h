/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-test-util.h: what several tests need: temporary folders, the shared
 * reference data, reading backups back, running the command line, and the
 * PostgreSQL/MariaDB servers that tests/servers.sh starts. */

#pragma once

#include <gio/gio.h>

#include "bb-database.h"

G_BEGIN_DECLS

const char *bb_test_shared_dir     (void);   /* ../shared, or $BB_SHARED_DIR */
const char *bb_test_source_dir     (void);
const char *bb_test_cli_path       (void);   /* the built babybuddy-backup */
char       *bb_test_make_tmpdir    (void);   /* removed by bb_test_remove_tree */
void        bb_test_remove_tree    (const char *path);

/* Whether two doubles read back from a database are the same. Valgrind runs
 * x87 long double arithmetic in double precision, and SQLite converts REAL to
 * and from text in long double: under Valgrind (BB_VALGRIND, set by the
 * valgrind test setup) the last bits differ (seen: 18 units in the 17th
 * digit at 1e-230), so 14 equal significant digits count as the same there,
 * and nowhere else. */
gboolean    bb_test_same_double    (double a,
                                    double b);
/* The same text (a logical dump); under Valgrind, numbers compared by
 * bb_test_same_double. */
gboolean    bb_test_same_text      (const char *a,
                                    const char *b);
/* The same bytes; under Valgrind, numbers compared by bb_test_same_double. */
gboolean    bb_test_same_model_file (GBytes *a,
                                     GBytes *b);

/* A private copy of ../shared/babybuddy/sqlite/db.sqlite3 in dir. */
char       *bb_test_copy_reference_sqlite (const char *dir);
/* A copy of the reference database's tables and reference rows only. */
char       *bb_test_make_empty_sqlite     (const char *dir);
void        bb_test_sqlite_exec           (const char *path,
                                           const char *sql);

/* The reference data's datetimes and times cut to milliseconds, as Django's
 * dumpdata (and so the PostgreSQL and MariaDB reference data) has them. */
void        bb_test_truncate_sqlite_to_ms (const char *path);
BbConnectionInfo *bb_test_sqlite_info     (const char *path);
/* A backup of info into folder (asserts success); the file's path. */
char       *bb_test_backup                (const BbConnectionInfo *info,
                                           const char             *folder);
/* Fails the test unless both ZIPs hold the same model and media files, byte
 * for byte (metadata.json aside). */
void        bb_test_assert_same_models    (const char *expected_zip,
                                           const char *actual_zip);
/* Every row of every table, as sorted text. */
char       *bb_test_logical_dump          (const BbConnectionInfo *info);

/* entry name -> GBytes, for every entry of a ZIP. */
GHashTable *bb_test_read_zip       (const char *path);
/* Names of the files in dir (not recursive), sorted. */
GStrv       bb_test_list_dir       (const char *dir);
/* Fails the test unless dir holds nothing, naming what it holds. */
void        bb_test_assert_dir_empty (const char *dir);

/* Runs babybuddy-backup with argv (NULL-terminated, without the program);
 * returns the exit status; standard output and error go to out and err when not NULL. */
int         bb_test_run_cli        (const char * const *argv,
                                    const char * const *envp,
                                    char              **out,
                                    char              **err);

/* The same as the user nobody when the tests run as root (who may write
 * anywhere), else as this user; in the folder /. */
int         bb_test_run_cli_unprivileged (const char * const *argv,
                                          const char * const *envp,
                                          char              **err);

/* Servers. bb_test_servers_start() starts PostgreSQL and MariaDB once per
 * test program (or uses $BB_TEST_SERVERS_DIR when a harness started them) and
 * stops them at exit. */
void        bb_test_servers_start  (void);
/* A fresh copy of bb_ref or bb_schema named dst; engine is "pg" or "mysql". */
void        bb_test_servers_clone  (const char *engine,
                                    const char *src,
                                    const char *dst);
/* Runs SQL as the superuser; returns the rows as text. */
char       *bb_test_servers_sql    (const char *engine,
                                    const char *db,
                                    const char *sql);
/* Connection to database db as the test user (password set). */
BbConnectionInfo *bb_test_servers_info (BbEngine    engine,
                                        const char *db);
/* The same as a URL with the password percent-encoded. */
char       *bb_test_servers_url    (BbEngine    engine,
                                    const char *db);

/* TRUE when this program started the servers itself (not a harness through
 * $BB_TEST_SERVERS_DIR): only then may a test stop them. */
gboolean    bb_test_servers_owned   (void);
/* Stops one server ("pg" or "mysql") as its administrator would (a fast
 * shutdown), and starts it again with the same data on the same port. */
void        bb_test_servers_stop    (const char *engine);
void        bb_test_servers_restart (const char *engine);

/* PostgreSQL: the socket folder; MariaDB: the socket file. */
const char *bb_test_servers_socket   (BbEngine    engine);
const char *bb_test_servers_password (void);

G_END_DECLS
