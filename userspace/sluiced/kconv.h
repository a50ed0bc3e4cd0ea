/* SPDX-License-Identifier: GPL-2.0 */
/*
 * keepalived.conf (its LVS part) to sluiced.conf (docs/SLUICED.md).
 */
#ifndef SLUICED_KCONV_H
#define SLUICED_KCONV_H

#include <stdio.h>

/*
 * Read keepalived's configuration from @in (named @in_name in messages; its
 * includes are found relative to the directory of @in_name) and write the
 * equivalent sluiced.conf to @out.
 *
 * Every construct of the LVS part that cannot be carried is named on @err as
 * "FILE:LINE: <construct>: not carried (<why>)" and as a comment in the
 * output where it would have gone. Blocks outside the LVS part (global_defs,
 * vrrp_instance, ...) are skipped with one line on @err each; they do not
 * count as "not carried".
 *
 * Returns 0 when everything was carried, 1 when some constructs were not
 * (the output is written all the same), 2 when the input cannot be parsed
 * (unbalanced braces, a bad address or number...; "FILE:LINE: ..." on @err,
 * nothing written to @out), a negative errno when it cannot be read (an
 * include that matches no file: -ENOENT) or memory runs out.
 */
int sd_kconv(FILE *in, const char *in_name, FILE *out, FILE *err);

#endif
