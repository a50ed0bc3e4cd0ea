// SPDX-License-Identifier: GPL-2.0
/*
 * sluice-probe: drives the sluice generic netlink family directly (libnl-3)
 * for the VM tests, with good and deliberately bad requests.
 *
 *   sluice-probe info           print the module's info; fail unless the
 *                               netns cookie is this namespace's own
 *   sluice-probe absent         succeed iff the family does not exist
 *   sluice-probe eperm          succeed iff GET_INFO is refused with EPERM
 *   sluice-probe unknown-attr   succeed iff an unknown attribute is refused
 *   sluice-probe reserved       succeed iff a non-zero reserved genl header
 *                               field is refused
 *   sluice-probe unknown-cmd    succeed iff an unknown command is refused
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/genetlink.h>

#include "info.h"
#include "netns.h"
#include "nl.h"

static int info(struct sluice_nl *nl)
{
	struct sluice_info in;
	uint64_t own;
	int err;

	err = sluice_get_info(nl, &in);
	if (err) {
		fprintf(stderr, "GET_INFO: %s\n", sluice_nl_strerror(nl, err));
		return 1;
	}
	printf("version=%s\nkernel=%s\nnetns_cookie=%" PRIu64 "\n", in.version,
	       in.kernel, in.netns_cookie);
	err = sluice_netns_cookie(&own);
	if (err) {
		fprintf(stderr, "SO_NETNS_COOKIE: %s\n", strerror(-err));
		return 1;
	}
	if (own != in.netns_cookie) {
		fprintf(stderr,
			"answered for netns %" PRIu64 ", we are in %" PRIu64
			"\n",
			in.netns_cookie, own);
		return 1;
	}
	return 0;
}

/* Send @msg and succeed iff the kernel answers with @want (negative errno). */
static int expect_error(struct sluice_nl *nl, struct nl_msg *msg, int want,
			const char *what)
{
	int err = sluice_nl_exec(nl, msg, NULL, NULL);

	printf("%s: %s\n", what,
	       err ? sluice_nl_strerror(nl, err) : "accepted");
	if (err != want) {
		fprintf(stderr, "%s: wanted %s\n", what, strerror(-want));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	struct sluice_nl nl;
	struct nl_msg *msg;
	int err, rc;

	err = sluice_nl_open(&nl);
	if (!strcmp(cmd, "absent"))
		return err == -ENOENT ? 0 : 1;
	if (err) {
		fprintf(stderr, "open: %s\n", sluice_nl_strerror(&nl, err));
		return 1;
	}

	if (!strcmp(cmd, "info")) {
		rc = info(&nl);
	} else if (!strcmp(cmd, "eperm")) {
		msg = sluice_nl_msg(&nl, SLUICE_CMD_GET_INFO, 0);
		rc = msg ? expect_error(&nl, msg, -EPERM, "unprivileged") : 1;
	} else if (!strcmp(cmd, "unknown-attr")) {
		msg = sluice_nl_msg(&nl, SLUICE_CMD_GET_INFO, 0);
		rc = !msg || nla_put_u32(msg, SLUICE_A_MAX + 1, 1) ||
		     expect_error(&nl, msg, -EINVAL, "unknown attribute");
	} else if (!strcmp(cmd, "reserved")) {
		msg = sluice_nl_msg(&nl, SLUICE_CMD_GET_INFO, 0);
		if (msg)
			((struct genlmsghdr *)nlmsg_data(nlmsg_hdr(msg)))
				->reserved = 1;
		rc = !msg || expect_error(&nl, msg, -EINVAL, "reserved field");
	} else if (!strcmp(cmd, "unknown-cmd")) {
		msg = sluice_nl_msg(&nl, SLUICE_CMD_MAX + 1, 0);
		rc = !msg ||
		     expect_error(&nl, msg, -EOPNOTSUPP, "unknown command");
	} else {
		fprintf(stderr,
			"usage: sluice-probe info|absent|eperm|unknown-attr|reserved|unknown-cmd\n");
		rc = 2;
	}
	sluice_nl_close(&nl);
	return rc;
}
