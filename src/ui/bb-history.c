/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-history.c: the log of every backup and restore.
 *
 * The whole log is small (at most MAX_ENTRIES entries), so it lives in memory
 * and each add rewrites the file atomically: a crash leaves either the old or
 * the new file, never half of one. A file that cannot be read is set aside
 * as history.json.bad rather than deleted, so nothing is lost that someone
 * might want to look at. */

#define G_LOG_DOMAIN "bb-history"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "bb-history.h"

#define FORMAT_VERSION 1
#define MAX_ENTRIES    500

struct _BbHistory
{
  GObject    parent_instance;

  char      *path;
  GPtrArray *entries;   /* BbHistoryEntry, newest first */
};

G_DEFINE_FINAL_TYPE (BbHistory, bb_history, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const kind_names[] = {
  [BB_HISTORY_BACKUP] = "backup",
  [BB_HISTORY_RESTORE] = "restore",
};

static const char * const outcome_names[] = {
  [BB_HISTORY_SUCCEEDED] = "succeeded",
  [BB_HISTORY_FAILED] = "failed",
  [BB_HISTORY_CANCELLED] = "cancelled",
};

static gboolean
lookup_name (const char * const *names,
             gsize               n_names,
             const char         *name,
             int                *value)
{
  for (gsize i = 0; i < n_names; i++)
    {
      if (g_strcmp0 (names[i], name) == 0)
        {
          *value = (int) i;
          return TRUE;
        }
    }
  return FALSE;
}

/* ISO 8601 with the entry's own offset ("+02:00", never "Z") and the
 * microseconds when there are any, so that a reload gives the same time. */
static char *
format_time (GDateTime *time)
{
  g_autofree char *seconds = g_date_time_format (time, "%Y-%m-%dT%H:%M:%S");
  g_autofree char *offset = g_date_time_format (time, "%:z");
  int usec = g_date_time_get_microsecond (time);

  if (usec != 0)
    return g_strdup_printf ("%s.%06d%s", seconds, usec, offset);
  return g_strconcat (seconds, offset, NULL);
}

/* A string member, or NULL when it is missing or null; FALSE when it is
 * something else. */
static gboolean
get_optional_string (JsonObject  *object,
                     const char  *member,
                     char       **value)
{
  JsonNode *node = json_object_get_member (object, member);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;
  *value = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
get_count (JsonObject *object,
           const char *member,
           guint64    *value)
{
  JsonNode *node = json_object_get_member (object, member);

  *value = 0;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < 0)
    return FALSE;
  *value = (guint64) json_node_get_int (node);
  return TRUE;
}

static BbHistoryEntry *
entry_new_from_json (JsonNode  *node,
                     GError   **error)
{
  g_autoptr(BbHistoryEntry) entry = g_new0 (BbHistoryEntry, 1);
  JsonObject *object;
  JsonNode *member;
  const char *text;
  int value;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    goto invalid;
  object = json_node_get_object (node);

  text = json_object_get_string_member_with_default (object, "kind", NULL);
  if (text == NULL || !lookup_name (kind_names, G_N_ELEMENTS (kind_names), text, &value))
    goto invalid;
  entry->kind = value;

  text = json_object_get_string_member_with_default (object, "outcome", NULL);
  if (text == NULL || !lookup_name (outcome_names, G_N_ELEMENTS (outcome_names), text, &value))
    goto invalid;
  entry->outcome = value;

  text = json_object_get_string_member_with_default (object, "time", NULL);
  if (text == NULL || (entry->time = g_date_time_new_from_iso8601 (text, NULL)) == NULL)
    goto invalid;

  if (!get_optional_string (object, "connection", &entry->connection) ||
      !get_optional_string (object, "file", &entry->file) ||
      !get_optional_string (object, "message", &entry->message) ||
      !get_count (object, "size", &entry->size) ||
      !get_count (object, "records", &entry->records))
    goto invalid;

  member = json_object_get_member (object, "duration");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      GType type;

      if (!JSON_NODE_HOLDS_VALUE (member))
        goto invalid;
      type = json_node_get_value_type (member);
      if (type != G_TYPE_DOUBLE && type != G_TYPE_INT64)
        goto invalid;
      entry->duration = json_node_get_double (member);
    }

  return g_steal_pointer (&entry);

invalid:
  g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                       "an entry is not a valid backup or restore");
  return NULL;
}

static JsonNode *
entry_to_json (const BbHistoryEntry *entry)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *time = format_time (entry->time);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, kind_names[entry->kind]);
  json_builder_set_member_name (builder, "time");
  json_builder_add_string_value (builder, time);
  json_builder_set_member_name (builder, "connection");
  if (entry->connection != NULL)
    json_builder_add_string_value (builder, entry->connection);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "file");
  if (entry->file != NULL)
    json_builder_add_string_value (builder, entry->file);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, (gint64) MIN (entry->size, (guint64) G_MAXINT64));
  json_builder_set_member_name (builder, "records");
  json_builder_add_int_value (builder, (gint64) MIN (entry->records, (guint64) G_MAXINT64));
  json_builder_set_member_name (builder, "outcome");
  json_builder_add_string_value (builder, outcome_names[entry->outcome]);
  json_builder_set_member_name (builder, "message");
  if (entry->message != NULL)
    json_builder_add_string_value (builder, entry->message);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "duration");
  json_builder_add_double_value (builder, entry->duration);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Entries from the file's text; FALSE (and nothing added) when it is not a
 * history this version understands. */
static gboolean
parse_entries (const char  *text,
               gsize        length,
               GPtrArray   *entries,
               GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) parsed = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_history_entry_free);
  JsonObject *root;
  JsonNode *version;
  JsonArray *array;

  if (!json_parser_load_from_data (parser, text, length, error))
    return FALSE;

  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    goto invalid;
  root = json_node_get_object (json_parser_get_root (parser));
  version = json_object_get_member (root, "version");
  if (version == NULL || !JSON_NODE_HOLDS_VALUE (version) ||
      json_node_get_value_type (version) != G_TYPE_INT64 ||
      json_node_get_int (version) != FORMAT_VERSION)
    goto invalid;
  if (!json_object_has_member (root, "entries") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "entries")))
    goto invalid;
  array = json_object_get_array_member (root, "entries");

  for (guint i = 0; i < json_array_get_length (array) && parsed->len < MAX_ENTRIES; i++)
    {
      BbHistoryEntry *entry = entry_new_from_json (json_array_get_element (array, i), error);

      if (entry == NULL)
        return FALSE;
      g_ptr_array_add (parsed, entry);
    }

  g_ptr_array_extend_and_steal (entries, g_steal_pointer (&parsed));
  return TRUE;

invalid:
  g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                       "it is not a Baby Buddy Backup history");
  return FALSE;
}

static void
load (BbHistory *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *bad = NULL;
  gsize length;

  if (!g_file_get_contents (self->path, &text, &length, &error))
    {
      if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return;
    }
  else if (parse_entries (text, length, self->entries, &error))
    {
      return;
    }

  bad = g_strconcat (self->path, ".bad", NULL);
  if (g_rename (self->path, bad) == 0)
    g_message ("The history in %s could not be read (%s); it was moved to %s and a new history begins.",
               self->path, error->message, bad);
  else
    g_message ("The history in %s could not be read (%s) nor moved to %s (%s); a new history begins.",
               self->path, error->message, bad, g_strerror (errno));
}

static gboolean
save (BbHistory  *self,
      GError    **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *folder = g_path_get_dirname (self->path);
  g_autofree char *text = NULL;
  gsize length;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, FORMAT_VERSION);
  json_builder_set_member_name (builder, "entries");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->entries->len; i++)
    json_builder_add_value (builder, entry_to_json (g_ptr_array_index (self->entries, i)));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &length);

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   /* Translators: the first %s is a folder, the second why it failed. */
                   _("The history could not be saved because the folder “%s” could not be created: %s"),
                   folder, g_strerror (saved_errno));
      return FALSE;
    }

  if (!g_file_set_contents_full (self->path, text, length,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code,
                   /* Translators: %s says why, e.g. that the disk is full. */
                   _("The history could not be saved: %s"),
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}

static void
bb_history_finalize (GObject *object)
{
  BbHistory *self = BB_HISTORY (object);

  g_free (self->path);
  g_ptr_array_unref (self->entries);

  G_OBJECT_CLASS (bb_history_parent_class)->finalize (object);
}

static void
bb_history_class_init (BbHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bb_history_finalize;

  signals[CHANGED] = g_signal_new ("changed",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

static void
bb_history_init (BbHistory *self)
{
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) bb_history_entry_free);
}

BbHistoryEntry *
bb_history_entry_copy (const BbHistoryEntry *entry)
{
  BbHistoryEntry *copy;

  g_return_val_if_fail (entry != NULL, NULL);

  copy = g_new0 (BbHistoryEntry, 1);
  copy->kind = entry->kind;
  copy->time = entry->time != NULL ? g_date_time_ref (entry->time) : NULL;
  copy->connection = g_strdup (entry->connection);
  copy->file = g_strdup (entry->file);
  copy->size = entry->size;
  copy->records = entry->records;
  copy->outcome = entry->outcome;
  copy->message = g_strdup (entry->message);
  copy->duration = entry->duration;
  return copy;
}

void
bb_history_entry_free (BbHistoryEntry *entry)
{
  if (entry == NULL)
    return;
  g_clear_pointer (&entry->time, g_date_time_unref);
  g_free (entry->connection);
  g_free (entry->file);
  g_free (entry->message);
  g_free (entry);
}

BbHistory *
bb_history_new (const char *path)
{
  BbHistory *self = g_object_new (BB_TYPE_HISTORY, NULL);

  if (path != NULL)
    self->path = g_strdup (path);
  else
    self->path = g_build_filename (g_get_user_data_dir (), "babybuddy-backup", "history.json", NULL);
  load (self);
  return self;
}

const char *
bb_history_get_path (BbHistory *self)
{
  g_return_val_if_fail (BB_IS_HISTORY (self), NULL);

  return self->path;
}

GPtrArray *
bb_history_get_entries (BbHistory *self)
{
  g_return_val_if_fail (BB_IS_HISTORY (self), NULL);

  return self->entries;
}

/* The entry stays in memory (and so on screen) even when the file cannot
 * be written: the backup or restore did happen. */
gboolean
bb_history_add (BbHistory             *self,
                const BbHistoryEntry  *entry,
                GError               **error)
{
  BbHistoryEntry *copy;
  gboolean saved;

  g_return_val_if_fail (BB_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (entry != NULL, FALSE);
  g_return_val_if_fail ((guint) entry->kind < G_N_ELEMENTS (kind_names), FALSE);
  g_return_val_if_fail ((guint) entry->outcome < G_N_ELEMENTS (outcome_names), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  copy = bb_history_entry_copy (entry);
  if (copy->time == NULL)
    copy->time = g_date_time_new_now_local ();

  g_ptr_array_insert (self->entries, 0, copy);
  if (self->entries->len > MAX_ENTRIES)
    g_ptr_array_set_size (self->entries, MAX_ENTRIES);

  saved = save (self, error);
  g_signal_emit (self, signals[CHANGED], 0);
  return saved;
}
