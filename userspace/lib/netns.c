// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netns.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif

int sluice_netns_cookie(uint64_t *cookie)
{
	socklen_t len = sizeof(*cookie);
	int fd, ret;

	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (fd < 0)
		return -errno;
	ret = getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, cookie, &len) ?
		      -errno :
		      0;
	close(fd);
	return ret;
}
