/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tw-public-key.h"

G_BEGIN_DECLS

/*
 * known_hosts as OpenSSH 9 reads it (sshd(8), "SSH_KNOWN_HOSTS FILE
 * FORMAT"): plain and hashed (|1|salt|hash) host names, patterns with * and
 * ?, negation with !, [host]:port for other ports than 22, comments, and
 * the @revoked and @cert-authority markers, which libssh skips. A line that
 * cannot be read is skipped, as ssh does.
 */

typedef enum {
  TW_KNOWN_HOSTS_LINE_KEY,             /* a key recorded for the hosts */
  TW_KNOWN_HOSTS_LINE_REVOKED,         /* @revoked: never accept this key */
  TW_KNOWN_HOSTS_LINE_CERT_AUTHORITY,  /* @cert-authority: host certificates it signed */
} TwKnownHostsLineKind;

typedef struct
{
  TwKnownHostsLineKind  kind;
  TwPublicKey          *key;
  char                 *file;
  guint                 line;
} TwKnownHostsEntry;

/* The files ssh reads for the host keys of others: ~/.ssh/known_hosts and
 * known_hosts2, /etc/ssh/ssh_known_hosts and ssh_known_hosts2. (transfer full) */
GStrv       tw_known_hosts_default_files (void);

/* "host" for port 22, "[host]:port" otherwise: the name ssh looks up */
char       *tw_known_hosts_name          (const char   *host,
                                          guint         port);

/* Whether the hosts field of a line (comma-separated patterns, or one
 * hashed name) matches @name, as ssh decides */
gboolean    tw_known_hosts_match         (const char   *hosts_field,
                                          const char   *name);

/* Every entry of @files (missing files are skipped) whose hosts match
 * @name, in file order. (transfer full) (element-type TwKnownHostsEntry) */
GPtrArray  *tw_known_hosts_lookup        (const char * const *files,
                                          const char         *name);

G_END_DECLS
