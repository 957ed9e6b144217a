/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-enums.h"
#include "tw-keypair.h"
#include "tw-reverse-tunnel.h"
#include "tw-tunnel.h"
