/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The KVM ROM's per-CPU state and the few pieces of KVM's guest ABI it
 * uses. KVM's numbers (CPUID leaves, feature bits, MSRs, hypercalls) come
 * from the kernel's uapi headers; only the pvclock layouts, which the uapi
 * headers do not export, are spelled out here, as KVM documents them
 * (Documentation/virt/kvm/x86/msr.rst).
 */
#ifndef KVM_ROM_H
#define KVM_ROM_H

#include "vmi_rom.h"

/* Bytes of per-CPU data area the guest allocates (struct kvm_rom_cpu). */
#define KVM_DATA_AREA_SIZE 256

/*
 * What this CPU uses instead of the native path (kvm_rom_cpu.in_use).
 * Every accelerated entry tests its bit and falls back to the native
 * operation when it is clear, so a missing KVM feature costs nothing but
 * the test.
 */
#define KVM_ROM_USE_CLOCK	 0x01	/* kvmclock: frequency, wall clock */
#define KVM_ROM_USE_FREQ_LEAF	 0x02	/* CPUID 0x40000010 names the TSC kHz */
#define KVM_ROM_USE_PV_TLB_FLUSH 0x04	/* flush a preempted vCPU on entry */
#define KVM_ROM_USE_PV_EOI	 0x08	/* end of interrupt without an exit */
#define KVM_ROM_USE_STEAL_TIME	 0x10	/* steal time and preemption flags */
#define KVM_ROM_USE_SEND_IPI	 0x20	/* multi-destination IPI hypercall */
#define KVM_ROM_USE_KICK	 0x40	/* PV unhalt: spin-wait and kick */
#define KVM_ROM_USE_SCHED_YIELD	 0x80	/* yield to a preempted vCPU */

/* Offsets for the assembler entries; asserted against the struct below. */
#define KVM_CPU_OFF_IN_USE 0x1c
#define KVM_CPU_OFF_PV_EOI 0x28
#define KVM_CPU_OFF_AMD	   0x2c

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

/* KVM's per-vCPU time record (MSR_KVM_SYSTEM_TIME_NEW). */
struct kvm_rom_pvclock_time {
	uint32_t version;		/* odd while KVM updates the record */
	uint32_t pad0;
	uint64_t tsc_timestamp;
	uint64_t system_time;		/* ns at tsc_timestamp */
	uint32_t tsc_to_system_mul;	/* ns = (tsc << shift) * mul >> 32 */
	int8_t tsc_shift;
	uint8_t flags;
	uint8_t pad[2];
};

/* KVM's wall clock at system time 0 (MSR_KVM_WALL_CLOCK_NEW). */
struct kvm_rom_pvclock_wall {
	uint32_t version;
	uint32_t sec;
	uint32_t nsec;
};

/* KVM's steal-time record (struct kvm_steal_time, 64 bytes). */
struct kvm_rom_steal_time {
	uint64_t steal;
	uint32_t version;
	uint32_t flags;
	uint8_t preempted;
	uint8_t pad[47];
};

struct kvm_rom_cpu {
	struct vmi_rom_cpu common;	/* must come first: activate, mode */
	uint32_t kvm_features;		/* CPUID 0x40000001 eax; 0 off KVM */
	uint32_t kvm_max_leaf;		/* highest KVM CPUID leaf */
	uint32_t offered;		/* KVM_ROM_USE_* KVM offers */
	uint32_t in_use;		/* KVM_ROM_USE_* this CPU uses now */
	uint64_t area_pa;		/* guest-physical address; 0: unknown */
	uint32_t pv_eoi;		/* KVM sets bit 0: the EOI may be skipped */
	uint8_t amd;			/* the hypercall instruction is vmmcall */
	uint8_t pad0[3];
	struct kvm_rom_pvclock_wall wall;
	uint32_t kvm_hints;		/* CPUID 0x40000001 edx */
	struct kvm_rom_pvclock_time time __attribute__((aligned(64)));
	struct kvm_rom_steal_time steal __attribute__((aligned(64)));
};

_Static_assert(sizeof(struct kvm_rom_cpu) <= KVM_DATA_AREA_SIZE,
	       "grow KVM_DATA_AREA_SIZE");
_Static_assert(offsetof(struct kvm_rom_cpu, in_use) == KVM_CPU_OFF_IN_USE,
	       "KVM_CPU_OFF_IN_USE");
_Static_assert(offsetof(struct kvm_rom_cpu, pv_eoi) == KVM_CPU_OFF_PV_EOI,
	       "KVM_CPU_OFF_PV_EOI");
_Static_assert(offsetof(struct kvm_rom_cpu, amd) == KVM_CPU_OFF_AMD,
	       "KVM_CPU_OFF_AMD");
_Static_assert(sizeof(struct kvm_rom_steal_time) == 64, "kvm_steal_time is 64 bytes");

/* Registers what needs the area's physical address (kvm_calls.c). */
int64_t kvm_use_area_pa(struct kvm_rom_cpu *k, uint64_t pa);

/* Another CPU's preemption and PV TLB flush (kvm_preempt.c; host-tested). */
uint64_t kvm_vcpu_preempted(void *data_area);
uint64_t kvm_flush_tlb_preempted(void *data_area);

/* pvclock arithmetic (kvm_clock.c; pure, host-tested). */
uint64_t kvm_pvclock_scale(uint64_t delta, uint32_t mul, int8_t shift);
uint64_t kvm_pvclock_hz(uint32_t mul, int8_t shift);
void kvm_pvclock_wall_add(uint32_t wall_sec, uint32_t wall_nsec, uint64_t now_ns,
			  struct vmi_wallclock *out);

#ifndef VMI_ROM_HOST_TEST
/* A consistent read of the time record: ns since KVM's clock started. */
int kvm_pvclock_read(const volatile struct kvm_rom_pvclock_time *t,
		     uint64_t *ns, uint32_t *mul, int8_t *shift);

static inline struct kvm_rom_cpu *kvm_rom_this_cpu(void)
{
	return (struct kvm_rom_cpu *)vmi_rom_this_cpu();
}

static inline void kvm_wrmsr(uint32_t msr, uint64_t value)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)value),
			 "d"((uint32_t)(value >> 32)) : "memory");
}

/* KVM's hypercall: number in rax, arguments in rbx, rcx, rdx, rsi. */
static inline int64_t kvm_hypercall(const struct kvm_rom_cpu *k, uint64_t nr,
				    uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	int64_t ret;

	if (k->amd)
		__asm__ volatile("vmmcall" : "=a"(ret)
				 : "a"(nr), "b"(a0), "c"(a1), "d"(a2), "S"(a3) : "memory");
	else
		__asm__ volatile("vmcall" : "=a"(ret)
				 : "a"(nr), "b"(a0), "c"(a1), "d"(a2), "S"(a3) : "memory");
	return ret;
}
#endif /* VMI_ROM_HOST_TEST */

#endif /* __ASSEMBLER__ */

#endif /* KVM_ROM_H */
