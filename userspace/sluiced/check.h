/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The health-check engine: probes (one check of one target) run on their
 * own timers inside the caller's main loop. Identical probes (same spec,
 * same target) are shared: hc_probe_get() returns the existing one with
 * one more reference, so a real used by ten services is probed once.
 *
 * A probe counts passes and failures in a row: it goes up after @rise
 * passes, down after @fall failures, and calls the engine's callback on
 * every change of state. A new probe starts in HC_UNKNOWN (or in the state
 * given to hc_probe_get(), to adopt a state without flapping); its first
 * run is at a random point within its first interval.
 */
#ifndef SLUICED_CHECK_H
#define SLUICED_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <curl/curl.h>

enum hc_type {
	HC_TCP, /* connect, then close (the engine's own socket) */
	HC_HTTP, /* GET, status and optional body match (libcurl) */
	HC_HTTPS,
	HC_DNS, /* a query over UDP or TCP: any answer with RCODE NOERROR */
	HC_UDP, /* send bytes, expect a reply (starting with @expect if set) */
	HC_EXEC, /* a command: exit 0 = pass; process group killed at timeout */
};

enum hc_state { HC_UNKNOWN, HC_UP, HC_DOWN };

/*
 * What to check: two probes with equal specs (hc_spec_equal: the fields
 * their type uses) are one. A run that has not passed by @timeout_ms fails
 * (a pass seen after it, when the loop was late, too). 0 for rise or fall
 * counts as 1.
 */
struct hc_spec {
	enum hc_type type;
	uint32_t interval_ms, timeout_ms; /* timeout < interval */
	uint32_t rise, fall;
	/* HTTP/HTTPS */
	char *path; /* "/" when NULL */
	char *host; /* Host header and TLS SNI (the URL's name, connected to
		     * the target by CURLOPT_CONNECT_TO); NULL: the address */
	uint32_t expect_status; /* 0: any 2xx/3xx */
	char *expect_body; /* substring the body must contain, or NULL */
	int tls_verify; /* HTTPS: verify the certificate */
	/* DNS */
	char *dns_name; /* NULL: "." */
	uint16_t dns_qtype; /* ns_t_a ... (0: ns_t_a) */
	int dns_tcp;
	/* UDP */
	uint8_t *send, *expect;
	size_t send_len, expect_len;
	/*
	 * EXEC: run by /bin/sh -c, with SLUICE_CHECK_ADDR, _PORT (and _VIP,
	 * _VPORT when the target has a VIP) set, in a process group of its own.
	 * The engine reaps its commands: SIGCHLD must not be SIG_IGN.
	 */
	char *command;
};

/*
 * Where to send it: @addr:@port (family @af), from @src when @src_af is
 * not 0, with socket mark @mark when not 0 (through-the-VIP probes: the
 * module sends a packet marked for real slot i through that real's tunnel).
 * @vip/@vport are passed to commands only. Ports are in host byte order.
 */
struct hc_target {
	int af;
	uint8_t addr[16];
	uint16_t port;
	int src_af;
	uint8_t src[16];
	uint32_t mark;
	int vip_af;
	uint8_t vip[16];
	uint16_t vport;
};

struct hc_probe;
struct hc_engine;

/*
 * Called when a probe changes state (never for the same state twice), from
 * hc_engine_run(). It may get and put probes (its own too: a probe put
 * there is freed when hc_engine_run() returns).
 */
typedef void (*hc_change_fn)(struct hc_probe *p, enum hc_state state,
			     void *arg);

struct hc_engine *hc_engine_new(hc_change_fn fn, void *arg);
/* Every probe must have been put. */
void hc_engine_free(struct hc_engine *e);

/*
 * The probe for (@spec, @target), created if new (starting in @initial);
 * @spec is copied. NULL on allocation failure.
 */
struct hc_probe *hc_probe_get(struct hc_engine *e, const struct hc_spec *spec,
			      const struct hc_target *target,
			      enum hc_state initial);
/* Drop a reference; the last one stops the probe (kills its command). */
void hc_probe_put(struct hc_probe *p);

int hc_spec_equal(const struct hc_spec *a, const struct hc_spec *b);
/* Free what @s points to (its strings and byte buffers), not @s. */
void hc_spec_free(struct hc_spec *s);

/* What status and metrics show about a probe. */
struct hc_info {
	enum hc_state state;
	double since; /* CLOCK_REALTIME seconds of the last change */
	char last_error[128]; /* why the last failed run failed (kept after
			       * passes), "" if none failed */
	double last_duration; /* seconds the last run took */
	uint64_t runs, failures;
	int refs;
};
void hc_probe_info(const struct hc_probe *p, struct hc_info *info);
const struct hc_spec *hc_probe_spec(const struct hc_probe *p);
const struct hc_target *hc_probe_target(const struct hc_probe *p);
/* Every probe, for listings. */
void hc_engine_foreach(struct hc_engine *e,
		       void (*fn)(struct hc_probe *p, void *arg), void *arg);

/*
 * One turn of the main loop: wait up to @timeout_ms for the probes' sockets
 * and the caller's @extra fds (their revents are set on return), start the
 * probes that are due, finish those that completed or timed out. A
 * negative @timeout_ms waits for those events only. Returns 0 or a negative
 * errno.
 */
int hc_engine_run(struct hc_engine *e, struct curl_waitfd *extra,
		  unsigned int nextra, int timeout_ms);

const char *hc_type_name(enum hc_type t);
const char *hc_state_name(enum hc_state s);

#endif
