/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The public key an admin pasted from a service's setup form, once read
 * (tw-key-text.c) and validated (tw-key-blob.c): what ssh-keygen -lv would
 * say about it, the one line for authorized_keys, and plain-language
 * warnings. Immutable; the window builds one on every keystroke.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "tw-key-text.h"
#include "tw-public-key.h"
#include "tw-randomart.h"

struct _TwPublicKey
{
  GObject parent_instance;

  char    *key_type;
  char    *type_label;
  guint    bits;
  char    *comment;
  char    *options;
  char    *base64;
  GBytes  *blob;
  char    *fingerprint;
  char    *randomart;
  char    *line;
  char   **warnings;
};

G_DEFINE_FINAL_TYPE (TwPublicKey, tw_public_key, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KEY_TYPE,
  PROP_TYPE_LABEL,
  PROP_BITS,
  PROP_COMMENT,
  PROP_OPTIONS,
  PROP_FINGERPRINT,
  PROP_RANDOMART,
  PROP_LINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tw_public_key_finalize (GObject *object)
{
  TwPublicKey *self = (TwPublicKey *) object;

  g_free (self->key_type);
  g_free (self->type_label);
  g_free (self->comment);
  g_free (self->options);
  g_free (self->base64);
  g_clear_pointer (&self->blob, g_bytes_unref);
  g_free (self->fingerprint);
  g_free (self->randomart);
  g_free (self->line);
  g_strfreev (self->warnings);

  G_OBJECT_CLASS (tw_public_key_parent_class)->finalize (object);
}

static void
tw_public_key_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TwPublicKey *self = TW_PUBLIC_KEY (object);

  switch (prop_id)
    {
    case PROP_KEY_TYPE:
      g_value_set_string (value, self->key_type);
      break;
    case PROP_TYPE_LABEL:
      g_value_set_string (value, self->type_label);
      break;
    case PROP_BITS:
      g_value_set_uint (value, self->bits);
      break;
    case PROP_COMMENT:
      g_value_set_string (value, self->comment);
      break;
    case PROP_OPTIONS:
      g_value_set_string (value, self->options);
      break;
    case PROP_FINGERPRINT:
      g_value_set_string (value, self->fingerprint);
      break;
    case PROP_RANDOMART:
      g_value_set_string (value, self->randomart);
      break;
    case PROP_LINE:
      g_value_set_string (value, self->line);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* A parsed key never changes, so every property is read-only and none is
 * ever notified. */
static void
tw_public_key_class_init (TwPublicKeyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = tw_public_key_finalize;
  object_class->get_property = tw_public_key_get_property;

  properties[PROP_KEY_TYPE] = g_param_spec_string ("key-type", NULL, NULL, NULL, flags);
  properties[PROP_TYPE_LABEL] = g_param_spec_string ("type-label", NULL, NULL, NULL, flags);
  properties[PROP_BITS] = g_param_spec_uint ("bits", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_COMMENT] = g_param_spec_string ("comment", NULL, NULL, NULL, flags);
  properties[PROP_OPTIONS] = g_param_spec_string ("options", NULL, NULL, NULL, flags);
  properties[PROP_FINGERPRINT] = g_param_spec_string ("fingerprint", NULL, NULL, NULL, flags);
  properties[PROP_RANDOMART] = g_param_spec_string ("randomart", NULL, NULL, NULL, flags);
  properties[PROP_LINE] = g_param_spec_string ("line", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tw_public_key_init (TwPublicKey *self)
{
}

static void
append_warning (GPtrArray  *warnings,
                const char *warning)
{
  g_ptr_array_add (warnings, g_strdup (warning));
}

static TwPublicKey *
public_key_new (const TwKeyText *text)
{
  const TwKeyBlobInfo *info = &text->info;
  GBytes *blob = text->blob;
  const char *comment = text->comment;
  const char *options = text->options;
  gboolean joined = text->joined;
  g_autoptr(TwPublicKey) self = g_object_new (TW_TYPE_PUBLIC_KEY, NULL);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *digest_base64 = NULL;
  g_autofree char *title = NULL;
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  gsize blob_len;
  const guint8 *blob_data = g_bytes_get_data (blob, &blob_len);

  self->key_type = g_strdup (info->key_type);
  self->type_label = g_strdup (info->type_label);
  self->bits = info->bits;
  self->blob = g_bytes_ref (blob);
  self->base64 = g_base64_encode (blob_data, blob_len);
  if (comment != NULL && comment[0] != '\0')
    self->comment = g_utf8_make_valid (comment, -1);
  if (options != NULL && options[0] != '\0')
    self->options = g_utf8_make_valid (options, -1);

  /* ssh-keygen prints the SHA-256 of the blob in base64 without padding. */
  g_checksum_update (checksum, blob_data, blob_len);
  g_checksum_get_digest (checksum, digest, &digest_len);
  digest_base64 = g_base64_encode (digest, digest_len);
  g_strdelimit (digest_base64, "=", '\0');
  self->fingerprint = g_strconcat ("SHA256:", digest_base64, NULL);

  title = g_strdup_printf ("%s %u", self->type_label, self->bits);
  self->randomart = tw_randomart_draw (digest, digest_len, title, "SHA256");

  if (self->comment != NULL)
    self->line = g_strdup_printf ("%s %s %s", self->key_type, self->base64, self->comment);
  else
    self->line = g_strdup_printf ("%s %s", self->key_type, self->base64);

  if (joined)
    append_warning (warnings,
                    _("The key was broken over several lines or had spaces inside it. "
                      "It has been joined back together: in authorized_keys a key must "
                      "be all on one line."));

  if (tw_public_key_is_rsa (self))
    {
      if (self->bits < 2048)
        g_ptr_array_add (warnings,
                         g_strdup_printf (_("This RSA key has only %u bits. Keys shorter than "
                                            "2048 bits are weak: ask the service for a stronger "
                                            "key (Ed25519, or RSA with 3072 bits or more)."),
                                          self->bits));
      append_warning (warnings,
                      _("This is an RSA key. OpenSSH 8.8 and newer refuse RSA signatures made "
                        "with SHA-1 (“ssh-rsa”): the service must sign with rsa-sha2-256 or "
                        "rsa-sha2-512. Only if it cannot, allow SHA-1 for the tunnel user in "
                        "sshd_config with “PubkeyAcceptedAlgorithms +ssh-rsa” (and "
                        "“HostKeyAlgorithms +ssh-rsa” if its client needs that too)."));
    }

  if (g_str_has_prefix (self->key_type, "sk-"))
    append_warning (warnings,
                    _("This key lives on a hardware security key (FIDO). The bastion needs "
                      "OpenSSH 8.2 or newer to accept it."));

  g_ptr_array_add (warnings, NULL);
  self->warnings = (char **) g_ptr_array_steal (warnings, NULL);

  return g_steal_pointer (&self);
}


/**
 * tw_public_key_parse:
 * @text: what the admin pasted, or a .pub file's contents
 * @error: a #TW_KEY_ERROR on failure
 *
 * Reads one public key. Pure and quick enough to run on every keystroke.
 * If @text is a private key, the error says so and neither the error nor
 * anything else keeps a copy of it.
 *
 * Returns: (transfer full) (nullable): the key
 */
TwPublicKey *
tw_public_key_parse (const char  *text,
                     GError     **error)
{
  g_auto(TwKeyText) result = { 0 };

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!tw_key_text_read (text, &result, error))
    return NULL;
  return public_key_new (&result);
}

const char *
tw_public_key_get_key_type (TwPublicKey *self)
{
  g_return_val_if_fail (TW_IS_PUBLIC_KEY (self), NULL);
  return self->key_type;
}

const char *
tw_public_key_get_type_label (TwPublicKey *self)
{
  g_return_val_if_fail (TW_IS_PUBLIC_KEY (self), NULL);
  return self->type_label;
}

guint
tw_public_key_get_bits (TwPublicKey *self)
{
  g_return_val_if_fail (TW_IS_PUBLIC_KEY (self), 0);
  return self->bits;
}

const char *
tw_public_key_get_comment (TwPublicKey *self)
{
  g_return_val_if_fail (TW_IS_PUBLIC_KEY (self), NULL);
  return self->comment;
}

const char *
tw_public_key_get_options (TwPublicKey *self)
{
  g_return_val_if_fail (TW_IS_PUBLIC_KEY (self), NULL);
  return self->options;
}

const char *
tw_public_key_get_base64 (TwPublicKey *self)
{
  g_return_val_if_fail (TW_IS_PUBLIC_KEY (self), NULL);
  return self->base64;
}

/**
 * tw_public_key_get_blob:
 *
 * Returns: (transfer none): the key in SSH wire format
 */
GBytes *
tw_public_key_get_blob (TwPublicKey *self)
{
  g_return_val_if_fail (TW_IS_PUBLIC_KEY (self), NULL);
  return self->blob;
}

const char *
tw_public_key_get_fingerprint (TwPublicKey *self)
{
  g_return_val_if_fail (TW_IS_PUBLIC_KEY (self), NULL);
  return self->fingerprint;
}

const char *
tw_public_key_get_randomart (TwPublicKey *self)
{
  g_return_val_if_fail (TW_IS_PUBLIC_KEY (self), NULL);
  return self->randomart;
}

const char *
tw_public_key_get_line (TwPublicKey *self)
{
  g_return_val_if_fail (TW_IS_PUBLIC_KEY (self), NULL);
  return self->line;
}

/**
 * tw_public_key_get_warnings:
 *
 * Returns: (transfer none) (array zero-terminated=1): plain-language
 *   warnings, possibly none
 */
const char * const *
tw_public_key_get_warnings (TwPublicKey *self)
{
  g_return_val_if_fail (TW_IS_PUBLIC_KEY (self), NULL);
  return (const char * const *) self->warnings;
}

gboolean
tw_public_key_is_rsa (TwPublicKey *self)
{
  g_return_val_if_fail (TW_IS_PUBLIC_KEY (self), FALSE);
  return g_strcmp0 (self->key_type, "ssh-rsa") == 0;
}

/**
 * tw_public_key_to_json:
 *
 * The object `tunnel-check key` prints: type, label, bits, comment,
 * fingerprint, randomart, authorized_keys (the one-line key, without
 * options), options (only when some were pasted) and warnings.
 *
 * Returns: (transfer full): a JSON object node
 */
JsonNode *
tw_public_key_to_json (TwPublicKey *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (TW_IS_PUBLIC_KEY (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, self->key_type);
  json_builder_set_member_name (builder, "label");
  json_builder_add_string_value (builder, self->type_label);
  json_builder_set_member_name (builder, "bits");
  json_builder_add_int_value (builder, self->bits);
  json_builder_set_member_name (builder, "comment");
  if (self->comment != NULL)
    json_builder_add_string_value (builder, self->comment);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "fingerprint");
  json_builder_add_string_value (builder, self->fingerprint);
  json_builder_set_member_name (builder, "randomart");
  json_builder_add_string_value (builder, self->randomart);
  json_builder_set_member_name (builder, "authorized_keys");
  json_builder_add_string_value (builder, self->line);
  if (self->options != NULL)
    {
      json_builder_set_member_name (builder, "options");
      json_builder_add_string_value (builder, self->options);
    }
  json_builder_set_member_name (builder, "warnings");
  json_builder_begin_array (builder);
  for (guint i = 0; self->warnings[i] != NULL; i++)
    json_builder_add_string_value (builder, self->warnings[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
