// SPDX-License-Identifier: GPL-2.0
/* Raw generic netlink requests and their answers (see wire.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <netlink/msg.h>

#include "services.h"
#include "wire.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

int gf_open_raw(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = 20 };
	int one = 1,
	    fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);

	if (fd < 0 || bind(fd, (void *)&sa, sizeof(sa)) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv))) {
		perror("netlink socket");
		exit(2);
	}
	return fd;
}

int gf_reply_ok(const struct nlmsghdr *h)
{
	struct nl_msg *msg = nlmsg_convert((struct nlmsghdr *)h);
	struct sluice_svc s;
	struct sluice_dest d;
	struct sluice_cfg c;
	int ok;

	if (!msg)
		return 0;
	ok = sluice_msg_svc(msg, &s) >= 0 && sluice_msg_dest(msg, &d) >= 0 &&
	     sluice_msg_cfg(msg, &c) >= 0;
	nlmsg_free(msg);
	return ok;
}

int gf_answers(int fd, uint32_t seq, int once, long *replies, long *malformed)
{
	static uint8_t buf[1 << 16];

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h = (void *)buf;

		if (n < 0)
			return errno == EAGAIN ? 1 : -errno;
		for (; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR)
				return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
			if (h->nlmsg_type == NLMSG_DONE)
				return h->nlmsg_len >= NLMSG_LENGTH(
							       sizeof(int)) ?
					       *(int *)NLMSG_DATA(h) :
					       0;
			(*replies)++;
			if (!gf_reply_ok(h))
				(*malformed)++;
		}
		if (once)
			return 2;
	}
}

int gf_send(int fd, const void *buf, size_t len)
{
	ssize_t n = send(fd, buf, len, 0);

	if (n < 0)
		return -errno;
	return n == (ssize_t)len ? 0 : -EMSGSIZE;
}
