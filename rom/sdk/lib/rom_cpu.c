/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The per-CPU data area every ROM starts its state with: activation and
 * the deferred-mode bits. Pure logic, also compiled for host unit tests.
 */
#include "vmi_rom.h"

int64_t vmi_rom_cpu_activate(struct vmi_rom_cpu *area, uint32_t cpu,
			     uint32_t area_size, const void *gs_slot)
{
	if (area_size == 0)
		return VMI_OK;	/* a ROM without a data area needs nothing */
	if (!area || (uintptr_t)area % VMI_DATA_AREA_ALIGN ||
	    (const void *)area != gs_slot)
		return VMI_E_INVAL;
	if (area->magic == VMI_ROM_CPU_MAGIC)
		return VMI_E_STATE;	/* activated twice without re-zeroing */
	area->cpu = cpu;
	area->deferred_mode = VMI_DEFER_NONE;
	area->magic = VMI_ROM_CPU_MAGIC;
	return VMI_OK;
}

struct vmi_rom_cpu *vmi_rom_cpu_from_slot(const void *gs_slot)
{
	struct vmi_rom_cpu *area = (struct vmi_rom_cpu *)(uintptr_t)gs_slot;

	if (!area || (uintptr_t)area % VMI_DATA_AREA_ALIGN ||
	    area->magic != VMI_ROM_CPU_MAGIC)
		return NULL;
	return area;
}

int64_t vmi_rom_cpu_set_mode(struct vmi_rom_cpu *cpu, uint32_t mode)
{
	if (mode & ~(uint32_t)VMI_ROM_DEFER_KNOWN)
		return VMI_E_INVAL;
	if (!cpu)
		return VMI_E_STATE;
	cpu->deferred_mode = mode;
	return VMI_OK;
}

#ifndef VMI_ROM_HOST_TEST

int64_t vmi_rom_basic_activate(void *data_area, uint32_t cpu)
{
	return vmi_rom_cpu_activate(data_area, cpu, VMI_ROM_CPU_AREA_SIZE,
				    vmi_rom_gs_slot());
}

int64_t vmi_rom_basic_set_deferred_mode(uint32_t mode)
{
	return vmi_rom_cpu_set_mode(vmi_rom_this_cpu(), mode);
}

uint64_t vmi_rom_basic_get_deferred_mode(void)
{
	struct vmi_rom_cpu *cpu = vmi_rom_this_cpu();

	return cpu ? cpu->deferred_mode : VMI_DEFER_NONE;
}

#endif
