/*
 * cpu: each CPU-control call against the spec and against the native
 * instruction: control registers read back, MSRs and CPUID equal native,
 * debug registers, descriptor tables and segment loads take effect.
 */
#include "invoke.h"
#include "cpu.h"

#define CR0_TS (1ULL << 3)
#define CR4_TSD (1ULL << 2)
#define MSR_TEST_VALUE 0x00007f00c0ffee00ULL
#define DR_TEST_ADDR 0x12345000ULL
#define DR7_RESET 0x400

static void control_registers(void)
{
	uint64_t cr0 = native_read_cr0(), cr4 = native_read_cr4(), v;

	v = CALL0(READ_CR0);
	report(v == cr0 && !last.fault, "read_cr0 = native (%lx vs %lx)%s", v, cr0, fault_text(&last));
	CALL1(WRITE_CR0, cr0 ^ CR0_TS);
	v = native_read_cr0();
	report(v == (cr0 ^ CR0_TS) && CALL0(READ_CR0) == v, "write_cr0 toggles CR0.TS and read_cr0 returns it");
	CALL1(WRITE_CR0, cr0);
	report(native_read_cr0() == cr0, "write_cr0 restores CR0");
	CALL1(WRITE_CR2, 0xdead5000);
	report(native_read_cr2() == 0xdead5000, "write_cr2 loads CR2 (native reads %lx)", native_read_cr2());
	v = CALL0(READ_CR2);
	report(v == 0xdead5000, "read_cr2 returns what write_cr2 loaded (%lx)", v);
	v = CALL0(READ_CR4);
	report(v == cr4, "read_cr4 = native (%lx vs %lx)", v, cr4);
	CALL1(WRITE_CR4, cr4 ^ CR4_TSD);
	report(native_read_cr4() == (cr4 ^ CR4_TSD) && CALL0(READ_CR4) == (cr4 ^ CR4_TSD),
	       "write_cr4 toggles CR4.TSD and read_cr4 returns it");
	CALL1(WRITE_CR4, cr4);
}

static void msrs(void)
{
	uint64_t saved = native_rdmsr(MSR_KERNEL_GS_BASE), v = 0;
	int64_t r;

	v = CALL1(READ_MSR, MSR_KERNEL_GS_BASE);
	report(v == saved, "read_msr(KERNEL_GS_BASE) = rdmsr (%lx vs %lx)%s", v, saved, fault_text(&last));
	CALL2(WRITE_MSR, MSR_KERNEL_GS_BASE, MSR_TEST_VALUE);
	report(native_rdmsr(MSR_KERNEL_GS_BASE) == MSR_TEST_VALUE &&
	       CALL1(READ_MSR, MSR_KERNEL_GS_BASE) == MSR_TEST_VALUE,
	       "write_msr then rdmsr and read_msr return the value");
	native_wrmsr(MSR_KERNEL_GS_BASE, saved);
	if (need(VMI_CALL_READ_MSR_SAFE)) {
		r = (int64_t)CALL2(READ_MSR_SAFE, MSR_KERNEL_GS_BASE, &v);
		report(r == VMI_OK && v == saved, "read_msr_safe of an existing MSR: OK and the value");
	}
	if (need(VMI_CALL_WRITE_MSR_SAFE)) {
		r = (int64_t)CALL2(WRITE_MSR_SAFE, MSR_KERNEL_GS_BASE, MSR_TEST_VALUE);
		report(r == VMI_OK && native_rdmsr(MSR_KERNEL_GS_BASE) == MSR_TEST_VALUE,
		       "write_msr_safe of an existing MSR: OK and written");
		native_wrmsr(MSR_KERNEL_GS_BASE, saved);
	}
}

static void cpuid_matches(void)
{
	static const uint32_t leaves[][2] = { { 0, 0 }, { 1, 0 }, { 7, 0 }, { 0x80000001, 0 } };

	for (unsigned i = 0; i < ARRAY_SIZE(leaves); i++) {
		struct vmi_cpuid_regs r = { .eax = leaves[i][0], .ecx = leaves[i][1] };
		uint32_t n[4];

		native_cpuid(leaves[i][0], leaves[i][1], n);
		CALL1(CPUID, &r);
		report(r.eax == n[0] && r.ebx == n[1] && r.ecx == n[2] && r.edx == n[3],
		       "cpuid leaf %x = native (%x %x %x %x)%s", leaves[i][0], r.eax, r.ebx, r.ecx,
		       r.edx, fault_text(&last));
	}
}

static void caches_and_counters(void)
{
	struct invocation inv;
	uint64_t marker = 0x5a5a;

	CALL0(WBINVD);
	report(!last.fault && marker == 0x5a5a, "wbinvd returns and memory is intact%s", fault_text(&last));
	invoke_prepare(VMI_CALL_READ_PMC, &inv);
	if (!need(VMI_CALL_READ_PMC))
		return;
	if (!native_works(VMI_CALL_READ_PMC, &inv)) {
		struct call_result native;

		invoke_run(VMI_CALL_READ_PMC, conf_native_table[VMI_CALL_READ_PMC], &inv, &native);
		CALL1(READ_PMC, 0);
		report(!last.fault || last.fault == native.fault,
		       "read_pmc(0): native RDPMC raises %s here; the entry does no worse%s",
		       exception_name(native.fault - 1), fault_text(&last));
		return;
	}
	CALL1(READ_PMC, 0);
	report(!last.fault, "read_pmc(0) returns%s", fault_text(&last));
}

static uint64_t native_dr6(void)
{
	uint64_t v;

	__asm__ volatile("mov %%db6, %0" : "=r"(v));
	return v;
}

static void debug_registers(void)
{
	uint64_t dr6;

	for (uint32_t reg = 0; reg < 4; reg++) {
		int64_t r = (int64_t)CALL2(SET_DEBUGREG, reg, DR_TEST_ADDR + reg * 8);
		uint64_t v = CALL1(GET_DEBUGREG, reg);

		report(r == VMI_OK && v == DR_TEST_ADDR + reg * 8,
		       "set_debugreg(%u) returns OK and get_debugreg reads it back (%lx)", reg, v);
		CALL2(SET_DEBUGREG, reg, 0);
	}
	CALL2(SET_DEBUGREG, 7, DR7_RESET);
	report(CALL1(GET_DEBUGREG, 7) == DR7_RESET, "DR7 reads back its reset value");
	CALL2(SET_DEBUGREG, 6, 0);
	dr6 = CALL1(GET_DEBUGREG, 6);
	report(!last.fault && dr6 == native_dr6(), "get_debugreg(6) = native DR6 (%lx)", dr6);
}

static void descriptor_tables(void)
{
	struct native_desc_ptr gdtr, idtr, now;
	struct vmi_desc_ptr d;
	static uint8_t gdt_copy[GDT_ENTRIES * 8] __attribute__((aligned(16)));

	native_sgdt(&gdtr);
	native_sidt(&idtr);
	memcpy(gdt_copy, (void *)gdtr.base, gdtr.limit + 1);
	d = (struct vmi_desc_ptr){ gdtr.limit, (uint64_t)gdt_copy };
	CALL1(LOAD_GDT, &d);
	native_sgdt(&now);
	report(now.base == (uint64_t)gdt_copy && now.limit == gdtr.limit,
	       "load_gdt: SGDT stores the new base and limit%s", fault_text(&last));
	d = (struct vmi_desc_ptr){ gdtr.limit, gdtr.base };
	CALL1(LOAD_GDT, &d);
	d = (struct vmi_desc_ptr){ idtr.limit - 16, idtr.base };
	CALL1(LOAD_IDT, &d);
	native_sidt(&now);
	report(now.base == idtr.base && now.limit == idtr.limit - 16,
	       "load_idt: SIDT stores the new limit%s", fault_text(&last));
	d = (struct vmi_desc_ptr){ idtr.limit, idtr.base };
	CALL1(LOAD_IDT, &d);
}

static void segments(void)
{
	uint16_t sel = other_tss();
	uint64_t gs_base = native_rdmsr(MSR_GS_BASE), tr;

	CALL1(LOAD_TR, sel);
	report(native_str() == sel, "load_tr(%x): STR reads %x", sel, native_str());
	tr = CALL0(STORE_TR);
	report(tr == sel, "store_tr returns the task register (%lx)", tr);
	CALL1(LOAD_LDT, SEL_LDT);
	report(native_sldt() == SEL_LDT, "load_ldt(%x): SLDT reads %x", SEL_LDT, native_sldt());
	CALL1(LOAD_LDT, 0);
	report(native_sldt() == 0, "load_ldt(0) disables the LDT");
	CALL1(LOAD_GS_INDEX, SEL_DATA);
	report(native_read_gs_sel() == SEL_DATA && native_rdmsr(MSR_GS_BASE) == gs_base,
	       "load_gs_index loads GS and keeps the kernel GS base%s", fault_text(&last));
	CALL1(LOAD_GS_INDEX, 0);
	native_wrmsr(MSR_GS_BASE, gs_base);
	CALL1(LOAD_SP0, 0x200000);
	report(!last.fault, "load_sp0 returns%s", fault_text(&last));
}

static void table_entries(void)
{
	uint64_t *gdt = desc_gdt(), *ldt = desc_ldt();
	static uint8_t idt_copy[32 * 16] __attribute__((aligned(16)));
	const uint64_t desc[2] = { 0x00cf92000000ffffULL, 0x1122334455667788ULL };
	uint8_t gate[16];

	CALL4(WRITE_GDT_ENTRY, gdt, GDT_SPARE_INDEX, desc, 8);
	report(gdt[GDT_SPARE_INDEX] == desc[0], "write_gdt_entry size 8 writes the descriptor");
	CALL4(WRITE_GDT_ENTRY, gdt, GDT_SPARE_INDEX + 2, desc, 16);
	report(gdt[GDT_SPARE_INDEX + 2] == desc[0] && gdt[GDT_SPARE_INDEX + 3] == desc[1],
	       "write_gdt_entry size 16 writes both halves");
	for (unsigned i = 0; i < sizeof(gate); i++)
		gate[i] = (uint8_t)(0xa0 + i);
	CALL3(WRITE_IDT_ENTRY, idt_copy, 7, gate);
	report(memcmp(idt_copy + 7 * 16, gate, 16) == 0, "write_idt_entry copies the 16-byte gate");
	CALL3(WRITE_LDT_ENTRY, ldt, 2, desc[1]);
	report(ldt[2] == desc[1], "write_ldt_entry stores the descriptor");
	ldt[2] = 0;
}

void case_cpu(void)
{
	control_registers();
	msrs();
	cpuid_matches();
	caches_and_counters();
	debug_registers();
	descriptor_tables();
	segments();
	table_entries();
}
