// SPDX-License-Identifier: GPL-2.0
/*
 * connrate: TCP connections per second, for make bench (bench/vm/lb.sh).
 *
 *   connrate serve PORT
 *       accept on PORT (any address), read the 1-byte request, answer one
 *       byte and close; forever (the benchmark kills it).
 *   connrate run ADDR PORT COUNT PARALLEL SECONDS
 *       open COUNT connections to ADDR:PORT, PARALLEL at a time: connect,
 *       send one byte, read the answer, close. Stops after COUNT
 *       connections or SECONDS, whichever comes first, and prints
 *       "<completed> <failed> <seconds>" (completed: the answer arrived;
 *       failed: refused, reset, or still unanswered when time ran out).
 *
 * The server closes first, so TIME_WAIT stays on the server and the
 * client's ports are free again at once. Through a load balancer in DSR
 * mode every connection is a new flow (SYN, request, ACKs, FIN go through
 * it; the answer does not): what this measures is the cost of a new
 * connection, scheduler and connection-table entry included.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MAX_PARALLEL 256

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: connrate serve PORT\n"
		"       connrate run ADDR PORT COUNT PARALLEL SECONDS\n");
	return 2;
}

/* A decimal argument in [min, max], or -1 with a message naming it. */
static long number(const char *what, const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < min || v > max) {
		fprintf(stderr, "connrate: bad %s '%s' (%ld..%ld)\n", what, s,
			min, max);
		return -1;
	}
	return v;
}

static int serve(int port)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6,
				  .sin6_port = htons(port) };
	struct timeval tmo = { .tv_sec = 1 };
	int one = 1, fd, c;
	char b;

	fd = socket(AF_INET6, SOCK_STREAM, 0);
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 1024)) {
		perror("connrate: listen");
		return 1;
	}
	for (;;) {
		c = accept(fd, NULL, NULL);
		if (c < 0)
			continue;
		/* A lost request must not stall every later connection. */
		setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tmo, sizeof(tmo));
		if (read(c, &b, 1) == 1)
			(void)!write(c, &b, 1);
		close(c);
	}
}

struct slot {
	int fd;
	int sent;
};

/* Start one connection in @s; 0 or -1. */
static int start(int ep, struct slot *s, const struct sockaddr_storage *to,
		 socklen_t len)
{
	struct epoll_event ev = { .events = EPOLLOUT | EPOLLIN, .data.ptr = s };

	s->fd = socket(to->ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	s->sent = 0;
	if (s->fd < 0)
		return -1;
	if ((connect(s->fd, (const struct sockaddr *)to, len) &&
	     errno != EINPROGRESS) ||
	    epoll_ctl(ep, EPOLL_CTL_ADD, s->fd, &ev)) {
		close(s->fd);
		s->fd = -1;
		return -1;
	}
	return 0;
}

/* Advance @s on an event: 1 done, -1 failed, 0 still going. */
static int step(int ep, struct slot *s, unsigned int events)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = s };
	char b = 'x';

	if (events & (EPOLLERR | EPOLLHUP) && !(events & EPOLLIN))
		return -1;
	if (!s->sent && (events & EPOLLOUT)) {
		if (write(s->fd, &b, 1) != 1 ||
		    epoll_ctl(ep, EPOLL_CTL_MOD, s->fd, &ev))
			return -1;
		s->sent = 1;
		return 0;
	}
	if (events & EPOLLIN)
		return read(s->fd, &b, 1) == 1 ? 1 : -1;
	return 0;
}

static int run(const char *addr, int port, long count, int parallel,
	       double seconds)
{
	struct sockaddr_storage to = { 0 };
	struct epoll_event evs[MAX_PARALLEL];
	struct slot slots[MAX_PARALLEL];
	long started = 0, done = 0, failed = 0;
	socklen_t len;
	double t0, t;
	int ep, i, n, r;

	if (inet_pton(AF_INET, addr, &((struct sockaddr_in *)&to)->sin_addr) ==
	    1) {
		to.ss_family = AF_INET;
		((struct sockaddr_in *)&to)->sin_port = htons(port);
		len = sizeof(struct sockaddr_in);
	} else if (inet_pton(AF_INET6, addr,
			     &((struct sockaddr_in6 *)&to)->sin6_addr) == 1) {
		to.ss_family = AF_INET6;
		((struct sockaddr_in6 *)&to)->sin6_port = htons(port);
		len = sizeof(struct sockaddr_in6);
	} else {
		fprintf(stderr, "connrate: bad address '%s'\n", addr);
		return 2;
	}
	ep = epoll_create1(0);
	if (ep < 0) {
		perror("connrate: epoll");
		return 1;
	}
	t0 = now();
	for (i = 0; i < parallel && started < count; i++, started++)
		if (start(ep, &slots[i], &to, len))
			failed++;
	t = t0;
	while (done + failed < started && t - t0 < seconds) {
		n = epoll_wait(ep, evs, MAX_PARALLEL, 100);
		for (i = 0; i < n; i++) {
			struct slot *s = evs[i].data.ptr;

			r = step(ep, s, evs[i].events);
			if (!r)
				continue;
			close(s->fd);
			if (r > 0)
				done++;
			else
				failed++;
			t = now();
			if (started < count && t - t0 < seconds) {
				started++;
				if (start(ep, s, &to, len))
					failed++;
			}
		}
		t = now();
	}
	/* Connections still open when time ran out failed too. */
	printf("%ld %ld %.3f\n", done, started - done, t - t0);
	return 0;
}

int main(int argc, char **argv)
{
	long port, count, parallel, seconds;

	if (argc == 3 && !strcmp(argv[1], "serve")) {
		port = number("port", argv[2], 1, 65535);
		return port < 0 ? 2 : serve(port);
	}
	if (argc != 7 || strcmp(argv[1], "run"))
		return usage();
	port = number("port", argv[3], 1, 65535);
	count = number("count", argv[4], 1, 100000000);
	parallel = number("parallel", argv[5], 1, MAX_PARALLEL);
	seconds = number("seconds", argv[6], 1, 3600);
	if (port < 0 || count < 0 || parallel < 0 || seconds < 0)
		return 2;
	return run(argv[2], port, count, parallel, seconds);
}
