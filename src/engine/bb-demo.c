/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-demo.c: creates a new SQLite database shaped exactly like Baby Buddy
 * 2.10's (the tables and reference rows its migrations leave) and fills it
 * with a plausible family's records, deterministically from a seed and a
 * fixed reference date, for demonstrations, tests and the benchmark.
 *
 * Rows go in as multi-row literal INSERTs inside one BEGIN...COMMIT run as
 * plain SQL: libgda's cost is per statement (LIBGDA.md), so statements are
 * few and large. Every table keeps its own batch so that ids grow with time
 * in each table, as in a database filled day after day. */

#define G_LOG_DOMAIN "bb-demo"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "bb-database.h"
#include "bb-demo.h"

#define SCHEMA_RESOURCE "/org/babybuddy/Backup/engine/demo-schema.sql"

/* Rows per INSERT: few statements, yet each stays well under 100 kB. */
#define BATCH_ROWS 400

#define USEC_PER_SECOND G_GINT64_CONSTANT (1000000)
#define USEC_PER_MINUTE (60 * USEC_PER_SECOND)
#define USEC_PER_HOUR (60 * USEC_PER_MINUTE)
#define USEC_PER_DAY (24 * USEC_PER_HOUR)

/* The data ends at 2026-11-01 (days since 1970-01-01), never at "now", so
 * that the same seed always gives the same database. */
#define REFERENCE_DAY 20758
/* 0001-01-01: Django cannot store anything older. */
#define FIRST_DAY (-719162)
/* The family lives in Europe/Berlin; winter time is close enough for a
 * daily rhythm. Stored datetimes are naive UTC, as Django writes them. */
#define LOCAL_OFFSET USEC_PER_HOUR

/* What one child's day holds on average. Counts are drawn uniformly from
 * [MIN, MIN + SPAN], so the mean is exact and the total lands near `rows`. */
#define FEEDING_MIN 6
#define FEEDING_SPAN 2
#define DIAPER_MIN 5
#define DIAPER_SPAN 5
#define NAP_MIN 1
#define NAP_SPAN 3
#define PUMPING_MIN 0
#define PUMPING_SPAN 4
#define TUMMY_MIN 1
#define TUMMY_SPAN 2
#define P_TEMPERATURE 0.4
#define P_MEDICATION 0.35
#define P_NOTE 0.25
#define WEIGHT_EVERY 7     /* days */
#define MEASURE_EVERY 30   /* days: height, head circumference, BMI */
#define P_TAGGED 0.08
#define P_SECOND_TAG 0.3

#define ADMIN_PASSWORD \
  "pbkdf2_sha256$1000000$xuhHZJ8o0SPCUEJP37frKB$9qevY1K8vclIpgBqsHA5kvIcGjFIDq2AdSznimoapT4="

typedef enum {
  T_USER,
  T_SETTINGS,
  T_USER_GROUPS,
  T_TOKEN,
  T_ACCESSLOG,
  T_CHILD,
  T_TAG,
  T_TIMER,
  T_FEEDING,
  T_SLEEP,
  T_DIAPER,
  T_PUMPING,
  T_TUMMY,
  T_TEMPERATURE,
  T_MEDICATION,
  T_NOTE,
  T_WEIGHT,
  T_HEIGHT,
  T_HEAD,
  T_BMI,
  T_TAGGED,
  N_TABLES
} TableId;

static const struct {
  const char *name;
  const char *model;     /* django_content_type.model of a taggable entry */
  gboolean    has_id;    /* the first value is an integer id we number */
  const char *columns;
} tables[N_TABLES] = {
  [T_USER] = { "auth_user", NULL, TRUE,
               "\"id\", \"password\", \"last_login\", \"is_superuser\", \"username\", "
               "\"first_name\", \"last_name\", \"email\", \"is_staff\", \"is_active\", "
               "\"date_joined\"" },
  [T_SETTINGS] = { "babybuddy_settings", NULL, TRUE,
                   "\"id\", \"user_id\", \"dashboard_refresh_rate\", \"dashboard_hide_empty\", "
                   "\"dashboard_hide_age\", \"language\", \"timezone\", \"pagination_count\"" },
  [T_USER_GROUPS] = { "auth_user_groups", NULL, TRUE, "\"id\", \"user_id\", \"group_id\"" },
  [T_TOKEN] = { "authtoken_token", NULL, FALSE, "\"key\", \"user_id\", \"created\"" },
  [T_ACCESSLOG] = { "axes_accesslog", NULL, TRUE,
                    "\"id\", \"user_agent\", \"ip_address\", \"username\", \"http_accept\", "
                    "\"path_info\", \"attempt_time\", \"logout_time\", \"session_hash\"" },
  [T_CHILD] = { "core_child", NULL, TRUE,
                "\"id\", \"first_name\", \"last_name\", \"birth_date\", \"birth_time\", "
                "\"slug\", \"picture\"" },
  [T_TAG] = { "core_tag", NULL, TRUE, "\"id\", \"name\", \"slug\", \"color\", \"last_used\"" },
  [T_TIMER] = { "core_timer", NULL, TRUE,
                "\"id\", \"child_id\", \"name\", \"start\", \"active\", \"user_id\"" },
  [T_FEEDING] = { "core_feeding", "feeding", TRUE,
                  "\"id\", \"child_id\", \"start\", \"end\", \"duration\", \"type\", "
                  "\"method\", \"amount\", \"notes\"" },
  [T_SLEEP] = { "core_sleep", "sleep", TRUE,
                "\"id\", \"child_id\", \"start\", \"end\", \"nap\", \"duration\", \"notes\"" },
  [T_DIAPER] = { "core_diaperchange", "diaperchange", TRUE,
                 "\"id\", \"child_id\", \"time\", \"wet\", \"solid\", \"color\", \"amount\", "
                 "\"notes\"" },
  [T_PUMPING] = { "core_pumping", "pumping", TRUE,
                  "\"id\", \"child_id\", \"start\", \"end\", \"duration\", \"amount\", \"notes\"" },
  [T_TUMMY] = { "core_tummytime", "tummytime", TRUE,
                "\"id\", \"child_id\", \"start\", \"end\", \"duration\", \"milestone\"" },
  [T_TEMPERATURE] = { "core_temperature", "temperature", TRUE,
                      "\"id\", \"child_id\", \"temperature\", \"time\", \"notes\"" },
  [T_MEDICATION] = { "core_medication", "medication", TRUE,
                     "\"id\", \"child_id\", \"name\", \"dosage\", \"dosage_unit\", \"time\", "
                     "\"next_dose_interval\", \"notes\"" },
  [T_NOTE] = { "core_note", "note", TRUE, "\"id\", \"child_id\", \"note\", \"time\", \"image\"" },
  [T_WEIGHT] = { "core_weight", "weight", TRUE,
                 "\"id\", \"child_id\", \"weight\", \"date\", \"notes\"" },
  [T_HEIGHT] = { "core_height", "height", TRUE,
                 "\"id\", \"child_id\", \"height\", \"date\", \"notes\"" },
  [T_HEAD] = { "core_headcircumference", "headcircumference", TRUE,
               "\"id\", \"child_id\", \"head_circumference\", \"date\", \"notes\"" },
  [T_BMI] = { "core_bmi", "bmi", TRUE, "\"id\", \"child_id\", \"bmi\", \"date\", \"notes\"" },
  [T_TAGGED] = { "core_tagged", NULL, TRUE,
                 "\"id\", \"content_type_id\", \"object_id\", \"tag_id\"" },
};

/* Taggit keeps Unicode letters in slugs and drops the rest (MODELS.md). */
static const struct {
  const char *name;
  const char *slug;
} tag_names[] = {
  { "teething", "teething" },
  { "sick 🤒", "sick" },
  { "growth spurt", "growth-spurt" },
  { "daycare", "daycare" },
  { "Oma & Opa", "oma-opa" },
  { "travel ✈", "travel" },
  { "vaccination", "vaccination" },
  { "fussy", "fussy" },
};
#define N_TAGS G_N_ELEMENTS (tag_names)

/* core.utils.random_color picks from this palette. */
static const char *tag_colors[] = {
  "#ff0000", "#00ff00", "#0000ff", "#ff00ff", "#ffff00", "#00ffff", "#ff7f7f", "#7fff7f",
  "#7f7fff", "#ff7fff", "#ffff7f", "#7fffff", "#7f0000", "#007f00", "#00007f", "#7f007f",
  "#7f7f00", "#007f7f",
};

static const char *child_first_names[] = {
  "Emma", "Liam", "Mia", "Noah", "Zoë", "Lukas", "Sofía", "Jonas", "Amélie", "Finn",
  "Léa", "Ben", "Hannah", "Elias", "Ida", "Matteo", "Björn", "Chloé",
};

static const char *family_names[] = {
  "Müller", "Schmidt", "Jordan", "O'Brien", "García", "Nguyen", "Kowalski", "Fischer",
  "Weber", "Øberg", "Dubois", "Rossi",
};

static const char *parent_first_names[] = {
  "Anna", "Thomas", "Julia", "Michael", "Sarah", "Jan", "Laura", "Daniel",
};

static const char *caregiver_first_names[] = {
  "Ingrid", "Helga", "Renate", "Brigitte", "Werner", "Klaus",
};

/* Some notes carry what breaks naive code: quotes, newlines, non-ASCII, emoji. */
static const char *note_texts[] = {
  "First real smile today 😊",
  "Slept through the night for the first time! 👶",
  "Doctor's check-up: everything's fine, next visit in 4 weeks.",
  "Rolled from tummy to back twice.",
  "Oma & Opa were here — lots of cuddles.",
  "Hat heute zum ersten Mal „Mama“ gesagt. ❤️",
  "Un peu de fièvre après la vaccination.",
  "Very fussy in the evening; maybe teething?",
  "Shopping list:\n- diapers (size 3)\n- wipes\n- vitamin D drops",
  "Tried carrots 🥕 — not a fan.",
  "Daycare said: \"great day, ate everything\"",
  "Bath time 🛁, nails cut.",
  "Sat up without support for 10 s.",
  "Took a 3-hour nap in the car 🚗",
  "Swimming class 🏊: loved it",
  "New tooth! (lower left) 🦷",
  "100% sure she recognised the cat today.",
  "Cried at the 'Happy Birthday' song 🎂",
};

static const char *entry_notes[] = {
  "Spit up a little.",
  "Very sleepy.",
  "Fell asleep while feeding",
  "Dad's turn",
  "Wollte nicht trinken",
  "Needed the \"white noise\" app",
  "Daycare 🧸",
  "After the bath",
  "Grumpy 😤",
};

static const char *milestones[] = {
  "Lifted head 45°",
  "Rolled over! 🎉",
  "Reached for the rattle",
  "Pushed up on arms",
  "Held head steady",
  "Crawled forward",
};

static const char *poop_colors[] = { "brown", "yellow", "green" };

static const struct {
  const char *name;
  const char *unit;
  double      dose_min;
  double      dose_max;
  int         interval_hours;   /* 0: no next dose */
  int         weight;
} medications[] = {
  { "Vitamin D", "drops", 1.0, 1.0, 24, 10 },
  { "Paracetamol", "mg", 60.0, 250.0, 6, 3 },
  { "Ibuprofen", "ml", 2.5, 7.5, 8, 2 },
  { "Amoxicillin", "ml", 2.5, 5.0, 8, 1 },
  { "Simethicone", "drops", 10.0, 20.0, 0, 2 },
  { "Fluorid-Tablette", "tablets", 1.0, 1.0, 24, 2 },
};

typedef struct {
  gint64  id;
  gint64  birth_day;    /* days since 1970-01-01 */
  double  size;         /* this child's growth factor */
} Child;

typedef struct {
  BbDatabase   *db;
  GRand        *rand;
  GCancellable *cancellable;
  GString      *sql[N_TABLES];
  guint         pending[N_TABLES];
  gint64        last_id[N_TABLES];
  gint64        content_type[N_TABLES];
  guint64       total;             /* records in the database, reference rows included */
  gint64        tag_last_used[N_TAGS];
} Gen;

/* Dates and times */

static gint64
floor_div (gint64 a,
           gint64 b)
{
  gint64 q = a / b;

  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Howard Hinnant's civil_from_days: exact for any day, no time zone. */
static void
civil_from_days (gint64  z,
                 gint64 *year,
                 int    *month,
                 int    *day)
{
  gint64 era, yoe, doe, doy, mp;

  z += 719468;
  era = floor_div (z, 146097);
  doe = z - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *day = doy - (153 * mp + 2) / 5 + 1;
  *month = mp < 10 ? mp + 3 : mp - 9;
  *year = yoe + era * 400 + (*month <= 2);
}

/* Values, appended to the row being written */

static void
begin_value (GString *s)
{
  if (s->str[s->len - 1] != '(')
    g_string_append_c (s, ',');
}

static void
add_int (GString *s,
         gint64   value)
{
  begin_value (s);
  g_string_append_printf (s, "%" G_GINT64_FORMAT, value);
}

static void
add_null (GString *s)
{
  begin_value (s);
  g_string_append (s, "NULL");
}

/* An SQL string literal: quotes doubled, everything else as is. */
static void
add_text (GString    *s,
          const char *text)
{
  if (text == NULL)
    {
      add_null (s);
      return;
    }

  begin_value (s);
  g_string_append_c (s, '\'');
  for (const char *p = text; *p; p++)
    {
      const char *quote = strchr (p, '\'');

      if (quote == NULL)
        {
          g_string_append (s, p);
          break;
        }
      g_string_append_len (s, p, quote - p + 1);
      g_string_append_c (s, '\'');
      p = quote;
    }
  g_string_append_c (s, '\'');
}

/* A float with a fixed number of decimals, whatever the locale. */
static void
add_real (GString *s,
          double   value,
          int      decimals)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  const char *format = decimals == 1 ? "%.1f" : "%.2f";

  begin_value (s);
  g_string_append (s, g_ascii_formatd (buf, sizeof buf, format, value));
}

static void
add_date (GString *s,
          gint64   days)
{
  gint64 year;
  int month, day;

  civil_from_days (days, &year, &month, &day);
  begin_value (s);
  g_string_append_printf (s, "'%04" G_GINT64_FORMAT "-%02d-%02d'", year, month, day);
}

/* Django's SQLite format: the fraction only when there is one. */
static void
add_datetime (GString *s,
              gint64   usec)
{
  gint64 days = floor_div (usec, USEC_PER_DAY);
  gint64 rest = usec - days * USEC_PER_DAY;
  gint64 seconds = rest / USEC_PER_SECOND;
  int fraction = rest % USEC_PER_SECOND;
  gint64 year;
  int month, day;

  civil_from_days (days, &year, &month, &day);
  begin_value (s);
  g_string_append_printf (s, "'%04" G_GINT64_FORMAT "-%02d-%02d %02d:%02d:%02d",
                          year, month, day, (int) (seconds / 3600), (int) (seconds / 60 % 60),
                          (int) (seconds % 60));
  if (fraction != 0)
    g_string_append_printf (s, ".%06d", fraction);
  g_string_append_c (s, '\'');
}

/* Batches */

static gboolean
flush_table (Gen      *gen,
             TableId   t,
             GError  **error)
{
  if (gen->pending[t] == 0)
    return TRUE;
  if (g_cancellable_set_error_if_cancelled (gen->cancellable, error))
    return FALSE;
  if (!bb_database_execute (gen->db, gen->sql[t]->str, error))
    return FALSE;
  gen->pending[t] = 0;
  g_string_truncate (gen->sql[t], 0);
  return TRUE;
}

static gboolean
flush_all (Gen     *gen,
           GError **error)
{
  for (int t = 0; t < N_TABLES; t++)
    if (!flush_table (gen, t, error))
      return FALSE;
  return TRUE;
}

/* Starts a row of table t and returns its buffer; the row's id, if the
 * table numbers its rows, is gen->last_id[t]. */
static GString *
row_begin (Gen     *gen,
           TableId  t)
{
  GString *s = gen->sql[t];

  if (gen->pending[t] == 0)
    g_string_append_printf (s, "INSERT INTO \"%s\" (%s) VALUES\n(", tables[t].name, tables[t].columns);
  else
    g_string_append (s, ",\n(");
  if (tables[t].has_id)
    add_int (s, ++gen->last_id[t]);
  return s;
}

static gboolean
row_end (Gen      *gen,
         TableId   t,
         GError  **error)
{
  g_string_append_c (gen->sql[t], ')');
  gen->total++;
  if (++gen->pending[t] >= BATCH_ROWS)
    return flush_table (gen, t, error);
  return TRUE;
}

/* Random helpers */

static int
rand_range (Gen *gen,
            int  min,
            int  max)   /* inclusive */
{
  return g_rand_int_range (gen->rand, min, max + 1);
}

static double
rand_double (Gen    *gen,
             double  min,
             double  max)
{
  return g_rand_double_range (gen->rand, min, max);
}

static gboolean
chance (Gen    *gen,
        double  p)
{
  return g_rand_double (gen->rand) < p;
}

static const char *
pick (Gen         *gen,
      const char **list,
      gsize        n)
{
  return list[g_rand_int_range (gen->rand, 0, n)];
}

#define PICK(gen, list) pick ((gen), (const char **) (list), G_N_ELEMENTS (list))

/* A moment on a local day: entries typed into a form have whole minutes,
 * timer entries carry seconds and microseconds. */
static gint64
moment (Gen      *gen,
        gint64    day,
        int       minute,
        gboolean  from_timer)
{
  gint64 t = day * USEC_PER_DAY - LOCAL_OFFSET + minute * USEC_PER_MINUTE;

  if (from_timer)
    t += rand_range (gen, 0, 59) * USEC_PER_SECOND + rand_range (gen, 0, 999999);
  return t;
}

/* Notes of an entry: mostly blank; the web form saves "" where the API and
 * timers leave NULL. */
static void
add_entry_notes (Gen      *gen,
                 GString  *s,
                 gboolean  from_form)
{
  if (chance (gen, 0.04))
    add_text (s, PICK (gen, entry_notes));
  else
    add_text (s, from_form ? "" : NULL);
}

static gboolean
maybe_tag (Gen      *gen,
           TableId   t,
           gint64    when,
           GError  **error)
{
  int first, n;

  if (!chance (gen, P_TAGGED))
    return TRUE;

  n = chance (gen, P_SECOND_TAG) ? 2 : 1;
  first = rand_range (gen, 0, N_TAGS - 1);
  for (int i = 0; i < n; i++)
    {
      int tag = (first + i * rand_range (gen, 1, N_TAGS - 1)) % N_TAGS;
      GString *s = row_begin (gen, T_TAGGED);

      add_int (s, gen->content_type[t]);
      add_int (s, gen->last_id[t]);
      add_int (s, tag + 1);
      if (!row_end (gen, T_TAGGED, error))
        return FALSE;
      gen->tag_last_used[tag] = MAX (gen->tag_last_used[tag], when);
    }
  return TRUE;
}

/* Entries of one child's day */

static gboolean
add_feedings (Gen          *gen,
              const Child  *child,
              gint64        day,
              GError      **error)
{
  gint64 age = day - child->birth_day;
  int n = FEEDING_MIN + rand_range (gen, 0, FEEDING_SPAN);
  int spacing = 1440 / n;

  for (int i = 0; i < n; i++)
    {
      /* Whole feeds fit in their slot: Baby Buddy refuses overlapping feedings. */
      int minute = 15 + i * spacing + rand_range (gen, 0, 30);
      gboolean timer = chance (gen, 0.4);
      gint64 start = moment (gen, day, minute, timer);
      gint64 duration = rand_range (gen, 5, 40) * USEC_PER_MINUTE
                        + (timer ? rand_range (gen, 0, 59) * USEC_PER_SECOND : 0);
      const char *type, *method;
      double amount = -1;
      double r = g_rand_double (gen->rand);
      GString *s;

      if (age >= 180 && r < 0.35)
        type = "solid food";
      else if (r < 0.6)
        type = "breast milk";
      else if (r < 0.85)
        type = "formula";
      else
        type = "fortified breast milk";

      if (strcmp (type, "solid food") == 0)
        {
          method = (age < 365 || chance (gen, 0.5)) ? "parent fed" : "self fed";
          if (chance (gen, 0.5))
            amount = rand_range (gen, 20, 150);
        }
      else if (strcmp (type, "breast milk") == 0 && !chance (gen, 0.25))
        {
          static const char *breast[] = { "left breast", "right breast", "both breasts" };
          method = PICK (gen, breast);
        }
      else
        {
          method = "bottle";
          amount = rand_range (gen, 12, 48) * 5.0;
        }

      s = row_begin (gen, T_FEEDING);
      add_int (s, child->id);
      add_datetime (s, start);
      add_datetime (s, start + duration);
      add_int (s, duration);
      add_text (s, type);
      add_text (s, method);
      if (amount >= 0)
        add_real (s, amount, 1);
      else
        add_null (s);
      add_entry_notes (gen, s, !timer);
      if (!row_end (gen, T_FEEDING, error) || !maybe_tag (gen, T_FEEDING, start, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
add_sleep (Gen          *gen,
           const Child  *child,
           gboolean      nap,
           gint64        start,
           gint64        end,
           gboolean      timer,
           GError      **error)
{
  GString *s = row_begin (gen, T_SLEEP);

  add_int (s, child->id);
  add_datetime (s, start);
  add_datetime (s, end);
  add_int (s, nap);
  add_int (s, end - start);
  add_entry_notes (gen, s, !timer);
  return row_end (gen, T_SLEEP, error) && maybe_tag (gen, T_SLEEP, start, error);
}

static gboolean
add_sleeps (Gen          *gen,
            const Child  *child,
            gint64        day,
            GError      **error)
{
  int naps = NAP_MIN + rand_range (gen, 0, NAP_SPAN);
  int span = 540 / naps;
  gboolean timer;
  gint64 start, end;

  /* Naps start between 08:30 and 17:30 (Baby Buddy calls a sleep starting
   * from 06:00 to 18:00 a nap) and never overlap. */
  for (int i = 0; i < naps; i++)
    {
      int minute = 510 + i * span + rand_range (gen, 0, 40);
      int length = rand_range (gen, 30, MIN (120, span - 45));

      timer = chance (gen, 0.4);
      start = moment (gen, day, minute, timer);
      end = moment (gen, day, minute + length, timer);
      if (!add_sleep (gen, child, TRUE, start, end, timer, error))
        return FALSE;
    }

  /* The night: from the evening to the next morning. */
  timer = chance (gen, 0.4);
  start = moment (gen, day, rand_range (gen, 1170, 1290), timer);
  end = moment (gen, day, 1440 + rand_range (gen, 330, 450), timer);
  return add_sleep (gen, child, FALSE, start, end, timer, error);
}

static gboolean
add_diaper_changes (Gen          *gen,
                    const Child  *child,
                    gint64        day,
                    GError      **error)
{
  gint64 age = day - child->birth_day;
  int n = DIAPER_MIN + rand_range (gen, 0, DIAPER_SPAN);
  int slot = 1440 / n;

  for (int i = 0; i < n; i++)
    {
      gboolean wet = chance (gen, 0.85);
      gboolean solid = chance (gen, 0.4);
      /* One change somewhere in each slot of the day: no two at once. */
      gint64 time = moment (gen, day, i * slot + rand_range (gen, 0, slot - 1), FALSE);
      GString *s;

      if (!wet && !solid)
        wet = TRUE;

      s = row_begin (gen, T_DIAPER);
      add_int (s, child->id);
      add_datetime (s, time);
      add_int (s, wet);
      add_int (s, solid);
      if (!solid)
        add_text (s, "");
      else if (age < 4)
        add_text (s, "black");   /* meconium */
      else
        add_text (s, PICK (gen, poop_colors));
      if (chance (gen, 0.2))
        add_real (s, rand_double (gen, 0.5, 5.0), 1);
      else
        add_null (s);
      add_entry_notes (gen, s, TRUE);
      if (!row_end (gen, T_DIAPER, error) || !maybe_tag (gen, T_DIAPER, time, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
add_pumpings (Gen          *gen,
              const Child  *child,
              gint64        day,
              GError      **error)
{
  int n = PUMPING_MIN + rand_range (gen, 0, PUMPING_SPAN);

  for (int i = 0; i < n; i++)
    {
      gboolean timer = chance (gen, 0.4);
      gint64 start = moment (gen, day, 60 + i * 360 + rand_range (gen, 0, 90), timer);
      gint64 duration = rand_range (gen, 10, 25) * USEC_PER_MINUTE;
      GString *s = row_begin (gen, T_PUMPING);

      add_int (s, child->id);
      add_datetime (s, start);
      add_datetime (s, start + duration);
      add_int (s, duration);
      add_real (s, rand_double (gen, 30.0, 180.0), 1);
      add_entry_notes (gen, s, !timer);
      if (!row_end (gen, T_PUMPING, error) || !maybe_tag (gen, T_PUMPING, start, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
add_tummy_times (Gen          *gen,
                 const Child  *child,
                 gint64        day,
                 GError      **error)
{
  int n = TUMMY_MIN + rand_range (gen, 0, TUMMY_SPAN);

  for (int i = 0; i < n; i++)
    {
      /* Tummy time is nearly always timed: seconds matter. */
      gint64 start = moment (gen, day, 600 + i * 180 + rand_range (gen, 0, 60), TRUE);
      gint64 duration = rand_range (gen, 180, 900) * USEC_PER_SECOND;
      GString *s = row_begin (gen, T_TUMMY);

      add_int (s, child->id);
      add_datetime (s, start);
      add_datetime (s, start + duration);
      add_int (s, duration);
      add_text (s, chance (gen, 0.05) ? PICK (gen, milestones) : "");
      if (!row_end (gen, T_TUMMY, error) || !maybe_tag (gen, T_TUMMY, start, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
add_occasional (Gen          *gen,
                const Child  *child,
                gint64        day,
                GError      **error)
{
  GString *s;

  if (chance (gen, P_TEMPERATURE))
    {
      gint64 time = moment (gen, day, rand_range (gen, 420, 1260), FALSE);
      double celsius = chance (gen, 0.1) ? rand_double (gen, 37.8, 39.6)
                                         : rand_double (gen, 36.3, 37.4);

      s = row_begin (gen, T_TEMPERATURE);
      add_int (s, child->id);
      add_real (s, celsius, 1);
      add_datetime (s, time);
      add_entry_notes (gen, s, TRUE);
      if (!row_end (gen, T_TEMPERATURE, error) || !maybe_tag (gen, T_TEMPERATURE, time, error))
        return FALSE;
    }

  if (chance (gen, P_MEDICATION))
    {
      gint64 time = moment (gen, day, rand_range (gen, 420, 1260), FALSE);
      int total = 0, r, m;

      for (gsize i = 0; i < G_N_ELEMENTS (medications); i++)
        total += medications[i].weight;
      r = rand_range (gen, 0, total - 1);
      for (m = 0; r >= medications[m].weight; m++)
        r -= medications[m].weight;

      s = row_begin (gen, T_MEDICATION);
      add_int (s, child->id);
      add_text (s, medications[m].name);
      if (chance (gen, 0.05))
        add_null (s);
      else if (medications[m].dose_min == medications[m].dose_max)
        add_real (s, medications[m].dose_min, 1);
      else
        add_real (s, rand_double (gen, medications[m].dose_min, medications[m].dose_max), 1);
      add_text (s, medications[m].unit);
      add_datetime (s, time);
      if (medications[m].interval_hours > 0)
        add_int (s, medications[m].interval_hours * USEC_PER_HOUR);
      else
        add_null (s);
      add_entry_notes (gen, s, TRUE);
      if (!row_end (gen, T_MEDICATION, error) || !maybe_tag (gen, T_MEDICATION, time, error))
        return FALSE;
    }

  if (chance (gen, P_NOTE))
    {
      /* Notes default to "now" in Baby Buddy: full precision. */
      gint64 time = moment (gen, day, rand_range (gen, 360, 1380), TRUE);

      s = row_begin (gen, T_NOTE);
      add_int (s, child->id);
      add_text (s, PICK (gen, note_texts));
      add_datetime (s, time);
      add_text (s, "");
      if (!row_end (gen, T_NOTE, error) || !maybe_tag (gen, T_NOTE, time, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
add_measurement (Gen          *gen,
                 const Child  *child,
                 TableId       t,
                 gint64        day,
                 double        value,
                 GError      **error)
{
  GString *s = row_begin (gen, t);

  add_int (s, child->id);
  add_real (s, value, 2);
  add_date (s, day);
  add_entry_notes (gen, s, TRUE);
  return row_end (gen, t, error) && maybe_tag (gen, t, moment (gen, day, 720, FALSE), error);
}

/* Rough growth curves: fast at first, then steady; a child's own factor
 * and a little noise on every measurement. */
static gboolean
add_measurements (Gen          *gen,
                  const Child  *child,
                  gint64        day,
                  GError      **error)
{
  gint64 age = day - child->birth_day;
  double years = age / 365.25;
  double kg, cm, head;

  kg = child->size * (3.3 + 6.7 * (1.0 - exp (-age / 230.0)) + 2.3 * years);
  kg = MIN (kg, 95.0) * rand_double (gen, 0.985, 1.015);
  cm = child->size * (50.0 + 26.0 * (1.0 - exp (-age / 260.0)) + 6.0 * years);
  cm = MIN (cm, 185.0) * rand_double (gen, 0.995, 1.005);
  head = MIN (34.5 + 11.5 * (1.0 - exp (-age / 320.0)) + 0.3 * years, 57.0);
  head *= rand_double (gen, 0.99, 1.01);

  if (age % WEIGHT_EVERY == 0
      && !add_measurement (gen, child, T_WEIGHT, day, kg, error))
    return FALSE;
  if (age % MEASURE_EVERY == 0
      && (!add_measurement (gen, child, T_HEIGHT, day, cm, error)
          || !add_measurement (gen, child, T_HEAD, day, head, error)
          || !add_measurement (gen, child, T_BMI, day, kg / ((cm / 100.0) * (cm / 100.0)), error)))
    return FALSE;
  return TRUE;
}

static gboolean
add_child_day (Gen          *gen,
               const Child  *child,
               gint64        day,
               GError      **error)
{
  return add_feedings (gen, child, day, error)
         && add_sleeps (gen, child, day, error)
         && add_diaper_changes (gen, child, day, error)
         && add_pumpings (gen, child, day, error)
         && add_tummy_times (gen, child, day, error)
         && add_occasional (gen, child, day, error)
         && add_measurements (gen, child, day, error);
}

/* Records one child's day adds on average, tags included. */
static double
expected_per_child_day (void)
{
  double entries = FEEDING_MIN + FEEDING_SPAN / 2.0
                   + DIAPER_MIN + DIAPER_SPAN / 2.0
                   + 1 + NAP_MIN + NAP_SPAN / 2.0
                   + PUMPING_MIN + PUMPING_SPAN / 2.0
                   + TUMMY_MIN + TUMMY_SPAN / 2.0
                   + P_TEMPERATURE + P_MEDICATION + P_NOTE
                   + 1.0 / WEIGHT_EVERY + 3.0 / MEASURE_EVERY;

  return entries * (1.0 + P_TAGGED * (1.0 + P_SECOND_TAG));
}

/* Users, children, tags */

static char *
slugify (const char *text)
{
  g_autofree char *normal = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
  g_autofree char *lower = g_utf8_strdown (normal, -1);
  GString *slug = g_string_new (NULL);
  gboolean dash = FALSE;

  /* Django's slugify(allow_unicode=True): word characters kept, runs of
   * spaces and dashes become one dash, everything else dropped. */
  for (const char *p = lower; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == '-')
        dash = slug->len > 0;
      else if (g_unichar_isalnum (c) || c == '_')
        {
          if (dash)
            g_string_append_c (slug, '-');
          dash = FALSE;
          g_string_append_unichar (slug, c);
        }
    }
  return g_string_free (slug, FALSE);
}

static char *
random_hex (Gen  *gen,
            guint len)
{
  static const char digits[] = "0123456789abcdef";
  char *hex = g_new (char, len + 1);

  for (guint i = 0; i < len; i++)
    hex[i] = digits[rand_range (gen, 0, 15)];
  hex[len] = '\0';
  return hex;
}

static gboolean
add_user (Gen         *gen,
          gboolean     superuser,
          const char  *username,
          const char  *first_name,
          const char  *last_name,
          const char  *email,
          gint64       joined,
          gint64       last_login,
          const char  *language,
          GError     **error)
{
  GString *s = row_begin (gen, T_USER);
  gint64 user_id = gen->last_id[T_USER];

  add_text (s, ADMIN_PASSWORD);
  if (last_login != 0)
    add_datetime (s, last_login);
  else
    add_null (s);
  add_int (s, superuser);
  add_text (s, username);
  add_text (s, first_name);
  add_text (s, last_name);
  add_text (s, email);
  add_int (s, superuser);
  add_int (s, TRUE);
  add_datetime (s, joined);
  if (!row_end (gen, T_USER, error))
    return FALSE;

  /* Baby Buddy's post_save signal gives every user a settings row. */
  s = row_begin (gen, T_SETTINGS);
  add_int (s, user_id);
  add_int (s, superuser ? 60 * USEC_PER_SECOND : 5 * USEC_PER_MINUTE);
  add_int (s, !superuser);
  if (superuser)
    add_null (s);
  else
    add_int (s, 7 * USEC_PER_DAY);
  add_text (s, language);
  add_text (s, "Europe/Berlin");
  add_int (s, superuser ? 25 : 50);
  return row_end (gen, T_SETTINGS, error);
}

static char *
ascii_username (const char *name)
{
  g_autofree char *ascii = g_str_to_ascii (name, "C");

  return g_ascii_strdown (ascii, -1);
}

static gboolean
add_login (Gen         *gen,
           const char  *username,
           gint64       when,
           GError     **error)
{
  g_autofree char *hash = random_hex (gen, 64);
  g_autofree char *ip = g_strdup_printf ("192.168.178.%d", rand_range (gen, 20, 60));
  GString *s = row_begin (gen, T_ACCESSLOG);

  add_text (s, "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");
  add_text (s, ip);
  add_text (s, username);
  add_text (s, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
  add_text (s, "/login/");
  add_datetime (s, when);
  add_null (s);
  add_text (s, hash);
  return row_end (gen, T_ACCESSLOG, error);
}

/* The people: two more users besides admin, their groups, a token, logins. */
static gboolean
add_family (Gen         *gen,
            const char  *family,
            gint64       first_day,
            GError     **error)
{
  const char *parent = PICK (gen, parent_first_names);
  const char *carer = PICK (gen, caregiver_first_names);
  const char *carer_family = PICK (gen, family_names);
  g_autofree char *parent_user = ascii_username (parent);
  g_autofree char *carer_user = ascii_username (carer);
  g_autofree char *parent_mail = g_strdup_printf ("%s@example.com", parent_user);
  g_autofree char *carer_mail = g_strdup_printf ("%s@example.com", carer_user);
  g_autofree char *token = random_hex (gen, 40);
  gint64 joined = moment (gen, first_day, 600, TRUE);
  gint64 last_login = moment (gen, REFERENCE_DAY - 1, 1200, TRUE);
  GString *s;

  if (!add_user (gen, FALSE, parent_user, parent, family, parent_mail,
                 joined + 20 * USEC_PER_MINUTE, last_login + USEC_PER_MINUTE, "en-US", error)
      || !add_user (gen, FALSE, carer_user, carer, carer_family, carer_mail,
                    joined + 25 * USEC_PER_MINUTE, 0, "de", error))
    return FALSE;

  /* The parent edits; the grandparent only looks. */
  s = row_begin (gen, T_USER_GROUPS);
  add_int (s, 2);
  add_int (s, 2);   /* caregivers */
  if (!row_end (gen, T_USER_GROUPS, error))
    return FALSE;
  s = row_begin (gen, T_USER_GROUPS);
  add_int (s, 3);
  add_int (s, 1);   /* read_only */
  if (!row_end (gen, T_USER_GROUPS, error))
    return FALSE;

  s = row_begin (gen, T_TOKEN);
  add_text (s, token);
  add_int (s, 1);
  add_datetime (s, joined + 5 * USEC_PER_MINUTE);
  if (!row_end (gen, T_TOKEN, error))
    return FALSE;

  return add_login (gen, "admin", last_login - 2 * USEC_PER_HOUR, error)
         && add_login (gen, parent_user, last_login + USEC_PER_MINUTE, error);
}

static gboolean
add_children (Gen         *gen,
              const char  *family,
              Child       *children,
              guint        n_children,
              GError     **error)
{
  const char *used[3] = { NULL };

  for (guint i = 0; i < n_children; i++)
    {
      const char *first;
      g_autofree char *full = NULL;
      g_autofree char *slug = NULL;
      GString *s;
      gboolean again;

      do
        {
          first = PICK (gen, child_first_names);
          again = FALSE;
          for (guint j = 0; j < i; j++)
            again |= strcmp (used[j], first) == 0;
        }
      while (again);
      used[i] = first;

      full = g_strdup_printf ("%s %s", first, family);
      slug = slugify (full);
      s = row_begin (gen, T_CHILD);
      children[i].id = gen->last_id[T_CHILD];
      add_text (s, first);
      add_text (s, family);
      add_date (s, children[i].birth_day);
      if (chance (gen, 0.5))
        {
          g_autofree char *time = g_strdup_printf ("%02d:%02d:00", rand_range (gen, 0, 23),
                                                   rand_range (gen, 0, 59));
          add_text (s, time);
        }
      else
        add_null (s);
      add_text (s, slug);
      if (i == 0)
        add_null (s);
      else
        add_text (s, "");
      if (!row_end (gen, T_CHILD, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
add_tags (Gen     *gen,
          gint64   when,
          GError **error)
{
  for (gsize i = 0; i < N_TAGS; i++)
    {
      GString *s = row_begin (gen, T_TAG);

      add_text (s, tag_names[i].name);
      add_text (s, tag_names[i].slug);
      add_text (s, PICK (gen, tag_colors));
      add_datetime (s, when);
      gen->tag_last_used[i] = when;
      if (!row_end (gen, T_TAG, error))
        return FALSE;
    }
  return TRUE;
}

/* taggit stamps a tag each time it is used. */
static gboolean
update_tags (Gen     *gen,
             GError **error)
{
  for (gsize i = 0; i < N_TAGS; i++)
    {
      g_autoptr(GString) sql = g_string_new ("UPDATE \"core_tag\" SET \"last_used\" = (");

      add_datetime (sql, gen->tag_last_used[i]);
      g_string_append_printf (sql, ") WHERE \"id\" = %" G_GSIZE_FORMAT, i + 1);
      if (!bb_database_execute (gen->db, sql->str, error))
        return FALSE;
    }
  return TRUE;
}

/* Schema */

static gboolean
run_schema (Gen     *gen,
            GError **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_auto(GStrv) statements = NULL;
  g_autofree char *text = NULL;

  bytes = g_resources_lookup_data (SCHEMA_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return FALSE;
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  /* One statement per call; they end with ";\n" and none contains it. */
  statements = g_strsplit (text, ";\n", -1);
  for (guint i = 0; statements[i] != NULL; i++)
    {
      const char *sql = statements[i];

      /* Leading "--" comment lines are not statements. */
      while (g_str_has_prefix (sql, "--"))
        {
          const char *eol = strchr (sql, '\n');
          sql = eol ? eol + 1 : sql + strlen (sql);
        }
      while (g_ascii_isspace (*sql))
        sql++;
      if (*sql == '\0')
        continue;

      if (!bb_database_execute (gen->db, sql, error))
        return FALSE;
      if (g_ascii_strncasecmp (sql, "INSERT", 6) == 0)
        gen->total++;   /* the dump writes one row per INSERT */
    }
  return TRUE;
}

static gboolean
load_content_types (Gen     *gen,
                    GError **error)
{
  g_autoptr(BbRows) rows = bb_database_query (gen->db,
                                              "SELECT model, CAST(id AS TEXT) FROM django_content_type "
                                              "WHERE app_label = 'core'", 2, error);
  if (rows == NULL)
    return FALSE;

  for (int t = 0; t < N_TABLES; t++)
    {
      if (tables[t].model == NULL)
        continue;
      for (guint r = 0; r < rows->n_rows; r++)
        if (g_strcmp0 (bb_rows_get (rows, r, 0), tables[t].model) == 0)
          gen->content_type[t] = g_ascii_strtoll (bb_rows_get (rows, r, 1), NULL, 10);
      g_assert (gen->content_type[t] > 0);
    }
  return TRUE;
}

/* libgda takes every PRAGMA for a SELECT (LIBGDA.md): n_cols is how many
 * columns its answer has (journal_mode answers, synchronous does not). */
static gboolean
pragma (Gen         *gen,
        const char  *sql,
        guint        n_cols,
        GError     **error)
{
  g_autoptr(BbRows) rows = bb_database_query (gen->db, sql, n_cols, error);

  return rows != NULL;
}

/* Generation */

static gboolean
generate (Gen      *gen,
          guint64   rows,
          GError  **error)
{
  const char *family = NULL;
  Child children[3];
  guint n_children = 0;
  double child_share = 0;
  gint64 n_days = 0, first_day = REFERENCE_DAY;
  gint64 admin_joined;

  if (!pragma (gen, "PRAGMA journal_mode=OFF", 1, error)
      || !pragma (gen, "PRAGMA synchronous=OFF", 0, error)
      || !bb_database_execute (gen->db, "BEGIN", error)
      || !run_schema (gen, error)
      || !load_content_types (gen, error))
    return FALSE;

  if (rows > 0)
    {
      double offsets[3] = { 0.0, 0.0, 0.0 };
      guint64 fixed;
      double per_day;

      family = PICK (gen, family_names);
      n_children = chance (gen, 0.5) ? 3 : 2;
      /* Younger siblings arrive part way through the record. */
      offsets[1] = rand_double (gen, 0.3, 0.5);
      offsets[2] = rand_double (gen, 0.65, 0.8);
      for (guint i = 0; i < n_children; i++)
        child_share += 1.0 - offsets[i];

      /* Everything but the daily entries: admin and two more users with
       * their settings, two group memberships, a token, two logins, the
       * children, the tags and a timer. */
      fixed = gen->total + 6 + 2 + 1 + 2 + n_children + N_TAGS + 1;
      per_day = expected_per_child_day () * child_share;
      n_days = rows > fixed ? (gint64) ceil ((rows - fixed) / per_day) : 1;
      n_days = MAX (n_days, 1);
      if (n_days > REFERENCE_DAY - FIRST_DAY - 1)
        {
          g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, rows);

          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       /* Translators: %s is a number of records. */
                       _("%s records would reach back before the year 1. Ask for fewer records."),
                       count);
          return FALSE;
        }
      first_day = REFERENCE_DAY - n_days;
      for (guint i = 0; i < n_children; i++)
        {
          children[i].birth_day = first_day + (gint64) (offsets[i] * n_days);
          children[i].size = rand_double (gen, 0.92, 1.08);
        }
    }

  /* The admin account Baby Buddy's migrate command creates. */
  admin_joined = moment (gen, first_day, 600, TRUE);
  if (!add_user (gen, TRUE, "admin", "", "", "", admin_joined,
                 rows > 0 ? moment (gen, REFERENCE_DAY - 1, 1080, TRUE) : 0, "en-US", error))
    return FALSE;

  if (rows > 0)
    {
      GString *s;

      if (!add_family (gen, family, first_day, error)
          || !add_children (gen, family, children, n_children, error)
          || !add_tags (gen, admin_joined + 30 * USEC_PER_MINUTE, error))
        return FALSE;

      /* A timer someone left running. */
      s = row_begin (gen, T_TIMER);
      add_int (s, children[n_children - 1].id);
      add_null (s);
      add_datetime (s, REFERENCE_DAY * USEC_PER_DAY - LOCAL_OFFSET - 25 * USEC_PER_MINUTE);
      add_int (s, TRUE);
      add_int (s, 2);
      if (!row_end (gen, T_TIMER, error))
        return FALSE;

      for (gint64 day = first_day; day < REFERENCE_DAY && gen->total < rows; day++)
        for (guint i = 0; i < n_children; i++)
          if (day >= children[i].birth_day
              && !add_child_day (gen, &children[i], day, error))
            return FALSE;
    }

  if (!flush_all (gen, error)
      || (rows > 0 && !update_tags (gen, error))
      || !bb_database_execute (gen->db, "COMMIT", error)
      || !pragma (gen, "PRAGMA journal_mode=DELETE", 1, error)
      || !pragma (gen, "PRAGMA synchronous=FULL", 0, error))
    return FALSE;

  g_debug ("%" G_GUINT64_FORMAT " records over %" G_GINT64_FORMAT " days (asked for %"
           G_GUINT64_FORMAT ")", gen->total, n_days, rows);
  return TRUE;
}

static void
remove_partial (const char *file)
{
  g_autofree char *journal = g_strconcat (file, "-journal", NULL);

  g_unlink (file);
  g_unlink (journal);
}

static gboolean
set_exists_error (const char  *path,
                  GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
               _("“%s” already exists. Choose a new file name."), display);
  return FALSE;
}

/* Moves the finished database to path without ever replacing a file that
 * appeared there meanwhile: link() refuses an existing name, rename() does not. */
static gboolean
publish (const char  *file,
         const char  *path,
         GError     **error)
{
  int saved;

  if (link (file, path) == 0)
    {
      g_unlink (file);
      return TRUE;
    }
  saved = errno;
  if (saved == EEXIST)
    return set_exists_error (path, error);

  /* File systems without hard links. */
  if (!g_file_test (path, G_FILE_TEST_EXISTS) && g_rename (file, path) == 0)
    return TRUE;
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return set_exists_error (path, error);
  saved = errno;
  {
    g_autofree char *display = g_filename_display_name (path);

    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                 _("Could not create “%s”: %s"), display, g_strerror (saved));
  }
  return FALSE;
}

/* The database is built under a hidden name beside path and moved into place
 * only when complete, so path never holds half a database. */
static char *
pick_build_name (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);

  for (;;)
    {
      g_autofree char *name = g_strdup_printf (".%s-%08x.partial", base, g_random_int ());
      char *candidate = g_build_filename (dir, name, NULL);
      if (!g_file_test (candidate, G_FILE_TEST_EXISTS))
        return candidate;
      g_free (candidate);
    }
}

gboolean
bb_demo_create (const char    *path,
                guint64        rows,
                guint32        seed,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(BbDatabase) db = NULL;
  g_autofree char *build_name = NULL;
  const char *file;
  Gen gen = { 0 };
  gboolean ok;

  g_return_val_if_fail (path != NULL && g_path_is_absolute (path), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return set_exists_error (path, error);
  {
    g_autofree char *dir = g_path_get_dirname (path);

    /* Said here, or the error would name the hidden build file. */
    if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
      {
        g_autofree char *display = g_filename_display_name (dir);

        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     _("The folder “%s” does not exist. Choose an existing folder."), display);
        return FALSE;
      }
  }

  build_name = pick_build_name (path);
  /* On failure it removes what it created, and never touches an existing file. */
  db = bb_database_create_sqlite (build_name, &local_error);
  if (db == NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("Could not create the demo database: "));
      return FALSE;
    }
  file = build_name;

  gen.db = db;
  gen.rand = g_rand_new_with_seed (seed);
  gen.cancellable = cancellable;
  for (int t = 0; t < N_TABLES; t++)
    gen.sql[t] = g_string_sized_new (64 * 1024);

  ok = generate (&gen, rows, &local_error);

  for (int t = 0; t < N_TABLES; t++)
    g_string_free (gen.sql[t], TRUE);
  g_rand_free (gen.rand);
  bb_database_close (db);

  if (ok)
    ok = publish (file, path, &local_error);

  if (!ok)
    {
      /* Nothing half-written stays behind. */
      remove_partial (file);
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          || g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                    _("Could not create the demo database: "));
      return FALSE;
    }
  return TRUE;
}
