/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The health-check engine's inside, shared by check.c (probes, timers,
 * state machine, main loop) and the probe kinds: check_curl.c (TCP, HTTP,
 * HTTPS), check_udp.c (UDP, DNS) and check_exec.c (commands).
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

struct hc_engine {
	CURLM *multi;
	hc_change_fn fn;
	void *arg;
	struct hc_probe *probes; /* doubly linked, newest first */
	struct hc_zombie *zombies;
	struct curl_waitfd *fds; /* the caller's extra fds, then the probes' */
	unsigned int nfds_max;
	int depth; /* inside hc_engine_run: probes put are freed at its end */
	uint64_t rnd; /* xorshift state: first-run jitter */
};

struct hc_probe {
	struct hc_engine *e;
	struct hc_probe *next, *prev;
	int refs;
	bool dead; /* put while the engine ran: freed at the end of the run */
	struct hc_spec spec;
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
	char last_error[128];

	/* check_curl.c */
	CURL *easy;
	struct curl_slist *connect_to;
	char errbuf[CURL_ERROR_SIZE];
	char *body; /* the start of the body, when @spec.expect_body */
	size_t body_len;
	bool body_found, body_stop; /* stopped reading: found, or too long */
	int sockopt_err; /* errno of a failed setsockopt(SO_MARK) */

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
