// SPDX-License-Identifier: GPL-2.0
/*
 * The health-check engine: probes shared by spec and target (check_hash.c;
 * their specs, one copy each, check_spec.c), their timers (CLOCK_MONOTONIC, first run at a random point of the first
 * interval; check_heap.c), runs started and ended, and the rise/fall state
 * machine. The main loop's turn is check_loop.c; the probe kinds are in
 * check_tcp.c, check_curl.c, check_udp.c and check_exec.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include "check_int.h"

#define NSEC_PER_MSEC 1000000ull
#define NSEC_PER_SEC 1000000000ull

uint64_t hc_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static double realtime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

const char *hc_type_name(enum hc_type t)
{
	static const char *const names[] = {
		[HC_TCP] = "tcp", [HC_HTTP] = "http", [HC_HTTPS] = "https",
		[HC_DNS] = "dns", [HC_UDP] = "udp",   [HC_EXEC] = "exec",
	};

	if ((unsigned int)t < sizeof(names) / sizeof(names[0]) && names[t])
		return names[t];
	return "?";
}

const char *hc_state_name(enum hc_state s)
{
	switch (s) {
	case HC_UNKNOWN:
		return "unknown";
	case HC_UP:
		return "up";
	case HC_DOWN:
		return "down";
	}
	return "?";
}

void hc_addr_str(int af, const uint8_t *addr, char *buf, size_t size)
{
	if (!inet_ntop(af, addr, buf, size) && size)
		buf[0] = '\0';
}

socklen_t hc_sockaddr(int af, const uint8_t *addr, uint16_t port,
		      struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (af == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		memcpy(&sin->sin_addr, addr, 4);
		return sizeof(*sin);
	}
	if (af == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		memcpy(&sin6->sin6_addr, addr, 16);
		return sizeof(*sin6);
	}
	return 0;
}

/* The engine */

struct hc_engine *hc_engine_new(hc_change_fn fn, void *arg)
{
	struct hc_engine *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	if (curl_global_init(CURL_GLOBAL_DEFAULT)) {
		free(e);
		return NULL;
	}
	e->multi = curl_multi_init();
	if (!e->multi || hc_loop_init(e)) {
		if (e->multi)
			curl_multi_cleanup(e->multi);
		curl_global_cleanup();
		free(e);
		return NULL;
	}
	e->fn = fn;
	e->arg = arg;
	if (getrandom(&e->rnd, sizeof(e->rnd), GRND_NONBLOCK) !=
		    sizeof(e->rnd) ||
	    !e->rnd)
		e->rnd = hc_now_ns() | 1;
	return e;
}

static uint64_t rnd_next(struct hc_engine *e)
{
	uint64_t x = e->rnd;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	e->rnd = x;
	return x;
}

/* e->cmds: the running commands (some are looked at without a pidfd). */
static void cmds_add(struct hc_probe *p)
{
	struct hc_engine *e = p->e;

	p->cprev = NULL;
	p->cnext = e->cmds;
	if (p->cnext)
		p->cnext->cprev = p;
	e->cmds = p;
	p->in_cmds = true;
}

static void cmds_del(struct hc_probe *p)
{
	if (!p->in_cmds)
		return;
	if (p->cprev)
		p->cprev->cnext = p->cnext;
	else
		p->e->cmds = p->cnext;
	if (p->cnext)
		p->cnext->cprev = p->cprev;
	p->cnext = p->cprev = NULL;
	p->in_cmds = false;
}

/* The probe's timer: the end of its run, or its next start. */
static void reschedule(struct hc_probe *p)
{
	if (!p->dead)
		hc_heap_set(&p->e->heap, p,
			    p->running ? p->deadline : p->next_run);
}

static void run_stop(struct hc_probe *p)
{
	if (!p->running)
		return;
	cmds_del(p);
	hc_unwatch(p); /* before its fd is closed */
	switch (p->spec->type) {
	case HC_HTTP:
	case HC_HTTPS:
		hc_curl_stop(p);
		break;
	case HC_TCP:
	case HC_DNS:
	case HC_UDP:
		hc_udp_stop(p);
		break;
	case HC_EXEC:
		hc_exec_stop(p);
		break;
	}
	p->fd = -1;
	p->events = 0;
	p->running = false;
}

void hc_probe_free(struct hc_probe *p)
{
	struct hc_engine *e = p->e;

	run_stop(p);
	if (!p->dead)
		hc_hash_del(&e->hash, p);
	hc_heap_del(&e->heap, p);
	if (p->prev)
		p->prev->next = p->next;
	else
		e->probes = p->next;
	if (p->next)
		p->next->prev = p->prev;
	hc_spec_put(e, p->spec);
	free(p->last_error);
	free(p);
}

void hc_engine_free(struct hc_engine *e)
{
	if (!e)
		return;
	while (e->probes)
		hc_probe_free(e->probes);
	hc_exec_reap(e, true);
	hc_hash_free(&e->hash);
	hc_heap_free(&e->heap);
	hc_loop_free(e);
	curl_multi_cleanup(e->multi);
	curl_global_cleanup();
	free(e);
}

struct hc_probe *hc_probe_get(struct hc_engine *e, const struct hc_spec *spec,
			      const struct hc_target *target,
			      enum hc_state initial)
{
	struct hc_spec key = *spec;
	struct hc_probe *p;

	hc_spec_defaults(&key);
	p = hc_hash_find(&e->hash, &key, target);
	if (p) {
		p->refs++;
		return p;
	}
	if (hc_heap_reserve(&e->heap, e->heap.n + 1))
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->spec = hc_spec_get(e, &key);
	if (!p->spec) {
		free(p);
		return NULL;
	}
	p->e = e;
	p->refs = 1;
	p->target = *target;
	p->state = initial;
	p->since = realtime();
	p->fd = -1;
	p->watched_fd = -1;
	p->heap_idx = HC_NO_HEAP;
	if (hc_hash_add(&e->hash, p)) {
		hc_spec_put(e, p->spec);
		free(p);
		return NULL;
	}
	p->next_run =
		hc_now_ns() +
		rnd_next(e) % ((uint64_t)p->spec->interval_ms * NSEC_PER_MSEC);
	reschedule(p);
	p->next = e->probes;
	if (p->next)
		p->next->prev = p;
	e->probes = p;
	return p;
}

void hc_probe_put(struct hc_probe *p)
{
	if (!p || --p->refs > 0)
		return;
	if (p->e->depth) {
		/*
		 * Freed at the end of hc_engine_run(), which may look at it;
		 * out of the hash and the timers now: it is no probe to find
		 * nor to run.
		 */
		run_stop(p);
		hc_hash_del(&p->e->hash, p);
		hc_heap_del(&p->e->heap, p);
		p->dead = true;
		p->hnext = p->e->dead;
		p->e->dead = p;
		return;
	}
	hc_probe_free(p);
}

void hc_probe_info(const struct hc_probe *p, struct hc_info *info)
{
	memset(info, 0, sizeof(*info));
	info->state = p->state;
	info->since = p->since;
	snprintf(info->last_error, sizeof(info->last_error), "%s",
		 p->last_error ? p->last_error : "");
	info->last_duration = p->last_duration;
	info->runs = p->runs;
	info->failures = p->failures;
	info->refs = p->refs;
}

const struct hc_spec *hc_probe_spec(const struct hc_probe *p)
{
	return p->spec;
}

const struct hc_target *hc_probe_target(const struct hc_probe *p)
{
	return &p->target;
}

void hc_engine_foreach(struct hc_engine *e,
		       void (*fn)(struct hc_probe *p, void *arg), void *arg)
{
	struct hc_probe *p, *next;

	for (p = e->probes; p; p = next) {
		next = p->next;
		if (!p->dead)
			fn(p, arg);
	}
}

/* Runs */

static void set_state(struct hc_probe *p, enum hc_state state)
{
	struct hc_engine *e = p->e;

	if (p->state == state)
		return;
	p->state = state;
	p->since = realtime();
	if (e->fn)
		e->fn(p, state, e->arg);
}

void hc_run_done(struct hc_probe *p, bool ok, const char *fmt, ...)
{
	char msg[HC_ERROR_MAX];
	uint64_t now = hc_now_ns();
	va_list ap;

	if (!p->running)
		return;
	/* @fmt's arguments may be the run's buffers, which stopping frees. */
	msg[0] = '\0';
	if (!ok && fmt) {
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
	}
	/* Seen after its deadline (the loop was late): too late to pass. */
	if (ok && now > p->deadline) {
		ok = false;
		snprintf(msg, sizeof(msg), "timeout after %u ms",
			 p->spec->timeout_ms);
	}
	run_stop(p);
	reschedule(p);
	p->last_duration = (now - p->started) / 1e9;
	p->runs++;
	if (ok) {
		p->fails = 0;
		if (p->passes < UINT32_MAX)
			p->passes++;
		if (p->passes >= p->spec->rise)
			set_state(p, HC_UP);
	} else {
		p->failures++;
		if (!msg[0])
			snprintf(msg, sizeof(msg), "failed");
		/* Its size, and only when it changed: most probes never fail. */
		if (!p->last_error || strcmp(p->last_error, msg)) {
			free(p->last_error);
			p->last_error = strdup(msg);
		}
		p->passes = 0;
		if (p->fails < UINT32_MAX)
			p->fails++;
		if (p->fails >= p->spec->fall)
			set_state(p, HC_DOWN);
	}
}

void hc_run_fail_errno(struct hc_probe *p, const char *what, int err)
{
	hc_run_done(p, false, "%s: %s", what, strerror(err));
}

void hc_run_start(struct hc_probe *p, uint64_t now)
{
	p->running = true;
	p->started = now;
	p->deadline = now + (uint64_t)p->spec->timeout_ms * NSEC_PER_MSEC;
	p->next_run = now + (uint64_t)p->spec->interval_ms * NSEC_PER_MSEC;
	p->fd = -1;
	p->events = 0;
	reschedule(p);
	switch (p->spec->type) {
	case HC_HTTP:
	case HC_HTTPS:
		hc_curl_start(p);
		break;
	case HC_TCP:
		hc_tcp_start(p);
		break;
	case HC_DNS:
		hc_dns_start(p);
		break;
	case HC_UDP:
		hc_udp_start(p);
		break;
	case HC_EXEC:
		cmds_add(p);
		hc_exec_start(p);
		break;
	default:
		hc_run_done(p, false, "unknown check type %d", p->spec->type);
	}
	if (p->running)
		hc_watch(p);
}

void hc_run_timeout(struct hc_probe *p)
{
	if (p->spec->type == HC_EXEC)
		hc_run_done(p, false, "killed at timeout %u ms",
			    p->spec->timeout_ms);
	else
		hc_run_done(p, false, "timeout after %u ms",
			    p->spec->timeout_ms);
}
