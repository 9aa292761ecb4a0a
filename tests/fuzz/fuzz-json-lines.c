/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-json-lines.c: libFuzzer target for what reads a fixture's text: the
 * top-level array splitter (fed in small, uneven reads, as a ZIP entry
 * arrives) and the strict parser of each element, whose tree is walked. */

#include <stdint.h>
#include <string.h>

#include "bb-json-lines.h"

typedef struct {
  const guint8 *data;
  gsize         size;
  gsize         pos;
  guint         step;
} Source;

static gssize
read_cb (gpointer   user_data,
         guint8    *buf,
         gsize      len,
         GError   **error)
{
  Source *source = user_data;
  gsize n = MIN (MIN (len, source->size - source->pos), source->step);

  memcpy (buf, source->data + source->pos, n);
  source->pos += n;
  /* Reads of 1 to 64 bytes put element boundaries anywhere in a read. */
  source->step = source->step % 64 + 1;
  return n;
}

static guint
walk (const BbJsonNode *node,
      guint             depth)
{
  guint count = 1;
  gint64 value;

  if (node->kind == BB_JSON_NUMBER)
    (void) bb_json_node_get_int64 (node, &value);
  for (guint i = 0; i < node->n_children; i++)
    count += walk (node->children[i], depth + 1);
  if (node->kind == BB_JSON_OBJECT)
    (void) bb_json_node_get_member (node, "fields");
  return count;
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  Source source = { data, size, 0, size > 0 ? data[0] % 64 + 1 : 1 };
  g_autoptr(BbJsonArrayReader) reader = bb_json_array_reader_new (read_cb, &source, 64 * 1024);
  g_autoptr(BbJsonDoc) doc = bb_json_doc_new ();
  const char *element;
  gsize length;
  GError *error = NULL;

  while (bb_json_array_reader_next (reader, &element, &length, &error))
    {
      const BbJsonNode *root;

      g_assert (element[length] == '\0');
      root = bb_json_doc_parse (doc, element, length, &error);
      if (root != NULL)
        walk (root, 0);
      else
        {
          g_assert (error != NULL && error->message != NULL);
          g_clear_error (&error);
        }
    }
  g_clear_error (&error);
  /* The whole input as one document, too. */
  if (bb_json_doc_parse (doc, (const char *) data, size, &error) == NULL)
    g_clear_error (&error);
  return 0;
}
