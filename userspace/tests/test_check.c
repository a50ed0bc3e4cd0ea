// SPDX-License-Identifier: GPL-2.0
/*
 * The health-check engine against servers of its own on 127.0.0.1: a thread
 * serves TCP, HTTP, DNS (UDP and TCP) and UDP; HTTPS is a python3 server
 * with a certificate made by openssl at test time; commands are /bin/sh.
 */
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/pidfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include "check.h"

extern char **environ;
static char *self;

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ull + ts.tv_nsec / 1000000;
}

/* The test servers: one thread, one poll loop. */

static int tcp_fd, http_fd, dnsu_fd, dnst_fd, udp_fd, stop_pipe[2];
static uint16_t tcp_port, http_port, dns_port, udp_port;
static pthread_t server;
#define MAX_HANG 8
static int hang_fds[MAX_HANG];
/* When the last /hang request came and when its client went away. */
static uint64_t hang_accepted, hang_closed;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static int listener(int type, uint16_t *port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0), one = 1;

	assert_true(fd >= 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (*port)
		sin.sin_port = htons(*port);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	if (type == SOCK_STREAM)
		assert_int_equal(listen(fd, 64), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

/* A port nothing listens on (TCP and UDP). */
static uint16_t closed_port(int type)
{
	uint16_t port = 0;

	close(listener(type, &port));
	return port;
}

static void set_rcvtimeo(int fd)
{
	struct timeval tv = { .tv_sec = 2 };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

static void send_all(int fd, const void *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n <= 0)
			return;
		buf = (const char *)buf + n;
		len -= n;
	}
}

static void http_conn(int fd)
{
	char req[4096], body[512], resp[1024], *host;
	size_t len = 0;
	ssize_t n;
	int status = 200, i;

	set_rcvtimeo(fd);
	while (len < sizeof(req) - 1) {
		n = recv(fd, req + len, sizeof(req) - 1 - len, 0);
		if (n <= 0)
			break;
		len += n;
		req[len] = '\0';
		if (strstr(req, "\r\n\r\n"))
			break;
	}
	req[len] = '\0';
	if (!strncmp(req, "GET /hang ", 10)) {
		pthread_mutex_lock(&lock);
		hang_accepted = mono_ms();
		hang_closed = 0;
		pthread_mutex_unlock(&lock);
		for (i = 0; i < MAX_HANG; i++) {
			if (hang_fds[i] < 0) {
				hang_fds[i] = fd;
				return;
			}
		}
	} else if (!strncmp(req, "GET /ok ", 8)) {
		snprintf(body, sizeof(body), "all ok");
	} else if (!strncmp(req, "GET /503 ", 9)) {
		status = 503;
		snprintf(body, sizeof(body), "down");
	} else if (!strncmp(req, "GET /body ", 10)) {
		snprintf(body, sizeof(body), "hello world");
	} else if (!strncmp(req, "GET /host ", 10) &&
		   (host = strcasestr(req, "\r\nHost: "))) {
		host += 8;
		host[strcspn(host, "\r")] = '\0';
		snprintf(body, sizeof(body), "host=%s", host);
	} else {
		status = 404;
		snprintf(body, sizeof(body), "no");
	}
	n = snprintf(resp, sizeof(resp),
		     "HTTP/1.1 %d X\r\nContent-Length: %zu\r\n"
		     "Connection: close\r\n\r\n%s",
		     status, strlen(body), body);
	send_all(fd, resp, n);
	close(fd);
}

/* A DNS answer to @q: the query, as a reply, SERVFAIL for names "fail.*". */
static size_t dns_answer(uint8_t *q, size_t len)
{
	if (len < 12)
		return 0;
	q[2] |= 0x80; /* QR */
	q[3] = (q[3] & 0xf0) |
	       (memmem(q + 12, len - 12, "\4fail", 5) ? ns_r_servfail :
							ns_r_noerror);
	return len;
}

static void dns_tcp_conn(int fd)
{
	uint8_t buf[2 + 512];
	size_t len = 0, want = 2;
	ssize_t n;

	set_rcvtimeo(fd);
	while (len < want) {
		n = recv(fd, buf + len, want - len, 0);
		if (n <= 0)
			goto out;
		len += n;
		if (len == 2) {
			want = 2 + ns_get16(buf);
			if (want > sizeof(buf))
				goto out;
		}
	}
	if (dns_answer(buf + 2, len - 2))
		send_all(fd, buf, len);
out:
	close(fd);
}

static void *serve(void *arg)
{
	struct pollfd pfd[6 + MAX_HANG];
	struct sockaddr_storage ss;
	socklen_t sl;
	uint8_t buf[1024];
	ssize_t n;
	int i, fd;

	(void)arg;
	for (;;) {
		pfd[0] =
			(struct pollfd){ .fd = stop_pipe[0], .events = POLLIN };
		pfd[1] = (struct pollfd){ .fd = tcp_fd, .events = POLLIN };
		pfd[2] = (struct pollfd){ .fd = http_fd, .events = POLLIN };
		pfd[3] = (struct pollfd){ .fd = dnsu_fd, .events = POLLIN };
		pfd[4] = (struct pollfd){ .fd = dnst_fd, .events = POLLIN };
		pfd[5] = (struct pollfd){ .fd = udp_fd, .events = POLLIN };
		for (i = 0; i < MAX_HANG; i++)
			pfd[6 + i] = (struct pollfd){ .fd = hang_fds[i],
						      .events = POLLIN };
		if (poll(pfd, 6 + MAX_HANG, -1) < 0)
			continue;
		if (pfd[0].revents)
			break;
		if (pfd[1].revents) {
			fd = accept(tcp_fd, NULL, NULL);
			if (fd >= 0)
				close(fd);
		}
		if (pfd[2].revents) {
			fd = accept4(http_fd, NULL, NULL, SOCK_CLOEXEC);
			if (fd >= 0)
				http_conn(fd);
		}
		if (pfd[3].revents) {
			sl = sizeof(ss);
			n = recvfrom(dnsu_fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&ss, &sl);
			if (n > 0 && dns_answer(buf, n))
				sendto(dnsu_fd, buf, n, 0,
				       (struct sockaddr *)&ss, sl);
		}
		if (pfd[4].revents) {
			fd = accept4(dnst_fd, NULL, NULL, SOCK_CLOEXEC);
			if (fd >= 0)
				dns_tcp_conn(fd);
		}
		if (pfd[5].revents) {
			sl = sizeof(ss);
			memcpy(buf, "pong ", 5);
			n = recvfrom(udp_fd, buf + 5, sizeof(buf) - 5, 0,
				     (struct sockaddr *)&ss, &sl);
			if (n >= 0 &&
			    !(n == 6 && !memcmp(buf + 5, "silent", 6)))
				sendto(udp_fd, buf, n + 5, 0,
				       (struct sockaddr *)&ss, sl);
		}
		for (i = 0; i < MAX_HANG; i++) {
			if (hang_fds[i] < 0 || !pfd[6 + i].revents)
				continue;
			if (recv(hang_fds[i], buf, sizeof(buf), 0) > 0)
				continue;
			pthread_mutex_lock(&lock);
			hang_closed = mono_ms();
			pthread_mutex_unlock(&lock);
			close(hang_fds[i]);
			hang_fds[i] = -1;
		}
	}
	for (i = 0; i < MAX_HANG; i++)
		if (hang_fds[i] >= 0)
			close(hang_fds[i]);
	return NULL;
}

static int servers_start(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < MAX_HANG; i++)
		hang_fds[i] = -1;
	assert_int_equal(pipe2(stop_pipe, O_CLOEXEC), 0);
	tcp_fd = listener(SOCK_STREAM, &tcp_port);
	http_fd = listener(SOCK_STREAM, &http_port);
	dnsu_fd = listener(SOCK_DGRAM, &dns_port);
	dnst_fd = listener(SOCK_STREAM, &dns_port);
	udp_fd = listener(SOCK_DGRAM, &udp_port);
	assert_int_equal(pthread_create(&server, NULL, serve, NULL), 0);
	return 0;
}

static int servers_stop(void **state)
{
	(void)state;
	assert_int_equal(write(stop_pipe[1], "x", 1), 1);
	pthread_join(server, NULL);
	close(tcp_fd);
	close(http_fd);
	close(dnsu_fd);
	close(dnst_fd);
	close(udp_fd);
	close(stop_pipe[0]);
	close(stop_pipe[1]);
	return 0;
}

/* The engine's side */

#define MAX_CHANGES 16
static struct {
	int n;
	enum hc_state state[MAX_CHANGES];
	uint64_t runs[MAX_CHANGES], failures[MAX_CHANGES];
	uint64_t at[MAX_CHANGES];
	struct hc_probe *probe[MAX_CHANGES];
} changes;

static void on_change(struct hc_probe *p, enum hc_state state, void *arg)
{
	struct hc_info info;
	int i = changes.n;

	assert_ptr_equal(arg, &changes);
	hc_probe_info(p, &info);
	assert_int_equal(info.state, state);
	if (i < MAX_CHANGES) {
		changes.state[i] = state;
		changes.runs[i] = info.runs;
		changes.failures[i] = info.failures;
		changes.at[i] = mono_ms();
		changes.probe[i] = p;
	}
	changes.n++;
}

static struct hc_engine *engine(void)
{
	struct hc_engine *e;

	memset(&changes, 0, sizeof(changes));
	e = hc_engine_new(on_change, &changes);
	assert_non_null(e);
	return e;
}

static struct hc_spec spec(enum hc_type type)
{
	return (struct hc_spec){
		.type = type,
		.interval_ms = 1100,
		.timeout_ms = 1000, /* room for valgrind on a busy host */
		.rise = 1,
		.fall = 1
	};
}

static struct hc_target target(uint16_t port)
{
	struct hc_target t = { .af = AF_INET, .port = port };

	inet_pton(AF_INET, "127.0.0.1", t.addr);
	return t;
}

/* Turn the engine until @p has run @runs times; its info. */
static struct hc_info wait_runs(struct hc_engine *e, struct hc_probe *p,
				uint64_t runs, int max_ms)
{
	uint64_t end = mono_ms() + max_ms;
	struct hc_info info;

	for (;;) {
		hc_probe_info(p, &info);
		if (info.runs >= runs || mono_ms() > end)
			break;
		assert_int_equal(hc_engine_run(e, NULL, 0, 50), 0);
	}
	assert_true(info.runs >= runs);
	return info;
}

static int count_fds(void)
{
	char path[64];
	int fd, n = 0;

	for (fd = 0; fd < 1024; fd++) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		n += !access(path, F_OK);
	}
	return n;
}

/*
 * One run of @s on @t: its info (runs 1). The engine leaves no fd open and
 * calls back once, with the state the run gave.
 */
static struct hc_info one_run(const struct hc_spec *s,
			      const struct hc_target *t)
{
	int fds = count_fds();
	struct hc_engine *e = engine();
	struct hc_probe *p = hc_probe_get(e, s, t, HC_UNKNOWN);
	struct hc_info info;
	uint64_t end;

	assert_non_null(p);
	/* (Past the run's own timeout: a slow run still ends by it.) */
	info = wait_runs(e, p, 1, 5000 + s->timeout_ms);
	assert_int_equal(info.runs, 1);
	assert_int_equal(changes.n, 1);
	assert_int_equal(changes.state[0], info.failures ? HC_DOWN : HC_UP);
	hc_probe_put(p);
	hc_engine_free(e);
	/* (A server thread may close its end a little later.) */
	end = mono_ms() + 2000;
	while (count_fds() != fds && mono_ms() < end)
		usleep(10000);
	assert_int_equal(count_fds(), fds);
	return info;
}

static void assert_pass(const struct hc_info *info)
{
	assert_string_equal(info->last_error, "");
	assert_int_equal(info->failures, 0);
	assert_int_equal(info->state, HC_UP);
}

static void assert_fail(const struct hc_info *info, const char *error)
{
	assert_string_equal(info->last_error, error);
	assert_int_equal(info->failures, 1);
	assert_int_equal(info->state, HC_DOWN);
}

/* TCP */

static void test_tcp_pass(void **state)
{
	struct hc_spec s = spec(HC_TCP);
	struct hc_target t = target(tcp_port);
	struct hc_info info;

	(void)state;
	info = one_run(&s, &t);
	assert_pass(&info);
	assert_true(info.last_duration >= 0 && info.last_duration <= 0.35);
}

static void test_tcp_refused(void **state)
{
	struct hc_spec s = spec(HC_TCP);
	struct hc_target t = target(closed_port(SOCK_STREAM));
	struct hc_info info;

	(void)state;
	info = one_run(&s, &t);
	assert_fail(&info, "connect: Connection refused");
}

/* From a source address, with a socket mark (root only: else EPERM). */
static void test_source_mark(void **state)
{
	struct hc_spec s = spec(HC_TCP);
	struct hc_target t = target(tcp_port);
	struct hc_info info;

	(void)state;
	t.src_af = AF_INET;
	inet_pton(AF_INET, "127.0.0.1", t.src);
	info = one_run(&s, &t);
	assert_pass(&info);
	t.mark = 0x5c;
	info = one_run(&s, &t);
	if (geteuid() == 0)
		assert_pass(&info);
	else
		assert_fail(&info, "SO_MARK: Operation not permitted");
	/* An address this host does not have */
	inet_pton(AF_INET, "192.0.2.1", t.src);
	t.mark = 0;
	info = one_run(&s, &t);
	assert_fail(&info, "bind: Cannot assign requested address");

	s = spec(HC_UDP);
	s.send = (uint8_t *)"ping";
	s.send_len = 4;
	t = target(udp_port);
	t.src_af = AF_INET;
	inet_pton(AF_INET, "127.0.0.1", t.src);
	t.mark = 0x5c;
	info = one_run(&s, &t);
	if (geteuid() == 0)
		assert_pass(&info);
	else
		assert_fail(&info, "SO_MARK: Operation not permitted");
}

/* IPv6: TCP and HTTP (a URL with [::1]) to ::1. */
static void test_ipv6(void **state)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6,
				     .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	socklen_t len = sizeof(sin6);
	struct hc_spec s = spec(HC_TCP);
	struct hc_target t = { .af = AF_INET6 };
	struct hc_info info;
	int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin6, sizeof(sin6)), 0);
	assert_int_equal(listen(fd, 8), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin6, &len), 0);
	t.port = ntohs(sin6.sin6_port);
	inet_pton(AF_INET6, "::1", t.addr);
	info = one_run(&s, &t);
	assert_pass(&info);
	/* Nobody accepts: the request goes out, no reply comes. */
	s = spec(HC_HTTP);
	info = one_run(&s, &t);
	assert_fail(&info, "timeout after 1000 ms");
	close(fd);
	info = one_run(&s, &t);
	assert_fail(&info, "connect: Connection refused");
}

/* HTTP */

static void test_http_200(void **state)
{
	struct hc_spec s = spec(HC_HTTP);
	struct hc_target t = target(http_port);
	struct hc_info info;

	(void)state;
	s.path = "/ok";
	info = one_run(&s, &t);
	assert_pass(&info);
	s.expect_status = 200;
	info = one_run(&s, &t);
	assert_pass(&info);
	s.path = "/nothing";
	info = one_run(&s, &t);
	assert_fail(&info, "HTTP 404, expected 200");
}

static void test_http_503(void **state)
{
	struct hc_spec s = spec(HC_HTTP);
	struct hc_target t = target(http_port);
	struct hc_info info;

	(void)state;
	s.path = "/503";
	info = one_run(&s, &t);
	assert_fail(&info, "HTTP 503");
}

static void test_http_body(void **state)
{
	struct hc_spec s = spec(HC_HTTP);
	struct hc_target t = target(http_port);
	struct hc_info info;

	(void)state;
	s.path = "/body";
	s.expect_body = "o wor";
	info = one_run(&s, &t);
	assert_pass(&info);
	s.expect_body = "ok";
	info = one_run(&s, &t);
	assert_fail(&info, "body does not contain \"ok\"");
}

/* A Host name: the URL's, and the connection to the target. */
static void test_http_host(void **state)
{
	struct hc_spec s = spec(HC_HTTP);
	struct hc_target t = target(http_port);
	char want[64];
	struct hc_info info;

	(void)state;
	snprintf(want, sizeof(want), "host=web.example:%u", http_port);
	s.path = "host"; /* no leading slash: one is added */
	s.host = "web.example";
	s.expect_body = want;
	info = one_run(&s, &t);
	assert_pass(&info);
}

/*
 * A server that accepts and never answers: the run fails at its timeout,
 * and its connection is closed then (seen by the server).
 */
static void test_http_timeout(void **state)
{
	struct hc_spec s = spec(HC_HTTP);
	struct hc_target t = target(http_port);
	uint64_t accepted, closed, end;
	struct hc_info info;

	(void)state;
	s.path = "/hang";
	s.timeout_ms = 400;
	s.interval_ms = 1000;
	info = one_run(&s, &t);
	assert_fail(&info, "timeout after 400 ms");
	assert_true(info.last_duration >= 0.4);
	assert_true(info.last_duration < 0.4 + 0.15);
	/* The server saw the connection go within the timeout too. */
	end = mono_ms() + 2000;
	do {
		pthread_mutex_lock(&lock);
		accepted = hang_accepted;
		closed = hang_closed;
		pthread_mutex_unlock(&lock);
		if (!closed)
			usleep(10000);
	} while (!closed && mono_ms() < end);
	assert_true(accepted && closed);
	assert_true(closed - accepted <= 400 + 150);
	assert_true(changes.at[0] - accepted <= 400 + 150);
}

/* HTTPS against python3's ssl with a certificate made now */

static const char tls_server[] =
	"import http.server, ssl, sys, os, threading\n"
	"sni = {}\n"
	"def cb(s, name, c): sni['n'] = name\n"
	"class H(http.server.BaseHTTPRequestHandler):\n"
	"    def do_GET(self):\n"
	"        b = ('sni=%s host=%s' % (sni.get('n'),\n"
	"             self.headers.get('Host'))).encode()\n"
	"        self.send_response(200)\n"
	"        self.send_header('Content-Length', str(len(b)))\n"
	"        self.end_headers()\n"
	"        self.wfile.write(b)\n"
	"    def log_message(self, *a): pass\n"
	"ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)\n"
	"ctx.load_cert_chain(sys.argv[1], sys.argv[2])\n"
	"ctx.sni_callback = cb\n"
	"s = http.server.HTTPServer(('127.0.0.1', 0), H)\n"
	"s.socket = ctx.wrap_socket(s.socket, server_side=True)\n"
	"print(s.server_address[1], flush=True)\n"
	"threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)),\n"
	"                 daemon=True).start()\n"
	"s.serve_forever()\n";

static void test_https(void **state)
{
	char dir[] = "/tmp/test_check.XXXXXX", cmd[512], cert[64], key[64];
	char want[64], line[32] = "";
	struct hc_spec s = spec(HC_HTTPS);
	struct hc_target t;
	char *argv[] = { "python3", "-c", (char *)tls_server, cert, key, NULL };
	posix_spawn_file_actions_t fa;
	struct hc_info info;
	int in[2], out[2];
	size_t len;
	ssize_t n;
	pid_t pid;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(cert, sizeof(cert), "%s/cert.pem", dir);
	snprintf(key, sizeof(key), "%s/key.pem", dir);
	snprintf(
		cmd, sizeof(cmd),
		"openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1"
		" -nodes -days 1 -subj /CN=check.example -keyout %s -out %s"
		" >/dev/null 2>&1",
		key, cert);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(pipe2(in, O_CLOEXEC), 0);
	assert_int_equal(pipe2(out, O_CLOEXEC), 0);
	assert_int_equal(posix_spawn_file_actions_init(&fa), 0);
	assert_int_equal(posix_spawn_file_actions_adddup2(&fa, in[0], 0), 0);
	assert_int_equal(posix_spawn_file_actions_adddup2(&fa, out[1], 1), 0);
	assert_int_equal(
		posix_spawnp(&pid, "python3", &fa, NULL, argv, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	close(out[1]);
	/* The port, a line (python may write it in two): out[0] stays open. */
	len = 0;
	while (len < sizeof(line) - 1 && !strchr(line, '\n')) {
		n = read(out[0], line + len, sizeof(line) - 1 - len);
		if (n <= 0)
			break;
		len += n;
		line[len] = '\0';
	}
	assert_non_null(strchr(line, '\n'));
	t = target(atoi(line));
	assert_true(t.port > 0);

	/*
	 * OpenSSL under valgrind is slow, and slower still on a loaded
	 * machine (2 s was too short in make check, beside the guests): the
	 * test is of the answers, not of the speed.
	 */
	s.timeout_ms = 20000;
	s.interval_ms = 25000;
	info = one_run(&s, &t);
	assert_pass(&info);

	/* The name: SNI and Host header, connecting to the target. */
	snprintf(want, sizeof(want), "sni=check.example host=check.example:%u",
		 t.port);
	s.host = "check.example";
	s.expect_body = want;
	info = one_run(&s, &t);
	assert_pass(&info);

	/* Self-signed: verification fails. */
	s.tls_verify = 1;
	info = one_run(&s, &t);
	assert_int_equal(info.failures, 1);
	assert_memory_equal(info.last_error, "TLS: ", 5);

	close(in[1]);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	close(out[0]);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* DNS */

static void dns_case(int tcp, const char *name, const char *error)
{
	struct hc_spec s = spec(HC_DNS);
	struct hc_target t = target(dns_port);
	struct hc_info info;

	s.dns_name = (char *)name;
	s.dns_qtype = ns_t_a;
	s.dns_tcp = tcp;
	info = one_run(&s, &t);
	if (error)
		assert_fail(&info, error);
	else
		assert_pass(&info);
}

static void test_dns_udp(void **state)
{
	(void)state;
	dns_case(0, "ok.example", NULL);
	dns_case(0, "fail.example", "DNS rcode SERVFAIL");
}

static void test_dns_tcp(void **state)
{
	(void)state;
	dns_case(1, "ok.example", NULL);
	dns_case(1, "fail.example", "DNS rcode SERVFAIL");
}

static void test_dns_refused(void **state)
{
	struct hc_spec s = spec(HC_DNS);
	struct hc_target t = target(closed_port(SOCK_STREAM));
	struct hc_info info;

	(void)state;
	s.dns_name = "ok.example";
	s.dns_tcp = 1;
	info = one_run(&s, &t);
	assert_fail(&info, "connect: Connection refused");
}

/* UDP */

static struct hc_info udp_run(const char *send, const char *expect,
			      uint16_t port)
{
	struct hc_spec s = spec(HC_UDP);
	struct hc_target t = target(port);

	s.send = (uint8_t *)send;
	s.send_len = strlen(send);
	if (expect) {
		s.expect = (uint8_t *)expect;
		s.expect_len = strlen(expect);
	}
	return one_run(&s, &t);
}

static void test_udp(void **state)
{
	struct hc_info info;

	(void)state;
	info = udp_run("ping", "pong ping", udp_port);
	assert_pass(&info);
	info = udp_run("ping", NULL, udp_port);
	assert_pass(&info);
	info = udp_run("ping", "pong pingX", udp_port);
	assert_fail(&info, "reply does not start with the expected 10 bytes");
	info = udp_run("ping", "nope", udp_port);
	assert_fail(&info, "reply does not start with the expected 4 bytes");
}

static void test_udp_no_reply(void **state)
{
	struct hc_info info;

	(void)state;
	info = udp_run("silent", "pong", udp_port);
	assert_fail(&info, "timeout after 1000 ms");
	assert_true(info.last_duration >= 1.0 && info.last_duration < 1.2);
}

/* ICMP port unreachable: a failure at once, not at the timeout. */
static void test_udp_refused(void **state)
{
	struct hc_info info;

	(void)state;
	info = udp_run("ping", "pong", closed_port(SOCK_DGRAM));
	assert_fail(&info, "recv: Connection refused");
	assert_true(info.last_duration < 0.2);
}

/* Commands */

static void test_exec(void **state)
{
	struct hc_spec s = spec(HC_EXEC);
	struct hc_target t = target(8080);
	struct hc_info info;

	(void)state;
	t.vip_af = AF_INET;
	inet_pton(AF_INET, "10.99.0.1", t.vip);
	t.vport = 80;
	s.command = "test \"$SLUICE_CHECK_ADDR:$SLUICE_CHECK_PORT\" = "
		    "127.0.0.1:8080 && test \"$SLUICE_CHECK_VIP\" = 10.99.0.1 "
		    "&& test \"$SLUICE_CHECK_VPORT\" = 80 && echo noise";
	info = one_run(&s, &t);
	assert_pass(&info);
	s.command = "echo noise >&2; exit 2";
	info = one_run(&s, &t);
	assert_fail(&info, "exit status 2");
	s.command = "kill -TERM $$";
	info = one_run(&s, &t);
	assert_fail(&info, "killed by signal 15 (Terminated)");
}

/* The pgid that a command wrote to @file (it is the shell's pid). */
static pid_t read_pgid(const char *file)
{
	FILE *f = fopen(file, "r");
	int pgid = 0;

	if (f) {
		if (fscanf(f, "%d", &pgid) != 1)
			pgid = 0;
		fclose(f);
	}
	return pgid;
}

/*
 * Wait until no process of group @pgid is left. This test adopts orphans
 * (a subreaper): a killed background child is ours to reap.
 */
static bool group_gone(pid_t pgid)
{
	uint64_t end = mono_ms() + 3000;

	while (mono_ms() < end) {
		while (waitpid(-pgid, NULL, WNOHANG) > 0)
			;
		if (kill(-pgid, 0) && errno == ESRCH)
			return true;
		usleep(10000);
	}
	return false;
}

static void test_exec_hang(void **state)
{
	char file[] = "/tmp/test_check.pgid.XXXXXX", cmd[128];
	struct hc_spec s = spec(HC_EXEC);
	struct hc_target t = target(8080);
	struct hc_info info;
	pid_t pgid;
	int fd;

	(void)state;
	fd = mkstemp(file);
	assert_true(fd >= 0);
	close(fd);
	snprintf(cmd, sizeof(cmd), "echo $$ > %s; sleep 100 & sleep 100", file);
	s.command = cmd;
	s.timeout_ms = 500;
	s.interval_ms = 1000;
	info = one_run(&s, &t);
	assert_fail(&info, "killed at timeout 500 ms");
	assert_true(info.last_duration >= 0.5 && info.last_duration < 0.65);
	pgid = read_pgid(file);
	assert_true(pgid > 1);
	assert_true(group_gone(pgid));

	/* A clean exit that leaves a child behind: the child goes too. */
	snprintf(cmd, sizeof(cmd), "echo $$ > %s; sleep 100 & exit 0", file);
	info = one_run(&s, &t);
	assert_pass(&info);
	pgid = read_pgid(file);
	assert_true(pgid > 1);
	assert_true(group_gone(pgid));
	unlink(file);
}

/* The last put of a probe whose command runs: the command is killed. */
static void test_exec_put_running(void **state)
{
	char file[] = "/tmp/test_check.pgid.XXXXXX", cmd[128];
	struct hc_spec s = spec(HC_EXEC);
	struct hc_target t = target(8080);
	struct hc_engine *e = engine();
	struct hc_probe *p;
	uint64_t end;
	pid_t pgid = 0;
	int fd;

	(void)state;
	fd = mkstemp(file);
	assert_true(fd >= 0);
	close(fd);
	snprintf(cmd, sizeof(cmd), "echo $$ > %s.tmp; mv %s.tmp %s; sleep 100",
		 file, file, file);
	s.command = cmd;
	s.timeout_ms = 1900;
	s.interval_ms = 2000;
	/* first run within 2 s: turn until the command has started */
	p = hc_probe_get(e, &s, &t, HC_UNKNOWN);
	assert_non_null(p);
	end = mono_ms() + 4000;
	while (!(pgid = read_pgid(file)) && mono_ms() < end)
		assert_int_equal(hc_engine_run(e, NULL, 0, 20), 0);
	assert_true(pgid > 1);
	hc_probe_put(p);
	hc_engine_free(e);
	assert_int_equal(changes.n, 0);
	assert_true(group_gone(pgid));
	unlink(file);
}

/*
 * valgrind 3.19 has no pidfd_open(): under it the engine polls its
 * commands. The pidfd path is tested by the command tests run again, in a
 * child run without valgrind.
 */
static void test_exec_pidfd(void **state)
{
	char *argv[] = { self, "exec", NULL };
	char *env[] = { "CMOCKA_MESSAGE_OUTPUT=STDOUT", NULL };
	posix_spawn_file_actions_t fa;
	int fd, status;
	pid_t pid;

	(void)state;
	fd = pidfd_open(getpid(), 0);
	if (fd >= 0) {
		close(fd);
		skip(); /* the command tests used pidfds */
	}
	assert_int_equal(errno, ENOSYS);
	/* Its report goes to stderr: not TAP lines of this test's. */
	assert_int_equal(posix_spawn_file_actions_init(&fa), 0);
	assert_int_equal(posix_spawn_file_actions_adddup2(&fa, 2, 1), 0);
	assert_int_equal(posix_spawn(&pid, self, &fa, NULL, argv, env), 0);
	posix_spawn_file_actions_destroy(&fa);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* rise and fall */

static void test_rise_fall(void **state)
{
	struct hc_spec s = spec(HC_TCP);
	uint16_t port = 0;
	int fd = listener(SOCK_STREAM, &port);
	struct hc_target t = target(port);
	struct hc_engine *e = engine();
	struct hc_probe *p;
	struct hc_info info;

	(void)state;
	s.interval_ms = 150;
	s.timeout_ms = 120;
	s.rise = 3;
	s.fall = 2;
	p = hc_probe_get(e, &s, &t, HC_UNKNOWN);
	assert_non_null(p);
	info = wait_runs(e, p, 2, 3000);
	assert_int_equal(info.state, HC_UNKNOWN);
	assert_int_equal(changes.n, 0);
	info = wait_runs(e, p, 5, 3000);
	assert_int_equal(info.state, HC_UP);
	assert_int_equal(changes.n, 1);
	assert_int_equal(changes.state[0], HC_UP);
	assert_int_equal(changes.runs[0], 3);
	assert_ptr_equal(changes.probe[0], p);

	/* The listener goes (connects are refused): down after 2 failures. */
	close(fd);
	info = wait_runs(e, p, 6, 3000);
	assert_int_equal(info.state, HC_UP);
	assert_int_equal(info.failures, 1);
	assert_int_equal(changes.n, 1);
	info = wait_runs(e, p, 9, 3000);
	assert_int_equal(info.state, HC_DOWN);
	assert_string_equal(info.last_error, "connect: Connection refused");
	assert_int_equal(changes.n, 2);
	assert_int_equal(changes.state[1], HC_DOWN);
	assert_int_equal(changes.failures[1], 2);
	assert_int_equal(changes.runs[1], 7);
	assert_true(info.since > 0);
	hc_probe_put(p);
	hc_engine_free(e);
}

/* A probe that starts up stays up without a callback until fall failures. */
static void test_initial_state(void **state)
{
	struct hc_spec s = spec(HC_TCP);
	struct hc_target up = target(tcp_port);
	struct hc_target down = target(closed_port(SOCK_STREAM));
	struct hc_engine *e = engine();
	struct hc_probe *p, *q;
	struct hc_info info;

	(void)state;
	s.interval_ms = 150;
	s.timeout_ms = 120;
	s.rise = 2;
	s.fall = 3;
	p = hc_probe_get(e, &s, &up, HC_UP);
	q = hc_probe_get(e, &s, &down, HC_UP);
	assert_non_null(p);
	assert_non_null(q);
	info = wait_runs(e, q, 2, 3000);
	assert_int_equal(info.state, HC_UP);
	assert_int_equal(changes.n, 0);
	info = wait_runs(e, q, 3, 3000);
	assert_int_equal(info.state, HC_DOWN);
	assert_int_equal(changes.n, 1);
	assert_ptr_equal(changes.probe[0], q);
	assert_int_equal(changes.state[0], HC_DOWN);
	assert_int_equal(changes.runs[0], 3);
	info = wait_runs(e, q, 5, 3000);
	assert_int_equal(changes.n, 1);
	info = wait_runs(e, p, 5, 3000);
	assert_int_equal(info.state, HC_UP);
	assert_int_equal(info.failures, 0);
	assert_int_equal(changes.n, 1);
	hc_probe_put(p);
	hc_probe_put(q);
	hc_engine_free(e);
}

static void count_probe(struct hc_probe *p, void *arg)
{
	(void)p;
	(*(int *)arg)++;
}

static void test_sharing(void **state)
{
	struct hc_spec s = spec(HC_HTTP), s2;
	struct hc_target t = target(http_port), t2 = t;
	struct hc_engine *e = engine();
	struct hc_probe *p, *q, *r;
	struct hc_info info;
	char path[] = "/ok";
	int n = 0;

	(void)state;
	s.path = path;
	p = hc_probe_get(e, &s, &t, HC_UNKNOWN);
	assert_non_null(p);
	/* The spec was copied: another copy with equal values is equal. */
	s2 = s;
	s2.path = strdup("/ok");
	assert_non_null(s2.path);
	path[1] = 'x';
	q = hc_probe_get(e, &s2, &t, HC_DOWN);
	assert_ptr_equal(p, q);
	hc_probe_info(p, &info);
	assert_int_equal(info.refs, 2);
	assert_int_equal(info.state, HC_UNKNOWN);
	assert_string_equal(hc_probe_spec(p)->path, "/ok");
	assert_int_equal(hc_probe_target(p)->port, http_port);

	t2.port = http_port + 1;
	r = hc_probe_get(e, &s2, &t2, HC_UNKNOWN);
	assert_non_null(r);
	assert_ptr_not_equal(r, p);
	hc_probe_info(r, &info);
	assert_int_equal(info.refs, 1);
	hc_engine_foreach(e, count_probe, &n);
	assert_int_equal(n, 2);

	/* Other specs */
	assert_true(hc_spec_equal(&s, &s));
	s2.expect_status = 204;
	assert_false(hc_spec_equal(&s, &s2));
	s2.expect_status = 0;
	s2.interval_ms++;
	assert_false(hc_spec_equal(&s, &s2));

	hc_probe_put(q);
	hc_probe_info(p, &info);
	assert_int_equal(info.refs, 1);
	hc_probe_put(p);
	hc_probe_put(r);
	n = 0;
	hc_engine_foreach(e, count_probe, &n);
	assert_int_equal(n, 0);
	free(s2.path);
	hc_engine_free(e);
}

/* The caller's fds are polled with the probes' and their revents set. */
static void test_extra_fds(void **state)
{
	struct hc_engine *e = engine();
	struct curl_waitfd w;
	uint64_t t0;
	int fds[2];

	(void)state;
	assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
	w = (struct curl_waitfd){ .fd = fds[0], .events = CURL_WAIT_POLLIN };
	t0 = mono_ms();
	assert_int_equal(hc_engine_run(e, &w, 1, 200), 0);
	assert_int_equal(w.revents, 0);
	assert_true(mono_ms() - t0 >= 190);
	assert_int_equal(write(fds[1], "x", 1), 1);
	t0 = mono_ms();
	assert_int_equal(hc_engine_run(e, &w, 1, 5000), 0);
	assert_true(w.revents & CURL_WAIT_POLLIN);
	assert_true(mono_ms() - t0 < 1000);
	close(fds[0]);
	close(fds[1]);
	hc_engine_free(e);
}

/* A callback may drop its probe (the engine frees it after its turn). */
static void put_on_change(struct hc_probe *p, enum hc_state state, void *arg)
{
	(void)state;
	(*(int *)arg)++;
	hc_probe_put(p);
}

static void test_put_in_callback(void **state)
{
	struct hc_spec s = spec(HC_TCP);
	struct hc_target t = target(tcp_port);
	struct hc_engine *e = hc_engine_new(put_on_change, &(int){ 0 });
	struct hc_probe *p;
	uint64_t end = mono_ms() + 3000;
	int n;

	(void)state;
	assert_non_null(e);
	s.interval_ms = 50;
	s.timeout_ms = 40;
	p = hc_probe_get(e, &s, &t, HC_UNKNOWN);
	assert_non_null(p);
	do {
		assert_int_equal(hc_engine_run(e, NULL, 0, 20), 0);
		n = 0;
		hc_engine_foreach(e, count_probe, &n);
	} while (n && mono_ms() < end);
	assert_int_equal(n, 0);
	hc_engine_free(e);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(hc_type_name(HC_HTTPS), "https");
	assert_string_equal(hc_type_name(HC_EXEC), "exec");
	assert_string_equal(hc_state_name(HC_UNKNOWN), "unknown");
	assert_string_equal(hc_state_name(HC_DOWN), "down");
}

int main(int argc, char **argv)
{
	const struct CMUnitTest exec_tests[] = {
		cmocka_unit_test(test_exec),
		cmocka_unit_test(test_exec_hang),
		cmocka_unit_test(test_exec_put_running),
	};
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp_pass),
		cmocka_unit_test(test_tcp_refused),
		cmocka_unit_test(test_source_mark),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_http_200),
		cmocka_unit_test(test_http_503),
		cmocka_unit_test(test_http_body),
		cmocka_unit_test(test_http_host),
		cmocka_unit_test(test_http_timeout),
		cmocka_unit_test(test_https),
		cmocka_unit_test(test_dns_udp),
		cmocka_unit_test(test_dns_tcp),
		cmocka_unit_test(test_dns_refused),
		cmocka_unit_test(test_udp),
		cmocka_unit_test(test_udp_no_reply),
		cmocka_unit_test(test_udp_refused),
		cmocka_unit_test(test_exec),
		cmocka_unit_test(test_exec_hang),
		cmocka_unit_test(test_exec_put_running),
		cmocka_unit_test(test_exec_pidfd),
		cmocka_unit_test(test_rise_fall),
		cmocka_unit_test(test_initial_state),
		cmocka_unit_test(test_sharing),
		cmocka_unit_test(test_extra_fds),
		cmocka_unit_test(test_put_in_callback),
		cmocka_unit_test(test_names),
	};

	/* Orphans of killed commands are ours to reap (see group_gone()). */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	signal(SIGPIPE, SIG_IGN);
	self = argv[0];
	if (argc > 1 && !strcmp(argv[1], "exec"))
		return cmocka_run_group_tests(exec_tests, NULL, NULL);
	return cmocka_run_group_tests(tests, servers_start, servers_stop);
}
