/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tunnel-check key [FILE|-]: the key engine for scripts. Prints the parsed
 * key as JSON; exit 0 for a valid key, 2 with the reason on stderr.
 */
#include "config.h"

#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tw-cli.h"
#include "tw-cli-common.h"
#include "tw-core.h"

/* Far beyond any public key; a bigger input is refused unread. */
#define MAX_INPUT_LEN (1024 * 1024)

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s",
           _("Usage: tunnel-check key [FILE|-]\n"
             "\n"
             "Reads one public key from FILE, or from standard input when FILE is “-”\n"
             "or missing, and prints its type, size, comment, SHA256 fingerprint,\n"
             "randomart, authorized_keys line and warnings as JSON.\n"
             "Exit status: 0 for a valid key, 2 otherwise.\n"));
}

/* The input may turn out to be a private key pasted into a file by
 * mistake: the buffer is wiped before it is freed. */
static char *
read_input (const char  *path,
            gsize       *out_len,
            GError     **error)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autofree char *buffer = NULL;
  gsize len = 0;

  if (path == NULL || g_str_equal (path, "-"))
    stream = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  else
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);

      stream = G_INPUT_STREAM (g_file_read (file, NULL, error));
      if (stream == NULL)
        return NULL;
    }

  buffer = g_malloc (MAX_INPUT_LEN + 1);
  if (!g_input_stream_read_all (stream, buffer, MAX_INPUT_LEN + 1, &len, NULL, error))
    {
      explicit_bzero (buffer, MAX_INPUT_LEN + 1);
      return NULL;
    }
  if (len > MAX_INPUT_LEN)
    {
      explicit_bzero (buffer, MAX_INPUT_LEN + 1);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                           _("The input is far too large to be a public key."));
      return NULL;
    }

  buffer[len] = '\0';
  *out_len = len + 1;
  return g_steal_pointer (&buffer);
}

int
tw_cli_key (int    argc,
            char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TwPublicKey) key = NULL;
  g_autoptr(JsonNode) node = NULL;
  const char *path = NULL;
  char *input;
  gsize input_len = 0;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--help") || g_str_equal (argv[i], "-h"))
        {
          print_usage (stdout);
          return TW_CLI_EXIT_OK;
        }
      if ((argv[i][0] == '-' && argv[i][1] != '\0') || path != NULL)
        {
          print_usage (stderr);
          return TW_CLI_EXIT_USAGE;
        }
      path = argv[i];
    }

  input = read_input (path, &input_len, &error);
  if (input == NULL)
    {
      fprintf (stderr, _("tunnel-check key: cannot read “%s”: %s\n"),
               path != NULL ? path : "-", error->message);
      return TW_CLI_EXIT_USAGE;
    }

  key = tw_public_key_parse (input, &error);
  explicit_bzero (input, input_len);
  g_free (input);

  if (key == NULL)
    {
      fprintf (stderr, "tunnel-check key: %s\n", error->message);
      return TW_CLI_EXIT_USAGE;
    }

  node = tw_public_key_to_json (key);
  tw_cli_print_json (node);

  return TW_CLI_EXIT_OK;
}
