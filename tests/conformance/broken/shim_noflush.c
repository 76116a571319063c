/*
 * A broken variant of the shim ROM: its deferred queue is dropped at every
 * flush point instead of reaching the hypervisor. Every store still lands,
 * so the guest sees nothing wrong; only the VMM's page-table audit can
 * catch it, which the runner checks on the shim host.
 */
#include "../../../rom/shim/shim_queue.h"

static int64_t dropping_hypercall(uint32_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	if (nr == VMI_HC_MMU_BATCH)
		return (int64_t)a1;     /* the defect: claim the batch was processed */
	return shim_hypercall(nr, a0, a1, a2);
}

#define shim_hypercall dropping_hypercall
#include "../../../rom/shim/shim_queue.c"
