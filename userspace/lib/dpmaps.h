/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Writing the data plane's VIP, service, real and tunnel-source maps.
 * The kernel module owns these tables and mirrors its configuration into
 * them; these functions do the same from userspace, for the BPF tests and
 * benchmarks (and for running the data plane without the module).
 */
#ifndef SLUICE_DPMAPS_H
#define SLUICE_DPMAPS_H

#include <stdint.h>

#include "prefix.h"

/* The fds of the VIP maps, sluice_vips4 and sluice_vips6. */
struct sluice_dpm_vips {
	int v4, v6;
};

/* Add service (@vip, @proto, @port): sluice_services and the VIP's entry. */
int sluice_dpm_service_add(const struct sluice_dpm_vips *vips, int svc_fd,
			   const struct sluice_prefix *vip, uint8_t proto,
			   uint16_t port);
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
