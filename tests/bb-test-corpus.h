/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-test-corpus.h: broken backup archives made from a good one, for the
 * tests of the archive reader and of the restore engine (which must refuse
 * each of them and leave the database as it was). Every function is
 * deterministic: the same good backup gives byte-identical broken copies. */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  /* The file as a whole */
  BB_TEST_CORPUS_TRUNCATED,            /* the first half of the file */
  BB_TEST_CORPUS_FLIPPED_BYTES,        /* 16 bytes inverted in the middle of core/feeding.json's deflate data */
  BB_TEST_CORPUS_BAD_CRC,              /* core/feeding.json's CRC inverted in the local and central header */
  /* Entries the reader refuses from the central directory */
  BB_TEST_CORPUS_PATH_TRAVERSAL,       /* + "../../evil.txt" */
  BB_TEST_CORPUS_ABSOLUTE_PATH,        /* + "/tmp/evil.txt" */
  BB_TEST_CORPUS_SYMLINK,              /* + "media/link", a Unix symlink to /etc/passwd */
  BB_TEST_CORPUS_ZIP_BOMB,             /* + "core/bomb.json" declaring 4,000,000,000 bytes for ~1 KB of deflate */
  BB_TEST_CORPUS_NO_METADATA,          /* metadata.json removed */
  /* Content: the ZIP is clean and metadata.json's sha256/records match */
  BB_TEST_CORPUS_UNKNOWN_VERSION,      /* metadata "version": "2.0" */
  BB_TEST_CORPUS_BAD_JSON_LAST_RECORD, /* the last record of the last model file in metadata order loses its closing brace */
  BB_TEST_CORPUS_WRONG_TYPES,          /* core.feeding record [n/2]: "start": "yesterday", "child": "abc" */
  BB_TEST_CORPUS_DUPLICATE_PK,         /* core.feeding record [n/2] repeated as the last record */
  BB_TEST_CORPUS_DANGLING_FK,          /* core.feeding record [n/2]: "child": 999999 */
  BB_TEST_CORPUS_UNKNOWN_MODEL,        /* + core/unicorn.json (core.unicorn, pk 1, "horn": 1), listed in metadata */
  BB_TEST_CORPUS_UNKNOWN_FIELD,        /* core.feeding record [n/2] gains "colour": "red" */
  BB_TEST_CORPUS_N_KINDS
} BbTestCorpusKind;

/* "truncated", "flipped-bytes", … (usable in test paths and file names) */
const char *bb_test_corpus_name (BbTestCorpusKind   kind);

/* Writes a broken copy of good_zip (a backup made by BbBackupJob) to dest. */
gboolean    bb_test_corpus_make (BbTestCorpusKind   kind,
                                 const char        *good_zip,
                                 const char        *dest,
                                 GError           **error);

/* Byte-level edits of a ZIP's headers, for what libzip will not write.
 * Both the local and the central header are changed, so the archive stays
 * consistent unless only one is asked for. */
typedef enum {
  BB_TEST_ZIP_FIELD_CRC,          /* 32 bits */
  BB_TEST_ZIP_FIELD_SIZE,         /* uncompressed size (the Zip64 field when there is one) */
  BB_TEST_ZIP_FIELD_METHOD,       /* compression method, 16 bits */
} BbTestZipField;

typedef enum {
  BB_TEST_ZIP_LOCAL   = 1 << 0,
  BB_TEST_ZIP_CENTRAL = 1 << 1,
  BB_TEST_ZIP_BOTH    = BB_TEST_ZIP_LOCAL | BB_TEST_ZIP_CENTRAL,
} BbTestZipHeaders;

gboolean    bb_test_zip_get_field (const char        *path,
                                   const char        *entry,
                                   BbTestZipField     field,
                                   guint64           *value,
                                   GError           **error);
gboolean    bb_test_zip_set_field (const char        *path,
                                   const char        *entry,
                                   BbTestZipField     field,
                                   guint64            value,
                                   BbTestZipHeaders   headers,
                                   GError           **error);
/* Renames an entry in both headers; the new name must be as long as the old. */
gboolean    bb_test_zip_rename    (const char        *path,
                                   const char        *entry,
                                   const char        *new_name,
                                   GError           **error);

G_END_DECLS
