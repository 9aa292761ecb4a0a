/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-summary.c: a few small queries over a Baby Buddy database, run in a
 * worker thread by the window. Reads only; holds the connection no longer
 * than the queries take. */

#define G_LOG_DOMAIN "bb-summary"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "bb-dialect.h"
#include "bb-schema.h"
#include "bb-summary.h"

static void
summary_user_free (BbSummaryUser *user)
{
  g_free (user->username);
  g_free (user->timezone);
  g_free (user);
}

void
bb_database_summary_free (BbDatabaseSummary *summary)
{
  if (summary == NULL)
    return;
  g_free (summary->babybuddy_version);
  g_clear_pointer (&summary->children, g_ptr_array_unref);
  g_clear_pointer (&summary->users, g_ptr_array_unref);
  g_free (summary);
}

static gboolean
load_users (BbDatabase         *db,
            BbSchema           *schema,
            BbDatabaseSummary  *summary,
            GError            **error)
{
  g_autoptr(BbRows) rows = NULL;
  const char *sql;

  if (g_hash_table_contains (schema->tables, "babybuddy_settings"))
    sql = "SELECT u.username, s.timezone FROM auth_user u "
          "LEFT JOIN babybuddy_settings s ON s.user_id = u.id ORDER BY u.username";
  else
    sql = "SELECT u.username, NULL FROM auth_user u ORDER BY u.username";
  rows = bb_database_query (db, sql, 2, error);
  if (rows == NULL)
    return FALSE;
  for (guint i = 0; i < rows->n_rows; i++)
    {
      BbSummaryUser *user = g_new0 (BbSummaryUser, 1);
      const char *zone = bb_rows_get (rows, i, 1);

      user->username = g_strdup (bb_rows_get (rows, i, 0));
      user->timezone = zone != NULL && zone[0] != '\0' ? g_strdup (zone) : NULL;
      g_ptr_array_add (summary->users, user);
    }
  return TRUE;
}

BbDatabaseSummary *
bb_database_summary_load (const BbConnectionInfo  *info,
                          GCancellable            *cancellable,
                          GError                 **error)
{
  g_autoptr(BbDatabase) db = NULL;
  g_autoptr(BbSchema) schema = NULL;
  g_autoptr(BbDatabaseSummary) summary = NULL;
  g_autoptr(BbRows) children = NULL;

  g_return_val_if_fail (info != NULL, NULL);

  db = bb_database_new (info);
  if (!bb_database_open (db, error))
    return NULL;
  schema = bb_schema_load (db, error);
  if (schema == NULL)
    return NULL;

  summary = g_new0 (BbDatabaseSummary, 1);
  summary->engine = bb_database_get_engine (db);
  summary->babybuddy_version = g_strdup (schema->babybuddy_version ? schema->babybuddy_version : "unknown");
  summary->children = g_ptr_array_new_with_free_func (g_free);
  summary->users = g_ptr_array_new_with_free_func ((GDestroyNotify) summary_user_free);

  children = bb_database_query (db, "SELECT first_name, last_name FROM core_child ORDER BY id", 2, error);
  if (children == NULL)
    return NULL;
  for (guint i = 0; i < children->n_rows; i++)
    {
      const char *first = bb_rows_get (children, i, 0);
      const char *last = bb_rows_get (children, i, 1);

      g_ptr_array_add (summary->children,
                       g_strstrip (g_strdup_printf ("%s %s", first ? first : "", last ? last : "")));
    }

  for (guint i = 0; i < schema->models->len; i++)
    {
      BbModel *model = g_ptr_array_index (schema->models, i);
      g_autofree char *table = bb_dialect_quote_identifier (summary->engine, model->table);
      g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM %s", table);
      g_autofree char *count = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      count = bb_database_query_value (db, sql, error);
      if (count == NULL)
        return NULL;
      summary->records += g_ascii_strtoull (count, NULL, 10);
    }

  if (g_hash_table_contains (schema->tables, "auth_user") && !load_users (db, schema, summary, error))
    return NULL;

  bb_database_close (db);
  return g_steal_pointer (&summary);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  BbDatabaseSummary *summary = bb_database_summary_load (task_data, cancellable, &error);

  if (summary == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, summary, (GDestroyNotify) bb_database_summary_free);
}

void
bb_database_summary_load_async (const BbConnectionInfo *info,
                                GCancellable           *cancellable,
                                GAsyncReadyCallback     callback,
                                gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (info != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, bb_database_summary_load_async);
  g_task_set_task_data (task, bb_connection_info_copy (info), (GDestroyNotify) bb_connection_info_free);
  g_task_run_in_thread (task, load_thread);
}

BbDatabaseSummary *
bb_database_summary_load_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
bb_database_summary_find_timezone (const BbDatabaseSummary *summary,
                                   const char              *username)
{
  g_return_val_if_fail (summary != NULL, NULL);

  for (guint i = 0; username != NULL && i < summary->users->len; i++)
    {
      BbSummaryUser *user = g_ptr_array_index (summary->users, i);

      if (strcmp (user->username, username) == 0)
        return user->timezone;
    }
  return NULL;
}
