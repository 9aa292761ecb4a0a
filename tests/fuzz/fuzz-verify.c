/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-verify.c: libFuzzer target for the whole check of an untrusted
 * backup without a database (what `verify` and the wizard's first pass do):
 * metadata.json with its counts and checksums, every record's model, fields
 * and values through the fixture value decoders, pks and references, for a
 * backup ZIP and for a plain Django fixture. */

#include "bb-restore-job.h"
#include "fuzz-util.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* The first byte picks how the file is named; the content decides how it is read. */
  const char *name = size > 0 && data[0] == '[' ? "input.json" : "input.zip";
  const char *path = fuzz_write_input (name, data, size);
  g_autoptr(BbRestoreJob) job = bb_restore_job_new_verify (path);
  const BbRestorePreview *preview;
  BbArchiveLimits limits;
  GError *error = NULL;

  bb_archive_limits_init_default (&limits);
  limits.max_total_uncompressed = 8 * 1024 * 1024;
  limits.max_entries = 1000;
  bb_restore_job_set_limits (job, &limits);

  preview = bb_restore_job_check (job, NULL, &error);
  if (preview == NULL)
    {
      g_assert (error != NULL && error->message != NULL);
      g_clear_error (&error);
      return 0;
    }
  /* Every problem is a sentence; a preview without problems adds up. */
  for (guint i = 0; i < preview->problems->len; i++)
    g_assert (((char *) g_ptr_array_index (preview->problems, i))[0] != '\0');
  if (preview->problems->len == 0)
    {
      guint64 sum = 0;

      for (guint i = 0; i < preview->models->len; i++)
        sum += ((BbPreviewModel *) g_ptr_array_index (preview->models, i))->records;
      g_assert (sum == preview->total_records);
    }
  return 0;
}
