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

/*
 * Orders of service keys and of reals that agree with the two above (0
 * when "same"): for sorted indexes and lookups in O(log n).
 */
int sluice_svc_cmp(const struct sluice_svc *a, const struct sluice_svc *b);
int sluice_dest_cmp(const struct sluice_dest *a, const struct sluice_dest *b);

/*
 * Sort @t's services by sluice_svc_cmp() and each one's reals by
 * sluice_dest_cmp(), for the two lookups below (binary searches).
 */
void sluice_table_sort_keys(struct sluice_table *t);
/* @key's entry in @t (sorted by sluice_table_sort_keys()), or NULL. */
struct sluice_entry *sluice_table_find(const struct sluice_table *t,
				       const struct sluice_svc *key);
/* Real @d of @e (sorted likewise; NULL @e: none), or NULL. */
const struct sluice_dest *sluice_entry_dest(const struct sluice_entry *e,
					    const struct sluice_dest *d);
/*
 * Read @key's service again into @t (sorted by key, and kept so): its
 * entry replaced, added, or taken out when the kernel has it no more.
 * 0 or a negative errno (@t unchanged).
 */
int sluice_table_refresh(struct sluice_nl *nl, struct sluice_table *t,
			 const struct sluice_svc *key);

#endif
