// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host unit tests of what the shim holds against a hostile guest, over
 * guest memory simulated as a buffer: hypercalls from CPL 3, writes through
 * read-only mappings, copies straddling the end of RAM or 2^64 (nothing is
 * written), and the audit's bounds: per-call work on a guest whose every
 * page is a page table, page-table cycles, walks carried over a table the
 * guest took away, and the cap on shadowed tables.
 */
#include <stdlib.h>

#include "hostile_tree.h"
#include "hypercall.h"
#include "unit.h"

#define RAM_SIZE (4ULL << 20)
#define PML4 0x1000ULL
#define PDPT 0x2000ULL
#define PD 0x3000ULL
#define PT 0x4000ULL
#define TOP_PDPT 0x5000ULL	/* maps the last 2 MiB of the address space */
#define TOP_PD 0x6000ULL
#define TARGET 0x8000ULL	/* a page the tests write through various mappings */
#define PTE_PW 0x3ULL
#define PTE_P 0x1ULL
#define PTE_LARGE_PW 0x83ULL
#define TOP_VA 0xffffffffffe00000ULL	/* maps gpa 2 MiB .. 4 MiB */
#define PATTERN 0x5a5a5a5a5a5a5a5aULL

static FILE *audit_log;

/*
 * 0..2 MiB in 4 KiB pages, but TARGET read-only; 2..4 MiB as one 2 MiB page
 * (the end of RAM); 4..6 MiB mapped beyond RAM; TOP_VA.. to 2 .. 4 MiB.
 */
static void build_tables(struct gmem *mem)
{
	memset(mem->ram, 0, 0x9000);
	put(mem, PML4, PDPT | PTE_PW);
	put(mem, PML4 + 511 * 8, TOP_PDPT | PTE_PW);
	put(mem, PDPT, PD | PTE_PW);
	put(mem, TOP_PDPT + 511 * 8, TOP_PD | PTE_PW);
	put(mem, TOP_PD + 511 * 8, (2ULL << 20) | PTE_LARGE_PW);
	put(mem, PD, PT | PTE_PW);
	put(mem, PD + 8, (2ULL << 20) | PTE_LARGE_PW);
	put(mem, PD + 16, (4ULL << 20) | PTE_LARGE_PW);
	for (uint64_t i = 0; i < 512; i++)
		put(mem, PT + i * 8, (i << 12) | PTE_PW);
	put(mem, PT + (TARGET >> 12) * 8, TARGET | PTE_P);
}

static struct hc_env base_env(struct gmem mem, struct hc_vcpu_state *state)
{
	struct hc_env env = { .mem = mem, .nr_cpus = 2, .state = state };

	env.mmu = (struct gmem_mmu){ .cr3 = PML4, .paging = true, .long_mode = true,
				     .write_protect = true };
	return env;
}

static void test_cpl3(struct hc_env env)
{
	put(&env.mem, TARGET + 0x100, PATTERN);
	env.cpl = 3;
	expect(&env, "cpl 3: VERSION is refused with STATE", VMI_E_STATE, VMI_HC_VERSION, 0, 0, 0);
	expect(&env, "cpl 3: WALLCLOCK is refused with STATE", VMI_E_STATE, VMI_HC_WALLCLOCK,
	       0x10000, 0, 0);
	expect(&env, "cpl 3: SHUTDOWN is refused", VMI_E_STATE, VMI_HC_SHUTDOWN, 0, 0, 0);
	check(env.action == HC_CONTINUE, "cpl 3: the VM keeps running", env.action);
	expect(&env, "cpl 3: ACTIVATE is refused", VMI_E_STATE, VMI_HC_ACTIVATE, 0, 0, 0);
	check(!env.state->activated, "cpl 3: nothing was activated", env.state->activated);
}

/* One WALLCLOCK at va; it must fail and leave the 8 bytes at gpa as they were. */
static void expect_untouched(struct hc_env *env, const char *what, uint64_t va, uint64_t gpa)
{
	put(&env->mem, gpa, PATTERN);
	check(call(env, VMI_HC_WALLCLOCK, va, 0, 0) == VMI_E_FAULT && get(&env->mem, gpa) == PATTERN,
	      what, (long long)get(&env->mem, gpa));
}

static void test_copies(struct hc_env env)
{
	expect_untouched(&env, "wallclock through a read-only pte faults, writes nothing",
			 TARGET, TARGET);
	env.mmu.write_protect = false;
	expect(&env, "wallclock through a read-only pte with CR0.WP clear", VMI_OK,
	       VMI_HC_WALLCLOCK, TARGET, 0, 0);
	env.mmu.write_protect = true;
	expect_untouched(&env, "wallclock straddling the end of RAM faults, writes nothing",
			 RAM_SIZE - 8, RAM_SIZE - 8);
	expect_untouched(&env, "wallclock running past 2^64 faults, writes nothing",
			 0xfffffffffffffff8ULL, RAM_SIZE - 8);
	expect(&env, "wallclock at the top 16 bytes of the address space", VMI_OK, VMI_HC_WALLCLOCK,
	       0xfffffffffffffff0ULL, 0, 0);
	env.state->activated = true;
	memset(env.mem.ram + RAM_SIZE - 48, 0, 48);
	put(&env.mem, RAM_SIZE - 24, VMI_CALL_NR_FLUSH_DEFERRED);
	expect(&env, "a batch whose record straddles the end of RAM faults", VMI_E_FAULT,
	       VMI_HC_MMU_BATCH, RAM_SIZE - 8, 1, 0);
	expect(&env, "a batch of the last record below 2^64", 1, VMI_HC_MMU_BATCH,
	       0xffffffffffffffe8ULL, 1, 0);
	expect(&env, "a batch running past 2^64 faults", VMI_E_FAULT, VMI_HC_MMU_BATCH,
	       0xffffffffffffffe8ULL, 2, 0);
	expect(&env, "a batch starting 8 bytes below 2^64 faults", VMI_E_FAULT, VMI_HC_MMU_BATCH,
	       0xfffffffffffffff8ULL, 1, 0);
	env.state->activated = false;
}

static struct audit *hostile_audit(struct hc_env *env, unsigned per_call, unsigned max_tables)
{
	struct audit_limits limits = { per_call, max_tables };

	env->audit = audit_create_limited(&env->mem, audit_log, 1, limits);
	env->mmu.cr3 = HOSTILE_TREE_ROOT;
	env->state->activated = false;
	return env->audit;
}

/* Flush points until one ends its walk within its call; how many it took (n at most). */
static int calls_until_whole_walk(struct hc_env *env, int n)
{
	int calls = 0;
	uint64_t carried;

	do {
		carried = audit_bounds(env->audit).carried;
		call(env, VMI_HC_MMU_BATCH, 0, 0, 0);
		calls++;
	} while (calls < n && audit_bounds(env->audit).carried > carried);
	return calls;
}

static void test_bounded_walks(struct hc_env env)
{
	uint64_t tables = hostile_tree(&env.mem);
	struct audit *audit = hostile_audit(&env, 256, 1 << 20);
	uint64_t changed = 0, calls;
	struct audit_bounds bounds;

	if (!audit)
		return;
	expect(&env, "hostile tree: activate", VMI_OK, VMI_HC_ACTIVATE, 0, 0, 0);
	/* Seeding (a new shadow costs five visits), then a whole check walk. */
	for (calls = 0; calls < 6 * tables / 256 + 8; calls++)
		call(&env, VMI_HC_MMU_BATCH, 0, 0, 0);
	for (uint64_t pfn = tables - 9; pfn <= tables; pfn++, changed++)
		put(&env.mem, pfn * 4096 + (8 * pfn) % 4096, 0x1234000 | PTE_LARGE_PW);
	for (calls = 0; calls < 4 * tables / 256 + 2; calls++)
		call(&env, VMI_HC_MMU_BATCH, 0, 0, 0);
	bounds = audit_bounds(audit);
	check(bounds.most_visits <= 256, "hostile tree: no call visits more tables than its bound",
	      bounds.most_visits);
	check(bounds.most_visits > 128 && bounds.carried > tables / 256,
	      "hostile tree: walks are carried over from call to call", (long long)bounds.carried);
	check(bounds.tables == tables, "hostile tree: every table is shadowed", bounds.tables);
	check(audit_differences(audit) == changed,
	      "hostile tree: carried walks still find every unnotified change",
	      (long long)audit_differences(audit));
	audit_destroy(audit);
}

/* A PML4 that maps itself, a PD pointing at the PDPT, a PDPT at the PML4. */
static void test_cycles(struct hc_env env)
{
	struct audit *audit = hostile_audit(&env, 64, 1 << 20);

	build_tables(&env.mem);
	if (!audit)
		return;
	expect(&env, "cycles: activate", VMI_OK, VMI_HC_ACTIVATE, 0, 0, 0);
	put(&env.mem, PML4 + 8, PML4 | PTE_PW);
	put(&env.mem, PD + 40, PDPT | PTE_PW);
	put(&env.mem, PDPT + 16, PML4 | PTE_PW);
	expect(&env, "cycles: cr3 load returns", VMI_OK, VMI_HC_CR3_LOAD, PML4, 0, 0);
	expect(&env, "cycles: an empty batch returns", 0, VMI_HC_MMU_BATCH, 0, 0, 0);
	check(audit_differences(audit) == 3, "cycles: the three unnotified links are reported",
	      (long long)audit_differences(audit));
	check(audit_bounds(audit).most_visits <= 64, "cycles: each table is visited once per walk",
	      audit_bounds(audit).most_visits);
	audit_destroy(audit);
}

/* A carried walk whose path the guest took away (with notifications) just ends. */
static void test_carried_walk_revalidated(struct hc_env env)
{
	uint64_t tables = hostile_tree(&env.mem);
	struct audit *audit = hostile_audit(&env, 16, 1 << 20);
	int calls;

	if (!audit)
		return;
	expect(&env, "carried walk: activate", VMI_OK, VMI_HC_ACTIVATE, 0, 0, 0);
	for (calls = 0; calls < 6 * (int)tables / 16 + 4; calls++)
		call(&env, VMI_HC_MMU_BATCH, 0, 0, 0);	/* seeding, then a carried check */
	/* What the handlers pass on for set_pgd and release_* (the root maps no VA of its own). */
	for (int i = 0; i < 512; i++) {
		put(&env.mem, 0x1000 + i * 8ULL, 0);
		audit_note_write(audit, 0x1000 + i * 8ULL, 0);
	}
	for (uint64_t pfn = 2; pfn <= tables; pfn++)
		audit_note_release(audit, pfn);
	calls = calls_until_whole_walk(&env, 8);
	check(audit_differences(audit) == 0 && audit_bounds(audit).tables == 1,
	      "carried walk: a path the guest took down ends the walk, nothing is reported",
	      (long long)audit_differences(audit));
	check(calls < 8, "carried walk: the next walk is a whole one again", calls);
	audit_destroy(audit);
}

static void test_table_cap(struct hc_env env)
{
	uint64_t tables = hostile_tree(&env.mem);
	struct audit *audit = hostile_audit(&env, 4096, 100);
	char line[256] = "";
	FILE *out = tmpfile();

	if (!audit || !out)
		return;
	expect(&env, "table cap: activate", VMI_OK, VMI_HC_ACTIVATE, 0, 0, 0);
	for (uint64_t calls = 0; calls < tables / 4096 + 2; calls++)
		call(&env, VMI_HC_MMU_BATCH, 0, 0, 0);
	check(audit_bounds(audit).tables == 100 && audit_bounds(audit).refused > 0,
	      "table cap: no more tables are shadowed than the cap", audit_bounds(audit).tables);
	audit_print_summary(audit, out);
	rewind(out);
	while (fgets(line, sizeof(line), out) && !strstr(line, "left unshadowed"))
		;
	check(strstr(line, "at most 100 are kept") != NULL, "table cap: the summary says so", 0);
	fclose(out);
	audit_destroy(audit);
}

/* Calls of the audit's own entry points at flush points of cpu, n times. */
static void checks(struct audit *audit, uint64_t cr3, unsigned cpu, int n)
{
	while (n--)
		audit_check(audit, cr3, cpu);
}

/*
 * A carried walk whose root the guest released and reused as a PTE table of
 * data pages (notified): the walk must not go on reading it as a PML4.
 */
static void test_root_reused(struct gmem mem)
{
	struct audit_limits limits = { 16, 1 << 20 };
	struct gmem tree = { mem.ram, mem.size / 2 };
	struct audit *audit;

	hostile_tree(&tree);
	memset(mem.ram + tree.size, 0, mem.size - tree.size);	/* data pages, an empty PML4 */
	audit = audit_create_limited(&mem, audit_log, 1, limits);
	audit_seed(audit, HOSTILE_TREE_ROOT, 0);
	checks(audit, HOSTILE_TREE_ROOT, 0, 4000);	/* seeding, then carried checks */
	audit_note_release(audit, 1);
	for (int i = 0; i < 512; i++)
		put(&mem, HOSTILE_TREE_ROOT + i * 8ULL, ((mem.size / 2 / 4096 + i) << 12) | PTE_PW);
	audit_note_alloc(audit, 1, 1);
	audit_note_alloc(audit, mem.size / 4096 - 1, 4);	/* another, empty address space */
	checks(audit, mem.size - 4096, 0, 200);
	audit_finish(audit);
	check(audit_differences(audit) == 0, "a carried walk stops at a root reused as a PTE table",
	      (long long)audit_differences(audit));
	audit_destroy(audit);
}

/* A notified write into an upper table the carried seed has not reached yet. */
static void test_seed_carried_past_a_write(struct gmem mem)
{
	struct audit_limits limits = { 16, 1 << 20 };
	struct audit *audit;

	hostile_tree(&mem);
	audit = audit_create_limited(&mem, audit_log, 1, limits);
	audit_seed(audit, HOSTILE_TREE_ROOT, 0);
	audit_note_write(audit, 10 * 4096, get(&mem, 10 * 4096));	/* a set_pmd rewrite */
	checks(audit, HOSTILE_TREE_ROOT, 0, 6000);
	audit_finish(audit);
	check(audit_differences(audit) == 0,
	      "seeding carried across calls still seeds below a table a write shadowed",
	      (long long)audit_differences(audit));
	audit_destroy(audit);
}

/* A table announced while the cap was reached is not reported once there is room. */
static void test_announced_over_the_cap(struct gmem mem)
{
	struct audit_limits limits = { 1024, 4 };
	struct audit *audit;

	memset(mem.ram, 0, 0x8000);
	put(&mem, 0x1000, 0x2003);
	put(&mem, 0x2000, 0x3003);
	audit = audit_create_limited(&mem, audit_log, 1, limits);
	audit_seed(audit, 0x1000, 0);		/* PML4 1, PDPT 2, PD 3 */
	audit_note_alloc(audit, 6, 1);		/* the fourth: the cap */
	audit_note_alloc(audit, 5, 1);		/* refused */
	put(&mem, 0x3008, 0x5003);
	audit_note_write(audit, 0x3008, 0x5003);
	audit_note_release(audit, 6);		/* room again */
	audit_check(audit, 0x1000, 0);
	audit_finish(audit);
	check(audit_differences(audit) == 0, "a table announced over the cap stays announced",
	      (long long)audit_differences(audit));
	audit_destroy(audit);
}

/*
 * vCPU 1 stored 1024 entries and still queues their notifications: a full
 * suspect list must not be settled by a check that only meets them again.
 */
static void test_full_suspect_list(struct gmem mem)
{
	struct gmem tree = { mem.ram, 8ULL << 20 };
	struct audit *audit;

	hostile_tree(&tree);
	audit = audit_create(&tree, audit_log, 2);
	audit_seed(audit, HOSTILE_TREE_ROOT, 0);
	audit_seed(audit, HOSTILE_TREE_ROOT, 1);
	for (int i = 0; i < 50; i++) {
		audit_check(audit, HOSTILE_TREE_ROOT, 0);
		audit_check(audit, HOSTILE_TREE_ROOT, 1);
	}
	for (uint64_t i = 0; i < 1024; i++)
		put(&tree, (600 + i / 512) * 4096 + 8 * (i % 512), (0x4000 + i) << 12 | HOSTILE_LEAF);
	checks(audit, HOSTILE_TREE_ROOT, 0, 9);
	for (uint64_t i = 0; i < 1024; i++) {
		uint64_t gpa = (600 + i / 512) * 4096 + 8 * (i % 512);

		audit_note_write(audit, gpa, get(&tree, gpa));	/* vCPU 1's queue, sent */
	}
	audit_check(audit, HOSTILE_TREE_ROOT, 1);
	audit_finish(audit);
	check(audit_differences(audit) == 0,
	      "a full suspect list waits for the vCPU that may still notify",
	      (long long)audit_differences(audit));
	audit_destroy(audit);
}

int main(void)
{
	struct hc_vcpu_state state = { 0 };
	struct gmem small = { calloc(1, RAM_SIZE), RAM_SIZE };
	struct gmem large = { calloc(1, 32ULL << 20), 32ULL << 20 };

	audit_log = fopen("/dev/null", "w");
	if (!small.ram || !large.ram || !audit_log)
		return 1;
	build_tables(&small);
	test_cpl3(base_env(small, &state));
	test_copies(base_env(small, &state));
	test_cycles(base_env(small, &state));
	test_bounded_walks(base_env(large, &state));
	test_carried_walk_revalidated(base_env(large, &state));
	test_table_cap(base_env(large, &state));
	test_root_reused(large);
	test_seed_carried_past_a_write(large);
	test_announced_over_the_cap(small);
	test_full_suspect_list(large);
	free(small.ram);
	free(large.ram);
	return unit_summary();
}
