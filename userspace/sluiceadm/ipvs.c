// SPDX-License-Identifier: GPL-2.0
/*
 * ipvsadm's grammar over sluice's control plane (see ipvs.h). Defaults are
 * ipvsadm's (weight 1, persistence 360 s, IPIP forwarding) except the
 * scheduler: mh. Usage errors name the offending option or value and exit
 * 2; kernel errors print the kernel's extack message and exit 1.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "cmds.h"
#include "info.h"
#include "ipvs.h"
#include "nl.h"
#include "prefix.h"
#include "services.h"

static struct {
	int cmd; /* 'A', 'E', ... or IPVS_OPT_SET */
	int have_svc, have_dest, v6, numeric;
	int format; /* 0, IPVS_OPT_STATS or IPVS_OPT_RATE */
	int conns; /* -c: the connection table */
	struct sluice_svc svc;
	struct sluice_dest dest;
	const char *dest_arg;
	uint32_t tun_set;
	struct sluice_cfg cfg;
} a;

const struct option ipvs_long_opts[] = {
	{ "add-service", no_argument, NULL, 'A' },
	{ "edit-service", no_argument, NULL, 'E' },
	{ "delete-service", no_argument, NULL, 'D' },
	{ "clear", no_argument, NULL, 'C' },
	{ "add-server", no_argument, NULL, 'a' },
	{ "edit-server", no_argument, NULL, 'e' },
	{ "delete-server", no_argument, NULL, 'd' },
	{ "list", no_argument, NULL, 'L' },
	{ "numeric", no_argument, NULL, 'n' },
	{ "connection", no_argument, NULL, 'c' },
	{ "zero", no_argument, NULL, 'Z' },
	{ "tcp-service", required_argument, NULL, 't' },
	{ "udp-service", required_argument, NULL, 'u' },
	{ "fwmark-service", required_argument, NULL, 'f' },
	{ "ipv6", no_argument, NULL, '6' },
	{ "scheduler", required_argument, NULL, 's' },
	{ "persistent", optional_argument, NULL, 'p' },
	{ "netmask", required_argument, NULL, 'M' },
	{ "real-server", required_argument, NULL, 'r' },
	{ "weight", required_argument, NULL, 'w' },
	{ "ipip", no_argument, NULL, 'i' },
	{ "gatewaying", no_argument, NULL, 'g' },
	{ "masquerading", no_argument, NULL, 'm' },
	{ "u-threshold", required_argument, NULL, 'x' },
	{ "l-threshold", required_argument, NULL, 'y' },
	{ "sched-flags", required_argument, NULL, 'b' },
	{ "set", no_argument, NULL, IPVS_OPT_SET },
	{ "tunnel-source", required_argument, NULL, IPVS_OPT_TUN_SRC },
	{ "mh-size", required_argument, NULL, IPVS_OPT_MH_SIZE },
	{ "mh-seed", required_argument, NULL, IPVS_OPT_SEED },
	{ "conn-max", required_argument, NULL, IPVS_OPT_CONN_MAX },
	{ "stats", no_argument, NULL, IPVS_OPT_STATS },
	{ "rate", no_argument, NULL, IPVS_OPT_RATE },
	{ "expire-nodest", required_argument, NULL, IPVS_OPT_EXPIRE_NODEST },
};

const int ipvs_n_long_opts = sizeof(ipvs_long_opts) / sizeof(ipvs_long_opts[0]);

int ipvs_is_option(int c)
{
	return (c < 256 && c > 0 && strchr(IPVS_SHORT_OPTS, c) && c != ':') ||
	       (c >= IPVS_OPT_BASE && c <= IPVS_OPT_EXPIRE_NODEST);
}

int ipvs_have_command(void)
{
	return a.cmd != 0;
}

static int usage(const char *what, const char *arg)
{
	fprintf(stderr, "sluiceadm: %s%s%s%s\n", what, arg ? " '" : "",
		arg ? arg : "", arg ? "'" : "");
	return EXIT_USAGE;
}

static int number(const char *opt, const char *s, unsigned long max,
		  uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (!*s || *end || errno || v > max || s[0] == '-') {
		fprintf(stderr,
			"sluiceadm: %s '%s': want a number from 0 to %lu\n",
			opt, s, max);
		return EXIT_USAGE;
	}
	*out = v;
	return 0;
}

/* "addr[:port]" or "[v6addr][:port]"; @need_port: the port is required. */
static int endpoint(const char *opt, const char *s, uint16_t *af, uint8_t *addr,
		    uint16_t *port, int need_port)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *p = NULL;
	uint32_t v;
	size_t n;

	memset(addr, 0, SLUICE_ADDR_LEN);
	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (!close || (close[1] && close[1] != ':'))
			goto bad;
		n = close - s - 1;
		p = close[1] ? close + 2 : NULL;
		s++;
	} else {
		p = strrchr(s, ':');
		if (p && strchr(s, ':') != p)
			p = NULL; /* a bare IPv6 address */
		n = p ? (size_t)(p - s) : strlen(s);
		if (p)
			p++;
	}
	if (n >= sizeof(host))
		goto bad;
	memcpy(host, s, n);
	host[n] = '\0';
	if (inet_pton(AF_INET, host, addr) == 1)
		*af = AF_INET;
	else if (inet_pton(AF_INET6, host, addr) == 1)
		*af = AF_INET6;
	else
		goto bad;
	*port = 0;
	if (p) {
		if (number(opt, p, 65535, &v))
			return EXIT_USAGE;
		*port = v;
	} else if (need_port) {
		fprintf(stderr, "sluiceadm: %s '%s': want ADDRESS:PORT\n", opt,
			s);
		return EXIT_USAGE;
	}
	return 0;
bad:
	fprintf(stderr, "sluiceadm: %s '%s': want ADDRESS:PORT ([IPv6]:PORT)\n",
		opt, s);
	return EXIT_USAGE;
}

static int set_cmd(int c)
{
	if (a.cmd) {
		fprintf(stderr,
			"sluiceadm: only one command at a time ('%c' after '%c')\n",
			c < 256 ? c : '-', a.cmd < 256 ? a.cmd : '-');
		return EXIT_USAGE;
	}
	a.cmd = c;
	return 0;
}

int ipvs_option(int c, const char *arg)
{
	uint32_t v;

	switch (c) {
	case 'A':
	case 'E':
	case 'D':
	case 'C':
	case 'a':
	case 'e':
	case 'd':
	case 'L':
	case 'l':
	case 'Z':
	case IPVS_OPT_SET:
		return set_cmd(c == 'l' ? 'L' : c);
	case 'n':
		a.numeric = 1;
		return 0;
	case 'c':
		a.conns = 1;
		return 0;
	case IPVS_OPT_STATS:
	case IPVS_OPT_RATE:
		a.format = c;
		return 0;
	case '6':
		a.v6 = 1;
		return 0;
	case 't':
	case 'u':
		if (a.have_svc)
			return usage("more than one service given:", arg);
		a.have_svc = 1;
		a.svc.proto = c == 't' ? IPPROTO_TCP : IPPROTO_UDP;
		return endpoint(c == 't' ? "-t" : "-u", arg, &a.svc.af,
				a.svc.addr, &a.svc.port, 1);
	case 'f':
		if (a.have_svc)
			return usage("more than one service given:", arg);
		a.have_svc = 1;
		if (number("-f", arg, UINT32_MAX, &a.svc.fwmark))
			return EXIT_USAGE;
		if (!a.svc.fwmark)
			return usage("-f: the firewall mark cannot be", arg);
		return 0;
	case 's':
		if (strlen(arg) >= sizeof(a.svc.sched))
			return usage("-s: no such scheduler:", arg);
		strcpy(a.svc.sched, arg);
		a.svc.present |= SLUICE_HAS(SLUICE_SVC_A_SCHED_NAME);
		return 0;
	case 'p':
		a.svc.timeout = 360;
		if (arg &&
		    number("-p", arg, SLUICE_TIMEOUT_MAX, &a.svc.timeout))
			return EXIT_USAGE;
		a.svc.present |= SLUICE_HAS(SLUICE_SVC_A_TIMEOUT);
		return 0;
	case 'M': {
		struct in_addr m;

		if (inet_pton(AF_INET, arg, &m) == 1) {
			uint32_t h = ntohl(m.s_addr);

			v = __builtin_popcount(h);
			if (h != (v ? ~0U << (32 - v) : 0))
				return usage("-M: not a contiguous netmask:",
					     arg);
		} else if (number("-M", arg, 128, &v)) {
			return EXIT_USAGE;
		}
		a.svc.persist_plen = v;
		a.svc.present |= SLUICE_HAS(SLUICE_SVC_A_PERSIST_PLEN);
		return 0;
	}
	case 'b':
		if (!strcmp(arg, "mh-fallback") ||
		    !strcmp(arg, "sh-fallback")) {
			a.svc.sched_flags |= SLUICE_SCHED_F_FALLBACK;
		} else if (!strcmp(arg, "mh-port") || !strcmp(arg, "sh-port")) {
			a.svc.hash_fields = SLUICE_HASH_SRC_ADDR |
					    SLUICE_HASH_SRC_PORT;
			a.svc.present |= SLUICE_HAS(SLUICE_SVC_A_HASH_FIELDS);
			return 0;
		} else {
			return usage(
				"-b: unknown scheduler flag (want mh-fallback, mh-port):",
				arg);
		}
		a.svc.present |= SLUICE_HAS(SLUICE_SVC_A_SCHED_FLAGS);
		return 0;
	case IPVS_OPT_MH_SIZE:
		if (number("--mh-size", arg, SLUICE_MH_SIZE_MAX,
			   &a.svc.mh_size))
			return EXIT_USAGE;
		a.svc.present |= SLUICE_HAS(SLUICE_SVC_A_MH_SIZE);
		return 0;
	case 'r':
		a.have_dest = 1;
		a.dest_arg = arg;
		return endpoint("-r", arg, &a.dest.af, a.dest.addr,
				&a.dest.port, 0);
	case 'w':
		if (number("-w", arg, SLUICE_WEIGHT_MAX, &a.dest.weight))
			return EXIT_USAGE;
		a.dest.present |= SLUICE_HAS(SLUICE_DEST_A_WEIGHT);
		return 0;
	case 'x':
	case 'y':
		if (number(c == 'x' ? "-x" : "-y", arg, UINT32_MAX, &v))
			return EXIT_USAGE;
		if (c == 'x')
			a.dest.u_thresh = v;
		else
			a.dest.l_thresh = v;
		a.dest.present |= SLUICE_HAS(c == 'x' ? SLUICE_DEST_A_U_THRESH :
							SLUICE_DEST_A_L_THRESH);
		return 0;
	case 'i':
		a.dest.fwd = SLUICE_FWD_TUNNEL;
		a.dest.present |= SLUICE_HAS(SLUICE_DEST_A_FWD_METHOD);
		return 0;
	case 'g':
		return usage(
			"-g (direct routing) is not supported yet: use -i (IP-in-IP)",
			NULL);
	case 'm':
		return usage(
			"-m (masquerading) is not supported yet: use -i (IP-in-IP)",
			NULL);
	case IPVS_OPT_TUN_SRC: {
		struct sluice_prefix pf;
		char err[256];

		if (sluice_prefix_parse(arg, &pf, err, sizeof(err)))
			return usage(err, NULL);
		if (pf.family == AF_INET) {
			memcpy(a.cfg.tun_src4, pf.addr, 4);
			a.cfg.tun_src4_plen = pf.len;
			a.cfg.present |= SLUICE_HAS(SLUICE_CFG_A_TUN_SRC4) |
					 SLUICE_HAS(SLUICE_CFG_A_TUN_SRC4_PLEN);
		} else {
			memcpy(a.cfg.tun_src6, pf.addr, 16);
			a.cfg.tun_src6_plen = pf.len;
			a.cfg.present |= SLUICE_HAS(SLUICE_CFG_A_TUN_SRC6) |
					 SLUICE_HAS(SLUICE_CFG_A_TUN_SRC6_PLEN);
		}
		/* One for each family may be given. */
		return a.cmd == IPVS_OPT_TUN_SRC ? 0 :
						   set_cmd(IPVS_OPT_TUN_SRC);
	}
	case IPVS_OPT_EXPIRE_NODEST:
		if (number("--expire-nodest", arg, 1, &v))
			return EXIT_USAGE;
		a.cfg.expire_nodest = v;
		a.cfg.present |= SLUICE_HAS(SLUICE_CFG_A_EXPIRE_NODEST);
		return set_cmd(IPVS_OPT_EXPIRE_NODEST);
	case IPVS_OPT_CONN_MAX:
		if (number("--conn-max", arg, SLUICE_CONN_MAX_MAX,
			   &a.cfg.conn_max))
			return EXIT_USAGE;
		a.cfg.present |= SLUICE_HAS(SLUICE_CFG_A_CONN_MAX);
		return set_cmd(IPVS_OPT_CONN_MAX);
	case IPVS_OPT_SEED: {
		char *end;

		errno = 0;
		a.cfg.mh_seed = strtoull(arg, &end, 0);
		if (!*arg || *end || errno)
			return usage("--mh-seed: want a number:", arg);
		a.cfg.present |= SLUICE_HAS(SLUICE_CFG_A_MH_SEED);
		return set_cmd(IPVS_OPT_SEED);
	}
	}
	return usage("unknown option", NULL);
}

/* ---- running ---- */

static void addr_str(uint16_t af, const uint8_t *addr, uint16_t port, char *buf,
		     size_t len)
{
	char host[INET6_ADDRSTRLEN];

	inet_ntop(af, addr, host, sizeof(host));
	if (af == AF_INET6)
		snprintf(buf, len, "[%s]:%u", host, port);
	else
		snprintf(buf, len, "%s:%u", host, port);
}

static int kernel_error(struct sluice_nl *nl, int err)
{
	fprintf(stderr, "sluiceadm: %s\n", sluice_nl_strerror(nl, err));
	return EXIT_FAILURE;
}

/* The five numbers of --stats or --rate (out* are 0: replies bypass us). */
static void print_numbers(const struct sluice_stats *st)
{
	const uint64_t *v =
		a.format == IPVS_OPT_RATE ?
			(const uint64_t[]){ st->cps, st->inpps, st->outpps,
					    st->inbps, st->outbps } :
			(const uint64_t[]){ st->conns, st->inpkts, st->outpkts,
					    st->inbytes, st->outbytes };
	int i;

	for (i = 0; i < 5; i++)
		printf(" %8llu", (unsigned long long)v[i]);
	printf("\n");
}

static int print_dest(const struct sluice_dest *d, void *arg)
{
	char buf[64];

	(void)arg;
	addr_str(d->af, d->addr, d->port, buf, sizeof(buf));
	if (a.format) {
		printf("  -> %-28s", buf);
		print_numbers(&d->stats);
		return 0;
	}
	printf("  -> %-28s %-7s %-6u %-10u %-10u\n", buf, "Tunnel", d->weight,
	       d->activeconns, d->inactconns);
	return 0;
}

static void print_svc(const struct sluice_svc *s)
{
	static const char *const proto[] = {
		[IPPROTO_TCP] = "TCP", [IPPROTO_UDP] = "UDP"
	};
	char buf[64], name[80];

	if (a.format) {
		if (s->fwmark) {
			snprintf(name, sizeof(name), "FWM  %u", s->fwmark);
		} else {
			addr_str(s->af, s->addr, s->port, buf, sizeof(buf));
			snprintf(name, sizeof(name), "%s  %s", proto[s->proto],
				 buf);
		}
		printf("%-33s", name);
		print_numbers(&s->stats);
		return;
	}
	if (s->fwmark) {
		printf("FWM  %u %s%s", s->fwmark,
		       s->af == AF_INET6 ? "IPv6 " : "", s->sched);
	} else {
		addr_str(s->af, s->addr, s->port, buf, sizeof(buf));
		printf("%s  %s %s", proto[s->proto], buf, s->sched);
	}
	if (s->sched_flags & SLUICE_SCHED_F_FALLBACK)
		printf(" (%s-fallback)", s->sched);
	if (s->timeout) {
		printf(" persistent %u", s->timeout);
		if (s->persist_plen != (s->af == AF_INET ? 32 : 128))
			printf(" mask %u", s->persist_plen);
	}
	if (s->flags & SLUICE_SVC_F_ONEPACKET)
		printf(" ops");
	printf("\n");
}

static int print_conn(const struct sluice_conn *c, void *arg)
{
	static const char *const state[] = { "SYN_RECV", "ESTABLISHED",
					     "FIN_WAIT", "UDP", "NONE" };
	char src[64], vip[64], dst[64];
	unsigned int secs = c->expires_ms / 1000;

	(void)arg;
	addr_str(c->af, c->caddr, c->cport, src, sizeof(src));
	addr_str(c->af, c->vaddr, c->vport, vip, sizeof(vip));
	addr_str(c->daf, c->daddr, c->dport, dst, sizeof(dst));
	printf("%-3s %02u:%02u  %-11s %-18s %-18s %s\n",
	       c->proto == IPPROTO_TCP ? "TCP" :
	       c->proto == IPPROTO_UDP ? "UDP" :
					 "IP",
	       secs / 60, secs % 60, c->state < 5 ? state[c->state] : "?", src,
	       vip, dst);
	return 0;
}

static int list_conns(struct sluice_nl *nl)
{
	int err;

	printf("sluice connection entries\n");
	printf("pro expire state       source             virtual            destination\n");
	err = sluice_conn_list(nl, print_conn, NULL);
	return err ? kernel_error(nl, err) : EXIT_SUCCESS;
}

static int list(struct sluice_nl *nl)
{
	struct sluice_svc_array l = { 0 };
	struct sluice_info info;
	size_t i;
	int err;

	if (a.have_svc) {
		struct sluice_svc s;

		err = sluice_svc_get(nl, &a.svc, &s);
		if (!err)
			err = sluice_svc_array_add(&s, &l);
	} else {
		err = sluice_svc_list(nl, sluice_svc_array_add, &l);
	}
	if (!err)
		err = sluice_get_info(nl, &info);
	if (err) {
		free(l.v);
		return kernel_error(nl, err);
	}
	printf("sluice version %s (services=%u)\n", info.version,
	       info.services);
	if (a.format == IPVS_OPT_STATS)
		printf("Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n"
		       "  -> RemoteAddress:Port\n");
	else if (a.format == IPVS_OPT_RATE)
		printf("Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS\n"
		       "  -> RemoteAddress:Port\n");
	else
		printf("Prot LocalAddress:Port Scheduler Flags\n"
		       "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n");
	for (i = 0; i < l.n; i++) {
		print_svc(&l.v[i]);
		err = sluice_dest_list(nl, &l.v[i], print_dest, NULL);
		if (err)
			break;
	}
	free(l.v);
	return err ? kernel_error(nl, err) : EXIT_SUCCESS;
}

static int set_timeouts(struct sluice_nl *nl, char **argv)
{
	static const int attr[] = { SLUICE_CFG_A_TIMEOUT_TCP,
				    SLUICE_CFG_A_TIMEOUT_TCP_FIN,
				    SLUICE_CFG_A_TIMEOUT_UDP };
	uint32_t *field[] = { &a.cfg.timeout_tcp, &a.cfg.timeout_tcp_fin,
			      &a.cfg.timeout_udp };
	int i;

	for (i = 0; i < 3; i++) {
		if (number("--set", argv[i], SLUICE_TIMEOUT_MAX, field[i]))
			return EXIT_USAGE;
		if (*field[i])
			a.cfg.present |= SLUICE_HAS(attr[i]);
	}
	i = sluice_cfg_set(nl, &a.cfg);
	return i ? kernel_error(nl, i) : EXIT_SUCCESS;
}

int ipvs_run(int argc, char **argv)
{
	struct sluice_nl nl;
	int err, need_svc = strchr("AEDaed", a.cmd) != NULL && a.cmd < 256;

	if (a.cmd != IPVS_OPT_SET && argc)
		return usage("unexpected argument", argv[0]);
	if (a.cmd == IPVS_OPT_SET && argc != 3)
		return usage(
			"--set wants three values: tcp tcpfin udp (seconds, 0 = unchanged)",
			NULL);
	if (need_svc && !a.have_svc)
		return usage("the command needs a service (-t, -u or -f)",
			     NULL);
	if (a.cmd < 256 && strchr("aed", a.cmd) && !a.have_dest)
		return usage("the command needs a real server (-r)", NULL);
	if (a.have_dest && !(a.cmd < 256 && strchr("aed", a.cmd)))
		return usage("-r goes with -a, -e or -d", a.dest_arg);
	if (a.conns && a.cmd != 'L')
		return usage("-c goes with -L", NULL);
	if (a.format && a.cmd != 'L')
		return usage(a.format == IPVS_OPT_STATS ?
				     "--stats goes with -L" :
				     "--rate goes with -L",
			     NULL);
	if (a.svc.fwmark)
		a.svc.af = a.v6 ? AF_INET6 : AF_INET;
	if (a.have_dest && !a.dest.port && !a.svc.fwmark)
		a.dest.port = a.svc.port;
	if (a.cmd == 'a') {
		if (!(a.dest.present & SLUICE_HAS(SLUICE_DEST_A_WEIGHT))) {
			a.dest.weight = 1;
			a.dest.present |= SLUICE_HAS(SLUICE_DEST_A_WEIGHT);
		}
		a.dest.fwd = SLUICE_FWD_TUNNEL;
		a.dest.present |= SLUICE_HAS(SLUICE_DEST_A_FWD_METHOD);
	}

	err = sluice_nl_open(&nl);
	if (err)
		return kernel_error(&nl, err);
	switch (a.cmd) {
	case 'A':
		err = sluice_svc_cmd(&nl, SLUICE_CMD_NEW_SERVICE, &a.svc);
		break;
	case 'E':
		err = sluice_svc_cmd(&nl, SLUICE_CMD_SET_SERVICE, &a.svc);
		break;
	case 'D':
		err = sluice_svc_cmd(&nl, SLUICE_CMD_DEL_SERVICE, &a.svc);
		break;
	case 'C':
		err = sluice_flush(&nl);
		break;
	case 'a':
		err = sluice_dest_cmd(&nl, SLUICE_CMD_NEW_DEST, &a.svc,
				      &a.dest);
		break;
	case 'e':
		err = sluice_dest_cmd(&nl, SLUICE_CMD_SET_DEST, &a.svc,
				      &a.dest);
		break;
	case 'd':
		err = sluice_dest_cmd(&nl, SLUICE_CMD_DEL_DEST, &a.svc,
				      &a.dest);
		break;
	case 'Z':
		err = sluice_zero(&nl, a.have_svc ? &a.svc : NULL);
		break;
	case 'L':
		err = a.conns ? list_conns(&nl) : list(&nl);
		sluice_nl_close(&nl);
		return err;
	case IPVS_OPT_SET:
		err = set_timeouts(&nl, argv);
		sluice_nl_close(&nl);
		return err;
	default: /* --tunnel-source, --mh-seed, --conn-max, --expire-nodest */
		err = sluice_cfg_set(&nl, &a.cfg);
		break;
	}
	if (err)
		err = kernel_error(&nl, err);
	sluice_nl_close(&nl);
	return err;
}
