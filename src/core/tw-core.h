/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-enums.h"
#include "tw-help.h"
#include "tw-public-key.h"
#include "tw-randomart.h"
#include "tw-tunnel.h"
