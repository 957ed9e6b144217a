/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TW_SERVICE_PRESET_ERROR (tw_service_preset_error_quark ())
GQuark tw_service_preset_error_quark (void);

/**
 * TwServicePresetError:
 * @TW_SERVICE_PRESET_ERROR_NOT_FOUND: no preset of that name
 * @TW_SERVICE_PRESET_ERROR_INVALID: a preset file lacks a field or holds a bad value
 */
typedef enum {
  TW_SERVICE_PRESET_ERROR_NOT_FOUND,
  TW_SERVICE_PRESET_ERROR_INVALID,
} TwServicePresetError;

/**
 * TwServicePresetKeyMaker:
 * @TW_SERVICE_PRESET_KEY_MAKER_SERVICE: the service gives a public key to install
 * @TW_SERVICE_PRESET_KEY_MAKER_YOU: the admin makes a key pair and gives the service the private key
 */
typedef enum {
  TW_SERVICE_PRESET_KEY_MAKER_SERVICE,
  TW_SERVICE_PRESET_KEY_MAKER_YOU,
} TwServicePresetKeyMaker;

/**
 * TwServicePresetReverse:
 * @TW_SERVICE_PRESET_REVERSE_NO: the service connects to the bastion only
 * @TW_SERVICE_PRESET_REVERSE_AVAILABLE: it also offers a reverse tunnel
 * @TW_SERVICE_PRESET_REVERSE_ONLY: it only works with a reverse tunnel
 */
typedef enum {
  TW_SERVICE_PRESET_REVERSE_NO,
  TW_SERVICE_PRESET_REVERSE_AVAILABLE,
  TW_SERVICE_PRESET_REVERSE_ONLY,
} TwServicePresetReverse;

#define TW_TYPE_SERVICE_PRESET (tw_service_preset_get_type ())
G_DECLARE_FINAL_TYPE (TwServicePreset, tw_service_preset, TW, SERVICE_PRESET, GObject)

TwServicePreset        *tw_service_preset_load_file          (const char       *path,
                                                              GError          **error);
TwServicePreset        *tw_service_preset_find               (const char       *id,
                                                              GError          **error);
GPtrArray              *tw_service_preset_list               (GError          **error);

const char             *tw_service_preset_get_id             (TwServicePreset  *self);
const char             *tw_service_preset_get_name           (TwServicePreset  *self);
const char             *tw_service_preset_get_user           (TwServicePreset  *self);
const char             *tw_service_preset_get_group          (TwServicePreset  *self);
TwServicePresetKeyMaker tw_service_preset_get_key_maker      (TwServicePreset  *self);
const char             *tw_service_preset_get_private_key_format (TwServicePreset *self);
const char * const     *tw_service_preset_get_key_types      (TwServicePreset  *self);
gboolean                tw_service_preset_get_several_keys   (TwServicePreset  *self);
TwServicePresetReverse  tw_service_preset_get_reverse        (TwServicePreset  *self);
gboolean                tw_service_preset_get_require_tls    (TwServicePreset  *self);
guint                   tw_service_preset_get_keepalive_seconds (TwServicePreset *self);
const char             *tw_service_preset_get_documentation  (TwServicePreset  *self);
GDate                  *tw_service_preset_dup_checked        (TwServicePreset  *self);
const char             *tw_service_preset_get_addresses      (TwServicePreset  *self);
const char             *tw_service_preset_get_notes          (TwServicePreset  *self);

const char             *tw_service_preset_reverse_to_string  (TwServicePresetReverse reverse);

G_END_DECLS
