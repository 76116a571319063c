/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Host unit tests of the ROMs' pure logic: the shim's deferred-update queue
 * and its flush points, per-CPU activation rules, and the RTC date
 * conversion. The ROM sources are compiled with VMI_ROM_HOST_TEST, and
 * shim_hypercall() below records what the ROM would send to the VMM.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "shim_queue.h"

static int passed, failed;

#define CHECK(cond, ...) do { \
	if (cond) { passed++; } else { \
		failed++; printf("FAIL %s:%d: ", __FILE__, __LINE__); \
		printf(__VA_ARGS__); printf("\n"); } \
	} while (0)

/* What the ROM sent: every hypercall, and a copy of each batch. */
#define MAX_SENT 4096
static struct sent {
	uint32_t nr;
	uint64_t a0, a1, a2;
	struct vmi_mmu_record records[SHIM_QUEUE_CAPACITY];
} sent[MAX_SENT];
static int nsent;

int64_t shim_hypercall(uint32_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	struct sent *s;

	if (nsent == MAX_SENT)
		return VMI_E_RANGE;
	s = &sent[nsent++];
	*s = (struct sent){ nr, a0, a1, a2, { { 0 } } };
	if (nr == VMI_HC_MMU_BATCH && a1 <= SHIM_QUEUE_CAPACITY)
		memcpy(s->records, (const void *)(uintptr_t)a0,
		       a1 * sizeof(struct vmi_mmu_record));
	return nr == VMI_HC_MMU_BATCH ? (int64_t)a1 : VMI_OK;
}

static struct shim_cpu *new_area(void)
{
	size_t size = (sizeof(struct shim_cpu) + VMI_DATA_AREA_ALIGN - 1) /
		      VMI_DATA_AREA_ALIGN * VMI_DATA_AREA_ALIGN;
	struct shim_cpu *s = aligned_alloc(VMI_DATA_AREA_ALIGN, size);

	if (!s) {
		printf("FAIL: out of memory\n");
		exit(1);
	}
	memset(s, 0, size);
	CHECK(vmi_rom_cpu_activate(&s->common, 3, SHIM_DATA_AREA_SIZE, s) == VMI_OK,
	      "activate a fresh area");
	nsent = 0;
	return s;
}

static void test_immediate(void)
{
	struct shim_cpu *s = new_area();

	shim_mmu_notify(NULL, VMI_CALL_SET_PTE, 0x1000, 0x2003);
	CHECK(nsent == 1 && sent[0].nr == VMI_HC_MMU && sent[0].a0 == VMI_CALL_SET_PTE &&
	      sent[0].a1 == 0x1000 && sent[0].a2 == 0x2003,
	      "before activate an update is sent at once as MMU(call, arg0, arg1)");
	shim_mmu_notify(s, VMI_CALL_ALLOC_PTE, 77, 0);
	CHECK(nsent == 2 && sent[1].nr == VMI_HC_MMU && sent[1].a0 == VMI_CALL_ALLOC_PTE &&
	      sent[1].a1 == 77 && s->count == 0,
	      "outside deferred mode an update is sent at once");
	free(s);
}

static void test_batch_on_lowering(void)
{
	struct shim_cpu *s = new_area();

	CHECK(shim_set_mode(s, VMI_DEFER_MMU) == VMI_OK && nsent == 0,
	      "raising the mode sends nothing");
	for (uint64_t i = 0; i < 5; i++)
		shim_mmu_notify(s, VMI_CALL_SET_PTE + (uint32_t)(i % 2), 0x1000 + 8 * i, i);
	CHECK(nsent == 0 && s->count == 5, "deferred updates are queued (%d sent)", nsent);
	CHECK(shim_set_mode(s, VMI_DEFER_NONE) == VMI_OK, "lowering the mode succeeds");
	CHECK(nsent == 1 && sent[0].nr == VMI_HC_MMU_BATCH && sent[0].a1 == 5 &&
	      sent[0].a0 == (uint64_t)(uintptr_t)s->queue,
	      "lowering the mode sends one MMU_BATCH(records_va, 5)");
	CHECK(sent[0].a0 % 8 == 0, "records_va is 8-byte aligned");
	for (uint32_t i = 0; i < 5; i++)
		CHECK(sent[0].records[i].call == VMI_CALL_SET_PTE + i % 2 &&
		      sent[0].records[i].arg0 == 0x1000 + 8 * i &&
		      sent[0].records[i].arg1 == i && sent[0].records[i].reserved == 0,
		      "record %u keeps call, order and arguments", i);
	CHECK(s->count == 0 && s->common.deferred_mode == VMI_DEFER_NONE,
	      "queue empty and mode NONE afterwards");
	free(s);
}

static void test_flush_points(void)
{
	struct shim_cpu *s = new_area();

	shim_queue_flush(s);
	CHECK(nsent == 0, "flushing an empty queue sends nothing");
	shim_set_mode(s, VMI_DEFER_MMU);
	shim_mmu_notify(s, VMI_CALL_PTE_CLEAR, 0x2000, 0);
	shim_queue_flush(s);
	CHECK(nsent == 1 && sent[0].a1 == 1 && s->common.deferred_mode == VMI_DEFER_MMU,
	      "an explicit flush sends the queue and keeps the mode");
	shim_set_mode(s, VMI_DEFER_MMU | VMI_DEFER_CPU);
	shim_mmu_notify(s, VMI_CALL_PTE_CLEAR, 0x2008, 0);
	CHECK(nsent == 1 && s->count == 1, "adding a mode bit flushes nothing");
	shim_set_mode(s, VMI_DEFER_MMU);
	CHECK(nsent == 2 && s->count == 0, "clearing any bit flushes everything pending");
	shim_mmu_notify(s, VMI_CALL_PTE_CLEAR, 0x2010, 0);
	CHECK(shim_set_mode(s, 0x80) == VMI_E_INVAL && nsent == 2 && s->count == 1 &&
	      s->common.deferred_mode == VMI_DEFER_MMU,
	      "unknown mode bits: INVAL, nothing flushed, mode unchanged");
	CHECK(shim_set_mode(NULL, VMI_DEFER_MMU) == VMI_E_STATE,
	      "set_deferred_mode before activate: STATE");
	free(s);
}

static void test_full_queue(void)
{
	struct shim_cpu *s = new_area();
	const int updates = 1000;
	int batches = 0;

	shim_set_mode(s, VMI_DEFER_MMU);
	for (int i = 0; i < SHIM_QUEUE_CAPACITY - 1; i++)
		shim_mmu_notify(s, VMI_CALL_SET_PMD, (uint64_t)i, 0);
	CHECK(nsent == 0, "a queue one short of full sends nothing");
	shim_mmu_notify(s, VMI_CALL_SET_PMD, 9999, 0);
	CHECK(nsent == 1 && sent[0].a1 == SHIM_QUEUE_CAPACITY &&
	      sent[0].records[SHIM_QUEUE_CAPACITY - 1].arg0 == 9999,
	      "the record that fills the queue goes out in a batch of %d",
	      SHIM_QUEUE_CAPACITY);
	nsent = 0;
	for (int i = 0; i < updates; i++)
		shim_mmu_notify(s, VMI_CALL_SET_PTE, (uint64_t)i, 0);
	shim_set_mode(s, VMI_DEFER_NONE);
	for (int i = 0; i < nsent; i++)
		batches += sent[i].nr == VMI_HC_MMU_BATCH;
	CHECK(batches == nsent && nsent == (updates + SHIM_QUEUE_CAPACITY - 1) /
	      SHIM_QUEUE_CAPACITY, "%d deferred updates took %d hypercalls", updates, nsent);
	printf("count: %d deferred updates -> %d hypercalls (%d without deferral)\n",
	       updates, nsent, updates);
	free(s);
}

static void test_activate(void)
{
	struct shim_cpu *s = new_area();
	char *raw = (char *)s;

	CHECK(vmi_rom_cpu_activate(NULL, 0, 0, NULL) == VMI_OK,
	      "a ROM without a data area accepts any activate");
	CHECK(vmi_rom_cpu_activate(NULL, 0, SHIM_DATA_AREA_SIZE, NULL) == VMI_E_INVAL,
	      "null data area: INVAL");
	CHECK(vmi_rom_cpu_activate((void *)(raw + 64), 0, SHIM_DATA_AREA_SIZE, raw + 64) ==
	      VMI_E_INVAL, "misaligned data area: INVAL");
	memset(s, 0, sizeof(*s));
	CHECK(vmi_rom_cpu_activate(&s->common, 1, SHIM_DATA_AREA_SIZE, NULL) == VMI_E_INVAL,
	      "data area not what the %%gs slot holds: INVAL");
	CHECK(vmi_rom_cpu_from_slot(s) == NULL, "no state before activate");
	CHECK(vmi_rom_cpu_activate(&s->common, 1, SHIM_DATA_AREA_SIZE, s) == VMI_OK &&
	      s->common.cpu == 1 && vmi_rom_cpu_from_slot(s) == &s->common,
	      "activate records the cpu and the area becomes current");
	CHECK(vmi_rom_cpu_activate(&s->common, 1, SHIM_DATA_AREA_SIZE, s) == VMI_E_STATE,
	      "second activate without re-zeroing: STATE");
	memset(s, 0, sizeof(*s));
	CHECK(vmi_rom_cpu_activate(&s->common, 1, SHIM_DATA_AREA_SIZE, s) == VMI_OK,
	      "activate after re-zeroing: OK");
	CHECK(vmi_rom_cpu_set_mode(&s->common, VMI_DEFER_CPU) == VMI_OK &&
	      s->common.deferred_mode == VMI_DEFER_CPU, "mode reads back");
	free(s);
}

static void test_rtc(void)
{
	static const struct vmi_rom_rtc_time dates[] = {
		{ 1970, 1, 1, 0, 0, 0 }, { 1999, 12, 31, 23, 59, 59 },
		{ 2000, 2, 29, 12, 0, 0 }, { 2000, 3, 1, 0, 0, 1 },
		{ 2024, 2, 29, 6, 30, 15 }, { 2026, 11, 21, 13, 55, 0 },
		{ 2100, 3, 1, 0, 0, 0 },
	};

	for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
		const struct vmi_rom_rtc_time *d = &dates[i];
		struct tm tm = { .tm_year = (int)d->year - 1900, .tm_mon = (int)d->month - 1,
				 .tm_mday = (int)d->day, .tm_hour = (int)d->hour,
				 .tm_min = (int)d->minute, .tm_sec = (int)d->second };
		uint64_t want = (uint64_t)timegm(&tm);

		CHECK(vmi_rom_rtc_to_unix(d) == want, "%04u-%02u-%02u %02u:%02u:%02u -> %llu",
		      d->year, d->month, d->day, d->hour, d->minute, d->second,
		      (unsigned long long)want);
	}
}

int main(void)
{
	test_immediate();
	test_batch_on_lowering();
	test_flush_points();
	test_full_queue();
	test_activate();
	test_rtc();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
