/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Freestanding C helpers for VMI ROM code: port I/O, CPU state, the per-CPU
 * data area. Everything here is ring-0 x86-64 code without libc.
 *
 * Rules for ROM C code (the build enforces what it can):
 *   - no writable globals: state lives in the per-CPU data area;
 *   - no FPU/SSE (-mgeneral-regs-only), no red zone (interrupts share the
 *     kernel stack), bounded stack (-Wstack-usage, see rom/README.md);
 *   - no absolute addresses: the guest runs the image wherever it copied it.
 */
#ifndef VMI_ROM_H
#define VMI_ROM_H

#include <vmi/vmi_abi.h>

/* Architectural: toggling CR4.PGE flushes global TLB entries too. */
#define X86_CR4_PGE 0x80

/* Size of struct vmi_rom_cpu: the data area of a ROM with no other state. */
#define VMI_ROM_CPU_AREA_SIZE 16

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

/*
 * Every data area starts with this; a ROM's own state follows it.
 * The guest hands over a zeroed area, so magic == 0 means "not activated".
 */
struct vmi_rom_cpu {
	uint64_t magic;
	uint32_t cpu;
	uint32_t deferred_mode;		/* VMI_DEFER_* bits last set */
};

_Static_assert(sizeof(struct vmi_rom_cpu) == VMI_ROM_CPU_AREA_SIZE,
	       "VMI_ROM_CPU_AREA_SIZE");

#define VMI_ROM_CPU_MAGIC 0x6576697463416d76ULL	/* "vmActive" */
#define VMI_ROM_DEFER_KNOWN (VMI_DEFER_MMU | VMI_DEFER_CPU)

/*
 * activate for an area of area_size bytes; gs_slot is what the guest holds
 * at %gs:VMI_PERCPU_GS_SLOT. Returns VMI_OK, VMI_E_INVAL or VMI_E_STATE.
 */
int64_t vmi_rom_cpu_activate(struct vmi_rom_cpu *area, uint32_t cpu,
			     uint32_t area_size, const void *gs_slot);

/* The activated area named by gs_slot, or NULL before activate. */
struct vmi_rom_cpu *vmi_rom_cpu_from_slot(const void *gs_slot);

/* set_deferred_mode bookkeeping: VMI_OK or VMI_E_INVAL for unknown bits. */
int64_t vmi_rom_cpu_set_mode(struct vmi_rom_cpu *cpu, uint32_t mode);

#ifndef VMI_ROM_HOST_TEST

/* What the guest keeps at %gs:VMI_PERCPU_GS_SLOT. */
static inline void *vmi_rom_gs_slot(void)
{
	void *slot;

	__asm__ volatile("mov %%gs:%c1, %0" : "=r"(slot) : "i"(VMI_PERCPU_GS_SLOT));
	return slot;
}

static inline struct vmi_rom_cpu *vmi_rom_this_cpu(void)
{
	return vmi_rom_cpu_from_slot(vmi_rom_gs_slot());
}

static inline uint8_t vmi_inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void vmi_outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void vmi_outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void vmi_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

static inline uint64_t vmi_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* Disables interrupts and returns the previous RFLAGS. */
static inline uint64_t vmi_irq_save(void)
{
	uint64_t flags;

	__asm__ volatile("pushf; pop %0; cli" : "=r"(flags) : : "memory");
	return flags;
}

static inline void vmi_irq_restore(uint64_t flags)
{
	__asm__ volatile("push %0; popf" : : "r"(flags) : "memory", "cc");
}

static inline void vmi_pause(void)
{
	__asm__ volatile("pause");
}

/* Halts forever with interrupts disabled. */
static inline __attribute__((noreturn)) void vmi_halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* activate and the deferred-mode calls of a ROM that defers nothing. */
int64_t vmi_rom_basic_activate(void *data_area, uint32_t cpu);
int64_t vmi_rom_basic_set_deferred_mode(uint32_t mode);
uint64_t vmi_rom_basic_get_deferred_mode(void);

/* Native helpers shared by ROMs (rom/sdk/lib/). */
uint64_t vmi_rom_native_cycle_frequency(void);
int64_t vmi_rom_native_wallclock(struct vmi_wallclock *out);
__attribute__((noreturn)) void vmi_rom_native_reboot(void);
__attribute__((noreturn)) void vmi_rom_native_shutdown(void);

#endif /* VMI_ROM_HOST_TEST */

/* CMOS date and time to seconds since the epoch (pure; host-tested). */
struct vmi_rom_rtc_time {
	unsigned year, month, day, hour, minute, second;
};
uint64_t vmi_rom_rtc_to_unix(const struct vmi_rom_rtc_time *t);

#endif /* __ASSEMBLER__ */

#endif /* VMI_ROM_H */
