/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The shim ROM's CALL entries: native stores plus notifications to the
 * project's VMM through the port-I/O hypercall transport. Entries in
 * shim.S jump here; everything follows the sysv convention.
 *
 * Page-table stores are made at once (atomically where hardware may set
 * accessed/dirty bits concurrently); only the notification is deferred.
 */
#include "shim_queue.h"

int64_t shim_hypercall(uint32_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	int64_t ret;

	/* The hypervisor preserves every register but rax. */
	__asm__ volatile("outl %%eax, %%dx"
			 : "=a"(ret)
			 : "a"((uint64_t)nr), "d"(VMI_HC_PORT), "b"(a0), "c"(a1),
			   "S"(a2)
			 : "memory");
	return ret;
}

static struct shim_cpu *this_cpu(void)
{
	return (struct shim_cpu *)vmi_rom_this_cpu();
}

/* Interrupts off so a handler on this CPU cannot interleave a record. */
static void notify(uint32_t call, uint64_t arg0, uint64_t arg1)
{
	uint64_t flags = vmi_irq_save();

	shim_mmu_notify(this_cpu(), call, arg0, arg1);
	vmi_irq_restore(flags);
}

static void flush_pending(void)
{
	uint64_t flags = vmi_irq_save();

	shim_queue_flush(this_cpu());
	vmi_irq_restore(flags);
}

static uint64_t va(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

int64_t shim_activate(void *data_area, uint32_t cpu)
{
	int64_t ret = vmi_rom_cpu_activate(data_area, cpu, SHIM_DATA_AREA_SIZE,
					   vmi_rom_gs_slot());

	if (ret == VMI_OK) {
		((struct shim_cpu *)data_area)->count = 0;
		shim_hypercall(VMI_HC_ACTIVATE, cpu, va(data_area), 0);
	}
	return ret;
}

static void store_entry(uint64_t *entry, uint32_t call, uint64_t value)
{
	__atomic_store_n(entry, value, __ATOMIC_RELAXED);
	notify(call, va(entry), value);
}

void shim_set_pte(uint64_t *p, uint64_t v) { store_entry(p, VMI_CALL_SET_PTE, v); }
void shim_set_pmd(uint64_t *p, uint64_t v) { store_entry(p, VMI_CALL_SET_PMD, v); }
void shim_set_pud(uint64_t *p, uint64_t v) { store_entry(p, VMI_CALL_SET_PUD, v); }
void shim_set_p4d(uint64_t *p, uint64_t v) { store_entry(p, VMI_CALL_SET_P4D, v); }
void shim_set_pgd(uint64_t *p, uint64_t v) { store_entry(p, VMI_CALL_SET_PGD, v); }
void shim_pte_clear(uint64_t *p) { store_entry(p, VMI_CALL_PTE_CLEAR, 0); }
void shim_modify_prot_commit(uint64_t *p, uint64_t v)
{
	store_entry(p, VMI_CALL_MODIFY_PROT_COMMIT, v);
}

/* xchg keeps accessed/dirty bits the hardware set up to this moment. */
static uint64_t exchange_zero(uint64_t *entry, uint32_t call)
{
	uint64_t old = __atomic_exchange_n(entry, 0, __ATOMIC_SEQ_CST);

	notify(call, va(entry), 0);
	return old;
}

uint64_t shim_pte_get_and_clear(uint64_t *p)
{
	return exchange_zero(p, VMI_CALL_PTE_GET_AND_CLEAR);
}

uint64_t shim_modify_prot_start(uint64_t *p)
{
	return exchange_zero(p, VMI_CALL_MODIFY_PROT_START);
}

uint64_t shim_pte_update(uint64_t *p, uint64_t clear_bits, uint64_t set_bits)
{
	uint64_t old = __atomic_load_n(p, __ATOMIC_RELAXED);
	uint64_t new;

	do {
		new = (old & ~clear_bits) | set_bits;
	} while (!__atomic_compare_exchange_n(p, &old, new, 0, __ATOMIC_SEQ_CST,
					      __ATOMIC_RELAXED));
	notify(VMI_CALL_PTE_UPDATE, va(p), new);
	return old;
}

/* Page-table page announcements: arg0 is the pfn. */
void shim_alloc_pte(uint64_t pfn) { notify(VMI_CALL_ALLOC_PTE, pfn, 0); }
void shim_alloc_pmd(uint64_t pfn) { notify(VMI_CALL_ALLOC_PMD, pfn, 0); }
void shim_alloc_pud(uint64_t pfn) { notify(VMI_CALL_ALLOC_PUD, pfn, 0); }
void shim_alloc_p4d(uint64_t pfn) { notify(VMI_CALL_ALLOC_P4D, pfn, 0); }
void shim_alloc_pgd(uint64_t pfn) { notify(VMI_CALL_ALLOC_PGD, pfn, 0); }
void shim_release_pte(uint64_t pfn) { notify(VMI_CALL_RELEASE_PTE, pfn, 0); }
void shim_release_pmd(uint64_t pfn) { notify(VMI_CALL_RELEASE_PMD, pfn, 0); }
void shim_release_pud(uint64_t pfn) { notify(VMI_CALL_RELEASE_PUD, pfn, 0); }
void shim_release_p4d(uint64_t pfn) { notify(VMI_CALL_RELEASE_P4D, pfn, 0); }
void shim_release_pgd(uint64_t pfn) { notify(VMI_CALL_RELEASE_PGD, pfn, 0); }

/* Flush points: the queue goes out before the TLB or the tables change. */
void shim_write_cr3(uint64_t value)
{
	flush_pending();
	__asm__ volatile("mov %0, %%cr3" : : "r"(value) : "memory");
	shim_hypercall(VMI_HC_CR3_LOAD, value, 0, 0);
}

void shim_write_cr4(uint64_t value)
{
	flush_pending();
	__asm__ volatile("mov %0, %%cr4" : : "r"(value) : "memory");
}

void shim_invlpg(uint64_t addr)
{
	flush_pending();
	__asm__ volatile("invlpg (%0)" : : "r"(addr) : "memory");
}

void shim_flush_tlb_user(void)
{
	uint64_t cr3;

	flush_pending();
	__asm__ volatile("mov %%cr3, %0; mov %0, %%cr3" : "=r"(cr3) : : "memory");
}

/*
 * Toggling CR4.PGE flushes global entries too. Interrupts stay off from
 * the read to the second write: a handler that changes CR4 meanwhile (an
 * IPI updating CR4.PCE, say) would otherwise have its change undone.
 */
void shim_flush_tlb_global(void)
{
	uint64_t flags = vmi_irq_save();
	uint64_t cr4;

	shim_queue_flush(this_cpu());
	__asm__ volatile("mov %%cr4, %0; xor %1, %0; mov %0, %%cr4;"
			 "xor %1, %0; mov %0, %%cr4"
			 : "=&r"(cr4) : "i"(X86_CR4_PGE) : "memory");
	vmi_irq_restore(flags);
}

int64_t shim_set_deferred_mode(uint32_t mode)
{
	uint64_t flags = vmi_irq_save();
	int64_t ret = shim_set_mode(this_cpu(), mode);

	vmi_irq_restore(flags);
	return ret;
}

uint64_t shim_get_deferred_mode(void)
{
	struct shim_cpu *s = this_cpu();

	return s ? s->common.deferred_mode : VMI_DEFER_NONE;
}

void shim_flush_deferred(void)
{
	flush_pending();
}

uint64_t shim_get_cycle_frequency(void)
{
	int64_t hz = shim_hypercall(VMI_HC_CYCLE_FREQUENCY, 0, 0, 0);

	return hz > 0 ? (uint64_t)hz : 0;
}

int64_t shim_get_wallclock(struct vmi_wallclock *out)
{
	if (!out)
		return VMI_E_INVAL;
	return shim_hypercall(VMI_HC_WALLCLOCK, va(out), 0, 0);
}

void shim_reboot(void)
{
	shim_hypercall(VMI_HC_REBOOT, 0, 0, 0);
	vmi_rom_native_reboot();	/* a VMM that ignored us still resets */
}

void shim_shutdown(void)
{
	shim_hypercall(VMI_HC_SHUTDOWN, 0, 0, 0);
	vmi_halt_forever();
}
