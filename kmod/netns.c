// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state. Each namespace gets its own balancer and
 * its own netfilter hooks; a namespace's state lives exactly as long as
 * the namespace or the module, whichever ends first.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/percpu.h>

#include "sluice.h"

unsigned int sluice_net_id __read_mostly;

static int __net_init sluice_net_init(struct net *net)
{
	struct sluice_net *sn = sluice_pernet(net);
	int err;

	/* The allocation-failure sweep of namespace creation reads these two. */
	pr_debug("namespace: setting up\n");
	err = sluice_net_state_init(sn, net);
	if (err)
		goto err_out;
	sn->events = true;

	err = -ENOMEM;
	sn->drops = alloc_percpu(struct sluice_drops);
	if (!sn->drops)
		goto err_state;
	sluice_conn_init(sn);
	/*
	 * The hooks, the connection table and the periodic work come with
	 * the first service (service.c).
	 */
	sn->own_hooks = true;
	pr_debug("namespace: ready\n");
	return 0;

err_state:
	sluice_net_state_exit(sn);
err_out:
	return err;
}

/*
 * A namespace going (or the module): the hooks go first, then the
 * connection entries (freed at once) and the services, whose reals,
 * endpoints and VIPs go by RCU callbacks; sluice_net_exit_batch() waits
 * for those once for every namespace of the batch (the kernel deletes
 * namespaces, and unloads the module from all of them, in batches), then
 * frees the tables. Waiting in each namespace's exit cost
 * SLUICE_RCU_ROUNDS grace periods per namespace (seconds for a few
 * namespaces under load).
 */
static void __net_exit sluice_net_exit(struct net *net)
{
	struct sluice_net *sn = sluice_pernet(net);

	/* No packet after this; then the entries, which hold reals. */
	if (sn->hooks_on) {
		sluice_hooks_unregister(net);
		sn->hooks_on = false;
	}
	if (sn->active)
		sluice_est_stop(sn);
	sluice_conn_flush(sn);
	sluice_net_state_flush(sn);
}

static void __net_exit sluice_net_exit_batch(struct list_head *net_exit_list)
{
	struct sluice_net *sn;
	struct net *net;

	sluice_rcu_rounds();
	list_for_each_entry(net, net_exit_list, exit_list) {
		sn = sluice_pernet(net);
		sluice_conn_free(sn);
		sluice_net_state_free(sn);
		free_percpu(sn->drops);
	}
}

static struct pernet_operations sluice_net_ops = {
	.init = sluice_net_init,
	.exit = sluice_net_exit,
	.exit_batch = sluice_net_exit_batch,
	.id = &sluice_net_id,
	.size = sizeof(struct sluice_net),
};

int sluice_netns_register(void)
{
	return register_pernet_subsys(&sluice_net_ops);
}

void sluice_netns_unregister(void)
{
	unregister_pernet_subsys(&sluice_net_ops);
}
