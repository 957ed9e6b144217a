/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A server's host keys as a set: which one a client negotiates, and how a
 * pinned set compares with what the server shows now.
 */
#include "config.h"

#include <string.h>

#include "tw-host-keys.h"

/* A default OpenSSH 9.x client's HostKeyAlgorithms without the certificate
 * types: KEX_DEFAULT_PK_ALG in OpenSSH's myproposal.h, the list
 * `ssh -G host | grep hostkeyalgorithms` prints (9.2p1 to 9.9p1 agree).
 * The server's order does not matter: SSH takes the client's first
 * algorithm the server also has. (A client that already knows some keys of
 * the host moves their types first; a service's client knows none.) RSA
 * keys stand for rsa-sha2-512/256: one key, whatever the signature. */
static const char * const openssh_order[] = {
  "ssh-ed25519",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com",
  "ssh-rsa",
};

guint
tw_host_keys_rank (const char *key_type)
{
  for (guint i = 0; key_type != NULL && i < G_N_ELEMENTS (openssh_order); i++)
    if (g_str_equal (key_type, openssh_order[i]))
      return i;
  return G_MAXUINT;
}

static int
compare_rank (gconstpointer a,
              gconstpointer b)
{
  guint ra = tw_host_keys_rank (tw_public_key_get_key_type (*(TwPublicKey **) a));
  guint rb = tw_host_keys_rank (tw_public_key_get_key_type (*(TwPublicKey **) b));

  return ra < rb ? -1 : ra > rb;
}

void
tw_host_keys_sort (GPtrArray *keys)
{
  g_return_if_fail (keys != NULL);

  /* g_ptr_array_sort is not stable; keys of one rank keep their order */
  for (guint i = 1; i < keys->len; i++)
    for (guint j = i; j > 0 && compare_rank (&keys->pdata[j - 1], &keys->pdata[j]) > 0; j--)
      {
        gpointer tmp = keys->pdata[j];

        keys->pdata[j] = keys->pdata[j - 1];
        keys->pdata[j - 1] = tmp;
      }
}

char *
tw_host_keys_server_file (TwPublicKey *key)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (TW_IS_PUBLIC_KEY (key), NULL);

  /* ssh-keygen -A names them after the label: ed25519, ecdsa, rsa, dsa */
  name = g_ascii_strdown (tw_public_key_get_type_label (key), -1);
  return g_strdup_printf ("/etc/ssh/ssh_host_%s_key.pub", name);
}

char *
tw_host_keys_pin (TwPublicKey *key)
{
  g_return_val_if_fail (TW_IS_PUBLIC_KEY (key), NULL);

  return g_strdup_printf ("%s %s", tw_public_key_get_key_type (key),
                          tw_public_key_get_fingerprint (key));
}

GStrv
tw_host_keys_pins (GPtrArray *keys)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; keys != NULL && i < keys->len; i++)
    {
      g_autofree char *pin = tw_host_keys_pin (g_ptr_array_index (keys, i));

      g_strv_builder_add (builder, pin);
    }
  return g_strv_builder_end (builder);
}

static TwPublicKey *
find_type (GPtrArray  *keys,
           const char *type,
           int        *index)
{
  for (guint i = 0; i < keys->len; i++)
    if (g_str_equal (tw_public_key_get_key_type (g_ptr_array_index (keys, i)), type))
      {
        *index = (int) i;
        return g_ptr_array_index (keys, i);
      }
  return NULL;
}

static int
find_fingerprint (GPtrArray  *keys,
                  const char *fingerprint)
{
  for (guint i = 0; i < keys->len; i++)
    if (g_str_equal (tw_public_key_get_fingerprint (g_ptr_array_index (keys, i)), fingerprint))
      return (int) i;
  return -1;
}

static gboolean
type_pinned (const char * const *pins,
             const char         *type)
{
  gsize len = strlen (type);

  for (guint i = 0; pins[i] != NULL; i++)
    if (strncmp (pins[i], type, len) == 0 && pins[i][len] == ' ')
      return TRUE;
  return FALSE;
}

void
tw_host_keys_check_pins (GPtrArray          *keys,
                         const char * const *pins,
                         TwPinCheck         *check)
{
  gboolean typed = FALSE, untyped_missing = FALSE;

  g_return_if_fail (keys != NULL && pins != NULL && check != NULL);

  memset (check, 0, sizeof *check);
  check->matched = -1;
  check->changed = g_ptr_array_new_with_free_func (g_object_unref);
  check->added = g_ptr_array_new_with_free_func (g_object_unref);
  check->vanished = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; pins[i] != NULL; i++)
    {
      const char *space = strchr (pins[i], ' ');
      g_autofree char *type = space ? g_strndup (pins[i], space - pins[i]) : NULL;
      const char *fingerprint = space ? space + 1 : pins[i];
      TwPublicKey *key;
      int index = -1;

      if (type == NULL)
        {
          index = find_fingerprint (keys, fingerprint);
          if (index < 0)
            untyped_missing = TRUE;
          else if (check->matched < 0)
            check->matched = index;
          continue;
        }

      typed = TRUE;
      key = find_type (keys, type, &index);
      if (key == NULL)
        g_ptr_array_add (check->vanished, g_strdup (pins[i]));
      else if (!g_str_equal (tw_public_key_get_fingerprint (key), fingerprint))
        g_ptr_array_add (check->changed, g_object_ref (key));
      else if (check->matched < 0)
        check->matched = index;
    }

  /* A bare pin came from a tunnel that pinned one key: the others were
   * never part of the pin, so they are not news. */
  for (guint i = 0; typed && i < keys->len; i++)
    {
      TwPublicKey *key = g_ptr_array_index (keys, i);

      if (!type_pinned (pins, tw_public_key_get_key_type (key)))
        g_ptr_array_add (check->added, g_object_ref (key));
    }

  if (check->changed->len > 0 || untyped_missing || check->matched < 0)
    check->verdict = TW_PIN_VERDICT_CHANGED;
  else if (check->added->len > 0 || check->vanished->len > 0)
    check->verdict = TW_PIN_VERDICT_SET_CHANGED;
  else
    check->verdict = TW_PIN_VERDICT_MATCH;
}

void
tw_pin_check_clear (TwPinCheck *check)
{
  g_clear_pointer (&check->changed, g_ptr_array_unref);
  g_clear_pointer (&check->added, g_ptr_array_unref);
  g_clear_pointer (&check->vanished, g_ptr_array_unref);
}
