/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A host certificate as a server sends it in its key exchange reply:
 * parsed, then checked as the host-key check does (which verifies the CA's
 * signature over whatever the fuzzer made).
 */
#include "config.h"

#include "fuzz-common.h"
#include "tw-host-certificate.h"

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
  g_autoptr(TwHostCertificate) certificate = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *validity = NULL;

  if (size > 16 * 1024)
    return -1;

  blob = g_bytes_new (data, size);
  certificate = tw_host_certificate_new_from_blob (blob, &error);
  if (certificate == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }
  g_assert_null (error);
  g_assert_true (g_utf8_validate (tw_host_certificate_get_key_id (certificate), -1, NULL));
  for (const char * const *p = tw_host_certificate_get_principals (certificate); *p != NULL; p++)
    g_assert_true (g_utf8_validate (*p, -1, NULL));
  validity = tw_host_certificate_describe_validity (certificate);
  g_assert_nonnull (validity);
  if (!tw_host_certificate_check (certificate, "127.0.0.1", 1800000000, &reason))
    g_assert_nonnull (reason);
  return 0;
}
