/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The KVM ROM: the one kernel binary, faster on stock QEMU/KVM.
 *
 * It uses only what stock KVM offers any guest: its CPUID signature and
 * feature leaf, kvmclock, and (with ABI 1.1) PV EOI, steal time and the
 * IPI, kick and yield hypercalls, and (1.2) PV TLB flush. Everything hardware virtualization runs
 * natively stays IDENT, as in the native ROM. activate checks that this
 * really is KVM and records which features it offers in the per-CPU data
 * area; each accelerated entry tests its feature and takes the native path
 * when it is missing, so the same image is correct on hardware and on any
 * other hypervisor.
 */
#include "vmi_rom_asm.h"
#include "vmi_rom_native.h"
#include "kvm_rom.h"

	.set kvm_features, 0
	.set kvm_exits, VMI_ENTRY_F_HYPERCALL
VMI_ROM_HEADER "vmi-pv", "kvm", kvm_features, KVM_DATA_AREA_SIZE, 1

/* A CALL entry that jumps to kvm_<name> in kvm_calls.c. */
.macro kvm_call name:req, flags:req
	VMI_ENTRY \name, VMI_ANNOT_CALL, \flags
	jmp kvm_\name
	VMI_END \name
.endm

	kvm_call activate, 0
	VMI_NATIVE read_cr0
	VMI_NATIVE write_cr0
	VMI_NATIVE read_cr2
	VMI_NATIVE write_cr2
	VMI_NATIVE read_cr4
	VMI_NATIVE write_cr4
	VMI_NATIVE read_msr
	VMI_NATIVE write_msr
	VMI_NATIVE read_msr_safe
	VMI_NATIVE write_msr_safe
	VMI_NATIVE cpuid
	VMI_NATIVE wbinvd
	VMI_NATIVE read_pmc
	VMI_NATIVE get_debugreg
	VMI_NATIVE set_debugreg
	VMI_NATIVE load_gdt
	VMI_NATIVE load_idt
	VMI_NATIVE load_tr
	VMI_NATIVE store_tr
	VMI_NATIVE load_ldt
	VMI_NATIVE write_gdt_entry
	VMI_NATIVE write_idt_entry
	VMI_NATIVE write_ldt_entry
	VMI_NATIVE load_gs_index
	VMI_NATIVE load_sp0
	VMI_NATIVE save_fl
	VMI_NATIVE restore_fl
	VMI_NATIVE irq_disable
	VMI_NATIVE irq_enable
	VMI_NATIVE safe_halt
	VMI_NATIVE halt

/* Nested paging: KVM needs to hear of no page-table change. */
	VMI_NATIVE read_cr3
	VMI_NATIVE write_cr3
	VMI_NATIVE set_pte
	VMI_NATIVE set_pmd
	VMI_NATIVE set_pud
	VMI_NATIVE set_p4d
	VMI_NATIVE set_pgd
	VMI_NATIVE pte_clear
	VMI_NATIVE pte_get_and_clear
	VMI_NATIVE pte_update
	VMI_NATIVE modify_prot_start
	VMI_NATIVE modify_prot_commit
	VMI_NATIVE alloc_pte
	VMI_NATIVE alloc_pmd
	VMI_NATIVE alloc_pud
	VMI_NATIVE alloc_p4d
	VMI_NATIVE alloc_pgd
	VMI_NATIVE release_pte
	VMI_NATIVE release_pmd
	VMI_NATIVE release_pud
	VMI_NATIVE release_p4d
	VMI_NATIVE release_pgd
	VMI_NATIVE invlpg
	VMI_NATIVE flush_tlb_user
	VMI_NATIVE flush_tlb_kernel
	VMI_NATIVE flush_tlb_all
	VMI_NATIVE set_deferred_mode
	VMI_NATIVE get_deferred_mode
	VMI_NATIVE flush_deferred

/* kvmclock: the frequency and wall clock without calibration. */
	kvm_call get_cycle_frequency, kvm_exits
	VMI_NATIVE get_cycle_counter
	kvm_call get_wallclock, kvm_exits
	VMI_NATIVE io_delay
	VMI_NATIVE reboot
	VMI_NATIVE shutdown

/* ABI 1.1: kvmclock, steal time and PV EOI need the area's address. */
	kvm_call set_data_area_pa, kvm_exits
	kvm_call send_ipi, kvm_exits
	kvm_call apic_eoi, 0
	kvm_call spin_wait, kvm_exits
	kvm_call spin_kick, kvm_exits
	kvm_call yield_to, kvm_exits
	kvm_call call_fallback, 0

/* ABI 1.2: other vCPUs' preemption, from their steal-time records. */
	kvm_call vcpu_preempted, 0
	kvm_call flush_tlb_preempted, 0

VMI_CALL_TABLE
