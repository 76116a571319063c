/*
 * pv: the calls of ABI 1.1 and 1.2 a hypervisor ROM accelerates and
 * hardware does natively: send_ipi (sent, or NOSYS and nothing sent),
 * apic_eoi (0 or 1), spin_wait (returns when the byte differs, on an
 * interrupt, or after a kick), spin_kick and yield_to (return, no fault);
 * vcpu_preempted and flush_tlb_preempted (0 for the running CPU and for
 * areas that are no CPU's); call_fallback (0 or 1 for every call, 0 for an
 * unknown number), whose answers are printed.
 */
#include "rom.h"
#include "cpu.h"

#define IPI_WORDS 4                     /* APIC IDs 0-255 */
#define IPI_WAIT_SPINS 1000000          /* for a sent IPI to arrive */
#define SPIN_TIMER_COUNT 200000
#define NO_SUCH_APIC 0xff               /* a one-CPU guest has no APIC 255 */

static uint64_t ipi_bitmap[IPI_WORDS];

static void send_ipi_refusals(void)
{
	int64_t r;

	r = (int64_t)CALL3(SEND_IPI, NULL, 1, VEC_SELF_IPI);
	report(r == VMI_E_INVAL && !last.fault, "send_ipi(NULL) returns INVAL (got %ld)%s", r,
	       fault_text(&last));
	r = (int64_t)CALL3(SEND_IPI, ipi_bitmap, 0, VEC_SELF_IPI);
	report(r == VMI_E_INVAL, "send_ipi with 0 words returns INVAL (got %ld)", r);
	r = (int64_t)CALL3(SEND_IPI, ipi_bitmap, VMI_LIMIT_IPI_MAX_WORDS + 1, VEC_SELF_IPI);
	report(r == VMI_E_INVAL, "send_ipi with %d words returns INVAL (got %ld)",
	       VMI_LIMIT_IPI_MAX_WORDS + 1, r);
	r = (int64_t)CALL3(SEND_IPI, ipi_bitmap, 1, VMI_LIMIT_IPI_MIN_VECTOR - 1);
	report(r == VMI_E_INVAL, "send_ipi of vector %d (an exception) returns INVAL (got %ld)",
	       VMI_LIMIT_IPI_MIN_VECTOR - 1, r);
	r = (int64_t)CALL3(SEND_IPI, ipi_bitmap, 1, VMI_LIMIT_IPI_MAX_VECTOR + 1);
	report(r == VMI_E_INVAL, "send_ipi of vector %d returns INVAL (got %ld)",
	       VMI_LIMIT_IPI_MAX_VECTOR + 1, r);
}

/* Counts arrivals of VEC_SELF_IPI with interrupts briefly enabled. */
static uint64_t self_ipis_arriving(uint64_t before)
{
	native_irq_enable();
	for (long i = 0; i < IPI_WAIT_SPINS && irq_count[VEC_SELF_IPI] == before; i++)
		__asm__ volatile("pause");
	native_irq_disable();
	return irq_count[VEC_SELF_IPI] - before;
}

static void send_ipi_to_self(void)
{
	uint32_t id = apic_id();
	uint64_t before = irq_count[VEC_SELF_IPI], arrived;
	int64_t r;

	for (unsigned w = 0; w < IPI_WORDS; w++)
		ipi_bitmap[w] = 0;
	ipi_bitmap[id / 64] = 1ULL << (id % 64);
	native_irq_disable();
	r = (int64_t)CALL3(SEND_IPI, ipi_bitmap, IPI_WORDS, VEC_SELF_IPI);
	arrived = self_ipis_arriving(before);
	if (r == VMI_E_NOSYS)
		report(arrived == 0 && !last.fault,
		       "send_ipi returns NOSYS and sends nothing (%lu arrived)", arrived);
	else
		report(r == VMI_OK && arrived == 1 && !last.fault,
		       "send_ipi to this CPU (APIC ID %u) returns OK and the IPI arrives once "
		       "(got %ld, %lu arrived)%s", id, r, arrived, fault_text(&last));
}

static void send_ipi_case(void)
{
	if (!need(VMI_CALL_SEND_IPI))
		return;
	send_ipi_refusals();
	if (apic_available())
		send_ipi_to_self();
	else
		report_skip("no local APIC: send_ipi's delivery is not checked");
}

static void apic_eoi_case(void)
{
	uint64_t r;

	if (!need(VMI_CALL_APIC_EOI))
		return;
	native_irq_disable();
	r = CALL0(APIC_EOI);
	report(r <= 1 && !last.fault, "apic_eoi returns 0 or 1 (got %lu)%s", r, fault_text(&last));
}

static void spin_wait_case(void)
{
	volatile uint8_t lock = 1;
	uint64_t before;

	if (!need(VMI_CALL_SPIN_WAIT))
		return;
	native_irq_disable();
	CALL2(SPIN_WAIT, &lock, 0);
	report(!last.fault && !(last.rflags & RFLAGS_IF),
	       "spin_wait returns at once when the byte differs, IF unchanged%s", fault_text(&last));
	if (!apic_available()) {
		report_skip("no local APIC: spin_wait is not run with a matching byte");
		return;
	}
	before = irq_count[VEC_TIMER];
	apic_timer_periodic(VEC_TIMER, SPIN_TIMER_COUNT);
	native_irq_enable();
	CALL2(SPIN_WAIT, &lock, 1);
	native_irq_disable();
	apic_timer_periodic(VEC_TIMER, 0);
	report(!last.fault && (last.rflags & RFLAGS_IF),
	       "spin_wait on a matching byte with interrupts enabled returns, IF still set "
	       "(%lu timer interrupts)%s", irq_count[VEC_TIMER] - before, fault_text(&last));
	if (!need(VMI_CALL_SPIN_KICK))
		return;
	CALL1(SPIN_KICK, apic_id());
	report(!last.fault, "spin_kick(this CPU) returns%s", fault_text(&last));
	CALL2(SPIN_WAIT, &lock, 1);
	report(!last.fault && !(last.rflags & RFLAGS_IF),
	       "after spin_kick(this CPU), spin_wait with interrupts disabled returns%s",
	       fault_text(&last));
}

static void yield_case(void)
{
	if (!need(VMI_CALL_YIELD_TO))
		return;
	CALL1(YIELD_TO, apic_id());
	report(!last.fault, "yield_to(this CPU) returns%s", fault_text(&last));
	CALL1(YIELD_TO, NO_SUCH_APIC);
	report(!last.fault, "yield_to(an absent APIC ID) returns%s", fault_text(&last));
}

/* An area no CPU activated: nothing in it says a vCPU was preempted. */
static _Alignas(VMI_DATA_AREA_ALIGN) uint8_t unused_area[VMI_DATA_AREA_ALIGN];

/* This CPU runs, so it is never preempted and no flush of it can wait. */
static void preempted_case(unsigned nr, const char *name)
{
	void *const areas[] = { rom.data_area, NULL, (uint8_t *)rom.data_area + 8, unused_area };
	const char *const what[] = { "this CPU's area", "NULL", "a misaligned area",
				     "an area no CPU activated" };

	if (!need(nr))
		return;
	for (unsigned i = rom.data_area ? 0 : 1; i < sizeof(areas) / sizeof(areas[0]); i++) {
		uint64_t r = rom_call(nr, (uint64_t)areas[i], 0, 0, 0);

		report(r == 0 && !last.fault, "%s(%s) returns 0 (got %lu)%s", name, what[i], r,
		       fault_text(&last));
	}
}

static void fallback_case(void)
{
	char natives[512] = "";
	size_t used = 0;
	bool in_range = true;

	if (!need(VMI_CALL_CALL_FALLBACK))
		return;
	for (unsigned nr = 0; nr < VMI_NR_CALLS; nr++) {
		uint64_t r = CALL1(CALL_FALLBACK, nr);

		in_range = in_range && r <= 1 && !last.fault;
		if (r == 1 && used < sizeof(natives))
			used += conf_snprintf(natives + used, sizeof(natives) - used, " %s",
					      call_meta[nr].name);
	}
	report(in_range, "call_fallback returns 0 or 1 for every call");
	report(CALL1(CALL_FALLBACK, VMI_MAX_CALLS) == 0 && !last.fault,
	       "call_fallback of an unknown number returns 0%s", fault_text(&last));
	report_info("on the native path at run time:%s", used ? natives : " none");
}

void case_pv(void)
{
	send_ipi_case();
	apic_eoi_case();
	spin_wait_case();
	yield_case();
	preempted_case(VMI_CALL_VCPU_PREEMPTED, "vcpu_preempted");
	preempted_case(VMI_CALL_FLUSH_TLB_PREEMPTED, "flush_tlb_preempted");
	fallback_case();
}
