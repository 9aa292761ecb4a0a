/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-util.h: what the file-reading fuzz targets share: the input written
 * to a private temporary file, since the engine reads backups by path. */

#pragma once

#include <glib.h>
#include <glib/gstdio.h>
#include <stdint.h>
#include <stdlib.h>

/* name: a file name ending the path ("input.zip"); the folder is made once
 * and removed at exit. */
static inline const char *
fuzz_write_input (const char    *name,
                  const uint8_t *data,
                  size_t         size)
{
  static char *folder;
  static char *path;

  if (folder == NULL)
    {
      folder = g_dir_make_tmp ("bb-fuzz-XXXXXX", NULL);
      g_assert (folder != NULL);
    }
  g_free (path);
  path = g_build_filename (folder, name, NULL);
  if (!g_file_set_contents (path, (const char *) data, size, NULL))
    abort ();
  return path;
}
