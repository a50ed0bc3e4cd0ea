// SPDX-License-Identifier: GPL-2.0
/*
 * ipvsadm's grammar (see parse.h). Error messages follow ipvsadm's wording
 * and always name the option or value at fault; option combinations are
 * checked against ipvsadm's own matrix ("Illegal 'weight' option with the
 * 'add-service' command"), extended by sluice's options.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "parse.h"
#include "prefix.h"

const char *const adm_cmd_names[ADM_NCMDS] = {
	[ADM_NONE] = "none",
	[ADM_ADD] = "add-service",
	[ADM_EDIT] = "edit-service",
	[ADM_DEL] = "delete-service",
	[ADM_FLUSH] = "flush",
	[ADM_LIST] = "list",
	[ADM_ADDDEST] = "add-server",
	[ADM_DELDEST] = "delete-server",
	[ADM_EDITDEST] = "edit-server",
	[ADM_TIMEOUT] = "set",
	[ADM_RESTORE] = "restore",
	[ADM_SAVE] = "save",
	[ADM_ZERO] = "zero",
	[ADM_CONFIG] = "config",
	[ADM_MONITOR] = "monitor",
	[ADM_HELP] = "help",
	[ADM_VERSION] = "version",
};

const char *const adm_opt_names[ADM_NOPTS] = {
	[ADM_O_NUMERIC] = "numeric",
	[ADM_O_CONNECTION] = "connection",
	[ADM_O_SERVICE] = "service-address",
	[ADM_O_SCHEDULER] = "scheduler",
	[ADM_O_PERSISTENT] = "persistent",
	[ADM_O_NETMASK] = "netmask",
	[ADM_O_SERVER] = "real-server",
	[ADM_O_FORWARD] = "forwarding-method",
	[ADM_O_WEIGHT] = "weight",
	[ADM_O_UTHRESHOLD] = "u-threshold",
	[ADM_O_LTHRESHOLD] = "l-threshold",
	[ADM_O_TIMEOUT] = "timeout",
	[ADM_O_STATS] = "stats",
	[ADM_O_RATE] = "rate",
	[ADM_O_THRESHOLDS] = "thresholds",
	[ADM_O_PERSISTENTCONN] = "persistent-conn",
	[ADM_O_NOSORT] = "nosort",
	[ADM_O_EXACT] = "exact",
	[ADM_O_ONEPACKET] = "ops",
	[ADM_O_SCHED_FLAGS] = "sched-flags",
	[ADM_O_TUN_TYPE] = "tun-type",
	[ADM_O_TUN_INFO] = "tun-info",
	[ADM_O_JSON] = "json",
	[ADM_O_MH_SIZE] = "mh-size",
	[ADM_O_TUN_SRC] = "tunnel-source",
	[ADM_O_MH_SEED] = "mh-seed",
	[ADM_O_CONN_MAX] = "conn-max",
	[ADM_O_EXPIRE_NODEST] = "expire-nodest",
};

/*
 * Legal combinations, one row per command, one column per enum adm_opt:
 * '+' required, 'x' illegal, '1' at most one of the '1's, ' ' optional.
 * The first 18 columns and the rows up to "zero" are ipvsadm 1.31's.
 */
static const char matrix[ADM_NCMDS][ADM_NOPTS + 1] = {
	/*               n  c  svc s  p  M  r  fwd w  x  y  tot st rt thr pc srt ex ops b tun tin jsn mhs tsr sd cm en */
	[ADM_ADD] = "xx+   xxxxxxxxxxxx  xxx xxxx",
	[ADM_EDIT] = "xx+   xxxxxxxxxxxx  xxx xxxx",
	[ADM_DEL] = "xx+xxxxxxxxxxxxxxxxxxxxxxxxx",
	[ADM_FLUSH] = "xxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	[ADM_LIST] = " 11xxxxxxxx1      xxx  xxxxx",
	[ADM_ADDDEST] = "xx+xxx+    xxxxxxxxx xxxxxxx",
	[ADM_DELDEST] = "xx+xxx+xxxxxxxxxxxxxxxxxxxxx",
	[ADM_EDITDEST] = "xx+xxx+    xxxxxxxxx xxxxxxx",
	[ADM_TIMEOUT] = "xxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	[ADM_RESTORE] = "xxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	[ADM_SAVE] = " xxxxxxxxxxxxxxxxxxxxxxxxxxx",
	[ADM_ZERO] = "xx xxxxxxxxxxxxxxxxxxxxxxxxx",
	[ADM_CONFIG] = "xxxxxxxxxxxxxxxxxxxxxxxx    ",
	[ADM_MONITOR] = " xxxxxxxxxxxxxxxxxxxxx xxxxx",
	[ADM_HELP] = "xxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	[ADM_VERSION] = "xxxxxxxxxxxxxxxxxxxxxxxxxxxx",
};

/* getopt values of long options without a short form. */
enum {
	L_SET = 256,
	L_TIMEOUT,
	L_STATS,
	L_RATE,
	L_THRESHOLDS,
	L_PERSISTENTCONN,
	L_NOSORT,
	L_SORT,
	L_EXACT,
	L_TUN_TYPE,
	L_TUN_INFO,
	L_JSON,
	L_MONITOR,
	L_MH_SIZE,
	L_TUN_SRC,
	L_MH_SEED,
	L_CONN_MAX,
	L_EXPIRE_NODEST,
	L_UNSUPPORTED, /* ipvsadm options sluice has no use for */
};

const struct option adm_long_opts[] = {
	{ "add-service", no_argument, NULL, 'A' },
	{ "edit-service", no_argument, NULL, 'E' },
	{ "delete-service", no_argument, NULL, 'D' },
	{ "clear", no_argument, NULL, 'C' },
	{ "restore", no_argument, NULL, 'R' },
	{ "save", no_argument, NULL, 'S' },
	{ "add-server", no_argument, NULL, 'a' },
	{ "edit-server", no_argument, NULL, 'e' },
	{ "delete-server", no_argument, NULL, 'd' },
	{ "list", no_argument, NULL, 'L' },
	{ "zero", no_argument, NULL, 'Z' },
	{ "set", no_argument, NULL, L_SET },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'v' },
	{ "monitor", no_argument, NULL, L_MONITOR },
	{ "tcp-service", required_argument, NULL, 't' },
	{ "udp-service", required_argument, NULL, 'u' },
	{ "fwmark-service", required_argument, NULL, 'f' },
	{ "ipv6", no_argument, NULL, '6' },
	{ "scheduler", required_argument, NULL, 's' },
	{ "persistent", optional_argument, NULL, 'p' },
	{ "netmask", required_argument, NULL, 'M' },
	{ "real-server", required_argument, NULL, 'r' },
	{ "ipip", no_argument, NULL, 'i' },
	{ "gatewaying", no_argument, NULL, 'g' },
	{ "masquerading", no_argument, NULL, 'm' },
	{ "weight", required_argument, NULL, 'w' },
	{ "u-threshold", required_argument, NULL, 'x' },
	{ "l-threshold", required_argument, NULL, 'y' },
	{ "sched-flags", required_argument, NULL, 'b' },
	{ "ops", no_argument, NULL, 'o' },
	{ "numeric", no_argument, NULL, 'n' },
	{ "connection", no_argument, NULL, 'c' },
	{ "timeout", no_argument, NULL, L_TIMEOUT },
	{ "stats", no_argument, NULL, L_STATS },
	{ "rate", no_argument, NULL, L_RATE },
	{ "thresholds", no_argument, NULL, L_THRESHOLDS },
	{ "persistent-conn", no_argument, NULL, L_PERSISTENTCONN },
	{ "nosort", no_argument, NULL, L_NOSORT },
	{ "sort", no_argument, NULL, L_SORT },
	{ "exact", no_argument, NULL, L_EXACT },
	{ "tun-type", required_argument, NULL, L_TUN_TYPE },
	{ "tun-info", no_argument, NULL, L_TUN_INFO },
	{ "json", no_argument, NULL, L_JSON },
	{ "mh-size", required_argument, NULL, L_MH_SIZE },
	{ "tunnel-source", required_argument, NULL, L_TUN_SRC },
	{ "mh-seed", required_argument, NULL, L_MH_SEED },
	{ "conn-max", required_argument, NULL, L_CONN_MAX },
	{ "expire-nodest", required_argument, NULL, L_EXPIRE_NODEST },
	{ "sctp-service", required_argument, NULL, L_UNSUPPORTED },
	{ "start-daemon", required_argument, NULL, L_UNSUPPORTED },
	{ "stop-daemon", required_argument, NULL, L_UNSUPPORTED },
	{ "daemon", no_argument, NULL, L_UNSUPPORTED },
	{ "mcast-interface", required_argument, NULL, L_UNSUPPORTED },
	{ "syncid", required_argument, NULL, L_UNSUPPORTED },
	{ "pe", required_argument, NULL, L_UNSUPPORTED },
	{ "tun-port", required_argument, NULL, L_UNSUPPORTED },
	{ "tun-nocsum", no_argument, NULL, L_UNSUPPORTED },
	{ "tun-csum", no_argument, NULL, L_UNSUPPORTED },
	{ "tun-remcsum", no_argument, NULL, L_UNSUPPORTED },
	{ NULL, 0, NULL, 0 }
};

#define SHORT_OPTS ":AEDCRSaedLlZhvnc6t:u:f:s:p::M:r:igmw:x:y:b:oq:"

/* ipvsadm's limit for timeouts (31 days), capped by the module's. */
#define ADM_TIMEOUT_MAX \
	(SLUICE_TIMEOUT_MAX < 86400 * 31 ? SLUICE_TIMEOUT_MAX : 86400 * 31)

struct parser {
	struct adm_cmd *c;
	char *err;
	size_t errlen;
	const char *netmask; /* -M, resolved once the family is known */
	int v6; /* -6 */
	int dest_port_given;
	const char *flags_arg; /* -b, checked against the scheduler */
};

static int fail(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err, p->errlen, fmt, ap);
	va_end(ap);
	return EXIT_USAGE;
}

/* A decimal number in [min, max], nothing else. */
static int number(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	if (!*s || (*s != '-' && (*s < '0' || *s > '9')))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end || errno || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int set_command(struct parser *p, enum adm_cmdid cmd, const char *opt)
{
	if (p->c->cmd != ADM_NONE)
		return fail(p, "multiple commands specified ('%s')", opt);
	p->c->cmd = cmd;
	return 0;
}

static int set_option(struct parser *p, enum adm_opt o)
{
	if (p->c->options & ADM_HAS(o))
		return fail(p, "multiple '%s' options specified",
			    adm_opt_names[o]);
	p->c->options |= ADM_HAS(o);
	return 0;
}

/*
 * host[:port], [IPv6][:port] or a bare IPv6 address; a host may be a name
 * (IPv4, as ipvsadm), a port a service name of @proto. Returns 0 with
 * *@has_port set, or -1.
 */
static int host_port(const char *s, uint8_t proto, uint16_t *af, uint8_t *addr,
		     uint16_t *port, int *has_port)
{
	char host[256];
	const char *ps = NULL;
	int bracket = s[0] == '[';
	size_t n;

	memset(addr, 0, SLUICE_ADDR_LEN);
	*has_port = 0;
	if (bracket) {
		const char *close = strchr(s, ']');

		if (!close || (close[1] && close[1] != ':'))
			return -1;
		n = close - s - 1;
		ps = close[1] ? close + 2 : NULL;
		s++;
	} else if (inet_pton(AF_INET6, s, addr) == 1) {
		*af = AF_INET6;
		*port = 0;
		return 0;
	} else {
		ps = strrchr(s, ':');
		n = ps ? (size_t)(ps - s) : strlen(s);
		if (ps)
			ps++;
	}
	if (!n || n >= sizeof(host))
		return -1;
	memcpy(host, s, n);
	host[n] = '\0';
	if (inet_pton(AF_INET, host, addr) == 1) {
		*af = AF_INET;
	} else if (bracket && inet_pton(AF_INET6, host, addr) == 1) {
		*af = AF_INET6;
	} else {
		struct addrinfo hints = { .ai_family = AF_INET }, *ai;

		if (strspn(host, "0123456789.") == n ||
		    getaddrinfo(host, NULL, &hints, &ai))
			return -1;
		memcpy(addr, &((struct sockaddr_in *)ai->ai_addr)->sin_addr, 4);
		freeaddrinfo(ai);
		*af = AF_INET;
	}
	*port = 0;
	if (ps) {
		long long v;

		*has_port = 1;
		if (!number(ps, 0, 65535, &v)) {
			*port = v;
		} else {
			struct servent *se = getservbyname(
				ps, proto == IPPROTO_UDP ? "udp" : "tcp");

			if (!se || !*ps)
				return -1;
			*port = ntohs(se->s_port);
		}
	}
	return 0;
}

static int service(struct parser *p, int c, const char *arg)
{
	struct sluice_svc *s = &p->c->svc;
	int has_port;

	if (set_option(p, ADM_O_SERVICE))
		return EXIT_USAGE;
	if (c == 'f') {
		long long v;

		if (number(arg, 1, UINT32_MAX, &v))
			return fail(p, "invalid fwmark value `%s' specified",
				    arg);
		s->fwmark = v;
		return 0;
	}
	s->proto = c == 't' ? IPPROTO_TCP : IPPROTO_UDP;
	if (host_port(arg, s->proto, &s->af, s->addr, &s->port, &has_port))
		return fail(
			p,
			"illegal virtual server address[:port] specified: '%s'",
			arg);
	return 0;
}

static int sched_flags(struct parser *p, const char *arg)
{
	char buf[128], *save = NULL, *f;

	if (strlen(arg) >= sizeof(buf))
		return fail(p, "invalid scheduler flag `%s'", arg);
	strcpy(buf, arg);
	for (f = strtok_r(buf, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
		const char *name = f;

		if (!strncmp(f, "mh-", 3) || !strncmp(f, "sh-", 3))
			name = f + 3;
		else if (!strncmp(f, "flag-", 5))
			name = f + 5;
		if (!strcmp(name, "fallback") || !strcmp(name, "1"))
			p->c->svc.sched_flags |= SLUICE_SCHED_F_FALLBACK;
		else if (!strcmp(name, "port") || !strcmp(name, "2"))
			p->c->svc.hash_fields = SLUICE_HASH_SRC_ADDR |
						SLUICE_HASH_SRC_PORT;
		else
			return fail(p, "invalid scheduler flag `%s'", f);
	}
	p->flags_arg = arg;
	return 0;
}

static int tunnel_source(struct parser *p, const char *arg)
{
	struct sluice_cfg *cfg = &p->c->cfg;
	struct sluice_prefix pf;
	char msg[200];

	if (sluice_prefix_parse(arg, &pf, msg, sizeof(msg)))
		return fail(p, "--tunnel-source: %s", msg);
	if (pf.family == AF_INET) {
		memcpy(cfg->tun_src4, pf.addr, 4);
		cfg->tun_src4_plen = pf.len;
		cfg->present |= SLUICE_HAS(SLUICE_CFG_A_TUN_SRC4) |
				SLUICE_HAS(SLUICE_CFG_A_TUN_SRC4_PLEN);
	} else {
		memcpy(cfg->tun_src6, pf.addr, 16);
		cfg->tun_src6_plen = pf.len;
		cfg->present |= SLUICE_HAS(SLUICE_CFG_A_TUN_SRC6) |
				SLUICE_HAS(SLUICE_CFG_A_TUN_SRC6_PLEN);
	}
	/* One prefix per family: the option may come twice. */
	p->c->options |= ADM_HAS(ADM_O_TUN_SRC);
	return 0;
}

/* A numeric option in [min, max] into *out, named @name in errors. */
static int numeric_opt(struct parser *p, enum adm_opt o, const char *what,
		       const char *arg, long long min, long long max,
		       uint32_t *out)
{
	long long v;

	if (set_option(p, o))
		return EXIT_USAGE;
	if (number(arg, min, max, &v))
		return fail(p, "illegal %s specified: '%s' (want %lld..%lld)",
			    what, arg, min, max);
	*out = v;
	return 0;
}

static int option(struct parser *p, int c, const char *arg, const char *word)
{
	struct adm_cmd *cmd = p->c;
	struct sluice_svc *s = &cmd->svc;
	struct sluice_dest *d = &cmd->dest;
	long long v;

	switch (c) {
	case 'A':
		return set_command(p, ADM_ADD, word);
	case 'E':
		return set_command(p, ADM_EDIT, word);
	case 'D':
		return set_command(p, ADM_DEL, word);
	case 'C':
		return set_command(p, ADM_FLUSH, word);
	case 'R':
		return set_command(p, ADM_RESTORE, word);
	case 'S':
		return set_command(p, ADM_SAVE, word);
	case 'a':
		return set_command(p, ADM_ADDDEST, word);
	case 'e':
		return set_command(p, ADM_EDITDEST, word);
	case 'd':
		return set_command(p, ADM_DELDEST, word);
	case 'L':
	case 'l':
		return set_command(p, ADM_LIST, word);
	case 'Z':
		return set_command(p, ADM_ZERO, word);
	case L_SET:
		return set_command(p, ADM_TIMEOUT, word);
	case L_MONITOR:
		return set_command(p, ADM_MONITOR, word);
	case 'h':
		return set_command(p, ADM_HELP, word);
	case 'v':
		return set_command(p, ADM_VERSION, word);
	case 't':
	case 'u':
	case 'f':
		return service(p, c, arg);
	case '6':
		p->v6 = 1;
		return 0;
	case 's':
		if (set_option(p, ADM_O_SCHEDULER))
			return EXIT_USAGE;
		if (!*arg || strlen(arg) >= sizeof(s->sched))
			return fail(p, "illegal scheduler name specified: '%s'",
				    arg);
		strcpy(s->sched, arg);
		return 0;
	case 'p':
		if (set_option(p, ADM_O_PERSISTENT))
			return EXIT_USAGE;
		s->timeout = 360;
		if (arg && number(arg, 1, ADM_TIMEOUT_MAX, &v))
			return fail(
				p,
				"invalid timeout value `%s' specified (want 1..%d)",
				arg, ADM_TIMEOUT_MAX);
		if (arg)
			s->timeout = v;
		return 0;
	case 'M':
		if (set_option(p, ADM_O_NETMASK))
			return EXIT_USAGE;
		p->netmask = arg;
		return 0;
	case 'b':
		if (set_option(p, ADM_O_SCHED_FLAGS))
			return EXIT_USAGE;
		return sched_flags(p, arg);
	case 'o':
		return set_option(p, ADM_O_ONEPACKET);
	case L_MH_SIZE:
		return numeric_opt(p, ADM_O_MH_SIZE, "Maglev table size", arg,
				   SLUICE_MH_SIZE_MIN, SLUICE_MH_SIZE_MAX,
				   &s->mh_size);
	case 'r': {
		int has_port;

		if (set_option(p, ADM_O_SERVER))
			return EXIT_USAGE;
		if (host_port(arg, s->proto, &d->af, d->addr, &d->port,
			      &has_port))
			return fail(
				p,
				"illegal real server address[:port] specified: '%s'",
				arg);
		p->dest_port_given = has_port;
		return 0;
	}
	case 'i':
		return set_option(p, ADM_O_FORWARD);
	case 'g':
		return fail(
			p,
			"'%s' (direct routing) is not supported yet: use -i (IP-in-IP)",
			word);
	case 'm':
		return fail(
			p,
			"'%s' (masquerading) is not supported yet: use -i (IP-in-IP)",
			word);
	case L_TUN_TYPE:
		if (set_option(p, ADM_O_TUN_TYPE))
			return EXIT_USAGE;
		if (!strcmp(arg, "ipip"))
			return 0;
		if (!strcmp(arg, "gue") || !strcmp(arg, "gre"))
			return fail(
				p,
				"--tun-type '%s' is not supported yet: use ipip",
				arg);
		return fail(p, "illegal tunnel type specified: '%s'", arg);
	case 'w':
		return numeric_opt(p, ADM_O_WEIGHT, "weight", arg, 0,
				   SLUICE_WEIGHT_MAX, &d->weight);
	case 'x':
		return numeric_opt(p, ADM_O_UTHRESHOLD, "u_threshold", arg, 0,
				   INT_MAX, &d->u_thresh);
	case 'y':
		return numeric_opt(p, ADM_O_LTHRESHOLD, "l_threshold", arg, 0,
				   INT_MAX, &d->l_thresh);
	case 'n':
		return set_option(p, ADM_O_NUMERIC);
	case 'c':
		return set_option(p, ADM_O_CONNECTION);
	case L_TIMEOUT:
		return set_option(p, ADM_O_TIMEOUT);
	case L_STATS:
		return set_option(p, ADM_O_STATS);
	case L_RATE:
		return set_option(p, ADM_O_RATE);
	case L_THRESHOLDS:
		return set_option(p, ADM_O_THRESHOLDS);
	case L_PERSISTENTCONN:
		return set_option(p, ADM_O_PERSISTENTCONN);
	case L_NOSORT:
		return set_option(p, ADM_O_NOSORT);
	case L_SORT:
		return 0; /* the default; ipvsadm keeps it for compatibility */
	case L_EXACT:
		return set_option(p, ADM_O_EXACT);
	case L_TUN_INFO:
		return set_option(p, ADM_O_TUN_INFO);
	case L_JSON:
		return set_option(p, ADM_O_JSON);
	case L_TUN_SRC:
		return tunnel_source(p, arg);
	case L_MH_SEED: {
		char *end;

		if (set_option(p, ADM_O_MH_SEED))
			return EXIT_USAGE;
		errno = 0;
		cmd->cfg.mh_seed = strtoull(arg, &end, 0);
		if (!*arg || *end || errno || *arg == '-')
			return fail(p, "illegal Maglev seed specified: '%s'",
				    arg);
		cmd->cfg.present |= SLUICE_HAS(SLUICE_CFG_A_MH_SEED);
		return 0;
	}
	case L_CONN_MAX:
		cmd->cfg.present |= SLUICE_HAS(SLUICE_CFG_A_CONN_MAX);
		return numeric_opt(p, ADM_O_CONN_MAX, "connection limit", arg,
				   SLUICE_CONN_MAX_MIN, SLUICE_CONN_MAX_MAX,
				   &cmd->cfg.conn_max);
	case L_EXPIRE_NODEST: {
		uint32_t e;

		cmd->cfg.present |= SLUICE_HAS(SLUICE_CFG_A_EXPIRE_NODEST);
		if (numeric_opt(p, ADM_O_EXPIRE_NODEST, "expire-nodest", arg, 0,
				1, &e))
			return EXIT_USAGE;
		cmd->cfg.expire_nodest = e;
		return 0;
	}
	case 'q':
	case L_UNSUPPORTED:
		return fail(p, "'%s' is not supported by sluice", word);
	}
	return fail(p, "unknown option '%s'", word);
}

/* ipvsadm's matrix, then its list-command conflict rule. */
static int check_matrix(struct parser *p)
{
	const char *row = matrix[p->c->cmd];
	uint32_t o = p->c->options, fmt;
	int j, first = -1;

	for (j = 0; j < ADM_NOPTS; j++) {
		if (!(o & ADM_HAS(j))) {
			if (row[j] == '+')
				return fail(
					p,
					"You need to supply the '%s' option for the '%s' command",
					adm_opt_names[j],
					adm_cmd_names[p->c->cmd]);
			continue;
		}
		if (row[j] == 'x')
			return fail(p,
				    "Illegal '%s' option with the '%s' command",
				    adm_opt_names[j], adm_cmd_names[p->c->cmd]);
		if (row[j] == '1') {
			if (first >= 0)
				return fail(
					p,
					"The option '%s' conflicts with the '%s' option in the '%s' command",
					adm_opt_names[j], adm_opt_names[first],
					adm_cmd_names[p->c->cmd]);
			first = j;
		}
	}
	fmt = ADM_HAS(ADM_O_STATS) | ADM_HAS(ADM_O_RATE) |
	      ADM_HAS(ADM_O_THRESHOLDS) | ADM_HAS(ADM_O_PERSISTENTCONN) |
	      ADM_HAS(ADM_O_TUN_INFO);
	if (p->c->cmd == ADM_LIST && (o & fmt) &&
	    (o & (ADM_HAS(ADM_O_CONNECTION) | ADM_HAS(ADM_O_TIMEOUT))))
		return fail(
			p,
			"options conflicts in the list command: --%s goes with service listings only",
			adm_opt_names[__builtin_ctz(o & fmt)]);
	return 0;
}

static int netmask(struct parser *p)
{
	struct sluice_svc *s = &p->c->svc;
	unsigned int max = s->af == AF_INET6 ? 128 : 32;
	struct in_addr m;
	long long v;

	s->persist_plen = max;
	if (!p->netmask)
		return 0;
	if (s->af == AF_INET && inet_pton(AF_INET, p->netmask, &m) == 1) {
		uint32_t h = ntohl(m.s_addr);

		v = __builtin_popcount(h);
		if (h != (v ? ~0U << (32 - v) : 0))
			return fail(
				p,
				"illegal netmask specified: '%s' (not contiguous)",
				p->netmask);
	} else if (number(p->netmask, 0, max, &v)) {
		return fail(p,
			    "illegal %s netmask specified: '%s' (want %s0..%u)",
			    s->af == AF_INET6 ? "ipv6" : "ipv4", p->netmask,
			    s->af == AF_INET6 ? "" : "a dotted mask or ", max);
	}
	if (!v) /* ipvsadm allows it; the module does not */
		return fail(
			p,
			"netmask '%s' is not supported: a persistence mask must keep at least one bit",
			p->netmask);
	s->persist_plen = v;
	return 0;
}

/* Fill in ipvsadm's defaults and its checks that need the whole line. */
static int finish(struct parser *p)
{
	struct adm_cmd *c = p->c;
	struct sluice_svc *s = &c->svc;
	struct sluice_dest *d = &c->dest;
	uint32_t o = c->options;

	if (p->v6 && !s->fwmark)
		return fail(p,
			    "-6 goes with -f (an IPv6 firewall-mark service)");
	if (s->fwmark)
		s->af = p->v6 ? AF_INET6 : AF_INET;
	if (c->cmd == ADM_ADD || c->cmd == ADM_EDIT) {
		if (!s->fwmark && !s->port && !(o & ADM_HAS(ADM_O_PERSISTENT)))
			return fail(
				p,
				"Zero port specified for non-persistent service");
		if ((o & ADM_HAS(ADM_O_ONEPACKET)) && !s->fwmark &&
		    s->proto != IPPROTO_UDP)
			return fail(
				p,
				"One-Packet Scheduling is only for UDP virtual services");
		if (!s->sched[0])
			strcpy(s->sched, "mh");
		if (p->flags_arg) {
			const char *f = p->flags_arg;

			if ((strstr(f, "mh-") && strcmp(s->sched, "mh")) ||
			    (strstr(f, "sh-") && strcmp(s->sched, "sh")))
				return fail(
					p,
					"incompatible scheduler flag `%s' (scheduler %s)",
					f, s->sched);
		}
		if (!s->hash_fields)
			s->hash_fields = sluice_default_hash(s->sched);
		if (netmask(p))
			return EXIT_USAGE;
		if (o & ADM_HAS(ADM_O_ONEPACKET))
			s->flags |= SLUICE_SVC_F_ONEPACKET;
		/* -A and -E set every setting, as ipvsadm's do. */
		s->present |= SLUICE_HAS(SLUICE_SVC_A_SCHED_NAME) |
			      SLUICE_HAS(SLUICE_SVC_A_SCHED_FLAGS) |
			      SLUICE_HAS(SLUICE_SVC_A_FLAGS) |
			      SLUICE_HAS(SLUICE_SVC_A_TIMEOUT) |
			      SLUICE_HAS(SLUICE_SVC_A_PERSIST_PLEN) |
			      SLUICE_HAS(SLUICE_SVC_A_HASH_FIELDS);
		if (o & ADM_HAS(ADM_O_MH_SIZE))
			s->present |= SLUICE_HAS(SLUICE_SVC_A_MH_SIZE);
	}
	if (c->cmd == ADM_ADDDEST || c->cmd == ADM_EDITDEST ||
	    c->cmd == ADM_DELDEST) {
		/* ipvsadm: a tunnelled real listens on the service's port. */
		if (!s->fwmark &&
		    (c->cmd != ADM_DELDEST || !p->dest_port_given))
			d->port = s->port;
		if (c->cmd != ADM_DELDEST) {
			if (!(o & ADM_HAS(ADM_O_WEIGHT)))
				d->weight = 1;
			d->fwd = SLUICE_FWD_TUNNEL;
			d->present = SLUICE_DEST_SET_PRESENT;
		}
	}
	return 0;
}

/* "-p 360": ipvsadm's optional argument may be the next word. */
static const char *optional_next(int argc, char **argv)
{
	const char *w = optind < argc ? argv[optind] : NULL;

	if (w && w[0] >= '0' && w[0] <= '9') {
		optind++;
		return w;
	}
	return NULL;
}

int adm_parse(int argc, char **argv, struct adm_cmd *c, char *err,
	      size_t errlen)
{
	struct parser p = { .c = c, .err = err, .errlen = errlen };
	int o, idx;

	memset(c, 0, sizeof(*c));
	err[0] = '\0';
	optind = 0; /* glibc: start over (restore parses many lines) */
	opterr = 0;
	for (;;) {
		const char *arg, *word;
		static char name[64];

		idx = -1;
		o = getopt_long(argc, argv, SHORT_OPTS, adm_long_opts, &idx);
		if (o == -1)
			break;
		if (o == '?' || o == ':') {
			const char *bad = argv[optind - 1];

			if (optopt && optopt < 256 && strncmp(bad, "--", 2))
				return fail(
					&p,
					o == ':' ?
						"option '-%c' needs an argument" :
						"unknown option '-%c'",
					optopt);
			return fail(&p,
				    o == ':' ? "option '%s' needs an argument" :
					       "unknown option '%s'",
				    bad);
		}
		if (idx >= 0)
			snprintf(name, sizeof(name), "--%s",
				 adm_long_opts[idx].name);
		else
			snprintf(name, sizeof(name), "-%c", o);
		word = name;
		arg = optarg;
		if (o == 'p' && !arg)
			arg = optional_next(argc, argv);
		if (option(&p, o, arg, word))
			return EXIT_USAGE;
	}
	if (c->cmd == ADM_TIMEOUT) {
		uint32_t *t[] = { &c->cfg.timeout_tcp, &c->cfg.timeout_tcp_fin,
				  &c->cfg.timeout_udp };
		static const int attr[] = { SLUICE_CFG_A_TIMEOUT_TCP,
					    SLUICE_CFG_A_TIMEOUT_TCP_FIN,
					    SLUICE_CFG_A_TIMEOUT_UDP };
		int i;

		if (argc - optind < 3)
			return fail(
				&p,
				"--set option requires 3 timeout values (tcp tcpfin udp)");
		for (i = 0; i < 3; i++) {
			long long v;
			const char *a = argv[optind++];

			if (number(a, 0, ADM_TIMEOUT_MAX, &v))
				return fail(
					&p,
					"invalid timeout value `%s' specified (want 0..%d)",
					a, ADM_TIMEOUT_MAX);
			*t[i] = v;
			if (v) /* 0: leave unchanged, as ipvsadm */
				c->cfg.present |= SLUICE_HAS(attr[i]);
		}
	}
	if (optind < argc)
		return fail(&p, "unexpected argument %s", argv[optind]);
	if (c->cmd == ADM_NONE) {
		if (c->options &
		    (ADM_HAS(ADM_O_TUN_SRC) | ADM_HAS(ADM_O_MH_SEED) |
		     ADM_HAS(ADM_O_CONN_MAX) | ADM_HAS(ADM_O_EXPIRE_NODEST)))
			c->cmd = ADM_CONFIG;
		else if (c->options || p.v6)
			return fail(&p, "no command given (try -h)");
		else
			c->cmd = ADM_LIST; /* ipvsadm with no arguments */
	}
	if (check_matrix(&p))
		return EXIT_USAGE;
	return finish(&p);
}
