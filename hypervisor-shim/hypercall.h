/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The hypercall decoder and handlers: the transport of spec/vmi.toml
 * ([hypercall]) for the shim ROM.
 *
 * The guest is hostile. Every guest address and length is checked against
 * guest RAM, batch counts against VMI_HC_MAX_BATCH, alignment against the
 * spec; a bad hypercall returns a VMI_E_* code and the VMM keeps running.
 * No KVM in here: the caller fills a struct hc_env from the vCPU's registers,
 * so the fuzz target drives the same code over a plain buffer.
 */
#ifndef SHIM_HYPERCALL_H
#define SHIM_HYPERCALL_H

#include <stdbool.h>
#include <stdint.h>

#include "audit.h"
#include "gmem.h"
#include "stats.h"

/* The registers of one hypercall: eax = nr, a0..a3 = rbx, rcx, rsi, rdi. */
struct hc_args {
	uint64_t nr;
	uint64_t a[4];
};

/* What the VMM must do after the hypercall returns to the guest. */
enum hc_action {
	HC_CONTINUE,
	HC_POWEROFF,
	HC_REBOOT,
};

/* Per-vCPU state the handlers keep between hypercalls. */
struct hc_vcpu_state {
	bool activated;
	uint64_t data_area_va;
};

struct hc_env {
	struct gmem mem;
	struct gmem_mmu mmu;		/* translation of the calling vCPU */
	unsigned cpu;			/* index of the calling vCPU */
	unsigned cpl;			/* its privilege level: only 0 may make hypercalls */
	unsigned nr_cpus;
	uint64_t tsc_hz;		/* for CYCLE_FREQUENCY; 0 if unknown */
	struct hc_vcpu_state *state;	/* of the calling vCPU */
	struct shim_stats *stats;	/* of the calling vCPU; may be NULL */
	struct audit *audit;		/* shared; NULL without --audit */
	/* Out: */
	enum hc_action action;
	uint64_t ops;			/* MMU operations the hypercall carried */
};

/*
 * Runs one hypercall; returns the value for the guest's rax. A hypercall
 * from CPL > 0 does nothing and returns VMI_E_STATE: user space never gets
 * to change guest memory or page-table tracking through the VMM, even
 * where the guest kernel gave it the I/O port (ioperm, IOPL 3).
 */
int64_t hc_dispatch(struct hc_env *env, const struct hc_args *args);

#endif /* SHIM_HYPERCALL_H */
