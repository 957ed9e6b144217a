/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tw-dispatch-private.h"

void
tw_dispatch_to_context (GMainContext   *context,
                        const char     *name,
                        GSourceFunc     func,
                        gpointer        data,
                        GDestroyNotify  destroy)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, data, destroy);
  g_source_set_static_name (source, name);
  g_source_attach (source, context);
}
