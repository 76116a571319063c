/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The test guest's way into ring 3 and back, its exception entry points,
 * and the ring-3 code itself, on pages of their own so that only they get
 * the user bit.
 */
#include <vmi/vmi_hypercall.h>

#include "hostile.h"

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || \
			   (v) == 29 || (v) == 30)

	.text
/*
 * One stub per exception: a frame of vector, error code (0 where the CPU
 * pushes none), then the CPU's rip, cs, rflags, rsp, ss, for hostile_trap.
 */
	.altmacro
	.macro trap_stub vector
trap_stub_\vector:
	.if !HAS_ERROR_CODE(\vector)
	push $0
	.endif
	push $\vector
	jmp trap_common
	.endm

	.set vector, 0
	.rept NR_EXCEPTIONS
	trap_stub %vector
	.set vector, vector + 1
	.endr

trap_common:
	mov %rsp, %rdi
	and $-16, %rsp
	call hostile_trap	/* does not return: it reports and ends the VM */
1:	cli
	hlt
	jmp 1b

	.macro stub_address vector
	.quad trap_stub_\vector
	.endm

	.section .rodata
	.p2align 3
	.globl trap_stubs
trap_stubs:
	.set vector, 0
	.rept NR_EXCEPTIONS
	stub_address %vector
	.set vector, vector + 1
	.endr
	.noaltmacro

	.text
/* enter_user(entry, user_stack, arg): an iretq to ring 3 with IOPL 3. */
	.globl enter_user
enter_user:
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	mov %rsp, kernel_rsp(%rip)
	mov %rdx, %r8
	push $(SEL_UDATA | RPL_USER)
	push %rsi
	push $RFLAGS_USER
	push $(SEL_UCODE | RPL_USER)
	push %rdi
	iretq

/*
 * The DPL-3 gate: the CPU switched to the TSS's rsp0 and left a frame
 * there that nobody needs; back onto the stack enter_user left, and return
 * from it. SS is null after the switch; give it the kernel's again.
 */
	.globl ring0_gate
ring0_gate:
	mov $SEL_KDATA, %ax
	mov %ax, %ss
	mov %ax, %ds
	mov %ax, %es
	mov kernel_rsp(%rip), %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret

	.bss
	.p2align 3
kernel_rsp:
	.skip 8

/*
 * Ring 3. r8 = the results page (user): slot 0 holds the kernel address to
 * point WALLCLOCK at, each hypercall's rax goes to the next slot. SHUTDOWN
 * comes last: if the VMM obeys it, nothing after it runs.
 */
	.section .text.user, "ax"
	.p2align 12
	.globl user_code_start, user_code_end, user_hypercalls
user_code_start:
user_hypercalls:
	mov 0(%r8), %r9
	mov $VMI_HC_PORT, %edx
	mov $VMI_HC_VERSION, %eax
	out %eax, %dx
	mov %rax, 8(%r8)
	mov $VMI_HC_WALLCLOCK, %eax
	mov %r9, %rbx
	out %eax, %dx
	mov %rax, 16(%r8)
	mov $VMI_HC_ACTIVATE, %eax
	xor %ebx, %ebx
	xor %ecx, %ecx
	out %eax, %dx
	mov %rax, 24(%r8)
	mov $VMI_HC_SHUTDOWN, %eax
	out %eax, %dx
	mov %rax, 32(%r8)
	int $VECTOR_RING0
	ud2
	.p2align 12
user_code_end:
