/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ipvsadm's text output, column for column: -L in all its formats
 * (--stats, --rate, --exact, --thresholds, --persistent-conn, --tun-info),
 * -S (rules), -c (connections), --timeout. Only the header line differs:
 * it names sluice and its version.
 */
#ifndef SLUICEADM_SHOW_H
#define SLUICEADM_SHOW_H

#include <stdio.h>

#include "info.h"
#include "table.h"

/*
 * "addr:port" / "[addr]:port" of @af @addr @port into @buf; unless
 * @numeric, the host's and the @proto port's names where they resolve.
 */
void adm_addrport(uint16_t af, const uint8_t *addr, uint16_t port,
		  uint8_t proto, int numeric, char *buf, size_t len);
/* ipvsadm's 9-column counter: K/M/G/T above 10^8 unless @exact. */
void adm_print_largenum(FILE *f, unsigned long long v, int exact);

/*
 * The listing of @t with the ADM_O_* @options given; the header line
 * first when @info (listings of the whole table have one).
 */
void adm_print_list(FILE *f, const struct sluice_table *t, uint32_t options,
		    const struct sluice_info *info);
/* -S: one ipvsadm rule per service and real. */
void adm_print_save(FILE *f, const struct sluice_table *t, int numeric);
/*
 * One rule: "@cmd SERVICE settings" (settings left out for -D and -Z),
 * "@cmd SERVICE -r REAL settings" (left out for -d).
 */
void adm_print_svc_rule(FILE *f, const char *cmd, const struct sluice_svc *s,
			int numeric);
void adm_print_dest_rule(FILE *f, const char *cmd, const struct sluice_svc *s,
			 const struct sluice_dest *d, int numeric);
void adm_print_conn_title(FILE *f);
void adm_print_conn(FILE *f, const struct sluice_conn *c, int numeric);
void adm_print_timeout(FILE *f, const struct sluice_cfg *cfg);

/* Names used by text and JSON output alike. */
const char *adm_proto_name(uint8_t proto);
const char *adm_conn_state_name(uint8_t state);
/* "mh-fallback,mh-port" (ipvsadm's names) for @s into @buf, or "". */
void adm_sched_flags(const struct sluice_svc *s, char *buf, size_t len);

#endif
