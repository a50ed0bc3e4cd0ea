// SPDX-License-Identifier: GPL-2.0
/* Generic netlink transport with extended ack messages (see nl.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/netlink.h>
#include <linux/sluice.h>
#include <netlink/genl/ctrl.h>
#include <netlink/msg.h>

#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct exec_state {
	struct sluice_nl *nl;
	int (*parse)(struct nl_msg *msg, void *arg);
	void *arg;
	int err;
	int done;
	int intr; /* a dump part came with NLM_F_DUMP_INTR */
};

int sluice_nl_extack_msg(const struct nlmsghdr *h, char *buf, size_t len)
{
	const struct nlmsgerr *e = NLMSG_DATA(h);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off = NLMSG_HDRLEN + sizeof(*e);

	buf[0] = '\0';
	if (h->nlmsg_type != NLMSG_ERROR || h->nlmsg_len < off ||
	    !(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;
	/* Unless capped, the request follows the error code in full. */
	if (!(h->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < sizeof(e->msg))
			return 0;
		off += NLMSG_ALIGN(e->msg.nlmsg_len) - sizeof(e->msg);
	}
	if (off >= h->nlmsg_len)
		return 0;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)h + off),
		      h->nlmsg_len - off, NULL) < 0 ||
	    !tb[NLMSGERR_ATTR_MSG])
		return 0;
	nla_strlcpy(buf, tb[NLMSGERR_ATTR_MSG], len);
	return 1;
}

static int on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct exec_state *st = arg;

	(void)who;
	st->err = e->error;
	st->done = 1;
	if (e->error)
		sluice_nl_extack_msg(
			(const void *)((const char *)e - NLMSG_HDRLEN),
			st->nl->errmsg, sizeof(st->nl->errmsg));
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct exec_state *st = arg;

	(void)msg;
	st->done = 1;
	return NL_STOP;
}

/*
 * NLMSG_DONE ends a dump; a dump the kernel refused at its start (say, a
 * bad request) carries the negative errno, and then extack attributes.
 */
static int on_finish(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct exec_state *st = arg;
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	int err;

	if (h->nlmsg_len >= NLMSG_HDRLEN + sizeof(int)) {
		memcpy(&err, nlmsg_data(h), sizeof(err));
		if (err < 0) {
			st->err = err;
			if ((h->nlmsg_flags & NLM_F_ACK_TLVS) &&
			    !nla_parse(tb, NLMSGERR_ATTR_MAX,
				       (struct nlattr *)((char *)nlmsg_data(h) +
							 sizeof(int)),
				       h->nlmsg_len - NLMSG_HDRLEN -
					       sizeof(int),
				       NULL) &&
			    tb[NLMSGERR_ATTR_MSG])
				nla_strlcpy(st->nl->errmsg,
					    tb[NLMSGERR_ATTR_MSG],
					    sizeof(st->nl->errmsg));
		}
	}
	return on_ack(msg, arg);
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct exec_state *st = arg;
	int err;

	if (nlmsg_hdr(msg)->nlmsg_flags & NLM_F_DUMP_INTR)
		st->intr = 1;
	if (!st->parse)
		return NL_OK;
	err = st->parse(msg, st->arg);
	if (err < 0) {
		st->err = err;
		return NL_STOP;
	}
	return NL_OK;
}

int sluice_nl_open(struct sluice_nl *nl)
{
	int one = 1;
	int err;

	memset(nl, 0, sizeof(*nl));
	nl->sk = nl_socket_alloc();
	if (!nl->sk)
		return -ENOMEM;
	err = genl_connect(nl->sk);
	if (err < 0) {
		err = -EIO;
		goto err_free;
	}
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK, &one,
		   sizeof(one));
	nl_socket_set_buffer_size(nl->sk, 1 << 20, 1 << 20);

	nl->family = genl_ctrl_resolve(nl->sk, SLUICE_GENL_NAME);
	if (nl->family < 0) {
		err = nl->family == -NLE_OBJ_NOTFOUND ? -ENOENT : -EIO;
		goto err_free;
	}
	return 0;

err_free:
	nl_socket_free(nl->sk);
	nl->sk = NULL;
	return err;
}

void sluice_nl_close(struct sluice_nl *nl)
{
	nl_socket_free(nl->sk);
	nl->sk = NULL;
}

struct nl_msg *sluice_nl_msg(struct sluice_nl *nl, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0, flags,
			 cmd, SLUICE_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int sluice_nl_exec(struct sluice_nl *nl, struct nl_msg *msg,
		   int (*parse)(struct nl_msg *msg, void *arg), void *arg)
{
	struct exec_state st = { .nl = nl, .parse = parse, .arg = arg };
	struct nl_cb *cb;
	int err;

	nl->errmsg[0] = '\0';
	nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_ACK;
	err = nl_send_auto(nl->sk, msg);
	nlmsg_free(msg);
	if (err < 0)
		return -EIO;

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		return -ENOMEM;
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &st);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &st);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &st);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &st);

	while (!st.done && !st.err) {
		err = nl_recvmsgs(nl->sk, cb);
		if (err < 0 && !st.err)
			st.err = -EIO;
	}
	nl_cb_put(cb);
	if (!st.err && st.intr) {
		snprintf(nl->errmsg, sizeof(nl->errmsg),
			 "the configuration changed during the listing");
		return -EAGAIN;
	}
	return st.err;
}

const char *sluice_nl_strerror(const struct sluice_nl *nl, int err)
{
	static char buf[sizeof(nl->errmsg) + 64];

	if (err == -ENOENT && nl->family <= 0)
		return "the sluice kernel module is not loaded (no generic netlink family \"sluice\")";
	if (nl->errmsg[0])
		snprintf(buf, sizeof(buf), "%s: %s", nl->errmsg,
			 strerror(-err));
	else
		snprintf(buf, sizeof(buf), "%s", strerror(-err));
	return buf;
}
