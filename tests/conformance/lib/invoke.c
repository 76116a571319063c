/* Safe invocations of every returning call; see invoke.h. */
#include "invoke.h"
#include "fixture.h"
#include "cpu.h"

#define TSS_TYPE_BUSY_BIT (1ULL << 41)
#define HALT_TIMER_COUNT 200000 /* APIC timer ticks between wake-ups */
#define DR7_RESET 0x400
#define NO_SUCH_APIC 0xff       /* a one-CPU guest has no APIC 255 */

static struct {
	struct native_desc_ptr gdtr, idtr;
	struct vmi_cpuid_regs cpuid;
	struct vmi_wallclock wallclock;
	uint64_t msr_value;
	uint64_t gdt_desc[2];
	uint8_t idt_copy[16 * 16];
	uint8_t gate[16];
	uint64_t no_apic_ids[1];
	uint8_t lock;
} scratch __attribute__((aligned(16)));

uint16_t other_tss(void)
{
	uint64_t *gdt = desc_gdt();
	uint16_t sel = native_str() == SEL_TSS_A ? SEL_TSS_B : SEL_TSS_A;

	gdt[sel / 8] &= ~TSS_TYPE_BUSY_BIT;
	return sel;
}

static void prepare_cpu(unsigned nr, struct invocation *inv)
{
	uint64_t *a = inv->args;

	switch (nr) {
	case VMI_CALL_ACTIVATE: a[0] = (uint64_t)rom.data_area; break;
	case VMI_CALL_WRITE_CR0: a[0] = native_read_cr0(); break;
	case VMI_CALL_WRITE_CR2: a[0] = 0x5eed000; break;
	case VMI_CALL_WRITE_CR4: a[0] = native_read_cr4(); break;
	case VMI_CALL_READ_MSR: a[0] = MSR_KERNEL_GS_BASE; break;
	case VMI_CALL_WRITE_MSR:
	case VMI_CALL_WRITE_MSR_SAFE:
		a[0] = MSR_KERNEL_GS_BASE, a[1] = native_rdmsr(MSR_KERNEL_GS_BASE); break;
	case VMI_CALL_READ_MSR_SAFE: a[0] = MSR_KERNEL_GS_BASE, a[1] = (uint64_t)&scratch.msr_value; break;
	case VMI_CALL_CPUID: scratch.cpuid = (struct vmi_cpuid_regs){ 0 }; a[0] = (uint64_t)&scratch.cpuid; break;
	case VMI_CALL_READ_PMC: a[0] = 0; break;
	case VMI_CALL_GET_DEBUGREG: a[0] = 7; break;
	case VMI_CALL_SET_DEBUGREG: a[0] = 7, a[1] = DR7_RESET; break;
	case VMI_CALL_LOAD_GDT: native_sgdt(&scratch.gdtr); a[0] = (uint64_t)&scratch.gdtr; break;
	case VMI_CALL_LOAD_IDT: native_sidt(&scratch.idtr); a[0] = (uint64_t)&scratch.idtr; break;
	case VMI_CALL_LOAD_TR: a[0] = other_tss(); break;
	case VMI_CALL_LOAD_LDT: a[0] = SEL_LDT; break;
	case VMI_CALL_WRITE_GDT_ENTRY:
		a[0] = (uint64_t)desc_gdt(), a[1] = GDT_SPARE_INDEX;
		a[2] = (uint64_t)scratch.gdt_desc, a[3] = 8; break;
	case VMI_CALL_WRITE_IDT_ENTRY:
		a[0] = (uint64_t)scratch.idt_copy, a[1] = 3, a[2] = (uint64_t)scratch.gate; break;
	case VMI_CALL_WRITE_LDT_ENTRY: a[0] = (uint64_t)desc_ldt(), a[1] = 1, a[2] = 0; break;
	case VMI_CALL_LOAD_GS_INDEX: a[0] = 0; break;
	case VMI_CALL_LOAD_SP0: a[0] = 0; break;
	}
}

static void prepare_irq_mmu(unsigned nr, struct invocation *inv)
{
	uint64_t *a = inv->args;
	uint64_t *spare = fix.ready ? &fix.pt[FIX_SPARE_PTE] : NULL;
	uint64_t scratch_pfn = pfn_of(scratch.idt_copy);

	switch (nr) {
	case VMI_CALL_RESTORE_FL: a[0] = native_save_fl(); break;
	case VMI_CALL_SAFE_HALT:
	case VMI_CALL_HALT:
		if (!apic_available())
			inv->skip = "no local APIC to wake the CPU";
		break;
	case VMI_CALL_WRITE_CR3: a[0] = native_read_cr3(); break;
	case VMI_CALL_SET_PTE: case VMI_CALL_SET_PMD: case VMI_CALL_SET_PUD:
	case VMI_CALL_SET_P4D: case VMI_CALL_SET_PGD: case VMI_CALL_PTE_CLEAR:
	case VMI_CALL_PTE_GET_AND_CLEAR: case VMI_CALL_PTE_UPDATE:
	case VMI_CALL_MODIFY_PROT_START: case VMI_CALL_MODIFY_PROT_COMMIT:
		if (!spare)
			inv->skip = "the MMU fixture could not be built";
		a[0] = (uint64_t)spare; break;
	case VMI_CALL_ALLOC_PTE: case VMI_CALL_ALLOC_PMD: case VMI_CALL_ALLOC_PUD:
	case VMI_CALL_ALLOC_P4D: case VMI_CALL_ALLOC_PGD: case VMI_CALL_RELEASE_PTE:
	case VMI_CALL_RELEASE_PMD: case VMI_CALL_RELEASE_PUD: case VMI_CALL_RELEASE_P4D:
	case VMI_CALL_RELEASE_PGD:
		a[0] = scratch_pfn; break;
	case VMI_CALL_INVLPG: a[0] = fix_va(0); break;
	case VMI_CALL_SET_DEFERRED_MODE: a[0] = VMI_DEFER_NONE; break;
	case VMI_CALL_GET_WALLCLOCK: a[0] = (uint64_t)&scratch.wallclock; break;
	case VMI_CALL_REBOOT: case VMI_CALL_SHUTDOWN: inv->skip = "does not return"; break;
	}
}

/* ABI 1.1: nothing is sent, no CPU is woken, the byte never matches. */
static void prepare_pv(unsigned nr, struct invocation *inv)
{
	uint64_t *a = inv->args;

	switch (nr) {
	case VMI_CALL_SET_DATA_AREA_PA: a[0] = (uint64_t)(uintptr_t)rom.data_area; break;
	case VMI_CALL_SEND_IPI:
		scratch.no_apic_ids[0] = 0;
		a[0] = (uint64_t)scratch.no_apic_ids, a[1] = 1, a[2] = VEC_SELF_IPI; break;
	case VMI_CALL_SPIN_WAIT: scratch.lock = 0; a[0] = (uint64_t)&scratch.lock, a[1] = 1; break;
	case VMI_CALL_SPIN_KICK: case VMI_CALL_YIELD_TO: a[0] = NO_SUCH_APIC; break;
	}
}

void invoke_prepare(unsigned nr, struct invocation *inv)
{
	*inv = (struct invocation){ .rflags = native_save_fl() & ~RFLAGS_IF };
	if (nr == VMI_CALL_HALT)
		inv->rflags |= RFLAGS_IF;
	prepare_cpu(nr, inv);
	prepare_irq_mmu(nr, inv);
	prepare_pv(nr, inv);
}

static void before(unsigned nr)
{
	if (nr == VMI_CALL_SAFE_HALT)
		apic_self_ipi(VEC_SELF_IPI);    /* pending while IF=0: wakes sti;hlt */
	if (nr == VMI_CALL_HALT)
		apic_timer_periodic(VEC_TIMER, HALT_TIMER_COUNT);
	if (nr >= VMI_CALL_RELEASE_PTE && nr <= VMI_CALL_RELEASE_PGD)
		CALL1(ALLOC_PTE + (nr - VMI_CALL_RELEASE_PTE), pfn_of(scratch.idt_copy));
}

static void after(unsigned nr)
{
	struct call_result saved = last;

	native_irq_disable();
	if (nr == VMI_CALL_HALT)
		apic_timer_periodic(VEC_TIMER, 0);
	if (nr >= VMI_CALL_ALLOC_PTE && nr <= VMI_CALL_ALLOC_PGD)
		CALL1(RELEASE_PTE + (nr - VMI_CALL_ALLOC_PTE), pfn_of(scratch.idt_copy));
	last = saved;
}

void invoke_run(unsigned nr, uint64_t target, const struct invocation *inv,
		struct call_result *r)
{
	before(nr);
	guarded_run(target, nr, inv->args, inv->rflags, r);
	after(nr);
}

bool native_works(unsigned nr, const struct invocation *inv)
{
	struct call_result r;

	if (!call_meta[nr].has_native || !conf_native_table[nr])
		return true;
	invoke_run(nr, conf_native_table[nr], inv, &r);
	return !r.fault;
}

bool invoke_rom(unsigned nr, struct call_result *r, const char **skip)
{
	struct invocation inv;

	invoke_prepare(nr, &inv);
	*skip = inv.skip;
	if (!inv.skip && !rom_present(nr))
		*skip = "not offered by this ROM";
	if (!inv.skip && nr == VMI_CALL_READ_PMC && !native_works(nr, &inv))
		*skip = "native RDPMC faults on this CPU";
	if (*skip)
		return false;
	calls_made[nr]++;
	invoke_run(nr, (uint64_t)(rom.image + rom_entry(nr)->offset), &inv, r);
	last = *r;
	return true;
}
