// SPDX-License-Identifier: GPL-2.0
/*
 * The rate estimator: every SLUICE_EST_INTERVAL, each service's and real's
 * connections, packets and bytes per second (stats.c's averages), per
 * namespace, from a delayed work that takes the config lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/workqueue.h>

#include "service.h"

#define SLUICE_EST_INTERVAL_MS	2000

static void est_work(struct work_struct *work)
{
	struct sluice_net *sn = container_of(to_delayed_work(work), struct sluice_net, est);
	struct sluice_service *svc;
	struct sluice_dest *dest;

	mutex_lock(&sn->config_lock);
	list_for_each_entry(svc, &sn->svc_list, list) {
		sluice_stats_estimate(&svc->stats, SLUICE_EST_INTERVAL_MS);
		list_for_each_entry(dest, &svc->dests, list)
			sluice_stats_estimate(&dest->stats, SLUICE_EST_INTERVAL_MS);
	}
	mutex_unlock(&sn->config_lock);
	queue_delayed_work(system_power_efficient_wq, &sn->est,
			   msecs_to_jiffies(SLUICE_EST_INTERVAL_MS));
}

void sluice_est_start(struct sluice_net *sn)
{
	INIT_DELAYED_WORK(&sn->est, est_work);
	queue_delayed_work(system_power_efficient_wq, &sn->est,
			   msecs_to_jiffies(SLUICE_EST_INTERVAL_MS));
}

void sluice_est_stop(struct sluice_net *sn)
{
	cancel_delayed_work_sync(&sn->est);
}
