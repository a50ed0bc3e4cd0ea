/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sluiced's running state: the configuration in force, the health of every
 * real of every service, and what each VIP announces. One thread: the main
 * loop (main.c) calls into the parts below.
 */
#ifndef SLUICED_DAEMON_H
#define SLUICED_DAEMON_H

#include <stdio.h>

#include "check.h"
#include "config.h"
#include "nl.h"
#include "table.h"

/* One real of one service. */
struct sd_rstate {
	const struct sd_service *svc; /* in d->cfg */
	const struct sd_real *real;
	struct hc_probe **probes; /* one per check (in d->rs's block) */
	size_t nprobes;
	int up;
	double since; /* realtime of the last change of ->up */
	char *why; /* the failing check and its reason when down; NULL: "" */
};

/*
 * Lookups over d->rs, built with it: by service and real key (apply and
 * reload), and by probe (the engine's callback).
 */
struct sd_probe_ref {
	const struct hc_probe *probe;
	struct sd_rstate *r;
};

struct sd_rindex {
	struct sd_rstate **by_key;
	size_t n;
	struct sd_probe_ref *by_probe;
	size_t nprobe;
};

/* One VIP: whether it is announced, and why not. */
struct sd_vstate {
	const struct sd_vip *vip; /* in d->cfg */
	size_t rs_first, rs_count; /* its services' reals in d->rs */
	int eligible, announced;
	double eligible_since; /* monotonic */
	double since; /* realtime of the last announce/withdraw */
	double penalty, penalty_at; /* damping: value at monotonic time */
	int suppressed;
	uint64_t withdrawals;
	char why[160]; /* why it is not announced */
};

struct sd_daemon {
	struct sd_config cfg;
	struct sluice_nl nl;
	struct hc_engine *hc;
	struct sd_rstate *rs; /* in the file's order: VIPs, services, reals */
	size_t nrs;
	struct sd_rindex idx;
	struct sd_vstate *vs;
	size_t nvs;
	double start; /* monotonic */
	int dirty; /* reals' weights to be applied */
	int vips_dirty; /* a real changed: every VIP to be looked at again */
	/*
	 * The services (in d->cfg) whose reals changed health since the last
	 * apply, for sd_apply_health(); @changed_all when one could not be
	 * noted (out of memory): every service then.
	 */
	const struct sd_service **changed;
	size_t nchanged, changed_cap;
	int changed_all;
	int tun_fd; /* the VIP interface; closed = every VIP withdrawn */
	int stopping;
	uint64_t drift_events, applies, apply_failures;
	char last_drift[1024];
};

double sd_now(void); /* CLOCK_MONOTONIC seconds */
double sd_wall(void); /* CLOCK_REALTIME seconds */

/*
 * Logging: one line "sluiced: TIME LEVEL: message" on stderr, or an entry
 * in the journal when stderr is the journal (log.c). An event also has
 * fields of its own for the journal: @f ends with a NULL name; a field
 * with an empty value is left out.
 */
struct sd_field {
	const char *name; /* SLUICE_EVENT, SLUICE_VIP, ... */
	const char *value;
};
void sd_log(const char *level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sd_log_event(const char *level, const struct sd_field *f, const char *fmt,
		  ...) __attribute__((format(printf, 3, 4)));
/* The fields of an event that has no others. */
#define SD_EVENT(name) \
	((const struct sd_field[]){ { "SLUICE_EVENT", name }, { NULL, NULL } })

/*
 * health.c: probes and reals' states for d->cfg, in place of d->rs (whose
 * states carry over by key; the caller frees the old array afterwards, so
 * shared probes live on).
 */
int sd_health_build(struct sd_daemon *d, struct sluice_table *kt);
void sd_health_free(struct sd_rstate *rs, size_t n);
/* The engine's callback: a probe changed state. */
void sd_health_changed(struct hc_probe *p, enum hc_state s, void *arg);
/* The desired weight of @r in the kernel. */
uint32_t sd_health_weight(const struct sd_rstate *r);
/* The state of real @dest of service @svc in d->rs, or NULL. */
struct sd_rstate *sd_health_find(const struct sd_daemon *d,
				 const struct sluice_svc *svc,
				 const struct sluice_dest *dest);
void sd_rindex_free(struct sd_rindex *idx);

/*
 * apply.c: make the kernel hold d->cfg with the weights health gives, in
 * one transaction (undone whole if the kernel refuses a change). 0, or -1
 * with the reason in @err. @kt (NULL: not wanted) gets the kernel's table
 * as the apply left it, sorted by key (the table it read, the services it
 * changed read again), for sd_health_build(); empty if reading it failed.
 */
int sd_apply(struct sd_daemon *d, struct sluice_table *kt, char *err,
	     size_t errlen);
/* Free d->changed. */
void sd_apply_forget(struct sd_daemon *d);
/*
 * sd_apply() for the services of d->changed only, each read from the
 * kernel and compared as sd_apply() compares them all: a health change
 * costs its services, not the whole table (1,000 services: 1,001 dumps).
 */
int sd_apply_health(struct sd_daemon *d, char *err, size_t errlen);
/*
 * How the kernel differs from what sluiced wants, into @out ("" if not).
 * Returns the number of differences or a negative errno.
 */
int sd_diff(struct sd_daemon *d, char *out, size_t len);

/* announce.c */
int sd_announce_open(struct sd_daemon *d, char *err, size_t errlen);
int sd_announce_build(struct sd_daemon *d, struct sd_vstate *old, size_t nold);
/* Re-evaluate every VIP (eligibility, hold-down, damping, learn). */
void sd_announce_tick(struct sd_daemon *d);
/* Withdraw every VIP (shutdown). */
void sd_announce_withdraw_all(struct sd_daemon *d);
void sd_announce_close(struct sd_daemon *d);

/* status.c: the status report (text, or JSON with @json). */
void sd_status(struct sd_daemon *d, FILE *out, int json);

/* metrics.c: the Prometheus text. */
void sd_metrics(struct sd_daemon *d, FILE *out);

#endif
