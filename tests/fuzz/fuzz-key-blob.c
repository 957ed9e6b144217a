/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The SSH wire-format blob inside a pasted key, fed to the key engine's
 * blob reader directly: through the text parser the fuzzer would spend
 * most of its time getting base64 right. The first byte picks the outer
 * type name the blob must match, as the text before the base64 would.
 */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "tw-key-blob.h"

static const char * const outer_types[] = {
  NULL, /* an RFC 4716 block: no outer name, the blob's own is used */
  "ssh-ed25519",
  "ssh-rsa",
  "ssh-dss",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com",
  "ssh-ed448",
};

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_make_warnings_fatal ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) blob = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *peeked = NULL;
  const char *outer;
  TwKeyBlobInfo info = { 0 };

  if (size < 1 || size > 16 * 1024)
    return -1;

  outer = outer_types[data[0] % G_N_ELEMENTS (outer_types)];
  blob = g_bytes_new (data + 1, size - 1);

  peeked = tw_key_blob_peek_type (blob);
  if (peeked != NULL)
    g_assert_true (g_utf8_validate (peeked, -1, NULL));
  if (outer == NULL)
    outer = peeked;

  /* As the text reader does: only a supported type is inspected. */
  if (outer == NULL ||
      tw_key_blob_classify_type (outer, strlen (outer)) != TW_KEY_TYPE_SUPPORTED)
    return 0;

  if (tw_key_blob_inspect (outer, blob, &info, &error))
    {
      g_assert_null (error);
      g_assert_nonnull (info.key_type);
      g_assert_nonnull (info.type_label);
      g_assert_cmpuint (info.bits, >, 0);
    }
  else
    g_assert_nonnull (error);

  return 0;
}
