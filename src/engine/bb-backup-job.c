/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-backup-job.c: one consistent snapshot of every model into a backup ZIP.
 *
 * Two threads share the work so that reading and compressing overlap: a
 * producer reads keyset pages inside the snapshot transaction and formats
 * them as fixture lines into a bounded queue; libzip, inside zip_close() on
 * the job's thread, pulls those chunks through each entry's read callback and
 * deflates them. The queue's bound keeps memory flat whatever the size of the
 * database. metadata.json is the last entry: its callback runs only after the
 * producer has counted and hashed everything. */

#define G_LOG_DOMAIN "bb-backup-job"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "bb-archive.h"
#include "bb-backup-job.h"
#include "bb-catalog.h"
#include "bb-codec.h"
#include "bb-dialect.h"
#include "bb-file-name.h"
#include "bb-progress.h"
#include "bb-schema.h"

#define PAGE_ROWS 5000
#define CHUNK_BYTES (128 * 1024)
#define QUEUE_BYTES (4 * 1024 * 1024)

G_DEFINE_QUARK (bb-backup-error-quark, bb_backup_error)

struct _BbBackupJob
{
  GObject           parent_instance;

  BbConnectionInfo *info;
  char             *output;
  char             *timezone;
  char             *media_dir;
  int               compression_level;
  GDateTime        *now;

  BbProgress        progress;
  GMutex            lock;          /* guards warnings, added by the worker */
  GPtrArray        *warnings;
};

G_DEFINE_FINAL_TYPE (BbBackupJob, bb_backup_job, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RECORDS_DONE,
  PROP_RECORDS_TOTAL,
  PROP_CURRENT_MODEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What one model file turned out to be. */
typedef struct {
  BbModel  *model;
  char     *file;
  guint64   records;
  GChecksum *sha256;
  char     *digest;
} ModelOut;

typedef struct {
  char    *path;   /* relative, as stored in the database */
  goffset  size;
} MediaOut;

/* A chunk queue between the producer and libzip. A NULL item ends a model. */
typedef struct {
  GMutex    lock;
  GCond     cond;
  GQueue    items;
  gsize     bytes;
  gboolean  producer_done;
  gboolean  consumer_gone;
  GError   *error;
} Pipe;

typedef struct {
  BbBackupJob  *job;
  BbDatabase   *db;
  BbSchema     *schema;
  GCancellable *cancellable;
  GPtrArray    *outs;      /* ModelOut */
  GPtrArray    *media;     /* MediaOut */
  Pipe          pipe;
  GDateTime    *time;
  char         *tz_name;
  /* consumer side */
  guint         reading;   /* index of the model libzip is reading */
  GBytes       *current;
  gsize         offset;
  GBytes       *metadata;
  gsize         metadata_offset;
} Run;

static void
model_out_free (ModelOut *out)
{
  g_free (out->file);
  g_clear_pointer (&out->sha256, g_checksum_free);
  g_free (out->digest);
  g_free (out);
}

static void
media_out_free (MediaOut *media)
{
  g_free (media->path);
  g_free (media);
}

/* Progress */

static void
update_progress (BbBackupJob *self,
                 guint64      done_delta,
                 const char  *model,
                 gint64       total)
{
  bb_progress_update (&self->progress, -1, done_delta, total, model);
}

static void
add_warning (BbBackupJob *self,
             char        *warning)
{
  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->warnings, warning);
  g_mutex_unlock (&self->lock);
}

/* The pipe */

static gboolean
pipe_push (Pipe   *pipe,
           GBytes *item)
{
  gboolean ok;

  g_mutex_lock (&pipe->lock);
  while (pipe->bytes >= QUEUE_BYTES && !pipe->consumer_gone)
    g_cond_wait (&pipe->cond, &pipe->lock);
  ok = !pipe->consumer_gone;
  if (ok)
    {
      g_queue_push_tail (&pipe->items, item);
      pipe->bytes += item ? g_bytes_get_size (item) : 0;
      g_cond_broadcast (&pipe->cond);
    }
  else if (item != NULL)
    g_bytes_unref (item);
  g_mutex_unlock (&pipe->lock);
  return ok;
}

static void
pipe_finish (Pipe   *pipe,
             GError *error)
{
  g_mutex_lock (&pipe->lock);
  pipe->producer_done = TRUE;
  if (error != NULL && pipe->error == NULL)
    pipe->error = error;
  else if (error != NULL)
    g_error_free (error);
  g_cond_broadcast (&pipe->cond);
  g_mutex_unlock (&pipe->lock);
}

/* Returns FALSE with error set when the producer failed. */
static gboolean
pipe_pop (Pipe     *pipe,
          GBytes  **item,
          GError  **error)
{
  gboolean ok = TRUE;

  g_mutex_lock (&pipe->lock);
  while (g_queue_is_empty (&pipe->items) && !pipe->producer_done)
    g_cond_wait (&pipe->cond, &pipe->lock);
  if (pipe->error != NULL)
    {
      g_propagate_error (error, g_error_copy (pipe->error));
      ok = FALSE;
    }
  else if (g_queue_is_empty (&pipe->items))
    {
      g_set_error_literal (error, BB_BACKUP_ERROR, BB_BACKUP_ERROR_READ,
                           "model data ended early");
      ok = FALSE;
    }
  else
    {
      *item = g_queue_pop_head (&pipe->items);
      pipe->bytes -= *item ? g_bytes_get_size (*item) : 0;
      g_cond_broadcast (&pipe->cond);
    }
  g_mutex_unlock (&pipe->lock);
  return ok;
}

/* Producer */

typedef struct {
  Run       *run;
  GString   *chunk;
  gboolean   first;
} Writer;

static gboolean
writer_flush (Writer *w,
              gboolean force)
{
  GBytes *bytes;

  if (w->chunk->len == 0 || (!force && w->chunk->len < CHUNK_BYTES))
    return TRUE;
  bytes = g_bytes_new (w->chunk->str, w->chunk->len);
  g_string_truncate (w->chunk, 0);
  return pipe_push (&w->run->pipe, bytes);
}

static const char *
reference_text (BbSchema   *schema,
                BbRefKind   ref,
                const char *id)
{
  if (id == NULL)
    return NULL;
  if (ref == BB_REF_CONTENT_TYPE)
    return g_hash_table_lookup (schema->content_types, id);
  if (ref == BB_REF_PERMISSION)
    return g_hash_table_lookup (schema->permissions, id);
  return NULL;
}

static void
append_select (GString  *sql,
               BbEngine  engine,
               BbModel  *model)
{
  g_autofree char *table = bb_dialect_quote_identifier (engine, model->table);

  g_string_append (sql, "SELECT ");
  bb_dialect_append_select_expr (engine, sql, model->pk->kind, model->pk->column);
  for (guint i = 0; i < model->fields->len; i++)
    {
      BbField *field = g_ptr_array_index (model->fields, i);

      g_string_append (sql, ", ");
      bb_dialect_append_select_expr (engine, sql, field->kind, field->column);
    }
  g_string_append_printf (sql, " FROM %s", table);
}

/* Many-to-many values of the owners in one page, as JSON texts per owner pk. */
static GHashTable *
read_m2m_page (Run           *run,
               BbModel       *model,
               BbManyToMany  *m2m,
               const BbRows  *rows,
               GError       **error)
{
  BbEngine engine = run->schema->engine;
  g_autofree char *through = bb_dialect_quote_identifier (engine, m2m->through);
  g_autofree char *source = bb_dialect_quote_identifier (engine, m2m->source_column);
  g_autoptr(GString) sql = g_string_new ("SELECT ");
  g_autoptr(BbRows) links = NULL;
  GHashTable *lists = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_ptr_array_unref);

  bb_dialect_append_select_expr (engine, sql, BB_FIELD_INTEGER, m2m->source_column);
  g_string_append (sql, ", ");
  bb_dialect_append_select_expr (engine, sql, BB_FIELD_INTEGER, m2m->target_column);
  g_string_append_printf (sql, " FROM %s WHERE %s IN (", through, source);
  for (guint r = 0; r < rows->n_rows; r++)
    {
      if (r > 0)
        g_string_append_c (sql, ',');
      bb_dialect_append_literal (engine, sql, bb_rows_get (rows, r, 0));
    }
  g_string_append_printf (sql, ") ORDER BY %s, %s", source,
                          engine == BB_ENGINE_MYSQL ? "`id`" : "\"id\"");

  links = bb_database_query (run->db, sql->str, 2, error);
  if (links == NULL)
    {
      g_hash_table_unref (lists);
      return NULL;
    }

  for (guint r = 0; r < links->n_rows; r++)
    {
      const char *owner = bb_rows_get (links, r, 0);
      GPtrArray *list = g_hash_table_lookup (lists, owner);

      if (list == NULL)
        {
          list = g_ptr_array_new_with_free_func (g_free);
          g_hash_table_insert (lists, g_strdup (owner), list);
        }
      g_ptr_array_add (list, g_strdup (bb_rows_get (links, r, 1)));
    }
  return lists;
}

static int
compare_permissions (gconstpointer a,
                     gconstpointer b,
                     gpointer      sort_keys)
{
  const char *ka = g_hash_table_lookup (sort_keys, *(const char **) a);
  const char *kb = g_hash_table_lookup (sort_keys, *(const char **) b);

  return g_strcmp0 (ka, kb);
}

static void
append_m2m_list (Run          *run,
                 BbManyToMany *m2m,
                 GPtrArray    *ids,
                 GString      *out)
{
  g_string_append_c (out, '[');
  if (ids != NULL && m2m->ref == BB_REF_PERMISSION)
    {
      /* Django orders permissions by app label, model and codename. */
      g_ptr_array_sort_with_data (ids, compare_permissions, run->schema->permission_sort);
    }
  for (guint i = 0; ids != NULL && i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      const char *natural = reference_text (run->schema, m2m->ref, id);

      if (i > 0)
        g_string_append (out, ", ");
      g_string_append (out, natural ? natural : id);
    }
  g_string_append_c (out, ']');
}

static gboolean
produce_model (Run       *run,
               ModelOut  *out,
               GError   **error)
{
  BbEngine engine = run->schema->engine;
  BbModel *model = out->model;
  g_autoptr(GString) select = g_string_new (NULL);
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GString) chunk = g_string_sized_new (CHUNK_BYTES + 4096);
  g_autofree char *last = NULL;
  g_autofree char *label_json = NULL;
  Writer w = { run, chunk, TRUE };

  {
    g_autoptr(GString) label = g_string_new (NULL);
    bb_codec_append_json_string (label, model->label);
    label_json = g_string_free (g_steal_pointer (&label), FALSE);
  }

  append_select (select, engine, model);
  update_progress (run->job, 0, model->label, -1);

  g_string_append (chunk, "[");
  for (;;)
    {
      g_autoptr(BbRows) rows = NULL;
      g_autoptr(GPtrArray) m2m_lists = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);

      if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
        return FALSE;

      g_string_assign (sql, select->str);
      if (last != NULL)
        {
          g_string_append (sql, " WHERE ");
          bb_dialect_append_order_expr (engine, sql, model->pk->kind, model->pk->column);
          g_string_append (sql, " > ");
          bb_dialect_append_literal (engine, sql, last);
        }
      g_string_append (sql, " ORDER BY ");
      bb_dialect_append_order_expr (engine, sql, model->pk->kind, model->pk->column);
      g_string_append_printf (sql, " LIMIT %d", PAGE_ROWS);

      rows = bb_database_query (run->db, sql->str, 1 + model->fields->len, error);
      if (rows == NULL)
        {
          /* Which table was being read does not matter when the server went away. */
          if (!g_error_matches (*error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_CONNECTION_LOST))
            g_prefix_error (error, _("Reading %s failed: "), model->label);
          return FALSE;
        }
      if (rows->n_rows == 0)
        break;

      for (guint i = 0; i < model->m2m->len; i++)
        {
          GHashTable *lists = read_m2m_page (run, model, g_ptr_array_index (model->m2m, i),
                                             rows, error);
          if (lists == NULL)
            return FALSE;
          g_ptr_array_add (m2m_lists, lists);
        }

      for (guint r = 0; r < rows->n_rows; r++)
        {
          const char *pk = bb_rows_get (rows, r, 0);

          g_string_append (chunk, w.first ? "\n{\"model\": " : ",\n{\"model\": ");
          w.first = FALSE;
          g_string_append (chunk, label_json);
          g_string_append (chunk, ", \"pk\": ");
          if (!bb_codec_append_value (chunk, model->pk->kind, pk, error))
            goto bad_value;
          g_string_append (chunk, ", \"fields\": {");

          for (guint c = 0; c < model->fields->len; c++)
            {
              BbField *field = g_ptr_array_index (model->fields, c);
              const char *value = bb_rows_get (rows, r, c + 1);
              const char *natural = reference_text (run->schema, field->ref, value);

              if (c > 0)
                g_string_append (chunk, ", ");
              bb_codec_append_json_string (chunk, field->name);
              g_string_append (chunk, ": ");
              if (natural != NULL)
                g_string_append (chunk, natural);
              else if (!bb_codec_append_value (chunk, field->kind, value, error))
                goto bad_value;
            }

          for (guint i = 0; i < model->m2m->len; i++)
            {
              BbManyToMany *m2m = g_ptr_array_index (model->m2m, i);
              GHashTable *lists = g_ptr_array_index (m2m_lists, i);

              if (model->fields->len > 0 || i > 0)
                g_string_append (chunk, ", ");
              bb_codec_append_json_string (chunk, m2m->name);
              g_string_append (chunk, ": ");
              append_m2m_list (run, m2m, g_hash_table_lookup (lists, pk), chunk);
            }
          g_string_append (chunk, "}}");
          out->records++;

          if (!writer_flush (&w, FALSE))
            return TRUE;  /* the consumer is gone; its error is reported */
          continue;

        bad_value:
          g_prefix_error (error, _("In %s, record %s: "), model->label, pk);
          return FALSE;
        }

      g_free (last);
      last = g_strdup (bb_rows_get (rows, rows->n_rows - 1, 0));
      update_progress (run->job, rows->n_rows, NULL, -1);

      if (rows->n_rows < PAGE_ROWS)
        break;
    }

  g_string_append (chunk, w.first ? "]\n" : "\n]\n");
  if (!writer_flush (&w, TRUE))
    return TRUE;
  pipe_push (&run->pipe, NULL);
  return TRUE;
}

static gpointer
producer_thread (gpointer user_data)
{
  Run *run = user_data;
  GError *error = NULL;

  for (guint i = 0; i < run->outs->len; i++)
    {
      if (!produce_model (run, g_ptr_array_index (run->outs, i), &error))
        break;
    }
  pipe_finish (&run->pipe, error);
  return NULL;
}

/* Consumer: libzip's read callbacks */

static gssize
read_model_cb (gpointer   user_data,
               guint8    *buf,
               gsize      len,
               GError   **error)
{
  Run *run = user_data;
  gsize n, size;
  const guint8 *data;
  ModelOut *out;

  while (run->current == NULL)
    {
      GBytes *item = NULL;

      if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
        return -1;
      if (!pipe_pop (&run->pipe, &item, error))
        return -1;
      out = g_ptr_array_index (run->outs, run->reading);
      if (item == NULL)
        {
          /* End of this model; libzip's next entry is the next model. */
          out->digest = g_strdup (g_checksum_get_string (out->sha256));
          run->reading++;
          return 0;
        }
      /* Hashed here, on libzip's thread, which waits for the reader anyway. */
      data = g_bytes_get_data (item, &size);
      g_checksum_update (out->sha256, data, size);
      run->current = item;
      run->offset = 0;
    }

  data = g_bytes_get_data (run->current, &size);
  n = MIN (len, size - run->offset);
  memcpy (buf, data + run->offset, n);
  run->offset += n;
  if (run->offset == size)
    g_clear_pointer (&run->current, g_bytes_unref);
  return n;
}

static GBytes *
build_metadata (Run *run)
{
  BbBackupJob *job = run->job;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *timestamp = g_date_time_format (run->time, "%Y-%m-%dT%H:%M:%S%:z");
  g_autoptr(GHashTable) apps = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                      (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) app_order = g_ptr_array_new_with_free_func (g_free);
  guint64 total = 0;
  char *text;
  gsize len;

  for (guint i = 0; i < run->outs->len; i++)
    total += ((ModelOut *) g_ptr_array_index (run->outs, i))->records;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, BB_BACKUP_FORMAT_VERSION);
  json_builder_set_member_name (b, "timestamp");
  json_builder_add_string_value (b, timestamp);
  json_builder_set_member_name (b, "timezone");
  json_builder_add_string_value (b, run->tz_name);
  json_builder_set_member_name (b, "database_engine");
  json_builder_add_string_value (b, bb_engine_to_django (run->schema->engine));
  json_builder_set_member_name (b, "babybuddy_version");
  json_builder_add_string_value (b, run->schema->babybuddy_version);
  json_builder_set_member_name (b, "models_count");
  json_builder_add_int_value (b, run->outs->len);
  json_builder_set_member_name (b, "total_records");
  json_builder_add_int_value (b, total);
  json_builder_set_member_name (b, "includes_media");
  json_builder_add_boolean_value (b, job->media_dir != NULL);

  json_builder_set_member_name (b, "generator");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, PACKAGE_NAME);
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, PACKAGE_VERSION);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "models");
  json_builder_begin_array (b);
  for (guint i = 0; i < run->outs->len; i++)
    {
      ModelOut *out = g_ptr_array_index (run->outs, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "model");
      json_builder_add_string_value (b, out->model->label);
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, out->file);
      json_builder_set_member_name (b, "records");
      json_builder_add_int_value (b, out->records);
      json_builder_set_member_name (b, "sha256");
      json_builder_add_string_value (b, out->digest);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  for (guint i = 0; i < run->schema->migrations->len; i++)
    {
      const char *entry = g_ptr_array_index (run->schema->migrations, i);
      const char *tab = strchr (entry, '\t');
      g_autofree char *app = g_strndup (entry, tab - entry);
      GPtrArray *names = g_hash_table_lookup (apps, app);

      if (names == NULL)
        {
          names = g_ptr_array_new ();
          g_ptr_array_add (app_order, g_strdup (app));
          g_hash_table_insert (apps, g_strdup (app), names);
        }
      g_ptr_array_add (names, (gpointer) (tab + 1));
    }
  json_builder_set_member_name (b, "migrations");
  json_builder_begin_object (b);
  for (guint i = 0; i < app_order->len; i++)
    {
      GPtrArray *names = g_hash_table_lookup (apps, g_ptr_array_index (app_order, i));

      json_builder_set_member_name (b, g_ptr_array_index (app_order, i));
      json_builder_begin_array (b);
      for (guint j = 0; j < names->len; j++)
        json_builder_add_string_value (b, g_ptr_array_index (names, j));
      json_builder_end_array (b);
    }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "media");
  json_builder_begin_array (b);
  for (guint i = 0; i < run->media->len; i++)
    {
      MediaOut *media = g_ptr_array_index (run->media, i);
      g_autofree char *entry = g_strconcat ("media/", media->path, NULL);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, entry);
      json_builder_set_member_name (b, "size");
      json_builder_add_int_value (b, media->size);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "unknown_tables");
  json_builder_begin_array (b);
  for (guint i = 0; i < run->schema->unknown_tables->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (run->schema->unknown_tables, i));
  json_builder_end_array (b);

  json_builder_set_member_name (b, "warnings");
  json_builder_begin_array (b);
  g_mutex_lock (&job->lock);
  for (guint i = 0; i < job->warnings->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (job->warnings, i));
  g_mutex_unlock (&job->lock);
  json_builder_end_array (b);

  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, &len);
  return g_bytes_new_take (text, len);
}

static gssize
read_metadata_cb (gpointer   user_data,
                  guint8    *buf,
                  gsize      len,
                  GError   **error)
{
  Run *run = user_data;
  const guint8 *data;
  gsize size, n;

  if (run->metadata == NULL)
    {
      /* Every model entry has been read to its end, so the producer is done. */
      g_mutex_lock (&run->pipe.lock);
      while (!run->pipe.producer_done)
        g_cond_wait (&run->pipe.cond, &run->pipe.lock);
      if (run->pipe.error != NULL)
        {
          g_propagate_error (error, g_error_copy (run->pipe.error));
          g_mutex_unlock (&run->pipe.lock);
          return -1;
        }
      g_mutex_unlock (&run->pipe.lock);
      run->metadata = build_metadata (run);
    }

  data = g_bytes_get_data (run->metadata, &size);
  n = MIN (len, size - run->metadata_offset);
  memcpy (buf, data + run->metadata_offset, n);
  run->metadata_offset += n;
  return n;
}

/* The job */

static char *
resolve_output (BbBackupJob  *self,
                GDateTime    *time,
                GError      **error)
{
  g_autofree char *name = bb_file_name_for_time (time);
  g_autofree char *parent = NULL;
  g_autofree char *display = g_filename_display_name (self->output);

  if (g_file_test (self->output, G_FILE_TEST_IS_DIR))
    return g_build_filename (self->output, name, NULL);

  if (g_str_has_suffix (self->output, G_DIR_SEPARATOR_S))
    {
      g_set_error (error, BB_BACKUP_ERROR, BB_BACKUP_ERROR_DESTINATION,
                   _("The folder “%s” does not exist. Create it or choose another folder."),
                   display);
      return NULL;
    }

  parent = g_path_get_dirname (self->output);
  if (!g_file_test (parent, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *parent_display = g_filename_display_name (parent);
      g_set_error (error, BB_BACKUP_ERROR, BB_BACKUP_ERROR_DESTINATION,
                   _("The folder “%s” does not exist. Create it or choose another folder."),
                   parent_display);
      return NULL;
    }
  return g_strdup (self->output);
}

static gboolean
is_safe_relative_path (const char *path)
{
  g_auto(GStrv) parts = NULL;

  if (path[0] == '\0' || path[0] == '/' || strchr (path, '\\') != NULL)
    return FALSE;
  parts = g_strsplit (path, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] == '\0' || strcmp (parts[i], ".") == 0 || strcmp (parts[i], "..") == 0)
      return FALSE;
  return TRUE;
}

/* The files that image and file fields name, from inside the snapshot. */
static gboolean
collect_media (Run              *run,
               BbArchiveWriter  *writer,
               GError          **error)
{
  BbEngine engine = run->schema->engine;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint m = 0; m < run->schema->models->len; m++)
    {
      BbModel *model = g_ptr_array_index (run->schema->models, m);

      for (guint f = 0; f < model->fields->len; f++)
        {
          BbField *field = g_ptr_array_index (model->fields, f);
          g_autofree char *table = bb_dialect_quote_identifier (engine, model->table);
          g_autofree char *column = bb_dialect_quote_identifier (engine, field->column);
          g_autoptr(GString) sql = g_string_new ("SELECT ");
          g_autoptr(BbRows) rows = NULL;

          if (field->upload_to == NULL)
            continue;

          bb_dialect_append_select_expr (engine, sql, BB_FIELD_TEXT, field->column);
          g_string_append_printf (sql, " FROM %s WHERE %s IS NOT NULL AND %s <> ''",
                                  table, column, column);
          rows = bb_database_query (run->db, sql->str, 1, error);
          if (rows == NULL)
            return FALSE;

          for (guint r = 0; r < rows->n_rows; r++)
            {
              const char *path = bb_rows_get (rows, r, 0);
              g_autofree char *full = NULL;
              g_autofree char *entry = NULL;
              GStatBuf st;

              if (path == NULL || g_hash_table_contains (seen, path))
                continue;
              g_hash_table_add (seen, g_strdup (path));

              if (!is_safe_relative_path (path))
                {
                  add_warning (run->job, g_strdup_printf (_("%s: the file name “%s” is not a "
                                                            "safe relative path; not copied"),
                                                          model->label, path));
                  continue;
                }

              full = g_build_filename (run->job->media_dir, path, NULL);
              if (g_stat (full, &st) != 0 || !S_ISREG (st.st_mode))
                {
                  add_warning (run->job, g_strdup_printf (_("%s: the media file “%s” is missing"),
                                                          model->label, path));
                  continue;
                }

              entry = g_strconcat ("media/", path, NULL);
              /* Pictures are compressed already. */
              if (!bb_archive_writer_add_file (writer, entry, full, FALSE, error))
                return FALSE;
              {
                MediaOut *media = g_new0 (MediaOut, 1);
                media->path = g_strdup (path);
                media->size = st.st_size;
                g_ptr_array_add (run->media, media);
              }
            }
        }
    }
  return TRUE;
}

static gboolean
count_records (Run     *run,
               GError **error)
{
  guint64 total = 0;

  for (guint i = 0; i < run->outs->len; i++)
    {
      ModelOut *out = g_ptr_array_index (run->outs, i);
      g_autofree char *table = bb_dialect_quote_identifier (run->schema->engine, out->model->table);
      /* MySQL's provider cannot hand out text by itself (see bb-dialect.c). */
      g_autofree char *sql = g_strdup_printf (run->schema->engine == BB_ENGINE_MYSQL
                                              ? "SELECT CAST(COUNT(*) AS CHAR) FROM %s"
                                              : "SELECT COUNT(*) FROM %s", table);
      g_autofree char *count = NULL;

      count = bb_database_query_value (run->db, sql, error);
      if (count == NULL)
        return FALSE;
      total += g_ascii_strtoull (count, NULL, 10);
    }
  update_progress (run->job, 0, NULL, total);
  return TRUE;
}

static char *
run_backup (BbBackupJob   *self,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(BbDatabase) db = NULL;
  g_autoptr(BbArchiveWriter) writer = NULL;
  g_autofree char *path = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(GError) commit_error = NULL;
  GThread *producer;
  gboolean committed;
  Run run = { 0 };
  char *result = NULL;

  tz = bb_time_zone_new (self->timezone, error);
  if (tz == NULL)
    return NULL;

  run.job = self;
  run.cancellable = cancellable;
  run.time = self->now ? g_date_time_to_timezone (self->now, tz) : g_date_time_new_now (tz);
  run.tz_name = g_strdup (self->timezone && self->timezone[0]
                          ? self->timezone : g_time_zone_get_identifier (tz));
  run.outs = g_ptr_array_new_with_free_func ((GDestroyNotify) model_out_free);
  run.media = g_ptr_array_new_with_free_func ((GDestroyNotify) media_out_free);
  g_mutex_init (&run.pipe.lock);
  g_cond_init (&run.pipe.cond);

  path = resolve_output (self, run.time, error);
  if (path == NULL)
    goto out;

  db = bb_database_new (self->info);
  if (!bb_database_open (db, error))
    goto out;
  run.db = db;

  if (!bb_database_execute (db, bb_dialect_begin_snapshot (bb_database_get_engine (db)), error))
    goto out;

  run.schema = bb_schema_load (db, error);
  if (run.schema == NULL)
    goto out;

  for (guint i = 0; i < run.schema->models->len; i++)
    {
      ModelOut *out = g_new0 (ModelOut, 1);

      out->model = g_ptr_array_index (run.schema->models, i);
      out->file = bb_catalog_file_for_label (out->model->label);
      out->sha256 = g_checksum_new (G_CHECKSUM_SHA256);
      g_ptr_array_add (run.outs, out);
    }

  if (!count_records (&run, error))
    goto out;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;

  folder = g_path_get_dirname (path);
  bb_archive_remove_stale_temporaries (folder);
  writer = bb_archive_writer_new (path, self->compression_level, error);
  if (writer == NULL)
    goto out;

  for (guint i = 0; i < run.outs->len; i++)
    {
      ModelOut *out = g_ptr_array_index (run.outs, i);

      if (!bb_archive_writer_add_stream (writer, out->file, read_model_cb, &run, error))
        goto out;
    }

  if (self->media_dir != NULL && !collect_media (&run, writer, error))
    goto out;

  if (!bb_archive_writer_add_stream (writer, "metadata.json", read_metadata_cb, &run, error))
    goto out;

  producer = g_thread_new ("bb-backup-reader", producer_thread, &run);
  committed = bb_archive_writer_commit (writer, &commit_error);

  g_mutex_lock (&run.pipe.lock);
  run.pipe.consumer_gone = TRUE;
  g_cond_broadcast (&run.pipe.cond);
  g_mutex_unlock (&run.pipe.lock);
  g_thread_join (producer);

  if (!committed)
    {
      /* A reader error (or a cancel) explains a failed close best. */
      if (run.pipe.error != NULL)
        g_propagate_error (error, g_steal_pointer (&run.pipe.error));
      else
        g_propagate_error (error, g_steal_pointer (&commit_error));
      goto out;
    }

  result = g_steal_pointer (&path);

out:
  if (db != NULL && run.db != NULL)
    {
      /* Ends the read transaction; nothing was written. */
      bb_database_execute (db, "ROLLBACK", NULL);
      bb_database_close (db);
    }
  g_clear_pointer (&run.schema, bb_schema_free);
  g_clear_pointer (&run.outs, g_ptr_array_unref);
  g_clear_pointer (&run.media, g_ptr_array_unref);
  g_clear_pointer (&run.time, g_date_time_unref);
  g_clear_pointer (&run.current, g_bytes_unref);
  g_clear_pointer (&run.metadata, g_bytes_unref);
  g_free (run.tz_name);
  g_clear_error (&run.pipe.error);
  while (!g_queue_is_empty (&run.pipe.items))
    {
      GBytes *item = g_queue_pop_head (&run.pipe.items);
      if (item != NULL)
        g_bytes_unref (item);
    }
  g_mutex_clear (&run.pipe.lock);
  g_cond_clear (&run.pipe.cond);
  return result;
}

char *
bb_backup_job_run (BbBackupJob   *self,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_return_val_if_fail (BB_IS_BACKUP_JOB (self), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);

  return run_backup (self, cancellable, error);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  GError *error = NULL;
  char *path = run_backup (source_object, cancellable, &error);

  if (path == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, path, g_free);
}

void
bb_backup_job_run_async (BbBackupJob         *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BB_IS_BACKUP_JOB (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bb_backup_job_run_async);
  g_task_set_return_on_cancel (task, FALSE);

  bb_progress_follow_thread_context (&self->progress);
  g_task_run_in_thread (task, run_thread);
}

char *
bb_backup_job_run_finish (BbBackupJob   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bb_backup_job_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Properties and setters */

guint64
bb_backup_job_get_records_done (BbBackupJob *self)
{
  g_return_val_if_fail (BB_IS_BACKUP_JOB (self), 0);
  return bb_progress_get_done (&self->progress);
}

guint64
bb_backup_job_get_records_total (BbBackupJob *self)
{
  g_return_val_if_fail (BB_IS_BACKUP_JOB (self), 0);
  return bb_progress_get_total (&self->progress);
}

char *
bb_backup_job_dup_current_model (BbBackupJob *self)
{
  g_return_val_if_fail (BB_IS_BACKUP_JOB (self), NULL);
  return bb_progress_dup_model (&self->progress);
}

GStrv
bb_backup_job_dup_warnings (BbBackupJob *self)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  GStrv result;

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->warnings->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->warnings, i));
  g_mutex_unlock (&self->lock);
  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

void
bb_backup_job_set_timezone (BbBackupJob *self,
                            const char  *identifier)
{
  g_return_if_fail (BB_IS_BACKUP_JOB (self));
  g_free (self->timezone);
  self->timezone = g_strdup (identifier);
}

void
bb_backup_job_set_media_dir (BbBackupJob *self,
                             const char  *media_dir)
{
  g_return_if_fail (BB_IS_BACKUP_JOB (self));
  g_free (self->media_dir);
  self->media_dir = g_strdup (media_dir);
}

void
bb_backup_job_set_compression_level (BbBackupJob *self,
                                     int          level)
{
  g_return_if_fail (BB_IS_BACKUP_JOB (self));
  g_return_if_fail (level >= 0 && level <= 9);
  self->compression_level = level;
}

void
bb_backup_job_set_now (BbBackupJob *self,
                       GDateTime   *now)
{
  g_return_if_fail (BB_IS_BACKUP_JOB (self));
  g_clear_pointer (&self->now, g_date_time_unref);
  if (now != NULL)
    self->now = g_date_time_ref (now);
}

static void
bb_backup_job_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  BbBackupJob *self = BB_BACKUP_JOB (object);

  if (!bb_progress_get_property (&self->progress, PROP_RECORDS_DONE, prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
bb_backup_job_finalize (GObject *object)
{
  BbBackupJob *self = BB_BACKUP_JOB (object);

  g_clear_pointer (&self->info, bb_connection_info_free);
  g_free (self->output);
  g_free (self->timezone);
  g_free (self->media_dir);
  g_clear_pointer (&self->now, g_date_time_unref);
  g_clear_pointer (&self->warnings, g_ptr_array_unref);
  bb_progress_clear (&self->progress);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (bb_backup_job_parent_class)->finalize (object);
}

static void
bb_backup_job_class_init (BbBackupJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = bb_backup_job_get_property;
  object_class->finalize = bb_backup_job_finalize;

  bb_progress_install_properties (object_class, PROP_RECORDS_DONE, &properties[PROP_RECORDS_DONE]);
}

static void
bb_backup_job_init (BbBackupJob *self)
{
  bb_progress_init (&self->progress, G_OBJECT (self), properties[PROP_RECORDS_DONE],
                    properties[PROP_RECORDS_TOTAL], properties[PROP_CURRENT_MODEL]);
  g_mutex_init (&self->lock);
  self->warnings = g_ptr_array_new_with_free_func (g_free);
  self->compression_level = 6;
}

BbBackupJob *
bb_backup_job_new (const BbConnectionInfo *info,
                   const char             *output)
{
  BbBackupJob *self;

  g_return_val_if_fail (info != NULL, NULL);
  g_return_val_if_fail (output != NULL, NULL);

  self = g_object_new (BB_TYPE_BACKUP_JOB, NULL);
  self->info = bb_connection_info_copy (info);
  self->output = g_strdup (output);
  return self;
}
