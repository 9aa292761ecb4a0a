/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-codec.c: writes each database value exactly as Django's JSON serializer
 * does (MODELS.md), whichever engine it came from, with one deliberate change:
 * datetimes and times keep all six fraction digits. The same text from three
 * engines must give the same bytes. */

#define G_LOG_DOMAIN "bb-codec"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bb-codec.h"

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
