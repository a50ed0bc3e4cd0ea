/* SPDX-License-Identifier: GPL-2.0 */
/* SLUICE_CMD_GET_INFO: what the module says about itself. */
#ifndef SLUICE_INFO_H
#define SLUICE_INFO_H

#include <stdint.h>
#include <linux/sluice.h>

#include "nl.h"

struct sluice_info {
	char version[SLUICE_STR_MAX];
	char kernel[SLUICE_STR_MAX];
	uint64_t netns_cookie;
	uint32_t services; /* in this namespace */
	uint32_t conn_max; /* connection table limit */
	uint32_t conns; /* connection table entries */
	uint32_t conn_buckets; /* its hash buckets now (it resizes itself) */
	uint32_t conn_entry_size; /* bytes per entry */
	uint64_t conn_bytes; /* its memory: entries, buckets, expiry wheels */
	uint64_t conn_evicted,
		conn_stateless; /* table full: evicted, sent without entry */
	uint64_t drops[SLUICE_DROPS_MAX]; /* packets the module dropped, by reason */
};

/* Names of the drop reasons ("no-service", ...), by enum sluice_drop. */
extern const char *const sluice_drop_names[SLUICE_DROPS_MAX];

/* Returns 0 or a negative errno (see sluice_nl_exec). */
int sluice_get_info(struct sluice_nl *nl, struct sluice_info *info);

#endif
