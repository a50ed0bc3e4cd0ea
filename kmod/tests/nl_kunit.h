/* SPDX-License-Identifier: GPL-2.0 */
/* The control-plane KUnit suites (nl_kunit.c), registered by sluice_kunit_main.c. */
#ifndef _SLUICE_NL_KUNIT_H
#define _SLUICE_NL_KUNIT_H

#include <kunit/test.h>

extern struct kunit_suite sluice_netlink_suite;
extern struct kunit_suite sluice_control_suite;

#endif /* _SLUICE_NL_KUNIT_H */
