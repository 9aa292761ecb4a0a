/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-catalog.h: Baby Buddy's model facts that the database cannot tell. */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

JsonObject *bb_catalog_lookup_table        (const char  *table);
/* Every table the catalog describes, NULL-terminated. */
const char * const *bb_catalog_list_tables (void);
gboolean    bb_catalog_is_non_model_table  (const char  *table);
gboolean    bb_catalog_is_not_backed_up    (const char  *label);
int         bb_catalog_model_position      (const char  *label);
char       *bb_catalog_file_for_label     (const char  *label);
const char *bb_catalog_release_for         (const char  *core_migration,
                                            const char  *babybuddy_migration);

G_END_DECLS
