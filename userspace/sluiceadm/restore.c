// SPDX-License-Identifier: GPL-2.0
/*
 * -R, all or nothing (see apply.h). Every line is parsed before anything
 * is sent, then the lines are applied in one transaction (txn.h): before
 * a line touches a service, its state is saved (-C saves every service,
 * --set and sluice's settings save the settings); if the kernel refuses
 * a line, everything saved is put back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "grow.h"
#include "txn.h"

#define MAX_WORDS 64

/* Save what line @c is about to change. */
static int save_before(struct sluice_nl *nl, struct sluice_txn *u,
		       const struct adm_cmd *c)
{
	switch (c->cmd) {
	case ADM_FLUSH:
		return sluice_txn_save_all(nl, u);
	case ADM_TIMEOUT:
	case ADM_CONFIG:
		return sluice_txn_save_cfg(nl, u, c->cfg.present);
	case ADM_ZERO: /* counters cannot be put back */
		return 0;
	default:
		return sluice_txn_save(nl, u, &c->svc);
	}
}

/* Split @buf into words; drop a leading program name. */
static int split(char *buf, char **argv)
{
	char *save = NULL, *w;
	int n = 1;

	argv[0] = "sluiceadm";
	for (w = strtok_r(buf, " \t\r\n", &save); w;
	     w = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == 1 &&
		    (!strcmp(w, "ipvsadm") || !strcmp(w, "sluiceadm")))
			continue;
		if (n == MAX_WORDS)
			return -1;
		argv[n++] = w;
	}
	argv[n] = NULL;
	return n;
}

int adm_restore_read(FILE *in, struct adm_restore_line **out, size_t *nout)
{
	char *buf = NULL, *argv[MAX_WORDS + 1], err[256];
	size_t cap = 0, len = 0, n = 0;
	struct adm_restore_line *v = NULL;
	int no = 0, rc = 0;

	while (getline(&buf, &len, in) >= 0) {
		char *p = buf + strspn(buf, " \t");
		int argc;

		no++;
		if (*p == '#' || *p == '\n' || *p == '\0')
			continue;
		argc = split(p, argv);
		if (argc < 0) {
			fprintf(stderr, "sluiceadm: line %d: too many words\n",
				no);
			rc = EXIT_USAGE;
			break;
		}
		if (argc == 1)
			continue;
		if (SLUICE_GROW(v, n, cap, 1024)) {
			fprintf(stderr, "sluiceadm: out of memory\n");
			rc = EXIT_FAILURE;
			break;
		}
		v[n].no = no;
		if (adm_parse(argc, argv, &v[n].c, err, sizeof(err))) {
			fprintf(stderr, "sluiceadm: line %d: %s\n", no, err);
			rc = EXIT_USAGE;
			break;
		}
		if (!adm_is_change(v[n].c.cmd)) {
			fprintf(stderr,
				"sluiceadm: line %d: the '%s' command cannot be restored\n",
				no, adm_cmd_names[v[n].c.cmd]);
			rc = EXIT_USAGE;
			break;
		}
		n++;
	}
	free(buf);
	if (rc) {
		free(v);
		return rc;
	}
	*out = v;
	*nout = n;
	return 0;
}

int adm_restore(struct sluice_nl *nl, FILE *in)
{
	struct sluice_txn *u;
	struct adm_restore_line *lines = NULL;
	size_t n = 0, i;
	int rc, err = 0;

	rc = adm_restore_read(in, &lines, &n);
	if (rc)
		return rc;
	u = sluice_txn_new();
	if (!u) {
		free(lines);
		fprintf(stderr, "sluiceadm: out of memory\n");
		return EXIT_FAILURE;
	}
	for (i = 0; i < n; i++) {
		err = save_before(nl, u, &lines[i].c);
		if (!err)
			err = adm_apply(nl, &lines[i].c);
		if (err)
			break;
	}
	if (err) {
		int uerr;

		fprintf(stderr, "sluiceadm: line %d: %s\n", lines[i].no,
			sluice_nl_strerror(nl, err));
		uerr = sluice_txn_undo(nl, u);
		if (uerr)
			fprintf(stderr,
				"sluiceadm: could not undo the restore (%s): the table is partly restored\n",
				sluice_nl_strerror(nl, uerr));
		else
			fprintf(stderr,
				"sluiceadm: nothing restored: the table is as it was\n");
		rc = EXIT_FAILURE;
	}
	sluice_txn_free(u);
	free(lines);
	return rc;
}
