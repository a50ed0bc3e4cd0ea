// SPDX-License-Identifier: GPL-2.0
/*
 * Route health injection. A VIP is announced while it is an address of the
 * VIP interface: BIRD's `protocol direct` on that interface turns it into a
 * route and exports it over BGP (examples/bird/sluice-lb.conf); deleting the
 * address withdraws the route at once.
 *
 * The interface is a TUN device that sluiced creates and holds open,
 * never persistent: when sluiced ends, however it ends (exit, crash,
 * SIGKILL, OOM kill), the kernel deletes the device with its addresses and
 * BIRD withdraws every VIP (fate-sharing without anyone's cooperation).
 *
 * A VIP is eligible while each of its services has min_healthy reals up.
 * It is withdrawn as soon as it is not; announced once it has been eligible
 * for hold_down seconds, after the learn period, and when not damped: each
 * withdrawal adds DAMP_PENALTY to a penalty that halves every
 * DAMP_HALF_LIFE seconds; above DAMP_SUPPRESS the VIP stays withdrawn until
 * the penalty falls under DAMP_REUSE (BGP route-flap damping's scheme).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/if_tun.h>
#include <netlink/route/addr.h>

#include "daemon.h"

#define DAMP_PENALTY 1000.0
#define DAMP_HALF_LIFE 30.0
#define DAMP_SUPPRESS 3000.0
#define DAMP_REUSE 750.0

static struct nl_sock *rt; /* NETLINK_ROUTE, for the addresses */
static int ifindex;

int sd_announce_open(struct sd_daemon *d, char *err, size_t errlen)
{
	struct ifreq ifr = { 0 };
	int fd, s, e;

	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "/dev/net/tun: %s", strerror(errno));
		return -1;
	}
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", d->cfg.daemon.vip_if);
	if (ioctl(fd, TUNSETIFF, &ifr)) {
		e = errno;
		close(fd);
		if (e == EINVAL || e == EBUSY)
			snprintf(
				err, errlen,
				"interface %s exists and is not sluiced's (a dummy from a manual setup?): delete it (ip link del %s) or set daemon.vip_interface",
				d->cfg.daemon.vip_if, d->cfg.daemon.vip_if);
		else
			snprintf(err, errlen, "creating interface %s: %s",
				 d->cfg.daemon.vip_if, strerror(e));
		return -1;
	}
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) ||
	    (ifr.ifr_flags |= IFF_UP, ioctl(s, SIOCSIFFLAGS, &ifr))) {
		snprintf(err, errlen, "setting %s up: %s", d->cfg.daemon.vip_if,
			 strerror(errno));
		goto fail;
	}
	close(s);
	s = -1;
	ifindex = if_nametoindex(d->cfg.daemon.vip_if);
	rt = nl_socket_alloc();
	if (!ifindex || !rt || nl_connect(rt, NETLINK_ROUTE)) {
		snprintf(err, errlen, "route netlink: cannot connect");
		goto fail;
	}
	d->tun_fd = fd;
	return 0;
fail:
	if (s >= 0)
		close(s);
	if (rt)
		nl_socket_free(rt);
	rt = NULL;
	close(fd);
	return -1;
}

void sd_announce_close(struct sd_daemon *d)
{
	if (d->tun_fd >= 0)
		close(d->tun_fd); /* the device and its addresses go */
	d->tun_fd = -1;
	if (rt)
		nl_socket_free(rt);
	rt = NULL;
}

/* Add (@add) or delete the VIP's address. 0 or a negative errno. */
static int vip_addr(const struct sd_vip *v, int add)
{
	struct rtnl_addr *a = rtnl_addr_alloc();
	struct nl_addr *local;
	int err;

	if (!a)
		return -ENOMEM;
	local = nl_addr_build(v->af, v->addr, v->af == AF_INET ? 4 : 16);
	if (!local) {
		rtnl_addr_put(a);
		return -ENOMEM;
	}
	nl_addr_set_prefixlen(local, v->af == AF_INET ? 32 : 128);
	rtnl_addr_set_ifindex(a, ifindex);
	rtnl_addr_set_family(a, v->af);
	err = rtnl_addr_set_local(a, local);
	if (v->af == AF_INET6)
		rtnl_addr_set_flags(a, IFA_F_NODAD);
	if (!err)
		err = add ? rtnl_addr_add(rt, a, NLM_F_REPLACE) :
			    rtnl_addr_delete(rt, a, 0);
	nl_addr_put(local);
	rtnl_addr_put(a);
	if (err == -NLE_EXIST || (!add && err == -NLE_NOADDR))
		err = 0;
	return err ? -EIO : 0;
}

static double penalty(struct sd_vstate *v, double now)
{
	v->penalty *= pow(0.5, (now - v->penalty_at) / DAMP_HALF_LIFE);
	v->penalty_at = now;
	return v->penalty;
}

static void set_announced(struct sd_daemon *d, struct sd_vstate *v, int on,
			  const char *why)
{
	char a[INET6_ADDRSTRLEN];
	const struct sd_field f[] = {
		{ "SLUICE_EVENT", on ? "vip_announced" : "vip_withdrawn" },
		{ "SLUICE_VIP", a },
		{ "SLUICE_REASON", why },
		{ NULL, NULL },
	};
	int err;

	sd_addr_str(v->vip->af, v->vip->addr, a, sizeof(a));
	err = d->tun_fd >= 0 ? vip_addr(v->vip, on) : 0;
	if (err) {
		sd_log("error", "VIP %s: could not %s it: %s", a,
		       on ? "announce" : "withdraw", nl_geterror(-err));
		return;
	}
	v->announced = on;
	v->since = sd_wall();
	if (!on) {
		v->withdrawals++;
		penalty(v, sd_now());
		v->penalty += DAMP_PENALTY;
	}
	sd_log_event("notice", f, "VIP %s %s%s%s", a,
		     on ? "announced" : "withdrawn", why ? ": " : "",
		     why ? why : "");
}

/* Is @v eligible now? If not, why into v->why. */
static int eligible(struct sd_daemon *d, struct sd_vstate *v)
{
	size_t i, j;

	/* d->rs holds each service's reals together, in the file's order. */
	j = v->rs_first;
	for (i = 0; i < v->vip->nsvcs; i++) {
		const struct sd_service *s = &v->vip->svcs[i];
		uint32_t up = 0;
		char a[INET6_ADDRSTRLEN];

		for (; j < v->rs_first + v->rs_count && d->rs[j].svc == s; j++)
			up += d->rs[j].up;
		if (up < s->min_healthy) {
			snprintf(v->why, sizeof(v->why),
				 "%s %s:%u has %u healthy real%s of %u needed",
				 s->svc.proto == IPPROTO_UDP ? "UDP" : "TCP",
				 sd_addr_str(s->svc.af, s->svc.addr, a,
					     sizeof(a)),
				 s->svc.port, up, up == 1 ? "" : "s",
				 s->min_healthy);
			return 0;
		}
	}
	return 1;
}

void sd_announce_tick(struct sd_daemon *d)
{
	double now = sd_now();
	size_t i;

	for (i = 0; i < d->nvs; i++) {
		struct sd_vstate *v = &d->vs[i];
		int ok = eligible(d, v);
		double p = penalty(v, now);

		if (!ok) {
			v->eligible = 0;
			if (v->announced)
				set_announced(d, v, 0, v->why);
			continue;
		}
		if (!v->eligible) {
			v->eligible = 1;
			v->eligible_since = now;
		}
		if (v->suppressed && p < DAMP_REUSE) {
			v->suppressed = 0;
		} else if (!v->suppressed && p > DAMP_SUPPRESS) {
			v->suppressed = 1;
		}
		if (v->announced) {
			v->why[0] = '\0';
			continue;
		}
		if (d->stopping)
			snprintf(v->why, sizeof(v->why), "shutting down");
		else if (!v->vip->announce)
			snprintf(v->why, sizeof(v->why),
				 "announce = false in the configuration");
		else if (now - d->start < d->cfg.daemon.learn)
			snprintf(v->why, sizeof(v->why),
				 "learning: %.1f s left",
				 d->cfg.daemon.learn - (now - d->start));
		else if (v->suppressed)
			snprintf(
				v->why, sizeof(v->why),
				"damped: flapped (penalty %.0f, announced again below %.0f)",
				p, DAMP_REUSE);
		else if (now - v->eligible_since < d->cfg.daemon.hold_down)
			snprintf(v->why, sizeof(v->why),
				 "hold-down: %.1f s left",
				 d->cfg.daemon.hold_down -
					 (now - v->eligible_since));
		else
			set_announced(d, v, 1, NULL);
	}
}

void sd_announce_withdraw_all(struct sd_daemon *d)
{
	size_t i;

	d->stopping = 1;
	for (i = 0; i < d->nvs; i++)
		if (d->vs[i].announced)
			set_announced(d, &d->vs[i], 0, "shutting down");
}

/*
 * VIP states for d->cfg: a VIP of the previous configuration keeps its
 * state; VIPs no longer configured are withdrawn.
 */
static int same_vip(const struct sd_vstate *o, const struct sd_vip *v)
{
	return o->vip && o->vip->af == v->af &&
	       !memcmp(o->vip->addr, v->addr, 16);
}

/*
 * @v's state in @old, not taken over yet, or NULL. A file keeps its VIPs
 * in order: the one at @hint first, the others only if it is not @v.
 */
static struct sd_vstate *old_state(struct sd_vstate *old, size_t nold,
				   const struct sd_vip *v, size_t hint)
{
	size_t j;

	if (hint < nold && same_vip(&old[hint], v))
		return &old[hint];
	for (j = 0; j < nold; j++)
		if (same_vip(&old[j], v))
			return &old[j];
	return NULL;
}

int sd_announce_build(struct sd_daemon *d, struct sd_vstate *old, size_t nold)
{
	struct sd_vstate *vs =
		calloc(d->cfg.nvips ? d->cfg.nvips : 1, sizeof(*vs));
	struct sd_vstate *o;
	size_t i, j;

	if (!vs)
		return -ENOMEM;
	for (i = 0; i < d->cfg.nvips; i++) {
		vs[i].vip = &d->cfg.vips[i];
		vs[i].penalty_at = sd_now();
		snprintf(vs[i].why, sizeof(vs[i].why), "not evaluated yet");
		o = old_state(old, nold, vs[i].vip, i);
		if (o) {
			vs[i] = *o;
			vs[i].vip = &d->cfg.vips[i];
			o->vip = NULL; /* taken over */
		}
	}
	for (j = 0; j < nold; j++)
		if (old[j].vip && old[j].announced)
			set_announced(d, &old[j], 0,
				      "no longer in the configuration");
	/* Each VIP's reals in d->rs (built in the same order). */
	for (i = 0, j = 0; i < d->cfg.nvips; i++) {
		const struct sd_vip *v = &d->cfg.vips[i];

		vs[i].rs_first = j;
		while (j < d->nrs && d->rs[j].svc >= v->svcs &&
		       d->rs[j].svc < v->svcs + v->nsvcs)
			j++;
		vs[i].rs_count = j - vs[i].rs_first;
	}
	free(d->vs);
	d->vs = vs;
	d->nvs = d->cfg.nvips;
	return 0;
}
