/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * TEMPLATE: the skeleton of a new VMI ROM backend. Copy rom/template/ to
 * your own directory, rename, and build it with
 *
 *     MY_ROM := $(call vmi_rom,mybackend,my/dir/template.S my/dir/template.c)
 *
 * As shipped every call is native, so this builds as build/rom/template.rom
 * and runs on hardware. Replace the calls your platform does better, one
 * at a time, re-running `romtool verify` and the conformance suite.
 *
 * Every call needs exactly one of:
 *   VMI_NATIVE name             the SDK's native entry (vmi_rom_native.h)
 *   VMI_ENTRY name, ANNOT[, F]  your own code ... VMI_END name
 *   VMI_NOP_ENTRY name          the call has no effect on your platform
 *   VMI_UNSUPPORTED name        the guest keeps its native operation
 * A call left out stops the build. Entries follow the call's convention in
 * spec/VMI.md: sysv, callee_save (preserve everything but rax) or noreturn.
 */
#include "vmi_rom_asm.h"
#include "vmi_rom_native.h"
#include "template.h"

/* TEMPLATE: your vendor and backend names, feature bits, build number. */
	.set template_features, 0
VMI_ROM_HEADER "vmi-pv", "template", template_features, TEMPLATE_DATA_AREA_SIZE, 1

/* A CALL entry implemented in template.c as template_<name>. */
.macro template_call name:req, flags=0
	VMI_ENTRY \name, VMI_ANNOT_CALL, \flags
	jmp template_\name
	VMI_END \name
.endm

/* Init. TEMPLATE: announce the CPU to your hypervisor in template.c. */
	template_call activate

/* CPU control. Under hardware virtualization native is usually best. */
	VMI_NATIVE read_cr0
	VMI_NATIVE write_cr0
	VMI_NATIVE read_cr2
	VMI_NATIVE write_cr2
	VMI_NATIVE read_cr4
	VMI_NATIVE write_cr4
	VMI_NATIVE read_msr
	VMI_NATIVE write_msr
	VMI_NATIVE read_msr_safe	/* UNSUPPORTED: needs fault recovery */
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

/* Interrupt mask and halting: callee_save entries must stay tiny. */
	VMI_NATIVE save_fl
	VMI_NATIVE restore_fl
	VMI_NATIVE irq_disable
	VMI_NATIVE irq_enable
	VMI_NATIVE safe_halt
	VMI_NATIVE halt

/*
 * MMU. TEMPLATE: a hypervisor that tracks page tables (feature PT_NOTIFY)
 * replaces these with store + notify entries; rom/shim/ shows how,
 * including the deferred queue and its flush points.
 */
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

/* Deferred mode: the mode must read back even when nothing is deferred. */
	template_call set_deferred_mode
	template_call get_deferred_mode
	VMI_NATIVE flush_deferred

/* Time. TEMPLATE: a hypervisor usually knows the TSC rate and the time. */
	VMI_NATIVE get_cycle_frequency
	VMI_NATIVE get_cycle_counter
	VMI_NATIVE get_wallclock

/* Miscellaneous. reboot and shutdown must never return. */
	VMI_NATIVE io_delay
	VMI_NATIVE reboot
	VMI_NATIVE shutdown

/*
 * ABI 1.1: the data area's physical address, IPIs, EOI, lock waiting.
 * TEMPLATE: a hypervisor that shares memory by physical address registers
 * it in set_data_area_pa; one with IPI or kick hypercalls uses them here.
 */
	VMI_NATIVE set_data_area_pa
	VMI_NATIVE send_ipi
	VMI_NATIVE apic_eoi
	VMI_NATIVE spin_wait
	VMI_NATIVE spin_kick
	VMI_NATIVE yield_to
	VMI_NATIVE call_fallback

/*
 * ABI 1.2: other CPUs' preemption. TEMPLATE: a hypervisor that tells the
 * guest which vCPUs it preempted (in memory it shares per CPU) answers
 * here, and one that can flush a vCPU's TLB when it next runs takes the
 * flush in flush_tlb_preempted.
 */
	VMI_NATIVE vcpu_preempted
	VMI_NATIVE flush_tlb_preempted

VMI_CALL_TABLE
