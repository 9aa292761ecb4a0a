/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-codec.c: database text -> Django JSON values, byte for byte. */

#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include "bb-codec.h"

static char *
encode (BbFieldKind  kind,
        const char  *text)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (bb_codec_append_value (out, kind, text, &error));
  g_assert_no_error (error);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
assert_encodes (BbFieldKind kind,
                const char *text,
                const char *expected)
{
  g_autofree char *got = encode (kind, text);

  g_assert_cmpstr (got, ==, expected);
}

static void
assert_rejects (BbFieldKind kind,
                const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (bb_codec_append_value (out, kind, text, &error));
  g_assert_error (error, BB_CODEC_ERROR, BB_CODEC_ERROR_INVALID_VALUE);
  /* The message names the value so a user can find it. */
  g_assert_nonnull (strstr (error->message, text));
}

static void
test_float_repr (void)
{
  /* Python's repr(), as Django's JSON serializer writes floats. */
  static const struct { double value; const char *repr; } cases[] = {
    { 0.8, "0.8" },
    { 0.1 + 0.2, "0.30000000000000004" },
    { 3.3333333333, "3.3333333333" },
    { 1e-07, "1e-07" },
    { 0.0001, "0.0001" },
    { 0.00001, "1e-05" },
    { 10.0, "10.0" },
    { -0.0, "-0.0" },
    { 0.0, "0.0" },
    { 123456789012345.0, "123456789012345.0" },
    { 1e16, "1e+16" },
    { 1.5e300, "1.5e+300" },
    { -2.5, "-2.5" },
    { 95.51, "95.51" },
    { 5e-324, "5e-324" },
    { 1.7976931348623157e308, "1.7976931348623157e+308" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) out = g_string_new (NULL);

      bb_codec_append_float (out, cases[i].value);
      g_assert_cmpstr (out->str, ==, cases[i].repr);
    }
}

static void
test_float_from_text (void)
{
  /* SQLite's printf('%!.17g') and PostgreSQL's shortest output read the same. */
  assert_encodes (BB_FIELD_FLOAT, "0.30000000000000004", "0.30000000000000004");
  assert_encodes (BB_FIELD_FLOAT, "0.80000000000000004", "0.8");
  assert_encodes (BB_FIELD_FLOAT, "2", "2.0");
  assert_encodes (BB_FIELD_FLOAT, "1e-07", "1e-07");
  assert_encodes (BB_FIELD_FLOAT, NULL, "null");
  assert_rejects (BB_FIELD_FLOAT, "abc");
  assert_rejects (BB_FIELD_FLOAT, "1.5x");
}

static void
test_float_locale (void)
{
  /* A German LC_NUMERIC writes a comma in printf; JSON never may. */
  g_assert_nonnull (setlocale (LC_NUMERIC, "de_DE.UTF-8"));
  {
    char buf[16];
    g_snprintf (buf, sizeof buf, "%.1f", 2.5);
    g_assert_cmpstr (buf, ==, "2,5");   /* the trap is real in this locale */
  }
  assert_encodes (BB_FIELD_FLOAT, "2.5", "2.5");
  setlocale (LC_NUMERIC, "C");
}

static void
test_duration (void)
{
  static const struct { gint64 usec; const char *text; } cases[] = {
    { 0, "\"00:00:00\"" },
    { G_GINT64_CONSTANT (10140000000), "\"02:49:00\"" },
    { G_GINT64_CONSTANT (604800000000), "\"7 00:00:00\"" },
    { G_GINT64_CONSTANT (93784500001), "\"1 02:03:04.500001\"" },
    { -1000000, "\"-1 23:59:59\"" },
    { -1, "\"-1 23:59:59.999999\"" },
    { G_GINT64_CONSTANT (-86400000000), "\"-1 00:00:00\"" },
    { 1, "\"00:00:00.000001\"" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) out = g_string_new (NULL);

      bb_codec_append_duration (out, cases[i].usec);
      g_assert_cmpstr (out->str, ==, cases[i].text);
    }
  assert_encodes (BB_FIELD_DURATION, "480000000", "\"00:08:00\"");
  assert_rejects (BB_FIELD_DURATION, "00:08:00");
}

static void
test_datetime (void)
{
  /* SQLite: naive UTC text; MariaDB: datetime(6); PostgreSQL: with offset. */
  assert_encodes (BB_FIELD_DATETIME, "2024-11-24 03:36:17.805328", "\"2024-11-24T03:36:17.805328Z\"");
  assert_encodes (BB_FIELD_DATETIME, "2024-11-24 03:36:17", "\"2024-11-24T03:36:17Z\"");
  assert_encodes (BB_FIELD_DATETIME, "2024-11-24 03:36:17.000000", "\"2024-11-24T03:36:17Z\"");
  assert_encodes (BB_FIELD_DATETIME, "2024-11-24 03:36:17.8", "\"2024-11-24T03:36:17.800000Z\"");
  assert_encodes (BB_FIELD_DATETIME, "2024-11-24 03:36:17.000500+00", "\"2024-11-24T03:36:17.000500Z\"");
  assert_encodes (BB_FIELD_DATETIME, "2024-11-24T03:36:17Z", "\"2024-11-24T03:36:17Z\"");
  /* An offset is turned into UTC, across midnight. */
  assert_encodes (BB_FIELD_DATETIME, "2024-11-24 00:30:00+01:00", "\"2024-11-23T23:30:00Z\"");
  assert_encodes (BB_FIELD_DATETIME, "2024-11-23 23:30:00.5-05:30", "\"2024-11-24T05:00:00.500000Z\"");
  assert_rejects (BB_FIELD_DATETIME, "yesterday");
  assert_rejects (BB_FIELD_DATETIME, "2024-11-24");
}

static void
test_date_time (void)
{
  assert_encodes (BB_FIELD_DATE, "2024-11-23", "\"2024-11-23\"");
  assert_rejects (BB_FIELD_DATE, "2024-02-30");
  assert_rejects (BB_FIELD_DATE, "24-11-23");
  assert_encodes (BB_FIELD_TIME, "14:30:15", "\"14:30:15\"");
  assert_encodes (BB_FIELD_TIME, "14:30:15.000000", "\"14:30:15\"");
  assert_encodes (BB_FIELD_TIME, "01:02:03.456789", "\"01:02:03.456789\"");
  assert_rejects (BB_FIELD_TIME, "25:00:00");
}

static void
test_scalars (void)
{
  assert_encodes (BB_FIELD_INTEGER, "42", "42");
  assert_encodes (BB_FIELD_INTEGER, "-7", "-7");
  assert_encodes (BB_FIELD_INTEGER, "9223372036854775807", "9223372036854775807");
  assert_rejects (BB_FIELD_INTEGER, "4.5");
  assert_rejects (BB_FIELD_INTEGER, "");
  assert_encodes (BB_FIELD_BOOLEAN, "1", "true");
  assert_encodes (BB_FIELD_BOOLEAN, "0", "false");
  assert_encodes (BB_FIELD_BOOLEAN, "t", "true");
  assert_encodes (BB_FIELD_BOOLEAN, "false", "false");
  assert_rejects (BB_FIELD_BOOLEAN, "maybe");
  assert_encodes (BB_FIELD_IP, "127.0.0.1", "\"127.0.0.1\"");
  assert_encodes (BB_FIELD_IP, "127.0.0.1/32", "\"127.0.0.1\"");
  assert_encodes (BB_FIELD_IP, "::1/128", "\"::1\"");
  assert_encodes (BB_FIELD_IP, "10.0.0.1   ", "\"10.0.0.1\"");
  assert_encodes (BB_FIELD_DECIMAL, "1.50", "\"1.50\"");
  assert_encodes (BB_FIELD_TEXT, NULL, "null");
}

static void
test_string_escaping (void)
{
  /* ensure_ascii=False: UTF-8 stays as it is, control characters are escaped. */
  assert_encodes (BB_FIELD_TEXT, "Schläft 👶🍼 — gut", "\"Schläft 👶🍼 — gut\"");
  assert_encodes (BB_FIELD_TEXT, "a\"b\\c", "\"a\\\"b\\\\c\"");
  assert_encodes (BB_FIELD_TEXT, "line\nnext\r\ttab", "\"line\\nnext\\r\\ttab\"");
  assert_encodes (BB_FIELD_TEXT, "\x01\x1f\b\f", "\"\\u0001\\u001f\\b\\f\"");
  assert_encodes (BB_FIELD_TEXT, "\x7f", "\"\x7f\"");
  assert_encodes (BB_FIELD_TEXT, "", "\"\"");
  /* Invalid UTF-8 never reaches the JSON. */
  {
    g_autofree char *got = encode (BB_FIELD_TEXT, "bad \xff byte");
    g_assert_true (g_utf8_validate (got, -1, NULL));
    g_assert_true (g_str_has_prefix (got, "\"bad "));
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bb/codec/float-repr", test_float_repr);
  g_test_add_func ("/bb/codec/float-from-text", test_float_from_text);
  g_test_add_func ("/bb/codec/float-locale", test_float_locale);
  g_test_add_func ("/bb/codec/duration", test_duration);
  g_test_add_func ("/bb/codec/datetime", test_datetime);
  g_test_add_func ("/bb/codec/date-time", test_date_time);
  g_test_add_func ("/bb/codec/scalars", test_scalars);
  g_test_add_func ("/bb/codec/string-escaping", test_string_escaping);

  return g_test_run ();
}
