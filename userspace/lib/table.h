/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A copy of the kernel's service table (services and their reals), read
 * with dumps and sorted as ipvsadm sorts its listings. Listings, save and
 * restore's rollback work from it.
 */
#ifndef SLUICE_TABLE_H
#define SLUICE_TABLE_H

#include <stddef.h>

#include "services.h"

struct sluice_entry {
	struct sluice_svc svc;
	struct sluice_dest *dests;
	size_t ndests, cap;
};

struct sluice_table {
	struct sluice_entry *v;
	size_t n;
};

/*
 * Read every service (or only @key's, when not NULL) with its reals.
 * @sort: ipvsadm's order (services by fwmark, family, protocol, address,
 * port; reals by address, port); else the kernel's. Returns 0 or a
 * negative errno (nl->errmsg says the kernel's reason).
 */
int sluice_table_read(struct sluice_nl *nl, const struct sluice_svc *key,
		      int sort, struct sluice_table *t);
void sluice_table_free(struct sluice_table *t);

/* Same service key (family, fwmark or protocol + address + port)? */
int sluice_svc_same(const struct sluice_svc *a, const struct sluice_svc *b);
/* Same real (family, address, port)? */
int sluice_dest_same(const struct sluice_dest *a, const struct sluice_dest *b);

#endif
