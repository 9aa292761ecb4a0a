/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-util.h: what the file-reading fuzz targets share: the input written
 * to a private temporary file, since the engine reads backups by path. */

#pragma once

#include <glib.h>
#include <glib/gstdio.h>
#include <stdint.h>
#include <stdlib.h>

static char *fuzz_folder;
static char *fuzz_path;

static inline void
fuzz_remove_input (void)
{
  if (fuzz_path != NULL)
    g_unlink (fuzz_path);
  if (fuzz_folder != NULL)
    g_rmdir (fuzz_folder);
}

/* name: a file name ending the path ("input.zip"); the folder is made once
 * and removed at exit (libFuzzer ends a timed run with exit(); after a crash
 * the folder stays, beside the crashing input libFuzzer saves). */
static inline const char *
fuzz_write_input (const char    *name,
                  const uint8_t *data,
                  size_t         size)
{
  if (fuzz_folder == NULL)
    {
      fuzz_folder = g_dir_make_tmp ("bb-fuzz-XXXXXX", NULL);
      g_assert (fuzz_folder != NULL);
      atexit (fuzz_remove_input);
    }
  if (fuzz_path != NULL)
    g_unlink (fuzz_path);
  g_free (fuzz_path);
  fuzz_path = g_build_filename (fuzz_folder, name, NULL);
  if (!g_file_set_contents (fuzz_path, (const char *) data, size, NULL))
    abort ();
  return fuzz_path;
}
