/*
 * Local APIC (xAPIC, MMIO): self-IPIs and a periodic timer, the interrupt
 * sources the halt cases need. The 8259 PICs are masked so the firmware's
 * timer never lands on an exception vector.
 */
#include "conf.h"
#include "cpu.h"

#define MSR_APIC_BASE 0x1b
#define APIC_BASE_ENABLE (1ULL << 11)
#define APIC_BASE_MASK 0xfffff000ULL
#define APIC_ID 0x20
#define APIC_ID_SHIFT 24
#define APIC_EOI 0xb0
#define APIC_SVR 0xf0
#define APIC_SVR_ENABLE 0x100
#define APIC_ICR_LOW 0x300
#define APIC_ICR_HIGH 0x310
#define APIC_ICR_SELF (1u << 18)
#define APIC_LVT_TIMER 0x320
#define APIC_LVT_MASKED (1u << 16)
#define APIC_LVT_PERIODIC (1u << 17)
#define APIC_TIMER_INIT 0x380
#define APIC_TIMER_DIVIDE 0x3e0
#define APIC_DIVIDE_BY_1 0xb
#define CPUID_1_EDX_APIC (1u << 9)
#define PIC1_DATA 0x21
#define PIC2_DATA 0xa1

static volatile uint32_t *apic;

static void apic_write(unsigned reg, uint32_t v) { apic[reg / 4] = v; }

bool apic_available(void)
{
	return apic != NULL;
}

void apic_init(void)
{
	uint32_t r[4];
	uint64_t base;

	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);
	native_cpuid(1, 0, r);
	if (!(r[3] & CPUID_1_EDX_APIC))
		return;
	base = native_rdmsr(MSR_APIC_BASE);
	native_wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
	apic = (volatile uint32_t *)(uintptr_t)(base & APIC_BASE_MASK);
	apic_write(APIC_SVR, APIC_SVR_ENABLE | VEC_SPURIOUS);
	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED);
}

void apic_eoi(void)
{
	if (apic)
		apic_write(APIC_EOI, 0);
}

uint32_t apic_id(void)
{
	return apic ? apic[APIC_ID / 4] >> APIC_ID_SHIFT : 0;
}

void apic_self_ipi(uint8_t vector)
{
	apic_write(APIC_ICR_HIGH, 0);
	apic_write(APIC_ICR_LOW, APIC_ICR_SELF | vector);
}

/* count 0 stops the timer. */
void apic_timer_periodic(uint8_t vector, uint32_t count)
{
	apic_write(APIC_TIMER_DIVIDE, APIC_DIVIDE_BY_1);
	apic_write(APIC_LVT_TIMER, count ? (APIC_LVT_PERIODIC | vector) : APIC_LVT_MASKED);
	apic_write(APIC_TIMER_INIT, count);
}
