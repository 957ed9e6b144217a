/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Quoting for the structured exports (cloud-init and Ansible YAML, Terraform HCL). Values
 * reach here already validated (tw-setup-common.c), so only a key comment can carry quotes,
 * '$', backticks or non-ASCII text; these functions must still be right for any UTF-8 input.
 */
#include "config.h"

#include "tw-setup-common.h"
#include "tw-setup-private.h"

/* YAML 1.1 (what cloud-init's and Ansible's PyYAML read) treats U+0085, U+2028 and U+2029 as
 * line breaks and folds them inside a double-quoted scalar; C0, DEL, C1 controls and the
 * byte-order mark are not printable. All of these are written as escapes. */
static gboolean
yaml_needs_escape (gunichar c)
{
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 ||
         c == 0xfeff || c == 0xfffe || c == 0xffff;
}

/* HCL: C0 controls and DEL */
static gboolean
hcl_needs_escape (gunichar c)
{
  return c < 0x20 || c == 0x7f;
}

/* A double-quoted string both languages read alike: '"' and '\' escaped, \t and \n, what
 * @needs_escape says as \uNNNN. @templates: HCL, where "${" and "%{" start an interpolation
 * or a directive; doubling the sign ("$${", "%%{") writes them literally. */
static char *
double_quote (const char  *text,
              gboolean   (*needs_escape) (gunichar c),
              gboolean     templates)
{
  GString *quoted;

  g_return_val_if_fail (text == NULL || g_utf8_validate (text, -1, NULL), NULL);

  quoted = g_string_new ("\"");
  for (const char *p = text ? text : ""; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '"' || c == '\\')
        g_string_append_printf (quoted, "\\%c", (char) c);
      else if (c == '\t')
        g_string_append (quoted, "\\t");
      else if (c == '\n')
        g_string_append (quoted, "\\n");
      else if (needs_escape (c))
        g_string_append_printf (quoted, "\\u%04X", c);
      else if (templates && (c == '$' || c == '%') && p[1] == '{')
        g_string_append_printf (quoted, "%c%c", (char) c, (char) c);
      else
        g_string_append_len (quoted, p, g_utf8_next_char (p) - p);
    }
  g_string_append_c (quoted, '"');
  return g_string_free (quoted, FALSE);
}

char *
tw_setup_yaml_quote (const char *text)
{
  return double_quote (text, yaml_needs_escape, FALSE);
}

char *
tw_setup_hcl_quote (const char *text)
{
  return double_quote (text, hcl_needs_escape, TRUE);
}

void
tw_setup_append_indented (GString    *text,
                          const char *block,
                          const char *indent)
{
  g_auto(GStrv) lines = g_strsplit (block, "\n", -1);

  /* Empty lines stay empty: trailing spaces would be content in a YAML literal block. */
  for (guint i = 0; lines[i]; i++)
    if (*lines[i] != '\0' || lines[i + 1] != NULL)
      g_string_append_printf (text, "%s%s\n", *lines[i] ? indent : "", lines[i]);
}
