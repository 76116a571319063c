/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The hostile-guest tests of the shim's test guest (mode=hostile:NAME):
 * what hostile.c, ring3.c and smp.c share. The constants are for the
 * assembly files too.
 */
#ifndef HOSTILE_H
#define HOSTILE_H

/* The GDT ring3.c installs: the kernel selectors are entry.S's. */
#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UDATA 0x18
#define SEL_UCODE 0x20
#define SEL_TSS 0x28
#define RPL_USER 3

/* Ring 3 leaves through this gate (DPL 3) back to the code that entered it. */
#define VECTOR_RING0 0x80
#define NR_EXCEPTIONS 32
/* Ring 3 runs with IOPL 3 so that `out` reaches the VMM; interrupts off. */
#define RFLAGS_USER 0x3002

/* Where the AP starts in real mode: free low RAM below the shim's tables. */
#define AP_TRAMPOLINE_GPA 0x7000

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

#include "guest.h"

/*
 * The first failed check of the running test is its result's detail.
 * Both return whether the check held.
 */
bool expect(const char *what, int64_t got, int64_t want);
bool require(const char *what, bool ok);
/* Like require, with the value that was wrong in the detail. */
bool require_value(const char *what, bool ok, int64_t got);
/* The test that is running, for reports from the trap handler. */
extern const char *hostile_name;
/* Prints "hostile NAME: " (the name ends at a blank). */
void put_test_name(void);

/* Fill and compare without letting the compiler call memset. */
void fill_bytes(volatile uint8_t *p, uint8_t value, uint64_t len);
bool bytes_are(const volatile uint8_t *p, uint8_t value, uint64_t len);
#define PATTERN 0xa5
#define PAGE_ALIGNED __attribute__((aligned(4096)))
/* n bytes below 2^64, as an address. */
#define BELOW_2_64(n) (0 - (uint64_t)(n))

/* An entry pointing at a table of the guest's (identity-mapped: VA = PA). */
static inline uint64_t table_entry(const void *table)
{
	return (uint64_t)table | PTE_PW;
}

/* ring3.c: descriptor tables on this vCPU; traps report a FAILURE and exit. */
void cpu_load_tables(bool with_tss);
struct trap_frame {
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;	/* as the CPU pushed them */
};
_Noreturn void hostile_trap(const struct trap_frame *frame);
/* Sets PTE_U at every level of the identity map down to this page. */
void map_user_page(const void *page);
void test_cpl3_hypercall(const struct hvm_start_info *info);

/* memory.c: what the VMM reads and writes in guest memory, page tables. */
void test_wallclock_readonly(const struct hvm_start_info *info);
void test_wallclock_end_of_ram(const struct hvm_start_info *info);
void test_wallclock_wrap(const struct hvm_start_info *info);
void test_records_end_of_ram(const struct hvm_start_info *info);
void test_records_wrap(const struct hvm_start_info *info);
void test_pt_cycles(const struct hvm_start_info *info);

/* smp.c; ap_main is where the AP's trampoline lands in long mode. */
void test_smp_rewrite(const struct hvm_start_info *info);
_Noreturn void ap_main(void);

/* traps.S */
extern const uint64_t trap_stubs[NR_EXCEPTIONS];
void ring0_gate(void);
/* Enters ring 3 at entry with rsp = user_stack and r8 = arg; returns when
 * ring 3 raises VECTOR_RING0. */
void enter_user(void (*entry)(void), void *user_stack, void *arg);
extern const char user_code_start[], user_code_end[];
void user_hypercalls(void);

/* trampoline.S */
extern const char ap_trampoline[], ap_trampoline_end[];

static inline uint64_t read_cr0(void)
{
	uint64_t cr0;

	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	return cr0;
}

static inline void write_cr0(uint64_t cr0)
{
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0) : "memory");
}

static inline uint64_t rdtsc(void)
{
	uint32_t low, high;

	__asm__ volatile("rdtsc" : "=a"(low), "=d"(high));
	return ((uint64_t)high << 32) | low;
}

/* The byte at a guest-virtual address, read through an opaque pointer so
 * that address 0 is just another address to the compiler. */
static inline volatile uint8_t *at_va(uint64_t va)
{
	volatile uint8_t *p;

	__asm__("" : "=r"(p) : "0"(va));
	return p;
}
#endif /* __ASSEMBLER__ */

#endif /* HOSTILE_H */
