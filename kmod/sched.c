// SPDX-License-Identifier: GPL-2.0
/*
 * The scheduler registry, and the array of reals (struct sluice_dest_set)
 * that every built-in scheduler publishes with RCU.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sched.h"
#include "service.h"

static LIST_HEAD(sched_list);
static DEFINE_MUTEX(sched_mutex);

int sluice_sched_register(struct sluice_scheduler *s)
{
	const struct sluice_scheduler *o;
	int err = 0;

	mutex_lock(&sched_mutex);
	list_for_each_entry(o, &sched_list, list) {
		if (!strcmp(o->name, s->name)) {
			err = -EEXIST;
			goto out;
		}
	}
	list_add_tail(&s->list, &sched_list);
out:
	mutex_unlock(&sched_mutex);
	if (err)
		pr_err("scheduler %s registered twice\n", s->name);
	return err;
}

/*
 * Only for schedulers no service uses any more: the built-in ones go at
 * module exit, after every namespace's services.
 */
void sluice_sched_unregister(struct sluice_scheduler *s)
{
	mutex_lock(&sched_mutex);
	list_del(&s->list);
	mutex_unlock(&sched_mutex);
}

const struct sluice_scheduler *sluice_sched_get(const char *name)
{
	const struct sluice_scheduler *s, *found = NULL;

	mutex_lock(&sched_mutex);
	list_for_each_entry(s, &sched_list, list) {
		if (!strcmp(s->name, name)) {
			found = s;
			break;
		}
	}
	mutex_unlock(&sched_mutex);
	return found;
}

struct sluice_dest_set *sluice_dest_set_build(struct sluice_service *svc,
					      const struct sluice_sched_ctx *ctx,
					      size_t extra)
{
	struct sluice_dest_set *set;
	struct sluice_dest *dest;
	size_t off;
	u32 n = 0;

	off = ALIGN(struct_size(set, sd, svc->ndests), sizeof(u64));
	set = kvzalloc(off + extra, GFP_KERNEL);
	if (!set)
		return NULL;
	list_for_each_entry(dest, &svc->dests, list) {
		if (dest != ctx->exclude)
			set->sd[n++] = &dest->sd;
	}
	set->n = n;
	set->extra_off = off;
	return set;
}

void sluice_dest_set_free(struct sluice_dest_set *set)
{
	kvfree(set);
}

static void dest_set_free_cb(struct rcu_head *head)
{
	kvfree(container_of(head, struct sluice_dest_set, rcu));
}

void sluice_dest_set_free_rcu(struct sluice_dest_set *set)
{
	if (set)
		call_rcu(&set->rcu, dest_set_free_cb);
}
