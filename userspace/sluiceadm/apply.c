// SPDX-License-Identifier: GPL-2.0
/* One command to the kernel (see apply.h). */
#include <errno.h>

#include "apply.h"

int adm_is_change(enum adm_cmdid cmd)
{
	switch (cmd) {
	case ADM_ADD:
	case ADM_EDIT:
	case ADM_DEL:
	case ADM_FLUSH:
	case ADM_ADDDEST:
	case ADM_EDITDEST:
	case ADM_DELDEST:
	case ADM_ZERO:
	case ADM_TIMEOUT:
	case ADM_CONFIG:
		return 1;
	default:
		return 0;
	}
}

int adm_apply(struct sluice_nl *nl, const struct adm_cmd *c)
{
	switch (c->cmd) {
	case ADM_ADD:
		return sluice_svc_cmd(nl, SLUICE_CMD_NEW_SERVICE, &c->svc);
	case ADM_EDIT:
		return sluice_svc_cmd(nl, SLUICE_CMD_SET_SERVICE, &c->svc);
	case ADM_DEL:
		return sluice_svc_cmd(nl, SLUICE_CMD_DEL_SERVICE, &c->svc);
	case ADM_FLUSH:
		return sluice_flush(nl);
	case ADM_ADDDEST:
		return sluice_dest_cmd(nl, SLUICE_CMD_NEW_DEST, &c->svc,
				       &c->dest);
	case ADM_EDITDEST:
		return sluice_dest_cmd(nl, SLUICE_CMD_SET_DEST, &c->svc,
				       &c->dest);
	case ADM_DELDEST:
		return sluice_dest_cmd(nl, SLUICE_CMD_DEL_DEST, &c->svc,
				       &c->dest);
	case ADM_ZERO:
		return sluice_zero(nl, c->options & ADM_HAS(ADM_O_SERVICE) ?
					       &c->svc :
					       NULL);
	case ADM_TIMEOUT:
	case ADM_CONFIG:
		return sluice_cfg_set(nl, &c->cfg);
	default:
		return -EINVAL;
	}
}
