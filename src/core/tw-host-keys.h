/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tw-public-key.h"

G_BEGIN_DECLS

/*
 * A server's set of host keys (one per type, as ssh-keyscan collects them),
 * the order in which a default OpenSSH client prefers them, and the pins a
 * saved tunnel keeps for the whole set.
 */

/* Sorts @keys (element-type TwPublicKey) in a default OpenSSH client's
 * preference: the first is the key it would negotiate. */
void         tw_host_keys_sort            (GPtrArray   *keys);

/* Position of a key type in that order; G_MAXUINT for one it never uses */
guint        tw_host_keys_rank            (const char  *key_type);

/* "/etc/ssh/ssh_host_ecdsa_key.pub": where a Debian/Ubuntu/Fedora sshd keeps
 * the public part of a key of @key's type. (transfer full) */
char        *tw_host_keys_server_file     (TwPublicKey *key);

/* "ecdsa-sha2-nistp256 SHA256:…": one pin per key, type first so that a
 * key that changed can be told from one that is gone. (transfer full) */
char        *tw_host_keys_pin             (TwPublicKey *key);
GStrv        tw_host_keys_pins            (GPtrArray   *keys);

/**
 * TwPinVerdict:
 * @TW_PIN_VERDICT_MATCH: every pinned key is there, unchanged, and no other
 * @TW_PIN_VERDICT_SET_CHANGED: the pinned keys that are there are
 *   unchanged, but a pinned key is gone or a new one appeared
 * @TW_PIN_VERDICT_CHANGED: a pinned type shows another key, or no pinned
 *   key is left: a possible man in the middle
 */
typedef enum {
  TW_PIN_VERDICT_MATCH,
  TW_PIN_VERDICT_SET_CHANGED,
  TW_PIN_VERDICT_CHANGED,
} TwPinVerdict;

typedef struct
{
  TwPinVerdict  verdict;
  int           matched;   /* index in the keys of a pinned key seen, or -1 */
  GPtrArray    *changed;   /* TwPublicKey: server keys of a pinned type, not the pinned key */
  GPtrArray    *added;     /* TwPublicKey: server keys of a type nothing pinned */
  GPtrArray    *vanished;  /* char *: pins of a type the server no longer shows */
} TwPinCheck;

/*
 * tw_host_keys_check_pins:
 * @keys: (element-type TwPublicKey): the keys the server shows
 * @pins: pins from tw_host_keys_pins(), or one bare "SHA256:…" (a tunnel
 *   saved before whole sets were pinned: it must match one of the keys, and
 *   other keys are not news)
 */
void         tw_host_keys_check_pins      (GPtrArray          *keys,
                                           const char * const *pins,
                                           TwPinCheck         *check);
void         tw_pin_check_clear           (TwPinCheck         *check);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TwPinCheck, tw_pin_check_clear)

G_END_DECLS
