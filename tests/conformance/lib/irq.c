/*
 * Exception and interrupt dispatch. An exception while a guard is armed
 * (a ROM call or a memory probe) is recorded and the guard resumes; any
 * other exception is the suite's own bug and ends the run without a
 * summary line, which the runner counts as a crash.
 */
#include "conf.h"
#include "cpu.h"

#define FIRST_IRQ_VECTOR 32

extern uint64_t conf_guard_rip, conf_guard_rsp, conf_guard_vector;
extern uint32_t conf_guard_armed;

volatile uint64_t irq_count[256];
struct exception_record last_exception;

static const char *const names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "CSO",
	"#TS", "#NP", "#SS", "#GP", "#PF", "#15", "#MF", "#AC", "#MC", "#XM",
	"#VE", "#CP", "#22", "#23", "#24", "#25", "#26", "#27", "#HV", "#VC",
	"#SX", "#31",
};

const char *exception_name(unsigned vector)
{
	return vector < 32 ? names[vector] : "interrupt";
}

static void resume_guard(struct isr_frame *f)
{
	conf_guard_armed = 0;
	conf_guard_vector = f->vector;
	f->rip = conf_guard_rip;
	f->rsp = conf_guard_rsp;
	f->cs = SEL_CODE;
	f->ss = SEL_DATA;
	f->rflags = 0x2;        /* IF clear, reserved bit 1 set */
}

void conf_isr_dispatch(struct isr_frame *f)
{
	if (f->vector >= FIRST_IRQ_VECTOR) {
		irq_count[f->vector]++;
		if (f->vector != VEC_SPURIOUS)
			apic_eoi();
		return;
	}
	last_exception = (struct exception_record){
		f->vector, f->error_code, f->rip, native_read_cr2(),
	};
	if (conf_guard_armed) {
		resume_guard(f);
		return;
	}
	conf_abort("unexpected %s (vector %lu) at rip %lx, error %lx, cr2 %lx",
		   exception_name(f->vector), f->vector, f->rip, f->error_code,
		   last_exception.cr2);
}
