/*
 * Guarded calls: every ROM call runs through conf_guarded_call with a
 * canary in every register, so each call records what it clobbered, how
 * much stack it used, and any exception, and the suite never crashes on
 * a ROM fault.
 */
#include "rom.h"
#include "cpu.h"

struct guarded_call {
	uint64_t target;
	uint64_t regs_in[NR_GPRS];
	uint64_t regs_out[NR_GPRS];
	uint64_t rflags_in, rflags_out;
	uint64_t rsp_at_call, stack_used, faulted;
};
_Static_assert(sizeof(struct guarded_call) == GC_SIZE, "guarded_call layout");
_Static_assert(__builtin_offsetof(struct guarded_call, regs_out) == GC_REGS_OUT, "regs_out");
_Static_assert(__builtin_offsetof(struct guarded_call, faulted) == GC_FAULTED, "faulted");

void conf_guarded_call(struct guarded_call *gc);

#define CANARY_BASE 0xca7a000000000000ULL

static const uint32_t preserved_by_conv[] = {
	[VMI_CONV_SYSV] = CONF_PRESERVED_SYSV,
	[VMI_CONV_CALLEE_SAVE] = CONF_PRESERVED_CALLEE_SAVE,
	[VMI_CONV_NORETURN] = CONF_PRESERVED_NORETURN,
};

#define SHAPE(nr, n, ret, nat) [nr] = { n, ret, nat },
static const uint8_t shapes[VMI_NR_CALLS][3] = { CONF_CALL_SHAPES(SHAPE) };
#undef SHAPE

#define META(nr, name, NAME, GROUP, CONV, since, defer) \
	[nr] = { #name, VMI_GROUP_##GROUP, VMI_CONV_##CONV, since, defer, 0, 0, 0, 0 },
const struct call_meta call_meta_base[VMI_NR_CALLS] = { VMI_CALLS(META) };
#undef META

struct call_meta call_meta[VMI_NR_CALLS];
struct call_result last;
unsigned calls_made[VMI_NR_CALLS];
static uint64_t canary_seq;

/* Joins the X-macro's data with the generated shapes, once at boot. */
void call_meta_init(void)
{
	struct call_meta *m = call_meta;

	for (unsigned nr = 0; nr < VMI_NR_CALLS; nr++) {
		m[nr] = call_meta_base[nr];
		m[nr].nargs = shapes[nr][0];
		m[nr].returns_value = shapes[nr][1];
		m[nr].has_native = shapes[nr][2];
		m[nr].preserved = preserved_by_conv[m[nr].conv];
	}
}

static const uint8_t arg_regs[4] = { REG_RDI, REG_RSI, REG_RDX, REG_RCX };

void guarded_run(uint64_t target, unsigned nr, const uint64_t args[4],
		 uint64_t rflags, struct call_result *out)
{
	struct guarded_call gc = { .target = target, .rflags_in = rflags };
	uint32_t preserved = call_meta[nr].preserved;

	canary_seq++;
	for (unsigned r = 0; r < NR_GPRS; r++)
		gc.regs_in[r] = CANARY_BASE | ((uint64_t)r << 40) | canary_seq;
	for (unsigned i = 0; i < 4; i++)
		gc.regs_in[arg_regs[i]] = args[i];
	conf_guarded_call(&gc);
	*out = (struct call_result){ .ret = gc.regs_out[REG_RAX], .rflags_in = rflags,
				     .rflags = gc.rflags_out, .stack_used = gc.stack_used };
	memcpy(out->regs_in, gc.regs_in, sizeof(gc.regs_in));
	memcpy(out->regs_out, gc.regs_out, sizeof(gc.regs_out));
	if (gc.faulted) {
		out->fault = (unsigned)gc.faulted;
		out->fault_rip = last_exception.rip;
		out->fault_cr2 = last_exception.cr2;
		out->ret = 0;
		return;
	}
	out->regs_in[REG_RSP] = gc.rsp_at_call;
	for (unsigned r = 0; r < NR_GPRS; r++)
		if ((preserved & (1u << r)) && gc.regs_out[r] != out->regs_in[r])
			out->clobbered |= 1u << r;
}

uint64_t rom_call(unsigned nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	const uint64_t args[4] = { a0, a1, a2, a3 };

	if (nr >= VMI_NR_CALLS || !rom_present(nr)) {
		last = (struct call_result){ .absent = true };
		return 0;
	}
	calls_made[nr]++;
	guarded_run((uint64_t)(rom.image + rom_entry(nr)->offset), nr, args,
		    native_save_fl(), &last);
	return last.ret;
}

const char *fault_text(const struct call_result *r)
{
	static char text[120];
	uint64_t base = (uint64_t)rom.image;

	if (r->absent)
		return " (absent from the ROM)";
	if (!r->fault)
		return "";
	if (r->fault_rip >= base && r->fault_rip < base + rom.size)
		conf_snprintf(text, sizeof(text), " (faulted: %s at rom+0x%lx, cr2 %lx)",
			      exception_name(r->fault - 1), r->fault_rip - base, r->fault_cr2);
	else
		conf_snprintf(text, sizeof(text), " (faulted: %s at %lx, cr2 %lx)",
			      exception_name(r->fault - 1), r->fault_rip, r->fault_cr2);
	return text;
}

bool need(unsigned nr)
{
	if (rom_present(nr))
		return true;
	report_skip("%s: not offered by this ROM (the guest keeps its native operation)",
		    call_meta[nr].name);
	return false;
}
