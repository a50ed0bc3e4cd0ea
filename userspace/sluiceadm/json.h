/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --json: every listing as one JSON document (json-c), field names stable
 * and documented in sluiceadm(8).
 */
#ifndef SLUICEADM_JSON_H
#define SLUICEADM_JSON_H

#include <stdio.h>
#include <json-c/json.h>

#include "info.h"
#include "table.h"

/* {"version", "size", "services": [...]} (@info NULL: no version/size) */
void adm_json_list(FILE *f, const struct sluice_table *t,
		   const struct sluice_info *info);
/* {"timeout": {"tcp", "tcpfin", "udp"}} */
void adm_json_timeout(FILE *f, const struct sluice_cfg *cfg);

/*
 * The objects the documents are built of, for -c and --monitor. A service
 * or real whose ->present lacks its settings (a key in an event) gets its
 * key fields only.
 */
struct json_object *adm_json_svc(const struct sluice_svc *s);
struct json_object *adm_json_dest(const struct sluice_dest *d);
struct json_object *adm_json_conn(const struct sluice_conn *c);
struct json_object *adm_json_cfg(const struct sluice_cfg *c);
/* Print @o on one line and drop it. */
void adm_json_put(FILE *f, struct json_object *o);

#endif
