// SPDX-License-Identifier: GPL-2.0
/* Per-CPU counters (see stats.h). */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/gfp.h>
#include <linux/math64.h>
#include <linux/string.h>

#include "stats.h"

int sluice_stats_init(struct sluice_stats *s)
{
	int cpu;

	memset(s, 0, sizeof(*s));
	s->cpu = alloc_percpu(struct sluice_stats_cpu);
	if (!s->cpu)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(s->cpu, cpu)->syncp);
	return 0;
}

void sluice_stats_free(struct sluice_stats *s)
{
	free_percpu(s->cpu);
	s->cpu = NULL;
}

static void sum_cpus(const struct sluice_stats *s, struct sluice_stats_sum *sum)
{
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct sluice_stats_cpu *c = per_cpu_ptr(s->cpu, cpu);
		u64 conns, pkts, bytes;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&c->syncp);
			conns = u64_stats_read(&c->conns);
			pkts = u64_stats_read(&c->inpkts);
			bytes = u64_stats_read(&c->inbytes);
		} while (u64_stats_fetch_retry(&c->syncp, start));
		sum->conns += conns;
		sum->inpkts += pkts;
		sum->inbytes += bytes;
	}
}

void sluice_stats_read(const struct sluice_stats *s, struct sluice_stats_sum *sum)
{
	sum_cpus(s, sum);
	sum->conns -= s->base.conns;
	sum->inpkts -= s->base.inpkts;
	sum->inbytes -= s->base.inbytes;
}

/* Caller holds the namespace's config_lock (the base has one writer). */
void sluice_stats_zero(struct sluice_stats *s)
{
	sum_cpus(s, &s->base);
	memset(&s->avg, 0, sizeof(s->avg));
	memset(&s->rate, 0, sizeof(s->rate));
}

/*
 * As IPVS's estimator: per interval, the rate of the last interval folded
 * into an average with weight 1/4 (avg += (now - avg) / 4), in fixed point.
 */
static u64 ewma(u64 *avg, u64 delta, unsigned int interval_ms)
{
	s64 now = div_u64((delta << SLUICE_EST_SHIFT) * 1000, interval_ms);

	*avg += (now - (s64)*avg) / 4;
	return (*avg + (1 << (SLUICE_EST_SHIFT - 1))) >> SLUICE_EST_SHIFT;
}

void sluice_stats_estimate(struct sluice_stats *s, unsigned int interval_ms)
{
	struct sluice_stats_sum now;

	sum_cpus(s, &now);
	s->rate.cps = ewma(&s->avg.cps, now.conns - s->last.conns, interval_ms);
	s->rate.inpps = ewma(&s->avg.inpps, now.inpkts - s->last.inpkts, interval_ms);
	s->rate.inbps = ewma(&s->avg.inbps, now.inbytes - s->last.inbytes, interval_ms);
	s->last = now;
}
