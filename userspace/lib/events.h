/* SPDX-License-Identifier: GPL-2.0 */
/* The module's configuration events (multicast group "events", per netns). */
#ifndef SLUICE_EVENTS_H
#define SLUICE_EVENTS_H

#include <netlink/genl/genl.h>

/*
 * A socket that has joined the events group and calls @fn for every
 * message received on it (nl_recvmsgs_default()). NULL with *@err set
 * (negative errno; -ENOENT: the module is not loaded) on failure.
 */
struct nl_sock *sluice_events_open(int (*fn)(struct nl_msg *msg, void *arg),
				   void *arg, int *err);

#endif
