// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * What a vCPU was doing when the VM ended badly (triple fault, internal
 * error, stopped by a signal because it hung): one line per vCPU on stderr,
 * enough to find the guest function with the kernel's System.map or addr2line.
 */
#include <inttypes.h>
#include <stdio.h>
#include <sys/ioctl.h>

#include <vmi/vmi_abi.h>

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

void vcpu_note_exit(struct shim_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;

	/* After a shutdown the synced state is already the re-INIT's. */
	if (!vcpu->vm->sync_regs || run->exit_reason == KVM_EXIT_SHUTDOWN)
		return;
	vcpu->last_exit.valid = true;
	vcpu->last_exit.reason = run->exit_reason;
	vcpu->last_exit.rip = run->s.regs.regs.rip;
	vcpu->last_exit.sregs = run->s.regs.sregs;
}

/* The entries a walk of gva through cr3 reads, as the guest's tables hold them now. */
static void print_walk(struct shim_vcpu *vcpu, const char *what, uint64_t cr3, uint64_t gva)
{
	static const char *const names[] = { "pml4e", "pdpte", "pde", "pte" };
	struct gmem_walk walk;
	uint64_t gpa;
	int result = gmem_walk(&vcpu->vm->mem, cr3, gva, &walk, &gpa);
	char line[256];
	size_t used = 0;
	int i;

	for (i = 0; i < walk.levels && used < sizeof(line); i++)
		used += (size_t)snprintf(line + used, sizeof(line) - used, " %s %#" PRIx64,
					 names[i], walk.entry[i]);
	fprintf(stderr, "vmi-shim: vCPU %d: %s %#" PRIx64 " through cr3 %#" PRIx64 ":%s%s\n",
		vcpu->index, what, gva, cr3, walk.levels ? line : " (cr3 outside RAM)",
		result == VMI_OK ? "" : " (no translation)");
}

/*
 * A triple fault means the CPU could not deliver #DF: its IDT, GDT, TSS or
 * stack did not translate. The page walk of the IDT, as the tables are now,
 * tells a table the guest overwrote from one that reads fine here.
 */
static void dump_last_exit(struct shim_vcpu *vcpu)
{
	const struct shim_last_exit *last = &vcpu->last_exit;

	if (!last->valid)
		return;
	fprintf(stderr, "vmi-shim: vCPU %d at its last exit to the shim (KVM exit %u): rip %#"
		PRIx64 " cr3 %#llx idt %#llx gdt %#llx\n", vcpu->index, last->reason, last->rip,
		(unsigned long long)last->sregs.cr3, (unsigned long long)last->sregs.idt.base,
		(unsigned long long)last->sregs.gdt.base);
	if (!(last->sregs.efer & EFER_LMA))
		return;
	print_walk(vcpu, "IDT", last->sregs.cr3, last->sregs.idt.base);
	print_walk(vcpu, "rip", last->sregs.cr3, last->rip);
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
		dump_last_exit(vcpu);
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
