/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What several tunnel-check commands parse the same way.
 */
#include "config.h"

#include <gio/gunixinputstream.h>
#include <glib-unix.h>
#include <signal.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "tw-cli.h"
#include "tw-cli-common.h"

gboolean
tw_cli_parse_dest (const char  *text,
                   char       **host,
                   guint       *port)
{
  const char *colon = strrchr (text, ':');
  guint64 value;

  if (colon == NULL || colon == text ||
      !g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &value, NULL))
    return FALSE;

  /* [::1]:5432 → ::1 */
  if (text[0] == '[' && colon[-1] == ']')
    *host = g_strndup (text + 1, colon - text - 2);
  else
    *host = g_strndup (text, colon - text);
  *port = (guint) value;
  if (**host == '\0')
    {
      g_clear_pointer (host, g_free);
      return FALSE;
    }
  return TRUE;
}

TwPublicKey *
tw_cli_read_public_key (const char  *option,
                        const char  *path,
                        GError     **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) local_error = NULL;
  TwPublicKey *key;

  if (g_str_equal (path, "-"))
    {
      g_autoptr(GInputStream) in = g_unix_input_stream_new (0, FALSE);
      g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

      if (g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, error) < 0)
        return NULL;
      g_output_stream_write (out, "", 1, NULL, NULL);
      text = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
    }
  else if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;

  key = tw_public_key_parse (text, &local_error);
  if (key == NULL)
    g_set_error (error, local_error->domain, local_error->code, "%s: %s", option, local_error->message);
  return key;
}

int
tw_cli_usage_error (const char *command,
                    const char *message)
{
  g_autofree char *help = g_strdup_printf (_("Try “tunnel-check %s --help”."), command);

  g_printerr ("tunnel-check %s: %s\n", command, message);
  g_printerr ("%s\n", help);
  return TW_CLI_EXIT_USAGE;
}

void
tw_cli_print_json (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
}

void
tw_cli_print_padded (const char *text,
                     guint       width)
{
  glong length = g_utf8_strlen (text, -1);

  printf ("%s%*s", text, (int) MAX ((glong) width - length, 0), "");
}

static gboolean
cancel (gpointer cancellable)
{
  g_cancellable_cancel (cancellable);
  return G_SOURCE_CONTINUE;
}

guint
tw_cli_cancel_on_interrupt (GCancellable *cancellable)
{
  return g_unix_signal_add (SIGINT, cancel, cancellable);
}

void
tw_cli_wait_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      wait)
{
  ((TwCliWait *) wait)->result = g_object_ref (result);
}

GAsyncResult *
tw_cli_wait_run (TwCliWait *wait)
{
  guint interrupt_id = 0;

  if (wait->cancellable != NULL)
    interrupt_id = tw_cli_cancel_on_interrupt (wait->cancellable);
  while (wait->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (interrupt_id != 0)
    g_source_remove (interrupt_id);
  return wait->result;
}

void
tw_cli_wait_clear (TwCliWait *wait)
{
  g_clear_object (&wait->result);
}
