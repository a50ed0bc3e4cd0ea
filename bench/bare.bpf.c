// SPDX-License-Identifier: GPL-2.0
/* The floor for the BPF benchmarks: programs that do (next to) nothing. */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int bare_xdp_drop(struct xdp_md *ctx)
{
	return XDP_DROP;
}

/* Katran's yardstick: swap the MAC addresses, send the frame back out. */
SEC("xdp")
int bare_xdp_tx(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	unsigned char *eth = data, mac[6];

	if (data + 14 > end)
		return XDP_DROP;
	__builtin_memcpy(mac, eth, 6);
	__builtin_memcpy(eth, eth + 6, 6);
	__builtin_memcpy(eth + 6, mac, 6);
	return XDP_TX;
}

SEC("tc")
int bare_tc_ok(struct __sk_buff *skb)
{
	return TC_ACT_OK;
}

char _license[] SEC("license") = "GPL";
