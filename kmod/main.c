// SPDX-License-Identifier: GPL-2.0
/*
 * sluice: an L4 load balancer. Module entry and exit.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "fastpath.h"
#include "route.h"
#include "sched.h"
#include "sluice.h"

static int __init sluice_init(void)
{
	int err;

	/* The allocation-failure sweep of module load reads this and "loaded". */
	pr_debug("loading version %s\n", SLUICE_VERSION);
	err = sluice_conn_module_init();
	if (err)
		goto err_out;

	err = sluice_sched_builtin_init();
	if (err)
		goto err_conn;

	/* Namespaces before the family, so every request finds its state. */
	err = sluice_netns_register();
	if (err)
		goto err_sched;

	/* After the namespaces' state exists: it reads it on device events. */
	err = sluice_route_register();
	if (err)
		goto err_netns;

	err = sluice_fp_register();
	if (err)
		goto err_route;

	err = sluice_genl_register();
	if (err)
		goto err_fp;

	pr_info("version %s loaded\n", SLUICE_VERSION);
	return 0;

err_fp:
	sluice_fp_unregister();
err_route:
	sluice_route_unregister();
err_netns:
	sluice_netns_unregister();
err_sched:
	sluice_sched_builtin_exit();
err_conn:
	sluice_conn_module_exit();
err_out:
	return err;
}

static void __exit sluice_exit(void)
{
	sluice_genl_unregister();
	sluice_fp_unregister();
	sluice_route_unregister();
	sluice_netns_unregister();
	sluice_sched_builtin_exit();
	sluice_conn_module_exit();
	pr_info("unloaded\n");
}

module_init(sluice_init);
module_exit(sluice_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The sluice authors");
MODULE_DESCRIPTION("sluice: L4 load balancer with Maglev consistent hashing");
MODULE_VERSION(SLUICE_VERSION);
