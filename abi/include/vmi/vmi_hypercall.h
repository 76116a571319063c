/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * VMI hypercall transport.
 *
 * Generated from spec/vmi.toml by codegen/vmi-abi; do not edit.
 * Change the spec and run `make abi` instead.
 */

#ifndef VMI_HYPERCALL_H
#define VMI_HYPERCALL_H

/*
 * Hypercall transport of ROMs with VMI_FEATURE_HYPERCALL_PORT:
 * "outl %eax, %dx" with dx = VMI_HC_PORT and eax = the hypercall number;
 * arguments a0..a3 in rbx, rcx, rsi, rdi; the result (s64) in rax.
 * The hypervisor preserves every other register.
 */
#define VMI_HC_PORT 0x5650
#define VMI_HC_MAX_BATCH 512
#define VMI_HC_MIN_ROM_QUEUE 128

/* Returns (major << 16) | minor of the ABI the hypervisor serves. */
#define VMI_HC_VERSION 0
/* The ROM was activated on this vCPU. The hypervisor may seed page-table tracking from the live tables (current CR3). */
#define VMI_HC_ACTIVATE 1
/* One MMU operation, sent at once (not deferred): call is the VMI call number, arg0/arg1 its first two arguments. Guest virtual addresses are translated through the vCPU's current page tables. */
#define VMI_HC_MMU 2
/* count vmi_mmu_record entries at guest-virtual records_va (8-byte aligned, count <= max_batch), processed in order. Returns the number processed, or an error for the first bad record. */
#define VMI_HC_MMU_BATCH 3
/* The vCPU has loaded cr3 (after flushing its queue). */
#define VMI_HC_CR3_LOAD 4
/* Returns the guest TSC frequency in Hz. */
#define VMI_HC_CYCLE_FREQUENCY 5
/* Writes a vmi_wallclock at guest-virtual out_va. */
#define VMI_HC_WALLCLOCK 6
/* Powers the VM off. */
#define VMI_HC_SHUTDOWN 7
/* Resets the VM. */
#define VMI_HC_REBOOT 8
#define VMI_NR_HYPERCALLS 9

/* Every hypercall: X(nr, NAME, nargs) */
#define VMI_HYPERCALLS(X) \
	X(0, VERSION, 0) \
	X(1, ACTIVATE, 2) \
	X(2, MMU, 3) \
	X(3, MMU_BATCH, 2) \
	X(4, CR3_LOAD, 1) \
	X(5, CYCLE_FREQUENCY, 0) \
	X(6, WALLCLOCK, 1) \
	X(7, SHUTDOWN, 0) \
	X(8, REBOOT, 0) \
	/* end of VMI_HYPERCALLS */

#endif /* VMI_HYPERCALL_H */
