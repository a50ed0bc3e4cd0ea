/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sluiced's configuration file (libconfig syntax, docs/SLUICED.md), read
 * and validated whole into the structs below: services and reals as the
 * library sends them to the kernel, checks as the check engine runs them.
 */
#ifndef SLUICED_CONFIG_H
#define SLUICED_CONFIG_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/un.h>

#include "check.h"
#include "services.h"

#define SD_DEFAULT_CONFIG "/etc/sluice/sluiced.conf"
#define SD_DEFAULT_CONTROL "/run/sluiced.sock"

struct sd_check {
	char *name;
	struct hc_spec spec;
	uint16_t port; /* 0: the real's port */
	int via_vip; /* probe VIP:port through the real's tunnel */
	int line;
};

struct sd_real {
	struct sluice_dest dest; /* key and configured settings (weight...) */
	int own_checks; /* checks below replace the service's */
	size_t *checks; /* indexes into sd_config.checks */
	size_t nchecks;
	int line;
};

struct sd_service {
	struct sluice_svc svc; /* key and every setting (->present) */
	uint32_t min_healthy;
	size_t *checks; /* indexes into sd_config.checks */
	size_t nchecks;
	struct sd_real *reals;
	size_t nreals;
	int line;
};

struct sd_vip {
	int af;
	uint8_t addr[16];
	uint32_t min_healthy;
	int announce;
	struct sd_service *svcs;
	size_t nsvcs;
	int line;
};

struct sd_daemon_cfg {
	char vip_if[IFNAMSIZ];
	double learn, hold_down, drain;
	char control[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char metrics[64]; /* "ADDR:PORT", "" = off */
	int have_src4, have_src6;
	uint8_t src4[4], src6[16]; /* through-the-VIP probes' sources */
};

struct sd_config {
	char *path;
	struct sd_daemon_cfg daemon;
	struct sluice_cfg settings; /* ->present: what the file sets */
	struct sd_check *checks;
	size_t nchecks;
	struct sd_vip *vips;
	size_t nvips;
	void *block; /* the VIPs' arrays below them, packed; NULL: not */
};

/*
 * Read and check @path whole. 0, or -1 with "FILE:LINE: SETTING: why" in
 * @err (nothing allocated is left in @cfg).
 */
int sd_config_load(const char *path, struct sd_config *cfg, char *err,
		   size_t errlen);
void sd_config_free(struct sd_config *cfg);
/*
 * config_pack.c: move the arrays of each VIP, service and real (services,
 * reals, check indexes) into one block, cfg->block (left as they are if
 * it cannot be had), before anything points into them: for a
 * configuration that will be in force a while (not for --check, where the
 * copy only adds to the peak).
 */
void sd_config_pack(struct sd_config *cfg);

/* "10.99.0.1" / "2001:db8::1" for @af/@addr. */
const char *sd_addr_str(int af, const uint8_t *addr, char *buf, size_t len);
/* "TCP 10.99.0.1:80", "UDP [2001:db8::1]:53", "FWM 7". */
const char *sd_svc_str(const struct sluice_svc *s, char *buf, size_t len);
/* "10.2.0.11:80", "[2001:db8::11]:80". */
const char *sd_dest_str(const struct sluice_dest *d, char *buf, size_t len);

#endif
