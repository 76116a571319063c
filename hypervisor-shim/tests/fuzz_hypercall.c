// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target over the hypercall decoder and handlers, with guest
 * memory simulated as a buffer of exactly its size (so ASan sees every
 * stray access) and the audit switched on or off by the input.
 *
 * Input: flags (1 byte), ram pages (1), cr3 (8), call count (1), then
 * that many calls of nr + 4 arguments (5 x 8 bytes); the rest is guest RAM.
 * Flag bit 4 pre-builds identity page tables at cr3 = 0x1000 so the fuzzer
 * reaches the handlers behind a successful translation easily.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hypercall.h"

#define FUZZ_MAX_PAGES 32
#define FUZZ_MAX_CALLS 8
#define FLAG_PAGING 0x01
#define FLAG_LONG_MODE 0x02
#define FLAG_AUDIT 0x04
#define FLAG_ACTIVATED 0x08
#define FLAG_IDENTITY 0x10
#define FLAG_STATS 0x20

struct fuzz_input {
	const uint8_t *data;
	size_t size;
};

static uint64_t take(struct fuzz_input *in, size_t bytes)
{
	uint64_t value = 0;

	if (bytes > in->size)
		bytes = in->size;
	memcpy(&value, in->data, bytes);
	in->data += bytes;
	in->size -= bytes;
	return value;
}

/* PML4 at 0x1000 -> PDPT at 0x2000 -> PD at 0x3000 -> 2 MiB page at 0. */
static void identity_tables(uint8_t *ram, uint64_t size)
{
	static const uint64_t entries[][2] = {
		{ 0x1000, 0x2003 }, { 0x2000, 0x3003 }, { 0x3000, 0x83 },
	};

	for (size_t i = 0; i < sizeof(entries) / sizeof(entries[0]); i++)
		if (entries[i][0] + 8 <= size)
			memcpy(ram + entries[i][0], &entries[i][1], 8);
}

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
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	uint8_t flags = (uint8_t)take(&in, 1);
	uint64_t pages = take(&in, 1) % FUZZ_MAX_PAGES + 1;
	uint64_t cr3 = take(&in, 8);
	unsigned calls = (unsigned)(take(&in, 1) % (FUZZ_MAX_CALLS + 1));
	struct hc_args args[FUZZ_MAX_CALLS];
	struct hc_vcpu_state state = { .activated = flags & FLAG_ACTIVATED };
	static struct shim_stats stats;
	struct hc_env env = { 0 };
	unsigned i;

	for (i = 0; i < calls; i++) {
		args[i].nr = take(&in, 8) % (VMI_NR_HYPERCALLS + 2);
		for (int a = 0; a < 4; a++)
			args[i].a[a] = take(&in, 8);
	}
	env.mem.size = pages << GMEM_PAGE_SHIFT;
	env.mem.ram = calloc(1, env.mem.size);
	if (!env.mem.ram)
		return 0;
	memcpy(env.mem.ram, in.data, in.size < env.mem.size ? in.size : env.mem.size);
	if (flags & FLAG_IDENTITY) {
		identity_tables(env.mem.ram, env.mem.size);
		cr3 = 0x1000;
	}
	env.mmu = (struct gmem_mmu){ .cr3 = cr3, .paging = flags & FLAG_PAGING,
				     .long_mode = flags & FLAG_LONG_MODE };
	env.nr_cpus = 2;
	env.tsc_hz = 1000000000;
	env.state = &state;
	env.stats = (flags & FLAG_STATS) ? &stats : NULL;
	static FILE *sink;

	if (!sink)
		sink = fopen("/dev/null", "w");	/* audit reports are not the point here */
	env.audit = (flags & FLAG_AUDIT) && sink ? audit_create(&env.mem, sink, env.nr_cpus) : NULL;
	for (i = 0; i < calls; i++)
		dispatch_counted(&env, &args[i]);
	audit_destroy(env.audit);
	free(env.mem.ram);
	return 0;
}
