/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Deferred MMU notifications of the shim ROM: the queue in the per-CPU
 * data area and the points where it is sent. Callers run with interrupts
 * disabled, so an interrupt handler on this CPU never sees a half-appended
 * record. Pure logic: also built for the host unit test.
 */
#include "shim_queue.h"

void shim_queue_flush(struct shim_cpu *s)
{
	if (!s || !s->count)
		return;
	shim_hypercall(VMI_HC_MMU_BATCH, (uint64_t)(uintptr_t)s->queue,
		       s->count, 0);
	/* A record the hypervisor refused cannot be retried meaningfully. */
	s->count = 0;
}

void shim_mmu_notify(struct shim_cpu *s, uint32_t call, uint64_t arg0,
		     uint64_t arg1)
{
	struct vmi_mmu_record *r;

	if (!s || !(s->common.deferred_mode & VMI_DEFER_MMU)) {
		shim_hypercall(VMI_HC_MMU, call, arg0, arg1);
		return;
	}
	if (s->count >= SHIM_QUEUE_CAPACITY)
		shim_queue_flush(s);	/* only if a caller skipped a flush */
	r = &s->queue[s->count++];
	r->call = call;
	r->reserved = 0;
	r->arg0 = arg0;
	r->arg1 = arg1;
	if (s->count == SHIM_QUEUE_CAPACITY)
		shim_queue_flush(s);
}

int64_t shim_set_mode(struct shim_cpu *s, uint32_t mode)
{
	if (mode & ~(uint32_t)VMI_ROM_DEFER_KNOWN)
		return VMI_E_INVAL;
	if (!s)
		return VMI_E_STATE;
	if (s->common.deferred_mode & ~mode)
		shim_queue_flush(s);
	s->common.deferred_mode = mode;
	return VMI_OK;
}
