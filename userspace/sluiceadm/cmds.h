/* SPDX-License-Identifier: GPL-2.0 */
/* sluiceadm's commands, one function each; they return the exit status. */
#ifndef SLUICEADM_CMDS_H
#define SLUICEADM_CMDS_H

#include "nl.h"
#include "parse.h"

#include <getopt.h>

/* --help's text */
extern const char adm_usage[];

int cmd_version(void);
int cmd_list(struct sluice_nl *nl, const struct adm_cmd *c); /* -L, -S */
int cmd_monitor(int json, int numeric);

/* The BPF data plane (dataplane.c) */
int dataplane_main(int argc, char **argv);
/* Is @arg one of dataplane_main()'s options? */
int dataplane_option(const char *arg);
/*
 * Mirror the module's services into the XDP program's VIP and service maps
 * when the data plane is attached here (else nothing); the exit status.
 */
int dataplane_sync(struct sluice_nl *nl);
/* The long options of parse.c and dataplane.c (NULL-terminated). */
extern const struct option adm_long_opts[], dataplane_long_opts[];

#endif
