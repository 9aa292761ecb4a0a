/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-schema.c: discovers tables, columns and keys from the engine's own
 * catalogs (never libgda's meta store, see LIBGDA.md) and turns them into
 * Django models with the help of the catalog: a table the catalog knows gets
 * Django's field types and order; any other table is still backed up, with
 * types inferred from SQL. Content types and permissions are read here too,
 * because references to them are written as natural keys. */

#define G_LOG_DOMAIN "bb-schema"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "bb-catalog.h"
#include "bb-codec.h"
#include "bb-dialect.h"
#include "bb-schema.h"

typedef struct {
  char     *column;
  char     *type;
  gboolean  pk;
  gboolean  nullable;
  gboolean  has_default;
  gboolean  unique;
} Column;

static void
column_free (Column *column)
{
  g_free (column->column);
  g_free (column->type);
  g_free (column);
}

static void
field_free (BbField *field)
{
  if (field == NULL)
    return;
  g_free (field->name);
  g_free (field->column);
  g_free (field->sql_type);
  g_free (field->target_table);
  g_free (field->upload_to);
  g_free (field);
}

static void
m2m_free (BbManyToMany *m2m)
{
  g_free (m2m->name);
  g_free (m2m->through);
  g_free (m2m->source_column);
  g_free (m2m->target_column);
  g_free (m2m);
}

static void
model_free (BbModel *model)
{
  g_free (model->label);
  g_free (model->table);
  field_free (model->pk);
  g_ptr_array_unref (model->fields);
  g_ptr_array_unref (model->m2m);
  g_free (model);
}

void
bb_schema_free (BbSchema *schema)
{
  if (schema == NULL)
    return;
  g_clear_pointer (&schema->models, g_ptr_array_unref);
  g_clear_pointer (&schema->content_types, g_hash_table_unref);
  g_clear_pointer (&schema->permissions, g_hash_table_unref);
  g_clear_pointer (&schema->permission_sort, g_hash_table_unref);
  g_clear_pointer (&schema->migrations, g_ptr_array_unref);
  g_clear_pointer (&schema->unknown_tables, g_ptr_array_unref);
  g_clear_pointer (&schema->tables, g_hash_table_unref);
  g_free (schema->babybuddy_version);
  g_free (schema);
}

BbModel *
bb_schema_find_model (BbSchema   *schema,
                      const char *label)
{
  for (guint i = 0; i < schema->models->len; i++)
    {
      BbModel *model = g_ptr_array_index (schema->models, i);
      if (g_strcmp0 (model->label, label) == 0)
        return model;
    }
  return NULL;
}

BbFieldKind
bb_field_kind_from_django (const char *type)
{
  static const struct {
    const char  *type;
    BbFieldKind  kind;
  } kinds[] = {
    { "AutoField", BB_FIELD_INTEGER },
    { "BigAutoField", BB_FIELD_INTEGER },
    { "SmallAutoField", BB_FIELD_INTEGER },
    { "IntegerField", BB_FIELD_INTEGER },
    { "BigIntegerField", BB_FIELD_INTEGER },
    { "SmallIntegerField", BB_FIELD_INTEGER },
    { "PositiveIntegerField", BB_FIELD_INTEGER },
    { "PositiveBigIntegerField", BB_FIELD_INTEGER },
    { "PositiveSmallIntegerField", BB_FIELD_INTEGER },
    { "ForeignKey", BB_FIELD_INTEGER },
    { "OneToOneField", BB_FIELD_INTEGER },
    { "FloatField", BB_FIELD_FLOAT },
    { "DecimalField", BB_FIELD_DECIMAL },
    { "BooleanField", BB_FIELD_BOOLEAN },
    { "NullBooleanField", BB_FIELD_BOOLEAN },
    { "DateTimeField", BB_FIELD_DATETIME },
    { "DateField", BB_FIELD_DATE },
    { "TimeField", BB_FIELD_TIME },
    { "DurationField", BB_FIELD_DURATION },
    { "GenericIPAddressField", BB_FIELD_IP },
    { "IPAddressField", BB_FIELD_IP },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (type, kinds[i].type) == 0)
      return kinds[i].kind;
  return BB_FIELD_TEXT;
}

BbFieldKind
bb_field_kind_from_sql (const char *sql_type)
{
  static const char *integers[] = {
    "int", "integer", "bigint", "smallint", "mediumint", "tinyint", "serial", "bigserial",
    "smallserial", "int2", "int4", "int8",
  };
  g_autofree char *type = g_ascii_strdown (sql_type ? sql_type : "", -1);
  g_autofree char *base = NULL;
  char *end;

  g_strstrip (type);
  if (g_str_has_prefix (type, "tinyint(1)") || g_str_has_prefix (type, "bool"))
    return BB_FIELD_BOOLEAN;
  if (g_str_has_prefix (type, "timestamp") || g_str_has_prefix (type, "datetime"))
    return BB_FIELD_DATETIME;
  if (g_str_has_prefix (type, "time"))
    return BB_FIELD_TIME;
  if (g_str_has_prefix (type, "date"))
    return BB_FIELD_DATE;
  if (g_str_has_prefix (type, "interval"))
    return BB_FIELD_DURATION;
  if (g_str_has_prefix (type, "inet"))
    return BB_FIELD_IP;
  if (g_str_has_prefix (type, "real") || g_str_has_prefix (type, "double")
      || g_str_has_prefix (type, "float"))
    return BB_FIELD_FLOAT;
  if (g_str_has_prefix (type, "numeric") || g_str_has_prefix (type, "decimal"))
    return BB_FIELD_DECIMAL;

  base = g_strdup (type);
  end = strpbrk (base, " (");
  if (end != NULL)
    *end = '\0';
  for (gsize i = 0; i < G_N_ELEMENTS (integers); i++)
    if (strcmp (base, integers[i]) == 0)
      return BB_FIELD_INTEGER;
  return BB_FIELD_TEXT;
}

static BbRefKind
ref_kind_for_target (const char *target_table)
{
  if (target_table == NULL)
    return BB_REF_NONE;
  if (strcmp (target_table, "django_content_type") == 0)
    return BB_REF_CONTENT_TYPE;
  if (strcmp (target_table, "auth_permission") == 0)
    return BB_REF_PERMISSION;
  return BB_REF_PK;
}

/* SELECT of plain text columns that works on every engine. */
static BbRows *
select_text (BbDatabase  *db,
             const char  *from_and_rest,
             const char **columns,
             guint        n_columns,
             GError     **error)
{
  BbEngine engine = bb_database_get_engine (db);
  g_autoptr(GString) sql = g_string_new ("SELECT ");

  for (guint i = 0; i < n_columns; i++)
    {
      if (i > 0)
        g_string_append (sql, ", ");
      if (engine == BB_ENGINE_MYSQL)
        g_string_append_printf (sql, "CAST(%s AS CHAR)", columns[i]);
      else if (engine == BB_ENGINE_POSTGRESQL)
        g_string_append_printf (sql, "(%s)::text", columns[i]);
      else
        g_string_append (sql, columns[i]);
    }
  g_string_append_printf (sql, " FROM %s", from_and_rest);
  return bb_database_query (db, sql->str, n_columns, error);
}

static char *
natural_key_text (const char * const *parts)
{
  GString *out = g_string_new ("[");

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      bb_codec_append_json_string (out, parts[i]);
    }
  g_string_append_c (out, ']');
  return g_string_free (out, FALSE);
}

static gboolean
load_references (BbSchema    *schema,
                 BbDatabase  *db,
                 GHashTable  *tables,
                 GError     **error)
{
  static const char *ct_columns[] = { "id", "app_label", "model" };
  static const char *perm_columns[] = { "p.id", "p.codename", "c.app_label", "c.model" };
  g_autoptr(BbRows) cts = NULL;

  cts = select_text (db, "django_content_type", ct_columns, 3, error);
  if (cts == NULL)
    return FALSE;
  for (guint r = 0; r < cts->n_rows; r++)
    {
      const char *parts[] = { bb_rows_get (cts, r, 1), bb_rows_get (cts, r, 2), NULL };

      g_hash_table_insert (schema->content_types, g_strdup (bb_rows_get (cts, r, 0)),
                           natural_key_text (parts));
    }

  if (g_hash_table_contains (tables, "auth_permission"))
    {
      g_autoptr(BbRows) perms = NULL;

      perms = select_text (db, "auth_permission p JOIN django_content_type c "
                           "ON c.id = p.content_type_id", perm_columns, 4, error);
      if (perms == NULL)
        return FALSE;
      for (guint r = 0; r < perms->n_rows; r++)
        {
          const char *parts[] = { bb_rows_get (perms, r, 1), bb_rows_get (perms, r, 2),
                                  bb_rows_get (perms, r, 3), NULL };

          g_hash_table_insert (schema->permissions, g_strdup (bb_rows_get (perms, r, 0)),
                               natural_key_text (parts));
          /* Django orders permissions by content type, then codename. */
          g_hash_table_insert (schema->permission_sort, g_strdup (bb_rows_get (perms, r, 0)),
                               g_strdup_printf ("%s\t%s\t%s", parts[1], parts[2], parts[0]));
        }
    }
  return TRUE;
}

static gboolean
load_migrations (BbSchema    *schema,
                 BbDatabase  *db,
                 GError     **error)
{
  static const char *columns[] = { "app", "name" };
  g_autoptr(BbRows) rows = select_text (db, "django_migrations ORDER BY id", columns, 2, error);
  const char *core = NULL, *bb = NULL;
  const char *release;

  if (rows == NULL)
    return FALSE;

  for (guint r = 0; r < rows->n_rows; r++)
    {
      const char *app = bb_rows_get (rows, r, 0);
      const char *name = bb_rows_get (rows, r, 1);

      g_ptr_array_add (schema->migrations, g_strdup_printf ("%s\t%s", app, name));
      /* Migration names start with a zero-padded number: the greatest is the latest. */
      if (g_strcmp0 (app, "core") == 0 && g_strcmp0 (name, core) > 0)
        core = name;
      else if (g_strcmp0 (app, "babybuddy") == 0 && g_strcmp0 (name, bb) > 0)
        bb = name;
    }

  release = bb_catalog_release_for (core, bb);
  schema->babybuddy_version = g_strdup (release ? release : "unknown");
  return TRUE;
}

static BbField *
field_new (const char *name,
           const Column *column,
           BbFieldKind kind,
           const char *target_table)
{
  BbField *field = g_new0 (BbField, 1);

  field->name = g_strdup (name);
  field->column = g_strdup (column->column);
  field->sql_type = g_strdup (column->type);
  field->kind = kind;
  field->target_table = g_strdup (target_table);
  field->ref = ref_kind_for_target (target_table);
  field->nullable = column->nullable;
  field->has_default = column->has_default;
  field->unique = column->unique;
  return field;
}

static Column *
find_column (GPtrArray  *columns,
             const char *name)
{
  for (guint i = 0; i < columns->len; i++)
    {
      Column *column = g_ptr_array_index (columns, i);
      if (strcmp (column->column, name) == 0)
        return column;
    }
  return NULL;
}

/* A column the catalog does not describe: name and type from SQL, as dumpdata
 * would name a ForeignKey whose column is "<name>_id". */
static BbField *
inferred_field (const char *table,
                const Column *column,
                GHashTable *fks)
{
  g_autofree char *key = g_strdup_printf ("%s\t%s", table, column->column);
  const char *target = g_hash_table_lookup (fks, key);
  g_autofree char *name = g_strdup (column->column);

  if (target != NULL && g_str_has_suffix (name, "_id"))
    name[strlen (name) - 3] = '\0';
  return field_new (name, column, target ? BB_FIELD_INTEGER : bb_field_kind_from_sql (column->type),
                    target);
}

static BbModel *
known_model (const char *table,
             JsonObject *entry,
             GPtrArray  *columns,
             GHashTable *fks,
             GHashTable *tables)
{
  BbModel *model = g_new0 (BbModel, 1);
  JsonArray *fields = json_object_get_array_member (entry, "fields");
  g_autoptr(GHashTable) used = g_hash_table_new (g_str_hash, g_str_equal);

  model->label = g_strdup (json_object_get_string_member (entry, "model"));
  model->table = g_strdup (table);
  model->known = TRUE;
  model->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) field_free);
  model->m2m = g_ptr_array_new_with_free_func ((GDestroyNotify) m2m_free);

  for (guint i = 0; i < json_array_get_length (fields); i++)
    {
      JsonObject *f = json_array_get_object_element (fields, i);
      const char *name = json_object_get_string_member (f, "name");
      Column *column = find_column (columns, json_object_get_string_member (f, "column"));
      BbField *field;

      /* An older Baby Buddy may lack a column the catalog lists. */
      if (column == NULL)
        continue;

      field = field_new (name, column,
                         bb_field_kind_from_django (json_object_get_string_member (f, "type")),
                         json_object_get_string_member_with_default (f, "target", NULL));
      field->upload_to = g_strdup (json_object_get_string_member_with_default (f, "upload_to", NULL));
      g_hash_table_add (used, column->column);

      if (json_object_get_boolean_member_with_default (f, "primary_key", FALSE))
        model->pk = field;
      else
        g_ptr_array_add (model->fields, field);
    }

  /* Columns a newer Baby Buddy added are kept, typed from SQL. */
  for (guint i = 0; i < columns->len; i++)
    {
      Column *column = g_ptr_array_index (columns, i);

      if (g_hash_table_contains (used, column->column))
        continue;
      if (column->pk && model->pk == NULL)
        model->pk = inferred_field (table, column, fks);
      else
        g_ptr_array_add (model->fields, inferred_field (table, column, fks));
    }

  if (json_object_has_member (entry, "m2m"))
    {
      JsonArray *m2ms = json_object_get_array_member (entry, "m2m");

      for (guint i = 0; i < json_array_get_length (m2ms); i++)
        {
          JsonObject *m = json_array_get_object_element (m2ms, i);
          BbManyToMany *m2m;

          if (!g_hash_table_contains (tables, json_object_get_string_member (m, "through")))
            continue;
          m2m = g_new0 (BbManyToMany, 1);
          m2m->name = g_strdup (json_object_get_string_member (m, "name"));
          m2m->through = g_strdup (json_object_get_string_member (m, "through"));
          m2m->source_column = g_strdup (json_object_get_string_member (m, "source"));
          m2m->target_column = g_strdup (json_object_get_string_member (m, "target_column"));
          m2m->ref = ref_kind_for_target (json_object_get_string_member (m, "target"));
          g_ptr_array_add (model->m2m, m2m);
        }
    }
  return model;
}

static BbModel *
unknown_model (const char *table,
               GPtrArray  *columns,
               GHashTable *fks)
{
  BbModel *model = g_new0 (BbModel, 1);
  const char *underscore = strchr (table, '_');

  /* Django's default table name is "<app_label>_<model>". */
  if (underscore != NULL && underscore != table && underscore[1] != '\0')
    {
      g_autofree char *app = g_strndup (table, underscore - table);
      model->label = g_strdup_printf ("%s.%s", app, underscore + 1);
    }
  else
    model->label = g_strdup_printf ("unknown.%s", table);

  model->table = g_strdup (table);
  model->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) field_free);
  model->m2m = g_ptr_array_new_with_free_func ((GDestroyNotify) m2m_free);

  for (guint i = 0; i < columns->len; i++)
    {
      Column *column = g_ptr_array_index (columns, i);

      if (column->pk && model->pk == NULL)
        model->pk = inferred_field (table, column, fks);
      else
        g_ptr_array_add (model->fields, inferred_field (table, column, fks));
    }

  /* No primary key: the first column orders the rows. */
  if (model->pk == NULL && model->fields->len > 0)
    model->pk = g_ptr_array_steal_index (model->fields, 0);
  return model;
}

static int
compare_models (gconstpointer a,
                gconstpointer b)
{
  const BbModel *ma = *(BbModel **) a;
  const BbModel *mb = *(BbModel **) b;
  int pa = bb_catalog_model_position (ma->label);
  int pb = bb_catalog_model_position (mb->label);

  if (pa != pb)
    return pa < pb ? -1 : 1;
  return strcmp (ma->label, mb->label);
}

static BbSchema *
schema_new (BbEngine engine)
{
  BbSchema *schema = g_new0 (BbSchema, 1);

  schema->engine = engine;
  schema->models = g_ptr_array_new_with_free_func ((GDestroyNotify) model_free);
  schema->content_types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  schema->permissions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  schema->permission_sort = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  schema->migrations = g_ptr_array_new_with_free_func (g_free);
  schema->unknown_tables = g_ptr_array_new_with_free_func (g_free);
  schema->tables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return schema;
}

BbSchema *
bb_schema_load (BbDatabase  *db,
                GError     **error)
{
  BbEngine engine = bb_database_get_engine (db);
  g_autoptr(BbSchema) schema = schema_new (engine);
  g_autoptr(GHashTable) tables = NULL;  /* table -> GPtrArray of Column */
  g_autoptr(GHashTable) fks = NULL;     /* "table\tcolumn" -> target table */
  g_autoptr(BbRows) rows = NULL;
  g_autoptr(GList) names = NULL;
  static const char *required[] = { "django_migrations", "django_content_type", "core_child" };


  tables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                  (GDestroyNotify) g_ptr_array_unref);
  fks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  rows = bb_database_query (db, bb_dialect_columns_query (engine), 6, error);
  if (rows == NULL)
    return NULL;
  for (guint r = 0; r < rows->n_rows; r++)
    {
      const char *table = bb_rows_get (rows, r, 0);
      GPtrArray *columns = g_hash_table_lookup (tables, table);
      Column *column = g_new0 (Column, 1);

      if (columns == NULL)
        {
          columns = g_ptr_array_new_with_free_func ((GDestroyNotify) column_free);
          g_hash_table_insert (tables, g_strdup (table), columns);
          g_hash_table_add (schema->tables, g_strdup (table));
        }
      column->column = g_strdup (bb_rows_get (rows, r, 1));
      column->type = g_strdup (bb_rows_get (rows, r, 2));
      column->pk = g_strcmp0 (bb_rows_get (rows, r, 3), "1") == 0;
      column->nullable = g_strcmp0 (bb_rows_get (rows, r, 4), "1") == 0;
      column->has_default = g_strcmp0 (bb_rows_get (rows, r, 5), "1") == 0;
      g_ptr_array_add (columns, column);
    }
  g_clear_pointer (&rows, bb_rows_free);

  rows = bb_database_query (db, bb_dialect_unique_columns_query (engine), 2, error);
  if (rows == NULL)
    return NULL;
  for (guint r = 0; r < rows->n_rows; r++)
    {
      GPtrArray *columns = g_hash_table_lookup (tables, bb_rows_get (rows, r, 0));
      Column *column = columns ? find_column (columns, bb_rows_get (rows, r, 1)) : NULL;

      if (column != NULL && !column->pk)
        column->unique = TRUE;
    }
  g_clear_pointer (&rows, bb_rows_free);

  for (gsize i = 0; i < G_N_ELEMENTS (required); i++)
    {
      if (!g_hash_table_contains (tables, required[i]))
        {
          g_set_error (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_NOT_BABYBUDDY,
                       _("This database is not a Baby Buddy database (it has no table “%s”). "
                         "Check that you chose Baby Buddy’s database."), required[i]);
          return NULL;
        }
    }

  rows = bb_database_query (db, bb_dialect_foreign_keys_query (engine), 3, error);
  if (rows == NULL)
    return NULL;
  for (guint r = 0; r < rows->n_rows; r++)
    g_hash_table_insert (fks,
                         g_strdup_printf ("%s\t%s", bb_rows_get (rows, r, 0), bb_rows_get (rows, r, 1)),
                         g_strdup (bb_rows_get (rows, r, 2)));

  if (!load_references (schema, db, tables, error)
      || !load_migrations (schema, db, error))
    return NULL;

  names = g_list_sort (g_hash_table_get_keys (tables), (GCompareFunc) g_strcmp0);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *table = l->data;
      GPtrArray *columns = g_hash_table_lookup (tables, table);
      JsonObject *entry = bb_catalog_lookup_table (table);
      BbModel *model;

      if (bb_catalog_is_non_model_table (table))
        continue;

      if (entry != NULL)
        {
          if (json_object_get_boolean_member_with_default (entry, "m2m_through", FALSE))
            continue;
          model = known_model (table, entry, columns, fks, tables);
        }
      else
        {
          model = unknown_model (table, columns, fks);
          g_ptr_array_add (schema->unknown_tables, g_strdup (table));
        }

      if (bb_catalog_is_not_backed_up (model->label) || model->pk == NULL)
        {
          model_free (model);
          continue;
        }
      g_ptr_array_add (schema->models, model);
    }

  g_ptr_array_sort (schema->models, compare_models);
  return g_steal_pointer (&schema);
}

BbSchema *
bb_schema_new_from_catalog (void)
{
  BbSchema *schema = schema_new (BB_ENGINE_SQLITE);
  g_autoptr(GHashTable) tables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GHashTable) fks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GList) names = NULL;

  schema->babybuddy_version = g_strdup ("unknown");

  /* Columns as the catalog declares them: every field nullable unless it
   * says otherwise, no SQL types (SQLite's rules apply). */
  for (const char * const *t = bb_catalog_list_tables (); *t != NULL; t++)
    {
      JsonObject *entry = bb_catalog_lookup_table (*t);
      JsonArray *fields = json_object_get_array_member (entry, "fields");
      GPtrArray *columns = g_ptr_array_new_with_free_func ((GDestroyNotify) column_free);

      for (guint i = 0; i < json_array_get_length (fields); i++)
        {
          JsonObject *f = json_array_get_object_element (fields, i);
          Column *column = g_new0 (Column, 1);

          column->column = g_strdup (json_object_get_string_member (f, "column"));
          column->type = g_strdup ("");
          column->pk = json_object_get_boolean_member_with_default (f, "primary_key", FALSE);
          column->nullable = json_object_get_boolean_member_with_default (f, "null", FALSE);
          column->has_default = column->pk;
          g_ptr_array_add (columns, column);
        }
      g_hash_table_insert (tables, g_strdup (*t), columns);
      g_hash_table_add (schema->tables, g_strdup (*t));
    }

  names = g_list_sort (g_hash_table_get_keys (tables), (GCompareFunc) g_strcmp0);
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonObject *entry = bb_catalog_lookup_table (l->data);
      BbModel *model;

      if (json_object_get_boolean_member_with_default (entry, "m2m_through", FALSE))
        continue;
      model = known_model (l->data, entry, g_hash_table_lookup (tables, l->data), fks, tables);
      if (bb_catalog_is_not_backed_up (model->label) || model->pk == NULL)
        {
          model_free (model);
          continue;
        }
      g_ptr_array_add (schema->models, model);
    }
  g_ptr_array_sort (schema->models, compare_models);
  return schema;
}
