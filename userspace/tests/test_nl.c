// SPDX-License-Identifier: GPL-2.0
/* Unit tests: extended ack parsing of kernel error messages (lib/nl.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <linux/netlink.h>

#include "nl.h"

/* Build an NLMSG_ERROR carrying @req_payload bytes of the request (when
 * not capped) followed by an NLMSGERR_ATTR_MSG attribute holding @text.
 */
static size_t build_error(unsigned char *buf, size_t size, int capped,
			  size_t req_payload, const char *text, uint16_t flags)
{
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	struct nlmsgerr *e = NLMSG_DATA(h);
	size_t off = NLMSG_HDRLEN + sizeof(*e);
	struct nlattr *a;

	memset(buf, 0, size);
	h->nlmsg_type = NLMSG_ERROR;
	h->nlmsg_flags = flags | (capped ? NLM_F_CAPPED : 0);
	e->error = -22;
	e->msg.nlmsg_len = sizeof(e->msg) + req_payload;
	if (!capped)
		off += NLMSG_ALIGN(req_payload);
	if (text) {
		a = (struct nlattr *)(buf + off);
		a->nla_type = NLMSGERR_ATTR_MSG;
		a->nla_len = NLA_HDRLEN + strlen(text) + 1;
		memcpy((char *)a + NLA_HDRLEN, text, strlen(text) + 1);
		off += NLA_ALIGN(a->nla_len);
	}
	h->nlmsg_len = off;
	return off;
}

static void capped_message(void **state)
{
	unsigned char buf[512];
	char msg[64];

	(void)state;
	build_error(buf, sizeof(buf), 1, 40, "Unknown attribute type",
		    NLM_F_ACK_TLVS);
	assert_int_equal(sluice_nl_extack_msg((void *)buf, msg, sizeof(msg)),
			 1);
	assert_string_equal(msg, "Unknown attribute type");
}

static void uncapped_message_skips_request(void **state)
{
	unsigned char buf[512];
	char msg[64];

	(void)state;
	build_error(buf, sizeof(buf), 0, 21, "bad weight", NLM_F_ACK_TLVS);
	assert_int_equal(sluice_nl_extack_msg((void *)buf, msg, sizeof(msg)),
			 1);
	assert_string_equal(msg, "bad weight");
}

static void no_tlv_flag_means_no_message(void **state)
{
	unsigned char buf[512];
	char msg[64] = "stale";

	(void)state;
	build_error(buf, sizeof(buf), 1, 0, "ignored", 0);
	assert_int_equal(sluice_nl_extack_msg((void *)buf, msg, sizeof(msg)),
			 0);
	assert_string_equal(msg, "");
}

static void message_truncated_to_buffer(void **state)
{
	unsigned char buf[512];
	char msg[5];

	(void)state;
	build_error(buf, sizeof(buf), 1, 0, "a long message", NLM_F_ACK_TLVS);
	assert_int_equal(sluice_nl_extack_msg((void *)buf, msg, sizeof(msg)),
			 1);
	assert_string_equal(msg, "a lo");
}

/* Every length short of the whole message: no message, no overread
 * (run under valgrind or ASan to see the latter).
 */
static void short_lengths_are_safe(void **state)
{
	unsigned char buf[512];
	size_t full, len;
	char msg[64];

	(void)state;
	full = build_error(buf, sizeof(buf), 0, 16, "x", NLM_F_ACK_TLVS);
	/* The attribute "x" needs NLA_HDRLEN + 2 bytes, not its padding. */
	full -= NLA_ALIGN(NLA_HDRLEN + 2) - (NLA_HDRLEN + 2);
	for (len = 0; len < full; len++) {
		((struct nlmsghdr *)buf)->nlmsg_len = len;
		assert_int_equal(
			sluice_nl_extack_msg((void *)buf, msg, sizeof(msg)), 0);
	}
}

static void request_longer_than_error_is_safe(void **state)
{
	unsigned char buf[512];
	char msg[64];

	(void)state;
	build_error(buf, sizeof(buf), 0, 16, "x", NLM_F_ACK_TLVS);
	((struct nlmsgerr *)NLMSG_DATA((struct nlmsghdr *)buf))->msg.nlmsg_len =
		4000;
	assert_int_equal(sluice_nl_extack_msg((void *)buf, msg, sizeof(msg)),
			 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(capped_message),
		cmocka_unit_test(uncapped_message_skips_request),
		cmocka_unit_test(no_tlv_flag_means_no_message),
		cmocka_unit_test(message_truncated_to_buffer),
		cmocka_unit_test(short_lengths_are_safe),
		cmocka_unit_test(request_longer_than_error_is_safe),
	};

	return cmocka_run_group_tests_name("nl", tests, NULL, NULL);
}
