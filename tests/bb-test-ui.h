/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bb-test-ui.h: what the window tests share: waiting on the main loop for a
 * condition, reaching template children, clicking, answering file choosers
 * and finding the windows the app opened. */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef gboolean (*BbTestCondition) (gpointer data);

/* Spins the main loop until condition (data) holds; fails the test naming
 * what after seconds. */
void       bb_test_wait_until      (BbTestCondition  condition,
                                    gpointer         data,
                                    guint            seconds,
                                    const char      *what);
/* A template child that must exist. */
GtkWidget *bb_test_template_child  (gpointer         widget,
                                    GType            type,
                                    const char      *name);
/* What a mouse click does, at once (gtk_widget_activate waits for a
 * pressed-look timeout first); the button must be sensitive. */
void       bb_test_click           (GtkWidget       *button);
/* Conditions for a GtkFileChooser: the fallback dialog selects a file, or
 * enters a folder, only once it has read the folder. */
gboolean   bb_test_chooser_has_file   (gpointer      chooser);
gboolean   bb_test_chooser_has_folder (gpointer      chooser);
/* The last visible toplevel window of this type, or NULL. */
gpointer   bb_test_find_toplevel   (GType            type);

G_END_DECLS
