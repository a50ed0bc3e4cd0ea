/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ipvsadm's grammar over sluice's control plane: the service, real and
 * listing commands (-A -E -D -C -a -e -d -L -Z --set) and their options.
 */
#ifndef SLUICEADM_IPVS_H
#define SLUICEADM_IPVS_H

/* Is @c one of the ipvsadm options (getopt value)? */
int ipvs_is_option(int c);
/*
 * Take option @c with argument @arg (NULL if none). Returns 0, or
 * EXIT_USAGE after naming the bad option or value.
 */
int ipvs_option(int c, const char *arg);
/* Did any option name an ipvsadm command? */
int ipvs_have_command(void);
/* Run the command given with the @argc operands left; returns the exit status. */
int ipvs_run(int argc, char **argv);

/* getopt letters and long options (values >= IPVS_OPT_BASE) ipvs.c takes. */
#define IPVS_SHORT_OPTS "AEDCaedLlnZt:u:f:6s:p::M:r:w:igmx:y:b:"
#define IPVS_OPT_BASE 512
enum {
	IPVS_OPT_SET = IPVS_OPT_BASE,
	IPVS_OPT_TUN_SRC,
	IPVS_OPT_MH_SIZE,
	IPVS_OPT_SEED,
};

#define IPVS_LONG_OPTS                                                    \
	{ "add-service", no_argument, NULL, 'A' },                        \
		{ "edit-service", no_argument, NULL, 'E' },               \
		{ "delete-service", no_argument, NULL, 'D' },             \
		{ "clear", no_argument, NULL, 'C' },                      \
		{ "add-server", no_argument, NULL, 'a' },                 \
		{ "edit-server", no_argument, NULL, 'e' },                \
		{ "delete-server", no_argument, NULL, 'd' },              \
		{ "list", no_argument, NULL, 'L' },                       \
		{ "numeric", no_argument, NULL, 'n' },                    \
		{ "zero", no_argument, NULL, 'Z' },                       \
		{ "tcp-service", required_argument, NULL, 't' },          \
		{ "udp-service", required_argument, NULL, 'u' },          \
		{ "fwmark-service", required_argument, NULL, 'f' },       \
		{ "ipv6", no_argument, NULL, '6' },                       \
		{ "scheduler", required_argument, NULL, 's' },            \
		{ "persistent", optional_argument, NULL, 'p' },           \
		{ "netmask", required_argument, NULL, 'M' },              \
		{ "real-server", required_argument, NULL, 'r' },          \
		{ "weight", required_argument, NULL, 'w' },               \
		{ "ipip", no_argument, NULL, 'i' },                       \
		{ "gatewaying", no_argument, NULL, 'g' },                 \
		{ "masquerading", no_argument, NULL, 'm' },               \
		{ "u-threshold", required_argument, NULL, 'x' },          \
		{ "l-threshold", required_argument, NULL, 'y' },          \
		{ "sched-flags", required_argument, NULL, 'b' },          \
		{ "set", no_argument, NULL, IPVS_OPT_SET },               \
		{ "tunnel-source", required_argument, NULL,               \
		  IPVS_OPT_TUN_SRC },                                     \
		{ "mh-size", required_argument, NULL, IPVS_OPT_MH_SIZE }, \
	{                                                                 \
		"mh-seed", required_argument, NULL, IPVS_OPT_SEED         \
	}

#endif
