/*
 * C entries of the broken test ROMs: activate and the deferred-mode
 * bookkeeping as the template has them, and the deferring set_pte whose
 * queue no flush point drains (only BROKEN_DEFER's set_pte uses it).
 */
#include "broken.h"

static struct broken_cpu *this_cpu(void)
{
	return (struct broken_cpu *)vmi_rom_this_cpu();
}

int64_t broken_activate(void *data_area, uint32_t cpu)
{
	return vmi_rom_cpu_activate(data_area, cpu, BROKEN_DATA_AREA_SIZE, vmi_rom_gs_slot());
}

int64_t broken_set_deferred_mode(uint32_t mode)
{
	struct broken_cpu *cpu = this_cpu();

	/* The defect of BROKEN_DEFER: lowering the mode drops the queue unflushed. */
	if (cpu && !(mode & VMI_DEFER_MMU))
		cpu->queued = 0;
	return vmi_rom_cpu_set_mode(cpu ? &cpu->common : NULL, mode);
}

uint64_t broken_get_deferred_mode(void)
{
	struct broken_cpu *cpu = this_cpu();

	return cpu ? cpu->common.deferred_mode : VMI_DEFER_NONE;
}

void broken_set_pte(uint64_t *ptep, uint64_t value)
{
	struct broken_cpu *cpu = this_cpu();

	if (cpu && (cpu->common.deferred_mode & VMI_DEFER_MMU) && cpu->queued < BROKEN_QUEUE) {
		cpu->queue[cpu->queued].ptep = ptep;
		cpu->queue[cpu->queued].value = value;
		cpu->queued++;
		return;
	}
	*(volatile uint64_t *)ptep = value;
}
