/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-archive-reader.c: the safe reader of backup ZIPs and fixtures, on a
 * real backup of the reference database and on broken copies of it (made
 * here with libzip or byte edits, and by bb-test-corpus.c for the restore
 * tests). Every refusal is checked for its error code and for a message that
 * names the entry; every good entry still reads with metadata.json's SHA-256. */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zip.h>

#include "bb-archive-reader.h"
#include "bb-backup-job.h"
#include "bb-test-corpus.h"
#include "bb-test-util.h"

/* g_format_size() puts a no-break space between number and unit. */
#define NBSP "\302\240"

/* One good backup for the whole program: making it takes a second or two. */
static char *tmpdir;
static char *good_zip;
static JsonNode *good_metadata;
static GHashTable *good_sha;     /* model file -> sha256 from metadata.json */
static GHashTable *good_records; /* model file -> records */

/* --- Helpers ------------------------------------------------------------- */

static char *
scratch (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autofree char *data = NULL;
  gsize len;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (from, &data, &len, &error);
  g_assert_no_error (error);
  g_file_set_contents (to, data, len, &error);
  g_assert_no_error (error);
}

static char *
copy_good (const char *name)
{
  char *path = scratch (name);

  copy_file (good_zip, path);
  return path;
}

static JsonNode *
parse_json (const char *text,
            gssize      len)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, len, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static BbArchiveReader *
open_reader (const char            *path,
             const BbArchiveLimits *limits)
{
  g_autoptr(GError) error = NULL;
  BbArchiveReader *reader = bb_archive_reader_open (path, limits, &error);

  g_assert_no_error (error);
  g_assert_nonnull (reader);
  return reader;
}

static void
assert_no_problems (BbArchiveReader *reader)
{
  GPtrArray *problems = bb_archive_reader_get_problems (reader);

  for (guint i = 0; i < problems->len; i++)
    g_test_message ("unexpected problem: %s", (char *) g_ptr_array_index (problems, i));
  g_assert_cmpuint (problems->len, ==, 0);
}

/* A problem sentence that contains all of the given pieces. */
static void
assert_problem (BbArchiveReader *reader,
                const char      *piece,
                const char      *other_piece)
{
  GPtrArray *problems = bb_archive_reader_get_problems (reader);

  for (guint i = 0; i < problems->len; i++)
    {
      const char *p = g_ptr_array_index (problems, i);

      if (strstr (p, piece) != NULL && (other_piece == NULL || strstr (p, other_piece) != NULL))
        return;
    }
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem: %s", (char *) g_ptr_array_index (problems, i));
  g_error ("no problem mentions “%s” and “%s”", piece, other_piece ? other_piece : "");
}

static gboolean
list_contains (BbArchiveReader *reader,
               const char      *name)
{
  GPtrArray *entries = bb_archive_reader_list_entries (reader);

  for (guint i = 0; i < entries->len; i++)
    if (strcmp (g_ptr_array_index (entries, i), name) == 0)
      return TRUE;
  return FALSE;
}

/* An entry that was refused is not listed and cannot be opened. */
static void
assert_refused (BbArchiveReader *reader,
                const char      *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbArchiveEntry) entry = NULL;

  g_assert_false (list_contains (reader, name));
  g_assert_false (bb_archive_reader_has_entry (reader, name));
  g_assert_cmpint (bb_archive_reader_get_entry_size (reader, name), ==, -1);
  entry = bb_archive_reader_open_entry (reader, name, &error);
  g_assert_null (entry);
  g_assert_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID);
}

/* Reads a whole entry in chunks of chunk bytes; returns its SHA-256, or
 * NULL with error. */
static char *
read_entry (BbArchiveReader  *reader,
            const char       *name,
            gsize             chunk,
            GByteArray       *out,
            GError          **error)
{
  g_autoptr(BbArchiveEntry) entry = bb_archive_reader_open_entry (reader, name, error);
  g_autofree guint8 *buf = g_malloc (chunk);
  gssize n;

  if (entry == NULL)
    return NULL;
  while ((n = bb_archive_entry_read (entry, buf, chunk, error)) > 0)
    if (out != NULL)
      g_byte_array_append (out, buf, n);
  if (n < 0)
    return NULL;
  g_assert_cmpuint (bb_archive_entry_get_bytes_read (entry), ==, bb_archive_reader_get_entry_size (reader, name));
  /* a read after the end stays at the end */
  g_assert_cmpint (bb_archive_entry_read (entry, buf, chunk, error), ==, 0);
  return g_strdup (bb_archive_entry_get_sha256 (entry));
}

/* Every model file of the good backup except skip reads with its SHA-256. */
static void
assert_good_entries_read (BbArchiveReader *reader,
                          const char      *skip)
{
  GHashTableIter iter;
  gpointer file, sha;
  guint count = 0;

  g_hash_table_iter_init (&iter, good_sha);
  while (g_hash_table_iter_next (&iter, &file, &sha))
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *got = NULL;

      if (g_strcmp0 (file, skip) == 0)
        continue;
      got = read_entry (reader, file, 64 * 1024, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (got, ==, sha);
      count++;
    }
  g_assert_cmpuint (count, >=, 20);
}

typedef struct {
  const char *name;
  const char *data;       /* NULL: a folder */
  gsize       len;        /* 0: strlen (data) */
  gboolean    store;      /* else deflate */
  guint32     unix_mode;  /* 0: libzip's default */
  zip_flags_t name_flags; /* 0: UTF-8 */
} Item;

static void
write_zip (const char *path,
           const Item *items,
           guint       n_items)
{
  int zerr = 0;
  zip_t *zip = zip_open (path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);

  g_assert_nonnull (zip);
  for (guint i = 0; i < n_items; i++)
    {
      const Item *item = &items[i];
      zip_int64_t index;

      if (item->data == NULL)
        index = zip_dir_add (zip, item->name, ZIP_FL_ENC_UTF_8);
      else
        {
          gsize len = item->len ? item->len : strlen (item->data);
          zip_source_t *source = zip_source_buffer (zip, item->data, len, 0);

          g_assert_nonnull (source);
          index = zip_file_add (zip, item->name, source, item->name_flags ? item->name_flags : ZIP_FL_ENC_UTF_8);
          if (index >= 0)
            g_assert_cmpint (zip_set_file_compression (zip, index, item->store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0),
                             ==, 0);
        }
      if (index < 0)
        g_error ("libzip refused %s: %s", item->name, zip_strerror (zip));
      if (item->unix_mode != 0)
        g_assert_cmpint (zip_file_set_external_attributes (zip, index, 0, ZIP_OPSYS_UNIX,
                                                           item->unix_mode << 16), ==, 0);
    }
  if (zip_close (zip) != 0)
    g_error ("zip_close: %s", zip_strerror (zip));
}

#define METADATA_ITEM { "metadata.json", "{\"version\": \"1.0\"}", 0, 0, 0, 0 }
#define FEEDING_ITEM  { "core/feeding.json", "[\n]\n", 0, 0, 0, 0 }

static BbArchiveReader *
open_items (const char *file_name,
            const Item *items,
            guint       n_items)
{
  g_autofree char *path = scratch (file_name);

  write_zip (path, items, n_items);
  return open_reader (path, NULL);
}

static GError *
open_error (const char            *path,
            const BbArchiveLimits *limits)
{
  GError *error = NULL;
  BbArchiveReader *reader = bb_archive_reader_open (path, limits, &error);

  g_assert_null (reader);
  g_assert_nonnull (error);
  g_test_message ("open error: %s", error->message);
  return error;
}

/* --- Format detection -------------------------------------------------------- */

static void
assert_format (const char    *name,
               const char    *data,
               gsize          len,
               BbInputFormat  expected)
{
  g_autofree char *path = scratch (name);
  g_autoptr(GError) error = NULL;
  BbInputFormat format = 99;

  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);
  g_assert_true (bb_archive_detect_format (path, &format, &error));
  g_assert_no_error (error);
  g_assert_cmpint (format, ==, expected);
}

static void
assert_not_format (const char *name,
                   const char *data,
                   gsize       len)
{
  g_autofree char *path = scratch (name);
  g_autoptr(GError) error = NULL;
  BbInputFormat format;

  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);
  g_assert_false (bb_archive_detect_format (path, &format, &error));
  g_assert_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "This file is not a Baby Buddy backup or a Django fixture.");
}

static void
test_detect_format (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = scratch ("does-not-exist");
  BbInputFormat format = 99;

  g_assert_true (bb_archive_detect_format (good_zip, &format, &error));
  g_assert_no_error (error);
  g_assert_cmpint (format, ==, BB_INPUT_FORMAT_ZIP);

  assert_format ("detect-empty.zip", "PK\5\6" "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 22, BB_INPUT_FORMAT_ZIP);
  assert_format ("detect.json.gz", "\x1f\x8b\x08\0\0\0\0\0", 8, BB_INPUT_FORMAT_GZIP);
  assert_format ("detect.json", "[]", 2, BB_INPUT_FORMAT_JSON);
  assert_format ("detect-space.json", " \r\n\t [\n{}]", 10, BB_INPUT_FORMAT_JSON);
  assert_format ("detect-bom.json", "\xef\xbb\xbf\n[]", 6, BB_INPUT_FORMAT_JSON);

  assert_not_format ("detect-empty", "", 0);
  assert_not_format ("detect-space-only", "  \n\n ", 5);
  assert_not_format ("detect-object.json", "{\"a\": 1}", 8);
  assert_not_format ("detect-text.txt", "hello", 5);
  assert_not_format ("detect-pk", "PK", 2);
  assert_not_format ("detect-bom-only", "\xef\xbb\xbf", 3);
  assert_not_format ("detect-bom-object", "\xef\xbb\xbf{}", 5);
  assert_not_format ("detect-exe", "MZ\x90\0PK\3\4", 8);

  g_clear_error (&error);
  g_assert_false (bb_archive_detect_format (missing, &format, &error));
  g_assert_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_READ);
  g_clear_error (&error);
  g_assert_false (bb_archive_detect_format (tmpdir, &format, &error));
  g_assert_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_READ);
}

static void
test_limits_default (void)
{
  BbArchiveLimits limits;

  memset (&limits, 0xff, sizeof limits);
  bb_archive_limits_init_default (&limits);
  g_assert_cmpuint (limits.max_file_size, ==, G_GUINT64_CONSTANT (2) << 30);
  g_assert_cmpuint (limits.max_total_uncompressed, ==, G_GUINT64_CONSTANT (64) << 30);
  g_assert_cmpuint (limits.max_ratio, ==, 300);
  g_assert_cmpuint (limits.max_entries, ==, 100000);
}

/* --- The good backup ------------------------------------------------------ */

static void
test_good_backup (void)
{
  g_autoptr(BbArchiveReader) reader = open_reader (good_zip, NULL);
  g_autoptr(GBytes) metadata = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *root = json_node_get_object (good_metadata);
  JsonArray *models = json_object_get_array_member (root, "models");
  JsonArray *media = json_object_get_array_member (root, "media");
  GPtrArray *entries;
  gsize len;

  g_assert_cmpint (bb_archive_reader_get_layout (reader), ==, BB_ARCHIVE_LAYOUT_BACKUP);
  g_assert_null (bb_archive_reader_get_fixture_name (reader));
  assert_no_problems (reader);

  entries = bb_archive_reader_list_entries (reader);
  g_assert_cmpuint (entries->len, ==, json_array_get_length (models) + json_array_get_length (media) + 1);
  g_assert_cmpstr (g_ptr_array_index (entries, entries->len - 1), ==, "metadata.json");
  g_assert_cmpuint (json_array_get_length (media), ==, 2);

  for (guint i = 0; i < json_array_get_length (models); i++)
    {
      JsonObject *model = json_array_get_object_element (models, i);
      const char *file = json_object_get_string_member (model, "file");

      g_assert_true (bb_archive_reader_has_entry (reader, file));
      g_assert_cmpint (bb_archive_reader_get_entry_size (reader, file), >, 0);
    }
  assert_good_entries_read (reader, NULL);

  /* media: the bytes of the files that were backed up */
  for (guint i = 0; i < json_array_get_length (media); i++)
    {
      JsonObject *item = json_array_get_object_element (media, i);
      const char *file = json_object_get_string_member (item, "file");
      g_autofree char *source = g_build_filename (bb_test_shared_dir (), "babybuddy", file, NULL);
      g_autofree char *source_data = NULL;
      g_autofree char *source_sha = NULL;
      g_autofree char *sha = NULL;
      gsize source_len;

      g_file_get_contents (source, &source_data, &source_len, &error);
      g_assert_no_error (error);
      source_sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guint8 *) source_data, source_len);
      g_assert_cmpint (bb_archive_reader_get_entry_size (reader, file), ==, json_object_get_int_member (item, "size"));
      sha = read_entry (reader, file, 100, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (sha, ==, source_sha);
    }

  metadata = bb_archive_reader_read_small (reader, "metadata.json", 1 << 20, &error);
  g_assert_no_error (error);
  len = g_bytes_get_size (metadata);
  g_assert_cmpint (len, ==, bb_archive_reader_get_entry_size (reader, "metadata.json"));
  g_assert_cmpint (((const char *) g_bytes_get_data (metadata, NULL))[len], ==, '\0');
  g_assert_nonnull (strstr (g_bytes_get_data (metadata, NULL), "\"models\""));

  g_assert_false (bb_archive_reader_has_entry (reader, "core/unicorn.json"));
  g_assert_cmpint (bb_archive_reader_get_entry_size (reader, "core/unicorn.json"), ==, -1);
}

/* Odd chunk sizes and two entries open at once give the same bytes. */
static void
test_chunks (void)
{
  g_autoptr(BbArchiveReader) reader = open_reader (good_zip, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) one = g_byte_array_new ();
  g_autofree char *sha1 = read_entry (reader, "core/child.json", 1, one, &error);
  g_autofree char *sha7 = read_entry (reader, "core/note.json", 7, NULL, &error);
  g_autoptr(BbArchiveEntry) a = bb_archive_reader_open_entry (reader, "core/feeding.json", &error);
  g_autoptr(BbArchiveEntry) b = bb_archive_reader_open_entry (reader, "core/sleep.json", &error);
  guint8 buf[4096];
  gssize na = 1, nb = 1;

  g_assert_no_error (error);
  g_assert_cmpstr (sha1, ==, g_hash_table_lookup (good_sha, "core/child.json"));
  g_assert_cmpstr (sha7, ==, g_hash_table_lookup (good_sha, "core/note.json"));
  g_assert_cmpint (one->data[0], ==, '[');

  while (na > 0 || nb > 0)
    {
      if (na > 0)
        na = bb_archive_entry_read (a, buf, sizeof buf, &error);
      g_assert_no_error (error);
      if (nb > 0)
        nb = bb_archive_entry_read (b, buf, 1000, &error);
      g_assert_no_error (error);
    }
  g_assert_cmpstr (bb_archive_entry_get_sha256 (a), ==, g_hash_table_lookup (good_sha, "core/feeding.json"));
  g_assert_cmpstr (bb_archive_entry_get_sha256 (b), ==, g_hash_table_lookup (good_sha, "core/sleep.json"));
}

static void
test_read_small (void)
{
  g_autoptr(BbArchiveReader) reader = open_reader (good_zip, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = bb_archive_reader_read_small (reader, "metadata.json", 100, &error);
  g_assert_null (bytes);
  g_assert_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "metadata.json"));
  g_clear_error (&error);

  bytes = bb_archive_reader_read_small (reader, "nothing.json", 100, &error);
  g_assert_null (bytes);
  g_assert_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "nothing.json"));
  g_clear_error (&error);

  bytes = bb_archive_reader_read_small (reader, "core/child.json", 1 << 20, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_bytes_get_size (bytes), ==, bb_archive_reader_get_entry_size (reader, "core/child.json"));
}

/* An entry that outlives its reader fails cleanly. */
static void
test_reader_freed_first (void)
{
  BbArchiveReader *reader = open_reader (good_zip, NULL);
  g_autoptr(GError) error = NULL;
  BbArchiveEntry *entry = bb_archive_reader_open_entry (reader, "core/feeding.json", &error);
  guint8 buf[100];

  g_assert_no_error (error);
  g_assert_cmpint (bb_archive_entry_read (entry, buf, sizeof buf, &error), ==, sizeof buf);
  bb_archive_reader_free (reader);
  g_assert_cmpint (bb_archive_entry_read (entry, buf, sizeof buf, &error), ==, -1);
  g_assert_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_READ);
  bb_archive_entry_free (entry);
}

/* --- Whole-file refusals --------------------------------------------------- */

static void
test_file_too_large (void)
{
  BbArchiveLimits limits;
  g_autoptr(GError) error = NULL;

  bb_archive_limits_init_default (&limits);
  limits.max_file_size = 1000 * 1000;
  error = open_error (good_zip, &limits);
  g_assert_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "The file is larger than the 1.0" NBSP "MB limit.");
}

static void
test_not_a_zip (void)
{
  g_autofree char *random_path = scratch ("random.zip");
  g_autofree char *empty = scratch ("empty.zip");
  g_autofree char *missing = scratch ("missing.zip");
  g_autofree guint8 *noise = g_malloc (5000);
  g_autofree char *fifo = scratch ("fifo.zip");
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  BbInputFormat format;
  GError *error;

  for (guint i = 0; i < 5000; i++)
    noise[i] = g_rand_int_range (rand, 0, 256);
  g_file_set_contents (random_path, (char *) noise, 5000, NULL);
  error = open_error (random_path, NULL);
  g_assert_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "not a ZIP archive"));
  g_clear_error (&error);

  g_file_set_contents (empty, "", 0, NULL);
  error = open_error (empty, NULL);
  g_assert_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID);
  g_clear_error (&error);

  error = open_error (missing, NULL);
  g_assert_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_READ);
  g_clear_error (&error);

  error = open_error (tmpdir, NULL);
  g_assert_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_READ);
  g_clear_error (&error);

  /* a FIFO with no writer must not hang the open */
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  error = open_error (fifo, NULL);
  g_assert_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_READ);
  g_assert_cmpstr (error->message, ==, "The chosen item is not a regular file.");
  g_clear_error (&error);
  g_assert_false (bb_archive_detect_format (fifo, &format, &error));
  g_assert_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_READ);
  g_clear_error (&error);
  g_assert_null (bb_fixture_file_open (fifo, BB_INPUT_FORMAT_JSON, NULL, &error));
  g_assert_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_READ);
  g_clear_error (&error);
}

/* An archive with no entries at all opens, and is not a backup. */
static void
test_empty_archive (void)
{
  g_autofree char *path = scratch ("empty-archive.zip");
  g_autoptr(BbArchiveReader) reader = NULL;
  GPtrArray *problems;

  g_file_set_contents (path, "PK\5\6" "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 22, NULL);
  reader = open_reader (path, NULL);
  g_assert_cmpint (bb_archive_reader_get_layout (reader), ==, BB_ARCHIVE_LAYOUT_BACKUP);
  problems = bb_archive_reader_get_problems (reader);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (problems, 0), ==,
                   "The archive has no metadata.json, so it is not a Baby Buddy Backup file.");
  g_assert_cmpuint (bb_archive_reader_list_entries (reader)->len, ==, 0);
}

static void
test_too_many_entries (void)
{
  BbArchiveLimits limits;
  g_autoptr(GError) error = NULL;

  bb_archive_limits_init_default (&limits);
  limits.max_entries = 10;
  error = open_error (good_zip, &limits);
  g_assert_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "The file holds 30 entries, more than the 10 allowed.");
}

/* ZIP_CHECKCONS: local and central headers must agree. */
static void
test_inconsistent_headers (void)
{
  g_autofree char *path = copy_good ("crc-central-only.zip");
  g_autoptr(GError) error = NULL;
  guint64 crc;

  g_assert_true (bb_test_zip_get_field (path, "core/feeding.json", BB_TEST_ZIP_FIELD_CRC, &crc, &error));
  g_assert_true (bb_test_zip_set_field (path, "core/feeding.json", BB_TEST_ZIP_FIELD_CRC, crc ^ 1,
                                        BB_TEST_ZIP_CENTRAL, &error));
  g_assert_no_error (error);
  error = open_error (path, NULL);
  g_assert_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "table of contents"));
}

/* libzip refuses exact duplicates under ZIP_CHECKCONS; the message names them. */
static void
test_duplicate_names (void)
{
  static const Item items[] = {
    METADATA_ITEM,
    { "media/a.jpg", "first", 0, TRUE, 0, 0 },
    { "media/b.jpg", "second", 0, TRUE, 0, 0 },
  };
  g_autofree char *path = scratch ("duplicate.zip");
  g_autoptr(GError) error = NULL;

  write_zip (path, items, G_N_ELEMENTS (items));
  g_assert_true (bb_test_zip_rename (path, "media/b.jpg", "media/a.jpg", &error));
  g_assert_no_error (error);
  error = open_error (path, NULL);
  g_assert_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "The file is damaged: it holds two entries named “media/a.jpg”.");
}

static guint32
crc32_of (const guint8 *data,
          gsize         len)
{
  guint32 crc = 0xffffffffu;

  for (gsize i = 0; i < len; i++)
    {
      crc ^= data[i];
      for (int k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
    }
  return crc ^ 0xffffffffu;
}

static void
put16 (GByteArray *out,
       guint32     v)
{
  guint8 b[2] = { v & 0xff, (v >> 8) & 0xff };

  g_byte_array_append (out, b, 2);
}

static void
put32 (GByteArray *out,
       guint32     v)
{
  guint8 b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >> 24) & 0xff };

  g_byte_array_append (out, b, 4);
}

/* A stored entry's local header (central == FALSE) or central header. */
static void
put_header (GByteArray   *out,
            gboolean      central,
            const char   *name,
            const guint8 *data,
            gsize         len,
            guint32       offset)
{
  put32 (out, central ? 0x02014b50u : 0x04034b50u);
  if (central)
    put16 (out, 0x0314);   /* made by: Unix */
  put16 (out, 20);         /* needed */
  put16 (out, 0);          /* flags */
  put16 (out, 0);          /* stored */
  put16 (out, 0);          /* time */
  put16 (out, 0x21);       /* date */
  put32 (out, crc32_of (data, len));
  put32 (out, len);
  put32 (out, len);
  put16 (out, strlen (name));
  put16 (out, 0);          /* extra */
  if (central)
    {
      put16 (out, 0);      /* comment */
      put16 (out, 0);      /* disk */
      put16 (out, 0);      /* internal attributes */
      put32 (out, (guint32) (S_IFREG | 0644) << 16);
      put32 (out, offset);
    }
  g_byte_array_append (out, (const guint8 *) name, strlen (name));
}

/* The overlapping-file construction of David Fifield's zip bombs: the stored
 * data of "media/a.jpg" is the whole of "media/b.jpg" (local header and
 * data), so both entries' headers agree and each entry alone is fine. */
static void
test_overlapping_entries (void)
{
  g_autofree char *path = scratch ("overlap.zip");
  g_autoptr(GByteArray) inner = g_byte_array_new ();
  g_autoptr(GByteArray) file = g_byte_array_new ();
  g_autofree guint8 *payload = g_malloc (20000);
  g_autoptr(GError) error = NULL;
  guint32 offset_b, cd_offset;

  memset (payload, 'x', 20000);
  put_header (inner, FALSE, "media/b.jpg", payload, 20000, 0);
  g_byte_array_append (inner, payload, 20000);

  put_header (file, FALSE, "media/a.jpg", inner->data, inner->len, 0);
  offset_b = file->len;
  g_byte_array_append (file, inner->data, inner->len);
  cd_offset = file->len;
  put_header (file, TRUE, "media/a.jpg", inner->data, inner->len, 0);
  put_header (file, TRUE, "media/b.jpg", payload, 20000, offset_b);
  put32 (file, 0x06054b50u);
  put16 (file, 0);
  put16 (file, 0);
  put16 (file, 2);
  put16 (file, 2);
  put32 (file, file->len - 12 - cd_offset);
  put32 (file, cd_offset);
  put16 (file, 0);
  g_file_set_contents (path, (char *) file->data, file->len, NULL);

  error = open_error (path, NULL);
  g_assert_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "The file is damaged: its entries overlap each other, which looks like a zip bomb.");
}

/* --- Entry problems -------------------------------------------------------- */

static void
test_unsafe_names (void)
{
  static const char * const names[] = {
    "../evil.json",
    "media/../../evil.jpg",
    "media/./x.jpg",
    "media//x.jpg",
    "media/x/..",
    "media\\x.jpg",
    "C:/evil.json",
    "c:evil.json",
    "/etc/passwd",
    "media/a\001b.jpg",
    "media/a\nb.jpg",
    "media/a\302\205b.jpg",   /* U+0085, a C1 control */
    "./metadata.json",
  };
  g_autofree char *path = scratch ("unsafe-names.zip");
  g_autoptr(GArray) items = g_array_new (FALSE, TRUE, sizeof (Item));
  g_autoptr(BbArchiveReader) reader = NULL;
  g_autofree char *long_part = g_strnfill (300, 'a');
  g_autofree char *long_name = g_strdup_printf ("media/%s.jpg", long_part);
  Item item = METADATA_ITEM;

  g_autoptr(GPtrArray) placeholders = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  g_array_append_val (items, item);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      /* libzip will not write a UTF-8 name with a C0 control other than
       * \t\r\n: write a stand-in and patch the name afterwards */
      char *placeholder = g_strdelimit (g_strdup (names[i]), "\001", '_');
      Item unsafe = { placeholder, "x", 0, 0, 0, 0 };

      g_ptr_array_add (placeholders, placeholder);
      g_array_append_val (items, unsafe);
    }
  item = (Item) { long_name, "x", 0, 0, 0, 0 };
  g_array_append_val (items, item);
  item = (Item) { "media/fine.jpg", "ok", 0, TRUE, 0, 0 };
  g_array_append_val (items, item);

  write_zip (path, (Item *) items->data, items->len);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (strcmp (g_ptr_array_index (placeholders, i), names[i]) != 0)
      g_assert_true (bb_test_zip_rename (path, g_ptr_array_index (placeholders, i), names[i], &error));
  g_assert_no_error (error);
  reader = open_reader (path, NULL);

  g_assert_cmpint (bb_archive_reader_get_layout (reader), ==, BB_ARCHIVE_LAYOUT_BACKUP);
  g_assert_cmpuint (bb_archive_reader_get_problems (reader)->len, ==, G_N_ELEMENTS (names) + 1);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *valid = g_utf8_make_valid (names[i], -1);
      g_autoptr(GString) shown = g_string_new (NULL);

      /* control characters are shown as U+FFFD */
      for (const char *p = valid; *p; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);

          g_string_append_unichar (shown, (c < 0x20 || (c >= 0x7f && c <= 0x9f)) ? 0xfffd : c);
        }
      assert_problem (reader, "has an unsafe name and was not read", shown->str);
      assert_refused (reader, names[i]);
    }
  assert_problem (reader, "media/aaaaaaaa", "…");
  assert_refused (reader, long_name);
  g_assert_true (bb_archive_reader_has_entry (reader, "media/fine.jpg"));
  g_assert_true (bb_archive_reader_has_entry (reader, "metadata.json"));
  g_assert_cmpuint (bb_archive_reader_list_entries (reader)->len, ==, 2);
}

/* A CP437 name that is not UTF-8 is refused (and shown without breaking UTF-8). */
static void
test_invalid_utf8_name (void)
{
  static const Item items[] = {
    METADATA_ITEM,
    { "media/caf\202.jpg", "x", 0, 0, 0, ZIP_FL_ENC_CP437 },
  };
  g_autoptr(BbArchiveReader) reader = open_items ("cp437.zip", items, G_N_ELEMENTS (items));
  GPtrArray *problems = bb_archive_reader_get_problems (reader);

  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_true (g_utf8_validate (g_ptr_array_index (problems, 0), -1, NULL));
  assert_problem (reader, "“media/caf", "has an unsafe name");
  g_assert_cmpuint (bb_archive_reader_list_entries (reader)->len, ==, 1);
}

static void
test_special_files (void)
{
  static const Item items[] = {
    METADATA_ITEM,
    { "media/fifo", "", 0, 0, S_IFIFO | 0644, 0 },
    { "media/device", "", 0, 0, S_IFCHR | 0644, 0 },
    { "media/dir-without-slash", "", 0, 0, S_IFDIR | 0755, 0 },
    { "media/link", "/etc/passwd", 0, TRUE, S_IFLNK | 0777, 0 },
    { "media/plain.jpg", "ok", 0, 0, S_IFREG | 0644, 0 },
  };
  g_autoptr(BbArchiveReader) reader = open_items ("special.zip", items, G_N_ELEMENTS (items));

  assert_problem (reader, "The entry “media/fifo” is not a regular file and was not read.", NULL);
  assert_problem (reader, "The entry “media/device” is not a regular file", NULL);
  assert_problem (reader, "The entry “media/dir-without-slash” is not a regular file", NULL);
  assert_problem (reader, "The entry “media/link” is a symbolic link and was not read.", NULL);
  g_assert_cmpuint (bb_archive_reader_get_problems (reader)->len, ==, 4);
  assert_refused (reader, "media/fifo");
  assert_refused (reader, "media/link");
  g_assert_true (bb_archive_reader_has_entry (reader, "media/plain.jpg"));
}

static void
test_encrypted (void)
{
  g_autofree char *path = scratch ("encrypted.zip");
  g_autoptr(BbArchiveReader) reader = NULL;
  zip_source_t *source;
  zip_int64_t index;
  zip_t *zip;

  zip = zip_open (path, ZIP_CREATE | ZIP_TRUNCATE, NULL);
  source = zip_source_buffer (zip, "{}", 2, 0);
  zip_file_add (zip, "metadata.json", source, 0);
  source = zip_source_buffer (zip, "[\n]\n", 4, 0);
  index = zip_file_add (zip, "core/feeding.json", source, 0);
  if (zip_file_set_encryption (zip, index, ZIP_EM_AES_256, "secret") != 0
      && zip_file_set_encryption (zip, index, ZIP_EM_TRAD_PKWARE, "secret") != 0)
    {
      zip_discard (zip);
      g_test_skip ("this libzip cannot encrypt");
      return;
    }
  g_assert_cmpint (zip_close (zip), ==, 0);

  reader = open_reader (path, NULL);
  assert_problem (reader, "The entry “core/feeding.json” is encrypted and was not read.", NULL);
  assert_refused (reader, "core/feeding.json");
}

static void
test_unsupported_compression (void)
{
  static const Item items[] = {
    METADATA_ITEM,
    FEEDING_ITEM,
  };
  g_autofree char *path = scratch ("bzip2.zip");
  g_autoptr(BbArchiveReader) reader = NULL;
  g_autoptr(GError) error = NULL;

  write_zip (path, items, G_N_ELEMENTS (items));
  g_assert_true (bb_test_zip_set_field (path, "core/feeding.json", BB_TEST_ZIP_FIELD_METHOD,
                                        ZIP_CM_BZIP2, BB_TEST_ZIP_BOTH, &error));
  reader = open_reader (path, NULL);
  assert_problem (reader, "The entry “core/feeding.json” uses a compression method that cannot be read", NULL);
  assert_refused (reader, "core/feeding.json");
}

static void
test_case_duplicates (void)
{
  static const Item items[] = {
    METADATA_ITEM,
    { "media/photo.jpg", "one", 0, TRUE, 0, 0 },
    { "media/Photo.JPG", "two", 0, TRUE, 0, 0 },
    { "media/caf\303\251.jpg", "nfc", 0, TRUE, 0, 0 },
    { "media/cafe\314\201.jpg", "nfd", 0, TRUE, 0, 0 },
    { "media/other.jpg", "fine", 0, TRUE, 0, 0 },
  };
  g_autoptr(BbArchiveReader) reader = open_items ("case.zip", items, G_N_ELEMENTS (items));

  assert_problem (reader,
                  "The entries “media/photo.jpg” and “media/Photo.JPG” would be the same file on Windows or macOS, so neither was read.",
                  NULL);
  assert_problem (reader, "“media/caf\303\251.jpg”", "“media/cafe\314\201.jpg”");
  g_assert_cmpuint (bb_archive_reader_get_problems (reader)->len, ==, 2);
  assert_refused (reader, "media/photo.jpg");
  assert_refused (reader, "media/Photo.JPG");
  assert_refused (reader, "media/caf\303\251.jpg");
  g_assert_true (bb_archive_reader_has_entry (reader, "media/other.jpg"));
}

/* Real deflate data with a ratio of ~1000. */
static void
test_ratio (void)
{
  gsize len = 8 << 20;
  g_autofree char *zeros = g_malloc0 (len);
  Item items[] = {
    METADATA_ITEM,
    { "core/zeros.json", zeros, len, 0, 0, 0 },
    { "core/small.json", zeros, 1 << 20, 0, 0, 0 },   /* not over 1 MiB: not judged */
  };
  g_autofree char *path = scratch ("ratio.zip");
  g_autoptr(BbArchiveReader) reader = NULL;
  g_autoptr(BbArchiveReader) lenient = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *expected = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guint8 *) zeros, len);
  BbArchiveLimits limits;

  write_zip (path, items, G_N_ELEMENTS (items));
  reader = open_reader (path, NULL);
  assert_problem (reader, "“core/zeros.json” would expand to 8.4" NBSP "MB from", "which looks like a zip bomb.");
  g_assert_cmpuint (bb_archive_reader_get_problems (reader)->len, ==, 1);
  assert_refused (reader, "core/zeros.json");
  g_assert_true (bb_archive_reader_has_entry (reader, "core/small.json"));

  bb_archive_limits_init_default (&limits);
  limits.max_ratio = 5000;
  lenient = open_reader (path, &limits);
  assert_no_problems (lenient);
  sha = read_entry (lenient, "core/zeros.json", 65536, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sha, ==, expected);
}

static void
test_total_limit (void)
{
  BbArchiveLimits limits;
  g_autoptr(BbArchiveReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sha = NULL;

  bb_archive_limits_init_default (&limits);
  limits.max_total_uncompressed = 1000 * 1000;
  reader = open_reader (good_zip, &limits);
  assert_problem (reader, "The archive would expand to ", ", more than the 1.0" NBSP "MB limit.");

  /* and reading stops there too, whatever the caller does with the problems */
  sha = read_entry (reader, "core/tagged.json", 65536, NULL, &error);
  g_assert_null (sha);
  g_assert_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "The archive expands to more than the 1.0" NBSP "MB limit.");
}

static void
test_unexpected_entries (void)
{
  static const char * const unexpected[] = {
    "notes.txt", "core/sub/x.json", "Core/y.json", "core/X.json", "core/x.txt", "core/x.json.gz",
    "core/.json", "core.json", "media", "core-feeding.json", "core/x-y.json", "metadata.json.bak",
  };
  g_autoptr(GArray) items = g_array_new (FALSE, TRUE, sizeof (Item));
  g_autoptr(BbArchiveReader) reader = NULL;
  Item item = METADATA_ITEM;

  g_array_append_val (items, item);
  for (guint i = 0; i < G_N_ELEMENTS (unexpected); i++)
    {
      item = (Item) { unexpected[i], "x", 0, 0, 0, 0 };
      g_array_append_val (items, item);
    }
  item = (Item) FEEDING_ITEM;
  g_array_append_val (items, item);
  item = (Item) { "auth_app/user_profile2.json", "[]", 0, 0, 0, 0 };
  g_array_append_val (items, item);
  item = (Item) { "media/child/picture/x.jpg", "jpg", 0, TRUE, 0, 0 };
  g_array_append_val (items, item);

  reader = open_items ("unexpected.zip", (Item *) items->data, items->len);
  g_assert_cmpuint (bb_archive_reader_get_problems (reader)->len, ==, G_N_ELEMENTS (unexpected));
  for (guint i = 0; i < G_N_ELEMENTS (unexpected); i++)
    {
      g_autofree char *sentence = g_strdup_printf ("The entry “%s” does not belong in a Baby Buddy backup and was not read.",
                                                   unexpected[i]);

      assert_problem (reader, sentence, NULL);
      assert_refused (reader, unexpected[i]);
    }
  g_assert_cmpuint (bb_archive_reader_list_entries (reader)->len, ==, 4);
  g_assert_true (bb_archive_reader_has_entry (reader, "auth_app/user_profile2.json"));
}

static void
test_folders (void)
{
  static const Item items[] = {
    { "core/", NULL, 0, 0, 0, 0 },
    FEEDING_ITEM,
    { "media/", NULL, 0, 0, 0, 0 },
    { "media/child/", NULL, 0, 0, 0, 0 },
    { "media/child/x.jpg", "jpg", 0, TRUE, 0, 0 },
    METADATA_ITEM,
  };
  g_autoptr(BbArchiveReader) reader = open_items ("folders.zip", items, G_N_ELEMENTS (items));
  GPtrArray *entries = bb_archive_reader_list_entries (reader);

  assert_no_problems (reader);
  g_assert_cmpuint (entries->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (entries, 0), ==, "core/feeding.json");
  g_assert_cmpstr (g_ptr_array_index (entries, 1), ==, "media/child/x.jpg");
  g_assert_cmpstr (g_ptr_array_index (entries, 2), ==, "metadata.json");
  g_assert_false (bb_archive_reader_has_entry (reader, "core/"));
}

static void
test_problem_cap (void)
{
  g_autoptr(GArray) items = g_array_new (FALSE, TRUE, sizeof (Item));
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(BbArchiveReader) reader = NULL;
  GPtrArray *problems;
  Item item = METADATA_ITEM;

  g_array_append_val (items, item);
  for (guint i = 0; i < 200; i++)
    {
      char *name = g_strdup_printf ("../evil%03u", i);

      g_ptr_array_add (names, name);
      item = (Item) { name, "x", 0, 0, 0, 0 };
      g_array_append_val (items, item);
    }
  reader = open_items ("many-problems.zip", (Item *) items->data, items->len);
  problems = bb_archive_reader_get_problems (reader);
  g_assert_cmpuint (problems->len, ==, 51);
  g_assert_nonnull (strstr (g_ptr_array_index (problems, 0), "../evil000"));
  g_assert_cmpstr (g_ptr_array_index (problems, 50), ==, "…and 150 more problems.");
}

/* --- Layout ------------------------------------------------------------------ */

static void
test_fixture_zip (void)
{
  static const char fixture[] = "[\n{\"model\": \"core.child\", \"pk\": 1, \"fields\": {}}\n]\n";
  static const Item one[] = {
    { "export/", NULL, 0, 0, 0, 0 },
    { "export/data.json", fixture, 0, 0, 0, 0 },
  };
  static const Item two[] = {
    { "a.json", "[]", 0, 0, 0, 0 },
    { "b.json", "[]", 0, 0, 0, 0 },
  };
  static const Item json_and_text[] = {
    { "data.json", "[]", 0, 0, 0, 0 },
    { "readme.txt", "hi", 0, 0, 0, 0 },
  };
  static const Item text_only[] = {
    { "data.txt", "[]", 0, 0, 0, 0 },
  };
  static const Item json_and_unsafe[] = {
    { "data.json", "[]", 0, 0, 0, 0 },
    { "../evil", "x", 0, 0, 0, 0 },
  };
  g_autoptr(BbArchiveReader) reader = open_items ("fixture.zip", one, G_N_ELEMENTS (one));
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *sha = NULL;
  const char *no_metadata = "The archive has no metadata.json, so it is not a Baby Buddy Backup file.";

  g_assert_cmpint (bb_archive_reader_get_layout (reader), ==, BB_ARCHIVE_LAYOUT_FIXTURE);
  g_assert_cmpstr (bb_archive_reader_get_fixture_name (reader), ==, "export/data.json");
  assert_no_problems (reader);
  sha = read_entry (reader, "export/data.json", 10, out, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (out->data, out->len, fixture, strlen (fixture));
  g_clear_pointer (&reader, bb_archive_reader_free);

  reader = open_items ("fixture-two.zip", two, G_N_ELEMENTS (two));
  g_assert_cmpint (bb_archive_reader_get_layout (reader), ==, BB_ARCHIVE_LAYOUT_BACKUP);
  g_assert_null (bb_archive_reader_get_fixture_name (reader));
  g_assert_cmpstr (g_ptr_array_index (bb_archive_reader_get_problems (reader), 0), ==, no_metadata);
  g_clear_pointer (&reader, bb_archive_reader_free);

  reader = open_items ("fixture-text.zip", json_and_text, G_N_ELEMENTS (json_and_text));
  g_assert_cmpint (bb_archive_reader_get_layout (reader), ==, BB_ARCHIVE_LAYOUT_BACKUP);
  g_assert_cmpstr (g_ptr_array_index (bb_archive_reader_get_problems (reader), 0), ==, no_metadata);
  g_clear_pointer (&reader, bb_archive_reader_free);

  reader = open_items ("fixture-txt.zip", text_only, G_N_ELEMENTS (text_only));
  g_assert_cmpint (bb_archive_reader_get_layout (reader), ==, BB_ARCHIVE_LAYOUT_BACKUP);
  g_assert_cmpuint (bb_archive_reader_get_problems (reader)->len, ==, 1);
  g_clear_pointer (&reader, bb_archive_reader_free);

  /* the unsafe entry is "something else": not a fixture, and both problems are listed */
  reader = open_items ("fixture-unsafe.zip", json_and_unsafe, G_N_ELEMENTS (json_and_unsafe));
  g_assert_cmpint (bb_archive_reader_get_layout (reader), ==, BB_ARCHIVE_LAYOUT_BACKUP);
  g_assert_cmpstr (g_ptr_array_index (bb_archive_reader_get_problems (reader), 0), ==, no_metadata);
  assert_problem (reader, "“../evil” has an unsafe name", NULL);
}

/* --- Damaged data ------------------------------------------------------------- */

static void
assert_read_fails (BbArchiveReader *reader,
                   const char      *name,
                   const char      *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbArchiveEntry) entry = bb_archive_reader_open_entry (reader, name, &error);
  guint8 buf[65536];
  gssize n;

  g_assert_no_error (error);
  while ((n = bb_archive_entry_read (entry, buf, sizeof buf, &error)) > 0)
    ;
  g_assert_cmpint (n, ==, -1);
  g_assert_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID);
  g_test_message ("read error: %s", error->message);
  if (message != NULL)
    g_assert_cmpstr (error->message, ==, message);
  g_assert_nonnull (strstr (error->message, name));

  /* the failure sticks */
  g_clear_error (&error);
  g_assert_cmpint (bb_archive_entry_read (entry, buf, sizeof buf, &error), ==, -1);
  g_assert_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID);
}

/* Size fields that lie, in both headers (so ZIP_CHECKCONS is satisfied). */
static void
test_size_mismatch (void)
{
  static const struct {
    const char *entry;
    gint64      delta;
    const char *message;
  } cases[] = {
    { "media/child/picture/oracle-child.jpg", -76, "“media/child/picture/oracle-child.jpg” is damaged (it holds more data than it declares)." },
    { "media/child/picture/oracle-child.jpg", +10, NULL },
    { "core/feeding.json", -10, "“core/feeding.json” is damaged (it holds more data than it declares)." },
    { "core/feeding.json", +10, "“core/feeding.json” is damaged (it holds less data than it declares)." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("size-%u.zip", i);
      g_autofree char *path = copy_good (name);
      g_autoptr(GError) error = NULL;
      g_autoptr(BbArchiveReader) reader = NULL;
      guint64 size;

      g_assert_true (bb_test_zip_get_field (path, cases[i].entry, BB_TEST_ZIP_FIELD_SIZE, &size, &error));
      g_assert_true (bb_test_zip_set_field (path, cases[i].entry, BB_TEST_ZIP_FIELD_SIZE, size + cases[i].delta,
                                            BB_TEST_ZIP_BOTH, &error));
      g_assert_no_error (error);
      reader = open_reader (path, NULL);
      assert_no_problems (reader);
      g_assert_cmpint (bb_archive_reader_get_entry_size (reader, cases[i].entry), ==, size + cases[i].delta);
      assert_read_fails (reader, cases[i].entry, cases[i].message);
      if (i == 3)
        assert_good_entries_read (reader, cases[i].entry);
    }
}

/* --- Fixture files ----------------------------------------------------------- */

static GBytes *
gzip_bytes (const void *data,
            gsize       len)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) out = g_converter_output_stream_new (memory, G_CONVERTER (compressor));
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (out, data, len, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

static void
write_bytes (const char *path,
             GBytes     *bytes,
             gsize       len)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), len, &error);
  g_assert_no_error (error);
}

/* Reads a fixture file in chunks; returns the bytes, or NULL with error. */
static GBytes *
read_fixture (const char            *path,
              BbInputFormat          format,
              const BbArchiveLimits *limits,
              gsize                  chunk,
              GError               **error)
{
  g_autoptr(BbFixtureFile) file = bb_fixture_file_open (path, format, limits, error);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autofree guint8 *buf = g_malloc (chunk);
  gssize n;

  if (file == NULL)
    return NULL;
  while ((n = bb_fixture_file_read (file, buf, chunk, error)) > 0)
    g_byte_array_append (out, buf, n);
  if (n < 0)
    {
      /* the failure sticks */
      g_assert_cmpint (bb_fixture_file_read (file, buf, chunk, NULL), ==, -1);
      return NULL;
    }
  g_assert_cmpuint (bb_fixture_file_get_bytes_read (file), ==, out->len);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static GBytes *
good_feeding (void)
{
  g_autoptr(BbArchiveReader) reader = open_reader (good_zip, NULL);
  g_autoptr(GError) error = NULL;
  GBytes *bytes = bb_archive_reader_read_small (reader, "core/feeding.json", 64 << 20, &error);

  g_assert_no_error (error);
  return bytes;
}

static void
test_fixture_plain (void)
{
  g_autoptr(GBytes) feeding = good_feeding ();
  g_autofree char *path = scratch ("feeding.json");
  g_autoptr(GBytes) got = NULL;
  g_autoptr(GError) error = NULL;
  BbArchiveLimits limits;
  BbInputFormat format;

  write_bytes (path, feeding, g_bytes_get_size (feeding));
  g_assert_true (bb_archive_detect_format (path, &format, &error));
  g_assert_cmpint (format, ==, BB_INPUT_FORMAT_JSON);
  got = read_fixture (path, format, NULL, 100000, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (got, feeding));

  bb_archive_limits_init_default (&limits);
  limits.max_file_size = 1000;
  g_assert_null (bb_fixture_file_open (path, BB_INPUT_FORMAT_JSON, &limits, &error));
  g_assert_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "The file is larger than the 1.0" NBSP "kB limit.");
  g_clear_error (&error);

  g_assert_null (bb_fixture_file_open (tmpdir, BB_INPUT_FORMAT_JSON, NULL, &error));
  g_assert_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_READ);
}

static void
test_fixture_gzip (void)
{
  g_autoptr(GBytes) feeding = good_feeding ();
  g_autoptr(GBytes) gz = gzip_bytes (g_bytes_get_data (feeding, NULL), g_bytes_get_size (feeding));
  g_autofree char *path = scratch ("feeding.json.gz");
  g_autoptr(GError) error = NULL;
  BbInputFormat format;

  write_bytes (path, gz, g_bytes_get_size (gz));
  g_assert_true (bb_archive_detect_format (path, &format, &error));
  g_assert_cmpint (format, ==, BB_INPUT_FORMAT_GZIP);

  /* several chunk sizes, down to one byte at a time */
  for (gsize chunk = 1; chunk <= 1 << 20; chunk *= 64)
    {
      g_autoptr(GBytes) got = NULL;

      if (chunk == 1)
        {
          /* one byte at a time over 2 MB is slow under ASan: a small stream will do */
          static const char small[] = "[\n{\"model\": \"core.child\", \"pk\": 1, \"fields\": {}}\n]\n";
          g_autoptr(GBytes) small_gz = gzip_bytes (small, strlen (small));
          g_autofree char *small_path = scratch ("small.json.gz");

          write_bytes (small_path, small_gz, g_bytes_get_size (small_gz));
          got = read_fixture (small_path, BB_INPUT_FORMAT_GZIP, NULL, 1, &error);
          g_assert_no_error (error);
          g_assert_cmpmem (g_bytes_get_data (got, NULL), g_bytes_get_size (got), small, strlen (small));
          continue;
        }
      got = read_fixture (path, BB_INPUT_FORMAT_GZIP, NULL, chunk, &error);
      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (got, feeding));
    }
}

static void
test_fixture_gzip_damaged (void)
{
  g_autoptr(GBytes) feeding = good_feeding ();
  g_autoptr(GBytes) gz = gzip_bytes (g_bytes_get_data (feeding, NULL), g_bytes_get_size (feeding));
  gsize gz_len = g_bytes_get_size (gz);
  g_autofree char *path = scratch ("damaged.json.gz");
  g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (gz, NULL), gz_len);
  const char *incomplete = "The compressed file is incomplete (it may have been cut off while it was copied).";
  const char *damaged = "The compressed file is damaged (its data or checksum is wrong).";
  g_autoptr(GBytes) got = NULL;
  g_autoptr(GError) error = NULL;

  /* cut in half, and cut just before the trailer's last bytes */
  write_bytes (path, gz, gz_len / 2);
  got = read_fixture (path, BB_INPUT_FORMAT_GZIP, NULL, 65536, &error);
  g_assert_null (got);
  g_assert_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, incomplete);
  g_clear_error (&error);

  write_bytes (path, gz, gz_len - 3);
  got = read_fixture (path, BB_INPUT_FORMAT_GZIP, NULL, 65536, &error);
  g_assert_null (got);
  g_assert_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, incomplete);
  g_clear_error (&error);

  /* the trailer's CRC-32 */
  copy[gz_len - 8] ^= 0x01;
  g_file_set_contents (path, (char *) copy, gz_len, NULL);
  got = read_fixture (path, BB_INPUT_FORMAT_GZIP, NULL, 65536, &error);
  g_assert_null (got);
  g_assert_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, damaged);
  g_clear_error (&error);

  /* the trailer's size */
  copy[gz_len - 8] ^= 0x01;
  copy[gz_len - 4] ^= 0x01;
  g_file_set_contents (path, (char *) copy, gz_len, NULL);
  got = read_fixture (path, BB_INPUT_FORMAT_GZIP, NULL, 65536, &error);
  g_assert_null (got);
  g_assert_cmpstr (error->message, ==, damaged);
  g_clear_error (&error);

  /* deflate data */
  copy[gz_len - 4] ^= 0x01;
  for (gsize i = gz_len / 2; i < gz_len / 2 + 16; i++)
    copy[i] ^= 0xff;
  g_file_set_contents (path, (char *) copy, gz_len, NULL);
  got = read_fixture (path, BB_INPUT_FORMAT_GZIP, NULL, 65536, &error);
  g_assert_null (got);
  g_assert_cmpstr (error->message, ==, damaged);
  g_clear_error (&error);

  /* not gzip at all */
  g_file_set_contents (path, "\x1f\x8b not really", -1, NULL);
  got = read_fixture (path, BB_INPUT_FORMAT_GZIP, NULL, 65536, &error);
  g_assert_null (got);
  g_assert_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID);
}

static void
test_fixture_gzip_members (void)
{
  g_autoptr(GBytes) a = gzip_bytes ("[\n{\"pk\": 1},\n", 13);
  g_autoptr(GBytes) b = gzip_bytes ("{\"pk\": 2}\n]\n", 12);
  g_autofree char *path = scratch ("members.json.gz");
  g_autoptr(GByteArray) both = g_byte_array_new ();
  g_autoptr(GBytes) got = NULL;
  g_autoptr(GError) error = NULL;

  g_byte_array_append (both, g_bytes_get_data (a, NULL), g_bytes_get_size (a));
  g_byte_array_append (both, g_bytes_get_data (b, NULL), g_bytes_get_size (b));
  g_file_set_contents (path, (char *) both->data, both->len, NULL);
  got = read_fixture (path, BB_INPUT_FORMAT_GZIP, NULL, 65536, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (got, NULL), g_bytes_get_size (got), "[\n{\"pk\": 1},\n{\"pk\": 2}\n]\n", 25);
  g_clear_pointer (&got, g_bytes_unref);

  g_byte_array_append (both, (guint8 *) "garbage", 7);
  g_file_set_contents (path, (char *) both->data, both->len, NULL);
  got = read_fixture (path, BB_INPUT_FORMAT_GZIP, NULL, 65536, &error);
  g_assert_null (got);
  g_assert_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID);
}

static void
test_fixture_gzip_bomb (void)
{
  gsize len = 8 << 20;
  g_autofree char *spaces = g_malloc (len);
  g_autoptr(GBytes) gz = NULL;
  g_autoptr(GBytes) got = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = scratch ("bomb.json.gz");
  BbArchiveLimits limits;

  memset (spaces, ' ', len);
  spaces[0] = '[';
  spaces[len - 1] = ']';
  gz = gzip_bytes (spaces, len);
  write_bytes (path, gz, g_bytes_get_size (gz));

  got = read_fixture (path, BB_INPUT_FORMAT_GZIP, NULL, 65536, &error);
  g_assert_null (got);
  g_assert_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "which looks like a zip bomb"));
  g_clear_error (&error);

  bb_archive_limits_init_default (&limits);
  limits.max_ratio = 100000;
  limits.max_total_uncompressed = 1000 * 1000;
  got = read_fixture (path, BB_INPUT_FORMAT_GZIP, &limits, 65536, &error);
  g_assert_null (got);
  g_assert_cmpstr (error->message, ==, "The compressed file expands to more than the 1.0" NBSP "MB limit.");
  g_clear_error (&error);

  limits.max_total_uncompressed = len;
  got = read_fixture (path, BB_INPUT_FORMAT_GZIP, &limits, 65536, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (got), ==, len);
}

/* --- The corpus ------------------------------------------------------------- */

static char *
make_corpus (BbTestCorpusKind kind)
{
  g_autofree char *name = g_strdup_printf ("corpus-%s.zip", bb_test_corpus_name (kind));
  char *path = scratch (name);
  g_autoptr(GError) error = NULL;

  g_assert_true (bb_test_corpus_make (kind, good_zip, path, &error));
  g_assert_no_error (error);
  return path;
}

static void
test_corpus_names (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (BbTestCorpusKind kind = 0; kind < BB_TEST_CORPUS_N_KINDS; kind++)
    {
      const char *name = bb_test_corpus_name (kind);

      g_assert_nonnull (name);
      g_assert_true (g_hash_table_add (seen, (gpointer) name));
      g_assert_true (strspn (name, "abcdefghijklmnopqrstuvwxyz-") == strlen (name));
    }
}

static void
test_corpus_deterministic (void)
{
  for (BbTestCorpusKind kind = 0; kind < BB_TEST_CORPUS_N_KINDS; kind++)
    {
      g_autofree char *first = make_corpus (kind);
      g_autofree char *second = scratch ("corpus-again.zip");
      g_autofree char *a = NULL;
      g_autofree char *b = NULL;
      gsize a_len, b_len;
      g_autoptr(GError) error = NULL;

      g_assert_true (bb_test_corpus_make (kind, good_zip, second, &error));
      g_file_get_contents (first, &a, &a_len, NULL);
      g_file_get_contents (second, &b, &b_len, NULL);
      g_assert_cmpmem (a, a_len, b, b_len);
      g_unlink (second);
    }
}

static void
test_corpus_truncated (void)
{
  g_autofree char *path = make_corpus (BB_TEST_CORPUS_TRUNCATED);
  g_autoptr(GError) error = open_error (path, NULL);
  BbInputFormat format;

  g_assert_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "The file is not a ZIP archive, or it is incomplete (it may have been cut off while it was copied).");
  /* still recognised as a ZIP by its first bytes */
  g_clear_error (&error);
  g_assert_true (bb_archive_detect_format (path, &format, &error));
  g_assert_cmpint (format, ==, BB_INPUT_FORMAT_ZIP);
}

static void
test_corpus_flipped_bytes (void)
{
  g_autofree char *path = make_corpus (BB_TEST_CORPUS_FLIPPED_BYTES);
  g_autoptr(BbArchiveReader) reader = open_reader (path, NULL);

  assert_no_problems (reader);
  assert_read_fails (reader, "core/feeding.json", NULL);
  assert_good_entries_read (reader, "core/feeding.json");
}

/* The flipped CRC proves that libzip 1.7 checks the CRC at the end of zip_fread. */
static void
test_corpus_bad_crc (void)
{
  g_autofree char *path = make_corpus (BB_TEST_CORPUS_BAD_CRC);
  g_autoptr(BbArchiveReader) reader = open_reader (path, NULL);
  g_autoptr(GError) error = NULL;
  guint64 good_crc, bad_crc;

  g_assert_true (bb_test_zip_get_field (good_zip, "core/feeding.json", BB_TEST_ZIP_FIELD_CRC, &good_crc, &error));
  g_assert_true (bb_test_zip_get_field (path, "core/feeding.json", BB_TEST_ZIP_FIELD_CRC, &bad_crc, &error));
  g_assert_cmpuint (good_crc ^ bad_crc, ==, 0xffffffffu);

  assert_no_problems (reader);
  assert_read_fails (reader, "core/feeding.json", "“core/feeding.json” is damaged (its checksum does not match).");
  assert_good_entries_read (reader, "core/feeding.json");

  /* the same for read_small, and for a stored entry */
  g_clear_pointer (&reader, bb_archive_reader_free);
  g_assert_true (bb_test_zip_set_field (path, "media/notes/images/oracle-note.png", BB_TEST_ZIP_FIELD_CRC, 0,
                                        BB_TEST_ZIP_BOTH, &error));
  reader = open_reader (path, NULL);
  g_assert_null (bb_archive_reader_read_small (reader, "core/feeding.json", 64 << 20, &error));
  g_assert_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "“core/feeding.json” is damaged (its checksum does not match).");
  assert_read_fails (reader, "media/notes/images/oracle-note.png",
                     "“media/notes/images/oracle-note.png” is damaged (its checksum does not match).");
}

static void
test_corpus_refused_entry (gconstpointer data)
{
  BbTestCorpusKind kind = GPOINTER_TO_UINT (data);
  g_autofree char *path = make_corpus (kind);
  g_autoptr(BbArchiveReader) reader = open_reader (path, NULL);
  GPtrArray *entries = bb_archive_reader_list_entries (reader);
  const char *name = NULL, *sentence = NULL;

  switch (kind)
    {
    case BB_TEST_CORPUS_PATH_TRAVERSAL:
      name = "../../evil.txt";
      sentence = "The entry “../../evil.txt” has an unsafe name and was not read.";
      break;
    case BB_TEST_CORPUS_ABSOLUTE_PATH:
      name = "/tmp/evil.txt";
      sentence = "The entry “/tmp/evil.txt” has an unsafe name and was not read.";
      break;
    case BB_TEST_CORPUS_SYMLINK:
      name = "media/link";
      sentence = "The entry “media/link” is a symbolic link and was not read.";
      break;
    case BB_TEST_CORPUS_ZIP_BOMB:
      name = "core/bomb.json";
      sentence = "“core/bomb.json” would expand to 4.0" NBSP "GB from";
      break;
    default:
      g_assert_not_reached ();
    }

  g_assert_cmpint (bb_archive_reader_get_layout (reader), ==, BB_ARCHIVE_LAYOUT_BACKUP);
  g_assert_cmpuint (bb_archive_reader_get_problems (reader)->len, ==, 1);
  assert_problem (reader, sentence, NULL);
  assert_refused (reader, name);
  /* metadata.json is still the last entry, and everything else is intact */
  g_assert_cmpstr (g_ptr_array_index (entries, entries->len - 1), ==, "metadata.json");
  assert_good_entries_read (reader, NULL);
}

static void
test_corpus_no_metadata (void)
{
  g_autofree char *path = make_corpus (BB_TEST_CORPUS_NO_METADATA);
  g_autoptr(BbArchiveReader) reader = open_reader (path, NULL);
  GPtrArray *problems = bb_archive_reader_get_problems (reader);

  g_assert_cmpint (bb_archive_reader_get_layout (reader), ==, BB_ARCHIVE_LAYOUT_BACKUP);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (problems, 0), ==,
                   "The archive has no metadata.json, so it is not a Baby Buddy Backup file.");
  g_assert_false (bb_archive_reader_has_entry (reader, "metadata.json"));
  assert_good_entries_read (reader, NULL);
}

/* The record lines of a model file ("[", records, "]"); not g_strsplit(),
 * which is quadratic under AddressSanitizer. */
static GPtrArray *
record_lines (const char *text)
{
  GPtrArray *records = g_ptr_array_new_with_free_func (g_free);
  const char *p, *end = text + strlen (text);

  if (strcmp (text, "[]\n") == 0)
    return records;
  g_assert_true (g_str_has_prefix (text, "[\n"));
  g_assert_true (g_str_has_suffix (text, "\n]\n"));
  for (p = text + 2; p < end - 2; )
    {
      const char *nl = memchr (p, '\n', end - p);

      g_ptr_array_add (records, g_strndup (p, nl - p));
      p = nl + 1;
    }
  return records;
}

/* The content kinds: a clean ZIP whose metadata matches its files, with
 * exactly the one intended change. */
static void
test_corpus_content (gconstpointer data)
{
  BbTestCorpusKind kind = GPOINTER_TO_UINT (data);
  g_autofree char *path = make_corpus (kind);
  g_autoptr(BbArchiveReader) reader = open_reader (path, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) metadata_text = NULL;
  g_autoptr(JsonNode) metadata = NULL;
  g_autoptr(GHashTable) texts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  JsonObject *root, *good_root = json_node_get_object (good_metadata);
  JsonArray *models;
  GPtrArray *entries = bb_archive_reader_list_entries (reader);
  gint64 total = 0;
  guint changed = 0;
  const char *changed_file = NULL;

  assert_no_problems (reader);
  g_assert_cmpint (bb_archive_reader_get_layout (reader), ==, BB_ARCHIVE_LAYOUT_BACKUP);
  g_assert_cmpstr (g_ptr_array_index (entries, entries->len - 1), ==, "metadata.json");

  metadata_text = bb_archive_reader_read_small (reader, "metadata.json", 1 << 20, &error);
  g_assert_no_error (error);
  metadata = parse_json (g_bytes_get_data (metadata_text, NULL), -1);
  root = json_node_get_object (metadata);
  models = json_object_get_array_member (root, "models");

  for (guint i = 0; i < json_array_get_length (models); i++)
    {
      JsonObject *model = json_array_get_object_element (models, i);
      const char *file = json_object_get_string_member (model, "file");
      g_autoptr(GByteArray) out = g_byte_array_new ();
      g_autofree char *sha = read_entry (reader, file, 65536, out, &error);
      g_autoptr(GPtrArray) lines = NULL;

      g_assert_no_error (error);
      g_assert_cmpstr (sha, ==, json_object_get_string_member (model, "sha256"));
      g_byte_array_append (out, (guint8 *) "", 1);
      lines = record_lines ((char *) out->data);
      g_assert_cmpint (lines->len, ==, json_object_get_int_member (model, "records"));
      total += json_object_get_int_member (model, "records");
      if (g_strcmp0 (g_hash_table_lookup (good_sha, file), sha) != 0)
        {
          changed++;
          changed_file = file;
        }
      g_hash_table_insert (texts, (gpointer) file, g_strdup ((char *) out->data));
    }
  g_assert_cmpint (total, ==, json_object_get_int_member (root, "total_records"));
  g_assert_cmpint (json_object_get_int_member (root, "models_count"), ==, json_array_get_length (models));

  switch (kind)
    {
    case BB_TEST_CORPUS_UNKNOWN_VERSION:
      g_assert_cmpuint (changed, ==, 0);
      g_assert_cmpstr (json_object_get_string_member (root, "version"), ==, "2.0");
      break;

    case BB_TEST_CORPUS_BAD_JSON_LAST_RECORD:
      {
        const char *last = json_object_get_string_member (json_array_get_object_element (models, json_array_get_length (models) - 1), "file");
        g_autoptr(JsonParser) parser = json_parser_new ();
        g_autoptr(GPtrArray) lines = record_lines (g_hash_table_lookup (texts, last));

        g_assert_cmpuint (changed, ==, 1);
        g_assert_cmpstr (changed_file, ==, last);
        g_assert_false (json_parser_load_from_data (parser, g_hash_table_lookup (texts, last), -1, NULL));
        /* every record but the last is fine */
        for (guint i = 0; i + 1 < lines->len; i++)
          {
            g_autofree char *record = g_strndup (g_ptr_array_index (lines, i), strlen (g_ptr_array_index (lines, i)) - 1);

            g_assert_true (json_parser_load_from_data (parser, record, -1, NULL));
          }
        g_assert_false (json_parser_load_from_data (parser, g_ptr_array_index (lines, lines->len - 1), -1, NULL));
      }
      break;

    case BB_TEST_CORPUS_UNKNOWN_MODEL:
      {
        JsonObject *unicorn = json_array_get_object_element (models, json_array_get_length (models) - 1);

        g_assert_cmpuint (changed, ==, 1);
        g_assert_cmpstr (changed_file, ==, "core/unicorn.json");
        g_assert_cmpstr (json_object_get_string_member (unicorn, "model"), ==, "core.unicorn");
        g_assert_cmpstr (g_hash_table_lookup (texts, "core/unicorn.json"), ==,
                         "[\n{\"model\": \"core.unicorn\", \"pk\": 1, \"fields\": {\"horn\": 1}}\n]\n");
        g_assert_cmpint (json_object_get_int_member (root, "models_count"), ==,
                         json_object_get_int_member (good_root, "models_count") + 1);
        g_assert_cmpint (json_object_get_int_member (root, "total_records"), ==,
                         json_object_get_int_member (good_root, "total_records") + 1);
      }
      break;

    case BB_TEST_CORPUS_WRONG_TYPES:
    case BB_TEST_CORPUS_DUPLICATE_PK:
    case BB_TEST_CORPUS_DANGLING_FK:
    case BB_TEST_CORPUS_UNKNOWN_FIELD:
      {
        g_autoptr(JsonNode) feeding = parse_json (g_hash_table_lookup (texts, "core/feeding.json"), -1);
        JsonArray *records = json_node_get_array (feeding);
        g_autoptr(GHashTable) pks = g_hash_table_new (g_direct_hash, g_direct_equal);
        guint n = json_array_get_length (records);
        guint hits = 0, duplicates = 0;
        gint64 good_n = GPOINTER_TO_INT (g_hash_table_lookup (good_records, "core/feeding.json"));

        g_assert_cmpuint (changed, ==, 1);
        g_assert_cmpstr (changed_file, ==, "core/feeding.json");
        g_assert_cmpint (n, ==, good_n + (kind == BB_TEST_CORPUS_DUPLICATE_PK));
        for (guint i = 0; i < n; i++)
          {
            JsonObject *record = json_array_get_object_element (records, i);
            JsonObject *fields = json_object_get_object_member (record, "fields");
            JsonNode *child = json_object_get_member (fields, "child");

            if (!g_hash_table_add (pks, GINT_TO_POINTER (json_object_get_int_member (record, "pk"))))
              duplicates++;
            switch (kind)
              {
              case BB_TEST_CORPUS_WRONG_TYPES:
                if (g_strcmp0 (json_object_get_string_member (fields, "start"), "yesterday") == 0)
                  {
                    g_assert_cmpint (json_node_get_value_type (child), ==, G_TYPE_STRING);
                    g_assert_cmpstr (json_node_get_string (child), ==, "abc");
                    g_assert_cmpuint (i, ==, good_n / 2);
                    hits++;
                  }
                else
                  g_assert_cmpint (json_node_get_value_type (child), ==, G_TYPE_INT64);
                break;
              case BB_TEST_CORPUS_DANGLING_FK:
                if (json_node_get_int (child) == 999999)
                  hits++;
                break;
              case BB_TEST_CORPUS_UNKNOWN_FIELD:
                if (json_object_has_member (fields, "colour"))
                  {
                    g_assert_cmpstr (json_object_get_string_member (fields, "colour"), ==, "red");
                    g_assert_cmpuint (json_object_get_size (fields), ==, 9);
                    hits++;
                  }
                else
                  g_assert_cmpuint (json_object_get_size (fields), ==, 8);
                break;
              default:
                hits = 1;
                break;
              }
          }
        g_assert_cmpuint (hits, ==, 1);
        g_assert_cmpuint (duplicates, ==, kind == BB_TEST_CORPUS_DUPLICATE_PK ? 1 : 0);
        if (kind == BB_TEST_CORPUS_DUPLICATE_PK)
          g_assert_cmpint (json_object_get_int_member (root, "total_records"), ==,
                           json_object_get_int_member (good_root, "total_records") + 1);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  /* nothing but the intended members of metadata.json changed */
  json_object_set_string_member (root, "version", json_object_get_string_member (good_root, "version"));
  json_object_set_int_member (root, "total_records", json_object_get_int_member (good_root, "total_records"));
  json_object_set_int_member (root, "models_count", json_object_get_int_member (good_root, "models_count"));
  if (kind == BB_TEST_CORPUS_UNKNOWN_MODEL)
    json_array_remove_element (models, json_array_get_length (models) - 1);
  for (guint i = 0; i < json_array_get_length (models); i++)
    {
      JsonObject *model = json_array_get_object_element (models, i);
      const char *file = json_object_get_string_member (model, "file");

      json_object_set_string_member (model, "sha256", g_hash_table_lookup (good_sha, file));
      json_object_set_int_member (model, "records", GPOINTER_TO_INT (g_hash_table_lookup (good_records, file)));
    }
  g_assert_true (json_node_equal (metadata, good_metadata));
}

/* --- Setup ------------------------------------------------------------------- */

/* Runs in a child process: the backup goes through libgda 5.2, which keeps
 * allocations until exit that LeakSanitizer would count against this
 * program, and nothing else here uses libgda. */
static void
write_good_backup (int fd)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = bb_test_copy_reference_sqlite (tmpdir);
  g_autofree char *url = g_strdup_printf ("sqlite://%s", db);
  g_autofree char *out = g_build_filename (tmpdir, "out", NULL);
  g_autofree char *media = g_build_filename (bb_test_shared_dir (), "babybuddy", "media", NULL);
  g_autofree char *path = NULL;
  g_autoptr(BbConnectionInfo) info = NULL;
  g_autoptr(BbBackupJob) job = NULL;

  g_assert_cmpint (g_mkdir (out, 0700), ==, 0);
  info = bb_connection_info_new_from_url (url, &error);
  g_assert_no_error (error);
  job = bb_backup_job_new (info, out);
  bb_backup_job_set_timezone (job, "UTC");
  bb_backup_job_set_media_dir (job, media);
  path = bb_backup_job_run (job, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (path);
  g_assert_cmpint (write (fd, path, strlen (path)), ==, (gssize) strlen (path));
}

static void
make_good_backup (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BbArchiveReader) reader = NULL;
  g_autoptr(GBytes) metadata = NULL;
  g_autoptr(GString) path = NULL;
  JsonArray *models;
  int fds[2], status;
  char buf[256];
  gssize n;
  pid_t pid;

  tmpdir = bb_test_make_tmpdir ();

  /* No thread exists yet, so fork() is safe. */
  g_assert_cmpint (pipe (fds), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      close (fds[0]);
      write_good_backup (fds[1]);
      _exit (0);
    }
  close (fds[1]);
  path = g_string_new (NULL);  /* after fork(): the child leaves without freeing */
  while ((n = read (fds[0], buf, sizeof buf)) > 0)
    g_string_append_len (path, buf, n);
  close (fds[0]);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  g_assert_cmpuint (path->len, >, 0);
  good_zip = g_strdup (path->str);

  reader = open_reader (good_zip, NULL);
  metadata = bb_archive_reader_read_small (reader, "metadata.json", 1 << 20, &error);
  g_assert_no_error (error);
  good_metadata = parse_json (g_bytes_get_data (metadata, NULL), -1);
  good_sha = g_hash_table_new (g_str_hash, g_str_equal);
  good_records = g_hash_table_new (g_str_hash, g_str_equal);
  models = json_object_get_array_member (json_node_get_object (good_metadata), "models");
  for (guint i = 0; i < json_array_get_length (models); i++)
    {
      JsonObject *model = json_array_get_object_element (models, i);
      const char *file = json_object_get_string_member (model, "file");

      g_hash_table_insert (good_sha, (gpointer) file, (gpointer) json_object_get_string_member (model, "sha256"));
      g_hash_table_insert (good_records, (gpointer) file,
                           GINT_TO_POINTER ((int) json_object_get_int_member (model, "records")));
    }
}

int
main (int    argc,
      char **argv)
{
  static const BbTestCorpusKind refused[] = {
    BB_TEST_CORPUS_PATH_TRAVERSAL, BB_TEST_CORPUS_ABSOLUTE_PATH, BB_TEST_CORPUS_SYMLINK, BB_TEST_CORPUS_ZIP_BOMB,
  };
  static const BbTestCorpusKind content[] = {
    BB_TEST_CORPUS_UNKNOWN_VERSION, BB_TEST_CORPUS_BAD_JSON_LAST_RECORD, BB_TEST_CORPUS_WRONG_TYPES,
    BB_TEST_CORPUS_DUPLICATE_PK, BB_TEST_CORPUS_DANGLING_FK, BB_TEST_CORPUS_UNKNOWN_MODEL,
    BB_TEST_CORPUS_UNKNOWN_FIELD,
  };
  int status;

  g_test_init (&argc, &argv, NULL);

  make_good_backup ();

  g_test_add_func ("/bb/archive/limits-default", test_limits_default);
  g_test_add_func ("/bb/archive/detect-format", test_detect_format);

  g_test_add_func ("/bb/archive/reader/good-backup", test_good_backup);
  g_test_add_func ("/bb/archive/reader/chunks", test_chunks);
  g_test_add_func ("/bb/archive/reader/read-small", test_read_small);
  g_test_add_func ("/bb/archive/reader/reader-freed-first", test_reader_freed_first);
  g_test_add_func ("/bb/archive/reader/file-too-large", test_file_too_large);
  g_test_add_func ("/bb/archive/reader/not-a-zip", test_not_a_zip);
  g_test_add_func ("/bb/archive/reader/empty-archive", test_empty_archive);
  g_test_add_func ("/bb/archive/reader/too-many-entries", test_too_many_entries);
  g_test_add_func ("/bb/archive/reader/inconsistent-headers", test_inconsistent_headers);
  g_test_add_func ("/bb/archive/reader/duplicate-names", test_duplicate_names);
  g_test_add_func ("/bb/archive/reader/overlapping-entries", test_overlapping_entries);
  g_test_add_func ("/bb/archive/reader/unsafe-names", test_unsafe_names);
  g_test_add_func ("/bb/archive/reader/invalid-utf8-name", test_invalid_utf8_name);
  g_test_add_func ("/bb/archive/reader/special-files", test_special_files);
  g_test_add_func ("/bb/archive/reader/encrypted", test_encrypted);
  g_test_add_func ("/bb/archive/reader/unsupported-compression", test_unsupported_compression);
  g_test_add_func ("/bb/archive/reader/case-duplicates", test_case_duplicates);
  g_test_add_func ("/bb/archive/reader/ratio", test_ratio);
  g_test_add_func ("/bb/archive/reader/total-limit", test_total_limit);
  g_test_add_func ("/bb/archive/reader/unexpected-entries", test_unexpected_entries);
  g_test_add_func ("/bb/archive/reader/folders", test_folders);
  g_test_add_func ("/bb/archive/reader/problem-cap", test_problem_cap);
  g_test_add_func ("/bb/archive/reader/fixture-zip", test_fixture_zip);
  g_test_add_func ("/bb/archive/reader/size-mismatch", test_size_mismatch);

  g_test_add_func ("/bb/archive/fixture/plain", test_fixture_plain);
  g_test_add_func ("/bb/archive/fixture/gzip", test_fixture_gzip);
  g_test_add_func ("/bb/archive/fixture/gzip-damaged", test_fixture_gzip_damaged);
  g_test_add_func ("/bb/archive/fixture/gzip-members", test_fixture_gzip_members);
  g_test_add_func ("/bb/archive/fixture/gzip-bomb", test_fixture_gzip_bomb);

  g_test_add_func ("/bb/archive/corpus/names", test_corpus_names);
  g_test_add_func ("/bb/archive/corpus/deterministic", test_corpus_deterministic);
  g_test_add_func ("/bb/archive/corpus/truncated", test_corpus_truncated);
  g_test_add_func ("/bb/archive/corpus/flipped-bytes", test_corpus_flipped_bytes);
  g_test_add_func ("/bb/archive/corpus/bad-crc", test_corpus_bad_crc);
  g_test_add_func ("/bb/archive/corpus/no-metadata", test_corpus_no_metadata);
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *test_path = g_strdup_printf ("/bb/archive/corpus/%s", bb_test_corpus_name (refused[i]));

      g_test_add_data_func (test_path, GUINT_TO_POINTER (refused[i]), test_corpus_refused_entry);
    }
  for (guint i = 0; i < G_N_ELEMENTS (content); i++)
    {
      g_autofree char *test_path = g_strdup_printf ("/bb/archive/corpus/%s", bb_test_corpus_name (content[i]));

      g_test_add_data_func (test_path, GUINT_TO_POINTER (content[i]), test_corpus_content);
    }

  status = g_test_run ();

  bb_test_remove_tree (tmpdir);
  g_free (tmpdir);
  g_free (good_zip);
  g_clear_pointer (&good_metadata, json_node_unref);
  g_clear_pointer (&good_sha, g_hash_table_unref);
  g_clear_pointer (&good_records, g_hash_table_unref);
  return status;
}
