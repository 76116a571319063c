// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Descriptor tables for the hostile tests, and the cpl3-hypercall test.
 *
 * The GDT adds ring-3 segments and a 64-bit TSS (its rsp0 is where a
 * ring-3 interrupt lands); the IDT sends every exception to hostile_trap,
 * which prints the test's FAILURE line instead of letting a broken test
 * end in a triple fault that says nothing, and has one DPL-3 gate that
 * ring 3 uses to come back.
 */
#include <vmi/vmi_abi.h>

#include "hostile.h"

struct gate {
	uint16_t offset_low, selector;
	uint8_t ist, flags;
	uint16_t offset_mid;
	uint32_t offset_high, reserved;
};

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1, ist[7], reserved2;
	uint16_t reserved3, iomap_base;
} __attribute__((packed));

struct table_pointer {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

#define GATE_INTERRUPT 0x8e	/* present, DPL 0, 64-bit interrupt gate */
#define GATE_DPL3 0x60
#define TSS_AVAILABLE 0x89ULL	/* present, 64-bit TSS, not busy */
#define VECTOR_PF 14

/* Filled in at run time: initialised, it would be writable data in the
 * image's segment of code and constants (and ltr writes to it anyway). */
static uint64_t gdt[SEL_TSS / 8 + 2];
static struct gate idt[256];
static struct tss tss;
/* rsp0: the stack a ring-3 interrupt switches to. */
static uint8_t ring0_stack[8192] __attribute__((aligned(16)));

static void set_gate(unsigned vector, uint64_t handler, uint8_t flags)
{
	idt[vector] = (struct gate){
		.offset_low = (uint16_t)handler, .selector = SEL_KCODE, .flags = flags,
		.offset_mid = (uint16_t)(handler >> 16), .offset_high = (uint32_t)(handler >> 32),
	};
}

static void build_tables(void)
{
	uint64_t base = (uint64_t)&tss;

	gdt[SEL_KCODE / 8] = 0x00af9a000000ffffULL;	/* 64-bit code, DPL 0 */
	gdt[SEL_KDATA / 8] = 0x00cf92000000ffffULL;
	gdt[SEL_UDATA / 8] = 0x00cff2000000ffffULL;	/* data, DPL 3 */
	gdt[SEL_UCODE / 8] = 0x00affa000000ffffULL;	/* 64-bit code, DPL 3 */
	for (unsigned v = 0; v < NR_EXCEPTIONS; v++)
		set_gate(v, trap_stubs[v], GATE_INTERRUPT);
	set_gate(VECTOR_RING0, (uint64_t)ring0_gate, GATE_INTERRUPT | GATE_DPL3);
	tss.rsp[0] = (uint64_t)ring0_stack + sizeof(ring0_stack);
	tss.iomap_base = sizeof(tss);	/* no I/O bitmap: IOPL alone decides */
	gdt[SEL_TSS / 8] = (sizeof(tss) - 1) | (base & 0xffffff) << 16 | TSS_AVAILABLE << 40 |
			   (base >> 24 & 0xff) << 56;
	gdt[SEL_TSS / 8 + 1] = base >> 32;
}

/* The BSP builds the tables; the AP loads the same ones but no TSS (its
 * busy bit is the BSP's), which it needs only to come back from ring 3. */
void cpu_load_tables(bool with_tss)
{
	static bool built;
	struct table_pointer gdt_pointer = { sizeof(gdt) - 1, (uint64_t)gdt };
	struct table_pointer idt_pointer = { sizeof(idt) - 1, (uint64_t)idt };

	if (!built) {
		build_tables();
		built = true;
	}
	__asm__ volatile("lgdt %0" : : "m"(gdt_pointer));
	/* A far return reloads CS from the new table; the data selectors after. */
	__asm__ volatile("pushq %[cs]\n\tleaq 1f(%%rip), %%rax\n\tpushq %%rax\n\tlretq\n1:\n\t"
			 "mov %[ds], %%ss\n\tmov %[ds], %%ds\n\tmov %[ds], %%es"
			 : : [cs] "i"(SEL_KCODE), [ds] "r"((uint16_t)SEL_KDATA) : "rax", "memory");
	__asm__ volatile("lidt %0" : : "m"(idt_pointer));
	if (with_tss)
		__asm__ volatile("ltr %w0" : : "r"(SEL_TSS));
}

_Noreturn void hostile_trap(const struct trap_frame *frame)
{
	uint64_t cr2;

	__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
	put_test_name();
	puts_serial("FAILURE: exception ");
	put_number((int64_t)frame->vector);
	puts_serial(" error ");
	put_hex(frame->error);
	puts_serial(" at rip ");
	put_hex(frame->rip);
	puts_serial(" cs ");
	put_hex(frame->cs);
	if (frame->vector == VECTOR_PF) {
		puts_serial(" cr2 ");
		put_hex(cr2);
	}
	putc_serial('\n');
	debug_exit(1);
}

/* The guest runs in the first 2 MiB, whose PTEs are guest_pt's. */
void map_user_page(const void *page)
{
	uint64_t va = (uint64_t)page;

	if (!require("user page inside the first 2 MiB", va < (512 * PAGE_SIZE)))
		return;
	guest_pml4[0] |= PTE_U;
	guest_pdpt[0] |= PTE_U;
	guest_pd[0] |= PTE_U;
	guest_pt[va / PAGE_SIZE] |= PTE_U;
}

/* Slots of the results page traps.S's user_hypercalls fills. */
enum { SLOT_TARGET, SLOT_VERSION, SLOT_WALLCLOCK, SLOT_ACTIVATE, SLOT_SHUTDOWN };

static uint64_t user_page[PAGE_SIZE / 8] PAGE_ALIGNED;	/* results, and the user stack */
static uint8_t kernel_page[PAGE_SIZE] PAGE_ALIGNED;	/* no user bit */

/*
 * Ring 3 with IOPL 3 can reach the hypercall port; the VMM must refuse
 * every hypercall from CPL > 0 (VMI_E_STATE) and do nothing else: no
 * wallclock written into a kernel page, no activation, no power-off.
 */
void test_cpl3_hypercall(const struct hvm_start_info *info)
{
	(void)info;
	fill_bytes(kernel_page, PATTERN, sizeof(kernel_page));
	for (const char *p = user_code_start; p < user_code_end; p += PAGE_SIZE)
		map_user_page(p);
	map_user_page(user_page);
	flush_tlb();
	user_page[SLOT_TARGET] = (uint64_t)kernel_page + 64;
	enter_user(user_hypercalls, user_page + PAGE_SIZE / 8, user_page);
	expect("VERSION from ring 3", (int64_t)user_page[SLOT_VERSION], VMI_E_STATE);
	expect("WALLCLOCK from ring 3", (int64_t)user_page[SLOT_WALLCLOCK], VMI_E_STATE);
	require("WALLCLOCK from ring 3 left the kernel page as it was",
		bytes_are(kernel_page, PATTERN, sizeof(kernel_page)));
	expect("ACTIVATE from ring 3", (int64_t)user_page[SLOT_ACTIVATE], VMI_E_STATE);
	expect("MMU after ACTIVATE from ring 3 (so nothing was activated)",
	       hypercall(VMI_HC_MMU, VMI_CALL_NR_FLUSH_TLB_ALL, 0, 0, 0), VMI_E_STATE);
	expect("SHUTDOWN from ring 3", (int64_t)user_page[SLOT_SHUTDOWN], VMI_E_STATE);
	expect("VERSION from ring 0 afterwards", hypercall(VMI_HC_VERSION, 0, 0, 0, 0),
	       ((int64_t)VMI_ABI_MAJOR << 16) | VMI_ABI_MINOR);
}
