/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-schema.h: the tables of a Baby Buddy database seen as Django models. */

#pragma once

#include "bb-database.h"

G_BEGIN_DECLS

typedef enum {
  BB_FIELD_INTEGER,
  BB_FIELD_FLOAT,
  BB_FIELD_DECIMAL,
  BB_FIELD_BOOLEAN,
  BB_FIELD_TEXT,
  BB_FIELD_DATETIME,
  BB_FIELD_DATE,
  BB_FIELD_TIME,
  BB_FIELD_DURATION,
  BB_FIELD_IP,
} BbFieldKind;

/* How a reference is written: a plain pk, or a natural key. */
typedef enum {
  BB_REF_NONE,
  BB_REF_PK,
  BB_REF_CONTENT_TYPE,
  BB_REF_PERMISSION,
} BbRefKind;

typedef struct {
  char        *name;          /* Django field name ("child") */
  char        *column;        /* database column ("child_id") */
  char        *sql_type;      /* declared type, as the engine reports it */
  BbFieldKind  kind;
  BbRefKind    ref;
  char        *target_table;  /* for references */
  char        *upload_to;     /* non-NULL for file and image fields */
  gboolean     nullable;      /* the column accepts NULL */
  gboolean     has_default;   /* the column has a database default (or is the pk) */
  gboolean     unique;        /* a single-column UNIQUE constraint (not the pk) */
} BbField;

typedef struct {
  char      *name;            /* "user_permissions" */
  char      *through;         /* "auth_user_user_permissions" */
  char      *source_column;   /* "user_id" */
  char      *target_column;   /* "permission_id" */
  BbRefKind  ref;
} BbManyToMany;

typedef struct {
  char      *label;           /* "core.feeding" */
  char      *table;
  gboolean   known;           /* described by the catalog */
  BbField   *pk;
  GPtrArray *fields;          /* BbField, without the pk, in dumpdata order */
  GPtrArray *m2m;             /* BbManyToMany */
} BbModel;

typedef struct {
  BbEngine    engine;
  GPtrArray  *models;         /* BbModel to back up, in backup order */
  GHashTable *content_types;  /* id -> JSON natural key text '["core", "feeding"]' */
  GHashTable *permissions;    /* id -> '["view_child", "core", "child"]' */
  GHashTable *permission_sort;/* id -> sort key "app\tmodel\tcodename" */
  GPtrArray  *migrations;     /* "app\tname", in applied order */
  char       *babybuddy_version;
  GPtrArray  *unknown_tables; /* table names backed up without catalog facts */
  GHashTable *tables;         /* every table name in the database (a set) */
} BbSchema;

BbSchema *bb_schema_load (BbDatabase  *db,
                          GError     **error);
/* Baby Buddy's models as the catalog describes them, for checking a backup
 * without a database (SQLite's rules; no content types or permissions). */
BbSchema *bb_schema_new_from_catalog (void);
void      bb_schema_free (BbSchema    *schema);
BbModel  *bb_schema_find_model (BbSchema   *schema,
                                const char *label);

BbFieldKind bb_field_kind_from_django (const char *django_type);
BbFieldKind bb_field_kind_from_sql    (const char *sql_type);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BbSchema, bb_schema_free)

G_END_DECLS
