/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-ssh-config.h"

G_BEGIN_DECLS

/* Shared by tw-ssh-config.c (the object, tokens, routes) and
 * tw-ssh-config-reader.c (the files, line by line). */
struct _TwSshConfig
{
  GObject    parent_instance;

  char      *config_file;
  char      *host;            /* as typed */
  char      *hostname;
  guint      port;
  char      *user;
  gboolean   has_user;
  GPtrArray *identity_files_raw;
  GPtrArray *identity_files;
  gboolean   has_identity_files;
  GPtrArray *certificate_files_raw;
  GPtrArray *certificate_files;
  char      *identity_agent;
  char      *proxy_jump;
  char      *proxy_command;
  GArray    *jump_hops;       /* TwSshJumpHop */
  GPtrArray *warnings;
};

/* tw-ssh-config-reader.c: applies every line of the files to @self */
gboolean  tw_ssh_config_read_files      (TwSshConfig  *self,
                                         const char   *config_file,
                                         GError      **error);
char     *tw_ssh_config_tilde_expand    (const char   *path);

/* tw-ssh-config.c */
/* Adds @value unless present, keeping @array NULL-terminated (a strv) */
void      tw_ssh_config_strv_add_unique (GPtrArray    *array,
                                         const char   *value);
/* %-tokens as ssh expands them; @hostname_only: only %h and %% (HostName) */
char     *tw_ssh_config_expand_tokens   (TwSshConfig  *self,
                                         const char   *text,
                                         gboolean      hostname_only,
                                         GError      **error);

G_END_DECLS
