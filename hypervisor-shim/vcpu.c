// SPDX-License-Identifier: GPL-2.0 OR MIT
/* One thread per vCPU: KVM_RUN, and the exits the shim handles itself. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include <vmi/vmi_hypercall.h>

#include "exit_status.h"
#include "layout.h"
#include "ports.h"
#include "shim.h"

/* The signal that kicks a vCPU thread out of KVM_RUN when the VM ends. */
#define KICK_SIGNAL SIGUSR1

static __thread struct kvm_run *running;

static void on_kick(int signal)
{
	(void)signal;
	if (running)
		running->immediate_exit = 1;
}

void vm_request_exit(struct shim_vm *vm, int status, const char *reason)
{
	pthread_mutex_lock(&vm->exit_lock);
	if (!vm->exiting) {
		vm->exiting = true;
		vm->exit_status = status;
		vm->exit_reason = reason;
		pthread_cond_broadcast(&vm->exit_cond);
	}
	pthread_mutex_unlock(&vm->exit_lock);
	console_stop(&vm->console);	/* no vCPU waits for a reader any more */
}

static bool vm_is_exiting(struct shim_vm *vm)
{
	bool exiting;

	pthread_mutex_lock(&vm->exit_lock);
	exiting = vm->exiting;
	pthread_mutex_unlock(&vm->exit_lock);
	return exiting;
}

static void vm_wait_until_exiting(struct shim_vm *vm)
{
	pthread_mutex_lock(&vm->exit_lock);
	while (!vm->exiting)
		pthread_cond_wait(&vm->exit_cond, &vm->exit_lock);
	pthread_mutex_unlock(&vm->exit_lock);
}

static void handle_io(struct shim_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	uint32_t i;

	/*
	 * A hypercall is one "outl %eax, %dx". KVM may hand several elements
	 * of a rep outs over in one exit: refused whole here; an exit of one
	 * element is told apart in hypercall_port.c.
	 */
	if (run->io.port == VMI_HC_PORT && run->io.direction == KVM_EXIT_IO_OUT &&
	    run->io.count != 1) {
		vcpu->stats.string_io_refused++;
		return;
	}
	for (i = 0; i < run->io.count; i++, data += run->io.size) {
		if (run->io.direction == KVM_EXIT_IO_OUT)
			ports_out(vcpu, run->io.port, run->io.size, data);
		else
			ports_in(vcpu, run->io.port, run->io.size, data);
	}
}

static void report_failure(struct shim_vcpu *vcpu, const char *what, unsigned long long detail)
{
	struct kvm_regs regs;

	if (ioctl(vcpu->fd, KVM_GET_REGS, &regs) == 0)
		fprintf(stderr, "vmi-shim: vCPU %d: %s (%#llx) at rip %#llx\n", vcpu->index, what,
			detail, (unsigned long long)regs.rip);
	else
		fprintf(stderr, "vmi-shim: vCPU %d: %s (%#llx)\n", vcpu->index, what, detail);
}

bool vcpu_handle_exit(struct shim_vcpu *vcpu)
{
	struct shim_vm *vm = vcpu->vm;
	struct kvm_run *run = vcpu->run;

	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		handle_io(vcpu);
		return true;
	case KVM_EXIT_MMIO:
		if (!run->mmio.is_write)
			memset(run->mmio.data, 0xff, sizeof(run->mmio.data));
		return true;
	case KVM_EXIT_HLT:
	case KVM_EXIT_INTR:
		return true;
	case KVM_EXIT_SHUTDOWN:
		ports_reset_request(vcpu, SHIM_EXIT_TRIPLE_FAULT, "triple fault");
		return false;
	case KVM_EXIT_SYSTEM_EVENT:
		if (run->system_event.type == KVM_SYSTEM_EVENT_SHUTDOWN)
			vm_request_exit(vm, SHIM_EXIT_POWEROFF, "power-off");
		else
			ports_reset_request(vcpu, SHIM_EXIT_REBOOT, "reset");
		return false;
	case KVM_EXIT_INTERNAL_ERROR:
		report_failure(vcpu, "KVM internal error (emulation failure?)", run->internal.suberror);
		break;
	case KVM_EXIT_FAIL_ENTRY:
		report_failure(vcpu, "VM entry failed", run->fail_entry.hardware_entry_failure_reason);
		break;
	default:
		report_failure(vcpu, "unexpected KVM exit", run->exit_reason);
		break;
	}
	vm_request_exit(vm, SHIM_EXIT_INTERNAL, "vCPU failure");
	return false;
}

static void *vcpu_thread(void *arg)
{
	struct shim_vcpu *vcpu = arg;
	sigset_t kick;

	running = vcpu->run;
	sigemptyset(&kick);
	sigaddset(&kick, KICK_SIGNAL);
	pthread_sigmask(SIG_UNBLOCK, &kick, NULL);
	while (!vm_is_exiting(vcpu->vm)) {
		if (ioctl(vcpu->fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			fprintf(stderr, "vmi-shim: vCPU %d: KVM_RUN: %s\n", vcpu->index, strerror(errno));
			vm_request_exit(vcpu->vm, SHIM_EXIT_INTERNAL, "KVM_RUN failed");
			break;
		}
		vcpu_note_exit(vcpu);
		if (!vcpu_handle_exit(vcpu))
			break;
	}
	vm_wait_until_exiting(vcpu->vm);
	if (vcpu_state_wanted(vcpu->vm->exit_status)) {
		console_drain(&vcpu->vm->console, 500);	/* the guest's last words first */
		vcpu_dump_state(vcpu);
	}
	return NULL;
}

void vcpu_start_all(struct shim_vm *vm)
{
	struct sigaction action = { .sa_handler = on_kick };
	sigset_t kick;
	int i;

	sigaction(KICK_SIGNAL, &action, NULL);	/* no SA_RESTART: KVM_RUN returns */
	/* Only vCPU threads take the kick; they unblock it themselves. */
	sigemptyset(&kick);
	sigaddset(&kick, KICK_SIGNAL);
	pthread_sigmask(SIG_BLOCK, &kick, NULL);
	for (i = 0; i < vm->nr_vcpus; i++)
		if (pthread_create(&vm->vcpu[i].thread, NULL, vcpu_thread, &vm->vcpu[i]) != 0)
			shim_fatal("cannot start the thread of vCPU %d", i);
}

int vm_wait_for_exit(struct shim_vm *vm)
{
	int i;

	vm_wait_until_exiting(vm);
	for (i = 0; i < vm->nr_vcpus; i++)
		pthread_kill(vm->vcpu[i].thread, KICK_SIGNAL);
	for (i = 0; i < vm->nr_vcpus; i++)
		pthread_join(vm->vcpu[i].thread, NULL);
	return vm->exit_status;
}
