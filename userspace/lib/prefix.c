// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prefix.h"

int sluice_prefix_parse(const char *s, struct sluice_prefix *p, char *err,
			size_t errlen)
{
	char addr[INET6_ADDRSTRLEN + 1], *end;
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	unsigned int max, i, bits;
	unsigned long len;

	memset(p, 0, sizeof(*p));
	if (alen == 0 || alen >= sizeof(addr)) {
		snprintf(err, errlen, "'%s' is not an IPv4 or IPv6 prefix", s);
		return -EINVAL;
	}
	memcpy(addr, s, alen);
	addr[alen] = '\0';
	if (inet_pton(AF_INET, addr, p->addr) == 1) {
		p->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, addr, p->addr) == 1) {
		p->family = AF_INET6;
		max = 128;
	} else {
		snprintf(err, errlen, "'%s' is not an IPv4 or IPv6 address",
			 addr);
		return -EINVAL;
	}
	len = max;
	if (slash) {
		errno = 0;
		len = strtoul(slash + 1, &end, 10);
		if (!slash[1] || *end || errno || len > max ||
		    !(slash[1] >= '0' && slash[1] <= '9')) {
			snprintf(err, errlen,
				 "prefix length in '%s' must be 0 to %u", s,
				 max);
			return -EINVAL;
		}
	}
	p->len = len;
	for (i = 0; i < max / 8; i++) {
		bits = i * 8 >= len	? 0xff :
		       len - i * 8 >= 8 ? 0 :
					  0xff >> (len - i * 8);
		if (p->addr[i] & bits) {
			struct sluice_prefix net = *p;
			char buf[64];
			unsigned int j;

			for (j = 0; j < max / 8; j++)
				net.addr[j] &= ~(j * 8 >= len ?
							 0xff :
						 len - j * 8 >= 8 ?
							 0 :
							 0xff >> (len - j * 8));
			snprintf(err, errlen,
				 "'%s' has host bits set (did you mean %s?)", s,
				 sluice_prefix_str(&net, buf, sizeof(buf)));
			return -EINVAL;
		}
	}
	return 0;
}

const char *sluice_prefix_str(const struct sluice_prefix *p, char *buf,
			      size_t len)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(p->family, p->addr, a, sizeof(a));
	snprintf(buf, len, "%s/%u", a, p->len);
	return buf;
}
