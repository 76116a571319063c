// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The KVM side: VM, guest RAM, in-kernel irqchip and PIT, vCPUs, CPUID. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "layout.h"
#include "shim.h"

/* Intel's real-mode TSS and identity page need three pages KVM owns. */
#define KVM_TSS_GPA 0xfffbd000ULL
#define KVM_IDENTITY_MAP_GPA 0xfffbc000ULL
#define CPUID_MAX_ENTRIES 256
/* A hypercall reads the general and the control registers. */
#define SYNC_REGS_WANTED (KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS)
#define CPUID_HYPERVISOR_BIT (1U << 31)
#define APIC_LVT_LINT0 0x350
#define APIC_LVT_LINT1 0x360
#define APIC_MODE_NMI 0x4
#define APIC_MODE_EXTINT 0x7

static void create_irqchip(struct shim_vm *vm)
{
	struct kvm_pit_config pit = { .flags = KVM_PIT_SPEAKER_DUMMY };
	uint64_t identity_map = KVM_IDENTITY_MAP_GPA;

	if (ioctl(vm->vm_fd, KVM_SET_TSS_ADDR, (unsigned long)KVM_TSS_GPA) < 0)
		shim_fatal("KVM_SET_TSS_ADDR: %s", strerror(errno));
	if (ioctl(vm->vm_fd, KVM_SET_IDENTITY_MAP_ADDR, &identity_map) < 0)
		shim_fatal("KVM_SET_IDENTITY_MAP_ADDR: %s", strerror(errno));
	if (ioctl(vm->vm_fd, KVM_CREATE_IRQCHIP) < 0)
		shim_fatal("KVM_CREATE_IRQCHIP: %s", strerror(errno));
	if (ioctl(vm->vm_fd, KVM_CREATE_PIT2, &pit) < 0)
		shim_fatal("KVM_CREATE_PIT2: %s", strerror(errno));
}

void ram_allocate(struct shim_vm *vm)
{
	void *ram = mmap(NULL, vm->mem.size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (ram == MAP_FAILED)
		shim_usage_error("cannot allocate %llu MiB of guest RAM: %s",
				 (unsigned long long)(vm->mem.size >> 20), strerror(errno));
	vm->mem.ram = ram;
}

static void register_ram(struct shim_vm *vm)
{
	struct kvm_userspace_memory_region region = { 0 };
	void *ram = vm->mem.ram;

	region.slot = 0;
	region.guest_phys_addr = 0;
	region.memory_size = vm->mem.size;
	region.userspace_addr = (uint64_t)(uintptr_t)ram;
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		shim_fatal("KVM_SET_USER_MEMORY_REGION: %s", strerror(errno));
}

void kvm_create_vm(struct shim_vm *vm)
{
	int version;

	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0)
		shim_fatal("cannot open /dev/kvm: %s", strerror(errno));
	version = ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0);
	if (version != KVM_API_VERSION)
		shim_fatal("KVM API version %d, expected %d", version, KVM_API_VERSION);
	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0)
		shim_fatal("KVM_CREATE_VM: %s", strerror(errno));
	vm->run_size = (size_t)ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	vm->sync_regs = (ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_SYNC_REGS) & SYNC_REGS_WANTED) ==
			SYNC_REGS_WANTED;
	create_irqchip(vm);
	register_ram(vm);
}

static struct kvm_cpuid2 *supported_cpuid(struct shim_vm *vm)
{
	struct kvm_cpuid2 *cpuid = calloc(1, sizeof(*cpuid) +
					  CPUID_MAX_ENTRIES * sizeof(struct kvm_cpuid_entry2));

	if (!cpuid)
		shim_fatal("out of memory");
	cpuid->nent = CPUID_MAX_ENTRIES;
	if (ioctl(vm->kvm_fd, KVM_GET_SUPPORTED_CPUID, cpuid) < 0)
		shim_fatal("KVM_GET_SUPPORTED_CPUID: %s", strerror(errno));
	return cpuid;
}

/* The template KVM supports, with this vCPU's APIC ID and the hypervisor bit. */
static void set_vcpu_cpuid(struct shim_vcpu *vcpu, struct kvm_cpuid2 *cpuid)
{
	uint32_t i;

	for (i = 0; i < cpuid->nent; i++) {
		struct kvm_cpuid_entry2 *entry = &cpuid->entries[i];

		switch (entry->function) {
		case 1:
			entry->ebx = (entry->ebx & 0x00ffffff) | ((uint32_t)vcpu->index << 24);
			entry->ecx |= CPUID_HYPERVISOR_BIT;
			break;
		case 0xb:
		case 0x1f:
			entry->edx = (uint32_t)vcpu->index;	/* x2APIC ID */
			break;
		default:
			break;
		}
	}
	if (ioctl(vcpu->fd, KVM_SET_CPUID2, cpuid) < 0)
		shim_fatal("KVM_SET_CPUID2: %s", strerror(errno));
}

static uint32_t lvt_mode(uint32_t lvt, uint32_t mode)
{
	return (lvt & ~0x700U) | (mode << 8);
}

/* LINT0 = ExtINT (the PIC), LINT1 = NMI, as firmware leaves them. */
static void setup_lapic(struct shim_vcpu *vcpu)
{
	struct kvm_lapic_state lapic;
	uint32_t lint0, lint1;

	if (ioctl(vcpu->fd, KVM_GET_LAPIC, &lapic) < 0)
		shim_fatal("KVM_GET_LAPIC: %s", strerror(errno));
	memcpy(&lint0, &lapic.regs[APIC_LVT_LINT0], 4);
	memcpy(&lint1, &lapic.regs[APIC_LVT_LINT1], 4);
	lint0 = lvt_mode(lint0, APIC_MODE_EXTINT);
	lint1 = lvt_mode(lint1, APIC_MODE_NMI);
	memcpy(&lapic.regs[APIC_LVT_LINT0], &lint0, 4);
	memcpy(&lapic.regs[APIC_LVT_LINT1], &lint1, 4);
	if (ioctl(vcpu->fd, KVM_SET_LAPIC, &lapic) < 0)
		shim_fatal("KVM_SET_LAPIC: %s", strerror(errno));
}

static void setup_fpu(struct shim_vcpu *vcpu)
{
	struct kvm_fpu fpu = { .fcw = 0x37f, .mxcsr = 0x1f80 };

	if (ioctl(vcpu->fd, KVM_SET_FPU, &fpu) < 0)
		shim_fatal("KVM_SET_FPU: %s", strerror(errno));
}

static void create_vcpu(struct shim_vm *vm, struct shim_vcpu *vcpu, struct kvm_cpuid2 *cpuid)
{
	void *run;

	vcpu->fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, (unsigned long)vcpu->index);
	if (vcpu->fd < 0)
		shim_fatal("KVM_CREATE_VCPU %d: %s", vcpu->index, strerror(errno));
	run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu->fd, 0);
	if (run == MAP_FAILED)
		shim_fatal("mmap of vCPU %d: %s", vcpu->index, strerror(errno));
	vcpu->run = run;
	/* Saves two ioctls on every hypercall exit. */
	if (vm->sync_regs)
		vcpu->run->kvm_valid_regs = SYNC_REGS_WANTED;
	set_vcpu_cpuid(vcpu, cpuid);
	setup_lapic(vcpu);
	setup_fpu(vcpu);
}

void kvm_create_vcpus(struct shim_vm *vm)
{
	struct kvm_cpuid2 *template = supported_cpuid(vm);
	size_t bytes = sizeof(*template) + template->nent * sizeof(struct kvm_cpuid_entry2);
	struct kvm_cpuid2 *cpuid = malloc(bytes);
	int i, khz;

	if (!cpuid)
		shim_fatal("out of memory");
	for (i = 0; i < vm->nr_vcpus; i++) {
		memcpy(cpuid, template, bytes);
		vm->vcpu[i].vm = vm;
		vm->vcpu[i].index = i;
		create_vcpu(vm, &vm->vcpu[i], cpuid);
	}
	khz = ioctl(vm->vcpu[0].fd, KVM_GET_TSC_KHZ, 0);
	vm->tsc_hz = khz > 0 ? (uint64_t)khz * 1000 : 0;
	free(cpuid);
	free(template);
}
