/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-test-writer.c: another process that changes Baby Buddy rows at full
 * speed while a test backs the database up.
 *
 * Usage: bb-test-writer URL TAG
 *
 * Transaction k (1, 2, ...) inserts the child "writer-TAG-k", two feedings of
 * it with the notes "writer TAG k", moves the amount of an older feeding, and
 * sets the note "writer TAG" (made by the first transaction) to "writer TAG
 * k". So in any consistent snapshot: feedings = 2 x children, the note names
 * the last child, and every feeding's child is there. Prints "ready" once the
 * first transaction is in, and on SIGTERM (between transactions) the number
 * of transactions and of waits for a lock, then exits 0. */

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "bb-database.h"

static volatile sig_atomic_t stop;

static void
on_term (int signum)
{
  stop = 1;
}

/* SQLite answers "database is locked" while a reader holds its lock. */
static gboolean
is_busy (const GError *error)
{
  return strstr (error->message, "locked") != NULL || strstr (error->message, "busy") != NULL;
}

static gboolean
run_transaction (BbDatabase  *db,
                 const char  *tag,
                 guint64      k,
                 GError     **error)
{
  BbEngine engine = bb_database_get_engine (db);
  const char *end = engine == BB_ENGINE_MYSQL ? "`end`" : "\"end\"";
  const char *begin = engine == BB_ENGINE_SQLITE ? "BEGIN IMMEDIATE"
                      : engine == BB_ENGINE_MYSQL ? "START TRANSACTION" : "BEGIN";
  g_autofree char *child = g_strdup_printf (
    "INSERT INTO core_child (first_name, last_name, birth_date, slug, picture) "
    "VALUES ('Writer', '%" G_GUINT64_FORMAT "', '2025-01-01', 'writer-%s-%" G_GUINT64_FORMAT "', '')",
    k, tag, k);
  g_autofree char *feedings = g_strdup_printf (
    "INSERT INTO core_feeding (start, %s, duration, type, method, amount, child_id, notes) "
    "SELECT '2025-01-01 10:00:00', '2025-01-01 10:20:00', NULL, 'formula', 'bottle', %" G_GUINT64_FORMAT
    ", c.id, 'writer %s %" G_GUINT64_FORMAT "' FROM core_child c, (SELECT 1 AS n UNION ALL SELECT 2) two "
    "WHERE c.slug = 'writer-%s-%" G_GUINT64_FORMAT "'",
    end, k, tag, k, tag, k);
  g_autofree char *note = k == 1
    ? g_strdup_printf ("INSERT INTO core_note (note, child_id, time, image) SELECT 'writer %s 1', id, "
                       "'2025-01-01 12:00:00', '' FROM core_child WHERE slug = 'writer-%s-1'", tag, tag)
    : g_strdup_printf ("UPDATE core_note SET note = 'writer %s %" G_GUINT64_FORMAT "' "
                       "WHERE note LIKE 'writer %s %%'", tag, k, tag);
  /* An update of a row the backup reads too (ids start at 1 everywhere). */
  g_autofree char *update = g_strdup_printf ("UPDATE core_feeding SET amount = %" G_GUINT64_FORMAT
                                             " WHERE id = %" G_GUINT64_FORMAT, k, 1 + k % 500);

  if (!bb_database_execute (db, begin, error))
    return FALSE;
  if (!bb_database_execute (db, child, error) || !bb_database_execute (db, feedings, error)
      || !bb_database_execute (db, note, error) || !bb_database_execute (db, update, error)
      || !bb_database_execute (db, "COMMIT", error))
    {
      bb_database_execute (db, "ROLLBACK", NULL);
      return FALSE;
    }
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_autoptr(BbConnectionInfo) info = NULL;
  g_autoptr(BbDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BbRows) rows = NULL;
  struct sigaction sa = { 0 };
  guint64 k = 1, waits = 0;

  if (argc != 3)
    {
      fprintf (stderr, "usage: bb-test-writer URL TAG\n");
      return 2;
    }
  sa.sa_handler = on_term;
  sigaction (SIGTERM, &sa, NULL);

  info = bb_connection_info_new_from_url (argv[1], &error);
  if (info != NULL)
    {
      db = bb_database_new (info);
      /* Like Django on SQLite (5 s by default), wait for another's lock. */
      if (bb_database_open (db, &error) && info->engine == BB_ENGINE_SQLITE)
        rows = bb_database_query (db, "PRAGMA busy_timeout = 5000", 1, &error);
    }
  while (error == NULL && !stop)
    {
      if (run_transaction (db, argv[2], k, &error))
        {
          if (k++ == 1)
            {
              printf ("ready\n");
              fflush (stdout);
            }
        }
      else if (is_busy (error))
        {
          g_clear_error (&error);
          waits++;
          g_usleep (1000);
        }
    }
  if (error != NULL)
    {
      fprintf (stderr, "bb-test-writer: %s\n", error->message);
      return 1;
    }
  printf ("transactions %" G_GUINT64_FORMAT " waits %" G_GUINT64_FORMAT "\n", k - 1, waits);
  return 0;
}
