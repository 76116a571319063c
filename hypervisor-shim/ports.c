// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Port I/O dispatch and the small platform devices behind it. */
#include <string.h>

#include <vmi/vmi_hypercall.h>
#include <vmi/vmi_platform.h>

#include "exit_status.h"
#include "layout.h"
#include "ports.h"
#include "shim.h"

#define SERIAL_PORTS 8
#define PM1_CNT_SCI_EN 0x0001
#define PM1_CNT_SLP_EN 0x2000
#define PM1_CNT_SLP_TYP(value) (((value) >> 10) & 7)
#define RESET_CPU 0x04		/* bit of the reset register that resets */
#define I8042_RESET 0xfe

static uint32_t little_endian(const uint8_t *data, unsigned size)
{
	uint32_t value = 0;

	memcpy(&value, data, size < 4 ? size : 4);
	return value;
}

static bool in_range(uint16_t port, uint16_t base, unsigned count)
{
	return port >= base && port < base + count;
}

void ports_reset_request(struct shim_vcpu *vcpu, int status, const char *reason)
{
	struct shim_vm *vm = vcpu->vm;

	if (serial_panic_seen(&vm->serial))
		vm_request_exit(vm, SHIM_EXIT_PANIC, "kernel panic");
	else
		vm_request_exit(vm, status, reason);
}

static void serial_write(struct shim_vcpu *vcpu, uint16_t port, uint8_t value)
{
	struct shim_vm *vm = vcpu->vm;

	serial_out(&vm->serial, port - VMI_PLATFORM_SERIAL_PORT, value);
	if (serial_panic_done(&vm->serial))
		vm_request_exit(vm, SHIM_EXIT_PANIC, "kernel panic");
}

/* PM1a control: the guest powers off by writing SLP_TYP(S5) with SLP_EN. */
static void pm1_control_write(struct shim_vcpu *vcpu, uint32_t value)
{
	if ((value & PM1_CNT_SLP_EN) && PM1_CNT_SLP_TYP(value) == SHIM_ACPI_S5_TYPE)
		vm_request_exit(vcpu->vm, SHIM_EXIT_POWEROFF, "ACPI power-off");
}

void ports_out(struct shim_vcpu *vcpu, uint16_t port, unsigned size, const uint8_t *data)
{
	uint32_t value = little_endian(data, size);

	if (in_range(port, VMI_PLATFORM_SERIAL_PORT, SERIAL_PORTS))
		serial_write(vcpu, port, data[0]);
	else if (port == VMI_HC_PORT && size == 4)
		hypercall_from_port(vcpu, value);
	else if (in_range(port, VMI_PLATFORM_DEBUG_EXIT_PORT, VMI_PLATFORM_DEBUG_EXIT_SIZE))
		vm_request_exit(vcpu->vm, SHIM_EXIT_DEBUG(value), "debug exit");
	else if (port == SHIM_PORT_PM1A_EVT + 2)
		vcpu->vm->pm1_enable = (uint16_t)value;
	else if (port == SHIM_PORT_PM1A_CNT)
		pm1_control_write(vcpu, value);
	else if (port == SHIM_PORT_PM1A_CNT + 1)
		pm1_control_write(vcpu, value << 8);
	else if (port == SHIM_PORT_RESET && (value & RESET_CPU))
		ports_reset_request(vcpu, SHIM_EXIT_REBOOT, "ACPI reset");
	else if (port == SHIM_PORT_I8042_CMD && (value & 0xff) == I8042_RESET)
		ports_reset_request(vcpu, SHIM_EXIT_REBOOT, "keyboard-controller reset");
	/* Anything else: no device, the write goes nowhere. */
}

void ports_in(struct shim_vcpu *vcpu, uint16_t port, unsigned size, uint8_t *data)
{
	uint32_t value = 0xffffffff;

	if (in_range(port, VMI_PLATFORM_SERIAL_PORT, SERIAL_PORTS))
		value = serial_in(&vcpu->vm->serial, port - VMI_PLATFORM_SERIAL_PORT);
	else if (port == SHIM_PORT_PM1A_EVT)
		value = 0;	/* no wake or button events */
	else if (port == SHIM_PORT_PM1A_EVT + 2)
		value = vcpu->vm->pm1_enable;
	else if (port == SHIM_PORT_PM1A_CNT)
		value = PM1_CNT_SCI_EN;	/* already in ACPI mode */
	else if (port == SHIM_PORT_PM1A_CNT + 1 || port == SHIM_PORT_RESET ||
		 port == SHIM_PORT_I8042_CMD)
		value = 0;	/* i8042 status: input buffer empty */
	else if (port == SHIM_PORT_CMOS_INDEX || port == SHIM_PORT_CMOS_DATA)
		value = 0;	/* no RTC update ever in progress */
	memcpy(data, &value, size < 4 ? size : 4);
}
