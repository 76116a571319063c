/*
 * Guarded calls into ROM code, and fault-tolerant memory probes.
 *
 * conf_guarded_call(struct guarded_call *gc): fills every GPR from
 * gc->regs_in, poisons GUARD_POISON_BYTES below the stack pointer, loads
 * gc->rflags_in, calls gc->target, records every GPR and RFLAGS in
 * gc->regs_out/rflags_out, and measures how deep below the caller's rsp
 * the stack changed (the 8-byte return address included). An exception in
 * the callee lands in conf_isr_dispatch, which resumes at guard_recover
 * with the vector in gc->faulted. RFLAGS are left as the callee returned
 * them, so interrupt-mask calls keep their effect.
 */
#include "layout.h"

	.text
	.globl conf_guarded_call
conf_guarded_call:
	push %rbx
	push %rbp
	push %r12
	push %r13
	push %r14
	push %r15
	sub $8, %rsp                    /* keep the callee's stack 16-byte aligned */
	mov %rdi, gc_current(%rip)
	mov %rsp, gc_saved_rsp(%rip)

	lea -GUARD_POISON_BYTES(%rsp), %rdi
	mov $(GUARD_POISON_BYTES / 8), %ecx
	movabs $GUARD_POISON_QWORD, %rax
	rep stosq

	mov gc_current(%rip), %rax
	mov GC_TARGET(%rax), %rbx
	mov %rbx, gc_target(%rip)
	lea guard_recover(%rip), %rbx
	mov %rbx, conf_guard_rip(%rip)
	mov %rsp, conf_guard_rsp(%rip)
	movl $1, conf_guard_armed(%rip)
	/* push/popf touch only the slot the return address overwrites next. */
	pushq GC_RFLAGS_IN(%rax)
	popfq
	mov GC_REGS_IN + 8 * REG_RBX(%rax), %rbx
	mov GC_REGS_IN + 8 * REG_RCX(%rax), %rcx
	mov GC_REGS_IN + 8 * REG_RDX(%rax), %rdx
	mov GC_REGS_IN + 8 * REG_RSI(%rax), %rsi
	mov GC_REGS_IN + 8 * REG_RDI(%rax), %rdi
	mov GC_REGS_IN + 8 * REG_RBP(%rax), %rbp
	mov GC_REGS_IN + 8 * REG_R8(%rax), %r8
	mov GC_REGS_IN + 8 * REG_R9(%rax), %r9
	mov GC_REGS_IN + 8 * REG_R10(%rax), %r10
	mov GC_REGS_IN + 8 * REG_R11(%rax), %r11
	mov GC_REGS_IN + 8 * REG_R12(%rax), %r12
	mov GC_REGS_IN + 8 * REG_R13(%rax), %r13
	mov GC_REGS_IN + 8 * REG_R14(%rax), %r14
	mov GC_REGS_IN + 8 * REG_R15(%rax), %r15
	mov GC_REGS_IN + 8 * REG_RAX(%rax), %rax
	call *gc_target(%rip)
	movl $0, conf_guard_armed(%rip)
	mov %rax, gc_scratch_rax(%rip)
	pushfq
	popq gc_scratch_flags(%rip)
	mov gc_current(%rip), %rax
	mov %rbx, GC_REGS_OUT + 8 * REG_RBX(%rax)
	mov %rcx, GC_REGS_OUT + 8 * REG_RCX(%rax)
	mov %rdx, GC_REGS_OUT + 8 * REG_RDX(%rax)
	mov %rsi, GC_REGS_OUT + 8 * REG_RSI(%rax)
	mov %rdi, GC_REGS_OUT + 8 * REG_RDI(%rax)
	mov %rbp, GC_REGS_OUT + 8 * REG_RBP(%rax)
	mov %rsp, GC_REGS_OUT + 8 * REG_RSP(%rax)
	mov %r8, GC_REGS_OUT + 8 * REG_R8(%rax)
	mov %r9, GC_REGS_OUT + 8 * REG_R9(%rax)
	mov %r10, GC_REGS_OUT + 8 * REG_R10(%rax)
	mov %r11, GC_REGS_OUT + 8 * REG_R11(%rax)
	mov %r12, GC_REGS_OUT + 8 * REG_R12(%rax)
	mov %r13, GC_REGS_OUT + 8 * REG_R13(%rax)
	mov %r14, GC_REGS_OUT + 8 * REG_R14(%rax)
	mov %r15, GC_REGS_OUT + 8 * REG_R15(%rax)
	mov gc_scratch_rax(%rip), %rbx
	mov %rbx, GC_REGS_OUT + 8 * REG_RAX(%rax)
	mov gc_scratch_flags(%rip), %rbx
	mov %rbx, GC_RFLAGS_OUT(%rax)
	movq $0, GC_FAULTED(%rax)
	jmp guard_measure

	/* Entered from conf_isr_dispatch with rsp = conf_guard_rsp, IF clear. */
guard_recover:
	mov gc_current(%rip), %rax
	mov conf_guard_vector(%rip), %rbx
	inc %rbx
	mov %rbx, GC_FAULTED(%rax)

guard_measure:
	mov gc_saved_rsp(%rip), %rsp
	mov gc_current(%rip), %rdx
	/* First changed qword from the bottom of the poisoned range. */
	lea -GUARD_POISON_BYTES(%rsp), %rdi
	mov $(GUARD_POISON_BYTES / 8), %ecx
	movabs $GUARD_POISON_QWORD, %rax
	repe scasq
	je 1f
	sub $8, %rdi
	mov %rsp, %rcx
	sub %rdi, %rcx
	jmp 2f
1:	xor %ecx, %ecx
2:	mov %rcx, GC_STACK_USED(%rdx)
	mov %rsp, GC_RSP_AT_CALL(%rdx)
	add $8, %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbp
	pop %rbx
	ret

/*
 * int conf_probe_read(const volatile uint64_t *p, uint64_t *out):
 * 0 and *out = *p, or the exception vector + 1 when the load faults.
 * int conf_probe_write(volatile uint64_t *p, uint64_t value): likewise.
 */
	.globl conf_probe_read
conf_probe_read:
	lea probe_recover(%rip), %rax
	mov %rax, conf_guard_rip(%rip)
	mov %rsp, conf_guard_rsp(%rip)
	movl $1, conf_guard_armed(%rip)
	mov (%rdi), %rax
	movl $0, conf_guard_armed(%rip)
	mov %rax, (%rsi)
	xor %eax, %eax
	ret

	.globl conf_probe_write
conf_probe_write:
	lea probe_recover(%rip), %rax
	mov %rax, conf_guard_rip(%rip)
	mov %rsp, conf_guard_rsp(%rip)
	movl $1, conf_guard_armed(%rip)
	mov %rsi, (%rdi)
	movl $0, conf_guard_armed(%rip)
	xor %eax, %eax
	ret

probe_recover:
	mov conf_guard_vector(%rip), %rax
	inc %eax
	ret

	.bss
	.p2align 3
gc_current:	.quad 0
gc_saved_rsp:	.quad 0
gc_target:	.quad 0
gc_scratch_rax:	.quad 0
gc_scratch_flags: .quad 0
	.globl conf_guard_rip, conf_guard_rsp, conf_guard_armed, conf_guard_vector
conf_guard_rip:	.quad 0
conf_guard_rsp:	.quad 0
conf_guard_vector: .quad 0
conf_guard_armed: .long 0
