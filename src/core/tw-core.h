/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-enums.h"
#include "tw-help.h"
#include "tw-paths.h"
#include "tw-public-key.h"
#include "tw-randomart.h"
#include "tw-setup-authorized-keys.h"
#include "tw-setup-common.h"
#include "tw-setup-firewall.h"
#include "tw-setup-linux.h"
#include "tw-setup-sshd.h"
#include "tw-setup-windows.h"
#include "tw-tunnel.h"
