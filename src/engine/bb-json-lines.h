/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-json-lines.h: reading Django fixtures in bounded memory. A fixture is
 * one top-level JSON array; json-glib can only parse a whole document, so the
 * array is split into its elements here, and each element is parsed by a
 * small strict parser into a read-only tree that lives in one reusable arena. */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BB_JSON_ERROR (bb_json_error_quark ())

typedef enum {
  BB_JSON_ERROR_SYNTAX,      /* not valid JSON (message names line and column) */
  BB_JSON_ERROR_NOT_ARRAY,   /* the document is not one top-level array */
  BB_JSON_ERROR_TRUNCATED,   /* the input ends inside the array */
  BB_JSON_ERROR_TOO_LARGE,   /* one element is over the size limit */
  BB_JSON_ERROR_TOO_DEEP,    /* nesting over BB_JSON_MAX_DEPTH */
  BB_JSON_ERROR_READ,        /* the read function failed (its error is kept as the message) */
} BbJsonError;

GQuark bb_json_error_quark (void);

#define BB_JSON_MAX_DEPTH 32

/* Fills buf with up to len bytes; returns 0 at the end, -1 with error set.
 * (Same contract as BbArchiveReadFunc.) */
typedef gssize (*BbJsonReadFunc) (gpointer   user_data,
                                  guint8    *buf,
                                  gsize      len,
                                  GError   **error);

/* --- Splitting a top-level array --------------------------------------- */

typedef struct _BbJsonArrayReader BbJsonArrayReader;

BbJsonArrayReader *bb_json_array_reader_new  (BbJsonReadFunc      read_func,
                                              gpointer            user_data,
                                              gsize               max_element_size);
/* Returns TRUE with the next element's text (valid until the next call; not
 * NUL-terminated inside the buffer, but *element[*length] is a readable NUL),
 * FALSE at the end of the array (error unset) or on error (error set).
 * Checks the array's own syntax (brackets, commas, strings, nesting, nothing
 * but whitespace after the closing bracket); the element itself is only
 * scanned, bb_json_parse() checks it. A UTF-8 BOM at the start is skipped. */
gboolean           bb_json_array_reader_next (BbJsonArrayReader  *reader,
                                              const char        **element,
                                              gsize              *length,
                                              GError            **error);
guint64            bb_json_array_reader_get_index (BbJsonArrayReader *reader); /* elements returned so far */
guint64            bb_json_array_reader_get_bytes (BbJsonArrayReader *reader); /* bytes consumed so far */
void               bb_json_array_reader_free (BbJsonArrayReader  *reader);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbJsonArrayReader, bb_json_array_reader_free)

/* --- Parsing one element ------------------------------------------------ */

typedef enum {
  BB_JSON_NULL,
  BB_JSON_FALSE,
  BB_JSON_TRUE,
  BB_JSON_NUMBER,
  BB_JSON_STRING,
  BB_JSON_ARRAY,
  BB_JSON_OBJECT,
} BbJsonKind;

typedef struct _BbJsonNode BbJsonNode;

struct _BbJsonNode {
  BbJsonKind   kind;
  /* NUMBER: the number's text exactly as written (grammar checked);
   * STRING: the unescaped value, valid UTF-8, NUL-terminated (it may also
   *         contain U+0000 from "\u0000": compare len with strlen);
   * object members: key of this member is in `key`. */
  const char  *text;
  gsize        len;
  const char  *key;          /* set on members of an object, else NULL */
  guint        n_children;   /* ARRAY and OBJECT */
  BbJsonNode **children;     /* in document order */
};

typedef struct _BbJsonDoc BbJsonDoc;

BbJsonDoc        *bb_json_doc_new     (void);
/* Parses text (len bytes, need not be NUL-terminated) strictly (RFC 8259:
 * no trailing commas, no NaN/Infinity, no comments, strings valid UTF-8, no
 * lone surrogates in \u escapes, control characters escaped). Everything from
 * an earlier parse of this doc is freed first; the arena is reused, so a
 * parse of a small element after a large one allocates nothing new.
 * Returns the root, or NULL with error (message names line and column). */
const BbJsonNode *bb_json_doc_parse   (BbJsonDoc   *doc,
                                       const char  *text,
                                       gsize        len,
                                       GError     **error);
void              bb_json_doc_free    (BbJsonDoc   *doc);

/* Member of an object by key (the last one when a key repeats, as Python
 * does), or NULL. */
const BbJsonNode *bb_json_node_get_member (const BbJsonNode *object,
                                           const char       *key);

/* Integer value of a NUMBER without fraction or exponent that fits gint64. */
gboolean          bb_json_node_get_int64  (const BbJsonNode *node,
                                           gint64           *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbJsonDoc, bb_json_doc_free)

G_END_DECLS
