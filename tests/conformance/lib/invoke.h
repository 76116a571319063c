/*
 * One harmless invocation of every returning call, for the cases that
 * treat calls uniformly (nofault, registers, stack, annotations): safe
 * arguments, the preconditions the call needs (an available TSS, a
 * pending interrupt for safe_halt, a running timer for halt) and undoing
 * its effect afterwards. The same invocation can target the ROM entry or
 * the spec's native sequence.
 */
#ifndef CONF_INVOKE_H
#define CONF_INVOKE_H

#include "rom.h"

struct invocation {
	uint64_t args[4];
	uint64_t rflags;
	const char *skip;       /* why the call cannot be invoked here, or NULL */
};

/* Fills inv for call nr; inv->skip says when nr cannot be invoked safely. */
void invoke_prepare(unsigned nr, struct invocation *inv);
/* Runs target as call nr with inv's arguments, then undoes the effect. */
void invoke_run(unsigned nr, uint64_t target, const struct invocation *inv,
		struct call_result *r);
/* invoke_prepare + invoke_run on the ROM entry; false when skipped. */
bool invoke_rom(unsigned nr, struct call_result *r, const char **skip);
/* The TSS selector not in TR, marked available so load_tr accepts it. */
uint16_t other_tss(void);
/* Whether the native sequence of nr runs without an exception here. */
bool native_works(unsigned nr, const struct invocation *inv);

#endif
