// SPDX-License-Identifier: GPL-2.0
/*
 * --monitor: print each configuration change as it happens, as the
 * ipvsadm rule that would make it (-A, -E, -D, -a, -e, -d, -C, -Z, --set
 * and sluice's settings), or with --json as one JSON object per line.
 * Runs until interrupted.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cmds.h"
#include "events.h"
#include "json.h"
#include "parse.h"
#include "show.h"

struct monitor {
	int json, numeric;
};

/* Each event as the command that makes it: its rule and (JSON) its name. */
static const struct {
	const char *rule;
	enum adm_cmdid cmd; /* adm_cmd_names[] */
} events[] = {
	[SLUICE_CMD_NEW_SERVICE] = { "-A", ADM_ADD },
	[SLUICE_CMD_SET_SERVICE] = { "-E", ADM_EDIT },
	[SLUICE_CMD_DEL_SERVICE] = { "-D", ADM_DEL },
	[SLUICE_CMD_NEW_DEST] = { "-a", ADM_ADDDEST },
	[SLUICE_CMD_SET_DEST] = { "-e", ADM_EDITDEST },
	[SLUICE_CMD_DEL_DEST] = { "-d", ADM_DELDEST },
	[SLUICE_CMD_FLUSH] = { "-C", ADM_FLUSH },
	[SLUICE_CMD_ZERO] = { "-Z", ADM_ZERO },
	[SLUICE_CMD_SET_CONFIG] = { "--set", ADM_CONFIG },
};

/* As the commands that would make the change: --set, then sluice's own. */
static void print_cfg(const struct sluice_cfg *c)
{
	uint32_t t = SLUICE_HAS(SLUICE_CFG_A_TIMEOUT_TCP) |
		     SLUICE_HAS(SLUICE_CFG_A_TIMEOUT_TCP_FIN) |
		     SLUICE_HAS(SLUICE_CFG_A_TIMEOUT_UDP);
	const char *sep = "";

	if (c->present & t)
		printf("--set %u %u %u\n",
		       c->present & SLUICE_HAS(SLUICE_CFG_A_TIMEOUT_TCP) ?
			       c->timeout_tcp :
			       0,
		       c->present & SLUICE_HAS(SLUICE_CFG_A_TIMEOUT_TCP_FIN) ?
			       c->timeout_tcp_fin :
			       0,
		       c->present & SLUICE_HAS(SLUICE_CFG_A_TIMEOUT_UDP) ?
			       c->timeout_udp :
			       0);
	if (c->present & SLUICE_HAS(SLUICE_CFG_A_CONN_MAX)) {
		printf("--conn-max %u", c->conn_max);
		sep = " ";
	}
	if (c->present & SLUICE_HAS(SLUICE_CFG_A_MH_SEED)) {
		printf("%s--mh-seed %llu", sep, (unsigned long long)c->mh_seed);
		sep = " ";
	}
	if (c->present & SLUICE_HAS(SLUICE_CFG_A_EXPIRE_NODEST)) {
		printf("%s--expire-nodest %u", sep, c->expire_nodest);
		sep = " ";
	}
	if (*sep)
		printf("\n");
}

static int on_event(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *g = nlmsg_data(nlmsg_hdr(msg));
	struct monitor *m = arg;
	struct sluice_svc s = { 0 };
	struct sluice_dest d = { 0 };
	struct sluice_cfg c = { 0 };
	int has_s, has_d, has_c;
	const char *rule;

	if (g->cmd >= sizeof(events) / sizeof(events[0]) ||
	    !events[g->cmd].rule)
		return NL_OK;
	rule = events[g->cmd].rule;
	has_s = sluice_msg_svc(msg, &s) > 0;
	has_d = sluice_msg_dest(msg, &d) > 0;
	has_c = sluice_msg_cfg(msg, &c) > 0;
	if (m->json) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(
			o, "event",
			json_object_new_string(
				adm_cmd_names[events[g->cmd].cmd]));
		if (has_s)
			json_object_object_add(o, "service", adm_json_svc(&s));
		if (has_d)
			json_object_object_add(o, "real", adm_json_dest(&d));
		if (has_c)
			json_object_object_add(o, "config", adm_json_cfg(&c));
		adm_json_put(stdout, o);
	} else if (has_c) {
		print_cfg(&c);
	} else if (has_d && has_s) {
		adm_print_dest_rule(stdout, rule, &s, &d, m->numeric);
	} else if (has_s) {
		adm_print_svc_rule(stdout, rule, &s, m->numeric);
	} else {
		printf("%s\n", rule);
	}
	fflush(stdout);
	return NL_OK;
}

int cmd_monitor(int json, int numeric)
{
	struct monitor m = { .json = json, .numeric = numeric };
	struct nl_sock *sk;
	int err;

	sk = sluice_events_open(on_event, &m, &err);
	if (!sk) {
		fprintf(stderr, "sluiceadm: cannot listen to events: %s\n",
			strerror(-err));
		return EXIT_FAILURE;
	}
	for (;;) {
		err = nl_recvmsgs_default(sk);
		if (err < 0 && err != -NLE_INTR && err != -NLE_AGAIN) {
			fprintf(stderr, "sluiceadm: events: %s\n",
				nl_geterror(err));
			break;
		}
	}
	nl_socket_free(sk);
	return EXIT_FAILURE;
}
