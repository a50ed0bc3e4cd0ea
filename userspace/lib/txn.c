// SPDX-License-Identifier: GPL-2.0
/*
 * All-or-nothing changes to the service table (see txn.h). The first time a
 * change touches a service, its state before (absent, or its settings and
 * reals) is saved; undo puts each saved service back as it was: services
 * the transaction created are deleted, deleted ones re-created with their
 * reals, changed ones set back. Services it did not touch are never sent
 * anything, so their connections are not disturbed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "txn.h"

#define TXN_BUCKETS 65536

struct saved {
	struct sluice_svc key;
	int existed;
	struct sluice_entry e; /* settings and reals when it existed */
	struct saved *next; /* hash chain */
};

struct sluice_txn {
	struct saved **bucket; /* TXN_BUCKETS chains */
	struct saved **all; /* in the order saved */
	size_t n, cap;
	int have_cfg;
	struct sluice_cfg cfg;
	uint32_t cfg_touched; /* SLUICE_CFG_A_* bits the transaction set */
};

static unsigned int key_hash(const struct sluice_svc *k)
{
	unsigned int h = 2166136261u, i;

	h = (h ^ k->af) * 16777619u;
	h = (h ^ k->fwmark) * 16777619u;
	if (!k->fwmark) {
		h = (h ^ k->proto) * 16777619u;
		h = (h ^ k->port) * 16777619u;
		for (i = 0; i < SLUICE_ADDR_LEN; i++)
			h = (h ^ k->addr[i]) * 16777619u;
	}
	return h % TXN_BUCKETS;
}

static struct saved *find(struct sluice_txn *u, const struct sluice_svc *k)
{
	struct saved *s;

	for (s = u->bucket[key_hash(k)]; s; s = s->next)
		if (sluice_svc_same(&s->key, k))
			return s;
	return NULL;
}

/* Record @k's state: @e when it exists (taken over), else absent. */
static int remember(struct sluice_txn *u, const struct sluice_svc *k,
		    struct sluice_entry *e)
{
	struct saved *s = calloc(1, sizeof(*s));
	unsigned int h = key_hash(k);

	if (!s)
		return -ENOMEM;
	if (SLUICE_GROW(u->all, u->n, u->cap, 256)) {
		free(s);
		return -ENOMEM;
	}
	s->key = *k;
	if (e) {
		s->existed = 1;
		s->e = *e;
		memset(e, 0, sizeof(*e));
	}
	s->next = u->bucket[h];
	u->bucket[h] = s;
	u->all[u->n++] = s;
	return 0;
}

int sluice_txn_save(struct sluice_nl *nl, struct sluice_txn *u,
		    const struct sluice_svc *k)
{
	struct sluice_table t;
	int err;

	if (find(u, k))
		return 0;
	err = sluice_table_read(nl, k, 0, &t);
	if (err == -ENOENT)
		return remember(u, k, NULL);
	if (err)
		return err;
	err = remember(u, k, &t.v[0]);
	sluice_table_free(&t);
	return err;
}

int sluice_txn_save_as(struct sluice_txn *u, const struct sluice_svc *k,
		       const struct sluice_entry *e)
{
	struct sluice_entry copy;
	int err;

	if (find(u, k))
		return 0;
	if (!e)
		return remember(u, k, NULL);
	copy = *e;
	copy.dests = malloc((e->ndests ? e->ndests : 1) * sizeof(*e->dests));
	if (!copy.dests)
		return -ENOMEM;
	memcpy(copy.dests, e->dests, e->ndests * sizeof(*e->dests));
	copy.cap = e->ndests;
	err = remember(u, k, &copy);
	if (err)
		free(copy.dests);
	return err;
}

int sluice_txn_save_all(struct sluice_nl *nl, struct sluice_txn *u)
{
	struct sluice_table t;
	size_t i;
	int err;

	err = sluice_table_read(nl, NULL, 0, &t);
	for (i = 0; !err && i < t.n; i++)
		if (!find(u, &t.v[i].svc))
			err = remember(u, &t.v[i].svc, &t.v[i]);
	sluice_table_free(&t);
	return err;
}

static void all_settings(struct sluice_svc *s)
{
	s->present = SLUICE_HAS(SLUICE_SVC_A_SCHED_NAME) |
		     SLUICE_HAS(SLUICE_SVC_A_SCHED_FLAGS) |
		     SLUICE_HAS(SLUICE_SVC_A_FLAGS) |
		     SLUICE_HAS(SLUICE_SVC_A_TIMEOUT) |
		     SLUICE_HAS(SLUICE_SVC_A_PERSIST_PLEN) |
		     SLUICE_HAS(SLUICE_SVC_A_HASH_FIELDS) |
		     SLUICE_HAS(SLUICE_SVC_A_MH_SIZE);
}

static int put_dest(struct sluice_nl *nl, uint8_t cmd,
		    const struct sluice_svc *svc, struct sluice_dest d)
{
	d.present = SLUICE_HAS(SLUICE_DEST_A_WEIGHT) |
		    SLUICE_HAS(SLUICE_DEST_A_FWD_METHOD) |
		    SLUICE_HAS(SLUICE_DEST_A_U_THRESH) |
		    SLUICE_HAS(SLUICE_DEST_A_L_THRESH);
	return sluice_dest_cmd(nl, cmd, svc, &d);
}

static int has_dest(const struct sluice_entry *e, const struct sluice_dest *d)
{
	size_t i;

	for (i = 0; i < e->ndests; i++)
		if (sluice_dest_same(&e->dests[i], d))
			return 1;
	return 0;
}

/* Put one service back as saved. */
static int put_back(struct sluice_nl *nl, struct saved *s)
{
	struct sluice_svc svc = s->e.svc;
	struct sluice_table cur;
	struct sluice_entry *now = NULL;
	size_t i;
	int err;

	err = sluice_table_read(nl, &s->key, 0, &cur);
	if (err && err != -ENOENT)
		return err;
	if (!err)
		now = &cur.v[0];
	if (!s->existed) {
		err = now ? sluice_svc_cmd(nl, SLUICE_CMD_DEL_SERVICE,
					   &s->key) :
			    0;
		goto out;
	}
	all_settings(&svc);
	err = sluice_svc_cmd(
		nl, now ? SLUICE_CMD_SET_SERVICE : SLUICE_CMD_NEW_SERVICE,
		&svc);
	for (i = 0; !err && now && i < now->ndests; i++)
		if (!has_dest(&s->e, &now->dests[i]))
			err = put_dest(nl, SLUICE_CMD_DEL_DEST, &svc,
				       now->dests[i]);
	for (i = 0; !err && i < s->e.ndests; i++)
		err = put_dest(nl,
			       now && has_dest(now, &s->e.dests[i]) ?
				       SLUICE_CMD_SET_DEST :
				       SLUICE_CMD_NEW_DEST,
			       &svc, s->e.dests[i]);
out:
	if (now)
		sluice_table_free(&cur);
	return err;
}

int sluice_txn_undo(struct sluice_nl *nl, struct sluice_txn *u)
{
	size_t i;
	int err = 0;

	for (i = u->n; !err && i-- > 0;)
		err = put_back(nl, u->all[i]);
	if (!err && u->have_cfg && u->cfg_touched) {
		u->cfg.present = u->cfg_touched;
		err = sluice_cfg_set(nl, &u->cfg);
	}
	return err;
}

struct sluice_txn *sluice_txn_new(void)
{
	struct sluice_txn *u = calloc(1, sizeof(*u));

	if (!u)
		return NULL;
	u->bucket = calloc(TXN_BUCKETS, sizeof(*u->bucket));
	if (!u->bucket) {
		free(u);
		return NULL;
	}
	return u;
}

int sluice_txn_save_cfg(struct sluice_nl *nl, struct sluice_txn *u,
			uint32_t present)
{
	u->cfg_touched |= present;
	if (u->have_cfg)
		return 0;
	u->have_cfg = 1;
	return sluice_cfg_get(nl, &u->cfg);
}

void sluice_txn_free(struct sluice_txn *u)
{
	size_t i;

	if (!u)
		return;
	for (i = 0; i < u->n; i++) {
		free(u->all[i]->e.dests);
		free(u->all[i]);
	}
	free(u->all);
	free(u->bucket);
	free(u);
}
