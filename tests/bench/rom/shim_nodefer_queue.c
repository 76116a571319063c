/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The shim ROM with batching turned off, for the benchmarks' "deferred
 * off" column: linked in place of rom/shim/shim_queue.c, so every other
 * entry is the shim ROM's own. The guest still enters and leaves deferred
 * mode exactly as before (the mode reads back as set), but every MMU
 * notification is sent at once as its own MMU hypercall. That is still a
 * correct ROM: the store is made natively and the hypervisor hears of it
 * before the next flush point, only never in a batch.
 */
#include "shim_queue.h"

/* Nothing is ever queued, so there is nothing to send. */
void shim_queue_flush(struct shim_cpu *s)
{
	(void)s;
}

void shim_mmu_notify(struct shim_cpu *s, uint32_t call, uint64_t arg0,
		     uint64_t arg1)
{
	(void)s;
	shim_hypercall(VMI_HC_MMU, call, arg0, arg1);
}

/* The shim ROM's rules for the mode itself (INVAL, STATE), no flush. */
int64_t shim_set_mode(struct shim_cpu *s, uint32_t mode)
{
	if (mode & ~(uint32_t)VMI_ROM_DEFER_KNOWN)
		return VMI_E_INVAL;
	if (!s)
		return VMI_E_STATE;
	s->common.deferred_mode = mode;
	return VMI_OK;
}
