/*
 * The cases, in the order they run. Each is one concern of the spec; its
 * name prefixes every TAP line it prints, and the broken-ROM check names
 * the case that must catch each defect.
 */
#ifndef CONF_CASES_H
#define CONF_CASES_H

#include "conf.h"

#define CASE(name) void case_##name(void);
CASE(discover)
CASE(activate)
CASE(nofault)
CASE(registers)
CASE(stack)
CASE(cpu)
CASE(irq)
CASE(mmu)
CASE(deferred)
CASE(time)
CASE(misc)
CASE(pv)
CASE(annotations)
CASE(versioning)
CASE(robustness)
CASE(coverage)
#undef CASE

#define CONF_CASES \
	{ "discover", "find the ROM by scanning, verify every header field", case_discover, false }, \
	{ "activate", "per-CPU data area and activate", case_activate, false }, \
	{ "nofault", "every returning call runs without an exception", case_nofault, true }, \
	{ "registers", "calling convention: preserved registers keep their canaries", case_registers, true }, \
	{ "stack", "calling convention: stack use below rsp within the bound", case_stack, true }, \
	{ "cpu", "control registers, MSRs, CPUID, debug registers, descriptor tables", case_cpu, true }, \
	{ "irq", "interrupt mask, save/restore, halting", case_irq, true }, \
	{ "mmu", "CR3, page-table entries, TLB flushes", case_mmu, true }, \
	{ "deferred", "deferred mode: flush points, batches, nesting", case_deferred, true }, \
	{ "time", "cycle counter, cycle frequency, wall clock", case_time, true }, \
	{ "misc", "io_delay and the noreturn calls", case_misc, true }, \
	{ "pv", "ABI 1.1: IPIs, end of interrupt, lock waiting, fallbacks", case_pv, true }, \
	{ "annotations", "IDENT equals native, NOP has no effect", case_annotations, true }, \
	{ "versioning", "since above the ROM's minor is absent; fallbacks", case_versioning, true }, \
	{ "robustness", "out-of-range arguments return the spec's error", case_robustness, true }, \
	{ "coverage", "every call in the spec was exercised", case_coverage, true },

#endif
