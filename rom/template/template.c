/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * TEMPLATE: C implementations of CALL entries. template.S jumps here.
 *
 * ROM C code runs in ring 0 on the guest's kernel stack with whatever the
 * guest's interrupts state is. It may not: use globals (the image is not
 * writable; keep state in struct template_cpu), use floating point, use
 * more than a small frame (the build limits each function, see
 * rom/README.md), or fault. The build flags enforce what they can.
 */
#include "template.h"

/* The per-CPU area of the calling CPU, or NULL before activate. */
static struct template_cpu *this_cpu(void)
{
	return (struct template_cpu *)vmi_rom_this_cpu();
}

/*
 * activate: validates the area (vmi_rom_cpu_activate implements the spec's
 * INVAL/STATE rules), then sets up the backend. A backend that talks to a
 * hypervisor would announce itself here, e.g. with a hypercall.
 */
int64_t template_activate(void *data_area, uint32_t cpu)
{
	int64_t ret = vmi_rom_cpu_activate(data_area, cpu, TEMPLATE_DATA_AREA_SIZE,
					   vmi_rom_gs_slot());

	if (ret == VMI_OK)
		((struct template_cpu *)data_area)->activations++;
	return ret;
}

/* Deferred mode: this template defers nothing, but the mode reads back. */
int64_t template_set_deferred_mode(uint32_t mode)
{
	struct template_cpu *cpu = this_cpu();

	return vmi_rom_cpu_set_mode(cpu ? &cpu->common : NULL, mode);
}

uint64_t template_get_deferred_mode(void)
{
	struct template_cpu *cpu = this_cpu();

	return cpu ? cpu->common.deferred_mode : VMI_DEFER_NONE;
}
