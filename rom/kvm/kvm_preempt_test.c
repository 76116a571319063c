/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Host unit tests of the KVM ROM's ABI 1.2 entries on data areas laid
 * out as KVM and the ROM leave them: a CPU that KVM preempted answers 1
 * and its flush is handed to KVM (KVM_VCPU_FLUSH_TLB set, the preempted
 * flag kept); a running CPU, a CPU without steal time or PV TLB flush in
 * use, and pointers that cannot be an area answer 0 and change nothing.
 */
#include <asm/kvm_para.h>
#include <string.h>

#include "kvm_rom.h"
#include "kvm_test.h"

static _Alignas(VMI_DATA_AREA_ALIGN) union {
	struct kvm_rom_cpu cpu;
	unsigned char bytes[VMI_DATA_AREA_ALIGN];
} area;

static struct kvm_rom_cpu *cpu_with(uint32_t in_use, uint8_t preempted)
{
	memset(&area, 0, sizeof(area));
	area.cpu.in_use = in_use;
	area.cpu.steal.preempted = preempted;
	return &area.cpu;
}

#define ALL_USES (KVM_ROM_USE_STEAL_TIME | KVM_ROM_USE_PV_TLB_FLUSH)

static void preempted_cases(void)
{
	check(kvm_vcpu_preempted(cpu_with(ALL_USES, KVM_VCPU_PREEMPTED)) == 1,
	      "vcpu_preempted: KVM preempted the CPU: 1");
	check(kvm_vcpu_preempted(cpu_with(ALL_USES, 0)) == 0,
	      "vcpu_preempted: the CPU runs: 0");
	check(kvm_vcpu_preempted(cpu_with(KVM_ROM_USE_PV_TLB_FLUSH, KVM_VCPU_PREEMPTED)) == 0,
	      "vcpu_preempted: steal time not registered: 0 (the record is not KVM's)");
	check(kvm_vcpu_preempted(NULL) == 0, "vcpu_preempted: NULL: 0");
	cpu_with(ALL_USES, KVM_VCPU_PREEMPTED);
	check(kvm_vcpu_preempted(area.bytes + 8) == 0, "vcpu_preempted: misaligned area: 0");
}

static void flush_cases(void)
{
	struct kvm_rom_cpu *cpu = cpu_with(ALL_USES, KVM_VCPU_PREEMPTED);

	check(kvm_flush_tlb_preempted(cpu) == 1 &&
	      cpu->steal.preempted == (KVM_VCPU_PREEMPTED | KVM_VCPU_FLUSH_TLB),
	      "flush_tlb_preempted: preempted CPU: 1, KVM_VCPU_FLUSH_TLB set");
	check(kvm_flush_tlb_preempted(cpu) == 1 &&
	      cpu->steal.preempted == (KVM_VCPU_PREEMPTED | KVM_VCPU_FLUSH_TLB),
	      "flush_tlb_preempted: asked again before KVM ran it: 1, flags unchanged");
	cpu = cpu_with(ALL_USES, 0);
	check(kvm_flush_tlb_preempted(cpu) == 0 && cpu->steal.preempted == 0,
	      "flush_tlb_preempted: running CPU: 0, record untouched");
	cpu = cpu_with(KVM_ROM_USE_STEAL_TIME, KVM_VCPU_PREEMPTED);
	check(kvm_flush_tlb_preempted(cpu) == 0 && cpu->steal.preempted == KVM_VCPU_PREEMPTED,
	      "flush_tlb_preempted: KVM offers no PV TLB flush: 0, record untouched");
	check(kvm_flush_tlb_preempted(NULL) == 0, "flush_tlb_preempted: NULL: 0");
	cpu_with(ALL_USES, KVM_VCPU_PREEMPTED);
	check(kvm_flush_tlb_preempted(area.bytes + 64) == 0 &&
	      area.cpu.steal.preempted == KVM_VCPU_PREEMPTED,
	      "flush_tlb_preempted: misaligned area: 0, record untouched");
}

int main(void)
{
	preempted_cases();
	flush_cases();
	return check_summary();
}
