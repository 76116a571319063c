/*
 * The GOOD_DEFER control's flush points: each drains the queued stores,
 * then does the native operation. With these the deferring set_pte is
 * correct, and the suite's deferred case must pass. broken.c is included
 * rather than linked so that it is built with GOOD_DEFER defined.
 */
#define GOOD_DEFER 1
#include "broken.c"

#define X86_CR4_PGE 0x80

static void drain(void)
{
	broken_drain(broken_this_cpu());
}

void broken_flush_deferred(void)
{
	drain();
}

void broken_invlpg(uint64_t va)
{
	drain();
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

void broken_flush_tlb_user(void)
{
	uint64_t cr3;

	drain();
	__asm__ volatile("mov %%cr3, %0; mov %0, %%cr3" : "=r"(cr3) : : "memory");
}

static void toggle_pge(void)
{
	uint64_t cr4;

	drain();
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4 ^ X86_CR4_PGE) : "memory");
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4) : "memory");
}

void broken_flush_tlb_kernel(void)
{
	toggle_pge();
}

void broken_flush_tlb_all(void)
{
	toggle_pge();
}

void broken_write_cr3(uint64_t value)
{
	drain();
	__asm__ volatile("mov %0, %%cr3" : : "r"(value) : "memory");
}

void broken_write_cr4(uint64_t value)
{
	drain();
	__asm__ volatile("mov %0, %%cr4" : : "r"(value) : "memory");
}
