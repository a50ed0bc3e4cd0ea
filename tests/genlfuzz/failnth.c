// SPDX-License-Identifier: GPL-2.0
/*
 * sluice-failnth: every control command under allocation failures (needs
 * a kernel with CONFIG_FAULT_INJECTION, FAILSLAB and FAIL_PAGE_ALLOC, and
 * failslab / fail_page_alloc set to reach GFP_KERNEL and order-0
 * allocations: tests/vm/faults/failnth.sh does that).
 *
 * A script of valid requests builds services with reals, changes them,
 * reads them, deletes them. For each request, the 1st, 2nd, ... of the
 * kernel's allocations while it is sent and handled fails
 * (/proc/thread-self/fail-nth), until one attempt runs out of allocations
 * to fail. Every attempt that failed must leave the state exactly as it
 * was (read back and compared with the model, tests/genlfuzz/model.c);
 * one that succeeded must leave what the model says it does. When the
 * failed allocation was the answer's own, the request may have been done
 * or not: the state must then be one of the two.
 *
 * SET_MAPS (the tc program's maps handed to the module) likewise, with
 * maps made here: a refused handover must leave the new maps untouched
 * and the module writing to the maps it had; one done, the new maps
 * holding what the old ones held.
 *
 *   sluice-failnth [--max N]   (attempts per request at most, 5000)
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <linux/sluice.h>
#include <sys/mman.h>

#include "model.h"
#include "wire.h"

struct step {
	uint8_t cmd;
	int dump;
	const char *what;
	struct sluice_svc svc;
	int svc_key_only;
	struct sluice_dest dest;
	int dest_key_only;
	struct sluice_cfg cfg;
};

#define HAS(a) SLUICE_HAS(a)

static struct sluice_svc svc_tcp4(void)
{
	struct sluice_svc s = { .af = AF_INET,
				.proto = IPPROTO_TCP,
				.port = 80 };

	inet_pton(AF_INET, "10.0.0.1", s.addr);
	return s;
}

static struct sluice_svc svc_udp6(void)
{
	struct sluice_svc s = { .af = AF_INET6,
				.proto = IPPROTO_UDP,
				.port = 53 };

	inet_pton(AF_INET6, "fd00::1", s.addr);
	return s;
}

static struct sluice_svc svc_fwm(void)
{
	return (struct sluice_svc){ .af = AF_INET, .fwmark = 7 };
}

static struct sluice_dest real(int af, const char *addr)
{
	struct sluice_dest d = { .af = af, .port = 80 };

	inet_pton(af, addr, d.addr);
	return d;
}

/* The script, in order: each step acts on what the ones before built. */
static int script(struct step *st)
{
	struct sluice_svc s;
	struct sluice_dest d;
	int n = 0, i;

	st[n++] = (struct step){
		.cmd = SLUICE_CMD_SET_CONFIG,
		.what = "settings",
		.cfg = { .mh_seed = 0x5eed,
			 .tun_src4 = { 10, 2, 0, 1 },
			 .tun_src4_plen = 32,
			 .present = HAS(SLUICE_CFG_A_MH_SEED) |
				    HAS(SLUICE_CFG_A_TUN_SRC4) |
				    HAS(SLUICE_CFG_A_TUN_SRC4_PLEN) }
	};
	s = svc_tcp4();
	s.mh_size = 251;
	s.present = HAS(SLUICE_SVC_A_MH_SIZE);
	st[n++] = (struct step){ .cmd = SLUICE_CMD_NEW_SERVICE,
				 .what = "first service (hooks)",
				 .svc = s };
	s = svc_udp6();
	snprintf(s.sched, sizeof(s.sched), "rr");
	s.present = HAS(SLUICE_SVC_A_SCHED_NAME);
	st[n++] = (struct step){ .cmd = SLUICE_CMD_NEW_SERVICE,
				 .what = "service rr",
				 .svc = s };
	s = svc_fwm();
	snprintf(s.sched, sizeof(s.sched), "wlc");
	s.present = HAS(SLUICE_SVC_A_SCHED_NAME);
	st[n++] = (struct step){ .cmd = SLUICE_CMD_NEW_SERVICE,
				 .what = "fwmark service",
				 .svc = s };
	for (i = 0; i < 3; i++) {
		static struct sluice_svc (*const svcs[])(
			void) = { svc_tcp4, svc_udp6, svc_fwm };

		d = real(AF_INET, i ? "10.2.0.12" : "10.2.0.11");
		st[n++] = (struct step){ .cmd = SLUICE_CMD_NEW_DEST,
					 .what = "real (new endpoint)",
					 .svc = svcs[i](),
					 .svc_key_only = 1,
					 .dest = d };
		d = real(AF_INET6, "fd00:2::13");
		d.weight = 3;
		d.present = HAS(SLUICE_DEST_A_WEIGHT);
		st[n++] = (struct step){ .cmd = SLUICE_CMD_NEW_DEST,
					 .what = "IPv6 real",
					 .svc = svcs[i](),
					 .svc_key_only = 1,
					 .dest = d };
	}
	d = real(AF_INET, "10.2.0.11");
	d.weight = 5;
	d.u_thresh = 100;
	d.present = HAS(SLUICE_DEST_A_WEIGHT) | HAS(SLUICE_DEST_A_U_THRESH);
	st[n++] = (struct step){ .cmd = SLUICE_CMD_SET_MAPS,
				 .what = "maps handed over" };
	st[n++] = (struct step){ .cmd = SLUICE_CMD_SET_DEST,
				 .what = "weight (Maglev rebuilt)",
				 .svc = svc_tcp4(),
				 .svc_key_only = 1,
				 .dest = d };
	s = svc_tcp4();
	snprintf(s.sched, sizeof(s.sched), "sh");
	s.present = HAS(SLUICE_SVC_A_SCHED_NAME);
	st[n++] = (struct step){ .cmd = SLUICE_CMD_SET_SERVICE,
				 .what = "scheduler mh to sh",
				 .svc = s };
	s.present = HAS(SLUICE_SVC_A_SCHED_NAME) | HAS(SLUICE_SVC_A_MH_SIZE);
	snprintf(s.sched, sizeof(s.sched), "mh");
	s.mh_size = 1021;
	st[n++] = (struct step){ .cmd = SLUICE_CMD_SET_SERVICE,
				 .what = "back to mh, bigger table",
				 .svc = s };
	st[n++] = (struct step){
		.cmd = SLUICE_CMD_SET_CONFIG,
		.what = "new seed (every table rebuilt)",
		.cfg = { .mh_seed = 0xbeef,
			 .conn_max = 4096,
			 .present = HAS(SLUICE_CFG_A_MH_SEED) |
				    HAS(SLUICE_CFG_A_CONN_MAX) }
	};
	st[n++] = (struct step){ .cmd = SLUICE_CMD_GET_SERVICE,
				 .what = "one service",
				 .svc = svc_udp6(),
				 .svc_key_only = 1 };
	st[n++] = (struct step){ .cmd = SLUICE_CMD_GET_SERVICE,
				 .dump = 1,
				 .what = "services dump" };
	st[n++] = (struct step){ .cmd = SLUICE_CMD_GET_DEST,
				 .dump = 1,
				 .what = "reals dump",
				 .svc = svc_tcp4(),
				 .svc_key_only = 1 };
	st[n++] = (struct step){ .cmd = SLUICE_CMD_GET_CONN,
				 .dump = 1,
				 .what = "connections dump" };
	st[n++] = (struct step){ .cmd = SLUICE_CMD_GET_INFO, .what = "info" };
	st[n++] = (struct step){ .cmd = SLUICE_CMD_GET_CONFIG,
				 .what = "settings read" };
	st[n++] = (struct step){ .cmd = SLUICE_CMD_ZERO,
				 .what = "counters zeroed" };
	st[n++] = (struct step){ .cmd = SLUICE_CMD_DEL_DEST,
				 .what = "real deleted",
				 .svc = svc_udp6(),
				 .svc_key_only = 1,
				 .dest = real(AF_INET6, "fd00:2::13"),
				 .dest_key_only = 1 };
	st[n++] = (struct step){ .cmd = SLUICE_CMD_DEL_SERVICE,
				 .what = "service deleted",
				 .svc = svc_fwm(),
				 .svc_key_only = 1 };
	st[n++] = (struct step){ .cmd = SLUICE_CMD_FLUSH, .what = "flush" };
	return n;
}

/* @msg as a request of sequence @seq, in @buf (freed): its length. */
static int request_bytes(struct nl_msg *msg, uint8_t *buf, uint32_t seq)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	int len = h->nlmsg_len;

	h->nlmsg_seq = seq;
	h->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	memcpy(buf, h, len);
	nlmsg_free(msg);
	return len;
}

static int build(struct sluice_nl *nl, const struct step *st, uint8_t *buf,
		 uint32_t seq)
{
	struct nl_msg *msg;
	int err;

	err = sluice_request_msg(nl, st->cmd,
				 NLM_F_ACK | (st->dump ? NLM_F_DUMP : 0),
				 st->svc.af ? &st->svc : NULL, st->svc_key_only,
				 st->dest.af ? &st->dest : NULL,
				 st->dest_key_only,
				 st->cfg.present ? &st->cfg : NULL, &msg);
	return err ? err : request_bytes(msg, buf, seq);
}

static void set_nth(int fd, unsigned int n)
{
	char b[16];
	int len = snprintf(b, sizeof(b), "%u", n);

	if (pwrite(fd, b, len, 0) != len) {
		perror("failnth: /proc/thread-self/fail-nth");
		exit(2);
	}
}

/* Still armed (no allocation failed) after the attempt? Disarms it. */
static int unfired(int fd)
{
	char b[16] = "";
	int left;

	if (pread(fd, b, sizeof(b) - 1, 0) < 0) {
		perror("failnth: /proc/thread-self/fail-nth");
		exit(2);
	}
	left = atoi(b);
	set_nth(fd, 0);
	return left != 0;
}

static struct gm_model before, after;
static struct step steps[64];
static struct sluice_nl nl;
static int sock, nth_fd;
static uint32_t seq;
static long replies, malformed;

/* Send @len bytes of @buf (armed to fail the @nth allocation if not 0). */
static int attempt_bytes(const struct step *st, const uint8_t *buf, int len,
			 unsigned int nth, int *fired)
{
	int err;

	if (nth)
		set_nth(nth_fd, nth);
	err = gf_send(sock, buf, len);
	if (!err)
		err = gf_answers(sock, seq, 0, &replies, &malformed);
	*fired = nth && !unfired(nth_fd);
	if (err == 1) {
		fprintf(stderr,
			"failnth: %s, allocation %u failed: no answer\n",
			st->what, nth);
		exit(1);
	}
	return err;
}

/* Send @st (armed to fail the @nth allocation if not 0); its answer. */
static int attempt(const struct step *st, unsigned int nth, int *fired)
{
	static uint8_t buf[4096];
	int len = build(&nl, st, buf, ++seq);

	if (len < 0) {
		fprintf(stderr, "failnth: cannot build a request (%s)\n",
			st->what);
		exit(2);
	}
	return attempt_bytes(st, buf, len, nth, fired);
}

/*
 * Back to the state before step @upto (a request that coped with a failed
 * allocation, or whose answer was lost, went through): flush, the
 * settings as they were, steps 0..@upto-1 again, checked.
 */
static void restore(int upto)
{
	struct step cfg = { .cmd = SLUICE_CMD_SET_CONFIG,
			    .what = "settings restored" };
	char why[256];
	int i, fired;

	cfg.cfg = before.cfg;
	cfg.cfg.present = (1U << (SLUICE_CFG_A_MAX + 1)) -
			  (1U << SLUICE_CFG_A_TIMEOUT_TCP);
	if (!cfg.cfg.tun_src4_plen) /* unset reads as 0, which SET refuses */
		cfg.cfg.present &= ~HAS(SLUICE_CFG_A_TUN_SRC4_PLEN);
	if (!cfg.cfg.tun_src6_plen)
		cfg.cfg.present &= ~HAS(SLUICE_CFG_A_TUN_SRC6_PLEN);
	if (sluice_flush(&nl) || attempt(&cfg, 0, &fired)) {
		fprintf(stderr, "failnth: cannot restore the state\n");
		exit(1);
	}
	for (i = 0; i < upto; i++) {
		uint8_t cmd = steps[i].cmd;

		/* Services and reals only: the settings are restored whole above. */
		if (cmd != SLUICE_CMD_NEW_SERVICE &&
		    cmd != SLUICE_CMD_SET_SERVICE &&
		    cmd != SLUICE_CMD_DEL_SERVICE &&
		    cmd != SLUICE_CMD_NEW_DEST && cmd != SLUICE_CMD_SET_DEST &&
		    cmd != SLUICE_CMD_DEL_DEST)
			continue;
		if (attempt(&steps[i], 0, &fired)) {
			fprintf(stderr, "failnth: cannot replay %s\n",
				steps[i].what);
			exit(1);
		}
	}
	if (gm_check(&before, &nl, why, sizeof(why))) {
		fprintf(stderr, "failnth: the restored state differs: %s\n",
			why);
		exit(1);
	}
}

/* A pair of maps like the tc program's, mapped here to read and write. */
struct tc_maps {
	int reals_fd, cfg_fd;
	struct sluice_real_ep *reals;
	struct sluice_tc_config *cfg;
};

#define REALS_LEN (SLUICE_MAX_REALS * sizeof(struct sluice_real_ep))
#define CFG_LEN sizeof(struct sluice_tc_config)

static void *map_array(const char *name, __u32 value_size, __u32 entries,
		       int *fd)
{
	LIBBPF_OPTS(bpf_map_create_opts, o, .map_flags = BPF_F_MMAPABLE);
	void *p;

	*fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, name, sizeof(__u32),
			     value_size, entries, &o);
	if (*fd < 0) {
		perror("failnth: bpf_map_create");
		exit(2);
	}
	p = mmap(NULL, (size_t)value_size * entries, PROT_READ | PROT_WRITE,
		 MAP_SHARED, *fd, 0);
	if (p == MAP_FAILED) {
		perror("failnth: mmap of a BPF array");
		exit(2);
	}
	return p;
}

static void tc_maps_make(struct tc_maps *m)
{
	m->reals = map_array("sluice_reals", sizeof(*m->reals),
			     SLUICE_MAX_REALS, &m->reals_fd);
	m->cfg = map_array("sluice_tc_cfg", sizeof(*m->cfg), 1, &m->cfg_fd);
}

/* Hand @m to the module (the @nth allocation failed if not 0). */
static int hand_over(const struct step *st, const struct tc_maps *m,
		     unsigned int nth, int *fired)
{
	struct nl_msg *msg;
	uint8_t buf[256];
	int len;

	if (sluice_set_maps_msg(&nl, m->reals_fd, m->cfg_fd, &msg)) {
		fprintf(stderr, "failnth: cannot build SET_MAPS\n");
		exit(2);
	}
	len = request_bytes(msg, buf, ++seq);
	return attempt_bytes(st, buf, len, nth, fired);
}

/* Distinct endpoints (real addresses) in @m. */
static int endpoints(const struct gm_model *m)
{
	const struct sluice_dest *seen[GM_SVCS * GM_DESTS];
	int n = 0, i, j, k;

	for (i = 0; i < m->n; i++)
		for (j = 0; j < m->v[i].nd; j++) {
			const struct sluice_dest *d = &m->v[i].d[j];

			for (k = 0; k < n; k++)
				if (seen[k]->af == d->af &&
				    !memcmp(seen[k]->addr, d->addr,
					    sizeof(d->addr)))
					break;
			if (k == n)
				seen[n++] = d;
		}
	return n;
}

static int valid_slots(const struct tc_maps *m)
{
	int i, n = 0;

	for (i = 0; i < SLUICE_MAX_REALS; i++)
		n += !!(m->reals[i].flags & SLUICE_REAL_EP_VALID);
	return n;
}

/*
 * SET_MAPS with its 1st, 2nd, ... allocation failed. The module holds
 * maps @old (handed over first, nothing failed); each attempt hands it
 * @new, emptied first (its settings entry filled with a pattern).
 * Refused: @new untouched, @old as it was, and still the module's (a
 * settings write, the same settings, lands in it). Done (a lost answer,
 * or coped): @new holds what @old does; @old handed back.
 */
static void sweep_maps(const struct step *st, int max)
{
	/* New maps are empty (the module writes the endpoints' slots only). */
	static const struct sluice_real_ep fill[SLUICE_MAX_REALS];
	static struct sluice_real_ep snap[SLUICE_MAX_REALS];
	static struct tc_maps old, new;
	struct step same = { .cmd = SLUICE_CMD_SET_CONFIG,
			     .what = "the same settings" };
	struct sluice_tc_config snap_cfg, fill_cfg;
	int n, err, hit = 1, fired, refused = 0, done = 0;
	char why[256];

	if (!old.reals) {
		tc_maps_make(&old);
		tc_maps_make(&new);
	}
	memset(&fill_cfg, 0xa5, CFG_LEN);
	same.cfg = before.cfg;
	same.cfg.present = HAS(SLUICE_CFG_A_MH_SEED);
	if (hand_over(st, &old, 0, &fired)) {
		fprintf(stderr, "failnth: %s: refused with nothing failed\n",
			st->what);
		exit(1);
	}
	if (valid_slots(&old) != endpoints(&before)) {
		fprintf(stderr,
			"failnth: %s: %d endpoints in the map, %d reals' addresses configured\n",
			st->what, valid_slots(&old), endpoints(&before));
		exit(1);
	}
	memcpy(snap, old.reals, REALS_LEN);
	snap_cfg = *old.cfg;
	for (n = 1; n <= max && hit; n++) {
		memcpy(new.reals, fill, REALS_LEN);
		*new.cfg = fill_cfg;
		err = hand_over(st, &new, n, &hit);
		if (err &&
		    (err != -ENOBUFS || !memcmp(new.reals, fill, REALS_LEN))) {
			/* Refused: nothing written, the old maps still in use. */
			memset(old.cfg, 0, CFG_LEN);
			if (!hit || memcmp(new.reals, fill, REALS_LEN) ||
			    memcmp(new.cfg, &fill_cfg, CFG_LEN) ||
			    attempt(&same, 0, &fired) ||
			    memcmp(old.reals, snap, REALS_LEN) ||
			    memcmp(old.cfg, &snap_cfg, CFG_LEN)) {
				fprintf(stderr,
					"failnth: %s, allocation %d failed (%s): refused, but the maps changed or the module writes to none of them\n",
					st->what, n, strerror(-err));
				exit(1);
			}
			refused++;
			continue;
		}
		/* Done: answered, or its answer lost (-ENOBUFS). */
		if (memcmp(new.reals, snap, REALS_LEN) ||
		    memcmp(new.cfg, &snap_cfg, CFG_LEN)) {
			fprintf(stderr,
				"failnth: %s, allocation %d failed (%s, %s): the new maps do not hold the endpoints and settings (endpoints %s, %d valid of %d; settings %s)\n",
				st->what, n,
				err ? strerror(-err) : "answered 0",
				hit ? "injected" : "not injected",
				memcmp(new.reals, snap, REALS_LEN) ? "differ" :
								     "equal",
				valid_slots(&new), valid_slots(&old),
				memcmp(new.cfg, &snap_cfg, CFG_LEN) ? "differ" :
								      "equal");
			exit(1);
		}
		done += hit;
		if (hand_over(st, &old, 0, &fired)) {
			fprintf(stderr,
				"failnth: %s: cannot hand the first maps back\n",
				st->what);
			exit(1);
		}
	}
	if (hit) {
		fprintf(stderr, "failnth: %s still failing after %d attempts\n",
			st->what, max);
		exit(1);
	}
	if (gm_check(&before, &nl, why, sizeof(why))) {
		fprintf(stderr, "failnth: %s: %s\n", st->what, why);
		exit(1);
	}
	printf("failnth: %-32s %3d allocations, each failed in turn: %d refused, maps unchanged; %d done\n",
	       st->what, n - 1, refused, done);
}

int main(int argc, char **argv)
{
	long attempts = 0, refused = 0, coped = 0, lost = 0;
	int nsteps, i, max = 5000;
	struct sluice_cfg cfg;
	char why[256];

	if (argc == 3 && !strcmp(argv[1], "--max"))
		max = atoi(argv[2]);
	else if (argc != 1) {
		fprintf(stderr, "usage: %s [--max N]\n", argv[0]);
		return 2;
	}
	nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (nth_fd < 0) {
		perror("failnth: /proc/thread-self/fail-nth (CONFIG_FAULT_INJECTION)");
		return 2;
	}
	sock = gf_open_raw();
	if (sluice_nl_open(&nl) || sluice_flush(&nl) ||
	    sluice_cfg_get(&nl, &cfg)) {
		fprintf(stderr, "failnth: the sluice family: %s\n", nl.errmsg);
		return 2;
	}
	gm_init(&before, &cfg);
	nsteps = script(steps);
	for (i = 0; i < nsteps; i++) {
		const struct step *st = &steps[i];
		static uint8_t buf[4096];
		int n, len, err, fired = 1, fails = 0;

		if (st->cmd == SLUICE_CMD_SET_MAPS) {
			sweep_maps(st, max);
			continue;
		}
		len = build(&nl, st, buf, 0);
		after = before;
		if (len < 0 || gm_apply(&after, buf, len, why, sizeof(why))) {
			fprintf(stderr, "failnth: %s: the model: %s\n",
				st->what, why);
			return 1;
		}
		for (n = 1; n <= max && fired; n++) {
			err = attempt(st, n, &fired);
			attempts++;
			if (!fired) {
				/* Fewer allocations than n: the request as it should go. */
				if (err) {
					fprintf(stderr,
						"failnth: %s failed with nothing injected: %s\n",
						st->what, strerror(-err));
					return 1;
				}
				if (gm_check(&after, &nl, why, sizeof(why))) {
					fprintf(stderr, "failnth: %s: %s\n",
						st->what, why);
					return 1;
				}
				break;
			}
			if (!err) {
				/* It coped with the failure (an event not sent, ...). */
				if (gm_check(&after, &nl, why, sizeof(why))) {
					fprintf(stderr,
						"failnth: %s, allocation %d failed, answered 0: %s\n",
						st->what, n, why);
					return 1;
				}
				coped++;
				restore(i);
				continue;
			}
			if (!gm_check(&before, &nl, why, sizeof(why))) {
				refused++;
				fails++;
				continue;
			}
			/* Only a lost answer may leave the request done. */
			if (err == -ENOBUFS &&
			    !gm_check(&after, &nl, why, sizeof(why))) {
				lost++;
				restore(i);
				continue;
			}
			gm_check(&before, &nl, why, sizeof(why));
			fprintf(stderr,
				"failnth: %s, allocation %d failed (%s), the state changed: %s\n",
				st->what, n, strerror(-err), why);
			return 1;
		}
		if (fired) {
			fprintf(stderr,
				"failnth: %s still failing after %d attempts\n",
				st->what, max);
			return 1;
		}
		printf("failnth: %-32s %3d allocations, each failed in turn: %d refused, state unchanged\n",
		       st->what, n - 1, fails);
		before = after;
	}
	if (malformed) {
		fprintf(stderr, "failnth: %ld malformed replies\n", malformed);
		return 1;
	}
	printf("failnth: %d requests, %ld attempts: %ld refused with the state unchanged, %ld coped with the failure, %ld answers lost (request done)\n",
	       nsteps, attempts, refused, coped, lost);
	sluice_nl_close(&nl);
	return 0;
}
