// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The shim's own PVH test guest. The kernel command line picks a mode:
 *
 *   mode=checks     hypercalls, good and hostile, with their expected results;
 *                   one notified and one unnotified PTE write for --audit
 *   mode=exit:N     writes N to the debug-exit port
 *   mode=shutdown   SHUTDOWN hypercall      mode=reboot   REBOOT hypercall
 *   mode=triple-fault
 *   mode=hang       spins with interrupts off (for the runner's SIGTERM)
 *   mode=hostile:NAME  one hostile-guest test (hostile.c lists them):
 *                   ring-3 hypercalls, string I/O to the hypercall port, a
 *                   console flood, VMM writes through read-only entries,
 *                   across the end of RAM and past 2^64, page-table cycles,
 *                   and a second vCPU rewriting what the VMM reads
 *
 * Reports go to the serial port, one line each; the end is a debug exit
 * with 0 when every check passed, 1 otherwise. A hostile test prints
 * exactly one line, "hostile NAME: SUCCESS" or "hostile NAME: FAILURE: ...".
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vmi/vmi_abi.h>

#include "guest.h"

/* A page the guest does not otherwise use, for PTEs to point at. */
#define SPARE_FRAME 0x1ff000ULL
#define UART_LSR 5
#define UART_THRE 0x20

static int failures;

void putc_serial(char c)
{
	while (!(inb(VMI_PLATFORM_SERIAL_PORT + UART_LSR) & UART_THRE))
		;
	outb(VMI_PLATFORM_SERIAL_PORT, (uint8_t)c);
}

void puts_serial(const char *s)
{
	while (*s)
		putc_serial(*s++);
}

void put_number(int64_t value)
{
	char digits[24];
	int n = 0;
	uint64_t magnitude = value < 0 ? (uint64_t)-value : (uint64_t)value;

	if (value < 0)
		putc_serial('-');
	do {
		digits[n++] = (char)('0' + magnitude % 10);
		magnitude /= 10;
	} while (magnitude);
	while (n)
		putc_serial(digits[--n]);
}

void put_hex(uint64_t value)
{
	int shift = 60;

	puts_serial("0x");
	while (shift > 0 && !(value >> shift))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		putc_serial("0123456789abcdef"[(value >> shift) & 0xf]);
}

_Noreturn void debug_exit(uint32_t value)
{
	__asm__ volatile("outl %0, %1" : : "a"(value), "Nd"(VMI_PLATFORM_DEBUG_EXIT_PORT));
	for (;;)
		__asm__ volatile("cli; hlt");
}

static void expect(const char *what, int64_t got, int64_t want)
{
	puts_serial(got == want ? "ok " : "not ok ");
	puts_serial(what);
	puts_serial(": got ");
	put_number(got);
	if (got != want) {
		puts_serial(", want ");
		put_number(want);
		failures++;
	}
	putc_serial('\n');
}

/* One notified PTE write (must not be reported) and one behind the back. */
static void audit_scenario(void)
{
	uint64_t pte = SPARE_FRAME | PTE_PW;

	guest_pt[100] = pte;
	expect("set_pte notified", hypercall(VMI_HC_MMU, VMI_CALL_NR_SET_PTE,
					     (uint64_t)&guest_pt[100], pte, 0), VMI_OK);
	flush_tlb();
	expect("cr3 load after a notified write", hypercall(VMI_HC_CR3_LOAD, read_cr3(), 0, 0, 0), VMI_OK);
	guest_pt[101] = pte;	/* the unnotified write --audit must catch */
	puts_serial("unnotified pte at gpa ");
	put_number((int64_t)(uint64_t)&guest_pt[101]);
	putc_serial('\n');
	flush_tlb();
	expect("cr3 load after an unnotified write", hypercall(VMI_HC_CR3_LOAD, read_cr3(), 0, 0, 0), VMI_OK);
}

static struct vmi_mmu_record batch[4] __attribute__((aligned(8)));
static struct vmi_wallclock clock;

static void batch_checks(void)
{
	for (int i = 0; i < 3; i++) {
		batch[i].call = VMI_CALL_NR_SET_PTE;
		batch[i].arg0 = (uint64_t)&guest_pt[100];
		batch[i].arg1 = guest_pt[100];
	}
	expect("batch of 3", hypercall(VMI_HC_MMU_BATCH, (uint64_t)batch, 3, 0, 0), 3);
	expect("empty batch", hypercall(VMI_HC_MMU_BATCH, (uint64_t)batch, 0, 0, 0), 0);
	expect("batch above the maximum",
	       hypercall(VMI_HC_MMU_BATCH, (uint64_t)batch, VMI_HC_MAX_BATCH + 1, 0, 0), VMI_E_RANGE);
	expect("misaligned batch", hypercall(VMI_HC_MMU_BATCH, (uint64_t)batch + 4, 1, 0, 0), VMI_E_ALIGN);
	expect("batch at an unmapped address",
	       hypercall(VMI_HC_MMU_BATCH, 0x8000000000ULL, 1, 0, 0), VMI_E_FAULT);
	expect("batch running off the mapping",
	       hypercall(VMI_HC_MMU_BATCH, 0x40000000ULL - 24, 2, 0, 0), VMI_E_FAULT);
	batch[1].call = 9999;
	expect("batch with an unknown call", hypercall(VMI_HC_MMU_BATCH, (uint64_t)batch, 3, 0, 0),
	       VMI_E_NOSYS);
	batch[1].call = VMI_CALL_NR_SET_PTE;
	batch[1].reserved = 1;
	expect("batch with reserved bits", hypercall(VMI_HC_MMU_BATCH, (uint64_t)batch, 3, 0, 0),
	       VMI_E_INVAL);
}

static void hostile_checks(void)
{
	expect("mmu before activate",
	       hypercall(VMI_HC_MMU, VMI_CALL_NR_SET_PTE, (uint64_t)&guest_pt[100], 0, 0), VMI_E_STATE);
	expect("activate", hypercall(VMI_HC_ACTIVATE, 0, 0, 0, 0), VMI_OK);
	expect("activate with a bad cpu", hypercall(VMI_HC_ACTIVATE, 4096, 0, 0, 0), VMI_E_INVAL);
	expect("activate with a misaligned area", hypercall(VMI_HC_ACTIVATE, 0, 0x1008, 0, 0),
	       VMI_E_ALIGN);
	expect("misaligned pte", hypercall(VMI_HC_MMU, VMI_CALL_NR_SET_PTE,
					   (uint64_t)&guest_pt[100] + 3, 0, 0), VMI_E_ALIGN);
	expect("unmapped pte", hypercall(VMI_HC_MMU, VMI_CALL_NR_SET_PTE, 0x8000000000ULL, 0, 0),
	       VMI_E_FAULT);
	expect("non-canonical pte", hypercall(VMI_HC_MMU, VMI_CALL_NR_SET_PTE,
					      0x0000800000000000ULL, 0, 0), VMI_E_FAULT);
	expect("pte beyond RAM", hypercall(VMI_HC_MMU, VMI_CALL_NR_SET_PTE, 0x3ff00000ULL, 0, 0),
	       VMI_E_FAULT);
	expect("alloc of a frame beyond RAM", hypercall(VMI_HC_MMU, VMI_CALL_NR_ALLOC_PTE,
							1ULL << 40, 0, 0), VMI_E_FAULT);
	expect("unknown call", hypercall(VMI_HC_MMU, 9999, 0, 0, 0), VMI_E_NOSYS);
	expect("call that is not an mmu operation", hypercall(VMI_HC_MMU, VMI_CALL_NR_READ_CR0, 0, 0, 0),
	       VMI_E_INVAL);
	expect("unknown hypercall", hypercall(VMI_NR_HYPERCALLS + 7, 0, 0, 0, 0), VMI_E_NOSYS);
	expect("cr3 load of another cr3", hypercall(VMI_HC_CR3_LOAD, read_cr3() + 0x1000, 0, 0, 0),
	       VMI_E_INVAL);
	expect("wallclock to an unmapped address", hypercall(VMI_HC_WALLCLOCK, 0x8000000000ULL, 0, 0, 0),
	       VMI_E_FAULT);
	expect("wallclock", hypercall(VMI_HC_WALLCLOCK, (uint64_t)&clock, 0, 0, 0), VMI_OK);
	expect("wallclock is after 2020", clock.sec > 1577836800ULL && clock.nsec < 1000000000U, 1);
	expect("cycle frequency is known", hypercall(VMI_HC_CYCLE_FREQUENCY, 0, 0, 0, 0) > 0, 1);
}

bool starts_with(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return false;
	return true;
}

static const char *find_mode(const char *cmdline)
{
	for (const char *p = cmdline; *p; p++)
		if ((p == cmdline || p[-1] == ' ') && starts_with(p, "mode="))
			return p + 5;
	return "checks";
}

static uint32_t parse_number(const char *s)
{
	uint32_t value = 0;

	while (*s >= '0' && *s <= '9')
		value = value * 10 + (uint32_t)(*s++ - '0');
	return value;
}

static _Noreturn void triple_fault(void)
{
	static const struct { uint16_t limit; uint64_t base; } __attribute__((packed)) no_idt;

	__asm__ volatile("lidt %0; int3" : : "m"(no_idt));
	for (;;)
		;
}

void guest_main(const struct hvm_start_info *info)
{
	const char *mode = info->cmdline_paddr ? find_mode((const char *)info->cmdline_paddr) : "checks";

	puts_serial("shim test guest\n");
	if (starts_with(mode, "exit:"))
		debug_exit(parse_number(mode + 5));
	if (starts_with(mode, "hostile:"))
		hostile_main(info, mode + 8);
	if (starts_with(mode, "shutdown"))
		hypercall(VMI_HC_SHUTDOWN, 0, 0, 0, 0);
	else if (starts_with(mode, "reboot"))
		hypercall(VMI_HC_REBOOT, 0, 0, 0, 0);
	else if (starts_with(mode, "triple-fault"))
		triple_fault();
	else if (starts_with(mode, "hang"))
		for (;;)
			__asm__ volatile("cli; pause");
	else {
		expect("version", hypercall(VMI_HC_VERSION, 0, 0, 0, 0),
		       ((int64_t)VMI_ABI_MAJOR << 16) | VMI_ABI_MINOR);
		hostile_checks();
		batch_checks();
		audit_scenario();
		puts_serial(failures ? "checks failed\n" : "checks passed\n");
		debug_exit(failures ? 1 : 0);
	}
	puts_serial("the VM did not end\n");
	debug_exit(2);
}
