/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-codec.h: database text <-> Django fixture JSON values. */

#pragma once

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

G_END_DECLS
