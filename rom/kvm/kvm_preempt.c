/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The KVM ROM's ABI 1.2 entries: another CPU's preemption and PV TLB
 * flush, from that CPU's KVM steal-time record in its data area. They
 * touch no register or MSR and make no hypercall, so they are pure and
 * host-tested (kvm_preempt_test.c).
 */
#include <asm/kvm_para.h>

#include "kvm_rom.h"

/*
 * Another CPU's area, as that CPU passed it to activate; NULL when the
 * pointer cannot be one. The guest owns its areas; the ROM only reads the
 * target's in_use and its steal-time flag, which KVM writes.
 */
static struct kvm_rom_cpu *kvm_area_of(void *data_area, uint32_t uses)
{
	struct kvm_rom_cpu *target = data_area;

	if (!target || (uintptr_t)target % VMI_DATA_AREA_ALIGN)
		return 0;
	if ((__atomic_load_n(&target->in_use, __ATOMIC_RELAXED) & uses) != uses)
		return 0;
	return target;
}

uint64_t kvm_vcpu_preempted(void *data_area)
{
	struct kvm_rom_cpu *target = kvm_area_of(data_area, KVM_ROM_USE_STEAL_TIME);

	return target &&
	       (__atomic_load_n(&target->steal.preempted, __ATOMIC_RELAXED) & KVM_VCPU_PREEMPTED);
}

/*
 * KVM clears the record's flags when it runs the vCPU again, and flushes
 * its TLB first if KVM_VCPU_FLUSH_TLB is set; setting the flag only while
 * KVM_VCPU_PREEMPTED is (one compare-and-exchange) makes the flush KVM's.
 */
uint64_t kvm_flush_tlb_preempted(void *data_area)
{
	struct kvm_rom_cpu *target = kvm_area_of(data_area, KVM_ROM_USE_PV_TLB_FLUSH);
	uint8_t state;

	if (!target)
		return 0;
	state = __atomic_load_n(&target->steal.preempted, __ATOMIC_RELAXED);
	while (state & KVM_VCPU_PREEMPTED)
		if (__atomic_compare_exchange_n(&target->steal.preempted, &state,
						state | KVM_VCPU_FLUSH_TLB, 0,
						__ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
			return 1;
	return 0;
}
