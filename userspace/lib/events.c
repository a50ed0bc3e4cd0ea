// SPDX-License-Identifier: GPL-2.0
/* Joining the module's events group (see events.h). */
#include <errno.h>
#include <netlink/genl/ctrl.h>
#include <linux/sluice.h>

#include "events.h"

struct nl_sock *sluice_events_open(int (*fn)(struct nl_msg *msg, void *arg),
				   void *arg, int *err)
{
	struct nl_sock *sk = nl_socket_alloc();
	int grp;

	*err = -ENOMEM;
	if (!sk)
		return NULL;
	*err = genl_connect(sk) ? -ECONNREFUSED : 0;
	if (*err)
		goto fail;
	grp = genl_ctrl_resolve_grp(sk, SLUICE_GENL_NAME,
				    SLUICE_GENL_MCGRP_EVENTS);
	if (grp < 0) {
		*err = -ENOENT;
		goto fail;
	}
	if (nl_socket_add_membership(sk, grp)) {
		*err = -EPERM;
		goto fail;
	}
	nl_socket_disable_seq_check(sk);
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, fn, arg);
	return sk;
fail:
	nl_socket_free(sk);
	return NULL;
}
