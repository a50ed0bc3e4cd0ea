// SPDX-License-Identifier: GPL-2.0
/*
 * XDP_PASS and nothing else, for the VM tests' veth peers: a veth hands
 * the frames its peer's XDP program sends back (XDP_TX) to its own stack
 * only once it has an XDP program itself (veth_xdp_flush() kicks the
 * peer's NAPI only then). A physical NIC needs nothing of the kind.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
