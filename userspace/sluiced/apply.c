// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel made to hold what sluiced wants: the configuration's services
 * and settings, each real with the weight its health gives. The kernel's
 * table is read, compared, and only the differences are sent, in one
 * transaction (txn.h, as sluiceadm -R): if the kernel refuses a change,
 * every service touched is put back and nothing has changed. Services of
 * the kernel that the configuration does not have are deleted: the file is
 * the node's whole desired state.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "grow.h"
#include "txn.h"

/* Where a walk sends the differences it finds. */
struct walk {
	struct sd_daemon *d;
	struct sluice_txn *txn; /* NULL: describe only */
	struct sluice_table t; /* the kernel's, as read */
	struct sluice_svc *touched; /* the services changes were sent for */
	size_t ntouched, cap;
	char *out;
	size_t len, used;
	int err, changes;
};

static void note(struct walk *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void note(struct walk *w, const char *fmt, ...)
{
	va_list ap;
	int n;

	w->changes++;
	if (!w->out || w->used >= w->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(w->out + w->used, w->len - w->used, fmt, ap);
	va_end(ap);
	if (n > 0)
		w->used += (size_t)n < w->len - w->used ? (size_t)n :
							  w->len - w->used - 1;
}

/*
 * The weight sluiced wants for real @r of @s: its configured weight while
 * up, 0 while down; a real without a state yet is up if the kernel already
 * serves it with its configured weight (@kd: the kernel's, or NULL).
 */
static uint32_t want_weight(const struct sd_daemon *d,
			    const struct sd_service *s, const struct sd_real *r,
			    const struct sluice_dest *kd)
{
	/* d->rs: this configuration's states, or the previous one's (reload). */
	const struct sd_rstate *st = sd_health_find(d, &s->svc, &r->dest);

	if (st)
		return st->up ? r->dest.weight : 0;
	return kd && kd->weight == r->dest.weight ? r->dest.weight : 0;
}

/* Note @s as changed (the walk goes service by service). */
static int touch(struct walk *w, const struct sluice_svc *s)
{
	if (w->ntouched && sluice_svc_same(&w->touched[w->ntouched - 1], s))
		return 0;
	if (SLUICE_GROW(w->touched, w->ntouched, w->cap, 64))
		return -ENOMEM;
	w->touched[w->ntouched++] = *s;
	return 0;
}

/*
 * Send a change to service @s, whose state the walk read as @e (NULL:
 * absent): saved for undo from there first (no request to read it again).
 */
static int send_svc(struct walk *w, uint8_t cmd, const struct sluice_svc *s,
		    const struct sluice_entry *e)
{
	int err;

	if (!w->txn)
		return 0;
	err = touch(w, s);
	if (!err)
		err = sluice_txn_save_as(w->txn, s, e);
	if (!err)
		err = sluice_svc_cmd(&w->d->nl, cmd, s);
	return err;
}

static int send_dest(struct walk *w, uint8_t cmd, const struct sluice_svc *s,
		     const struct sluice_entry *e,
		     const struct sluice_dest *dst)
{
	int err;

	if (!w->txn)
		return 0;
	err = touch(w, s);
	if (!err)
		err = sluice_txn_save_as(w->txn, s, e);
	if (!err)
		err = sluice_dest_cmd(&w->d->nl, cmd, s, dst);
	return err;
}

static int svc_differs(const struct sluice_svc *want,
		       const struct sluice_svc *have)
{
	uint32_t mh = want->mh_size ? want->mh_size : SLUICE_MH_SIZE_DEFAULT;

	return strcmp(want->sched, have->sched) ||
	       want->sched_flags != have->sched_flags ||
	       want->flags != have->flags || want->timeout != have->timeout ||
	       want->persist_plen != have->persist_plen ||
	       want->hash_fields != have->hash_fields ||
	       (!strcmp(want->sched, "mh") && mh != have->mh_size);
}

static int in_service(const struct sd_service *s, const struct sluice_dest *r)
{
	size_t i;

	for (i = 0; i < s->nreals; i++)
		if (sluice_dest_same(&s->reals[i].dest, r))
			return 1;
	return 0;
}

/* One configured service against the kernel's entry @e (NULL: absent). */
static int walk_service(struct walk *w, const struct sd_service *s,
			const struct sluice_entry *e)
{
	char sv[96] = "", rv[64] = "";
	size_t i;
	int err;

	/* Names are for descriptions only (10,000 reals: not for nothing). */
	if (w->out)
		sd_svc_str(&s->svc, sv, sizeof(sv));
	if (!e) {
		note(w, "add %s; ", sv);
		err = send_svc(w, SLUICE_CMD_NEW_SERVICE, &s->svc, e);
		if (err)
			return err;
	} else if (svc_differs(&s->svc, &e->svc)) {
		note(w, "change %s's settings; ", sv);
		err = send_svc(w, SLUICE_CMD_SET_SERVICE, &s->svc, e);
		if (err)
			return err;
	}
	for (i = 0; e && i < e->ndests; i++) {
		if (in_service(s, &e->dests[i]))
			continue;
		if (w->out)
			sd_dest_str(&e->dests[i], rv, sizeof(rv));
		note(w, "remove real %s from %s; ", rv, sv);
		err = send_dest(w, SLUICE_CMD_DEL_DEST, &s->svc, e,
				&e->dests[i]);
		if (err)
			return err;
	}
	for (i = 0; i < s->nreals; i++) {
		const struct sluice_dest *kd =
			sluice_entry_dest(e, &s->reals[i].dest);
		struct sluice_dest want = s->reals[i].dest;

		want.weight = want_weight(w->d, s, &s->reals[i], kd);
		if (w->out)
			sd_dest_str(&want, rv, sizeof(rv));
		if (!kd) {
			note(w, "add real %s to %s (weight %u); ", rv, sv,
			     want.weight);
			err = send_dest(w, SLUICE_CMD_NEW_DEST, &s->svc, e,
					&want);
		} else if (kd->weight != want.weight ||
			   kd->u_thresh != want.u_thresh ||
			   kd->l_thresh != want.l_thresh ||
			   kd->fwd != want.fwd) {
			if (kd->weight != want.weight)
				note(w, "real %s of %s: weight %u -> %u; ", rv,
				     sv, kd->weight, want.weight);
			else
				note(w, "real %s of %s: thresholds; ", rv, sv);
			err = send_dest(w, SLUICE_CMD_SET_DEST, &s->svc, e,
					&want);
		} else {
			err = 0;
		}
		if (err)
			return err;
	}
	return 0;
}

/* The settings the file sets that the kernel has otherwise. */
static uint32_t cfg_differs(const struct sluice_cfg *want,
			    const struct sluice_cfg *have)
{
	uint32_t p = want->present, diff = 0;

#define CMP(attr, field)                                          \
	if ((p & SLUICE_HAS(attr)) && want->field != have->field) \
		diff |= SLUICE_HAS(attr);
	CMP(SLUICE_CFG_A_TIMEOUT_TCP, timeout_tcp)
	CMP(SLUICE_CFG_A_TIMEOUT_TCP_FIN, timeout_tcp_fin)
	CMP(SLUICE_CFG_A_TIMEOUT_UDP, timeout_udp)
	CMP(SLUICE_CFG_A_CONN_MAX, conn_max)
	CMP(SLUICE_CFG_A_MH_SEED, mh_seed)
	CMP(SLUICE_CFG_A_TUN_SRC4_PLEN, tun_src4_plen)
	CMP(SLUICE_CFG_A_TUN_SRC6_PLEN, tun_src6_plen)
	CMP(SLUICE_CFG_A_TUN_TTL, tun_ttl)
	CMP(SLUICE_CFG_A_EXPIRE_NODEST, expire_nodest)
#undef CMP
	if ((p & SLUICE_HAS(SLUICE_CFG_A_TUN_SRC4)) &&
	    memcmp(want->tun_src4, have->tun_src4, 4))
		diff |= SLUICE_HAS(SLUICE_CFG_A_TUN_SRC4);
	if ((p & SLUICE_HAS(SLUICE_CFG_A_TUN_SRC6)) &&
	    memcmp(want->tun_src6, have->tun_src6, 16))
		diff |= SLUICE_HAS(SLUICE_CFG_A_TUN_SRC6);
	/* The tunnel source and its length go together. */
	if (diff & (SLUICE_HAS(SLUICE_CFG_A_TUN_SRC4) |
		    SLUICE_HAS(SLUICE_CFG_A_TUN_SRC4_PLEN)))
		diff |= SLUICE_HAS(SLUICE_CFG_A_TUN_SRC4) |
			SLUICE_HAS(SLUICE_CFG_A_TUN_SRC4_PLEN);
	if (diff & (SLUICE_HAS(SLUICE_CFG_A_TUN_SRC6) |
		    SLUICE_HAS(SLUICE_CFG_A_TUN_SRC6_PLEN)))
		diff |= SLUICE_HAS(SLUICE_CFG_A_TUN_SRC6) |
			SLUICE_HAS(SLUICE_CFG_A_TUN_SRC6_PLEN);
	return diff & p;
}

static int walk(struct walk *w)
{
	struct sd_daemon *d = w->d;
	struct sluice_cfg kcfg, set;
	struct sluice_table *t = &w->t;
	struct sluice_entry *e;
	char *configured, sv[96];
	size_t i, j;
	int err;

	err = sluice_cfg_get(&d->nl, &kcfg);
	if (err)
		return err;
	set = d->cfg.settings;
	set.present = cfg_differs(&d->cfg.settings, &kcfg);
	if (set.present) {
		note(w, "settings; ");
		if (w->txn) {
			err = sluice_txn_save_cfg(&d->nl, w->txn, set.present);
			if (!err)
				err = sluice_cfg_set(&d->nl, &set);
			if (err)
				return err;
		}
	}
	err = sluice_table_read(&d->nl, NULL, 0, t);
	if (err)
		return err;
	/* The kernel's services by key, each marked when configured. */
	sluice_table_sort_keys(t);
	configured = calloc(t->n ? t->n : 1, 1);
	if (!configured)
		return -ENOMEM;
	for (i = 0; i < d->cfg.nvips; i++) {
		for (j = 0; j < d->cfg.vips[i].nsvcs; j++) {
			e = sluice_table_find(t, &d->cfg.vips[i].svcs[j].svc);
			if (e)
				configured[e - t->v] = 1;
		}
	}
	for (i = 0; !err && i < t->n; i++) {
		if (configured[i])
			continue;
		note(w, "remove %s; ",
		     sd_svc_str(&t->v[i].svc, sv, sizeof(sv)));
		err = send_svc(w, SLUICE_CMD_DEL_SERVICE, &t->v[i].svc,
			       &t->v[i]);
	}
	for (i = 0; !err && i < d->cfg.nvips; i++)
		for (j = 0; !err && j < d->cfg.vips[i].nsvcs; j++)
			err = walk_service(
				w, &d->cfg.vips[i].svcs[j],
				sluice_table_find(t,
						  &d->cfg.vips[i].svcs[j].svc));
	free(configured);
	return err;
}

int sd_diff(struct sd_daemon *d, char *out, size_t len)
{
	struct walk w = { .d = d, .out = out, .len = len };
	int err;

	out[0] = '\0';
	err = walk(&w);
	sluice_table_free(&w.t);
	if (w.used >= 2 && out[w.used - 2] == ';')
		out[w.used - 2] = '\0';
	return err ? err : w.changes;
}

/*
 * The table the walk read, with the services it changed read again, into
 * @kt (left empty if reading fails: sd_health_build() reads it all).
 */
static void keep_table(struct walk *w, struct sluice_table *kt)
{
	struct sd_daemon *d = w->d;
	size_t i;

	/* Most changed (the first start): all read again, in one dump. */
	if (w->ntouched > w->t.n / 4) {
		sluice_table_free(&w->t);
		if (sluice_table_read(&d->nl, NULL, 0, &w->t))
			return;
		sluice_table_sort_keys(&w->t);
	} else {
		for (i = 0; i < w->ntouched; i++)
			if (sluice_table_refresh(&d->nl, &w->t, &w->touched[i]))
				return;
	}
	*kt = w->t;
	memset(&w->t, 0, sizeof(w->t));
}

static int cmp_ptr(const void *a, const void *b)
{
	const void *x = *(const void *const *)a, *y = *(const void *const *)b;

	return (uintptr_t)x < (uintptr_t)y ? -1 : x != y;
}

/* The services of d->changed (each once), against the kernel's. */
static int walk_changed(struct walk *w)
{
	struct sd_daemon *d = w->d;
	struct sluice_table one;
	size_t i;
	int err = 0;

	qsort(d->changed, d->nchanged, sizeof(*d->changed), cmp_ptr);
	for (i = 0; !err && i < d->nchanged; i++) {
		const struct sd_service *s = d->changed[i];

		if (i && s == d->changed[i - 1])
			continue;
		err = sluice_table_read(&d->nl, &s->svc, 0, &one);
		if (err == -ENOENT) {
			err = walk_service(w, s, NULL);
			continue;
		}
		if (err)
			break;
		sluice_table_sort_keys(&one);
		err = walk_service(w, s, &one.v[0]);
		sluice_table_free(&one);
	}
	return err;
}

static int apply(struct sd_daemon *d, int (*fn)(struct walk *w),
		 struct sluice_table *kt, char *err, size_t errlen)
{
	struct walk w = { .d = d };
	char why[300];
	int e, u;

	w.txn = sluice_txn_new();
	if (!w.txn) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	d->applies++;
	e = fn(&w);
	if (e) {
		d->apply_failures++;
		snprintf(why, sizeof(why), "%s", sluice_nl_strerror(&d->nl, e));
		u = sluice_txn_undo(&d->nl, w.txn);
		snprintf(
			err, errlen, "%s; %s", why,
			u ? "could not undo: the kernel's table is partly changed" :
			    "nothing changed");
	} else {
		d->dirty = 0;
		d->nchanged = 0;
		d->changed_all = 0;
		if (kt)
			keep_table(&w, kt);
	}
	sluice_txn_free(w.txn);
	sluice_table_free(&w.t);
	free(w.touched);
	return e ? -1 : 0;
}

int sd_apply(struct sd_daemon *d, struct sluice_table *kt, char *err,
	     size_t errlen)
{
	if (kt)
		memset(kt, 0, sizeof(*kt));
	return apply(d, walk, kt, err, errlen);
}

int sd_apply_health(struct sd_daemon *d, char *err, size_t errlen)
{
	return apply(d, d->changed_all ? walk : walk_changed, NULL, err,
		     errlen);
}

void sd_apply_forget(struct sd_daemon *d)
{
	free(d->changed);
	d->changed = NULL;
	d->nchanged = d->changed_cap = 0;
}
