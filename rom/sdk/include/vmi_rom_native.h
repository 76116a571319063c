/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The native implementation of every call, as assembler macros:
 * `VMI_NATIVE name` emits the complete entry of call `name` (annotation
 * included). The native ROM is VMI_NATIVE for every call; another ROM uses
 * it for the calls where hardware is already the best choice and writes
 * its own entries for the rest.
 *
 * An entry is IDENT when its effect is exactly the spec's native sequence
 * for the call (argument marshalling such as zero-extending a u32 index
 * aside), NOP when it has no effect, CALL otherwise.
 */
#ifndef VMI_ROM_NATIVE_H
#define VMI_ROM_NATIVE_H

#include "vmi_rom_asm.h"
#include "vmi_rom.h"

.macro VMI_NATIVE name:req
	vmi_native_\name
.endm

/* An IDENT entry whose body is the given instructions followed by ret. */
.macro vmi_ident name:req, body:vararg
	VMI_ENTRY \name, VMI_ANNOT_IDENT
	\body
	ret
	VMI_END \name
.endm

/* A CALL entry that tail-calls C code in rom/sdk/lib/. */
.macro vmi_call_c name:req, function:req
	VMI_ENTRY \name, VMI_ANNOT_CALL
	jmp \function
	VMI_END \name
.endm

.macro vmi_native_activate
	vmi_call_c activate, vmi_rom_basic_activate
.endm
.macro vmi_native_read_cr0
	vmi_ident read_cr0, mov %cr0, %rax
.endm
.macro vmi_native_write_cr0
	vmi_ident write_cr0, mov %rdi, %cr0
.endm
.macro vmi_native_read_cr2
	vmi_ident read_cr2, mov %cr2, %rax
.endm
.macro vmi_native_write_cr2
	vmi_ident write_cr2, mov %rdi, %cr2
.endm
.macro vmi_native_read_cr4
	vmi_ident read_cr4, mov %cr4, %rax
.endm
.macro vmi_native_write_cr4
	vmi_ident write_cr4, mov %rdi, %cr4
.endm
.macro vmi_native_read_msr
	VMI_ENTRY read_msr, VMI_ANNOT_IDENT
	mov %edi, %ecx
	rdmsr
	shl $32, %rdx
	or %rdx, %rax
	ret
	VMI_END read_msr
.endm
.macro vmi_native_write_msr
	VMI_ENTRY write_msr, VMI_ANNOT_IDENT
	mov %edi, %ecx
	mov %esi, %eax
	mov %rsi, %rdx
	shr $32, %rdx
	wrmsr
	ret
	VMI_END write_msr
.endm
/* Reading a missing MSR faults, and a ROM has no exception table. */
.macro vmi_native_read_msr_safe
	VMI_UNSUPPORTED read_msr_safe
.endm
.macro vmi_native_write_msr_safe
	VMI_UNSUPPORTED write_msr_safe
.endm
.macro vmi_native_cpuid
	VMI_ENTRY cpuid, VMI_ANNOT_IDENT
	push %rbx		/* cpuid writes rbx, which sysv preserves */
	mov %rdi, %r8
	mov VMI_CPUID_REGS_OFF_EAX(%r8), %eax
	mov VMI_CPUID_REGS_OFF_ECX(%r8), %ecx
	cpuid
	mov %eax, VMI_CPUID_REGS_OFF_EAX(%r8)
	mov %ebx, VMI_CPUID_REGS_OFF_EBX(%r8)
	mov %ecx, VMI_CPUID_REGS_OFF_ECX(%r8)
	mov %edx, VMI_CPUID_REGS_OFF_EDX(%r8)
	pop %rbx
	ret
	VMI_END cpuid
.endm
.macro vmi_native_wbinvd
	vmi_ident wbinvd, wbinvd
.endm
.macro vmi_native_read_pmc
	VMI_ENTRY read_pmc, VMI_ANNOT_IDENT
	mov %edi, %ecx
	rdpmc
	shl $32, %rdx
	or %rdx, %rax
	ret
	VMI_END read_pmc
.endm

/* Debug registers are named in the instruction: one branch per register. */
.macro vmi_dr_read n
	cmp $\n, %edi
	jne .L_dr_read_not_\n
	mov %db\n, %rax
	ret
.L_dr_read_not_\n:
.endm
.macro vmi_dr_write n
	cmp $\n, %edi
	jne .L_dr_write_not_\n
	mov %rsi, %db\n
	xor %eax, %eax
	ret
.L_dr_write_not_\n:
.endm
.macro vmi_native_get_debugreg
	VMI_ENTRY get_debugreg, VMI_ANNOT_IDENT
	vmi_dr_read 0
	vmi_dr_read 1
	vmi_dr_read 2
	vmi_dr_read 3
	vmi_dr_read 6
	vmi_dr_read 7
	xor %eax, %eax		/* no such register: 0, no fault */
	ret
	VMI_END get_debugreg
.endm
.macro vmi_native_set_debugreg
	VMI_ENTRY set_debugreg, VMI_ANNOT_IDENT
	vmi_dr_write 0
	vmi_dr_write 1
	vmi_dr_write 2
	vmi_dr_write 3
	vmi_dr_write 6
	vmi_dr_write 7
	mov $VMI_E_INVAL, %rax
	ret
	VMI_END set_debugreg
.endm
.macro vmi_native_load_gdt
	vmi_ident load_gdt, lgdt (%rdi)
.endm
.macro vmi_native_load_idt
	vmi_ident load_idt, lidt (%rdi)
.endm
.macro vmi_native_load_tr
	vmi_ident load_tr, ltr %di
.endm
.macro vmi_native_store_tr
	VMI_ENTRY store_tr, VMI_ANNOT_IDENT
	str %eax
	movzwl %ax, %eax	/* older CPUs leave bits 16-31 undefined */
	ret
	VMI_END store_tr
.endm
.macro vmi_native_load_ldt
	vmi_ident load_ldt, lldt %di
.endm
/* Copies 8 or 16 bytes; the low half last, since it holds the present bit. */
.macro vmi_native_write_gdt_entry
	VMI_ENTRY write_gdt_entry, VMI_ANNOT_CALL
	mov %esi, %esi
	lea (%rdi,%rsi,8), %rdi
	cmp $8, %ecx
	je 1f
	cmp $16, %ecx
	jne 2f
	mov 8(%rdx), %rax
	mov %rax, 8(%rdi)
1:	mov (%rdx), %rax
	mov %rax, (%rdi)
2:	ret
	VMI_END write_gdt_entry
.endm
.macro vmi_native_write_idt_entry
	VMI_ENTRY write_idt_entry, VMI_ANNOT_CALL
	mov %esi, %esi
	shl $4, %rsi
	add %rsi, %rdi
	mov 8(%rdx), %rax
	mov %rax, 8(%rdi)
	mov (%rdx), %rax
	mov %rax, (%rdi)
	ret
	VMI_END write_idt_entry
.endm
.macro vmi_native_write_ldt_entry
	VMI_ENTRY write_ldt_entry, VMI_ANNOT_IDENT
	mov %esi, %esi
	mov %rdx, (%rdi,%rsi,8)
	ret
	VMI_END write_ldt_entry
.endm
.macro vmi_native_load_gs_index
	VMI_ENTRY load_gs_index, VMI_ANNOT_IDENT
	swapgs
	mov %edi, %gs
	swapgs
	ret
	VMI_END load_gs_index
.endm
/* The guest writes TSS.sp0 itself on hardware. */
.macro vmi_native_load_sp0
	VMI_NOP_ENTRY load_sp0
.endm
.macro vmi_native_save_fl
	VMI_ENTRY save_fl, VMI_ANNOT_IDENT
	pushf
	pop %rax
	ret
	VMI_END save_fl
.endm
.macro vmi_native_restore_fl
	VMI_ENTRY restore_fl, VMI_ANNOT_IDENT
	push %rdi
	popf
	ret
	VMI_END restore_fl
.endm
.macro vmi_native_irq_disable
	vmi_ident irq_disable, cli
.endm
.macro vmi_native_irq_enable
	vmi_ident irq_enable, sti
.endm
.macro vmi_native_safe_halt
	VMI_ENTRY safe_halt, VMI_ANNOT_IDENT
	sti
	hlt
	ret
	VMI_END safe_halt
.endm
.macro vmi_native_halt
	vmi_ident halt, hlt
.endm
.macro vmi_native_read_cr3
	vmi_ident read_cr3, mov %cr3, %rax
.endm
.macro vmi_native_write_cr3
	vmi_ident write_cr3, mov %rdi, %cr3
.endm
.macro vmi_native_set_pte
	vmi_ident set_pte, mov %rsi, (%rdi)
.endm
.macro vmi_native_set_pmd
	vmi_ident set_pmd, mov %rsi, (%rdi)
.endm
.macro vmi_native_set_pud
	vmi_ident set_pud, mov %rsi, (%rdi)
.endm
.macro vmi_native_set_p4d
	vmi_ident set_p4d, mov %rsi, (%rdi)
.endm
.macro vmi_native_set_pgd
	vmi_ident set_pgd, mov %rsi, (%rdi)
.endm
.macro vmi_native_pte_clear
	vmi_ident pte_clear, movq $0, (%rdi)
.endm
.macro vmi_native_pte_get_and_clear
	VMI_ENTRY pte_get_and_clear, VMI_ANNOT_IDENT
	xor %eax, %eax
	xchg %rax, (%rdi)
	ret
	VMI_END pte_get_and_clear
.endm
/* (old & ~clear_bits) | set_bits, atomically, returning old. */
.macro vmi_native_pte_update
	VMI_ENTRY pte_update, VMI_ANNOT_CALL
	mov %rsi, %r8
	not %r8
	mov (%rdi), %rax
1:	mov %rax, %rcx
	and %r8, %rcx
	or %rdx, %rcx
	lock cmpxchg %rcx, (%rdi)
	jne 1b
	ret
	VMI_END pte_update
.endm
.macro vmi_native_modify_prot_start
	VMI_ENTRY modify_prot_start, VMI_ANNOT_IDENT
	xor %eax, %eax
	xchg %rax, (%rdi)
	ret
	VMI_END modify_prot_start
.endm
.macro vmi_native_modify_prot_commit
	vmi_ident modify_prot_commit, mov %rsi, (%rdi)
.endm
/* Hardware does not need to know which pages hold page tables. */
.macro vmi_native_alloc_pte
	VMI_NOP_ENTRY alloc_pte
.endm
.macro vmi_native_alloc_pmd
	VMI_NOP_ENTRY alloc_pmd
.endm
.macro vmi_native_alloc_pud
	VMI_NOP_ENTRY alloc_pud
.endm
.macro vmi_native_alloc_p4d
	VMI_NOP_ENTRY alloc_p4d
.endm
.macro vmi_native_alloc_pgd
	VMI_NOP_ENTRY alloc_pgd
.endm
.macro vmi_native_release_pte
	VMI_NOP_ENTRY release_pte
.endm
.macro vmi_native_release_pmd
	VMI_NOP_ENTRY release_pmd
.endm
.macro vmi_native_release_pud
	VMI_NOP_ENTRY release_pud
.endm
.macro vmi_native_release_p4d
	VMI_NOP_ENTRY release_p4d
.endm
.macro vmi_native_release_pgd
	VMI_NOP_ENTRY release_pgd
.endm
.macro vmi_native_invlpg
	vmi_ident invlpg, invlpg (%rdi)
.endm
.macro vmi_native_flush_tlb_user
	VMI_ENTRY flush_tlb_user, VMI_ANNOT_IDENT
	mov %cr3, %rax
	mov %rax, %cr3
	ret
	VMI_END flush_tlb_user
.endm
.macro vmi_cr4_pge_toggle name
	VMI_ENTRY \name, VMI_ANNOT_IDENT
	mov %cr4, %rax
	xor $X86_CR4_PGE, %rax
	mov %rax, %cr4
	xor $X86_CR4_PGE, %rax
	mov %rax, %cr4
	ret
	VMI_END \name
.endm
.macro vmi_native_flush_tlb_kernel
	vmi_cr4_pge_toggle flush_tlb_kernel
.endm
.macro vmi_native_flush_tlb_all
	vmi_cr4_pge_toggle flush_tlb_all
.endm
/* Nothing is ever deferred on hardware, but the mode still reads back. */
.macro vmi_native_set_deferred_mode
	vmi_call_c set_deferred_mode, vmi_rom_basic_set_deferred_mode
.endm
.macro vmi_native_get_deferred_mode
	vmi_call_c get_deferred_mode, vmi_rom_basic_get_deferred_mode
.endm
.macro vmi_native_flush_deferred
	VMI_NOP_ENTRY flush_deferred
.endm
.macro vmi_native_get_cycle_frequency
	vmi_call_c get_cycle_frequency, vmi_rom_native_cycle_frequency
.endm
.macro vmi_native_get_cycle_counter
	VMI_ENTRY get_cycle_counter, VMI_ANNOT_IDENT
	rdtsc
	shl $32, %rdx
	or %rdx, %rax
	ret
	VMI_END get_cycle_counter
.endm
.macro vmi_native_get_wallclock
	vmi_call_c get_wallclock, vmi_rom_native_wallclock
.endm
/* Modern devices need no ISA delay. */
.macro vmi_native_io_delay
	VMI_NOP_ENTRY io_delay
.endm
.macro vmi_native_reboot
	vmi_call_c reboot, vmi_rom_native_reboot
.endm
.macro vmi_native_shutdown
	vmi_call_c shutdown, vmi_rom_native_shutdown
.endm

/* ABI 1.1. Hardware needs no physical address of the data area. */
.macro vmi_native_set_data_area_pa
	VMI_NOP_ENTRY set_data_area_pa
.endm
/* The guest's own ICR writes are the native IPI. */
.macro vmi_native_send_ipi
	VMI_UNSUPPORTED send_ipi
.endm
/* 0: the guest writes the EOI register itself. */
.macro vmi_native_apic_eoi
	VMI_NOP_ENTRY apic_eoi
.endm
/* Hardware has nothing to halt a lock waiter for: the guest spins. */
.macro vmi_native_spin_wait
	VMI_NOP_ENTRY spin_wait
.endm
.macro vmi_native_spin_kick
	VMI_NOP_ENTRY spin_kick
.endm
.macro vmi_native_yield_to
	VMI_NOP_ENTRY yield_to
.endm
/* 0: no entry decides at run time between a faster path and native. */
.macro vmi_native_call_fallback
	VMI_NOP_ENTRY call_fallback
.endm

/* ABI 1.2. Hardware never preempts a CPU, so no flush can wait for one. */
.macro vmi_native_vcpu_preempted
	VMI_NOP_ENTRY vcpu_preempted
.endm
.macro vmi_native_flush_tlb_preempted
	VMI_NOP_ENTRY flush_tlb_preempted
.endm

#endif /* VMI_ROM_NATIVE_H */
