/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The XDP fast path's switch (SLUICE_XDP_FASTPATH in sluice_xdp_cfg; see
 * "XDP fast path" in the uapi header), in the pinned maps of the current
 * network namespace.
 */
#ifndef SLUICE_FASTPATH_H
#define SLUICE_FASTPATH_H

#include <stddef.h>

/* Turn the fast path on or off: 0, or a negative errno with a message in @err. */
int sluice_fastpath_set(int on, char *err, size_t errlen);
/* Is it on? 1 or 0, or a negative errno with a message in @err. */
int sluice_fastpath_get(char *err, size_t errlen);

/*
 * The flows sluice_fp_flows holds, and the packets and bytes the fast path
 * sent for them that have not reached the module's counters yet (each
 * flow's are carried by its next slow-path packet): a walk of the table.
 */
struct sluice_fp_totals {
	unsigned long long flows, packets, bytes;
};

int sluice_fastpath_flows(struct sluice_fp_totals *t, char *err, size_t errlen);

#endif
