/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ipvsadm's command-line grammar (ipvsadm 1.31) plus sluice's own settings,
 * parsed into one struct adm_cmd. Pure: no I/O and no kernel, so that
 * sluiceadm's command line, each line of a restore and the unit tests all
 * go through the same code. Defaults are filled in here (ipvsadm's, except
 * the scheduler: mh), so what the struct says is what the kernel gets.
 */
#ifndef SLUICEADM_PARSE_H
#define SLUICEADM_PARSE_H

#include <stdint.h>

#include "services.h"

#define EXIT_USAGE 2

/* Commands, in the order of ipvsadm's option matrix, then ours. */
enum adm_cmdid {
	ADM_NONE,
	ADM_ADD,
	ADM_EDIT,
	ADM_DEL,
	ADM_FLUSH,
	ADM_LIST,
	ADM_ADDDEST,
	ADM_DELDEST,
	ADM_EDITDEST,
	ADM_TIMEOUT, /* --set */
	ADM_RESTORE,
	ADM_SAVE,
	ADM_ZERO,
	ADM_CONFIG, /* --tunnel-source, --mh-seed, --conn-max, --expire-nodest */
	ADM_MONITOR,
	ADM_HELP,
	ADM_VERSION,
	ADM_NCMDS
};

/* Options, as bits of adm_cmd.options; names in adm_opt_names[]. */
enum adm_opt {
	ADM_O_NUMERIC,
	ADM_O_CONNECTION,
	ADM_O_SERVICE,
	ADM_O_SCHEDULER,
	ADM_O_PERSISTENT,
	ADM_O_NETMASK,
	ADM_O_SERVER,
	ADM_O_FORWARD,
	ADM_O_WEIGHT,
	ADM_O_UTHRESHOLD,
	ADM_O_LTHRESHOLD,
	ADM_O_TIMEOUT,
	ADM_O_STATS,
	ADM_O_RATE,
	ADM_O_THRESHOLDS,
	ADM_O_PERSISTENTCONN,
	ADM_O_NOSORT,
	ADM_O_EXACT,
	ADM_O_ONEPACKET,
	ADM_O_SCHED_FLAGS,
	ADM_O_TUN_TYPE,
	ADM_O_TUN_INFO,
	ADM_O_JSON,
	ADM_O_MH_SIZE,
	ADM_O_TUN_SRC,
	ADM_O_MH_SEED,
	ADM_O_CONN_MAX,
	ADM_O_EXPIRE_NODEST,
	ADM_NOPTS
};

#define ADM_HAS(o) (1U << (o))

extern const char *const adm_cmd_names[ADM_NCMDS];
extern const char *const adm_opt_names[ADM_NOPTS];

struct adm_cmd {
	enum adm_cmdid cmd;
	uint32_t options; /* ADM_HAS(ADM_O_*) of each option given */
	struct sluice_svc svc; /* -t/-u/-f and the service settings */
	struct sluice_dest dest; /* -r and the real's settings */
	struct sluice_cfg cfg; /* --set and sluice's settings */
};

/*
 * Parse @argv[0..@argc) (argv[0] is the program name) into @c. Returns 0,
 * or EXIT_USAGE with a message naming the bad option or value in @err.
 */
int adm_parse(int argc, char **argv, struct adm_cmd *c, char *err,
	      size_t errlen);

#endif
