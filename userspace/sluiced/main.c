// SPDX-License-Identifier: GPL-2.0
/*
 * sluiced: options, start-up, the main loop, reload and shutdown.
 *
 * One thread. Each turn of the loop waits (hc_engine_run: libcurl's poll
 * with our fds beside the probes') on the signals, the module's events,
 * the status socket and the metrics server, then applies health changes,
 * looks for drift and re-evaluates what is announced.
 */
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <systemd/sd-daemon.h>

#include "control.h"
#include "daemon.h"
#include "dpsync.h"
#include "events.h"
#include "http.h"
#include "kconv.h"

#define TICK_MS 100
#define DRIFT_SETTLE 0.2 /* s after the last event before comparing */
#define ANNOUNCE_TICK 0.1 /* s between two looks at the VIPs' timers */
#define APPLY_RETRY 1.0 /* s before trying again a change the kernel refused */

static void usage(FILE *out)
{
	fprintf(out,
		"Usage:\n"
		"  sluiced [-f FILE]                run the node daemon (foreground)\n"
		"  sluiced --check [-f FILE | FILE] check a configuration; change nothing\n"
		"  sluiced --convert-keepalived FILE\n"
		"                                   keepalived.conf's LVS part as sluiced.conf\n"
		"  sluiced status [--json] [-s SOCKET]\n"
		"                                   every VIP and real, from the running daemon\n"
		"  sluiced -v | -h\n"
		"Default FILE: %s; SOCKET: the file's daemon.control (%s).\n"
		"Signals: SIGHUP reloads the file; SIGTERM withdraws the VIPs, waits\n"
		"daemon.drain seconds and exits. See sluiced(8), sluiced.conf(5).\n",
		SD_DEFAULT_CONFIG, SD_DEFAULT_CONTROL);
}

static int drift_event(struct nl_msg *msg, void *arg)
{
	double *pending = arg;

	(void)msg;
	*pending = sd_now();
	return NL_OK;
}

/* Apply the file @path in place of the running configuration. */
static int reload(struct sd_daemon *d, const char *path)
{
	struct sd_config old = d->cfg, cfg;
	struct sd_rstate *ors = d->rs;
	struct sluice_table kt;
	size_t nors = d->nrs;
	double t0 = sd_now(), t1, t2, t3;
	char err[512];
	int e;

	sd_notify(0, "RELOADING=1");
	if (sd_config_load(path, &cfg, err, sizeof(err))) {
		sd_log_event("error", SD_EVENT("reload_refused"),
			     "reload refused, nothing changed: %s", err);
		sd_notify(0, "READY=1");
		return -1;
	}
	sd_config_pack(&cfg);
	d->cfg = cfg;
	t1 = sd_now();
	if (sd_apply(d, &kt, err, sizeof(err))) {
		sd_log_event("error", SD_EVENT("reload_refused"),
			     "reload refused by the kernel: %s", err);
		d->cfg = old;
		sd_config_free(&cfg);
		sd_notify(0, "READY=1");
		return -1;
	}
	t2 = sd_now();
	e = sd_health_build(d, &kt);
	if (!e)
		e = sd_announce_build(d, d->vs, d->nvs);
	if (e) {
		/* The kernel has the new file; without its states, stop. */
		sd_log("error", "reload: %s; exiting (the VIPs are withdrawn)",
		       strerror(-e));
		exit(EXIT_FAILURE);
	}
	sd_health_free(ors, nors);
	sd_config_free(&old);
	malloc_trim(0); /* see run() */
	t3 = sd_now();
	/* Where a slow reload spends its time: reading the file, reading
	 * and changing the kernel's table, carrying the states over. */
	sd_log_event(
		"notice", SD_EVENT("reloaded"),
		"reloaded %s in %.0f ms (file %.0f, kernel %.0f, states %.0f)",
		path, (t3 - t0) * 1e3, (t1 - t0) * 1e3, (t2 - t1) * 1e3,
		(t3 - t2) * 1e3);
	sd_notify(0, "READY=1");
	return 0;
}

/*
 * After the module's events: the XDP maps made to follow, and the table
 * compared with what sluiced wants (not while a change of its own is
 * still to be made: that difference is not drift).
 */
static void check_drift(struct sd_daemon *d)
{
	char diff[1024], msg[256];

	if (sluice_dp_sync(&d->nl, msg, sizeof(msg)) < 0)
		sd_log("error", "%s", msg);
	if (d->dirty)
		return;
	if (sd_diff(d, diff, sizeof(diff)) > 0) {
		d->drift_events++;
		snprintf(d->last_drift, sizeof(d->last_drift), "%s", diff);
		sd_log_event(
			"warning", SD_EVENT("drift"),
			"drift: the kernel's table was changed outside sluiced (reverted at the next reload or health change): %s",
			diff);
	}
}

static int run(const char *path)
{
	struct sd_daemon d = { .tun_fd = -1 };
	struct sluice_table kt;
	struct MHD_Daemon *http = NULL;
	struct nl_sock *events = NULL;
	int sfd, ctl = -1, hfd = -1, e, rc = EXIT_FAILURE;
	double pending = 0, stop_at = 0, last_wd = 0, retry_at = 0,
	       last_tick = 0;
	uint64_t wd_usec = 0;
	struct rlimit nofile;
	char err[512];
	sigset_t mask;

	/*
	 * Large blocks (the metrics' text, tables, status) always from mmap,
	 * given back when freed: glibc's default raises this threshold to the
	 * size of each large block freed, after which the next ones are made
	 * in the heap and stay resident (15 MB of text written to a memstream
	 * as the metrics are, three times: 35 MB resident after, 1.7 MB
	 * with this).
	 */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	if (sd_config_load(path, &d.cfg, err, sizeof(err))) {
		sd_log("error", "%s", err);
		return EXIT_FAILURE;
	}
	sd_config_pack(&d.cfg);
	/* A socket per running probe: as many fds as the hard limit allows. */
	if (!getrlimit(RLIMIT_NOFILE, &nofile) &&
	    nofile.rlim_cur < nofile.rlim_max) {
		nofile.rlim_cur = nofile.rlim_max;
		setrlimit(RLIMIT_NOFILE, &nofile);
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	e = sluice_nl_open(&d.nl);
	if (e) {
		sd_log("error", "%s", sluice_nl_strerror(&d.nl, e));
		goto out;
	}
	d.hc = hc_engine_new(sd_health_changed, &d);
	if (!d.hc || sfd < 0) {
		sd_log("error", "out of memory");
		goto out;
	}
	d.start = sd_now();
	/* The VIP interface first: if it cannot be made, nothing is touched. */
	if (sd_announce_open(&d, err, sizeof(err))) {
		sd_log("error", "%s", err);
		goto out;
	}
	if (sd_apply(&d, &kt, err, sizeof(err))) {
		sd_log("error", "applying %s: %s", path, err);
		goto out;
	}
	e = sd_health_build(&d, &kt);
	if (!e)
		e = sd_announce_build(&d, NULL, 0);
	if (e) {
		sd_log("error", "starting: %s", strerror(-e));
		goto out;
	}
	/*
	 * What reading the file (libconfig's tree) and the kernel's table
	 * took is free now, in holes of the heap that free() keeps resident:
	 * their pages go back (10,000 reals, bench/start_bench: 0.5 MB here,
	 * 3 MB after a reload).
	 */
	malloc_trim(0);
	events = sluice_events_open(drift_event, &pending, &e);
	if (!events) {
		sd_log("error", "events: %s", strerror(-e));
		goto out;
	}
	ctl = sd_control_listen(d.cfg.daemon.control, err, sizeof(err));
	if (ctl < 0) {
		sd_log("error", "%s", err);
		goto out;
	}
	if (d.cfg.daemon.metrics[0]) {
		http = sd_http_start(&d, d.cfg.daemon.metrics, &hfd, err,
				     sizeof(err));
		if (!http) {
			sd_log("error", "%s", err);
			goto out;
		}
	}
	if (sd_watchdog_enabled(0, &wd_usec) <= 0)
		wd_usec = 0;
	pending = sd_now(); /* sync the XDP maps once */
	sd_log("notice",
	       "running %s: %zu VIPs, %zu reals; learning for %.1f s before announcing",
	       path, d.nvs, d.nrs, d.cfg.daemon.learn);
	sd_notify(0, "READY=1");

	for (;;) {
		struct curl_waitfd fds[4] = {
			{ .fd = sfd, .events = CURL_WAIT_POLLIN },
			{ .fd = nl_socket_get_fd(events),
			  .events = CURL_WAIT_POLLIN },
			{ .fd = ctl, .events = CURL_WAIT_POLLIN },
			{ .fd = hfd, .events = CURL_WAIT_POLLIN },
		};
		double now;

		e = hc_engine_run(d.hc, fds, http ? 4 : 3, TICK_MS);
		if (e && e != -EINTR) {
			sd_log("error", "main loop: %s", strerror(-e));
			goto out;
		}
		if (fds[0].revents) {
			struct signalfd_siginfo si;

			while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo == SIGHUP && !d.stopping) {
					reload(&d, path);
				} else if (si.ssi_signo != SIGHUP &&
					   !d.stopping) {
					sd_notify(0, "STOPPING=1");
					sd_log("notice",
					       "stopping: VIPs withdrawn, draining %.1f s",
					       d.cfg.daemon.drain);
					sd_announce_withdraw_all(&d);
					stop_at = sd_now() + d.cfg.daemon.drain;
				}
			}
		}
		if (fds[1].revents)
			nl_recvmsgs_default(events);
		if (fds[2].revents)
			sd_control_serve(&d, ctl);
		if (http)
			MHD_run(http);
		now = sd_now();
		if (d.dirty && !d.stopping && now >= retry_at &&
		    sd_apply_health(&d, err, sizeof(err))) {
			sd_log("error",
			       "applying health changes: %s (again in %.0f s)",
			       err, APPLY_RETRY);
			retry_at = now + APPLY_RETRY;
		}
		if (pending && now - pending >= DRIFT_SETTLE) {
			check_drift(&d);
			/* Compare again once sluiced's own change is made. */
			pending = d.dirty ? now : 0;
		}
		if (d.stopping && now >= stop_at)
			break;
		/*
		 * The VIPs at once when a real changed (a withdraw is never
		 * late), else every ANNOUNCE_TICK for the timers (learn,
		 * hold-down, damping): not in every turn, which come by the
		 * thousand per second with 10,000 checks.
		 */
		if (d.vips_dirty || now - last_tick >= ANNOUNCE_TICK) {
			d.vips_dirty = 0;
			last_tick = now;
			sd_announce_tick(&d);
		}
		if (wd_usec && now - last_wd >= wd_usec / 2e6) {
			sd_notify(0, "WATCHDOG=1");
			last_wd = now;
		}
	}
	rc = EXIT_SUCCESS;
out:
	sd_announce_close(&d);
	if (http)
		MHD_stop_daemon(http);
	if (ctl >= 0) {
		close(ctl);
		unlink(d.cfg.daemon.control);
	}
	if (events)
		nl_socket_free(events);
	sd_health_free(d.rs, d.nrs);
	sd_apply_forget(&d);
	sd_rindex_free(&d.idx);
	free(d.vs);
	if (d.hc)
		hc_engine_free(d.hc);
	sluice_nl_close(&d.nl);
	sd_config_free(&d.cfg);
	if (sfd >= 0)
		close(sfd);
	return rc;
}

static int check(const char *path)
{
	struct sd_config cfg;
	char err[512];
	size_t i, s = 0, r = 0;

	if (sd_config_load(path, &cfg, err, sizeof(err))) {
		fprintf(stderr, "sluiced: %s\n", err);
		return EXIT_FAILURE;
	}
	for (i = 0; i < cfg.nvips; i++) {
		size_t j;

		s += cfg.vips[i].nsvcs;
		for (j = 0; j < cfg.vips[i].nsvcs; j++)
			r += cfg.vips[i].svcs[j].nreals;
	}
	printf("%s: ok: %zu VIPs, %zu services, %zu reals, %zu checks\n", path,
	       cfg.nvips, s, r, cfg.nchecks);
	sd_config_free(&cfg);
	return EXIT_SUCCESS;
}

static int convert(const char *path)
{
	FILE *in = fopen(path, "r");
	int rc;

	if (!in) {
		fprintf(stderr, "sluiced: %s: %s\n", path, strerror(errno));
		return 2;
	}
	rc = sd_kconv(in, path, stdout, stderr);
	fclose(in);
	if (rc < 0)
		fprintf(stderr, "sluiced: %s: %s\n", path, strerror(-rc));
	return rc < 0 ? 2 : rc;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'f' },
		{ "check", no_argument, NULL, 'C' },
		{ "convert-keepalived", required_argument, NULL, 'K' },
		{ "json", no_argument, NULL, 'j' },
		{ "socket", required_argument, NULL, 's' },
		{ "version", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = SD_DEFAULT_CONFIG, *sock = NULL, *kfile = NULL;
	int o, want_check = 0, json = 0, status = 0;

	while ((o = getopt_long(argc, argv, "f:s:vh", opts, NULL)) != -1) {
		switch (o) {
		case 'f':
			path = optarg;
			break;
		case 'C':
			want_check = 1;
			break;
		case 'K':
			kfile = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 's':
			sock = optarg;
			break;
		case 'v':
			printf("sluiced %s\n", SLUICE_VERSION);
			return EXIT_SUCCESS;
		case 'h':
			usage(stdout);
			return EXIT_SUCCESS;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc && !strcmp(argv[optind], "status")) {
		status = 1;
		optind++;
	} else if (optind < argc && want_check) {
		path = argv[optind++];
	}
	if (optind < argc) {
		fprintf(stderr, "sluiced: unexpected argument `%s'\n",
			argv[optind]);
		usage(stderr);
		return 2;
	}
	if (kfile)
		return convert(kfile);
	if (want_check)
		return check(path);
	if (status)
		return sd_control_status(sock, path, json);
	return run(path);
}
