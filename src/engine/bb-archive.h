/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-archive.h: writing backup ZIPs safely (temporary file, 0600, rename). */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BB_ARCHIVE_ERROR (bb_archive_error_quark ())

typedef enum {
  BB_ARCHIVE_ERROR_WRITE,
  BB_ARCHIVE_ERROR_READ,
  BB_ARCHIVE_ERROR_INVALID,
} BbArchiveError;

GQuark bb_archive_error_quark (void);

/* Fills buf with up to len bytes; returns 0 at the end, -1 with error set. */
typedef gssize (*BbArchiveReadFunc) (gpointer   user_data,
                                     guint8    *buf,
                                     gsize      len,
                                     GError   **error);

typedef struct _BbArchiveWriter BbArchiveWriter;

BbArchiveWriter *bb_archive_writer_new        (const char         *path,
                                               int                 compression_level,
                                               GError            **error);
gboolean         bb_archive_writer_add_stream (BbArchiveWriter    *writer,
                                               const char         *name,
                                               BbArchiveReadFunc   read_func,
                                               gpointer            user_data,
                                               GError            **error);
gboolean         bb_archive_writer_add_file   (BbArchiveWriter    *writer,
                                               const char         *name,
                                               const char         *path,
                                               gboolean            compress,
                                               GError            **error);
gboolean         bb_archive_writer_commit     (BbArchiveWriter    *writer,
                                               GError            **error);
void             bb_archive_writer_free       (BbArchiveWriter    *writer);
const char      *bb_archive_writer_get_path   (BbArchiveWriter    *writer);

void             bb_archive_remove_stale_temporaries (const char  *folder);

/* Reading: the whole text of one small entry (metadata.json). */
GBytes          *bb_archive_read_entry        (const char         *path,
                                               const char         *name,
                                               gsize               max_size,
                                               GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbArchiveWriter, bb_archive_writer_free)

G_END_DECLS
