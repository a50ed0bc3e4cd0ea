/* SPDX-License-Identifier: GPL-2.0 */
/*
 * All-or-nothing changes to the service table and settings: save what a
 * change is about to touch, make the changes, and on failure put back
 * everything saved. sluiceadm -R and sluiced apply their changes this way.
 */
#ifndef SLUICE_TXN_H
#define SLUICE_TXN_H

#include <stdint.h>

#include "table.h"

struct sluice_txn;

/* A new, empty transaction, or NULL (out of memory). */
struct sluice_txn *sluice_txn_new(void);
void sluice_txn_free(struct sluice_txn *u);

/*
 * Save @key's service as it is now (absent, or its settings and reals),
 * unless already saved. 0 or a negative errno.
 */
int sluice_txn_save(struct sluice_nl *nl, struct sluice_txn *u,
		    const struct sluice_svc *key);
/*
 * The same, from @e (NULL: absent), the service as the caller has just
 * read it (a table it compares against): no request to the kernel.
 */
int sluice_txn_save_as(struct sluice_txn *u, const struct sluice_svc *key,
		       const struct sluice_entry *e);
/* Save every service (before a flush). */
int sluice_txn_save_all(struct sluice_nl *nl, struct sluice_txn *u);
/* Save the settings whose SLUICE_CFG_A_* bits are in @present. */
int sluice_txn_save_cfg(struct sluice_nl *nl, struct sluice_txn *u,
			uint32_t present);

/*
 * Put back every saved service, newest first, and the saved settings.
 * 0, or a negative errno when the kernel refused (the table is then
 * partly restored).
 */
int sluice_txn_undo(struct sluice_nl *nl, struct sluice_txn *u);

#endif
