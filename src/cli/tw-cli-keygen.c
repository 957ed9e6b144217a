/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tunnel-check keygen: a key pair for a service that wants the private key, written in the
 * format it reads (OpenSSH, PKCS#1, PKCS#8; --service takes it from the preset). The private
 * key goes to --output only (mode 0600, written atomically, never to a terminal); the public
 * key line, for authorized_keys, to standard output. Exit 0: written; 1: could not write;
 * 2: usage, or a format that cannot hold the key type.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>

#include "tw-cli.h"
#include "tw-cli-common.h"
#include "tw-keypair.h"
#include "tw-private-key-format.h"
#include "tw-service-preset.h"

/* The preset's format when the service reads the private key, otherwise the one ssh-keygen
 * would write for that key type. */
static TwPrivateKeyFormat
default_format (TwServicePreset *preset,
                gboolean         rsa)
{
  TwPrivateKeyFormat format;

  if (preset != NULL && tw_service_preset_get_key_maker (preset) == TW_SERVICE_PRESET_KEY_MAKER_YOU
      && tw_private_key_format_from_string (tw_service_preset_get_private_key_format (preset), &format))
    return format;
  return rsa ? TW_PRIVATE_KEY_FORMAT_PKCS8 : TW_PRIVATE_KEY_FORMAT_OPENSSH;
}

int
tw_cli_keygen (int    argc,
               char **argv)
{
  g_autofree char *type = NULL, *format_name = NULL, *output = NULL, *comment = NULL, *service = NULL;
  const GOptionEntry entries[] = {
    { "type", 0, 0, G_OPTION_ARG_STRING, &type, N_("Key type: ed25519 or rsa (default: ed25519, or rsa when the format is pkcs1)"), "TYPE" },
    { "private-format", 0, 0, G_OPTION_ARG_STRING, &format_name, N_("Format of the private key: openssh, pkcs1 or pkcs8"), "FORMAT" },
    { "service", 0, 0, G_OPTION_ARG_STRING, &service, N_("The data service's preset: its private key format"), "NAME" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("File for the private key (created with mode 0600)"), "FILE" },
    { "comment", 'C', 0, G_OPTION_ARG_STRING, &comment, N_("Comment of the public key"), "TEXT" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TwServicePreset) preset = NULL;
  g_autoptr(TwKeypair) keypair = NULL;
  TwPrivateKeyFormat format;
  gboolean rsa;
  char *exported, *converted;

  g_option_context_set_summary (context, _("Make a key pair for a service that asks for the private key."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return tw_cli_usage_error ("keygen", error->message);
  if (argc > 1)
    return tw_cli_usage_error ("keygen", _("unexpected argument"));
  if (output == NULL)
    return tw_cli_usage_error ("keygen", _("--output is required: the private key is never printed"));
  if (service != NULL && (preset = tw_service_preset_find (service, &error)) == NULL)
    return tw_cli_usage_error ("keygen", error->message);
  if (format_name != NULL && !tw_private_key_format_from_string (format_name, &format))
    return tw_cli_usage_error ("keygen", _("--private-format must be openssh, pkcs1 or pkcs8"));
  if (type != NULL && !g_str_equal (type, "ed25519") && !g_str_equal (type, "rsa"))
    return tw_cli_usage_error ("keygen", _("--type must be ed25519 or rsa"));

  rsa = type != NULL ? g_str_equal (type, "rsa")
                     : (format_name != NULL ? format == TW_PRIVATE_KEY_FORMAT_PKCS1
                                            : default_format (preset, FALSE) == TW_PRIVATE_KEY_FORMAT_PKCS1);
  if (format_name == NULL)
    format = default_format (preset, rsa);

  keypair = rsa ? tw_keypair_generate_rsa (3072, comment, &error) : tw_keypair_generate (comment, &error);
  if (keypair == NULL)
    {
      fprintf (stderr, "tunnel-check keygen: %s\n", error->message);
      return TW_CLI_EXIT_FAILED;
    }
  exported = tw_keypair_export_private (keypair);
  converted = exported != NULL ? tw_private_key_convert (exported, format, &error) : NULL;
  tw_keypair_free_secret (exported);
  if (converted == NULL)
    return tw_cli_usage_error ("keygen", error != NULL ? error->message : _("The private key could not be exported"));

  /* 0600 from the start: the key never exists with wider permissions, not even briefly. */
  if (!g_file_set_contents_full (output, converted, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_ONLY_EXISTING, 0600, &error))
    {
      tw_keypair_free_secret (converted);
      fprintf (stderr, "tunnel-check keygen: %s\n", error->message);
      return TW_CLI_EXIT_FAILED;
    }
  tw_keypair_free_secret (converted);
  printf ("%s\n", tw_keypair_get_public_key (keypair));
  fprintf (stderr, _("Private key (%s) written to %s; fingerprint %s\n"),
           tw_private_key_format_to_string (format), output, tw_keypair_get_fingerprint (keypair));
  return TW_CLI_EXIT_OK;
}
