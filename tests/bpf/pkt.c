// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <netinet/in.h>
#include <string.h>

#include "pkt.h"

uint16_t pkt_csum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons(~sum & 0xffff);
}

static size_t l4_build(const struct pkt_spec *s, uint8_t *p)
{
	size_t i, hl;

	switch (s->proto) {
	case IPPROTO_TCP: {
		struct tcphdr *th = (struct tcphdr *)p;

		hl = sizeof(*th) + s->tcp_opts;
		memset(p, 0, hl);
		th->source = htons(s->sport);
		th->dest = htons(s->dport);
		th->seq = htonl(1000);
		th->doff = hl / 4;
		th->syn = !!s->syn;
		th->ack = !!s->ack;
		th->window = htons(65535);
		for (i = sizeof(*th); i < hl; i++)
			p[i] = 1; /* NOP options */
		break;
	}
	case IPPROTO_UDP: {
		struct udphdr *uh = (struct udphdr *)p;

		hl = sizeof(*uh);
		uh->source = htons(s->sport);
		uh->dest = htons(s->dport);
		uh->len = htons(hl + s->payload);
		uh->check = 0;
		break;
	}
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		hl = 8;
		memset(p, 0, hl);
		p[0] = s->icmp_type;
		break;
	default:
		hl = 0;
	}
	for (i = 0; i < s->payload; i++)
		p[hl + i] = (uint8_t)(i * 7 + 3);
	return hl + s->payload;
}

size_t pkt_build(const struct pkt_spec *s, uint8_t *buf, size_t cap,
		 size_t *l3_end)
{
	struct ethhdr *eth = (struct ethhdr *)buf;
	size_t off = sizeof(*eth), l4len, iphl;
	uint16_t type;
	int i;

	if (cap < 65600)
		return 0;
	memset(buf, 0, 128);
	memcpy(eth->h_dest, "\x02\x00\x00\x00\x00\x01", 6);
	memcpy(eth->h_source, "\x02\x00\x00\x00\x00\x02", 6);
	type = s->ethertype ? s->ethertype : s->v6 ? ETH_P_IPV6 : ETH_P_IP;
	if (s->vlans) {
		eth->h_proto =
			htons(s->vlans == 2 ? ETH_P_8021AD : ETH_P_8021Q);
		for (i = 0; i < s->vlans; i++) {
			buf[off] = 0;
			buf[off + 1] = 10 + i;
			*(uint16_t *)(buf + off + 2) =
				htons(i + 1 < s->vlans ? ETH_P_8021Q : type);
			off += 4;
		}
	} else {
		eth->h_proto = htons(type);
	}
	if (s->ethertype) {
		memset(buf + off, 0xab, 28);
		return off + 28;
	}

	if (!s->v6) {
		struct iphdr *ip = (struct iphdr *)(buf + off);

		iphl = sizeof(*ip) + s->ip_opts;
		memset(ip, 0, iphl);
		for (i = sizeof(*ip); i < (int)iphl; i++)
			((uint8_t *)ip)[i] = 1; /* NOP options */
		l4len = l4_build(s, (uint8_t *)ip + iphl);
		ip->version = 4;
		ip->ihl = iphl / 4;
		ip->tos = s->tos;
		ip->tot_len = htons(iphl + l4len);
		ip->id = htons(0x1234);
		ip->frag_off = htons((s->df ? 0x4000 : 0) |
				     (s->frag == 1 ? 0x2000 : 0) |
				     (s->frag == 2 ? 100 : 0));
		ip->ttl = 64;
		ip->protocol = s->proto;
		inet_pton(AF_INET, s->src, &ip->saddr);
		inet_pton(AF_INET, s->dst, &ip->daddr);
		ip->check = pkt_csum(ip, iphl);
		if (l3_end)
			*l3_end = off + sizeof(*ip);
		return off + iphl + l4len;
	} else {
		struct ipv6hdr *ip6 = (struct ipv6hdr *)(buf + off);
		uint8_t *p = (uint8_t *)(ip6 + 1), *nh = &ip6->nexthdr;

		memset(ip6, 0, sizeof(*ip6));
		ip6->version = 6;
		ip6->priority = s->tos >> 4;
		ip6->flow_lbl[0] = (s->tos & 0xf) << 4;
		ip6->hop_limit = 64;
		inet_pton(AF_INET6, s->src, &ip6->saddr);
		inet_pton(AF_INET6, s->dst, &ip6->daddr);
		for (i = 0; i < s->ext; i++) {
			*nh = IPPROTO_DSTOPTS;
			memset(p, 0, 8);
			p[1] = 0; /* 8 bytes */
			p[2] = 1; /* PadN, 4 bytes of padding */
			p[3] = 4;
			nh = p;
			p += 8;
		}
		if (s->frag) {
			*nh = IPPROTO_FRAGMENT;
			memset(p, 0, 8);
			p[3] = s->frag == 1 ? 1 :
					      0x20; /* M flag or an offset */
			nh = p;
			p += 8;
		}
		*nh = s->proto;
		l4len = l4_build(s, p);
		p += l4len;
		ip6->payload_len = htons(p - (uint8_t *)(ip6 + 1));
		if (l3_end)
			*l3_end = off + sizeof(*ip6);
		return p - buf;
	}
}
