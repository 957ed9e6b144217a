/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-report.h"

G_BEGIN_DECLS

/* Shows @message as a toast in the window around @widget (its AdwToastOverlay). */
void tw_ui_show_toast        (GtkWidget  *widget,
                              const char *message);
/* Copies @text to the clipboard and says so with a toast naming @what ("Host", "Script", …). */
void tw_ui_copy_to_clipboard (GtkWidget  *widget,
                              const char *text,
                              const char *what);
/* Sets a boolean property's field and notifies @pspec only when the value changes. */
void tw_ui_set_boolean       (gpointer    object,
                              gboolean   *field,
                              gboolean    value,
                              GParamSpec *pspec);
/* Gives @widget one status colour: @css_class ("success", "warning", "error", "dim-label")
 * replaces whichever of those it had; NULL leaves it uncoloured. */
void tw_ui_set_status_class  (GtkWidget  *widget,
                              const char *css_class);

/* Binds @source's @property both ways to @target's @target_property, as an editable row
 * shows a tunnel field (an unset string becomes ""), and keeps the binding in @bindings. */
GBinding *tw_ui_bind_field   (GPtrArray  *bindings,
                              gpointer    source,
                              const char *property,
                              gpointer    target,
                              const char *target_property);
/* Undoes every binding kept in @bindings (may be NULL) and empties it. */
void tw_ui_unbind_fields     (GPtrArray  *bindings);

/* Asks where to save @report (Markdown, or JSON when @json) and writes it there off the main
 * thread, saying in a toast how it went; @cancellable stops the write. */
void tw_ui_export_report     (GtkWidget    *widget,
                              TwReport     *report,
                              gboolean      json,
                              GCancellable *cancellable);

typedef void (*TwUiPathChosen) (GtkWidget  *widget,
                                const char *path);

/* Asks for the admin's private key file, opening in ~/.ssh where there is one; @chosen gets
 * @widget and the file's path once one is chosen (not if @widget is gone by then). */
void tw_ui_choose_private_key (GtkWidget      *widget,
                               TwUiPathChosen  chosen);

G_END_DECLS
