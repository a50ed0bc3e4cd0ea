/* SPDX-License-Identifier: GPL-2.0 */
/* The XDP source blocklist (pinned LPM tries sluice_block_v4/_v6). */
#ifndef SLUICE_BLOCKLIST_H
#define SLUICE_BLOCKLIST_H

#include <stddef.h>

#include "prefix.h"

/* Return 0 or a negative errno with a message in @err. */
int sluice_block_add(const struct sluice_prefix *p, char *err, size_t errlen);
int sluice_block_del(const struct sluice_prefix *p, char *err, size_t errlen);
/* Call @fn for every blocked prefix, IPv4 first. */
int sluice_block_list(void (*fn)(const struct sluice_prefix *p, void *arg),
		      void *arg, char *err, size_t errlen);

#endif
