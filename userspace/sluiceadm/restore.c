// SPDX-License-Identifier: GPL-2.0
/*
 * -R, all or nothing (see apply.h). Every line is parsed before anything
 * is sent. While applying, the first time a line touches a service its
 * state before the restore (absent, or its settings and reals) is saved;
 * -C saves every service, --set and sluice's settings save the settings.
 * If the kernel refuses a line, each saved service is put back as it
 * was: services the restore created are deleted, deleted ones re-created
 * with their reals, changed ones set back. Services the restore did not
 * touch are never sent anything, so their connections are not disturbed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply.h"
#include "grow.h"
#include "table.h"

#define MAX_WORDS 64

struct line {
	int no;
	struct adm_cmd c;
};

struct saved {
	struct sluice_svc key;
	int existed;
	struct adm_entry e; /* settings and reals when it existed */
	struct saved *next; /* hash chain */
};

struct undo {
	struct saved **bucket; /* UNDO_BUCKETS chains */
	struct saved **all; /* in the order saved */
	size_t n, cap;
	int have_cfg;
	struct sluice_cfg cfg;
	uint32_t cfg_touched; /* SLUICE_CFG_A_* bits the restore set */
};

#define UNDO_BUCKETS 65536

static unsigned int key_hash(const struct sluice_svc *k)
{
	unsigned int h = 2166136261u, i;

	h = (h ^ k->af) * 16777619u;
	h = (h ^ k->fwmark) * 16777619u;
	if (!k->fwmark) {
		h = (h ^ k->proto) * 16777619u;
		h = (h ^ k->port) * 16777619u;
		for (i = 0; i < SLUICE_ADDR_LEN; i++)
			h = (h ^ k->addr[i]) * 16777619u;
	}
	return h % UNDO_BUCKETS;
}

static struct saved *find(struct undo *u, const struct sluice_svc *k)
{
	struct saved *s;

	for (s = u->bucket[key_hash(k)]; s; s = s->next)
		if (adm_svc_same(&s->key, k))
			return s;
	return NULL;
}

/* Record @k's state: @e when it exists (taken over), else absent. */
static int remember(struct undo *u, const struct sluice_svc *k,
		    struct adm_entry *e)
{
	struct saved *s = calloc(1, sizeof(*s));
	unsigned int h = key_hash(k);

	if (!s)
		return -ENOMEM;
	if (SLUICE_GROW(u->all, u->n, u->cap, 256)) {
		free(s);
		return -ENOMEM;
	}
	s->key = *k;
	if (e) {
		s->existed = 1;
		s->e = *e;
		memset(e, 0, sizeof(*e));
	}
	s->next = u->bucket[h];
	u->bucket[h] = s;
	u->all[u->n++] = s;
	return 0;
}

static int save_service(struct sluice_nl *nl, struct undo *u,
			const struct sluice_svc *k)
{
	struct adm_table t;
	int err;

	if (find(u, k))
		return 0;
	err = adm_table_read(nl, k, 0, &t);
	if (err == -ENOENT)
		return remember(u, k, NULL);
	if (err)
		return err;
	err = remember(u, k, &t.v[0]);
	adm_table_free(&t);
	return err;
}

static int save_all(struct sluice_nl *nl, struct undo *u)
{
	struct adm_table t;
	size_t i;
	int err;

	err = adm_table_read(nl, NULL, 0, &t);
	for (i = 0; !err && i < t.n; i++)
		if (!find(u, &t.v[i].svc))
			err = remember(u, &t.v[i].svc, &t.v[i]);
	adm_table_free(&t);
	return err;
}

/* Save what line @c is about to change. */
static int save_before(struct sluice_nl *nl, struct undo *u,
		       const struct adm_cmd *c)
{
	switch (c->cmd) {
	case ADM_FLUSH:
		return save_all(nl, u);
	case ADM_TIMEOUT:
	case ADM_CONFIG:
		u->cfg_touched |= c->cfg.present;
		if (u->have_cfg)
			return 0;
		u->have_cfg = 1;
		return sluice_cfg_get(nl, &u->cfg);
	case ADM_ZERO: /* counters cannot be put back */
		return 0;
	default:
		return save_service(nl, u, &c->svc);
	}
}

static void all_settings(struct sluice_svc *s)
{
	s->present = SLUICE_HAS(SLUICE_SVC_A_SCHED_NAME) |
		     SLUICE_HAS(SLUICE_SVC_A_SCHED_FLAGS) |
		     SLUICE_HAS(SLUICE_SVC_A_FLAGS) |
		     SLUICE_HAS(SLUICE_SVC_A_TIMEOUT) |
		     SLUICE_HAS(SLUICE_SVC_A_PERSIST_PLEN) |
		     SLUICE_HAS(SLUICE_SVC_A_HASH_FIELDS) |
		     SLUICE_HAS(SLUICE_SVC_A_MH_SIZE);
}

static int put_dest(struct sluice_nl *nl, uint8_t cmd,
		    const struct sluice_svc *svc, struct sluice_dest d)
{
	d.present = SLUICE_HAS(SLUICE_DEST_A_WEIGHT) |
		    SLUICE_HAS(SLUICE_DEST_A_FWD_METHOD) |
		    SLUICE_HAS(SLUICE_DEST_A_U_THRESH) |
		    SLUICE_HAS(SLUICE_DEST_A_L_THRESH);
	return sluice_dest_cmd(nl, cmd, svc, &d);
}

static int has_dest(const struct adm_entry *e, const struct sluice_dest *d)
{
	size_t i;

	for (i = 0; i < e->ndests; i++)
		if (adm_dest_same(&e->dests[i], d))
			return 1;
	return 0;
}

/* Put one service back as saved. */
static int put_back(struct sluice_nl *nl, struct saved *s)
{
	struct sluice_svc svc = s->e.svc;
	struct adm_table cur;
	struct adm_entry *now = NULL;
	size_t i;
	int err;

	err = adm_table_read(nl, &s->key, 0, &cur);
	if (err && err != -ENOENT)
		return err;
	if (!err)
		now = &cur.v[0];
	if (!s->existed) {
		err = now ? sluice_svc_cmd(nl, SLUICE_CMD_DEL_SERVICE,
					   &s->key) :
			    0;
		goto out;
	}
	all_settings(&svc);
	err = sluice_svc_cmd(
		nl, now ? SLUICE_CMD_SET_SERVICE : SLUICE_CMD_NEW_SERVICE,
		&svc);
	for (i = 0; !err && now && i < now->ndests; i++)
		if (!has_dest(&s->e, &now->dests[i]))
			err = put_dest(nl, SLUICE_CMD_DEL_DEST, &svc,
				       now->dests[i]);
	for (i = 0; !err && i < s->e.ndests; i++)
		err = put_dest(nl,
			       now && has_dest(now, &s->e.dests[i]) ?
				       SLUICE_CMD_SET_DEST :
				       SLUICE_CMD_NEW_DEST,
			       &svc, s->e.dests[i]);
out:
	if (now)
		adm_table_free(&cur);
	return err;
}

static int undo_all(struct sluice_nl *nl, struct undo *u)
{
	size_t i;
	int err = 0;

	for (i = u->n; !err && i-- > 0;)
		err = put_back(nl, u->all[i]);
	if (!err && u->have_cfg && u->cfg_touched) {
		u->cfg.present = u->cfg_touched;
		err = sluice_cfg_set(nl, &u->cfg);
	}
	return err;
}

static void undo_free(struct undo *u)
{
	size_t i;

	for (i = 0; i < u->n; i++) {
		free(u->all[i]->e.dests);
		free(u->all[i]);
	}
	free(u->all);
	free(u->bucket);
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

/* Parse all of @in into *@out; returns 0 or the exit status. */
static int parse_all(FILE *in, struct line **out, size_t *nout)
{
	char *buf = NULL, *argv[MAX_WORDS + 1], err[256];
	size_t cap = 0, len = 0, n = 0;
	struct line *v = NULL;
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
	struct undo u = { 0 };
	struct line *lines = NULL;
	size_t n = 0, i;
	int rc, err = 0;

	rc = parse_all(in, &lines, &n);
	if (rc)
		return rc;
	u.bucket = calloc(UNDO_BUCKETS, sizeof(*u.bucket));
	if (!u.bucket) {
		free(lines);
		fprintf(stderr, "sluiceadm: out of memory\n");
		return EXIT_FAILURE;
	}
	for (i = 0; i < n; i++) {
		err = save_before(nl, &u, &lines[i].c);
		if (!err)
			err = adm_apply(nl, &lines[i].c);
		if (err)
			break;
	}
	if (err) {
		int uerr;

		fprintf(stderr, "sluiceadm: line %d: %s\n", lines[i].no,
			sluice_nl_strerror(nl, err));
		uerr = undo_all(nl, &u);
		if (uerr)
			fprintf(stderr,
				"sluiceadm: could not undo the restore (%s): the table is partly restored\n",
				sluice_nl_strerror(nl, uerr));
		else
			fprintf(stderr,
				"sluiceadm: nothing restored: the table is as it was\n");
		rc = EXIT_FAILURE;
	}
	undo_free(&u);
	free(lines);
	return rc;
}
