/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Raw generic netlink requests: a socket, and the answers to one request
 * read to its ack, error or end of dump (the fuzzer sends bytes libnl
 * would not build; the fault sweep must see every answer, or its loss).
 */
#ifndef GF_WIRE_H
#define GF_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

/* A bound NETLINK_GENERIC socket with extended acks and a 20 s receive timeout. */
int gf_open_raw(void);

/* Does a reply parse as libsluice reads replies? */
int gf_reply_ok(const struct nlmsghdr *h);

/*
 * Read the answers to @seq on @fd until its ack, error or end of dump (at
 * most one datagram if @once), counting replies in *@replies and
 * malformed ones in *@malformed. Returns 0 (accepted), a negative errno
 * (refused, or the socket's error: -ENOBUFS when an answer was lost), 1 if
 * nothing came within the timeout, 2 after one datagram of a dump still
 * going (@once).
 */
int gf_answers(int fd, uint32_t seq, int once, long *replies, long *malformed);

/* Send @len bytes of request on @fd: 0, or a negative errno. */
int gf_send(int fd, const void *buf, size_t len);

#endif
