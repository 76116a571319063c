/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * PVH entry of the shim's own test guest: 32-bit protected mode, paging off,
 * %ebx = hvm_start_info. Builds identity page tables for the first GiB
 * (the first 2 MiB in 4 KiB pages, so there are level-1 entries to play
 * with), enters long mode and calls guest_main(start_info).
 */
#include "long_mode.h"

#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define PTE_PW 0x3
#define PTE_PW_LARGE 0x83
#define SEL_CODE64 0x08
#define SEL_DATA 0x10

	.section .note.pvh, "a", @note
	.p2align 2
	.long 4, 4, XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.long pvh_start

	.section .text.entry, "ax"
	.code32
	.globl pvh_start
pvh_start:
	cld
	mov %ebx, %esi
	mov $stack_top, %esp

	/* pml4[0] -> pdpt, pdpt[0] -> pd, pd[0] -> pt */
	mov $guest_pdpt + PTE_PW, %eax
	mov %eax, guest_pml4
	mov $guest_pd + PTE_PW, %eax
	mov %eax, guest_pdpt
	mov $guest_pt + PTE_PW, %eax
	mov %eax, guest_pd

	/* pd[1..511]: 2 MiB pages */
	mov $1, %ecx
1:	mov %ecx, %eax
	shl $21, %eax
	or $PTE_PW_LARGE, %eax
	mov %eax, guest_pd(, %ecx, 8)
	inc %ecx
	cmp $512, %ecx
	jne 1b

	/* pt[0..511]: 4 KiB pages of the first 2 MiB */
	xor %ecx, %ecx
2:	mov %ecx, %eax
	shl $12, %eax
	or $PTE_PW, %eax
	mov %eax, guest_pt(, %ecx, 8)
	inc %ecx
	cmp $512, %ecx
	jne 2b

	enable_long_mode
	lgdt gdt_pointer
	ljmp $SEL_CODE64, $long_mode

	.code64
long_mode:
	mov $SEL_DATA, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov %esi, %edi
	call guest_main
3:	cli
	hlt
	jmp 3b

	.section .rodata
	.p2align 3
gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
gdt_pointer:
	.word gdt_pointer - gdt - 1
	.long gdt

	.section .bss
	.p2align 12
	.globl guest_pml4, guest_pdpt, guest_pd, guest_pt
guest_pml4:	.skip 4096
guest_pdpt:	.skip 4096
guest_pd:	.skip 4096
guest_pt:	.skip 4096
	.skip 16384
stack_top:
