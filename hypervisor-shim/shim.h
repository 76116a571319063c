/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * vmi-shim: a small KVM VMM that maps a VMI ROM into its guest, boots Linux
 * (bzImage, 64-bit boot protocol) or a PVH ELF test guest, and serves the
 * ROM's hypercalls. One concern per file:
 *
 *   main.c       command line, then the steps below in order
 *   util.c       failing with one line; reading host files with a size limit
 *   kvm.c        VM, memory, irqchip, PIT, vCPUs, CPUID
 *   boot_linux.c bzImage, boot_params, initrd, 64-bit entry state
 *   boot_pvh.c   PVH ELF, hvm_start_info, 32-bit entry state
 *   memmap.c     the e820 map both boot paths hand over
 *   acpi.c       RSDP, XSDT, FADT, DSDT, MADT (CPUs, power-off, reset)
 *   rom.c        loading and verifying the ROM
 *   vcpu.c       one thread per vCPU: KVM_RUN and port I/O dispatch
 *   serial.c     the 16550 UART on ttyS0 and the panic watch
 *   console.c    its output to stdout: a ring, a writer thread, a cap
 *   hypercall.c  hypercall handlers (with gmem.c, stats.c, audit.c)
 */
#ifndef SHIM_H
#define SHIM_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <linux/kvm.h>

#include "audit.h"
#include "gmem.h"
#include "hypercall.h"
#include "serial.h"
#include "stats.h"
#include "util.h"

#define SHIM_MAX_VCPUS 64

struct shim_options {
	const char *kernel;
	const char *initrd;
	const char *append;
	const char *rom;
	uint64_t ram_size;
	int smp;
	bool stats;
	bool audit;
	uint64_t console_limit;
};

struct shim_vm;

/* A vCPU's state at its last exit to the shim (kept when KVM syncs registers). */
struct shim_last_exit {
	bool valid;
	uint32_t reason;
	uint64_t rip;
	struct kvm_sregs sregs;
};

struct shim_vcpu {
	struct shim_vm *vm;
	int index;
	int fd;
	struct kvm_run *run;
	pthread_t thread;
	struct hc_vcpu_state hc_state;
	struct shim_stats stats;
	/* What a triple fault on AMD leaves of the vCPU: KVM re-INITs it. */
	struct shim_last_exit last_exit;
};

/* The boot vCPU's entry state, worked out before the vCPU exists. */
struct shim_boot {
	bool long_mode;
	uint64_t rip, rsi, rbx, rsp;
	uint64_t cr0, cr3, cr4, efer;
};

struct shim_vm {
	const struct shim_options *opts;
	struct shim_boot boot;
	int kvm_fd;
	int vm_fd;
	struct gmem mem;
	uint64_t rom_size;		/* bytes mapped at SHIM_ROM_GPA; 0 = no ROM */
	size_t run_size;
	bool sync_regs;			/* registers come with each exit in kvm_run */
	int nr_vcpus;
	struct shim_vcpu vcpu[SHIM_MAX_VCPUS];
	struct shim_console console;
	struct shim_serial serial;
	struct audit *audit;
	uint64_t tsc_hz;
	/* Power-management registers the shim emulates. */
	uint16_t pm1_enable;
	/* Ending: the first vCPU to request an exit wins. */
	pthread_mutex_t exit_lock;
	pthread_cond_t exit_cond;
	bool exiting;
	int exit_status;
	const char *exit_reason;
};

/* kvm.c */
void ram_allocate(struct shim_vm *vm);
void kvm_create_vm(struct shim_vm *vm);
void kvm_create_vcpus(struct shim_vm *vm);

/* memmap.c */
struct e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
} __attribute__((packed));
#define E820_RAM 1
#define E820_RESERVED 2
#define E820_MAX_ENTRIES 8
int memmap_build(const struct shim_vm *vm, struct e820_entry *map);

/* acpi.c: tables at SHIM_ACPI_GPA; returns the RSDP address. */
uint64_t acpi_build(struct shim_vm *vm);

/* rom.c */
void rom_load(struct shim_vm *vm, const char *path);

/* boot_linux.c, boot_pvh.c: load the kernel and set up the boot vCPU. */
bool boot_is_elf(const uint8_t *image, size_t size);
void boot_linux(struct shim_vm *vm, const uint8_t *image, size_t size);
void boot_pvh(struct shim_vm *vm, const uint8_t *image, size_t size);
/* Shared: the GDT and the identity-mapped page tables. */
void boot_write_gdt(struct shim_vm *vm);
void boot_write_identity_tables(struct shim_vm *vm);
/* Loads vm->boot into vCPU 0. */
void boot_apply(struct shim_vm *vm);
void boot_load_initrd(struct shim_vm *vm, uint64_t floor, uint64_t limit, uint64_t *gpa,
		      uint64_t *size);

/* vcpu.c */
void vcpu_start_all(struct shim_vm *vm);
/* Handles the exit in vcpu->run; false when this vCPU must stop. */
bool vcpu_handle_exit(struct shim_vcpu *vcpu);
/* Records why the VM ends (first caller wins) and wakes main. */
void vm_request_exit(struct shim_vm *vm, int status, const char *reason);
/* Waits for an exit request, stops the vCPUs, returns the status. */
int vm_wait_for_exit(struct shim_vm *vm);

/* vcpu_dump.c: one line of vCPU state on stderr after a bad ending. */
bool vcpu_state_wanted(int exit_status);
void vcpu_dump_state(struct shim_vcpu *vcpu);
/* Keeps the state of an exit KVM synced, for vcpu_dump_state(). */
void vcpu_note_exit(struct shim_vcpu *vcpu);

/* signals.c: SIGTERM, SIGINT, SIGHUP end the VM with SHIM_EXIT_STOPPED. */
void signals_start(struct shim_vm *vm);

#endif /* SHIM_H */
