// SPDX-License-Identifier: GPL-2.0
/* The floor for the BPF benchmarks: programs that do nothing. */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int bare_xdp_drop(struct xdp_md *ctx)
{
	return XDP_DROP;
}

SEC("tc")
int bare_tc_ok(struct __sk_buff *skb)
{
	return TC_ACT_OK;
}

char _license[] SEC("license") = "GPL";
