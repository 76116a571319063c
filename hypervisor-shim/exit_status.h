/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * How vmi-shim ends: one exit status per way a guest can stop, so tests can
 * tell them apart. Host policy, not ABI.
 *
 * Every status the shim chooses itself is even; odd statuses belong to the
 * debug-exit port, which ends the VMM like QEMU's isa-debug-exit does:
 * status = ((value << 1) | 1) & 0xff. One runner reads both.
 */
#ifndef SHIM_EXIT_STATUS_H
#define SHIM_EXIT_STATUS_H

#define SHIM_EXIT_POWEROFF 0	/* ACPI S5 or the SHUTDOWN hypercall */
#define SHIM_EXIT_USAGE 2	/* bad arguments: one line on stderr says which */
#define SHIM_EXIT_REBOOT 4	/* ACPI reset, keyboard-controller reset, REBOOT hypercall */
#define SHIM_EXIT_PANIC 6	/* Linux printed its panic banner (see README) */
#define SHIM_EXIT_INTERNAL 8	/* a KVM call failed or the guest broke KVM (emulation failure) */
#define SHIM_EXIT_TRIPLE_FAULT 10	/* the guest reset itself with a triple fault */
#define SHIM_EXIT_TESTHOST 12	/* tests/testhost/run-shim: the nested test host itself failed */
#define SHIM_EXIT_STOPPED 14	/* SIGTERM, SIGINT or SIGHUP stopped a running guest (a hang) */

/* Status for a value written to the debug-exit port. */
#define SHIM_EXIT_DEBUG(value) ((int)((((value) << 1) | 1) & 0xff))

#endif /* SHIM_EXIT_STATUS_H */
