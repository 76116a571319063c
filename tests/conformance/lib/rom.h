/*
 * The ROM under test: discovery as the spec tells a kernel to do it, the
 * executable copy, per-CPU data area, and guarded calls into its entries.
 */
#ifndef CONF_ROM_H
#define CONF_ROM_H

#include "conf.h"
#include "conf_spec.h"
#include "../../../rom/parser/vmi_rom_parse.h"

struct call_meta {
	const char *name;
	uint8_t group, conv, since, may_defer;
	uint8_t nargs, returns_value, has_native;
	uint32_t preserved;     /* REG_* mask the convention preserves */
};
extern struct call_meta call_meta[VMI_NR_CALLS];
void call_meta_init(void);
extern const uint64_t conf_native_table[VMI_NR_CALLS];

struct rom_state {
	uintptr_t found_at;     /* where the scan found it; 0 when none */
	size_t size;
	uint8_t *image;         /* the executable copy calls go to */
	struct vmi_rom_info info;
	unsigned defects;
	void *data_area;
	bool usable;            /* verified and copied */
	bool active;            /* activate returned OK */
	char why[160];          /* why not usable */
};
extern struct rom_state rom;

/* Scans the option-ROM range; returns the first image with our signature. */
uintptr_t rom_scan(unsigned *other_roms);
/* Verifies and copies the image at found_at; reports one line per check. */
bool rom_load(uintptr_t found_at);
/* Allocates the data area and points the %gs slot at it. */
void rom_prepare_percpu(void);
void percpu_set_slot(void *data_area);

/* The guest's rule: present iff in the table, not UNSUPPORTED, since <= minor. */
bool rom_present_in(const void *image, const struct vmi_rom_info *info, unsigned nr);
bool rom_present(unsigned nr);
const struct vmi_call_entry *rom_entry(unsigned nr);
uint8_t rom_annotation(unsigned nr);

/* What one guarded call did. */
struct call_result {
	uint64_t ret;
	unsigned fault;         /* exception vector + 1, 0 when none */
	uint64_t fault_rip, fault_cr2;
	uint32_t clobbered;     /* preserved registers (REG_* mask) that changed */
	uint64_t stack_used;    /* bytes below the caller's rsp that changed */
	uint64_t rflags_in, rflags;
	uint64_t regs_in[NR_GPRS], regs_out[NR_GPRS];
	bool absent;            /* the ROM has no such entry: nothing was called */
};
extern struct call_result last;
extern unsigned calls_made[VMI_NR_CALLS];

/* Guarded call of ROM entry nr with sysv arguments, canaries elsewhere. */
uint64_t rom_call(unsigned nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3);
/* The same around any code address (a native stub) standing for call nr. */
void guarded_run(uint64_t target, unsigned nr, const uint64_t args[4],
		 uint64_t rflags, struct call_result *out);
/* " (faulted: #GP at rom+0x12)" or "" for messages. */
const char *fault_text(const struct call_result *r);
/* Reports a skip and returns false when nr is absent from the ROM. */
bool need(unsigned nr);

#define CALL0(N) rom_call(VMI_CALL_##N, 0, 0, 0, 0)
#define CALL1(N, a) rom_call(VMI_CALL_##N, (uint64_t)(a), 0, 0, 0)
#define CALL2(N, a, b) rom_call(VMI_CALL_##N, (uint64_t)(a), (uint64_t)(b), 0, 0)
#define CALL3(N, a, b, c) rom_call(VMI_CALL_##N, (uint64_t)(a), (uint64_t)(b), (uint64_t)(c), 0)
#define CALL4(N, a, b, c, d) \
	rom_call(VMI_CALL_##N, (uint64_t)(a), (uint64_t)(b), (uint64_t)(c), (uint64_t)(d))

#endif
