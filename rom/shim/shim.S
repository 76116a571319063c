/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The shim ROM: the backend of the project's own VMM (hypervisor-shim/).
 *
 * Under hardware virtualization with nested paging most operations are
 * best done natively, so most entries stay IDENT. The ROM earns its keep
 * on page-table changes: it performs each store and notifies the VMM,
 * batching notifications in deferred MMU mode (shim_queue.c), and on time
 * and power, which it asks the VMM for.
 */
#include "vmi_rom_asm.h"
#include "vmi_rom_native.h"
#include "vmi_rom.h"
#include "shim_queue.h"

	.set shim_features, VMI_FEATURE_DEFERRED_MMU | VMI_FEATURE_PT_NOTIFY | VMI_FEATURE_HYPERCALL_PORT
	.set shim_exits, VMI_ENTRY_F_HYPERCALL
	.set shim_defers, VMI_ENTRY_F_DEFERS | VMI_ENTRY_F_HYPERCALL

VMI_ROM_HEADER "vmi-pv", "shim", shim_features, SHIM_DATA_AREA_SIZE, 1

/* A CALL entry that jumps to shim_<name> in shim_calls.c. */
.macro shim_call name:req, flags:req, function
	VMI_ENTRY \name, VMI_ANNOT_CALL, \flags
	.ifb \function
	jmp shim_\name
	.else
	jmp \function
	.endif
	VMI_END \name
.endm

	shim_call activate, shim_exits
	VMI_NATIVE read_cr0
	VMI_NATIVE write_cr0
	VMI_NATIVE read_cr2
	VMI_NATIVE write_cr2
	VMI_NATIVE read_cr4
	shim_call write_cr4, shim_exits		/* a flush point */
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
	VMI_NATIVE read_cr3
	shim_call write_cr3, shim_exits
	shim_call set_pte, shim_defers
	shim_call set_pmd, shim_defers
	shim_call set_pud, shim_defers
	shim_call set_p4d, shim_defers
	shim_call set_pgd, shim_defers
	shim_call pte_clear, shim_defers
	shim_call pte_get_and_clear, shim_defers
	shim_call pte_update, shim_defers
	shim_call modify_prot_start, shim_defers
	shim_call modify_prot_commit, shim_defers
	shim_call alloc_pte, shim_defers
	shim_call alloc_pmd, shim_defers
	shim_call alloc_pud, shim_defers
	shim_call alloc_p4d, shim_defers
	shim_call alloc_pgd, shim_defers
	shim_call release_pte, shim_defers
	shim_call release_pmd, shim_defers
	shim_call release_pud, shim_defers
	shim_call release_p4d, shim_defers
	shim_call release_pgd, shim_defers
	shim_call invlpg, shim_exits
	shim_call flush_tlb_user, shim_exits
	shim_call flush_tlb_kernel, shim_exits, shim_flush_tlb_global
	shim_call flush_tlb_all, shim_exits, shim_flush_tlb_global
	shim_call set_deferred_mode, shim_exits
	shim_call get_deferred_mode, 0
	shim_call flush_deferred, shim_exits
	shim_call get_cycle_frequency, shim_exits
	VMI_NATIVE get_cycle_counter
	shim_call get_wallclock, shim_exits
	VMI_NATIVE io_delay
	shim_call reboot, shim_exits
	shim_call shutdown, shim_exits

/* ABI 1.1 and 1.2: nothing the VMM does better than the native path yet. */
	VMI_NATIVE set_data_area_pa
	VMI_NATIVE send_ipi
	VMI_NATIVE apic_eoi
	VMI_NATIVE spin_wait
	VMI_NATIVE spin_kick
	VMI_NATIVE yield_to
	VMI_NATIVE call_fallback
	VMI_NATIVE vcpu_preempted
	VMI_NATIVE flush_tlb_preempted

VMI_CALL_TABLE
