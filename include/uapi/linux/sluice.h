/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * sluice - an L4 load balancer: the contract between the kernel module,
 * the BPF programs and userspace. This header is the specification of the
 * generic netlink API; nothing here may be copied by hand elsewhere.
 *
 * Generic netlink family
 * ----------------------
 * Name SLUICE_GENL_NAME, version SLUICE_GENL_VERSION. The family is
 * network-namespace aware: every request acts on the balancer of the
 * namespace the netlink socket belongs to, and each namespace is an
 * independent balancer. Every command requires CAP_NET_ADMIN in the user
 * namespace that owns the network namespace.
 *
 * Attributes are validated strictly: an unknown attribute, a wrong type or
 * length, or a value out of range fails the whole request with -EINVAL (or
 * -ERANGE) and an extended ack message naming the attribute; a failed
 * request changes nothing.
 *
 * Commands
 * --------
 * SLUICE_CMD_GET_INFO: do only.
 *   Request: no attributes.
 *   Reply (same command):
 *     SLUICE_A_INFO_VERSION: NLA_NUL_STRING, the module's version
 *       ("MAJOR.MINOR.PATCH").
 *     SLUICE_A_INFO_KERNEL: NLA_NUL_STRING, the kernel release the module
 *       was built for (uname -r).
 *     SLUICE_A_INFO_NETNS_COOKIE: NLA_U64, cookie of the network namespace
 *       whose balancer answered (same value as SO_NETNS_COOKIE).
 */
#ifndef _UAPI_LINUX_SLUICE_H
#define _UAPI_LINUX_SLUICE_H

#define SLUICE_GENL_NAME	"sluice"
#define SLUICE_GENL_VERSION	1

/* Longest string attribute value, terminating NUL included. */
#define SLUICE_STR_MAX		64

enum sluice_cmd {
	SLUICE_CMD_UNSPEC,
	SLUICE_CMD_GET_INFO,
	__SLUICE_CMD_MAX
};
#define SLUICE_CMD_MAX (__SLUICE_CMD_MAX - 1)

enum sluice_attr {
	SLUICE_A_UNSPEC,
	SLUICE_A_PAD,			/* 64-bit alignment padding, never sent by users */
	SLUICE_A_INFO_VERSION,		/* NLA_NUL_STRING */
	SLUICE_A_INFO_KERNEL,		/* NLA_NUL_STRING */
	SLUICE_A_INFO_NETNS_COOKIE,	/* NLA_U64 */
	__SLUICE_A_MAX
};
#define SLUICE_A_MAX (__SLUICE_A_MAX - 1)

#endif /* _UAPI_LINUX_SLUICE_H */
