/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-archive.c: a backup is written under a hidden temporary name in the
 * destination folder, created 0600 (it holds password hashes), and renamed to
 * its final name only when libzip has written everything and it is synced to
 * disk. Entries are streamed: libzip pulls each one from a read callback while
 * it compresses, so memory does not grow with the database. */

#define G_LOG_DOMAIN "bb-archive"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "bb-archive.h"

#define TEMP_PREFIX ".babybuddy-backup-"
#define TEMP_SUFFIX ".part"

G_DEFINE_QUARK (bb-archive-error-quark, bb_archive_error)

typedef struct {
  BbArchiveWriter   *writer;
  BbArchiveReadFunc  read_func;
  gpointer           user_data;
  zip_error_t        error;
} Stream;

struct _BbArchiveWriter
{
  char       *final_path;
  char       *temp_path;
  zip_t      *zip;
  int         level;
  GError     *stream_error;   /* the first error a read callback reported */
  GPtrArray  *streams;
  gboolean    committed;
};

static zip_int64_t
stream_cb (void             *user_data,
           void             *data,
           zip_uint64_t      len,
           zip_source_cmd_t  cmd)
{
  Stream *stream = user_data;

  switch (cmd)
    {
    case ZIP_SOURCE_OPEN:
    case ZIP_SOURCE_CLOSE:
    case ZIP_SOURCE_FREE:
      return 0;

    case ZIP_SOURCE_READ:
      {
        g_autoptr(GError) error = NULL;
        gssize n = stream->read_func (stream->user_data, data, len, &error);

        if (n < 0)
          {
            if (stream->writer->stream_error == NULL)
              stream->writer->stream_error = g_steal_pointer (&error);
            zip_error_set (&stream->error, ZIP_ER_READ, EIO);
            return -1;
          }
        return n;
      }

    case ZIP_SOURCE_STAT:
      {
        zip_stat_t *st = data;

        zip_stat_init (st);
        st->mtime = time (NULL);
        st->valid |= ZIP_STAT_MTIME;
        return sizeof (*st);
      }

    case ZIP_SOURCE_ERROR:
      return zip_error_to_data (&stream->error, data, len);

    case ZIP_SOURCE_SUPPORTS:
      return zip_source_make_command_bitmap (ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
                                             ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE,
                                             -1);

    default:
      zip_error_set (&stream->error, ZIP_ER_OPNOTSUPP, 0);
      return -1;
    }
}

static void
stream_free (Stream *stream)
{
  zip_error_fini (&stream->error);
  g_free (stream);
}

/* What went wrong, in words a user can act on: the folder gone, the disk
 * full, a file too large for the disk; else the system's own words. path is
 * the backup's final path; saved_errno is 0 when unknown. */
static void
set_write_error (GError     **error,
                 const char  *path,
                 int          saved_errno,
                 const char  *detail)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *folder = g_path_get_dirname (path);

  if (!g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *folder_display = g_filename_display_name (folder);

      g_set_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_WRITE,
                   _("The folder “%s” was removed or moved while the backup was being "
                     "written, so no backup was saved. Choose a folder that exists, then "
                     "try again."), folder_display);
    }
  else if (saved_errno == ENOSPC || saved_errno == EDQUOT)
    g_set_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_WRITE,
                 _("There is not enough free space for the backup file “%s”, so no backup "
                   "was saved. Free some space or choose another folder, then try again."),
                 display);
  else if (saved_errno == EFBIG)
    g_set_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_WRITE,
                 _("The backup file “%s” is too large for this disk, so no backup was saved. "
                   "Choose a folder on another disk, then try again."), display);
  else
    g_set_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_WRITE,
                 _("Cannot write the backup file “%s”: %s"), display, detail);
}

static void
set_errno_error (GError     **error,
                 const char  *path,
                 int          saved_errno)
{
  set_write_error (error, path, saved_errno, g_strerror (saved_errno));
}

/* libzip's last error on writer, with the errno behind it when it has one. */
static void
set_zip_error (GError          **error,
               BbArchiveWriter  *writer)
{
  zip_error_t *ze = zip_get_error (writer->zip);
  int saved_errno = zip_error_system_type (ze) == ZIP_ET_SYS ? zip_error_code_system (ze) : 0;

  set_write_error (error, writer->final_path, saved_errno, zip_error_strerror (ze));
}

BbArchiveWriter *
bb_archive_writer_new (const char  *path,
                       int          compression_level,
                       GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *temp_name = g_strdup_printf (TEMP_PREFIX "%d-XXXXXX" TEMP_SUFFIX, (int) getpid ());
  g_autofree char *temp = g_build_filename (dir, temp_name, NULL);
  BbArchiveWriter *writer;
  zip_t *zip;
  int fd, zerr = 0;

  g_return_val_if_fail (path != NULL, NULL);

  fd = g_mkstemp_full (temp, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      set_errno_error (error, path, errno);
      return NULL;
    }
  close (fd);

  /* libzip takes an empty file for a new archive and keeps its 0600 mode. */
  zip = zip_open (temp, ZIP_TRUNCATE, &zerr);
  if (zip == NULL)
    {
      zip_error_t ze;

      zip_error_init_with_code (&ze, zerr);
      set_write_error (error, path, 0, zip_error_strerror (&ze));
      zip_error_fini (&ze);
      g_unlink (temp);
      return NULL;
    }

  writer = g_new0 (BbArchiveWriter, 1);
  writer->final_path = g_strdup (path);
  writer->temp_path = g_steal_pointer (&temp);
  writer->zip = zip;
  writer->level = CLAMP (compression_level, 0, 9);
  writer->streams = g_ptr_array_new_with_free_func ((GDestroyNotify) stream_free);
  return writer;
}

const char *
bb_archive_writer_get_path (BbArchiveWriter *writer)
{
  return writer->final_path;
}

static gboolean
add_source (BbArchiveWriter  *writer,
            const char       *name,
            zip_source_t     *source,
            gboolean          compress,
            GError          **error)
{
  zip_int64_t index;

  index = zip_file_add (writer->zip, name, source, ZIP_FL_ENC_UTF_8);
  if (index < 0)
    {
      set_zip_error (error, writer);
      zip_source_free (source);
      return FALSE;
    }
  if (!compress || writer->level == 0)
    zip_set_file_compression (writer->zip, index, ZIP_CM_STORE, 0);
  else
    zip_set_file_compression (writer->zip, index, ZIP_CM_DEFLATE, writer->level);
  return TRUE;
}

gboolean
bb_archive_writer_add_stream (BbArchiveWriter    *writer,
                              const char         *name,
                              BbArchiveReadFunc   read_func,
                              gpointer            user_data,
                              GError            **error)
{
  Stream *stream = g_new0 (Stream, 1);
  zip_source_t *source;

  stream->writer = writer;
  stream->read_func = read_func;
  stream->user_data = user_data;
  zip_error_init (&stream->error);
  g_ptr_array_add (writer->streams, stream);

  source = zip_source_function (writer->zip, stream_cb, stream);
  if (source == NULL)
    {
      set_zip_error (error, writer);
      return FALSE;
    }
  return add_source (writer, name, source, TRUE, error);
}

gboolean
bb_archive_writer_add_file (BbArchiveWriter  *writer,
                            const char       *name,
                            const char       *path,
                            gboolean          compress,
                            GError          **error)
{
  zip_source_t *source = zip_source_file (writer->zip, path, 0, -1);

  if (source == NULL)
    {
      set_zip_error (error, writer);
      return FALSE;
    }
  return add_source (writer, name, source, compress, error);
}

static gboolean
sync_file (BbArchiveWriter  *writer,
           GError          **error)
{
  int fd = g_open (writer->temp_path, O_RDONLY | O_CLOEXEC, 0);
  int ok;

  if (fd < 0)
    {
      set_errno_error (error, writer->final_path, errno);
      return FALSE;
    }
  ok = fsync (fd) == 0 && fchmod (fd, 0600) == 0;
  if (!ok)
    set_errno_error (error, writer->final_path, errno);
  close (fd);
  return ok;
}

gboolean
bb_archive_writer_commit (BbArchiveWriter  *writer,
                          GError          **error)
{
  g_return_val_if_fail (!writer->committed, FALSE);

  if (zip_close (writer->zip) != 0)
    {
      if (writer->stream_error != NULL)
        g_propagate_error (error, g_steal_pointer (&writer->stream_error));
      else
        set_zip_error (error, writer);
      return FALSE;
    }
  writer->zip = NULL;

  if (!sync_file (writer, error))
    return FALSE;

  if (g_rename (writer->temp_path, writer->final_path) != 0)
    {
      set_errno_error (error, writer->final_path, errno);
      return FALSE;
    }
  writer->committed = TRUE;
  return TRUE;
}

void
bb_archive_writer_free (BbArchiveWriter *writer)
{
  if (writer == NULL)
    return;
  if (writer->zip != NULL)
    zip_discard (writer->zip);
  if (!writer->committed)
    g_unlink (writer->temp_path);
  g_clear_error (&writer->stream_error);
  g_ptr_array_unref (writer->streams);
  g_free (writer->final_path);
  g_free (writer->temp_path);
  g_free (writer);
}

/* A backup killed mid-write leaves its temporary file (and libzip's own
 * "<temp>.XXXXXX" beside it); the next backup into the same folder removes
 * those whose process is gone. The pid is part of the name for that. */
void
bb_archive_remove_stale_temporaries (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      guint64 pid;
      char *end;
      GStatBuf st;

      if (!g_str_has_prefix (name, TEMP_PREFIX) || strstr (name, TEMP_SUFFIX) == NULL)
        continue;
      pid = g_ascii_strtoull (name + strlen (TEMP_PREFIX), &end, 10);
      if (end == name + strlen (TEMP_PREFIX) || *end != '-')
        continue;
      if (pid == (guint64) getpid () || (kill ((pid_t) pid, 0) == 0 || errno == EPERM))
        continue;
      path = g_build_filename (folder, name, NULL);
      if (g_lstat (path, &st) == 0 && S_ISREG (st.st_mode))
        g_unlink (path);
    }
}

GBytes *
bb_archive_read_entry (const char  *path,
                       const char  *name,
                       gsize        max_size,
                       GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autofree guint8 *buf = NULL;
  zip_stat_t st;
  zip_file_t *file;
  zip_t *zip;
  zip_int64_t n;
  int zerr = 0;

  zip = zip_open (path, ZIP_RDONLY, &zerr);
  if (zip == NULL)
    {
      zip_error_t ze;

      zip_error_init_with_code (&ze, zerr);
      g_set_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID,
                   _("“%s” cannot be opened as a backup: %s"), display, zip_error_strerror (&ze));
      zip_error_fini (&ze);
      return NULL;
    }

  if (zip_stat (zip, name, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
    {
      g_set_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID,
                   _("“%s” is not a Baby Buddy backup: it has no %s."), display, name);
      zip_close (zip);
      return NULL;
    }
  if (st.size > max_size)
    {
      g_set_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_INVALID,
                   _("“%s” is not a valid backup: %s is too large."), display, name);
      zip_close (zip);
      return NULL;
    }

  file = zip_fopen (zip, name, 0);
  buf = g_malloc (st.size + 1);
  n = file ? zip_fread (file, buf, st.size) : -1;
  if (file != NULL)
    zip_fclose (file);
  zip_close (zip);
  if (n < 0 || (zip_uint64_t) n != st.size)
    {
      g_set_error (error, BB_ARCHIVE_ERROR, BB_ARCHIVE_ERROR_READ,
                   _("“%s” is damaged: %s cannot be read."), display, name);
      return NULL;
    }
  buf[n] = '\0';
  return g_bytes_new_take (g_steal_pointer (&buf), n);
}
