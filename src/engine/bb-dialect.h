/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-dialect.h: the SQL that differs between SQLite, PostgreSQL and MySQL/MariaDB. */

#pragma once

#include "bb-database.h"
#include "bb-schema.h"

G_BEGIN_DECLS

char       *bb_dialect_quote_identifier (BbEngine     engine,
                                         const char  *name);
void        bb_dialect_append_literal   (BbEngine     engine,
                                         GString     *sql,
                                         const char  *text);
const char *bb_dialect_columns_query    (BbEngine     engine);
const char *bb_dialect_foreign_keys_query (BbEngine   engine);
const char *bb_dialect_unique_columns_query (BbEngine engine);
const char *bb_dialect_begin_snapshot   (BbEngine     engine);
void        bb_dialect_append_select_expr (BbEngine     engine,
                                           GString     *sql,
                                           BbFieldKind  kind,
                                           const char  *column);
void        bb_dialect_append_order_expr  (BbEngine     engine,
                                           GString     *sql,
                                           BbFieldKind  kind,
                                           const char  *column);

G_END_DECLS
