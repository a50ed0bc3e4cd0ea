// SPDX-License-Identifier: GPL-2.0
/*
 * `sluiced status`: every VIP (announced or not, and why) and every real
 * of every service (health, weight, the failing check and since when), as
 * text for people or JSON (json-c) for tools.
 */
#include <arpa/inet.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "daemon.h"

static const char *when(double t, char *buf, size_t len)
{
	time_t s = (time_t)t;
	struct tm tm;

	if (!t || !gmtime_r(&s, &tm))
		snprintf(buf, len, "-");
	else
		strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

static void text(struct sd_daemon *d, FILE *out)
{
	char a[INET6_ADDRSTRLEN], t[32], n[96];
	size_t i, j, k;

	for (i = 0; i < d->nvs; i++) {
		const struct sd_vstate *v = &d->vs[i];

		fprintf(out, "VIP %s  %s since %s%s%s\n",
			sd_addr_str(v->vip->af, v->vip->addr, a, sizeof(a)),
			v->announced ? "announced" : "withdrawn",
			when(v->since, t, sizeof(t)), v->announced ? "" : ": ",
			v->announced ? "" : v->why);
		for (j = 0; j < v->vip->nsvcs; j++) {
			const struct sd_service *s = &v->vip->svcs[j];

			fprintf(out, "  %s %s (min_healthy %u)\n",
				sd_svc_str(&s->svc, n, sizeof(n)), s->svc.sched,
				s->min_healthy);
			for (k = 0; k < d->nrs; k++) {
				const struct sd_rstate *r = &d->rs[k];

				if (r->svc != s)
					continue;
				fprintf(out,
					"    %-24s %-5s weight %u/%u  since %s%s%s\n",
					sd_dest_str(&r->real->dest, n,
						    sizeof(n)),
					r->up ? "up" : "down",
					sd_health_weight(r),
					r->real->dest.weight,
					when(r->since, t, sizeof(t)),
					r->up ? "" : "  ",
					r->up || !r->why ? "" : r->why);
			}
		}
	}
	if (d->drift_events)
		fprintf(out,
			"drift: %llu change(s) made outside sluiced; last: %s\n",
			(unsigned long long)d->drift_events, d->last_drift);
}

static void json(struct sd_daemon *d, FILE *out)
{
	struct json_object *root = json_object_new_object(),
			   *vips = json_object_new_array();
	char a[INET6_ADDRSTRLEN], t[32], n[96];
	size_t i, j, k;

	for (i = 0; i < d->nvs; i++) {
		const struct sd_vstate *v = &d->vs[i];
		struct json_object *o = json_object_new_object(),
				   *svcs = json_object_new_array();

		json_object_object_add(
			o, "address",
			json_object_new_string(sd_addr_str(
				v->vip->af, v->vip->addr, a, sizeof(a))));
		json_object_object_add(o, "announced",
				       json_object_new_boolean(v->announced));
		json_object_object_add(
			o, "since",
			json_object_new_string(when(v->since, t, sizeof(t))));
		json_object_object_add(
			o, "why",
			json_object_new_string(v->announced ? "" : v->why));
		json_object_object_add(o, "withdrawals",
				       json_object_new_int64(v->withdrawals));
		for (j = 0; j < v->vip->nsvcs; j++) {
			const struct sd_service *s = &v->vip->svcs[j];
			struct json_object *so = json_object_new_object(),
					   *reals = json_object_new_array();

			json_object_object_add(
				so, "service",
				json_object_new_string(
					sd_svc_str(&s->svc, n, sizeof(n))));
			for (k = 0; k < d->nrs; k++) {
				const struct sd_rstate *r = &d->rs[k];
				struct json_object *ro;

				if (r->svc != s)
					continue;
				ro = json_object_new_object();
				json_object_object_add(
					ro, "real",
					json_object_new_string(sd_dest_str(
						&r->real->dest, n, sizeof(n))));
				json_object_object_add(
					ro, "up",
					json_object_new_boolean(r->up));
				json_object_object_add(
					ro, "weight",
					json_object_new_int(
						sd_health_weight(r)));
				json_object_object_add(
					ro, "configured_weight",
					json_object_new_int(
						r->real->dest.weight));
				json_object_object_add(
					ro, "since",
					json_object_new_string(
						when(r->since, t, sizeof(t))));
				json_object_object_add(
					ro, "why",
					json_object_new_string(r->why ? r->why :
									""));
				json_object_array_add(reals, ro);
			}
			json_object_object_add(so, "reals", reals);
			json_object_array_add(svcs, so);
		}
		json_object_object_add(o, "services", svcs);
		json_object_array_add(vips, o);
	}
	json_object_object_add(root, "vips", vips);
	json_object_object_add(root, "drift_events",
			       json_object_new_int64(d->drift_events));
	fprintf(out, "%s\n",
		json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY));
	json_object_put(root);
}

void sd_status(struct sd_daemon *d, FILE *out, int as_json)
{
	if (as_json)
		json(d, out);
	else
		text(d, out);
}
