/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-json-lines.c: reading Django fixtures in bounded memory.
 *
 * BbJsonArrayReader splits the one top-level array of a fixture into the text
 * of its elements. It only scans: it follows strings (so brackets and quotes
 * inside them do not count) and nesting, and checks the array's own commas
 * and brackets. The buffer holds the element being scanned plus one read, so
 * it grows only to the largest element.
 *
 * BbJsonDoc parses one element strictly into a read-only tree. Nodes, strings
 * and child arrays come from an arena owned by the doc; the next parse reuses
 * it, so restoring a million records allocates nothing per record. */

#define G_LOG_DOMAIN "bb-json-lines"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdarg.h>
#include <string.h>

#include "bb-json-lines.h"

G_DEFINE_QUARK (bb-json-error-quark, bb_json_error)

/* The nesting of an element is tracked in one bit per level. */
G_STATIC_ASSERT (BB_JSON_MAX_DEPTH <= 32);

/* The reader asks for at least this much at a time. */
#define READ_CHUNK (64 * 1024)
/* The first arena chunk of a doc; later chunks double. */
#define ARENA_MIN (16 * 1024)

/* --- Byte classes ---------------------------------------------------------- */

enum {
  C_WS         = 1 << 0,  /* JSON whitespace */
  C_STRUCT     = 1 << 1,  /* what the splitter stops at inside an element: " [ ] { } */
  C_SCALAR_END = 1 << 2,  /* ends a bare scalar element: whitespace , " [ ] { } */
  C_STR        = 1 << 3,  /* what the parser stops at inside a string: " \ controls, non-ASCII */
  C_DIGIT      = 1 << 4,
};

/* One table lookup per byte keeps the scanning loops free of branches on
 * several characters at once. */
static const guint8 byte_class[256] = {
  [0x00 ... 0x08] = C_STR,
  ['\t'] = C_STR | C_WS | C_SCALAR_END,
  ['\n'] = C_STR | C_WS | C_SCALAR_END,
  [0x0B ... 0x0C] = C_STR,
  ['\r'] = C_STR | C_WS | C_SCALAR_END,
  [0x0E ... 0x1F] = C_STR,
  [' '] = C_WS | C_SCALAR_END,
  ['"'] = C_STR | C_STRUCT | C_SCALAR_END,
  [','] = C_SCALAR_END,
  ['0' ... '9'] = C_DIGIT,
  ['['] = C_STRUCT | C_SCALAR_END,
  ['\\'] = C_STR,
  [']'] = C_STRUCT | C_SCALAR_END,
  ['{'] = C_STRUCT | C_SCALAR_END,
  ['}'] = C_STRUCT | C_SCALAR_END,
  [0x80 ... 0xFF] = C_STR,
};

#define IS_DIGIT(c) ((byte_class[(c)] & C_DIGIT) != 0)

/* Adds the newlines in [p, e) to *line and sets *column to the characters
 * after the last one (or adds them when there is none). Columns count UTF-8
 * characters, not bytes. Both loops are simple enough to be vectorised. */
static void
count_position (const guint8 *p,
                const guint8 *e,
                guint64      *line,
                guint64      *column)
{
  gsize newlines = 0;
  const guint8 *q;

  for (q = p; q < e; q++)
    newlines += *q == '\n';
  if (newlines > 0)
    {
      *line += newlines;
      *column = 0;
      for (q = e; q[-1] != '\n'; q--)
        ;
      p = q;
    }
  for (q = p; q < e; q++)
    *column += (*q & 0xC0) != 0x80;
}

/* Length of the valid UTF-8 sequence at p (Unicode table 3-7: no overlong
 * forms, no surrogates, nothing over U+10FFFF), or 0. p[0] >= 0x80. */
static inline gsize
utf8_sequence_length (const guint8 *p,
                      const guint8 *e)
{
  guint8 c = p[0];
  guint8 lo = 0x80, hi = 0xBF;

  if (c < 0xC2)
    return 0;
  if (c < 0xE0)
    return (e - p >= 2 && (p[1] & 0xC0) == 0x80) ? 2 : 0;
  if (c < 0xF0)
    {
      if (c == 0xE0)
        lo = 0xA0;
      else if (c == 0xED)
        hi = 0x9F;
      return (e - p >= 3 && p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80) ? 3 : 0;
    }
  if (c < 0xF5)
    {
      if (c == 0xF0)
        lo = 0x90;
      else if (c == 0xF4)
        hi = 0x8F;
      return (e - p >= 4 && p[1] >= lo && p[1] <= hi &&
              (p[2] & 0xC0) == 0x80 && (p[3] & 0xC0) == 0x80) ? 4 : 0;
    }
  return 0;
}

/* How a byte that was not expected is shown in a message. */
static char *
describe_byte (const guint8 *at,
               const guint8 *end)
{
  gsize n;

  if (at >= end)
    return g_strdup (_("the end of the text"));
  if (*at > 0x20 && *at < 0x7F)
    return g_strdup_printf ("“%c”", *at);
  if (*at < 0x80)
    return g_strdup_printf ("U+%04X", *at);
  n = utf8_sequence_length (at, end);
  if (n > 0)
    return g_strdup_printf ("“%.*s” (U+%04X)", (int) n, (const char *) at,
                            g_utf8_get_char ((const char *) at));
  /* Translators: a byte that is not part of any character, e.g. "byte 0xFF" */
  return g_strdup_printf (_("byte 0x%02X"), *at);
}

/* --- Splitting a top-level array ------------------------------------------ */

typedef enum {
  READER_START,   /* before "[" (a BOM, whitespace) */
  READER_FIRST,   /* after "[": an element or "]" */
  READER_AFTER,   /* after an element: "," or "]" */
  READER_NEXT,    /* after ",": an element */
  READER_TAIL,    /* after "]": only whitespace */
  READER_END,
  READER_FAILED,
} ReaderState;

struct _BbJsonArrayReader {
  BbJsonReadFunc  read_func;
  gpointer        user_data;
  gsize           max_element_size;

  guint8         *buf;            /* size + 1 bytes: buf[end] is always a NUL */
  gsize           size;
  gsize           start;          /* the first byte not consumed */
  gsize           end;            /* the end of what was read */
  guint64         base;           /* input offset of buf[0] */
  gboolean        eof;

  ReaderState     state;
  guint64         index;          /* elements returned */
  GError         *error;          /* repeated after a failure */

  /* buf[start] holds the NUL after the element returned last. */
  gboolean        nul_written;
  guint8          saved_byte;

  /* Lines are counted only over bytes that leave the buffer, so this is the
   * position of buf[0]; an error adds what lies between. */
  guint64         line;           /* 0-based */
  guint64         column;         /* 0-based, in characters */
};

static void
reader_position (BbJsonArrayReader *reader,
                 gsize              offset,
                 guint64           *line,
                 guint64           *column)
{
  *line = reader->line;
  *column = reader->column;
  count_position (reader->buf, reader->buf + offset, line, column);
  *line += 1;
  *column += 1;
}

static gboolean G_GNUC_PRINTF (4, 5)
reader_fail (BbJsonArrayReader  *reader,
             GError            **error,
             BbJsonError         code,
             const char         *format,
             ...)
{
  va_list args;

  va_start (args, format);
  g_clear_error (&reader->error);
  reader->error = g_error_new_valist (BB_JSON_ERROR, code, format, args);
  va_end (args);
  reader->state = READER_FAILED;
  g_propagate_error (error, g_error_copy (reader->error));
  return FALSE;
}

/* A failing read becomes BB_JSON_ERROR_READ with the read function's message,
 * so callers need to handle one domain; cancellation is the exception and is
 * passed on as G_IO_ERROR_CANCELLED, because a cancelled restore is not shown
 * as an error. */
static void
reader_fail_read (BbJsonArrayReader  *reader,
                  GError             *read_error,
                  GError            **error)
{
  g_clear_error (&reader->error);
  if (read_error != NULL && g_error_matches (read_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    reader->error = g_error_copy (read_error);
  else
    reader->error = g_error_new_literal (BB_JSON_ERROR, BB_JSON_ERROR_READ,
                                         read_error != NULL ? read_error->message
                                                            : _("The file could not be read."));
  reader->state = READER_FAILED;
  g_propagate_error (error, g_error_copy (reader->error));
}

/* Reads more after buf[end]: 1 when it did, 0 at the end of the input, -1
 * on error. Consumed bytes are dropped only when the room after end is short,
 * so a read function that returns tiny pieces does not cause a move each time. */
static int
reader_fill (BbJsonArrayReader  *reader,
             GError            **error)
{
  g_autoptr(GError) read_error = NULL;
  gsize room;
  gssize n;

  if (reader->eof)
    return 0;

  if (reader->size - reader->end < READ_CHUNK)
    {
      if (reader->start > 0)
        {
          count_position (reader->buf, reader->buf + reader->start, &reader->line, &reader->column);
          memmove (reader->buf, reader->buf + reader->start, reader->end - reader->start);
          reader->base += reader->start;
          reader->end -= reader->start;
          reader->start = 0;
        }
      if (reader->size - reader->end < READ_CHUNK)
        {
          /* Doubling, but never past what the largest element (with the
           * byte after it) and one read need. */
          gsize cap = reader->max_element_size < G_MAXSIZE - 2 * READ_CHUNK
                      ? reader->max_element_size + 1 + READ_CHUNK : G_MAXSIZE;

          reader->size = MAX (MIN (reader->size * 2, cap), reader->end + READ_CHUNK);
          reader->buf = g_realloc (reader->buf, reader->size + 1);
        }
    }

  room = reader->size - reader->end;
  n = reader->read_func (reader->user_data, reader->buf + reader->end, room, &read_error);
  if (n < 0 || (gsize) n > room)
    {
      reader_fail_read (reader, read_error, error);
      return -1;
    }
  if (n == 0)
    {
      reader->eof = TRUE;
      reader->buf[reader->end] = '\0';
      return 0;
    }
  reader->end += n;
  reader->buf[reader->end] = '\0';
  return 1;
}

/* Skips whitespace; returns the next byte (not consumed), -1 at the end of the
 * input, -2 on error. */
static int
reader_peek (BbJsonArrayReader  *reader,
             GError            **error)
{
  for (;;)
    {
      const guint8 *p = reader->buf + reader->start;
      const guint8 *e = reader->buf + reader->end;
      int r;

      while (p < e && (byte_class[*p] & C_WS))
        p++;
      reader->start = p - reader->buf;
      if (p < e)
        return *p;
      r = reader_fill (reader, error);
      if (r <= 0)
        return r - 1;
    }
}

static gboolean
reader_skip_bom (BbJsonArrayReader  *reader,
                 GError            **error)
{
  while (reader->end - reader->start < 3)
    {
      int r = reader_fill (reader, error);

      if (r < 0)
        return FALSE;
      if (r == 0)
        break;
    }

  /* Dropped outright, so that it does not count as a column. */
  if (reader->end - reader->start >= 3 && memcmp (reader->buf + reader->start, "\xEF\xBB\xBF", 3) == 0)
    {
      memmove (reader->buf, reader->buf + 3, reader->end - 3);
      reader->base += 3;
      reader->end -= 3;
      reader->buf[reader->end] = '\0';
    }
  return TRUE;
}

static gboolean
reader_fail_at (BbJsonArrayReader  *reader,
                GError            **error,
                BbJsonError         code,
                gsize               offset,
                const char         *what)
{
  guint64 line, column;

  reader_position (reader, offset, &line, &column);
  /* Translators: the last part is a reason, e.g. "“]” does not close “{”" */
  return reader_fail (reader, error, code, _("Record %llu is not valid JSON (line %llu, column %llu): %s."),
                      (unsigned long long) reader->index + 1, (unsigned long long) line,
                      (unsigned long long) column, what);
}

static gboolean
reader_fail_too_large (BbJsonArrayReader  *reader,
                       GError            **error)
{
  g_autofree char *limit = g_format_size (reader->max_element_size);
  guint64 line, column;

  reader_position (reader, reader->start, &line, &column);
  return reader_fail (reader, error, BB_JSON_ERROR_TOO_LARGE,
                      _("Record %llu (line %llu) is larger than %s, the most that can be read at once."),
                      (unsigned long long) reader->index + 1, (unsigned long long) line, limit);
}

/* Scans the element that starts at buf[start] and returns its length. The
 * element stays in the buffer whole while it is scanned, so a quote can be
 * checked for escaping by looking back at the backslashes before it, however
 * the input was cut into reads. */
static gboolean
reader_scan_element (BbJsonArrayReader  *reader,
                     gsize              *length,
                     GError            **error)
{
  guint8 first = reader->buf[reader->start];
  gboolean bare = first != '{' && first != '[' && first != '"';
  gboolean in_string = FALSE;
  guint depth = 0;
  guint32 arrays = 0;      /* bit n: the container at depth n is an array */
  gsize pos = 0;           /* scanned so far, from buf[start] */
  const guint8 *b, *p, *e;

  for (;;)
    {
      int r;

      b = reader->buf + reader->start;
      p = b + pos;
      e = reader->buf + reader->end;

      if (bare)
        {
          /* A number or literal (or garbage the parser will name); it ends
           * where the array's syntax goes on. */
          while (p < e && !(byte_class[*p] & C_SCALAR_END))
            p++;
          if (p < e)
            {
              if (p == b)
                {
                  g_autofree char *what = describe_byte (p, e);
                  g_autofree char *reason = g_strdup_printf (_("expected a value, found %s"), what);

                  return reader_fail_at (reader, error, BB_JSON_ERROR_SYNTAX, p - reader->buf, reason);
                }
              goto done;
            }
        }
      else
        {
          while (p < e)
            {
              if (in_string)
                {
                  const guint8 *q = memchr (p, '"', e - p);
                  const guint8 *s;

                  if (q == NULL)
                    {
                      p = e;
                      break;
                    }
                  /* The opening quote stops this before the element's start. */
                  for (s = q; s[-1] == '\\'; s--)
                    ;
                  p = q + 1;
                  if ((q - s) % 2 == 1)
                    continue;
                  in_string = FALSE;
                  if (depth == 0)
                    goto done;
                  continue;
                }

              while (p < e && !(byte_class[*p] & C_STRUCT))
                p++;
              if (p == e)
                break;

              switch (*p++)
                {
                case '"':
                  in_string = TRUE;
                  break;

                case '[':
                case '{':
                  if (depth == BB_JSON_MAX_DEPTH)
                    {
                      guint64 line, column;

                      reader_position (reader, p - 1 - reader->buf, &line, &column);
                      return reader_fail (reader, error, BB_JSON_ERROR_TOO_DEEP,
                                          _("Record %llu is nested more than %d levels deep (line %llu, column %llu)."),
                                          (unsigned long long) reader->index + 1, BB_JSON_MAX_DEPTH,
                                          (unsigned long long) line, (unsigned long long) column);
                    }
                  if (p[-1] == '[')
                    arrays |= 1u << depth;
                  else
                    arrays &= ~(1u << depth);
                  depth++;
                  break;

                default: /* ']' or '}' */
                  depth--;
                  if (((arrays >> depth) & 1) != (p[-1] == ']'))
                    {
                      g_autofree char *reason = NULL;

                      /* Translators: e.g. "“]” does not close “{”" */
                      reason = g_strdup_printf (_("“%c” does not close “%c”"), p[-1],
                                                (arrays >> depth) & 1 ? '[' : '{');
                      return reader_fail_at (reader, error, BB_JSON_ERROR_SYNTAX,
                                             p - 1 - reader->buf, reason);
                    }
                  if (depth == 0)
                    goto done;
                  break;
                }
            }
        }

      pos = p - b;
      if (pos > reader->max_element_size)
        return reader_fail_too_large (reader, error);
      r = reader_fill (reader, error);
      if (r < 0)
        return FALSE;
      if (r == 0)
        {
          guint64 line, column;

          reader_position (reader, reader->start, &line, &column);
          return reader_fail (reader, error, BB_JSON_ERROR_TRUNCATED,
                              _("The file ends inside record %llu, which starts on line %llu: the file may be cut short."),
                              (unsigned long long) reader->index + 1, (unsigned long long) line);
        }
    }

done:
  *length = p - b;
  if (*length > reader->max_element_size)
    return reader_fail_too_large (reader, error);
  return TRUE;
}

/* A max_element_size of 0 means no limit. */
BbJsonArrayReader *
bb_json_array_reader_new (BbJsonReadFunc read_func,
                          gpointer       user_data,
                          gsize          max_element_size)
{
  BbJsonArrayReader *reader;

  g_return_val_if_fail (read_func != NULL, NULL);

  reader = g_new0 (BbJsonArrayReader, 1);
  reader->read_func = read_func;
  reader->user_data = user_data;
  reader->max_element_size = max_element_size > 0 ? max_element_size : G_MAXSIZE;
  reader->size = 2 * READ_CHUNK;
  reader->buf = g_malloc (reader->size + 1);
  reader->buf[0] = '\0';
  reader->state = READER_START;
  return reader;
}

gboolean
bb_json_array_reader_next (BbJsonArrayReader  *reader,
                           const char        **element,
                           gsize              *length,
                           GError            **error)
{
  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (element != NULL, FALSE);
  g_return_val_if_fail (length != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (reader->nul_written)
    {
      reader->buf[reader->start] = reader->saved_byte;
      reader->nul_written = FALSE;
    }

  for (;;)
    {
      guint64 line, column;
      int c;

      switch (reader->state)
        {
        case READER_START:
          if (!reader_skip_bom (reader, error))
            return FALSE;
          c = reader_peek (reader, error);
          if (c == -2)
            return FALSE;
          if (c == -1)
            return reader_fail (reader, error, BB_JSON_ERROR_NOT_ARRAY,
                                _("The file is empty; a fixture is a JSON list of records."));
          if (c != '[')
            {
              reader_position (reader, reader->start, &line, &column);
              return reader_fail (reader, error, BB_JSON_ERROR_NOT_ARRAY,
                                  _("The file is not a fixture: it does not start with a JSON list of records (line %llu, column %llu)."),
                                  (unsigned long long) line, (unsigned long long) column);
            }
          reader->start++;
          reader->state = READER_FIRST;
          break;

        case READER_FIRST:
        case READER_NEXT:
          c = reader_peek (reader, error);
          if (c == -2)
            return FALSE;
          if (c == -1)
            return reader_fail (reader, error, BB_JSON_ERROR_TRUNCATED,
                                _("The file ends after record %llu, before the list of records is closed: the file may be cut short."),
                                (unsigned long long) reader->index);
          if (c == ']')
            {
              if (reader->state == READER_NEXT)
                return reader_fail_at (reader, error, BB_JSON_ERROR_SYNTAX, reader->start,
                                       _("a comma is followed by “]”"));
              reader->start++;
              reader->state = READER_TAIL;
              break;
            }
          if (!reader_scan_element (reader, length, error))
            return FALSE;
          *element = (const char *) reader->buf + reader->start;
          reader->start += *length;
          reader->index++;
          /* buf[end] is a NUL already when the element ends the buffer. */
          reader->saved_byte = reader->buf[reader->start];
          reader->buf[reader->start] = '\0';
          reader->nul_written = TRUE;
          reader->state = READER_AFTER;
          return TRUE;

        case READER_AFTER:
          c = reader_peek (reader, error);
          if (c == -2)
            return FALSE;
          if (c == -1)
            return reader_fail (reader, error, BB_JSON_ERROR_TRUNCATED,
                                _("The file ends after record %llu, before the list of records is closed: the file may be cut short."),
                                (unsigned long long) reader->index);
          if (c == ',')
            {
              reader->start++;
              reader->state = READER_NEXT;
              break;
            }
          if (c == ']')
            {
              reader->start++;
              reader->state = READER_TAIL;
              break;
            }
          reader_position (reader, reader->start, &line, &column);
          return reader_fail (reader, error, BB_JSON_ERROR_SYNTAX,
                              _("Expected “,” or “]” after record %llu (line %llu, column %llu)."),
                              (unsigned long long) reader->index, (unsigned long long) line,
                              (unsigned long long) column);

        case READER_TAIL:
          c = reader_peek (reader, error);
          if (c == -2)
            return FALSE;
          if (c == -1)
            {
              reader->state = READER_END;
              return FALSE;
            }
          reader_position (reader, reader->start, &line, &column);
          return reader_fail (reader, error, BB_JSON_ERROR_SYNTAX,
                              _("There is more after the end of the list of records (line %llu, column %llu)."),
                              (unsigned long long) line, (unsigned long long) column);

        case READER_END:
          return FALSE;

        case READER_FAILED:
        default:
          g_propagate_error (error, g_error_copy (reader->error));
          return FALSE;
        }
    }
}

guint64
bb_json_array_reader_get_index (BbJsonArrayReader *reader)
{
  g_return_val_if_fail (reader != NULL, 0);

  return reader->index;
}

guint64
bb_json_array_reader_get_bytes (BbJsonArrayReader *reader)
{
  g_return_val_if_fail (reader != NULL, 0);

  return reader->base + reader->start;
}

void
bb_json_array_reader_free (BbJsonArrayReader *reader)
{
  if (reader == NULL)
    return;

  g_clear_error (&reader->error);
  g_free (reader->buf);
  g_free (reader);
}

/* --- Parsing one element --------------------------------------------------- */

typedef struct _Chunk Chunk;

/* Followed by `size` bytes of arena; the header keeps them 16-byte aligned. */
struct _Chunk {
  Chunk *prev;
  gsize  size;
};

struct _BbJsonDoc {
  Chunk        *chunk;        /* the newest; older ones through prev */
  guint8       *next;         /* free space in chunk, 8-byte aligned */
  guint8       *limit;

  /* Children of the containers being parsed, copied into the arena when a
   * container closes (its size is not known before). */
  BbJsonNode  **stack;
  gsize         stack_len;
  gsize         stack_size;
};

static gpointer
arena_alloc_slow (BbJsonDoc *doc,
                  gsize      size)
{
  gsize chunk_size = MAX (MAX (size, ARENA_MIN), doc->chunk != NULL ? doc->chunk->size * 2 : 0);
  Chunk *chunk = g_malloc (sizeof (Chunk) + chunk_size);

  chunk->prev = doc->chunk;
  chunk->size = chunk_size;
  doc->chunk = chunk;
  doc->next = (guint8 *) (chunk + 1) + size;
  doc->limit = (guint8 *) (chunk + 1) + chunk_size;
  return chunk + 1;
}

static inline gpointer
arena_alloc (BbJsonDoc *doc,
             gsize      size)
{
  guint8 *mem = doc->next;

  size = (size + 7) & ~(gsize) 7;
  if (G_UNLIKELY ((gsize) (doc->limit - mem) < size))
    return arena_alloc_slow (doc, size);
  doc->next = mem + size;
  return mem;
}

/* Gives back the end of the last allocation (mem) beyond size bytes. */
static inline void
arena_shrink_last (BbJsonDoc *doc,
                   gpointer   mem,
                   gsize      size)
{
  doc->next = (guint8 *) mem + ((size + 7) & ~(gsize) 7);
}

/* When a parse needed more than one chunk, they are replaced by one as large
 * as all of them, so parsing the same element again allocates nothing. */
static void
arena_reset (BbJsonDoc *doc)
{
  if (doc->chunk->prev != NULL)
    {
      gsize total = 0;
      Chunk *chunk, *prev;

      for (chunk = doc->chunk; chunk != NULL; chunk = prev)
        {
          prev = chunk->prev;
          total += chunk->size;
          g_free (chunk);
        }
      doc->chunk = g_malloc (sizeof (Chunk) + total);
      doc->chunk->prev = NULL;
      doc->chunk->size = total;
    }
  doc->next = (guint8 *) (doc->chunk + 1);
  doc->limit = doc->next + doc->chunk->size;
}

typedef struct {
  BbJsonDoc     *doc;
  const guint8  *start;
  const guint8  *p;
  const guint8  *end;
  guint          depth;
  GError       **error;
} Parser;

static gpointer G_GNUC_PRINTF (4, 5)
parse_fail (Parser       *ps,
            const guint8 *at,
            BbJsonError   code,
            const char   *format,
            ...)
{
  g_autofree char *reason = NULL;
  guint64 line = 0, column = 0;
  va_list args;

  va_start (args, format);
  reason = g_strdup_vprintf (format, args);
  va_end (args);

  count_position (ps->start, at, &line, &column);
  /* Translators: the last part is a reason, e.g. "unexpected “}”" */
  g_set_error (ps->error, BB_JSON_ERROR, code, _("Not valid JSON at line %llu, column %llu: %s."),
               (unsigned long long) line + 1, (unsigned long long) column + 1, reason);
  return NULL;
}

static gpointer
parse_fail_unexpected (Parser       *ps,
                       const guint8 *at)
{
  g_autofree char *what = NULL;

  if (at >= ps->end)
    return parse_fail (ps, at, BB_JSON_ERROR_SYNTAX, _("the text ends too early"));
  what = describe_byte (at, ps->end);
  /* Translators: %s is a character, e.g. "unexpected “}”" */
  return parse_fail (ps, at, BB_JSON_ERROR_SYNTAX, _("unexpected %s"), what);
}

static inline void
skip_whitespace (Parser *ps)
{
  const guint8 *p = ps->p;

  while (p < ps->end && (byte_class[*p] & C_WS))
    p++;
  ps->p = p;
}

static inline BbJsonNode *
new_node (Parser     *ps,
          BbJsonKind  kind)
{
  BbJsonNode *node = arena_alloc (ps->doc, sizeof (BbJsonNode));

  node->kind = kind;
  node->text = NULL;
  node->len = 0;
  node->key = NULL;
  node->n_children = 0;
  node->children = NULL;
  return node;
}

static inline int
hex_value (guint8 c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  c |= 0x20;
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

/* The four hex digits of a \u escape at p (which points after "\u"). */
static gboolean
read_hex4 (const guint8 *p,
           const guint8 *e,
           gunichar     *value)
{
  gunichar v = 0;

  if (e - p < 4)
    return FALSE;
  for (int i = 0; i < 4; i++)
    {
      int d = hex_value (p[i]);

      if (d < 0)
        return FALSE;
      v = (v << 4) | d;
    }
  *value = v;
  return TRUE;
}

/* Unescapes [p, e) (the inside of a string whose escapes were checked) into
 * out, which has room for e - p bytes: no escape is shorter than what it
 * stands for. */
static gboolean
unescape_string (Parser       *ps,
                 const guint8 *p,
                 const guint8 *e,
                 guint8       *out,
                 gsize        *out_len)
{
  guint8 *o = out;

  while (p < e)
    {
      const guint8 *backslash = memchr (p, '\\', e - p);
      gunichar c, low;

      if (backslash == NULL)
        backslash = e;
      memcpy (o, p, backslash - p);
      o += backslash - p;
      p = backslash;
      if (p == e)
        break;

      switch (p[1])
        {
        case '"': *o++ = '"'; p += 2; break;
        case '\\': *o++ = '\\'; p += 2; break;
        case '/': *o++ = '/'; p += 2; break;
        case 'b': *o++ = '\b'; p += 2; break;
        case 'f': *o++ = '\f'; p += 2; break;
        case 'n': *o++ = '\n'; p += 2; break;
        case 'r': *o++ = '\r'; p += 2; break;
        case 't': *o++ = '\t'; p += 2; break;
        case 'u':
          if (!read_hex4 (p + 2, e, &c))
            {
              parse_fail (ps, p, BB_JSON_ERROR_SYNTAX, _("“\\u” must be followed by four hexadecimal digits"));
              return FALSE;
            }
          if (c >= 0xD800 && c <= 0xDBFF)
            {
              /* UTF-16 surrogate pair: only the pair stands for a character. */
              if (e - p >= 12 && p[6] == '\\' && p[7] == 'u' && read_hex4 (p + 8, e, &low) &&
                  low >= 0xDC00 && low <= 0xDFFF)
                {
                  c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
                  p += 6;
                }
              else
                c = 0xDC00;  /* refused below, as a lone surrogate */
            }
          if (c >= 0xD800 && c <= 0xDFFF)
            {
              parse_fail (ps, p, BB_JSON_ERROR_SYNTAX,
                          _("“%.6s” is half of a surrogate pair without the other half"), (const char *) p);
              return FALSE;
            }
          p += 6;
          o += g_unichar_to_utf8 (c, (char *) o);
          break;
        default:
          g_assert_not_reached ();
        }
    }

  *out_len = o - out;
  return TRUE;
}

/* Parses the string at ps->p (the opening quote) into the arena. */
static const char *
parse_string (Parser *ps,
              gsize  *len)
{
  const guint8 *open = ps->p;
  const guint8 *p = open + 1;
  const guint8 *e = ps->end;
  gboolean escapes = FALSE;
  gsize raw_len;
  guint8 *out;

  /* First find the end, checking characters and escapes, so the copy
   * knows its size. */
  for (;;)
    {
      gsize n;

      while (p < e && !(byte_class[*p] & C_STR))
        p++;
      if (p >= e)
        return parse_fail (ps, open, BB_JSON_ERROR_SYNTAX, _("a string is not closed"));
      if (*p == '"')
        break;
      if (*p == '\\')
        {
          if (p + 1 == e)
            return parse_fail (ps, open, BB_JSON_ERROR_SYNTAX, _("a string is not closed"));
          switch (p[1])
            {
            case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't': case 'u':
              break;
            default:
              {
                g_autofree char *what = describe_byte (p + 1, e);

                return parse_fail (ps, p, BB_JSON_ERROR_SYNTAX, _("“\\” followed by %s is not an escape"), what);
              }
            }
          escapes = TRUE;
          p += 2;
          continue;
        }
      if (*p < 0x20)
        return parse_fail (ps, p, BB_JSON_ERROR_SYNTAX,
                           _("control character U+%04X must be written as an escape in a string"), *p);
      n = utf8_sequence_length (p, e);
      if (n == 0)
        return parse_fail (ps, p, BB_JSON_ERROR_SYNTAX, _("a string is not valid UTF-8"));
      p += n;
    }

  raw_len = p - (open + 1);
  out = arena_alloc (ps->doc, raw_len + 1);
  if (!escapes)
    {
      memcpy (out, open + 1, raw_len);
      *len = raw_len;
    }
  else
    {
      if (!unescape_string (ps, open + 1, p, out, len))
        return NULL;
      arena_shrink_last (ps->doc, out, *len + 1);
    }
  out[*len] = '\0';
  ps->p = p + 1;
  return (const char *) out;
}

static BbJsonNode *
parse_number (Parser *ps)
{
  const guint8 *s = ps->p;
  const guint8 *p = s;
  const guint8 *e = ps->end;
  BbJsonNode *node;
  char *text;

  if (*p == '-')
    p++;
  if (p < e && *p == '0')
    {
      p++;
      if (p < e && IS_DIGIT (*p))
        return parse_fail (ps, p - 1, BB_JSON_ERROR_SYNTAX, _("a number may not start with a zero followed by digits"));
    }
  else if (p < e && IS_DIGIT (*p))
    {
      while (p < e && IS_DIGIT (*p))
        p++;
    }
  else
    return parse_fail (ps, p, BB_JSON_ERROR_SYNTAX, _("“-” must be followed by digits"));

  if (p < e && *p == '.')
    {
      p++;
      if (p == e || !IS_DIGIT (*p))
        return parse_fail (ps, p, BB_JSON_ERROR_SYNTAX, _("a decimal point must be followed by digits"));
      while (p < e && IS_DIGIT (*p))
        p++;
    }
  if (p < e && (*p == 'e' || *p == 'E'))
    {
      p++;
      if (p < e && (*p == '+' || *p == '-'))
        p++;
      if (p == e || !IS_DIGIT (*p))
        return parse_fail (ps, p, BB_JSON_ERROR_SYNTAX, _("an exponent must have digits"));
      while (p < e && IS_DIGIT (*p))
        p++;
    }

  node = new_node (ps, BB_JSON_NUMBER);
  node->len = p - s;
  text = arena_alloc (ps->doc, node->len + 1);
  memcpy (text, s, node->len);
  text[node->len] = '\0';
  node->text = text;
  ps->p = p;
  return node;
}

static BbJsonNode *
parse_literal (Parser     *ps,
               const char *word,
               gsize       word_len,
               BbJsonKind  kind)
{
  BbJsonNode *node;

  for (gsize i = 0; i < word_len; i++)
    if (ps->p + i >= ps->end || ps->p[i] != (guint8) word[i])
      return parse_fail_unexpected (ps, ps->p + i);

  /* Not required by the header, but handy when printing a tree. */
  node = new_node (ps, kind);
  node->text = word;
  node->len = word_len;
  ps->p += word_len;
  return node;
}

static BbJsonNode *parse_value (Parser *ps);

static BbJsonNode *
parse_container (Parser   *ps,
                 gboolean  is_object)
{
  BbJsonDoc *doc = ps->doc;
  const guint8 close = is_object ? '}' : ']';
  gsize base = doc->stack_len;
  BbJsonNode *node;
  gsize n;

  if (++ps->depth > BB_JSON_MAX_DEPTH)
    return parse_fail (ps, ps->p, BB_JSON_ERROR_TOO_DEEP, _("nested more than %d levels deep"), BB_JSON_MAX_DEPTH);

  ps->p++;
  skip_whitespace (ps);
  if (ps->p < ps->end && *ps->p == close)
    ps->p++;
  else
    for (;;)
      {
        const char *key = NULL;
        BbJsonNode *child;

        if (is_object)
          {
            gsize key_len;

            if (ps->p == ps->end || *ps->p != '"')
              {
                g_autofree char *what = describe_byte (ps->p, ps->end);

                return parse_fail (ps, ps->p, BB_JSON_ERROR_SYNTAX,
                                   _("expected a member name in double quotes, found %s"), what);
              }
            key = parse_string (ps, &key_len);
            if (key == NULL)
              return NULL;
            skip_whitespace (ps);
            if (ps->p == ps->end || *ps->p != ':')
              {
                g_autofree char *what = describe_byte (ps->p, ps->end);

                return parse_fail (ps, ps->p, BB_JSON_ERROR_SYNTAX,
                                   _("expected “:” after a member name, found %s"), what);
              }
            ps->p++;
            skip_whitespace (ps);
          }

        child = parse_value (ps);
        if (child == NULL)
          return NULL;
        child->key = key;

        if (G_UNLIKELY (doc->stack_len == doc->stack_size))
          {
            doc->stack_size = MAX (64, doc->stack_size * 2);
            doc->stack = g_renew (BbJsonNode *, doc->stack, doc->stack_size);
          }
        doc->stack[doc->stack_len++] = child;

        skip_whitespace (ps);
        if (ps->p < ps->end && *ps->p == ',')
          {
            ps->p++;
            skip_whitespace (ps);
            if (ps->p < ps->end && *ps->p == close)
              return parse_fail (ps, ps->p, BB_JSON_ERROR_SYNTAX, _("a comma is followed by “%c”"), close);
            continue;
          }
        if (ps->p < ps->end && *ps->p == close)
          {
            ps->p++;
            break;
          }
        {
          g_autofree char *what = describe_byte (ps->p, ps->end);

          return parse_fail (ps, ps->p, BB_JSON_ERROR_SYNTAX, _("expected “,” or “%c”, found %s"), close, what);
        }
      }

  ps->depth--;
  node = new_node (ps, is_object ? BB_JSON_OBJECT : BB_JSON_ARRAY);
  n = doc->stack_len - base;
  if (n > 0)
    {
      node->children = arena_alloc (doc, n * sizeof (BbJsonNode *));
      memcpy (node->children, doc->stack + base, n * sizeof (BbJsonNode *));
      node->n_children = n;
      doc->stack_len = base;
    }
  return node;
}

static BbJsonNode *
parse_value (Parser *ps)
{
  BbJsonNode *node;

  if (ps->p == ps->end)
    return parse_fail_unexpected (ps, ps->p);

  switch (*ps->p)
    {
    case '{':
      return parse_container (ps, TRUE);
    case '[':
      return parse_container (ps, FALSE);
    case '"':
      node = new_node (ps, BB_JSON_STRING);
      node->text = parse_string (ps, &node->len);
      return node->text != NULL ? node : NULL;
    case '-':
    case '0' ... '9':
      return parse_number (ps);
    case 't':
      return parse_literal (ps, "true", 4, BB_JSON_TRUE);
    case 'f':
      return parse_literal (ps, "false", 5, BB_JSON_FALSE);
    case 'n':
      return parse_literal (ps, "null", 4, BB_JSON_NULL);
    default:
      return parse_fail_unexpected (ps, ps->p);
    }
}

BbJsonDoc *
bb_json_doc_new (void)
{
  BbJsonDoc *doc = g_new0 (BbJsonDoc, 1);

  doc->chunk = g_malloc (sizeof (Chunk) + ARENA_MIN);
  doc->chunk->prev = NULL;
  doc->chunk->size = ARENA_MIN;
  arena_reset (doc);
  return doc;
}

const BbJsonNode *
bb_json_doc_parse (BbJsonDoc   *doc,
                   const char  *text,
                   gsize        len,
                   GError     **error)
{
  Parser ps;
  BbJsonNode *root;

  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (text != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (text == NULL)
    text = "";

  arena_reset (doc);
  doc->stack_len = 0;

  ps.doc = doc;
  ps.start = (const guint8 *) text;
  ps.p = ps.start;
  ps.end = ps.start + len;
  ps.depth = 0;
  ps.error = error;

  skip_whitespace (&ps);
  if (ps.p == ps.end)
    return parse_fail (&ps, ps.p, BB_JSON_ERROR_SYNTAX, _("there is no value"));
  root = parse_value (&ps);
  if (root == NULL)
    return NULL;
  skip_whitespace (&ps);
  if (ps.p != ps.end)
    {
      g_autofree char *what = describe_byte (ps.p, ps.end);

      return parse_fail (&ps, ps.p, BB_JSON_ERROR_SYNTAX, _("unexpected %s after the value"), what);
    }
  return root;
}

void
bb_json_doc_free (BbJsonDoc *doc)
{
  Chunk *chunk, *prev;

  if (doc == NULL)
    return;

  for (chunk = doc->chunk; chunk != NULL; chunk = prev)
    {
      prev = chunk->prev;
      g_free (chunk);
    }
  g_free (doc->stack);
  g_free (doc);
}

/* NULL (and not a warning) for a NULL or non-object node, so lookups chain:
 * get_member (get_member (record, "fields"), "child"). Keys are compared as
 * C strings, so a key holding U+0000 matches up to it. */
const BbJsonNode *
bb_json_node_get_member (const BbJsonNode *object,
                         const char       *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  if (object == NULL || object->kind != BB_JSON_OBJECT)
    return NULL;

  for (guint i = object->n_children; i-- > 0;)
    if (strcmp (object->children[i]->key, key) == 0)
      return object->children[i];
  return NULL;
}

gboolean
bb_json_node_get_int64 (const BbJsonNode *node,
                        gint64           *value)
{
  const char *p, *e;
  gboolean negative = FALSE;
  guint64 limit, acc = 0;

  g_return_val_if_fail (node != NULL, FALSE);

  if (node->kind != BB_JSON_NUMBER)
    return FALSE;

  p = node->text;
  e = p + node->len;
  if (p < e && *p == '-')
    {
      negative = TRUE;
      p++;
    }
  if (p == e)
    return FALSE;

  limit = negative ? (guint64) G_MAXINT64 + 1 : (guint64) G_MAXINT64;
  for (; p < e; p++)
    {
      guint d;

      if (*p < '0' || *p > '9')
        return FALSE;  /* a fraction or an exponent */
      d = *p - '0';
      if (acc > (limit - d) / 10)
        return FALSE;
      acc = acc * 10 + d;
    }

  if (value != NULL)
    {
      if (!negative)
        *value = (gint64) acc;
      else if (acc == (guint64) G_MAXINT64 + 1)
        *value = G_MININT64;
      else
        *value = -(gint64) acc;
    }
  return TRUE;
}
