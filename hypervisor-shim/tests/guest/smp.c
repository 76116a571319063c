// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * smp-rewrite (--smp 2 --audit): a second vCPU changes what the first one
 * hands the VMM while the VMM reads it. The BSP starts the AP with
 * INIT-SIPI-SIPI through the x2APIC (MSRs, so the APIC page needs no
 * mapping); the AP activates and keeps rewriting a shared buffer of MMU
 * records and flipping entries of scratch page tables, none of it
 * notified, while the BSP sends that buffer with MMU_BATCH and loads CR3
 * again and again. Every answer must be a record count or a VMI_E_* code,
 * and the VMM must neither hang nor crash.
 */
#include <vmi/vmi_abi.h>

#include "hostile.h"

#define MSR_APIC_BASE 0x1b
#define APIC_BASE_X2APIC (1ULL << 10)
#define APIC_BASE_ENABLE (1ULL << 11)
#define MSR_X2APIC_SVR 0x80f
#define MSR_X2APIC_ICR 0x830
#define APIC_SVR_ENABLE 0x100
#define APIC_SPURIOUS_VECTOR 0xff
#define ICR_INIT 0x4500		/* INIT, level assert */
#define ICR_STARTUP 0x4600	/* start-up; the vector is the trampoline's page number */
#define CPUID_1_ECX_X2APIC (1U << 21)
#define AP_APIC_ID 1		/* the shim numbers APIC IDs by vCPU */

#define RECORDS 64
#define ROUNDS 1000
#define AP_FLUSH_EVERY 256	/* the AP's own flush points, for the audit's cross-vCPU wait */
#define AP_START_SECONDS 30	/* a nested host can be slow to schedule the AP */

enum ap_state { AP_OFF, AP_RUNNING, AP_STOP, AP_STOPPED };

static struct vmi_mmu_record records[RECORDS] __attribute__((aligned(8)));
/* Scratch tables at 1 GiB (guest_pdpt[1]); nothing runs there. */
static uint64_t smp_pd[512] PAGE_ALIGNED, smp_pt[512] PAGE_ALIGNED;
static int ap_state;
static int64_t ap_activated, ap_first_bad;
static uint64_t ap_iterations, ap_bad;

static uint64_t rdmsr(uint32_t msr)
{
	uint32_t low, high;

	__asm__ volatile("rdmsr" : "=a"(low), "=d"(high) : "c"(msr));
	return ((uint64_t)high << 32) | low;
}

static void wrmsr(uint32_t msr, uint64_t value)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)value), "d"((uint32_t)(value >> 32))
			 : "memory");
}

static uint64_t next_random(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *state = x;
}

/* Entry addresses and frames a record may name: good ones, and every
 * kind the VMM must refuse. */
static uint64_t hostile_arg(uint64_t r)
{
	switch (r % 8) {
	case 0: return (uint64_t)&smp_pt[(r >> 8) % 512];
	case 1: return (uint64_t)&smp_pt[(r >> 8) % 512] + 3;	/* misaligned */
	case 2: return (uint64_t)&records[(r >> 8) % RECORDS];	/* the records themselves */
	case 3: return 0x8000000000ULL;				/* unmapped */
	case 4: return BELOW_2_64(PAGE_SIZE);			/* unmapped, at the top */
	case 5: return (uint64_t)smp_pt / PAGE_SIZE;		/* a frame: alloc/release */
	case 6: return (uint64_t)guest_pml4 / PAGE_SIZE;	/* the live PML4's frame */
	default: return r;
	}
}

/* Every kind of call, the ones the VMM must refuse included. */
static const uint32_t hostile_calls[] = {
	VMI_CALL_NR_SET_PTE, VMI_CALL_NR_SET_PMD, VMI_CALL_NR_PTE_CLEAR, VMI_CALL_NR_ALLOC_PTE,
	VMI_CALL_NR_RELEASE_PTE, VMI_CALL_NR_FLUSH_TLB_ALL, VMI_CALL_NR_INVLPG,
	VMI_CALL_NR_READ_CR0 /* not an MMU call */, VMI_NR_CALLS /* no call at all */,
};
static const uint32_t good_calls[] = { VMI_CALL_NR_SET_PTE, VMI_CALL_NR_PTE_CLEAR,
				       VMI_CALL_NR_FLUSH_TLB_ALL };
#define HOSTILE_ONE_IN 32	/* so that batches often get far before a bad record */
#define PICK(array, r) ((array)[(r) % (sizeof(array) / sizeof((array)[0]))])

static void rewrite_record(uint64_t *seed)
{
	uint64_t r = next_random(seed);
	struct vmi_mmu_record *record = &records[r % RECORDS];
	bool hostile = (r >> 8) % HOSTILE_ONE_IN == 0;
	uint32_t call = hostile ? PICK(hostile_calls, r >> 16) : PICK(good_calls, r >> 16);
	uint64_t arg0 = next_random(seed);

	__atomic_store_n(&record->call, call, __ATOMIC_RELAXED);
	__atomic_store_n(&record->reserved, hostile && (r >> 24) % 4 == 0, __ATOMIC_RELAXED);
	__atomic_store_n(&record->arg0, hostile ? hostile_arg(arg0) : (uint64_t)&smp_pt[arg0 % 512],
			 __ATOMIC_RELAXED);
	__atomic_store_n(&record->arg1, next_random(seed), __ATOMIC_RELAXED);
}

/* PTEs toggle and move; PD and PDPT entries point down, at themselves, up,
 * beyond RAM, or nowhere. */
static void flip_entries(uint64_t *seed)
{
	uint64_t r = next_random(seed);
	uint64_t *pte = &smp_pt[r % 512];
	uint64_t targets[] = { table_entry(smp_pt), table_entry(smp_pd), table_entry(guest_pml4),
			       table_entry(guest_pdpt), (1ULL << 40) | PTE_PW, 0 };
	uint64_t target = PICK(targets, r >> 9);

	__atomic_store_n(pte, (__atomic_load_n(pte, __ATOMIC_RELAXED) ^ PTE_P) + PAGE_SIZE,
			 __ATOMIC_RELAXED);
	if ((r >> 12) % 4 == 0)
		__atomic_store_n(&guest_pdpt[1], (r >> 14) % 2 ? table_entry(smp_pd) : target,
				 __ATOMIC_RELAXED);
	else
		__atomic_store_n(&smp_pd[(r >> 14) % 4], target, __ATOMIC_RELAXED);
}

static void note_ap_result(int64_t result)
{
	if (result != VMI_OK && !ap_bad++)
		ap_first_bad = result;
}

_Noreturn void ap_main(void)
{
	uint64_t seed = 0x9e3779b97f4a7c15ULL, iterations = 0;

	cpu_load_tables(false);
	ap_activated = hypercall(VMI_HC_ACTIVATE, 1, 0, 0, 0);
	__atomic_store_n(&ap_state, AP_RUNNING, __ATOMIC_RELEASE);
	while (__atomic_load_n(&ap_state, __ATOMIC_ACQUIRE) == AP_RUNNING) {
		rewrite_record(&seed);
		flip_entries(&seed);
		if (++iterations % AP_FLUSH_EVERY == 0)
			note_ap_result(hypercall(VMI_HC_CR3_LOAD, read_cr3(), 0, 0, 0));
		__atomic_store_n(&ap_iterations, iterations, __ATOMIC_RELAXED);
	}
	__atomic_store_n(&ap_state, AP_STOPPED, __ATOMIC_RELEASE);
	for (;;)
		__asm__ volatile("cli; hlt");
}

static bool wait_for_ap(int state, uint64_t ticks)
{
	uint64_t start = rdtsc();

	while (__atomic_load_n(&ap_state, __ATOMIC_ACQUIRE) != state)
		if (rdtsc() - start > ticks)
			return false;
	return true;
}

static void send_ipi(uint32_t command)
{
	wrmsr(MSR_X2APIC_ICR, (uint64_t)AP_APIC_ID << 32 | command);
}

static bool has_x2apic(void)
{
	uint32_t eax = 1, ebx, ecx = 0, edx;

	__asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "+c"(ecx), "=d"(edx));
	return ecx & CPUID_1_ECX_X2APIC;
}

/* INIT, then start-up twice as the MP specification has it; the second
 * one is ignored by an AP that already runs. */
static bool start_ap(uint64_t tsc_hz)
{
	volatile uint8_t *trampoline = at_va(AP_TRAMPOLINE_GPA);
	uint64_t size = (uint64_t)(ap_trampoline_end - ap_trampoline);

	if (!require("x2APIC in CPUID", has_x2apic()) ||
	    !require_value("the AP trampoline fits in a page", size <= PAGE_SIZE, (int64_t)size))
		return false;
	for (uint64_t i = 0; i < size; i++)
		trampoline[i] = (uint8_t)ap_trampoline[i];
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE | APIC_BASE_X2APIC);
	wrmsr(MSR_X2APIC_SVR, APIC_SVR_ENABLE | APIC_SPURIOUS_VECTOR);
	send_ipi(ICR_INIT);
	wait_for_ap(AP_RUNNING, tsc_hz / 100);		/* 10 ms */
	send_ipi(ICR_STARTUP | AP_TRAMPOLINE_GPA / PAGE_SIZE);
	if (!wait_for_ap(AP_RUNNING, tsc_hz / 5000))	/* 200 us */
		send_ipi(ICR_STARTUP | AP_TRAMPOLINE_GPA / PAGE_SIZE);
	return require("the AP started", wait_for_ap(AP_RUNNING, tsc_hz * AP_START_SECONDS));
}

static bool is_vmi_error(int64_t result)
{
	static const int64_t errors[] = { VMI_E_INVAL, VMI_E_FAULT, VMI_E_RANGE, VMI_E_ALIGN,
					  VMI_E_NOSYS, VMI_E_STATE, VMI_E_GP };

	for (unsigned i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
		if (result == errors[i])
			return true;
	return false;
}

static void hammer(void)
{
	uint64_t before = __atomic_load_n(&ap_iterations, __ATOMIC_RELAXED);

	for (int round = 0; round < ROUNDS; round++) {
		int64_t done = hypercall(VMI_HC_MMU_BATCH, (uint64_t)records, RECORDS, 0, 0);

		if (!require_value("MMU_BATCH answered neither a count nor a VMI_E_* code",
				   (done >= 0 && done <= RECORDS) || is_vmi_error(done), done) ||
		    !expect("CR3_LOAD while the AP flips entries",
			    hypercall(VMI_HC_CR3_LOAD, read_cr3(), 0, 0, 0), VMI_OK))
			return;
	}
	require("the AP ran on while the BSP made its hypercalls",
		__atomic_load_n(&ap_iterations, __ATOMIC_RELAXED) != before);
}

void test_smp_rewrite(const struct hvm_start_info *info)
{
	int64_t tsc_hz = hypercall(VMI_HC_CYCLE_FREQUENCY, 0, 0, 0, 0);

	(void)info;
	if (tsc_hz <= 0)
		tsc_hz = 1000000000;	/* unknown: guess 1 GHz */
	if (!expect("ACTIVATE on the BSP", hypercall(VMI_HC_ACTIVATE, 0, 0, 0, 0), VMI_OK))
		return;
	for (unsigned i = 0; i < 512; i++)
		smp_pt[i] = (uint64_t)i * PAGE_SIZE | PTE_PW;
	smp_pd[0] = table_entry(smp_pt);
	guest_pdpt[1] = table_entry(smp_pd);
	flush_tlb();
	if (!start_ap((uint64_t)tsc_hz))
		return;
	if (expect("ACTIVATE on the AP", ap_activated, VMI_OK))
		hammer();
	__atomic_store_n(&ap_state, AP_STOP, __ATOMIC_RELEASE);
	require("the AP stopped when asked",
		wait_for_ap(AP_STOPPED, (uint64_t)tsc_hz * AP_START_SECONDS));
	require_value("a CR3_LOAD on the AP failed", !ap_bad, ap_first_bad);
	guest_pdpt[1] = 0;
	flush_tlb();
}
