/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-backup-sqlite.c: backups of real Baby Buddy SQLite databases: the
 * Django dumpdata comparison, every value type, time zones, media, and the
 * promise that a failed or cancelled backup leaves no file behind. */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bb-archive.h"
#include "bb-backup-job.h"
#include "bb-schema.h"
#include "bb-test-util.h"

typedef struct {
  char *dir;       /* scratch */
  char *out;       /* output folder */
  char *db;        /* database copy */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = bb_test_make_tmpdir ();
  f->out = g_build_filename (f->dir, "out", NULL);
  g_assert_cmpint (g_mkdir (f->out, 0755), ==, 0);
  f->db = bb_test_copy_reference_sqlite (f->dir);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  bb_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->out);
  g_free (f->db);
}

static char *
backup (const char  *db,
        const char  *out,
        const char  *timezone,
        GError     **error)
{
  g_autoptr(BbConnectionInfo) info = bb_test_sqlite_info (db);
  g_autoptr(BbBackupJob) job = bb_backup_job_new (info, out);

  bb_backup_job_set_timezone (job, timezone ? timezone : "UTC");
  return bb_backup_job_run (job, NULL, error);
}

static JsonNode *
parse_json (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static JsonObject *
metadata_of (GHashTable *entries,
             JsonNode  **keep)
{
  GBytes *bytes = g_hash_table_lookup (entries, "metadata.json");

  g_assert_nonnull (bytes);
  *keep = parse_json (bytes);
  return json_node_get_object (*keep);
}

/* The text of the line that holds object pk in a model file. */
static char *
line_for_pk (GHashTable *entries,
             const char *file,
             const char *pk_text)
{
  GBytes *bytes = g_hash_table_lookup (entries, file);
  g_auto(GStrv) lines = NULL;
  g_autofree char *needle = g_strdup_printf ("\"pk\": %s,", pk_text);

  g_assert_nonnull (bytes);
  lines = g_strsplit (g_bytes_get_data (bytes, NULL), "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], needle) != NULL)
      return g_strdup (lines[i]);
  return NULL;
}

static void
assert_folder_empty (const char *folder)
{
  g_auto(GStrv) names = bb_test_list_dir (folder);

  if (names[0] != NULL)
    g_error ("expected %s to be empty, found %s", folder, names[0]);
}

/* Django truncates datetimes and times to milliseconds; we keep microseconds. */
static char *
django_truncation (BbFieldKind kind,
                   const char *text)
{
  const char *dot = strchr (text, '.');

  if ((kind != BB_FIELD_DATETIME && kind != BB_FIELD_TIME) || dot == NULL)
    return g_strdup (text);
  return g_strdup_printf ("%.*s%s", (int) (dot - text + 4), text,
                          kind == BB_FIELD_DATETIME ? "Z" : "");
}

static gboolean
same_double_node (JsonNode *a,
                  JsonNode *b)
{
  return JSON_NODE_HOLDS_VALUE (a) && JSON_NODE_HOLDS_VALUE (b)
         && json_node_get_value_type (a) == G_TYPE_DOUBLE && json_node_get_value_type (b) == G_TYPE_DOUBLE
         && bb_test_same_double (json_node_get_double (a), json_node_get_double (b));
}

static JsonNode *
natural_key_node (JsonObject *names,
                  gint64      pk)
{
  g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT, pk);
  JsonNode *node = json_object_get_member (names, key);

  g_assert_nonnull (node);
  return json_node_copy (node);
}

static void
test_dumpdata (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = backup (f->db, f->out, NULL, &error);
  g_autofree char *dumpdata = g_build_filename (bb_test_shared_dir (), "babybuddy", "sqlite",
                                                "dumpdata.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) entries = NULL;
  g_autoptr(GHashTable) ours = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                      (GDestroyNotify) json_node_unref);
  g_autoptr(GPtrArray) roots = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(JsonObject) ct_names = json_object_new ();
  g_autoptr(JsonObject) perm_names = json_object_new ();
  g_autoptr(BbSchema) schema = NULL;
  g_autoptr(BbConnectionInfo) info = bb_test_sqlite_info (f->db);
  g_autoptr(BbDatabase) db = bb_database_new (info);
  GHashTableIter iter;
  gpointer key, value;
  JsonArray *expected;
  guint compared = 0, skipped = 0;

  g_assert_no_error (error);
  entries = bb_test_read_zip (path);

  g_assert_true (bb_database_open (db, &error));
  schema = bb_schema_load (db, &error);
  g_assert_no_error (error);

  /* Every object of every model file, by "model pk". */
  g_hash_table_iter_init (&iter, entries);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      JsonNode *root;
      JsonArray *objects;
      gint64 last_pk = G_MININT64;

      if (strcmp (key, "metadata.json") == 0)
        continue;
      root = parse_json (value);
      g_ptr_array_add (roots, root);
      objects = json_node_get_array (root);
      for (guint i = 0; i < json_array_get_length (objects); i++)
        {
          JsonObject *o = json_array_get_object_element (objects, i);
          JsonNode *pk = json_object_get_member (o, "pk");
          g_autofree char *pk_text = json_to_string (pk, FALSE);

          /* Ordered by pk. */
          if (json_node_get_value_type (pk) == G_TYPE_INT64)
            {
              g_assert_cmpint (json_node_get_int (pk), >, last_pk);
              last_pk = json_node_get_int (pk);
            }
          g_hash_table_insert (ours, g_strdup_printf ("%s %s", json_object_get_string_member (o, "model"), pk_text),
                               json_node_ref (json_array_get_element (objects, i)));
        }
    }

  g_assert_true (json_parser_load_from_mapped_file (parser, dumpdata, &error));
  g_assert_no_error (error);
  expected = json_node_get_array (json_parser_get_root (parser));

  /* Natural keys as --natural-foreign writes them, from dumpdata's own objects. */
  for (guint i = 0; i < json_array_get_length (expected); i++)
    {
      JsonObject *o = json_array_get_object_element (expected, i);
      const char *model = json_object_get_string_member (o, "model");
      JsonObject *fields = json_object_get_object_member (o, "fields");
      g_autofree char *pk = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (o, "pk"));

      if (strcmp (model, "contenttypes.contenttype") == 0)
        {
          JsonArray *nk = json_array_new ();
          json_array_add_string_element (nk, json_object_get_string_member (fields, "app_label"));
          json_array_add_string_element (nk, json_object_get_string_member (fields, "model"));
          json_object_set_array_member (ct_names, pk, nk);
        }
    }
  for (guint i = 0; i < json_array_get_length (expected); i++)
    {
      JsonObject *o = json_array_get_object_element (expected, i);
      JsonObject *fields = json_object_get_object_member (o, "fields");

      if (strcmp (json_object_get_string_member (o, "model"), "auth.permission") == 0)
        {
          g_autofree char *pk = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (o, "pk"));
          g_autoptr(JsonNode) ct = natural_key_node (ct_names, json_object_get_int_member (fields, "content_type"));
          JsonArray *nk = json_array_new ();

          json_array_add_string_element (nk, json_object_get_string_member (fields, "codename"));
          json_array_add_string_element (nk, json_array_get_string_element (json_node_get_array (ct), 0));
          json_array_add_string_element (nk, json_array_get_string_element (json_node_get_array (ct), 1));
          json_object_set_array_member (perm_names, pk, nk);
        }
    }

  for (guint i = 0; i < json_array_get_length (expected); i++)
    {
      JsonObject *o = json_array_get_object_element (expected, i);
      const char *model = json_object_get_string_member (o, "model");
      JsonObject *want = json_object_get_object_member (o, "fields");
      g_autofree char *pk_text = json_to_string (json_object_get_member (o, "pk"), FALSE);
      g_autofree char *id = g_strdup_printf ("%s %s", model, pk_text);
      BbModel *schema_model;
      JsonNode *mine;
      JsonObject *got;
      g_autoptr(GList) want_names = NULL;
      g_autoptr(GList) got_names = NULL;

      /* The only models left out: Baby Buddy's migrations recreate them. */
      if (strcmp (model, "sessions.session") == 0 || strcmp (model, "auth.permission") == 0
          || strcmp (model, "contenttypes.contenttype") == 0)
        {
          skipped++;
          continue;
        }

      mine = g_hash_table_lookup (ours, id);
      if (mine == NULL)
        g_error ("%s is missing from the backup", id);
      got = json_object_get_object_member (json_node_get_object (mine), "fields");
      schema_model = bb_schema_find_model (schema, model);
      g_assert_nonnull (schema_model);

      /* Same fields in the same order. */
      want_names = json_object_get_members (want);
      got_names = json_object_get_members (got);
      g_assert_cmpuint (g_list_length (want_names), ==, g_list_length (got_names));
      for (GList *w = want_names, *g = got_names; w != NULL; w = w->next, g = g->next)
        g_assert_cmpstr (w->data, ==, g->data);

      for (GList *w = want_names; w != NULL; w = w->next)
        {
          const char *name = w->data;
          JsonNode *want_value = json_object_get_member (want, name);
          JsonNode *got_value = json_object_get_member (got, name);
          g_autoptr(JsonNode) expected_value = NULL;
          BbFieldKind kind = BB_FIELD_TEXT;

          for (guint k = 0; k < schema_model->fields->len; k++)
            {
              BbField *field = g_ptr_array_index (schema_model->fields, k);
              if (strcmp (field->name, name) == 0)
                kind = field->kind;
            }

          /* The two deliberate differences: natural keys and microseconds. */
          if (strcmp (name, "content_type") == 0 && !JSON_NODE_HOLDS_NULL (want_value))
            expected_value = natural_key_node (ct_names, json_node_get_int (want_value));
          else if (strcmp (name, "user_permissions") == 0 || strcmp (name, "permissions") == 0)
            {
              JsonArray *list = json_array_new ();
              JsonArray *pks = json_node_get_array (want_value);

              for (guint k = 0; k < json_array_get_length (pks); k++)
                json_array_add_element (list, natural_key_node (perm_names, json_array_get_int_element (pks, k)));
              expected_value = json_node_init_array (json_node_alloc (), list);
              json_array_unref (list);
            }
          else
            expected_value = json_node_copy (want_value);

          if (JSON_NODE_HOLDS_VALUE (got_value) && json_node_get_value_type (got_value) == G_TYPE_STRING)
            {
              g_autofree char *truncated = django_truncation (kind, json_node_get_string (got_value));
              g_autoptr(JsonNode) t = json_node_init_string (json_node_alloc (), truncated);

              if (!json_node_equal (t, expected_value))
                g_error ("%s field %s: got %s, dumpdata has %s", id, name,
                         json_node_get_string (got_value), json_to_string (expected_value, FALSE));
            }
          else if (!json_node_equal (got_value, expected_value) && !same_double_node (got_value, expected_value))
            {
              g_autofree char *a = json_to_string (got_value, FALSE);
              g_autofree char *b = json_to_string (expected_value, FALSE);
              g_error ("%s field %s: got %s, dumpdata has %s", id, name, a, b);
            }
        }
      g_hash_table_remove (ours, id);
      compared++;
    }

  g_assert_cmpuint (compared, ==, 94687);
  g_assert_cmpuint (skipped, ==, 157);
  /* Nothing extra in the backup. */
  g_assert_cmpuint (g_hash_table_size (ours), ==, 0);
}

static void
test_format_and_metadata (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = backup (f->db, f->out, "Europe/Berlin", &error);
  g_autoptr(GHashTable) entries = NULL;
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *meta;
  JsonArray *models;
  gint64 total = 0;
  GStatBuf st;

  g_assert_no_error (error);

  /* Password hashes inside: only the owner may read it. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  entries = bb_test_read_zip (path);
  meta = metadata_of (entries, &keep);
  g_assert_cmpstr (json_object_get_string_member (meta, "version"), ==, "1.0");
  g_assert_cmpstr (json_object_get_string_member (meta, "database_engine"), ==, "django.db.backends.sqlite3");
  g_assert_cmpstr (json_object_get_string_member (meta, "babybuddy_version"), ==, "2.9.0 - 2.10.0");
  g_assert_cmpstr (json_object_get_string_member (meta, "timezone"), ==, "Europe/Berlin");
  g_assert_cmpint (json_object_get_int_member (meta, "models_count"), ==, 27);
  g_assert_false (json_object_get_boolean_member (meta, "includes_media"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (meta, "generator"), "version"),
                   ==, PACKAGE_VERSION);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_object_get_object_member (meta, "migrations"), "core")), ==, 36);

  models = json_object_get_array_member (meta, "models");
  g_assert_cmpuint (json_array_get_length (models), ==, 27);
  for (guint i = 0; i < json_array_get_length (models); i++)
    {
      JsonObject *m = json_array_get_object_element (models, i);
      GBytes *file = g_hash_table_lookup (entries, json_object_get_string_member (m, "file"));
      g_autofree char *sha = NULL;
      gsize size;
      const char *text;
      guint lines = 0;

      g_assert_nonnull (file);
      text = g_bytes_get_data (file, &size);
      sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) text, size);
      g_assert_cmpstr (sha, ==, json_object_get_string_member (m, "sha256"));

      /* One object per line between "[" and "]". */
      for (gsize k = 0; k < size; k++)
        lines += text[k] == '\n';
      if (json_object_get_int_member (m, "records") == 0)
        g_assert_cmpstr (text, ==, "[]\n");
      else
        {
          g_assert_true (g_str_has_prefix (text, "[\n{\"model\": "));
          g_assert_true (g_str_has_suffix (text, "}}\n]\n"));
          g_assert_cmpint (lines, ==, json_object_get_int_member (m, "records") + 2);
        }
      total += json_object_get_int_member (m, "records");
    }
  g_assert_cmpint (total, ==, json_object_get_int_member (meta, "total_records"));
  g_assert_cmpint (total, ==, 94687);
  g_assert_true (g_hash_table_contains (entries, "core/feeding.json"));
  g_assert_true (g_hash_table_contains (entries, "auth/user.json"));
  g_assert_false (g_hash_table_contains (entries, "sessions/session.json"));

  /* Nothing but the backup in the folder. */
  {
    g_auto(GStrv) names = bb_test_list_dir (f->out);
    g_assert_cmpuint (g_strv_length (names), ==, 1);
  }
}

static void
test_values (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GHashTable) entries = NULL;
  g_autofree char *note = NULL, *feeding = NULL, *child = NULL, *sleep = NULL, *user = NULL, *tagged = NULL;

  bb_test_sqlite_exec (f->db,
                       "UPDATE core_note SET note = 'Schläft 👶🍼 — \"gut\"' || char(10) || 'tab' || char(9) || '\\' WHERE id = 1;"
                       "UPDATE core_feeding SET amount = 0.1 + 0.2, duration = -1, notes = NULL WHERE id = 1;"
                       "UPDATE core_feeding SET amount = 1e-07, duration = 93784500001 WHERE id = 2;"
                       "UPDATE core_child SET birth_time = NULL WHERE id = 2;"
                       "UPDATE core_sleep SET start = '2024-11-23 23:53:17', nap = 1 WHERE id = 1;");
  path = backup (f->db, f->out, NULL, &error);
  g_assert_no_error (error);
  entries = bb_test_read_zip (path);

  note = line_for_pk (entries, "core/note.json", "1");
  g_assert_nonnull (strstr (note, "\"note\": \"Schläft 👶🍼 — \\\"gut\\\"\\ntab\\t\\\\\""));

  feeding = line_for_pk (entries, "core/feeding.json", "1");
  g_assert_nonnull (strstr (feeding, "\"duration\": \"-1 23:59:59.999999\""));
  g_assert_nonnull (strstr (feeding, "\"amount\": 0.30000000000000004"));
  g_assert_nonnull (strstr (feeding, "\"notes\": null"));
  g_assert_nonnull (strstr (feeding, "\"start\": \"2024-11-24T03:14:17.805328Z\""));
  g_clear_pointer (&feeding, g_free);
  feeding = line_for_pk (entries, "core/feeding.json", "2");
  g_assert_nonnull (strstr (feeding, "\"amount\": 1e-07"));
  g_assert_nonnull (strstr (feeding, "\"duration\": \"1 02:03:04.500001\""));

  child = line_for_pk (entries, "core/child.json", "2");
  g_assert_nonnull (strstr (child, "\"birth_time\": null"));
  g_clear_pointer (&child, g_free);
  child = line_for_pk (entries, "core/child.json", "1");
  g_assert_nonnull (strstr (child, "\"birth_time\": \"14:30:15\""));

  sleep = line_for_pk (entries, "core/sleep.json", "1");
  g_assert_nonnull (strstr (sleep, "\"start\": \"2024-11-23T23:53:17Z\""));
  g_assert_nonnull (strstr (sleep, "\"nap\": true"));

  /* Many-to-many folded into the owner; permissions as natural keys. */
  user = line_for_pk (entries, "auth/user.json", "2");
  g_assert_nonnull (strstr (user, "\"groups\": [1]"));
  user = (g_free (user), line_for_pk (entries, "auth/user.json", "3"));
  g_assert_nonnull (strstr (user, "\"user_permissions\": [[\""));

  tagged = line_for_pk (entries, "core/tagged.json", "1");
  g_assert_cmpstr (tagged, ==, "{\"model\": \"core.tagged\", \"pk\": 1, \"fields\": {\"content_type\": "
                   "[\"core\", \"headcircumference\"], \"object_id\": 1, \"tag\": 6}},");
}

static void
test_empty_database (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *empty = bb_test_make_empty_sqlite (f->dir);
  g_autofree char *path = NULL;
  g_autoptr(GHashTable) entries = NULL;
  g_autoptr(JsonNode) keep = NULL;
  JsonObject *meta;

  g_rename (empty, f->db);
  path = backup (f->db, f->out, NULL, &error);
  g_assert_no_error (error);
  entries = bb_test_read_zip (path);
  meta = metadata_of (entries, &keep);

  g_assert_cmpstr (g_bytes_get_data (g_hash_table_lookup (entries, "core/feeding.json"), NULL), ==, "[]\n");
  g_assert_cmpstr (g_bytes_get_data (g_hash_table_lookup (entries, "core/child.json"), NULL), ==, "[]\n");
  g_assert_cmpint (json_object_get_int_member (meta, "models_count"), ==, 27);
  /* admin, its settings, the read_only group, percentiles and dbsettings remain. */
  g_assert_cmpint (json_object_get_int_member (meta, "total_records"), ==, 1 + 1 + 1 + 3714 * 2 + 2);
}

static void
test_unknown_table (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GHashTable) entries = NULL;
  g_autoptr(JsonNode) keep = NULL;
  g_autofree char *row = NULL;
  JsonObject *meta;

  bb_test_sqlite_exec (f->db,
                       "CREATE TABLE myplugin_gadget (id integer NOT NULL PRIMARY KEY, label varchar(20) NULL,"
                       " weight real NULL, seen datetime NULL, active bool NOT NULL, "
                       " child_id integer NULL REFERENCES core_child (id));"
                       "INSERT INTO myplugin_gadget VALUES (1, 'Rattle', 0.25, '2025-01-02 03:04:05.123456', 1, 2);"
                       "INSERT INTO myplugin_gadget VALUES (2, NULL, NULL, NULL, 0, NULL);");
  path = backup (f->db, f->out, NULL, &error);
  g_assert_no_error (error);
  entries = bb_test_read_zip (path);
  meta = metadata_of (entries, &keep);

  row = line_for_pk (entries, "myplugin/gadget.json", "1");
  g_assert_cmpstr (row, ==, "{\"model\": \"myplugin.gadget\", \"pk\": 1, \"fields\": {\"label\": \"Rattle\", "
                   "\"weight\": 0.25, \"seen\": \"2025-01-02T03:04:05.123456Z\", \"active\": true, \"child\": 2}},");
  g_clear_pointer (&row, g_free);
  row = line_for_pk (entries, "myplugin/gadget.json", "2");
  g_assert_cmpstr (row, ==, "{\"model\": \"myplugin.gadget\", \"pk\": 2, \"fields\": {\"label\": null, "
                   "\"weight\": null, \"seen\": null, \"active\": false, \"child\": null}}");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (meta, "unknown_tables"), 0),
                   ==, "myplugin_gadget");
  g_assert_cmpint (json_object_get_int_member (meta, "models_count"), ==, 28);
}

static void
test_timezones (Fixture       *f,
                gconstpointer  data)
{
  static const struct {
    const char *utc;
    const char *zone;
    const char *name;
    const char *timestamp;
  } cases[] = {
    /* Europe/Berlin jumps from 02:00 to 03:00 on 2026-03-29. */
    { "2026-03-29T00:59:59Z", "Europe/Berlin", "backup_032926_015959.zip", "2026-03-29T01:59:59+01:00" },
    { "2026-03-29T01:00:00Z", "Europe/Berlin", "backup_032926_030000.zip", "2026-03-29T03:00:00+02:00" },
    /* New York repeats 01:00-02:00 on 2026-11-01: same name, other offset. */
    { "2026-11-01T05:30:00Z", "America/New_York", "backup_110126_013000.zip", "2026-11-01T01:30:00-04:00" },
    { "2026-11-01T06:30:00Z", "America/New_York", "backup_110126_013000.zip", "2026-11-01T01:30:00-05:00" },
    /* A half-hour zone, and the date changing with the zone. */
    { "2026-12-31T20:00:00Z", "Asia/Kolkata", "backup_010127_013000.zip", "2027-01-01T01:30:00+05:30" },
    { "2026-07-04T02:00:00Z", "America/Los_Angeles", "backup_070326_190000.zip", "2026-07-03T19:00:00-07:00" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BbConnectionInfo) info = bb_test_sqlite_info (f->db);
      g_autoptr(BbBackupJob) job = bb_backup_job_new (info, f->out);
      g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 (cases[i].utc, NULL);
      g_autoptr(GError) error = NULL;
      g_autofree char *path = NULL;
      g_autofree char *base = NULL;
      g_autoptr(GHashTable) entries = NULL;
      g_autoptr(JsonNode) keep = NULL;
      JsonObject *meta;

      bb_backup_job_set_timezone (job, cases[i].zone);
      bb_backup_job_set_now (job, now);
      bb_backup_job_set_compression_level (job, 1);
      path = bb_backup_job_run (job, NULL, &error);
      g_assert_no_error (error);
      base = g_path_get_basename (path);
      g_assert_cmpstr (base, ==, cases[i].name);

      entries = bb_test_read_zip (path);
      meta = metadata_of (entries, &keep);
      g_assert_cmpstr (json_object_get_string_member (meta, "timestamp"), ==, cases[i].timestamp);
      g_assert_cmpstr (json_object_get_string_member (meta, "timezone"), ==, cases[i].zone);
      g_unlink (path);
    }
}

static void
test_bad_timezone (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = backup (f->db, f->out, "Mars/Olympus_Mons", &error);

  g_assert_null (path);
  g_assert_error (error, BB_BACKUP_ERROR, BB_BACKUP_ERROR_INVALID_TIMEZONE);
  g_assert_nonnull (strstr (error->message, "Mars/Olympus_Mons"));
  assert_folder_empty (f->out);
}

static void
test_output_paths (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_build_filename (f->out, "my-backup.zip", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "no", "such", "folder", "x.zip", NULL);
  g_autofree char *missing_dir = g_strconcat (f->dir, "/nope/", NULL);
  g_autofree char *path = backup (f->db, file, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (path, ==, file);
  g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));

  g_clear_pointer (&path, g_free);
  path = backup (f->db, missing, NULL, &error);
  g_assert_null (path);
  g_assert_error (error, BB_BACKUP_ERROR, BB_BACKUP_ERROR_DESTINATION);
  g_clear_error (&error);

  path = backup (f->db, missing_dir, NULL, &error);
  g_assert_null (path);
  g_assert_error (error, BB_BACKUP_ERROR, BB_BACKUP_ERROR_DESTINATION);
}

typedef struct {
  GCancellable *cancellable;
  gboolean      cancelled_mid_table;
} CancelData;

static void
cancel_mid_table_cb (BbBackupJob *job,
                     GParamSpec  *pspec,
                     CancelData  *data)
{
  g_autofree char *model = bb_backup_job_dup_current_model (job);

  /* After the first page of a 15,135-row table: in the middle of it. */
  if (g_strcmp0 (model, "core.diaperchange") == 0 && !data->cancelled_mid_table
      && bb_backup_job_get_records_done (job) > 0)
    {
      data->cancelled_mid_table = TRUE;
      g_cancellable_cancel (data->cancellable);
    }
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(BbConnectionInfo) info = bb_test_sqlite_info (f->db);
  g_autoptr(BbBackupJob) job = bb_backup_job_new (info, f->out);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  CancelData cancel = { cancellable, FALSE };
  guint64 done;

  g_signal_connect (job, "notify::records-done", G_CALLBACK (cancel_mid_table_cb), &cancel);
  path = bb_backup_job_run (job, cancellable, &error);
  g_assert_null (path);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (cancel.cancelled_mid_table);
  done = bb_backup_job_get_records_done (job);
  g_assert_cmpuint (done, >, 0);
  g_assert_cmpuint (done, <, bb_backup_job_get_records_total (job));
  assert_folder_empty (f->out);
}

static void
run_cli_backup_limited (const char *db,
                        const char *out,
                        const char *shell_prefix,
                        int        *status,
                        char      **err)
{
  g_autofree char *url = g_strconcat ("sqlite://", db, NULL);
  g_autofree char *q_cli = g_shell_quote (bb_test_cli_path ());
  g_autofree char *q_url = g_shell_quote (url);
  g_autofree char *q_out = g_shell_quote (out);
  g_autofree char *cmd = g_strdup_printf ("%s %s backup --database %s --output %s",
                                          shell_prefix, q_cli, q_url, q_out);
  const char *argv[] = { "sh", "-c", cmd, NULL };
  g_autoptr(GError) error = NULL;
  int wait_status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, err,
                &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  *status = WEXITSTATUS (wait_status);
}

static void
test_disk_full (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *mnt = g_build_filename (f->dir, "small", NULL);
  g_autofree char *mount_cmd = g_strdup_printf ("mount -t tmpfs -o size=256k tmpfs %s", mnt);
  g_autofree char *umount_cmd = g_strdup_printf ("umount %s", mnt);
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  gboolean mounted;
  int status;

  g_assert_cmpint (g_mkdir (mnt, 0755), ==, 0);
  /* A real full file system where mounting is allowed (root on CI); else
   * the kernel's file size limit makes the same write fail (EFBIG). */
  mounted = getuid () == 0 && g_spawn_command_line_sync (mount_cmd, NULL, NULL, &status, NULL)
            && g_spawn_check_wait_status (status, NULL);
  g_test_message ("disk full through %s", mounted ? "a 256 KiB tmpfs" : "ulimit -f");

  run_cli_backup_limited (f->db, mnt, mounted ? "" : "ulimit -f 200;", &status, &err);
  g_test_message ("%s", err);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, mounted ? "There is not enough free space for the backup file"
                                         : "is too large for this disk"));
  g_assert_nonnull (strstr (err, "no backup was saved"));
  g_assert_cmpuint (g_strv_length (lines = g_strsplit (err, "\n", -1)), ==, 2);  /* one line */
  assert_folder_empty (mnt);

  if (mounted)
    g_spawn_command_line_sync (umount_cmd, NULL, NULL, NULL, NULL);
}

/* The file size limit path of the test above, for when it runs as root: the
 * process is not killed by the limit (SIGXFSZ) half-way through a write. */
static void
test_file_size_limit (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *err = NULL;
  int status;

  run_cli_backup_limited (f->db, f->out, "ulimit -f 200;", &status, &err);
  g_test_message ("%s", err);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "is too large for this disk"));
  assert_folder_empty (f->out);
}

typedef struct {
  const char *folder;
  gboolean    removed;
  guint64     done_at_removal;
} RemoveData;

static void
remove_folder_cb (BbBackupJob *job,
                  GParamSpec  *pspec,
                  RemoveData  *data)
{
  /* The first page is in: the ZIP is being written. */
  if (bb_backup_job_get_records_done (job) == 0 || data->removed)
    return;
  data->removed = TRUE;
  data->done_at_removal = bb_backup_job_get_records_done (job);
  bb_test_remove_tree (data->folder);
}

/* The destination folder removed while the backup runs (deleted in the file
 * manager, say): an error that names the folder, and no file anywhere. */
static void
test_folder_removed (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(BbConnectionInfo) info = bb_test_sqlite_info (f->db);
  g_autoptr(BbBackupJob) job = bb_backup_job_new (info, f->out);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *expected = g_strdup_printf ("The folder “%s” was removed", f->out);
  g_auto(GStrv) left = NULL;
  RemoveData remove = { f->out, FALSE, 0 };

  g_signal_connect (job, "notify::records-done", G_CALLBACK (remove_folder_cb), &remove);
  path = bb_backup_job_run (job, NULL, &error);
  g_assert_true (remove.removed);
  g_assert_cmpuint (remove.done_at_removal, <, bb_backup_job_get_records_total (job));
  g_assert_null (path);
  g_assert_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_WRITE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, expected));
  g_assert_nonnull (strstr (error->message, "no backup was saved"));

  /* Not made again, and nothing beside it: the database only. */
  g_assert_false (g_file_test (f->out, G_FILE_TEST_EXISTS));
  left = bb_test_list_dir (f->dir);
  g_assert_cmpuint (g_strv_length (left), ==, 1);
  g_assert_cmpstr (left[0], ==, "db.sqlite3");
}

static void
test_permission_denied (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *locked = g_build_filename (f->dir, "locked", NULL);
  g_autofree char *err = NULL;
  int status;

  g_assert_cmpint (g_mkdir (locked, 0755), ==, 0);
  g_assert_cmpint (g_chmod (f->dir, 0755), ==, 0);
  g_assert_cmpint (g_chmod (f->db, 0644), ==, 0);
  if (getuid () != 0)
    g_assert_cmpint (g_chmod (locked, 0555), ==, 0);

  /* Root writes anywhere: run as nobody into root's folder instead. */
  run_cli_backup_limited (f->db, locked, getuid () == 0 ? "exec runuser -u nobody --" : "exec",
                          &status, &err);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "Permission denied"));
  assert_folder_empty (locked);
}

static void
test_media (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *media = g_build_filename (bb_test_shared_dir (), "babybuddy", "media", NULL);
  g_autoptr(BbConnectionInfo) info = bb_test_sqlite_info (f->db);
  g_autoptr(BbBackupJob) job = bb_backup_job_new (info, f->out);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) entries = NULL;
  g_autoptr(JsonNode) keep = NULL;
  g_auto(GStrv) warnings = NULL;
  g_autofree char *path = NULL;
  g_autofree char *picture = NULL;
  g_autofree char *original = NULL;
  gsize original_len;
  JsonObject *meta;
  JsonArray *listed;
  GBytes *stored;

  /* One note points at a file that is not there, one at a path outside. */
  bb_test_sqlite_exec (f->db, "UPDATE core_note SET image = 'notes/images/gone.jpg' WHERE id = 2;"
                              "UPDATE core_note SET image = '../../etc/passwd' WHERE id = 3;");
  bb_backup_job_set_media_dir (job, media);
  path = bb_backup_job_run (job, NULL, &error);
  g_assert_no_error (error);

  entries = bb_test_read_zip (path);
  meta = metadata_of (entries, &keep);
  g_assert_true (json_object_get_boolean_member (meta, "includes_media"));

  picture = g_build_filename (media, "child", "picture", "oracle-child.jpg", NULL);
  g_assert_true (g_file_get_contents (picture, &original, &original_len, NULL));
  stored = g_hash_table_lookup (entries, "media/child/picture/oracle-child.jpg");
  g_assert_nonnull (stored);
  g_assert_cmpmem (g_bytes_get_data (stored, NULL), g_bytes_get_size (stored), original, original_len);

  listed = json_object_get_array_member (meta, "media");
  g_assert_cmpuint (json_array_get_length (listed), ==, 2);
  g_assert_false (g_hash_table_contains (entries, "media/notes/images/gone.jpg"));

  warnings = bb_backup_job_dup_warnings (job);
  g_assert_cmpuint (g_strv_length (warnings), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (meta, "warnings")), ==, 2);
  g_assert_nonnull (strstr (warnings[0], "gone.jpg") ?: strstr (warnings[1], "gone.jpg"));
}

static void
test_stale_temporaries (Fixture       *f,
                        gconstpointer  data)
{
  /* Left by a backup that was killed: no process 2^22+1 exists (pid_max). */
  g_autofree char *stale = g_build_filename (f->out, ".babybuddy-backup-4194305-AbCdEf.part", NULL);
  g_autofree char *stale_libzip = g_build_filename (f->out, ".babybuddy-backup-4194305-AbCdEf.part.x1Y2z3", NULL);
  g_autofree char *live_name = g_strdup_printf (".babybuddy-backup-%d-QwErTy.part", (int) getpid ());
  g_autofree char *live = g_build_filename (f->out, live_name, NULL);
  g_autofree char *other = g_build_filename (f->out, "holiday.jpg", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  g_assert_true (g_file_set_contents (stale, "partial", -1, NULL));
  g_assert_true (g_file_set_contents (stale_libzip, "partial", -1, NULL));
  g_assert_true (g_file_set_contents (live, "in progress", -1, NULL));
  g_assert_true (g_file_set_contents (other, "keep me", -1, NULL));

  path = backup (f->db, f->out, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (stale_libzip, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (live, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (other, G_FILE_TEST_EXISTS));
}

typedef struct {
  GMainLoop *loop;
  char      *path;
  GError    *error;
  guint64    last_done;
  guint      notifications;
  gboolean   saw_feeding;
  GThread   *main_thread;
} AsyncData;

static void
async_progress_cb (BbBackupJob *job,
                   GParamSpec  *pspec,
                   AsyncData   *data)
{
  guint64 done = bb_backup_job_get_records_done (job);
  g_autofree char *model = bb_backup_job_dup_current_model (job);

  /* Progress arrives in the thread that started the job. */
  g_assert_true (g_thread_self () == data->main_thread);
  g_assert_cmpuint (done, >=, data->last_done);
  g_assert_cmpuint (done, <=, bb_backup_job_get_records_total (job));
  data->last_done = done;
  data->notifications++;
  data->saw_feeding |= g_strcmp0 (model, "core.feeding") == 0;
}

static void
async_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncData *data = user_data;

  data->path = bb_backup_job_run_finish (BB_BACKUP_JOB (source), result, &data->error);
  g_main_loop_quit (data->loop);
}

static void
test_async_progress (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(BbConnectionInfo) info = bb_test_sqlite_info (f->db);
  g_autoptr(BbBackupJob) job = bb_backup_job_new (info, f->out);
  AsyncData async = { g_main_loop_new (NULL, FALSE), NULL, NULL, 0, 0, FALSE, g_thread_self () };

  g_signal_connect (job, "notify::records-done", G_CALLBACK (async_progress_cb), &async);
  bb_backup_job_run_async (job, NULL, async_done_cb, &async);
  g_main_loop_run (async.loop);

  g_assert_no_error (async.error);
  g_assert_nonnull (async.path);
  g_assert_cmpuint (async.notifications, >, 1);
  g_assert_true (async.saw_feeding);
  g_assert_cmpuint (bb_backup_job_get_records_done (job), ==, 94687);
  g_assert_cmpuint (bb_backup_job_get_records_total (job), ==, 94687);
  g_free (async.path);
  g_main_loop_unref (async.loop);
}

/* Baby Buddy holds its write lock (here for 300 ms) when the backup starts:
 * the backup waits for it instead of failing with "database is locked". */
static gboolean
release_lock_cb (gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bb_database_execute (user_data, "COMMIT", &error));
  g_assert_no_error (error);
  return G_SOURCE_REMOVE;
}

static void
test_waits_for_lock (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(BbConnectionInfo) info = bb_test_sqlite_info (f->db);
  g_autoptr(BbDatabase) writer = bb_database_new (info);
  g_autoptr(BbBackupJob) job = bb_backup_job_new (info, f->out);
  g_autoptr(GError) error = NULL;
  AsyncData async = { g_main_loop_new (NULL, FALSE), NULL, NULL, 0, 0, FALSE, g_thread_self () };
  gint64 start;

  g_assert_true (bb_database_open (writer, &error));
  g_assert_true (bb_database_execute (writer, "BEGIN EXCLUSIVE", &error));
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  g_timeout_add (1500, release_lock_cb, writer);
  bb_backup_job_run_async (job, NULL, async_done_cb, &async);
  g_main_loop_run (async.loop);

  g_assert_no_error (async.error);
  g_assert_nonnull (async.path);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 1500 * 1000);
  g_free (async.path);
  g_main_loop_unref (async.loop);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/bb/backup/sqlite/dumpdata", test_dumpdata);
  ADD ("/bb/backup/sqlite/format-and-metadata", test_format_and_metadata);
  ADD ("/bb/backup/sqlite/values", test_values);
  ADD ("/bb/backup/sqlite/empty-database", test_empty_database);
  ADD ("/bb/backup/sqlite/unknown-table", test_unknown_table);
  ADD ("/bb/backup/sqlite/timezones", test_timezones);
  ADD ("/bb/backup/sqlite/bad-timezone", test_bad_timezone);
  ADD ("/bb/backup/sqlite/output-paths", test_output_paths);
  ADD ("/bb/backup/sqlite/cancel-mid-table", test_cancel);
  ADD ("/bb/backup/sqlite/disk-full", test_disk_full);
  ADD ("/bb/backup/sqlite/file-size-limit", test_file_size_limit);
  ADD ("/bb/backup/sqlite/folder-removed", test_folder_removed);
  ADD ("/bb/backup/sqlite/permission-denied", test_permission_denied);
  ADD ("/bb/backup/sqlite/media", test_media);
  ADD ("/bb/backup/sqlite/stale-temporaries", test_stale_temporaries);
  ADD ("/bb/backup/sqlite/async-progress", test_async_progress);
  ADD ("/bb/backup/sqlite/waits-for-lock", test_waits_for_lock);
#undef ADD

  return g_test_run ();
}
