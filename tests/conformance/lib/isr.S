/*
 * Interrupt and exception stubs: one per vector, all on IST1 (see desc.c),
 * so an interrupt taken inside a ROM call never writes below the ROM's
 * stack pointer and never disturbs the stack measurement.
 * Each stub pushes a dummy error code where the CPU pushes none, then the
 * vector, then every GPR; conf_isr_dispatch(frame) may rewrite the frame.
 */
	.text

	/* Vectors 8, 10-14, 17, 21, 29 and 30 come with a CPU-pushed error code. */
	.macro isr_stub vec
	.p2align 4
isr_stub_\vec:
	.if !((\vec == 8) || (\vec >= 10 && \vec <= 14) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30))
	pushq $0
	.endif
	pushq $\vec
	jmp isr_common
	.endm

	.altmacro
	.macro isr_stub_n n
	isr_stub %n
	.endm

	.set vec, 0
	.rept 256
	isr_stub_n %vec
	.set vec, vec + 1
	.endr

isr_common:
	push %rax
	push %rbx
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %rbp
	push %r8
	push %r9
	push %r10
	push %r11
	push %r12
	push %r13
	push %r14
	push %r15
	cld
	mov %rsp, %rdi
	call conf_isr_dispatch
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rbp
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rbx
	pop %rax
	add $16, %rsp
	iretq

	.macro isr_addr vec
	.quad isr_stub_\vec
	.endm
	.macro isr_addr_n n
	isr_addr %n
	.endm

	/* Table of stub addresses for desc.c. */
	.section .rodata
	.p2align 3
	.globl conf_isr_stubs
conf_isr_stubs:
	.set vec, 0
	.rept 256
	isr_addr_n %vec
	.set vec, vec + 1
	.endr
