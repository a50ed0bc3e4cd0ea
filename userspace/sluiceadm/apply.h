/* SPDX-License-Identifier: GPL-2.0 */
/* Carrying out parsed commands against the kernel, one or a whole restore. */
#ifndef SLUICEADM_APPLY_H
#define SLUICEADM_APPLY_H

#include <stdio.h>

#include "parse.h"

/*
 * One change command (-A -E -D -C -a -e -d -Z --set and sluice's
 * settings). Returns 0 or a negative errno (nl->errmsg: the kernel's why).
 */
int adm_apply(struct sluice_nl *nl, const struct adm_cmd *c);

/* Is @cmd a change that adm_apply() takes (and a restore may hold)? */
int adm_is_change(enum adm_cmdid cmd);

/*
 * -R: read ipvsadm-save rules from @in (blank lines and '#' comments
 * skipped, a leading "ipvsadm" or "sluiceadm" word allowed), parse and
 * check them all, then apply them in order. All or nothing: if the kernel
 * refuses one, every service and setting the restore touched is put back
 * as it was, and the failing line is reported. Returns the exit status.
 */
int adm_restore(struct sluice_nl *nl, FILE *in);

/* One parsed line of a restore: its number in the file and its command. */
struct adm_restore_line {
	int no;
	struct adm_cmd c;
};

/*
 * adm_restore()'s reader alone: parse all of @in into *@out (@nout lines,
 * the caller frees *@out). Returns 0, or the exit status after a message
 * on stderr naming the bad line (nothing in *@out then).
 */
int adm_restore_read(FILE *in, struct adm_restore_line **out, size_t *nout);

#endif
