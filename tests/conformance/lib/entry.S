/*
 * Boot: PVH entry (32-bit protected mode, paging off, %ebx = start_info)
 * to long mode with the first 4 GiB identity-mapped in 2 MiB pages, then
 * conf_main(start_info). The loader (QEMU -kernel, the shim) finds the entry
 * through the XEN_ELFNOTE_PHYS32_ENTRY note.
 */
#include "layout.h"

#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define MSR_EFER 0xc0000080
#define EFER_LME (1 << 8)
#define CR0_PE 0x1
#define CR0_WP (1 << 16)
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define CR4_PGE (1 << 7)
#define IDENTITY_GIB 4

	/* The note's descriptor is 4 bytes and the section 4-aligned, as the
	 * Linux kernel has it: loaders align the name to the note segment. */
	.section .note.pvh, "a", @note
	.p2align 2
	.long 4, 4, XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.p2align 2
	.long pvh_entry32
	.p2align 2

	.section .text.boot, "ax"
	.code32
	.globl pvh_entry32
pvh_entry32:
	cli
	cld
	mov %ebx, %esi

	/* The loader may leave .bss dirty: clear it before anything lives there. */
	mov $__bss_start, %edi
	mov $__bss_end, %ecx
	sub %edi, %ecx
	xor %eax, %eax
	rep stosb
	mov %esi, boot_start_info

	/* pml4[0] -> pdpt; pdpt[0..3] -> pd[0..3]; each pd maps 1 GiB in 2 MiB pages. */
	mov $boot_pdpt, %eax
	or $(PTE_P | PTE_W), %eax
	mov %eax, boot_pml4
	xor %ecx, %ecx
1:	mov %ecx, %eax
	shl $12, %eax
	add $boot_pd, %eax
	or $(PTE_P | PTE_W), %eax
	mov %eax, boot_pdpt(, %ecx, 8)
	inc %ecx
	cmp $IDENTITY_GIB, %ecx
	jb 1b
	xor %ecx, %ecx
2:	mov %ecx, %eax
	shl $21, %eax
	or $(PTE_P | PTE_W | PTE_PS), %eax
	mov %eax, boot_pd(, %ecx, 8)
	inc %ecx
	cmp $(IDENTITY_GIB * 512), %ecx
	jb 2b

	lgdt boot_gdt_desc
	mov %cr4, %eax
	or $(CR4_PAE | CR4_PGE), %eax
	mov %eax, %cr4
	mov $boot_pml4, %eax
	mov %eax, %cr3
	mov $MSR_EFER, %ecx
	rdmsr
	or $EFER_LME, %eax
	wrmsr
	mov %cr0, %eax
	or $(CR0_PE | CR0_WP | CR0_PG), %eax
	mov %eax, %cr0
	ljmp $SEL_CODE, $entry64

	.code64
entry64:
	mov $SEL_DATA, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	xor %eax, %eax
	mov %eax, %fs
	mov %eax, %gs
	lea boot_stack_top(%rip), %rsp
	xor %ebp, %ebp
	mov boot_start_info(%rip), %edi
	call conf_main
3:	cli
	hlt
	jmp 3b

	.data
	.p2align 4
	.globl conf_gdt
conf_gdt:
	.quad 0
	.quad 0x00af9a000000ffff        /* SEL_CODE: 64-bit code, DPL 0 */
	.quad 0x00cf92000000ffff        /* SEL_DATA: flat data */
	.fill GDT_ENTRIES - 3, 8, 0     /* TSS, LDT and spare slots: filled by desc.c */
conf_gdt_end:
boot_gdt_desc:
	.word conf_gdt_end - conf_gdt - 1
	.quad conf_gdt

	.globl boot_start_info
boot_start_info:
	.quad 0

	.bss
	.p2align 12
	.globl boot_pml4
boot_pml4:
	.fill 512, 8, 0
boot_pdpt:
	.fill 512, 8, 0
boot_pd:
	.fill IDENTITY_GIB * 512, 8, 0
	.p2align 4
boot_stack:
	.fill 16384, 1, 0
boot_stack_top:
