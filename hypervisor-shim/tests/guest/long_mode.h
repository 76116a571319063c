/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * For the test guest's assembly: from 32-bit protected mode into long mode
 * on guest_pml4 (PAE, EFER.LME, CR0.PG), as the BSP's entry and the APs'
 * trampoline both do. The far jump into 64-bit code is the caller's.
 */
#ifndef GUEST_LONG_MODE_H
#define GUEST_LONG_MODE_H

#define CR4_PAE 0x20
#define MSR_EFER 0xc0000080
#define EFER_LME 0x100
#define CR0_PG 0x80000000

	.macro enable_long_mode
	mov %cr4, %eax
	or $CR4_PAE, %eax
	mov %eax, %cr4
	mov $guest_pml4, %eax
	mov %eax, %cr3
	mov $MSR_EFER, %ecx
	rdmsr
	or $EFER_LME, %eax
	wrmsr
	mov %cr0, %eax
	or $CR0_PG, %eax
	mov %eax, %cr0
	.endm

#endif /* GUEST_LONG_MODE_H */
