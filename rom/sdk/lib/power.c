/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Reboot and power-off without ACPI tables. Best effort by nature: each
 * step is tried in turn and the last one always works (a triple fault
 * resets; cli;hlt stops). Ports are the PC platform's, kept here.
 */
#include "vmi_rom.h"

#define KBC_STATUS 0x64
#define KBC_COMMAND 0x64
#define KBC_INPUT_FULL 0x02
#define KBC_PULSE_RESET 0xfe
#define KBC_MAX_POLLS 100000

/*
 * Fixed-port ACPI PM1a control writes of common emulators (QEMU with
 * SeaBIOS's PM base, older QEMU/Bochs, VirtualBox): SLP_EN with the soft-off
 * sleep type. On hardware these ports are normally unused.
 */
static const struct { uint16_t port, value; } poweroff_ports[] = {
	{ 0x604, 0x2000 }, { 0xb004, 0x2000 }, { 0x4004, 0x3400 },
};

static void kbc_wait_input_empty(void)
{
	for (long i = 0; i < KBC_MAX_POLLS; i++) {
		if (!(vmi_inb(KBC_STATUS) & KBC_INPUT_FULL))
			return;
		vmi_pause();
	}
}

static __attribute__((noreturn)) void triple_fault(void)
{
	struct vmi_desc_ptr empty = { 0, 0 };

	/* With an empty IDT the breakpoint cannot be delivered: shutdown. */
	__asm__ volatile("lidt %0; int3" : : "m"(empty));
	vmi_halt_forever();
}

void vmi_rom_native_reboot(void)
{
	__asm__ volatile("cli");
	kbc_wait_input_empty();
	vmi_outb(KBC_COMMAND, KBC_PULSE_RESET);
	for (long i = 0; i < KBC_MAX_POLLS; i++)
		vmi_pause();	/* give the controller time to pull reset */
	triple_fault();
}

void vmi_rom_native_shutdown(void)
{
	__asm__ volatile("cli");
	for (size_t i = 0; i < sizeof(poweroff_ports) / sizeof(poweroff_ports[0]); i++)
		vmi_outw(poweroff_ports[i].port, poweroff_ports[i].value);
	vmi_halt_forever();
}
