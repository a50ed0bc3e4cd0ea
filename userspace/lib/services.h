/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Services, reals and settings over generic netlink (libnl-3): requests
 * built from, and replies parsed into, the structs below. The attribute
 * meanings are in include/uapi/linux/sluice.h.
 */
#ifndef SLUICE_SERVICES_H
#define SLUICE_SERVICES_H

#include <stdint.h>
#include <linux/sluice.h>

#include "nl.h"

/* Bit for attribute @a in the present masks below. */
#define SLUICE_HAS(a) (1U << (a))
/*
 * What a new or edited real sends (ipvsadm's -a/-e): its weight, the
 * tunnel, and both thresholds (0: none).
 */
#define SLUICE_DEST_SET_PRESENT                 \
	(SLUICE_HAS(SLUICE_DEST_A_WEIGHT) |     \
	 SLUICE_HAS(SLUICE_DEST_A_FWD_METHOD) | \
	 SLUICE_HAS(SLUICE_DEST_A_U_THRESH) |   \
	 SLUICE_HAS(SLUICE_DEST_A_L_THRESH))

struct sluice_stats {
	uint64_t conns, inpkts, inbytes, outpkts, outbytes;
	uint64_t cps, inpps, inbps, outpps, outbps;
};

/*
 * A service. Key: af + fwmark, or af + proto + addr + port (host order).
 * Requests send the settings whose SLUICE_SVC_A_* bit is in @present;
 * replies set every field.
 */
struct sluice_svc {
	uint16_t af;
	uint8_t proto;
	uint8_t addr[SLUICE_ADDR_LEN];
	uint16_t port;
	uint32_t fwmark;
	char sched[SLUICE_SCHED_NAME_MAX];
	uint32_t sched_flags, flags, timeout, hash_fields, mh_size;
	uint8_t persist_plen;
	uint32_t present;
	uint32_t ndests;
	struct sluice_stats stats;
};

/* A real: key af + addr + port; settings as for services. */
struct sluice_dest {
	uint16_t af;
	uint8_t addr[SLUICE_ADDR_LEN];
	uint16_t port;
	uint8_t fwd;
	uint32_t weight, u_thresh, l_thresh;
	uint32_t present;
	uint32_t activeconns, inactconns, persistconns, real_index;
	struct sluice_stats stats;
};

/* Settings (SLUICE_CFG_A_*); requests send what @present says. */
struct sluice_cfg {
	uint32_t timeout_tcp, timeout_tcp_fin, timeout_udp, conn_max;
	uint64_t mh_seed;
	uint8_t tun_src4[4], tun_src6[16];
	uint8_t tun_src4_plen, tun_src6_plen, tun_ttl, expire_nodest;
	uint32_t present;
};

/* The hash fields a service gets by default: mh the 5-tuple, sh the client. */
uint32_t sluice_default_hash(const char *sched);

/* NEW/SET/DEL_SERVICE. DEL sends the key only. */
int sluice_svc_cmd(struct sluice_nl *nl, uint8_t cmd,
		   const struct sluice_svc *svc);
/* GET_SERVICE for @key's service into @out. */
int sluice_svc_get(struct sluice_nl *nl, const struct sluice_svc *key,
		   struct sluice_svc *out);
/*
 * Every service, in the order they were added, to @fn (non-zero from @fn
 * stops with that value). -EAGAIN: a change interrupted the dump.
 */
int sluice_svc_list(struct sluice_nl *nl,
		    int (*fn)(const struct sluice_svc *svc, void *arg),
		    void *arg);

/*
 * Services collected from a dump: a dump must be read to its end before the
 * socket carries another request (such as listing a service's reals).
 * sluice_svc_array_add() appends @s to @arg (a struct sluice_svc_array) and
 * is meant as sluice_svc_list()'s @fn; -ENOMEM if the array cannot grow.
 * Free ->v when done.
 */
struct sluice_svc_array {
	struct sluice_svc *v;
	size_t n, cap;
};

int sluice_svc_array_add(const struct sluice_svc *s, void *arg);

/* NEW/SET/DEL_DEST of @dest in @svc's service. DEL sends the key only. */
int sluice_dest_cmd(struct sluice_nl *nl, uint8_t cmd,
		    const struct sluice_svc *svc,
		    const struct sluice_dest *dest);
/* The reals of @svc's service to @fn, as sluice_svc_list. */
int sluice_dest_list(struct sluice_nl *nl, const struct sluice_svc *svc,
		     int (*fn)(const struct sluice_dest *dest, void *arg),
		     void *arg);

/* A connection-table entry (SLUICE_CMD_GET_CONN). Ports in host order. */
struct sluice_conn {
	uint16_t af, daf;
	uint8_t proto, state; /* state: enum sluice_conn_state_uapi */
	uint8_t caddr[SLUICE_ADDR_LEN], vaddr[SLUICE_ADDR_LEN],
		daddr[SLUICE_ADDR_LEN];
	uint16_t cport, vport, dport;
	uint32_t expires_ms;
};

/* Every entry to @fn, as sluice_svc_list. */
int sluice_conn_list(struct sluice_nl *nl,
		     int (*fn)(const struct sluice_conn *c, void *arg),
		     void *arg);

int sluice_flush(struct sluice_nl *nl);
/* Zero the counters of @svc's service, or of all with NULL. */
int sluice_zero(struct sluice_nl *nl, const struct sluice_svc *svc);

int sluice_cfg_get(struct sluice_nl *nl, struct sluice_cfg *cfg);
/* Hand the tc program's maps (fds) to the module (SLUICE_CMD_SET_MAPS). */
int sluice_set_maps(struct sluice_nl *nl, int reals_fd, int tc_cfg_fd);
int sluice_cfg_set(struct sluice_nl *nl, const struct sluice_cfg *cfg);

/*
 * Append SLUICE_A_SERVICE (the key, and the settings in ->present unless
 * @key_only), SLUICE_A_DEST (likewise) or SLUICE_A_CONFIG to a request.
 * 0 or -EMSGSIZE.
 */
int sluice_put_svc(struct nl_msg *msg, const struct sluice_svc *s,
		   int key_only);
int sluice_put_dest(struct nl_msg *msg, const struct sluice_dest *d,
		    int key_only);
int sluice_put_cfg(struct nl_msg *msg, const struct sluice_cfg *c);
/*
 * Request @cmd with the parts given (NULL: absent), as every command of
 * the library builds it, in *@out (not sent). 0, -ENOMEM or -EMSGSIZE.
 */
int sluice_request_msg(struct sluice_nl *nl, uint8_t cmd, int flags,
		       const struct sluice_svc *svc, int svc_key_only,
		       const struct sluice_dest *dest, int dest_key_only,
		       const struct sluice_cfg *cfg, struct nl_msg **out);
/* SLUICE_CMD_SET_MAPS as sluice_set_maps() sends it, in *@out (not sent). */
int sluice_set_maps_msg(struct sluice_nl *nl, int reals_fd, int tc_cfg_fd,
			struct nl_msg **out);

/*
 * Parse one message's SLUICE_A_SERVICE / SLUICE_A_DEST / SLUICE_A_CONFIG
 * (for event listeners); ->present says which attributes it had (an event
 * about a real carries only its service's key). Return 1 if the message
 * had it, 0 if not, or -EPROTO if malformed.
 */
int sluice_msg_svc(struct nl_msg *msg, struct sluice_svc *svc);
int sluice_msg_dest(struct nl_msg *msg, struct sluice_dest *dest);
int sluice_msg_cfg(struct nl_msg *msg, struct sluice_cfg *cfg);

#endif
