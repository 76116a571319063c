/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * VMI paravirtual interface ABI.
 *
 * Generated from spec/vmi.toml by codegen/vmi-abi; do not edit.
 * Change the spec and run `make abi` instead.
 */

#ifndef VMI_ABI_H
#define VMI_ABI_H

#ifndef __ASSEMBLER__
#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/stddef.h>
#else
#include <stddef.h>
#include <stdint.h>
#endif
#endif

#ifdef __ASSEMBLER__
#define VMI_U64(x) x
#else
#define VMI_U64(x) x##ULL
#endif

/* ABI version: a guest accepts a ROM whose major equals VMI_ABI_MAJOR. */
#define VMI_ABI_MAJOR 1
#define VMI_ABI_MINOR 2

/* Image layout and where a guest scans for a ROM. */
#define VMI_SCAN_START 0xc0000
#define VMI_SCAN_END 0xe0000
#define VMI_SCAN_STEP 0x800
#define VMI_BLOCK_SIZE 0x200
#define VMI_MAX_IMAGE_SIZE 0x10000
#define VMI_ENTRY_ALIGN 0x10
#define VMI_MAX_STACK_BYTES 0x100
#define VMI_DATA_AREA_ALIGN 0x1000
#define VMI_DATA_AREA_MAX 0x10000
#define VMI_PERCPU_GS_SLOT 0x30
#define VMI_MAX_CALLS 0x100
#define VMI_HEADER_OFFSET 0x20
#define VMI_ENDBR64 0xfa1e0ff3	/* endbr64 as a little-endian u32 */
#define VMI_ENDBR64_LEN 4
#define VMI_ROM_INIT_CODE 0xcb	/* retf */
#define VMI_ROM_SIGNATURE 0xaa55
#define VMI_SIGNATURE 0x494d5676

/* annotation */
/* The ROM does not implement the call; the guest uses its native operation. offset and length are zero. */
#define VMI_ANNOT_UNSUPPORTED 0
/* The entry is exactly the native instruction sequence; a guest may keep the native instruction inline and never call the ROM. */
#define VMI_ANNOT_IDENT 1
/* The call has no effect on this platform; the guest may patch the call site away. The entry still exists and returns (0 for a returning call). */
#define VMI_ANNOT_NOP 2
/* The guest calls the ROM entry. */
#define VMI_ANNOT_CALL 3

/* entry flag */
/* In deferred mode the entry queues its effect instead of making it visible at once. */
#define VMI_ENTRY_F_DEFERS (VMI_U64(1) << 0)
/* The entry may leave the guest (hypercall or exit) on some paths. */
#define VMI_ENTRY_F_HYPERCALL (VMI_U64(1) << 1)

/* feature */
/* The ROM implements deferred MMU mode: updates may be queued until a flush point. */
#define VMI_FEATURE_DEFERRED_MMU (VMI_U64(1) << 0)
/* The hypervisor tracks page tables: the guest must route every page-table change, including those Linux makes with plain atomics, through the interface, and announce page-table pages with alloc_* /release_*. */
#define VMI_FEATURE_PT_NOTIFY (VMI_U64(1) << 1)
/* The ROM reaches its hypervisor through the port-I/O hypercall transport in this spec. */
#define VMI_FEATURE_HYPERCALL_PORT (VMI_U64(1) << 2)

/* defer mode */
/* Nothing deferred. */
#define VMI_DEFER_NONE 0
/* Page-table updates may be queued until a flush point. */
#define VMI_DEFER_MMU 1
/* Control-register and descriptor-table updates may be queued until a flush point. */
#define VMI_DEFER_CPU 2

/* error */
/* Success. */
#define VMI_OK 0
/* An argument is out of range (register number, level, mode bits, null pointer). */
#define VMI_E_INVAL (-1)
/* A guest address is not backed by guest RAM or not mapped. */
#define VMI_E_FAULT (-2)
/* A count or length exceeds its maximum. */
#define VMI_E_RANGE (-3)
/* An address is not aligned as required. */
#define VMI_E_ALIGN (-4)
/* Unknown hypercall or call. */
#define VMI_E_NOSYS (-5)
/* The call is not valid in the current state (for example before activate, or a data area that does not match %gs slot). */
#define VMI_E_STATE (-6)
/* The native instruction would raise #GP (for example an unimplemented MSR). */
#define VMI_E_GP (-7)

/* limit */
/* Most u64 words in send_ipi's APIC-ID bitmap: APIC IDs 0 to 4095. */
#define VMI_LIMIT_IPI_MAX_WORDS 0x40
/* Lowest vector send_ipi sends; the vectors below are exceptions. */
#define VMI_LIMIT_IPI_MIN_VECTOR 0x20
/* Highest vector send_ipi sends. */
#define VMI_LIMIT_IPI_MAX_VECTOR 0xff

/* Every annotation: X(value, NAME) */
#define VMI_ANNOTATIONS(X) \
	X(0, UNSUPPORTED) \
	X(1, IDENT) \
	X(2, NOP) \
	X(3, CALL) \
	/* end of VMI_ANNOTATIONS */

/* Every entry flag: X(bit, NAME) */
#define VMI_ENTRY_FLAGS(X) \
	X(0, DEFERS) \
	X(1, HYPERCALL) \
	/* end of VMI_ENTRY_FLAGS */
#define VMI_ENTRY_F_KNOWN_MASK (VMI_ENTRY_F_DEFERS | VMI_ENTRY_F_HYPERCALL)

/* Every feature: X(bit, NAME) */
#define VMI_FEATURES(X) \
	X(0, DEFERRED_MMU) \
	X(1, PT_NOTIFY) \
	X(2, HYPERCALL_PORT) \
	/* end of VMI_FEATURES */
#define VMI_FEATURE_KNOWN_MASK (VMI_FEATURE_DEFERRED_MMU | VMI_FEATURE_PT_NOTIFY | VMI_FEATURE_HYPERCALL_PORT)

/* rom header layout, for assembly and C. */
#define VMI_ROM_HEADER_OFF_ROM_SIGNATURE 0x0
#define VMI_ROM_HEADER_OFF_SIZE_BLOCKS 0x2
#define VMI_ROM_HEADER_OFF_INIT_CODE 0x3
#define VMI_ROM_HEADER_OFF_RESERVED0 0x7
#define VMI_ROM_HEADER_OFF_PCI_DATA_OFFSET 0x18
#define VMI_ROM_HEADER_OFF_RESERVED1 0x1a
#define VMI_ROM_HEADER_SIZE 0x20

#ifndef __ASSEMBLER__
struct vmi_rom_header {
	/* Bytes 0x55 0xAA. */
	uint16_t rom_signature;
	/* Image size in 512-byte blocks; the image is exactly this long. */
	uint8_t size_blocks;
	/* 16-bit entry firmware calls at boot: retf, then padding. */
	uint8_t init_code[4];
	/* Zero. */
	uint8_t reserved0[17];
	/* Zero: a VMI ROM carries no PCI data structure. */
	uint16_t pci_data_offset;
	/* Zero. */
	uint8_t reserved1[6];
} __attribute__((packed));
_Static_assert(sizeof(struct vmi_rom_header) == 0x20, "vmi_rom_header size");
_Static_assert(offsetof(struct vmi_rom_header, rom_signature) == VMI_ROM_HEADER_OFF_ROM_SIGNATURE, "vmi_rom_header.rom_signature offset");
_Static_assert(offsetof(struct vmi_rom_header, size_blocks) == VMI_ROM_HEADER_OFF_SIZE_BLOCKS, "vmi_rom_header.size_blocks offset");
_Static_assert(offsetof(struct vmi_rom_header, init_code) == VMI_ROM_HEADER_OFF_INIT_CODE, "vmi_rom_header.init_code offset");
_Static_assert(offsetof(struct vmi_rom_header, reserved0) == VMI_ROM_HEADER_OFF_RESERVED0, "vmi_rom_header.reserved0 offset");
_Static_assert(offsetof(struct vmi_rom_header, pci_data_offset) == VMI_ROM_HEADER_OFF_PCI_DATA_OFFSET, "vmi_rom_header.pci_data_offset offset");
_Static_assert(offsetof(struct vmi_rom_header, reserved1) == VMI_ROM_HEADER_OFF_RESERVED1, "vmi_rom_header.reserved1 offset");
#endif

/* vmi header layout, for assembly and C. */
#define VMI_HEADER_OFF_SIGNATURE 0x0
#define VMI_HEADER_OFF_ABI_MAJOR 0x4
#define VMI_HEADER_OFF_ABI_MINOR 0x6
#define VMI_HEADER_OFF_HEADER_SIZE 0x8
#define VMI_HEADER_OFF_ENTRY_SIZE 0xa
#define VMI_HEADER_OFF_NUM_CALLS 0xc
#define VMI_HEADER_OFF_CALL_TABLE_OFFSET 0x10
#define VMI_HEADER_OFF_DATA_AREA_SIZE 0x14
#define VMI_HEADER_OFF_FEATURES 0x18
#define VMI_HEADER_OFF_VENDOR 0x20
#define VMI_HEADER_OFF_BACKEND 0x30
#define VMI_HEADER_OFF_ROM_VERSION 0x40
#define VMI_HEADER_OFF_CHECKSUM_ADJUST 0x44
#define VMI_HEADER_OFF_RESERVED 0x45
#define VMI_HEADER_SIZE 0x48

#ifndef __ASSEMBLER__
struct vmi_header {
	/* "vVMI" in memory order. */
	uint32_t signature;
	/* ABI major the ROM implements. */
	uint16_t abi_major;
	/* ABI minor the ROM implements. */
	uint16_t abi_minor;
	/* Bytes of VMI header the ROM provides; at least the size of this version's header. Later minors may append fields. */
	uint16_t header_size;
	/* Bytes per call-table entry; at least the size of this version's entry. */
	uint16_t entry_size;
	/* Entries in the call table. Entry i describes call number i; calls numbered num_calls and above are absent. */
	uint32_t num_calls;
	/* Image offset of the call table. */
	uint32_t call_table_offset;
	/* Bytes of per-CPU data area the guest must provide (zeroed, data_area_align aligned). Zero means none. */
	uint32_t data_area_size;
	/* Feature bits (VMI_FEATURE_*). */
	uint64_t features;
	/* Vendor name: 1 to 16 printable ASCII characters, NUL-padded. */
	char vendor[16];
	/* Backend name: 1 to 16 printable ASCII characters, NUL-padded. */
	char backend[16];
	/* The vendor's own build number of this image; informational. */
	uint32_t rom_version;
	/* Chosen so that the 8-bit sum of the whole image is zero. */
	uint8_t checksum_adjust;
	/* Zero. */
	uint8_t reserved[3];
} __attribute__((packed));
_Static_assert(sizeof(struct vmi_header) == 0x48, "vmi_header size");
_Static_assert(offsetof(struct vmi_header, signature) == VMI_HEADER_OFF_SIGNATURE, "vmi_header.signature offset");
_Static_assert(offsetof(struct vmi_header, abi_major) == VMI_HEADER_OFF_ABI_MAJOR, "vmi_header.abi_major offset");
_Static_assert(offsetof(struct vmi_header, abi_minor) == VMI_HEADER_OFF_ABI_MINOR, "vmi_header.abi_minor offset");
_Static_assert(offsetof(struct vmi_header, header_size) == VMI_HEADER_OFF_HEADER_SIZE, "vmi_header.header_size offset");
_Static_assert(offsetof(struct vmi_header, entry_size) == VMI_HEADER_OFF_ENTRY_SIZE, "vmi_header.entry_size offset");
_Static_assert(offsetof(struct vmi_header, num_calls) == VMI_HEADER_OFF_NUM_CALLS, "vmi_header.num_calls offset");
_Static_assert(offsetof(struct vmi_header, call_table_offset) == VMI_HEADER_OFF_CALL_TABLE_OFFSET, "vmi_header.call_table_offset offset");
_Static_assert(offsetof(struct vmi_header, data_area_size) == VMI_HEADER_OFF_DATA_AREA_SIZE, "vmi_header.data_area_size offset");
_Static_assert(offsetof(struct vmi_header, features) == VMI_HEADER_OFF_FEATURES, "vmi_header.features offset");
_Static_assert(offsetof(struct vmi_header, vendor) == VMI_HEADER_OFF_VENDOR, "vmi_header.vendor offset");
_Static_assert(offsetof(struct vmi_header, backend) == VMI_HEADER_OFF_BACKEND, "vmi_header.backend offset");
_Static_assert(offsetof(struct vmi_header, rom_version) == VMI_HEADER_OFF_ROM_VERSION, "vmi_header.rom_version offset");
_Static_assert(offsetof(struct vmi_header, checksum_adjust) == VMI_HEADER_OFF_CHECKSUM_ADJUST, "vmi_header.checksum_adjust offset");
_Static_assert(offsetof(struct vmi_header, reserved) == VMI_HEADER_OFF_RESERVED, "vmi_header.reserved offset");
#endif

/* call entry layout, for assembly and C. */
#define VMI_CALL_ENTRY_OFF_OFFSET 0x0
#define VMI_CALL_ENTRY_OFF_LENGTH 0x4
#define VMI_CALL_ENTRY_OFF_ANNOTATION 0x8
#define VMI_CALL_ENTRY_OFF_FLAGS 0x9
#define VMI_CALL_ENTRY_OFF_RESERVED 0xa
#define VMI_CALL_ENTRY_SIZE 0x10

#ifndef __ASSEMBLER__
struct vmi_call_entry {
	/* Image offset of the entry code; zero when the annotation is UNSUPPORTED. Every present entry (IDENT, NOP or CALL) starts on layout.entry_align and begins with endbr64. */
	uint32_t offset;
	/* Bytes of entry code; zero when UNSUPPORTED. Two entries either share the same offset and length (an alias) or do not overlap. */
	uint32_t length;
	/* VMI_ANNOT_*. */
	uint8_t annotation;
	/* VMI_ENTRY_F_*. */
	uint8_t flags;
	/* Zero. */
	uint8_t reserved[6];
} __attribute__((packed));
_Static_assert(sizeof(struct vmi_call_entry) == 0x10, "vmi_call_entry size");
_Static_assert(offsetof(struct vmi_call_entry, offset) == VMI_CALL_ENTRY_OFF_OFFSET, "vmi_call_entry.offset offset");
_Static_assert(offsetof(struct vmi_call_entry, length) == VMI_CALL_ENTRY_OFF_LENGTH, "vmi_call_entry.length offset");
_Static_assert(offsetof(struct vmi_call_entry, annotation) == VMI_CALL_ENTRY_OFF_ANNOTATION, "vmi_call_entry.annotation offset");
_Static_assert(offsetof(struct vmi_call_entry, flags) == VMI_CALL_ENTRY_OFF_FLAGS, "vmi_call_entry.flags offset");
_Static_assert(offsetof(struct vmi_call_entry, reserved) == VMI_CALL_ENTRY_OFF_RESERVED, "vmi_call_entry.reserved offset");
#endif

/* Groups and calling-convention classes. */
#define VMI_GROUP_INIT 0
#define VMI_GROUP_CPU 1
#define VMI_GROUP_IRQ 2
#define VMI_GROUP_MMU 3
#define VMI_GROUP_DEFERRED 4
#define VMI_GROUP_TIME 5
#define VMI_GROUP_MISC 6
#define VMI_CONV_SYSV 0
#define VMI_CONV_CALLEE_SAVE 1
#define VMI_CONV_NORETURN 2

/* Call numbers. */
#define VMI_CALL_NR_ACTIVATE 0
#define VMI_CALL_NR_READ_CR0 1
#define VMI_CALL_NR_WRITE_CR0 2
#define VMI_CALL_NR_READ_CR2 3
#define VMI_CALL_NR_WRITE_CR2 4
#define VMI_CALL_NR_READ_CR4 5
#define VMI_CALL_NR_WRITE_CR4 6
#define VMI_CALL_NR_READ_MSR 7
#define VMI_CALL_NR_WRITE_MSR 8
#define VMI_CALL_NR_READ_MSR_SAFE 9
#define VMI_CALL_NR_WRITE_MSR_SAFE 10
#define VMI_CALL_NR_CPUID 11
#define VMI_CALL_NR_WBINVD 12
#define VMI_CALL_NR_READ_PMC 13
#define VMI_CALL_NR_GET_DEBUGREG 14
#define VMI_CALL_NR_SET_DEBUGREG 15
#define VMI_CALL_NR_LOAD_GDT 16
#define VMI_CALL_NR_LOAD_IDT 17
#define VMI_CALL_NR_LOAD_TR 18
#define VMI_CALL_NR_STORE_TR 19
#define VMI_CALL_NR_LOAD_LDT 20
#define VMI_CALL_NR_WRITE_GDT_ENTRY 21
#define VMI_CALL_NR_WRITE_IDT_ENTRY 22
#define VMI_CALL_NR_WRITE_LDT_ENTRY 23
#define VMI_CALL_NR_LOAD_GS_INDEX 24
#define VMI_CALL_NR_LOAD_SP0 25
#define VMI_CALL_NR_SAVE_FL 26
#define VMI_CALL_NR_RESTORE_FL 27
#define VMI_CALL_NR_IRQ_DISABLE 28
#define VMI_CALL_NR_IRQ_ENABLE 29
#define VMI_CALL_NR_SAFE_HALT 30
#define VMI_CALL_NR_HALT 31
#define VMI_CALL_NR_READ_CR3 32
#define VMI_CALL_NR_WRITE_CR3 33
#define VMI_CALL_NR_SET_PTE 34
#define VMI_CALL_NR_SET_PMD 35
#define VMI_CALL_NR_SET_PUD 36
#define VMI_CALL_NR_SET_P4D 37
#define VMI_CALL_NR_SET_PGD 38
#define VMI_CALL_NR_PTE_CLEAR 39
#define VMI_CALL_NR_PTE_GET_AND_CLEAR 40
#define VMI_CALL_NR_PTE_UPDATE 41
#define VMI_CALL_NR_MODIFY_PROT_START 42
#define VMI_CALL_NR_MODIFY_PROT_COMMIT 43
#define VMI_CALL_NR_ALLOC_PTE 44
#define VMI_CALL_NR_ALLOC_PMD 45
#define VMI_CALL_NR_ALLOC_PUD 46
#define VMI_CALL_NR_ALLOC_P4D 47
#define VMI_CALL_NR_ALLOC_PGD 48
#define VMI_CALL_NR_RELEASE_PTE 49
#define VMI_CALL_NR_RELEASE_PMD 50
#define VMI_CALL_NR_RELEASE_PUD 51
#define VMI_CALL_NR_RELEASE_P4D 52
#define VMI_CALL_NR_RELEASE_PGD 53
#define VMI_CALL_NR_INVLPG 54
#define VMI_CALL_NR_FLUSH_TLB_USER 55
#define VMI_CALL_NR_FLUSH_TLB_KERNEL 56
#define VMI_CALL_NR_FLUSH_TLB_ALL 57
#define VMI_CALL_NR_SET_DEFERRED_MODE 58
#define VMI_CALL_NR_GET_DEFERRED_MODE 59
#define VMI_CALL_NR_FLUSH_DEFERRED 60
#define VMI_CALL_NR_GET_CYCLE_FREQUENCY 61
#define VMI_CALL_NR_GET_CYCLE_COUNTER 62
#define VMI_CALL_NR_GET_WALLCLOCK 63
#define VMI_CALL_NR_IO_DELAY 64
#define VMI_CALL_NR_REBOOT 65
#define VMI_CALL_NR_SHUTDOWN 66
#define VMI_CALL_NR_SET_DATA_AREA_PA 67
#define VMI_CALL_NR_SEND_IPI 68
#define VMI_CALL_NR_APIC_EOI 69
#define VMI_CALL_NR_SPIN_WAIT 70
#define VMI_CALL_NR_SPIN_KICK 71
#define VMI_CALL_NR_YIELD_TO 72
#define VMI_CALL_NR_CALL_FALLBACK 73
#define VMI_CALL_NR_VCPU_PREEMPTED 74
#define VMI_CALL_NR_FLUSH_TLB_PREEMPTED 75
#define VMI_NR_CALLS 76

#ifndef __ASSEMBLER__
enum vmi_call_nr {
	VMI_CALL_ACTIVATE = 0,
	VMI_CALL_READ_CR0 = 1,
	VMI_CALL_WRITE_CR0 = 2,
	VMI_CALL_READ_CR2 = 3,
	VMI_CALL_WRITE_CR2 = 4,
	VMI_CALL_READ_CR4 = 5,
	VMI_CALL_WRITE_CR4 = 6,
	VMI_CALL_READ_MSR = 7,
	VMI_CALL_WRITE_MSR = 8,
	VMI_CALL_READ_MSR_SAFE = 9,
	VMI_CALL_WRITE_MSR_SAFE = 10,
	VMI_CALL_CPUID = 11,
	VMI_CALL_WBINVD = 12,
	VMI_CALL_READ_PMC = 13,
	VMI_CALL_GET_DEBUGREG = 14,
	VMI_CALL_SET_DEBUGREG = 15,
	VMI_CALL_LOAD_GDT = 16,
	VMI_CALL_LOAD_IDT = 17,
	VMI_CALL_LOAD_TR = 18,
	VMI_CALL_STORE_TR = 19,
	VMI_CALL_LOAD_LDT = 20,
	VMI_CALL_WRITE_GDT_ENTRY = 21,
	VMI_CALL_WRITE_IDT_ENTRY = 22,
	VMI_CALL_WRITE_LDT_ENTRY = 23,
	VMI_CALL_LOAD_GS_INDEX = 24,
	VMI_CALL_LOAD_SP0 = 25,
	VMI_CALL_SAVE_FL = 26,
	VMI_CALL_RESTORE_FL = 27,
	VMI_CALL_IRQ_DISABLE = 28,
	VMI_CALL_IRQ_ENABLE = 29,
	VMI_CALL_SAFE_HALT = 30,
	VMI_CALL_HALT = 31,
	VMI_CALL_READ_CR3 = 32,
	VMI_CALL_WRITE_CR3 = 33,
	VMI_CALL_SET_PTE = 34,
	VMI_CALL_SET_PMD = 35,
	VMI_CALL_SET_PUD = 36,
	VMI_CALL_SET_P4D = 37,
	VMI_CALL_SET_PGD = 38,
	VMI_CALL_PTE_CLEAR = 39,
	VMI_CALL_PTE_GET_AND_CLEAR = 40,
	VMI_CALL_PTE_UPDATE = 41,
	VMI_CALL_MODIFY_PROT_START = 42,
	VMI_CALL_MODIFY_PROT_COMMIT = 43,
	VMI_CALL_ALLOC_PTE = 44,
	VMI_CALL_ALLOC_PMD = 45,
	VMI_CALL_ALLOC_PUD = 46,
	VMI_CALL_ALLOC_P4D = 47,
	VMI_CALL_ALLOC_PGD = 48,
	VMI_CALL_RELEASE_PTE = 49,
	VMI_CALL_RELEASE_PMD = 50,
	VMI_CALL_RELEASE_PUD = 51,
	VMI_CALL_RELEASE_P4D = 52,
	VMI_CALL_RELEASE_PGD = 53,
	VMI_CALL_INVLPG = 54,
	VMI_CALL_FLUSH_TLB_USER = 55,
	VMI_CALL_FLUSH_TLB_KERNEL = 56,
	VMI_CALL_FLUSH_TLB_ALL = 57,
	VMI_CALL_SET_DEFERRED_MODE = 58,
	VMI_CALL_GET_DEFERRED_MODE = 59,
	VMI_CALL_FLUSH_DEFERRED = 60,
	VMI_CALL_GET_CYCLE_FREQUENCY = 61,
	VMI_CALL_GET_CYCLE_COUNTER = 62,
	VMI_CALL_GET_WALLCLOCK = 63,
	VMI_CALL_IO_DELAY = 64,
	VMI_CALL_REBOOT = 65,
	VMI_CALL_SHUTDOWN = 66,
	VMI_CALL_SET_DATA_AREA_PA = 67,
	VMI_CALL_SEND_IPI = 68,
	VMI_CALL_APIC_EOI = 69,
	VMI_CALL_SPIN_WAIT = 70,
	VMI_CALL_SPIN_KICK = 71,
	VMI_CALL_YIELD_TO = 72,
	VMI_CALL_CALL_FALLBACK = 73,
	VMI_CALL_VCPU_PREEMPTED = 74,
	VMI_CALL_FLUSH_TLB_PREEMPTED = 75,
};
#endif

/*
 * Every call: X(nr, name, NAME, GROUP, CONV, since, may_defer)
 */
#define VMI_CALLS(X) \
	X(0, activate, ACTIVATE, INIT, SYSV, 0, 0) \
	X(1, read_cr0, READ_CR0, CPU, SYSV, 0, 0) \
	X(2, write_cr0, WRITE_CR0, CPU, SYSV, 0, 0) \
	X(3, read_cr2, READ_CR2, CPU, CALLEE_SAVE, 0, 0) \
	X(4, write_cr2, WRITE_CR2, CPU, SYSV, 0, 0) \
	X(5, read_cr4, READ_CR4, CPU, SYSV, 0, 0) \
	X(6, write_cr4, WRITE_CR4, CPU, SYSV, 0, 0) \
	X(7, read_msr, READ_MSR, CPU, SYSV, 0, 0) \
	X(8, write_msr, WRITE_MSR, CPU, SYSV, 0, 0) \
	X(9, read_msr_safe, READ_MSR_SAFE, CPU, SYSV, 0, 0) \
	X(10, write_msr_safe, WRITE_MSR_SAFE, CPU, SYSV, 0, 0) \
	X(11, cpuid, CPUID, CPU, SYSV, 0, 0) \
	X(12, wbinvd, WBINVD, CPU, SYSV, 0, 0) \
	X(13, read_pmc, READ_PMC, CPU, SYSV, 0, 0) \
	X(14, get_debugreg, GET_DEBUGREG, CPU, SYSV, 0, 0) \
	X(15, set_debugreg, SET_DEBUGREG, CPU, SYSV, 0, 0) \
	X(16, load_gdt, LOAD_GDT, CPU, SYSV, 0, 1) \
	X(17, load_idt, LOAD_IDT, CPU, SYSV, 0, 1) \
	X(18, load_tr, LOAD_TR, CPU, SYSV, 0, 0) \
	X(19, store_tr, STORE_TR, CPU, SYSV, 0, 0) \
	X(20, load_ldt, LOAD_LDT, CPU, SYSV, 0, 1) \
	X(21, write_gdt_entry, WRITE_GDT_ENTRY, CPU, SYSV, 0, 1) \
	X(22, write_idt_entry, WRITE_IDT_ENTRY, CPU, SYSV, 0, 1) \
	X(23, write_ldt_entry, WRITE_LDT_ENTRY, CPU, SYSV, 0, 1) \
	X(24, load_gs_index, LOAD_GS_INDEX, CPU, SYSV, 0, 0) \
	X(25, load_sp0, LOAD_SP0, CPU, SYSV, 0, 1) \
	X(26, save_fl, SAVE_FL, IRQ, CALLEE_SAVE, 0, 0) \
	X(27, restore_fl, RESTORE_FL, IRQ, CALLEE_SAVE, 0, 0) \
	X(28, irq_disable, IRQ_DISABLE, IRQ, CALLEE_SAVE, 0, 0) \
	X(29, irq_enable, IRQ_ENABLE, IRQ, CALLEE_SAVE, 0, 0) \
	X(30, safe_halt, SAFE_HALT, IRQ, SYSV, 0, 0) \
	X(31, halt, HALT, IRQ, SYSV, 0, 0) \
	X(32, read_cr3, READ_CR3, MMU, SYSV, 0, 0) \
	X(33, write_cr3, WRITE_CR3, MMU, SYSV, 0, 0) \
	X(34, set_pte, SET_PTE, MMU, SYSV, 0, 1) \
	X(35, set_pmd, SET_PMD, MMU, SYSV, 0, 1) \
	X(36, set_pud, SET_PUD, MMU, SYSV, 0, 1) \
	X(37, set_p4d, SET_P4D, MMU, SYSV, 0, 1) \
	X(38, set_pgd, SET_PGD, MMU, SYSV, 0, 1) \
	X(39, pte_clear, PTE_CLEAR, MMU, SYSV, 0, 1) \
	X(40, pte_get_and_clear, PTE_GET_AND_CLEAR, MMU, SYSV, 0, 1) \
	X(41, pte_update, PTE_UPDATE, MMU, SYSV, 0, 1) \
	X(42, modify_prot_start, MODIFY_PROT_START, MMU, SYSV, 0, 1) \
	X(43, modify_prot_commit, MODIFY_PROT_COMMIT, MMU, SYSV, 0, 1) \
	X(44, alloc_pte, ALLOC_PTE, MMU, SYSV, 0, 1) \
	X(45, alloc_pmd, ALLOC_PMD, MMU, SYSV, 0, 1) \
	X(46, alloc_pud, ALLOC_PUD, MMU, SYSV, 0, 1) \
	X(47, alloc_p4d, ALLOC_P4D, MMU, SYSV, 0, 1) \
	X(48, alloc_pgd, ALLOC_PGD, MMU, SYSV, 0, 1) \
	X(49, release_pte, RELEASE_PTE, MMU, SYSV, 0, 1) \
	X(50, release_pmd, RELEASE_PMD, MMU, SYSV, 0, 1) \
	X(51, release_pud, RELEASE_PUD, MMU, SYSV, 0, 1) \
	X(52, release_p4d, RELEASE_P4D, MMU, SYSV, 0, 1) \
	X(53, release_pgd, RELEASE_PGD, MMU, SYSV, 0, 1) \
	X(54, invlpg, INVLPG, MMU, SYSV, 0, 0) \
	X(55, flush_tlb_user, FLUSH_TLB_USER, MMU, SYSV, 0, 0) \
	X(56, flush_tlb_kernel, FLUSH_TLB_KERNEL, MMU, SYSV, 0, 0) \
	X(57, flush_tlb_all, FLUSH_TLB_ALL, MMU, SYSV, 0, 0) \
	X(58, set_deferred_mode, SET_DEFERRED_MODE, DEFERRED, SYSV, 0, 0) \
	X(59, get_deferred_mode, GET_DEFERRED_MODE, DEFERRED, SYSV, 0, 0) \
	X(60, flush_deferred, FLUSH_DEFERRED, DEFERRED, SYSV, 0, 0) \
	X(61, get_cycle_frequency, GET_CYCLE_FREQUENCY, TIME, SYSV, 0, 0) \
	X(62, get_cycle_counter, GET_CYCLE_COUNTER, TIME, SYSV, 0, 0) \
	X(63, get_wallclock, GET_WALLCLOCK, TIME, SYSV, 0, 0) \
	X(64, io_delay, IO_DELAY, MISC, SYSV, 0, 0) \
	X(65, reboot, REBOOT, MISC, NORETURN, 0, 0) \
	X(66, shutdown, SHUTDOWN, MISC, NORETURN, 0, 0) \
	X(67, set_data_area_pa, SET_DATA_AREA_PA, INIT, SYSV, 1, 0) \
	X(68, send_ipi, SEND_IPI, IRQ, SYSV, 1, 0) \
	X(69, apic_eoi, APIC_EOI, IRQ, SYSV, 1, 0) \
	X(70, spin_wait, SPIN_WAIT, IRQ, SYSV, 1, 0) \
	X(71, spin_kick, SPIN_KICK, IRQ, SYSV, 1, 0) \
	X(72, yield_to, YIELD_TO, IRQ, SYSV, 1, 0) \
	X(73, call_fallback, CALL_FALLBACK, INIT, SYSV, 1, 0) \
	X(74, vcpu_preempted, VCPU_PREEMPTED, IRQ, SYSV, 2, 0) \
	X(75, flush_tlb_preempted, FLUSH_TLB_PREEMPTED, MMU, SYSV, 2, 0) \
	/* end of VMI_CALLS */

/* In: eax = leaf, ecx = subleaf. Out: the four result registers. */
#define VMI_CPUID_REGS_OFF_EAX 0
#define VMI_CPUID_REGS_OFF_EBX 4
#define VMI_CPUID_REGS_OFF_ECX 8
#define VMI_CPUID_REGS_OFF_EDX 12
#define VMI_CPUID_REGS_SIZE 16
#ifndef __ASSEMBLER__
struct vmi_cpuid_regs {
	uint32_t eax;
	uint32_t ebx;
	uint32_t ecx;
	uint32_t edx;
};
_Static_assert(sizeof(struct vmi_cpuid_regs) == VMI_CPUID_REGS_SIZE, "vmi_cpuid_regs size");
_Static_assert(offsetof(struct vmi_cpuid_regs, eax) == VMI_CPUID_REGS_OFF_EAX, "vmi_cpuid_regs.eax offset");
_Static_assert(offsetof(struct vmi_cpuid_regs, ebx) == VMI_CPUID_REGS_OFF_EBX, "vmi_cpuid_regs.ebx offset");
_Static_assert(offsetof(struct vmi_cpuid_regs, ecx) == VMI_CPUID_REGS_OFF_ECX, "vmi_cpuid_regs.ecx offset");
_Static_assert(offsetof(struct vmi_cpuid_regs, edx) == VMI_CPUID_REGS_OFF_EDX, "vmi_cpuid_regs.edx offset");
#endif

/* A descriptor-table pointer as LGDT/LIDT take it. */
#define VMI_DESC_PTR_OFF_LIMIT 0
#define VMI_DESC_PTR_OFF_BASE 2
#define VMI_DESC_PTR_SIZE 10
#ifndef __ASSEMBLER__
struct vmi_desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));
_Static_assert(sizeof(struct vmi_desc_ptr) == VMI_DESC_PTR_SIZE, "vmi_desc_ptr size");
_Static_assert(offsetof(struct vmi_desc_ptr, limit) == VMI_DESC_PTR_OFF_LIMIT, "vmi_desc_ptr.limit offset");
_Static_assert(offsetof(struct vmi_desc_ptr, base) == VMI_DESC_PTR_OFF_BASE, "vmi_desc_ptr.base offset");
#endif

/* Wall-clock time since the Unix epoch. */
#define VMI_WALLCLOCK_OFF_SEC 0
#define VMI_WALLCLOCK_OFF_NSEC 8
#define VMI_WALLCLOCK_OFF_RESERVED 12
#define VMI_WALLCLOCK_SIZE 16
#ifndef __ASSEMBLER__
struct vmi_wallclock {
	uint64_t sec;
	uint32_t nsec;
	uint32_t reserved;
};
_Static_assert(sizeof(struct vmi_wallclock) == VMI_WALLCLOCK_SIZE, "vmi_wallclock size");
_Static_assert(offsetof(struct vmi_wallclock, sec) == VMI_WALLCLOCK_OFF_SEC, "vmi_wallclock.sec offset");
_Static_assert(offsetof(struct vmi_wallclock, nsec) == VMI_WALLCLOCK_OFF_NSEC, "vmi_wallclock.nsec offset");
_Static_assert(offsetof(struct vmi_wallclock, reserved) == VMI_WALLCLOCK_OFF_RESERVED, "vmi_wallclock.reserved offset");
#endif

/* One queued MMU operation in a hypercall batch: the call number and its first two arguments (entry address or level-specific pfn, new value). */
#define VMI_MMU_RECORD_OFF_CALL 0
#define VMI_MMU_RECORD_OFF_RESERVED 4
#define VMI_MMU_RECORD_OFF_ARG0 8
#define VMI_MMU_RECORD_OFF_ARG1 16
#define VMI_MMU_RECORD_SIZE 24
#ifndef __ASSEMBLER__
struct vmi_mmu_record {
	uint32_t call;
	uint32_t reserved;
	uint64_t arg0;
	uint64_t arg1;
};
_Static_assert(sizeof(struct vmi_mmu_record) == VMI_MMU_RECORD_SIZE, "vmi_mmu_record size");
_Static_assert(offsetof(struct vmi_mmu_record, call) == VMI_MMU_RECORD_OFF_CALL, "vmi_mmu_record.call offset");
_Static_assert(offsetof(struct vmi_mmu_record, reserved) == VMI_MMU_RECORD_OFF_RESERVED, "vmi_mmu_record.reserved offset");
_Static_assert(offsetof(struct vmi_mmu_record, arg0) == VMI_MMU_RECORD_OFF_ARG0, "vmi_mmu_record.arg0 offset");
_Static_assert(offsetof(struct vmi_mmu_record, arg1) == VMI_MMU_RECORD_OFF_ARG1, "vmi_mmu_record.arg1 offset");
#endif

#ifndef __ASSEMBLER__
/* The C type of each call's entry. */
typedef int64_t vmi_fn_activate(void *data_area, uint32_t cpu);
typedef uint64_t vmi_fn_read_cr0(void);
typedef void vmi_fn_write_cr0(uint64_t value);
typedef uint64_t vmi_fn_read_cr2(void);
typedef void vmi_fn_write_cr2(uint64_t value);
typedef uint64_t vmi_fn_read_cr4(void);
typedef void vmi_fn_write_cr4(uint64_t value);
typedef uint64_t vmi_fn_read_msr(uint32_t msr);
typedef void vmi_fn_write_msr(uint32_t msr, uint64_t value);
typedef int64_t vmi_fn_read_msr_safe(uint32_t msr, uint64_t *value);
typedef int64_t vmi_fn_write_msr_safe(uint32_t msr, uint64_t value);
typedef void vmi_fn_cpuid(struct vmi_cpuid_regs *regs);
typedef void vmi_fn_wbinvd(void);
typedef uint64_t vmi_fn_read_pmc(uint32_t counter);
typedef uint64_t vmi_fn_get_debugreg(uint32_t reg);
typedef int64_t vmi_fn_set_debugreg(uint32_t reg, uint64_t value);
typedef void vmi_fn_load_gdt(const struct vmi_desc_ptr *desc);
typedef void vmi_fn_load_idt(const struct vmi_desc_ptr *desc);
typedef void vmi_fn_load_tr(uint16_t selector);
typedef uint64_t vmi_fn_store_tr(void);
typedef void vmi_fn_load_ldt(uint16_t selector);
typedef void vmi_fn_write_gdt_entry(void *gdt, uint32_t index, const void *desc, uint32_t size);
typedef void vmi_fn_write_idt_entry(void *idt, uint32_t index, const void *gate);
typedef void vmi_fn_write_ldt_entry(void *ldt, uint32_t index, uint64_t desc);
typedef void vmi_fn_load_gs_index(uint16_t selector);
typedef void vmi_fn_load_sp0(uint64_t sp0);
typedef uint64_t vmi_fn_save_fl(void);
typedef void vmi_fn_restore_fl(uint64_t flags);
typedef void vmi_fn_irq_disable(void);
typedef void vmi_fn_irq_enable(void);
typedef void vmi_fn_safe_halt(void);
typedef void vmi_fn_halt(void);
typedef uint64_t vmi_fn_read_cr3(void);
typedef void vmi_fn_write_cr3(uint64_t value);
typedef void vmi_fn_set_pte(uint64_t *ptep, uint64_t value);
typedef void vmi_fn_set_pmd(uint64_t *pmdp, uint64_t value);
typedef void vmi_fn_set_pud(uint64_t *pudp, uint64_t value);
typedef void vmi_fn_set_p4d(uint64_t *p4dp, uint64_t value);
typedef void vmi_fn_set_pgd(uint64_t *pgdp, uint64_t value);
typedef void vmi_fn_pte_clear(uint64_t *ptep);
typedef uint64_t vmi_fn_pte_get_and_clear(uint64_t *ptep);
typedef uint64_t vmi_fn_pte_update(uint64_t *ptep, uint64_t clear_bits, uint64_t set_bits);
typedef uint64_t vmi_fn_modify_prot_start(uint64_t *ptep);
typedef void vmi_fn_modify_prot_commit(uint64_t *ptep, uint64_t value);
typedef void vmi_fn_alloc_pte(uint64_t pfn);
typedef void vmi_fn_alloc_pmd(uint64_t pfn);
typedef void vmi_fn_alloc_pud(uint64_t pfn);
typedef void vmi_fn_alloc_p4d(uint64_t pfn);
typedef void vmi_fn_alloc_pgd(uint64_t pfn);
typedef void vmi_fn_release_pte(uint64_t pfn);
typedef void vmi_fn_release_pmd(uint64_t pfn);
typedef void vmi_fn_release_pud(uint64_t pfn);
typedef void vmi_fn_release_p4d(uint64_t pfn);
typedef void vmi_fn_release_pgd(uint64_t pfn);
typedef void vmi_fn_invlpg(uint64_t va);
typedef void vmi_fn_flush_tlb_user(void);
typedef void vmi_fn_flush_tlb_kernel(void);
typedef void vmi_fn_flush_tlb_all(void);
typedef int64_t vmi_fn_set_deferred_mode(uint32_t mode);
typedef uint64_t vmi_fn_get_deferred_mode(void);
typedef void vmi_fn_flush_deferred(void);
typedef uint64_t vmi_fn_get_cycle_frequency(void);
typedef uint64_t vmi_fn_get_cycle_counter(void);
typedef int64_t vmi_fn_get_wallclock(struct vmi_wallclock *out);
typedef void vmi_fn_io_delay(void);
typedef void vmi_fn_reboot(void);
typedef void vmi_fn_shutdown(void);
typedef int64_t vmi_fn_set_data_area_pa(uint64_t pa);
typedef int64_t vmi_fn_send_ipi(const uint64_t *apic_ids, uint32_t nr_words, uint32_t vector);
typedef uint64_t vmi_fn_apic_eoi(void);
typedef void vmi_fn_spin_wait(const uint8_t *ptr, uint8_t value);
typedef void vmi_fn_spin_kick(uint32_t apic_id);
typedef void vmi_fn_yield_to(uint32_t apic_id);
typedef uint64_t vmi_fn_call_fallback(uint32_t nr);
typedef uint64_t vmi_fn_vcpu_preempted(void *data_area);
typedef uint64_t vmi_fn_flush_tlb_preempted(void *data_area);
#endif

#endif /* VMI_ABI_H */
