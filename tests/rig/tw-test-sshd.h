/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real OpenSSH sshd on 127.0.0.1, a random port, its own host key and
 * config in a throwaway directory, for one test. Needs root (it logs in a
 * throwaway user, "twtest", created on first use).
 */
#pragma once

#include <glib.h>

#include "tw-test-net.h"

G_BEGIN_DECLS

#define TW_TEST_USER     "twtest"
#define TW_TEST_PASSWORD "twtest-Correct-Horse-7"

typedef struct _TwTestSshd TwTestSshd;

/* TRUE if this process can run the rig (root, sshd and ssh-keygen present);
 * otherwise marks the test skipped and returns FALSE. */
gboolean     tw_test_sshd_can_run            (void);

/* Starts sshd with @overrides (sshd_config lines, may be NULL) placed
 * first, so they win over the rig's defaults; an override that starts with
 * "Match " (a whole block, lines joined with "\n") goes at the end. Aborts
 * the test on failure. */
TwTestSshd  *tw_test_sshd_start              (const char * const *overrides);
/* The same with host keys of @extra_types ("ecdsa", "rsa") next to the
 * Ed25519 one, as a Debian sshd has them. */
TwTestSshd  *tw_test_sshd_start_with_host_keys (const char * const *overrides,
                                                const char * const *extra_types);
void         tw_test_sshd_stop               (TwTestSshd         *sshd);

guint        tw_test_sshd_get_port           (TwTestSshd         *sshd);
const char  *tw_test_sshd_get_dir            (TwTestSshd         *sshd);
/* "SHA256:…" of the ed25519 host key, from ssh-keygen -lf */
const char  *tw_test_sshd_get_fingerprint    (TwTestSshd         *sshd);
/* The picture ssh-keygen -lv draws for it */
const char  *tw_test_sshd_get_randomart      (TwTestSshd         *sshd);
/* The .pub file of the host key of @type ("ed25519", "ecdsa", "rsa"), or
 * NULL when the server has none: for ssh-keygen -lf. (transfer full) */
char        *tw_test_sshd_get_host_key_pub   (TwTestSshd         *sshd,
                                              const char         *type);
/* "ssh-ed25519 AAAA…" */
const char  *tw_test_sshd_get_host_key_line  (TwTestSshd         *sshd);
/* A known_hosts file with this server's key under its [127.0.0.1]:port name */
char        *tw_test_sshd_write_known_hosts  (TwTestSshd         *sshd,
                                              const char         *key_line);

/* The authorized_keys file sshd reads for TW_TEST_USER (AuthorizedKeysFile) */
const char  *tw_test_sshd_get_authorized_keys (TwTestSshd        *sshd);
/* Replaces its content (mode 0644) */
void         tw_test_sshd_set_authorized_keys (TwTestSshd        *sshd,
                                               const char        *content);

/* A fresh key pair in the server's directory: returns the private key's
 * path; "PATH.pub" holds the public key. @type: "ed25519", "rsa", "ecdsa". */
char        *tw_test_sshd_make_key           (TwTestSshd         *sshd,
                                              const char         *type,
                                              const char         *passphrase);
char        *tw_test_sshd_read_public_key    (const char         *private_path);

/* The OpenSSH client as the oracle: runs ssh -i @identity against the
 * server as TW_TEST_USER with @extra options (e.g. "-W", "127.0.0.1:5432")
 * and returns its exit status (0 = it worked). */
int          tw_test_sshd_run_ssh            (TwTestSshd         *sshd,
                                              const char         *identity,
                                              const char * const *extra);

char        *tw_test_sshd_get_log            (TwTestSshd         *sshd);

/* For tests of a bastion that goes away: kill kills sshd and every session
 * (the files stay), restart starts it again on the same port with the same
 * config; swap_host_key (while killed) gives it a new Ed25519 host key, so
 * the getters above describe the new one. */
void         tw_test_sshd_kill               (TwTestSshd         *sshd);
gboolean     tw_test_sshd_restart            (TwTestSshd         *sshd);
void         tw_test_sshd_swap_host_key      (TwTestSshd         *sshd);
/* Makes a CA of @ca_type, signs the Ed25519 host key with it (key ID
 * "tw-test-bastion", serial 7, and @keygen_args such as "-n", "127.0.0.1"
 * or "-V", "-2d:-1d") and restarts sshd serving that certificate
 * (HostCertificate). Returns the CA's private key. (transfer full) */
char        *tw_test_sshd_serve_host_certificate (TwTestSshd         *sshd,
                                                  const char         *ca_type,
                                                  const char * const *keygen_args);
/* Sends @signum to every session process (not the listener): SIGSTOP
 * freezes the bastion for the client, SIGKILL drops its connections. */
void         tw_test_sshd_signal_sessions    (TwTestSshd         *sshd,
                                              int                 signum);

/* "SHA256:…" of the public key in @pub_path, from ssh-keygen -lf */
char        *tw_test_fingerprint_of          (const char         *pub_path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TwTestSshd, tw_test_sshd_stop)

G_END_DECLS
