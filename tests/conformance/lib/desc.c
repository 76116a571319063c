/*
 * Descriptor tables: two TSSs (A loaded at boot, B left available for the
 * load_tr case), an LDT, and an IDT whose every gate runs on IST1.
 */
#include "conf.h"
#include "cpu.h"

#define IST_STACK_BYTES 16384
#define LDT_ENTRIES 4
#define IDT_ENTRIES 256
#define GATE_INTERRUPT 0x8e00   /* present, DPL 0, 64-bit interrupt gate */
#define DESC_TSS_AVAILABLE 0x89
#define DESC_LDT 0x82

struct __attribute__((packed)) tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
};

struct __attribute__((packed)) idt_gate {
	uint16_t offset_low, selector, flags, offset_mid;
	uint32_t offset_high, reserved;
};

extern uint64_t conf_gdt[GDT_ENTRIES];
extern const uint64_t conf_isr_stubs[IDT_ENTRIES];

static struct tss64 tss_a, tss_b;
static uint64_t ldt[LDT_ENTRIES] __attribute__((aligned(16)));
static struct idt_gate idt[IDT_ENTRIES] __attribute__((aligned(16)));
static uint8_t ist_stack[IST_STACK_BYTES] __attribute__((aligned(16)));

/* A 16-byte system descriptor (TSS or LDT) in two GDT slots. */
static void set_system_desc(unsigned index, uint64_t base, uint32_t limit, uint8_t type)
{
	conf_gdt[index] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
			  ((uint64_t)type << 40) | ((uint64_t)((limit >> 16) & 0xf) << 48) |
			  ((base >> 24 & 0xff) << 56);
	conf_gdt[index + 1] = base >> 32;
}

static void init_tss(struct tss64 *tss)
{
	memset(tss, 0, sizeof(*tss));
	tss->ist[0] = (uint64_t)(ist_stack + IST_STACK_BYTES);
	tss->iomap_base = sizeof(*tss);
}

static void init_idt(void)
{
	for (unsigned v = 0; v < IDT_ENTRIES; v++) {
		uint64_t a = conf_isr_stubs[v];

		idt[v] = (struct idt_gate){
			.offset_low = a & 0xffff, .selector = SEL_CODE,
			.flags = GATE_INTERRUPT | 1 /* IST1 */,
			.offset_mid = (a >> 16) & 0xffff, .offset_high = a >> 32,
		};
	}
}

void desc_init(void)
{
	struct native_desc_ptr idtr = { sizeof(idt) - 1, (uint64_t)idt };

	init_tss(&tss_a);
	init_tss(&tss_b);
	set_system_desc(SEL_TSS_A / 8, (uint64_t)&tss_a, sizeof(tss_a) - 1, DESC_TSS_AVAILABLE);
	set_system_desc(SEL_TSS_B / 8, (uint64_t)&tss_b, sizeof(tss_b) - 1, DESC_TSS_AVAILABLE);
	set_system_desc(SEL_LDT / 8, (uint64_t)ldt, sizeof(ldt) - 1, DESC_LDT);
	__asm__ volatile("ltr %w0" : : "r"((uint16_t)SEL_TSS_A));
	init_idt();
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

void *desc_gdt(void) { return conf_gdt; }
void *desc_ldt(void) { return ldt; }
void *desc_idt(void) { return idt; }
