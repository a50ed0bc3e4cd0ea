/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A generic netlink request as a tree the mutator can work on: top-level
 * attributes, and the attributes of the nests the kernel's policy names,
 * each with its own length error; serialised back to bytes for sending.
 */
#ifndef GF_MSG_H
#define GF_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "policy.h"

#define GF_TOPS 12
#define GF_KIDS 24
#define GF_DATA 40
#define GF_BUF 16384

struct gf_leaf {
	uint16_t type; /* with the NLA_F_* bits */
	int16_t len_delta; /* added to nla_len as written */
	uint16_t dlen;
	uint8_t data[GF_DATA];
};

struct gf_top {
	struct gf_leaf a; /* a nest's data is its kids, serialised */
	int nested; /* policy index of the kids, -1: a leaf */
	int nkids;
	struct gf_leaf kids[GF_KIDS];
};

struct gf_msg {
	uint16_t nlflags;
	uint8_t cmd, version;
	int ntop;
	struct gf_top top[GF_TOPS];
	int trunc; /* bytes cut off the serialised message's end */
};

/* Fill @m from a request's bytes (nlmsghdr onwards). 0, or -EINVAL. */
int gf_msg_parse(struct gf_msg *m, const void *buf, size_t len,
		 const struct gf_policies *pol);
/* Serialise with nlmsg_type @family and @seq; returns the length. */
size_t gf_msg_write(const struct gf_msg *m, uint8_t *buf, int family,
		    uint32_t seq);

/* xorshift64*: the whole run follows from the seed printed. */
uint64_t gf_rand(uint64_t *s);
static inline uint32_t gf_below(uint64_t *s, uint32_t n)
{
	return n ? (uint32_t)(gf_rand(s) % n) : 0;
}

/*
 * One mutation of the kinds syzkaller makes: special integers, lengths
 * off by k or random, nesting flags flipped, attributes dropped,
 * duplicated, reordered, added at random per the policy, the message
 * truncated, the command or dump flag changed (unless @body_only: then
 * only the attributes change). Returns its name.
 */
const char *gf_mutate(struct gf_msg *m, const struct gf_policies *pol,
		      uint64_t *rng, int body_only);

#endif
