/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-codec.c: writes each database value exactly as Django's JSON serializer
 * does (MODELS.md), whichever engine it came from, with one deliberate change:
 * datetimes and times keep all six fraction digits. The same text from three
 * engines must give the same bytes.
 * The way back (restore) turns each fixture value into the SQL literal that
 * stores what Django's backend for that engine would have stored, so that a
 * second backup gives the same bytes again. */

#define G_LOG_DOMAIN "bb-codec"

#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bb-codec.h"
#include "bb-dialect.h"

G_DEFINE_QUARK (bb-codec-error-quark, bb_codec_error)

#define USEC_PER_DAY G_GINT64_CONSTANT (86400000000)

/* Python's json.dumps(ensure_ascii=False): only quotes, backslashes and
 * control characters are escaped; invalid UTF-8 is replaced, never written. */
void
bb_codec_append_json_string (GString    *out,
                             const char *text)
{
  static const char hex[] = "0123456789abcdef";
  g_autofree char *valid = NULL;
  const unsigned char *p;

  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);

  g_string_append_c (out, '"');
  for (p = (const unsigned char *) text; *p; p++)
    {
      const unsigned char *run = p;

      while (*p >= 0x20 && *p != '"' && *p != '\\')
        p++;
      if (p > run)
        g_string_append_len (out, (const char *) run, p - run);
      if (*p == '\0')
        break;

      switch (*p)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        case '\b':
          g_string_append (out, "\\b");
          break;
        case '\f':
          g_string_append (out, "\\f");
          break;
        default:
          g_string_append (out, "\\u00");
          g_string_append_c (out, hex[*p >> 4]);
          g_string_append_c (out, hex[*p & 0xf]);
          break;
        }
    }
  g_string_append_c (out, '"');
}

/* Python's float repr: the shortest digits that read back as the same double,
 * fixed notation for exponents -4..15 (with ".0" when integral), else
 * scientific with at least two exponent digits. */
void
bb_codec_append_float (GString *out,
                       double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  char digits[32];
  int n_digits = 0, exponent = 0;
  const char *p;

  if (isnan (value))
    {
      g_string_append (out, "NaN");
      return;
    }
  if (isinf (value))
    {
      g_string_append (out, value > 0 ? "Infinity" : "-Infinity");
      return;
    }

  for (int precision = 1; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%de", precision - 1);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }

  /* buf is "[-]d[.ddd]e[+-]xx" */
  p = buf;
  if (*p == '-')
    {
      g_string_append_c (out, '-');
      p++;
    }
  for (; *p && *p != 'e'; p++)
    if (g_ascii_isdigit (*p))
      digits[n_digits++] = *p;
  if (*p == 'e')
    exponent = atoi (p + 1);
  while (n_digits > 1 && digits[n_digits - 1] == '0')
    n_digits--;
  digits[n_digits] = '\0';

  if (exponent >= -4 && exponent < 16)
    {
      if (exponent < 0)
        {
          g_string_append (out, "0.");
          for (int i = 0; i < -exponent - 1; i++)
            g_string_append_c (out, '0');
          g_string_append_len (out, digits, n_digits);
        }
      else
        {
          for (int i = 0; i <= exponent; i++)
            g_string_append_c (out, i < n_digits ? digits[i] : '0');
          g_string_append_c (out, '.');
          if (n_digits > exponent + 1)
            g_string_append_len (out, digits + exponent + 1, n_digits - exponent - 1);
          else
            g_string_append_c (out, '0');
        }
    }
  else
    {
      g_string_append_c (out, digits[0]);
      if (n_digits > 1)
        {
          g_string_append_c (out, '.');
          g_string_append_len (out, digits + 1, n_digits - 1);
        }
      g_string_append_printf (out, "e%c%02d", exponent < 0 ? '-' : '+', ABS (exponent));
    }
}

static void append_time (GString *out, int h, int m, int s, int usec);

/* Django's duration_string() of a timedelta: days may be negative, the
 * rest never is ("-1 23:59:59" is minus one second). */
void
bb_codec_append_duration (GString *out,
                          gint64   microseconds)
{
  gint64 days, rest, seconds, usec;

  days = microseconds / USEC_PER_DAY;
  rest = microseconds % USEC_PER_DAY;
  if (rest < 0)
    {
      days -= 1;
      rest += USEC_PER_DAY;
    }
  seconds = rest / G_USEC_PER_SEC;
  usec = rest % G_USEC_PER_SEC;

  g_string_append_c (out, '"');
  if (days != 0)
    g_string_append_printf (out, "%" G_GINT64_FORMAT " ", days);
  append_time (out, (int) (seconds / 3600), (int) (seconds / 60 % 60), (int) (seconds % 60),
               (int) usec);
  g_string_append_c (out, '"');
}

static gboolean
invalid (GError      **error,
         const char   *what,
         const char   *text)
{
  g_set_error (error, BB_CODEC_ERROR, BB_CODEC_ERROR_INVALID_VALUE,
               /* Translators: the first %s is a kind of value ("a date"), the second the value. */
               _("The database holds a value that is not %s: “%s”."), what, text);
  return FALSE;
}

static gboolean
parse_digits (const char **p,
              int          n,
              int         *value)
{
  int v = 0;

  for (int i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit ((*p)[i]))
        return FALSE;
      v = v * 10 + ((*p)[i] - '0');
    }
  *p += n;
  *value = v;
  return TRUE;
}

/* "HH:MM:SS[.f{1,9}]": returns the microseconds (rounded down) in *usec. */
static gboolean
parse_time (const char **p,
            int         *h,
            int         *m,
            int         *s,
            int         *usec)
{
  if (!parse_digits (p, 2, h) || *(*p)++ != ':' || !parse_digits (p, 2, m)
      || *(*p)++ != ':' || !parse_digits (p, 2, s))
    return FALSE;
  *usec = 0;
  if (**p == '.')
    {
      int n = 0;

      (*p)++;
      while (g_ascii_isdigit (**p))
        {
          if (n < 6)
            *usec = *usec * 10 + (**p - '0');
          n++;
          (*p)++;
        }
      if (n == 0)
        return FALSE;
      for (; n < 6; n++)
        *usec *= 10;
    }
  return *h < 24 && *m < 60 && *s < 62;
}

/* printf is the slowest part of formatting a row: digits by hand. */
static void
append_padded (GString *out,
               int      value,
               int      width)
{
  char buf[8];

  for (int i = width - 1; i >= 0; i--)
    {
      buf[i] = '0' + value % 10;
      value /= 10;
    }
  g_string_append_len (out, buf, width);
}

static void
append_time (GString *out,
             int      h,
             int      m,
             int      s,
             int      usec)
{
  append_padded (out, h, 2);
  g_string_append_c (out, ':');
  append_padded (out, m, 2);
  g_string_append_c (out, ':');
  append_padded (out, s, 2);
  if (usec != 0)
    {
      g_string_append_c (out, '.');
      append_padded (out, usec, 6);
    }
}

static gboolean
append_datetime (GString     *out,
                 const char  *text,
                 GError     **error)
{
  const char *p = text;
  int y, mo, d, h, mi, s, usec, off_h = 0, off_m = 0, sign = 0;

  if (!parse_digits (&p, 4, &y) || *p++ != '-' || !parse_digits (&p, 2, &mo) || *p++ != '-'
      || !parse_digits (&p, 2, &d) || (*p != ' ' && *p != 'T'))
    return invalid (error, _("a date and time"), text);
  p++;
  if (!parse_time (&p, &h, &mi, &s, &usec))
    return invalid (error, _("a date and time"), text);

  if (*p == 'Z')
    p++;
  else if (*p == '+' || *p == '-')
    {
      sign = *p++ == '-' ? -1 : 1;
      if (!parse_digits (&p, 2, &off_h))
        return invalid (error, _("a date and time"), text);
      if (*p == ':')
        p++;
      if (g_ascii_isdigit (*p) && !parse_digits (&p, 2, &off_m))
        return invalid (error, _("a date and time"), text);
    }
  if (*p != '\0')
    return invalid (error, _("a date and time"), text);

  if (sign != 0 && (off_h != 0 || off_m != 0))
    {
      /* Django stores UTC; an offset only appears if the session zone was not UTC. */
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
      g_autoptr(GDateTime) dt = g_date_time_new (utc, y, mo, d, h, mi, s);
      g_autoptr(GDateTime) shifted = NULL;

      if (dt == NULL)
        return invalid (error, _("a date and time"), text);
      shifted = g_date_time_add_seconds (dt, -sign * (off_h * 3600.0 + off_m * 60.0));
      y = g_date_time_get_year (shifted);
      mo = g_date_time_get_month (shifted);
      d = g_date_time_get_day_of_month (shifted);
      h = g_date_time_get_hour (shifted);
      mi = g_date_time_get_minute (shifted);
      s = g_date_time_get_second (shifted);
    }

  g_string_append_c (out, '"');
  append_padded (out, y, 4);
  g_string_append_c (out, '-');
  append_padded (out, mo, 2);
  g_string_append_c (out, '-');
  append_padded (out, d, 2);
  g_string_append_c (out, 'T');
  append_time (out, h, mi, s, usec);
  g_string_append (out, "Z\"");
  return TRUE;
}

static gboolean
is_integer_text (const char *text)
{
  const char *p = text;

  if (*p == '-' || *p == '+')
    p++;
  if (*p == '\0')
    return FALSE;
  for (; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

gboolean
bb_codec_append_value (GString     *out,
                       BbFieldKind  kind,
                       const char  *text,
                       GError     **error)
{
  if (text == NULL)
    {
      g_string_append (out, "null");
      return TRUE;
    }

  switch (kind)
    {
    case BB_FIELD_INTEGER:
      if (!is_integer_text (text))
        return invalid (error, _("a whole number"), text);
      g_string_append (out, text[0] == '+' ? text + 1 : text);
      return TRUE;

    case BB_FIELD_FLOAT:
      {
        char *end;
        double value = g_ascii_strtod (text, &end);

        if (end == text || *end != '\0')
          return invalid (error, _("a number"), text);
        bb_codec_append_float (out, value);
        return TRUE;
      }

    case BB_FIELD_BOOLEAN:
      if (strcmp (text, "1") == 0 || g_ascii_strcasecmp (text, "t") == 0
          || g_ascii_strcasecmp (text, "true") == 0)
        g_string_append (out, "true");
      else if (strcmp (text, "0") == 0 || g_ascii_strcasecmp (text, "f") == 0
               || g_ascii_strcasecmp (text, "false") == 0)
        g_string_append (out, "false");
      else
        return invalid (error, _("true or false"), text);
      return TRUE;

    case BB_FIELD_DATETIME:
      return append_datetime (out, text, error);

    case BB_FIELD_DATE:
      {
        const char *p = text;
        int y, m, d;

        if (!parse_digits (&p, 4, &y) || *p++ != '-' || !parse_digits (&p, 2, &m) || *p++ != '-'
            || !parse_digits (&p, 2, &d) || *p != '\0' || !g_date_valid_dmy (d, m, y))
          return invalid (error, _("a date"), text);
        bb_codec_append_json_string (out, text);
        return TRUE;
      }

    case BB_FIELD_TIME:
      {
        const char *p = text;
        int h, m, s, usec;

        if (!parse_time (&p, &h, &m, &s, &usec) || *p != '\0')
          return invalid (error, _("a time"), text);
        g_string_append_c (out, '"');
        append_time (out, h, m, s, usec);
        g_string_append_c (out, '"');
        return TRUE;
      }

    case BB_FIELD_DURATION:
      {
        gint64 usec;

        if (!is_integer_text (text)
            || !g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &usec, NULL))
          return invalid (error, _("a duration"), text);
        bb_codec_append_duration (out, usec);
        return TRUE;
      }

    case BB_FIELD_IP:
      {
        g_autofree char *address = g_strdup (text);
        char *slash = strchr (address, '/');

        /* PostgreSQL's inet may carry a host mask. */
        if (slash != NULL && (strcmp (slash, "/32") == 0 || strcmp (slash, "/128") == 0))
          *slash = '\0';
        g_strstrip (address);
        bb_codec_append_json_string (out, address);
        return TRUE;
      }

    case BB_FIELD_DECIMAL:
    case BB_FIELD_TEXT:
    default:
      bb_codec_append_json_string (out, text);
      return TRUE;
    }
}

/* --- Restoring: fixture values -> SQL literals ---------------------------
 * Everything here runs once per value of every restored row: no regex, no
 * printf on the way to a good value, numbers and dates parsed by hand.
 * Each append_* function checks the whole value before it appends anything. */

#define SHOWN_MAX_CHARS 40
#define FRACTION_MAX_DIGITS 12   /* Django reads up to 12 and keeps six */

typedef enum {
  PARSE_OK,
  PARSE_INVALID,
  PARSE_RANGE,
} ParseResult;

typedef struct {
  int year, month, day;
  int hour, minute, second, usec;
} Stamp;

static gboolean fail (GError     **error,
                      const char  *format,
                      ...) G_GNUC_PRINTF (2, 3);

static gboolean
fail (GError     **error,
      const char  *format,
      ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (BB_CODEC_ERROR, BB_CODEC_ERROR_INVALID_VALUE,
                                                format, args));
  va_end (args);
  return FALSE;
}

/* The value as a message shows it: text in quotes and cut after 40
 * characters, control characters as spaces so the message stays one line. */
static char *
show_value (const BbJsonNode *value)
{
  GString *out;
  const char *p, *end;
  guint n = 0;

  switch (value->kind)
    {
    case BB_JSON_NULL:
      return g_strdup ("null");
    case BB_JSON_TRUE:
      return g_strdup ("true");
    case BB_JSON_FALSE:
      return g_strdup ("false");
    case BB_JSON_ARRAY:
      return g_strdup ("[…]");
    case BB_JSON_OBJECT:
      return g_strdup ("{…}");
    case BB_JSON_NUMBER:
    case BB_JSON_STRING:
    default:
      break;
    }

  out = g_string_new (value->kind == BB_JSON_STRING ? "“" : NULL);
  p = value->text;
  end = p + value->len;
  for (; p < end && n < SHOWN_MAX_CHARS; n++)
    {
      gsize skip = MIN ((gsize) g_utf8_skip[*(const guchar *) p], (gsize) (end - p));

      if ((guchar) *p < 0x20 || *p == 0x7f)
        g_string_append_c (out, ' ');
      else
        g_string_append_len (out, p, skip);
      p += skip;
    }
  if (p < end)
    g_string_append (out, "…");
  if (value->kind == BB_JSON_STRING)
    g_string_append (out, "”");
  return g_string_free (out, FALSE);
}

static gboolean
has_prefix_ci (const char *text,
               const char *prefix)
{
  return g_ascii_strncasecmp (text, prefix, strlen (prefix)) == 0;
}

static gboolean
contains_ci (const char *text,
             const char *word)
{
  gsize len = strlen (word);

  for (; *text; text++)
    if (g_ascii_strncasecmp (text, word, len) == 0)
      return TRUE;
  return FALSE;
}

static void
append_uint64 (GString *out,
               gboolean negative,
               guint64  magnitude)
{
  char buf[24];
  int i = sizeof buf;

  do
    {
      buf[--i] = '0' + magnitude % 10;
      magnitude /= 10;
    }
  while (magnitude != 0);
  if (negative)
    buf[--i] = '-';
  g_string_append_len (out, buf + i, sizeof buf - i);
}

static void
append_int64 (GString *out,
              gint64   value)
{
  append_uint64 (out, value < 0, value < 0 ? -(guint64) value : (guint64) value);
}

/* Strings as Python's int() and float() take them: surrounding white space is fine. */
static void
trim_spaces (const char **p,
             const char **end)
{
  while (*p < *end && g_ascii_isspace (**p))
    (*p)++;
  while (*end > *p && g_ascii_isspace ((*end)[-1]))
    (*end)--;
}

/* --- Integers --- */

/* "[-]digits"; with lenient (a string) also "+digits". *overflow when the
 * magnitude does not fit 64 bits unsigned. */
static gboolean
parse_integer (const char *p,
               const char *end,
               gboolean    lenient,
               gboolean   *negative,
               guint64    *magnitude,
               gboolean   *overflow)
{
  const char *digits;
  guint64 v = 0;

  *negative = FALSE;
  *overflow = FALSE;
  if (p < end && (*p == '-' || (lenient && *p == '+')))
    *negative = *p++ == '-';
  digits = p;
  for (; p < end && g_ascii_isdigit (*p); p++)
    {
      guint digit = *p - '0';

      if (v > (G_MAXUINT64 - digit) / 10)
        *overflow = TRUE;
      else
        v = v * 10 + digit;
    }
  *magnitude = v;
  return p > digits && p == end;
}

/* The range of the column's integer type. SQLite stores any 64-bit integer
 * whatever the declaration says; Django's PositiveIntegerField adds a CHECK
 * (>= 0) there, which "unsigned" in the declared type stands for. */
static void
integer_range (BbEngine    engine,
               const char *sql_type,
               guint64    *negative_max,
               guint64    *positive_max)
{
  gboolean is_unsigned = contains_ci (sql_type, "unsigned");
  int bits = 64;

  if (engine == BB_ENGINE_SQLITE)
    {
      *negative_max = is_unsigned ? 0 : (guint64) G_MAXINT64 + 1;
      *positive_max = G_MAXINT64;
      return;
    }

  if (has_prefix_ci (sql_type, "tinyint"))
    bits = 8;
  else if (has_prefix_ci (sql_type, "smallint") || has_prefix_ci (sql_type, "int2")
           || has_prefix_ci (sql_type, "smallserial"))
    bits = 16;
  else if (has_prefix_ci (sql_type, "mediumint"))
    bits = 24;
  else if (has_prefix_ci (sql_type, "bigint") || has_prefix_ci (sql_type, "int8")
           || has_prefix_ci (sql_type, "bigserial"))
    bits = 64;
  else if (has_prefix_ci (sql_type, "int") || has_prefix_ci (sql_type, "serial"))
    bits = 32;

  if (is_unsigned)
    {
      *negative_max = 0;
      *positive_max = bits == 64 ? G_MAXUINT64 : (G_GUINT64_CONSTANT (1) << bits) - 1;
    }
  else
    {
      *negative_max = G_GUINT64_CONSTANT (1) << (bits - 1);
      *positive_max = *negative_max - 1;
    }
}

static gboolean
append_integer (GString           *sql,
                BbEngine           engine,
                const char        *sql_type,
                const BbJsonNode  *value,
                GError           **error)
{
  g_autofree char *shown = NULL;
  const char *p = value->text, *end;
  gboolean negative, overflow;
  guint64 magnitude, negative_max, positive_max;

  if (value->kind != BB_JSON_NUMBER && value->kind != BB_JSON_STRING)
    goto not_integer;
  end = p + value->len;
  if (value->kind == BB_JSON_STRING)
    trim_spaces (&p, &end);
  if (!parse_integer (p, end, value->kind == BB_JSON_STRING, &negative, &magnitude, &overflow))
    goto not_integer;

  integer_range (engine, sql_type, &negative_max, &positive_max);
  if (overflow || magnitude > (negative ? negative_max : positive_max))
    {
      shown = show_value (value);
      /* Translators: the first %s is a number, the second an SQL type ("smallint"). */
      return fail (error, _("%s is out of range for this column (%s)."), shown, sql_type);
    }

  append_uint64 (sql, negative && magnitude != 0, magnitude);
  return TRUE;

not_integer:
  shown = show_value (value);
  /* Translators: %s is the value from the backup. */
  return fail (error, _("%s is not a whole number."), shown);
}

/* --- Floating point and decimal numbers --- */

/* Digits with an optional fraction and exponent, as both Python's float()
 * and every engine's SQL read them (".5" and "5." included). */
static gboolean
is_decimal_text (const char *p,
                 const char *end)
{
  gsize n_digits = 0;

  if (p < end && (*p == '-' || *p == '+'))
    p++;
  for (; p < end && g_ascii_isdigit (*p); p++)
    n_digits++;
  if (p < end && *p == '.')
    for (p++; p < end && g_ascii_isdigit (*p); p++)
      n_digits++;
  if (n_digits == 0)
    return FALSE;
  if (p < end && (*p == 'e' || *p == 'E'))
    {
      p++;
      if (p < end && (*p == '-' || *p == '+'))
        p++;
      if (p == end || !g_ascii_isdigit (*p))
        return FALSE;
      while (p < end && g_ascii_isdigit (*p))
        p++;
    }
  return p == end;
}

static gboolean
is_non_finite_text (const char *p,
                    const char *end)
{
  static const char *words[] = { "inf", "infinity", "nan" };

  if (p < end && (*p == '-' || *p == '+'))
    p++;
  for (gsize i = 0; i < G_N_ELEMENTS (words); i++)
    if ((gsize) (end - p) == strlen (words[i]) && g_ascii_strncasecmp (p, words[i], end - p) == 0)
      return TRUE;
  return FALSE;
}

/* g_ascii_strtod of text that need not end in a NUL; *range set on overflow
 * and underflow. Correctly rounded (glibc), as Python's float() is. */
static double
parse_double (const char *p,
              gsize       len,
              gboolean   *range)
{
  char stack[64];
  g_autofree char *heap = NULL;
  char *buf = len < sizeof stack ? stack : (heap = g_malloc (len + 1));
  double v;

  memcpy (buf, p, len);
  buf[len] = '\0';
  v = g_ascii_strtod (buf, NULL);
  *range = errno == ERANGE;
  return v;
}

/* SQLite 3.40 reads decimal literals through long double and is one unit in
 * the last place off for about one value in 10,000 (-3006.878062 among them),
 * so a backup of the restored database would differ. Exact arithmetic does
 * not round: v = m * 2^e with m a 53-bit integer is written as
 * CAST(m AS REAL) times or divided by powers of two, each step exact. */
static void
append_sqlite_double (GString *sql,
                      double   v)
{
  static const char chunk[] = "4611686018427387904";   /* 2^62 */
  gint64 m;
  int e;

  m = (gint64) ldexp (frexp (v, &e), 53);
  e -= 53;
  while (m % 2 == 0 && e < 0)
    {
      m /= 2;
      e++;
    }

  if (e >= 0 && e <= 9)
    {
      /* An integer: REAL affinity stores it as that exact double. */
      append_int64 (sql, m * (G_GINT64_CONSTANT (1) << e));
      return;
    }

  g_string_append (sql, "CAST(");
  append_int64 (sql, m);
  g_string_append (sql, " AS REAL)");
  for (int k = ABS (e); k > 0; k -= 62)
    {
      g_string_append_c (sql, e < 0 ? '/' : '*');
      if (k >= 62)
        g_string_append (sql, chunk);
      else
        append_uint64 (sql, FALSE, G_GUINT64_CONSTANT (1) << k);
    }
}

/* text: the JSON number as written, or NULL to write the shortest form that
 * reads back as v (Python's repr). */
static void
append_float_literal (GString    *sql,
                      BbEngine    engine,
                      double      v,
                      const char *text,
                      gsize       len)
{
  gsize start = sql->len;

  if (v == 0.0)
    {
      /* "-0.0" would be numeric zero, which has no sign. SQLite and MariaDB
       * turn -0.0 into 0 anyway (measured). */
      g_string_append (sql, signbit (v) && engine == BB_ENGINE_POSTGRESQL ? "'-0'::float8" : "0");
      return;
    }

  switch (engine)
    {
    case BB_ENGINE_SQLITE:
      append_sqlite_double (sql, v);
      break;

    case BB_ENGINE_MYSQL:
    case BB_ENGINE_POSTGRESQL:
    default:
      /* PostgreSQL reads a numeric constant exactly and converts it with
       * strtod. MariaDB truncates long exact-value (decimal) literals but reads
       * approximate-value ones (with an exponent) with a correctly rounded
       * strtod. */
      if (text != NULL)
        g_string_append_len (sql, text, len);
      else
        bb_codec_append_float (sql, v);
      if (engine == BB_ENGINE_MYSQL && memchr (sql->str + start, 'e', sql->len - start) == NULL
          && memchr (sql->str + start, 'E', sql->len - start) == NULL)
        g_string_append (sql, "e0");
      break;
    }
}

static gboolean
append_float (GString           *sql,
              BbEngine           engine,
              const char        *sql_type,
              const BbJsonNode  *value,
              GError           **error)
{
  g_autofree char *shown = NULL;
  const char *p = value->text, *end;
  gboolean range;
  double v;

  if (value->kind != BB_JSON_NUMBER && value->kind != BB_JSON_STRING)
    goto not_number;
  end = p + value->len;
  if (value->kind == BB_JSON_STRING)
    {
      trim_spaces (&p, &end);
      if (is_non_finite_text (p, end))
        {
          shown = show_value (value);
          /* Translators: %s is the value from the backup ("inf"). */
          return fail (error, _("%s is not a finite number."), shown);
        }
    }
  /* The parser checked a NUMBER's grammar; the text still goes into SQL as
   * it is, so check again what SQL will read. */
  if (!is_decimal_text (p, end))
    goto not_number;

  v = parse_double (p, end - p, &range);
  if (!isfinite (v))
    {
      shown = show_value (value);
      return fail (error, _("%s is out of range for this column (%s)."), shown, sql_type);
    }

  /* A JSON number is written as it is unless strtod found it out of range
   * (below the smallest double: the engine may refuse what Python reads as 0). */
  if (value->kind == BB_JSON_NUMBER && !range)
    append_float_literal (sql, engine, v, p, end - p);
  else
    append_float_literal (sql, engine, v, NULL, 0);
  return TRUE;

not_number:
  shown = show_value (value);
  return fail (error, _("%s is not a number."), shown);
}

static gboolean
append_decimal (GString           *sql,
                const BbJsonNode  *value,
                GError           **error)
{
  g_autofree char *shown = NULL;
  const char *p = value->text, *end;

  if (value->kind == BB_JSON_NUMBER || value->kind == BB_JSON_STRING)
    {
      end = p + value->len;
      if (value->kind == BB_JSON_STRING)
        trim_spaces (&p, &end);
      if (is_decimal_text (p, end))
        {
          if (*p == '+')
            p++;
          g_string_append_len (sql, p, end - p);
          return TRUE;
        }
    }
  shown = show_value (value);
  return fail (error, _("%s is not a decimal number."), shown);
}

/* --- Booleans --- */

/* The string is word, ignoring ASCII case. */
static gboolean
is_word (const BbJsonNode *value,
         const char       *word)
{
  return value->len == strlen (word) && g_ascii_strncasecmp (value->text, word, value->len) == 0;
}

static gboolean
append_boolean (GString           *sql,
                BbEngine           engine,
                const BbJsonNode  *value,
                GError           **error)
{
  g_autofree char *shown = NULL;
  int truth = -1;

  switch (value->kind)
    {
    case BB_JSON_TRUE:
      truth = 1;
      break;
    case BB_JSON_FALSE:
      truth = 0;
      break;
    case BB_JSON_NUMBER:
      /* Python: 1 == True, 0 == False */
      if (value->len == 1 && (value->text[0] == '0' || value->text[0] == '1'))
        truth = value->text[0] == '1';
      break;
    case BB_JSON_STRING:
      if (is_word (value, "true") || is_word (value, "t") || is_word (value, "1"))
        truth = 1;
      else if (is_word (value, "false") || is_word (value, "f") || is_word (value, "0"))
        truth = 0;
      break;
    case BB_JSON_NULL:
    case BB_JSON_ARRAY:
    case BB_JSON_OBJECT:
    default:
      break;
    }

  if (truth < 0)
    {
      shown = show_value (value);
      return fail (error, _("%s is not true or false."), shown);
    }
  if (engine == BB_ENGINE_POSTGRESQL)
    g_string_append (sql, truth ? "true" : "false");
  else
    g_string_append_c (sql, truth ? '1' : '0');
  return TRUE;
}

/* --- Text --- */

/* How much text the column holds: characters for (var)char(N), bytes for
 * MySQL's TEXT types; 0 when there is no limit to check. SQLite ignores
 * declared lengths, and so does Django's loaddata. */
static guint64
text_limit (BbEngine    engine,
            const char *sql_type,
            gboolean   *in_bytes)
{
  static const char *sized[] = {
    "varchar", "character varying", "char", "character", "nvarchar", "nchar", "bpchar",
  };
  const char *paren;
  guint64 limit = 0;

  *in_bytes = FALSE;
  if (engine == BB_ENGINE_SQLITE)
    return 0;

  if (engine == BB_ENGINE_MYSQL)
    {
      *in_bytes = TRUE;
      if (g_ascii_strcasecmp (sql_type, "tinytext") == 0)
        return 255;
      if (g_ascii_strcasecmp (sql_type, "text") == 0)
        return 65535;
      if (g_ascii_strcasecmp (sql_type, "mediumtext") == 0)
        return 16777215;
      *in_bytes = FALSE;
    }

  paren = strchr (sql_type, '(');
  if (paren == NULL)
    return 0;
  for (gsize i = 0; i < G_N_ELEMENTS (sized); i++)
    if ((gsize) (paren - sql_type) == strlen (sized[i])
        && g_ascii_strncasecmp (sql_type, sized[i], paren - sql_type) == 0)
      {
        for (const char *p = paren + 1; g_ascii_isdigit (*p) && limit < G_MAXUINT32; p++)
          limit = limit * 10 + (*p - '0');
        return limit;
      }
  return 0;
}

/* Every statement passes libgda's SQL lexer (even in delimit mode), which
 * reads a backslash in a string literal as an escape, as MySQL does. SQLite
 * and PostgreSQL (standard_conforming_strings) take it as a plain character,
 * so a literal holding one was cut in the wrong place: "Syntax error", or
 * the text after it taken for a ##parameter. There the backslashes are
 * written in a form that both read alike. */
static void
append_text_literal (GString    *sql,
                     BbEngine    engine,
                     const char *text,
                     gsize       len)
{
  const char *p = text, *end = text + len;

  if (engine == BB_ENGINE_MYSQL || memchr (text, '\\', len) == NULL)
    {
      bb_dialect_append_literal (engine, sql, text);
      return;
    }

  if (engine == BB_ENGINE_POSTGRESQL)
    {
      /* An escape string: "\\" is one backslash to both. */
      g_string_append (sql, "E'");
      for (; p < end; p++)
        {
          if (*p == '\'' || *p == '\\')
            g_string_append_c (sql, *p);
          g_string_append_c (sql, *p);
        }
      g_string_append_c (sql, '\'');
      return;
    }

  /* SQLite: 'a'||char(92)||'b'. char() takes at most 127 arguments. */
  while (p < end)
    {
      if (p > text)
        g_string_append (sql, "||");
      if (*p == '\\')
        {
          int n = 0;

          g_string_append (sql, "char(92");
          for (p++; p < end && *p == '\\' && ++n < 100; p++)
            g_string_append (sql, ",92");
          g_string_append_c (sql, ')');
        }
      else
        {
          const char *stop = memchr (p, '\\', end - p);

          if (stop == NULL)
            stop = end;
          g_string_append_c (sql, '\'');
          for (; p < stop; p++)
            {
              if (*p == '\'')
                g_string_append_c (sql, '\'');
              g_string_append_c (sql, *p);
            }
          g_string_append_c (sql, '\'');
        }
    }
}

static gboolean
append_text (GString           *sql,
             BbEngine           engine,
             const char        *sql_type,
             const BbJsonNode  *value,
             GError           **error)
{
  g_autofree char *shown = NULL;
  gboolean in_bytes;
  guint64 limit;

  if (value->kind != BB_JSON_STRING)
    {
      shown = show_value (value);
      return fail (error, _("%s is not text."), shown);
    }
  if (memchr (value->text, '\0', value->len) != NULL)
    return fail (error, "%s", _("Text cannot contain a NUL character."));

  limit = text_limit (engine, sql_type, &in_bytes);
  /* Never fewer bytes than characters: most texts need no counting. */
  if (limit != 0 && value->len > limit)
    {
      guint64 size = in_bytes ? value->len : (guint64) g_utf8_strlen (value->text, value->len);

      if (size > limit)
        {
          if (in_bytes)
            return fail (error,
                         ngettext ("A text of %u byte does not fit this column, which holds %u.",
                                   "A text of %u bytes does not fit this column, which holds %u.",
                                   (gulong) size),
                         (guint) size, (guint) limit);
          return fail (error,
                       ngettext ("A text of %u character does not fit this column, which holds %u.",
                                 "A text of %u characters does not fit this column, which holds %u.",
                                 (gulong) size),
                       (guint) size, (guint) limit);
        }
    }

  append_text_literal (sql, engine, value->text, value->len);
  return TRUE;
}

/* --- Dates and times --- */

/* Between min and max digits. */
static gboolean
take_digits (const char **p,
             const char  *end,
             int          min,
             int          max,
             int         *value)
{
  int n = 0, v = 0;

  while (n < max && *p + n < end && g_ascii_isdigit ((*p)[n]))
    {
      v = v * 10 + ((*p)[n] - '0');
      n++;
    }
  if (n < min)
    return FALSE;
  *p += n;
  *value = v;
  return TRUE;
}

static gboolean
take_char (const char **p,
           const char  *end,
           char         c)
{
  if (*p < end && **p == c)
    {
      (*p)++;
      return TRUE;
    }
  return FALSE;
}

static int
days_in_month (int year,
               int month)
{
  static const guint8 days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

  if (month == 2 && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))
    return 29;
  return days[month - 1];
}

/* YYYY-M[M]-D[D], a real day (Django's parse_date). */
static gboolean
take_date (const char **p,
           const char  *end,
           Stamp       *t)
{
  return take_digits (p, end, 4, 4, &t->year) && take_char (p, end, '-')
         && take_digits (p, end, 1, 2, &t->month) && take_char (p, end, '-')
         && take_digits (p, end, 1, 2, &t->day)
         && t->year >= 1 && t->month >= 1 && t->month <= 12
         && t->day >= 1 && t->day <= days_in_month (t->year, t->month);
}

/* H[H]:M[M][:S[S][.f]] (Django's parse_time): up to 12 fraction digits,
 * of which the first six count. */
static gboolean
take_time (const char **p,
           const char  *end,
           Stamp       *t)
{
  t->second = 0;
  t->usec = 0;
  if (!take_digits (p, end, 1, 2, &t->hour) || !take_char (p, end, ':')
      || !take_digits (p, end, 1, 2, &t->minute))
    return FALSE;
  if (take_char (p, end, ':'))
    {
      if (!take_digits (p, end, 1, 2, &t->second))
        return FALSE;
      if (*p < end && (**p == '.' || **p == ','))
        {
          int n = 0;

          for ((*p)++; *p < end && g_ascii_isdigit (**p) && n < FRACTION_MAX_DIGITS; (*p)++, n++)
            if (n < 6)
              t->usec = t->usec * 10 + (**p - '0');
          if (n == 0)
            return FALSE;
          for (; n < 6; n++)
            t->usec *= 10;
        }
    }
  return t->hour < 24 && t->minute < 60 && t->second < 60;
}

/* Moves t by minutes (less than a day either way); the year may leave 1..9999. */
static void
shift_minutes (Stamp *t,
               int    minutes)
{
  int m = t->hour * 60 + t->minute + minutes;

  if (m < 0)
    {
      m += 24 * 60;
      if (--t->day < 1)
        {
          if (--t->month < 1)
            {
              t->month = 12;
              t->year--;
            }
          t->day = days_in_month (t->year, t->month);
        }
    }
  else if (m >= 24 * 60)
    {
      m -= 24 * 60;
      if (++t->day > days_in_month (t->year, t->month))
        {
          t->day = 1;
          if (++t->month > 12)
            {
              t->month = 1;
              t->year++;
            }
        }
    }
  t->hour = m / 60;
  t->minute = m % 60;
}

/* Django's parse_datetime (and a date alone, which DateTimeField takes as
 * midnight), turned into UTC; no zone means UTC (TIME_ZONE of Baby Buddy). */
static ParseResult
parse_datetime (const char *p,
                const char *end,
                Stamp      *t)
{
  int offset = 0;

  if (!take_date (&p, end, t))
    return PARSE_INVALID;
  t->hour = t->minute = t->second = t->usec = 0;
  if (p == end)
    return PARSE_OK;
  if (*p != 'T' && *p != ' ')
    return PARSE_INVALID;
  p++;
  if (!take_time (&p, end, t))
    return PARSE_INVALID;
  while (p < end && *p == ' ')
    p++;
  if (take_char (&p, end, 'Z'))
    ;
  else if (p < end && (*p == '+' || *p == '-'))
    {
      int sign = *p++ == '-' ? -1 : 1, hours, minutes = 0;

      if (!take_digits (&p, end, 2, 2, &hours))
        return PARSE_INVALID;
      if (take_char (&p, end, ':') ? !take_digits (&p, end, 2, 2, &minutes)
          : (p < end && !take_digits (&p, end, 2, 2, &minutes)))
        return PARSE_INVALID;
      if (hours > 23 || minutes > 59)
        return PARSE_INVALID;
      offset = sign * (hours * 60 + minutes);
    }
  if (p != end)
    return PARSE_INVALID;

  if (offset != 0)
    shift_minutes (t, -offset);
  return t->year >= 1 && t->year <= 9999 ? PARSE_OK : PARSE_RANGE;
}

static void
append_date (GString     *sql,
             const Stamp *t)
{
  append_padded (sql, t->year, 4);
  g_string_append_c (sql, '-');
  append_padded (sql, t->month, 2);
  g_string_append_c (sql, '-');
  append_padded (sql, t->day, 2);
}

static gboolean
append_datetime_sql (GString           *sql,
                     BbEngine           engine,
                     const BbJsonNode  *value,
                     GError           **error)
{
  g_autofree char *shown = NULL;
  ParseResult result = PARSE_INVALID;
  Stamp t;

  if (value->kind == BB_JSON_STRING)
    result = parse_datetime (value->text, value->text + value->len, &t);
  if (result != PARSE_OK)
    {
      shown = show_value (value);
      if (result == PARSE_RANGE)
        return fail (error, _("%s falls outside the years 1 to 9999 in UTC."), shown);
      /* Translators: %s is the value from the backup; keep the example as it is. */
      return fail (error, _("%s is not a date and time (expected 2024-11-24T03:14:17Z)."), shown);
    }

  /* Python's str(datetime), as Django's SQLite and MySQL backends send it;
   * PostgreSQL gets the zone so that the session's TimeZone plays no part. */
  g_string_append_c (sql, '\'');
  append_date (sql, &t);
  g_string_append_c (sql, ' ');
  append_time (sql, t.hour, t.minute, t.second, t.usec);
  if (engine == BB_ENGINE_POSTGRESQL)
    g_string_append (sql, "+00");
  g_string_append_c (sql, '\'');
  return TRUE;
}

static gboolean
append_date_sql (GString           *sql,
                 const BbJsonNode  *value,
                 GError           **error)
{
  g_autofree char *shown = NULL;
  const char *p = value->text;
  Stamp t;

  if (value->kind != BB_JSON_STRING || !take_date (&p, value->text + value->len, &t)
      || p != value->text + value->len)
    {
      shown = show_value (value);
      /* Translators: %s is the value from the backup; keep the example as it is. */
      return fail (error, _("%s is not a date (expected 2024-11-24)."), shown);
    }
  g_string_append_c (sql, '\'');
  append_date (sql, &t);
  g_string_append_c (sql, '\'');
  return TRUE;
}

static gboolean
append_time_sql (GString           *sql,
                 const BbJsonNode  *value,
                 GError           **error)
{
  g_autofree char *shown = NULL;
  const char *p = value->text;
  Stamp t;

  if (value->kind != BB_JSON_STRING || !take_time (&p, value->text + value->len, &t)
      || p != value->text + value->len)
    {
      shown = show_value (value);
      /* Translators: %s is the value from the backup; keep the example as it is. */
      return fail (error, _("%s is not a time (expected 14:30:15)."), shown);
    }
  g_string_append_c (sql, '\'');
  append_time (sql, t.hour, t.minute, t.second, t.usec);
  g_string_append_c (sql, '\'');
  return TRUE;
}

/* --- Durations --- */

/* Unbounded digits (as \d+); *overflow once they pass G_MAXINT64. */
static gboolean
take_number (const char **p,
             const char  *end,
             gint64      *value,
             gboolean    *overflow)
{
  const char *start = *p;
  gint64 v = 0;

  for (; *p < end && g_ascii_isdigit (**p); (*p)++)
    if (__builtin_mul_overflow (v, 10, &v) || __builtin_add_overflow (v, **p - '0', &v))
      *overflow = TRUE;
  *value = v;
  return *p > start;
}

static gboolean
starts_with (const char *p,
          const char *end,
          const char *word)
{
  gsize len = strlen (word);

  return (gsize) (end - p) >= len && memcmp (p, word, len) == 0;
}

/* days * 1 day + sign * (((hours * 60) + minutes) * 60 + seconds) s + usec,
 * out of range only when the total is: -106751992 days + 19:59:05.224192
 * is G_MININT64 although -106751992 days alone do not fit 64 bits. */
static ParseResult
sum_duration (gint64    days,
              int       sign,
              gint64    hours,
              gint64    minutes,
              gint64    seconds,
              gint64    usec,
              gboolean  overflow,
              gint64   *total)
{
  gint64 t, whole_days, rest, product;

  if (overflow
      || __builtin_mul_overflow (hours, 60, &t) || __builtin_add_overflow (t, minutes, &t)
      || __builtin_mul_overflow (t, 60, &t) || __builtin_add_overflow (t, seconds, &t)
      || __builtin_mul_overflow (t, G_USEC_PER_SEC, &t) || __builtin_add_overflow (t, usec, &t))
    return PARSE_RANGE;

  /* sign * t as whole days and a rest in [0, 1 day) */
  whole_days = t / USEC_PER_DAY;
  rest = t % USEC_PER_DAY;
  if (sign < 0)
    {
      whole_days = -whole_days;
      rest = -rest;
      if (rest < 0)
        {
          whole_days -= 1;
          rest += USEC_PER_DAY;
        }
    }
  if (__builtin_add_overflow (days, whole_days, &whole_days))
    return PARSE_RANGE;
  /* Below zero, count from the next day so the product stays within the total. */
  if (whole_days < 0)
    {
      whole_days += 1;
      rest -= USEC_PER_DAY;
    }
  if (__builtin_mul_overflow (whole_days, USEC_PER_DAY, &product)
      || __builtin_add_overflow (product, rest, total))
    return PARSE_RANGE;
  return PARSE_OK;
}

/* Django's standard_duration_re: "[-]D [day[s], ][-][[H:]M:]S[.f]", which
 * duration_string() writes ("-1 23:59:59.000001") and str(timedelta) too. */
static ParseResult
parse_standard_duration (const char *p,
                         const char *end,
                         gint64     *usec)
{
  gboolean overflow = FALSE, days_overflow = FALSE;
  gint64 days = 0, groups[3] = { 0, 0, 0 }, fraction = 0;
  const char *q = p;
  int n_groups = 0, sign = 1;

  take_char (&q, end, '-');
  if (take_number (&q, end, &days, &days_overflow) && take_char (&q, end, ' '))
    {
      if (*p == '-')
        days = -days;
      if (starts_with (q, end, "days, "))
        q += 6;
      else if (starts_with (q, end, "day, "))
        q += 5;
      p = q;
      overflow = days_overflow;
    }
  else
    days = 0;

  if (take_char (&p, end, '-'))
    sign = -1;
  do
    {
      if (n_groups == 3 || !take_number (&p, end, &groups[n_groups], &overflow))
        return PARSE_INVALID;
      n_groups++;
    }
  while (take_char (&p, end, ':'));

  if (p < end && (*p == '.' || *p == ','))
    {
      int n = 0;

      for (p++; p < end && g_ascii_isdigit (*p) && n < FRACTION_MAX_DIGITS; p++, n++)
        if (n < 6)
          fraction = fraction * 10 + (*p - '0');
      if (n == 0)
        return PARSE_INVALID;
      for (; n < 6; n++)
        fraction *= 10;
    }
  if (p != end)
    return PARSE_INVALID;

  switch (n_groups)
    {
    case 3:
      return sum_duration (days, sign, groups[0], groups[1], groups[2], fraction, overflow, usec);
    case 2:
      return sum_duration (days, sign, 0, groups[0], groups[1], fraction, overflow, usec);
    default:
      return sum_duration (days, sign, 0, 0, groups[0], fraction, overflow, usec);
    }
}

/* An ISO 8601 number "N[.,F]": the whole part, and the first 12 digits
 * of the fraction as an integer over 10^n_fraction. */
static gboolean
take_iso_number (const char **p,
                 const char  *end,
                 gint64      *whole,
                 gint64      *fraction,
                 int         *n_fraction,
                 gboolean    *overflow)
{
  *fraction = 0;
  *n_fraction = 0;
  if (!take_number (p, end, whole, overflow))
    return FALSE;
  if (*p < end && (**p == '.' || **p == ','))
    {
      const char *start = ++(*p);

      for (; *p < end && g_ascii_isdigit (**p); (*p)++)
        if (*n_fraction < FRACTION_MAX_DIGITS)
          {
            *fraction = *fraction * 10 + (**p - '0');
            (*n_fraction)++;
          }
      if (*p == start)
        return FALSE;
    }
  return TRUE;
}

/* (whole + fraction / 10^n_fraction) * unit_seconds in microseconds,
 * rounded half to even as timedelta rounds its float arguments. */
static gboolean
iso_to_usec (gint64  whole,
             gint64  fraction,
             int     n_fraction,
             gint64  unit_seconds,
             gint64 *usec)
{
  /* fraction < 10^12 and unit_seconds <= 86400: no overflow here. */
  gint64 scaled = fraction * unit_seconds;

  if (n_fraction <= 6)
    {
      for (int n = n_fraction; n < 6; n++)
        scaled *= 10;
    }
  else
    {
      gint64 divisor = 1, quotient, remainder;

      for (int n = n_fraction; n > 6; n--)
        divisor *= 10;
      quotient = scaled / divisor;
      remainder = scaled % divisor;
      if (remainder * 2 > divisor || (remainder * 2 == divisor && quotient % 2 == 1))
        quotient++;
      scaled = quotient;
    }

  return !__builtin_mul_overflow (whole, unit_seconds * G_USEC_PER_SEC, usec)
         && !__builtin_add_overflow (*usec, scaled, usec);
}

/* Django's iso8601_duration_re: "[-+]P[nD][T[nH][nM][nS]]", n may have a fraction. */
static ParseResult
parse_iso_duration (const char *p,
                    const char *end,
                    gint64     *usec)
{
  static const struct { char letter; gint64 seconds; } units[] = {
    { 'D', 86400 }, { 'H', 3600 }, { 'M', 60 }, { 'S', 1 },
  };
  gboolean overflow = FALSE, in_time = FALSE;
  gint64 total = 0;
  int sign = 1;
  gsize next_unit = 0;

  if (p < end && (*p == '-' || *p == '+'))
    sign = *p++ == '-' ? -1 : 1;
  if (!take_char (&p, end, 'P'))
    return PARSE_INVALID;
  for (;;)
    {
      gint64 whole, fraction, part;
      int n_fraction;

      if (!in_time && take_char (&p, end, 'T'))
        {
          in_time = TRUE;
          next_unit = MAX (next_unit, 1);
        }
      if (p == end)
        break;
      if (!take_iso_number (&p, end, &whole, &fraction, &n_fraction, &overflow) || p == end)
        return PARSE_INVALID;
      /* Days before the T, hours, minutes and seconds after it, in order. */
      while (next_unit < G_N_ELEMENTS (units) && units[next_unit].letter != *p)
        next_unit++;
      if (next_unit == G_N_ELEMENTS (units) || (next_unit == 0) == in_time)
        return PARSE_INVALID;
      p++;
      if (!iso_to_usec (whole, fraction, n_fraction, units[next_unit].seconds, &part)
          || __builtin_add_overflow (total, part, &total))
        overflow = TRUE;
      next_unit++;
    }
  if (overflow)
    return PARSE_RANGE;
  *usec = sign * total;
  return PARSE_OK;
}

/* Django's postgres_interval_re: "[-]D day[s] [[+-]H:MM:SS[.f]]". */
static ParseResult
parse_postgres_duration (const char *p,
                         const char *end,
                         gint64     *usec)
{
  gboolean overflow = FALSE;
  gint64 days = 0, hours = 0, fraction = 0;
  int minutes = 0, seconds = 0, sign = 1;
  const char *q = p;

  take_char (&q, end, '-');
  if (take_number (&q, end, &days, &overflow) && take_char (&q, end, ' ')
      && starts_with (q, end, "day"))
    {
      if (*p == '-')
        days = -days;
      q += 3;
      take_char (&q, end, 's');
      take_char (&q, end, ' ');
      p = q;
    }
  else
    {
      days = 0;
      overflow = FALSE;
    }

  if (p < end)
    {
      if (p < end && (*p == '-' || *p == '+'))
        sign = *p++ == '-' ? -1 : 1;
      if (!take_number (&p, end, &hours, &overflow) || !take_char (&p, end, ':')
          || !take_digits (&p, end, 2, 2, &minutes) || !take_char (&p, end, ':')
          || !take_digits (&p, end, 2, 2, &seconds))
        return PARSE_INVALID;
      if (take_char (&p, end, '.'))
        {
          int n = 0;

          for (; p < end && g_ascii_isdigit (*p) && n < 6; p++, n++)
            fraction = fraction * 10 + (*p - '0');
          if (n == 0)
            return PARSE_INVALID;
          for (; n < 6; n++)
            fraction *= 10;
        }
      if (p != end)
        return PARSE_INVALID;
    }
  return sum_duration (days, sign, hours, minutes, seconds, fraction, overflow, usec);
}

/* Django's parse_duration tries the three forms in this order. The empty
 * string, which it reads as zero, is refused. Beyond 64-bit microseconds
 * (about 106,751,991 days) is out of range: that is what the bigint
 * columns of SQLite and MySQL hold, and what a backup reads back. */
static ParseResult
parse_duration (const char *p,
                const char *end,
                gint64     *usec)
{
  ParseResult result;

  if (p == end)
    return PARSE_INVALID;
  result = parse_standard_duration (p, end, usec);
  if (result == PARSE_INVALID)
    result = parse_iso_duration (p, end, usec);
  if (result == PARSE_INVALID)
    result = parse_postgres_duration (p, end, usec);
  return result;
}

gboolean
bb_codec_parse_duration (const char *text,
                         gint64     *microseconds)
{
  gint64 usec;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (microseconds != NULL, FALSE);

  if (parse_duration (text, text + strlen (text), &usec) != PARSE_OK)
    return FALSE;
  *microseconds = usec;
  return TRUE;
}

static gboolean
append_duration_sql (GString           *sql,
                     BbEngine           engine,
                     const char        *sql_type,
                     const BbJsonNode  *value,
                     GError           **error)
{
  g_autofree char *shown = NULL;
  ParseResult result = PARSE_INVALID;
  gint64 usec = 0;

  if (value->kind == BB_JSON_STRING)
    result = parse_duration (value->text, value->text + value->len, &usec);
  if (result != PARSE_OK)
    {
      shown = show_value (value);
      if (result == PARSE_RANGE)
        return fail (error, _("%s is too long a duration to store."), shown);
      /* Translators: %s is the value from the backup; keep the example as it is. */
      return fail (error, _("%s is not a duration (expected 1 02:03:04.500001)."), shown);
    }

  if (engine == BB_ENGINE_POSTGRESQL && has_prefix_ci (sql_type, "interval"))
    {
      /* As psycopg sends a timedelta: whole days, and the seconds of the
       * last day (never negative). Explicit signs, or IntervalStyle
       * sql_standard would spread the days' minus to the seconds. */
      gint64 days = usec / USEC_PER_DAY, rest = usec % USEC_PER_DAY;

      if (rest < 0)
        {
          days -= 1;
          rest += USEC_PER_DAY;
        }
      g_string_append_c (sql, '\'');
      if (days != 0)
        {
          append_int64 (sql, days);
          g_string_append (sql, " days ");
        }
      g_string_append_c (sql, '+');
      append_int64 (sql, rest / G_USEC_PER_SEC);
      if (rest % G_USEC_PER_SEC != 0)
        {
          g_string_append_c (sql, '.');
          append_padded (sql, (int) (rest % G_USEC_PER_SEC), 6);
        }
      g_string_append (sql, " seconds'::interval");
    }
  else
    {
      /* Django's SQLite and MySQL backends: bigint microseconds. */
      append_int64 (sql, usec);
    }
  return TRUE;
}

/* --- IP addresses --- */

/* Python's str(IPv6Address) as Django's clean_ipv6_address() leaves it:
 * lower-case hex, the first longest run of two or more zero groups as "::",
 * IPv4-mapped addresses as "::ffff:a.b.c.d". */
static void
append_ipv6 (GString      *out,
             const guint8 *bytes)
{
  static const char hex[] = "0123456789abcdef";
  guint16 words[8];
  int best = -1, best_len = 0, run = -1, run_len = 0;

  for (int i = 0; i < 8; i++)
    words[i] = (guint16) (bytes[2 * i] << 8 | bytes[2 * i + 1]);

  if (words[0] == 0 && words[1] == 0 && words[2] == 0 && words[3] == 0 && words[4] == 0
      && words[5] == 0xffff)
    {
      g_string_append (out, "::ffff:");
      for (int i = 12; i < 16; i++)
        {
          if (i > 12)
            g_string_append_c (out, '.');
          append_uint64 (out, FALSE, bytes[i]);
        }
      return;
    }

  for (int i = 0; i < 8; i++)
    {
      if (words[i] != 0)
        {
          run = -1;
          run_len = 0;
          continue;
        }
      if (run < 0)
        run = i;
      if (++run_len > best_len)
        {
          best = run;
          best_len = run_len;
        }
    }
  if (best_len < 2)
    best = -1;

  for (int i = 0; i < 8;)
    {
      gboolean leading = TRUE;

      if (i == best)
        {
          g_string_append (out, "::");
          i += best_len;
          continue;
        }
      if (i > 0 && i != best + best_len)
        g_string_append_c (out, ':');
      for (int shift = 12; shift >= 0; shift -= 4)
        {
          int digit = (words[i] >> shift) & 0xf;

          if (digit != 0 || shift == 0 || !leading)
            {
              g_string_append_c (out, hex[digit]);
              leading = FALSE;
            }
        }
      i++;
    }
}

static gboolean
append_ip (GString           *sql,
           BbEngine           engine,
           gboolean           nullable,
           const BbJsonNode  *value,
           GError           **error)
{
  g_autofree char *shown = NULL;
  const char *p = value->text, *end;
  char address[64];
  guint8 bytes[16];

  if (value->kind != BB_JSON_STRING)
    goto not_address;
  end = p + value->len;
  trim_spaces (&p, &end);
  if (p == end)
    {
      /* Django stores an empty address as NULL. */
      if (!nullable)
        return fail (error, "%s", _("A value is required."));
      g_string_append (sql, "NULL");
      return TRUE;
    }
  if ((gsize) (end - p) >= sizeof address || memchr (p, '\0', end - p) != NULL)
    goto not_address;
  memcpy (address, p, end - p);
  address[end - p] = '\0';

  if (strchr (address, ':') != NULL)
    {
      g_autoptr(GString) canonical = g_string_new (NULL);

      if (inet_pton (AF_INET6, address, bytes) != 1)
        goto not_address;
      append_ipv6 (canonical, bytes);
      bb_dialect_append_literal (engine, sql, canonical->str);
    }
  else
    {
      /* glibc takes exactly four decimal parts without leading zeros, as
       * Python's ipaddress does: the text is already canonical. */
      if (inet_pton (AF_INET, address, bytes) != 1)
        goto not_address;
      bb_dialect_append_literal (engine, sql, address);
    }
  return TRUE;

not_address:
  shown = show_value (value);
  return fail (error, _("%s is not an IP address."), shown);
}

gboolean
bb_codec_append_sql_value (GString           *sql,
                           BbEngine           engine,
                           const BbField     *field,
                           const BbJsonNode  *value,
                           GError           **error)
{
  const char *sql_type;

  g_return_val_if_fail (sql != NULL, FALSE);
  g_return_val_if_fail (field != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  sql_type = field->sql_type != NULL ? field->sql_type : "";

  if (value->kind == BB_JSON_NULL)
    {
      if (!field->nullable)
        return fail (error, "%s", _("A value is required."));
      g_string_append (sql, "NULL");
      return TRUE;
    }

  switch (field->kind)
    {
    case BB_FIELD_INTEGER:
      return append_integer (sql, engine, sql_type, value, error);
    case BB_FIELD_FLOAT:
      return append_float (sql, engine, sql_type, value, error);
    case BB_FIELD_DECIMAL:
      return append_decimal (sql, value, error);
    case BB_FIELD_BOOLEAN:
      return append_boolean (sql, engine, value, error);
    case BB_FIELD_DATETIME:
      return append_datetime_sql (sql, engine, value, error);
    case BB_FIELD_DATE:
      return append_date_sql (sql, value, error);
    case BB_FIELD_TIME:
      return append_time_sql (sql, value, error);
    case BB_FIELD_DURATION:
      return append_duration_sql (sql, engine, sql_type, value, error);
    case BB_FIELD_IP:
      return append_ip (sql, engine, field->nullable, value, error);
    case BB_FIELD_TEXT:
    default:
      return append_text (sql, engine, sql_type, value, error);
    }
}
