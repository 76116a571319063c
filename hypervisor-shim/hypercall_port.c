// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The hypercall transport on a KVM I/O exit: arguments from the vCPU's
 * registers, the result into its rax, statistics and the VM-ending actions.
 * The decoding and every check live in hypercall.c.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "exit_status.h"
#include "ports.h"
#include "shim.h"

#define CR0_PG (1ULL << 31)
#define CR0_WP (1ULL << 16)
#define EFER_LMA (1ULL << 10)
/* "out %eax, %dx", the string OUTs (outsb; outsw/outsd), the longest instruction. */
#define OPCODE_OUT_EAX_DX 0xef
#define OPCODE_OUTSB 0x6e
#define OPCODE_OUTS 0x6f
#define MAX_INSN_BYTES 15

static void fill_env(struct shim_vcpu *vcpu, const struct kvm_sregs *sregs, struct hc_env *env)
{
	struct shim_vm *vm = vcpu->vm;

	memset(env, 0, sizeof(*env));
	env->mem = vm->mem;
	env->mmu.cr3 = sregs->cr3;
	env->mmu.paging = sregs->cr0 & CR0_PG;
	env->mmu.long_mode = sregs->efer & EFER_LMA;
	env->mmu.write_protect = sregs->cr0 & CR0_WP;
	/* KVM reports the CPL as SS.DPL, on Intel and AMD alike. */
	env->cpl = sregs->ss.dpl;
	env->cpu = (unsigned)vcpu->index;
	env->nr_cpus = (unsigned)vm->nr_vcpus;
	env->tsc_hz = vm->tsc_hz;
	env->state = &vcpu->hc_state;
	env->stats = &vcpu->stats;
	env->audit = vm->audit;
}

/* The vCPU's registers: from kvm_run when KVM syncs them, else by ioctl. */
static bool get_registers(struct shim_vcpu *vcpu, struct kvm_regs *regs, struct kvm_sregs *sregs)
{
	if (vcpu->vm->sync_regs) {
		*regs = vcpu->run->s.regs.regs;
		*sregs = vcpu->run->s.regs.sregs;
		return true;
	}
	return ioctl(vcpu->fd, KVM_GET_REGS, regs) == 0 && ioctl(vcpu->fd, KVM_GET_SREGS, sregs) == 0;
}

static bool set_registers(struct shim_vcpu *vcpu, const struct kvm_regs *regs)
{
	if (vcpu->vm->sync_regs) {
		vcpu->run->s.regs.regs = *regs;
		vcpu->run->kvm_dirty_regs |= KVM_SYNC_X86_REGS;
		return true;
	}
	return ioctl(vcpu->fd, KVM_SET_REGS, regs) == 0;
}

static bool is_prefix(uint8_t byte, bool mode64)
{
	switch (byte) {
	case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:	/* segments */
	case 0x66: case 0x67: case 0xf0: case 0xf2: case 0xf3:
		return true;
	default:
		return mode64 && (byte & 0xf0) == 0x40;	/* REX */
	}
}

/*
 * One byte of the code at linear address la: through the walker the
 * handlers use, or KVM's own translation in the paging modes it does not
 * walk (32-bit and PAE).
 */
static bool code_byte(const struct shim_vcpu *vcpu, const struct hc_env *env, uint64_t la,
		      uint8_t *byte)
{
	struct kvm_translation tr = { .linear_address = la };
	const uint8_t *host;

	if (!env->mmu.paging || env->mmu.long_mode)
		return gmem_read_virt(&env->mem, &env->mmu, la, byte, 1) == VMI_OK;
	if (ioctl(vcpu->fd, KVM_TRANSLATE, &tr) < 0 || !tr.valid)
		return false;
	host = gmem_phys(&env->mem, tr.physical_address, 1);
	if (host)
		*byte = *host;
	return host != NULL;
}

/* The opcode at linear address la, past its prefixes; -1 when it does not translate. */
static int opcode_at(const struct shim_vcpu *vcpu, const struct hc_env *env, uint64_t la,
		     bool mode64)
{
	int i;

	for (i = 0; i < MAX_INSN_BYTES; i++) {
		uint8_t byte;

		if (!code_byte(vcpu, env, la + i, &byte))
			return -1;
		if (!is_prefix(byte, mode64))
			return byte;
	}
	return -1;
}

/*
 * Is this exit the hypercall instruction, "out %eax, %dx"? KVM leaves rip
 * at it (KVM before Linux 5.1: just past it, so the byte before rip is
 * its opcode). outs also exits here, once per element, with memory for
 * data: in the middle of a rep, rip is at the rep outs; after a lone outs
 * or a rep's last element, rip is past it and neither is "out". What
 * slips through is an outs whose data equals %eax right before another
 * "out %eax, %dx": one hypercall, which that instruction makes anyway.
 * The CPL check is the privilege guard; this keeps a rep from multiplying
 * hypercalls.
 */
static bool at_hypercall_instruction(const struct shim_vcpu *vcpu, const struct hc_env *env,
				     const struct kvm_regs *regs, const struct kvm_sregs *sregs)
{
	bool mode64 = env->mmu.long_mode && sregs->cs.l;
	uint64_t linear = mode64 ? regs->rip : (uint32_t)(sregs->cs.base + regs->rip);
	int here = opcode_at(vcpu, env, linear, mode64);
	uint8_t before;

	if (here == OPCODE_OUT_EAX_DX)
		return true;
	if (here < 0 || here == OPCODE_OUTSB || here == OPCODE_OUTS)
		return false;
	return code_byte(vcpu, env, linear - 1, &before) && before == OPCODE_OUT_EAX_DX;
}

void hypercall_from_port(struct shim_vcpu *vcpu, uint32_t nr)
{
	uint64_t start = stats_now_ns();
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct hc_env env;
	struct hc_args args = { .nr = nr };
	int64_t result;

	if (!get_registers(vcpu, &regs, &sregs)) {
		fprintf(stderr, "vmi-shim: reading vCPU %d registers: %s\n", vcpu->index, strerror(errno));
		vm_request_exit(vcpu->vm, SHIM_EXIT_INTERNAL, "KVM_GET_REGS failed");
		return;
	}
	fill_env(vcpu, &sregs, &env);
	/* outsl sends memory, not %eax: no hypercall, no register changes. */
	if ((uint32_t)regs.rax != nr || !at_hypercall_instruction(vcpu, &env, &regs, &sregs)) {
		vcpu->stats.string_io_refused++;
		return;
	}
	args.a[0] = regs.rbx;
	args.a[1] = regs.rcx;
	args.a[2] = regs.rsi;
	args.a[3] = regs.rdi;
	result = hc_dispatch(&env, &args);
	regs.rax = (uint64_t)result;
	if (!set_registers(vcpu, &regs)) {
		fprintf(stderr, "vmi-shim: writing vCPU %d registers: %s\n", vcpu->index, strerror(errno));
		vm_request_exit(vcpu->vm, SHIM_EXIT_INTERNAL, "KVM_SET_REGS failed");
		return;
	}
	stats_record(stats_hypercall_row(&vcpu->stats, nr), stats_now_ns() - start, env.ops, result < 0);
	if (env.action == HC_POWEROFF)
		vm_request_exit(vcpu->vm, SHIM_EXIT_POWEROFF, "SHUTDOWN hypercall");
	else if (env.action == HC_REBOOT)
		ports_reset_request(vcpu, SHIM_EXIT_REBOOT, "REBOOT hypercall");
}
