/*
 * C entries of the broken test ROMs: activate and the deferred-mode
 * bookkeeping as the template has them, and a set_pte that really queues
 * its store in deferred MMU mode. The GOOD_DEFER control drains the queue
 * at every flush point (good_defer.c); BROKEN_DEFER never does.
 */
#include "broken.h"

struct broken_cpu *broken_this_cpu(void)
{
	return (struct broken_cpu *)vmi_rom_this_cpu();
}

int64_t broken_activate(void *data_area, uint32_t cpu)
{
	return vmi_rom_cpu_activate(data_area, cpu, BROKEN_DATA_AREA_SIZE, vmi_rom_gs_slot());
}

/* Applies every queued store, in order. */
void broken_drain(struct broken_cpu *cpu)
{
	if (!cpu)
		return;
	for (uint64_t i = 0; i < cpu->queued; i++)
		*(volatile uint64_t *)cpu->queue[i].ptep = cpu->queue[i].value;
	cpu->queued = 0;
}

int64_t broken_set_deferred_mode(uint32_t mode)
{
	struct broken_cpu *cpu = broken_this_cpu();

	if (cpu && !(mode & VMI_DEFER_MMU) && !(mode & ~(uint32_t)VMI_ROM_DEFER_KNOWN)) {
		if (BROKEN_DRAINS)
			broken_drain(cpu);
		cpu->queued = 0;        /* BROKEN_DEFER's defect: dropped unflushed */
	}
	return vmi_rom_cpu_set_mode(cpu ? &cpu->common : NULL, mode);
}

uint64_t broken_get_deferred_mode(void)
{
	struct broken_cpu *cpu = broken_this_cpu();

	return cpu ? cpu->common.deferred_mode : VMI_DEFER_NONE;
}

void broken_set_pte(uint64_t *ptep, uint64_t value)
{
	struct broken_cpu *cpu = broken_this_cpu();

	if (cpu && (cpu->common.deferred_mode & VMI_DEFER_MMU)) {
		if (cpu->queued == BROKEN_QUEUE) {
			if (!BROKEN_DRAINS) {   /* no room, and it never drains: store now */
				*(volatile uint64_t *)ptep = value;
				return;
			}
			broken_drain(cpu);
		}
		cpu->queue[cpu->queued].ptep = ptep;
		cpu->queue[cpu->queued].value = value;
		cpu->queued++;
		return;
	}
	*(volatile uint64_t *)ptep = value;
}
