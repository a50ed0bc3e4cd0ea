/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Talking to the kernel module over generic netlink (libnl-3): one socket,
 * the resolved family, and the error of the last request with the
 * kernel's extended ack message.
 */
#ifndef SLUICE_NL_H
#define SLUICE_NL_H

#include <stdint.h>
#include <netlink/genl/genl.h>

struct sluice_nl {
	struct nl_sock *sk;
	int family;
	/* The kernel's extack message for the last failed request, or "". */
	char errmsg[256];
};

/*
 * Connect and resolve the "sluice" family. Returns 0 or a negative errno:
 * -ENOENT when the family does not exist (the module is not loaded).
 */
int sluice_nl_open(struct sluice_nl *nl);
void sluice_nl_close(struct sluice_nl *nl);

/* A new request for @cmd with the family header filled in, or NULL. */
struct nl_msg *sluice_nl_msg(struct sluice_nl *nl, uint8_t cmd, int flags);

/*
 * Send @msg (always consumed), call @parse for every reply message (a
 * dump's parts included) and wait for the kernel's acknowledgement.
 * Returns 0, a negative errno from the kernel (with nl->errmsg set from
 * its extack message when it sent one), or a negative errno of our own.
 */
int sluice_nl_exec(struct sluice_nl *nl, struct nl_msg *msg,
		   int (*parse)(struct nl_msg *msg, void *arg), void *arg);

/*
 * Copy the extended ack message of the NLMSG_ERROR message @h (of the
 * length its header says) into @buf. Returns 1 if there was one, else 0
 * with @buf empty; never reads past @h's length.
 */
int sluice_nl_extack_msg(const struct nlmsghdr *h, char *buf, size_t len);

/* "kernel message: strerror" or "strerror" for an error from sluice_nl_*. */
const char *sluice_nl_strerror(const struct sluice_nl *nl, int err);

#endif
