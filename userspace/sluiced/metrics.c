// SPDX-License-Identifier: GPL-2.0
/*
 * The Prometheus text exposition of a node: the kernel's services and
 * reals (node_exporter's IPVS names and labels where they fit), the data
 * plane's counters by reason, the connection table, the health of every
 * real and probe, and what each VIP announces. Read fresh from the kernel
 * and the pinned maps at every scrape.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "daemon.h"
#include "dataplane.h"
#include "fastpath.h"
#include "info.h"
#include "table.h"

static void head(FILE *out, const char *name, const char *type,
		 const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static const char *proto(uint8_t p)
{
	return p == IPPROTO_UDP ? "UDP" : "TCP";
}

/* local_address="...",local_port="...",proto="..." */
static void svc_labels(const struct sluice_svc *s, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	snprintf(buf, len,
		 "local_address=\"%s\",local_port=\"%u\",proto=\"%s\"",
		 sd_addr_str(s->af, s->addr, a, sizeof(a)), s->port,
		 proto(s->proto));
}

static void dest_labels(const struct sluice_svc *s, const struct sluice_dest *d,
			char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN], sl[160];

	svc_labels(s, sl, sizeof(sl));
	snprintf(buf, len, "%s,remote_address=\"%s\",remote_port=\"%u\"", sl,
		 sd_addr_str(d->af, d->addr, a, sizeof(a)), d->port);
}

static void kernel_table(struct sd_daemon *d, FILE *out)
{
	static const struct {
		const char *name, *type, *help;
		int per_dest;
	} m[] = {
		{ "sluice_backend_connections_active", "gauge",
		  "Active (established) connections to a real.", 1 },
		{ "sluice_backend_connections_inactive", "gauge",
		  "Other connections to a real.", 1 },
		{ "sluice_backend_weight", "gauge",
		  "A real's weight in the kernel (0: drained).", 1 },
		{ "sluice_backend_connections_total", "counter",
		  "Connections scheduled to a real.", 1 },
		{ "sluice_backend_incoming_packets_total", "counter",
		  "Packets sent to a real.", 1 },
		{ "sluice_backend_incoming_bytes_total", "counter",
		  "Bytes sent to a real.", 1 },
		{ "sluice_service_connections_total", "counter",
		  "Connections scheduled by a service.", 0 },
		{ "sluice_service_incoming_packets_total", "counter",
		  "Packets a service forwarded.", 0 },
		{ "sluice_service_incoming_bytes_total", "counter",
		  "Bytes a service forwarded.", 0 },
	};
	struct sluice_table t;
	char l[320];
	size_t i, j, k;

	if (sluice_table_read(&d->nl, NULL, 1, &t))
		return;
	for (k = 0; k < sizeof(m) / sizeof(m[0]); k++) {
		head(out, m[k].name, m[k].type, m[k].help);
		for (i = 0; i < t.n; i++) {
			const struct sluice_entry *e = &t.v[i];

			if (e->svc.fwmark)
				continue;
			if (!m[k].per_dest) {
				const struct sluice_stats *st = &e->svc.stats;

				svc_labels(&e->svc, l, sizeof(l));
				fprintf(out, "%s{%s} %llu\n", m[k].name, l,
					(unsigned long long)(k == 6 ?
								     st->conns :
							     k == 7 ?
								     st->inpkts :
								     st->inbytes));
				continue;
			}
			for (j = 0; j < e->ndests; j++) {
				const struct sluice_dest *dst = &e->dests[j];
				uint64_t v[] = {
					dst->activeconns,  dst->inactconns,
					dst->weight,	   dst->stats.conns,
					dst->stats.inpkts, dst->stats.inbytes
				};

				dest_labels(&e->svc, dst, l, sizeof(l));
				fprintf(out, "%s{%s} %llu\n", m[k].name, l,
					(unsigned long long)v[k]);
			}
		}
	}
	sluice_table_free(&t);
}

static void module_info(struct sd_daemon *d, FILE *out)
{
	struct sluice_info info;
	int i;

	if (sluice_get_info(&d->nl, &info))
		return;
	head(out, "sluice_conn_table_entries", "gauge",
	     "Entries in the connection table.");
	fprintf(out, "sluice_conn_table_entries %u\n", info.conns);
	head(out, "sluice_conn_table_limit", "gauge",
	     "The connection table's limit (conn_max).");
	fprintf(out, "sluice_conn_table_limit %u\n", info.conn_max);
	head(out, "sluice_conn_table_buckets", "gauge",
	     "The connection table's hash buckets (it resizes with its entries).");
	fprintf(out, "sluice_conn_table_buckets %u\n", info.conn_buckets);
	head(out, "sluice_conn_table_bytes", "gauge",
	     "The connection table's memory: entries, buckets, expiry wheels.");
	fprintf(out, "sluice_conn_table_bytes %llu\n",
		(unsigned long long)info.conn_bytes);
	head(out, "sluice_conn_table_evicted_total", "counter",
	     "Entries evicted because the table was full.");
	fprintf(out, "sluice_conn_table_evicted_total %llu\n",
		(unsigned long long)info.conn_evicted);
	head(out, "sluice_module_drops_total", "counter",
	     "Packets the module dropped, by reason.");
	for (i = 0; i < SLUICE_DROPS_MAX; i++)
		fprintf(out, "sluice_module_drops_total{reason=\"%s\"} %llu\n",
			sluice_drop_names[i],
			(unsigned long long)info.drops[i]);
}

/* One family of data-plane packet counters, labelled by reason. */
static void dp_family(FILE *out, const char *name, const char *help,
		      const char *const *names, const struct sluice_counter *c,
		      int n)
{
	int i;

	head(out, name, "counter", help);
	for (i = 0; i < n; i++)
		fprintf(out, "%s{reason=\"%s\"} %llu\n", name, names[i],
			(unsigned long long)c[i].packets);
}

static void dataplane(FILE *out)
{
	struct sluice_counter xdp[SLUICE_XDP_STATS_MAX],
		tc[SLUICE_TC_STATS_MAX], fp[SLUICE_FP_STATS_MAX];
	char err[256];
	int on;

	if (sluice_dp_stats(xdp, tc, fp, err, sizeof(err)))
		return; /* no data plane attached in this namespace */
	dp_family(out, "sluice_xdp_packets_total",
		  "Packets the XDP program handled, by verdict and reason.",
		  sluice_xdp_stat_names, xdp, SLUICE_XDP_STATS_MAX);
	dp_family(out, "sluice_tc_packets_total",
		  "Packets the tc program handled, by verdict and reason.",
		  sluice_tc_stat_names, tc, SLUICE_TC_STATS_MAX);
	dp_family(
		out, "sluice_fastpath_packets_total",
		"XDP fast path: flows recorded, packets that missed it by reason.",
		sluice_fp_stat_names, fp, SLUICE_FP_STATS_MAX);
	on = sluice_fastpath_get(err, sizeof(err));
	if (on < 0)
		return;
	head(out, "sluice_fastpath_on", "gauge",
	     "1 while the XDP fast path is on (sluiceadm --fastpath).");
	fprintf(out, "sluice_fastpath_on %d\n", on);
}

static unsigned long long vip_announced(const struct sd_vstate *v)
{
	return v->announced;
}

static unsigned long long vip_withdrawals(const struct sd_vstate *v)
{
	return v->withdrawals;
}

/* A metric of every VIP, labelled vip="ADDRESS". */
static void vip_metric(struct sd_daemon *d, FILE *out, const char *name,
		       const char *type, const char *help,
		       unsigned long long (*value)(const struct sd_vstate *))
{
	char a[INET6_ADDRSTRLEN];
	size_t i;

	head(out, name, type, help);
	for (i = 0; i < d->nvs; i++)
		fprintf(out, "%s{vip=\"%s\"} %llu\n", name,
			sd_addr_str(d->vs[i].vip->af, d->vs[i].vip->addr, a,
				    sizeof(a)),
			value(&d->vs[i]));
}

static void health(struct sd_daemon *d, FILE *out)
{
	char l[320];
	size_t i;

	head(out, "sluice_backend_up", "gauge",
	     "1 when every check of the real passes (sluiced), else 0.");
	for (i = 0; i < d->nrs; i++) {
		dest_labels(&d->rs[i].svc->svc, &d->rs[i].real->dest, l,
			    sizeof(l));
		fprintf(out, "sluice_backend_up{%s} %d\n", l, d->rs[i].up);
	}
	vip_metric(
		d, out, "sluice_vip_announced", "gauge",
		"1 while the VIP is announced (an address of the VIP interface).",
		vip_announced);
	vip_metric(d, out, "sluice_vip_withdrawals_total", "counter",
		   "Times the VIP was withdrawn.", vip_withdrawals);
	head(out, "sluice_config_drift_events_total", "counter",
	     "Changes to the kernel's table made outside sluiced.");
	fprintf(out, "sluice_config_drift_events_total %llu\n",
		(unsigned long long)d->drift_events);
	head(out, "sluice_apply_failures_total", "counter",
	     "Changes the kernel refused (each undone whole).");
	fprintf(out, "sluice_apply_failures_total %llu\n",
		(unsigned long long)d->apply_failures);
}

/* Per probe: a probe serves every service that has the same check. */
struct probe_out {
	FILE *out;
	int what;
};

static void probe_line(struct hc_probe *p, void *arg)
{
	const struct hc_target *t = hc_probe_target(p);
	struct probe_out *po = arg;
	struct hc_info info;
	char a[INET6_ADDRSTRLEN], l[200];

	hc_probe_info(p, &info);
	snprintf(l, sizeof(l),
		 "type=\"%s\",address=\"%s\",port=\"%u\",via_vip=\"%s\"",
		 hc_type_name(hc_probe_spec(p)->type),
		 sd_addr_str(t->af, t->addr, a, sizeof(a)), t->port,
		 t->mark ? "true" : "false");
	if (t->mark) {
		size_t n = strlen(l);

		snprintf(l + n, sizeof(l) - n, ",real_slot=\"%u\"",
			 t->mark & ~SLUICE_MARK_MASK);
	}
	switch (po->what) {
	case 0:
		fprintf(po->out, "sluice_check_up{%s} %d\n", l,
			info.state == HC_UP);
		break;
	case 1:
		fprintf(po->out, "sluice_check_duration_seconds{%s} %.6f\n", l,
			info.last_duration);
		break;
	case 2:
		fprintf(po->out, "sluice_check_runs_total{%s} %llu\n", l,
			(unsigned long long)info.runs);
		break;
	default:
		fprintf(po->out, "sluice_check_failures_total{%s} %llu\n", l,
			(unsigned long long)info.failures);
	}
}

static void probes(struct sd_daemon *d, FILE *out)
{
	static const char *const h[][3] = {
		{ "sluice_check_up", "gauge",
		  "1 while the probe is up (rise passes in a row)." },
		{ "sluice_check_duration_seconds", "gauge",
		  "How long the probe's last run took." },
		{ "sluice_check_runs_total", "counter", "Runs of the probe." },
		{ "sluice_check_failures_total", "counter",
		  "Failed runs of the probe." },
	};
	struct probe_out po = { .out = out };

	for (po.what = 0; po.what < 4; po.what++) {
		head(out, h[po.what][0], h[po.what][1], h[po.what][2]);
		hc_engine_foreach(d->hc, probe_line, &po);
	}
}

void sd_metrics(struct sd_daemon *d, FILE *out)
{
	kernel_table(d, out);
	module_info(d, out);
	dataplane(out);
	health(d, out);
	probes(d, out);
}
