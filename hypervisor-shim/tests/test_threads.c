// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The shim's hypercall handlers and audit with real threads, built with
 * ThreadSanitizer: two vCPU threads make hypercalls against one audit
 * (batches, single updates, CR3 loads, allocations and releases) while a
 * third thread plays the guest and rewrites the batch records and the page
 * tables under them, as another vCPU of a hostile guest would. TSan fails
 * the run on any data race in the VMM's code; the checks here say the
 * handlers kept answering with counts or VMI_E_* codes.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "hypercall.h"
#include "unit.h"

#define RAM_SIZE (4ULL << 20)
#define PML4 0x1000ULL
#define PDPT 0x2000ULL
#define PD 0x3000ULL
#define PT 0x4000ULL
#define RECORDS 0x7000ULL
#define NR_RECORDS 32
#define PTE_PW 0x3ULL
#define ROUNDS 3000

static struct gmem mem;
static atomic_bool guest_done;

/* The guest's stores: atomic, as a vCPU's are to the VMM. */
static void guest_store(uint64_t gpa, uint64_t value)
{
	__atomic_store_n((uint64_t *)(mem.ram + gpa), value, __ATOMIC_RELAXED);
}

static void build_tables(void)
{
	guest_store(PML4, PDPT | PTE_PW);
	guest_store(PDPT, PD | PTE_PW);
	guest_store(PD, PT | PTE_PW);
	guest_store(PD + 8, (2ULL << 20) | 0x83);
	for (uint64_t i = 0; i < 512; i++)
		guest_store(PT + i * 8, (i << 12) | PTE_PW);
}

/* Records and PTEs rewritten with values a small generator picks. */
static void *guest_thread(void *arg)
{
	uint64_t x = 88172645463325252ULL;

	(void)arg;
	while (!atomic_load(&guest_done)) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		guest_store(RECORDS + (x % (NR_RECORDS * 3)) * 8, x % 4 ? VMI_CALL_NR_SET_PTE : x);
		guest_store(PT + ((x >> 20) % 512) * 8, ((x >> 32) % 1024) << 12 | PTE_PW);
		if (x % 64 == 0)
			guest_store(PD + 16, PT | PTE_PW);
	}
	return NULL;
}

struct vcpu {
	struct hc_env env;
	struct hc_vcpu_state state;
	struct shim_stats stats;
	unsigned bad_results;
};

static bool plausible(int64_t result, int64_t most)
{
	return (result >= 0 && result <= most) || (result <= VMI_E_INVAL && result >= VMI_E_GP);
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *v = arg;
	struct hc_env *env = &v->env;

	if (call(env, VMI_HC_ACTIVATE, env->cpu, 0, 0) != VMI_OK)
		v->bad_results++;
	for (int i = 0; i < ROUNDS; i++) {
		v->bad_results += !plausible(call(env, VMI_HC_MMU_BATCH, RECORDS, NR_RECORDS, 0),
					     NR_RECORDS);
		v->bad_results += !plausible(call(env, VMI_HC_MMU, VMI_CALL_NR_SET_PTE,
						  PT + (i % 512) * 8ULL, PTE_PW), 0);
		v->bad_results += !plausible(call(env, VMI_HC_MMU, i % 2 ? VMI_CALL_NR_ALLOC_PTE :
						  VMI_CALL_NR_RELEASE_PTE, 5, 0), 0);
		v->bad_results += !plausible(call(env, VMI_HC_CR3_LOAD, PML4, 0, 0), 0);
	}
	return NULL;
}

int main(void)
{
	static struct vcpu vcpu[2];
	pthread_t guest, threads[2];
	struct audit *audit;

	mem = (struct gmem){ calloc(1, RAM_SIZE), RAM_SIZE };
	if (!mem.ram)
		return 1;
	build_tables();
	audit = audit_create(&mem, fopen("/dev/null", "w"), 2);
	for (unsigned cpu = 0; cpu < 2; cpu++) {
		struct hc_env *env = &vcpu[cpu].env;

		*env = (struct hc_env){ .mem = mem, .cpu = cpu, .nr_cpus = 2, .audit = audit,
					.state = &vcpu[cpu].state, .stats = &vcpu[cpu].stats };
		env->mmu = (struct gmem_mmu){ PML4, true, true, true };
	}
	check(audit != NULL, "an audit shared by two vCPUs", 0);
	pthread_create(&guest, NULL, guest_thread, NULL);
	for (int i = 0; i < 2; i++)
		pthread_create(&threads[i], NULL, vcpu_thread, &vcpu[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(threads[i], NULL);
	atomic_store(&guest_done, true);
	pthread_join(guest, NULL);
	for (int i = 0; i < 2; i++)
		check(vcpu[i].bad_results == 0, i ? "vCPU 1: every result a count or an error" :
		      "vCPU 0: every result a count or an error", vcpu[i].bad_results);
	check(audit_checks(audit) >= 2 * ROUNDS, "the audit ran at every flush point",
	      (long long)audit_checks(audit));
	audit_finish(audit);
	audit_destroy(audit);
	free(mem.ram);
	return unit_summary();
}
