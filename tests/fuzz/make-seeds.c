/* SPDX-License-Identifier: GPL-3.0-or-later */
/* make-seeds.c: the fuzzers' seed corpora, made fresh from the engine: a
 * real backup of a small demo database, the broken-archive corpus made from
 * it, each model file alone (a Django fixture in itself), and a gzipped one.
 * Usage: make-seeds OUTDIR -> OUTDIR/{json-lines,archive,verify}/ */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "bb-backup-job.h"
#include "bb-demo.h"
#include "bb-test-corpus.h"
#include "bb-test-util.h"

static void
put (const char *dir,
     const char *name,
     GBytes     *bytes)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error))
    g_error ("%s: %s", path, error->message);
}

static GBytes *
gzip (GBytes *bytes)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
  g_autoptr(GInputStream) plain = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr(GInputStream) packed = g_converter_input_stream_new (plain, G_CONVERTER (compressor));
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  if (g_output_stream_splice (out, packed, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                              NULL, &error) < 0)
    g_error ("gzip: %s", error->message);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *work = NULL;
  g_autofree char *db = NULL;
  g_autofree char *good = NULL;
  g_autoptr(BbConnectionInfo) info = NULL;
  g_autoptr(GHashTable) entries = NULL;
  g_autoptr(GError) error = NULL;
  const char *subdirs[] = { "json-lines", "archive", "verify" };
  char *dirs[3];
  GHashTableIter iter;
  gpointer key, value;

  if (argc != 2)
    g_error ("usage: make-seeds OUTDIR");
  for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      dirs[i] = g_build_filename (argv[1], subdirs[i], NULL);
      if (g_mkdir_with_parents (dirs[i], 0755) != 0)
        g_error ("cannot make %s", dirs[i]);
    }

  work = g_dir_make_tmp ("bb-seeds-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (work, "demo.sqlite3", NULL);
  /* Small, so each seed is quick to run, yet every model file is deflated. */
  if (!bb_demo_create (db, 2000, 11, NULL, &error))
    g_error ("demo: %s", error->message);
  info = bb_test_sqlite_info (db);
  good = bb_test_backup (info, work);

  {
    g_autofree char *contents = NULL;
    gsize length;
    g_autoptr(GBytes) bytes = NULL;

    g_assert (g_file_get_contents (good, &contents, &length, NULL));
    bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
    put (dirs[1], "good.zip", bytes);
    put (dirs[2], "good.zip", bytes);
  }
  for (int kind = 0; kind < BB_TEST_CORPUS_N_KINDS; kind++)
    {
      g_autofree char *name = g_strconcat (bb_test_corpus_name (kind), ".zip", NULL);
      g_autofree char *a = g_build_filename (dirs[1], name, NULL);
      g_autofree char *v = g_build_filename (dirs[2], name, NULL);

      if (!bb_test_corpus_make (kind, good, a, &error) || !bb_test_corpus_make (kind, good, v, &error))
        g_error ("corpus %s: %s", name, error->message);
    }

  entries = bb_test_read_zip (good);
  g_hash_table_iter_init (&iter, entries);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *flat = g_strdelimit (g_strdup (key), "/", '_');
      g_autofree char *gz = g_strconcat (flat, ".gz", NULL);
      g_autoptr(GBytes) packed = NULL;

      put (dirs[0], flat, value);
      if (g_str_has_suffix (key, ".json") && g_strcmp0 (key, "metadata.json") != 0)
        {
          put (dirs[2], flat, value);
          packed = gzip (value);
          put (dirs[1], gz, packed);
        }
    }

  bb_test_remove_tree (work);
  for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
    g_free (dirs[i]);
  return 0;
}
