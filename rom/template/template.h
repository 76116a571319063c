/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * TEMPLATE: the per-CPU state of your backend. Shared by template.S (which
 * puts the data-area size in the header) and template.c.
 */
#ifndef TEMPLATE_H
#define TEMPLATE_H

#include "vmi_rom.h"

/* Bytes of per-CPU data area the guest allocates for this ROM. */
#define TEMPLATE_DATA_AREA_SIZE 64

#ifndef __ASSEMBLER__
struct template_cpu {
	struct vmi_rom_cpu common;	/* must come first: activate, mode */
	/* TEMPLATE: add your per-CPU state here (queues, shared pages...). */
	uint64_t activations;		/* example field: calls to activate */
};

_Static_assert(sizeof(struct template_cpu) <= TEMPLATE_DATA_AREA_SIZE,
	       "grow TEMPLATE_DATA_AREA_SIZE");
#endif

#endif /* TEMPLATE_H */
