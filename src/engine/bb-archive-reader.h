/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-archive-reader.h: reading an untrusted backup ZIP (or a plain Django
 * fixture) safely: size, layout, path, symlink and zip-bomb checks before
 * anything is inflated; CRC, declared size and SHA-256 checked while
 * streaming an entry. */

#pragma once

#include <gio/gio.h>

#include "bb-archive.h"

G_BEGIN_DECLS

typedef struct {
  guint64 max_file_size;          /* bytes of the file itself; default 2 GiB */
  guint64 max_total_uncompressed; /* sum of all entries; default 64 GiB */
  guint64 max_ratio;              /* uncompressed / compressed per entry over 1 MiB; default 300 */
  guint   max_entries;            /* default 100,000 */
} BbArchiveLimits;

void bb_archive_limits_init_default (BbArchiveLimits *limits);

typedef enum {
  BB_INPUT_FORMAT_ZIP,            /* a ZIP (a backup, or a ZIP holding one fixture .json) */
  BB_INPUT_FORMAT_GZIP,           /* a gzip-compressed fixture (.json.gz) */
  BB_INPUT_FORMAT_JSON,           /* a plain fixture (.json): the first non-space byte is '[' */
} BbInputFormat;

/* By content, not by name. Error BB_ARCHIVE_ERROR_INVALID when the file is
 * none of these, BB_ARCHIVE_ERROR_READ when it cannot be read. */
gboolean bb_archive_detect_format (const char     *path,
                                   BbInputFormat  *format,
                                   GError        **error);

/* --- ZIP --------------------------------------------------------------- */

typedef enum {
  BB_ARCHIVE_LAYOUT_BACKUP,       /* metadata.json, <app>/<model>.json, media/... */
  BB_ARCHIVE_LAYOUT_FIXTURE,      /* exactly one *.json entry, nothing else but folders */
} BbArchiveLayout;

typedef struct _BbArchiveReader BbArchiveReader;

/* Opens and checks the whole central directory without inflating anything.
 * Returns NULL with an error only when the file cannot be used at all (not
 * readable, over max_file_size, not a ZIP, truncated, inconsistent). Problems
 * with single entries (unsafe or unexpected names, symlinks, encryption,
 * unsupported compression, duplicate names, too high a ratio, totals over the
 * limits) do not fail the open: each is one translated sentence in
 * bb_archive_reader_get_problems(), and such entries are left out of
 * bb_archive_reader_list_entries() and cannot be opened. */
BbArchiveReader *bb_archive_reader_open          (const char             *path,
                                                  const BbArchiveLimits  *limits,
                                                  GError                **error);
void             bb_archive_reader_free          (BbArchiveReader        *reader);
BbArchiveLayout  bb_archive_reader_get_layout    (BbArchiveReader        *reader);
/* Translated sentences; empty when every entry is fine. */
GPtrArray       *bb_archive_reader_get_problems  (BbArchiveReader        *reader);
/* Names of the usable file entries (not folders), in archive order. */
GPtrArray       *bb_archive_reader_list_entries  (BbArchiveReader        *reader);
gboolean         bb_archive_reader_has_entry     (BbArchiveReader        *reader,
                                                  const char             *name);
/* Declared uncompressed size, or -1 when there is no such usable entry. */
gint64           bb_archive_reader_get_entry_size (BbArchiveReader       *reader,
                                                   const char            *name);
/* The one fixture entry's name (LAYOUT_FIXTURE), else NULL. */
const char      *bb_archive_reader_get_fixture_name (BbArchiveReader     *reader);
/* Whole text of a small entry (metadata.json), at most max_size bytes,
 * CRC checked; NUL-terminated inside the GBytes' extra byte. */
GBytes          *bb_archive_reader_read_small    (BbArchiveReader        *reader,
                                                  const char             *name,
                                                  gsize                   max_size,
                                                  GError                **error);

/* One entry being inflated. Only one entry of a reader is open at a time. */
typedef struct _BbArchiveEntry BbArchiveEntry;

BbArchiveEntry  *bb_archive_reader_open_entry    (BbArchiveReader        *reader,
                                                  const char             *name,
                                                  GError                **error);
/* A BbJsonReadFunc / BbArchiveReadFunc: pass the entry as user_data. Returns
 * -1 with BB_ARCHIVE_ERROR_INVALID (naming the entry) when the data is
 * damaged: a CRC mismatch at the end, more or fewer bytes than declared, a
 * broken deflate stream. */
gssize           bb_archive_entry_read           (gpointer                entry,
                                                  guint8                 *buf,
                                                  gsize                   len,
                                                  GError                **error);
/* Lowercase hex SHA-256 of everything read so far (complete after the end). */
const char      *bb_archive_entry_get_sha256     (BbArchiveEntry         *entry);
guint64          bb_archive_entry_get_bytes_read (BbArchiveEntry         *entry);
void             bb_archive_entry_free           (BbArchiveEntry         *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbArchiveReader, bb_archive_reader_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbArchiveEntry, bb_archive_entry_free)

/* --- Plain and gzip fixtures --------------------------------------------- */

typedef struct _BbFixtureFile BbFixtureFile;

/* format: BB_INPUT_FORMAT_GZIP or BB_INPUT_FORMAT_JSON. The file must be at
 * most limits->max_file_size; a gzip stream is cut off with an error once it
 * inflates past limits->max_total_uncompressed or max_ratio times its size
 * (checked as it streams, plus the gzip trailer's CRC and size). */
BbFixtureFile   *bb_fixture_file_open            (const char             *path,
                                                  BbInputFormat           format,
                                                  const BbArchiveLimits  *limits,
                                                  GError                **error);
/* A BbJsonReadFunc: pass the fixture file as user_data. */
gssize           bb_fixture_file_read            (gpointer                file,
                                                  guint8                 *buf,
                                                  gsize                   len,
                                                  GError                **error);
guint64          bb_fixture_file_get_bytes_read  (BbFixtureFile          *file);
void             bb_fixture_file_free            (BbFixtureFile          *file);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbFixtureFile, bb_fixture_file_free)

G_END_DECLS
