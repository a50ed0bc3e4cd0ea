/* SPDX-License-Identifier: GPL-2.0 */
/* IPv4/IPv6 addresses and prefixes as users write them. */
#ifndef SLUICE_PREFIX_H
#define SLUICE_PREFIX_H

#include <stddef.h>
#include <stdint.h>

struct sluice_prefix {
	int family; /* AF_INET or AF_INET6 */
	uint8_t addr[16]; /* network byte order; IPv4 in the first 4 */
	unsigned int len; /* prefix length */
};

/*
 * Parse "ADDR" (a host: /32 or /128) or "ADDR/LEN". Host bits beyond LEN
 * must be zero. Returns 0, or -EINVAL with a message naming the problem in
 * @err.
 */
int sluice_prefix_parse(const char *s, struct sluice_prefix *p, char *err,
			size_t errlen);

/* "ADDR/LEN" into @buf. */
const char *sluice_prefix_str(const struct sluice_prefix *p, char *buf,
			      size_t len);

#endif
