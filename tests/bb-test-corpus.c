/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-test-corpus.c: broken backups, see bb-test-corpus.h. Entries are added
 * or replaced with libzip (which copies the untouched entries' compressed
 * data as it is); what libzip refuses to write (a wrong CRC, a size that
 * lies) is patched into the headers byte by byte afterwards. New entries get
 * the good metadata.json's time stamp so the output depends on the input
 * only, and metadata.json stays the last entry, as the backup writer leaves it. */

#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>
#include <zip.h>

#include "bb-test-corpus.h"

#define SIG_LOCAL   0x04034b50u
#define SIG_CENTRAL 0x02014b50u
#define SIG_EOCD    0x06054b50u

#define FEEDING_FILE "core/feeding.json"

static const char * const kind_names[BB_TEST_CORPUS_N_KINDS] = {
  [BB_TEST_CORPUS_TRUNCATED] = "truncated",
  [BB_TEST_CORPUS_FLIPPED_BYTES] = "flipped-bytes",
  [BB_TEST_CORPUS_BAD_CRC] = "bad-crc",
  [BB_TEST_CORPUS_PATH_TRAVERSAL] = "path-traversal",
  [BB_TEST_CORPUS_ABSOLUTE_PATH] = "absolute-path",
  [BB_TEST_CORPUS_SYMLINK] = "symlink",
  [BB_TEST_CORPUS_ZIP_BOMB] = "zip-bomb",
  [BB_TEST_CORPUS_NO_METADATA] = "no-metadata",
  [BB_TEST_CORPUS_UNKNOWN_VERSION] = "unknown-version",
  [BB_TEST_CORPUS_BAD_JSON_LAST_RECORD] = "bad-json-last-record",
  [BB_TEST_CORPUS_WRONG_TYPES] = "wrong-types",
  [BB_TEST_CORPUS_DUPLICATE_PK] = "duplicate-pk",
  [BB_TEST_CORPUS_DANGLING_FK] = "dangling-fk",
  [BB_TEST_CORPUS_UNKNOWN_MODEL] = "unknown-model",
  [BB_TEST_CORPUS_UNKNOWN_FIELD] = "unknown-field",
};

const char *
bb_test_corpus_name (BbTestCorpusKind kind)
{
  g_return_val_if_fail (kind < BB_TEST_CORPUS_N_KINDS, NULL);

  return kind_names[kind];
}

static gboolean
fail (GError     **error,
      const char  *format,
      ...) G_GNUC_PRINTF (2, 3);

static gboolean
fail (GError     **error,
      const char  *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, message);
  return FALSE;
}

/* --- Headers, byte by byte ----------------------------------------------- */

typedef struct {
  gsize   central;        /* offsets into the file */
  gsize   local;
  gsize   data;
  guint64 comp_size;
  guint64 size;
  gsize   central_zip64_size;   /* 0 when the central header has no Zip64 size */
  gsize   local_zip64;          /* 0 when the local header has no Zip64 extra */
} ZipLoc;

static guint32
rd16 (const guint8 *p)
{
  return p[0] | (p[1] << 8);
}

static guint32
rd32 (const guint8 *p)
{
  return p[0] | (p[1] << 8) | (p[2] << 16) | ((guint32) p[3] << 24);
}

static guint64
rd64 (const guint8 *p)
{
  return rd32 (p) | ((guint64) rd32 (p + 4) << 32);
}

static void
wr16 (guint8  *p,
      guint32  v)
{
  p[0] = v & 0xff;
  p[1] = (v >> 8) & 0xff;
}

static void
wr32 (guint8  *p,
      guint32  v)
{
  for (int i = 0; i < 4; i++)
    p[i] = (v >> (8 * i)) & 0xff;
}

static void
wr64 (guint8  *p,
      guint64  v)
{
  for (int i = 0; i < 8; i++)
    p[i] = (v >> (8 * i)) & 0xff;
}

/* Offset of the Zip64 extra field's data, or 0. */
static gsize
find_zip64 (const guint8 *data,
            gsize         extra,
            gsize         extra_len)
{
  gsize p = extra;

  while (p + 4 <= extra + extra_len)
    {
      guint32 id = rd16 (data + p), len = rd16 (data + p + 2);

      if (id == 0x0001)
        return p + 4;
      p += 4 + len;
    }
  return 0;
}

static gboolean
locate (const guint8  *data,
        gsize          len,
        const char    *name,
        ZipLoc        *loc,
        GError       **error)
{
  gsize eocd = 0, p;
  guint32 entries;
  gboolean found = FALSE;

  if (len < 22)
    return fail (error, "not a ZIP");
  for (p = len - 22; ; p--)
    {
      if (rd32 (data + p) == SIG_EOCD)
        {
          eocd = p;
          found = TRUE;
          break;
        }
      if (p == 0 || len - p > 22 + 0xffff)
        break;
    }
  if (!found)
    return fail (error, "no end of central directory");
  entries = rd16 (data + eocd + 10);
  p = rd32 (data + eocd + 16);
  if (p == 0xffffffffu || entries == 0xffff)
    return fail (error, "Zip64 archives are not supported here");

  for (guint32 i = 0; i < entries; i++)
    {
      guint32 name_len, extra_len, comment_len;

      if (p + 46 > len || rd32 (data + p) != SIG_CENTRAL)
        return fail (error, "bad central directory");
      name_len = rd16 (data + p + 28);
      extra_len = rd16 (data + p + 30);
      comment_len = rd16 (data + p + 32);
      if (p + 46 + name_len + extra_len > len)
        return fail (error, "bad central directory");

      if (name_len == strlen (name) && memcmp (data + p + 46, name, name_len) == 0)
        {
          gsize zip64 = find_zip64 (data, p + 46 + name_len, extra_len);
          gsize l;
          guint64 size = rd32 (data + p + 24), comp = rd32 (data + p + 20);
          gsize z = zip64;

          memset (loc, 0, sizeof *loc);
          loc->central = p;
          if (size == 0xffffffffu && z != 0)
            {
              loc->central_zip64_size = z;
              size = rd64 (data + z);
              z += 8;
            }
          if (comp == 0xffffffffu && z != 0)
            {
              comp = rd64 (data + z);
              z += 8;
            }
          loc->size = size;
          loc->comp_size = comp;
          l = rd32 (data + p + 42);
          if (l == 0xffffffffu || l + 30 > len || rd32 (data + l) != SIG_LOCAL)
            return fail (error, "bad local header for %s", name);
          loc->local = l;
          loc->local_zip64 = find_zip64 (data, l + 30 + rd16 (data + l + 26), rd16 (data + l + 28));
          loc->data = l + 30 + rd16 (data + l + 26) + rd16 (data + l + 28);
          if (rd16 (data + l + 6) & 0x8)
            return fail (error, "%s has a data descriptor, which is not supported here", name);
          if (loc->data + loc->comp_size > len)
            return fail (error, "bad sizes for %s", name);
          return TRUE;
        }
      p += 46 + name_len + extra_len + comment_len;
    }
  return fail (error, "no entry %s", name);
}

static gboolean
load (const char  *path,
      guint8     **data,
      gsize       *len,
      GError     **error)
{
  return g_file_get_contents (path, (char **) data, len, error);
}

gboolean
bb_test_zip_get_field (const char      *path,
                       const char      *entry,
                       BbTestZipField   field,
                       guint64         *value,
                       GError         **error)
{
  g_autofree guint8 *data = NULL;
  gsize len;
  ZipLoc loc;

  if (!load (path, &data, &len, error) || !locate (data, len, entry, &loc, error))
    return FALSE;
  switch (field)
    {
    case BB_TEST_ZIP_FIELD_CRC:
      *value = rd32 (data + loc.central + 16);
      break;
    case BB_TEST_ZIP_FIELD_SIZE:
      *value = loc.size;
      break;
    case BB_TEST_ZIP_FIELD_METHOD:
      *value = rd16 (data + loc.central + 10);
      break;
    default:
      g_assert_not_reached ();
    }
  return TRUE;
}

static gboolean
patch_field (guint8            *data,
             const ZipLoc      *loc,
             BbTestZipField     field,
             guint64            value,
             BbTestZipHeaders   headers,
             GError           **error)
{
  switch (field)
    {
    case BB_TEST_ZIP_FIELD_CRC:
      if (headers & BB_TEST_ZIP_CENTRAL)
        wr32 (data + loc->central + 16, value);
      if (headers & BB_TEST_ZIP_LOCAL)
        wr32 (data + loc->local + 14, value);
      break;

    case BB_TEST_ZIP_FIELD_METHOD:
      if (headers & BB_TEST_ZIP_CENTRAL)
        wr16 (data + loc->central + 10, value);
      if (headers & BB_TEST_ZIP_LOCAL)
        wr16 (data + loc->local + 8, value);
      break;

    case BB_TEST_ZIP_FIELD_SIZE:
      if (headers & BB_TEST_ZIP_CENTRAL)
        {
          if (loc->central_zip64_size != 0)
            wr64 (data + loc->central_zip64_size, value);
          else if (value < 0xffffffffu)
            wr32 (data + loc->central + 24, value);
          else
            return fail (error, "the size does not fit without Zip64");
        }
      if (headers & BB_TEST_ZIP_LOCAL)
        {
          /* A Zip64 extra in a local header always holds both sizes. */
          if (loc->local_zip64 != 0)
            wr64 (data + loc->local_zip64, value);
          if (rd32 (data + loc->local + 22) != 0xffffffffu)
            {
              if (value >= 0xffffffffu)
                return fail (error, "the size does not fit without Zip64");
              wr32 (data + loc->local + 22, value);
            }
        }
      break;

    default:
      g_assert_not_reached ();
    }
  return TRUE;
}

gboolean
bb_test_zip_set_field (const char        *path,
                       const char        *entry,
                       BbTestZipField     field,
                       guint64            value,
                       BbTestZipHeaders   headers,
                       GError           **error)
{
  g_autofree guint8 *data = NULL;
  gsize len;
  ZipLoc loc;

  return load (path, &data, &len, error)
         && locate (data, len, entry, &loc, error)
         && patch_field (data, &loc, field, value, headers, error)
         && g_file_set_contents (path, (char *) data, len, error);
}

gboolean
bb_test_zip_rename (const char  *path,
                    const char  *entry,
                    const char  *new_name,
                    GError     **error)
{
  g_autofree guint8 *data = NULL;
  gsize len;
  ZipLoc loc;

  if (strlen (new_name) != strlen (entry))
    return fail (error, "the new name must be as long as the old one");
  if (!load (path, &data, &len, error) || !locate (data, len, entry, &loc, error))
    return FALSE;
  memcpy (data + loc.central + 46, new_name, strlen (new_name));
  memcpy (data + loc.local + 30, new_name, strlen (new_name));
  return g_file_set_contents (path, (char *) data, len, error);
}

/* --- Rewriting with libzip ------------------------------------------------ */

typedef struct {
  char     *name;
  GBytes   *data;
  gboolean  symlink;
} NewEntry;

static void
new_entry_free (NewEntry *entry)
{
  g_free (entry->name);
  g_bytes_unref (entry->data);
  g_free (entry);
}

typedef struct {
  GHashTable *replace;      /* name -> GBytes, entries that stay where they are */
  GPtrArray  *add;          /* NewEntry, before metadata.json */
  GBytes     *metadata;     /* a new metadata.json, or NULL */
  gboolean    drop_metadata;
} Edit;

static void
edit_init (Edit *edit)
{
  edit->replace = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  edit->add = g_ptr_array_new_with_free_func ((GDestroyNotify) new_entry_free);
  edit->metadata = NULL;
  edit->drop_metadata = FALSE;
}

static void
edit_clear (Edit *edit)
{
  g_hash_table_unref (edit->replace);
  g_ptr_array_unref (edit->add);
  g_clear_pointer (&edit->metadata, g_bytes_unref);
}

/* Takes data. */
static void
edit_add (Edit       *edit,
          const char *name,
          GBytes     *data,
          gboolean    symlink)
{
  NewEntry *entry = g_new0 (NewEntry, 1);

  entry->name = g_strdup (name);
  entry->data = data;
  entry->symlink = symlink;
  g_ptr_array_add (edit->add, entry);
}

static gboolean
zip_failed (zip_t       *zip,
            const char  *what,
            GError     **error)
{
  fail (error, "%s: %s", what, zip_strerror (zip));
  zip_discard (zip);
  return FALSE;
}

static zip_int64_t
put (zip_t      *zip,
     const char *name,
     GBytes     *data,
     time_t      mtime,
     gboolean    replace)
{
  gsize len;
  const void *bytes = g_bytes_get_data (data, &len);
  zip_source_t *source = zip_source_buffer (zip, bytes, len, 0);
  zip_int64_t index;

  if (source == NULL)
    return -1;
  if (replace)
    {
      index = zip_name_locate (zip, name, 0);
      if (index < 0 || zip_file_replace (zip, index, source, 0) < 0)
        {
          zip_source_free (source);
          return -1;
        }
    }
  else
    {
      index = zip_file_add (zip, name, source, ZIP_FL_ENC_UTF_8);
      if (index < 0)
        {
          zip_source_free (source);
          return -1;
        }
    }
  if (zip_set_file_compression (zip, index, ZIP_CM_DEFLATE, 6) < 0
      || zip_file_set_mtime (zip, index, mtime, 0) < 0)
    return -1;
  return index;
}

/* dest = good with the edit applied. The GBytes stay alive until zip_close()
 * because libzip reads the buffers only then. */
static gboolean
apply_edit (const char  *good,
            const char  *dest,
            Edit        *edit,
            GError     **error)
{
  g_autoptr(GFile) from = g_file_new_for_path (good);
  g_autoptr(GFile) to = g_file_new_for_path (dest);
  g_autoptr(GBytes) old_metadata = NULL;
  GHashTableIter iter;
  gpointer key, value;
  zip_stat_t st;
  zip_t *zip;
  zip_int64_t meta_index;
  gboolean moved = edit->add->len > 0;
  int zerr = 0;

  if (!g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error))
    return FALSE;
  zip = zip_open (dest, 0, &zerr);
  if (zip == NULL)
    return fail (error, "cannot open %s: libzip error %d", dest, zerr);

  meta_index = zip_name_locate (zip, "metadata.json", 0);
  if (meta_index < 0 || zip_stat_index (zip, meta_index, 0, &st) < 0 || !(st.valid & ZIP_STAT_MTIME))
    return zip_failed (zip, "no metadata.json", error);

  g_hash_table_iter_init (&iter, edit->replace);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (put (zip, key, value, st.mtime, TRUE) < 0)
      return zip_failed (zip, key, error);

  /* New entries go before metadata.json: it is taken out and added again last. */
  if (moved || edit->drop_metadata)
    {
      if (edit->metadata == NULL && !edit->drop_metadata)
        {
          zip_file_t *file = zip_fopen_index (zip, meta_index, 0);
          guint8 *buf = g_malloc (st.size + 1);

          if (file == NULL || zip_fread (file, buf, st.size) != (zip_int64_t) st.size)
            {
              g_free (buf);
              if (file != NULL)
                zip_fclose (file);
              return zip_failed (zip, "cannot read metadata.json", error);
            }
          zip_fclose (file);
          old_metadata = g_bytes_new_take (buf, st.size);
        }
      if (zip_delete (zip, meta_index) < 0)
        return zip_failed (zip, "cannot remove metadata.json", error);
    }

  for (guint i = 0; i < edit->add->len; i++)
    {
      NewEntry *entry = g_ptr_array_index (edit->add, i);
      zip_int64_t index = put (zip, entry->name, entry->data, st.mtime, FALSE);

      if (index < 0)
        return zip_failed (zip, entry->name, error);
      if (entry->symlink
          && (zip_set_file_compression (zip, index, ZIP_CM_STORE, 0) < 0
              || zip_file_set_external_attributes (zip, index, 0, ZIP_OPSYS_UNIX,
                                                   (guint32) (S_IFLNK | 0777) << 16) < 0))
        return zip_failed (zip, entry->name, error);
    }

  if (!edit->drop_metadata && (moved || edit->metadata != NULL))
    {
      GBytes *metadata = edit->metadata ? edit->metadata : old_metadata;

      if (put (zip, "metadata.json", metadata, st.mtime, !moved) < 0)
        return zip_failed (zip, "metadata.json", error);
    }

  if (zip_close (zip) < 0)
    return zip_failed (zip, "cannot write", error);
  return TRUE;
}

/* --- Reading the good backup ---------------------------------------------- */

static GBytes *
read_entry (const char  *path,
            const char  *name,
            GError     **error)
{
  zip_t *zip = zip_open (path, ZIP_RDONLY, NULL);
  zip_file_t *file = NULL;
  guint8 *buf = NULL;
  zip_stat_t st;

  if (zip == NULL)
    {
      fail (error, "cannot open %s", path);
      return NULL;
    }
  if (zip_stat (zip, name, 0, &st) < 0 || (file = zip_fopen (zip, name, 0)) == NULL)
    {
      fail (error, "no %s in %s", name, path);
      zip_discard (zip);
      return NULL;
    }
  buf = g_malloc (st.size + 1);
  if (zip_fread (file, buf, st.size) != (zip_int64_t) st.size)
    {
      fail (error, "cannot read %s", name);
      g_free (buf);
      zip_fclose (file);
      zip_discard (zip);
      return NULL;
    }
  buf[st.size] = '\0';
  zip_fclose (file);
  zip_discard (zip);
  return g_bytes_new_take (buf, st.size);
}

static JsonNode *
parse (GBytes  *bytes,
       GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len;
  const char *text = g_bytes_get_data (bytes, &len);

  if (!json_parser_load_from_data (parser, text, len, error))
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

static GBytes *
generate (JsonNode *root)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  gsize len;
  char *text;

  /* The writer's own settings, so untouched members come out byte for byte. */
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, &len);
  return g_bytes_new_take (text, len);
}

static JsonObject *
find_model (JsonNode    *metadata,
            const char  *file,
            GError     **error)
{
  JsonArray *models = json_object_get_array_member (json_node_get_object (metadata), "models");

  for (guint i = 0; models != NULL && i < json_array_get_length (models); i++)
    {
      JsonObject *model = json_array_get_object_element (models, i);

      if (g_strcmp0 (json_object_get_string_member (model, "file"), file) == 0)
        return model;
    }
  fail (error, "metadata.json does not list %s", file);
  return NULL;
}

/* Records a changed model file in metadata.json: its sha256 and, by delta,
 * its records and the total. */
static void
update_model (JsonNode   *metadata,
              JsonObject *model,
              GBytes     *content,
              gint64      delta_records)
{
  JsonObject *root = json_node_get_object (metadata);
  g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, content);

  json_object_set_string_member (model, "sha256", sha);
  if (delta_records != 0)
    {
      json_object_set_int_member (model, "records", json_object_get_int_member (model, "records") + delta_records);
      json_object_set_int_member (root, "total_records",
                                  json_object_get_int_member (root, "total_records") + delta_records);
    }
}

/* --- Records, as the writer lays them out: "[", one record per line, "]" --- */

/* Lines without their "\n". Not g_strsplit(): under AddressSanitizer its
 * strstr() is quadratic on a file of several MB. */
static GPtrArray *
split_lines (const char *text,
             gsize       len)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  const char *p = text, *end = text + len;

  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *stop = nl ? nl : end;

      g_ptr_array_add (lines, g_strndup (p, stop - p));
      p = nl ? nl + 1 : end;
    }
  return lines;
}

static GPtrArray *
split_records (GBytes  *content,
               GError **error)
{
  gsize len;
  const char *text = g_bytes_get_data (content, &len);
  g_autoptr(GPtrArray) lines = split_lines (text, len);
  guint n = lines->len;

  /* "[", records…, "]", each line ending in "\n" */
  if (len == 0 || text[len - 1] != '\n' || n < 3
      || strcmp (g_ptr_array_index (lines, 0), "[") != 0
      || strcmp (g_ptr_array_index (lines, n - 1), "]") != 0)
    {
      fail (error, "unexpected layout of a model file");
      return NULL;
    }
  for (guint i = 1; i < n - 2; i++)
    {
      char *line = g_ptr_array_index (lines, i);
      gsize l = strlen (line);

      if (l == 0 || line[l - 1] != ',')
        {
          fail (error, "unexpected layout of a model file (line %u)", i + 1);
          return NULL;
        }
      line[l - 1] = '\0';
    }
  g_free (g_ptr_array_steal_index (lines, n - 1));
  g_free (g_ptr_array_steal_index (lines, 0));
  return g_steal_pointer (&lines);
}

static GBytes *
join_records (GPtrArray *records)
{
  GString *out = g_string_new ("[\n");

  for (guint i = 0; i < records->len; i++)
    {
      g_string_append (out, g_ptr_array_index (records, i));
      g_string_append (out, i + 1 < records->len ? ",\n" : "\n");
    }
  g_string_append (out, "]\n");
  return g_string_free_to_bytes (out);
}

/* Replaces the value of "key" in one record line, keeping every other byte. */
static char *
set_value (const char  *record,
           const char  *key,
           const char  *json_value,
           GError     **error)
{
  g_autofree char *pattern = g_strdup_printf ("\"%s\":", key);
  const char *start = strstr (record, pattern);
  const char *end;

  if (start == NULL)
    {
      fail (error, "the record has no %s", key);
      return NULL;
    }
  start += strlen (pattern);
  while (*start == ' ')
    start++;
  end = start;
  if (*end == '"')
    {
      for (end++; *end != '\0' && *end != '"'; end++)
        if (*end == '\\' && end[1] != '\0')
          end++;
      if (*end == '"')
        end++;
    }
  else
    while (*end != '\0' && *end != ',' && *end != '}')
      end++;
  return g_strdup_printf ("%.*s%s%s", (int) (start - record), record, json_value, end);
}

static gboolean
check_record (const char  *record,
              GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  return json_parser_load_from_data (parser, record, -1, error);
}

/* --- The kinds ------------------------------------------------------------ */

static gboolean
make_truncated (const char  *good,
                const char  *dest,
                GError     **error)
{
  g_autofree char *data = NULL;
  gsize len;

  return g_file_get_contents (good, &data, &len, error)
         && g_file_set_contents (dest, data, len / 2, error);
}

static gboolean
make_header_edit (BbTestCorpusKind   kind,
                  const char        *good,
                  const char        *dest,
                  GError           **error)
{
  g_autofree guint8 *data = NULL;
  gsize len;
  ZipLoc loc;

  if (!load (good, &data, &len, error) || !locate (data, len, FEEDING_FILE, &loc, error))
    return FALSE;

  if (kind == BB_TEST_CORPUS_FLIPPED_BYTES)
    {
      gsize middle = loc.data + loc.comp_size / 2;

      if (rd16 (data + loc.central + 10) != ZIP_CM_DEFLATE || loc.comp_size < 64)
        return fail (error, "%s is not a compressed entry", FEEDING_FILE);
      for (gsize i = 0; i < 16; i++)
        data[middle + i] ^= 0xff;
    }
  else
    {
      guint32 crc = rd32 (data + loc.central + 16) ^ 0xffffffffu;

      if (!patch_field (data, &loc, BB_TEST_ZIP_FIELD_CRC, crc, BB_TEST_ZIP_BOTH, error))
        return FALSE;
    }
  return g_file_set_contents (dest, (char *) data, len, error);
}

static gboolean
make_added_entry (BbTestCorpusKind   kind,
                  const char        *good,
                  const char        *dest,
                  GError           **error)
{
  Edit edit;
  gboolean ok;

  edit_init (&edit);
  switch (kind)
    {
    case BB_TEST_CORPUS_PATH_TRAVERSAL:
      edit_add (&edit, "../../evil.txt", g_bytes_new_static ("evil\n", 5), FALSE);
      break;
    case BB_TEST_CORPUS_ABSOLUTE_PATH:
      edit_add (&edit, "/tmp/evil.txt", g_bytes_new_static ("evil\n", 5), FALSE);
      break;
    case BB_TEST_CORPUS_SYMLINK:
      edit_add (&edit, "media/link", g_bytes_new_static ("/etc/passwd", 11), TRUE);
      break;
    case BB_TEST_CORPUS_NO_METADATA:
      edit.drop_metadata = TRUE;
      break;
    default:
      g_assert_not_reached ();
    }
  ok = apply_edit (good, dest, &edit, error);
  edit_clear (&edit);
  return ok;
}

#define BOMB_DECLARED G_GUINT64_CONSTANT (4000000000)

static gboolean
make_zip_bomb (const char  *good,
               const char  *dest,
               GError     **error)
{
  g_autoptr(GBytes) spaces = NULL;
  gsize len = 1 << 20;
  char *buf = g_malloc (len);
  Edit edit;
  gboolean ok;

  /* Real deflate data of 1 MiB of spaces (~1 KB); only the headers lie. */
  memset (buf, ' ', len);
  buf[0] = '[';
  buf[len - 2] = ']';
  buf[len - 1] = '\n';
  spaces = g_bytes_new_take (buf, len);

  edit_init (&edit);
  edit_add (&edit, "core/bomb.json", g_steal_pointer (&spaces), FALSE);
  ok = apply_edit (good, dest, &edit, error)
       && bb_test_zip_set_field (dest, "core/bomb.json", BB_TEST_ZIP_FIELD_SIZE, BOMB_DECLARED,
                                 BB_TEST_ZIP_BOTH, error);
  edit_clear (&edit);
  return ok;
}

static gboolean
make_content (BbTestCorpusKind   kind,
              const char        *good,
              const char        *dest,
              GError           **error)
{
  g_autoptr(GBytes) metadata_text = read_entry (good, "metadata.json", error);
  g_autoptr(JsonNode) metadata = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GBytes) changed = NULL;
  g_autoptr(GPtrArray) records = NULL;
  JsonObject *model = NULL;
  const char *file = FEEDING_FILE;
  gint64 delta = 0;
  Edit edit;
  gboolean ok;

  if (metadata_text == NULL || (metadata = parse (metadata_text, error)) == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (metadata))
    return fail (error, "metadata.json is not an object");

  if (kind == BB_TEST_CORPUS_UNKNOWN_VERSION)
    {
      json_object_set_string_member (json_node_get_object (metadata), "version", "2.0");
    }
  else if (kind == BB_TEST_CORPUS_UNKNOWN_MODEL)
    {
      JsonObject *root = json_node_get_object (metadata);
      JsonObject *unicorn = json_object_new ();
      static const char text[] = "[\n{\"model\": \"core.unicorn\", \"pk\": 1, \"fields\": {\"horn\": 1}}\n]\n";
      g_autofree char *sha = NULL;

      changed = g_bytes_new_static (text, strlen (text));
      sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, changed);
      json_object_set_string_member (unicorn, "model", "core.unicorn");
      json_object_set_string_member (unicorn, "file", "core/unicorn.json");
      json_object_set_int_member (unicorn, "records", 1);
      json_object_set_string_member (unicorn, "sha256", sha);
      json_array_add_object_element (json_object_get_array_member (root, "models"), unicorn);
      json_object_set_int_member (root, "models_count", json_object_get_int_member (root, "models_count") + 1);
      json_object_set_int_member (root, "total_records", json_object_get_int_member (root, "total_records") + 1);
      file = "core/unicorn.json";
    }
  else
    {
      if (kind == BB_TEST_CORPUS_BAD_JSON_LAST_RECORD)
        {
          JsonArray *models = json_object_get_array_member (json_node_get_object (metadata), "models");
          guint n = models ? json_array_get_length (models) : 0;

          if (n == 0)
            return fail (error, "metadata.json lists no models");
          file = json_object_get_string_member (json_array_get_object_element (models, n - 1), "file");
        }
      if ((model = find_model (metadata, file, error)) == NULL
          || (content = read_entry (good, file, error)) == NULL
          || (records = split_records (content, error)) == NULL)
        return FALSE;

      if (kind == BB_TEST_CORPUS_BAD_JSON_LAST_RECORD)
        {
          char *last = g_ptr_array_index (records, records->len - 1);
          char *brace = strrchr (last, '}');

          if (brace == NULL)
            return fail (error, "the last record of %s has no closing brace", file);
          memmove (brace, brace + 1, strlen (brace + 1) + 1);
        }
      else
        {
          guint middle = records->len / 2;
          char *record = g_ptr_array_index (records, middle);
          g_autofree char *edited = NULL;

          switch (kind)
            {
            case BB_TEST_CORPUS_WRONG_TYPES:
              {
                g_autofree char *step = set_value (record, "start", "\"yesterday\"", error);

                edited = step ? set_value (step, "child", "\"abc\"", error) : NULL;
              }
              break;
            case BB_TEST_CORPUS_DUPLICATE_PK:
              edited = g_strdup (record);
              break;
            case BB_TEST_CORPUS_DANGLING_FK:
              edited = set_value (record, "child", "999999", error);
              break;
            case BB_TEST_CORPUS_UNKNOWN_FIELD:
              {
                gsize l = strlen (record);

                if (l < 2 || strcmp (record + l - 2, "}}") != 0)
                  return fail (error, "unexpected record layout in %s", file);
                edited = g_strdup_printf ("%.*s, \"colour\": \"red\"}}", (int) (l - 2), record);
              }
              break;
            default:
              g_assert_not_reached ();
            }
          if (edited == NULL || !check_record (edited, error))
            return FALSE;
          if (kind == BB_TEST_CORPUS_DUPLICATE_PK)
            {
              g_ptr_array_add (records, g_steal_pointer (&edited));
              delta = 1;
            }
          else
            {
              g_free (g_ptr_array_index (records, middle));
              g_ptr_array_index (records, middle) = g_steal_pointer (&edited);
            }
        }
      changed = join_records (records);
      update_model (metadata, model, changed, delta);
    }

  edit_init (&edit);
  edit.metadata = generate (metadata);
  if (kind == BB_TEST_CORPUS_UNKNOWN_MODEL)
    edit_add (&edit, file, g_bytes_ref (changed), FALSE);
  else if (changed != NULL)
    g_hash_table_insert (edit.replace, g_strdup (file), g_bytes_ref (changed));
  ok = apply_edit (good, dest, &edit, error);
  edit_clear (&edit);
  return ok;
}

gboolean
bb_test_corpus_make (BbTestCorpusKind   kind,
                     const char        *good_zip,
                     const char        *dest,
                     GError           **error)
{
  g_return_val_if_fail (kind < BB_TEST_CORPUS_N_KINDS, FALSE);
  g_return_val_if_fail (good_zip != NULL && dest != NULL, FALSE);

  switch (kind)
    {
    case BB_TEST_CORPUS_TRUNCATED:
      return make_truncated (good_zip, dest, error);
    case BB_TEST_CORPUS_FLIPPED_BYTES:
    case BB_TEST_CORPUS_BAD_CRC:
      return make_header_edit (kind, good_zip, dest, error);
    case BB_TEST_CORPUS_PATH_TRAVERSAL:
    case BB_TEST_CORPUS_ABSOLUTE_PATH:
    case BB_TEST_CORPUS_SYMLINK:
    case BB_TEST_CORPUS_NO_METADATA:
      return make_added_entry (kind, good_zip, dest, error);
    case BB_TEST_CORPUS_ZIP_BOMB:
      return make_zip_bomb (good_zip, dest, error);
    case BB_TEST_CORPUS_UNKNOWN_VERSION:
    case BB_TEST_CORPUS_BAD_JSON_LAST_RECORD:
    case BB_TEST_CORPUS_WRONG_TYPES:
    case BB_TEST_CORPUS_DUPLICATE_PK:
    case BB_TEST_CORPUS_DANGLING_FK:
    case BB_TEST_CORPUS_UNKNOWN_MODEL:
    case BB_TEST_CORPUS_UNKNOWN_FIELD:
      return make_content (kind, good_zip, dest, error);
    case BB_TEST_CORPUS_N_KINDS:
    default:
      g_assert_not_reached ();
    }
  return FALSE;
}
