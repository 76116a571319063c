/*
 * Layout shared by the suite's assembly and C: segment selectors, the
 * guarded-call record and the stack poison. Internal to the test guest;
 * nothing here is ABI (the ABI numbers come from <vmi/vmi_abi.h>).
 */
#ifndef CONF_LAYOUT_H
#define CONF_LAYOUT_H

/* GDT slots. System descriptors (TSS, LDT) take two slots in long mode. */
#define SEL_CODE 0x08
#define SEL_DATA 0x10
#define SEL_TSS_A 0x18          /* the TSS loaded at boot */
#define SEL_TSS_B 0x28          /* a second, available TSS for load_tr */
#define SEL_LDT 0x38            /* an LDT descriptor for load_ldt */
#define GDT_SPARE_INDEX 10      /* first slot write_gdt_entry may scribble on */
#define GDT_ENTRIES 16

/* Page-table entry bits (architectural). */
#define PTE_P 0x1
#define PTE_W 0x2
#define PTE_A 0x20
#define PTE_D 0x40
#define PTE_PS 0x80
#define PTE_G 0x100

/*
 * struct guarded_call (see guard.h): every ROM call goes through
 * conf_guarded_call, which fills registers from regs_in, poisons the stack
 * below the caller's rsp, calls target, and records what came back.
 * regs_in/regs_out are indexed by REG_*.
 */
#define REG_RAX 0
#define REG_RBX 1
#define REG_RCX 2
#define REG_RDX 3
#define REG_RSI 4
#define REG_RDI 5
#define REG_RBP 6
#define REG_RSP 7
#define REG_R8 8
#define REG_R9 9
#define REG_R10 10
#define REG_R11 11
#define REG_R12 12
#define REG_R13 13
#define REG_R14 14
#define REG_R15 15
#define NR_GPRS 16

#define GC_TARGET 0x00
#define GC_REGS_IN 0x08
#define GC_REGS_OUT 0x88
#define GC_RFLAGS_IN 0x108
#define GC_RFLAGS_OUT 0x110
#define GC_RSP_AT_CALL 0x118
#define GC_STACK_USED 0x120
#define GC_FAULTED 0x128
#define GC_SIZE 0x130

/* How much stack below the caller's rsp is poisoned and scanned. */
#define GUARD_POISON_BYTES 4096
#define GUARD_POISON_QWORD 0x57ac4ca9a5e0b1e5

#endif
