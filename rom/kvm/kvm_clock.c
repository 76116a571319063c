/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * kvmclock arithmetic: KVM describes the TSC by a 32.32 fixed-point
 * multiplier and a power-of-two shift that turn cycles into nanoseconds.
 * The cycle frequency and the wall clock follow from that record with no
 * calibration. The pure functions are also compiled for host unit tests.
 */
#include "kvm_rom.h"

#define NSEC_PER_SEC 1000000000ULL

/* Cycles to nanoseconds, as KVM defines the record (pvclock_scale_delta). */
uint64_t kvm_pvclock_scale(uint64_t delta, uint32_t mul, int8_t shift)
{
	if (shift < 0)
		delta >>= -shift;
	else
		delta <<= shift;
	return (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

/* The TSC frequency the record encodes: 1e9 * 2^32 / mul, undone shift. */
uint64_t kvm_pvclock_hz(uint32_t mul, int8_t shift)
{
	uint64_t hz;

	if (mul == 0 || shift > 31 || shift < -31)
		return 0;	/* no record, or one no TSC could have */
	hz = (NSEC_PER_SEC << 32) / mul;
	if (shift < 0)
		return hz > (UINT64_MAX >> -shift) ? 0 : hz << -shift;
	return hz >> shift;
}

void kvm_pvclock_wall_add(uint32_t wall_sec, uint32_t wall_nsec, uint64_t now_ns,
			  struct vmi_wallclock *out)
{
	uint64_t ns = (uint64_t)wall_nsec + now_ns;

	out->sec = (uint64_t)wall_sec + ns / NSEC_PER_SEC;
	out->nsec = (uint32_t)(ns % NSEC_PER_SEC);
	out->reserved = 0;
}

#ifndef VMI_ROM_HOST_TEST
/* KVM never leaves the record odd while the vCPU runs; bound it anyway. */
#define PVCLOCK_MAX_TRIES 1000

/*
 * KVM bumps version to odd before it rewrites the record and to even
 * after, so a read between two equal even versions is consistent.
 * Returns 0 and fills *ns, *mul, *shift; -1 when no consistent read came.
 */
int kvm_pvclock_read(const volatile struct kvm_rom_pvclock_time *t,
		     uint64_t *ns, uint32_t *mul, int8_t *shift)
{
	for (int i = 0; i < PVCLOCK_MAX_TRIES; i++) {
		uint32_t version = t->version;

		__asm__ volatile("" ::: "memory");
		*mul = t->tsc_to_system_mul;
		*shift = t->tsc_shift;
		*ns = t->system_time +
		      kvm_pvclock_scale(vmi_rdtsc() - t->tsc_timestamp, *mul, *shift);
		__asm__ volatile("" ::: "memory");
		if (!(version & 1) && version == t->version && *mul)
			return 0;
		vmi_pause();
	}
	return -1;
}
#endif
