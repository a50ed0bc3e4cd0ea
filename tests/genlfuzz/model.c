// SPDX-License-Identifier: GPL-2.0
/* The model of the namespace's state (see model.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <linux/sluice.h>
#include <netlink/msg.h>

#include "model.h"
#include "table.h"

void gm_init(struct gm_model *m, const struct sluice_cfg *cfg)
{
	memset(m, 0, sizeof(*m));
	m->cfg = *cfg;
}

static struct gm_svc *find_svc(struct gm_model *m, const struct sluice_svc *key)
{
	int i;

	for (i = 0; i < m->n; i++)
		if (sluice_svc_same(&m->v[i].s, key))
			return &m->v[i];
	return NULL;
}

static struct sluice_dest *find_dest(struct gm_svc *s,
				     const struct sluice_dest *key)
{
	int i;

	for (i = 0; i < s->nd; i++)
		if (sluice_dest_same(&s->d[i], key))
			return &s->d[i];
	return NULL;
}

#define HAS(p, a) ((p)&SLUICE_HAS(a))

/* The kernel's svc_apply(): the settings present, then the hash default. */
static void svc_settings(struct gm_svc *g, const struct sluice_svc *c)
{
	struct sluice_svc *s = &g->s;

	if (HAS(c->present, SLUICE_SVC_A_SCHED_NAME))
		snprintf(s->sched, sizeof(s->sched), "%s", c->sched);
	if (HAS(c->present, SLUICE_SVC_A_SCHED_FLAGS))
		s->sched_flags = c->sched_flags;
	if (HAS(c->present, SLUICE_SVC_A_FLAGS))
		s->flags = c->flags;
	if (HAS(c->present, SLUICE_SVC_A_TIMEOUT))
		s->timeout = c->timeout;
	if (HAS(c->present, SLUICE_SVC_A_PERSIST_PLEN))
		s->persist_plen = c->persist_plen;
	if (HAS(c->present, SLUICE_SVC_A_MH_SIZE))
		s->mh_size = c->mh_size;
	if (HAS(c->present, SLUICE_SVC_A_HASH_FIELDS)) {
		s->hash_fields = c->hash_fields;
		g->hash_set = 1;
	} else if (!g->hash_set) {
		s->hash_fields = sluice_default_hash(s->sched);
	}
}

static void dest_settings(struct sluice_dest *d, const struct sluice_dest *c)
{
	if (HAS(c->present, SLUICE_DEST_A_FWD_METHOD))
		d->fwd = c->fwd;
	if (HAS(c->present, SLUICE_DEST_A_WEIGHT))
		d->weight = c->weight;
	if (HAS(c->present, SLUICE_DEST_A_U_THRESH))
		d->u_thresh = c->u_thresh;
	if (HAS(c->present, SLUICE_DEST_A_L_THRESH))
		d->l_thresh = c->l_thresh;
}

static void cfg_settings(struct sluice_cfg *k, const struct sluice_cfg *c)
{
#define SET(a, f)               \
	if (HAS(c->present, a)) \
	memcpy(&k->f, &c->f, sizeof(k->f))
	SET(SLUICE_CFG_A_TIMEOUT_TCP, timeout_tcp);
	SET(SLUICE_CFG_A_TIMEOUT_TCP_FIN, timeout_tcp_fin);
	SET(SLUICE_CFG_A_TIMEOUT_UDP, timeout_udp);
	SET(SLUICE_CFG_A_CONN_MAX, conn_max);
	SET(SLUICE_CFG_A_MH_SEED, mh_seed);
	SET(SLUICE_CFG_A_TUN_SRC4, tun_src4);
	SET(SLUICE_CFG_A_TUN_SRC4_PLEN, tun_src4_plen);
	SET(SLUICE_CFG_A_TUN_SRC6, tun_src6);
	SET(SLUICE_CFG_A_TUN_SRC6_PLEN, tun_src6_plen);
	SET(SLUICE_CFG_A_TUN_TTL, tun_ttl);
	SET(SLUICE_CFG_A_EXPIRE_NODEST, expire_nodest);
#undef SET
}

static int apply(struct gm_model *m, uint8_t cmd, struct nl_msg *msg, char *why,
		 size_t wlen)
{
	int svc_cmd = cmd >= SLUICE_CMD_NEW_SERVICE &&
		      cmd <= SLUICE_CMD_DEL_DEST;
	int dest_cmd = cmd >= SLUICE_CMD_NEW_DEST && cmd <= SLUICE_CMD_DEL_DEST;
	struct sluice_svc s;
	struct sluice_dest d, *dp;
	struct sluice_cfg c;
	struct gm_svc *g = NULL;
	int has_s = 0, has_d = 0;

	/* Only what the command reads: the others' attributes are only validated. */
	if ((svc_cmd && (has_s = sluice_msg_svc(msg, &s)) < 0) ||
	    (dest_cmd && (has_d = sluice_msg_dest(msg, &d)) < 0) ||
	    (cmd == SLUICE_CMD_SET_CONFIG && sluice_msg_cfg(msg, &c) < 0)) {
		snprintf(why, wlen,
			 "accepted, but its attributes do not parse");
		return -1;
	}
	if (has_s > 0)
		g = find_svc(m, &s);
	switch (cmd) {
	case SLUICE_CMD_NEW_SERVICE:
		if (g || m->n == GM_SVCS)
			break;
		g = &m->v[m->n++];
		memset(g, 0, sizeof(*g));
		g->s = s;
		snprintf(g->s.sched, sizeof(g->s.sched), "%s",
			 SLUICE_SCHED_DEFAULT);
		g->s.sched_flags = g->s.flags = g->s.timeout = 0;
		g->s.persist_plen = s.af == AF_INET ? 32 : 128;
		g->s.mh_size = SLUICE_MH_SIZE_DEFAULT;
		g->s.hash_fields = 0;
		svc_settings(g, &s);
		return 0;
	case SLUICE_CMD_SET_SERVICE:
		if (!g)
			break;
		svc_settings(g, &s);
		return 0;
	case SLUICE_CMD_DEL_SERVICE:
		if (!g)
			break;
		*g = m->v[--m->n];
		return 0;
	case SLUICE_CMD_NEW_DEST:
		if (!g || has_d <= 0 || find_dest(g, &d) || g->nd == GM_DESTS)
			break;
		dp = &g->d[g->nd++];
		*dp = d;
		dp->fwd = SLUICE_FWD_TUNNEL;
		dp->weight = 1;
		dp->u_thresh = dp->l_thresh = 0;
		dest_settings(dp, &d);
		return 0;
	case SLUICE_CMD_SET_DEST:
		if (!g || has_d <= 0 || !(dp = find_dest(g, &d)))
			break;
		dest_settings(dp, &d);
		return 0;
	case SLUICE_CMD_DEL_DEST:
		if (!g || has_d <= 0 || !(dp = find_dest(g, &d)))
			break;
		*dp = g->d[--g->nd];
		return 0;
	case SLUICE_CMD_FLUSH:
		m->n = 0;
		return 0;
	case SLUICE_CMD_SET_CONFIG:
		cfg_settings(&m->cfg, &c);
		return 0;
	default: /* reads, ZERO (counters), SET_MAPS: nothing modelled */
		return 0;
	}
	snprintf(why, wlen,
		 "accepted, but the model says it should have failed");
	return -1;
}

int gm_apply(struct gm_model *m, const void *buf, size_t len, char *why,
	     size_t wlen)
{
	const struct genlmsghdr *g =
		(const void *)((const uint8_t *)buf + NLMSG_HDRLEN);
	struct nl_msg *msg;
	int err;

	if (len < NLMSG_HDRLEN + GENL_HDRLEN) {
		snprintf(why, wlen,
			 "accepted without a generic netlink header");
		return -1;
	}
	msg = nlmsg_convert((struct nlmsghdr *)buf);
	if (!msg) {
		snprintf(why, wlen, "out of memory");
		return -1;
	}
	err = apply(m, g->cmd, msg, why, wlen);
	nlmsg_free(msg);
	return err;
}

static const char *svc_name(const struct sluice_svc *s, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (s->fwmark)
		snprintf(buf, len, "fwmark %u (af %u)", s->fwmark, s->af);
	else
		snprintf(buf, len, "%s [%s]:%u", s->proto == 6 ? "tcp" : "udp",
			 inet_ntop(s->af, s->addr, a, sizeof(a)), s->port);
	return buf;
}

#define DIFF(what, fmt, x, y)                                    \
	do {                                                     \
		snprintf(why, wlen,                              \
			 "%s: %s is " fmt " in the kernel, " fmt \
			 " in the model",                        \
			 name, what, x, y);                      \
		goto out;                                        \
	} while (0)

static int check_svc(const struct gm_svc *g, const struct sluice_entry *e,
		     char *why, size_t wlen)
{
	const struct sluice_svc *k = &e->svc, *s = &g->s;
	char name[96];
	size_t i;

	svc_name(s, name, sizeof(name));
	if (strcmp(k->sched, s->sched))
		DIFF("the scheduler", "%s", k->sched, s->sched);
	if (k->sched_flags != s->sched_flags)
		DIFF("SCHED_FLAGS", "%u", k->sched_flags, s->sched_flags);
	if (k->flags != s->flags)
		DIFF("FLAGS", "%u", k->flags, s->flags);
	if (k->timeout != s->timeout)
		DIFF("TIMEOUT", "%u", k->timeout, s->timeout);
	if (k->persist_plen != s->persist_plen)
		DIFF("PERSIST_PLEN", "%u", k->persist_plen, s->persist_plen);
	if (k->hash_fields != s->hash_fields)
		DIFF("HASH_FIELDS", "%#x", k->hash_fields, s->hash_fields);
	if (k->mh_size != s->mh_size)
		DIFF("MH_SIZE", "%u", k->mh_size, s->mh_size);
	if (e->ndests != (size_t)g->nd || k->ndests != (uint32_t)g->nd)
		DIFF("the number of reals", "%zu", e->ndests, (size_t)g->nd);
	for (i = 0; i < e->ndests; i++) {
		const struct sluice_dest *kd = &e->dests[i], *d = NULL;
		int j;

		for (j = 0; j < g->nd && !d; j++)
			if (sluice_dest_same(&g->d[j], kd))
				d = &g->d[j];
		if (!d)
			DIFF("a real's presence", "%s", "there", "absent");
		if (kd->fwd != d->fwd || kd->weight != d->weight ||
		    kd->u_thresh != d->u_thresh ||
		    kd->l_thresh != d->l_thresh) {
			snprintf(
				why, wlen,
				"%s: a real's fwd/weight/u/l are %u/%u/%u/%u in the kernel, %u/%u/%u/%u in the model",
				name, kd->fwd, kd->weight, kd->u_thresh,
				kd->l_thresh, d->fwd, d->weight, d->u_thresh,
				d->l_thresh);
			goto out;
		}
	}
	return 0;
out:
	return -1;
}

int gm_check(const struct gm_model *m, struct sluice_nl *nl, char *why,
	     size_t wlen)
{
	const char *name = "settings";
	struct sluice_table t;
	struct sluice_cfg c;
	int i, err, rc = -1;
	size_t j;

	err = sluice_cfg_get(nl, &c);
	if (err) {
		snprintf(why, wlen, "GET_CONFIG: %s", strerror(-err));
		return -1;
	}
	c.present = m->cfg.present;
	if (memcmp(&c, &m->cfg, sizeof(c))) {
		snprintf(why, wlen, "the settings differ from the model's");
		return -1;
	}
	err = sluice_table_read(nl, NULL, 0, &t);
	if (err) {
		snprintf(why, wlen, "reading the services: %s", strerror(-err));
		return -1;
	}
	if (t.n != (size_t)m->n)
		DIFF("the number of services", "%zu", t.n, (size_t)m->n);
	for (j = 0; j < t.n; j++) {
		const struct gm_svc *g = NULL;
		char sname[96];

		for (i = 0; i < m->n && !g; i++)
			if (sluice_svc_same(&m->v[i].s, &t.v[j].svc))
				g = &m->v[i];
		if (!g) {
			snprintf(why, wlen,
				 "the kernel has %s, the model does not",
				 svc_name(&t.v[j].svc, sname, sizeof(sname)));
			goto out;
		}
		if (check_svc(g, &t.v[j], why, wlen))
			goto out;
	}
	rc = 0;
out:
	sluice_table_free(&t);
	return rc;
}
