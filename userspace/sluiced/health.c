// SPDX-License-Identifier: GPL-2.0
/*
 * The health of every real of every service: the probes its service's
 * checks run against it, and whether it is up (every probe up). A real
 * that was in the previous configuration keeps its state and its probes
 * (the engine shares identical probes, so nothing restarts); a real the
 * kernel already serves with its configured weight is adopted as up (a
 * restart does not flap it); any other real starts down until its checks
 * pass.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/sluice.h>

#include "daemon.h"
#include "grow.h"
#include "table.h"

static const struct sd_check *check_of(const struct sd_daemon *d,
				       const struct hc_probe *p)
{
	const struct hc_spec *s = hc_probe_spec(p);
	size_t i;

	for (i = 0; i < d->cfg.nchecks; i++)
		if (hc_spec_equal(&d->cfg.checks[i].spec, s))
			return &d->cfg.checks[i];
	return NULL;
}

/* r->why made @why ("": none), kept when it is the same. */
static void set_why(struct sd_rstate *r, const char *why)
{
	if (r->why && !strcmp(r->why, why))
		return;
	free(r->why);
	r->why = why[0] ? strdup(why) : NULL;
}

static void update(struct sd_daemon *d, struct sd_rstate *r, int log)
{
	char a[64], v[96], why[160] = "";
	const struct sluice_dest *dst = &r->real->dest;
	int up = 1;
	size_t i;

	for (i = 0; i < r->nprobes && up; i++) {
		struct hc_info info;
		const struct sd_check *k;

		hc_probe_info(r->probes[i], &info);
		if (info.state == HC_UP)
			continue;
		up = 0;
		k = check_of(d, r->probes[i]);
		snprintf(why, sizeof(why), "check %s: %s", k ? k->name : "?",
			 info.state == HC_UNKNOWN ? "no verdict yet" :
			 info.last_error[0]	  ? info.last_error :
						    "failed");
	}
	set_why(r, why);
	if (up == r->up)
		return;
	r->up = up;
	r->since = sd_wall();
	d->dirty = 1;
	if (d->nchanged && d->changed[d->nchanged - 1] == r->svc)
		; /* noted already */
	else if (SLUICE_GROW(d->changed, d->nchanged, d->changed_cap, 64))
		d->changed_all = 1;
	else
		d->changed[d->nchanged++] = r->svc;
	d->vips_dirty = 1;
	if (log) {
		const struct sd_field f[] = {
			{ "SLUICE_EVENT", up ? "real_up" : "real_down" },
			{ "SLUICE_SERVICE",
			  sd_svc_str(&r->svc->svc, v, sizeof(v)) },
			{ "SLUICE_REAL", sd_dest_str(dst, a, sizeof(a)) },
			{ "SLUICE_REASON", why },
			{ NULL, NULL },
		};

		sd_log_event(up ? "notice" : "warning", f,
			     "real %s of %s is %s%s%s", a, v,
			     up ? "up" : "down (drained)", up ? "" : ": ", why);
	}
}

/* ---- lookups: by (service, real) key and by probe ---- */

static int cmp_u(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static int cmp_key(const struct sluice_svc *s1, const struct sluice_dest *d1,
		   const struct sluice_svc *s2, const struct sluice_dest *d2)
{
	int r = sluice_svc_cmp(s1, s2);

	return r ? r : sluice_dest_cmp(d1, d2);
}

static int cmp_rstate(const void *a, const void *b)
{
	const struct sd_rstate *x = *(struct sd_rstate *const *)a,
			       *y = *(struct sd_rstate *const *)b;

	return cmp_key(&x->svc->svc, &x->real->dest, &y->svc->svc,
		       &y->real->dest);
}

static int cmp_ref(const void *a, const void *b)
{
	const struct sd_probe_ref *x = a, *y = b;

	return cmp_u((uintptr_t)x->probe, (uintptr_t)y->probe);
}

struct sd_rstate *sd_health_find(const struct sd_daemon *d,
				 const struct sluice_svc *svc,
				 const struct sluice_dest *dest)
{
	size_t lo = 0, hi = d->idx.n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct sd_rstate *r = d->idx.by_key[mid];
		int c = cmp_key(&r->svc->svc, &r->real->dest, svc, dest);

		if (!c)
			return d->idx.by_key[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void sd_rindex_free(struct sd_rindex *idx)
{
	free(idx->by_key);
	free(idx->by_probe);
	memset(idx, 0, sizeof(*idx));
}

static int rindex_build(struct sd_rindex *idx, struct sd_rstate *rs, size_t n)
{
	size_t i, j, np = 0;

	for (i = 0; i < n; i++)
		np += rs[i].nprobes;
	idx->by_key = calloc(n ? n : 1, sizeof(*idx->by_key));
	idx->by_probe = calloc(np ? np : 1, sizeof(*idx->by_probe));
	if (!idx->by_key || !idx->by_probe) {
		sd_rindex_free(idx);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		idx->by_key[i] = &rs[i];
		for (j = 0; j < rs[i].nprobes; j++)
			idx->by_probe[idx->nprobe++] =
				(struct sd_probe_ref){ rs[i].probes[j],
						       &rs[i] };
	}
	idx->n = n;
	qsort(idx->by_key, n, sizeof(*idx->by_key), cmp_rstate);
	qsort(idx->by_probe, idx->nprobe, sizeof(*idx->by_probe), cmp_ref);
	return 0;
}

void sd_health_changed(struct hc_probe *p, enum hc_state s, void *arg)
{
	struct sd_daemon *d = arg;
	const struct sd_probe_ref key = { p, NULL };
	size_t lo = 0, hi = d->idx.nprobe;

	(void)s;
	/* The first reference to @p, then every one (each real using it). */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cmp_ref(&d->idx.by_probe[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < d->idx.nprobe && d->idx.by_probe[lo].probe == p; lo++)
		update(d, d->idx.by_probe[lo].r, 1);
}

uint32_t sd_health_weight(const struct sd_rstate *r)
{
	return r->up ? r->real->dest.weight : 0;
}

/* The source a probe to @af/@addr leaves from: configured, else routed. */
static int probe_source(const struct sd_daemon *d, int af, const uint8_t *addr,
			uint8_t *src)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t len = sizeof(ss);
	int fd, err = 0;

	if (af == AF_INET && d->cfg.daemon.have_src4) {
		memcpy(src, d->cfg.daemon.src4, 4);
		return 0;
	}
	if (af == AF_INET6 && d->cfg.daemon.have_src6) {
		memcpy(src, d->cfg.daemon.src6, 16);
		return 0;
	}
	fd = socket(af, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (af == AF_INET) {
		struct sockaddr_in *s = (struct sockaddr_in *)&ss;

		s->sin_family = AF_INET;
		s->sin_port = htons(9);
		memcpy(&s->sin_addr, addr, 4);
		len = sizeof(*s);
	} else {
		struct sockaddr_in6 *s = (struct sockaddr_in6 *)&ss;

		s->sin6_family = AF_INET6;
		s->sin6_port = htons(9);
		memcpy(&s->sin6_addr, addr, 16);
		len = sizeof(*s);
	}
	if (connect(fd, (struct sockaddr *)&ss, len) ||
	    getsockname(fd, (struct sockaddr *)&ss, &len))
		err = -errno;
	close(fd);
	if (err)
		return err;
	if (af == AF_INET)
		memcpy(src, &((struct sockaddr_in *)&ss)->sin_addr, 4);
	else
		memcpy(src, &((struct sockaddr_in6 *)&ss)->sin6_addr, 16);
	return 0;
}

/* The target of check @k of real @r: the real itself, or VIP:port through it. */
static int target(const struct sd_daemon *d, const struct sd_check *k,
		  const struct sd_service *s, const struct sluice_dest *kd,
		  const struct sd_real *r, struct hc_target *t)
{
	const struct sluice_dest *dst = &r->dest;

	memset(t, 0, sizeof(*t));
	if (k->spec.type == HC_EXEC) {
		/*
		 * Only commands are told the VIP: any other check of a real
		 * is one probe, whichever VIPs the real serves.
		 */
		t->vip_af = s->svc.af;
		memcpy(t->vip, s->svc.addr, 16);
		t->vport = s->svc.port;
	}
	if (!k->via_vip) {
		t->af = dst->af;
		memcpy(t->addr, dst->addr, 16);
		t->port = k->port ? k->port : dst->port;
		return 0;
	}
	if (!kd)
		return -ENOENT; /* the kernel has no slot for it yet */
	t->af = s->svc.af;
	memcpy(t->addr, s->svc.addr, 16);
	t->port = k->port ? k->port : s->svc.port;
	t->mark = SLUICE_MARK_VALUE | kd->real_index;
	t->src_af = s->svc.af;
	return probe_source(d, s->svc.af, dst->addr, t->src);
}

/* How many checks real @r of @s has: its own, or its service's. */
static size_t nchecks(const struct sd_service *s, const struct sd_real *r)
{
	return r->own_checks ? r->nchecks : s->nchecks;
}

void sd_health_free(struct sd_rstate *rs, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < rs[i].nprobes; j++)
			hc_probe_put(rs[i].probes[j]);
		free(rs[i].why);
	}
	free(rs);
}

/*
 * The reals' states for d->cfg, read against the kernel's table (adoption
 * and the slots through-the-VIP probes need). Called after sd_apply(), so
 * every configured real has its slot, with the table it gave in @ktable
 * (taken over and freed here; empty: the kernel's is read now). The old
 * states are left to the caller to free (after this, so shared probes
 * live on).
 */
int sd_health_build(struct sd_daemon *d, struct sluice_table *ktable)
{
	struct sd_rindex idx = { 0 };
	struct sluice_table kt = *ktable;
	struct sd_rstate *rs;
	struct hc_probe **slot;
	size_t n = 0, np = 0, i, j, k, m;
	int err;

	memset(ktable, 0, sizeof(*ktable));
	if (!kt.v) {
		err = sluice_table_read(&d->nl, NULL, 0, &kt);
		if (err)
			return err;
		sluice_table_sort_keys(&kt);
	}
	for (i = 0; i < d->cfg.nvips; i++) {
		for (j = 0; j < d->cfg.vips[i].nsvcs; j++) {
			const struct sd_service *s = &d->cfg.vips[i].svcs[j];

			n += s->nreals;
			for (k = 0; k < s->nreals; k++)
				np += nchecks(s, &s->reals[k]);
		}
	}
	/* The states, then their probes: one block (sd_health_free()). */
	rs = calloc(1, n * sizeof(*rs) + np * sizeof(*slot) + 1);
	if (!rs) {
		sluice_table_free(&kt);
		return -ENOMEM;
	}
	slot = (struct hc_probe **)(rs + n);
	m = 0;
	for (i = 0; i < d->cfg.nvips; i++) {
		for (j = 0; j < d->cfg.vips[i].nsvcs; j++) {
			const struct sd_service *s = &d->cfg.vips[i].svcs[j];

			for (k = 0; k < s->nreals; k++) {
				struct sd_rstate *r = &rs[m++], *o;
				const struct sd_real *cr = &s->reals[k];
				const size_t *ck_idx =
					cr->own_checks ? cr->checks : s->checks;
				size_t nck = nchecks(s, cr);
				const struct sluice_dest *kd;
				size_t c;

				r->svc = s;
				r->real = cr;
				kd = sluice_entry_dest(
					sluice_table_find(&kt, &s->svc),
					&cr->dest);
				o = sd_health_find(d, &s->svc, &r->real->dest);
				/* (Its ->why is update()'s, below.) */
				if (o) {
					r->up = o->up;
					r->since = o->since;
				} else {
					r->up = kd && kd->weight &&
						kd->weight ==
							r->real->dest.weight;
					r->since = sd_wall();
				}
				r->probes = slot;
				slot += nck;
				for (c = 0; c < nck; c++) {
					const struct sd_check *ck =
						&d->cfg.checks[ck_idx[c]];
					struct hc_target t;

					err = target(d, ck, s, kd, r->real, &t);
					if (err)
						goto fail;
					r->probes[c] = hc_probe_get(
						d->hc, &ck->spec, &t,
						r->up ? HC_UP : HC_UNKNOWN);
					if (!r->probes[c]) {
						err = -ENOMEM;
						goto fail;
					}
					r->nprobes++;
				}
			}
		}
	}
	sluice_table_free(&kt);
	err = rindex_build(&idx, rs, n);
	if (err) {
		sd_health_free(rs, n);
		return err;
	}
	sd_rindex_free(&d->idx);
	d->idx = idx;
	d->rs = rs;
	d->nrs = n;
	for (i = 0; i < n; i++)
		update(d, &rs[i], 0);
	return 0;
fail:
	sluice_table_free(&kt);
	sd_health_free(rs, m);
	return err;
}
