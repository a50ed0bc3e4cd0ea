// SPDX-License-Identifier: GPL-2.0
/*
 * sluiced's memory at start-up and reload, on this machine (no module, no
 * VM): the file read, the kernel's table as the apply would leave it
 * (built from the file: every real at its weight, slots 1...), the reals'
 * states and probes built, the check engine run, then reloads of the same
 * file, with malloc_trim(0) where sluiced calls it. Prints VmRSS and
 * VmHWM after each step. The apply's netlink dumps
 * and the VIP device are not here: they need the module.
 *
 *   ulimit -n 65536; start_bench FILE [SECONDS [RELOADS]]   (5, 2)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "daemon.h"

static void mem(const char *step)
{
	char line[256], rss[64] = "?", hwm[64] = "?";
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "VmRSS:", 6))
			sscanf(line + 6, " %63[^\n]", rss);
		if (!strncmp(line, "VmHWM:", 6))
			sscanf(line + 6, " %63[^\n]", hwm);
	}
	if (f)
		fclose(f);
	printf("| %-34s | VmRSS %10s | VmHWM %10s |\n", step, rss, hwm);
}

/* malloc_trim(0), as sluiced calls it after a start and a reload. */
static void trim(void)
{
	struct timespec t0, t;
	char step[64];

	clock_gettime(CLOCK_MONOTONIC, &t0);
	malloc_trim(0);
	clock_gettime(CLOCK_MONOTONIC, &t);
	snprintf(step, sizeof(step), "malloc_trim(0): %.1f ms",
		 (t.tv_sec - t0.tv_sec) * 1e3 + (t.tv_nsec - t0.tv_nsec) / 1e6);
	mem(step);
}

/* `sluiced status` and `status --json`, written to /dev/null. */
static void status(struct sd_daemon *d)
{
	FILE *f = fopen("/dev/null", "w");

	if (!f)
		return;
	sd_status(d, f, 0);
	mem("status");
	sd_status(d, f, 1);
	mem("status --json");
	fclose(f);
	trim(); /* as sluiced does after a status request */
}

/* The table the kernel has once the apply made it hold @cfg. */
static int ktable(const struct sd_config *cfg, struct sluice_table *kt)
{
	size_t i, j, k, n = 0;

	for (i = 0; i < cfg->nvips; i++)
		n += cfg->vips[i].nsvcs;
	kt->v = calloc(n ? n : 1, sizeof(*kt->v));
	if (!kt->v)
		return -ENOMEM;
	for (i = 0; i < cfg->nvips; i++) {
		for (j = 0; j < cfg->vips[i].nsvcs; j++) {
			const struct sd_service *s = &cfg->vips[i].svcs[j];
			struct sluice_entry *e = &kt->v[kt->n++];

			e->svc = s->svc;
			e->dests = calloc(s->nreals ? s->nreals : 1,
					  sizeof(*e->dests));
			if (!e->dests)
				return -ENOMEM;
			for (k = 0; k < s->nreals; k++) {
				e->dests[k] = s->reals[k].dest;
				e->dests[k].real_index = k + 1;
			}
			e->ndests = e->cap = s->nreals;
		}
	}
	sluice_table_sort_keys(kt);
	return 0;
}

static int build(struct sd_daemon *d, int reload)
{
	struct sluice_table kt = { 0 };
	int e = ktable(&d->cfg, &kt);

	if (e) {
		sluice_table_free(&kt);
		return e;
	}
	e = sd_health_build(d, &kt);
	return e ? e : sd_announce_build(d, reload ? d->vs : NULL, d->nvs);
}

static void run(struct sd_daemon *d, int secs)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		hc_engine_run(d->hc, NULL, 0, 100);
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while (t.tv_sec - t0.tv_sec < secs);
}

int main(int argc, char **argv)
{
	struct sd_daemon d = { .tun_fd = -1 };
	int secs = argc > 2 ? atoi(argv[2]) : 5;
	int reloads = argc > 3 ? atoi(argv[3]) : 2, i;
	struct sd_config old;
	struct sd_rstate *ors;
	size_t nors;
	char err[512];

	if (argc < 2) {
		fprintf(stderr,
			"usage: start_bench FILE [SECONDS [RELOADS]]\n");
		return 2;
	}
	mallopt(M_MMAP_THRESHOLD, 128 * 1024); /* as sluiced does */
	d.hc = hc_engine_new(sd_health_changed, &d);
	if (!d.hc) {
		fprintf(stderr, "start_bench: no engine\n");
		return 1;
	}
	mem("engine made");
	if (sd_config_load(argv[1], &d.cfg, err, sizeof(err))) {
		fprintf(stderr, "start_bench: %s\n", err);
		return 1;
	}
	sd_config_pack(&d.cfg); /* as sluiced does */
	mem("file read");
	if (build(&d, 0)) {
		fprintf(stderr, "start_bench: building the states failed\n");
		return 1;
	}
	mem("states and probes built");
	trim();
	run(&d, secs);
	mem("checks run");
	status(&d);

	for (i = 0; i < reloads; i++) {
		old = d.cfg;
		ors = d.rs;
		nors = d.nrs;
		if (sd_config_load(argv[1], &d.cfg, err, sizeof(err))) {
			fprintf(stderr, "start_bench: reload: %s\n", err);
			return 1;
		}
		sd_config_pack(&d.cfg);
		if (build(&d, 1)) {
			fprintf(stderr, "start_bench: reload: no states\n");
			return 1;
		}
		sd_health_free(ors, nors);
		sd_config_free(&old);
		mem("reloaded");
		trim();
		run(&d, secs);
		mem("checks run");
	}

	sd_health_free(d.rs, d.nrs);
	sd_rindex_free(&d.idx);
	free(d.changed); /* sd_apply_forget()'s, not linked here */
	free(d.vs);
	hc_engine_free(d.hc);
	sd_config_free(&d.cfg);
	return 0;
}
