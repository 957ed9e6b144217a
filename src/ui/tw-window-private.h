/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-window.h"

G_BEGIN_DECLS

/* Shared by tw-window.c (the window, its steps and loading) and tw-window-actions.c (what
 * the window's actions do: the tunnel being edited, saving, the draft, delete with undo). */

#define TW_WINDOW_N_STEPS 7
#define TW_WINDOW_N_REVERSE_STEPS 6
#define TW_WINDOW_DRAFT_DELAY_MS 400

struct _TwWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkWidget            *back_button;
  GtkWidget            *new_button;
  GtkWidget            *next_button;
  GtkStack             *main_stack;
  GtkProgressBar       *progress;
  GtkWidget            *wizard_box;
  /* The steps and their pages: NULL until tw_window_ensure_steps() builds them */
  GtkStack             *steps;
  TwStartPage          *start_page;
  GtkWidget            *ssh_check_page;
  GtkWidget            *fingerprint_page;
  GtkWidget            *destination_page;
  GtkWidget            *summary_page;

  TwTunnelStore        *store;
  GCancellable         *cancellable;
  TwTunnel             *tunnel;
  TwTunnelEntry        *entry;
  GtkWidget            *watched_page;
  int                   step;
  guint                 draft_source;
  guint                 pending_loads;
  GPtrArray            *pending_deletes;
  TwReport             *ssh_report;
  char                 *draft_entry_id;
  TwReport             *destination_report;
  GtkWidget            *reverse_key_page;
  GtkWidget            *reverse_status_page;
  char                 *pending_show_id;
  /* "Check again": the run outside the wizard, which waits for the keyring's password */
  GtkWidget            *recheck_page;
  gboolean              rechecking;
  /* The latest keyring lookup of a login password; answers to older ones are dropped */
  guint                 lookup_serial;
  /* The last finished report of each saved tunnel (by id) in this session: the summary of a
   * reopened tunnel can still export it */
  GHashTable           *last_reports;
  TwReverseRunner      *runner;           /* the application's: tunnels outlive the window */
  /* Narrower than the long step titles need: short ones, and Next as an arrow */
  gboolean              narrow;
  guint                 narrow_source;
};

void     tw_window_show_step             (TwWindow       *self,
                                          int             step);
/* Builds the wizard's steps the first time they are needed, not with the window */
void     tw_window_ensure_steps          (TwWindow       *self);
gboolean tw_window_page_is_complete      (GtkWidget      *page);
/* The steps of the tunnel's mode: 7 forward, 6 reverse */
guint    tw_window_get_n_steps           (TwWindow       *self);
void     tw_window_open_entry            (TwWindow       *self,
                                          const char     *id,
                                          int             step);
void     tw_window_class_install_actions (GtkWidgetClass *widget_class);
/* The "Check again" view of the tunnel being shown (tw_window_set_tunnel); its checks start
 * when the keyring lookup @serial answers, if it is still the latest and the view still shown. */
void     tw_window_show_recheck          (TwWindow       *self);
void     tw_window_start_recheck         (TwWindow       *self,
                                          guint           serial);
/* "win.set-up-server" ("Prepare the server") and "win.fix-on-server" (a failed check): tw-window-setup.c */
void     tw_window_class_install_setup_actions (GtkWidgetClass *widget_class);
void     tw_window_set_tunnel            (TwWindow       *self,
                                          TwTunnel       *tunnel,
                                          TwTunnelEntry  *entry);
void     tw_window_on_tunnel_changed     (TwWindow       *self);
void     tw_window_save_draft_now        (TwWindow       *self);
/* What saving writes: the tunnel with a name, its id and file, its last result. */
TwTunnelEntry *tw_window_entry_to_save  (TwWindow       *self);
/* The keyring side of saving and opening: the destination page's password. */
void     tw_window_remember_password     (TwWindow       *self,
                                          TwTunnelEntry  *entry);
void     tw_window_recall_password       (TwWindow       *self,
                                          TwTunnelEntry  *entry);
/* The last result of the tunnel being edited: its verdict, when, and which checks ran; the
 * report itself is kept for the summary's export. */
void     tw_window_record_result         (TwWindow       *self,
                                          TwReport       *report);
/* Deletions waiting on their Undo toast happen now rather than never (window closing). */
void     tw_window_flush_deletes         (TwWindow       *self);

G_END_DECLS
