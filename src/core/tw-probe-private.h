/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The probe engine's inside, for the check files in src/core/checks/.
 *
 * Adding a check is adding a file: src/core/checks/tw-check-<id>.c defines
 *
 *   TwCheckStatus tw_check_<id>_run (TwProbeContext *ctx, TwCheckOutcome *out);
 *
 * declared below, plus one line in the table in tw-probe-checks.c (its place
 * in the table is its place in the report). The function runs in the
 * probe's worker thread, may block (within ctx->timeout_s per stage, and it
 * must return promptly once ctx->cancellable is cancelled — the engine
 * shuts the sockets down, so a blocked libssh call returns an error), and
 * fills @out with g_strdup'd, translated text: a one-line summary always,
 * a detail and a hint when useful (the hint: the likely cause and the fix).
 * It returns PASS, WARN, FAIL or SKIP; the engine times it and delivers the
 * result to the report on the caller's main context.
 *
 * "requires" in the table names the check whose failure or skip makes this
 * one meaningless: the engine then skips it with a reason and never calls
 * it. A required check outside the scope still runs, unseen.
 */
#pragma once

#include <gio/gio.h>
#include <libssh/libssh.h>

#include "tw-probe.h"
#include "tw-host-certificate.h"

G_BEGIN_DECLS

typedef struct
{
  char *summary;
  char *detail;
  char *hint;
  gboolean server_fix;  /* the setup scripts on the bastion are the remedy */
} TwCheckOutcome;

typedef struct _TwProbeContext TwProbeContext;
typedef struct _TwHostKeyScan TwHostKeyScan;
typedef struct _TwProbeJump TwProbeJump;

struct _TwProbeContext
{
  /* Inputs, copied from the tunnel and the probe when the run starts;
   * read-only in the worker. */
  char               *host;
  guint               port;
  char               *user;
  char               *dest_host;      /* sent as is: PermitOpen matches it literally */
  guint               dest_port;
  TwDestKind          dest_kind;
  gboolean            require_tls;
  gboolean            least_privilege; /* the tunnel user may forward to the destination only */
  TwPublicKey        *service_key;    /* NULL: none given or unparsable… */
  char               *service_key_problem; /* …and why, translated */
  TwCredentials      *credentials;    /* NULL: no login */
  char               *known_hosts_file; /* NULL: the user's and the system's */
  char               *expected_fingerprint; /* NULL: no comparison… */
  GStrv               pins;           /* …then the tunnel's pinned keys, NULL: none */
  char               *pinned_ca;      /* …and the CA pinned with them, NULL: none */
  guint               timeout_s;
  guint               n_channels;
  GCancellable       *cancellable;

  /* Worker state, shared by the checks in order. */
  GList              *addresses;      /* GInetAddress, from `resolve` */
  GInetSocketAddress *address;        /* the one `connect` reached */
  GSocketConnection  *connection;     /* its connection, until `kex` hands it to libssh */
  ssh_session         session;        /* the main session; after `login`
                                       * passes: authenticated as the login user */
  gboolean            logged_in;
  char               *login_user;     /* from `login`: who the checks through the tunnel run as */
  ssh_key             server_key;     /* from `host-key`; later sessions must match it */
  GPtrArray          *host_keys;      /* TwPublicKey: every key the server has, the
                                       * one a default OpenSSH client uses first */
  GPtrArray          *host_key_scans; /* TwHostKeyScan: under way, from `kex` to `host-key` */
  char               *auth_methods;   /* "publickey,password", from `auth-methods` */
  guint               pubkey_queries; /* refused queries on ctx->session (MaxAuthTries) */
  GPtrArray          *jumps;          /* TwProbeJump, first hop first: the jump hosts
                                       * ctx->session goes through (tw-probe-route.c) */

  /* Report data the engine copies to the TwReport after each check. */
  char               *banner;
  char               *software;
  char               *host_key_type;
  char               *fingerprint;
  char               *randomart;
  TwKnownHostsStatus  known_hosts;
  char               *known_hosts_note; /* which line revoked a key, or a trusted CA */
  TwHostCertificate  *host_certificate; /* the one the server shows, if any */
  gboolean            certificate_trusted; /* known_hosts trusts its CA, and ssh accepts it */
  char               *certificate_note; /* which CA vouched for it, or why it was not accepted */

  /* Private to tw-probe-context.c */
  GMutex              fd_lock;
  GArray             *watched_fds;
  GHashTable         *session_fds;    /* ssh_session → the fd it was given (fd_lock:
                                       * the host key scan opens sessions in threads) */
  gulong              cancel_id;
};

typedef TwCheckStatus (*TwCheckFunc) (TwProbeContext *ctx,
                                      TwCheckOutcome *out);

typedef struct
{
  const char  *id;
  const char  *title;     /* N_(): translated when shown */
  TwCheckFunc  run;
  const char  *requires;  /* id, or NULL */
  /* When it returns TRUE, the check runs without its requirement, and is
   * blocked only if that requirement ran and failed: the admin's login
   * along their own route (ssh_config) does not need the direct checks. */
  gboolean   (*stands_alone) (TwProbeContext *ctx);
} TwCheckInfo;

/* tw-probe-runner.c: the GTask worker and its data. It fills @report on the main context
 * that called tw_probe_runner_new() and, once the report is finished there, calls @done
 * (@done_data is freed with @done_data_free after that, or with the run if it never ends). */
typedef void (*TwProbeRunnerDone) (gpointer done_data);

gpointer           tw_probe_runner_new      (TwReport           *report,
                                             TwProbeContext     *ctx,
                                             const char * const *scope,
                                             TwProbeRunnerDone   done,
                                             gpointer            done_data,
                                             GDestroyNotify      done_data_free);
void               tw_probe_runner_free     (gpointer            data);
void               tw_probe_runner_thread   (GTask              *task,
                                             gpointer            source_object,
                                             gpointer            task_data,
                                             GCancellable       *cancellable);

/* tw-probe-checks.c: the table, in report order */
const TwCheckInfo *tw_probe_get_check_table (guint *n_checks);
const TwCheckInfo *tw_probe_find_check      (const char *id);

/* One per file in checks/ */
TwCheckStatus tw_check_resolve_run          (TwProbeContext *ctx, TwCheckOutcome *out);
TwCheckStatus tw_check_connect_run          (TwProbeContext *ctx, TwCheckOutcome *out);
TwCheckStatus tw_check_banner_run           (TwProbeContext *ctx, TwCheckOutcome *out);
TwCheckStatus tw_check_kex_run              (TwProbeContext *ctx, TwCheckOutcome *out);
TwCheckStatus tw_check_host_key_run         (TwProbeContext *ctx, TwCheckOutcome *out);
TwCheckStatus tw_check_auth_methods_run     (TwProbeContext *ctx, TwCheckOutcome *out);
TwCheckStatus tw_check_service_key_run      (TwProbeContext *ctx, TwCheckOutcome *out);
TwCheckStatus tw_check_service_key_sha1_run (TwProbeContext *ctx, TwCheckOutcome *out);
TwCheckStatus tw_check_login_run            (TwProbeContext *ctx, TwCheckOutcome *out);
TwCheckStatus tw_check_forward_run          (TwProbeContext *ctx, TwCheckOutcome *out);
TwCheckStatus tw_check_tls_run              (TwProbeContext *ctx, TwCheckOutcome *out);
TwCheckStatus tw_check_channels_run         (TwProbeContext *ctx, TwCheckOutcome *out);
TwCheckStatus tw_check_connections_run      (TwProbeContext *ctx, TwCheckOutcome *out);

/* tw-probe-context.c: what several checks need. */

TwProbeContext *tw_probe_context_new   (GCancellable   *cancellable);
void            tw_probe_context_free  (TwProbeContext *ctx);
void            tw_check_outcome_clear (TwCheckOutcome *out);

/* A session on a dup of @socket's fd with the probe's options
 * (no ~/.ssh/config, TCP_NODELAY, the timeout, known_hosts); the fd is
 * watched for cancellation. Not connected yet. */
ssh_session tw_probe_context_new_session (TwProbeContext *ctx,
                                          GSocket        *socket);
/* Plain words for the session's last libssh error (timeout, reset, closed…) */
char       *tw_probe_context_describe_ssh_error (TwProbeContext *ctx,
                                                 ssh_session     session);

/* Watch @fd: cancelling the run shuts it down (SHUT_RDWR), which makes any
 * libssh call blocked on it return at once. Shuts it down now if the run is
 * already cancelled. */
void        tw_probe_context_watch_fd   (TwProbeContext *ctx,
                                         int             fd);
void        tw_probe_context_unwatch_fd (TwProbeContext *ctx,
                                         int             fd);

/* A new libssh session on a fresh TCP connection to ctx->address, key
 * exchange done and the server's host key checked to be ctx->server_key
 * (nothing is sent to a server whose key changed). @accepted_types: for
 * SSH_OPTIONS_PUBLICKEY_ACCEPTED_TYPES, or NULL. On failure fills @out
 * (summary and hint) and returns NULL. Close with tw_probe_context_close_session(). */
ssh_session tw_probe_context_open_session  (TwProbeContext *ctx,
                                            const char     *accepted_types,
                                            TwCheckOutcome *out);
void        tw_probe_context_close_session (TwProbeContext *ctx,
                                            ssh_session     session);
/* The fd tw_probe_context_new_session() gave @session, or -1 */
int         tw_probe_context_get_session_fd (TwProbeContext *ctx,
                                             ssh_session     session);

/* A direct-tcpip channel on ctx->session (logged in) to exactly
 * ctx->dest_host:ctx->dest_port. On failure fills @out with the SSH reason
 * in plain language ("administratively prohibited" vs "connect failed") and
 * returns NULL. Free with ssh_channel_close() + ssh_channel_free(). */
/* Whether sshd lets this session forward to @host:@port: it opened the channel, or tried
 * and failed to connect; FALSE when it refused the forward itself (PermitOpen, permitopen=). */
gboolean    tw_probe_context_forwards_elsewhere (TwProbeContext *ctx,
                                                 const char     *host,
                                                 guint           port);
ssh_channel tw_probe_context_open_forward  (TwProbeContext *ctx,
                                            TwCheckOutcome *out);
/* The same on another logged-in @session */
ssh_channel tw_probe_context_open_forward_on (TwProbeContext *ctx,
                                              ssh_session     session,
                                              TwCheckOutcome *out);

/* "publickey, password" for a libssh SSH_AUTH_METHOD_* mask */
char       *tw_probe_describe_auth_methods (int methods);
/* The service key as libssh's key, or NULL if libssh cannot use that type */
ssh_key     tw_probe_import_service_key    (TwPublicKey *key);

/* tw-probe-host-keys.c */

/* The key as the key engine sees it (type, fingerprint, randomart), or NULL */
TwPublicKey *tw_probe_public_key_from_ssh      (ssh_key         key);
/* Starts one key exchange per key family but the first (the main session
 * most likely gets that one), each on a connection of its own, in threads,
 * cancellable with the run. */
void         tw_probe_context_start_host_key_scan (TwProbeContext *ctx);
/* Stops and waits for a scan under way (the run ended before `host-key`) */
void         tw_probe_context_stop_host_key_scan  (TwProbeContext *ctx);
/* Every host key the server has: @first (the main session's) and what the
 * scan found, plus any family neither covered, asked now.
 * Problems other than "no such key" go to @notes. Sorted for a default
 * OpenSSH client. (transfer full) (element-type TwPublicKey) */
GPtrArray   *tw_probe_context_collect_host_keys (TwProbeContext *ctx,
                                                 TwPublicKey    *first,
                                                 GString        *notes);
/* What known_hosts (ctx->known_hosts_file, or the user's and the system's)
 * says about @keys for this host and port: CHANGED when a recorded key of a
 * type the server shows differs, KNOWN when one of @keys is recorded
 * (@matched: its index), else UNKNOWN (@other_type: keys of other types are
 * recorded). The one place that reads known_hosts for the host-key check. */
TwKnownHostsStatus tw_probe_context_known_hosts_status (TwProbeContext *ctx,
                                                        GPtrArray      *keys,
                                                        int            *matched,
                                                        gboolean       *other_type);
/* tw-probe-login.c: the admin's login (ctx->credentials) */

/* Who the admin logs in as: the credentials' user, their ssh_config's User,
 * else the tunnel user */
const char *tw_probe_login_user            (TwProbeContext  *ctx);
/* Logs @session (key exchange done, its user set) in with ctx->credentials;
 * an SSH_AUTH_* code. @how: what was tried (translated; may point into
 * @how_owned); @methods: what the server offers. A problem on this side (no
 * agent, an unreadable key file, no password method) fills @out and gives
 * SSH_AUTH_ERROR. */
int         tw_probe_login_authenticate    (TwProbeContext  *ctx,
                                            ssh_session      session,
                                            const char     **how,
                                            char           **how_owned,
                                            GString         *notes,
                                            int             *methods,
                                            TwCheckOutcome  *out);

/* tw-probe-route.c: the admin's route from their ssh_config */
gboolean    tw_probe_route_differs     (TwProbeContext *ctx,
                                        TwSshConfig    *config);
gboolean    tw_check_login_stands_alone (TwProbeContext *ctx);
/* A session to the bastion the way @config leads (another HostName or
 * Port, or through ProxyJump hosts, each logged in with its own settings
 * and its host key checked against known_hosts), key exchange done and
 * the bastion's host key checked like the direct one's. @via: the jump
 * hosts ("jump1, jump2") or NULL. On failure fills @out, returns NULL. */
ssh_session tw_probe_route_open        (TwProbeContext *ctx,
                                        TwSshConfig    *config,
                                        char          **via,
                                        TwCheckOutcome *out);
/* Takes the jump hosts down, innermost first; after ctx->session is closed */
void        tw_probe_route_close       (TwProbeContext *ctx);

/* TRUE once the run is cancelled; a check then returns SKIP at once. */
gboolean    tw_probe_context_is_cancelled  (TwProbeContext *ctx);

G_END_DECLS
