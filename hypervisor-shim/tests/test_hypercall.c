// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host unit tests of the hypercall handlers and the audit, over guest
 * memory simulated as a buffer: the error code of each hostile hypercall,
 * the --stats records per hypercall (the exact largest batch), and what
 * the audit does and does not report.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hypercall.h"
#include "unit.h"

#define RAM_SIZE (4ULL << 20)
#define PML4 0x1000ULL
#define PDPT 0x2000ULL
#define PD 0x3000ULL
#define PT 0x4000ULL
#define RECORDS 0x7ff8ULL	/* records straddling a page boundary */
#define PTE_PW 0x3ULL

static FILE *audit_log;

/* 0..2 MiB in 4 KiB pages through PT, 2..4 MiB as one 2 MiB page; RAM is 4 MiB. */
static void build_tables(struct gmem *mem)
{
	put(mem, PML4, PDPT | PTE_PW);
	put(mem, PDPT, PD | PTE_PW);
	put(mem, PD, PT | PTE_PW);
	put(mem, PD + 8, (2ULL << 20) | 0x83);
	put(mem, PD + 24, (6ULL << 20) | 0x83);	/* 6..8 MiB: mapped, but not RAM */
	for (uint64_t i = 0; i < 512; i++)
		put(mem, PT + i * 8, (i << 12) | PTE_PW);
}

static void test_errors(struct hc_env *env)
{
	expect(env, "mmu before activate is STATE", VMI_E_STATE, VMI_HC_MMU, VMI_CALL_NR_SET_PTE, PT, 0);
	expect(env, "activate", VMI_OK, VMI_HC_ACTIVATE, 0, 0x10000, 0);
	expect(env, "activate on a cpu that does not exist", VMI_E_INVAL, VMI_HC_ACTIVATE, 9, 0, 0);
	expect(env, "misaligned entry is ALIGN", VMI_E_ALIGN, VMI_HC_MMU, VMI_CALL_NR_SET_PTE, PT + 4, 0);
	expect(env, "entry beyond RAM is FAULT", VMI_E_FAULT, VMI_HC_MMU, VMI_CALL_NR_SET_PTE,
	       (6ULL << 20) + 8, 0);
	expect(env, "unmapped entry is FAULT", VMI_E_FAULT, VMI_HC_MMU, VMI_CALL_NR_SET_PTE,
	       1ULL << 39, 0);
	expect(env, "unknown call is NOSYS", VMI_E_NOSYS, VMI_HC_MMU, VMI_NR_CALLS, 0, 0);
	expect(env, "a non-MMU call is INVAL", VMI_E_INVAL, VMI_HC_MMU, VMI_CALL_NR_CPUID, 0, 0);
	expect(env, "alloc of a frame outside RAM is FAULT", VMI_E_FAULT, VMI_HC_MMU,
	       VMI_CALL_NR_ALLOC_PTE, RAM_SIZE >> 12, 0);
	expect(env, "batch above the maximum is RANGE", VMI_E_RANGE, VMI_HC_MMU_BATCH, RECORDS,
	       VMI_HC_MAX_BATCH + 1, 0);
	expect(env, "misaligned batch is ALIGN", VMI_E_ALIGN, VMI_HC_MMU_BATCH, RECORDS + 4, 1, 0);
	expect(env, "batch in unmapped memory is FAULT", VMI_E_FAULT, VMI_HC_MMU_BATCH, 1ULL << 39, 1, 0);
	expect(env, "unknown hypercall is NOSYS", VMI_E_NOSYS, VMI_NR_HYPERCALLS, 0, 0, 0);
	expect(env, "cr3 load of a cr3 the vCPU does not hold is INVAL", VMI_E_INVAL, VMI_HC_CR3_LOAD,
	       PML4 + 0x1000, 0, 0);
	expect(env, "wallclock to null is INVAL", VMI_E_INVAL, VMI_HC_WALLCLOCK, 0, 0, 0);
	expect(env, "version", (VMI_ABI_MAJOR << 16) | VMI_ABI_MINOR, VMI_HC_VERSION, 0, 0, 0);
}

static void write_record(struct gmem *mem, uint64_t gpa, uint32_t nr, uint64_t a0, uint64_t a1)
{
	struct vmi_mmu_record record = { .call = nr, .arg0 = a0, .arg1 = a1 };

	memcpy(mem->ram + gpa, &record, sizeof(record));
}

static void test_batch(struct hc_env *env)
{
	write_record(&env->mem, RECORDS, VMI_CALL_NR_SET_PTE, PT + 8, (1ULL << 12) | PTE_PW);
	write_record(&env->mem, RECORDS + 24, VMI_CALL_NR_PTE_CLEAR, PT + 16, 0);
	write_record(&env->mem, RECORDS + 48, 4242, 0, 0);
	expect(env, "batch across a page boundary returns its count", 2, VMI_HC_MMU_BATCH, RECORDS, 2, 0);
	expect(env, "batch stops at its first bad record", VMI_E_NOSYS, VMI_HC_MMU_BATCH, RECORDS, 3, 0);
	check(env->ops == 3, "the records before the bad one were processed", (long long)env->ops);
}

/* Statistics as the KVM side records them (hypercall_port.c). */
static int64_t call_counted(struct hc_env *env, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	int64_t result = call(env, nr, a0, a1, a2);

	stats_record(stats_hypercall_row(env->stats, nr), 0, env->ops, result < 0);
	return result;
}

/* A batch of n records, each rewriting a PT entry with what it holds. */
static int64_t identity_batch(struct hc_env *env, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		write_record(&env->mem, RECORDS + i * sizeof(struct vmi_mmu_record), VMI_CALL_NR_SET_PTE,
			     PT + i * 8, (i << 12) | PTE_PW);
	return call_counted(env, VMI_HC_MMU_BATCH, RECORDS, n, 0);
}

/* The line of stats_print's output that starts with prefix, after the line starting with after. */
static bool printed_line(FILE *out, const char *after, const char *prefix, char *line, size_t size)
{
	bool seen = false;

	rewind(out);
	while (fgets(line, (int)size, out)) {
		seen = seen || strncmp(line, after, strlen(after)) == 0;
		if (seen && strncmp(line, prefix, strlen(prefix)) == 0)
			return true;
	}
	return false;
}

static void check_line(FILE *out, const char *prefix, const char *want)
{
	char line[256], what[300];
	bool found = printed_line(out, "stats: ops per hypercall", prefix, line, sizeof(line));

	snprintf(what, sizeof(what), "prints '%.*s'", (int)strcspn(want, "\n"), want);
	check(found && strcmp(line, want) == 0, what, found);
	if (found && strcmp(line, want) != 0)
		printf("#  printed: %s", line);
}

/*
 * The largest batch is exact, not a bucket: 200 records (bucket <256) on
 * one vCPU, 300 on another; a batch the guest claims larger than it sends
 * counts only the records processed.
 */
static void test_stats(const struct hc_env *env)
{
	static struct shim_stats one[2], total[2];
	struct hc_env cpu0 = *env, cpu1 = *env;
	FILE *out = tmpfile();

	cpu0.stats = &one[0];
	cpu1.stats = &one[1];
	identity_batch(&cpu0, 3);
	check(identity_batch(&cpu0, 200) == 200, "a batch of 200", 0);
	call_counted(&cpu0, VMI_HC_MMU, VMI_CALL_NR_SET_PTE, PT + 8, (1ULL << 12) | PTE_PW);
	call_counted(&cpu0, VMI_HC_MMU_BATCH, RECORDS, VMI_HC_MAX_BATCH + 1, 0);
	write_record(&cpu0.mem, RECORDS + 5 * sizeof(struct vmi_mmu_record), 4242, 0, 0);
	call_counted(&cpu0, VMI_HC_MMU_BATCH, RECORDS, 300, 0);
	check(one[0].hypercall[VMI_HC_MMU_BATCH].ops_max == 200,
	      "stats: the largest batch is 200, not a refused claim or its bucket",
	      (long long)one[0].hypercall[VMI_HC_MMU_BATCH].ops_max);
	check(one[0].hypercall[VMI_HC_MMU].ops_max == 1, "stats: an MMU hypercall carries 1",
	      (long long)one[0].hypercall[VMI_HC_MMU].ops_max);
	identity_batch(&cpu1, 300);
	stats_add(&total[0], &one[0]);
	stats_add(&total[0], &one[1]);
	stats_add(&total[1], &one[1]);
	stats_add(&total[1], &one[0]);
	check(total[0].hypercall[VMI_HC_MMU_BATCH].ops_max == 300 &&
	      total[1].hypercall[VMI_HC_MMU_BATCH].ops_max == 300,
	      "stats: the sum keeps the largest of the vCPUs, in either order",
	      (long long)total[0].hypercall[VMI_HC_MMU_BATCH].ops_max);
	check(out != NULL, "stats: a temporary file for the printed tables", 0);
	if (!out)
		return;
	stats_print(out, &total[0]);
	check_line(out, "stats: ops per hypercall", "stats: ops per hypercall       total ops        0        1 "
		   "      <4      <16      <64     <256    >=256  max ops   avg ops\n");
	check_line(out, "stats: MMU ", "stats: MMU                             1        0        1 "
		   "       0        0        0        0        0        1      1.00\n");
	check_line(out, "stats: MMU_BATCH", "stats: MMU_BATCH                     509        1        0 "
		   "       1        1        0        1        1      300    101.80\n");
	fclose(out);
}

static void test_audit(struct hc_env *env, struct audit *audit)
{
	uint64_t checks;

	env->audit = audit;
	expect(env, "activate seeds the audit", VMI_OK, VMI_HC_ACTIVATE, 0, 0, 0);
	put(&env->mem, PT + 5 * 8, 0x99000 | PTE_PW);
	expect(env, "notified write", VMI_OK, VMI_HC_MMU, VMI_CALL_NR_SET_PTE, PT + 5 * 8, 0x99000 | PTE_PW);
	put(&env->mem, PT + 6 * 8, (6ULL << 12) | PTE_PW | GMEM_PTE_ACCESSED | GMEM_PTE_DIRTY);
	expect(env, "cr3 load", VMI_OK, VMI_HC_CR3_LOAD, PML4, 0, 0);
	check(audit_differences(audit) == 0, "notified writes and A/D bits are not differences",
	      (long long)audit_differences(audit));
	put(&env->mem, PT + 7 * 8, 0);
	expect(env, "flush", VMI_OK, VMI_HC_MMU, VMI_CALL_NR_FLUSH_TLB_USER, 0, 0);
	check(audit_differences(audit) == 1, "an unnotified write is caught at the next flush",
	      (long long)audit_differences(audit));
	checks = audit_checks(audit);
	expect(env, "cr3 load", VMI_OK, VMI_HC_CR3_LOAD, PML4, 0, 0);
	check(audit_differences(audit) == 1 && audit_checks(audit) == checks + 1,
	      "it is reported once", (long long)audit_differences(audit));
	memset(env->mem.ram + 0x5000, 0, 4096);
	put(&env->mem, 0x5000, 0x77000 | PTE_PW);
	put(&env->mem, PD + 16, 0x5000 | PTE_PW);
	expect(env, "set_pmd notified", VMI_OK, VMI_HC_MMU, VMI_CALL_NR_SET_PMD, PD + 16, 0x5000 | PTE_PW);
	expect(env, "cr3 load", VMI_OK, VMI_HC_CR3_LOAD, PML4, 0, 0);
	check(audit_differences(audit) == 2, "a table linked without alloc_pte is reported",
	      (long long)audit_differences(audit));
	expect(env, "release_pte", VMI_OK, VMI_HC_MMU, VMI_CALL_NR_RELEASE_PTE, 0x5, 0);
	expect(env, "alloc_pte", VMI_OK, VMI_HC_MMU, VMI_CALL_NR_ALLOC_PTE, 0x5, 0);
	expect(env, "cr3 load", VMI_OK, VMI_HC_CR3_LOAD, PML4, 0, 0);
	check(audit_differences(audit) == 2, "an announced table holding entries is not a difference",
	      (long long)audit_differences(audit));
}

/* Two vCPUs: a difference waits for the other vCPU's flush point. */
static void test_audit_smp(struct hc_env *cpu0, struct hc_env *cpu1, struct audit *audit)
{
	cpu0->audit = cpu1->audit = audit;
	expect(cpu0, "cpu 0 activates", VMI_OK, VMI_HC_ACTIVATE, 0, 0, 0);
	expect(cpu1, "cpu 1 activates", VMI_OK, VMI_HC_ACTIVATE, 1, 0, 0);
	put(&cpu0->mem, PT + 9 * 8, 0x55000 | PTE_PW);	/* cpu 1 stored, notification queued */
	expect(cpu0, "cpu 0 loads cr3", VMI_OK, VMI_HC_CR3_LOAD, PML4, 0, 0);
	check(audit_differences(audit) == 0, "smp: a store another vCPU may still notify is only suspected",
	      (long long)audit_differences(audit));
	expect(cpu1, "cpu 1 sends its queued notification", VMI_OK, VMI_HC_MMU, VMI_CALL_NR_SET_PTE,
	       PT + 9 * 8, 0x55000 | PTE_PW);
	expect(cpu1, "cpu 1 loads cr3", VMI_OK, VMI_HC_CR3_LOAD, PML4, 0, 0);
	check(audit_differences(audit) == 0, "smp: the late notification clears the suspicion",
	      (long long)audit_differences(audit));
	put(&cpu0->mem, PT + 10 * 8, 0x56000 | PTE_PW);	/* nobody notifies this one */
	expect(cpu0, "cpu 0 loads cr3", VMI_OK, VMI_HC_CR3_LOAD, PML4, 0, 0);
	expect(cpu1, "cpu 1 loads cr3", VMI_OK, VMI_HC_CR3_LOAD, PML4, 0, 0);
	check(audit_differences(audit) == 1, "smp: confirmed once the other vCPU has flushed",
	      (long long)audit_differences(audit));
}

/* A fresh audit over fresh tables, with vCPUs 0 and 1 sharing them. */
static void run_smp_tests(const struct hc_env *base)
{
	struct hc_vcpu_state state0 = { 0 }, state1 = { 0 };
	struct hc_env cpu0 = *base, cpu1 = *base;
	struct audit *audit;

	build_tables(&cpu0.mem);
	cpu0.state = &state0;
	cpu1.state = &state1;
	cpu1.cpu = 1;
	audit = audit_create(&cpu0.mem, audit_log, 2);
	if (!audit)
		return;
	test_audit_smp(&cpu0, &cpu1, audit);
	audit_destroy(audit);
}

/* gmem_walk records each entry it reads, and where a walk stops. */
static void test_walk(const struct gmem *mem)
{
	struct gmem_walk walk;
	uint64_t gpa = 0;
	int result;

	result = gmem_walk(mem, PML4, 0x5123, &walk, &gpa);
	check(result == VMI_OK && gpa == 0x5123 && walk.levels == 4 &&
	      walk.entry[0] == (PDPT | PTE_PW) && walk.entry[3] == (0x5000 | PTE_PW),
	      "walk of a 4 KiB page reads 4 entries", walk.levels);
	result = gmem_walk(mem, PML4, (2ULL << 20) + 0x10, &walk, &gpa);
	check(result == VMI_OK && gpa == (2ULL << 20) + 0x10 && walk.levels == 3 &&
	      walk.entry[2] == ((2ULL << 20) | 0x83), "walk of a 2 MiB page stops at the pde",
	      walk.levels);
	result = gmem_walk(mem, PML4, 1ULL << 39, &walk, &gpa);
	check(result == VMI_E_FAULT && walk.levels == 1 && walk.entry[0] == 0,
	      "walk through an empty pml4e stops there", walk.levels);
	result = gmem_walk(mem, RAM_SIZE, 0, &walk, &gpa);
	check(result == VMI_E_FAULT && walk.levels == 0, "walk with cr3 outside RAM reads nothing",
	      walk.levels);
	result = gmem_walk(mem, PML4, 0x0000800000000000ULL, &walk, &gpa);
	check(result == VMI_E_FAULT && walk.levels == 0, "walk of a non-canonical address",
	      walk.levels);
}

int main(void)
{
	struct hc_vcpu_state state = { 0 };
	static struct shim_stats stats;
	struct hc_env env = { 0 };
	struct audit *audit;

	env.mem.size = RAM_SIZE;
	env.mem.ram = calloc(1, RAM_SIZE);
	audit_log = fopen("/dev/null", "w");
	if (!env.mem.ram || !audit_log)
		return 1;
	build_tables(&env.mem);
	env.mmu = (struct gmem_mmu){ .cr3 = PML4, .paging = true, .long_mode = true };
	test_walk(&env.mem);
	env.nr_cpus = 2;
	env.state = &state;
	env.stats = &stats;
	test_errors(&env);
	test_batch(&env);
	test_stats(&env);
	audit = audit_create(&env.mem, audit_log, 1);
	if (!audit)
		return 1;
	test_audit(&env, audit);
	audit_destroy(audit);
	run_smp_tests(&env);
	free(env.mem.ram);
	return unit_summary();
}
