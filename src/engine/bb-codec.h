/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-codec.h: database text <-> Django fixture JSON values. */

#pragma once

#include "bb-json-lines.h"
#include "bb-schema.h"

G_BEGIN_DECLS

#define BB_CODEC_ERROR (bb_codec_error_quark ())

typedef enum {
  BB_CODEC_ERROR_INVALID_VALUE,
} BbCodecError;

GQuark   bb_codec_error_quark        (void);

void     bb_codec_append_json_string (GString     *out,
                                      const char  *text);
void     bb_codec_append_float       (GString     *out,
                                      double       value);
void     bb_codec_append_duration    (GString     *out,
                                      gint64       microseconds);
gboolean bb_codec_append_value       (GString     *out,
                                      BbFieldKind  kind,
                                      const char  *text,
                                      GError     **error);

/* Restoring: a fixture value -> the SQL literal for field's column on engine,
 * exactly as Django's backend for that engine would store it (SQLite:
 * datetimes as naive UTC text, durations as microseconds, booleans 1/0;
 * PostgreSQL: timestamptz, interval, boolean, inet; MySQL: datetime(6) in UTC,
 * bigint microseconds, 1/0). Checks that the value parses for the column:
 * JSON type, integer range of the SQL type, varchar length in characters,
 * no U+0000 in text, finite floats, real dates and times, NULL only where
 * field->nullable. On error appends nothing and sets BB_CODEC_ERROR_INVALID_VALUE
 * with a translated sentence about the value (the caller adds model, pk and field). */
gboolean bb_codec_append_sql_value   (GString           *sql,
                                      BbEngine           engine,
                                      const BbField     *field,
                                      const BbJsonNode  *value,
                                      GError           **error);
/* "[-]D HH:MM:SS[.ffffff]" / "HH:MM:SS[.ffffff]" (Django's duration_string,
 * also ISO 8601 "P…T…" and PostgreSQL "D days HH:MM:SS") -> microseconds. */
gboolean bb_codec_parse_duration     (const char        *text,
                                      gint64            *microseconds);

G_END_DECLS
