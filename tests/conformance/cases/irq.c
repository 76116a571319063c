/*
 * irq: the interrupt-mask calls change RFLAGS.IF exactly as specified,
 * save/restore round-trips, and both halts return once an interrupt comes.
 */
#include "invoke.h"
#include "cpu.h"

#define HALT_TIMER_COUNT 200000

static bool if_set(uint64_t flags) { return flags & RFLAGS_IF; }

static void mask_calls(void)
{
	uint64_t f;

	native_irq_enable();
	f = CALL0(SAVE_FL);
	report(if_set(f) && f == last.rflags_in, "save_fl with IF=1 returns RFLAGS (%lx)", f);
	CALL0(IRQ_DISABLE);
	report(!if_set(native_save_fl()), "irq_disable clears IF");
	f = CALL0(SAVE_FL);
	report(!if_set(f) && !if_set(last.rflags), "save_fl with IF=0 returns IF clear and keeps it clear");
	CALL0(IRQ_ENABLE);
	report(if_set(native_save_fl()), "irq_enable sets IF");
	CALL1(RESTORE_FL, f);
	report(!if_set(native_save_fl()), "restore_fl(saved IF=0) clears IF");
	CALL1(RESTORE_FL, f | RFLAGS_IF);
	report(if_set(native_save_fl()), "restore_fl(IF=1) sets IF");
	f = CALL0(SAVE_FL);
	CALL0(IRQ_DISABLE);
	CALL1(RESTORE_FL, f);
	report(if_set(native_save_fl()), "save_fl / irq_disable / restore_fl round-trips");
	native_irq_disable();
}

static void halts(void)
{
	uint64_t before;

	if (!apic_available()) {
		report_skip("no local APIC: safe_halt and halt are not run");
		return;
	}
	before = irq_count[VEC_SELF_IPI];
	apic_self_ipi(VEC_SELF_IPI);
	CALL0(SAFE_HALT);
	report(irq_count[VEC_SELF_IPI] == before + 1 && if_set(last.rflags),
	       "safe_halt takes the pending interrupt and returns with IF set%s", fault_text(&last));
	native_irq_disable();
	before = irq_count[VEC_TIMER];
	apic_timer_periodic(VEC_TIMER, HALT_TIMER_COUNT);
	native_irq_enable();
	CALL0(HALT);
	native_irq_disable();
	apic_timer_periodic(VEC_TIMER, 0);
	report(irq_count[VEC_TIMER] > before && if_set(last.rflags),
	       "halt returns after the timer interrupt, IF unchanged%s", fault_text(&last));
}

void case_irq(void)
{
	mask_calls();
	halts();
}
