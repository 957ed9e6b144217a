/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tw-check-result.h"
#include "tw-credentials.h"
#include "tw-enums.h"
#include "tw-fingerprint.h"
#include "tw-probe.h"
#include "tw-public-key.h"
#include "tw-randomart.h"
#include "tw-report.h"
#include "tw-tunnel.h"
