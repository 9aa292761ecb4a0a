/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-json-lines.c: splitting a fixture's top-level array into elements
 * however the input arrives, and parsing each element strictly. */

#include "config.h"

#include <errno.h>
#include <string.h>

#include "bb-json-lines.h"
#include "bb-test-util.h"

/* python3 -c "import json; print(len(json.load(open('dumpdata.json'))))" */
#define DUMPDATA_RECORDS 94844

/* --- A read function over memory ------------------------------------------- */

typedef struct {
  const char *data;
  gsize       len;
  gsize       pos;
  gsize       piece;      /* at most this much per read (0: as much as asked) */
  GRand      *rand;       /* when set, pieces of 1..piece bytes at random */
  gsize       fail_at;    /* the read after this offset fails */
  gboolean    cancel;     /* ... with G_IO_ERROR_CANCELLED */
  gboolean    no_error;   /* ... returning -1 without an error */
  guint       calls;
} Source;

static void
source_init (Source     *src,
             const char *data,
             gsize       len)
{
  memset (src, 0, sizeof *src);
  src->data = data;
  src->len = len;
  src->fail_at = G_MAXSIZE;
}

static gssize
source_read (gpointer   user_data,
             guint8    *buf,
             gsize      len,
             GError   **error)
{
  Source *src = user_data;
  gsize n = MIN (len, src->len - src->pos);

  src->calls++;
  /* The reader reads in large blocks. */
  g_assert_cmpuint (len, >=, 64 * 1024);

  if (src->piece > 0)
    {
      gsize piece = src->rand != NULL ? (gsize) g_rand_int_range (src->rand, 1, src->piece + 1) : src->piece;

      n = MIN (n, piece);
    }
  if (src->pos >= src->fail_at)
    {
      if (src->no_error)
        return -1;
      if (src->cancel)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
      else
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The disk is on fire");
      return -1;
    }
  n = MIN (n, src->fail_at - src->pos);
  memcpy (buf, src->data + src->pos, n);
  src->pos += n;
  return n;
}

/* Splits data read in the given way; returns the elements (as GBytes) and
 * sets error when the reader fails. */
static GPtrArray *
split_with (Source  *src,
            gsize    max_element_size,
            GError **error)
{
  g_autoptr(BbJsonArrayReader) reader = bb_json_array_reader_new (source_read, src, max_element_size);
  GPtrArray *elements = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  const char *element;
  gsize length;

  while (bb_json_array_reader_next (reader, &element, &length, error))
    {
      g_assert_nonnull (element);
      g_assert_cmpint (element[length], ==, '\0');
      g_ptr_array_add (elements, g_bytes_new (element, length));
      g_assert_cmpuint (bb_json_array_reader_get_index (reader), ==, elements->len);
    }

  if (error == NULL || *error == NULL)
    {
      GError *again = NULL;

      /* The end stays the end, and all input was consumed. */
      g_assert_cmpuint (bb_json_array_reader_get_bytes (reader), ==, src->len);
      g_assert_false (bb_json_array_reader_next (reader, &element, &length, &again));
      g_assert_no_error (again);
    }
  else
    {
      GError *again = NULL;

      /* A failure is repeated, not turned into an end. */
      g_assert_false (bb_json_array_reader_next (reader, &element, &length, &again));
      g_assert_nonnull (again);
      g_assert_true (again->domain == (*error)->domain && again->code == (*error)->code);
      g_assert_cmpstr (again->message, ==, (*error)->message);
      g_error_free (again);
    }
  return elements;
}

typedef enum {
  READ_WHOLE,       /* as much as the reader asks for */
  READ_BYTES,       /* one byte at a time */
  READ_SEVENS,      /* seven bytes at a time */
  READ_RANDOM,      /* 1..100 bytes at random */
  N_READ_MODES,
} ReadMode;

static GPtrArray *
split_len (const char *data,
           gsize       len,
           ReadMode    mode,
           gsize       max_element_size,
           GError    **error)
{
  g_autoptr(GRand) rand = NULL;
  Source src;

  source_init (&src, data, len);
  switch (mode)
    {
    case READ_WHOLE:
      break;
    case READ_BYTES:
      src.piece = 1;
      break;
    case READ_SEVENS:
      src.piece = 7;
      break;
    case READ_RANDOM:
    default:
      rand = g_rand_new_with_seed (len);
      src.rand = rand;
      src.piece = 100;
      break;
    }
  return split_with (&src, max_element_size, error);
}

static GPtrArray *
split (const char *data,
       ReadMode    mode,
       GError    **error)
{
  return split_len (data, strlen (data), mode, 0, error);
}

static void
assert_element (GPtrArray  *elements,
                guint       i,
                const char *expected)
{
  GBytes *bytes = g_ptr_array_index (elements, i);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  g_assert_cmpuint (g_bytes_get_size (bytes), ==, strlen (expected));
  g_assert_cmpstr (text, ==, expected);
}

/* doc splits into exactly expected (NULL-terminated), however it is read. */
static void
assert_splits (const char         *doc,
               const char * const *expected)
{
  for (ReadMode mode = 0; mode < N_READ_MODES; mode++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) elements = split (doc, mode, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (elements->len, ==, g_strv_length ((GStrv) expected));
      for (guint i = 0; i < elements->len; i++)
        assert_element (elements, i, expected[i]);
    }
}

/* doc fails with code, however it is read, and the message holds `part`. */
static void
assert_split_fails (const char  *doc,
                    gssize       len,   /* -1: up to the NUL */
                    BbJsonError  code,
                    const char  *part)
{
  for (ReadMode mode = 0; mode < N_READ_MODES; mode++)
    {
      g_autoptr(GError) error = NULL;
      /* The elements split before the error, if any. */
      g_autoptr(GPtrArray) elements G_GNUC_UNUSED =
        split_len (doc, len < 0 ? strlen (doc) : (gsize) len, mode, 0, &error);

      g_assert_error (error, BB_JSON_ERROR, (int) code);
      if (part != NULL && strstr (error->message, part) == NULL)
        g_error ("“%s” is not in “%s”", part, error->message);
    }
}

/* --- Splitting ------------------------------------------------------------ */

static void
test_split_basic (void)
{
  assert_splits ("[1,\"a\",{\"x\":[1,2]},[],null,true,false,-0.5e3,{}]",
                 (const char *[]) { "1", "\"a\"", "{\"x\":[1,2]}", "[]", "null", "true",
                                    "false", "-0.5e3", "{}", NULL });
  assert_splits ("[{\"model\": \"core.child\", \"pk\": 1, \"fields\": {\"first_name\": \"A\"}}]",
                 (const char *[]) { "{\"model\": \"core.child\", \"pk\": 1, \"fields\": {\"first_name\": \"A\"}}", NULL });
  /* Whitespace around elements is not part of them. */
  assert_splits (" \t\r\n[ \n1\t, \r\n\"x\" ,{ } ]\n\n",
                 (const char *[]) { "1", "\"x\"", "{ }", NULL });
  /* The splitter only scans: what an element holds is the parser's to judge. */
  assert_splits ("[tru, 1.2.3, :x]", (const char *[]) { "tru", "1.2.3", ":x", NULL });
}

static void
test_split_empty (void)
{
  assert_splits ("[]", (const char *[]) { NULL });
  assert_splits ("[ ]", (const char *[]) { NULL });
  assert_splits ("\n[\n]\n", (const char *[]) { NULL });
  assert_splits ("\xEF\xBB\xBF[]", (const char *[]) { NULL });
}

static void
test_split_dumpdata_indent (void)
{
  /* As manage.py dumpdata --indent 2 writes it. */
  static const char doc[] =
    "[\n"
    "{\n"
    "  \"model\": \"core.child\",\n"
    "  \"pk\": 1,\n"
    "  \"fields\": {\n"
    "    \"first_name\": \"Émile\",\n"
    "    \"last_name\": \"O\\\"Brien [jr]\",\n"
    "    \"birth_date\": \"2020-01-01\",\n"
    "    \"slug\": \"emile\",\n"
    "    \"picture\": \"\"\n"
    "  }\n"
    "},\n"
    "{\n"
    "  \"model\": \"core.tagged\",\n"
    "  \"pk\": 2,\n"
    "  \"fields\": {\n"
    "    \"tag\": [\n"
    "      \"core\",\n"
    "      \"child\"\n"
    "    ],\n"
    "    \"object_id\": 1\n"
    "  }\n"
    "}\n"
    "]\n";
  static const char first[] =
    "{\n"
    "  \"model\": \"core.child\",\n"
    "  \"pk\": 1,\n"
    "  \"fields\": {\n"
    "    \"first_name\": \"Émile\",\n"
    "    \"last_name\": \"O\\\"Brien [jr]\",\n"
    "    \"birth_date\": \"2020-01-01\",\n"
    "    \"slug\": \"emile\",\n"
    "    \"picture\": \"\"\n"
    "  }\n"
    "}";
  g_autoptr(BbJsonDoc) json = bb_json_doc_new ();

  for (ReadMode mode = 0; mode < N_READ_MODES; mode++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) elements = split (doc, mode, &error);
      const BbJsonNode *root, *tag;
      gsize len;
      const char *text;

      g_assert_no_error (error);
      g_assert_cmpuint (elements->len, ==, 2);
      assert_element (elements, 0, first);

      text = g_bytes_get_data (g_ptr_array_index (elements, 0), &len);
      root = bb_json_doc_parse (json, text, len, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (bb_json_node_get_member (bb_json_node_get_member (root, "fields"), "last_name")->text,
                       ==, "O\"Brien [jr]");

      text = g_bytes_get_data (g_ptr_array_index (elements, 1), &len);
      root = bb_json_doc_parse (json, text, len, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (bb_json_node_get_member (root, "model")->text, ==, "core.tagged");
      tag = bb_json_node_get_member (bb_json_node_get_member (root, "fields"), "tag");
      g_assert_cmpint (tag->kind, ==, BB_JSON_ARRAY);
      g_assert_cmpuint (tag->n_children, ==, 2);
      g_assert_cmpstr (tag->children[1]->text, ==, "child");
    }
}

static void
test_split_strings_with_brackets (void)
{
  assert_splits ("[\"]\", \"[\", \"}\", \"{\", \",\", \"\\\"\", \"\\\\\", \"\\\\\\\"]\"]",
                 (const char *[]) { "\"]\"", "\"[\"", "\"}\"", "\"{\"", "\",\"",
                                    "\"\\\"\"", "\"\\\\\"", "\"\\\\\\\"]\"", NULL });
  /* A string ending in an escaped backslash ends there; the quote after an
   * odd run of backslashes does not end it. */
  assert_splits ("[{\"a\": \"x\\\\\"}, {\"b\": \"]}\\\\\\\\\\\"],\"}]",
                 (const char *[]) { "{\"a\": \"x\\\\\"}", "{\"b\": \"]}\\\\\\\\\\\"],\"}", NULL });
  assert_splits ("[{\"k[\": \"v{\", \"}\": [\"]\", \"\\\"]\"]}]",
                 (const char *[]) { "{\"k[\": \"v{\", \"}\": [\"]\", \"\\\"]\"]}", NULL });
}

static void
test_split_nested (void)
{
  assert_splits ("[{\"model\": \"core.tagged\", \"fields\": {\"tag\": [\"core\", \"child\"], \"m2m\": [1, 2, [3, {\"x\": []}]]}},"
                 " [[[]]], [{}, [{}]]]",
                 (const char *[]) { "{\"model\": \"core.tagged\", \"fields\": {\"tag\": [\"core\", \"child\"], \"m2m\": [1, 2, [3, {\"x\": []}]]}}",
                                    "[[[]]]", "[{}, [{}]]", NULL });
}

static void
test_split_bom (void)
{
  static const char doc[] = "\xEF\xBB\xBF[1,\n2]";

  assert_splits (doc, (const char *[]) { "1", "2", NULL });
  assert_splits ("\xEF\xBB\xBF  \n [\"\xEF\xBB\xBF\"]", (const char *[]) { "\"\xEF\xBB\xBF\"", NULL });

  /* The BOM is not a column. */
  assert_split_fails ("\xEF\xBB\xBF[1 2]", -1, BB_JSON_ERROR_SYNTAX, "line 1, column 4");
  /* Only one, and only at the start. */
  assert_split_fails ("\xEF\xBB\xBF\xEF\xBB\xBF[]", -1, BB_JSON_ERROR_NOT_ARRAY, NULL);
  assert_split_fails (" \xEF\xBB\xBF[]", -1, BB_JSON_ERROR_NOT_ARRAY, NULL);
  /* A partial BOM is not an array. */
  assert_split_fails ("\xEF\xBB", -1, BB_JSON_ERROR_NOT_ARRAY, NULL);
}

static void
test_split_bytes_consumed (void)
{
  static const char doc[] = "\xEF\xBB\xBF[1, 22 ,333]  ";
  Source src;
  g_autoptr(BbJsonArrayReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  const char *element;
  gsize length;
  static const guint64 after[] = { 5, 9, 14 };

  source_init (&src, doc, strlen (doc));
  src.piece = 1;
  reader = bb_json_array_reader_new (source_read, &src, 0);
  g_assert_cmpuint (bb_json_array_reader_get_bytes (reader), ==, 0);
  g_assert_cmpuint (bb_json_array_reader_get_index (reader), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (after); i++)
    {
      g_assert_true (bb_json_array_reader_next (reader, &element, &length, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (bb_json_array_reader_get_bytes (reader), ==, after[i]);
      g_assert_cmpuint (bb_json_array_reader_get_index (reader), ==, i + 1);
    }
  g_assert_false (bb_json_array_reader_next (reader, &element, &length, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (bb_json_array_reader_get_bytes (reader), ==, strlen (doc));
  g_assert_cmpuint (bb_json_array_reader_get_index (reader), ==, 3);
}

/* A document of n records of about `size` bytes each. */
static char *
make_records (guint n,
              gsize size)
{
  GString *doc = g_string_new ("[\n");

  for (guint i = 0; i < n; i++)
    {
      gsize before = doc->len;

      g_string_append_printf (doc, "{\"model\": \"core.note\", \"pk\": %u, \"fields\": {\"note\": \"", i + 1);
      while (doc->len - before < size)
        g_string_append (doc, "é]\\\"{");
      g_string_append (doc, "\"}}");
      g_string_append (doc, i + 1 < n ? ",\n" : "\n");
    }
  g_string_append (doc, "]\n");
  return g_string_free (doc, FALSE);
}

static void
test_split_pieces (void)
{
  /* Elements larger than a read and than the first buffer, read in every
   * way, give the same elements. */
  g_autofree char *doc = make_records (40, 50 * 1024);
  gsize len = strlen (doc);
  g_autoptr(GPtrArray) whole = NULL;
  g_autoptr(GError) error = NULL;

  whole = split_len (doc, len, READ_WHOLE, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (whole->len, ==, 40);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (g_ptr_array_index (whole, 39), NULL),
                                   "{\"model\": \"core.note\", \"pk\": 40,"));

  for (ReadMode mode = READ_BYTES; mode < N_READ_MODES; mode++)
    {
      g_autoptr(GPtrArray) elements = split_len (doc, len, mode, 0, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (elements->len, ==, whole->len);
      for (guint i = 0; i < elements->len; i++)
        g_assert_true (g_bytes_equal (g_ptr_array_index (elements, i), g_ptr_array_index (whole, i)));
    }

  /* Big random pieces too. */
  for (guint seed = 1; seed <= 5; seed++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
      g_autoptr(GPtrArray) elements = NULL;
      Source src;

      source_init (&src, doc, len);
      src.rand = rand;
      src.piece = 200000;
      elements = split_with (&src, 0, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (elements->len, ==, whole->len);
      for (guint i = 0; i < elements->len; i++)
        g_assert_true (g_bytes_equal (g_ptr_array_index (elements, i), g_ptr_array_index (whole, i)));
    }
}

static void
test_split_max_element_size (void)
{
  static const char doc[] = "[\"abcd\", [1,2,3], \"ab\"]";
  g_autofree char *big = NULL;
  gsize big_len;

  /* The largest element is 7 bytes: a limit of 7 takes it, 6 does not. */
  for (ReadMode mode = 0; mode < N_READ_MODES; mode++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) elements = split_len (doc, strlen (doc), mode, 7, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (elements->len, ==, 3);
    }
  for (ReadMode mode = 0; mode < N_READ_MODES; mode++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) elements = split_len (doc, strlen (doc), mode, 6, &error);

      g_assert_error (error, BB_JSON_ERROR, BB_JSON_ERROR_TOO_LARGE);
      g_assert_nonnull (strstr (error->message, "Record 2 "));
      g_assert_cmpuint (elements->len, ==, 1);
    }

  /* A 3 MB element under a 1 MB limit fails without reading it all: the
   * buffer stays bounded by the limit. */
  big = make_records (3, 3 * 1024 * 1024);
  big_len = strlen (big);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) elements = NULL;
    Source src;

    source_init (&src, big, big_len);
    elements = split_with (&src, 1024 * 1024, &error);
    g_assert_error (error, BB_JSON_ERROR, BB_JSON_ERROR_TOO_LARGE);
    g_assert_nonnull (strstr (error->message, "Record 1 (line 2)"));
    g_assert_nonnull (strstr (error->message, "1.0\xC2\xA0MB"));  /* g_format_size () uses a no-break space */
    g_assert_cmpuint (elements->len, ==, 0);
    g_assert_cmpuint (src.pos, <, 1024 * 1024 + 256 * 1024);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) elements = split_len (big, big_len, READ_SEVENS, 4 * 1024 * 1024, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (elements->len, ==, 3);
  }
}

static char *
nested (guint       depth,
        const char *open,
        const char *inner,
        const char *close)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append (s, open);
  g_string_append (s, inner);
  for (guint i = 0; i < depth; i++)
    g_string_append (s, close);
  return g_string_free (s, FALSE);
}

static void
test_split_depth (void)
{
  g_autofree char *ok = nested (BB_JSON_MAX_DEPTH, "[", "1", "]");
  g_autofree char *ok_objects = nested (BB_JSON_MAX_DEPTH, "{\"a\":", "1", "}");
  g_autofree char *deep = nested (BB_JSON_MAX_DEPTH + 1, "[", "", "]");
  g_autofree char *doc_ok = g_strdup_printf ("[%s, %s, 1]", ok, ok_objects);
  g_autofree char *doc_deep = g_strdup_printf ("[1,\n%s]", deep);
  g_autofree char *in_string = g_strdup_printf ("[\"%s\"]", deep);
  g_autofree char *in_string_element = g_strdup_printf ("\"%s\"", deep);

  assert_splits (doc_ok, (const char *[]) { ok, ok_objects, "1", NULL });
  assert_split_fails (doc_deep, strlen (doc_deep), BB_JSON_ERROR_TOO_DEEP, "Record 2 ");
  assert_split_fails (doc_deep, strlen (doc_deep), BB_JSON_ERROR_TOO_DEEP, "line 2, column 33");
  /* Brackets in strings do not nest. */
  assert_splits (in_string, (const char *[]) { in_string_element, NULL });
}

static void
test_split_truncated (void)
{
  /* Cut anywhere before its end, a valid document must not look complete. */
  static const char doc[] =
    "\xEF\xBB\xBF[ {\"model\": \"core.tagged\", \"pk\": 1, \"fields\": {\"tag\": [\"a\\\"]\", \"b\\\\\"], \"x\": null}},\n"
    "  [1, [2.5e-3, {}]], \"s\\u00e9]\", -12, true, false, null, {\"\": \"\"}]";
  g_autoptr(GPtrArray) whole = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = strlen (doc);

  whole = split_len (doc, len, READ_WHOLE, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (whole->len, ==, 8);

  for (gsize cut = 0; cut < len; cut++)
    for (ReadMode mode = 0; mode < N_READ_MODES; mode++)
      {
        g_autoptr(GPtrArray) elements = split_len (doc, cut, mode, 0, &error);

        g_assert_nonnull (error);
        g_assert_true (error->domain == BB_JSON_ERROR);
        /* Before the "[": not an array; after it, cut short. */
        if (cut <= 3)
          g_assert_cmpint (error->code, ==, BB_JSON_ERROR_NOT_ARRAY);
        else
          g_assert_cmpint (error->code, ==, BB_JSON_ERROR_TRUNCATED);
        g_clear_error (&error);

        /* What came out before is what the whole document gives. */
        g_assert_cmpuint (elements->len, <=, whole->len);
        for (guint i = 0; i < elements->len; i++)
          g_assert_true (g_bytes_equal (g_ptr_array_index (elements, i), g_ptr_array_index (whole, i)));
      }

  assert_split_fails ("[{\"a\": 1}", -1, BB_JSON_ERROR_TRUNCATED, "after record 1,");
  assert_split_fails ("[\n{\"a\": [1, \"]}\"", -1, BB_JSON_ERROR_TRUNCATED, "inside record 1, which starts on line 2");
}

static void
test_split_trailing (void)
{
  assert_splits ("[1]  \n\t\r\n", (const char *[]) { "1", NULL });
  assert_split_fails ("[1] x", -1, BB_JSON_ERROR_SYNTAX, "line 1, column 5");
  assert_split_fails ("[1]]", -1, BB_JSON_ERROR_SYNTAX, "after the end");
  assert_split_fails ("[1],", -1, BB_JSON_ERROR_SYNTAX, NULL);
  assert_split_fails ("[1]\n[2]", -1, BB_JSON_ERROR_SYNTAX, "line 2, column 1");
  assert_split_fails ("[1]\0", 4, BB_JSON_ERROR_SYNTAX, NULL);
}

static void
test_split_syntax (void)
{
  assert_split_fails ("[1 2]", -1, BB_JSON_ERROR_SYNTAX, "after record 1 (line 1, column 4)");
  assert_split_fails ("[1,]", -1, BB_JSON_ERROR_SYNTAX, "Record 2 ");
  assert_split_fails ("[,1]", -1, BB_JSON_ERROR_SYNTAX, "Record 1 is not valid JSON (line 1, column 2)");
  assert_split_fails ("[1,\n,2]", -1, BB_JSON_ERROR_SYNTAX, "Record 2 is not valid JSON (line 2, column 1)");
  assert_split_fails ("[}]", -1, BB_JSON_ERROR_SYNTAX, "“}”");
  assert_split_fails ("[{\"a\": [1}]]", -1, BB_JSON_ERROR_SYNTAX, "“}” does not close “[”");
  assert_split_fails ("[[1, {\"b\": 2]]]", -1, BB_JSON_ERROR_SYNTAX, "“]” does not close “{”");
  assert_split_fails ("[{\"a\":1}{\"b\":2}]", -1, BB_JSON_ERROR_SYNTAX, "after record 1");
  assert_split_fails ("[\"a\"\"b\"]", -1, BB_JSON_ERROR_SYNTAX, NULL);
  assert_split_fails ("[1\"b\"]", -1, BB_JSON_ERROR_SYNTAX, NULL);
}

static void
test_split_not_array (void)
{
  assert_split_fails ("", -1, BB_JSON_ERROR_NOT_ARRAY, "empty");
  assert_split_fails (" \n\t ", -1, BB_JSON_ERROR_NOT_ARRAY, "empty");
  assert_split_fails ("{}", -1, BB_JSON_ERROR_NOT_ARRAY, "line 1, column 1");
  assert_split_fails ("\n  \"x\"", -1, BB_JSON_ERROR_NOT_ARRAY, "line 2, column 3");
  assert_split_fails ("1", -1, BB_JSON_ERROR_NOT_ARRAY, NULL);
  assert_split_fails ("null", -1, BB_JSON_ERROR_NOT_ARRAY, NULL);
  assert_split_fails ("\xEF\xBB\xBF{\"a\": []}", -1, BB_JSON_ERROR_NOT_ARRAY, "line 1, column 1");
  assert_split_fails ("PK\x03\x04", -1, BB_JSON_ERROR_NOT_ARRAY, NULL);
}

static void
test_split_read_error (void)
{
  static const char doc[] = "[1, 2, 3, 4, 5, 6, 7, 8, 9]";

  for (ReadMode mode = 0; mode < N_READ_MODES; mode++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) elements = NULL;
      Source src;

      source_init (&src, doc, strlen (doc));
      src.piece = mode == READ_WHOLE ? 0 : 1;
      src.fail_at = 10;
      elements = split_with (&src, 0, &error);
      g_assert_error (error, BB_JSON_ERROR, BB_JSON_ERROR_READ);
      g_assert_cmpstr (error->message, ==, "The disk is on fire");
      g_assert_cmpuint (elements->len, <=, 3);
      g_clear_error (&error);
      g_clear_pointer (&elements, g_ptr_array_unref);

      /* Cancellation is passed on as it is. */
      source_init (&src, doc, strlen (doc));
      src.piece = mode == READ_WHOLE ? 0 : 1;
      src.fail_at = 5;
      src.cancel = TRUE;
      elements = split_with (&src, 0, &error);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_clear_error (&error);
      g_clear_pointer (&elements, g_ptr_array_unref);

      /* A read function that fails without saying why still gives an error. */
      source_init (&src, doc, strlen (doc));
      src.fail_at = 0;
      src.no_error = TRUE;
      elements = split_with (&src, 0, &error);
      g_assert_error (error, BB_JSON_ERROR, BB_JSON_ERROR_READ);
      g_assert_cmpuint (elements->len, ==, 0);
    }
}

static void
test_split_error_position (void)
{
  /* Lines are still right after the buffer has moved on many times. */
  GString *doc = g_string_new ("[\n");
  g_autofree char *expected = NULL;
  guint n = 30000;

  for (guint i = 0; i < n; i++)
    g_string_append (doc, "{\"a\": \"é\n\"},\n");
  g_string_append (doc, "  \"é\", ]");
  /* Each record spans two lines (the string holds a raw newline). */
  expected = g_strdup_printf ("Record %u is not valid JSON (line %u, column 8)", n + 2, 2 * n + 2);
  assert_split_fails (doc->str, doc->len, BB_JSON_ERROR_SYNTAX, expected);
  g_string_free (doc, TRUE);
}

/* --- Parsing -------------------------------------------------------------- */

static const BbJsonNode *
parse (BbJsonDoc  *doc,
       const char *text)
{
  g_autoptr(GError) error = NULL;
  const BbJsonNode *root = bb_json_doc_parse (doc, text, strlen (text), &error);

  if (error != NULL)
    g_error ("“%s” did not parse: %s", text, error->message);
  g_assert_nonnull (root);
  return root;
}

static void
assert_parse_fails_len (const char  *text,
                        gsize        len,
                        BbJsonError  code,
                        const char  *part)
{
  g_autoptr(BbJsonDoc) doc = bb_json_doc_new ();
  g_autoptr(GError) error = NULL;
  const BbJsonNode *root = bb_json_doc_parse (doc, text, len, &error);

  if (root != NULL)
    g_error ("“%.*s” parsed but should not", (int) len, text);
  g_assert_error (error, BB_JSON_ERROR, (int) code);
  if (part != NULL && strstr (error->message, part) == NULL)
    g_error ("“%s” is not in “%s” (parsing “%.*s”)", part, error->message, (int) len, text);
}

static void
assert_parse_fails (const char *text,
                    const char *part)
{
  assert_parse_fails_len (text, strlen (text), BB_JSON_ERROR_SYNTAX, part);
}

static void
test_parse_types (void)
{
  g_autoptr(BbJsonDoc) doc = bb_json_doc_new ();
  const BbJsonNode *root, *node;
  static const char *keys[] = { "n", "t", "f", "i", "d", "s", "a", "o" };

  root = parse (doc, "{\"n\":null,\"t\":true,\"f\":false,\"i\":-12,\"d\":1.5E+3,\"s\":\"x\","
                     "\"a\":[1,[2,[]],{}],\"o\":{\"k\":\"v\"}}");
  g_assert_cmpint (root->kind, ==, BB_JSON_OBJECT);
  g_assert_null (root->key);
  g_assert_cmpuint (root->n_children, ==, G_N_ELEMENTS (keys));
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_cmpstr (root->children[i]->key, ==, keys[i]);

  g_assert_cmpint (bb_json_node_get_member (root, "n")->kind, ==, BB_JSON_NULL);
  g_assert_cmpint (bb_json_node_get_member (root, "t")->kind, ==, BB_JSON_TRUE);
  g_assert_cmpint (bb_json_node_get_member (root, "f")->kind, ==, BB_JSON_FALSE);
  node = bb_json_node_get_member (root, "i");
  g_assert_cmpint (node->kind, ==, BB_JSON_NUMBER);
  g_assert_cmpstr (node->text, ==, "-12");
  g_assert_cmpuint (node->len, ==, 3);
  node = bb_json_node_get_member (root, "d");
  g_assert_cmpint (node->kind, ==, BB_JSON_NUMBER);
  g_assert_cmpstr (node->text, ==, "1.5E+3");
  node = bb_json_node_get_member (root, "s");
  g_assert_cmpint (node->kind, ==, BB_JSON_STRING);
  g_assert_cmpstr (node->text, ==, "x");
  g_assert_cmpuint (node->len, ==, 1);

  node = bb_json_node_get_member (root, "a");
  g_assert_cmpint (node->kind, ==, BB_JSON_ARRAY);
  g_assert_cmpuint (node->n_children, ==, 3);
  g_assert_null (node->children[0]->key);
  g_assert_cmpstr (node->children[0]->text, ==, "1");
  g_assert_cmpint (node->children[1]->kind, ==, BB_JSON_ARRAY);
  g_assert_cmpuint (node->children[1]->n_children, ==, 2);
  g_assert_cmpstr (node->children[1]->children[0]->text, ==, "2");
  g_assert_cmpint (node->children[1]->children[1]->kind, ==, BB_JSON_ARRAY);
  g_assert_cmpuint (node->children[1]->children[1]->n_children, ==, 0);
  g_assert_cmpint (node->children[2]->kind, ==, BB_JSON_OBJECT);
  g_assert_cmpuint (node->children[2]->n_children, ==, 0);

  node = bb_json_node_get_member (root, "o");
  g_assert_cmpint (node->kind, ==, BB_JSON_OBJECT);
  g_assert_cmpstr (bb_json_node_get_member (node, "k")->text, ==, "v");
  g_assert_null (bb_json_node_get_member (node, "missing"));
  g_assert_null (bb_json_node_get_member (node, "K"));
  g_assert_null (bb_json_node_get_member (node, ""));
  /* Lookups chain through anything that is not an object. */
  g_assert_null (bb_json_node_get_member (bb_json_node_get_member (root, "a"), "k"));
  g_assert_null (bb_json_node_get_member (NULL, "k"));

  /* Scalars at the top, with whitespace around. */
  g_assert_cmpint (parse (doc, " null ")->kind, ==, BB_JSON_NULL);
  g_assert_cmpint (parse (doc, "\ttrue\r\n")->kind, ==, BB_JSON_TRUE);
  g_assert_cmpint (parse (doc, "false")->kind, ==, BB_JSON_FALSE);
  g_assert_cmpstr (parse (doc, "0")->text, ==, "0");
  g_assert_cmpstr (parse (doc, "\"\"")->text, ==, "");
  g_assert_cmpuint (parse (doc, "[ ]")->n_children, ==, 0);
  g_assert_cmpuint (parse (doc, "{ }")->n_children, ==, 0);
  g_assert_cmpuint (parse (doc, "{\"\": 1}")->n_children, ==, 1);
  g_assert_cmpstr (parse (doc, "{\"\": 1}")->children[0]->key, ==, "");
}

static void
test_parse_length (void)
{
  g_autoptr(BbJsonDoc) doc = bb_json_doc_new ();
  g_autoptr(GError) error = NULL;
  const BbJsonNode *root;
  const char *text = "123456";

  /* Only len bytes count, NUL or not. */
  root = bb_json_doc_parse (doc, text, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (root->text, ==, "123");
  root = bb_json_doc_parse (doc, "[1,2]xyz", 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (root->n_children, ==, 2);
  root = bb_json_doc_parse (doc, "\"ab\"cd", 3, &error);
  g_assert_error (error, BB_JSON_ERROR, BB_JSON_ERROR_SYNTAX);
  g_assert_null (root);
  g_clear_error (&error);
  root = bb_json_doc_parse (doc, "[1]\0", 4, &error);
  g_assert_error (error, BB_JSON_ERROR, BB_JSON_ERROR_SYNTAX);
  g_clear_error (&error);
  root = bb_json_doc_parse (doc, NULL, 0, &error);
  g_assert_error (error, BB_JSON_ERROR, BB_JSON_ERROR_SYNTAX);
  g_assert_null (root);
}

static void
test_parse_strings (void)
{
  g_autoptr(BbJsonDoc) doc = bb_json_doc_new ();
  static const struct { const char *json; const char *value; gsize len; } cases[] = {
    { "\"\"", "", 0 },
    { "\"plain ascii\"", "plain ascii", 11 },
    { "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\b\f\n\r\t", 8 },
    { "\"\\u00e9\"", "é", 2 },
    { "\"\\u00E9t\\u00c9\"", "étÉ", 5 },
    { "\"\\ud83d\\udc76\"", "👶", 4 },
    { "\"\\uD83D\\uDC76!\"", "👶!", 5 },
    { "\"a\\u0000b\"", "a\0b", 3 },
    { "\"\\u0041\\u20ac\\uffff\"", "A€\xEF\xBF\xBF", 7 },
    { "\"\\udbff\\udfff\"", "\xF4\x8F\xBF\xBF", 4 },
    { "\"é👶€\"", "é👶€", 9 },
    { "\"\x7F\"", "\x7F", 1 },
    { "\"\xE2\x80\xA8\"", "\xE2\x80\xA8", 3 },
    { "\"[]{},:\\\\\"", "[]{},:\\", 7 },
    { "\"x\\\\\"", "x\\", 2 },
    { "\"\\\\u00e9\"", "\\u00e9", 6 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const BbJsonNode *node = parse (doc, cases[i].json);

      g_assert_cmpint (node->kind, ==, BB_JSON_STRING);
      g_assert_cmpuint (node->len, ==, cases[i].len);
      g_assert_cmpmem (node->text, node->len, cases[i].value, cases[i].len);
      g_assert_cmpint (node->text[node->len], ==, '\0');
      /* GLib counts U+0000 as invalid, so only the text before it is checked. */
      g_assert_true (g_utf8_validate (node->text, -1, NULL));
    }

  /* Keys are unescaped the same way. */
  {
    const BbJsonNode *root = parse (doc, "{\"\\u00e9\\\"\": 1, \"a\\u0000\": 2}");

    g_assert_cmpstr (root->children[0]->key, ==, "é\"");
    g_assert_cmpstr (bb_json_node_get_member (root, "é\"")->text, ==, "1");
  }
}

static void
test_parse_bad_strings (void)
{
  static const struct { const char *json; const char *part; } cases[] = {
    /* Lone surrogates */
    { "\"\\ud83d\"", "column 2: “\\ud83d” is half of a surrogate pair" },
    { "\"\\ud83dx\"", "surrogate" },
    { "\"\\ud83d\\u0041\"", "surrogate" },
    { "\"\\ud83d\\ud83d\"", "surrogate" },
    { "\"\\udc76\"", "surrogate" },
    { "\"ab\\udc76\\ud83d\"", "column 4: “\\udc76”" },
    { "\"\\uDFFF\"", "surrogate" },
    /* Escapes */
    { "\"\\u12\"", "four hexadecimal digits" },
    { "\"\\u12G4\"", "four hexadecimal digits" },
    { "\"\\u\"", "four hexadecimal digits" },
    { "\"\\x41\"", "column 2: “\\” followed by “x” is not an escape" },
    { "\"\\U00e9\"", "not an escape" },
    { "\"\\'\"", "not an escape" },
    { "\"\\ \"", "not an escape" },
    { "\"\\\xC3\xA9\"", "not an escape" },
    /* Control characters */
    { "\"a\nb\"", "column 3: control character U+000A" },
    { "\"\t\"", "U+0009" },
    { "\"\x01\"", "U+0001" },
    { "\"\x1F\"", "U+001F" },
    { "{\"a\x1F\": 1}", "U+001F" },
    /* UTF-8 */
    { "\"\xC0\x80\"", "column 2: a string is not valid UTF-8" },
    { "\"\xC1\xBF\"", "UTF-8" },
    { "\"\xC3\"", "UTF-8" },
    { "\"\xC3" "a\"", "UTF-8" },
    { "\"\xE0\x80\x80\"", "UTF-8" },
    { "\"\xE0\x9F\xBF\"", "UTF-8" },
    { "\"\xED\xA0\x80\"", "UTF-8" },
    { "\"\xED\xBF\xBF\"", "UTF-8" },
    { "\"\xE2\x82\"", "UTF-8" },
    { "\"\xF0\x8F\xBF\xBF\"", "UTF-8" },
    { "\"\xF0\x9F\x91\"", "UTF-8" },
    { "\"\xF4\x90\x80\x80\"", "UTF-8" },
    { "\"\xF5\x80\x80\x80\"", "UTF-8" },
    { "\"\x80\"", "UTF-8" },
    { "\"\xFF\"", "UTF-8" },
    { "\"\xFE\xFF\"", "UTF-8" },
    { "{\"\xFF\": 1}", "UTF-8" },
    /* Not closed */
    { "\"abc", "column 1: a string is not closed" },
    { "\"abc\\\"", "not closed" },
    { "\"abc\\", "not closed" },
    { "[\"a\", \"b]", "column 7: a string is not closed" },
    /* Other quotes */
    { "'a'", "unexpected “'”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_parse_fails (cases[i].json, cases[i].part);

  /* A raw NUL inside a string is a control character. */
  assert_parse_fails_len ("\"a\0b\"", 5, BB_JSON_ERROR_SYNTAX, "U+0000");
}

static void
test_parse_numbers (void)
{
  g_autoptr(BbJsonDoc) doc = bb_json_doc_new ();
  static const char *good[] = {
    "0", "-0", "1", "-1", "10", "123456789", "0.5", "-0.5", "1.0", "0.000", "1e5", "1E5",
    "1e+5", "1e-5", "1E-005", "0e0", "-0.0e-0", "1.5E+300", "12345678901234567890123456789",
    "9.99", "-9223372036854775809", "1e999999",
  };
  static const struct { const char *json; const char *part; } bad[] = {
    { "01", "column 1: a number may not start with a zero followed by digits" },
    { "-01", "column 2: a number may not start with a zero" },
    { "00", "zero" },
    { "+1", "unexpected “+”" },
    { ".5", "unexpected “.”" },
    { "1.", "column 3: a decimal point must be followed by digits" },
    { "1.e5", "decimal point" },
    { "-.5", "“-” must be followed by digits" },
    { "1e", "column 3: an exponent must have digits" },
    { "1e+", "exponent" },
    { "1E-", "exponent" },
    { "1ee5", "exponent" },
    { "-", "“-” must be followed by digits" },
    { "--1", "“-” must be followed by digits" },
    { "- 1", "“-” must be followed by digits" },
    { "NaN", "unexpected “N”" },
    { "nan", "column 2: unexpected “a”" },
    { "Infinity", "unexpected “I”" },
    { "-Infinity", "“-” must be followed by digits" },
    { "0x10", "column 2: unexpected “x” after the value" },
    { "1_000", "unexpected “_”" },
    { "1.5.5", "column 4: unexpected “.”" },
    { "1e5.5", "unexpected “.”" },
    { "1 2", "column 3: unexpected “2” after the value" },
    { "\xD9\xA1", "“١” (U+0661)" },
    { "[01]", "zero" },
    { "{\"a\": 1.}", "decimal point" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      const BbJsonNode *node = parse (doc, good[i]);

      g_assert_cmpint (node->kind, ==, BB_JSON_NUMBER);
      g_assert_cmpstr (node->text, ==, good[i]);
      g_assert_cmpuint (node->len, ==, strlen (good[i]));
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_parse_fails (bad[i].json, bad[i].part);
}

static void
test_parse_int64 (void)
{
  g_autoptr(BbJsonDoc) doc = bb_json_doc_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (64);
  static const struct { const char *json; gboolean ok; gint64 value; } cases[] = {
    { "0", TRUE, 0 },
    { "-0", TRUE, 0 },
    { "7", TRUE, 7 },
    { "-7", TRUE, -7 },
    { "1234567890123", TRUE, G_GINT64_CONSTANT (1234567890123) },
    { "9223372036854775807", TRUE, G_MAXINT64 },
    { "-9223372036854775807", TRUE, -G_MAXINT64 },
    { "-9223372036854775808", TRUE, G_MININT64 },
    { "9223372036854775808", FALSE, 0 },
    { "-9223372036854775809", FALSE, 0 },
    { "9223372036854775810", FALSE, 0 },
    { "18446744073709551615", FALSE, 0 },
    { "18446744073709551616", FALSE, 0 },
    { "99999999999999999999", FALSE, 0 },
    { "184467440737095516160", FALSE, 0 },
    { "1.0", FALSE, 0 },
    { "1e3", FALSE, 0 },
    { "1E3", FALSE, 0 },
    { "-0.0", FALSE, 0 },
    { "\"5\"", FALSE, 0 },
    { "true", FALSE, 0 },
    { "null", FALSE, 0 },
    { "[1]", FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 value = 42;

      g_assert_cmpint (bb_json_node_get_int64 (parse (doc, cases[i].json), &value), ==, cases[i].ok);
      if (cases[i].ok)
        g_assert_cmpint (value, ==, cases[i].value);
    }

  /* Against strtoll, around the edges too. */
  for (guint i = 0; i < 20000; i++)
    {
      char text[32];
      guint digits = g_rand_int_range (rand, 1, 21);
      gboolean negative = g_rand_boolean (rand);
      guint pos = 0;
      gint64 value = 0, expected;
      gboolean ok;
      char *end;

      if (negative)
        text[pos++] = '-';
      text[pos++] = '1' + g_rand_int_range (rand, 0, 9);
      for (guint d = 1; d < digits; d++)
        text[pos++] = '0' + g_rand_int_range (rand, 0, 10);
      text[pos] = '\0';
      if (i % 4 == 0)
        {
          /* Numbers of 19 digits close to the limits. */
          g_snprintf (text, sizeof text, "%s922337203685477%04d", negative ? "-" : "",
                      5700 + g_rand_int_range (rand, 0, 200));
        }

      errno = 0;
      expected = g_ascii_strtoll (text, &end, 10);
      ok = bb_json_node_get_int64 (parse (doc, text), &value);
      g_assert_cmpint (ok, ==, errno != ERANGE);
      if (ok)
        g_assert_cmpint (value, ==, expected);
    }
}

static void
test_parse_objects (void)
{
  g_autoptr(BbJsonDoc) doc = bb_json_doc_new ();
  const BbJsonNode *root;

  /* Duplicate keys are kept in order; the last one wins a lookup, as in Python. */
  root = parse (doc, "{\"a\": 1, \"b\": 2, \"a\": 3, \"c\": {\"a\": 4}}");
  g_assert_cmpuint (root->n_children, ==, 4);
  g_assert_cmpstr (root->children[0]->key, ==, "a");
  g_assert_cmpstr (root->children[0]->text, ==, "1");
  g_assert_cmpstr (root->children[1]->key, ==, "b");
  g_assert_cmpstr (root->children[2]->key, ==, "a");
  g_assert_cmpstr (root->children[3]->key, ==, "c");
  g_assert_cmpstr (bb_json_node_get_member (root, "a")->text, ==, "3");
  g_assert_cmpstr (bb_json_node_get_member (root, "b")->text, ==, "2");
  g_assert_true (bb_json_node_get_member (root, "a") == root->children[2]);
  g_assert_cmpstr (bb_json_node_get_member (bb_json_node_get_member (root, "c"), "a")->text, ==, "4");
  /* Keys of a member's own value's members do not leak upwards. */
  g_assert_null (bb_json_node_get_member (root, "d"));
}

static void
test_parse_syntax (void)
{
  static const struct { const char *json; const char *part; } cases[] = {
    { "", "line 1, column 1: there is no value" },
    { "   \n ", "line 2, column 2: there is no value" },
    { "[1,]", "column 4: a comma is followed by “]”" },
    { "{\"a\":1,}", "column 8: a comma is followed by “}”" },
    { "{\"a\" 1}", "column 6: expected “:” after a member name, found “1”" },
    { "{a:1}", "column 2: expected a member name in double quotes, found “a”" },
    { "{'a':1}", "column 2: expected a member name" },
    { "{1:1}", "column 2: expected a member name" },
    { "[1 2]", "column 4: expected “,” or “]”, found “2”" },
    { "[1,,2]", "column 4: unexpected “,”" },
    { "[,1]", "column 2: unexpected “,”" },
    { "{,}", "column 2: expected a member name" },
    { "// comment\n1", "column 1: unexpected “/”" },
    { "/* c */ 1", "unexpected “/”" },
    { "[1 /* c */]", "column 4: expected “,” or “]”, found “/”" },
    { "[", "column 2: the text ends too early" },
    { "[1", "column 3: expected “,” or “]”, found the end of the text" },
    { "{", "column 2: expected a member name in double quotes, found the end of the text" },
    { "{\"a\"", "expected “:”" },
    { "{\"a\":", "column 6: the text ends too early" },
    { "tru", "column 4: the text ends too early" },
    { "trux", "column 4: unexpected “x”" },
    { "True", "column 1: unexpected “T”" },
    { "nul", "ends too early" },
    { "truex", "column 5: unexpected “x” after the value" },
    { "[1]]", "column 4: unexpected “]” after the value" },
    { "{}{}", "column 3: unexpected “{” after the value" },
    { "[1}", "column 3: expected “,” or “]”, found “}”" },
    { "{\"a\":1]", "column 7: expected “,” or “}”, found “]”" },
    { "{\"a\":1 \"b\":2}", "column 8: expected “,” or “}”" },
    { "\xEF\xBB\xBF" "1", "column 1: unexpected “\xEF\xBB\xBF” (U+FEFF)" },
    { "[\f1]", "column 2: unexpected U+000C" },
    { "\xC2\xA0" "1", "column 1: unexpected “\xC2\xA0” (U+00A0)" },
    { "\xFF", "column 1: unexpected byte 0xFF" },
    { "[\n  1,\n  x]", "line 3, column 3: unexpected “x”" },
    { "[\"é👶\", x]", "line 1, column 8: unexpected “x”" },
    { "{\r\n\"a\": @}", "line 2, column 6: unexpected “@”" },
    { "[undefined]", "unexpected “u”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_parse_fails (cases[i].json, cases[i].part);

  /* Messages are sentences. */
  {
    g_autoptr(BbJsonDoc) doc = bb_json_doc_new ();
    g_autoptr(GError) error = NULL;

    g_assert_null (bb_json_doc_parse (doc, "[1,]", 4, &error));
    g_assert_cmpstr (error->message, ==, "Not valid JSON at line 1, column 4: a comma is followed by “]”.");
  }
}

static void
test_parse_whitespace (void)
{
  g_autoptr(BbJsonDoc) doc = bb_json_doc_new ();
  const BbJsonNode *root = parse (doc, " \t\r\n{ \t\r\n\"a\" \t\r\n: \t\r\n[ \t\r\n1 \t\r\n, \t\r\n2 \t\r\n] \t\r\n} \t\r\n");

  g_assert_cmpuint (bb_json_node_get_member (root, "a")->n_children, ==, 2);
  assert_parse_fails ("[1,\v2]", "U+000B");
  assert_parse_fails ("\xE2\x80\xA8" "1", "U+2028");
}

static void
test_parse_depth (void)
{
  g_autoptr(BbJsonDoc) doc = bb_json_doc_new ();
  g_autofree char *arrays = nested (BB_JSON_MAX_DEPTH, "[", "1", "]");
  g_autofree char *objects = nested (BB_JSON_MAX_DEPTH, "{\"k\":", "1", "}");
  g_autofree char *mixed = nested (BB_JSON_MAX_DEPTH / 2, "[{\"k\":", "null", "}]");
  g_autofree char *deep_arrays = nested (BB_JSON_MAX_DEPTH + 1, "[", "1", "]");
  g_autofree char *deep_objects = nested (BB_JSON_MAX_DEPTH + 1, "{\"k\":", "{}", "}");
  g_autofree char *very_deep = nested (100000, "[", "", "]");
  g_autofree char *position = g_strdup_printf ("column %d: nested more than %d levels deep",
                                               BB_JSON_MAX_DEPTH + 1, BB_JSON_MAX_DEPTH);
  const BbJsonNode *node;
  guint depth = 0;

  for (node = parse (doc, arrays); node->kind == BB_JSON_ARRAY; node = node->children[0])
    depth++;
  g_assert_cmpuint (depth, ==, BB_JSON_MAX_DEPTH);
  g_assert_cmpstr (node->text, ==, "1");
  depth = 0;
  for (node = parse (doc, objects); node->kind == BB_JSON_OBJECT; node = bb_json_node_get_member (node, "k"))
    depth++;
  g_assert_cmpuint (depth, ==, BB_JSON_MAX_DEPTH);
  parse (doc, mixed);

  assert_parse_fails_len (deep_arrays, strlen (deep_arrays), BB_JSON_ERROR_TOO_DEEP, position);
  assert_parse_fails_len (deep_objects, strlen (deep_objects), BB_JSON_ERROR_TOO_DEEP, "nested more than");
  /* No recursion past the limit. */
  assert_parse_fails_len (very_deep, strlen (very_deep), BB_JSON_ERROR_TOO_DEEP, NULL);
}

static char *
big_element (guint n)
{
  GString *s = g_string_new ("[");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "%s{\"id\": %u, \"name\": \"name-%u-\\u00e9-%0100u\", \"list\": [%u, %u]}",
                            i > 0 ? ", " : "", i, i, i, i, i * 2);
  g_string_append (s, "]");
  return g_string_free (s, FALSE);
}

static void
check_big_element (const BbJsonNode *root,
                   guint             n)
{
  g_assert_cmpint (root->kind, ==, BB_JSON_ARRAY);
  g_assert_cmpuint (root->n_children, ==, n);
  for (guint i = 0; i < n; i++)
    {
      const BbJsonNode *item = root->children[i];
      g_autofree char *name = g_strdup_printf ("name-%u-é-%0100u", i, i);
      const BbJsonNode *list = bb_json_node_get_member (item, "list");
      gint64 value;

      g_assert_true (bb_json_node_get_int64 (bb_json_node_get_member (item, "id"), &value));
      g_assert_cmpint (value, ==, i);
      g_assert_cmpstr (bb_json_node_get_member (item, "name")->text, ==, name);
      g_assert_cmpuint (list->n_children, ==, 2);
      g_assert_true (bb_json_node_get_int64 (list->children[1], &value));
      g_assert_cmpint (value, ==, i * 2);
    }
}

static void
test_parse_arena_reuse (void)
{
  g_autoptr(BbJsonDoc) doc = bb_json_doc_new ();
  g_autofree char *big = big_element (20000);
  g_autofree char *bigger = big_element (40000);

  check_big_element (parse (doc, big), 20000);
  for (guint round = 0; round < 3; round++)
    {
      for (guint i = 0; i < 2000; i++)
        {
          g_autofree char *small = g_strdup_printf ("{\"pk\": %u, \"s\": \"v-%u\", \"a\": [\"core\", \"x%u\"]}", i, i, i);
          g_autofree char *s = g_strdup_printf ("v-%u", i);
          g_autofree char *x = g_strdup_printf ("x%u", i);
          const BbJsonNode *root = parse (doc, small);
          gint64 pk;

          g_assert_true (bb_json_node_get_int64 (bb_json_node_get_member (root, "pk"), &pk));
          g_assert_cmpint (pk, ==, i);
          g_assert_cmpstr (bb_json_node_get_member (root, "s")->text, ==, s);
          g_assert_cmpstr (bb_json_node_get_member (root, "a")->children[1]->text, ==, x);
        }
      /* A failed parse leaves the doc usable. */
      assert_parse_fails ("[1, 2, \"", "not closed");
      {
        g_autoptr(GError) error = NULL;

        g_assert_null (bb_json_doc_parse (doc, "[[[1, \"a\"], {\"b\": ", 18, &error));
        g_assert_error (error, BB_JSON_ERROR, BB_JSON_ERROR_SYNTAX);
      }
      check_big_element (parse (doc, round == 1 ? bigger : big), round == 1 ? 40000 : 20000);
    }
}

/* --- Random documents ------------------------------------------------------ */

/* Each value is written twice: as JSON, with random whitespace and escapes,
 * and in a plain form that is compared with what the parser gives back. */

static void
gen_whitespace (GRand   *rand,
                GString *json)
{
  static const char ws[] = " \t\n\r";

  for (int n = g_rand_int_range (rand, -2, 3); n > 0; n--)
    g_string_append_c (json, ws[g_rand_int_range (rand, 0, 4)]);
}

static gunichar
gen_char (GRand *rand)
{
  static const gunichar specials[] = {
    '"', '\\', '/', '[', ']', '{', '}', ',', ':', 0, 0x1F, 0x7F, 0xE9, 0x2028, 0xFEFF, 0xFFFF, 0x1F476, 0x10FFFF,
  };
  gunichar c;

  switch (g_rand_int_range (rand, 0, 8))
    {
    case 0:
      return specials[g_rand_int_range (rand, 0, G_N_ELEMENTS (specials))];
    case 1:
      return g_rand_int_range (rand, 0, 0x20);
    case 2:
      do
        c = g_rand_int_range (rand, 0x80, 0x10000);
      while (c >= 0xD800 && c <= 0xDFFF);
      return c;
    case 3:
      return g_rand_int_range (rand, 0x10000, 0x110000);
    default:
      return g_rand_int_range (rand, 0x20, 0x7F);
    }
}

static void
append_escape (GRand    *rand,
               GString  *json,
               gunichar  unit)
{
  g_string_append_printf (json, g_rand_boolean (rand) ? "\\u%04x" : "\\u%04X", unit);
}

static void
gen_string (GRand   *rand,
            GString *json,
            GString *plain)
{
  guint n = g_rand_int_range (rand, 0, 14);
  gsize start = plain->len;

  g_string_append_c (json, '"');
  for (guint i = 0; i < n; i++)
    {
      gunichar c = gen_char (rand);
      gboolean escape = g_rand_int_range (rand, 0, 4) == 0;
      char utf8[6];
      int len = g_unichar_to_utf8 (c, utf8);

      g_string_append_len (plain, utf8, len);

      if (c == '"' || c == '\\' || c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t')
        {
          if (escape)
            append_escape (rand, json, c);
          else
            switch (c)
              {
              case '"': g_string_append (json, "\\\""); break;
              case '\\': g_string_append (json, "\\\\"); break;
              case '\b': g_string_append (json, "\\b"); break;
              case '\f': g_string_append (json, "\\f"); break;
              case '\n': g_string_append (json, "\\n"); break;
              case '\r': g_string_append (json, "\\r"); break;
              default: g_string_append (json, "\\t"); break;
              }
        }
      else if (c < 0x20 || escape)
        {
          if (c == '/' && g_rand_boolean (rand))
            g_string_append (json, "\\/");
          else if (c >= 0x10000)
            {
              append_escape (rand, json, 0xD800 + ((c - 0x10000) >> 10));
              append_escape (rand, json, 0xDC00 + ((c - 0x10000) & 0x3FF));
            }
          else
            append_escape (rand, json, c);
        }
      else
        g_string_append_len (json, utf8, len);
    }
  g_string_append_c (json, '"');
  /* The plain form holds the length first, as strings may hold U+0000. */
  {
    g_autofree char *prefix = g_strdup_printf ("%" G_GSIZE_FORMAT ":", plain->len - start);

    g_string_insert (plain, start, prefix);
  }
}

static void
gen_number (GRand   *rand,
            GString *json,
            GString *plain)
{
  gsize start = json->len;

  if (g_rand_int_range (rand, 0, 3) == 0)
    g_string_append_c (json, '-');
  if (g_rand_int_range (rand, 0, 4) == 0)
    g_string_append_c (json, '0');
  else
    {
      g_string_append_c (json, '1' + g_rand_int_range (rand, 0, 9));
      for (int n = g_rand_int_range (rand, 0, 20); n > 0; n--)
        g_string_append_c (json, '0' + g_rand_int_range (rand, 0, 10));
    }
  if (g_rand_int_range (rand, 0, 3) == 0)
    {
      g_string_append_c (json, '.');
      for (int n = g_rand_int_range (rand, 1, 7); n > 0; n--)
        g_string_append_c (json, '0' + g_rand_int_range (rand, 0, 10));
    }
  if (g_rand_int_range (rand, 0, 4) == 0)
    {
      g_string_append_c (json, g_rand_boolean (rand) ? 'e' : 'E');
      switch (g_rand_int_range (rand, 0, 3))
        {
        case 0: g_string_append_c (json, '+'); break;
        case 1: g_string_append_c (json, '-'); break;
        default: break;
        }
      for (int n = g_rand_int_range (rand, 1, 4); n > 0; n--)
        g_string_append_c (json, '0' + g_rand_int_range (rand, 0, 10));
    }
  g_string_append_printf (plain, "n%s;", json->str + start);
}

static void
gen_value (GRand   *rand,
           guint    depth,
           GString *json,
           GString *plain)
{
  guint n;

  switch (g_rand_int_range (rand, 0, depth < 6 ? 8 : 6))
    {
    case 0:
      g_string_append (json, "null");
      g_string_append (plain, "N");
      break;
    case 1:
      g_string_append (json, "true");
      g_string_append (plain, "T");
      break;
    case 2:
      g_string_append (json, "false");
      g_string_append (plain, "F");
      break;
    case 3:
    case 4:
      gen_number (rand, json, plain);
      break;
    case 5:
      g_string_append_c (plain, 's');
      gen_string (rand, json, plain);
      break;
    case 6:
      n = g_rand_int_range (rand, 0, 6);
      g_string_append_printf (plain, "a%u(", n);
      g_string_append_c (json, '[');
      for (guint i = 0; i < n; i++)
        {
          if (i > 0)
            g_string_append_c (json, ',');
          gen_whitespace (rand, json);
          gen_value (rand, depth + 1, json, plain);
          gen_whitespace (rand, json);
        }
      gen_whitespace (rand, json);
      g_string_append_c (json, ']');
      g_string_append_c (plain, ')');
      break;
    default:
      n = g_rand_int_range (rand, 0, 6);
      g_string_append_printf (plain, "o%u(", n);
      g_string_append_c (json, '{');
      for (guint i = 0; i < n; i++)
        {
          if (i > 0)
            g_string_append_c (json, ',');
          gen_whitespace (rand, json);
          g_string_append_c (plain, 'k');
          gen_string (rand, json, plain);
          gen_whitespace (rand, json);
          g_string_append_c (json, ':');
          gen_whitespace (rand, json);
          gen_value (rand, depth + 1, json, plain);
          gen_whitespace (rand, json);
        }
      gen_whitespace (rand, json);
      g_string_append_c (json, '}');
      g_string_append_c (plain, ')');
      break;
    }
}

static void
dump_string (GString    *plain,
             const char *text,
             gsize       len)
{
  g_string_append_printf (plain, "%" G_GSIZE_FORMAT ":", len);
  g_string_append_len (plain, text, len);
}

static void
dump_node (const BbJsonNode *node,
           GString          *plain)
{
  switch (node->kind)
    {
    case BB_JSON_NULL:
      g_string_append (plain, "N");
      break;
    case BB_JSON_TRUE:
      g_string_append (plain, "T");
      break;
    case BB_JSON_FALSE:
      g_string_append (plain, "F");
      break;
    case BB_JSON_NUMBER:
      g_assert_cmpuint (strlen (node->text), ==, node->len);
      g_string_append_printf (plain, "n%s;", node->text);
      break;
    case BB_JSON_STRING:
      g_assert_cmpint (node->text[node->len], ==, '\0');
      g_string_append_c (plain, 's');
      dump_string (plain, node->text, node->len);
      break;
    case BB_JSON_ARRAY:
      g_string_append_printf (plain, "a%u(", node->n_children);
      for (guint i = 0; i < node->n_children; i++)
        {
          g_assert_null (node->children[i]->key);
          dump_node (node->children[i], plain);
        }
      g_string_append_c (plain, ')');
      break;
    case BB_JSON_OBJECT:
      g_string_append_printf (plain, "o%u(", node->n_children);
      for (guint i = 0; i < node->n_children; i++)
        {
          const char *key = node->children[i]->key;

          g_assert_nonnull (key);
          /* Keys have no length of their own; the generator's may hold U+0000. */
          g_string_append_c (plain, 'k');
          dump_string (plain, key, strlen (key));
          dump_node (node->children[i], plain);
        }
      g_string_append_c (plain, ')');
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Keys are compared up to a U+0000, as they are C strings. */
static void
cut_keys_at_nul (GString *plain)
{
  /* Rewrites "k<len>:<bytes>" so the bytes stop at the first NUL. */
  GString *out = g_string_sized_new (plain->len);
  gsize i = 0;

  while (i < plain->len)
    {
      char c = plain->str[i];

      if (c == 'k' || c == 's')
        {
          char *end;
          guint64 len = g_ascii_strtoull (plain->str + i + 1, &end, 10);
          const char *bytes = end + 1;
          gsize keep = len;

          g_assert_cmpint (*end, ==, ':');
          if (c == 'k')
            keep = strnlen (bytes, len);
          g_string_append_printf (out, "%c%" G_GSIZE_FORMAT ":", c, keep);
          g_string_append_len (out, bytes, keep);
          i = (bytes - plain->str) + len;
        }
      else if (c == 'n')
        {
          const char *semi = strchr (plain->str + i, ';');

          g_string_append_len (out, plain->str + i, semi + 1 - (plain->str + i));
          i = semi + 1 - plain->str;
        }
      else if (c == 'a' || c == 'o')
        {
          const char *paren = strchr (plain->str + i, '(');

          g_string_append_len (out, plain->str + i, paren + 1 - (plain->str + i));
          i = paren + 1 - plain->str;
        }
      else
        {
          g_string_append_c (out, c);
          i++;
        }
    }
  g_string_truncate (plain, 0);
  g_string_append_len (plain, out->str, out->len);
  g_string_free (out, TRUE);
}

static void
test_roundtrip_random (void)
{
  g_autoptr(BbJsonDoc) doc = bb_json_doc_new ();

  for (guint seed = 1; seed <= 40; seed++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
      g_autoptr(GString) json = g_string_new ("[");
      g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
      guint n = g_rand_int_range (rand, 0, 150);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GString) plain = g_string_new (NULL);

          if (i > 0)
            g_string_append_c (json, ',');
          gen_whitespace (rand, json);
          gen_value (rand, 0, json, plain);
          gen_whitespace (rand, json);
          cut_keys_at_nul (plain);
          g_ptr_array_add (expected, g_string_free_to_bytes (g_steal_pointer (&plain)));
        }
      g_string_append_c (json, ']');

      for (ReadMode mode = 0; mode < N_READ_MODES; mode++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GPtrArray) elements = split_len (json->str, json->len, mode, 0, &error);

          g_assert_no_error (error);
          g_assert_cmpuint (elements->len, ==, n);
          for (guint i = 0; i < n; i++)
            {
              gsize len;
              const char *text = g_bytes_get_data (g_ptr_array_index (elements, i), &len);
              const BbJsonNode *root = bb_json_doc_parse (doc, text, len, &error);
              g_autoptr(GString) plain = g_string_new (NULL);
              gsize expected_len;
              const char *expected_plain = g_bytes_get_data (g_ptr_array_index (expected, i), &expected_len);

              if (error != NULL)
                g_error ("seed %u, element %u: %s\n%.*s", seed, i, error->message, (int) len, text);
              dump_node (root, plain);
              g_assert_cmpmem (plain->str, plain->len, expected_plain, expected_len);
            }
        }
    }
}

/* --- The reference fixture -------------------------------------------------- */

static gssize
stream_read (gpointer   user_data,
             guint8    *buf,
             gsize      len,
             GError   **error)
{
  /* As a restore reads: 64 KiB at a time. */
  return g_input_stream_read (user_data, buf, MIN (len, 64 * 1024), NULL, error);
}

static void
test_dumpdata (void)
{
  g_autofree char *path = g_build_filename (bb_test_shared_dir (), "babybuddy", "sqlite", "dumpdata.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInputStream) stream = g_file_read (file, NULL, &error);
  g_autoptr(BbJsonArrayReader) reader = NULL;
  g_autoptr(BbJsonDoc) doc = bb_json_doc_new ();
  g_autoptr(GHashTable) models = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *element;
  gsize length;
  guint64 n = 0;

  g_assert_no_error (error);
  reader = bb_json_array_reader_new (stream_read, stream, 16 * 1024 * 1024);
  while (bb_json_array_reader_next (reader, &element, &length, &error))
    {
      const BbJsonNode *root = bb_json_doc_parse (doc, element, length, &error);
      const BbJsonNode *model, *pk, *fields;

      if (error != NULL)
        g_error ("record %" G_GUINT64_FORMAT ": %s", n + 1, error->message);
      n++;
      g_assert_cmpint (root->kind, ==, BB_JSON_OBJECT);
      model = bb_json_node_get_member (root, "model");
      pk = bb_json_node_get_member (root, "pk");
      fields = bb_json_node_get_member (root, "fields");
      g_assert_nonnull (model);
      g_assert_cmpint (model->kind, ==, BB_JSON_STRING);
      g_assert_nonnull (fields);
      g_assert_cmpint (fields->kind, ==, BB_JSON_OBJECT);
      if (pk != NULL)
        g_assert_true (pk->kind == BB_JSON_NUMBER || pk->kind == BB_JSON_STRING);
      g_hash_table_insert (models, g_strdup (model->text),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (models, model->text)) + 1));

      if (n == 1)
        {
          gint64 value;

          g_assert_cmpstr (model->text, ==, "babybuddy.settings");
          g_assert_true (bb_json_node_get_int64 (pk, &value));
          g_assert_cmpint (value, ==, 1);
          g_assert_cmpstr (bb_json_node_get_member (fields, "dashboard_refresh_rate")->text, ==, "00:01:00");
          g_assert_cmpint (bb_json_node_get_member (fields, "dashboard_hide_empty")->kind, ==, BB_JSON_FALSE);
          g_assert_cmpint (bb_json_node_get_member (fields, "dashboard_hide_age")->kind, ==, BB_JSON_NULL);
        }
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, DUMPDATA_RECORDS);
  g_assert_cmpuint (bb_json_array_reader_get_index (reader), ==, DUMPDATA_RECORDS);
  g_assert_cmpuint (bb_json_array_reader_get_bytes (reader), ==, 16999380);
  /* Counts from Python's json module. */
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (models, "core.tagged")), ==, 30239);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (models, "core.diaperchange")), ==, 15135);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (models, "auth.permission")), ==, 125);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (models, "sessions.session")), ==, 1);
  g_assert_cmpuint (g_hash_table_size (models), ==, 29);
}

/* Only with -m perf: split and parse the reference fixture from memory. */
static void
test_perf_dumpdata (void)
{
  g_autofree char *path = g_build_filename (bb_test_shared_dir (), "babybuddy", "sqlite", "dumpdata.json", NULL);
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BbJsonDoc) doc = bb_json_doc_new ();
  gsize len;
  double split_best = G_MAXDOUBLE, both_best = G_MAXDOUBLE, parse_best = G_MAXDOUBLE;
  g_autoptr(GPtrArray) elements = NULL;

  if (!g_test_perf ())
    {
      g_test_skip ("only with -m perf");
      return;
    }

  g_assert_true (g_file_get_contents (path, &data, &len, &error));
  elements = split_len (data, len, READ_WHOLE, 0, &error);
  g_assert_no_error (error);

  for (guint round = 0; round < 5; round++)
    {
      for (guint parse = 0; parse < 2; parse++)
        {
          g_autoptr(BbJsonArrayReader) reader = NULL;
          const char *element;
          gsize length;
          Source src;
          guint n = 0;

          source_init (&src, data, len);
          reader = bb_json_array_reader_new (source_read, &src, 0);
          g_test_timer_start ();
          while (bb_json_array_reader_next (reader, &element, &length, &error))
            {
              if (parse && bb_json_doc_parse (doc, element, length, &error) == NULL)
                break;
              n++;
            }
          if (parse)
            both_best = MIN (both_best, g_test_timer_elapsed ());
          else
            split_best = MIN (split_best, g_test_timer_elapsed ());
          g_assert_no_error (error);
          g_assert_cmpuint (n, ==, DUMPDATA_RECORDS);
        }

      g_test_timer_start ();
      for (guint i = 0; i < elements->len; i++)
        {
          gsize length;
          const char *element = g_bytes_get_data (g_ptr_array_index (elements, i), &length);

          g_assert_nonnull (bb_json_doc_parse (doc, element, length, NULL));
        }
      parse_best = MIN (parse_best, g_test_timer_elapsed ());
    }

  g_test_message ("dumpdata.json, %.1f MB, %u records", len / 1e6, DUMPDATA_RECORDS);
  g_test_message ("split only:      %.3f s, %.0f MB/s", split_best, len / 1e6 / split_best);
  g_test_message ("parse only:      %.3f s, %.0f MB/s", parse_best, len / 1e6 / parse_best);
  g_test_message ("split and parse: %.3f s, %.0f MB/s", both_best, len / 1e6 / both_best);
  g_test_maximized_result (len / 1e6 / both_best, "split and parse: %.0f MB/s", len / 1e6 / both_best);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bb/json/split/basic", test_split_basic);
  g_test_add_func ("/bb/json/split/empty", test_split_empty);
  g_test_add_func ("/bb/json/split/dumpdata-indent", test_split_dumpdata_indent);
  g_test_add_func ("/bb/json/split/strings-with-brackets", test_split_strings_with_brackets);
  g_test_add_func ("/bb/json/split/nested", test_split_nested);
  g_test_add_func ("/bb/json/split/bom", test_split_bom);
  g_test_add_func ("/bb/json/split/bytes-consumed", test_split_bytes_consumed);
  g_test_add_func ("/bb/json/split/pieces", test_split_pieces);
  g_test_add_func ("/bb/json/split/max-element-size", test_split_max_element_size);
  g_test_add_func ("/bb/json/split/depth", test_split_depth);
  g_test_add_func ("/bb/json/split/truncated", test_split_truncated);
  g_test_add_func ("/bb/json/split/trailing", test_split_trailing);
  g_test_add_func ("/bb/json/split/syntax", test_split_syntax);
  g_test_add_func ("/bb/json/split/not-array", test_split_not_array);
  g_test_add_func ("/bb/json/split/read-error", test_split_read_error);
  g_test_add_func ("/bb/json/split/error-position", test_split_error_position);
  g_test_add_func ("/bb/json/parse/types", test_parse_types);
  g_test_add_func ("/bb/json/parse/length", test_parse_length);
  g_test_add_func ("/bb/json/parse/strings", test_parse_strings);
  g_test_add_func ("/bb/json/parse/bad-strings", test_parse_bad_strings);
  g_test_add_func ("/bb/json/parse/numbers", test_parse_numbers);
  g_test_add_func ("/bb/json/parse/int64", test_parse_int64);
  g_test_add_func ("/bb/json/parse/objects", test_parse_objects);
  g_test_add_func ("/bb/json/parse/syntax", test_parse_syntax);
  g_test_add_func ("/bb/json/parse/whitespace", test_parse_whitespace);
  g_test_add_func ("/bb/json/parse/depth", test_parse_depth);
  g_test_add_func ("/bb/json/parse/arena-reuse", test_parse_arena_reuse);
  g_test_add_func ("/bb/json/roundtrip/random", test_roundtrip_random);
  g_test_add_func ("/bb/json/dumpdata", test_dumpdata);
  g_test_add_func ("/bb/json/perf/dumpdata", test_perf_dumpdata);

  return g_test_run ();
}
