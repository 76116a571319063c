// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target over the hypercall decoder and handlers, with guest
 * memory simulated as a buffer of exactly its size (so every stray access
 * faults) and the audit switched on or off by the input. Fast and narrow:
 * fuzz_exit.c drives the same handlers through the whole exit path.
 *
 * Input: flags (1 byte), ram pages - 1 (1), cr3 (8), call count (1, modulo
 * FUZZ_MAX_CALLS + 1), then that many calls of nr + 4 arguments (5 x 8
 * bytes); the rest is guest RAM from address 0, or with FLAG_RECORDS a
 * list of records that write RAM anywhere: an op byte (bit 0: 0 bytes,
 * 1 fill) and the record of fuzz_common.h.
 * Flag bit 4 pre-builds identity page tables at cr3 = 0x1000 so the fuzzer
 * reaches the handlers behind a successful translation easily; bit 7 maps
 * the first 2 MiB through 4 KiB pages there.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hypercall.h"

#include "fuzz_common.h"

#define FUZZ_MAX_PAGES 256
#define FUZZ_MAX_CALLS 64
#define FLAG_PAGING 0x01
#define FLAG_LONG_MODE 0x02
#define FLAG_AUDIT 0x04
#define FLAG_ACTIVATED 0x08
#define FLAG_IDENTITY 0x10
#define FLAG_STATS 0x20
#define FLAG_RECORDS 0x40
#define FLAG_SMALL_PAGES 0x80

/*
 * One hypercall with its statistics, as the KVM side records them; no
 * hypercall carries more records than a batch may hold, whatever the
 * guest claims.
 */
static void dispatch_counted(struct hc_env *env, const struct hc_args *args)
{
	int64_t result = hc_dispatch(env, args);
	struct stats_row *row;

	if (!env->stats)
		return;
	row = stats_hypercall_row(env->stats, args->nr);
	stats_record(row, 0, env->ops, result < 0);
	if (env->ops > VMI_HC_MAX_BATCH || row->ops_max > VMI_HC_MAX_BATCH)
		fuzz_fail("hypercall %llu carried %llu operations",
			  (unsigned long long)args->nr, (unsigned long long)env->ops);
}

/* The rest of the input into guest RAM: an image at 0, or records. */
static void fill_ram(struct fuzz_input *in, uint8_t flags, struct gmem *mem)
{
	if (!(flags & FLAG_RECORDS)) {
		if (in->size)
			memcpy(mem->ram, in->data, in->size < mem->size ? in->size : mem->size);
		return;
	}
	while (in->size) {
		if (fuzz_take(in, 1) & 1)
			fuzz_ram_fill(mem->ram, mem->size, in);
		else
			fuzz_ram_bytes(mem->ram, mem->size, in);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fuzz_ram ram;
	static struct shim_stats stats;
	struct fuzz_input in = { data, size };
	uint8_t flags = (uint8_t)fuzz_take(&in, 1);
	uint64_t pages = fuzz_take(&in, 1) % FUZZ_MAX_PAGES + 1;
	uint64_t cr3 = fuzz_take(&in, 8);
	unsigned calls = (unsigned)(fuzz_take(&in, 1) % (FUZZ_MAX_CALLS + 1));
	struct hc_args args[FUZZ_MAX_CALLS];
	struct hc_vcpu_state state = { .activated = flags & FLAG_ACTIVATED };
	struct hc_env env = { 0 };
	unsigned i;

	for (i = 0; i < calls; i++) {
		args[i].nr = fuzz_take(&in, 8) % (VMI_NR_HYPERCALLS + 2);
		for (int a = 0; a < 4; a++)
			args[i].a[a] = fuzz_take(&in, 8);
	}
	if (!ram.base)
		fuzz_ram_init(&ram, FUZZ_MAX_PAGES << GMEM_PAGE_SHIFT);
	env.mem.size = pages << GMEM_PAGE_SHIFT;
	env.mem.ram = fuzz_ram_get(&ram, env.mem.size);
	fuzz_flips_reset(env.mem.ram, env.mem.size);
	fill_ram(&in, flags, &env.mem);
	if (flags & FLAG_IDENTITY) {
		fuzz_identity_tables(env.mem.ram, env.mem.size, flags & FLAG_SMALL_PAGES);
		cr3 = FUZZ_PML4_GPA;
	}
	env.mmu = (struct gmem_mmu){ .cr3 = cr3, .paging = flags & FLAG_PAGING,
				     .long_mode = flags & FLAG_LONG_MODE };
	env.nr_cpus = 2;
	env.tsc_hz = 1000000000;
	env.state = &state;
	env.stats = (flags & FLAG_STATS) ? &stats : NULL;
	/* Audit reports are not the point here. */
	env.audit = (flags & FLAG_AUDIT) ? audit_create(&env.mem, fuzz_null_file(), env.nr_cpus) : NULL;
	for (i = 0; i < calls; i++)
		dispatch_counted(&env, &args[i]);
	audit_destroy(env.audit);
	fuzz_ram_put(&ram, env.mem.ram, env.mem.size);
	return 0;
}
