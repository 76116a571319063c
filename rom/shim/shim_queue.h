/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The shim ROM's per-CPU state and its deferred-update queue.
 *
 * The pure logic (shim_queue.c) is compiled into the ROM and, with
 * VMI_ROM_HOST_TEST defined, into a host unit test that supplies its own
 * shim_hypercall() and checks every batch the ROM would send.
 */
#ifndef SHIM_QUEUE_H
#define SHIM_QUEUE_H

#include <vmi/vmi_abi.h>
#include <vmi/vmi_hypercall.h>

#include "vmi_rom.h"

/*
 * Records one flush sends at most. At least VMI_HC_MIN_ROM_QUEUE (the spec's
 * floor), at most VMI_HC_MAX_BATCH (what one MMU_BATCH may carry).
 */
#define SHIM_QUEUE_CAPACITY 256
/* struct vmi_rom_cpu, count and padding, then the records. */
#define SHIM_QUEUE_OFFSET 24
#define SHIM_DATA_AREA_SIZE (SHIM_QUEUE_OFFSET + SHIM_QUEUE_CAPACITY * VMI_MMU_RECORD_SIZE)

#ifndef __ASSEMBLER__

struct shim_cpu {
	struct vmi_rom_cpu common;
	uint32_t count;			/* records queued */
	uint32_t reserved;
	struct vmi_mmu_record queue[SHIM_QUEUE_CAPACITY];
};

_Static_assert(SHIM_QUEUE_CAPACITY >= VMI_HC_MIN_ROM_QUEUE, "queue below the spec's minimum");
_Static_assert(SHIM_QUEUE_CAPACITY <= VMI_HC_MAX_BATCH, "queue above one batch");
_Static_assert(__builtin_offsetof(struct shim_cpu, queue) == SHIM_QUEUE_OFFSET, "SHIM_QUEUE_OFFSET");
_Static_assert(sizeof(struct shim_cpu) == SHIM_DATA_AREA_SIZE, "SHIM_DATA_AREA_SIZE");
_Static_assert(SHIM_DATA_AREA_SIZE <= VMI_DATA_AREA_MAX, "data area too large");

/* The hypercall transport (shim_calls.c; host tests supply their own). */
int64_t shim_hypercall(uint32_t nr, uint64_t a0, uint64_t a1, uint64_t a2);

/* Sends every queued record as one MMU_BATCH hypercall. */
void shim_queue_flush(struct shim_cpu *s);

/*
 * Tells the hypervisor about one MMU call: queued in deferred MMU mode
 * (flushing when the queue fills), sent at once otherwise or before
 * activate (s == NULL).
 */
void shim_mmu_notify(struct shim_cpu *s, uint32_t call, uint64_t arg0,
		     uint64_t arg1);

/* set_deferred_mode: lowering any bit flushes; unknown bits are INVAL. */
int64_t shim_set_mode(struct shim_cpu *s, uint32_t mode);

#endif /* __ASSEMBLER__ */
#endif /* SHIM_QUEUE_H */
