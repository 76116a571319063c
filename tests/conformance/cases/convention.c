/*
 * nofault, registers, stack: every returning call, invoked once with safe
 * arguments, with a canary in every register and the stack below rsp
 * poisoned. nofault: no exception. registers: every register the call's
 * convention class preserves still holds its canary. stack: the deepest
 * changed byte below the caller's rsp (return address included) is within
 * VMI_MAX_STACK_BYTES.
 */
#include "invoke.h"
#include "fixture.h"

static const char *const reg_names[NR_GPRS] = {
	"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};

static bool returns(unsigned nr)
{
	return call_meta[nr].conv != VMI_CONV_NORETURN;
}

/* Runs fn(nr, result) for each invocable call, skipping the others. */
static void each_call(void (*fn)(unsigned nr, const struct call_result *r))
{
	fixture_setup();
	for (unsigned nr = 0; nr < VMI_NR_CALLS; nr++) {
		struct call_result r;
		const char *skip;

		if (!returns(nr))
			continue;
		if (!invoke_rom(nr, &r, &skip)) {
			report_skip("%s: %s", call_meta[nr].name, skip);
			continue;
		}
		fn(nr, &r);
	}
}

static void check_nofault(unsigned nr, const struct call_result *r)
{
	report(!r->fault, "%s returns without an exception%s", call_meta[nr].name, fault_text(r));
}

void case_nofault(void)
{
	each_call(check_nofault);
}

static void clobber_list(uint32_t mask, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (unsigned reg = 0; reg < NR_GPRS; reg++)
		if (mask & (1u << reg))
			len += conf_snprintf(out + len, len < size ? size - len : 0, " %s",
					     reg_names[reg]);
}

static void check_registers(unsigned nr, const struct call_result *r)
{
	static const char *const conv_names[] = { "sysv", "callee-save", "noreturn" };
	char list[128];

	if (r->fault) {
		report_skip("%s faulted, which nofault reports: registers not checked", call_meta[nr].name);
		return;
	}
	clobber_list(r->clobbered, list, sizeof(list));
	report(r->clobbered == 0, "%s preserves every %s-preserved register%s%s",
	       call_meta[nr].name, conv_names[call_meta[nr].conv],
	       r->clobbered ? "; clobbered:" : "", list);
	if (r->rflags & (1u << 10))
		report(false, "%s returns with RFLAGS.DF set", call_meta[nr].name);
}

void case_registers(void)
{
	each_call(check_registers);
}

static void check_stack(unsigned nr, const struct call_result *r)
{
	if (r->stack_used >= GUARD_POISON_BYTES) {
		report(false, "%s: stack use reaches the end of the %u poisoned bytes",
		       call_meta[nr].name, GUARD_POISON_BYTES);
		return;
	}
	report(r->stack_used <= VMI_MAX_STACK_BYTES,
	       "%s uses %lu bytes of stack below the caller's rsp (bound %u)%s",
	       call_meta[nr].name, r->stack_used, VMI_MAX_STACK_BYTES, fault_text(r));
}

void case_stack(void)
{
	each_call(check_stack);
}
