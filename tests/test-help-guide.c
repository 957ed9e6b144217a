/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The user guide's content: every section the app links to exists in each
 * language, the German guide stays a translation of the English one (same
 * sections, same blocks, same code), and it names the app's controls as the
 * German app shows them (po/de.po). Where the app finds a guide is
 * test-help.c's part.
 */
#include "config.h"

#include <string.h>

#include "tw-core.h"

static const char *const sections[] = {
  "start", "key", "server", "prepare", "checks", "fingerprint", "tls", "summary",
  "reverse", "tunnel-check", "troubleshooting", "privacy",
};

static char *
source_guide (const char *language)
{
  return g_build_filename (SOURCE_ROOT, "help", language, "index.html", NULL);
}

/* The source tree's guide, without its comments (notes to translators are
 * no part of the page). */
static char *
read_guide (const char *language)
{
  g_autofree char *path = source_guide (language);
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) comment = g_regex_new ("<!--.*?-->", G_REGEX_DOTALL, 0, NULL);
  g_autofree char *html = NULL;

  g_file_get_contents (path, &html, NULL, &error);
  g_assert_no_error (error);
  return g_regex_replace_literal (comment, html, -1, 0, "", 0, NULL);
}

/* Every section the app may link to is in each guide, and so is every
 * target of the guide's own table of contents. */
static void
test_sections_exist (gconstpointer data)
{
  const char *language = data;
  g_autofree char *html = read_guide (language);
  g_autofree char *lang_attr = g_strdup_printf ("<html lang=\"%s\">",
                                                g_str_equal (language, "C") ? "en" : language);
  g_autofree char *uri = NULL;
  g_autoptr(GRegex) href = g_regex_new ("href=\"#([^\"]+)\"", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  guint links = 0;

  g_assert_nonnull (strstr (html, lang_attr));
  g_setenv ("LANGUAGE", language, TRUE);
  uri = tw_help_uri ();

  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      g_autofree char *id = g_strdup_printf ("id=\"%s\"", sections[i]);
      g_autofree char *section_uri = tw_help_uri_for_section (sections[i]);
      g_autofree char *suffix = g_strconcat ("#", sections[i], NULL);

      g_assert_nonnull (strstr (html, id));
      g_assert_true (g_str_has_prefix (section_uri, uri));
      g_assert_true (g_str_has_suffix (section_uri, suffix));
    }

  g_regex_match (href, html, 0, &match);
  for (; g_match_info_matches (match); g_match_info_next (match, NULL), links++)
    {
      g_autofree char *target = g_match_info_fetch (match, 1);
      g_autofree char *id = g_strdup_printf ("id=\"%s\"", target);

      g_assert_nonnull (strstr (html, id));
    }
  g_assert_cmpuint (links, >=, G_N_ELEMENTS (sections));
  g_setenv ("LANGUAGE", "C", TRUE);
}

/* Group 1 of every match of @pattern in @html, white space collapsed (a
 * translation may wrap lines elsewhere). */
static GPtrArray *
collect (const char *html,
         const char *pattern)
{
  g_autoptr(GRegex) regex = g_regex_new (pattern, G_REGEX_DOTALL, 0, NULL);
  g_autoptr(GRegex) space = g_regex_new ("\\s+", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);

  g_assert_nonnull (regex);
  g_regex_match (regex, html, 0, &match);
  for (; g_match_info_matches (match); g_match_info_next (match, NULL))
    {
      g_autofree char *text = g_match_info_fetch (match, 1);

      g_ptr_array_add (found, g_regex_replace_literal (space, text, -1, 0, " ", 0, NULL));
    }
  return found;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static void
assert_same (GPtrArray  *english,
             GPtrArray  *german,
             const char *what)
{
  for (guint i = 0; i < MIN (english->len, german->len); i++)
    {
      if (!g_str_equal (english->pdata[i], german->pdata[i]))
        g_test_message ("%s no. %u differs", what, i + 1);
      g_assert_cmpstr (german->pdata[i], ==, english->pdata[i]);
    }
  g_assert_cmpuint (german->len, ==, english->len);
}

/* The German guide is a translation of the English one and cannot drift
 * from it unnoticed: the same sections in the same order, the same blocks
 * (a paragraph, list item or table row added to one is missing from the
 * other), and code, commands and file names untouched. */
static void
test_german_matches_english (void)
{
  g_autofree char *c_html = read_guide ("C");
  g_autofree char *de_html = read_guide ("de");
  /* Block elements, each with its id when it has one. */
  const char *blocks = "<((?:h[1-6]|p|ul|ol|li|table|tr|th|td|pre|nav)(?=[\\s>])(?:[^>]*\\sid=\"[^\"]*\")?)";
  const char *patterns[][2] = {
    { "id=\"([^\"]+)\"", "section id" },
    { blocks, "block" },
    { "<pre>(.*?)</pre>", "<pre>" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (patterns); i++)
    {
      g_autoptr(GPtrArray) english = collect (c_html, patterns[i][0]);
      g_autoptr(GPtrArray) german = collect (de_html, patterns[i][0]);

      g_assert_cmpuint (english->len, >, 0);
      assert_same (english, german, patterns[i][1]);
    }

  /* Code may move within a sentence: the same code, in any order. */
  {
    g_autoptr(GPtrArray) english = collect (c_html, "<code>(.*?)</code>");
    g_autoptr(GPtrArray) german = collect (de_html, "<code>(.*?)</code>");

    g_ptr_array_sort (english, compare_strings);
    g_ptr_array_sort (german, compare_strings);
    assert_same (english, german, "<code> (sorted)");
  }
}

/* A label as GTK shows it: "_x" is a mnemonic, "__" an underscore. */
static char *
without_mnemonic (const char *label)
{
  GString *shown = g_string_new (NULL);

  for (const char *p = label; *p != '\0'; p++)
    {
      if (*p == '_' && p[1] != '\0')
        p++;
      g_string_append_c (shown, *p);
    }
  return g_string_free (shown, FALSE);
}

/* The strings of po/de.po as written and as shown: its msgids are the English
 * app's labels, its msgstrs (not fuzzy ones) the German app's. */
static GHashTable *
po_labels (const char *field)
{
  g_autofree char *path = g_build_filename (SOURCE_ROOT, "po", "de.po", NULL);
  g_autofree char *po = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  GHashTable *labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) value = NULL;
  gboolean fuzzy = FALSE;
  gboolean wants_translation = g_str_equal (field, "msgstr");

  g_file_get_contents (path, &po, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (po, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      const char *quote = strchr (line, '"');

      if (value != NULL && line[0] != '"')
        {
          /* The end of the field. */
          if (!(fuzzy && wants_translation) && value->len > 0)
            {
              g_hash_table_add (labels, without_mnemonic (value->str));
              g_hash_table_add (labels, g_strdup (value->str));
            }
          g_string_free (g_steal_pointer (&value), TRUE);
          if (wants_translation)
            fuzzy = FALSE;
        }
      if (g_str_has_prefix (line, "#,") && strstr (line, "fuzzy") != NULL)
        fuzzy = TRUE;
      else if (g_str_has_prefix (line, field) && line[strlen (field)] != '_' && quote != NULL)
        value = g_string_new (NULL);
      if (value != NULL && quote != NULL && g_str_has_suffix (line, "\""))
        {
          g_autofree char *inner = g_strndup (quote + 1, strlen (quote + 1) - 1);
          g_autofree char *text = g_strcompress (inner);

          g_string_append (value, text);
        }
    }
  g_assert_null (value);  /* the file ends with a newline */
  return labels;
}

/* Each guide names buttons, fields and checks (in <b>) exactly as the app in its
 * language shows them, so that a reader finds them on the screen. */
static void
test_labels_are_the_apps (gconstpointer data)
{
  const char *language = data;
  gboolean german = g_str_equal (language, "de");
  g_autofree char *html = read_guide (language);
  g_autoptr(GHashTable) labels = po_labels (german ? "msgstr" : "msgid");
  g_autoptr(GPtrArray) quoted = collect (html, "<b>(.*?)</b>");

  g_assert_true (g_hash_table_contains (labels, german ? "Weiter" : "Next"));
  g_assert_cmpuint (quoted->len, >=, 10);
  for (guint i = 0; i < quoted->len; i++)
    {
      if (!g_hash_table_contains (labels, quoted->pdata[i]))
        g_test_message ("not a label of the app (po/de.po): “%s”", (const char *) quoted->pdata[i]);
      g_assert_true (g_hash_table_contains (labels, quoted->pdata[i]));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/help/guide/sections/C", "C", test_sections_exist);
  g_test_add_data_func ("/help/guide/sections/de", "de", test_sections_exist);
  g_test_add_func ("/help/guide/de-matches-c", test_german_matches_english);
  g_test_add_data_func ("/help/guide/labels/C", "C", test_labels_are_the_apps);
  g_test_add_data_func ("/help/guide/labels/de", "de", test_labels_are_the_apps);

  return g_test_run ();
}
