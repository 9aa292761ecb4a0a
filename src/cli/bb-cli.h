/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-cli.h: the command-line subcommands of babybuddy-backup. */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean bb_cli_is_subcommand        (const char  *arg);
char    *bb_cli_describe_subcommands (void);
int      bb_cli_run                  (int          argc,
                                      char       **argv);

G_END_DECLS
