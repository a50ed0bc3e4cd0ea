// SPDX-License-Identifier: GPL-2.0
/*
 * The table's key lookups (table.c): after sluice_table_sort_keys(), every
 * service and real is found by its key, "same" keys find each other, and
 * keys not there are not found.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "table.h"

#define NSVC 500
#define NDEST 7

static struct sluice_svc svc_n(unsigned int i)
{
	struct sluice_svc s = { .af = AF_INET, .proto = IPPROTO_TCP };
	uint32_t a = htonl(0x0a640000u + i % 250);

	if (i % 50 == 49) {
		s.fwmark = 1000 + i; /* a firewall-mark service */
		return s;
	}
	if (i % 7 == 3) {
		s.af = AF_INET6;
		s.addr[0] = 0x20;
		s.addr[15] = i % 250;
	} else {
		memcpy(s.addr, &a, 4);
	}
	s.port = 80 + i / 250;
	if (i % 5 == 1)
		s.proto = IPPROTO_UDP;
	return s;
}

static struct sluice_dest dest_n(unsigned int i, unsigned int j)
{
	struct sluice_dest d = { .af = AF_INET, .weight = 100 * i + j };
	uint32_t a = htonl(0x0a020000u + j * 3);

	memcpy(d.addr, &a, 4);
	d.port = 8000 + (i + j) % 3;
	return d;
}

static void test_find(void **state)
{
	struct sluice_table t = { 0 };
	struct sluice_entry *e;
	struct sluice_svc k;
	struct sluice_dest d;
	unsigned int i, j;

	(void)state;
	t.v = calloc(NSVC, sizeof(*t.v));
	assert_non_null(t.v);
	/* Added in reverse, reals in reverse: the sort has work to do. */
	for (i = 0; i < NSVC; i++) {
		e = &t.v[t.n++];
		e->svc = svc_n(NSVC - 1 - i);
		e->dests = calloc(NDEST, sizeof(*e->dests));
		assert_non_null(e->dests);
		for (j = 0; j < NDEST; j++)
			e->dests[e->ndests++] =
				dest_n(NSVC - 1 - i, NDEST - 1 - j);
	}
	sluice_table_sort_keys(&t);
	for (i = 1; i < t.n; i++)
		assert_true(sluice_svc_cmp(&t.v[i - 1].svc, &t.v[i].svc) < 0);
	for (i = 0; i < NSVC; i++) {
		k = svc_n(i);
		e = sluice_table_find(&t, &k);
		assert_non_null(e);
		assert_true(sluice_svc_same(&e->svc, &k));
		for (j = 0; j < NDEST; j++) {
			const struct sluice_dest *kd;

			d = dest_n(i, j);
			d.weight = 0; /* not part of the key */
			kd = sluice_entry_dest(e, &d);
			assert_non_null(kd);
			assert_int_equal(kd->weight, 100 * i + j);
		}
		d = dest_n(i, NDEST);
		assert_null(sluice_entry_dest(e, &d));
	}
	/* A mark service is its mark: the rest of the key does not count. */
	k = svc_n(49);
	k.proto = IPPROTO_UDP;
	k.port = 1;
	assert_non_null(sluice_table_find(&t, &k));
	k = svc_n(0);
	k.port = 9;
	assert_null(sluice_table_find(&t, &k));
	k = svc_n(0);
	k.proto = IPPROTO_SCTP;
	assert_null(sluice_table_find(&t, &k));
	assert_null(sluice_entry_dest(NULL, &d));
	sluice_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
