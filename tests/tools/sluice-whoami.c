// SPDX-License-Identifier: GPL-2.0
/*
 * sluice-whoami: the test peers of the data-path and cluster tests (every
 * run bounded in count and time: WHOAMI_SECONDS, default 240). In C, not
 * Python: under TCG a Python client or server cost as much guest CPU as
 * the packets' whole path through the kernel (measured on 6.12: 45 % of a
 * data-path test's busy time was the Python helpers').
 *
 *   serve NAME ADDR PORT      TCP and UDP: answer every connection or
 *                             datagram with NAME (UDP: per datagram); over
 *                             TCP, "who\n" is answered "NAME\n", "reset\n"
 *                             closes the connection with a reset from here
 *                             (in direct server return the LB never sees
 *                             it), anything else is echoed
 *   udp ADDR PORT N [RATE]    N datagrams, each from a new source port (with
 *                             RATE, at most RATE a second);
 *                             print "NAME COUNT" per answering server (one
 *                             unanswered in 2 s is sent again once:
 *                             "(resent) COUNT"; "(none) COUNT" if still
 *                             unanswered)
 *   tcp ADDR PORT N           N TCP connections, the same count
 *   hold ADDR PORT N SECONDS [EVERY]
 *                             open N TCP connections, print "open N", keep
 *                             them SECONDS (or until SIGUSR1), then check
 *                             each still answers from its real; print
 *                             "completed COUNT"; with EVERY, ask each
 *                             every EVERY seconds meanwhile too (a wrong or
 *                             missing answer then fails it)
 *   mtu ADDR PORT SIZE        send a UDP datagram of SIZE bytes with DF set,
 *                             print the path MTU the kernel learnt
 *   refused ADDR PORT         succeed if a TCP connection gets no answer at
 *                             all (neither SYN-ACK nor RST) in 3 s
 *   synflood SRC ADDR PORT N [PPS]
 *                             send N TCP SYNs from SRC (IPv4), each from
 *                             another source port, and nothing else; with
 *                             PPS, at most PPS a second
 *   flow ADDR PORT SECONDS    one TCP connection: print "LOCALPORT NAME",
 *                             keep it open SECONDS
 *   answers NAME PORT ADDR... succeed if the servers on every ADDR:PORT
 *                             answer NAME over TCP and over UDP (1 s each)
 *   ports ADDR PORT FIRST N [server-reset]
 *                             N TCP connections from source ports
 *                             FIRST..FIRST+N-1, each closed with a reset
 *                             (no TIME_WAIT: the port is free again at
 *                             once), from the server with server-reset;
 *                             print "LOCALPORT NAME" per connection
 *   icmperr VIP CLIENT CPORT PORT MTU
 *                             send VIP an ICMP "fragmentation needed"
 *                             quoting a reply VIP:PORT -> CLIENT:CPORT
 *
 * With WHOAMI_LOG set (the cluster tests keep each server's output in a
 * file), a server says on stderr when it starts and why it stops: a
 * signal, or the end of its time.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define NAME_MAX_LEN 64

static double deadline;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	fprintf(stderr, "sluice-whoami: %s: %s\n", what, strerror(errno));
	exit(1);
}

static long num(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end) {
		fprintf(stderr, "sluice-whoami: not a number: '%s'\n", s);
		exit(2);
	}
	return v;
}

static double seconds(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end || v < 0) {
		fprintf(stderr,
			"sluice-whoami: not a duration in seconds: '%s'\n", s);
		exit(2);
	}
	return v;
}

/* ADDR (a literal, either family) and PORT as a socket address. */
static socklen_t sockaddr_of(const char *addr, int port,
			     struct sockaddr_storage *ss)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons(port);
		return sizeof(*in);
	}
	if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		return sizeof(*in6);
	}
	fprintf(stderr, "sluice-whoami: not an IPv4 or IPv6 address: '%s'\n",
		addr);
	exit(2);
}

static void set_timeout(int fd, double secs)
{
	struct timeval tv = { .tv_sec = (time_t)secs,
			      .tv_usec = (suseconds_t)((secs - (time_t)secs) *
						       1e6) };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

/*
 * connect() within SECS (a blocking socket's connect() takes SO_SNDTIMEO
 * as its limit); the socket keeps SECS for every later send and receive.
 * -1 with errno set (EINPROGRESS: the time ran out) on failure.
 */
static int connect_within(int fd, const struct sockaddr_storage *ss,
			  socklen_t len, double secs)
{
	set_timeout(fd, secs);
	return connect(fd, (const struct sockaddr *)ss, len);
}

/* A TCP connection to ADDR:PORT within SECS, or -1. */
static int tcp_connect(const char *addr, int port, double secs)
{
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_of(addr, port, &ss);
	int fd = socket(ss.ss_family, SOCK_STREAM, 0);

	if (fd < 0)
		die("socket");
	if (connect_within(fd, &ss, len, secs) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int send_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= n;
	}
	return 0;
}

/* Ask the server on FD who it is: "who\n", the answer up to "\n" into NAME. */
static int tcp_who(int fd, char *name)
{
	size_t len = 0;

	if (send_all(fd, "who\n", 4) < 0)
		return -1;
	while (len == 0 || name[len - 1] != '\n') {
		ssize_t n = recv(fd, name + len, NAME_MAX_LEN - 1 - len, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || len + n >= NAME_MAX_LEN - 1) {
			if (n == 0)
				errno = ECONNRESET;
			return -1;
		}
		len += n;
	}
	while (len && (name[len - 1] == '\n' || name[len - 1] == ' ' ||
		       name[len - 1] == '\r'))
		len--;
	name[len] = '\0';
	return 0;
}

/* The answers' tally: "NAME COUNT" lines, sorted by name. */
struct tally {
	int n;
	struct {
		char name[NAME_MAX_LEN];
		long count;
	} e[64];
};

static void count(struct tally *t, const char *name)
{
	int i;

	for (i = 0; i < t->n; i++)
		if (!strcmp(t->e[i].name, name))
			break;
	if (i == t->n) {
		if (t->n == (int)(sizeof(t->e) / sizeof(t->e[0]))) {
			fprintf(stderr,
				"sluice-whoami: more than %d different answers\n",
				t->n);
			exit(1);
		}
		snprintf(t->e[i].name, sizeof(t->e[i].name), "%s", name);
		t->e[i].count = 0;
		t->n++;
	}
	t->e[i].count++;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(a, b); /* name is each entry's first member */
}

static void print_tally(struct tally *t)
{
	int i;

	qsort(t->e, t->n, sizeof(t->e[0]), by_name);
	for (i = 0; i < t->n; i++)
		printf("%s %ld\n", t->e[i].name, t->e[i].count);
}

/* serve */

static const char *srv_name;
static size_t srv_name_len;
static char srv_log_prefix[160];

static void srv_log(const char *what)
{
	char line[256];
	int n;

	if (!getenv("WHOAMI_LOG"))
		return;
	n = snprintf(line, sizeof(line), "%s: %s\n", srv_log_prefix, what);
	if (write(2, line, n) < 0)
		return;
}

/*
 * A signal ends the server at once, saying which (write(2) alone: a second
 * signal, timeout forwarding the one pkill sent it too, may come meanwhile).
 */
static void stopped(int sig)
{
	char line[200];
	int n = snprintf(line, sizeof(line), "%s: stopped by signal %d\n",
			 srv_log_prefix, sig);

	if (getenv("WHOAMI_LOG") && write(2, line, n) < 0)
		_exit(128 + sig);
	_exit(128 + sig);
}

static void *udp_loop(void *arg)
{
	int fd = (int)(intptr_t)arg;
	struct sockaddr_storage peer;
	char buf[2048];

	for (;;) {
		socklen_t len = sizeof(peer);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&peer, &len);

		if (n >= 0)
			sendto(fd, srv_name, srv_name_len, 0,
			       (struct sockaddr *)&peer, len);
	}
	return NULL;
}

static void *conn_loop(void *arg)
{
	int fd = (int)(intptr_t)arg;
	static const struct linger reset = { .l_onoff = 1, .l_linger = 0 };
	char buf[65536];

	/* A client that goes quiet for 60 s is left. */
	set_timeout(fd, 60);
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (n == 6 && !memcmp(buf, "reset\n", 6)) {
			setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset,
				   sizeof(reset));
			break;
		}
		if (n == 4 && !memcmp(buf, "who\n", 4)) {
			char answer[NAME_MAX_LEN + 1];

			memcpy(answer, srv_name, srv_name_len);
			answer[srv_name_len] = '\n';
			if (send_all(fd, answer, srv_name_len + 1) < 0)
				break;
		} else if (send_all(fd, buf, n) < 0) {
			break;
		}
	}
	close(fd);
	return NULL;
}

static void spawn(void *(*fn)(void *), int fd)
{
	pthread_attr_t attr;
	pthread_t t;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	if (pthread_create(&t, &attr, fn, (void *)(intptr_t)fd)) {
		errno = EAGAIN;
		die("pthread_create");
	}
	pthread_attr_destroy(&attr);
}

static void serve(const char *name, const char *addr, int port)
{
	static const int sigs[] = { SIGHUP, SIGINT, SIGTERM, SIGUSR1, SIGUSR2 };
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_of(addr, port, &ss);
	int one = 1, tcp, udp;
	char what[64];
	size_t i;

	srv_name = name;
	srv_name_len = strlen(name);
	if (srv_name_len >= NAME_MAX_LEN) {
		fprintf(stderr, "sluice-whoami: name too long: '%s'\n", name);
		exit(2);
	}
	snprintf(srv_log_prefix, sizeof(srv_log_prefix), "%s %s:%d", name, addr,
		 port);
	tcp = socket(ss.ss_family, SOCK_STREAM, 0);
	if (tcp < 0)
		die("socket");
	setsockopt(tcp, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(tcp, (struct sockaddr *)&ss, len) < 0)
		die("bind (TCP)");
	if (listen(tcp, 512) < 0)
		die("listen");
	udp = socket(ss.ss_family, SOCK_DGRAM, 0);
	if (udp < 0)
		die("socket");
	if (bind(udp, (struct sockaddr *)&ss, len) < 0)
		die("bind (UDP)");

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], stopped);
	signal(SIGPIPE, SIG_IGN);
	snprintf(what, sizeof(what), "serving (pid %d)", (int)getpid());
	srv_log(what);
	spawn(udp_loop, udp);
	while (now() < deadline + 60) {
		struct pollfd p = { .fd = tcp, .events = POLLIN };
		int c;

		if (poll(&p, 1, 1000) <= 0)
			continue;
		c = accept(tcp, NULL, NULL);
		if (c >= 0)
			spawn(conn_loop, c);
	}
	srv_log("time is up");
}

static void sleep_for(double secs)
{
	struct timespec ts = { .tv_sec = (time_t)secs,
			       .tv_nsec = (long)((secs - (time_t)secs) * 1e9) };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/*
 * At most RATE a second (0: no limit): once the (I+1)-th of a run that
 * began at START is out, wait until it is due. Checked every 10th.
 */
static void pace(double start, long i, long rate)
{
	double ahead;

	if (rate <= 0 || i % 10 != 9)
		return;
	ahead = start + (double)(i + 1) / rate - now();
	if (ahead > 0)
		sleep_for(ahead);
}

/* clients */

static void udp_client(const char *addr, int port, long n, long rate)
{
	double start = now();
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_of(addr, port, &ss);
	struct tally t = { 0 };
	char buf[NAME_MAX_LEN];
	long i;

	for (i = 0; i < n && now() <= deadline; i++) {
		int fd = socket(ss.ss_family, SOCK_DGRAM, 0);
		ssize_t got = -1;

		if (fd < 0)
			die("socket");
		set_timeout(fd, 2);
		if (sendto(fd, "who", 3, 0, (struct sockaddr *)&ss, len) == 3) {
			got = recv(fd, buf, sizeof(buf) - 1, 0);
			if (got < 0 &&
			    (errno == EAGAIN || errno == EWOULDBLOCK)) {
				/*
				 * Datagrams may be lost on the way; a client
				 * asks again, in the same flow (forward.sh
				 * checks that none of the LB's drop counters
				 * moved).
				 */
				count(&t, "(resent)");
				got = -1;
				if (sendto(fd, "who", 3, 0,
					   (struct sockaddr *)&ss, len) == 3)
					got = recv(fd, buf, sizeof(buf) - 1, 0);
			}
		}
		if (got >= 0) {
			buf[got] = '\0';
			count(&t, buf);
		} else {
			count(&t, "(none)");
		}
		close(fd);
		pace(start, i, rate);
	}
	print_tally(&t);
}

static void tcp_client(const char *addr, int port, long n)
{
	struct tally t = { 0 };
	char name[NAME_MAX_LEN];
	long i;

	for (i = 0; i < n && now() <= deadline; i++) {
		int fd = tcp_connect(addr, port, 5);

		if (fd >= 0 && tcp_who(fd, name) == 0)
			count(&t, name);
		else
			count(&t, "(none)");
		if (fd >= 0)
			close(fd);
	}
	print_tally(&t);
}

static volatile sig_atomic_t hold_ended;

static void end_hold(int sig)
{
	(void)sig;
	hold_ended = 1;
}

/* Each connection still answers from the real it first had; -1: gone. */
static long hold_ask(const int *fds, char (*names)[NAME_MAX_LEN], bool *bad,
		     long n)
{
	char name[NAME_MAX_LEN];
	long i, ok = 0;

	for (i = 0; i < n; i++) {
		if (!bad[i] && tcp_who(fds[i], name) == 0 &&
		    !strcmp(name, names[i]))
			ok++;
		else
			bad[i] = true;
	}
	return ok;
}

static void hold(const char *addr, int port, long n, double secs, double every)
{
	/* No SA_RESTART: the signal ends the sleep. */
	struct sigaction sa = { .sa_handler = end_hold };
	char(*names)[NAME_MAX_LEN] = calloc(n, NAME_MAX_LEN);
	int *fds = calloc(n, sizeof(int));
	bool *bad = calloc(n, sizeof(bool));
	double end = now() + secs, t;
	struct timespec left;
	long i, done;

	if (!names || !fds || !bad)
		die("calloc");
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	for (i = 0; i < n; i++) {
		/*
		 * Generous: the debug (KASAN) kernel under TCG answers slowly
		 * while a test loads it; a broken connection fails fast (RST).
		 */
		fds[i] = tcp_connect(addr, port, 30);
		if (fds[i] < 0)
			die("connect");
	}
	for (i = 0; i < n; i++)
		if (tcp_who(fds[i], names[i]) < 0)
			die("who");
	printf("open %ld\n", n);
	fflush(stdout);
	/* Until the end or the signal, asking every EVERY seconds (0: never). */
	while (!hold_ended && (t = end - now()) > 0) {
		if (every > 0 && t > every)
			t = every;
		left.tv_sec = (time_t)t;
		left.tv_nsec = (long)((t - (time_t)t) * 1e9);
		if (nanosleep(&left, NULL) == 0 && every > 0 && !hold_ended)
			hold_ask(fds, names, bad, n);
	}
	done = hold_ask(fds, names, bad, n);
	for (i = 0; i < n; i++)
		close(fds[i]);
	printf("completed %ld\n", done);
	free(names);
	free(fds);
	free(bad);
}

static void mtu(const char *addr, int port, long size)
{
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_of(addr, port, &ss);
	int fd = socket(ss.ss_family, SOCK_DGRAM, 0), pmtu = IP_PMTUDISC_DO, v;
	bool v4 = ss.ss_family == AF_INET;
	socklen_t vl = sizeof(v);
	char *buf = calloc(1, size);

	if (fd < 0 || !buf)
		die("socket");
	memset(buf, 'x', size);
	if (v4)
		setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &pmtu,
			   sizeof(pmtu));
	else
		setsockopt(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, &pmtu,
			   sizeof(pmtu));
	if (connect(fd, (struct sockaddr *)&ss, len) < 0)
		die("connect");
	if (send(fd, buf, size, 0) < 0) {
		/* EMSGSIZE: the kernel knows the path's MTU already */
	}
	sleep_for(1);
	if (getsockopt(fd, v4 ? IPPROTO_IP : IPPROTO_IPV6,
		       v4 ? IP_MTU : IPV6_MTU, &v, &vl) < 0)
		die("getsockopt (MTU)");
	printf("%d\n", v);
	free(buf);
	close(fd);
}

static int refused(const char *addr, int port)
{
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_of(addr, port, &ss);
	int fd = socket(ss.ss_family, SOCK_STREAM, 0);

	if (fd < 0)
		die("socket");
	if (connect_within(fd, &ss, len, 3) == 0) {
		fprintf(stderr, "connected\n");
		return 1;
	}
	if (errno == EINPROGRESS || errno == EAGAIN) {
		printf("no answer\n");
		return 0;
	}
	fprintf(stderr, "answered: %s\n", strerror(errno));
	return 1;
}

static uint16_t checksum(const void *data, size_t len, uint32_t sum)
{
	const uint8_t *p = data;

	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)p[0] << 8 | p[1];
	if (len)
		sum += (uint32_t)p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons(~sum & 0xffff);
}

/* The one's-complement sum of the TCP/UDP pseudo header (IPv4). */
static uint32_t pseudo_sum(struct in_addr s, struct in_addr d, int proto,
			   int len)
{
	uint8_t ph[12];

	memcpy(ph, &s, 4);
	memcpy(ph + 4, &d, 4);
	ph[8] = 0;
	ph[9] = proto;
	ph[10] = len >> 8;
	ph[11] = len & 0xff;
	return ntohs(~checksum(ph, sizeof(ph), 0) & 0xffff);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

/* An IPv4 header for LEN bytes of PROTO (DF, TTL 64). */
static void ip4_header(uint8_t *ip, int len, uint16_t id, int proto,
		       struct in_addr s, struct in_addr d)
{
	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, len);
	put16(ip + 4, id);
	put16(ip + 6, 0x4000);
	ip[8] = 64;
	ip[9] = proto;
	memcpy(ip + 12, &s, 4);
	memcpy(ip + 16, &d, 4);
}

static struct in_addr ip4(const char *s)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1) {
		fprintf(stderr, "sluice-whoami: not an IPv4 address: '%s'\n",
			s);
		exit(2);
	}
	return a;
}

static void synflood(const char *src, const char *dst, int port, long n,
		     long pps)
{
	double start = now();
	struct in_addr s = ip4(src), d = ip4(dst);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr = d };
	uint32_t psum = pseudo_sum(s, d, IPPROTO_TCP, 20);
	int fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	uint8_t pkt[40];
	long i;

	if (fd < 0)
		die("socket (raw)");
	for (i = 0; i < n; i++) {
		uint8_t *tcp = pkt + 20;
		uint16_t c;

		ip4_header(pkt, sizeof(pkt), i & 0xffff, IPPROTO_TCP, s, d);
		c = checksum(pkt, 20, 0);
		memcpy(pkt + 10, &c, 2);
		memset(tcp, 0, 20);
		put16(tcp, 1024 + i % 64000);
		put16(tcp + 2, port);
		put32(tcp + 4, (uint32_t)i);
		tcp[12] = 5 << 4;
		tcp[13] = 0x02; /* SYN */
		put16(tcp + 14, 65535);
		c = checksum(tcp, 20, psum);
		memcpy(tcp + 16, &c, 2);
		if (sendto(fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&to,
			   sizeof(to)) < 0)
			die("sendto");
		pace(start, i, pps);
	}
	printf("sent %ld\n", n);
}

static void flow(const char *addr, int port, double secs)
{
	struct sockaddr_storage local;
	socklen_t len = sizeof(local);
	char name[NAME_MAX_LEN];
	int fd = tcp_connect(addr, port, 5);

	if (fd < 0)
		die("connect");
	if (tcp_who(fd, name) < 0)
		die("who");
	getsockname(fd, (struct sockaddr *)&local, &len);
	printf("%d %s\n", ntohs(((struct sockaddr_in *)&local)->sin_port),
	       name);
	sleep_for(secs);
	close(fd);
}

static bool answers(const char *name, int port, char **addrs, int n)
{
	char got[NAME_MAX_LEN];
	int i;

	for (i = 0; i < n; i++) {
		struct sockaddr_storage ss;
		socklen_t len = sockaddr_of(addrs[i], port, &ss);
		int fd = tcp_connect(addrs[i], port, 1);
		ssize_t r;

		if (fd < 0)
			return false;
		r = tcp_who(fd, got);
		close(fd);
		if (r < 0 || strcmp(got, name))
			return false;
		fd = socket(ss.ss_family, SOCK_DGRAM, 0);
		if (fd < 0)
			die("socket");
		set_timeout(fd, 1);
		r = -1;
		if (sendto(fd, "who", 3, 0, (struct sockaddr *)&ss, len) == 3)
			r = recv(fd, got, sizeof(got) - 1, 0);
		close(fd);
		if (r < 0)
			return false;
		got[r] = '\0';
		if (strcmp(got, name))
			return false;
	}
	return true;
}

static void ports(const char *addr, int port, long first, long n,
		  bool by_server)
{
	static const struct linger reset = { .l_onoff = 1, .l_linger = 0 };
	long local;

	for (local = first; local < first + n; local++) {
		struct sockaddr_storage ss, me;
		socklen_t len = sockaddr_of(addr, port, &ss);
		int one = 1, fd = socket(ss.ss_family, SOCK_STREAM, 0);
		char name[NAME_MAX_LEN], buf[64];

		if (fd < 0)
			die("socket");
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof(reset));
		memset(&me, 0, sizeof(me));
		me.ss_family = ss.ss_family;
		/* the port sits at the same offset in both families */
		((struct sockaddr_in *)&me)->sin_port = htons(local);
		if (bind(fd, (struct sockaddr *)&me, len) < 0 ||
		    connect_within(fd, &ss, len, 5) < 0 ||
		    tcp_who(fd, name) < 0) {
			printf("%ld (none)\n", local);
			close(fd);
			continue;
		}
		printf("%ld %s\n", local, name);
		if (by_server) {
			ssize_t r;

			/* The server resets it; nothing more leaves this side. */
			if (send_all(fd, "reset\n", 6) < 0) {
				printf("%ld (none)\n", local);
			} else {
				do
					r = recv(fd, buf, sizeof(buf), 0);
				while (r > 0 || (r < 0 && errno == EINTR));
				if (r < 0 && errno != ECONNRESET)
					printf("%ld (none)\n", local);
			}
		}
		close(fd);
	}
}

static void icmperr(const char *vip, const char *client, int cport, int port,
		    int mtu_v)
{
	struct in_addr v = ip4(vip), c = ip4(client);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr = v };
	int fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	uint8_t icmp[8 + 20 + 8] = { 3, 4 };
	uint16_t sum;

	if (fd < 0)
		die("socket (raw ICMP)");
	put16(icmp + 6, mtu_v);
	/* the quoted packet: VIP:PORT -> CLIENT:CPORT, its checksum left 0 */
	ip4_header(icmp + 8, 1500, 0, IPPROTO_TCP, v, c);
	put16(icmp + 28, port);
	put16(icmp + 30, cport);
	put32(icmp + 32, 1);
	sum = checksum(icmp, sizeof(icmp), 0);
	memcpy(icmp + 2, &sum, 2);
	if (sendto(fd, icmp, sizeof(icmp), 0, (struct sockaddr *)&to,
		   sizeof(to)) < 0)
		die("sendto");
}

static void usage(void)
{
	fprintf(stderr,
		"usage: sluice-whoami serve|udp|tcp|hold|mtu|refused|synflood|flow|"
		"answers|ports|icmperr ARGS... (see the source's head)\n");
	exit(2);
}

static void want(int argc, int n)
{
	if (argc != n)
		usage();
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	const char *life = getenv("WHOAMI_SECONDS");

	/* Lines out as they are written: the tests read some as they come. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	deadline = now() + (life ? seconds(life) : 240);
	if (!strcmp(cmd, "serve")) {
		want(argc, 5);
		serve(argv[2], argv[3], num(argv[4]));
	} else if (!strcmp(cmd, "udp")) {
		if (argc != 5 && argc != 6)
			usage();
		udp_client(argv[2], num(argv[3]), num(argv[4]),
			   argc == 6 ? num(argv[5]) : 0);
	} else if (!strcmp(cmd, "tcp")) {
		want(argc, 5);
		tcp_client(argv[2], num(argv[3]), num(argv[4]));
	} else if (!strcmp(cmd, "hold")) {
		if (argc != 6 && argc != 7)
			usage();
		hold(argv[2], num(argv[3]), num(argv[4]), seconds(argv[5]),
		     argc == 7 ? seconds(argv[6]) : 0);
	} else if (!strcmp(cmd, "mtu")) {
		want(argc, 5);
		mtu(argv[2], num(argv[3]), num(argv[4]));
	} else if (!strcmp(cmd, "refused")) {
		want(argc, 4);
		return refused(argv[2], num(argv[3]));
	} else if (!strcmp(cmd, "synflood")) {
		if (argc != 6 && argc != 7)
			usage();
		synflood(argv[2], argv[3], num(argv[4]), num(argv[5]),
			 argc == 7 ? num(argv[6]) : 0);
	} else if (!strcmp(cmd, "flow")) {
		want(argc, 5);
		flow(argv[2], num(argv[3]), seconds(argv[4]));
	} else if (!strcmp(cmd, "answers")) {
		if (argc < 5)
			usage();
		return answers(argv[2], num(argv[3]), argv + 4, argc - 4) ? 0 :
									    1;
	} else if (!strcmp(cmd, "ports")) {
		if (argc != 6 &&
		    !(argc == 7 && !strcmp(argv[6], "server-reset")))
			usage();
		ports(argv[2], num(argv[3]), num(argv[4]), num(argv[5]),
		      argc == 7);
	} else if (!strcmp(cmd, "icmperr")) {
		want(argc, 7);
		icmperr(argv[2], argv[3], num(argv[4]), num(argv[5]),
			num(argv[6]));
	} else {
		usage();
	}
	return 0;
}
