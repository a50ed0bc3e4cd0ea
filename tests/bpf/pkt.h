/* SPDX-License-Identifier: GPL-2.0 */
/* Test packet builder for the BPF fixture tests. */
#ifndef SLUICE_TEST_PKT_H
#define SLUICE_TEST_PKT_H

#include <stddef.h>
#include <stdint.h>

struct pkt_spec {
	int v6; /* IPv6 instead of IPv4 */
	int vlans; /* 0, 1 or 2 VLAN tags (802.1ad outer, 802.1Q inner) */
	uint16_t ethertype; /* non-zero: a non-IP frame of this type */
	const char *src, *dst;
	uint8_t proto; /* IPPROTO_TCP, _UDP, _ICMP, _ICMPV6 or any */
	uint16_t sport, dport;
	int syn, ack;
	int tcp_opts; /* bytes of TCP options (multiple of 4) */
	uint8_t icmp_type;
	int ip_opts; /* bytes of IPv4 options (multiple of 4) */
	int frag; /* 1: first fragment (MF), 2: later fragment */
	int df; /* IPv4 DF bit */
	uint8_t tos; /* IPv4 TOS / IPv6 traffic class */
	int ext; /* IPv6: number of destination-options headers */
	size_t payload; /* bytes of L4 payload */
};

/* Write the packet into @buf; returns its length (0 if it does not fit).
 * @l3_end, if not NULL, gets the offset where the base IP header ends.
 */
size_t pkt_build(const struct pkt_spec *s, uint8_t *buf, size_t cap,
		 size_t *l3_end);

/* Internet checksum of @len bytes. */
uint16_t pkt_csum(const void *data, size_t len);

#endif
