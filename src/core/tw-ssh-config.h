/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TW_SSH_CONFIG_ERROR (tw_ssh_config_error_quark ())
GQuark tw_ssh_config_error_quark (void);

/**
 * TwSshConfigError:
 * @TW_SSH_CONFIG_ERROR_READ: a configuration file (or an included one) cannot be read
 * @TW_SSH_CONFIG_ERROR_SYNTAX: a line OpenSSH would refuse (bad port, bad jump host, unclosed quote)
 */
typedef enum {
  TW_SSH_CONFIG_ERROR_READ,
  TW_SSH_CONFIG_ERROR_SYNTAX,
} TwSshConfigError;

/**
 * TwSshJumpHop:
 * @user: (nullable): the user given in the ProxyJump entry, if any
 * @host: the host as written (an ssh_config alias is fine)
 * @port: the port given, or 0
 */
typedef struct
{
  char  *user;
  char  *host;
  guint  port;
} TwSshJumpHop;

#define TW_TYPE_SSH_CONFIG (tw_ssh_config_get_type ())
G_DECLARE_FINAL_TYPE (TwSshConfig, tw_ssh_config, TW, SSH_CONFIG, GObject)

/*
 * One host as the OpenSSH client sees it after reading ssh_config(5): the
 * values `ssh -G HOST` prints for the keys the admin's login uses. Host
 * blocks (patterns with *, ? and ! negation), Match (all, host,
 * originalhost, user, localuser), Include, first value wins, %-tokens and
 * ~ in the file names. Immutable, so a worker thread may read it.
 */

/* @config_file: like ssh -F FILE; NULL reads ~/.ssh/config and then
 * /etc/ssh/ssh_config, as ssh does (a file that is missing is fine). */
TwSshConfig        *tw_ssh_config_resolve                (const char   *config_file,
                                                          const char   *host,
                                                          GError      **error);

/* The same in a worker thread (the files are read from disk) */
void                tw_ssh_config_resolve_async          (const char          *config_file,
                                                          const char          *host,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
TwSshConfig        *tw_ssh_config_resolve_finish         (GAsyncResult        *result,
                                                          GError             **error);

/* The hosts the login goes through, first first, each as its own
 * TwSshConfig (the first hop's own ProxyJump included, as OpenSSH does). */
GPtrArray          *tw_ssh_config_resolve_route          (TwSshConfig  *self,
                                                          GError      **error);

const char         *tw_ssh_config_get_host               (TwSshConfig  *self);
/* HostName with %h expanded, or the host in lower case */
const char         *tw_ssh_config_get_hostname           (TwSshConfig  *self);
guint               tw_ssh_config_get_port               (TwSshConfig  *self);
/* User, or the local user when the files set none */
const char         *tw_ssh_config_get_user               (TwSshConfig  *self);
gboolean            tw_ssh_config_has_user               (TwSshConfig  *self);
/* As written (what ssh -G prints), and expanded (~, %d %u %l %h %r %p %n %%) */
const char * const *tw_ssh_config_get_identity_files_raw (TwSshConfig  *self);
const char * const *tw_ssh_config_get_identity_files     (TwSshConfig  *self);
/* TRUE when the files named any: otherwise the list is OpenSSH's defaults */
gboolean            tw_ssh_config_has_identity_files     (TwSshConfig  *self);
const char * const *tw_ssh_config_get_certificate_files_raw (TwSshConfig *self);
const char * const *tw_ssh_config_get_certificate_files  (TwSshConfig  *self);
/* NULL: $SSH_AUTH_SOCK; "none": no agent; otherwise a socket path */
const char         *tw_ssh_config_get_identity_agent     (TwSshConfig  *self);
/* The ProxyJump value as written; NULL when none */
const char         *tw_ssh_config_get_proxy_jump         (TwSshConfig  *self);
guint               tw_ssh_config_get_n_jump_hops        (TwSshConfig  *self);
const TwSshJumpHop *tw_ssh_config_get_jump_hop           (TwSshConfig  *self,
                                                          guint         index);
/* Set when the files use ProxyCommand, which this app does not run */
const char         *tw_ssh_config_get_proxy_command      (TwSshConfig  *self);
/* The config file it was read from (NULL: the user's and the system's) */
const char         *tw_ssh_config_get_config_file        (TwSshConfig  *self);
/* Lines OpenSSH would act on but this resolver cannot (Match exec…), translated */
const char * const *tw_ssh_config_get_warnings           (TwSshConfig  *self);

/* "HostName 10.0.0.5\nUser alice\n…": what will be used, for the admin to see first */
char               *tw_ssh_config_describe               (TwSshConfig  *self);

G_END_DECLS
