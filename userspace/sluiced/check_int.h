/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The health-check engine's inside, shared by check.c (probes, timers,
 * state machine, main loop) and the probe kinds: check_tcp.c (TCP),
 * check_curl.c (HTTP, HTTPS), check_udp.c (UDP, DNS) and check_exec.c
 * (commands). A probe holds what every run needs; what only a running
 * HTTP(S) probe needs (libcurl's error buffer, the body) is allocated for
 * the run.
 *
 * A run of a probe is started by hc_<kind>_start(), which either starts it
 * (and returns 0) or finishes it at once through hc_run_done(). While it
 * runs, a curl run is driven by the engine's multi handle (hc_curl_done()
 * when libcurl says it is done); the others set @fd and @events and get
 * hc_<kind>_events() when poll says so. At its deadline the engine fails the
 * run and calls hc_<kind>_stop(), which must leave no socket or process
 * behind (or must hand the process to the engine to reap).
 */
#ifndef SLUICED_CHECK_INT_H
#define SLUICED_CHECK_INT_H

#include <stdbool.h>
#include <sys/socket.h>
#include <sys/types.h>
#include "check.h"

/* A killed command's process, reaped by the engine when it has exited. */
struct hc_zombie {
	struct hc_zombie *next;
	pid_t pid;
	int pidfd;
};

/*
 * The probes' timers (check_heap.c): a binary min-heap of every live probe
 * by its due time (the end of its run when running, else its next start),
 * so a turn of the loop looks only at the probes that are due.
 */
struct hc_heap_slot {
	uint64_t due; /* a copy of p->due */
	struct hc_probe *p;
};

struct hc_heap {
	struct hc_heap_slot *v;
	size_t n, cap;
};

/*
 * The probes by spec and target (check_hash.c): chained buckets, doubled
 * when the probes outnumber them, so hc_probe_get() finds a probe in O(1).
 */
struct hc_hash {
	struct hc_probe **bucket;
	size_t nbuckets, n;
};

struct hc_engine {
	CURLM *multi;
	hc_change_fn fn;
	void *arg;
	struct hc_spec_ref *specs; /* the probes' specs (check_spec.c) */
	struct hc_probe *probes; /* doubly linked, newest first: listings */
	struct hc_hash hash; /* the live probes (not the dead) */
	struct hc_heap heap; /* the live probes' timers */
	struct hc_probe *cmds; /* the running commands */
	int epfd; /* the running probes' fds (check_loop.c) */
	struct hc_probe *dead; /* put inside hc_engine_run: freed at its end */
	struct hc_zombie *zombies;
	struct curl_waitfd *fds; /* the caller's extra fds, then the probes' */
	unsigned int nfds_max;
	int depth; /* inside hc_engine_run: probes put are freed at its end */
	uint64_t rnd; /* xorshift state: first-run jitter */
};

struct hc_probe {
	struct hc_engine *e;
	struct hc_probe *next, *prev;
	struct hc_probe *hnext; /* hash chain; e->dead's list once dead */
	struct hc_probe *cnext, *cprev; /* e->cmds, when @in_cmds */
	bool in_cmds;
	int watched_fd; /* in e->epfd (-1: none), for @watched_events */
	short watched_events;
	size_t heap_idx; /* in e->heap.v; HC_NO_HEAP when not there */
	uint64_t due; /* the heap's key: CLOCK_MONOTONIC ns */
	int refs;
	bool dead; /* put while the engine ran: freed at the end of the run */
	const struct hc_spec *spec; /* the engine's copy, shared */
	struct hc_target target;
	enum hc_state state;
	uint32_t passes, fails; /* in a row */
	double since;
	uint64_t next_run; /* CLOCK_MONOTONIC ns */
	/* The run in progress, if @running. */
	bool running;
	uint64_t started, deadline;
	/* Counters. */
	uint64_t runs, failures;
	double last_duration;
	char *last_error; /* the last failure's reason; NULL: none (yet) */

	/* check_curl.c: the run's handle and state, only while it runs */
	CURL *easy;
	struct hc_curl_run *curl;

	/* check_udp.c and check_exec.c: the fd the engine polls */
	int fd;
	short events;

	/* check_udp.c */
	uint8_t *buf; /* UDP: the reply; DNS: the query, then the reply */
	size_t buf_size, len, off;
	int phase;
	uint16_t dns_id;

	/* check_exec.c */
	pid_t pid;
	struct hc_zombie *zombie; /* allocated at start: stop cannot fail */
};

#define HC_NO_HEAP ((size_t)-1)
/* A failed run's reason, at most (with its '\0'). */
#define HC_ERROR_MAX sizeof(((struct hc_info *)0)->last_error)

/*
 * check_heap.c. hc_heap_reserve() makes room for @n probes, so that
 * hc_heap_set() (insert, or move to its new @due) cannot fail after it.
 */
int hc_heap_reserve(struct hc_heap *h, size_t n);
void hc_heap_set(struct hc_heap *h, struct hc_probe *p, uint64_t due);
void hc_heap_del(struct hc_heap *h, struct hc_probe *p);
/* The probe due first, or NULL. */
struct hc_probe *hc_heap_top(const struct hc_heap *h);
void hc_heap_free(struct hc_heap *h);

/*
 * check_hash.c. hc_hash_add() fails only when the hash has no buckets
 * yet and cannot get them (growing is best effort).
 */
struct hc_probe *hc_hash_find(const struct hc_hash *t,
			      const struct hc_spec *spec,
			      const struct hc_target *target);
int hc_hash_add(struct hc_hash *t, struct hc_probe *p);
void hc_hash_del(struct hc_hash *t, struct hc_probe *p);
void hc_hash_free(struct hc_hash *t);

/*
 * check_spec.c. hc_spec_defaults(): 0 for a count or a time is 1, what a
 * probe keeps and is found by. hc_spec_get(): the engine's copy of
 * @spec (defaulted), shared, with one more reference; NULL on allocation
 * failure. hc_spec_put() drops a reference to it.
 */
void hc_spec_defaults(struct hc_spec *s);
const struct hc_spec *hc_spec_get(struct hc_engine *e,
				  const struct hc_spec *spec);
void hc_spec_put(struct hc_engine *e, const struct hc_spec *spec);

/* check.c, for the loop's turn */
uint64_t hc_now_ns(void); /* CLOCK_MONOTONIC */
void hc_run_start(struct hc_probe *p, uint64_t now);
void hc_run_timeout(struct hc_probe *p);
void hc_probe_free(struct hc_probe *p);

/*
 * check_loop.c. hc_watch() puts a running probe's fd in the epoll set for
 * its @events (again when they changed), or fails the run; hc_unwatch()
 * takes it out (before the fd is closed).
 */
int hc_loop_init(struct hc_engine *e);
void hc_loop_free(struct hc_engine *e);
void hc_watch(struct hc_probe *p);
void hc_unwatch(struct hc_probe *p);

/* How often a command is looked at without pidfds (see check_exec.c). */
#define HC_EXEC_POLL_MS 10

/* Finish the run in progress: a pass when @ok, else a failure for @fmt. */
void hc_run_done(struct hc_probe *p, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Fail the run with "<what>: <strerror(err)>". */
void hc_run_fail_errno(struct hc_probe *p, const char *what, int err);

/* "addr" of a target's address, for URLs and the environment. */
void hc_addr_str(int af, const uint8_t *addr, char *buf, size_t size);
/* Socket address of @af/@addr/@port; its length, 0 if @af is unknown. */
socklen_t hc_sockaddr(int af, const uint8_t *addr, uint16_t port,
		      struct sockaddr_storage *ss);

int hc_curl_start(struct hc_probe *p);
void hc_curl_done(struct hc_probe *p, CURLcode rc);
void hc_curl_stop(struct hc_probe *p);

/*
 * A nonblocking socket of @type to the target, from its source, with its
 * mark, connected or connecting: its fd, also in p->fd; -1 once the run
 * has failed (the socket is closed by stopping the run).
 */
int hc_socket_open(struct hc_probe *p, int type);

int hc_tcp_start(struct hc_probe *p);
void hc_tcp_events(struct hc_probe *p, short revents);

int hc_udp_start(struct hc_probe *p);
void hc_udp_events(struct hc_probe *p, short revents);
void hc_udp_stop(struct hc_probe *p);

int hc_dns_start(struct hc_probe *p);
void hc_dns_events(struct hc_probe *p, short revents);

int hc_exec_start(struct hc_probe *p);
void hc_exec_events(struct hc_probe *p, short revents);
void hc_exec_stop(struct hc_probe *p);
/* Reap the zombies that have exited (all of them, waiting, when @wait). */
void hc_exec_reap(struct hc_engine *e, bool wait);

#endif
