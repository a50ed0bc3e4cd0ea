// SPDX-License-Identifier: GPL-2.0
/* The read-only commands: -L (services, -c, --timeout), -S; text or JSON. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmds.h"
#include "json.h"
#include "parse.h"
#include "show.h"

static int kernel_error(struct sluice_nl *nl, int err)
{
	fprintf(stderr, "sluiceadm: %s\n", sluice_nl_strerror(nl, err));
	return EXIT_FAILURE;
}

struct conns {
	int numeric;
	struct json_object *json; /* array, with --json */
};

static int on_conn(const struct sluice_conn *c, void *arg)
{
	struct conns *cs = arg;

	if (cs->json)
		json_object_array_add(cs->json, adm_json_conn(c));
	else
		adm_print_conn(stdout, c, cs->numeric);
	return 0;
}

static int list_conns(struct sluice_nl *nl, const struct adm_cmd *c)
{
	struct conns cs = { .numeric =
				    !!(c->options & ADM_HAS(ADM_O_NUMERIC)) };
	int err;

	if (c->options & ADM_HAS(ADM_O_JSON))
		cs.json = json_object_new_array();
	else
		adm_print_conn_title(stdout);
	err = sluice_conn_list(nl, on_conn, &cs);
	if (cs.json) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "connections", cs.json);
		if (err)
			json_object_put(o);
		else
			adm_json_put(stdout, o);
	}
	return err ? kernel_error(nl, err) : EXIT_SUCCESS;
}

static int list_timeout(struct sluice_nl *nl, const struct adm_cmd *c)
{
	struct sluice_cfg cfg;
	int err = sluice_cfg_get(nl, &cfg);

	if (err)
		return kernel_error(nl, err);
	if (c->options & ADM_HAS(ADM_O_JSON))
		adm_json_timeout(stdout, &cfg);
	else
		adm_print_timeout(stdout, &cfg);
	return EXIT_SUCCESS;
}

int cmd_list(struct sluice_nl *nl, const struct adm_cmd *c)
{
	int one = !!(c->options & ADM_HAS(ADM_O_SERVICE));
	struct sluice_info info;
	struct sluice_table t;
	int err, tries;

	if (c->options & ADM_HAS(ADM_O_CONNECTION))
		return list_conns(nl, c);
	if (c->options & ADM_HAS(ADM_O_TIMEOUT))
		return list_timeout(nl, c);
	/* A change during the dump interrupts it (-EAGAIN): read again. */
	for (tries = 0; tries < 5; tries++) {
		err = sluice_table_read(nl, one ? &c->svc : NULL,
					!(c->options & ADM_HAS(ADM_O_NOSORT)),
					&t);
		if (err != -EAGAIN)
			break;
	}
	if (!err && !one)
		err = sluice_get_info(nl, &info);
	if (err) {
		if (!one || err != -ENOENT)
			return kernel_error(nl, err);
		fprintf(stderr, "sluiceadm: No such service\n");
		return EXIT_FAILURE;
	}
	if (c->cmd == ADM_SAVE)
		adm_print_save(stdout, &t,
			       !!(c->options & ADM_HAS(ADM_O_NUMERIC)));
	else if (c->options & ADM_HAS(ADM_O_JSON))
		adm_json_list(stdout, &t, one ? NULL : &info);
	else
		adm_print_list(stdout, &t, c->options, one ? NULL : &info);
	sluice_table_free(&t);
	return EXIT_SUCCESS;
}
