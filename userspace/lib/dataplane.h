/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The BPF data plane from userspace: load the XDP and tc programs (libbpf
 * skeletons) with their maps pinned under SLUICE_BPF_PIN_DIR/netns-COOKIE
 * (one set of maps per network namespace, as each namespace is its own
 * balancer; COOKIE is the namespace's SO_NETNS_COOKIE, never reused),
 * attach them to an interface, detach them, read their counters.
 *
 * Maps are pinned, so loading a new build reuses them: counters, the
 * blocklist and the VIP/real tables survive a program replacement.
 * Attaching replaces sluice's programs on that interface atomically.
 */
#ifndef SLUICE_DATAPLANE_H
#define SLUICE_DATAPLANE_H

#include <stddef.h>
#include <linux/sluice.h>

#define SLUICE_BPF_PIN_DIR "/sys/fs/bpf/sluice"
/* tc filter identity on clsact egress: ours, whatever else is there. */
#define SLUICE_TC_HANDLE 0x5c15
#define SLUICE_TC_PRIORITY 0x5c15

enum sluice_xdp_mode {
	SLUICE_XDP_AUTO, /* native, else generic */
	SLUICE_XDP_NATIVE,
	SLUICE_XDP_GENERIC,
};

/*
 * All functions return 0 or a negative errno and, on error, put a message
 * for the user into @err (@errlen bytes).
 */
int sluice_dp_attach(const char *ifname, enum sluice_xdp_mode mode,
		     const char **mode_used, char *err, size_t errlen);
int sluice_dp_detach(const char *ifname, char *err, size_t errlen);

/* Counters summed over CPUs, from the pinned maps (fp: the fast path's). */
int sluice_dp_stats(struct sluice_counter xdp[SLUICE_XDP_STATS_MAX],
		    struct sluice_counter tc[SLUICE_TC_STATS_MAX],
		    struct sluice_counter fp[SLUICE_FP_STATS_MAX], char *err,
		    size_t errlen);

/* Names of the counters, for listings ("pass-other", "drop-fragment"...). */
extern const char *const sluice_xdp_stat_names[SLUICE_XDP_STATS_MAX];
extern const char *const sluice_tc_stat_names[SLUICE_TC_STATS_MAX];
extern const char *const sluice_fp_stat_names[SLUICE_FP_STATS_MAX];

/* This namespace's pin directory into @buf; 0 or a negative errno. */
int sluice_dp_pin_dir(char *buf, size_t len);

/* The fd of pinned map @name (close it after use), or a negative errno. */
int sluice_dp_map_fd(const char *name, char *err, size_t errlen);

#endif
