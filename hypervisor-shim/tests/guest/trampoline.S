/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The AP's way from its start-up IPI to ap_main: real mode at
 * AP_TRAMPOLINE_GPA (smp.c copies this code there, since PVH segments load
 * above 1 MiB and a start-up vector names a page below it), protected
 * mode, then long mode on the BSP's page tables. Addresses inside the
 * trampoline are computed for where it runs, not where it is linked.
 */
#include "hostile.h"
#include "long_mode.h"

#define CR0_PE 0x1
/* The trampoline's own GDT. */
#define TRAMP_CODE32 0x08
#define TRAMP_DATA 0x10
#define TRAMP_CODE64 0x18
#define AT_RUN(label) ((label) - ap_trampoline + AP_TRAMPOLINE_GPA)

	.text
	.code16
	.globl ap_trampoline, ap_trampoline_end
ap_trampoline:
	cli
	cld
	mov %cs, %ax		/* CS base = AP_TRAMPOLINE_GPA */
	mov %ax, %ds
	lgdtl tramp_gdt_pointer - ap_trampoline
	mov %cr0, %eax
	or $CR0_PE, %eax
	mov %eax, %cr0
	ljmpl $TRAMP_CODE32, $AT_RUN(tramp_32)

	.code32
tramp_32:
	mov $TRAMP_DATA, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	enable_long_mode
	ljmp $TRAMP_CODE64, $AT_RUN(tramp_64)

	.code64
tramp_64:
	mov $ap_stack_top, %rsp
	movabs $ap_main, %rax	/* absolute: the trampoline runs away from its link address */
	call *%rax
1:	cli
	hlt
	jmp 1b

	.p2align 3
tramp_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff	/* TRAMP_CODE32 */
	.quad 0x00cf92000000ffff	/* TRAMP_DATA */
	.quad 0x00af9a000000ffff	/* TRAMP_CODE64 */
tramp_gdt_pointer:
	.word tramp_gdt_pointer - tramp_gdt - 1
	.long AT_RUN(tramp_gdt)
ap_trampoline_end:

	.bss
	.p2align 4
	.globl ap_stack_top
	.skip 16384
ap_stack_top:
