// SPDX-License-Identifier: GPL-2.0
/*
 * The main loop's turn (hc_engine_run): the probes that are due started and
 * those past their deadline failed (the timer heap: only those are looked
 * at), then one wait on libcurl's sockets, the caller's fds, the killed
 * commands' pidfds and one epoll fd. The sockets of the TCP, UDP and DNS
 * probes and the commands' pidfds are in that epoll set while their run
 * lasts, so a turn costs the probes that are ready, not every running one
 * (10,000 checks a second keep hundreds running).
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>
#include "check_int.h"

#define NSEC_PER_MSEC 1000000ull
#define EPOLL_BATCH 256
/*
 * Starts per turn at the most: a connect() runs the handshake's first
 * steps (and, to a local namespace, the peer's) in the caller, so a burst
 * of them would keep the results of the runs before waiting, and those
 * would be seen after their deadline.
 */
#define START_BATCH 32

static uint32_t to_epoll(short events)
{
	return (events & CURL_WAIT_POLLIN ? EPOLLIN : 0) |
	       (events & CURL_WAIT_POLLPRI ? EPOLLPRI : 0) |
	       (events & CURL_WAIT_POLLOUT ? EPOLLOUT : 0);
}

static short from_epoll(uint32_t events)
{
	return (events & (EPOLLIN | EPOLLERR | EPOLLHUP) ? CURL_WAIT_POLLIN :
							   0) |
	       (events & EPOLLPRI ? CURL_WAIT_POLLPRI : 0) |
	       (events & (EPOLLOUT | EPOLLERR | EPOLLHUP) ? CURL_WAIT_POLLOUT :
							    0);
}

int hc_loop_init(struct hc_engine *e)
{
	e->epfd = epoll_create1(EPOLL_CLOEXEC);
	return e->epfd < 0 ? -errno : 0;
}

void hc_loop_free(struct hc_engine *e)
{
	if (e->epfd >= 0)
		close(e->epfd);
	e->epfd = -1;
	free(e->fds);
	e->fds = NULL;
}

void hc_watch(struct hc_probe *p)
{
	struct epoll_event ev = { .events = to_epoll(p->events),
				  .data.ptr = p };
	int op;

	if (!p->running || p->fd < 0) {
		hc_unwatch(p);
		return;
	}
	if (p->watched_fd == p->fd && p->watched_events == p->events)
		return;
	if (p->watched_fd >= 0 && p->watched_fd != p->fd)
		hc_unwatch(p);
	op = p->watched_fd == p->fd ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
	if (epoll_ctl(p->e->epfd, op, p->fd, &ev)) {
		hc_run_fail_errno(p, "epoll_ctl", errno);
		return;
	}
	p->watched_fd = p->fd;
	p->watched_events = p->events;
}

void hc_unwatch(struct hc_probe *p)
{
	if (p->watched_fd < 0)
		return;
	epoll_ctl(p->e->epfd, EPOLL_CTL_DEL, p->watched_fd, NULL);
	p->watched_fd = -1;
	p->watched_events = 0;
}

/* A command or zombie without a pidfd, looked at every HC_EXEC_POLL_MS. */
static bool exec_polled(struct hc_engine *e)
{
	struct hc_probe *p;
	struct hc_zombie *z;

	for (z = e->zombies; z; z = z->next)
		if (z->pidfd < 0)
			return true;
	for (p = e->cmds; p; p = p->cnext)
		if (p->pid > 0 && p->fd < 0)
			return true;
	return false;
}

/*
 * Fail the runs past their deadline and start the probes that are due
 * (START_BATCH of them at the most), earliest first: only those are looked
 * at. The time until the next event, in ms (0: more are due).
 */
static int64_t run_due(struct hc_engine *e)
{
	uint64_t now = hc_now_ns(), next = UINT64_MAX;
	unsigned int started = 0;
	struct hc_probe *p;

	while ((p = hc_heap_top(&e->heap)) && p->due <= now) {
		if (p->running) {
			hc_run_timeout(p);
			continue;
		}
		if (started++ == START_BATCH)
			return 0;
		hc_run_start(p, now);
		now = hc_now_ns();
	}
	if (p)
		next = p->due;
	now = hc_now_ns();
	if (exec_polled(e) && next > now + HC_EXEC_POLL_MS * NSEC_PER_MSEC)
		next = now + HC_EXEC_POLL_MS * NSEC_PER_MSEC;
	if (next == UINT64_MAX)
		return -1;
	if (next <= now)
		return 0;
	/* Round up: waking before the deadline would only spin. */
	return (next - now + NSEC_PER_MSEC - 1) / NSEC_PER_MSEC;
}

static int grow_fds(struct hc_engine *e, unsigned int n)
{
	struct curl_waitfd *fds;

	if (n <= e->nfds_max)
		return 0;
	n = n < 16 ? 16 : n * 2;
	fds = realloc(e->fds, n * (sizeof(*fds) + sizeof(struct hc_probe *)));
	if (!fds)
		return -ENOMEM;
	e->fds = fds;
	e->nfds_max = n;
	return 0;
}

/* The probes of e->fds[*nfds..*nall], right after them. */
static struct hc_probe **fd_probes(struct hc_engine *e)
{
	return (struct hc_probe **)(e->fds + e->nfds_max);
}

/*
 * e->fds: the caller's @nextra fds, the epoll fd and the zombies' pidfds
 * (@nfds in all, polled), then (not polled) the commands without a pidfd,
 * to look at after the poll (@nall in all), their probes in fd_probes()
 * at the same index: a snapshot, as the callbacks may stop other probes.
 */
static int collect_fds(struct hc_engine *e, struct curl_waitfd *extra,
		       unsigned int nextra, unsigned int *nfds,
		       unsigned int *nall)
{
	struct hc_probe *p, **fdp;
	struct hc_zombie *z;
	unsigned int n = nextra + 1, i;
	int err;

	for (p = e->cmds; p; p = p->cnext)
		n++;
	for (z = e->zombies; z; z = z->next)
		n++;
	err = grow_fds(e, n);
	if (err)
		return err;
	fdp = fd_probes(e);
	for (i = 0; i < nextra; i++) {
		e->fds[i] = extra[i];
		e->fds[i].revents = 0;
	}
	e->fds[i++] = (struct curl_waitfd){ .fd = e->epfd,
					    .events = CURL_WAIT_POLLIN };
	for (z = e->zombies; z; z = z->next)
		e->fds[i++] =
			(struct curl_waitfd){ .fd = z->pidfd,
					      .events = CURL_WAIT_POLLIN };
	*nfds = i;
	for (p = e->cmds; p; p = p->cnext) {
		if (p->fd >= 0 || p->pid <= 0)
			continue;
		e->fds[i] = (struct curl_waitfd){ .fd = -1 };
		fdp[i++] = p;
	}
	*nall = i;
	return 0;
}

static void probe_events(struct hc_probe *p, short revents)
{
	switch (p->spec->type) {
	case HC_EXEC:
		hc_exec_events(p, revents);
		break;
	case HC_TCP:
		hc_tcp_events(p, revents);
		break;
	case HC_DNS:
		hc_dns_events(p, revents);
		break;
	case HC_UDP:
		hc_udp_events(p, revents);
		break;
	default:
		return;
	}
	/* Still running: it may wait for something else now. */
	if (p->running)
		hc_watch(p);
}

/*
 * The probes epoll says are ready. A probe stopped by an earlier one's
 * callback is no longer running (and not freed before the turn ends).
 */
static void epoll_events(struct hc_engine *e)
{
	struct epoll_event ev[EPOLL_BATCH];
	int n, i;

	do {
		n = epoll_wait(e->epfd, ev, EPOLL_BATCH, 0);
		for (i = 0; i < n; i++) {
			struct hc_probe *p = ev[i].data.ptr;

			if (p->running && p->watched_fd >= 0)
				probe_events(p, from_epoll(ev[i].events));
		}
	} while (n == EPOLL_BATCH);
}

static void curl_results(struct hc_engine *e)
{
	struct hc_probe *p;
	CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(e->multi, &left))) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		p = NULL;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &p);
		if (p && p->running && p->easy == msg->easy_handle)
			hc_curl_done(p, msg->data.result);
	}
}

static int curl_err(CURLMcode mc)
{
	return mc == CURLM_OUT_OF_MEMORY ? -ENOMEM : -EIO;
}

int hc_engine_run(struct hc_engine *e, struct curl_waitfd *extra,
		  unsigned int nextra, int timeout_ms)
{
	struct hc_probe *p, **fdp;
	unsigned int nfds, nall, i;
	int64_t wait;
	CURLMcode mc;
	int running, err;

	e->depth++;
	/*
	 * The results first: a run that has ended is not failed at its
	 * deadline for not having been looked at yet.
	 */
	mc = curl_multi_perform(e->multi, &running);
	if (mc != CURLM_OK) {
		err = curl_err(mc);
		goto out;
	}
	curl_results(e);
	epoll_events(e);
	wait = run_due(e);
	mc = curl_multi_perform(e->multi, &running);
	if (mc != CURLM_OK) {
		err = curl_err(mc);
		goto out;
	}
	if (timeout_ms >= 0 && (wait < 0 || wait > timeout_ms))
		wait = timeout_ms;
	if (wait < 0 || wait > INT_MAX)
		wait = INT_MAX;

	err = collect_fds(e, extra, nextra, &nfds, &nall);
	if (err)
		goto out;
	mc = curl_multi_poll(e->multi, e->fds, nfds, wait, NULL);
	if (mc != CURLM_OK) {
		err = curl_err(mc);
		goto out;
	}
	for (i = 0; i < nextra; i++)
		extra[i].revents = e->fds[i].revents;

	mc = curl_multi_perform(e->multi, &running);
	if (mc != CURLM_OK) {
		err = curl_err(mc);
		goto out;
	}
	curl_results(e);
	if (e->fds[nextra].revents)
		epoll_events(e);
	fdp = fd_probes(e);
	for (i = nfds; i < nall; i++) {
		p = fdp[i];
		if (p->running && p->pid > 0 && p->fd < 0)
			hc_exec_events(p, 0);
	}
	hc_exec_reap(e, false);
out:
	if (--e->depth == 0) {
		while ((p = e->dead)) {
			e->dead = p->hnext;
			hc_probe_free(p);
		}
	}
	return err;
}
