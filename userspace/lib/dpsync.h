/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The XDP program's VIP and service maps are hash maps the module cannot
 * write: userspace makes them serve exactly the module's services after
 * every change (sluiceadm after each command, sluiced on every event).
 */
#ifndef SLUICE_DPSYNC_H
#define SLUICE_DPSYNC_H

#include <stddef.h>

#include "services.h"

/*
 * Read the module's services and sync the pinned XDP maps to them. 0 when
 * synced, 1 when this namespace has no data plane, or a negative errno
 * with a message in @msg.
 */
int sluice_dp_sync(struct sluice_nl *nl, char *msg, size_t len);

#endif
