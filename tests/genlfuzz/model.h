/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the accepted requests should have done: the services, their reals
 * and the settings of one namespace, changed only by requests the kernel
 * acknowledged, and compared with what the kernel reads back. A rejected
 * request leaves the model as it was, so any trace it left in the kernel
 * shows up as a difference.
 */
#ifndef GF_MODEL_H
#define GF_MODEL_H

#include <stddef.h>

#include "nl.h"
#include "services.h"

#define GM_SVCS 64
#define GM_DESTS 32

struct gm_svc {
	struct sluice_svc s;
	int hash_set; /* HASH_FIELDS was given: a new scheduler keeps it */
	int nd;
	struct sluice_dest d[GM_DESTS];
};

struct gm_model {
	int n;
	struct gm_svc v[GM_SVCS];
	struct sluice_cfg cfg;
};

/* Start from no service and the settings @cfg (read from the kernel). */
void gm_init(struct gm_model *m, const struct sluice_cfg *cfg);

/*
 * Apply a request the kernel accepted (its bytes, nlmsghdr onwards).
 * 0, or -1 with @why filled when the model cannot follow it (a request
 * it cannot read, or one that should have been refused).
 */
int gm_apply(struct gm_model *m, const void *buf, size_t len, char *why,
	     size_t wlen);

/* Compare with the kernel's state over @nl: 0, or -1 and the first difference. */
int gm_check(const struct gm_model *m, struct sluice_nl *nl, char *why,
	     size_t wlen);

#endif
