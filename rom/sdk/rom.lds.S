/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Linker script of every VMI ROM (preprocessed with the ABI header).
 *
 * The image is one read-only, position-independent blob linked at 0:
 * option-ROM signature and size byte, the header and call table
 * (.rom.head, from vmi_rom_asm.h), entry code, C code and constants,
 * zero padding to a whole number of blocks. Writable data is an error:
 * per-CPU state lives in the data area the guest hands to activate.
 */
#include <vmi/vmi_abi.h>

OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
ENTRY(vmi_image_start)

SECTIONS
{
	. = 0;
	.rom : {
		SHORT(VMI_ROM_SIGNATURE)
		BYTE(vmi_image_end / VMI_BLOCK_SIZE)
		KEEP(*(.rom.head))
		*(.text .text.*)
		*(.rodata .rodata.* .srodata .srodata.*)
		. = ALIGN(VMI_BLOCK_SIZE);
		vmi_image_end = .;
	} =0

	/* Anything here would be writable data inside the image. */
	.writable : {
		*(.data .data.* .bss .bss.* COMMON .got .got.* .got.plt)
		*(.tdata .tdata.* .tbss .tbss.* .init_array .fini_array)
	}

	/DISCARD/ : {
		*(.eh_frame .eh_frame_hdr .comment .note .note.* .dynamic)
		*(.interp .dynsym .dynstr .hash .gnu.hash .rela.dyn .plt .plt.*)
	}
}

ASSERT(vmi_image_start == 0, "VMI ROM: .rom.head must start the image (missing VMI_ROM_HEADER?)")
ASSERT(SIZEOF(.writable) == 0, "VMI ROM: writable data in the image; keep state in the per-CPU data area")
ASSERT(vmi_image_end <= VMI_MAX_IMAGE_SIZE, "VMI ROM: image larger than VMI_MAX_IMAGE_SIZE")
