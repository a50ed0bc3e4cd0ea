// SPDX-License-Identifier: GPL-2.0
/* The status socket (see control.h). */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "control.h"

static int addr(const char *path, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	strcpy(sa->sun_path, path);
	return 0;
}

int sd_control_listen(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sa;
	int fd;

	if (addr(path, &sa)) {
		snprintf(err, errlen, "%s: path too long", path);
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		snprintf(err, errlen, "status socket: %s", strerror(errno));
		return -1;
	}
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || chmod(path, 0660) ||
	    listen(fd, 16)) {
		snprintf(err, errlen, "status socket %s: %s", path,
			 strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

void sd_control_serve(struct sd_daemon *d, int fd)
{
	struct timeval tv = { .tv_sec = 0, .tv_usec = 200000 };
	char line[64] = "";
	ssize_t n;
	FILE *out;
	int c;

	c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
	if (c < 0)
		return;
	/* A client gets 200 ms to ask and to read; the loop does not wait more. */
	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	n = read(c, line, sizeof(line) - 1);
	out = n > 0 ? fdopen(c, "w") : NULL;
	if (!out) {
		close(c);
		return;
	}
	line[n] = '\0';
	if (!strncmp(line, "status", 6))
		sd_status(d, out, strstr(line, "json") != NULL);
	else
		fprintf(out, "unknown request (try \"status\")\n");
	fclose(out);
	/*
	 * The JSON's objects (10 per real) are free again, in holes of the
	 * heap: their pages go back (10,000 reals: 16 MB).
	 */
	malloc_trim(0);
}

int sd_control_status(const char *sock, const char *cfg_path, int json)
{
	struct sockaddr_un sa;
	struct sd_config cfg;
	char err[512], buf[4096], path[sizeof(sa.sun_path)];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s", SD_DEFAULT_CONTROL);
	if (sock) {
		snprintf(path, sizeof(path), "%s", sock);
	} else if (!sd_config_load(cfg_path, &cfg, err, sizeof(err))) {
		snprintf(path, sizeof(path), "%s", cfg.daemon.control);
		sd_config_free(&cfg);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || addr(path, &sa) ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		fprintf(stderr, "sluiced: %s: %s (is sluiced running?)\n", path,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return EXIT_FAILURE;
	}
	n = snprintf(buf, sizeof(buf), "status%s\n", json ? " json" : "");
	if (write(fd, buf, n) != n) {
		fprintf(stderr, "sluiced: %s: %s\n", path, strerror(errno));
		close(fd);
		return EXIT_FAILURE;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, n, stdout);
	close(fd);
	return EXIT_SUCCESS;
}
