/* Must not link: an absolute address inside the image. */
	.section .note.GNU-stack, "", @progbits
	.section .rodata
	.quad vmi_image_start
