// SPDX-License-Identifier: GPL-2.0
/*
 * sluiced's check engine alone, on this machine (no VM): N TCP connect
 * checks (every 1 s, timeout 0.5 s, rise 2, fall 2) against listeners of
 * its own on 127.0.0.1 (1,000 ports, one thread accepting and closing),
 * the targets spread over 127.0.0.11... so that every probe is distinct.
 * Prints the engine thread's CPU over a window once every check is up,
 * split into user and system time: the system part is the kernel's work
 * for each connect and close (on loopback, the listener's side of the
 * handshake too), which any checker pays.
 *
 *   check_bench [N [SECONDS]]   (default 10000 20)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

#define NPORTS 1000
#define PORT0 20000

static long accepted;

static void *serve(void *arg)
{
	struct epoll_event ev, evs[256];
	int ep = epoll_create1(0), i, one = 1;

	(void)arg;
	for (i = 0; i < NPORTS; i++) {
		struct sockaddr_in sin = { .sin_family = AF_INET,
					   .sin_port = htons(PORT0 + i) };
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) ||
		    listen(fd, 4096)) {
			perror("listener");
			exit(1);
		}
		ev.events = EPOLLIN;
		ev.data.fd = fd;
		epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	}
	for (;;) {
		int n = epoll_wait(ep, evs, 256, -1), c;

		for (i = 0; i < n; i++) {
			while ((c = accept4(evs[i].data.fd, NULL, NULL,
					    SOCK_NONBLOCK)) >= 0) {
				close(c);
				__atomic_add_fetch(&accepted, 1,
						   __ATOMIC_RELAXED);
			}
		}
	}
	return NULL;
}

static int up;

static void changed(struct hc_probe *p, enum hc_state s, void *arg)
{
	(void)p;
	(void)arg;
	up += s == HC_UP ? 1 : -1;
}

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void thread_cpu(double *user, double *sys)
{
	struct rusage ru;

	getrusage(RUSAGE_THREAD, &ru);
	*user = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
	*sys = ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 10000;
	int secs = argc > 2 ? atoi(argv[2]) : 20, i;
	struct hc_spec s = { .type = HC_TCP,
			     .interval_ms = 1000,
			     .timeout_ms = 500,
			     .rise = 2,
			     .fall = 2 };
	struct rlimit rl = { 65536, 65536 };
	double t0, t, u0, s0, u1, s1;
	struct hc_engine *e;
	pthread_t th;
	long a0;

	setrlimit(RLIMIT_NOFILE, &rl);
	e = hc_engine_new(changed, NULL);
	if (!e || pthread_create(&th, NULL, serve, NULL))
		return 1;
	usleep(200000);
	for (i = 0; i < n; i++) {
		struct hc_target tg = { .af = AF_INET };
		uint32_t a = htonl(0x7f00000b + i / NPORTS);

		memcpy(tg.addr, &a, 4);
		tg.port = PORT0 + i % NPORTS;
		if (!hc_probe_get(e, &s, &tg, HC_UNKNOWN))
			return 1;
	}
	for (t0 = mono(); up < n && mono() - t0 < 30;)
		hc_engine_run(e, NULL, 0, 100);
	printf("%d of %d checks up after %.1f s\n", up, n, mono() - t0);
	a0 = accepted;
	thread_cpu(&u0, &s0);
	for (t0 = mono(); mono() - t0 < secs;)
		hc_engine_run(e, NULL, 0, 100);
	t = mono() - t0;
	thread_cpu(&u1, &s1);
	printf("| %d TCP checks at 1 s, %d s | engine thread: %.1f %% of a core (user %.1f %%, system %.1f %%) | %.0f connects/s accepted | %d up |\n",
	       n, secs, (u1 - u0 + s1 - s0) / t * 100, (u1 - u0) / t * 100,
	       (s1 - s0) / t * 100, (accepted - a0) / t, up);
	return 0;
}
