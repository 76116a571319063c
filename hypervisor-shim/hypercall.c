// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Hypercall handlers. Every guest-supplied value is checked before use. */
#include <string.h>
#include <time.h>

#include <vmi/vmi_abi.h>
#include <vmi/vmi_hypercall.h>

#include "hypercall.h"

/* Which MMU calls a notification may carry, and what each one means. */
enum mmu_kind {
	MMU_NOT_ALLOWED,
	MMU_ENTRY_SET,		/* arg0 = entry va, arg1 = the value it now holds */
	MMU_ENTRY_CLEAR,	/* arg0 = entry va; it now holds 0 */
	MMU_TABLE_ALLOC,	/* arg0 = pfn */
	MMU_TABLE_RELEASE,	/* arg0 = pfn */
	MMU_FLUSH,		/* a flush point: audit compares */
};

static enum mmu_kind mmu_kind_of(uint64_t call, int *level)
{
	*level = 0;
	switch (call) {
	case VMI_CALL_NR_SET_PTE: *level = 1; return MMU_ENTRY_SET;
	case VMI_CALL_NR_SET_PMD: *level = 2; return MMU_ENTRY_SET;
	case VMI_CALL_NR_SET_PUD: *level = 3; return MMU_ENTRY_SET;
	case VMI_CALL_NR_SET_P4D: *level = 4; return MMU_ENTRY_SET;
	case VMI_CALL_NR_SET_PGD: *level = 5; return MMU_ENTRY_SET;
	case VMI_CALL_NR_PTE_UPDATE:
	case VMI_CALL_NR_MODIFY_PROT_COMMIT:
		return MMU_ENTRY_SET;
	case VMI_CALL_NR_PTE_CLEAR:
	case VMI_CALL_NR_PTE_GET_AND_CLEAR:
	case VMI_CALL_NR_MODIFY_PROT_START:
		return MMU_ENTRY_CLEAR;
	case VMI_CALL_NR_ALLOC_PTE: *level = 1; return MMU_TABLE_ALLOC;
	case VMI_CALL_NR_ALLOC_PMD: *level = 2; return MMU_TABLE_ALLOC;
	case VMI_CALL_NR_ALLOC_PUD: *level = 3; return MMU_TABLE_ALLOC;
	case VMI_CALL_NR_ALLOC_P4D: *level = 4; return MMU_TABLE_ALLOC;
	case VMI_CALL_NR_ALLOC_PGD: *level = 4; return MMU_TABLE_ALLOC;
	case VMI_CALL_NR_RELEASE_PTE:
	case VMI_CALL_NR_RELEASE_PMD:
	case VMI_CALL_NR_RELEASE_PUD:
	case VMI_CALL_NR_RELEASE_P4D:
	case VMI_CALL_NR_RELEASE_PGD:
		return MMU_TABLE_RELEASE;
	case VMI_CALL_NR_WRITE_CR3:
	case VMI_CALL_NR_INVLPG:
	case VMI_CALL_NR_FLUSH_TLB_USER:
	case VMI_CALL_NR_FLUSH_TLB_KERNEL:
	case VMI_CALL_NR_FLUSH_TLB_ALL:
	case VMI_CALL_NR_FLUSH_DEFERRED:
		return MMU_FLUSH;
	default:
		return MMU_NOT_ALLOWED;
	}
}

static int64_t mmu_entry_write(struct hc_env *env, uint64_t entry_va, uint64_t value)
{
	uint64_t gpa;

	if (entry_va & 7)
		return VMI_E_ALIGN;
	if (gmem_translate(&env->mem, &env->mmu, entry_va, &gpa) != VMI_OK ||
	    !gmem_phys(&env->mem, gpa, 8))
		return VMI_E_FAULT;
	if (env->audit)
		audit_note_write(env->audit, gpa, value);
	return VMI_OK;
}

static int64_t mmu_table_frame(struct hc_env *env, uint64_t pfn, enum mmu_kind kind, int level)
{
	if (pfn >= (env->mem.size >> GMEM_PAGE_SHIFT))
		return VMI_E_FAULT;
	if (!env->audit)
		return VMI_OK;
	if (kind == MMU_TABLE_ALLOC)
		audit_note_alloc(env->audit, pfn, level);
	else
		audit_note_release(env->audit, pfn);
	return VMI_OK;
}

/* One MMU operation; *flush is set when it is a flush point. */
static int64_t mmu_op(struct hc_env *env, uint64_t call, uint64_t arg0, uint64_t arg1,
		      bool *flush)
{
	int level;
	enum mmu_kind kind;

	if (call >= VMI_NR_CALLS)
		return VMI_E_NOSYS;
	kind = mmu_kind_of(call, &level);
	switch (kind) {
	case MMU_ENTRY_SET:
		return mmu_entry_write(env, arg0, arg1);
	case MMU_ENTRY_CLEAR:
		return mmu_entry_write(env, arg0, 0);
	case MMU_TABLE_ALLOC:
	case MMU_TABLE_RELEASE:
		return mmu_table_frame(env, arg0, kind, level);
	case MMU_FLUSH:
		*flush = true;
		return VMI_OK;
	default:
		return VMI_E_INVAL;
	}
}

/* mmu_op with its per-operation statistics. */
static int64_t mmu_op_counted(struct hc_env *env, uint64_t call, uint64_t arg0, uint64_t arg1,
			      bool *flush)
{
	uint64_t start = env->stats ? stats_now_ns() : 0;
	int64_t result = mmu_op(env, call, arg0, arg1, flush);

	env->ops++;
	if (env->stats)
		stats_record(stats_mmu_row(env->stats, call), stats_now_ns() - start, 1, result < 0);
	return result;
}

static void audit_flush_point(struct hc_env *env)
{
	if (env->audit)
		audit_check(env->audit, env->mmu.cr3, env->cpu);
}

static int64_t hc_activate(struct hc_env *env, uint64_t cpu, uint64_t data_area_va)
{
	uint64_t gpa;

	if (cpu >= env->nr_cpus)
		return VMI_E_INVAL;
	if (data_area_va) {
		if (data_area_va & (VMI_DATA_AREA_ALIGN - 1))
			return VMI_E_ALIGN;
		if (gmem_translate(&env->mem, &env->mmu, data_area_va, &gpa) != VMI_OK)
			return VMI_E_FAULT;
	}
	env->state->activated = true;
	env->state->data_area_va = data_area_va;
	if (env->audit && env->mmu.paging && env->mmu.long_mode)
		audit_seed(env->audit, env->mmu.cr3, env->cpu);
	return VMI_OK;
}

static int64_t hc_mmu(struct hc_env *env, uint64_t call, uint64_t arg0, uint64_t arg1)
{
	bool flush = false;
	int64_t result;

	if (!env->state->activated)
		return VMI_E_STATE;
	result = mmu_op_counted(env, call, arg0, arg1, &flush);
	if (result == VMI_OK && flush)
		audit_flush_point(env);
	return result;
}

static int64_t hc_mmu_batch(struct hc_env *env, uint64_t records_va, uint64_t count)
{
	uint64_t done;

	if (!env->state->activated)
		return VMI_E_STATE;
	if (count > VMI_HC_MAX_BATCH)
		return VMI_E_RANGE;
	if (records_va & 7)
		return VMI_E_ALIGN;
	for (done = 0; done < count; done++) {
		struct vmi_mmu_record record;
		uint64_t va = records_va + done * sizeof(record);
		bool flush = false;
		int64_t result;

		/* Records run in address order: one past 2^64 does not go on at 0. */
		if (va < records_va ||
		    gmem_read_virt(&env->mem, &env->mmu, va, &record, sizeof(record)) != VMI_OK)
			return VMI_E_FAULT;
		if (record.reserved)
			return VMI_E_INVAL;
		result = mmu_op_counted(env, record.call, record.arg0, record.arg1, &flush);
		if (result < 0)
			return result;
	}
	/* The ROM sends a batch at every flush point. */
	audit_flush_point(env);
	return (int64_t)done;
}

static int64_t hc_cr3_load(struct hc_env *env, uint64_t cr3)
{
	if (!env->state->activated)
		return VMI_E_STATE;
	if (!env->mmu.paging || !env->mmu.long_mode ||
	    (cr3 & GMEM_PTE_ADDR_MASK) != (env->mmu.cr3 & GMEM_PTE_ADDR_MASK))
		return VMI_E_INVAL;	/* not the CR3 the vCPU holds */
	audit_flush_point(env);
	return VMI_OK;
}

static int64_t hc_wallclock(struct hc_env *env, uint64_t out_va)
{
	struct vmi_wallclock clock;
	struct timespec now;

	if (!out_va)
		return VMI_E_INVAL;
	clock_gettime(CLOCK_REALTIME, &now);
	memset(&clock, 0, sizeof(clock));
	clock.sec = (uint64_t)now.tv_sec;
	clock.nsec = (uint32_t)now.tv_nsec;
	return gmem_write_virt(&env->mem, &env->mmu, out_va, &clock, sizeof(clock));
}

int64_t hc_dispatch(struct hc_env *env, const struct hc_args *args)
{
	const uint64_t *a = args->a;

	env->action = HC_CONTINUE;
	env->ops = 0;
	if (env->cpl != 0)
		return VMI_E_STATE;
	switch (args->nr) {
	case VMI_HC_VERSION:
		return ((int64_t)VMI_ABI_MAJOR << 16) | VMI_ABI_MINOR;
	case VMI_HC_ACTIVATE:
		return hc_activate(env, a[0], a[1]);
	case VMI_HC_MMU:
		return hc_mmu(env, a[0], a[1], a[2]);
	case VMI_HC_MMU_BATCH:
		return hc_mmu_batch(env, a[0], a[1]);
	case VMI_HC_CR3_LOAD:
		return hc_cr3_load(env, a[0]);
	case VMI_HC_CYCLE_FREQUENCY:
		return (int64_t)env->tsc_hz;
	case VMI_HC_WALLCLOCK:
		return hc_wallclock(env, a[0]);
	case VMI_HC_SHUTDOWN:
		env->action = HC_POWEROFF;
		return VMI_OK;
	case VMI_HC_REBOOT:
		env->action = HC_REBOOT;
		return VMI_OK;
	default:
		return VMI_E_NOSYS;
	}
}
