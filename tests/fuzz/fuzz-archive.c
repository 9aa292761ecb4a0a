/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-archive.c: libFuzzer target for reading an untrusted file as a
 * backup: format detection, the ZIP central directory with its layout, path
 * and size checks, inflating every usable entry with CRC and size checks,
 * metadata.json as a small entry, and plain or gzip fixtures. */

#include "bb-archive-reader.h"
#include "bb-json-lines.h"
#include "fuzz-util.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
drain (BbJsonReadFunc  read_func,
       gpointer        source)
{
  guint8 buf[4096];
  GError *error = NULL;
  gssize n;

  while ((n = read_func (source, buf, sizeof buf, &error)) > 0)
    ;
  g_assert (n == 0 || error != NULL);
  g_clear_error (&error);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *path = fuzz_write_input ("input.zip", data, size);
  BbArchiveLimits limits;
  BbInputFormat format;
  GError *error = NULL;

  /* Small limits, so the size and ratio checks are reached in a fuzz run. */
  bb_archive_limits_init_default (&limits);
  limits.max_total_uncompressed = 8 * 1024 * 1024;
  limits.max_entries = 1000;

  if (!bb_archive_detect_format (path, &format, &error))
    {
      g_clear_error (&error);
      return 0;
    }
  if (format == BB_INPUT_FORMAT_ZIP)
    {
      g_autoptr(BbArchiveReader) reader = bb_archive_reader_open (path, &limits, &error);
      GPtrArray *entries;

      if (reader == NULL)
        {
          g_assert (error != NULL);
          g_clear_error (&error);
          return 0;
        }
      (void) bb_archive_reader_get_layout (reader);
      (void) bb_archive_reader_get_problems (reader);
      (void) bb_archive_reader_get_fixture_name (reader);
      if (bb_archive_reader_has_entry (reader, "metadata.json"))
        {
          GBytes *metadata = bb_archive_reader_read_small (reader, "metadata.json", 1024 * 1024, &error);

          g_assert ((metadata == NULL) == (error != NULL));
          g_clear_pointer (&metadata, g_bytes_unref);
          g_clear_error (&error);
        }
      entries = bb_archive_reader_list_entries (reader);
      for (guint i = 0; i < entries->len; i++)
        {
          const char *name = g_ptr_array_index (entries, i);
          g_autoptr(BbArchiveEntry) entry = bb_archive_reader_open_entry (reader, name, &error);

          g_assert (bb_archive_reader_get_entry_size (reader, name) >= 0);
          if (entry == NULL)
            {
              g_clear_error (&error);
              continue;
            }
          drain (bb_archive_entry_read, entry);
          g_assert (bb_archive_entry_get_sha256 (entry) != NULL);
        }
    }
  else
    {
      g_autoptr(BbFixtureFile) file = bb_fixture_file_open (path, format, &limits, &error);

      if (file == NULL)
        {
          g_clear_error (&error);
          return 0;
        }
      drain (bb_fixture_file_read, file);
    }
  return 0;
}
