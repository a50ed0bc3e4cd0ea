// SPDX-License-Identifier: GPL-2.0
/*
 * sluice-genlfuzz: a generic netlink fuzzer for the sluice family, in the
 * spirit of syzkaller. It reads the family's policies from the kernel
 * (CTRL_CMD_GETPOLICY), builds valid requests for every command with the
 * same code sluiceadm uses (a small pool of services and reals, so
 * requests meet each other's objects), mutates most of them (msg.c),
 * and keeps a model of what the accepted ones should have done
 * (model.c), compared with the kernel's state every --check-every
 * requests and at the end. Along the way: dumps cut short and dumps
 * resumed after changes, a child without CAP_NET_ADMIN whose every
 * request must fail with EPERM and change nothing, and children that
 * fuzz a network namespace of their own and exit with it (the namespace
 * deleted with its services, while the parent goes on).
 *
 *   sluice-genlfuzz [--seed N] [--count N] [--seconds S] [--check-every N]
 *                   [--unpriv N] [--netns N]
 *
 * Exits 0 when every check held; the seed is printed so a failure replays.
 */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/sluice.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "model.h"
#include "msg.h"
#include "policy.h"
#include "wire.h"

struct run {
	const char *who; /* "root", "unprivileged", "netns N" */
	int fd; /* raw generic netlink socket */
	struct sluice_nl nl; /* libnl, for seeds and read-backs */
	struct gf_policies *pol;
	struct gm_model model;
	uint64_t rng;
	uint32_t seq;
	int body_only; /* mutate attributes only (unprivileged) */
	long sent, accepted, eperm, replies, checks;
	long errs[140];
};

static struct gf_policies policies;

/* ---- sending ---- */

/* gf_answers(), every reply well formed (else the run fails). */
static int answers(struct run *r, int fd, uint32_t seq, int once)
{
	long malformed = 0;
	int err = gf_answers(fd, seq, once, &r->replies, &malformed);

	if (malformed) {
		fprintf(stderr, "genlfuzz: %s: a malformed reply\n", r->who);
		exit(1);
	}
	return err;
}

static int exchange(struct run *r, const uint8_t *buf, size_t len, uint32_t seq)
{
	int err = gf_send(r->fd, buf, len);

	if (err) {
		fprintf(stderr, "genlfuzz: send: %s\n", strerror(-err));
		exit(2);
	}
	return answers(r, r->fd, seq, 0);
}

/* ---- seeds: valid requests for every command ---- */

static const char *const scheds[] = { "mh", "rr", "wrr", "sh", "lc", "wlc" };

static void pick_addr(uint64_t *rng, uint16_t af, uint8_t *addr)
{
	memset(addr, 0, SLUICE_ADDR_LEN);
	if (af == AF_INET) {
		addr[0] = 10;
		addr[3] = 1 + gf_below(rng, 3);
	} else {
		addr[0] = 0xfd;
		addr[15] = 1 + gf_below(rng, 3);
	}
}

static void pick_svc(uint64_t *rng, struct sluice_svc *s, int settings)
{
	static const uint16_t ports[] = { 80, 443, 0 };
	static const uint32_t mh_sizes[] = { 251, 251, 251, 1021, 65537 };

	memset(s, 0, sizeof(*s));
	s->af = gf_below(rng, 2) ? AF_INET6 : AF_INET;
	if (gf_below(rng, 6) == 0) {
		s->fwmark = 1 + gf_below(rng, 3);
	} else {
		s->proto = gf_below(rng, 2) ? IPPROTO_UDP : IPPROTO_TCP;
		pick_addr(rng, s->af, s->addr);
		s->port = ports[gf_below(rng, 3)];
	}
	if (!settings)
		return;
	/* A port-0 service needs persistence; most seeds should be accepted. */
	if (!s->fwmark && !s->port) {
		s->timeout = 1 + gf_below(rng, 600);
		s->present |= SLUICE_HAS(SLUICE_SVC_A_TIMEOUT);
	}
	if (gf_below(rng, 3) == 0) {
		snprintf(s->sched, sizeof(s->sched), "%s",
			 gf_below(rng, 12) ? scheds[gf_below(rng, 6)] : "nope");
		s->present |= SLUICE_HAS(SLUICE_SVC_A_SCHED_NAME);
	}
	if (gf_below(rng, 5) == 0) {
		s->sched_flags = gf_below(rng, 2);
		s->present |= SLUICE_HAS(SLUICE_SVC_A_SCHED_FLAGS);
	}
	if (s->proto == IPPROTO_UDP && gf_below(rng, 5) == 0) {
		s->flags = SLUICE_SVC_F_ONEPACKET;
		s->present |= SLUICE_HAS(SLUICE_SVC_A_FLAGS);
	}
	if (gf_below(rng, 5) == 0) {
		s->persist_plen =
			1 + gf_below(rng, s->af == AF_INET ? 32 : 128);
		s->present |= SLUICE_HAS(SLUICE_SVC_A_PERSIST_PLEN);
	}
	if (gf_below(rng, 5) == 0) {
		s->hash_fields = SLUICE_HASH_SRC_ADDR |
				 (gf_rand(rng) & SLUICE_HASH_5TUPLE);
		s->present |= SLUICE_HAS(SLUICE_SVC_A_HASH_FIELDS);
	}
	/* Small Maglev tables mostly: a rebuild of 65537 slots is slow under TCG. */
	if (gf_below(rng, 5)) {
		s->mh_size = mh_sizes[gf_below(rng, 5)];
		s->present |= SLUICE_HAS(SLUICE_SVC_A_MH_SIZE);
	}
}

static void pick_dest(uint64_t *rng, struct sluice_dest *d)
{
	memset(d, 0, sizeof(*d));
	d->af = gf_below(rng, 4) ? AF_INET : AF_INET6;
	pick_addr(rng, d->af, d->addr);
	d->addr[d->af == AF_INET ? 2 : 14] = 2; /* reals apart from VIPs */
	d->port = gf_below(rng, 2) ? 80 : 0;
	if (gf_below(rng, 2)) {
		d->weight = gf_below(rng, 4) ? gf_below(rng, 10) :
					       gf_below(rng, 65536);
		d->present |= SLUICE_HAS(SLUICE_DEST_A_WEIGHT);
	}
	if (gf_below(rng, 5) == 0) {
		d->u_thresh = gf_below(rng, 1000);
		d->l_thresh = d->u_thresh ? gf_below(rng, d->u_thresh) : 0;
		d->present |= SLUICE_HAS(SLUICE_DEST_A_U_THRESH) |
			      SLUICE_HAS(SLUICE_DEST_A_L_THRESH);
	}
	if (gf_below(rng, 5) == 0) {
		d->fwd = SLUICE_FWD_TUNNEL;
		d->present |= SLUICE_HAS(SLUICE_DEST_A_FWD_METHOD);
	}
}

static void pick_cfg(uint64_t *rng, struct sluice_cfg *c)
{
	memset(c, 0, sizeof(*c));
	switch (gf_below(rng, 6)) {
	case 0:
		c->timeout_tcp = 1 + gf_below(rng, 1000);
		c->present = SLUICE_HAS(SLUICE_CFG_A_TIMEOUT_TCP);
		break;
	case 1:
		c->conn_max = SLUICE_CONN_MAX_MIN + gf_below(rng, 1 << 20);
		c->timeout_udp = 1 + gf_below(rng, 1000);
		c->present = SLUICE_HAS(SLUICE_CFG_A_CONN_MAX) |
			     SLUICE_HAS(SLUICE_CFG_A_TIMEOUT_UDP);
		break;
	case 2:
		c->mh_seed = gf_rand(rng);
		c->present = SLUICE_HAS(SLUICE_CFG_A_MH_SEED);
		break;
	case 3:
		c->tun_src4[0] = 192;
		c->tun_src4[3] = gf_below(rng, 256);
		c->tun_src4_plen = 24 + gf_below(rng, 9);
		c->present = SLUICE_HAS(SLUICE_CFG_A_TUN_SRC4) |
			     SLUICE_HAS(SLUICE_CFG_A_TUN_SRC4_PLEN);
		break;
	case 4:
		c->tun_src6[0] = 0xfd;
		c->tun_src6[15] = gf_below(rng, 256);
		c->tun_src6_plen = 64 + gf_below(rng, 65);
		c->tun_ttl = gf_below(rng, 256);
		c->present = SLUICE_HAS(SLUICE_CFG_A_TUN_SRC6) |
			     SLUICE_HAS(SLUICE_CFG_A_TUN_SRC6_PLEN) |
			     SLUICE_HAS(SLUICE_CFG_A_TUN_TTL);
		break;
	default:
		c->expire_nodest = gf_below(rng, 2);
		c->timeout_tcp_fin = 1 + gf_below(rng, 200);
		c->present = SLUICE_HAS(SLUICE_CFG_A_EXPIRE_NODEST) |
			     SLUICE_HAS(SLUICE_CFG_A_TIMEOUT_TCP_FIN);
		break;
	}
}

/* Commands by weight: changes to services and reals most, FLUSH rarely. */
static const uint8_t cmd_weights[][2] = {
	{ SLUICE_CMD_NEW_SERVICE, 14 }, { SLUICE_CMD_SET_SERVICE, 10 },
	{ SLUICE_CMD_DEL_SERVICE, 4 },	{ SLUICE_CMD_GET_SERVICE, 5 },
	{ SLUICE_CMD_NEW_DEST, 20 },	{ SLUICE_CMD_SET_DEST, 10 },
	{ SLUICE_CMD_DEL_DEST, 7 },	{ SLUICE_CMD_GET_DEST, 4 },
	{ SLUICE_CMD_FLUSH, 1 },	{ SLUICE_CMD_ZERO, 2 },
	{ SLUICE_CMD_GET_CONFIG, 2 },	{ SLUICE_CMD_SET_CONFIG, 6 },
	{ SLUICE_CMD_SET_MAPS, 2 },	{ SLUICE_CMD_GET_CONN, 2 },
	{ SLUICE_CMD_GET_INFO, 2 },
};

static uint8_t pick_cmd(uint64_t *rng)
{
	uint32_t total = 0, x;
	size_t i;

	for (i = 0; i < sizeof(cmd_weights) / sizeof(cmd_weights[0]); i++)
		total += cmd_weights[i][1];
	x = gf_below(rng, total);
	for (i = 0; x >= cmd_weights[i][1]; i++)
		x -= cmd_weights[i][1];
	/* FLUSH is rare among the rare: state should build up. */
	if (cmd_weights[i][0] == SLUICE_CMD_FLUSH && gf_below(rng, 4))
		return SLUICE_CMD_GET_INFO;
	return cmd_weights[i][0];
}

/* A valid request for a random command, as the library builds it. */
static void seed(struct run *r, struct gf_msg *m)
{
	uint8_t cmd = pick_cmd(&r->rng);
	int dump = cmd == SLUICE_CMD_GET_DEST || cmd == SLUICE_CMD_GET_CONN ||
		   (cmd == SLUICE_CMD_GET_SERVICE && gf_below(&r->rng, 2));
	const struct sluice_svc *sp = NULL;
	const struct sluice_dest *dp = NULL;
	const struct sluice_cfg *cp = NULL;
	struct nl_msg *msg = NULL;
	struct sluice_svc s;
	struct sluice_dest d;
	struct sluice_cfg c;
	int svc_key_only = 1;
	int err;

	pick_svc(&r->rng, &s,
		 cmd == SLUICE_CMD_NEW_SERVICE ||
			 cmd == SLUICE_CMD_SET_SERVICE);
	pick_dest(&r->rng, &d);
	switch (cmd) {
	case SLUICE_CMD_NEW_SERVICE:
	case SLUICE_CMD_SET_SERVICE:
		sp = &s;
		svc_key_only = 0;
		break;
	case SLUICE_CMD_DEL_SERVICE:
	case SLUICE_CMD_GET_DEST:
		sp = &s;
		break;
	case SLUICE_CMD_GET_SERVICE:
	case SLUICE_CMD_ZERO:
		if (!dump &&
		    (cmd == SLUICE_CMD_GET_SERVICE || gf_below(&r->rng, 2)))
			sp = &s;
		break;
	case SLUICE_CMD_NEW_DEST:
	case SLUICE_CMD_SET_DEST:
	case SLUICE_CMD_DEL_DEST:
		sp = &s;
		dp = &d;
		break;
	case SLUICE_CMD_SET_CONFIG:
		pick_cfg(&r->rng, &c);
		cp = &c;
		break;
	}
	err = sluice_request_msg(&r->nl, cmd,
				 NLM_F_ACK | (dump ? NLM_F_DUMP : 0), sp,
				 svc_key_only, dp, cmd == SLUICE_CMD_DEL_DEST,
				 cp, &msg);
	if (!err && cmd == SLUICE_CMD_SET_MAPS)
		err = nla_put_u32(msg, SLUICE_A_MAP_REALS,
				  gf_below(&r->rng, 8)) ||
		      nla_put_u32(msg, SLUICE_A_MAP_TC_CFG,
				  gf_below(&r->rng, 8));
	if (err || gf_msg_parse(m, nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len,
				r->pol)) {
		fprintf(stderr, "genlfuzz: cannot build a seed of command %u\n",
			cmd);
		exit(2);
	}
	m->nlflags |= NLM_F_REQUEST; /* libnl adds it when it sends */
	nlmsg_free(msg);
}

/* ---- the loop ---- */

static int is_change(uint8_t cmd)
{
	return cmd != SLUICE_CMD_GET_INFO && cmd != SLUICE_CMD_GET_SERVICE &&
	       cmd != SLUICE_CMD_GET_DEST && cmd != SLUICE_CMD_GET_CONFIG &&
	       cmd != SLUICE_CMD_GET_CONN;
}

/* The request that failed a check, for the report. */
static void hexdump(const uint8_t *buf, size_t len)
{
	size_t i;

	fprintf(stderr, "genlfuzz: the request (%zu bytes):", len);
	for (i = 0; i < len; i++)
		fprintf(stderr, "%s%02x", i % 32 ? " " : "\n  ", buf[i]);
	fprintf(stderr, "\n");
}

static void failed(struct run *r, const char *what, const char *why)
{
	fprintf(stderr, "genlfuzz: %s: %s after %ld requests: %s\n", r->who,
		what, r->sent, why);
	exit(1);
}

static void check(struct run *r)
{
	char why[256];

	r->checks++;
	if (gm_check(&r->model, &r->nl, why, sizeof(why)))
		failed(r, "the kernel's state is not the model's", why);
}

/* One request: a seed, mutated 1-3 times three times in four. */
static void one(struct run *r)
{
	static uint8_t buf[GF_BUF];
	struct gf_msg m;
	const char *mut[3] = { NULL, NULL, NULL };
	int i, n, err;
	size_t len;
	char why[256];

	seed(r, &m);
	n = gf_below(&r->rng, 4) ? 1 + gf_below(&r->rng, 3) : 0;
	for (i = 0; i < n; i++)
		mut[i] = gf_mutate(&m, r->pol, &r->rng, r->body_only);
	len = gf_msg_write(&m, buf, r->nl.family, ++r->seq);
	err = exchange(r, buf, len, r->seq);
	r->sent++;
	if (err == 1) {
		snprintf(why, sizeof(why), "command %u, mutations %s, %s, %s",
			 m.cmd, mut[0] ?: "-", mut[1] ?: "-", mut[2] ?: "-");
		failed(r, "no answer within 20 s", why);
	}
	if (r->body_only) {
		if (err != -EPERM) {
			snprintf(why, sizeof(why),
				 "command %u answered %d (%s)", m.cmd, err,
				 strerror(-err));
			failed(r,
			       "a request without CAP_NET_ADMIN was not refused with EPERM",
			       why);
		}
		r->eperm++;
		return;
	}
	if (err < 0) {
		r->errs[-err < 140 ? -err : 0]++;
		return;
	}
	r->accepted++;
	if (is_change(m.cmd) && !(m.nlflags & NLM_F_DUMP) &&
	    gm_apply(&r->model, buf, len, why, sizeof(why))) {
		char what[160];

		snprintf(what, sizeof(what),
			 "command %u (mutations: %s, %s, %s)", m.cmd,
			 mut[0] ?: "-", mut[1] ?: "-", mut[2] ?: "-");
		hexdump(buf, len);
		failed(r, what, why);
	}
}

/*
 * A dump of services or reals started on a second socket: either left
 * after its first datagram and the socket closed (cut short), or resumed
 * after @changes more requests on the first socket; it must end cleanly.
 */
static void dump_interleaved(struct run *r, int changes)
{
	static const uint8_t cmds[] = { SLUICE_CMD_GET_SERVICE,
					SLUICE_CMD_GET_CONN };
	uint8_t cmd = cmds[gf_below(&r->rng, 2)];
	struct nl_msg *msg = sluice_nl_msg(&r->nl, cmd, NLM_F_DUMP);
	struct nlmsghdr *h = nlmsg_hdr(msg);
	int fd = gf_open_raw(), err, i;
	uint32_t seq = ++r->seq;

	h->nlmsg_seq = seq;
	h->nlmsg_flags |= NLM_F_REQUEST;
	if (send(fd, h, h->nlmsg_len, 0) != (ssize_t)h->nlmsg_len)
		failed(r, "a dump", strerror(errno));
	nlmsg_free(msg);
	err = answers(r, fd, seq, 1);
	if (err < 0 || err == 1)
		failed(r, "a dump's first part",
		       err == 1 ? "no answer" : strerror(-err));
	for (i = 0; i < changes; i++)
		one(r);
	if (err == 2 && gf_below(&r->rng, 2)) {
		err = answers(r, fd, seq, 0);
		if (err)
			failed(r, "a dump resumed after changes",
			       err == 1 ? "no end" : strerror(-err));
	}
	close(fd);
}

static void summary(const struct run *r, double secs)
{
	printf("genlfuzz: %s: %ld requests in %.1f s (%.0f/s): %ld accepted, %ld replies read,"
	       " refused: EINVAL %ld, ERANGE %ld, ENOENT %ld, EEXIST %ld, EOPNOTSUPP %ld,"
	       " EBADF %ld, E2BIG %ld, EPERM %ld, other %ld; %ld model checks,"
	       " %d services at the end\n",
	       r->who, r->sent, secs, r->sent / (secs > 0 ? secs : 1),
	       r->accepted, r->replies, r->errs[EINVAL], r->errs[ERANGE],
	       r->errs[ENOENT], r->errs[EEXIST], r->errs[EOPNOTSUPP],
	       r->errs[EBADF], r->errs[E2BIG], r->eperm + r->errs[EPERM],
	       r->errs[0], r->checks, r->model.n);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void start(struct run *r, const char *who, uint64_t seed)
{
	struct sluice_cfg cfg;
	int err;

	memset(r, 0, sizeof(*r));
	r->who = who;
	r->rng = seed | 1;
	r->pol = &policies;
	r->fd = gf_open_raw();
	err = sluice_nl_open(&r->nl);
	if (!err)
		err = sluice_flush(&r->nl);
	if (!err)
		err = sluice_cfg_get(&r->nl, &cfg);
	if (err) {
		fprintf(stderr, "genlfuzz: %s: %s\n", who,
			sluice_nl_strerror(&r->nl, err));
		exit(2);
	}
	gm_init(&r->model, &cfg);
}

static double now(void);

/* A child that fuzzes a namespace of its own, which goes when it exits. */
static pid_t netns_child(uint64_t seed, long count, int check_every)
{
	static char who[32];
	struct run r;
	double t0;
	pid_t pid;
	long i;

	fflush(stdout);
	pid = fork();
	if (pid)
		return pid;
	if (unshare(CLONE_NEWNET)) {
		perror("genlfuzz: unshare");
		_exit(2);
	}
	snprintf(who, sizeof(who), "netns %llx",
		 (unsigned long long)seed & 0xffff);
	start(&r, who, seed);
	t0 = now();
	for (i = 0; i < count; i++) {
		one(&r);
		if ((i + 1) % check_every == 0)
			check(&r);
	}
	check(&r);
	summary(&r, now() - t0);
	fflush(stdout);
	_exit(0);
}

/* A child without CAP_NET_ADMIN: every request refused with EPERM. */
static void unprivileged(struct run *parent, long count)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (!pid) {
		struct run r = *parent;
		double t0;
		long i;

		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534)) {
			perror("genlfuzz: dropping privileges");
			_exit(2);
		}
		r.who = "unprivileged";
		r.fd = gf_open_raw();
		r.body_only = 1;
		r.sent = r.accepted = r.eperm = r.replies = r.checks = 0;
		memset(r.errs, 0, sizeof(r.errs));
		t0 = now();
		for (i = 0; i < count; i++)
			one(&r);
		summary(&r, now() - t0);
		fflush(stdout);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		failed(parent, "the unprivileged child", "failed (see above)");
	check(parent); /* and nothing changed */
}

static int reap(int block, pid_t *kids, int *nkids)
{
	int status, i, bad = 0;

	for (i = 0; i < *nkids;) {
		pid_t p = waitpid(kids[i], &status, block ? 0 : WNOHANG);

		if (p == 0) {
			i++;
			continue;
		}
		if (p < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
			bad = 1;
		kids[i] = kids[--*nkids];
	}
	return bad;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", 1, NULL, 's' },    { "count", 1, NULL, 'c' },
		{ "seconds", 1, NULL, 't' }, { "check-every", 1, NULL, 'e' },
		{ "unpriv", 1, NULL, 'u' },  { "netns", 1, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	long count = 10000, unpriv = 1000, netns = 4, i;
	double seconds = 600, t0;
	int check_every = 1000, opt, nkids = 0;
	pid_t kids[64];
	struct nl_sock *sk;
	struct run r;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'c':
			count = atol(optarg);
			break;
		case 't':
			seconds = atof(optarg);
			break;
		case 'e':
			check_every = atoi(optarg);
			break;
		case 'u':
			unpriv = atol(optarg);
			break;
		case 'n':
			netns = atol(optarg);
			break;
		default:
			fprintf(stderr,
				"usage: %s [--seed N] [--count N] [--seconds S] "
				"[--check-every N] [--unpriv N] [--netns N]\n",
				argv[0]);
			return 2;
		}
	}
	if (count < 1 || check_every < 1 || netns < 0 || netns > 64 ||
	    unpriv < 0) {
		fprintf(stderr, "genlfuzz: bad arguments\n");
		return 2;
	}
	printf("genlfuzz: seed %llu (replay: --seed %llu --count %ld)\n",
	       (unsigned long long)seed, (unsigned long long)seed, count);
	start(&r, "root", seed);
	sk = nl_socket_alloc();
	if (!sk || genl_connect(sk) ||
	    gf_policy_read(sk, r.nl.family, &policies)) {
		fprintf(stderr,
			"genlfuzz: cannot read the family's policies (CTRL_CMD_GETPOLICY)\n");
		return 2;
	}
	nl_socket_free(sk);
	printf("genlfuzz: the kernel's policies: %d, %d attributes\n",
	       policies.n, policies.attrs);
	fflush(stdout);

	t0 = now();
	for (i = 0; i < count && now() - t0 < seconds; i++) {
		one(&r);
		if ((i + 1) % check_every == 0)
			check(&r);
		if (i % 500 == 250)
			dump_interleaved(&r, 1 + gf_below(&r.rng, 10));
		if (netns && i % (count / netns + 1) == 0 && nkids < 64) {
			kids[nkids++] = netns_child(gf_rand(&r.rng), 300, 100);
			netns--;
		}
		if (unpriv && i == count / 2) {
			unprivileged(&r, unpriv);
			unpriv = 0;
		}
		if (i % 100 == 0 && reap(0, kids, &nkids))
			failed(&r, "a namespace child", "failed (see above)");
	}
	check(&r);
	if (reap(1, kids, &nkids))
		failed(&r, "a namespace child", "failed (see above)");
	summary(&r, now() - t0);
	if (i < count) {
		printf("genlfuzz: stopped by --seconds after %ld of %ld requests\n",
		       i, count);
		return 1;
	}
	sluice_flush(&r.nl);
	sluice_nl_close(&r.nl);
	return 0;
}
