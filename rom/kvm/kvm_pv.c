/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The KVM ROM's ABI 1.1 entries: the data area's physical address (which
 * turns on kvmclock, steal time and PV EOI), the multi-destination IPI
 * hypercall, PV EOI, and lock waiting with halt, kick and directed yield.
 * Each checks that this CPU uses the KVM feature and otherwise does what
 * the spec gives as the native behaviour.
 */
#include <asm/kvm_para.h>
#include <linux/kvm_para.h>

#include "kvm_rom.h"

#define RFLAGS_IF (1u << 9)

int64_t kvm_set_data_area_pa(uint64_t pa)
{
	struct kvm_rom_cpu *k = kvm_rom_this_cpu();

	if (!k)
		return VMI_E_STATE;
	return kvm_use_area_pa(k, pa);
}

/*
 * KVM_HC_SEND_IPI takes 128 APIC IDs from `min` on as two 64-bit words
 * and a fixed-mode ICR value; one hypercall per pair of words in use.
 */
int64_t kvm_send_ipi(const uint64_t *apic_ids, uint32_t nr_words, uint32_t vector)
{
	struct kvm_rom_cpu *k = kvm_rom_this_cpu();

	if (!apic_ids || nr_words == 0 || nr_words > VMI_LIMIT_IPI_MAX_WORDS ||
	    vector < VMI_LIMIT_IPI_MIN_VECTOR || vector > VMI_LIMIT_IPI_MAX_VECTOR)
		return VMI_E_INVAL;
	if (!k || !(k->in_use & KVM_ROM_USE_SEND_IPI))
		return VMI_E_NOSYS;
	for (uint32_t w = 0; w < nr_words; w += 2) {
		uint64_t low = apic_ids[w];
		uint64_t high = w + 1 < nr_words ? apic_ids[w + 1] : 0;

		if ((low | high) == 0)
			continue;
		if (kvm_hypercall(k, KVM_HC_SEND_IPI, low, high, 64 * (uint64_t)w, vector) < 0)
			return VMI_E_INVAL;
	}
	return VMI_OK;
}

/* Only this vCPU and KVM (while the vCPU is stopped) touch the flag. */
uint64_t kvm_apic_eoi(void)
{
	struct kvm_rom_cpu *k = kvm_rom_this_cpu();
	uint8_t was_pending;

	if (!k || !(k->in_use & KVM_ROM_USE_PV_EOI))
		return 0;
	__asm__ volatile("btrl %2, %0; setc %1"
			 : "+m"(k->pv_eoi), "=qm"(was_pending)
			 : "Ir"(KVM_PV_EOI_BIT) : "cc");
	return was_pending;
}

/*
 * With interrupts enabled the check and the halt are one sti; hlt window,
 * so an interrupt or kick between them still wakes the CPU. With them
 * disabled only a kick (KVM's PV unhalt) ends the halt.
 */
void kvm_spin_wait(const volatile uint8_t *ptr, uint8_t value)
{
	struct kvm_rom_cpu *k = kvm_rom_this_cpu();
	uint64_t flags;

	if (!k || !(k->in_use & KVM_ROM_USE_KICK))
		return;
	flags = vmi_irq_save();
	if (*ptr != value)
		vmi_irq_restore(flags);
	else if (flags & RFLAGS_IF)
		__asm__ volatile("sti; hlt" ::: "memory");
	else
		__asm__ volatile("hlt" ::: "memory");
}

void kvm_spin_kick(uint32_t apic_id)
{
	struct kvm_rom_cpu *k = kvm_rom_this_cpu();

	if (k && (k->in_use & KVM_ROM_USE_KICK))
		kvm_hypercall(k, KVM_HC_KICK_CPU, 0, apic_id, 0, 0);
}

void kvm_yield_to(uint32_t apic_id)
{
	struct kvm_rom_cpu *k = kvm_rom_this_cpu();

	if (k && (k->in_use & KVM_ROM_USE_SCHED_YIELD))
		kvm_hypercall(k, KVM_HC_SCHED_YIELD, apic_id, 0, 0, 0);
}

/* The KVM_ROM_USE_* bits an entry's faster path needs; 0: no choice. */
static uint32_t kvm_call_needs(uint32_t nr)
{
	switch (nr) {
	case VMI_CALL_GET_CYCLE_FREQUENCY: return KVM_ROM_USE_CLOCK | KVM_ROM_USE_FREQ_LEAF;
	case VMI_CALL_GET_WALLCLOCK: return KVM_ROM_USE_CLOCK;
	case VMI_CALL_SEND_IPI: return KVM_ROM_USE_SEND_IPI;
	case VMI_CALL_APIC_EOI: return KVM_ROM_USE_PV_EOI;
	case VMI_CALL_SPIN_WAIT: case VMI_CALL_SPIN_KICK: return KVM_ROM_USE_KICK;
	case VMI_CALL_YIELD_TO: return KVM_ROM_USE_SCHED_YIELD;
	case VMI_CALL_VCPU_PREEMPTED: return KVM_ROM_USE_STEAL_TIME;
	case VMI_CALL_FLUSH_TLB_PREEMPTED: return KVM_ROM_USE_PV_TLB_FLUSH;
	default: return 0;
	}
}

uint64_t kvm_call_fallback(uint32_t nr)
{
	struct kvm_rom_cpu *k = kvm_rom_this_cpu();
	uint32_t needs = kvm_call_needs(nr);

	return needs && (!k || !(k->in_use & needs));
}
