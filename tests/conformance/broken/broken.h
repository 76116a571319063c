/* Per-CPU state of the broken test ROMs (see body.inc). */
#ifndef BROKEN_H
#define BROKEN_H

#include "vmi_rom.h"

/* Room for the queue of the deferring variant; a page for all of them. */
#define BROKEN_DATA_AREA_SIZE 4096
#define BROKEN_QUEUE 128

#ifndef __ASSEMBLER__
struct broken_cpu {
	struct vmi_rom_cpu common;      /* must come first: activate, mode */
	uint64_t queued;
	struct {
		uint64_t *ptep;
		uint64_t value;
	} queue[BROKEN_QUEUE];
};

_Static_assert(sizeof(struct broken_cpu) <= BROKEN_DATA_AREA_SIZE, "grow BROKEN_DATA_AREA_SIZE");

/* Whether queued stores are ever applied: only in the GOOD_DEFER control. */
#ifdef GOOD_DEFER
#define BROKEN_DRAINS 1
#else
#define BROKEN_DRAINS 0
#endif

struct broken_cpu *broken_this_cpu(void);
void broken_drain(struct broken_cpu *cpu);
#endif

#endif
