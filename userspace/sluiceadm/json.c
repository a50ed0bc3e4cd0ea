// SPDX-License-Identifier: GPL-2.0
/* JSON listings (see json.h). */
#include <arpa/inet.h>
#include <string.h>
#include <netinet/in.h>

#include "json.h"
#include "show.h"

static void add(struct json_object *o, const char *k, struct json_object *v)
{
	json_object_object_add(o, k, v);
}

static struct json_object *u64(uint64_t v)
{
	return json_object_new_uint64(v);
}

static struct json_object *address(uint16_t af, const uint8_t *addr)
{
	char buf[INET6_ADDRSTRLEN];

	inet_ntop(af, addr, buf, sizeof(buf));
	return json_object_new_string(buf);
}

static const char *family(uint16_t af)
{
	return af == AF_INET6 ? "inet6" : "inet";
}

static struct json_object *stats(const struct sluice_stats *st, int rates)
{
	struct json_object *o = json_object_new_object();

	if (rates) {
		add(o, "cps", u64(st->cps));
		add(o, "inpps", u64(st->inpps));
		add(o, "outpps", u64(st->outpps));
		add(o, "inbps", u64(st->inbps));
		add(o, "outbps", u64(st->outbps));
	} else {
		add(o, "conns", u64(st->conns));
		add(o, "inpkts", u64(st->inpkts));
		add(o, "outpkts", u64(st->outpkts));
		add(o, "inbytes", u64(st->inbytes));
		add(o, "outbytes", u64(st->outbytes));
	}
	return o;
}

struct json_object *adm_json_svc(const struct sluice_svc *s)
{
	struct json_object *o = json_object_new_object(), *fl;
	char flags[64], *save = NULL, *w;

	add(o, "family", json_object_new_string(family(s->af)));
	if (s->fwmark) {
		add(o, "fwmark", u64(s->fwmark));
	} else {
		add(o, "protocol",
		    json_object_new_string(s->proto == IPPROTO_TCP ? "tcp" :
								     "udp"));
		add(o, "address", address(s->af, s->addr));
		add(o, "port", u64(s->port));
	}
	if (!(s->present & SLUICE_HAS(SLUICE_SVC_A_SCHED_NAME)))
		return o; /* the key only (events about its reals) */
	add(o, "scheduler", json_object_new_string(s->sched));
	fl = json_object_new_array();
	adm_sched_flags(s, flags, sizeof(flags));
	for (w = strtok_r(flags, ",", &save); w; w = strtok_r(NULL, ",", &save))
		json_object_array_add(fl, json_object_new_string(w));
	add(o, "sched_flags", fl);
	add(o, "persistent", u64(s->timeout));
	add(o, "netmask", u64(s->persist_plen));
	add(o, "ops",
	    json_object_new_boolean(s->flags & SLUICE_SVC_F_ONEPACKET));
	add(o, "mh_size", u64(s->mh_size));
	add(o, "stats", stats(&s->stats, 0));
	add(o, "rates", stats(&s->stats, 1));
	return o;
}

struct json_object *adm_json_dest(const struct sluice_dest *d)
{
	struct json_object *o = json_object_new_object();

	add(o, "family", json_object_new_string(family(d->af)));
	add(o, "address", address(d->af, d->addr));
	add(o, "port", u64(d->port));
	if (!(d->present & SLUICE_HAS(SLUICE_DEST_A_WEIGHT)))
		return o; /* the key only (a deleted real) */
	add(o, "forward", json_object_new_string("tunnel"));
	add(o, "tun_type", json_object_new_string("ipip"));
	add(o, "weight", u64(d->weight));
	add(o, "u_threshold", u64(d->u_thresh));
	add(o, "l_threshold", u64(d->l_thresh));
	add(o, "active_conns", u64(d->activeconns));
	add(o, "inactive_conns", u64(d->inactconns));
	add(o, "persistent_conns", u64(d->persistconns));
	add(o, "stats", stats(&d->stats, 0));
	add(o, "rates", stats(&d->stats, 1));
	return o;
}

static struct json_object *endpoint(uint16_t af, const uint8_t *a, uint16_t p)
{
	struct json_object *o = json_object_new_object();

	add(o, "address", address(af, a));
	add(o, "port", u64(p));
	return o;
}

struct json_object *adm_json_conn(const struct sluice_conn *c)
{
	struct json_object *o = json_object_new_object();
	const char *proto = adm_proto_name(c->proto);

	add(o, "protocol", json_object_new_string(proto));
	add(o, "state", json_object_new_string(adm_conn_state_name(c->state)));
	add(o, "expires_ms", u64(c->expires_ms));
	add(o, "source", endpoint(c->af, c->caddr, c->cport));
	add(o, "virtual", endpoint(c->af, c->vaddr, c->vport));
	add(o, "destination", endpoint(c->daf, c->daddr, c->dport));
	return o;
}

struct json_object *adm_json_cfg(const struct sluice_cfg *c)
{
	struct json_object *o = json_object_new_object();

	if (c->present & SLUICE_HAS(SLUICE_CFG_A_TIMEOUT_TCP))
		add(o, "tcp", u64(c->timeout_tcp));
	if (c->present & SLUICE_HAS(SLUICE_CFG_A_TIMEOUT_TCP_FIN))
		add(o, "tcpfin", u64(c->timeout_tcp_fin));
	if (c->present & SLUICE_HAS(SLUICE_CFG_A_TIMEOUT_UDP))
		add(o, "udp", u64(c->timeout_udp));
	if (c->present & SLUICE_HAS(SLUICE_CFG_A_CONN_MAX))
		add(o, "conn_max", u64(c->conn_max));
	if (c->present & SLUICE_HAS(SLUICE_CFG_A_MH_SEED))
		add(o, "mh_seed", u64(c->mh_seed));
	if (c->present & SLUICE_HAS(SLUICE_CFG_A_EXPIRE_NODEST))
		add(o, "expire_nodest", u64(c->expire_nodest));
	return o;
}

void adm_json_put(FILE *f, struct json_object *o)
{
	fprintf(f, "%s\n",
		json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
}

void adm_json_list(FILE *f, const struct sluice_table *t,
		   const struct sluice_info *info)
{
	struct json_object *o = json_object_new_object();
	struct json_object *svcs = json_object_new_array();
	size_t i, j;

	if (info) {
		add(o, "version", json_object_new_string(info->version));
		add(o, "size", u64(info->conn_max));
	}
	for (i = 0; i < t->n; i++) {
		struct json_object *s = adm_json_svc(&t->v[i].svc);
		struct json_object *reals = json_object_new_array();

		for (j = 0; j < t->v[i].ndests; j++)
			json_object_array_add(reals,
					      adm_json_dest(&t->v[i].dests[j]));
		add(s, "reals", reals);
		json_object_array_add(svcs, s);
	}
	add(o, "services", svcs);
	adm_json_put(f, o);
}

void adm_json_timeout(FILE *f, const struct sluice_cfg *cfg)
{
	struct json_object *o = json_object_new_object();
	struct json_object *t = json_object_new_object();

	add(t, "tcp", u64(cfg->timeout_tcp));
	add(t, "tcpfin", u64(cfg->timeout_tcp_fin));
	add(t, "udp", u64(cfg->timeout_udp));
	add(o, "timeout", t);
	adm_json_put(f, o);
}
