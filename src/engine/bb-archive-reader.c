/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-archive-reader.c: a backup to restore is an untrusted file. Everything
 * that can be decided from the central directory (names, types, encryption,
 * compression, sizes, overlap, layout) is decided at open, before a byte is
 * inflated; while an entry streams, its size is counted against the declared
 * one and libzip checks the CRC at the end.
 *
 * What libzip 1.7.3 does by itself (measured in test-archive-reader.c):
 * zip_fread() fails with ZIP_ER_CRC once a stream with a wrong CRC ends, for
 * stored and deflated entries alike, so no second CRC is computed here;
 * ZIP_CHECKCONS refuses local headers that disagree with the central
 * directory (ZIP_ER_INCONS) and two entries of the same name (ZIP_ER_EXISTS),
 * but not entries whose data overlap; a NUL in a name comes back as a space. */

#define G_LOG_DOMAIN "bb-archive"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "bb-archive-reader.h"

#define DEFAULT_MAX_FILE_SIZE          (G_GUINT64_CONSTANT (2) << 30)
#define DEFAULT_MAX_TOTAL_UNCOMPRESSED (G_GUINT64_CONSTANT (64) << 30)
#define DEFAULT_MAX_RATIO              300
#define DEFAULT_MAX_ENTRIES            100000

/* Only big entries are judged by their ratio: a small JSON file of similar
 * records may well compress 300 times, and cannot hurt. */
#define RATIO_MIN_SIZE                 (G_GUINT64_CONSTANT (1) << 20)
/* A damaged or hostile file could list thousands; nobody reads past a few. */
#define MAX_PROBLEMS                   50
#define MAX_DISPLAY_CHARS              120
#define NAME_MAX_BYTES                 255
#define PATH_MAX_BYTES                 1024
#define FIXTURE_CHUNK                  (64 * 1024)
#define DETECT_BYTES                   (64 * 1024)

typedef struct {
  char         *name;      /* as stored (UTF-8), NULL when the name is unsafe */
  char         *display;   /* safe to show in a sentence */
  zip_uint64_t  index;
  guint64       size;
  guint64       comp_size;
  gboolean      folder;
  gboolean      usable;
} EntryInfo;

struct _BbArchiveReader
{
  zip_t           *zip;
  BbArchiveLimits  limits;
  BbArchiveLayout  layout;
  GPtrArray       *infos;        /* EntryInfo, archive order */
  GHashTable      *usable;       /* name -> EntryInfo, usable files only */
  GPtrArray       *entries;      /* names of usable files (owned by infos) */
  GPtrArray       *problems;     /* translated sentences */
  guint            n_problems;   /* including the ones left out of the list */
  const char      *fixture_name;
  GPtrArray       *open_entries; /* BbArchiveEntry not yet freed */
  guint64          total_read;   /* over all entries, against max_total_uncompressed */
};

struct _BbArchiveEntry
{
  BbArchiveReader *reader;
  zip_file_t      *file;
  char            *display;
  guint64          declared;
  guint64          bytes_read;
  GChecksum       *checksum;
  char            *sha256;
  GError          *failure;      /* repeated on every later read */
  gboolean         finished;
};

struct _BbFixtureFile
{
  int           fd;
  GConverter   *converter;       /* GZlibDecompressor for gzip, else NULL */
  guint8       *in_buf;
  gsize         in_len;
  gsize         in_pos;
  gboolean      in_eof;
  gboolean      finished;
  GError       *failure;
  guint64       file_size;
  guint64       bytes_read;      /* output bytes */
  BbArchiveLimits limits;
};

void
bb_archive_limits_init_default (BbArchiveLimits *limits)
{
  g_return_if_fail (limits != NULL);

  limits->max_file_size = DEFAULT_MAX_FILE_SIZE;
  limits->max_total_uncompressed = DEFAULT_MAX_TOTAL_UNCOMPRESSED;
  limits->max_ratio = DEFAULT_MAX_RATIO;
  limits->max_entries = DEFAULT_MAX_ENTRIES;
}

static void
copy_limits (BbArchiveLimits       *dest,
             const BbArchiveLimits *limits)
{
  if (limits != NULL)
    *dest = *limits;
  else
    bb_archive_limits_init_default (dest);
}

/* --- Helpers: names ------------------------------------------------------ */

static gboolean
is_control (gunichar c)
{
  return c < 0x20 || (c >= 0x7f && c <= 0x9f);
}

/* A name as it may appear in a sentence: valid UTF-8, no control characters
 * (a name could carry terminal escapes or line breaks), not endless. */
static char *
make_display_name (const char *raw)
{
  g_autofree char *valid = g_utf8_make_valid (raw, -1);
  GString *out = g_string_new (NULL);
  guint count = 0;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (++count > MAX_DISPLAY_CHARS)
        {
          g_string_append (out, "…");
          break;
        }
      g_string_append_unichar (out, is_control (c) ? 0xfffd : c);
    }
  return g_string_free (out, FALSE);
}

static gboolean
is_drive_letter (const char *component)
{
  return g_ascii_isalpha (component[0]) && component[1] == ':';
}

/* A relative path of plain components: what can be joined to a folder and
 * stay inside it on Linux, macOS and Windows. A trailing '/' (a folder entry)
 * is allowed and removed before the checks. */
static gboolean
is_safe_path (const char *name)
{
  g_autofree char *copy = NULL;
  g_auto(GStrv) parts = NULL;
  gsize len;

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    return FALSE;
  len = strlen (name);
  if (len == 0 || len > PATH_MAX_BYTES || name[0] == '/' || strchr (name, '\\') != NULL)
    return FALSE;
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    if (is_control (g_utf8_get_char (p)))
      return FALSE;

  copy = g_strdup (name);
  if (copy[len - 1] == '/')
    copy[len - 1] = '\0';
  if (copy[0] == '\0')
    return FALSE;
  if (is_drive_letter (copy))
    return FALSE;

  parts = g_strsplit (copy, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == '\0' || strcmp (parts[i], ".") == 0 || strcmp (parts[i], "..") == 0)
        return FALSE;
      if (strlen (parts[i]) > NAME_MAX_BYTES)
        return FALSE;
    }
  return TRUE;
}

static gboolean
is_identifier (const char *s,
               gsize       len)
{
  if (len == 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!(g_ascii_islower (s[i]) || g_ascii_isdigit (s[i]) || s[i] == '_'))
      return FALSE;
  return TRUE;
}

/* "<app>/<model>.json", both [a-z0-9_]+ */
static gboolean
is_model_file_name (const char *name)
{
  const char *slash = strchr (name, '/');
  gsize len = strlen (name);

  if (slash == NULL || !g_str_has_suffix (name, ".json"))
    return FALSE;
  return is_identifier (name, slash - name)
         && is_identifier (slash + 1, (name + len - strlen (".json")) - (slash + 1));
}

static gboolean
is_backup_file_name (const char *name)
{
  if (strcmp (name, "metadata.json") == 0 || is_model_file_name (name))
    return TRUE;
  /* is_safe_path already holds for name, so anything after media/ is a path */
  return g_str_has_prefix (name, "media/") && name[strlen ("media/")] != '\0';
}

static gboolean
has_json_suffix (const char *name)
{
  gsize len = strlen (name);

  return len > 5 && g_ascii_strcasecmp (name + len - 5, ".json") == 0;
}

/* Entries that differ only in case (or Unicode normalisation) collide on
 * case-insensitive file systems and are a classic way to smuggle a second
 * file past a check of the first. */
static char *
collision_key (const char *name)
{
  g_autofree char *folded = g_utf8_casefold (name, -1);

  return g_utf8_normalize (folded, -1, G_NORMALIZE_ALL);
}

/* --- Helpers: errors ----------------------------------------------------- */

static void
add_problem (BbArchiveReader *reader,
             char            *sentence)
{
  reader->n_problems++;
  if (reader->problems->len < MAX_PROBLEMS)
    g_ptr_array_add (reader->problems, sentence);
  else
    g_free (sentence);
}

static void
entry_info_free (EntryInfo *info)
{
  g_free (info->name);
  g_free (info->display);
  g_free (info);
}

static void
set_open_error (GError **error,
                int      zerr,
                int      sys_err)
{
  switch (zerr)
    {
    case ZIP_ER_NOZIP:
      g_set_error_literal (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID,
                           _("The file is not a ZIP archive, or it is incomplete (it may have been cut off while it was copied)."));
      break;

    case ZIP_ER_INCONS:
      g_set_error_literal (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID,
                           _("The file is damaged: its table of contents does not match its contents."));
      break;

    case ZIP_ER_MULTIDISK:
      g_set_error_literal (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID,
                           _("The file is one part of an archive split into several files, which cannot be read."));
      break;

    case ZIP_ER_MEMORY:
      g_set_error_literal (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_READ,
                           _("There is not enough memory to open the file."));
      break;

    case ZIP_ER_OPEN:
    case ZIP_ER_READ:
    case ZIP_ER_SEEK:
    case ZIP_ER_TELL:
      g_set_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_READ,
                   _("The file cannot be read: %s."), g_strerror (sys_err ? sys_err : EIO));
      break;

    default:
      {
        zip_error_t ze;

        zip_error_init_with_code (&ze, zerr);
        g_set_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID,
                     _("The file cannot be opened as a ZIP archive (%s)."), zip_error_strerror (&ze));
        zip_error_fini (&ze);
      }
      break;
    }
}

/* With ZIP_CHECKCONS libzip refuses two entries of the same name
 * (ZIP_ER_EXISTS) without saying which; a second look without the check
 * finds it, so the message can name it. */
static void
set_duplicate_error (const char  *path,
                     GError     **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *display = NULL;
  zip_t *zip = zip_open (path, ZIP_RDONLY, NULL);

  if (zip != NULL)
    {
      zip_int64_t n = zip_get_num_entries (zip, 0);

      for (zip_int64_t i = 0; i < n && display == NULL; i++)
        {
          const char *name = zip_get_name (zip, i, ZIP_FL_ENC_RAW);

          if (name != NULL && !g_hash_table_add (seen, (gpointer) name))
            display = make_display_name (name);
        }
    }

  if (display != NULL)
    g_set_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID,
                 _("The file is damaged: it holds two entries named “%s”."), display);
  else
    g_set_error_literal (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID,
                         _("The file is damaged: it holds two entries with the same name."));
  if (zip != NULL)
    zip_discard (zip);
}

/* Opens path for reading and checks what it is from the open descriptor,
 * so the file checked is the file read. O_NONBLOCK keeps a FIFO from
 * blocking the open; it changes nothing for a regular file. limits may be
 * NULL (no size check). Returns -1 with error set. */
static int
open_checked (const char             *path,
              const BbArchiveLimits  *limits,
              guint64                *size,
              GError                **error)
{
  struct stat st;
  int fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);

  if (fd < 0 || fstat (fd, &st) != 0)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_READ,
                   _("The file cannot be read: %s."), g_strerror (saved));
      return -1;
    }
  if (!S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error_literal (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_READ,
                           _("The chosen item is not a regular file."));
      return -1;
    }
  if (limits != NULL && (guint64) st.st_size > limits->max_file_size)
    {
      g_autofree char *limit = g_format_size (limits->max_file_size);

      close (fd);
      g_set_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID,
                   _("The file is larger than the %s limit."), limit);
      return -1;
    }
  *size = st.st_size;
  return fd;
}

static gssize
read_fd (int     fd,
         guint8 *buf,
         gsize   len)
{
  for (;;)
    {
      gssize n = read (fd, buf, MIN (len, (gsize) G_MAXSSIZE));

      if (n >= 0 || errno != EINTR)
        return n;
    }
}

/* --- Central directory checks --------------------------------------------- */

/* Everything about one entry that does not depend on the others. Returns
 * FALSE (with a problem added) when the entry must not be read. */
static gboolean
check_entry (BbArchiveReader *reader,
             EntryInfo       *info,
             const char      *raw)
{
  const zip_uint64_t needed = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD;
  zip_uint8_t opsys = 0;
  zip_uint32_t attributes = 0;
  zip_stat_t st;

  zip_stat_init (&st);
  if (zip_stat_index (reader->zip, info->index, 0, &st) != 0 || (st.valid & needed) != needed)
    {
      add_problem (reader, g_strdup_printf (_("The entry “%s” is damaged and was not read."), info->display));
      return FALSE;
    }
  info->size = st.size;
  info->comp_size = st.comp_size;

  if (!is_safe_path (raw))
    {
      add_problem (reader, g_strdup_printf (_("The entry “%s” has an unsafe name and was not read."),
                                            info->display));
      return FALSE;
    }
  info->name = g_strdup (raw);
  info->folder = g_str_has_suffix (raw, "/");

  if (zip_file_get_external_attributes (reader->zip, info->index, 0, &opsys, &attributes) == 0
      && opsys == ZIP_OPSYS_UNIX)
    {
      guint32 type = (attributes >> 16) & S_IFMT;

      if (type == S_IFLNK)
        {
          add_problem (reader, g_strdup_printf (_("The entry “%s” is a symbolic link and was not read."),
                                                info->display));
          return FALSE;
        }
      if (type != 0 && type != S_IFREG && !(type == S_IFDIR && info->folder))
        {
          add_problem (reader, g_strdup_printf (_("The entry “%s” is not a regular file and was not read."),
                                                info->display));
          return FALSE;
        }
    }

  if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
    {
      add_problem (reader, g_strdup_printf (_("The entry “%s” is encrypted and was not read."), info->display));
      return FALSE;
    }
  if (st.comp_method != ZIP_CM_STORE && st.comp_method != ZIP_CM_DEFLATE)
    {
      add_problem (reader, g_strdup_printf (_("The entry “%s” uses a compression method that cannot be read, so it was not read."),
                                            info->display));
      return FALSE;
    }
  /* AES entries (AE-2) carry no CRC; every other entry must have one to be checked against. */
  if (!(st.valid & ZIP_STAT_CRC))
    {
      add_problem (reader, g_strdup_printf (_("The entry “%s” is damaged and was not read."), info->display));
      return FALSE;
    }
  if (info->folder && info->size != 0)
    {
      add_problem (reader, g_strdup_printf (_("The entry “%s” is not a regular file and was not read."),
                                            info->display));
      return FALSE;
    }
  if (!info->folder && info->size > RATIO_MIN_SIZE
      && (info->comp_size == 0 || info->size / info->comp_size > reader->limits.max_ratio))
    {
      g_autofree char *expanded = g_format_size (info->size);
      g_autofree char *compressed = g_format_size (info->comp_size);

      add_problem (reader, g_strdup_printf (_("“%s” would expand to %s from %s, which looks like a zip bomb."),
                                            info->display, expanded, compressed));
      return FALSE;
    }
  return TRUE;
}

static void
check_duplicates (BbArchiveReader *reader)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < reader->infos->len; i++)
    {
      EntryInfo *info = g_ptr_array_index (reader->infos, i);
      EntryInfo *first;
      char *key;

      if (info->name == NULL || info->folder)
        continue;
      key = collision_key (info->name);
      first = g_hash_table_lookup (seen, key);
      if (first == NULL)
        {
          g_hash_table_insert (seen, key, info);
          continue;
        }
      g_free (key);
      /* Neither is trusted: which one a tool extracts last depends on the tool. */
      if (info->usable || first->usable)
        add_problem (reader, g_strdup_printf (_("The entries “%s” and “%s” would be the same file on Windows or macOS, so neither was read."),
                                              first->display, info->display));
      info->usable = FALSE;
      first->usable = FALSE;
    }
}

static void
check_total (BbArchiveReader *reader)
{
  guint64 total = 0;

  for (guint i = 0; i < reader->infos->len; i++)
    {
      EntryInfo *info = g_ptr_array_index (reader->infos, i);

      if (info->usable)
        total = (total > G_MAXUINT64 - info->size) ? G_MAXUINT64 : total + info->size;
    }
  if (total > reader->limits.max_total_uncompressed)
    {
      g_autofree char *expanded = g_format_size (total);
      g_autofree char *limit = g_format_size (reader->limits.max_total_uncompressed);

      add_problem (reader, g_strdup_printf (_("The archive would expand to %s, more than the %s limit."),
                                            expanded, limit));
    }
}

/* A ZIP whose entries share compressed data (the overlapping-file bomb) can
 * claim far more compressed bytes than the file holds. */
static gboolean
check_overlap (BbArchiveReader  *reader,
               guint64           file_size,
               GError          **error)
{
  guint64 sum = 0;

  for (guint i = 0; i < reader->infos->len; i++)
    {
      EntryInfo *info = g_ptr_array_index (reader->infos, i);

      if (info->comp_size > file_size - sum)
        {
          g_set_error_literal (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID,
                               _("The file is damaged: its entries overlap each other, which looks like a zip bomb."));
          return FALSE;
        }
      sum += info->comp_size;
    }
  return TRUE;
}

static void
decide_layout (BbArchiveReader *reader)
{
  EntryInfo *metadata = NULL;
  EntryInfo *only_file = NULL;
  guint n_files = 0;

  for (guint i = 0; i < reader->infos->len; i++)
    {
      EntryInfo *info = g_ptr_array_index (reader->infos, i);

      if (info->name != NULL && strcmp (info->name, "metadata.json") == 0)
        metadata = info;
      if (info->name == NULL || !info->folder)
        {
          n_files++;
          only_file = info;
        }
    }

  reader->layout = BB_ARCHIVE_LAYOUT_BACKUP;

  if (metadata != NULL)
    {
      for (guint i = 0; i < reader->infos->len; i++)
        {
          EntryInfo *info = g_ptr_array_index (reader->infos, i);

          if (info->usable && !info->folder && !is_backup_file_name (info->name))
            {
              add_problem (reader, g_strdup_printf (_("The entry “%s” does not belong in a Baby Buddy backup and was not read."),
                                                    info->display));
              info->usable = FALSE;
            }
        }
      return;
    }

  if (n_files == 1 && only_file->usable && has_json_suffix (only_file->name))
    {
      reader->layout = BB_ARCHIVE_LAYOUT_FIXTURE;
      reader->fixture_name = only_file->name;
      return;
    }

  /* First, as it explains the rest. */
  reader->n_problems++;
  g_ptr_array_insert (reader->problems, 0,
                      g_strdup (_("The archive has no metadata.json, so it is not a Baby Buddy Backup file.")));
  if (reader->problems->len > MAX_PROBLEMS)
    g_ptr_array_remove_index (reader->problems, reader->problems->len - 1);
}

/* --- Reader -------------------------------------------------------------- */

BbArchiveReader *
bb_archive_reader_open (const char             *path,
                        const BbArchiveLimits  *limits,
                        GError                **error)
{
  g_autoptr(BbArchiveReader) reader = NULL;
  guint64 file_size = 0;
  zip_int64_t n;
  int zerr = 0;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  reader = g_new0 (BbArchiveReader, 1);
  copy_limits (&reader->limits, limits);
  reader->infos = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_info_free);
  reader->usable = g_hash_table_new (g_str_hash, g_str_equal);
  reader->entries = g_ptr_array_new ();
  reader->problems = g_ptr_array_new_with_free_func (g_free);
  reader->open_entries = g_ptr_array_new ();

  fd = open_checked (path, &reader->limits, &file_size, error);
  if (fd < 0)
    return NULL;

  /* Some libzip versions take an empty file for an empty archive (1.7.3
   * does not); it is never a backup. */
  if (file_size == 0)
    {
      close (fd);
      set_open_error (error, ZIP_ER_NOZIP, 0);
      return NULL;
    }

  /* zip_fdopen() closes fd when it succeeds, and only then. */
  reader->zip = zip_fdopen (fd, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
  if (reader->zip == NULL)
    {
      int saved = errno;

      close (fd);
      if (zerr == ZIP_ER_EXISTS)
        set_duplicate_error (path, error);
      else
        set_open_error (error, zerr, saved);
      return NULL;
    }

  n = zip_get_num_entries (reader->zip, 0);
  if (n < 0 || (guint64) n > reader->limits.max_entries)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) n);

      /* Translators: the first %s is a number of entries (files in the ZIP) */
      g_set_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID,
                   ngettext ("The file holds %s entry, more than the %u allowed.",
                             "The file holds %s entries, more than the %u allowed.",
                             (unsigned long) MIN ((guint64) MAX (n, 0), G_MAXULONG)),
                   count, reader->limits.max_entries);
      return NULL;
    }

  for (zip_int64_t i = 0; i < n; i++)
    {
      EntryInfo *info = g_new0 (EntryInfo, 1);
      const char *raw = zip_get_name (reader->zip, i, ZIP_FL_ENC_RAW);

      info->index = i;
      info->display = make_display_name (raw ? raw : "");
      g_ptr_array_add (reader->infos, info);
      info->usable = check_entry (reader, info, raw ? raw : "");
    }

  if (!check_overlap (reader, file_size, error))
    return NULL;

  check_duplicates (reader);
  decide_layout (reader);
  check_total (reader);

  for (guint i = 0; i < reader->infos->len; i++)
    {
      EntryInfo *info = g_ptr_array_index (reader->infos, i);

      if (info->usable && !info->folder)
        {
          g_hash_table_insert (reader->usable, info->name, info);
          g_ptr_array_add (reader->entries, info->name);
        }
    }

  if (reader->n_problems > reader->problems->len)
    {
      guint more = reader->n_problems - reader->problems->len;

      g_ptr_array_add (reader->problems,
                       g_strdup_printf (ngettext ("…and %u more problem.", "…and %u more problems.", more), more));
    }

  return g_steal_pointer (&reader);
}

static void
detach_entry (BbArchiveEntry *entry)
{
  if (entry->file != NULL)
    zip_fclose (entry->file);
  entry->file = NULL;
  entry->reader = NULL;
}

void
bb_archive_reader_free (BbArchiveReader *reader)
{
  if (reader == NULL)
    return;

  /* An entry outliving its reader fails its next read instead of touching freed memory. */
  for (guint i = 0; i < reader->open_entries->len; i++)
    detach_entry (g_ptr_array_index (reader->open_entries, i));
  g_ptr_array_unref (reader->open_entries);

  if (reader->zip != NULL)
    zip_discard (reader->zip);
  g_hash_table_unref (reader->usable);
  g_ptr_array_unref (reader->entries);
  g_ptr_array_unref (reader->problems);
  g_ptr_array_unref (reader->infos);
  g_free (reader);
}

BbArchiveLayout
bb_archive_reader_get_layout (BbArchiveReader *reader)
{
  g_return_val_if_fail (reader != NULL, BB_ARCHIVE_LAYOUT_BACKUP);

  return reader->layout;
}

/* Owned by the reader. */
GPtrArray *
bb_archive_reader_get_problems (BbArchiveReader *reader)
{
  g_return_val_if_fail (reader != NULL, NULL);

  return reader->problems;
}

/* Owned by the reader. */
GPtrArray *
bb_archive_reader_list_entries (BbArchiveReader *reader)
{
  g_return_val_if_fail (reader != NULL, NULL);

  return reader->entries;
}

gboolean
bb_archive_reader_has_entry (BbArchiveReader *reader,
                             const char      *name)
{
  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  return g_hash_table_contains (reader->usable, name);
}

gint64
bb_archive_reader_get_entry_size (BbArchiveReader *reader,
                                  const char      *name)
{
  EntryInfo *info;

  g_return_val_if_fail (reader != NULL, -1);
  g_return_val_if_fail (name != NULL, -1);

  info = g_hash_table_lookup (reader->usable, name);
  if (info == NULL || info->size > G_MAXINT64)
    return -1;
  return (gint64) info->size;
}

const char *
bb_archive_reader_get_fixture_name (BbArchiveReader *reader)
{
  g_return_val_if_fail (reader != NULL, NULL);

  return reader->fixture_name;
}

GBytes *
bb_archive_reader_read_small (BbArchiveReader  *reader,
                              const char       *name,
                              gsize             max_size,
                              GError          **error)
{
  g_autoptr(BbArchiveEntry) entry = NULL;
  g_autofree guint8 *buf = NULL;
  EntryInfo *info;
  gsize len = 0;

  g_return_val_if_fail (reader != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  info = g_hash_table_lookup (reader->usable, name);
  if (info != NULL && info->size > max_size)
    {
      g_autofree char *size = g_format_size (info->size);
      g_autofree char *limit = g_format_size (max_size);

      g_set_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID,
                   _("“%s” is too large (%s, at most %s is expected)."), info->display, size, limit);
      return NULL;
    }

  entry = bb_archive_reader_open_entry (reader, name, error);
  if (entry == NULL)
    return NULL;

  buf = g_malloc (info->size + 1);
  for (;;)
    {
      /* One byte more than declared is room enough to notice an overlong entry. */
      gssize n = bb_archive_entry_read (entry, buf + len, info->size + 1 - len, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      len += n;
    }
  buf[len] = '\0';
  return g_bytes_new_take (g_steal_pointer (&buf), len);
}

/* --- Entry --------------------------------------------------------------- */

BbArchiveEntry *
bb_archive_reader_open_entry (BbArchiveReader  *reader,
                              const char       *name,
                              GError          **error)
{
  BbArchiveEntry *entry;
  EntryInfo *info;
  zip_file_t *file;

  g_return_val_if_fail (reader != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  info = g_hash_table_lookup (reader->usable, name);
  if (info == NULL)
    {
      g_autofree char *display = make_display_name (name);

      g_set_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID,
                   _("The archive has no readable entry “%s”."), display);
      return NULL;
    }

  file = zip_fopen_index (reader->zip, info->index, 0);
  if (file == NULL)
    {
      g_set_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID,
                   _("“%s” cannot be read (%s)."), info->display, zip_strerror (reader->zip));
      return NULL;
    }

  entry = g_new0 (BbArchiveEntry, 1);
  entry->reader = reader;
  entry->file = file;
  entry->display = g_strdup (info->display);
  entry->declared = info->size;
  entry->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_ptr_array_add (reader->open_entries, entry);
  return entry;
}

static gssize
fail_entry (BbArchiveEntry  *entry,
            GError          *failure,
            GError         **error)
{
  g_clear_error (&entry->failure);
  entry->failure = failure;
  if (error != NULL)
    *error = g_error_copy (failure);
  return -1;
}

static GError *
make_read_error (BbArchiveEntry *entry)
{
  zip_error_t *ze = zip_file_get_error (entry->file);

  switch (zip_error_code_zip (ze))
    {
    case ZIP_ER_CRC:
      return g_error_new (BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID,
                          _("“%s” is damaged (its checksum does not match)."), entry->display);
    case ZIP_ER_ZLIB:
    case ZIP_ER_COMPRESSED_DATA:
      return g_error_new (BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID,
                          _("“%s” is damaged (its compressed data is broken)."), entry->display);
    case ZIP_ER_INCONS:
    case ZIP_ER_EOF:
      return g_error_new (BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID,
                          _("“%s” is damaged (it holds less data than it declares)."), entry->display);
    case ZIP_ER_READ:
    case ZIP_ER_SEEK:
    case ZIP_ER_TELL:
    case ZIP_ER_OPEN:
      return g_error_new (BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_READ,
                          _("“%s” cannot be read: %s."), entry->display,
                          g_strerror (zip_error_code_system (ze) ? zip_error_code_system (ze) : EIO));
    default:
      return g_error_new (BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID,
                          _("“%s” is damaged (%s)."), entry->display, zip_error_strerror (ze));
    }
}

gssize
bb_archive_entry_read (gpointer   user_data,
                       guint8    *buf,
                       gsize      len,
                       GError   **error)
{
  BbArchiveEntry *entry = user_data;
  BbArchiveReader *reader;
  zip_int64_t n;

  g_return_val_if_fail (entry != NULL, -1);
  g_return_val_if_fail (buf != NULL || len == 0, -1);

  if (entry->failure != NULL)
    {
      if (error != NULL)
        *error = g_error_copy (entry->failure);
      return -1;
    }
  if (entry->finished || len == 0)
    return 0;

  reader = entry->reader;
  if (reader == NULL)
    return fail_entry (entry,
                       g_error_new (BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_READ,
                                    _("“%s” cannot be read: the archive was closed."), entry->display),
                       error);

  n = zip_fread (entry->file, buf, MIN (len, (gsize) G_MAXINT64));
  if (n < 0)
    return fail_entry (entry, make_read_error (entry), error);

  if (n == 0)
    {
      if (entry->bytes_read != entry->declared)
        return fail_entry (entry,
                           g_error_new (BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID,
                                        _("“%s” is damaged (it holds less data than it declares)."),
                                        entry->display),
                           error);
      entry->finished = TRUE;
      return 0;
    }

  /* The ratio was checked against the declared size; stop as soon as the data disagrees. */
  if ((guint64) n > entry->declared - entry->bytes_read)
    return fail_entry (entry,
                       g_error_new (BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID,
                                    _("“%s” is damaged (it holds more data than it declares)."),
                                    entry->display),
                       error);
  entry->bytes_read += n;

  reader->total_read += n;
  if (reader->total_read > reader->limits.max_total_uncompressed)
    {
      g_autofree char *limit = g_format_size (reader->limits.max_total_uncompressed);

      return fail_entry (entry,
                         g_error_new (BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID,
                                      _("The archive expands to more than the %s limit."), limit),
                         error);
    }

  g_checksum_update (entry->checksum, buf, n);
  return n;
}

const char *
bb_archive_entry_get_sha256 (BbArchiveEntry *entry)
{
  g_autoptr(GChecksum) copy = NULL;

  g_return_val_if_fail (entry != NULL, NULL);

  /* A GChecksum cannot be updated once read, so read a copy. */
  copy = g_checksum_copy (entry->checksum);
  g_free (entry->sha256);
  entry->sha256 = g_strdup (g_checksum_get_string (copy));
  return entry->sha256;
}

guint64
bb_archive_entry_get_bytes_read (BbArchiveEntry *entry)
{
  g_return_val_if_fail (entry != NULL, 0);

  return entry->bytes_read;
}

void
bb_archive_entry_free (BbArchiveEntry *entry)
{
  if (entry == NULL)
    return;

  if (entry->reader != NULL)
    g_ptr_array_remove_fast (entry->reader->open_entries, entry);
  detach_entry (entry);
  g_checksum_free (entry->checksum);
  g_clear_error (&entry->failure);
  g_free (entry->sha256);
  g_free (entry->display);
  g_free (entry);
}

/* --- Format detection ---------------------------------------------------- */

static void
set_not_ours_error (GError **error)
{
  g_set_error_literal (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID,
                       _("This file is not a Baby Buddy backup or a Django fixture."));
}

gboolean
bb_archive_detect_format (const char     *path,
                          BbInputFormat  *format,
                          GError        **error)
{
  g_autofree guint8 *buf = NULL;
  guint64 size;
  gssize len = 0;
  gsize i = 0;
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (format != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  fd = open_checked (path, NULL, &size, error);
  if (fd < 0)
    return FALSE;

  buf = g_malloc (DETECT_BYTES);
  while (len < DETECT_BYTES)
    {
      gssize n = read_fd (fd, buf + len, DETECT_BYTES - len);

      if (n < 0)
        {
          int saved = errno;

          close (fd);
          g_set_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_READ,
                       _("The file cannot be read: %s."), g_strerror (saved));
          return FALSE;
        }
      if (n == 0)
        break;
      len += n;
    }
  close (fd);

  if (len >= 4 && buf[0] == 'P' && buf[1] == 'K'
      && ((buf[2] == 3 && buf[3] == 4) || (buf[2] == 5 && buf[3] == 6)))
    {
      *format = BB_INPUT_FORMAT_ZIP;
      return TRUE;
    }
  if (len >= 2 && buf[0] == 0x1f && buf[1] == 0x8b)
    {
      *format = BB_INPUT_FORMAT_GZIP;
      return TRUE;
    }

  if (len >= 3 && buf[0] == 0xef && buf[1] == 0xbb && buf[2] == 0xbf)
    i = 3;
  while (i < (gsize) len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n'))
    i++;
  if (i < (gsize) len && buf[i] == '[')
    {
      *format = BB_INPUT_FORMAT_JSON;
      return TRUE;
    }

  set_not_ours_error (error);
  return FALSE;
}

/* --- Plain and gzip fixtures --------------------------------------------- */

BbFixtureFile *
bb_fixture_file_open (const char             *path,
                      BbInputFormat           format,
                      const BbArchiveLimits  *limits,
                      GError                **error)
{
  g_autoptr(BbFixtureFile) file = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (format == BB_INPUT_FORMAT_JSON || format == BB_INPUT_FORMAT_GZIP, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  file = g_new0 (BbFixtureFile, 1);
  copy_limits (&file->limits, limits);
  file->fd = open_checked (path, &file->limits, &file->file_size, error);
  if (file->fd < 0)
    return NULL;
  if (format == BB_INPUT_FORMAT_GZIP)
    {
      file->converter = G_CONVERTER (g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP));
      file->in_buf = g_malloc (FIXTURE_CHUNK);
    }
  return g_steal_pointer (&file);
}

static gssize
fail_fixture (BbFixtureFile  *file,
              GError         *failure,
              GError        **error)
{
  g_clear_error (&file->failure);
  file->failure = failure;
  if (error != NULL)
    *error = g_error_copy (failure);
  return -1;
}

static GError *
make_fixture_damaged_error (gboolean truncated)
{
  if (truncated)
    return g_error_new_literal (BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID,
                                _("The compressed file is incomplete (it may have been cut off while it was copied)."));
  return g_error_new_literal (BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID,
                              _("The compressed file is damaged (its data or checksum is wrong)."));
}

/* Fills in_buf when it is used up; FALSE with failure set on a read error. */
static gboolean
refill_input (BbFixtureFile  *file,
              GError        **failure)
{
  gssize n;

  if (file->in_pos < file->in_len || file->in_eof)
    return TRUE;
  n = read_fd (file->fd, file->in_buf, FIXTURE_CHUNK);
  if (n < 0)
    {
      int saved = errno;

      *failure = g_error_new (BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_READ,
                              _("The file cannot be read: %s."), g_strerror (saved));
      return FALSE;
    }
  file->in_len = n;
  file->in_pos = 0;
  file->in_eof = n == 0;
  return TRUE;
}

static GError *
check_gzip_limits (BbFixtureFile *file)
{
  guint64 ratio_limit;

  if (file->bytes_read > file->limits.max_total_uncompressed)
    {
      g_autofree char *limit = g_format_size (file->limits.max_total_uncompressed);

      return g_error_new (BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID,
                          _("The compressed file expands to more than the %s limit."), limit);
    }
  ratio_limit = file->file_size > G_MAXUINT64 / MAX (file->limits.max_ratio, 1)
                ? G_MAXUINT64 : file->file_size * file->limits.max_ratio;
  if (file->bytes_read > RATIO_MIN_SIZE && file->bytes_read > ratio_limit)
    {
      g_autofree char *expanded = g_format_size (file->bytes_read);
      g_autofree char *compressed = g_format_size (file->file_size);

      return g_error_new (BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID,
                          _("The compressed file expands to more than %s from %s, which looks like a zip bomb."),
                          expanded, compressed);
    }
  return NULL;
}

/* GZlibDecompressor runs zlib's inflate with the gzip wrapper, which checks
 * the trailer's CRC-32 and size (a mismatch is G_IO_ERROR_INVALID_DATA). It
 * does not look at G_CONVERTER_INPUT_AT_END: a stream that stops early shows
 * as G_IO_ERROR_PARTIAL_INPUT with no input left. */
static gssize
read_gzip (BbFixtureFile  *file,
           guint8         *buf,
           gsize           len,
           GError        **error)
{
  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      GError *failure = NULL;
      GConverterResult result;
      gsize consumed = 0, written = 0;

      if (!refill_input (file, &failure))
        return fail_fixture (file, failure, error);

      result = g_converter_convert (file->converter,
                                    file->in_buf + file->in_pos, file->in_len - file->in_pos,
                                    buf, len,
                                    file->in_eof ? G_CONVERTER_INPUT_AT_END : G_CONVERTER_NO_FLAGS,
                                    &consumed, &written, &local_error);
      if (result == G_CONVERTER_ERROR)
        {
          gboolean partial = g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT);

          if (partial && !file->in_eof)
            continue;   /* only when in_buf was used up: refill it */
          return fail_fixture (file, make_fixture_damaged_error (partial), error);
        }

      file->in_pos += consumed;
      file->bytes_read += written;
      if ((failure = check_gzip_limits (file)) != NULL)
        return fail_fixture (file, failure, error);

      if (result == G_CONVERTER_FINISHED)
        {
          /* The end of one gzip member. gzip -d and Python read concatenated
           * members, so do we; anything else after the end is damage. */
          if (!refill_input (file, &failure))
            return fail_fixture (file, failure, error);
          if (file->in_pos == file->in_len && file->in_eof)
            file->finished = TRUE;
          else if (file->in_buf[file->in_pos] == 0x1f)
            g_converter_reset (file->converter);
          else
            return fail_fixture (file, make_fixture_damaged_error (FALSE), error);
        }

      if (written > 0 || file->finished)
        return written;
      if (consumed == 0 && file->in_eof)
        return fail_fixture (file, make_fixture_damaged_error (TRUE), error);
    }
}

gssize
bb_fixture_file_read (gpointer   user_data,
                      guint8    *buf,
                      gsize      len,
                      GError   **error)
{
  BbFixtureFile *file = user_data;
  gssize n;

  g_return_val_if_fail (file != NULL, -1);
  g_return_val_if_fail (buf != NULL || len == 0, -1);

  if (file->failure != NULL)
    {
      if (error != NULL)
        *error = g_error_copy (file->failure);
      return -1;
    }
  if (file->finished || len == 0)
    return 0;

  if (file->converter != NULL)
    return read_gzip (file, buf, len, error);

  n = read_fd (file->fd, buf, MIN (len, FIXTURE_CHUNK));
  if (n < 0)
    {
      int saved = errno;

      return fail_fixture (file,
                           g_error_new (BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_READ,
                                        _("The file cannot be read: %s."), g_strerror (saved)),
                           error);
    }
  if (n == 0)
    {
      file->finished = TRUE;
      return 0;
    }
  file->bytes_read += n;
  /* The size was checked at open; a file still growing is not read past it. */
  if (file->bytes_read > file->limits.max_file_size)
    {
      g_autofree char *limit = g_format_size (file->limits.max_file_size);

      return fail_fixture (file,
                           g_error_new (BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID,
                                        _("The file is larger than the %s limit."), limit),
                           error);
    }
  return n;
}

guint64
bb_fixture_file_get_bytes_read (BbFixtureFile *file)
{
  g_return_val_if_fail (file != NULL, 0);

  return file->bytes_read;
}

void
bb_fixture_file_free (BbFixtureFile *file)
{
  if (file == NULL)
    return;

  if (file->fd >= 0)
    close (file->fd);
  g_clear_object (&file->converter);
  g_clear_error (&file->failure);
  g_free (file->in_buf);
  g_free (file);
}
