/* SPDX-License-Identifier: GPL-2.0 */
/* sluiceadm's commands, one function each; they return the exit status. */
#ifndef SLUICEADM_CMDS_H
#define SLUICEADM_CMDS_H

#define EXIT_USAGE 2

int cmd_version(void);
int cmd_attach(const char *ifname, const char *mode);
int cmd_detach(const char *ifname);
int cmd_dp_stats(void);
int cmd_block(const char *prefix, int add);
int cmd_blocklist(void);
int cmd_steer(const char *cpus);

#endif
