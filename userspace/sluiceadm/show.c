// SPDX-License-Identifier: GPL-2.0
/* ipvsadm's output formats (see show.h); widths are ipvsadm 1.31's. */
#include <arpa/inet.h>
#include <netdb.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "parse.h"
#include "show.h"

const char *adm_proto_name(uint8_t proto)
{
	return proto == IPPROTO_TCP ? "TCP" :
	       proto == IPPROTO_UDP ? "UDP" :
				      "IP";
}

const char *adm_conn_state_name(uint8_t state)
{
	static const char *const names[] = {
		[SLUICE_CONN_SYN_RECV] = "SYN_RECV",
		[SLUICE_CONN_ESTABLISHED] = "ESTABLISHED",
		[SLUICE_CONN_FIN_WAIT] = "FIN_WAIT",
		[SLUICE_CONN_UDP] = "UDP",
		[SLUICE_CONN_TEMPLATE] = "NONE",
	};

	return state < sizeof(names) / sizeof(names[0]) ? names[state] : "?";
}

void adm_addrport(uint16_t af, const uint8_t *addr, uint16_t port,
		  uint8_t proto, int numeric, char *buf, size_t len)
{
	char host[NI_MAXHOST], serv[32];
	struct servent *se = NULL;

	inet_ntop(af, addr, host, sizeof(host));
	if (!numeric) {
		struct sockaddr_storage ss = { .ss_family = af };
		socklen_t sl = af == AF_INET6 ? sizeof(struct sockaddr_in6) :
						sizeof(struct sockaddr_in);

		if (af == AF_INET6)
			memcpy(&((struct sockaddr_in6 *)&ss)->sin6_addr, addr,
			       16);
		else
			memcpy(&((struct sockaddr_in *)&ss)->sin_addr, addr, 4);
		getnameinfo((struct sockaddr *)&ss, sl, host, sizeof(host),
			    NULL, 0, 0);
		if (proto == IPPROTO_TCP || proto == IPPROTO_UDP)
			se = getservbyport(htons(port), proto == IPPROTO_TCP ?
								"tcp" :
								"udp");
	}
	if (se)
		snprintf(serv, sizeof(serv), "%s", se->s_name);
	else
		snprintf(serv, sizeof(serv), "%u", port);
	snprintf(buf, len, af == AF_INET6 ? "[%s]:%s" : "%s:%s", host, serv);
}

void adm_print_largenum(FILE *f, unsigned long long v, int exact)
{
	static const struct {
		unsigned long long below, div;
		char unit;
	} scale[] = {
		{ 1000000000ULL, 1000ULL, 'K' },
		{ 100000000000ULL, 1000000ULL, 'M' },
		{ 100000000000000ULL, 1000000000ULL, 'G' },
		{ ~0ULL, 1000000000000ULL, 'T' },
	};
	size_t i;

	if (exact || v < 100000000ULL) {
		int n = snprintf(NULL, 0, "%llu", v);

		fprintf(f, "%*llu", n <= 8 ? 9 : n + 1, v);
		return;
	}
	for (i = 0; i < 3 && v >= scale[i].below; i++)
		;
	fprintf(f, "%8llu%c", v / scale[i].div, scale[i].unit);
}

void adm_sched_flags(const struct sluice_svc *s, char *buf, size_t len)
{
	int named = !strcmp(s->sched, "mh") || !strcmp(s->sched, "sh");
	int port = s->hash_fields ==
		   (SLUICE_HASH_SRC_ADDR | SLUICE_HASH_SRC_PORT);
	int fb = !!(s->sched_flags & SLUICE_SCHED_F_FALLBACK);

	if (named)
		snprintf(buf, len, "%s%s%s%s%s", fb ? s->sched : "",
			 fb ? "-fallback" : "", fb && port ? "," : "",
			 port ? s->sched : "", port ? "-port" : "");
	else
		snprintf(buf, len, "%s%s%s", fb ? "flag-1" : "",
			 fb && port ? "," : "", port ? "flag-2" : "");
}

static int fmt_of(uint32_t o)
{
	static const int order[] = { ADM_O_STATS, ADM_O_RATE, ADM_O_THRESHOLDS,
				     ADM_O_PERSISTENTCONN, ADM_O_TUN_INFO };
	size_t i;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (o & ADM_HAS(order[i]))
			return order[i];
	return -1;
}

static void print_title(FILE *f, uint32_t o)
{
	static const char *const cols[][5] = {
		{ "Conns", "InPkts", "OutPkts", "InBytes", "OutBytes" },
		{ "CPS", "InPPS", "OutPPS", "InBPS", "OutBPS" },
	};
	const char *prot = "Prot LocalAddress:Port";
	int fmt = fmt_of(o);

	switch (fmt) {
	case ADM_O_STATS:
	case ADM_O_RATE: {
		const char *const *c = cols[fmt == ADM_O_RATE];

		fprintf(f, "%-33s %8s %8s %8s %8s %8s\n", prot, c[0], c[1],
			c[2], c[3], c[4]);
		break;
	}
	case ADM_O_THRESHOLDS:
		fprintf(f, "%-33s %-10s %-10s %-10s %-10s\n", prot,
			"Uthreshold", "Lthreshold", "ActiveConn", "InActConn");
		break;
	case ADM_O_PERSISTENTCONN:
		fprintf(f, "%-33s %-9s %-11s %-10s %-10s\n", prot, "Weight",
			"PersistConn", "ActiveConn", "InActConn");
		break;
	case ADM_O_TUN_INFO:
		fprintf(f,
			"%s Scheduler Flags\n  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn\n",
			prot);
		return;
	default:
		fprintf(f,
			"%s Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n",
			prot);
		return;
	}
	fprintf(f, "  -> RemoteAddress:Port\n");
}

static void print_five(FILE *f, const struct sluice_stats *st, int rate,
		       int exact)
{
	const uint64_t v[2][5] = {
		{ st->conns, st->inpkts, st->outpkts, st->inbytes,
		  st->outbytes },
		{ st->cps, st->inpps, st->outpps, st->inbps, st->outbps },
	};
	int i;

	for (i = 0; i < 5; i++)
		adm_print_largenum(f, v[rate][i], exact);
	fprintf(f, "\n");
}

static void svc_name(const struct sluice_svc *s, int numeric, int rule,
		     char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN + 48];

	if (s->fwmark) {
		snprintf(buf, len, rule ? "-f %u%s" : "FWM  %u%s", s->fwmark,
			 s->af == AF_INET6 ? (rule ? " -6" : " IPv6") : "");
		return;
	}
	adm_addrport(s->af, s->addr, s->port, s->proto, numeric, a, sizeof(a));
	if (rule) {
		snprintf(buf, len, "%s %s",
			 s->proto == IPPROTO_TCP ? "-t" : "-u", a);
		return;
	}
	snprintf(buf, len, "%s  %s", adm_proto_name(s->proto), a);
	if (s->af != AF_INET6 && len > 33)
		buf[33] = '\0';
}

/* " persistent 360 mask 255.255.255.0" / " -p 360 -M ..." */
static void print_persist(FILE *f, const struct sluice_svc *s, int rule)
{
	unsigned int full = s->af == AF_INET6 ? 128 : 32;

	if (!s->timeout)
		return;
	fprintf(f, rule ? " -p %u" : " persistent %u", s->timeout);
	if (s->persist_plen == full)
		return;
	if (s->af == AF_INET6) {
		fprintf(f, rule ? " -M %u" : " mask %u", s->persist_plen);
	} else {
		struct in_addr m = { htonl(
			s->persist_plen ? ~0U << (32 - s->persist_plen) : 0) };

		fprintf(f, rule ? " -M %s" : " mask %s", inet_ntoa(m));
	}
}

static void print_dest(FILE *f, const struct sluice_svc *s,
		       const struct sluice_dest *d, uint32_t o)
{
	char name[INET6_ADDRSTRLEN + 48];
	int exact = !!(o & ADM_HAS(ADM_O_EXACT));

	adm_addrport(d->af, d->addr, d->port, s->fwmark ? 0 : s->proto,
		     o & ADM_HAS(ADM_O_NUMERIC), name, sizeof(name));
	if (d->af != AF_INET6)
		name[28] = '\0';
	switch (fmt_of(o)) {
	case ADM_O_STATS:
	case ADM_O_RATE:
		fprintf(f, "  -> %-28s", name);
		print_five(f, &d->stats, fmt_of(o) == ADM_O_RATE, exact);
		break;
	case ADM_O_THRESHOLDS:
		fprintf(f, "  -> %-28s %-10u %-10u %-10u %-10u\n", name,
			d->u_thresh, d->l_thresh, d->activeconns,
			d->inactconns);
		break;
	case ADM_O_PERSISTENTCONN:
		fprintf(f, "  -> %-28s %-9u %-11u %-10u %-10u\n", name,
			d->weight, d->persistconns, d->activeconns,
			d->inactconns);
		break;
	case ADM_O_TUN_INFO:
		fprintf(f, "  -> %-28s %-7s %-13s %-6u %-10u %-10u\n", name,
			"Tunnel", "ipip", d->weight, d->activeconns,
			d->inactconns);
		break;
	default:
		fprintf(f, "  -> %-28s %-7s %-6u %-10u %-10u\n", name, "Tunnel",
			d->weight, d->activeconns, d->inactconns);
	}
}

static void print_entry(FILE *f, const struct sluice_entry *e, uint32_t o)
{
	const struct sluice_svc *s = &e->svc;
	char name[INET6_ADDRSTRLEN + 64], flags[64];
	int fmt = fmt_of(o);
	size_t i;

	svc_name(s, o & ADM_HAS(ADM_O_NUMERIC), 0, name, sizeof(name));
	if (fmt == ADM_O_STATS || fmt == ADM_O_RATE) {
		fprintf(f, "%-33s", name);
		print_five(f, &s->stats, fmt == ADM_O_RATE,
			   !!(o & ADM_HAS(ADM_O_EXACT)));
	} else {
		fprintf(f, "%s %s", name, s->sched);
		adm_sched_flags(s, flags, sizeof(flags));
		if (flags[0])
			fprintf(f, " (%s)", flags);
		print_persist(f, s, 0);
		if (s->flags & SLUICE_SVC_F_ONEPACKET)
			fprintf(f, " ops");
		fprintf(f, "\n");
	}
	for (i = 0; i < e->ndests; i++)
		print_dest(f, s, &e->dests[i], o);
}

void adm_print_list(FILE *f, const struct sluice_table *t, uint32_t options,
		    const struct sluice_info *info)
{
	size_t i;

	if (info)
		fprintf(f, "sluice version %s (size=%u)\n", info->version,
			info->conn_max);
	print_title(f, options);
	for (i = 0; i < t->n; i++)
		print_entry(f, &t->v[i], options);
}

void adm_print_svc_rule(FILE *f, const char *cmd, const struct sluice_svc *s,
			int numeric)
{
	char name[INET6_ADDRSTRLEN + 64], flags[64];

	svc_name(s, numeric, 1, name, sizeof(name));
	fprintf(f, "%s %s", cmd, name);
	if (!strcmp(cmd, "-D") || !strcmp(cmd, "-Z"))
		goto out;
	fprintf(f, " -s %s", s->sched);
	print_persist(f, s, 1);
	if (s->flags & SLUICE_SVC_F_ONEPACKET)
		fprintf(f, " -o");
	adm_sched_flags(s, flags, sizeof(flags));
	if (flags[0])
		fprintf(f, " -b %s", flags);
	/* sluice's own setting, when not the default */
	if (!strcmp(s->sched, "mh") && s->mh_size != SLUICE_MH_SIZE_DEFAULT)
		fprintf(f, " --mh-size %u", s->mh_size);
out:
	fprintf(f, "\n");
}

void adm_print_dest_rule(FILE *f, const char *cmd, const struct sluice_svc *s,
			 const struct sluice_dest *d, int numeric)
{
	char name[INET6_ADDRSTRLEN + 64], dname[INET6_ADDRSTRLEN + 48];

	svc_name(s, numeric, 1, name, sizeof(name));
	adm_addrport(d->af, d->addr, d->port, s->fwmark ? 0 : s->proto, numeric,
		     dname, sizeof(dname));
	fprintf(f, "%s %s -r %s", cmd, name, dname);
	if (strcmp(cmd, "-d")) {
		fprintf(f, " -i -w %u --tun-type ipip", d->weight);
		/* ipvsadm leaves thresholds out; a restore needs them */
		if (d->u_thresh || d->l_thresh)
			fprintf(f, " -x %u -y %u", d->u_thresh, d->l_thresh);
	}
	fprintf(f, "\n");
}

void adm_print_save(FILE *f, const struct sluice_table *t, int numeric)
{
	size_t i, j;

	for (i = 0; i < t->n; i++) {
		adm_print_svc_rule(f, "-A", &t->v[i].svc, numeric);
		for (j = 0; j < t->v[i].ndests; j++)
			adm_print_dest_rule(f, "-a", &t->v[i].svc,
					    &t->v[i].dests[j], numeric);
	}
}

void adm_print_conn_title(FILE *f)
{
	fprintf(f, "sluice connection entries\n");
	fprintf(f, "pro expire %-11s %-18s %-18s %s\n", "state", "source",
		"virtual", "destination");
}

void adm_print_conn(FILE *f, const struct sluice_conn *c, int numeric)
{
	char src[INET6_ADDRSTRLEN + 48], vip[INET6_ADDRSTRLEN + 48],
		dst[INET6_ADDRSTRLEN + 48], expire[16];
	unsigned int secs = c->expires_ms / 1000;

	adm_addrport(c->af, c->caddr, c->cport, c->proto, numeric, src,
		     sizeof(src));
	adm_addrport(c->af, c->vaddr, c->vport, c->proto, numeric, vip,
		     sizeof(vip));
	adm_addrport(c->daf, c->daddr, c->dport, c->proto, numeric, dst,
		     sizeof(dst));
	snprintf(expire, sizeof(expire), "%02u:%02u", secs / 60, secs % 60);
	fprintf(f, "%-3s %-6s %-11s %-18s %-18s %s\n", adm_proto_name(c->proto),
		expire, adm_conn_state_name(c->state), src, vip, dst);
}

void adm_print_timeout(FILE *f, const struct sluice_cfg *cfg)
{
	fprintf(f, "Timeout (tcp tcpfin udp): %u %u %u\n", cfg->timeout_tcp,
		cfg->timeout_tcp_fin, cfg->timeout_udp);
}
