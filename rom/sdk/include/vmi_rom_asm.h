/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Assembler macros every VMI ROM is written with. Include from a .S file.
 *
 * A ROM's main .S file has three parts:
 *
 *   VMI_ROM_HEADER "vendor", "backend", features, data_area_size, rom_version
 *   ... one VMI_ENTRY/VMI_END pair, VMI_NOP_ENTRY or VMI_UNSUPPORTED per call ...
 *   VMI_CALL_TABLE
 *
 * The header and the call table go into section .rom.head, which the linker
 * script places right after the option-ROM signature and size byte, so the
 * whole image layout comes from abi/ and nothing is written by hand. The
 * table is generated from the VMI_CALLS X-macro: a call the ROM forgot to
 * mention stops the build.
 */
#ifndef VMI_ROM_ASM_H
#define VMI_ROM_ASM_H

#ifndef __ASSEMBLER__
#error "vmi_rom_asm.h is for assembly sources"
#endif

#include <vmi/vmi_abi.h>

/* Stops the build unless the header field lands where abi/ says. */
.macro vmi_rom_field_at offset
	.if (. - vmi_image_start) != (\offset)
	.error "VMI ROM header field misplaced"
	.endif
.endm

/* A NUL-padded name of at most 16 characters. */
.macro vmi_rom_name text
	.L_vmi_name_\@:
	.ascii "\text"
	.if (. - .L_vmi_name_\@) > 16 || (. - .L_vmi_name_\@) == 0
	.error "VMI ROM vendor/backend name must have 1-16 characters"
	.endif
	.fill 16 - (. - .L_vmi_name_\@), 1, 0
.endm

/*
 * The option-ROM header from byte 3 on (the linker script writes the
 * signature and the size byte) and the VMI header.
 */
.macro VMI_ROM_HEADER vendor:req, backend:req, features:req, data_area_size:req, rom_version:req
	.section .note.GNU-stack, "", @progbits
	.section .rom.head, "a"
	.globl vmi_image_start
	.set vmi_image_start, . - VMI_ROM_HEADER_OFF_INIT_CODE
	/* Firmware that runs option ROMs at boot calls byte 3: return at once. */
	.byte VMI_ROM_INIT_CODE
	.fill VMI_ROM_HEADER_SIZE - VMI_ROM_HEADER_OFF_INIT_CODE - 1, 1, 0
	vmi_rom_field_at VMI_HEADER_OFFSET
	.long VMI_SIGNATURE
	.word VMI_ABI_MAJOR, VMI_ABI_MINOR
	.word VMI_HEADER_SIZE, VMI_CALL_ENTRY_SIZE
	.long VMI_NR_CALLS
	.long vmi_call_table - vmi_image_start
	.long \data_area_size
	.quad \features
	vmi_rom_field_at VMI_HEADER_OFFSET + VMI_HEADER_OFF_VENDOR
	vmi_rom_name "\vendor"
	vmi_rom_name "\backend"
	vmi_rom_field_at VMI_HEADER_OFFSET + VMI_HEADER_OFF_ROM_VERSION
	.long \rom_version
	.byte 0		/* checksum_adjust: romtool fix-checksum sets it */
	.fill VMI_HEADER_SIZE - VMI_HEADER_OFF_RESERVED, 1, 0
	vmi_rom_field_at VMI_HEADER_OFFSET + VMI_HEADER_SIZE
	.if (\data_area_size) > VMI_DATA_AREA_MAX
	.error "data_area_size exceeds VMI_DATA_AREA_MAX"
	.endif
	.text
.endm

/*
 * Starts the entry of call `name`: aligned, padded with int3, endbr64 first
 * (kernels with IBT call entries indirectly). annot is VMI_ANNOT_IDENT,
 * _NOP or _CALL; flags are VMI_ENTRY_F_* bits.
 */
.macro VMI_ENTRY name:req, annot:req, flags=0
	.ifdef vmi_annot_\name
	.error "call \name is defined twice"
	.endif
	.if (\annot) == VMI_ANNOT_UNSUPPORTED || (\annot) > VMI_ANNOT_CALL
	.error "VMI_ENTRY \name: annotation must be IDENT, NOP or CALL"
	.endif
	.text
	.balign VMI_ENTRY_ALIGN, 0xcc
	.set vmi_annot_\name, \annot
	.set vmi_flags_\name, \flags
vmi_entry_\name:
	endbr64
.endm

/* Ends the entry of call `name`; its length is the code in between. */
.macro VMI_END name:req
vmi_end_\name:
.endm

/* A call with no effect on this platform: returns 0, changes nothing. */
.macro VMI_NOP_ENTRY name:req
	VMI_ENTRY \name, VMI_ANNOT_NOP
	xor %eax, %eax
	ret
	VMI_END \name
.endm

/* The ROM does not implement call `name`; the guest keeps the native op. */
.macro VMI_UNSUPPORTED name:req
	.ifdef vmi_annot_\name
	.error "call \name is defined twice"
	.endif
	.set vmi_annot_\name, VMI_ANNOT_UNSUPPORTED
.endm

/* One call-table entry (struct vmi_call_entry). */
.macro vmi_call_table_entry name
	.ifndef vmi_annot_\name
	.error "call \name has neither VMI_ENTRY nor VMI_UNSUPPORTED"
	.exitm
	.endif
	.if vmi_annot_\name == VMI_ANNOT_UNSUPPORTED
	.long 0, 0
	.byte VMI_ANNOT_UNSUPPORTED, 0
	.else
	.long vmi_entry_\name - vmi_image_start
	.long vmi_end_\name - vmi_entry_\name
	.byte vmi_annot_\name, vmi_flags_\name
	.endif
	.fill VMI_CALL_ENTRY_SIZE - VMI_CALL_ENTRY_OFF_RESERVED, 1, 0
.endm

#define VMI_ROM__TABLE_ENTRY(nr, name, NAME, GROUP, CONV, since, may_defer) \
	vmi_call_table_entry name ;

/* The call table, generated from the ABI's list of calls. */
#define VMI_CALL_TABLE \
	.section .rom.head, "a" ; \
vmi_call_table: ; \
	VMI_CALLS(VMI_ROM__TABLE_ENTRY) \
	.if (. - vmi_call_table) != VMI_NR_CALLS * VMI_CALL_ENTRY_SIZE ; \
	.error "call table size does not match VMI_NR_CALLS" ; \
	.endif ; \
	.text

#endif /* VMI_ROM_ASM_H */
