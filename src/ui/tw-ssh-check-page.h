/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tw-probe.h"
#include "tw-tunnel.h"
#include "tw-check-page.h"

G_BEGIN_DECLS

#define TW_TYPE_SSH_CHECK_PAGE (tw_ssh_check_page_get_type ())
G_DECLARE_FINAL_TYPE (TwSshCheckPage, tw_ssh_check_page, TW, SSH_CHECK_PAGE, TwCheckPage)

/*
 * "Test the SSH port", a TwCheckPage: complete when a run finished and no check failed (or
 * the only failure is a host key that differs from the pinned or known one, which "Confirm
 * the fingerprint" decides), or when the admin continues without the failed checks. Its
 * "report" feeds the fingerprint page. Property: "host-key-changed" (read-only).
 */
GtkWidget *tw_ssh_check_page_new                  (void);
gboolean   tw_ssh_check_page_get_complete         (TwSshCheckPage *self);
gboolean   tw_ssh_check_page_get_host_key_changed (TwSshCheckPage *self);

G_END_DECLS
