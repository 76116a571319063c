// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Hostile-guest tests, in the manner of Xen's XTF: one test per shim run
 * (mode=hostile:NAME), each doing what a broken or malicious guest might
 * and checking that the VMM refuses it and keeps running. A test prints
 * exactly one line, "hostile NAME: SUCCESS" or "hostile NAME: FAILURE:
 * <its first failed check>", and ends with a debug exit, 0 or 1. An
 * exception ends a test with a FAILURE line too (ring3.c).
 *
 * This file: the runner, the test list, and the tests on port I/O. The
 * tests on guest memory and page tables are in memory.c, the ring-3 one in
 * ring3.c, the two-vCPU one in smp.c.
 */
#include <vmi/vmi_abi.h>

#include "hostile.h"

const char *hostile_name;
static const char *failed_what;
static int64_t failed_got, failed_want;
static int failed_values;	/* 0: none, 1: got, 2: got and want */

static void note_failure(const char *what, int values, int64_t got, int64_t want)
{
	if (failed_what)
		return;	/* the first failure is the detail */
	failed_what = what;
	failed_values = values;
	failed_got = got;
	failed_want = want;
}

bool expect(const char *what, int64_t got, int64_t want)
{
	if (got != want)
		note_failure(what, 2, got, want);
	return got == want;
}

bool require(const char *what, bool ok)
{
	if (!ok)
		note_failure(what, 0, 0, 0);
	return ok;
}

bool require_value(const char *what, bool ok, int64_t got)
{
	if (!ok)
		note_failure(what, 1, got, 0);
	return ok;
}

void fill_bytes(volatile uint8_t *p, uint8_t value, uint64_t len)
{
	for (uint64_t i = 0; i < len; i++)
		p[i] = value;
}

bool bytes_are(const volatile uint8_t *p, uint8_t value, uint64_t len)
{
	for (uint64_t i = 0; i < len; i++)
		if (p[i] != value)
			return false;
	return true;
}

void put_test_name(void)
{
	puts_serial("hostile ");
	for (const char *p = hostile_name; *p && *p != ' '; p++)
		putc_serial(*p);
	puts_serial(": ");
}

/* Error codes and counts in decimal, addresses and register values in hex. */
static void put_value(int64_t value)
{
	if (value > -65536 && value < 65536)
		put_number(value);
	else
		put_hex((uint64_t)value);
}

static _Noreturn void report(void)
{
	put_test_name();
	if (!failed_what) {
		puts_serial("SUCCESS\n");
		debug_exit(0);
	}
	puts_serial("FAILURE: ");
	puts_serial(failed_what);
	if (failed_values) {
		puts_serial(": got ");
		put_value(failed_got);
	}
	if (failed_values == 2) {
		puts_serial(", want ");
		put_value(failed_want);
	}
	putc_serial('\n');
	debug_exit(1);
}

/* The registers a string instruction uses, and three it must not touch. */
struct string_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi;
};

static void rep_outsl(struct string_regs *r)
{
	__asm__ volatile("rep outsl"
			 : "+a"(r->rax), "+b"(r->rbx), "+c"(r->rcx), "+d"(r->rdx), "+S"(r->rsi),
			   "+D"(r->rdi)
			 : : "memory");
}

static void outsl(struct string_regs *r)
{
	__asm__ volatile("outsl"
			 : "+a"(r->rax), "+b"(r->rbx), "+c"(r->rcx), "+d"(r->rdx), "+S"(r->rsi),
			   "+D"(r->rdi)
			 : : "memory");
}

#define SENTINEL_RAX 0x5a5a5a5a5a5a5a5aULL
#define SENTINEL_HIGH 0x5a5a5a5a00000000ULL	/* rax above a hypercall number in eax */
#define SENTINEL_RBX 0x1111222233334444ULL
#define SENTINEL_RDI 0x5555666677778888ULL
#define NOT_A_COUNT 7	/* rcx for a single outsl, which ignores it */

/* One outsl (rep: count of them) of data to the hypercall port with this
 * rax: no register may change but the instruction's own rsi and rcx. */
static bool string_case(const char *what, bool rep, const uint32_t *data, uint64_t count,
			uint64_t rax)
{
	struct string_regs r = { rax, SENTINEL_RBX, rep ? count : NOT_A_COUNT, VMI_HC_PORT,
				 (uint64_t)data, SENTINEL_RDI };

	if (rep)
		rep_outsl(&r);
	else
		outsl(&r);
	return expect(what, (int64_t)r.rax, (int64_t)rax) &&
	       expect("rbx after string I/O", (int64_t)r.rbx, (int64_t)SENTINEL_RBX) &&
	       expect("rdi after string I/O", (int64_t)r.rdi, (int64_t)SENTINEL_RDI) &&
	       expect("rdx after string I/O", (int64_t)r.rdx, VMI_HC_PORT) &&
	       expect("rsi after string I/O (past the data)", (int64_t)r.rsi, (int64_t)(data + count)) &&
	       expect("rcx after string I/O", (int64_t)r.rcx, rep ? 0 : NOT_A_COUNT);
}

/* Hypercall numbers as string-I/O data: ACTIVATE first, then the VM enders. */
static const uint32_t enders[] = { VMI_HC_ACTIVATE, VMI_HC_SHUTDOWN, VMI_HC_REBOOT, VMI_HC_SHUTDOWN };
/* Data that matches eax, so that registers alone cannot tell outsl from outl. */
static const uint32_t version[] = { VMI_HC_VERSION };
static const uint32_t activates[] = { VMI_HC_ACTIVATE, VMI_HC_ACTIVATE };
#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

/*
 * The hypercall transport is `outl %eax, %dx`; `outsl` sends memory
 * instead, and the VMM must run no hypercall for it: the VM keeps running
 * and no register changes beyond what the instruction itself does.
 */
static void test_rep_outs(const struct hvm_start_info *info)
{
	(void)info;
	if (!string_case("rax after rep outsl of ACTIVATE, SHUTDOWN, REBOOT, SHUTDOWN", true, enders,
			 COUNT(enders), SENTINEL_RAX) ||
	    !string_case("rax after outsl of SHUTDOWN", false, &enders[1], 1, SENTINEL_RAX) ||
	    !string_case("rax after outsl of VERSION with VERSION in eax", false, version, 1,
			 SENTINEL_HIGH | VMI_HC_VERSION) ||
	    !string_case("rax after rep outsl of ACTIVATEs with ACTIVATE in eax", true, activates,
			 COUNT(activates), SENTINEL_HIGH | VMI_HC_ACTIVATE))
		return;
	expect("MMU after ACTIVATE by string I/O (so nothing was activated)",
	       hypercall(VMI_HC_MMU, VMI_CALL_NR_FLUSH_TLB_ALL, 0, 0, 0), VMI_E_STATE);
}

/* OUTS leaves KVM a byte at a time, a slow exit each on a nested host:
 * eight times the cap the runner sets is flood enough. */
#define FLOOD_BYTES (256ULL << 10)
static uint8_t flood[PAGE_SIZE];

/*
 * Console output in page-sized `rep outsb`s, far past --console-limit: the
 * VMM passes on what fits under the cap, drops the rest and lets the guest
 * run. The result line is past the cap too, so the runner reads the
 * debug-exit status.
 */
static void test_console_flood(const struct hvm_start_info *info)
{
	(void)info;
	for (uint64_t i = 0; i < sizeof(flood); i++)
		flood[i] = i % 64 == 63 ? '\n' : (uint8_t)('a' + i % 26);
	for (uint64_t sent = 0; sent < FLOOD_BYTES; sent += sizeof(flood)) {
		const uint8_t *from = flood;
		uint64_t count = sizeof(flood);

		__asm__ volatile("rep outsb" : "+S"(from), "+c"(count) : "d"(VMI_PLATFORM_SERIAL_PORT)
				 : "memory");
		if (!require_value("rep outsb to the UART left bytes unsent", !count, (int64_t)count))
			return;
	}
	expect("VERSION after the flood", hypercall(VMI_HC_VERSION, 0, 0, 0, 0),
	       ((int64_t)VMI_ABI_MAJOR << 16) | VMI_ABI_MINOR);
}

static const struct {
	const char *name;
	void (*run)(const struct hvm_start_info *info);
} tests[] = {
	{ "cpl3-hypercall", test_cpl3_hypercall },
	{ "rep-outs-hypercall", test_rep_outs },
	{ "console-flood", test_console_flood },
	{ "wallclock-readonly", test_wallclock_readonly },
	{ "wallclock-end-of-ram", test_wallclock_end_of_ram },
	{ "wallclock-wrap", test_wallclock_wrap },
	{ "records-end-of-ram", test_records_end_of_ram },
	{ "records-wrap", test_records_wrap },
	{ "pt-cycles", test_pt_cycles },
	{ "smp-rewrite", test_smp_rewrite },
};

/* The command line's name ends at a blank. */
static bool is_name(const char *arg, const char *name)
{
	while (*name)
		if (*arg++ != *name++)
			return false;
	return *arg == '\0' || *arg == ' ';
}

_Noreturn void hostile_main(const struct hvm_start_info *info, const char *name)
{
	hostile_name = name;
	cpu_load_tables(true);
	for (unsigned i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		if (is_name(name, tests[i].name)) {
			tests[i].run(info);
			report();
		}
	require("no such hostile test", false);
	report();
}
