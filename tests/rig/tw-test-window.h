/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-test-files.h"

#include "tw-key-page.h"
#include "tw-server-page.h"
#include "tw-start-page.h"
#include "tw-window.h"

G_BEGIN_DECLS

/*
 * The window tests' shared rig: one application per process (GtkApplication keeps a
 * reference to itself once registered, so a second one with the same id cannot register; a
 * restart is a subprocess), a throwaway XDG_CONFIG_HOME, a service key made by ssh-keygen,
 * and helpers that drive the real window. With TW_SCREENSHOT_DIR set, tw_test_screenshot()
 * saves PNGs there (TW_SCREENSHOT_WIDTH sets the window's width).
 */

typedef struct {
  TwApplication *app;
  TwWindow      *window;
} TwTestSession;

typedef gboolean (*TwTestCondition) (gpointer data);

/* Before gtk_test_init(): sets XDG_CONFIG_HOME (a subprocess reuses its parent's). */
void           tw_test_window_init       (int              *argc,
                                          char           ***argv);
int            tw_test_window_finish     (int               result);
const char    *tw_test_config_home       (void);
const char    *tw_test_key_dir           (void);

gboolean       tw_test_wait_until        (TwTestCondition   condition,
                                          gpointer          data);
void           tw_test_spin              (guint             ms);
void           tw_test_session_open      (TwTestSession    *session);
void           tw_test_session_close     (TwTestSession    *session);
/* The first widget named @name (gtk_widget_set_name, or the .ui's "name") under @root. */
GtkWidget     *tw_test_find_named        (GtkWidget        *root,
                                          const char       *name);
GtkWidget     *tw_test_template_child    (GtkWidget        *widget,
                                          GType             type,
                                          const char       *name);
gboolean       tw_test_next_enabled      (TwWindow         *window);
/* Maps @window again at 360 × 720 px (a mapped window keeps its size) and waits for it */
void           tw_test_make_narrow       (TwWindow         *window);
void           tw_test_screenshot        (TwWindow         *window,
                                          const char       *name);
/* "service" (private) or "service.pub", made by ssh-keygen */
char          *tw_test_read_key          (const char       *name);
void           tw_test_reset_config      (void);
TwKeyPage     *tw_test_key_page          (TwWindow         *window);
gboolean       tw_test_key_page_complete (gpointer          data);
void           tw_test_press_enter_in    (GtkWidget        *entry_row);
void           tw_test_set_entry         (GtkWidget        *page,
                                          GType             type,
                                          const char       *name,
                                          const char       *text);
gboolean       tw_test_back_on_start     (gpointer          data);
gboolean       tw_test_tree_contains     (const char       *path,
                                          const char       *needle);
void           tw_test_on_async_done     (GObject          *source,
                                          GAsyncResult     *result,
                                          gpointer          user_data);
gboolean       tw_test_result_arrived    (gpointer          data);
/* The tunnel's password in the keyring, or NULL; free with secret_password_free() */
char          *tw_test_keyring_lookup    (const char       *tunnel_id);

G_END_DECLS
