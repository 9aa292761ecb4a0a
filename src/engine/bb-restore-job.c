/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-restore-job.c: a backup (or a Django fixture) into a database.
 *
 * Two passes over the file. The check pass reads every record, writes
 * nothing, and collects every problem at once: layout and checksums, models
 * and fields against the target's schema, each value against its column,
 * primary keys, references and natural keys; it also gathers the preview.
 * The load pass runs in one transaction with foreign keys deferred (SQLite,
 * PostgreSQL) or switched off and checked by us (MariaDB): it deletes the
 * backed-up models' rows (replace) or upserts by primary key (merge), inserts
 * in multi-row statements, checks every reference, resets the id counters and
 * commits. Any failure or a cancel rolls back, so the database is either as it
 * was or fully restored. Records are streamed: one element of the top-level
 * array in memory at a time. */

#define G_LOG_DOMAIN "bb-restore-job"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bb-archive-reader.h"
#include "bb-backup-job.h"
#include "bb-catalog.h"
#include "bb-codec.h"
#include "bb-dialect.h"
#include "bb-file-name.h"
#include "bb-json-lines.h"
#include "bb-progress.h"
#include "bb-restore-job.h"
#include "bb-schema.h"

#define MAX_ELEMENT_BYTES (64 * 1024 * 1024)
#define MAX_METADATA_BYTES (16 * 1024 * 1024)
#define BATCH_ROWS 500
#define BATCH_BYTES (512 * 1024)
#define PROBLEMS_PER_MODEL 8
#define SAFETY_BACKUPS_KEPT 5
#define BITMAP_MAX_PK (G_GINT64_CONSTANT (1) << 26)

G_DEFINE_QUARK (bb-restore-error-quark, bb_restore_error)

struct _BbRestoreJob
{
  GObject           parent_instance;

  char             *file;
  BbConnectionInfo *info;           /* NULL: verify only */
  BbRestoreMode     mode;
  char             *media_dir;
  char             *safety_dir;
  gboolean          safety_default;
  BbArchiveLimits   limits;
  guint64           fail_after;     /* 0: never */

  BbRestorePreview *preview;
  char             *safety_backup;

  BbProgress        progress;
};

G_DEFINE_FINAL_TYPE (BbRestoreJob, bb_restore_job, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RECORDS_DONE,
  PROP_RECORDS_TOTAL,
  PROP_CURRENT_MODEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* --- Sets of primary keys ------------------------------------------------ */

/* Integer keys of one model: a bitmap for the usual dense 1..N ids, a hash
 * for the rest; text keys (authtoken) in a hash. A million ids cost 128 KiB. */
typedef struct {
  guint64    *bits;
  gsize       n_words;
  GHashTable *others;     /* gint64 as pointer, or strings */
  gboolean    text;
  guint64     count;
} PkSet;

static PkSet *
pk_set_new (gboolean text)
{
  PkSet *set = g_new0 (PkSet, 1);

  set->text = text;
  if (text)
    set->others = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  else
    set->others = g_hash_table_new (g_direct_hash, g_direct_equal);
  return set;
}

static void
pk_set_free (PkSet *set)
{
  if (set == NULL)
    return;
  g_free (set->bits);
  g_hash_table_unref (set->others);
  g_free (set);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkSet, pk_set_free)

static gboolean
pk_set_contains (const PkSet *set,
                 gint64       value)
{
  if (value >= 0 && value < BITMAP_MAX_PK)
    {
      gsize word = (gsize) value / 64;
      return word < set->n_words && (set->bits[word] >> (value % 64)) & 1;
    }
  return g_hash_table_contains (set->others, GSIZE_TO_POINTER ((gsize) value));
}

/* FALSE when the value was there already. */
static gboolean
pk_set_add (PkSet  *set,
            gint64  value)
{
  if (value >= 0 && value < BITMAP_MAX_PK)
    {
      gsize word = (gsize) value / 64;
      guint64 bit = G_GUINT64_CONSTANT (1) << (value % 64);

      if (word >= set->n_words)
        {
          gsize n = MAX (word + 1, set->n_words * 2);
          set->bits = g_renew (guint64, set->bits, n);
          memset (set->bits + set->n_words, 0, (n - set->n_words) * sizeof (guint64));
          set->n_words = n;
        }
      if (set->bits[word] & bit)
        return FALSE;
      set->bits[word] |= bit;
    }
  else if (!g_hash_table_add (set->others, GSIZE_TO_POINTER ((gsize) value)))
    return FALSE;
  set->count++;
  return TRUE;
}

static gboolean
pk_set_add_text (PkSet      *set,
                 const char *value)
{
  if (!g_hash_table_add (set->others, g_strdup (value)))
    return FALSE;
  set->count++;
  return TRUE;
}

/* --- The plan: one entry per model in the file --------------------------- */

typedef struct {
  char        *label;
  char        *file;          /* archive entry; NULL for a fixture */
  gint64       declared;      /* records in metadata, -1 if unknown */
  char        *sha256;        /* from metadata */
  BbModel     *target;        /* NULL: not in the target database */
  PkSet       *pks;
  guint64      records;
  gboolean     complete;      /* every record seen (check pass) */
  gboolean     skipped;       /* a model that is never restored (fixture) */
  GHashTable  *seen_fields;   /* names seen in records -> GINT_TO_POINTER(1) */
  GHashTable  *unknown_fields;/* names reported already */
  GHashTable  *folded;        /* MariaDB target: "field\tfolded value" -> pk text */
  GHashTable  *unique_values; /* merge: "field\tvalue" -> pk text */
  GPtrArray   *columns;       /* load: BbField in insert order (pk first) */
  guint        problems;
  guint        problems_hidden;
} Plan;

static void
plan_free (Plan *plan)
{
  g_free (plan->label);
  g_free (plan->file);
  g_free (plan->sha256);
  pk_set_free (plan->pks);
  g_clear_pointer (&plan->seen_fields, g_hash_table_unref);
  g_clear_pointer (&plan->unknown_fields, g_hash_table_unref);
  g_clear_pointer (&plan->folded, g_hash_table_unref);
  g_clear_pointer (&plan->unique_values, g_hash_table_unref);
  g_clear_pointer (&plan->columns, g_ptr_array_unref);
  g_free (plan);
}

/* A reference that could not be checked yet (its target was not read yet).
 * One per model, field and referred record: the first referring record is
 * kept, the others only counted, so memory follows the referred records (a
 * few children, users, tags) and not the size of the file. */
typedef struct {
  Plan    *from;
  char    *field;
  char    *pk;
  char    *table;
  gint64   value;
  guint64  count;
} Pending;

static void
pending_clear (Pending *pending)
{
  g_free (pending->field);
  g_free (pending->pk);
  g_free (pending->table);
}

typedef struct {
  GHashTable *counts;        /* label -> guint64* */
  char       *first;
  char       *last;
  guint64     entries;
} ChildStats;

static void
child_stats_free (ChildStats *stats)
{
  g_hash_table_unref (stats->counts);
  g_free (stats->first);
  g_free (stats->last);
  g_free (stats);
}

/* Everything one check or load pass needs. */
typedef struct {
  BbRestoreJob     *job;
  GCancellable     *cancellable;
  BbRestorePreview *preview;
  BbDatabase       *db;            /* NULL for verify */
  BbSchema         *schema;        /* the target's, or the catalog's for verify */
  BbEngine          engine;
  BbInputFormat     format;
  BbArchiveReader  *archive;       /* ZIP input */
  JsonObject       *metadata;      /* backup ZIP only */
  JsonParser       *metadata_parser;
  GPtrArray        *plans;         /* Plan, in load order */
  GHashTable       *plans_by_label;
  GHashTable       *plans_by_table;
  GHashTable       *content_type_ids;  /* target: '["app", "model"]' -> id text */
  GHashTable       *permission_ids;    /* target: '["codename", "app", "model"]' -> id text */
  GHashTable       *fixture_cts;       /* fixture: ct pk text -> natural key text */
  GHashTable       *fixture_perms;     /* fixture: perm pk text -> natural key text */
  GHashTable       *fixture_perm_raw;  /* fixture: perm pk text -> "ct id\tcodename" */
  GArray           *pending;           /* Pending */
  GArray           *pending_natural;   /* Pending for fixture ct/perm ids; table = "ct"/"perm" */
  GHashTable       *pending_index;     /* "list model field table value" -> index in its list */
  GHashTable       *wanted;            /* table -> PkSet of ids to find in the target */
  GHashTable       *wanted_from;       /* "table\tid" -> "model pk field" (first few) */
  GHashTable       *children;          /* child pk (gint64) -> name */
  GHashTable       *child_stats;       /* child pk -> ChildStats */
  GHashTable       *media;             /* archive media entries to restore: name -> size */
  BbJsonDoc        *doc;
  GString          *scratch;
  GString          *key;               /* natural keys being resolved */
  guint64           records_seen;
  gboolean          field_mismatch;    /* unknown fields or uncovered columns */
  char             *fixture_sha256;    /* what the check pass read of a fixture */
  GPtrArray        *staged_media;      /* char *: temporary path, then final path */
} Run;

/* --- Progress ------------------------------------------------------------- */

/* done < 0 keeps the count; total < 0 keeps the total; model NULL keeps it. */
static void
set_progress (BbRestoreJob *self,
              gint64        done,
              gint64        total,
              const char   *model)
{
  bb_progress_update (&self->progress, done, 0, total, model);
}

/* --- Preview -------------------------------------------------------------- */

static void
preview_model_free (BbPreviewModel *model)
{
  g_free (model->label);
  g_free (model);
}

static void
preview_count_free (BbPreviewCount *count)
{
  g_free (count->label);
  g_free (count);
}

static void
preview_child_free (BbPreviewChild *child)
{
  g_free (child->name);
  g_free (child->first_entry);
  g_free (child->last_entry);
  g_ptr_array_unref (child->counts);
  g_free (child);
}

static void
preview_free (BbRestorePreview *preview)
{
  if (preview == NULL)
    return;
  g_free (preview->format_version);
  g_free (preview->created);
  g_free (preview->timezone);
  g_free (preview->source_engine);
  g_free (preview->babybuddy_version);
  g_free (preview->target_engine);
  g_free (preview->target_babybuddy_version);
  g_free (preview->generator);
  g_ptr_array_unref (preview->models);
  g_ptr_array_unref (preview->children);
  g_ptr_array_unref (preview->users);
  g_ptr_array_unref (preview->warnings);
  g_ptr_array_unref (preview->problems);
  g_free (preview);
}

static BbRestorePreview *
preview_new (void)
{
  BbRestorePreview *preview = g_new0 (BbRestorePreview, 1);

  preview->models = g_ptr_array_new_with_free_func ((GDestroyNotify) preview_model_free);
  preview->children = g_ptr_array_new_with_free_func ((GDestroyNotify) preview_child_free);
  preview->users = g_ptr_array_new_with_free_func (g_free);
  preview->warnings = g_ptr_array_new_with_free_func (g_free);
  preview->problems = g_ptr_array_new_with_free_func (g_free);
  return preview;
}

G_GNUC_PRINTF (2, 3)
static void
add_problem (Run        *run,
             const char *format,
             ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (run->preview->problems, g_strdup_vprintf (format, args));
  va_end (args);
}

/* Problems of one model are capped so that a file with a million bad rows
 * still gives a readable list. */
G_GNUC_PRINTF (3, 4)
static void
add_model_problem (Run        *run,
                   Plan       *plan,
                   const char *format,
                   ...)
{
  va_list args;

  if (plan->problems >= PROBLEMS_PER_MODEL)
    {
      plan->problems_hidden++;
      return;
    }
  plan->problems++;
  va_start (args, format);
  g_ptr_array_add (run->preview->problems, g_strdup_vprintf (format, args));
  va_end (args);
}

G_GNUC_PRINTF (2, 3)
static void
add_warning (Run        *run,
             const char *format,
             ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (run->preview->warnings, g_strdup_vprintf (format, args));
  va_end (args);
}

static void
set_string (char       **field,
            const char  *value)
{
  char *copy = g_strdup (value);

  g_free (*field);
  *field = copy;
}

/* --- Plans ---------------------------------------------------------------- */

static gboolean
is_integer_kind (const BbField *field)
{
  return field->kind == BB_FIELD_INTEGER;
}

static Plan *
plan_for_label (Run        *run,
                const char *label)
{
  Plan *plan = g_hash_table_lookup (run->plans_by_label, label);

  if (plan != NULL)
    return plan;

  plan = g_new0 (Plan, 1);
  plan->label = g_strdup (label);
  plan->declared = -1;
  plan->target = bb_schema_find_model (run->schema, label);
  plan->pks = pk_set_new (plan->target != NULL && !is_integer_kind (plan->target->pk));
  plan->seen_fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  plan->unknown_fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  plan->skipped = bb_catalog_is_not_backed_up (label);
  if (plan->target != NULL && run->engine == BB_ENGINE_MYSQL && run->db != NULL)
    plan->folded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (plan->target != NULL && run->job->mode == BB_RESTORE_MODE_MERGE)
    plan->unique_values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_ptr_array_add (run->plans, plan);
  g_hash_table_insert (run->plans_by_label, plan->label, plan);
  if (plan->target != NULL)
    g_hash_table_insert (run->plans_by_table, plan->target->table, plan);
  return plan;
}

static BbField *
find_field (BbModel    *model,
            const char *name)
{
  for (guint i = 0; i < model->fields->len; i++)
    {
      BbField *field = g_ptr_array_index (model->fields, i);
      if (strcmp (field->name, name) == 0)
        return field;
    }
  return NULL;
}

static BbManyToMany *
find_m2m (BbModel    *model,
          const char *name)
{
  for (guint i = 0; i < model->m2m->len; i++)
    {
      BbManyToMany *m2m = g_ptr_array_index (model->m2m, i);
      if (strcmp (m2m->name, name) == 0)
        return m2m;
    }
  return NULL;
}

static const char *
m2m_target_table (BbManyToMany *m2m)
{
  switch (m2m->ref)
    {
    case BB_REF_PERMISSION:
      return "auth_permission";
    case BB_REF_CONTENT_TYPE:
      return "django_content_type";
    default:
      break;
    }
  /* Baby Buddy's serialized many-to-many fields point at groups otherwise. */
  return g_str_has_suffix (m2m->target_column, "group_id") ? "auth_group" : NULL;
}

/* Kahn's algorithm over the references between the file's models; a model
 * in a cycle keeps its place from the file. Deferred foreign keys make the
 * order a courtesy (and a faster reference check), not a requirement. */
static void
sort_plans (Run *run)
{
  GPtrArray *sorted = g_ptr_array_new_with_free_func ((GDestroyNotify) plan_free);
  guint n = run->plans->len;
  g_autofree gboolean *placed = g_new0 (gboolean, n);

  while (sorted->len < n)
    {
      gboolean progress = FALSE;

      for (guint i = 0; i < n; i++)
        {
          Plan *plan = g_ptr_array_index (run->plans, i);
          gboolean ready = TRUE;

          if (placed[i])
            continue;
          if (plan->target != NULL)
            {
              for (guint f = 0; f < plan->target->fields->len && ready; f++)
                {
                  BbField *field = g_ptr_array_index (plan->target->fields, f);
                  Plan *dep;

                  if (field->ref != BB_REF_PK || field->target_table == NULL)
                    continue;
                  dep = g_hash_table_lookup (run->plans_by_table, field->target_table);
                  if (dep != NULL && dep != plan)
                    for (guint j = 0; j < n; j++)
                      if (g_ptr_array_index (run->plans, j) == dep && !placed[j])
                        ready = FALSE;
                }
            }
          if (ready)
            {
              placed[i] = TRUE;
              g_ptr_array_add (sorted, plan);
              progress = TRUE;
            }
        }

      if (!progress)
        {
          /* A cycle: take the first model left. */
          for (guint i = 0; i < n; i++)
            if (!placed[i])
              {
                placed[i] = TRUE;
                g_ptr_array_add (sorted, g_ptr_array_index (run->plans, i));
                break;
              }
        }
    }

  /* The plans moved to the sorted array. */
  g_ptr_array_set_free_func (run->plans, NULL);
  g_ptr_array_unref (run->plans);
  run->plans = sorted;
}

/* --- Metadata ------------------------------------------------------------- */

static gboolean
parse_version (const char *text,
               guint      *major)
{
  g_autofree char *head = NULL;
  guint64 value;
  const char *dot;

  if (text == NULL)
    return FALSE;
  dot = strchr (text, '.');
  if (dot == NULL || dot == text)
    return FALSE;
  head = g_strndup (text, dot - text);
  if (!g_ascii_string_to_unsigned (head, 10, 0, 1000, &value, NULL))
    return FALSE;
  *major = (guint) value;
  return TRUE;
}

static const char *
object_string (JsonObject *object,
               const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* Reads metadata.json into the preview and the plans. FALSE: stop the check
 * (the problem is recorded, or error is set for a newer format). */
static gboolean
read_metadata (Run     *run,
               GError **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  JsonArray *models;
  JsonNode *media;
  const char *version;
  guint major;

  bytes = bb_archive_reader_read_small (run->archive, "metadata.json", MAX_METADATA_BYTES,
                                        &local_error);
  if (bytes == NULL)
    {
      add_problem (run, "%s", local_error->message);
      return FALSE;
    }

  run->metadata_parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (run->metadata_parser, g_bytes_get_data (bytes, NULL),
                                   g_bytes_get_size (bytes), &local_error))
    {
      add_problem (run, _("metadata.json is not valid JSON (%s)."), local_error->message);
      return FALSE;
    }
  root = json_parser_get_root (run->metadata_parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      add_problem (run, _("metadata.json does not describe a backup."));
      return FALSE;
    }
  run->metadata = json_node_get_object (root);

  version = object_string (run->metadata, "version");
  if (!parse_version (version, &major))
    {
      add_problem (run, _("metadata.json has no valid format version."));
      return FALSE;
    }
  if (major > 1)
    {
      g_set_error (error, BB_RESTORE_ERROR, BB_RESTORE_ERROR_NEWER_FORMAT,
                   _("This backup was made by a newer version of Baby Buddy Backup "
                     "(backup format %s; this version reads format 1). "
                     "Update Baby Buddy Backup to restore it."), version);
      return FALSE;
    }

  run->preview->format_version = g_strdup (version);
  run->preview->created = g_strdup (object_string (run->metadata, "timestamp"));
  run->preview->timezone = g_strdup (object_string (run->metadata, "timezone"));
  run->preview->babybuddy_version = g_strdup (object_string (run->metadata, "babybuddy_version"));
  {
    BbEngine engine;
    if (bb_engine_from_django (object_string (run->metadata, "database_engine"), &engine))
      run->preview->source_engine = g_strdup (bb_engine_to_display (engine));
  }
  if (json_object_has_member (run->metadata, "generator")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (run->metadata, "generator")))
    {
      JsonObject *generator = json_object_get_object_member (run->metadata, "generator");
      run->preview->generator = g_strdup_printf ("%s %s",
                                                 object_string (generator, "name") ?: "?",
                                                 object_string (generator, "version") ?: "");
    }

  if (!json_object_has_member (run->metadata, "models")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (run->metadata, "models")))
    {
      add_problem (run, _("metadata.json does not list the backup’s models."));
      return FALSE;
    }

  models = json_object_get_array_member (run->metadata, "models");
  for (guint i = 0; i < json_array_get_length (models); i++)
    {
      JsonNode *node = json_array_get_element (models, i);
      JsonObject *entry = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *label = object_string (entry, "model");
      const char *file = object_string (entry, "file");
      const char *sha = object_string (entry, "sha256");
      JsonNode *records = entry ? json_object_get_member (entry, "records") : NULL;
      g_autofree char *expected_file = NULL;
      Plan *plan;

      if (label == NULL || file == NULL || sha == NULL || records == NULL
          || json_node_get_value_type (records) != G_TYPE_INT64)
        {
          add_problem (run, _("metadata.json has a damaged model entry (number %u)."), i + 1);
          continue;
        }
      expected_file = bb_catalog_file_for_label (label);
      if (strcmp (file, expected_file) != 0)
        {
          add_problem (run, _("metadata.json names the file “%s” for %s; expected “%s”."),
                       file, label, expected_file);
          continue;
        }
      if (g_hash_table_contains (run->plans_by_label, label))
        {
          add_problem (run, _("metadata.json lists %s twice."), label);
          continue;
        }
      plan = plan_for_label (run, label);
      plan->file = g_strdup (file);
      plan->sha256 = g_ascii_strdown (sha, -1);
      plan->declared = json_node_get_int (records);
      if (!bb_archive_reader_has_entry (run->archive, file))
        add_problem (run, _("The file “%s” listed in metadata.json is missing from the backup."),
                     file);
    }

  media = json_object_get_member (run->metadata, "media");
  if (media != NULL && JSON_NODE_HOLDS_ARRAY (media))
    {
      JsonArray *files = json_node_get_array (media);

      for (guint i = 0; i < json_array_get_length (files); i++)
        {
          JsonNode *node = json_array_get_element (files, i);
          JsonObject *entry = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
          const char *file = object_string (entry, "file");

          if (file == NULL || !bb_archive_reader_has_entry (run->archive, file))
            {
              add_problem (run, _("The media file “%s” listed in metadata.json is missing "
                                  "from the backup."), file ? file : "?");
              continue;
            }
          g_hash_table_insert (run->media, g_strdup (file),
                               g_memdup2 (&(gint64) { bb_archive_reader_get_entry_size (run->archive, file) },
                                          sizeof (gint64)));
        }
    }
  return TRUE;
}

/* The backup's applied migrations against the target's. */
static gboolean
migrations_match (Run *run)
{
  JsonNode *node = run->metadata ? json_object_get_member (run->metadata, "migrations") : NULL;
  g_autoptr(GHashTable) backup = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint matched = 0;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) || run->schema == NULL)
    return TRUE;

  {
    JsonObject *apps = json_node_get_object (node);
    g_autoptr(GList) names = json_object_get_members (apps);

    for (GList *l = names; l != NULL; l = l->next)
      {
        JsonNode *list = json_object_get_member (apps, l->data);

        if (!JSON_NODE_HOLDS_ARRAY (list))
          continue;
        for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
          {
            JsonNode *name = json_array_get_element (json_node_get_array (list), i);
            if (json_node_get_value_type (name) == G_TYPE_STRING)
              g_hash_table_add (backup, g_strdup_printf ("%s\t%s", (char *) l->data,
                                                         json_node_get_string (name)));
          }
      }
  }

  for (guint i = 0; i < run->schema->migrations->len; i++)
    if (g_hash_table_contains (backup, g_ptr_array_index (run->schema->migrations, i)))
      matched++;
  return matched == g_hash_table_size (backup) && matched == run->schema->migrations->len;
}

/* --- Records -------------------------------------------------------------- */

/* A fixture's content types and permissions are numbered by its own database:
 * they only serve to turn its integer references into natural keys. */
static void
remember_fixture_reference (Run              *run,
                            const char       *label,
                            const BbJsonNode *pk,
                            const BbJsonNode *fields)
{
  g_autoptr(GString) key = g_string_new ("[");
  g_autofree char *pk_text = g_strndup (pk->text, pk->len);

  if (strcmp (label, "contenttypes.contenttype") == 0)
    {
      const BbJsonNode *app = bb_json_node_get_member (fields, "app_label");
      const BbJsonNode *model = bb_json_node_get_member (fields, "model");

      if (app == NULL || model == NULL || app->kind != BB_JSON_STRING || model->kind != BB_JSON_STRING)
        return;
      bb_codec_append_json_string (key, app->text);
      g_string_append (key, ", ");
      bb_codec_append_json_string (key, model->text);
      g_string_append_c (key, ']');
      g_hash_table_insert (run->fixture_cts, g_steal_pointer (&pk_text), g_string_free (g_steal_pointer (&key), FALSE));
    }
  else if (strcmp (label, "auth.permission") == 0)
    {
      const BbJsonNode *codename = bb_json_node_get_member (fields, "codename");
      const BbJsonNode *ct = bb_json_node_get_member (fields, "content_type");

      if (codename == NULL || ct == NULL || codename->kind != BB_JSON_STRING
          || ct->kind != BB_JSON_NUMBER)
        return;
      /* dumpdata writes content types after permissions: resolved at the end. */
      g_hash_table_insert (run->fixture_perm_raw, g_steal_pointer (&pk_text),
                           g_strdup_printf ("%.*s\t%s", (int) ct->len, ct->text, codename->text));
    }
}

/* Permissions of a fixture as natural keys, once its content types are known. */
static void
resolve_fixture_permissions (Run *run)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, run->fixture_perm_raw);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_auto(GStrv) parts = g_strsplit (value, "\t", 2);
      const char *ct_key = g_hash_table_lookup (run->fixture_cts, parts[0]);
      g_autoptr(GString) natural = g_string_new ("[");

      if (ct_key == NULL || parts[1] == NULL)
        continue;
      /* '["app", "model"]' -> '["codename", "app", "model"]' */
      bb_codec_append_json_string (natural, parts[1]);
      g_string_append (natural, ", ");
      g_string_append (natural, ct_key + 1);
      g_hash_table_insert (run->fixture_perms, g_strdup (key), g_string_free (g_steal_pointer (&natural), FALSE));
    }
}

/* '["a", "b"]' from an array of strings, the form the target maps use. */
static gboolean
natural_key_text (const BbJsonNode *node,
                  guint             parts,
                  GString          *out)
{
  if (node->kind != BB_JSON_ARRAY || node->n_children != parts)
    return FALSE;
  g_string_truncate (out, 0);
  g_string_append_c (out, '[');
  for (guint i = 0; i < parts; i++)
    {
      if (node->children[i]->kind != BB_JSON_STRING)
        return FALSE;
      if (i > 0)
        g_string_append (out, ", ");
      bb_codec_append_json_string (out, node->children[i]->text);
    }
  g_string_append_c (out, ']');
  return TRUE;
}

/* A content type or permission reference -> the target's id. NULL when it
 * cannot be resolved; *pending TRUE when it is a fixture id to resolve later. */
static const char *
resolve_natural (Run              *run,
                 BbRefKind         ref,
                 const BbJsonNode *value,
                 GString          *key,
                 gboolean         *fixture_id)
{
  GHashTable *target = ref == BB_REF_CONTENT_TYPE ? run->content_type_ids : run->permission_ids;

  *fixture_id = FALSE;
  if (value->kind == BB_JSON_NUMBER && run->preview->is_fixture)
    {
      g_autofree char *id = g_strndup (value->text, value->len);
      const char *natural = g_hash_table_lookup (ref == BB_REF_CONTENT_TYPE
                                                 ? run->fixture_cts : run->fixture_perms, id);
      if (natural == NULL)
        {
          *fixture_id = TRUE;
          return NULL;
        }
      g_string_assign (key, natural);
    }
  else if (!natural_key_text (value, ref == BB_REF_CONTENT_TYPE ? 2 : 3, key))
    return NULL;
  return target ? g_hash_table_lookup (target, key->str) : key->str;
}

static void
want_in_target (Run        *run,
                const char *table,
                gint64      value,
                const char *from)
{
  PkSet *set = g_hash_table_lookup (run->wanted, table);
  g_autofree char *key = NULL;

  if (set == NULL)
    {
      set = pk_set_new (FALSE);
      g_hash_table_insert (run->wanted, g_strdup (table), set);
    }
  if (!pk_set_add (set, value))
    return;
  if (g_hash_table_size (run->wanted_from) < 200)
    {
      key = g_strdup_printf ("%s\t%" G_GINT64_FORMAT, table, value);
      g_hash_table_insert (run->wanted_from, g_steal_pointer (&key), g_strdup (from));
    }
}

static void
add_pending (Run        *run,
             GArray     *list,
             Plan       *plan,
             const char *field,
             const char *pk,
             const char *table,
             gint64      value)
{
  char *key = g_strdup_printf ("%p\t%p\t%s\t%s\t%" G_GINT64_FORMAT, (void *) list, (void *) plan,
                               field, table, value);
  gpointer index;
  Pending pending = { plan, NULL, NULL, NULL, value, 1 };

  if (g_hash_table_lookup_extended (run->pending_index, key, NULL, &index))
    {
      g_array_index (list, Pending, GPOINTER_TO_UINT (index)).count++;
      g_free (key);
      return;
    }
  pending.field = g_strdup (field);
  pending.pk = g_strdup (pk);
  pending.table = g_strdup (table);
  g_hash_table_insert (run->pending_index, key, GUINT_TO_POINTER (list->len));
  g_array_append_val (list, pending);
}

/* A pending reference that fails: the first record is named, the others
 * counted among the problems not shown. */
static void
pending_problem_hidden (Pending *p)
{
  p->from->problems_hidden += p->count - 1;
}

static void
check_reference (Run        *run,
                 Plan       *plan,
                 const char *pk,
                 const char *field,
                 const char *table,
                 gint64      value)
{
  Plan *target = g_hash_table_lookup (run->plans_by_table, table);

  /* A fixture names its models as it goes: the target may come later. */
  if ((target != NULL && !target->complete) || (target == NULL && run->preview->is_fixture))
    {
      add_pending (run, run->pending, plan, field, pk, table, value);
      return;
    }
  if (target != NULL && pk_set_contains (target->pks, value))
    return;
  if (run->db == NULL && target == NULL)
    return;  /* verify: a model outside the backup cannot be checked */
  if (target == NULL || run->job->mode == BB_RESTORE_MODE_MERGE)
    {
      g_autofree char *from = g_strdup_printf ("%s\t%s\t%s", plan->label, pk, field);
      want_in_target (run, table, value, from);
      return;
    }
  add_model_problem (run, plan, _("%s %s: “%s” refers to record %" PRId64
                                  " of %s, which is not in the backup."),
                     plan->label, pk, field, value, target->label);
}

static void
add_child_entry (Run              *run,
                 Plan             *plan,
                 const BbJsonNode *fields)
{
  const BbJsonNode *child = bb_json_node_get_member (fields, "child");
  static const char *date_fields[] = { "start", "time", "date" };
  const BbJsonNode *when = NULL;
  ChildStats *stats;
  guint64 *count;
  gint64 id;
  char date[11];

  if (child == NULL || !bb_json_node_get_int64 (child, &id))
    return;

  for (gsize i = 0; i < G_N_ELEMENTS (date_fields) && when == NULL; i++)
    {
      when = bb_json_node_get_member (fields, date_fields[i]);
      if (when != NULL && (when->kind != BB_JSON_STRING || when->len < 10))
        when = NULL;
    }

  stats = g_hash_table_lookup (run->child_stats, GSIZE_TO_POINTER ((gsize) id));
  if (stats == NULL)
    {
      stats = g_new0 (ChildStats, 1);
      stats->counts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
      g_hash_table_insert (run->child_stats, GSIZE_TO_POINTER ((gsize) id), stats);
    }
  count = g_hash_table_lookup (stats->counts, plan->label);
  if (count == NULL)
    {
      count = g_new0 (guint64, 1);
      g_hash_table_insert (stats->counts, plan->label, count);
    }
  (*count)++;
  stats->entries++;

  if (when == NULL)
    return;
  memcpy (date, when->text, 10);
  date[10] = '\0';
  if (stats->first == NULL || strcmp (date, stats->first) < 0)
    set_string (&stats->first, date);
  if (stats->last == NULL || strcmp (date, stats->last) > 0)
    set_string (&stats->last, date);
}

static void
note_unique_value (Run              *run,
                   Plan             *plan,
                   const BbField    *field,
                   const BbJsonNode *value,
                   const char       *pk)
{
  g_autofree char *text = NULL;

  if (value->kind == BB_JSON_STRING)
    text = g_strdup (value->text);
  else if (value->kind == BB_JSON_NUMBER)
    text = g_strndup (value->text, value->len);
  else
    return;

  /* MariaDB compares these columns without regard to case (and to trailing
   * spaces): two values SQLite and PostgreSQL keep apart collide there. */
  if (plan->folded != NULL && value->kind == BB_JSON_STRING)
    {
      g_autofree char *folded = g_utf8_casefold (text, -1);
      g_autofree char *key = NULL;
      const char *other;

      g_strchomp (folded);
      key = g_strdup_printf ("%s\t%s", field->name, folded);
      other = g_hash_table_lookup (plan->folded, key);
      if (other != NULL)
        add_model_problem (run, plan,
                           _("%s %s and %s: the values of “%s” differ only in case (“%s”), "
                             "which MariaDB and MySQL cannot hold apart. Rename one of them "
                             "in Baby Buddy and back up again."),
                           plan->label, other, pk, field->name, text);
      else
        g_hash_table_insert (plan->folded, g_steal_pointer (&key), g_strdup (pk));
    }

  if (plan->unique_values != NULL)
    g_hash_table_insert (plan->unique_values, g_strdup_printf ("%s\t%s", field->name, text),
                         g_strdup (pk));
}

/* Checks one value against its column; references are checked too. */
static void
check_value (Run              *run,
             Plan             *plan,
             const BbField    *field,
             const BbJsonNode *value,
             const char       *pk)
{
  g_autoptr(GError) error = NULL;

  if (value->kind != BB_JSON_NULL
      && (field->ref == BB_REF_CONTENT_TYPE || field->ref == BB_REF_PERMISSION))
    {
      GString *key = run->key;
      gboolean fixture_id;

      g_string_truncate (key, 0);
      if (resolve_natural (run, field->ref, value, key, &fixture_id) != NULL)
        return;
      if (fixture_id)
        {
          gint64 id = 0;

          bb_json_node_get_int64 (value, &id);
          add_pending (run, run->pending_natural, plan, field->name, pk,
                       field->ref == BB_REF_CONTENT_TYPE ? "ct" : "perm", id);
          return;
        }
      if (key->len == 0)
        add_model_problem (run, plan, _("%s %s: “%s” is not a valid reference."),
                           plan->label, pk, field->name);
      else
        add_model_problem (run, plan, _("%s %s: “%s” refers to %s, which does not exist "
                                        "in this database."),
                           plan->label, pk, field->name, key->str);
      return;
    }

  g_string_truncate (run->scratch, 0);
  if (!bb_codec_append_sql_value (run->scratch, run->engine, field, value, &error))
    {
      add_model_problem (run, plan, _("%s %s, field “%s”: %s"),
                         plan->label, pk, field->name, error->message);
      return;
    }

  if (field->ref == BB_REF_PK && field->target_table != NULL && value->kind != BB_JSON_NULL)
    {
      gint64 id;

      if (bb_json_node_get_int64 (value, &id))
        check_reference (run, plan, pk, field->name, field->target_table, id);
    }
  if (field->unique)
    note_unique_value (run, plan, field, value, pk);
}

static void
check_m2m (Run                *run,
           Plan               *plan,
           const BbManyToMany *m2m,
           const BbJsonNode   *value,
           const char         *pk)
{
  const char *table = m2m_target_table ((BbManyToMany *) m2m);

  if (value->kind != BB_JSON_ARRAY)
    {
      add_model_problem (run, plan, _("%s %s: “%s” must be a list."), plan->label, pk, m2m->name);
      return;
    }

  for (guint i = 0; i < value->n_children; i++)
    {
      const BbJsonNode *item = value->children[i];
      gint64 id;

      if (m2m->ref == BB_REF_PERMISSION || m2m->ref == BB_REF_CONTENT_TYPE)
        {
          BbField field = { .name = m2m->name, .ref = m2m->ref, .kind = BB_FIELD_INTEGER };
          check_value (run, plan, &field, item, pk);
        }
      else if (!bb_json_node_get_int64 (item, &id))
        add_model_problem (run, plan, _("%s %s: “%s” holds something that is not a record "
                                        "number."), plan->label, pk, m2m->name);
      else if (table != NULL)
        check_reference (run, plan, pk, m2m->name, table, id);
    }
}

static char *
pk_display (const BbJsonNode *pk)
{
  if (pk->kind == BB_JSON_STRING)
    return g_strdup_printf ("“%s”", pk->text);
  if (pk->kind == BB_JSON_NUMBER)
    return g_strndup (pk->text, pk->len);
  return g_strdup ("?");
}

/* One record of the check pass. expected: the file's model, or NULL. */
static void
check_record (Run        *run,
              Plan       *expected,
              const char *where,
              const char *text,
              gsize       length,
              guint64     index)
{
  g_autoptr(GError) error = NULL;
  const BbJsonNode *root, *model, *pk, *fields;
  g_autofree char *pk_text = NULL;
  Plan *plan;
  BbModel *target;

  root = bb_json_doc_parse (run->doc, text, length, &error);
  if (root == NULL)
    {
      Plan *owner = expected ? expected : plan_for_label (run, "?");
      add_model_problem (run, owner, _("Record %" PRIu64 " of %s is not valid JSON: %s"),
                         index, where, error->message);
      return;
    }

  model = root->kind == BB_JSON_OBJECT ? bb_json_node_get_member (root, "model") : NULL;
  fields = root->kind == BB_JSON_OBJECT ? bb_json_node_get_member (root, "fields") : NULL;
  pk = root->kind == BB_JSON_OBJECT ? bb_json_node_get_member (root, "pk") : NULL;
  if (model == NULL || model->kind != BB_JSON_STRING || fields == NULL
      || fields->kind != BB_JSON_OBJECT)
    {
      Plan *owner = expected ? expected : plan_for_label (run, "?");
      add_model_problem (run, owner, _("Record %" PRIu64 " of %s is not a Django "
                                       "fixture record (it needs “model” and “fields”)."),
                         index, where);
      return;
    }

  if (expected != NULL && strcmp (model->text, expected->label) != 0)
    {
      add_model_problem (run, expected, _("Record %" PRIu64 " of %s belongs to %s, "
                                          "not to %s."),
                         index, where, model->text, expected->label);
      return;
    }
  plan = expected ? expected : plan_for_label (run, model->text);
  plan->records++;
  run->records_seen++;

  if (pk == NULL || (pk->kind != BB_JSON_NUMBER && pk->kind != BB_JSON_STRING))
    {
      add_model_problem (run, plan, _("Record %" PRIu64 " of %s (%s) has no primary key."),
                         index, where, plan->label);
      return;
    }

  if (plan->skipped)
    {
      if (run->preview->is_fixture)
        remember_fixture_reference (run, plan->label, pk, fields);
      return;
    }

  target = plan->target;
  if (target == NULL)
    {
      if (plan->records == 1)
        {
          if (run->db != NULL)
            add_problem (run, _("The backup contains %s, which this database does not have."),
                         plan->label);
          else
            add_problem (run, _("The backup contains %s, which Baby Buddy does not have."),
                         plan->label);
          run->field_mismatch = TRUE;
        }
      return;
    }

  pk_text = pk_display (pk);

  /* The primary key: a valid value for its column, and unique. */
  {
    g_autoptr(GError) pk_error = NULL;
    gint64 id;

    g_string_truncate (run->scratch, 0);
    if (!bb_codec_append_sql_value (run->scratch, run->engine, target->pk, pk, &pk_error))
      add_model_problem (run, plan, _("%s %s: the primary key is not valid: %s"),
                         plan->label, pk_text, pk_error->message);
    else if (plan->pks->text)
      {
        if (pk->kind != BB_JSON_STRING || !pk_set_add_text (plan->pks, pk->text))
          add_model_problem (run, plan, _("%s %s appears more than once."), plan->label, pk_text);
      }
    else if (!bb_json_node_get_int64 (pk, &id) || !pk_set_add (plan->pks, id))
      add_model_problem (run, plan, _("%s %s appears more than once."), plan->label, pk_text);
  }

  for (guint i = 0; i < fields->n_children; i++)
    {
      const BbJsonNode *member = fields->children[i];
      BbField *field = find_field (target, member->key);
      BbManyToMany *m2m;

      if (field != NULL)
        {
          if (!g_hash_table_contains (plan->seen_fields, member->key))
            g_hash_table_add (plan->seen_fields, g_strdup (member->key));
          check_value (run, plan, field, member, pk_text);
          continue;
        }
      m2m = find_m2m (target, member->key);
      if (m2m != NULL)
        {
          if (!g_hash_table_contains (plan->seen_fields, member->key))
            g_hash_table_add (plan->seen_fields, g_strdup (member->key));
          check_m2m (run, plan, m2m, member, pk_text);
          continue;
        }
      if (!g_hash_table_contains (plan->unknown_fields, member->key))
        {
          g_hash_table_add (plan->unknown_fields, g_strdup (member->key));
          add_problem (run, _("The backup’s %s has a field “%s” that this database does not have."),
                       plan->label, member->key);
          run->field_mismatch = TRUE;
        }
    }

  /* Every column the target requires must get a value. */
  for (guint i = 0; i < target->fields->len; i++)
    {
      BbField *field = g_ptr_array_index (target->fields, i);

      if (field->nullable || field->has_default)
        continue;
      if (bb_json_node_get_member (fields, field->name) == NULL
          && !g_hash_table_contains (plan->unknown_fields, field->column))
        {
          g_hash_table_add (plan->unknown_fields, g_strdup (field->column));
          add_problem (run, _("This database requires a value for “%s” of %s, which the "
                              "backup does not have."), field->name, plan->label);
          run->field_mismatch = TRUE;
        }
    }

  /* What the confirm page shows. */
  if (strcmp (plan->label, "core.child") == 0)
    {
      const BbJsonNode *first = bb_json_node_get_member (fields, "first_name");
      const BbJsonNode *last = bb_json_node_get_member (fields, "last_name");
      gint64 id;

      if (bb_json_node_get_int64 (pk, &id))
        g_hash_table_insert (run->children, GSIZE_TO_POINTER ((gsize) id),
                             g_strstrip (g_strdup_printf ("%s %s",
                                                          first && first->kind == BB_JSON_STRING ? first->text : "",
                                                          last && last->kind == BB_JSON_STRING ? last->text : "")));
    }
  else if (strcmp (plan->label, "auth.user") == 0)
    {
      const BbJsonNode *name = bb_json_node_get_member (fields, "username");

      if (name != NULL && name->kind == BB_JSON_STRING && run->preview->users->len < 100)
        g_ptr_array_add (run->preview->users, g_strdup (name->text));
    }
  else if (g_str_has_prefix (plan->label, "core."))
    add_child_entry (run, plan, fields);
}

/* --- Reading the input ---------------------------------------------------- */

/* Wraps a read function to hash everything it hands out, so that the load
 * pass can tell that it reads the very bytes the check pass checked. */
typedef struct {
  BbJsonReadFunc  read;
  gpointer        data;
  GChecksum      *sha256;
  GCancellable   *cancellable;
} HashedSource;

static gssize
hashed_read (gpointer   user_data,
             guint8    *buf,
             gsize      len,
             GError   **error)
{
  HashedSource *source = user_data;
  gssize n;

  if (g_cancellable_set_error_if_cancelled (source->cancellable, error))
    return -1;
  n = source->read (source->data, buf, len, error);
  if (n > 0)
    g_checksum_update (source->sha256, buf, n);
  return n;
}

/* An open input: one archive entry, or the whole fixture. */
typedef struct {
  BbArchiveEntry *entry;
  BbFixtureFile  *fixture;
  HashedSource    source;
  BbJsonArrayReader *reader;
} Input;

static void
input_clear (Input *input)
{
  g_clear_pointer (&input->reader, bb_json_array_reader_free);
  g_clear_pointer (&input->entry, bb_archive_entry_free);
  g_clear_pointer (&input->fixture, bb_fixture_file_free);
  g_clear_pointer (&input->source.sha256, g_checksum_free);
}

static gboolean
input_open (Run         *run,
            Input       *input,
            const char  *entry_name,
            GError     **error)
{
  memset (input, 0, sizeof *input);

  if (entry_name != NULL)
    {
      input->entry = bb_archive_reader_open_entry (run->archive, entry_name, error);
      if (input->entry == NULL)
        return FALSE;
      input->source.read = bb_archive_entry_read;
      input->source.data = input->entry;
    }
  else
    {
      input->fixture = bb_fixture_file_open (run->job->file, run->format, &run->job->limits, error);
      if (input->fixture == NULL)
        return FALSE;
      input->source.read = bb_fixture_file_read;
      input->source.data = input->fixture;
    }
  input->source.sha256 = g_checksum_new (G_CHECKSUM_SHA256);
  input->source.cancellable = run->cancellable;
  input->reader = bb_json_array_reader_new (hashed_read, &input->source, MAX_ELEMENT_BYTES);
  return TRUE;
}

static const char *
input_digest (Input *input)
{
  return g_checksum_get_string (input->source.sha256);
}

/* --- The check pass ------------------------------------------------------- */

static gboolean
is_cancel (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Reads every record of one input. FALSE only for a cancel (error set). */
static gboolean
check_input (Run         *run,
             Plan        *plan,
             const char  *entry_name,
             const char  *where,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  Input input;
  const char *text;
  gsize length;
  guint64 index = 0;

  if (!input_open (run, &input, entry_name, &local_error))
    {
      add_problem (run, "%s", local_error->message);
      return TRUE;
    }

  while (bb_json_array_reader_next (input.reader, &text, &length, &local_error))
    {
      check_record (run, plan, where, text, length, ++index);
      if (index % 2048 == 0)
        set_progress (run->job, run->records_seen, -1, plan ? plan->label : NULL);
    }

  if (local_error != NULL)
    {
      if (is_cancel (local_error))
        {
          input_clear (&input);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      add_problem (run, _("%s cannot be read to the end: %s"), where, local_error->message);
      input_clear (&input);
      if (plan != NULL)
        plan->complete = TRUE;
      return TRUE;
    }

  if (plan != NULL)
    {
      if (plan->declared >= 0 && (guint64) plan->declared != index)
        add_problem (run, _("%s holds %" PRIu64 " records, but metadata.json "
                            "says %" PRId64 "."), where, index, plan->declared);
      if (plan->sha256 != NULL && g_strcmp0 (plan->sha256, input_digest (&input)) != 0)
        add_problem (run, _("%s does not match its checksum in metadata.json: the backup "
                            "was changed or damaged."), where);
      plan->complete = TRUE;
    }
  else
    {
      for (guint i = 0; i < run->plans->len; i++)
        ((Plan *) g_ptr_array_index (run->plans, i))->complete = TRUE;
      run->fixture_sha256 = g_strdup (input_digest (&input));
    }

  input_clear (&input);
  return TRUE;
}

static const char *
pk_column_of_table (Run        *run,
                    const char *table)
{
  for (guint i = 0; i < run->schema->models->len; i++)
    {
      BbModel *model = g_ptr_array_index (run->schema->models, i);
      if (strcmp (model->table, table) == 0)
        return model->pk->column;
    }
  return "id";
}

/* Which of the wanted ids exist in the target: the rest are dangling. */
static gboolean
find_wanted_in_target (Run     *run,
                       GError **error)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, run->wanted);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *table = key;
      PkSet *set = value;
      g_autofree char *qt = bb_dialect_quote_identifier (run->engine, table);
      g_autofree char *qc = bb_dialect_quote_identifier (run->engine, pk_column_of_table (run, table));
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr(PkSet) found = pk_set_new (FALSE);
      guint reported = 0;

      if (!g_hash_table_contains (run->schema->tables, table))
        continue;

      /* Collect the wanted ids. */
      for (gsize w = 0; w < set->n_words; w++)
        for (guint b = 0; b < 64; b++)
          if ((set->bits[w] >> b) & 1)
            g_array_append_val (ids, (gint64) { (gint64) (w * 64 + b) });
      {
        GHashTableIter others;
        gpointer other;
        g_hash_table_iter_init (&others, set->others);
        while (g_hash_table_iter_next (&others, &other, NULL))
          g_array_append_val (ids, (gint64) { (gint64) GPOINTER_TO_SIZE (other) });
      }

      for (guint start = 0; start < ids->len; start += 500)
        {
          g_autoptr(GString) sql = g_string_new (NULL);
          g_autoptr(BbRows) rows = NULL;

          g_string_append_printf (sql, "SELECT %s FROM %s WHERE %s IN (", qc, qt, qc);
          for (guint i = start; i < MIN (ids->len, start + 500); i++)
            g_string_append_printf (sql, "%s%" G_GINT64_FORMAT, i > start ? ", " : "",
                                    g_array_index (ids, gint64, i));
          g_string_append_c (sql, ')');
          rows = bb_database_query (run->db, sql->str, 1, error);
          if (rows == NULL)
            return FALSE;
          for (guint r = 0; r < rows->n_rows; r++)
            {
              gint64 id;
              if (g_ascii_string_to_signed (bb_rows_get (rows, r, 0), 10, G_MININT64, G_MAXINT64,
                                            &id, NULL))
                pk_set_add (found, id);
            }
        }

      for (guint i = 0; i < ids->len; i++)
        {
          gint64 id = g_array_index (ids, gint64, i);
          g_autofree char *from_key = NULL;
          const char *from;
          g_auto(GStrv) parts = NULL;

          if (pk_set_contains (found, id))
            continue;
          if (++reported > PROBLEMS_PER_MODEL)
            continue;
          from_key = g_strdup_printf ("%s\t%" G_GINT64_FORMAT, table, id);
          from = g_hash_table_lookup (run->wanted_from, from_key);
          parts = g_strsplit (from ? from : "?\t?\t?", "\t", 3);
          add_problem (run, _("%s %s: “%s” refers to record %" PRId64 " of the table "
                              "“%s”, which is neither in the backup nor in this database."),
                       parts[0], parts[1], parts[2] ? parts[2] : "?", id, table);
        }
      if (reported > PROBLEMS_PER_MODEL)
        add_problem (run, ngettext ("… and %u more reference to the table “%s” that cannot be found.",
                                    "… and %u more references to the table “%s” that cannot be found.",
                                    reported - PROBLEMS_PER_MODEL),
                     reported - PROBLEMS_PER_MODEL, table);
    }
  return TRUE;
}

static void
resolve_pending (Run *run)
{
  resolve_fixture_permissions (run);

  for (guint i = 0; i < run->pending_natural->len; i++)
    {
      Pending *p = &g_array_index (run->pending_natural, Pending, i);
      gboolean ct = strcmp (p->table, "ct") == 0;
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, p->value);
      const char *natural = g_hash_table_lookup (ct ? run->fixture_cts : run->fixture_perms, id);

      if (natural == NULL)
        add_model_problem (run, p->from, _("%s %s: “%s” refers to %s %s, which the fixture "
                                           "does not contain."),
                           p->from->label, p->pk, p->field,
                           ct ? "contenttypes.contenttype" : "auth.permission", id);
      else if (run->db != NULL
               && !g_hash_table_contains (ct ? run->content_type_ids : run->permission_ids, natural))
        add_model_problem (run, p->from, _("%s %s: “%s” refers to %s, which does not exist "
                                           "in this database."),
                           p->from->label, p->pk, p->field, natural);
      else
        continue;
      pending_problem_hidden (p);
    }

  for (guint i = 0; i < run->pending->len; i++)
    {
      Pending *p = &g_array_index (run->pending, Pending, i);
      Plan *target = g_hash_table_lookup (run->plans_by_table, p->table);

      if (target != NULL && pk_set_contains (target->pks, p->value))
        continue;
      if (run->db == NULL && target == NULL)
        continue;
      if (target == NULL || run->job->mode == BB_RESTORE_MODE_MERGE)
        {
          g_autofree char *from = g_strdup_printf ("%s\t%s\t%s", p->from->label, p->pk, p->field);
          want_in_target (run, p->table, p->value, from);
          continue;
        }
      add_model_problem (run, p->from, _("%s %s: “%s” refers to record %" PRId64
                                         " of %s, which is not in the backup."),
                         p->from->label, p->pk, p->field, p->value, target->label);
      pending_problem_hidden (p);
    }
}

/* Rows the target holds now in each model, and (merge) how many of the
 * backup's records will overwrite one. */
static gboolean
count_target_rows (Run     *run,
                   GError **error)
{
  for (guint i = 0; i < run->plans->len; i++)
    {
      Plan *plan = g_ptr_array_index (run->plans, i);
      g_autofree char *qt = NULL, *qc = NULL, *sql = NULL, *count = NULL;
      gint64 last = G_MININT64;
      guint64 rows;

      if (plan->target == NULL || plan->skipped)
        continue;
      qt = bb_dialect_quote_identifier (run->engine, plan->target->table);
      qc = bb_dialect_quote_identifier (run->engine, plan->target->pk->column);
      sql = g_strdup_printf ("SELECT COUNT(*) FROM %s", qt);
      count = bb_database_query_value (run->db, sql, error);
      if (count == NULL)
        return FALSE;
      rows = g_ascii_strtoull (count, NULL, 10);
      run->preview->target_records += rows;

      if (run->job->mode != BB_RESTORE_MODE_MERGE || rows == 0 || plan->pks->count == 0)
        continue;
      if (plan->pks->text)
        {
          g_autofree char *all = g_strdup_printf ("SELECT %s FROM %s", qc, qt);
          g_autoptr(BbRows) keys = bb_database_query (run->db, all, 1, error);

          if (keys == NULL)
            return FALSE;
          for (guint r = 0; r < keys->n_rows; r++)
            if (g_hash_table_contains (plan->pks->others, bb_rows_get (keys, r, 0)))
              run->preview->merge_overwrites++;
          continue;
        }

      /* Keyset pages of the target's ids. */
      for (;;)
        {
          g_autofree char *page = NULL;
          g_autoptr(BbRows) keys = NULL;

          page = g_strdup_printf ("SELECT %s FROM %s WHERE %s > %" G_GINT64_FORMAT
                                  " ORDER BY %s LIMIT 10000", qc, qt, qc, last, qc);
          keys = bb_database_query (run->db, page, 1, error);
          if (keys == NULL)
            return FALSE;
          for (guint r = 0; r < keys->n_rows; r++)
            {
              last = g_ascii_strtoll (bb_rows_get (keys, r, 0), NULL, 10);
              if (pk_set_contains (plan->pks, last))
                run->preview->merge_overwrites++;
            }
          if (keys->n_rows < 10000)
            break;
        }
    }
  return TRUE;
}

/* Merge: a unique value the backup gives to one record that the target
 * already has on another record, which stays, is a conflict. */
static gboolean
check_unique_conflicts (Run     *run,
                        GError **error)
{
  for (guint i = 0; i < run->plans->len; i++)
    {
      Plan *plan = g_ptr_array_index (run->plans, i);

      if (plan->unique_values == NULL || g_hash_table_size (plan->unique_values) == 0)
        continue;
      for (guint f = 0; f < plan->target->fields->len; f++)
        {
          BbField *field = g_ptr_array_index (plan->target->fields, f);
          g_autofree char *qt = NULL, *qc = NULL;
          g_autoptr(GString) sql = g_string_new ("SELECT ");
          g_autoptr(BbRows) rows = NULL;

          if (!field->unique)
            continue;
          /* Settings belong to their user: the backup's row replaces the
           * target's row of the same user, whatever their ids. */
          if (strcmp (plan->label, "babybuddy.settings") == 0 && strcmp (field->name, "user") == 0)
            continue;
          qt = bb_dialect_quote_identifier (run->engine, plan->target->table);
          qc = bb_dialect_quote_identifier (run->engine, plan->target->pk->column);
          bb_dialect_append_select_expr (run->engine, sql, plan->target->pk->kind,
                                         plan->target->pk->column);
          g_string_append (sql, ", ");
          bb_dialect_append_select_expr (run->engine, sql, field->kind, field->column);
          g_string_append_printf (sql, " FROM %s", qt);
          rows = bb_database_query (run->db, sql->str, 2, error);
          if (rows == NULL)
            return FALSE;

          for (guint r = 0; r < rows->n_rows; r++)
            {
              const char *target_pk = bb_rows_get (rows, r, 0);
              const char *value = bb_rows_get (rows, r, 1);
              g_autofree char *key = NULL;
              const char *backup_pk;
              gboolean overwritten;

              if (value == NULL)
                continue;
              key = g_strdup_printf ("%s\t%s", field->name, value);
              backup_pk = g_hash_table_lookup (plan->unique_values, key);
              if (backup_pk == NULL || g_strcmp0 (backup_pk, target_pk) == 0)
                continue;
              if (plan->pks->text)
                overwritten = g_hash_table_contains (plan->pks->others, target_pk);
              else
                overwritten = pk_set_contains (plan->pks, g_ascii_strtoll (target_pk, NULL, 10));
              if (!overwritten)
                add_model_problem (run, plan,
                                   _("%s %s: “%s” is “%s”, which record %s in this database "
                                     "already has. Merging would break the rule that it is "
                                     "unique; use replace instead, or change one of them."),
                                   plan->label, backup_pk, field->name, value, target_pk);
            }
        }
    }
  return TRUE;
}

static gint
compare_children (gconstpointer a,
                  gconstpointer b)
{
  const BbPreviewChild *ca = *(BbPreviewChild **) a;
  const BbPreviewChild *cb = *(BbPreviewChild **) b;

  return g_utf8_collate (ca->name, cb->name);
}

static void
build_preview (Run *run)
{
  BbRestorePreview *preview = run->preview;
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < run->plans->len; i++)
    {
      Plan *plan = g_ptr_array_index (run->plans, i);
      BbPreviewModel *model;

      if (plan->skipped || strcmp (plan->label, "?") == 0)
        continue;
      model = g_new0 (BbPreviewModel, 1);
      model->label = g_strdup (plan->label);
      model->records = plan->records;
      g_ptr_array_add (preview->models, model);
      preview->total_records += plan->records;

      if (plan->problems_hidden > 0)
        add_problem (run, ngettext ("… and %u more problem in %s.",
                                    "… and %u more problems in %s.", plan->problems_hidden),
                     plan->problems_hidden, plan->label);
    }

  g_hash_table_iter_init (&iter, run->children);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      BbPreviewChild *child = g_new0 (BbPreviewChild, 1);
      ChildStats *stats = g_hash_table_lookup (run->child_stats, key);

      child->name = g_strdup (value);
      child->counts = g_ptr_array_new_with_free_func ((GDestroyNotify) preview_count_free);
      if (stats != NULL)
        {
          child->first_entry = g_strdup (stats->first);
          child->last_entry = g_strdup (stats->last);
          child->entries = stats->entries;
          for (guint i = 0; i < run->plans->len; i++)
            {
              Plan *plan = g_ptr_array_index (run->plans, i);
              guint64 *count = g_hash_table_lookup (stats->counts, plan->label);

              if (count != NULL)
                {
                  BbPreviewCount *c = g_new0 (BbPreviewCount, 1);
                  c->label = g_strdup (plan->label);
                  c->count = *count;
                  g_ptr_array_add (child->counts, c);
                }
            }
        }
      g_ptr_array_add (preview->children, child);
    }
  g_ptr_array_sort (preview->children, compare_children);

  g_hash_table_iter_init (&iter, run->media);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      preview->media_files++;
      preview->media_bytes += MAX (*(gint64 *) value, 0);
    }
}

static void
run_clear (Run *run)
{
  g_clear_object (&run->db);
  g_clear_pointer (&run->schema, bb_schema_free);
  g_clear_pointer (&run->archive, bb_archive_reader_free);
  g_clear_object (&run->metadata_parser);
  run->metadata = NULL;
  g_clear_pointer (&run->plans_by_label, g_hash_table_unref);
  g_clear_pointer (&run->plans_by_table, g_hash_table_unref);
  g_clear_pointer (&run->plans, g_ptr_array_unref);
  g_clear_pointer (&run->content_type_ids, g_hash_table_unref);
  g_clear_pointer (&run->permission_ids, g_hash_table_unref);
  g_clear_pointer (&run->fixture_cts, g_hash_table_unref);
  g_clear_pointer (&run->fixture_perms, g_hash_table_unref);
  g_clear_pointer (&run->fixture_perm_raw, g_hash_table_unref);
  if (run->pending != NULL)
    {
      for (guint i = 0; i < run->pending->len; i++)
        pending_clear (&g_array_index (run->pending, Pending, i));
      g_clear_pointer (&run->pending, g_array_unref);
    }
  if (run->pending_natural != NULL)
    {
      for (guint i = 0; i < run->pending_natural->len; i++)
        pending_clear (&g_array_index (run->pending_natural, Pending, i));
      g_clear_pointer (&run->pending_natural, g_array_unref);
    }
  g_clear_pointer (&run->wanted, g_hash_table_unref);
  g_clear_pointer (&run->wanted_from, g_hash_table_unref);
  g_clear_pointer (&run->pending_index, g_hash_table_unref);
  g_clear_pointer (&run->children, g_hash_table_unref);
  g_clear_pointer (&run->child_stats, g_hash_table_unref);
  g_clear_pointer (&run->media, g_hash_table_unref);
  g_clear_pointer (&run->doc, bb_json_doc_free);
  if (run->scratch != NULL)
    g_string_free (g_steal_pointer (&run->scratch), TRUE);
  if (run->key != NULL)
    g_string_free (g_steal_pointer (&run->key), TRUE);
  g_clear_pointer (&run->preview, preview_free);
  g_clear_pointer (&run->fixture_sha256, g_free);
  g_clear_pointer (&run->staged_media, g_ptr_array_unref);
}

static void
run_init (Run          *run,
          BbRestoreJob *job,
          GCancellable *cancellable)
{
  memset (run, 0, sizeof *run);
  run->job = job;
  run->cancellable = cancellable;
  run->preview = preview_new ();
  run->plans = g_ptr_array_new_with_free_func ((GDestroyNotify) plan_free);
  run->plans_by_label = g_hash_table_new (g_str_hash, g_str_equal);
  run->plans_by_table = g_hash_table_new (g_str_hash, g_str_equal);
  run->fixture_cts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  run->fixture_perms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  run->fixture_perm_raw = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  run->pending = g_array_new (FALSE, FALSE, sizeof (Pending));
  run->pending_natural = g_array_new (FALSE, FALSE, sizeof (Pending));
  run->wanted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) pk_set_free);
  run->wanted_from = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  run->pending_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run->children = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  run->child_stats = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                            (GDestroyNotify) child_stats_free);
  run->media = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  run->doc = bb_json_doc_new ();
  run->scratch = g_string_sized_new (256);
  run->key = g_string_sized_new (64);
}

static GHashTable *
invert (GHashTable *map)
{
  GHashTable *inverse = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, map);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (inverse, g_strdup (value), g_strdup (key));
  return inverse;
}

/* A statement that changes nothing but needs the rights the load needs on
 * table: deleting and inserting, and for a merge updating. */
static gboolean
probe_table (Run         *run,
             const char  *table,
             const char  *column,
             GError     **error)
{
  g_autofree char *qt = bb_dialect_quote_identifier (run->engine, table);
  g_autofree char *qc = bb_dialect_quote_identifier (run->engine, column);
  g_autofree char *delete = g_strdup_printf ("DELETE FROM %s WHERE 1 = 0", qt);
  /* Every column: MariaDB's strict mode refuses a column list that leaves
   * out one without a default, even for no rows. */
  g_autofree char *insert = g_strdup_printf ("INSERT INTO %s SELECT * FROM %s WHERE 1 = 0", qt, qt);
  g_autofree char *update = g_strdup_printf ("UPDATE %s SET %s = %s WHERE 1 = 0", qt, qc, qc);

  return bb_database_execute (run->db, delete, error)
         && bb_database_execute (run->db, insert, error)
         && (run->job->mode != BB_RESTORE_MODE_MERGE
             || bb_database_execute (run->db, update, error));
}

/* SQLite makes its journal beside the file only when a page changes:
 * writing the header's user_version back unchanged finds a folder where it
 * cannot (a read-only file fails already on the first statement). */
static gboolean
probe_sqlite_journal (Run     *run,
                      GError **error)
{
  g_autofree char *version = bb_database_query_value (run->db, "PRAGMA user_version", error);
  g_autofree char *sql = NULL;
  g_autoptr(BbRows) rows = NULL;

  if (version == NULL)
    return FALSE;
  sql = g_strdup_printf ("PRAGMA user_version = %" G_GINT64_FORMAT, g_ascii_strtoll (version, NULL, 10));
  /* libgda runs a PRAGMA as a SELECT (LIBGDA.md); it returns no rows. */
  rows = bb_database_query (run->db, sql, 0, error);
  return rows != NULL;
}

/* A table the restore writes whose integer id a counter hands out
 * (PostgreSQL sequence, SQLite sqlite_sequence, MariaDB AUTO_INCREMENT). */
static gboolean
has_counter (const Plan *plan)
{
  return plan->target != NULL && !plan->skipped && plan->target->pk->kind == BB_FIELD_INTEGER;
}

/* PostgreSQL: the sequence behind table's integer id, quoted where it needs
 * to be (NULL when there is none), and what this user may do with it: its
 * owner may ALTER it, which a rollback undoes; another user needs UPDATE on
 * it to set it with setval(), which a rollback does not undo. */
static gboolean
pg_sequence (Run         *run,
             const char  *table,
             const char  *column,
             char       **sequence,
             gboolean    *owner,
             gboolean    *may_set,
             GError     **error)
{
  g_autofree char *qt = bb_dialect_quote_identifier (run->engine, table);
  g_autoptr(GString) sql = g_string_new ("SELECT q.s, pg_has_role(c.relowner, 'USAGE')::text, "
                                         "has_sequence_privilege(c.oid, 'UPDATE')::text "
                                         "FROM (SELECT pg_get_serial_sequence(");
  g_autoptr(BbRows) rows = NULL;

  bb_dialect_append_literal (run->engine, sql, qt);
  g_string_append (sql, ", ");
  bb_dialect_append_literal (run->engine, sql, column);
  g_string_append (sql, ") AS s) q JOIN pg_class c ON c.oid = q.s::regclass");
  rows = bb_database_query (run->db, sql->str, 3, error);
  if (rows == NULL)
    return FALSE;
  *sequence = rows->n_rows == 1 ? g_strdup (bb_rows_get (rows, 0, 0)) : NULL;
  *owner = *sequence != NULL && g_strcmp0 (bb_rows_get (rows, 0, 1), "true") == 0;
  *may_set = *sequence != NULL && g_strcmp0 (bb_rows_get (rows, 0, 2), "true") == 0;
  return TRUE;
}

/* PostgreSQL: a user who may change the tables but neither owns nor may set
 * their id counters would fail only at the end of the load. */
static gboolean
probe_pg_sequences (Run     *run,
                    GError **error)
{
  for (guint i = 0; i < run->plans->len; i++)
    {
      Plan *plan = g_ptr_array_index (run->plans, i);
      g_autofree char *sequence = NULL;
      gboolean owner, may_set;

      if (!has_counter (plan))
        continue;
      if (!pg_sequence (run, plan->target->table, plan->target->pk->column, &sequence, &owner,
                        &may_set, error))
        return FALSE;
      if (sequence != NULL && !owner && !may_set)
        {
          const BbConnectionInfo *info = bb_database_get_info (run->db);

          g_set_error (error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_READ_ONLY,
                       /* Translators: the first %s is a user name, the second a
                        * PostgreSQL sequence such as "core_feeding_id_seq". */
                       _("The database user “%s” may change the tables but not the counters that "
                         "number their rows (the sequence %s). Let this user update the "
                         "sequences, or connect as the user Baby Buddy uses."),
                       info->user ? info->user : "", sequence);
          return FALSE;
        }
    }
  return TRUE;
}

/* A read-only database file or a user who may only read is found here,
 * before the safety backup and before anything is written: every table the
 * load would write is probed in a transaction that is rolled back. Only a
 * refusal of that kind stops the check; another failure of a probe is left
 * for the load to report. */
static gboolean
check_writable (Run     *run,
                GError **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  if (!bb_database_execute (run->db, run->engine == BB_ENGINE_MYSQL ? "START TRANSACTION" : "BEGIN",
                            error))
    return FALSE;
  ok = run->engine != BB_ENGINE_SQLITE || probe_sqlite_journal (run, &local_error);
  for (guint i = 0; ok && i < run->plans->len; i++)
    {
      Plan *plan = g_ptr_array_index (run->plans, i);

      if (plan->target == NULL || plan->skipped)
        continue;
      ok = probe_table (run, plan->target->table, plan->target->pk->column, &local_error);
      for (guint m = 0; ok && m < plan->target->m2m->len; m++)
        {
          BbManyToMany *m2m = g_ptr_array_index (plan->target->m2m, m);
          ok = probe_table (run, m2m->through, m2m->source_column, &local_error);
        }
    }
  if (ok && run->engine == BB_ENGINE_POSTGRESQL)
    ok = probe_pg_sequences (run, &local_error);
  bb_database_execute (run->db, "ROLLBACK", NULL);

  if (ok || g_error_matches (local_error, BB_DATABASE_ERROR, BB_DATABASE_ERROR_QUERY_FAILED))
    {
      if (local_error != NULL)
        g_debug ("A write probe failed: %s", local_error->message);
      return TRUE;
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* The whole check pass. FALSE with error when the file or the database
 * cannot be read at all, when the database may not be changed, or for a
 * cancel; problems go to the preview. */
static gboolean
check (Run     *run,
       GError **error)
{
  BbRestoreJob *self = run->job;

  set_progress (self, 0, 0, NULL);

  if (!bb_archive_detect_format (self->file, &run->format, error))
    return FALSE;

  if (self->info != NULL)
    {
      run->db = bb_database_new (self->info);
      if (!bb_database_open (run->db, error))
        return FALSE;
      run->schema = bb_schema_load (run->db, error);
      if (run->schema == NULL)
        return FALSE;
      run->engine = bb_database_get_engine (run->db);
      run->content_type_ids = invert (run->schema->content_types);
      run->permission_ids = invert (run->schema->permissions);
      run->preview->target_engine = g_strdup (bb_engine_to_display (run->engine));
      run->preview->target_babybuddy_version = g_strdup (run->schema->babybuddy_version);
    }
  else
    {
      run->schema = bb_schema_new_from_catalog ();
      run->engine = BB_ENGINE_SQLITE;
    }

  if (run->format == BB_INPUT_FORMAT_ZIP)
    {
      GPtrArray *problems;

      run->archive = bb_archive_reader_open (self->file, &self->limits, error);
      if (run->archive == NULL)
        return FALSE;
      problems = bb_archive_reader_get_problems (run->archive);
      for (guint i = 0; i < problems->len; i++)
        add_problem (run, "%s", (char *) g_ptr_array_index (problems, i));
    }

  if (run->archive != NULL && bb_archive_reader_get_layout (run->archive) == BB_ARCHIVE_LAYOUT_BACKUP)
    {
      guint64 total = 0;

      /* The reader has listed a missing metadata.json as a problem. */
      if (!bb_archive_reader_has_entry (run->archive, "metadata.json"))
        return TRUE;
      if (!read_metadata (run, error))
        return error == NULL || *error == NULL;
      sort_plans (run);

      for (guint i = 0; i < run->plans->len; i++)
        total += MAX (((Plan *) g_ptr_array_index (run->plans, i))->declared, 0);
      set_progress (self, 0, total, NULL);

      for (guint i = 0; i < run->plans->len; i++)
        {
          Plan *plan = g_ptr_array_index (run->plans, i);

          if (plan->file == NULL || !bb_archive_reader_has_entry (run->archive, plan->file))
            {
              plan->complete = TRUE;
              continue;
            }
          set_progress (self, -1, -1, plan->label);
          if (!check_input (run, plan, plan->file, plan->file, error))
            return FALSE;
        }
    }
  else
    {
      run->preview->is_fixture = TRUE;
      if (!check_input (run, NULL, run->archive ? bb_archive_reader_get_fixture_name (run->archive) : NULL,
                        run->archive ? bb_archive_reader_get_fixture_name (run->archive)
                                     : _("the fixture"), error))
        return FALSE;
      sort_plans (run);
    }

  resolve_pending (run);
  set_progress (self, run->records_seen, run->records_seen, NULL);

  if (run->db != NULL)
    {
      if (!check_writable (run, error)
          || !find_wanted_in_target (run, error)
          || !count_target_rows (run, error)
          || (self->mode == BB_RESTORE_MODE_MERGE && !check_unique_conflicts (run, error)))
        return FALSE;

      if (!migrations_match (run))
        {
          const char *from = run->preview->babybuddy_version ? run->preview->babybuddy_version
                                                             : _("unknown");
          if (run->field_mismatch)
            add_problem (run, _("The backup was made by Baby Buddy %s, and this database runs "
                                "Baby Buddy %s; their data does not fit together (see above). "
                                "Upgrade Baby Buddy on the older side, then back up and restore "
                                "again."), from, run->schema->babybuddy_version);
          else
            add_warning (run, _("The backup was made by Baby Buddy %s, and this database runs "
                                "Baby Buddy %s. Every field fits, so it can be restored."),
                         from, run->schema->babybuddy_version);
        }
      if (run->preview->source_engine != NULL
          && g_strcmp0 (run->preview->source_engine, run->preview->target_engine) != 0)
        add_warning (run, _("The backup comes from a %s database and will be restored into %s."),
                     run->preview->source_engine, run->preview->target_engine);
      if (run->preview->target_records > 0 && self->mode == BB_RESTORE_MODE_REPLACE)
        add_warning (run, ngettext ("This database is not empty: %" PRIu64
                                    " record of the backed-up kinds will be replaced.",
                                    "This database is not empty: %" PRIu64
                                    " records of the backed-up kinds will be replaced.",
                                    run->preview->target_records),
                     run->preview->target_records);
      if (run->preview->merge_overwrites > 0)
        add_warning (run, ngettext ("Merging will overwrite %" PRIu64
                                    " record that is already in this database.",
                                    "Merging will overwrite %" PRIu64
                                    " records that are already in this database.",
                                    run->preview->merge_overwrites),
                     run->preview->merge_overwrites);
    }

  for (guint i = 0; i < run->plans->len; i++)
    {
      Plan *plan = g_ptr_array_index (run->plans, i);
      if (plan->skipped && plan->records > 0
          && strcmp (plan->label, "contenttypes.contenttype") != 0
          && strcmp (plan->label, "auth.permission") != 0)
        add_warning (run, _("%s is not restored (login sessions are not kept)."), plan->label);
    }

  build_preview (run);
  return TRUE;
}

/* --- The load pass -------------------------------------------------------- */

typedef struct {
  BbManyToMany *m2m;
  GString      *sql;
  guint         rows;
  gsize         prefix;
} M2mBatch;

/* Multi-row statements for one model (LIBGDA.md: ~100+ rows a statement is
 * what makes libgda fast enough; literals, so no NULL parameters leak). */
typedef struct {
  Plan     *plan;
  GString  *sql;
  gsize     prefix;
  guint     rows;
  GString  *suffix;       /* merge: the upsert clause */
  GString  *pks;          /* merge: this batch's pks, for the many-to-many delete */
  GString  *settings;     /* merge: settings rows of the same users to delete */
  GArray   *m2m;          /* M2mBatch */
} Batch;

static void
batch_clear (Batch *batch)
{
  if (batch->sql != NULL)
    g_string_free (batch->sql, TRUE);
  if (batch->suffix != NULL)
    g_string_free (batch->suffix, TRUE);
  if (batch->pks != NULL)
    g_string_free (batch->pks, TRUE);
  if (batch->settings != NULL)
    g_string_free (batch->settings, TRUE);
  if (batch->m2m != NULL)
    {
      for (guint i = 0; i < batch->m2m->len; i++)
        g_string_free (g_array_index (batch->m2m, M2mBatch, i).sql, TRUE);
      g_array_unref (batch->m2m);
    }
  memset (batch, 0, sizeof *batch);
}

static void
batch_init (Run   *run,
            Batch *batch,
            Plan  *plan)
{
  BbModel *model = plan->target;
  g_autofree char *qt = bb_dialect_quote_identifier (run->engine, model->table);
  gboolean merge = run->job->mode == BB_RESTORE_MODE_MERGE;

  memset (batch, 0, sizeof *batch);
  batch->plan = plan;

  /* The columns: the pk, then every field the file gives a value for. */
  if (plan->columns == NULL)
    {
      plan->columns = g_ptr_array_new ();
      g_ptr_array_add (plan->columns, model->pk);
      for (guint i = 0; i < model->fields->len; i++)
        {
          BbField *field = g_ptr_array_index (model->fields, i);
          if (g_hash_table_contains (plan->seen_fields, field->name))
            g_ptr_array_add (plan->columns, field);
        }
    }

  batch->sql = g_string_sized_new (BATCH_BYTES + 64 * 1024);
  g_string_append_printf (batch->sql, "INSERT INTO %s (", qt);
  for (guint i = 0; i < plan->columns->len; i++)
    {
      BbField *field = g_ptr_array_index (plan->columns, i);
      g_autofree char *qc = bb_dialect_quote_identifier (run->engine, field->column);
      g_string_append_printf (batch->sql, "%s%s", i > 0 ? ", " : "", qc);
    }
  g_string_append (batch->sql, ") VALUES ");
  batch->prefix = batch->sql->len;

  if (merge)
    {
      g_autofree char *qpk = bb_dialect_quote_identifier (run->engine, model->pk->column);

      batch->suffix = g_string_new (NULL);
      batch->pks = g_string_new (NULL);
      batch->settings = g_string_new (NULL);
      if (run->engine == BB_ENGINE_MYSQL)
        {
          g_string_append (batch->suffix, " ON DUPLICATE KEY UPDATE ");
          /* With the pk alone, "update" it to itself: nothing changes. */
          if (plan->columns->len == 1)
            g_string_append_printf (batch->suffix, "%s = %s", qpk, qpk);
        }
      else if (plan->columns->len == 1)
        g_string_append_printf (batch->suffix, " ON CONFLICT (%s) DO NOTHING", qpk);
      else
        g_string_append_printf (batch->suffix, " ON CONFLICT (%s) DO UPDATE SET ", qpk);

      for (guint i = 1; i < plan->columns->len; i++)
        {
          BbField *field = g_ptr_array_index (plan->columns, i);
          g_autofree char *qc = bb_dialect_quote_identifier (run->engine, field->column);

          if (i > 1)
            g_string_append (batch->suffix, ", ");
          if (run->engine == BB_ENGINE_MYSQL)
            g_string_append_printf (batch->suffix, "%s = VALUES(%s)", qc, qc);
          else
            g_string_append_printf (batch->suffix, "%s = excluded.%s", qc, qc);
        }
    }

  batch->m2m = g_array_new (FALSE, TRUE, sizeof (M2mBatch));
  for (guint i = 0; i < model->m2m->len; i++)
    {
      BbManyToMany *m2m = g_ptr_array_index (model->m2m, i);
      g_autofree char *through = bb_dialect_quote_identifier (run->engine, m2m->through);
      g_autofree char *source = bb_dialect_quote_identifier (run->engine, m2m->source_column);
      g_autofree char *target = bb_dialect_quote_identifier (run->engine, m2m->target_column);
      M2mBatch m = { m2m, g_string_new (NULL), 0, 0 };

      if (!g_hash_table_contains (plan->seen_fields, m2m->name))
        continue;
      g_string_append_printf (m.sql, "INSERT INTO %s (%s, %s) VALUES ", through, source, target);
      m.prefix = m.sql->len;
      g_array_append_val (batch->m2m, m);
    }
}

static gboolean
execute (Run         *run,
         const char  *sql,
         GError     **error)
{
  return bb_database_execute (run->db, sql, error);
}

static gboolean
batch_flush (Run     *run,
             Batch   *batch,
             GError **error)
{
  BbModel *model = batch->plan->target;

  if (batch->rows == 0)
    return TRUE;

  /* Settings belong to their user: drop the target's row of a user the
   * backup brings its own row for. */
  if (batch->settings != NULL && batch->settings->len > 0)
    {
      g_autofree char *qt = bb_dialect_quote_identifier (run->engine, model->table);
      g_autofree char *sql = g_strdup_printf ("DELETE FROM %s WHERE %s", qt, batch->settings->str);

      if (!execute (run, sql, error))
        return FALSE;
      g_string_truncate (batch->settings, 0);
    }

  if (batch->suffix != NULL)
    g_string_append_len (batch->sql, batch->suffix->str, batch->suffix->len);
  if (!bb_database_execute_bulk (run->db, batch->sql->str, batch->sql->len, error))
    return FALSE;
  g_string_truncate (batch->sql, batch->prefix);

  for (guint i = 0; i < batch->m2m->len; i++)
    {
      M2mBatch *m = &g_array_index (batch->m2m, M2mBatch, i);

      if (batch->pks != NULL && batch->pks->len > 0)
        {
          g_autofree char *through = bb_dialect_quote_identifier (run->engine, m->m2m->through);
          g_autofree char *source = bb_dialect_quote_identifier (run->engine, m->m2m->source_column);
          g_autofree char *sql = g_strdup_printf ("DELETE FROM %s WHERE %s IN (%s)",
                                                  through, source, batch->pks->str);
          if (!execute (run, sql, error))
            return FALSE;
        }
      if (m->rows > 0 && !bb_database_execute_bulk (run->db, m->sql->str, m->sql->len, error))
        return FALSE;
      g_string_truncate (m->sql, m->prefix);
      m->rows = 0;
    }
  if (batch->pks != NULL)
    g_string_truncate (batch->pks, 0);
  batch->rows = 0;
  return TRUE;
}

/* The target's id for a reference value (plain or natural key). */
static gboolean
append_reference (Run              *run,
                  GString          *sql,
                  BbRefKind         ref,
                  const BbJsonNode *value,
                  GError          **error)
{
  gboolean fixture_id;
  const char *id;

  if (ref != BB_REF_CONTENT_TYPE && ref != BB_REF_PERMISSION)
    {
      gint64 number;
      if (!bb_json_node_get_int64 (value, &number))
        goto invalid;
      g_string_append_printf (sql, "%" G_GINT64_FORMAT, number);
      return TRUE;
    }

  id = resolve_natural (run, ref, value, run->key, &fixture_id);
  if (id == NULL)
    goto invalid;
  g_string_append (sql, id);
  return TRUE;

invalid:
  g_set_error (error, BB_RESTORE_ERROR, BB_RESTORE_ERROR_FAILED,
               _("A reference changed since the backup was checked."));
  return FALSE;
}

static gboolean
load_record (Run              *run,
             Batch            *batch,
             const BbJsonNode *root,
             GError          **error)
{
  Plan *plan = batch->plan;
  const BbJsonNode *pk, *fields;
  GString *sql = batch->sql;

  pk = bb_json_node_get_member (root, "pk");
  fields = bb_json_node_get_member (root, "fields");
  if (pk == NULL || fields == NULL)
    {
      g_set_error (error, BB_RESTORE_ERROR, BB_RESTORE_ERROR_FAILED,
                   _("The backup changed since it was checked."));
      return FALSE;
    }

  if (batch->rows > 0)
    g_string_append_c (sql, ',');
  g_string_append_c (sql, '(');
  if (!bb_codec_append_sql_value (sql, run->engine, plan->target->pk, pk, error))
    return FALSE;

  for (guint i = 1; i < plan->columns->len; i++)
    {
      BbField *field = g_ptr_array_index (plan->columns, i);
      const BbJsonNode *value = bb_json_node_get_member (fields, field->name);

      g_string_append_c (sql, ',');
      if (value == NULL)
        {
          if (field->nullable)
            g_string_append (sql, "NULL");
          else if (run->engine != BB_ENGINE_SQLITE)
            g_string_append (sql, "DEFAULT");
          else
            {
              g_set_error (error, BB_RESTORE_ERROR, BB_RESTORE_ERROR_FAILED,
                           _("%s has a record without “%s”."), plan->label, field->name);
              return FALSE;
            }
        }
      else if (value->kind != BB_JSON_NULL
               && (field->ref == BB_REF_CONTENT_TYPE || field->ref == BB_REF_PERMISSION))
        {
          if (!append_reference (run, sql, field->ref, value, error))
            return FALSE;
        }
      else if (!bb_codec_append_sql_value (sql, run->engine, field, value, error))
        return FALSE;
    }
  g_string_append_c (sql, ')');
  batch->rows++;

  if (batch->pks != NULL)
    {
      if (batch->pks->len > 0)
        g_string_append_c (batch->pks, ',');
      bb_codec_append_sql_value (batch->pks, run->engine, plan->target->pk, pk, NULL);

      if (batch->settings != NULL && strcmp (plan->label, "babybuddy.settings") == 0)
        {
          const BbJsonNode *user = bb_json_node_get_member (fields, "user");
          gint64 user_id;

          if (user != NULL && bb_json_node_get_int64 (user, &user_id))
            {
              g_autofree char *qpk = bb_dialect_quote_identifier (run->engine, plan->target->pk->column);
              BbField *user_field = find_field (plan->target, "user");
              g_autofree char *quser = bb_dialect_quote_identifier (run->engine,
                                                                    user_field ? user_field->column : "user_id");
              if (batch->settings->len > 0)
                g_string_append (batch->settings, " OR ");
              g_string_append_printf (batch->settings, "(%s = %" G_GINT64_FORMAT " AND %s <> ",
                                      quser, user_id, qpk);
              bb_codec_append_sql_value (batch->settings, run->engine, plan->target->pk, pk, NULL);
              g_string_append_c (batch->settings, ')');
            }
        }
    }

  for (guint i = 0; i < batch->m2m->len; i++)
    {
      M2mBatch *m = &g_array_index (batch->m2m, M2mBatch, i);
      const BbJsonNode *list = bb_json_node_get_member (fields, m->m2m->name);

      if (list == NULL || list->kind != BB_JSON_ARRAY)
        continue;
      for (guint j = 0; j < list->n_children; j++)
        {
          if (m->rows > 0)
            g_string_append_c (m->sql, ',');
          g_string_append_c (m->sql, '(');
          bb_codec_append_sql_value (m->sql, run->engine, plan->target->pk, pk, NULL);
          g_string_append_c (m->sql, ',');
          if (!append_reference (run, m->sql, m->m2m->ref, list->children[j], error))
            return FALSE;
          g_string_append_c (m->sql, ')');
          m->rows++;
        }
    }
  return TRUE;
}

static gboolean
check_written (Run     *run,
               guint64  done,
               GError **error)
{
  set_progress (run->job, done, -1, NULL);
  if (run->job->fail_after > 0 && done >= run->job->fail_after)
    {
      g_set_error_literal (error, BB_RESTORE_ERROR, BB_RESTORE_ERROR_FAILED,
                           "a failure injected by a test");
      return FALSE;
    }
  return !g_cancellable_set_error_if_cancelled (run->cancellable, error);
}

/* Streams one input again and writes its records. */
static gboolean
load_input (Run         *run,
            Plan        *plan,
            const char  *entry_name,
            guint64     *done,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  Input input;
  Batch batch = { 0 };
  const char *text;
  gsize length;
  gboolean ok = FALSE;

  if (!input_open (run, &input, entry_name, error))
    return FALSE;
  if (plan != NULL)
    {
      batch_init (run, &batch, plan);
      set_progress (run->job, -1, -1, plan->label);
    }

  while (bb_json_array_reader_next (input.reader, &text, &length, &local_error))
    {
      const BbJsonNode *root = bb_json_doc_parse (run->doc, text, length, &local_error);

      if (root == NULL)
        break;
      if (plan == NULL)
        {
          /* A fixture: records of many models, grouped by model. */
          const BbJsonNode *model = bb_json_node_get_member (root, "model");
          Plan *owner = model && model->kind == BB_JSON_STRING
                        ? g_hash_table_lookup (run->plans_by_label, model->text) : NULL;

          if (owner == NULL || owner->skipped || owner->target == NULL)
            continue;
          if (batch.plan != owner)
            {
              if (batch.plan != NULL && !batch_flush (run, &batch, &local_error))
                break;
              batch_clear (&batch);
              batch_init (run, &batch, owner);
              set_progress (run->job, -1, -1, owner->label);
            }
        }

      if (!load_record (run, &batch, root, &local_error))
        break;
      (*done)++;
      if (batch.rows >= BATCH_ROWS || batch.sql->len >= BATCH_BYTES)
        {
          if (!batch_flush (run, &batch, &local_error) || !check_written (run, *done, &local_error))
            break;
        }
    }

  if (local_error == NULL && batch.plan != NULL)
    batch_flush (run, &batch, &local_error);
  if (local_error == NULL)
    check_written (run, *done, &local_error);

  /* The load must read exactly what the check read. */
  if (local_error == NULL)
    {
      const char *expected = plan ? plan->sha256 : run->fixture_sha256;

      if (expected != NULL && g_strcmp0 (expected, input_digest (&input)) != 0)
        g_set_error (&local_error, BB_RESTORE_ERROR, BB_RESTORE_ERROR_FAILED,
                     _("The backup file changed while it was being restored."));
    }

  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    ok = TRUE;
  batch_clear (&batch);
  input_clear (&input);
  return ok;
}

/* Every reference into or out of a restored table must resolve before the
 * commit. PostgreSQL and SQLite would refuse the commit anyway; MariaDB with
 * FOREIGN_KEY_CHECKS=0 would not. Our own check also names the record. */
static gboolean
check_foreign_keys (Run     *run,
                    GError **error)
{
  g_autoptr(GHashTable) restored = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(BbRows) fks = NULL;

  for (guint i = 0; i < run->plans->len; i++)
    {
      Plan *plan = g_ptr_array_index (run->plans, i);

      if (plan->target == NULL || plan->skipped)
        continue;
      g_hash_table_add (restored, plan->target->table);
      for (guint m = 0; m < plan->target->m2m->len; m++)
        g_hash_table_add (restored, ((BbManyToMany *) g_ptr_array_index (plan->target->m2m, m))->through);
    }

  fks = bb_database_query (run->db, bb_dialect_foreign_keys_query (run->engine), 3, error);
  if (fks == NULL)
    return FALSE;

  for (guint r = 0; r < fks->n_rows; r++)
    {
      const char *table = bb_rows_get (fks, r, 0);
      const char *column = bb_rows_get (fks, r, 1);
      const char *parent = bb_rows_get (fks, r, 2);
      g_autofree char *qt = NULL, *qc = NULL, *qp = NULL, *qpk = NULL, *qcpk = NULL;
      g_autoptr(GString) sql = g_string_new ("SELECT ");
      g_autoptr(BbRows) bad = NULL;
      const char *cast_open = run->engine == BB_ENGINE_MYSQL ? "CAST(" : "";
      const char *cast_close = run->engine == BB_ENGINE_MYSQL ? " AS CHAR)"
                               : run->engine == BB_ENGINE_POSTGRESQL ? "::text" : "";

      if (!g_hash_table_contains (restored, table) && !g_hash_table_contains (restored, parent))
        continue;

      qt = bb_dialect_quote_identifier (run->engine, table);
      qc = bb_dialect_quote_identifier (run->engine, column);
      qp = bb_dialect_quote_identifier (run->engine, parent);
      qpk = bb_dialect_quote_identifier (run->engine, pk_column_of_table (run, parent));
      qcpk = bb_dialect_quote_identifier (run->engine, pk_column_of_table (run, table));
      /* A join, not NOT EXISTS: libgda's parser does not know subqueries there. */
      g_string_append_printf (sql, "%sc.%s%s, %sc.%s%s FROM %s c LEFT JOIN %s p ON p.%s = c.%s "
                              "WHERE c.%s IS NOT NULL AND p.%s IS NULL LIMIT 3",
                              cast_open, qcpk, cast_close, cast_open, qc, cast_close,
                              qt, qp, qpk, qc, qc, qpk);
      bad = bb_database_query (run->db, sql->str, 2, error);
      if (bad == NULL)
        return FALSE;
      if (bad->n_rows > 0)
        {
          g_set_error (error, BB_RESTORE_ERROR, BB_RESTORE_ERROR_FAILED,
                       _("Record %s of the table “%s” would refer to record %s of “%s”, "
                         "which would not exist after the restore."),
                       bb_rows_get (bad, 0, 0) ?: "?", table, bb_rows_get (bad, 0, 1) ?: "?",
                       parent);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
reset_counters (Run     *run,
                GError **error)
{
  for (guint i = 0; i < run->plans->len; i++)
    {
      Plan *plan = g_ptr_array_index (run->plans, i);
      g_autofree char *qt = NULL, *qc = NULL;
      g_autoptr(GString) sql = g_string_new (NULL);

      if (!has_counter (plan))
        continue;
      qt = bb_dialect_quote_identifier (run->engine, plan->target->table);
      qc = bb_dialect_quote_identifier (run->engine, plan->target->pk->column);

      if (run->engine == BB_ENGINE_POSTGRESQL)
        {
          g_autofree char *sequence = NULL;
          g_autofree char *next = NULL;
          gboolean owner, may_set;

          if (!pg_sequence (run, plan->target->table, plan->target->pk->column, &sequence, &owner,
                            &may_set, error))
            return FALSE;
          if (sequence == NULL)
            continue;
          if (owner)
            {
              /* Not setval(): it is not undone by a rollback, so a restore
               * that failed or was killed before its commit would leave the
               * old rows with a counter below their ids. ALTER SEQUENCE is
               * transactional (PostgreSQL 10 and later). */
              g_autofree char *restart = NULL;

              g_string_append_printf (sql, "SELECT (COALESCE(MAX(%s), 0) + 1)::text FROM %s", qc, qt);
              next = bb_database_query_value (run->db, sql->str, error);
              if (next == NULL)
                return FALSE;
              restart = g_strdup_printf ("ALTER SEQUENCE %s RESTART WITH %s", sequence, next);
              if (!execute (run, restart, error))
                return FALSE;
            }
          else
            {
              /* Only the owner may ALTER a sequence. setval() stays even
               * when the restore rolls back, so it never lowers the
               * counter: above the old rows' ids and the new ones', it is
               * right whichever of them the database ends with. */
              g_string_append (sql, "SELECT setval(");
              bb_dialect_append_literal (run->engine, sql, sequence);
              g_string_append_printf (sql, ", GREATEST(last_value, (SELECT COALESCE(MAX(%s), 0) "
                                      "FROM %s)))::text FROM %s", qc, qt, sequence);
              next = bb_database_query_value (run->db, sql->str, error);
              if (next == NULL)
                return FALSE;
            }
        }
      else if (run->engine == BB_ENGINE_SQLITE
               && g_hash_table_contains (run->schema->tables, "sqlite_sequence"))
        {
          g_string_append_printf (sql, "UPDATE sqlite_sequence SET seq = "
                                  "(SELECT COALESCE(MAX(%s), 0) FROM %s) WHERE name = ", qc, qt);
          bb_dialect_append_literal (run->engine, sql, plan->target->table);
          if (!execute (run, sql->str, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* MariaDB: ALTER TABLE commits, so this runs after the commit; setting the
 * counter to 1 makes InnoDB take the largest id + 1. */
static void
reset_mysql_counters (Run *run)
{
  for (guint i = 0; i < run->plans->len; i++)
    {
      Plan *plan = g_ptr_array_index (run->plans, i);
      g_autofree char *qt = NULL, *sql = NULL;
      g_autoptr(GError) error = NULL;

      if (!has_counter (plan))
        continue;
      qt = bb_dialect_quote_identifier (run->engine, plan->target->table);
      sql = g_strdup_printf ("ALTER TABLE %s AUTO_INCREMENT = 1", qt);
      if (!execute (run, sql, &error))
        g_debug ("Cannot reset the counter of %s: %s", plan->target->table, error->message);
    }
}

static gboolean
begin (Run     *run,
       GError **error)
{
  switch (run->engine)
    {
    case BB_ENGINE_SQLITE:
      {
        g_autoptr(BbRows) rows = NULL;

        if (!execute (run, "BEGIN IMMEDIATE", error))
          return FALSE;
        /* libgda runs a PRAGMA as a SELECT (LIBGDA.md); it returns no rows. */
        rows = bb_database_query (run->db, "PRAGMA defer_foreign_keys = ON", 0, error);
        return rows != NULL;
      }
    case BB_ENGINE_POSTGRESQL:
      return execute (run, "BEGIN", error)
             && execute (run, "SET CONSTRAINTS ALL DEFERRED", error);
    case BB_ENGINE_MYSQL:
      /* An id of 0 is an id, not "the next one". */
      return execute (run, "SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_AUTO_VALUE_ON_ZERO')", error)
             && execute (run, "SET FOREIGN_KEY_CHECKS = 0", error)
             && execute (run, "START TRANSACTION", error);
    default:
      g_assert_not_reached ();
    }
}

/* Empties a table. SQLite runs a DELETE in the process and, for a table
 * with foreign keys, first collects every rowid it removes (about 20 bytes
 * each): replacing a large database would grow with it. So on SQLite the
 * rows go in slices of DELETE_SLICE, oldest rowids first. */
#define DELETE_SLICE 50000

static gboolean
delete_all (Run         *run,
            const char  *table,
            GError     **error)
{
  g_autofree char *qt = bb_dialect_quote_identifier (run->engine, table);
  g_autofree char *everything = g_strdup_printf ("DELETE FROM %s", qt);

  if (run->engine == BB_ENGINE_SQLITE)
    {
      g_autofree char *find = g_strdup_printf ("SELECT rowid FROM %s ORDER BY rowid LIMIT 1 OFFSET %d",
                                               qt, DELETE_SLICE - 1);

      for (;;)
        {
          g_autofree char *last = bb_database_query_value (run->db, find, error);
          g_autofree char *slice = NULL;

          if (last == NULL)
            return FALSE;
          if (*last == '\0')
            break;   /* fewer rows than a slice are left */
          slice = g_strdup_printf ("DELETE FROM %s WHERE rowid <= %s", qt, last);
          if (!execute (run, slice, error))
            return FALSE;
          if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
            return FALSE;
        }
    }
  return execute (run, everything, error);
}

static gboolean
delete_rows (Run     *run,
             GError **error)
{
  for (guint i = 0; i < run->plans->len; i++)
    {
      Plan *plan = g_ptr_array_index (run->plans, i);

      if (plan->target == NULL || plan->skipped)
        continue;
      for (guint m = 0; m < plan->target->m2m->len; m++)
        {
          BbManyToMany *m2m = g_ptr_array_index (plan->target->m2m, m);

          if (!delete_all (run, m2m->through, error))
            return FALSE;
        }
      if (!delete_all (run, plan->target->table, error))
        return FALSE;
    }

  /* An old session must not log in as whoever now has its user id. */
  if (g_hash_table_contains (run->schema->tables, "django_session"))
    return delete_all (run, "django_session", error);
  return TRUE;
}

static gboolean
load (Run     *run,
      GError **error)
{
  guint64 done = 0;

  set_progress (run->job, 0, run->preview->total_records, NULL);

  if (!begin (run, error))
    return FALSE;

  if (run->job->mode == BB_RESTORE_MODE_REPLACE && !delete_rows (run, error))
    return FALSE;

  if (run->preview->is_fixture)
    {
      if (!load_input (run, NULL, run->archive ? bb_archive_reader_get_fixture_name (run->archive) : NULL,
                       &done, error))
        return FALSE;
    }
  else
    {
      for (guint i = 0; i < run->plans->len; i++)
        {
          Plan *plan = g_ptr_array_index (run->plans, i);

          if (plan->target == NULL || plan->skipped || plan->file == NULL)
            continue;
          if (!load_input (run, plan, plan->file, &done, error))
            return FALSE;
        }
    }

  if (!check_foreign_keys (run, error) || !reset_counters (run, error))
    return FALSE;

  /* Cached pages would show the old data. */
  if (g_hash_table_contains (run->schema->tables, "cache_default")
      && !execute (run, "DELETE FROM cache_default", error))
    return FALSE;

  if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
    return FALSE;
  return execute (run, "COMMIT", error);
}

/* --- Safety backup and media ------------------------------------------------ */

static char *
default_safety_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "babybuddy-backup", "safety", NULL);
}

static gint
compare_mtime_newest_first (gconstpointer a,
                            gconstpointer b)
{
  GFileInfo *fa = *(GFileInfo **) a;
  GFileInfo *fb = *(GFileInfo **) b;
  guint64 ta = g_file_info_get_attribute_uint64 (fa, G_FILE_ATTRIBUTE_TIME_MODIFIED);
  guint64 tb = g_file_info_get_attribute_uint64 (fb, G_FILE_ATTRIBUTE_TIME_MODIFIED);

  if (ta != tb)
    return ta > tb ? -1 : 1;
  return -g_strcmp0 (g_file_info_get_name (fa), g_file_info_get_name (fb));
}

static void
prune_safety_backups (const char *folder)
{
  g_autoptr(GFile) dir = g_file_new_for_path (folder);
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(GPtrArray) backups = g_ptr_array_new_with_free_func (g_object_unref);
  GFileInfo *info;

  children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_TIME_MODIFIED,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (children == NULL)
    return;
  while ((info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      const char *name = g_file_info_get_name (info);
      if (g_str_has_prefix (name, "backup_") && g_str_has_suffix (name, ".zip"))
        g_ptr_array_add (backups, info);
      else
        g_object_unref (info);
    }
  g_ptr_array_sort (backups, compare_mtime_newest_first);
  for (guint i = SAFETY_BACKUPS_KEPT; i < backups->len; i++)
    {
      g_autofree char *path = g_build_filename (folder, g_file_info_get_name (g_ptr_array_index (backups, i)), NULL);
      g_unlink (path);
    }
}

static gboolean
take_safety_backup (Run     *run,
                    GError **error)
{
  BbRestoreJob *self = run->job;
  g_autofree char *folder = self->safety_default ? default_safety_dir () : g_strdup (self->safety_dir);
  g_autoptr(BbBackupJob) backup = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;

  if (folder == NULL)
    return TRUE;

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved = errno;
      g_autofree char *display = g_filename_display_name (folder);
      g_set_error (error, BB_RESTORE_ERROR, BB_RESTORE_ERROR_SAFETY_BACKUP,
                   _("Your data has not been changed. The safety backup could not be made, "
                     "because the folder “%s” cannot be created: %s"), display, g_strerror (saved));
      return FALSE;
    }

  /* Two restores in one second must not share a name. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    g_autofree char *name = bb_file_name_for_time (now);
    g_autofree char *stem = g_strndup (name, strlen (name) - strlen (".zip"));

    path = g_build_filename (folder, name, NULL);
    for (guint n = 2; g_file_test (path, G_FILE_TEST_EXISTS); n++)
      {
        g_autofree char *numbered = g_strdup_printf ("%s_%u.zip", stem, n);
        g_free (path);
        path = g_build_filename (folder, numbered, NULL);
      }
  }

  set_progress (self, 0, 0, NULL);
  backup = bb_backup_job_new (self->info, path);
  g_clear_pointer (&path, g_free);
  path = bb_backup_job_run (backup, run->cancellable, &local_error);
  if (path == NULL)
    {
      if (is_cancel (local_error))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, BB_RESTORE_ERROR, BB_RESTORE_ERROR_SAFETY_BACKUP,
                     _("Your data has not been changed. The safety backup could not be made: %s"),
                     local_error->message);
      return FALSE;
    }
  prune_safety_backups (folder);
  g_free (self->safety_backup);
  self->safety_backup = g_steal_pointer (&path);
  return TRUE;
}

static void
discard_staged_media (Run *run)
{
  if (run->staged_media == NULL)
    return;
  for (guint i = 0; i < run->staged_media->len; i += 2)
    g_unlink (g_ptr_array_index (run->staged_media, i));
  g_ptr_array_set_size (run->staged_media, 0);
}

/* No component of the path below the media folder may be a symbolic link:
 * nothing is written outside the folder. */
static gboolean
path_stays_inside (const char *root,
                   const char *relative)
{
  g_auto(GStrv) parts = g_strsplit (relative, "/", -1);
  g_autofree char *path = g_strdup (root);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *next = g_build_filename (path, parts[i], NULL);
      GStatBuf st;

      g_free (path);
      path = next;
      if (g_lstat (path, &st) == 0 && S_ISLNK (st.st_mode))
        return FALSE;
    }
  return TRUE;
}

/* A restore killed before it renamed its staged media leaves them behind as
 * ".NAME.restore-XXXXXX". Only names of exactly that shape are removed. */
static gboolean
is_stale_media_temporary (const char *name)
{
  const char *mark = g_strrstr (name, ".restore-");
  const char *suffix;

  if (name[0] != '.' || mark == NULL || mark == name)
    return FALSE;
  suffix = mark + strlen (".restore-");
  if (strlen (suffix) != 6)
    return FALSE;
  for (const char *c = suffix; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c))
      return FALSE;
  return TRUE;
}

static void
remove_stale_media_temporaries (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      GStatBuf st;

      if (!is_stale_media_temporary (name))
        continue;
      path = g_build_filename (folder, name, NULL);
      if (g_lstat (path, &st) == 0 && S_ISREG (st.st_mode) && g_unlink (path) != 0)
        g_debug ("Cannot remove %s: %s", path, g_strerror (errno));
    }
}

/* Media files are written next to their final place before the database
 * changes, and renamed into place only after the commit. */
static gboolean
stage_media (Run     *run,
             GError **error)
{
  BbRestoreJob *self = run->job;
  g_autoptr(GHashTable) cleaned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key;

  run->staged_media = g_ptr_array_new_with_free_func (g_free);
  if (self->media_dir == NULL || g_hash_table_size (run->media) == 0)
    return TRUE;

  g_hash_table_iter_init (&iter, run->media);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      const char *name = key;
      const char *relative = name + strlen ("media/");
      g_autofree char *dest = g_build_filename (self->media_dir, relative, NULL);
      g_autofree char *folder = g_path_get_dirname (dest);
      g_autofree char *base = g_path_get_basename (dest);
      g_autofree char *temp = NULL;
      g_autoptr(BbArchiveEntry) entry = NULL;
      g_autoptr(GError) local_error = NULL;
      guint8 buffer[64 * 1024];
      gssize n;
      int fd;

      if (self->mode == BB_RESTORE_MODE_MERGE && g_file_test (dest, G_FILE_TEST_EXISTS))
        continue;
      if (!path_stays_inside (self->media_dir, relative) || g_mkdir_with_parents (folder, 0755) != 0)
        {
          g_autofree char *display = g_filename_display_name (dest);
          g_set_error (error, BB_RESTORE_ERROR, BB_RESTORE_ERROR_MEDIA,
                       _("Your data has not been changed. The media file “%s” cannot be "
                         "written there."), display);
          return FALSE;
        }
      if (!g_hash_table_contains (cleaned, folder))
        {
          remove_stale_media_temporaries (folder);
          g_hash_table_add (cleaned, g_strdup (folder));
        }

      temp = g_strdup_printf ("%s/.%s.restore-XXXXXX", folder, base);
      fd = g_mkstemp_full (temp, O_WRONLY | O_CLOEXEC, 0644);
      if (fd < 0)
        {
          int saved = errno;
          g_autofree char *display = g_filename_display_name (folder);
          g_set_error (error, BB_RESTORE_ERROR, BB_RESTORE_ERROR_MEDIA,
                       _("Your data has not been changed. Media files cannot be written "
                         "into “%s”: %s"), display, g_strerror (saved));
          return FALSE;
        }
      g_ptr_array_add (run->staged_media, g_strdup (temp));
      g_ptr_array_add (run->staged_media, g_strdup (dest));

      entry = bb_archive_reader_open_entry (run->archive, name, &local_error);
      while (entry != NULL && (n = bb_archive_entry_read (entry, buffer, sizeof buffer, &local_error)) > 0)
        {
          if (write (fd, buffer, n) != n)
            {
              int saved = errno;
              g_set_error (&local_error, G_IO_ERROR, g_io_error_from_errno (saved), "%s",
                           g_strerror (saved));
              break;
            }
        }
      if (local_error == NULL && fsync (fd) != 0)
        g_set_error (&local_error, G_IO_ERROR, g_io_error_from_errno (errno), "%s", g_strerror (errno));
      close (fd);
      if (local_error != NULL)
        {
          g_set_error (error, BB_RESTORE_ERROR, BB_RESTORE_ERROR_MEDIA,
                       _("Your data has not been changed. A media file could not be "
                         "restored: %s"), local_error->message);
          return FALSE;
        }
      if (g_cancellable_set_error_if_cancelled (run->cancellable, error))
        return FALSE;
    }
  return TRUE;
}

static void
commit_media (Run *run)
{
  for (guint i = 0; run->staged_media != NULL && i < run->staged_media->len; i += 2)
    {
      const char *temp = g_ptr_array_index (run->staged_media, i);
      const char *dest = g_ptr_array_index (run->staged_media, i + 1);

      if (g_rename (temp, dest) != 0)
        g_warning ("Cannot move %s into place: %s", dest, g_strerror (errno));
    }
  g_ptr_array_set_size (run->staged_media, 0);
}

/* --- Running -------------------------------------------------------------- */

static const BbRestorePreview *
run_check (BbRestoreJob  *self,
           GCancellable  *cancellable,
           GError       **error)
{
  Run run;
  gboolean ok;

  run_init (&run, self, cancellable);
  ok = check (&run, error);
  if (ok)
    {
      g_clear_pointer (&self->preview, preview_free);
      self->preview = g_steal_pointer (&run.preview);
    }
  run_clear (&run);
  return ok ? self->preview : NULL;
}

static void
rollback (Run *run)
{
  g_autoptr(GError) error = NULL;

  if (run->db == NULL)
    return;
  if (!execute (run, "ROLLBACK", &error))
    g_debug ("ROLLBACK failed: %s", error->message);
  if (run->engine == BB_ENGINE_MYSQL)
    execute (run, "SET FOREIGN_KEY_CHECKS = 1", NULL);
}

static gboolean
run_restore (BbRestoreJob  *self,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  Run run;
  gboolean ok = FALSE;

  g_clear_pointer (&self->safety_backup, g_free);
  run_init (&run, self, cancellable);

  if (!check (&run, &local_error))
    goto out;

  /* The job keeps the checked preview; run.preview still points at it. */
  g_clear_pointer (&self->preview, preview_free);
  self->preview = run.preview;

  if (self->preview->problems->len > 0)
    {
      g_set_error (&local_error, BB_RESTORE_ERROR, BB_RESTORE_ERROR_INVALID,
                   ngettext ("Your data has not been changed. The backup cannot be restored "
                             "because of %u problem: %s",
                             "Your data has not been changed. The backup cannot be restored "
                             "because of %u problems, the first: %s",
                             self->preview->problems->len),
                   self->preview->problems->len,
                   (char *) g_ptr_array_index (self->preview->problems, 0));
      goto out;
    }

  if (self->mode == BB_RESTORE_MODE_REPLACE && !take_safety_backup (&run, &local_error))
    goto out;
  if (!stage_media (&run, &local_error))
    goto out;

  if (!load (&run, &local_error))
    {
      rollback (&run);
      goto out;
    }
  if (run.engine == BB_ENGINE_MYSQL)
    {
      execute (&run, "SET FOREIGN_KEY_CHECKS = 1", NULL);
      reset_mysql_counters (&run);
    }
  commit_media (&run);
  set_progress (self, run.preview->total_records, run.preview->total_records, NULL);
  ok = TRUE;

out:
  discard_staged_media (&run);
  /* The job keeps the preview; run_clear must not free it. */
  if (run.preview == self->preview)
    run.preview = NULL;
  run_clear (&run);

  if (!ok)
    {
      if (is_cancel (local_error)
          || g_error_matches (local_error, BB_RESTORE_ERROR, BB_RESTORE_ERROR_INVALID)
          || g_error_matches (local_error, BB_RESTORE_ERROR, BB_RESTORE_ERROR_NEWER_FORMAT)
          || g_error_matches (local_error, BB_RESTORE_ERROR, BB_RESTORE_ERROR_SAFETY_BACKUP)
          || g_error_matches (local_error, BB_RESTORE_ERROR, BB_RESTORE_ERROR_MEDIA)
          || local_error->domain == BB_DATABASE_ERROR
          || local_error->domain == BB_ARCHIVE_ERROR
          || local_error->domain == BB_JSON_ERROR)
        {
          /* Callers may switch on the code (a wrong password, say): keep it. */
          if (!is_cancel (local_error) && strstr (local_error->message, _("Your data has not been changed")) == NULL)
            g_prefix_error (&local_error, "%s ", _("Your data has not been changed."));
          g_propagate_error (error, g_steal_pointer (&local_error));
        }
      else
        g_set_error (error, BB_RESTORE_ERROR, BB_RESTORE_ERROR_FAILED,
                     _("Your data has not been changed. The restore stopped: %s"),
                     local_error->message);
    }
  return ok;
}

const BbRestorePreview *
bb_restore_job_check (BbRestoreJob  *self,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_return_val_if_fail (BB_IS_RESTORE_JOB (self), NULL);
  return run_check (self, cancellable, error);
}

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;

  if (run_check (source_object, cancellable, &error) == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
start_in_thread (BbRestoreJob        *self,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data,
                 gpointer             tag,
                 GTaskThreadFunc      func)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, tag);
  g_task_set_return_on_cancel (task, FALSE);
  bb_progress_follow_thread_context (&self->progress);
  g_task_run_in_thread (task, func);
}

void
bb_restore_job_check_async (BbRestoreJob        *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (BB_IS_RESTORE_JOB (self));
  start_in_thread (self, cancellable, callback, user_data, bb_restore_job_check_async, check_thread);
}

const BbRestorePreview *
bb_restore_job_check_finish (BbRestoreJob  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  return self->preview;
}

const BbRestorePreview *
bb_restore_job_get_preview (BbRestoreJob *self)
{
  g_return_val_if_fail (BB_IS_RESTORE_JOB (self), NULL);
  return self->preview;
}

gboolean
bb_restore_job_run (BbRestoreJob  *self,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_return_val_if_fail (BB_IS_RESTORE_JOB (self), FALSE);
  g_return_val_if_fail (self->info != NULL, FALSE);
  return run_restore (self, cancellable, error);
}

static void
restore_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;

  if (!run_restore (source_object, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
bb_restore_job_run_async (BbRestoreJob        *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (BB_IS_RESTORE_JOB (self));
  g_return_if_fail (self->info != NULL);
  start_in_thread (self, cancellable, callback, user_data, bb_restore_job_run_async, restore_thread);
}

gboolean
bb_restore_job_run_finish (BbRestoreJob  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

const char *
bb_restore_job_get_safety_backup (BbRestoreJob *self)
{
  g_return_val_if_fail (BB_IS_RESTORE_JOB (self), NULL);
  return self->safety_backup;
}

/* --- Properties and setters ------------------------------------------------- */

guint64
bb_restore_job_get_records_done (BbRestoreJob *self)
{
  g_return_val_if_fail (BB_IS_RESTORE_JOB (self), 0);
  return bb_progress_get_done (&self->progress);
}

guint64
bb_restore_job_get_records_total (BbRestoreJob *self)
{
  g_return_val_if_fail (BB_IS_RESTORE_JOB (self), 0);
  return bb_progress_get_total (&self->progress);
}

char *
bb_restore_job_dup_current_model (BbRestoreJob *self)
{
  g_return_val_if_fail (BB_IS_RESTORE_JOB (self), NULL);
  return bb_progress_dup_model (&self->progress);
}

void
bb_restore_job_set_mode (BbRestoreJob  *self,
                         BbRestoreMode  mode)
{
  g_return_if_fail (BB_IS_RESTORE_JOB (self));
  self->mode = mode;
}

BbRestoreMode
bb_restore_job_get_mode (BbRestoreJob *self)
{
  g_return_val_if_fail (BB_IS_RESTORE_JOB (self), BB_RESTORE_MODE_REPLACE);
  return self->mode;
}

void
bb_restore_job_set_media_dir (BbRestoreJob *self,
                              const char   *media_dir)
{
  g_return_if_fail (BB_IS_RESTORE_JOB (self));
  set_string (&self->media_dir, media_dir);
}

void
bb_restore_job_set_safety_dir (BbRestoreJob *self,
                               const char   *folder)
{
  g_return_if_fail (BB_IS_RESTORE_JOB (self));
  self->safety_default = FALSE;
  set_string (&self->safety_dir, folder);
}

void
bb_restore_job_set_limits (BbRestoreJob          *self,
                           const BbArchiveLimits *limits)
{
  g_return_if_fail (BB_IS_RESTORE_JOB (self));
  g_return_if_fail (limits != NULL);
  self->limits = *limits;
}

void
bb_restore_job_set_fail_after (BbRestoreJob *self,
                               guint64       records)
{
  g_return_if_fail (BB_IS_RESTORE_JOB (self));
  self->fail_after = records;
}

static void
bb_restore_job_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  BbRestoreJob *self = BB_RESTORE_JOB (object);

  if (!bb_progress_get_property (&self->progress, PROP_RECORDS_DONE, prop_id, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
bb_restore_job_finalize (GObject *object)
{
  BbRestoreJob *self = BB_RESTORE_JOB (object);

  g_free (self->file);
  g_clear_pointer (&self->info, bb_connection_info_free);
  g_free (self->media_dir);
  g_free (self->safety_dir);
  g_clear_pointer (&self->preview, preview_free);
  g_free (self->safety_backup);
  bb_progress_clear (&self->progress);

  G_OBJECT_CLASS (bb_restore_job_parent_class)->finalize (object);
}

static void
bb_restore_job_class_init (BbRestoreJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = bb_restore_job_get_property;
  object_class->finalize = bb_restore_job_finalize;

  bb_progress_install_properties (object_class, PROP_RECORDS_DONE, &properties[PROP_RECORDS_DONE]);
}

static void
bb_restore_job_init (BbRestoreJob *self)
{
  bb_progress_init (&self->progress, G_OBJECT (self), properties[PROP_RECORDS_DONE],
                    properties[PROP_RECORDS_TOTAL], properties[PROP_CURRENT_MODEL]);
  self->mode = BB_RESTORE_MODE_REPLACE;
  self->safety_default = TRUE;
  bb_archive_limits_init_default (&self->limits);
}

BbRestoreJob *
bb_restore_job_new (const char             *file,
                    const BbConnectionInfo *target)
{
  BbRestoreJob *self;

  g_return_val_if_fail (file != NULL, NULL);
  g_return_val_if_fail (target != NULL, NULL);

  self = g_object_new (BB_TYPE_RESTORE_JOB, NULL);
  self->file = g_strdup (file);
  self->info = bb_connection_info_copy (target);
  return self;
}

BbRestoreJob *
bb_restore_job_new_verify (const char *file)
{
  BbRestoreJob *self;

  g_return_val_if_fail (file != NULL, NULL);

  self = g_object_new (BB_TYPE_RESTORE_JOB, NULL);
  self->file = g_strdup (file);
  return self;
}
