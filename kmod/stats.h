/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU packet and connection counters of a service or a real. The data
 * path adds on its own CPU without locks; readers sum over CPUs. Zeroing
 * (SLUICE_CMD_ZERO) records the current sums as a base that reads
 * subtract, so writers never race with it.
 */
#ifndef _SLUICE_STATS_H
#define _SLUICE_STATS_H

#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>

struct sluice_stats_cpu {
	struct u64_stats_sync syncp;
	u64_stats_t conns;
	u64_stats_t inpkts;
	u64_stats_t inbytes;
};

struct sluice_stats_sum {
	u64 conns;
	u64 inpkts;
	u64 inbytes;
};

/* Rates per second, kept by the estimator (est.c) under config_lock. */
struct sluice_rates {
	u64 cps;
	u64 inpps;
	u64 inbps;
};

struct sluice_stats {
	struct sluice_stats_cpu __percpu *cpu;
	struct sluice_stats_sum base;	/* sums at the last zeroing */
	struct sluice_stats_sum last;	/* sums at the estimator's last run */
	/* Averages scaled by 2^SLUICE_EST_SHIFT, and what readers see. */
	struct sluice_rates avg;
	struct sluice_rates rate;
};

#define SLUICE_EST_SHIFT	10

/* The estimator's step for @s, @interval_ms after the last (config_lock held). */
void sluice_stats_estimate(struct sluice_stats *s, unsigned int interval_ms);

int sluice_stats_init(struct sluice_stats *s);
void sluice_stats_free(struct sluice_stats *s);
/* Counters since the last zeroing. */
void sluice_stats_read(const struct sluice_stats *s, struct sluice_stats_sum *sum);
void sluice_stats_zero(struct sluice_stats *s);

/* Data path: count @pkts packets of @bytes in all, and @conns connections. */
static inline void sluice_stats_add_n(struct sluice_stats *s, u32 pkts, u64 bytes,
				      u32 conns)
{
	struct sluice_stats_cpu *c = this_cpu_ptr(s->cpu);

	u64_stats_update_begin(&c->syncp);
	u64_stats_add(&c->inpkts, pkts);
	u64_stats_add(&c->inbytes, bytes);
	if (conns)
		u64_stats_add(&c->conns, conns);
	u64_stats_update_end(&c->syncp);
}

/* Data path: count a packet (and a new connection if @new_conn). */
static inline void sluice_stats_add(struct sluice_stats *s, unsigned int len,
				    bool new_conn)
{
	sluice_stats_add_n(s, 1, len, new_conn);
}

#endif /* _SLUICE_STATS_H */
