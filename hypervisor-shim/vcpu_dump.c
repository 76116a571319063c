// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * What a vCPU was doing when the VM ended badly (triple fault, internal
 * error, stopped by a signal because it hung): one line per vCPU on stderr,
 * enough to find the guest function with the kernel's System.map or addr2line.
 */
#include <inttypes.h>
#include <stdio.h>
#include <sys/ioctl.h>

#include "exit_status.h"
#include "gmem.h"
#include "shim.h"

#define EFER_LMA (1ULL << 10)
#define CR0_PG (1ULL << 31)
#define CODE_BYTES 16
#define RESET_RIP 0xfff0
#define RESET_CS 0xf000

bool vcpu_state_wanted(int exit_status)
{
	return exit_status == SHIM_EXIT_TRIPLE_FAULT || exit_status == SHIM_EXIT_INTERNAL ||
	       exit_status == SHIM_EXIT_STOPPED;
}

static const char *mp_state_name(uint32_t state)
{
	switch (state) {
	case KVM_MP_STATE_RUNNABLE:
		return "runnable";
	case KVM_MP_STATE_UNINITIALIZED:
		return "waiting-for-init";
	case KVM_MP_STATE_INIT_RECEIVED:
		return "init-received";
	case KVM_MP_STATE_HALTED:
		return "halted";
	case KVM_MP_STATE_SIPI_RECEIVED:
		return "sipi-received";
	default:
		return "other";
	}
}

/* The bytes at rip, as hex, or "?" when rip does not translate to RAM. */
static void code_at_rip(struct shim_vcpu *vcpu, const struct kvm_sregs *sregs, uint64_t rip,
			char *out, size_t size)
{
	struct gmem_mmu mmu = {
		.cr3 = sregs->cr3,
		.paging = (sregs->cr0 & CR0_PG) != 0,
		.long_mode = (sregs->efer & EFER_LMA) != 0,
	};
	uint8_t code[CODE_BYTES];
	size_t used = 0;
	int i;

	snprintf(out, size, "?");
	if (gmem_read_virt(&vcpu->vm->mem, &mmu, rip, code, sizeof(code)) != 0)
		return;
	for (i = 0; i < CODE_BYTES && used + 2 < size; i++)
		used += (size_t)snprintf(out + used, size - used, "%02x", code[i]);
}

/* Called on the vCPU's own thread after it has left KVM_RUN for good. */
void vcpu_dump_state(struct shim_vcpu *vcpu)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct kvm_mp_state mp = { 0 };
	struct kvm_vcpu_events events = { 0 };
	char code[2 * CODE_BYTES + 1];

	if (ioctl(vcpu->fd, KVM_GET_REGS, &regs) < 0 || ioctl(vcpu->fd, KVM_GET_SREGS, &sregs) < 0) {
		fprintf(stderr, "vmi-shim: vCPU %d: state unavailable\n", vcpu->index);
		return;
	}
	ioctl(vcpu->fd, KVM_GET_MP_STATE, &mp);
	ioctl(vcpu->fd, KVM_GET_VCPU_EVENTS, &events);
	/* AMD's KVM re-INITs a vCPU after a shutdown: its state is gone. */
	if (regs.rip == RESET_RIP && sregs.cs.selector == RESET_CS) {
		fprintf(stderr, "vmi-shim: vCPU %d reset: at the reset vector, state lost\n",
			vcpu->index);
		return;
	}
	code_at_rip(vcpu, &sregs, regs.rip, code, sizeof(code));
	fprintf(stderr,
		"vmi-shim: vCPU %d %s: rip %#llx rsp %#llx rflags %#llx cs %#x cr0 %#llx cr2 %#llx "
		"cr3 %#llx cr4 %#llx efer %#llx exception %s%u irq %s%u nmi %s code %s\n",
		vcpu->index, mp_state_name(mp.mp_state), (unsigned long long)regs.rip,
		(unsigned long long)regs.rsp, (unsigned long long)regs.rflags, sregs.cs.selector,
		(unsigned long long)sregs.cr0, (unsigned long long)sregs.cr2,
		(unsigned long long)sregs.cr3, (unsigned long long)sregs.cr4,
		(unsigned long long)sregs.efer, events.exception.injected ? "injected:" : "",
		events.exception.nr, events.interrupt.injected ? "injected:" : "",
		events.interrupt.nr, events.nmi.pending ? "pending" : "none", code);
}
