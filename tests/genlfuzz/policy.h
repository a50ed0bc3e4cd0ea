/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The family's attribute policies as the kernel reports them
 * (CTRL_CMD_GETPOLICY): what the mutator knows of each attribute's type,
 * value range, mask, length and nested policy.
 */
#ifndef GF_POLICY_H
#define GF_POLICY_H

#include <stdint.h>
#include <netlink/netlink.h>

#define GF_MAX_POLICIES 16
#define GF_MAX_ATTRS 64

struct gf_attr_policy {
	uint32_t type; /* enum netlink_attribute_type; 0: not accepted */
	int has_range; /* min/max below are from the kernel */
	int64_t min, max; /* value range (signed or unsigned as type says) */
	uint64_t mask; /* NL_POLICY_TYPE_ATTR_MASK, 0 if none */
	uint32_t min_len, max_len;
	int nested; /* policy index of a nest, -1 if none */
};

struct gf_policy {
	int maxattr;
	struct gf_attr_policy a[GF_MAX_ATTRS];
};

struct gf_policies {
	int n; /* policies read (index 0 is the family's) */
	int attrs; /* attribute entries read, all policies */
	struct gf_policy p[GF_MAX_POLICIES];
};

/* Dump @family's policies over @sk. 0, or a negative errno. */
int gf_policy_read(struct nl_sock *sk, int family, struct gf_policies *out);

/* Bytes a value of the attribute's type takes (0: not an integer). */
int gf_int_size(uint32_t type);

#endif
