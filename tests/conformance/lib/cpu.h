/* Native x86-64 instructions the suite compares ROM calls against. */
#ifndef CONF_CPU_H
#define CONF_CPU_H

#include <stdint.h>

#define MSR_GS_BASE 0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102
#define MSR_TSC_AUX 0xc0000103
#define RFLAGS_IF (1ULL << 9)
#define CR4_PGE (1ULL << 7)

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

#define DEFINE_READ_CR(n) \
	static inline uint64_t native_read_cr##n(void) \
	{ uint64_t v; __asm__ volatile("mov %%cr" #n ", %0" : "=r"(v)); return v; }
#define DEFINE_WRITE_CR(n) \
	static inline void native_write_cr##n(uint64_t v) \
	{ __asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory"); }
DEFINE_READ_CR(0)
DEFINE_READ_CR(2)
DEFINE_READ_CR(3)
DEFINE_READ_CR(4)
DEFINE_WRITE_CR(0)
DEFINE_WRITE_CR(2)
DEFINE_WRITE_CR(3)
DEFINE_WRITE_CR(4)

static inline uint64_t native_save_fl(void)
{
	uint64_t f;
	__asm__ volatile("pushfq; popq %0" : "=r"(f) : : "memory");
	return f;
}
static inline void native_irq_disable(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void native_irq_enable(void) { __asm__ volatile("sti" ::: "memory"); }

static inline uint64_t native_rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}
static inline void native_wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}
static inline void native_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}
static inline uint64_t native_rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}
static inline void native_invlpg(uint64_t va) { __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory"); }

struct __attribute__((packed)) native_desc_ptr {
	uint16_t limit;
	uint64_t base;
};
static inline void native_sgdt(struct native_desc_ptr *d) { __asm__ volatile("sgdt %0" : "=m"(*d)); }
static inline void native_sidt(struct native_desc_ptr *d) { __asm__ volatile("sidt %0" : "=m"(*d)); }
static inline uint16_t native_str(void)
{
	uint16_t s;
	__asm__ volatile("str %0" : "=r"(s));
	return s;
}
static inline uint16_t native_sldt(void)
{
	uint16_t s;
	__asm__ volatile("sldt %0" : "=r"(s));
	return s;
}
static inline uint16_t native_read_gs_sel(void)
{
	uint16_t s;
	__asm__ volatile("mov %%gs, %0" : "=r"(s));
	return s;
}
static inline void cpu_relax(void) { __asm__ volatile("pause" ::: "memory"); }

#endif
