/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-dialect.c: per-engine SQL. Reading is lossless only when every value
 * reaches us as text in a form we parse ourselves (LIBGDA.md): floats with 17
 * significant digits, durations as microseconds, MySQL values cast to CHAR. */

#define G_LOG_DOMAIN "bb-dialect"

#include "config.h"

#include "bb-dialect.h"

char *
bb_dialect_quote_identifier (BbEngine    engine,
                             const char *name)
{
  GString *out = g_string_new (NULL);
  char quote = engine == BB_ENGINE_MYSQL ? '`' : '"';

  g_string_append_c (out, quote);
  for (const char *p = name; *p; p++)
    {
      if (*p == quote)
        g_string_append_c (out, quote);
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, quote);
  return g_string_free (out, FALSE);
}

void
bb_dialect_append_literal (BbEngine    engine,
                           GString    *sql,
                           const char *text)
{
  g_string_append_c (sql, '\'');
  for (const char *p = text; *p; p++)
    {
      if (*p == '\'')
        g_string_append_c (sql, '\'');
      else if (*p == '\\' && engine == BB_ENGINE_MYSQL)
        g_string_append_c (sql, '\\');
      g_string_append_c (sql, *p);
    }
  g_string_append_c (sql, '\'');
}

/* Rows: table, column, declared type, then "1" or "0" for: part of the
 * primary key, accepts NULL, has a default (or is generated). */
const char *
bb_dialect_columns_query (BbEngine engine)
{
  switch (engine)
    {
    case BB_ENGINE_SQLITE:
      return "SELECT m.name, p.name, p.type, CASE WHEN p.pk > 0 THEN '1' ELSE '0' END, "
             "CASE WHEN p.\"notnull\" = 0 AND p.pk = 0 THEN '1' ELSE '0' END, "
             "CASE WHEN p.dflt_value IS NOT NULL OR p.pk > 0 THEN '1' ELSE '0' END "
             "FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p "
             "WHERE m.type = 'table' ORDER BY m.name, p.cid";
    case BB_ENGINE_POSTGRESQL:
      return "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), "
             "CASE WHEN EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid "
             "AND k.contype = 'p' AND a.attnum = ANY (k.conkey)) THEN '1' ELSE '0' END, "
             "CASE WHEN a.attnotnull THEN '0' ELSE '1' END, "
             "CASE WHEN a.atthasdef OR a.attidentity <> '' THEN '1' ELSE '0' END "
             "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
             "JOIN pg_attribute a ON a.attrelid = c.oid "
             "WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema() "
             "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY c.relname, a.attnum";
    case BB_ENGINE_MYSQL:
      return "SELECT CAST(c.table_name AS CHAR), CAST(c.column_name AS CHAR), "
             "CAST(c.column_type AS CHAR), CASE WHEN c.column_key = 'PRI' THEN '1' ELSE '0' END, "
             "CASE WHEN c.is_nullable = 'YES' THEN '1' ELSE '0' END, "
             "CASE WHEN c.column_default IS NOT NULL OR c.extra LIKE '%auto_increment%' "
             "THEN '1' ELSE '0' END "
             "FROM information_schema.columns c JOIN information_schema.tables t "
             "ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
             "WHERE c.table_schema = DATABASE() AND t.table_type = 'BASE TABLE' "
             "ORDER BY c.table_name, c.ordinal_position";
    default:
      g_assert_not_reached ();
    }
}

/* Rows: table, column of every single-column UNIQUE constraint or index that
 * is not the primary key. */
const char *
bb_dialect_unique_columns_query (BbEngine engine)
{
  switch (engine)
    {
    case BB_ENGINE_SQLITE:
      return "SELECT m.name, i.name FROM sqlite_master AS m "
             "JOIN pragma_index_list(m.name) AS l JOIN pragma_index_info(l.name) AS i "
             "WHERE m.type = 'table' AND l.\"unique\" = 1 AND l.origin <> 'pk' "
             "AND (SELECT count(*) FROM pragma_index_info(l.name)) = 1";
    case BB_ENGINE_POSTGRESQL:
      return "SELECT c.relname, a.attname FROM pg_index x "
             "JOIN pg_class c ON c.oid = x.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
             "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = x.indkey[0] "
             "WHERE x.indisunique AND NOT x.indisprimary AND x.indnatts = 1 "
             "AND n.nspname = current_schema()";
    case BB_ENGINE_MYSQL:
      return "SELECT CAST(table_name AS CHAR), CAST(MIN(column_name) AS CHAR) "
             "FROM information_schema.statistics WHERE table_schema = DATABASE() "
             "AND non_unique = 0 AND index_name <> 'PRIMARY' "
             "GROUP BY table_name, index_name HAVING COUNT(*) = 1";
    default:
      g_assert_not_reached ();
    }
}

/* Rows: table, column, referenced table. */
const char *
bb_dialect_foreign_keys_query (BbEngine engine)
{
  switch (engine)
    {
    case BB_ENGINE_SQLITE:
      return "SELECT m.name, f.\"from\", f.\"table\" FROM sqlite_master AS m "
             "JOIN pragma_foreign_key_list(m.name) AS f WHERE m.type = 'table'";
    case BB_ENGINE_POSTGRESQL:
      return "SELECT c.relname, a.attname, r.relname FROM pg_constraint k "
             "JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid "
             "JOIN pg_namespace n ON n.oid = c.relnamespace "
             "JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1] "
             "WHERE k.contype = 'f' AND n.nspname = current_schema()";
    case BB_ENGINE_MYSQL:
      return "SELECT CAST(table_name AS CHAR), CAST(column_name AS CHAR), "
             "CAST(referenced_table_name AS CHAR) FROM information_schema.key_column_usage "
             "WHERE table_schema = DATABASE() AND referenced_table_name IS NOT NULL";
    default:
      g_assert_not_reached ();
    }
}

const char *
bb_dialect_begin_snapshot (BbEngine engine)
{
  switch (engine)
    {
    case BB_ENGINE_SQLITE:
      return "BEGIN DEFERRED";
    case BB_ENGINE_POSTGRESQL:
      return "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
    case BB_ENGINE_MYSQL:
      return "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY";
    default:
      g_assert_not_reached ();
    }
}

void
bb_dialect_append_select_expr (BbEngine     engine,
                               GString     *sql,
                               BbFieldKind  kind,
                               const char  *column)
{
  g_autofree char *q = bb_dialect_quote_identifier (engine, column);

  switch (engine)
    {
    case BB_ENGINE_SQLITE:
      /* Plain text output rounds REAL to 15 digits. */
      if (kind == BB_FIELD_FLOAT)
        g_string_append_printf (sql, "CASE WHEN typeof(%s) IN ('real', 'integer') "
                                "THEN printf('%%!.17g', %s) ELSE %s END", q, q, q);
      else
        g_string_append (sql, q);
      break;

    case BB_ENGINE_POSTGRESQL:
      if (kind == BB_FIELD_DURATION)
        g_string_append_printf (sql, "CASE WHEN pg_typeof(%s) = 'interval'::regtype "
                                "THEN (EXTRACT(EPOCH FROM %s::interval) * 1000000)::bigint::text "
                                "ELSE %s::text END", q, q, q);
      else if (kind == BB_FIELD_IP)
        g_string_append_printf (sql, "host(%s::inet)", q);
      else if (kind == BB_FIELD_INTEGER)
        /* Not "id"::text: that output column would be named "id" too, and
         * ORDER BY "id" would then sort the text ("1", "10", "100") and break
         * keyset paging. col_types hands integers out as text already. */
        g_string_append (sql, q);
      else
        g_string_append_printf (sql, "%s::text", q);
      break;

    case BB_ENGINE_MYSQL:
      /* The provider cannot hand out strings itself; CAST keeps every digit. */
      g_string_append_printf (sql, "CAST(%s AS CHAR)", q);
      break;

    default:
      g_assert_not_reached ();
    }
}

/* Keyset paging needs one total order that is the same on every engine:
 * numbers numerically, text by bytes. */
void
bb_dialect_append_order_expr (BbEngine     engine,
                              GString     *sql,
                              BbFieldKind  kind,
                              const char  *column)
{
  g_autofree char *q = bb_dialect_quote_identifier (engine, column);

  if (kind == BB_FIELD_INTEGER)
    g_string_append (sql, q);
  else if (engine == BB_ENGINE_POSTGRESQL)
    g_string_append_printf (sql, "%s COLLATE \"C\"", q);
  else if (engine == BB_ENGINE_MYSQL)
    g_string_append_printf (sql, "CAST(%s AS BINARY)", q);
  else
    g_string_append (sql, q);
}
