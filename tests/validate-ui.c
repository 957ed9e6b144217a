/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Validates .ui files the way `gtk4-builder-tool validate` does, for a toolkit that
 * tool cannot serve here: GTK 4.8's tool knows neither libadwaita's types nor ours,
 * and resolves signal handlers only from exported symbols, while ours are bound
 * per class. So this program loads both (adw_init, the linked UI library), accepts
 * any handler name, and then does what the tool does: a plain file is parsed into
 * a builder; a template is applied to a fresh instance of its class (or, for a class
 * unknown here, of a stand-in subclass of its parent). Every class, property value,
 * child type, object reference and translatable attribute is checked by GtkBuilder
 * itself. Output is TAP, one test per file.
 */
#include "config.h"

#include <adwaita.h>

#include "tw-window.h"

#define TW_TYPE_VALIDATION_SCOPE (tw_validation_scope_get_type ())
G_DECLARE_FINAL_TYPE (TwValidationScope, tw_validation_scope, TW, VALIDATION_SCOPE,
                      GtkBuilderCScope)

struct _TwValidationScope
{
  GtkBuilderCScope parent_instance;
};

static void tw_validation_scope_iface_init (GtkBuilderScopeInterface *iface);

G_DEFINE_TYPE_WITH_CODE (TwValidationScope, tw_validation_scope, GTK_TYPE_BUILDER_CSCOPE,
                         G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDER_SCOPE,
                                                tw_validation_scope_iface_init))

static void
do_nothing (void)
{
}

/* Handlers live in each widget class's own scope; validating them here would need
 * that class's bindings, which is what instantiating the window in the window tests
 * does (a missing handler is a critical there, fatal under G_DEBUG=fatal-warnings). */
static GClosure *
tw_validation_scope_create_closure (GtkBuilderScope      *scope G_GNUC_UNUSED,
                                    GtkBuilder           *builder G_GNUC_UNUSED,
                                    const char           *function_name G_GNUC_UNUSED,
                                    GtkBuilderClosureFlags flags G_GNUC_UNUSED,
                                    GObject              *object G_GNUC_UNUSED,
                                    GError              **error G_GNUC_UNUSED)
{
  return g_cclosure_new (G_CALLBACK (do_nothing), NULL, NULL);
}

static void
tw_validation_scope_iface_init (GtkBuilderScopeInterface *iface)
{
  GtkBuilderScopeInterface *parent = g_type_interface_peek_parent (iface);

  iface->get_type_from_name = parent->get_type_from_name;
  iface->get_type_from_function = parent->get_type_from_function;
  iface->create_closure = tw_validation_scope_create_closure;
}

static void
tw_validation_scope_class_init (TwValidationScopeClass *klass G_GNUC_UNUSED)
{
}

static void
tw_validation_scope_init (TwValidationScope *self G_GNUC_UNUSED)
{
}

static GtkBuilder *
validation_builder_new (void)
{
  GtkBuilder *builder = gtk_builder_new ();
  g_autoptr (GtkBuilderScope) scope = g_object_new (TW_TYPE_VALIDATION_SCOPE, NULL);

  gtk_builder_set_scope (builder, scope);
  return builder;
}

/* GtkBuilder refuses a <template> outside gtk_builder_extend_with_template() and names
 * its class and parent in the error, as gtk4-builder-tool relies on too. */
static gboolean
template_names_from_error (const char *message, char **class_name, char **parent_name)
{
  g_autoptr (GRegex) regex = g_regex_new ("\\(class '([^']+)', parent '([^']+)'\\)", 0, 0, NULL);
  g_autoptr (GMatchInfo) match = NULL;

  if (!g_regex_match (regex, message, 0, &match))
    return FALSE;
  *class_name = g_match_info_fetch (match, 1);
  *parent_name = g_match_info_fetch (match, 2);
  return TRUE;
}

static GType
stand_in_type (const char *class_name, GType parent_type)
{
  GTypeQuery query;

  g_type_query (parent_type, &query);
  return g_type_register_static_simple (parent_type, class_name, query.class_size, NULL,
                                        query.instance_size, NULL, 0);
}

static gboolean
validate_template (const char *path, const char *class_name, const char *parent_name,
                   GError **error)
{
  g_autoptr (GtkBuilder) builder = validation_builder_new ();
  GType template_type = gtk_builder_get_type_from_name (builder, class_name);
  GType parent_type = gtk_builder_get_type_from_name (builder, parent_name);
  g_autoptr (GObject) object = NULL;

  if (parent_type == G_TYPE_INVALID)
    {
      g_set_error (error, GTK_BUILDER_ERROR, GTK_BUILDER_ERROR_INVALID_VALUE,
                   "unknown template parent type %s", parent_name);
      return FALSE;
    }
  if (template_type == G_TYPE_INVALID)
    template_type = stand_in_type (class_name, parent_type);
  else if (!g_type_is_a (template_type, parent_type))
    {
      g_set_error (error, GTK_BUILDER_ERROR, GTK_BUILDER_ERROR_INVALID_VALUE,
                   "%s is not a %s", class_name, parent_name);
      return FALSE;
    }

  object = g_object_ref_sink (g_object_new (template_type, NULL));
  return gtk_builder_extend_with_template (builder, object, template_type, " ", 1, error)
         && gtk_builder_add_from_file (builder, path, error);
}

static gboolean
validate_file (const char *path, GError **error)
{
  g_autoptr (GtkBuilder) builder = validation_builder_new ();
  g_autoptr (GError) local_error = NULL;
  g_autofree char *class_name = NULL;
  g_autofree char *parent_name = NULL;

  if (gtk_builder_add_from_file (builder, path, &local_error))
    return TRUE;
  if (g_error_matches (local_error, GTK_BUILDER_ERROR, GTK_BUILDER_ERROR_UNHANDLED_TAG)
      && template_names_from_error (local_error->message, &class_name, &parent_name))
    return validate_template (path, class_name, parent_name, error);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

int
main (int argc, char **argv)
{
  int failures = 0;

  adw_init ();
  /* Registers every widget type of ours that a template names (the window's class
   * init ensures its pages, theirs their parts). */
  g_type_class_unref (g_type_class_ref (TW_TYPE_WINDOW));

  g_print ("1..%d\n", argc - 1);
  for (int i = 1; i < argc; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *name = g_path_get_basename (argv[i]);

      if (validate_file (argv[i], &error))
        g_print ("ok %d - %s\n", i, name);
      else
        {
          g_print ("not ok %d - %s: %s\n", i, name, error->message);
          failures++;
        }
    }
  return failures == 0 ? 0 : 1;
}
