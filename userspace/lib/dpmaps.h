/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Writing the data plane's VIP, service, real and tunnel-source maps.
 * The module keeps the tc program's maps (reals, tunnel source) in step
 * itself; the XDP program's VIP and service maps are hash maps, which a
 * module cannot safely write, so sluiceadm mirrors the module's services
 * into them (sluice_dpm_sync()). The other functions serve the BPF tests
 * and benchmarks.
 */
#ifndef SLUICE_DPMAPS_H
#define SLUICE_DPMAPS_H

#include <stddef.h>
#include <stdint.h>
#include <linux/sluice.h>

#include "prefix.h"

/* The fds of the VIP maps, sluice_vips4 and sluice_vips6. */
struct sluice_dpm_vips {
	int v4, v6;
};

/* Add service (@vip, @proto, @port): sluice_services and the VIP's entry. */
int sluice_dpm_service_add(const struct sluice_dpm_vips *vips, int svc_fd,
			   const struct sluice_prefix *vip, uint8_t proto,
			   uint16_t port);
/*
 * Make sluice_services and the VIP maps serve exactly the services @keys
 * (sorted in place): VIP entries list their ports, new VIPs get a free
 * SYN-bucket slot, VIPs that stay keep theirs and their SYN settings,
 * others are removed. Additions come before removals. 0 or a negative
 * errno (-ENOSPC: more than SLUICE_MAX_VIPS VIPs).
 */
int sluice_dpm_sync(const struct sluice_dpm_vips *vips, int svc_fd,
		    struct sluice_svc_key *keys, size_t n);
/* Set a VIP's SYN rate (0: off) and burst. */
int sluice_dpm_vip_syn(const struct sluice_dpm_vips *vips,
		       const struct sluice_prefix *vip, uint32_t rate,
		       uint32_t burst);
/* Real slot @idx is the tunnel endpoint @addr. */
int sluice_dpm_real_set(int reals_fd, uint32_t idx,
			const struct sluice_prefix *addr);
/* Outer source prefixes for IPv4 and IPv6 reals (either may be NULL). */
int sluice_dpm_tunnel_src(int cfg_fd, const struct sluice_prefix *v4,
			  const struct sluice_prefix *v6);

#endif
