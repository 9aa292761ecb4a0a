/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c: babybuddy-backup. */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <signal.h>
#include <string.h>

#include "bb-application.h"

/* A password typed into a URL on the command line would otherwise be readable
 * in `ps` and /proc/PID/cmdline for as long as the backup runs. The program
 * works on a copy; the process's own argv is blanked. */
static void
hide_url_passwords (int    argc,
                    char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      char *scheme = strstr (argv[i], "://");
      char *at, *colon, *slash;

      if (scheme == NULL)
        continue;
      slash = strchr (scheme + 3, '/');
      at = slash ? g_strrstr_len (scheme + 3, slash - scheme - 3, "@") : strrchr (scheme + 3, '@');
      if (at == NULL)
        continue;
      colon = memchr (scheme + 3, ':', at - scheme - 3);
      if (colon != NULL)
        memset (colon + 1, '*', at - colon - 1);
    }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(BbApplication) app = NULL;
  g_auto(GStrv) args = NULL;

  /* Past a file size limit (ulimit -f) the kernel would end the process in
   * the middle of a write and leave the temporary file behind; ignored, the
   * write fails (EFBIG) and the backup says so and cleans up. */
  signal (SIGXFSZ, SIG_IGN);

  setlocale (LC_ALL, "");
  /* An uninstalled run (build-aux/run.sh) finds the translations in the build folder. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("BB_LOCALEDIR") ? g_getenv ("BB_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  args = g_new0 (char *, argc + 1);
  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (argv[i]);
  hide_url_passwords (argc, argv);

  app = bb_application_new ();
  return g_application_run (G_APPLICATION (app), argc, args);
}
