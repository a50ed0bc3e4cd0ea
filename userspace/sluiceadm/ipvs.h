/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ipvsadm's grammar over sluice's control plane: the service, real and
 * listing commands (-A -E -D -C -a -e -d -L -Z --set) and their options.
 */
#ifndef SLUICEADM_IPVS_H
#define SLUICEADM_IPVS_H

#include <getopt.h>

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
#define IPVS_SHORT_OPTS "AEDCaedLlnZct:u:f:6s:p::M:r:w:igmx:y:b:"
#define IPVS_OPT_BASE 512
enum {
	IPVS_OPT_SET = IPVS_OPT_BASE,
	IPVS_OPT_TUN_SRC,
	IPVS_OPT_MH_SIZE,
	IPVS_OPT_SEED,
	IPVS_OPT_CONN_MAX,
	IPVS_OPT_STATS,
	IPVS_OPT_RATE,
	IPVS_OPT_EXPIRE_NODEST,
};

/* Their long forms, for getopt_long (ipvs_n_long_opts entries, no terminator). */
extern const struct option ipvs_long_opts[];
extern const int ipvs_n_long_opts;

#endif
