/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The KVM ROM's C entries: activation (is this really KVM, and what does
 * it offer), kvmclock time, and the per-call fallback to the native path
 * for whatever KVM does not offer.
 */
#include <asm/kvm_para.h>
#include <linux/kvm_para.h>

#include "kvm_rom.h"

#define CPUID_HYPERVISOR_BIT (1u << 31)	/* CPUID.1:ECX: running under one */
/* KVM mirrors VMware's timing leaf when the TSC frequency is known. */
#define KVM_CPUID_TIMING 0x40000010
/* "AuthenticAMD"/"HygonGenuine" CPUs take vmmcall, Intel vmcall. */
#define CPUID_EBX_AMD 0x68747541	/* "Auth" */
#define CPUID_EBX_HYGON 0x6f677948	/* "Hygo" */

static int cpuid_names_kvm(const uint32_t r[4])
{
	static const char signature[12] = KVM_SIGNATURE;

	for (int i = 0; i < 12; i++)
		if ((uint8_t)(r[1 + i / 4] >> (8 * (i % 4))) != (uint8_t)signature[i])
			return 0;
	return 1;
}

static int kvm_has(const struct kvm_rom_cpu *k, unsigned feature)
{
	return (k->kvm_features >> feature) & 1;
}

/* Features KVM offers that the ROM can use, before any registration. */
static uint32_t kvm_offered(const struct kvm_rom_cpu *k)
{
	uint32_t uses = 0;

	if (kvm_has(k, KVM_FEATURE_CLOCKSOURCE2))
		uses |= KVM_ROM_USE_CLOCK;
	if (k->kvm_max_leaf >= KVM_CPUID_TIMING)
		uses |= KVM_ROM_USE_FREQ_LEAF;
	if (kvm_has(k, KVM_FEATURE_PV_EOI))
		uses |= KVM_ROM_USE_PV_EOI;
	if (kvm_has(k, KVM_FEATURE_STEAL_TIME))
		uses |= KVM_ROM_USE_STEAL_TIME;
	if (kvm_has(k, KVM_FEATURE_PV_SEND_IPI))
		uses |= KVM_ROM_USE_SEND_IPI;
	if (kvm_has(k, KVM_FEATURE_PV_UNHALT))
		uses |= KVM_ROM_USE_KICK;
	if (kvm_has(k, KVM_FEATURE_PV_SCHED_YIELD))
		uses |= KVM_ROM_USE_SCHED_YIELD;
	/* KVM flushes a preempted vCPU's TLB through its steal-time record. */
	if (kvm_has(k, KVM_FEATURE_PV_TLB_FLUSH) && kvm_has(k, KVM_FEATURE_STEAL_TIME) &&
	    !(k->kvm_hints & (1u << KVM_HINTS_REALTIME)))
		uses |= KVM_ROM_USE_PV_TLB_FLUSH;
	return uses;
}

/* Features that need the data area's guest-physical address. */
#define KVM_ROM_USES_PA (KVM_ROM_USE_CLOCK | KVM_ROM_USE_PV_EOI | KVM_ROM_USE_STEAL_TIME | \
			 KVM_ROM_USE_PV_TLB_FLUSH)

static void kvm_detect(struct kvm_rom_cpu *k)
{
	uint32_t r[4];

	vmi_cpuid(1, 0, r);
	if (!(r[2] & CPUID_HYPERVISOR_BIT))
		return;		/* hardware: leaf 0x40000000 means nothing */
	vmi_cpuid(KVM_CPUID_SIGNATURE, 0, r);
	if (!cpuid_names_kvm(r))
		return;
	k->kvm_max_leaf = r[0] ? r[0] : KVM_CPUID_FEATURES;	/* old KVM: 0 */
	vmi_cpuid(KVM_CPUID_FEATURES, 0, r);
	k->kvm_features = r[0];
	k->kvm_hints = r[3];
	vmi_cpuid(0, 0, r);
	k->amd = r[1] == CPUID_EBX_AMD || r[1] == CPUID_EBX_HYGON;
	k->offered = kvm_offered(k);
	k->in_use = k->offered & ~KVM_ROM_USES_PA;
}

int64_t kvm_activate(void *data_area, uint32_t cpu)
{
	int64_t ret = vmi_rom_cpu_activate(data_area, cpu, KVM_DATA_AREA_SIZE,
					   vmi_rom_gs_slot());

	if (ret == VMI_OK)
		kvm_detect(data_area);
	return ret;
}

/*
 * Registers kvmclock at pa + its offset and checks that KVM wrote a
 * record there: a pa that is not this area shows as an empty record.
 */
static int kvm_register_clock(struct kvm_rom_cpu *k, uint64_t pa)
{
	uint64_t ns;
	uint32_t mul;
	int8_t shift;

	kvm_wrmsr(MSR_KVM_SYSTEM_TIME_NEW,
		  (pa + offsetof(struct kvm_rom_cpu, time)) | KVM_MSR_ENABLED);
	if (kvm_pvclock_read(&k->time, &ns, &mul, &shift) == 0)
		return 1;
	kvm_wrmsr(MSR_KVM_SYSTEM_TIME_NEW, 0);
	return 0;
}

/*
 * Turns on what needs the area's guest-physical address: kvmclock, steal
 * time, PV EOI. VMI_E_INVAL when pa is misaligned, differs from the
 * address already registered, or KVM's clock record did not appear in
 * this area (pa names other memory).
 */
int64_t kvm_use_area_pa(struct kvm_rom_cpu *k, uint64_t pa)
{
	if (pa == 0 || pa % VMI_DATA_AREA_ALIGN)
		return VMI_E_INVAL;
	if (k->area_pa)		/* already registered: KVM writes there */
		return pa == k->area_pa ? VMI_OK : VMI_E_INVAL;
	if ((k->offered & KVM_ROM_USE_CLOCK) && !(k->in_use & KVM_ROM_USE_CLOCK)) {
		if (!kvm_register_clock(k, pa))
			return VMI_E_INVAL;
		k->in_use |= KVM_ROM_USE_CLOCK;
	}
	k->area_pa = pa;
	if ((k->offered & KVM_ROM_USE_STEAL_TIME) && !(k->in_use & KVM_ROM_USE_STEAL_TIME)) {
		kvm_wrmsr(MSR_KVM_STEAL_TIME,
			  (pa + offsetof(struct kvm_rom_cpu, steal)) | KVM_MSR_ENABLED);
		k->in_use |= KVM_ROM_USE_STEAL_TIME;
		k->in_use |= k->offered & KVM_ROM_USE_PV_TLB_FLUSH;
	}
	if ((k->offered & KVM_ROM_USE_PV_EOI) && !(k->in_use & KVM_ROM_USE_PV_EOI)) {
		kvm_wrmsr(MSR_KVM_PV_EOI_EN,
			  (pa + offsetof(struct kvm_rom_cpu, pv_eoi)) | KVM_PV_EOI_ENABLED);
		k->in_use |= KVM_ROM_USE_PV_EOI;
	}
	return VMI_OK;
}

uint64_t kvm_get_cycle_frequency(void)
{
	struct kvm_rom_cpu *k = kvm_rom_this_cpu();
	uint64_t hz = 0, ns;
	uint32_t mul, r[4];
	int8_t shift;

	if (k && (k->in_use & KVM_ROM_USE_CLOCK) &&
	    kvm_pvclock_read(&k->time, &ns, &mul, &shift) == 0)
		hz = kvm_pvclock_hz(mul, shift);
	if (!hz && k && (k->in_use & KVM_ROM_USE_FREQ_LEAF)) {
		vmi_cpuid(KVM_CPUID_TIMING, 0, r);
		hz = (uint64_t)r[0] * 1000;	/* eax: TSC kHz */
	}
	return hz ? hz : vmi_rom_native_cycle_frequency();
}

/* Wall clock at KVM's time zero, plus kvmclock now. */
static int kvm_wallclock(struct kvm_rom_cpu *k, struct vmi_wallclock *out)
{
	volatile struct kvm_rom_pvclock_wall *wall = &k->wall;
	uint32_t version, sec, nsec, mul;
	uint64_t now;
	int8_t shift;

	kvm_wrmsr(MSR_KVM_WALL_CLOCK_NEW, k->area_pa + offsetof(struct kvm_rom_cpu, wall));
	version = wall->version;
	__asm__ volatile("" ::: "memory");
	sec = wall->sec;
	nsec = wall->nsec;
	__asm__ volatile("" ::: "memory");
	if ((version & 1) || version != wall->version || nsec >= 1000000000u)
		return 0;	/* KVM writes it during the wrmsr: never torn */
	if (kvm_pvclock_read(&k->time, &now, &mul, &shift) != 0)
		return 0;
	kvm_pvclock_wall_add(sec, nsec, now, out);
	return 1;
}

int64_t kvm_get_wallclock(struct vmi_wallclock *out)
{
	struct kvm_rom_cpu *k = kvm_rom_this_cpu();

	if (!out)
		return VMI_E_INVAL;
	if (k && (k->in_use & KVM_ROM_USE_CLOCK) && kvm_wallclock(k, out))
		return VMI_OK;
	return vmi_rom_native_wallclock(out);
}
