/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Port I/O the shim emulates in user space: the UART, the debug-exit port,
 * the hypercall port, ACPI power management and reset, the keyboard
 * controller's reset line and a CMOS stub. Ports nobody claims read as
 * all ones, like an empty ISA bus.
 */
#ifndef SHIM_PORTS_H
#define SHIM_PORTS_H

#include <stdint.h>

struct shim_vcpu;

void ports_out(struct shim_vcpu *vcpu, uint16_t port, unsigned size, const uint8_t *data);
void ports_in(struct shim_vcpu *vcpu, uint16_t port, unsigned size, uint8_t *data);

/*
 * The guest asked for a reset (or reset itself with status): reported as
 * a panic instead when Linux printed its panic banner first.
 */
void ports_reset_request(struct shim_vcpu *vcpu, int status, const char *reason);

/* hypercall_port.c: one hypercall, nr = the value the guest wrote. */
void hypercall_from_port(struct shim_vcpu *vcpu, uint32_t nr);

#endif /* SHIM_PORTS_H */
