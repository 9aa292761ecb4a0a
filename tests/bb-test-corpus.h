/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-test-corpus.h: broken backup archives made from a good one. */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

G_END_DECLS
