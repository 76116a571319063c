// SPDX-License-Identifier: GPL-2.0 OR MIT
/* What both boot paths share: GDT, identity page tables, segments, initrd. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "layout.h"
#include "shim.h"

#define PTE_PRESENT 0x1ULL
#define PTE_WRITE 0x2ULL
#define PTE_LARGE 0x80ULL
#define IDENTITY_GIB 4

static const uint64_t gdt[] = {
	0,
	0x00cf9b000000ffffULL,	/* 0x08: 32-bit code, flat */
	0x00af9b000000ffffULL,	/* 0x10: 64-bit code */
	0x00cf93000000ffffULL,	/* 0x18: data, flat */
	0x00008b0000000067ULL,	/* 0x20: TSS (busy), base 0, limit 0x67 */
};

void boot_write_gdt(struct shim_vm *vm)
{
	memcpy(vm->mem.ram + SHIM_GDT_GPA, gdt, sizeof(gdt));
}

/* PML4 -> one PDPT -> four PDs of 2 MiB pages: 0..4 GiB mapped 1:1. */
void boot_write_identity_tables(struct shim_vm *vm)
{
	uint8_t *ram = vm->mem.ram;
	uint64_t entry;
	int gib, i;

	memset(ram + SHIM_PML4_GPA, 0, SHIM_PAGE_SIZE * (2 + IDENTITY_GIB));
	entry = SHIM_PDPT_GPA | PTE_PRESENT | PTE_WRITE;
	memcpy(ram + SHIM_PML4_GPA, &entry, 8);
	for (gib = 0; gib < IDENTITY_GIB; gib++) {
		uint64_t pd = SHIM_PD_GPA + gib * SHIM_PAGE_SIZE;

		entry = pd | PTE_PRESENT | PTE_WRITE;
		memcpy(ram + SHIM_PDPT_GPA + gib * 8, &entry, 8);
		for (i = 0; i < 512; i++) {
			entry = ((uint64_t)gib << 30) + ((uint64_t)i << 21);
			entry |= PTE_PRESENT | PTE_WRITE | PTE_LARGE;
			memcpy(ram + pd + i * 8, &entry, 8);
		}
	}
}

static struct kvm_segment flat_segment(uint16_t selector, uint8_t type, bool long_mode)
{
	struct kvm_segment seg = {
		.base = 0, .limit = 0xffffffff, .selector = selector, .type = type,
		.present = 1, .dpl = 0, .db = 1, .s = 1, .l = 0, .g = 1,
	};

	if (long_mode && type == 0xb) {	/* 64-bit code: L set, D clear */
		seg.l = 1;
		seg.db = 0;
	}
	return seg;
}

/* Flat code/data segments and a busy TSS, as both entry protocols want. */
static void set_segment_regs(struct kvm_sregs *sregs, bool long_mode)
{
	struct kvm_segment data = flat_segment(SHIM_SEL_DATA, 0x3, long_mode);

	sregs->cs = flat_segment(long_mode ? SHIM_SEL_CODE64 : SHIM_SEL_CODE32, 0xb, long_mode);
	sregs->ds = sregs->es = sregs->fs = sregs->gs = sregs->ss = data;
	sregs->tr = (struct kvm_segment){ .selector = SHIM_SEL_TSS, .limit = 0x67, .type = 0xb,
					  .present = 1 };
	sregs->ldt = (struct kvm_segment){ .type = 0x2, .present = 1, .limit = 0xffff };
	sregs->gdt.base = SHIM_GDT_GPA;
	sregs->gdt.limit = sizeof(gdt) - 1;
	sregs->idt.base = 0;
	sregs->idt.limit = 0;
}

void boot_apply(struct shim_vm *vm)
{
	const struct shim_boot *boot = &vm->boot;
	struct shim_vcpu *bsp = &vm->vcpu[0];
	struct kvm_regs regs = { .rip = boot->rip, .rsi = boot->rsi, .rbx = boot->rbx,
				 .rsp = boot->rsp, .rflags = 0x2 };
	struct kvm_sregs sregs;

	if (ioctl(bsp->fd, KVM_GET_SREGS, &sregs) < 0)
		shim_fatal("KVM_GET_SREGS: %s", strerror(errno));
	set_segment_regs(&sregs, boot->long_mode);
	sregs.cr0 = boot->cr0;
	sregs.cr3 = boot->cr3;
	sregs.cr4 = boot->cr4;
	sregs.efer = boot->efer;
	if (ioctl(bsp->fd, KVM_SET_SREGS, &sregs) < 0)
		shim_fatal("KVM_SET_SREGS: %s", strerror(errno));
	if (ioctl(bsp->fd, KVM_SET_REGS, &regs) < 0)
		shim_fatal("KVM_SET_REGS: %s", strerror(errno));
}

/*
 * Puts the initrd at the top of RAM below limit, page-aligned, and never
 * below floor (where the kernel ends). Everything is checked before a byte
 * is copied: limit and floor come from the kernel image, which may lie.
 */
void boot_load_initrd(struct shim_vm *vm, uint64_t floor, uint64_t limit, uint64_t *gpa,
		      uint64_t *size)
{
	size_t length;
	uint8_t *data;
	uint64_t top = vm->mem.size < limit ? vm->mem.size : limit;
	uint64_t at;

	*gpa = *size = 0;
	if (!vm->opts->initrd)
		return;
	data = shim_read_file(vm->opts->initrd, "initrd", vm->mem.size, &length);
	at = length <= top ? (top - length) & ~(SHIM_PAGE_SIZE - 1) : 0;
	if (length > top || at < floor)
		shim_usage_error("initrd %s (%zu bytes) does not fit between the kernel's end %#llx "
				 "and %#llx (-m %llu MiB, the kernel's initrd limit %#llx)",
				 vm->opts->initrd, length, (unsigned long long)floor,
				 (unsigned long long)top, (unsigned long long)(vm->mem.size >> 20),
				 (unsigned long long)limit);
	*gpa = at;
	*size = length;
	memcpy(vm->mem.ram + at, data, length);
	free(data);
}
