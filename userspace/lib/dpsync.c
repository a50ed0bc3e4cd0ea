// SPDX-License-Identifier: GPL-2.0
/* The XDP program's VIP and service maps made to follow the module (dpsync.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dataplane.h"
#include "dpmaps.h"
#include "dpsync.h"
#include "grow.h"

struct keys {
	struct sluice_svc_key *v;
	size_t n, cap;
};

/* The module's services as XDP service keys (fwmark services have none). */
static int svc_key_add(const struct sluice_svc *svc, void *arg)
{
	struct keys *keys = arg;
	struct sluice_svc_key *k;

	if (svc->fwmark)
		return 0;
	if (SLUICE_GROW(keys->v, keys->n, keys->cap, 256))
		return -ENOMEM;
	k = &keys->v[keys->n++];
	memset(k, 0, sizeof(*k));
	k->family = svc->af;
	k->proto = svc->proto;
	k->port = htons(svc->port);
	memcpy(k->addr, svc->addr, svc->af == AF_INET ? 4 : 16);
	return 0;
}

int sluice_dp_sync(struct sluice_nl *nl, char *msg, size_t len)
{
	struct sluice_dpm_vips vips = { -1, -1 };
	struct keys keys = { 0 };
	int svc = -1, err, ret;

	vips.v4 = sluice_dp_map_fd("sluice_vips4", msg, len);
	if (vips.v4 == -ENOENT)
		return 1; /* no data plane in this namespace */
	vips.v6 = vips.v4 < 0 ? -1 : sluice_dp_map_fd("sluice_vips6", msg, len);
	svc = vips.v6 < 0 ? -1 : sluice_dp_map_fd("sluice_services", msg, len);
	if (svc < 0) {
		ret = svc;
		goto out;
	}
	err = sluice_svc_list(nl, svc_key_add, &keys);
	if (!err)
		err = sluice_dpm_sync(&vips, svc, keys.v, keys.n);
	ret = err;
	if (err)
		snprintf(msg, len, "the XDP maps could not follow: %s",
			 err == -ENOSPC ? "more VIPs than the XDP maps hold" :
					  sluice_nl_strerror(nl, err));
out:
	free(keys.v);
	if (vips.v4 >= 0)
		close(vips.v4);
	if (vips.v6 >= 0)
		close(vips.v6);
	if (svc >= 0)
		close(svc);
	return ret;
}
