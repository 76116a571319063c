// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libFuzzer target over the shim's whole exit path: vcpu_handle_exit() on
 * a kvm_run the harness fills as KVM would, for the two vCPUs of one VM,
 * which share the UART and its console (with its cap), the power-management
 * ports and one audit. So ports.c, serial.c, console.c, hypercall_port.c
 * and hypercall.c run as under KVM, without it: registers travel in kvm_run (sync_regs),
 * vCPU fds are -1, and what would still ask KVM fails as on a closed
 * descriptor. Guest RAM is 1..4 MiB with no access around it, written
 * where the input says, with optional identity page tables; the input also
 * schedules guest writes during the VMM's reads of guest memory (page-table
 * entries, batch records), the other vCPU's stores in a real VM.
 *
 * Input: a header, then records until the input ends.
 *   header  flags (1), RAM pages above 1 MiB (2, modulo 769), console
 *           limit in bytes (2), audit limits (1: tables per call 1 + bits
 *           0-2, tables kept 1 + 4 * bits 3-7; with FLAG_AUDIT_LIMITS)
 *   record  op (1): bits 0-2 the kind, bit 3 the vCPU, bit 4 an option;
 *     0 RAM    fuzz_ram_bytes(); option: fuzz_ram_fill() (fuzz_common.h)
 *     1 FLIP   delay (2), offset (4), mask (1): a guest write after that
 *              many more reads, into the read; option: anywhere in RAM
 *     2 REGS   rax rbx rcx rsi rdi rip (6 x 8), cr3 (8), mode (1): bit 0
 *              CR0.PG, 1 EFER.LMA, 2 CR0.WP, 3 CS.L, 4-5 SS.DPL (the CPL)
 *     3 HCALL  nr (1, modulo 10), a0..a3 (4 x 8): those registers, the
 *              instruction at rip (option: what RAM holds there), then
 *              the exit of "outl %eax, %dx" to the hypercall port
 *     4 IO     how (1): bit 0 out, bits 1-2 size 1/2/4/4, bit 3 string;
 *              port (1: an index into claimed_ports, or past it a port in 2
 *              more bytes); count - 1 of a string (2); an out's data
 *     5 MMIO   is_write (1), len - 1 (1), address (8), data (8)
 *     6 EXIT   reason (1: an index into other_exits, or past it the 4
 *              detail bytes as the exit reason), detail (4)
 *     7 DRAIN  what the vCPU's thread does with the console once it has
 *              stopped and the VM ends badly (the other vCPU may still print)
 *
 * Once the VM is ending (vm_request_exit() only records why: nothing here
 * ends the process), the vCPU that ended it takes no more exits and the
 * other one at most one, the exit it may have been handling meanwhile.
 * After each exit the harness checks what KVM and the vCPU thread rely on:
 * only rax changes, and is marked dirty when it does; an out's data and
 * the rest of the I/O page stay as they were; a vCPU that stops has ended
 * the VM. At the end: every byte the console accepted reached the host,
 * and no more than its cap and its kept tail; no hypercall carried more
 * than a batch.
 */
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <vmi/vmi_hypercall.h>
#include <vmi/vmi_platform.h>

#include "layout.h"
#include "shim.h"

#include "fuzz_common.h"

#define NR_VCPUS 2
#define RAM_MIN_PAGES 256
#define RAM_MAX_PAGES 1024
/* KVM's I/O data page follows struct kvm_run (KVM_PIO_PAGE_OFFSET). */
#define PIO_OFFSET 0x1000
#define PIO_BYTES 0x1000
#define RUN_SIZE (PIO_OFFSET + PIO_BYTES)
#define PIO_CANARY 0xa5
#define CR0_PE 0x1ULL
#define CR0_WP (1ULL << 16)
#define CR0_PG (1ULL << 31)
#define CR4_PAE 0x20ULL
#define EFER_LONG 0x500ULL	/* LME, LMA */
#define EFER_LMA (1ULL << 10)
#define CODE_GPA 0x8000ULL	/* where the vCPUs start out */
#define OUT_EAX_DX 0xef
#define CONSOLE_NOTICE_MAX 128	/* the line before the tail past the cap */

#define FLAG_AUDIT 0x01
#define FLAG_IDENTITY 0x02
#define FLAG_SMALL_PAGES 0x04
#define FLAG_IOCTL_REGS 0x08	/* no sync_regs: registers by ioctl, which fails */
#define FLAG_NO_TSC 0x10
#define FLAG_DEFAULT_LIMIT 0x20
#define FLAG_AUDIT_LIMITS 0x40
#define FLAG_REPORT 0x80	/* the --stats report and audit summary at the end */

#define OP_VCPU 0x08
#define OP_OPTION 0x10

_Static_assert(sizeof(struct kvm_run) <= PIO_OFFSET, "kvm_run fits before the I/O page");

static const uint16_t claimed_ports[] = {
	VMI_PLATFORM_SERIAL_PORT, VMI_PLATFORM_SERIAL_PORT + 1, VMI_PLATFORM_SERIAL_PORT + 2,
	VMI_PLATFORM_SERIAL_PORT + 3, VMI_PLATFORM_SERIAL_PORT + 4, VMI_PLATFORM_SERIAL_PORT + 5,
	VMI_PLATFORM_SERIAL_PORT + 6, VMI_PLATFORM_SERIAL_PORT + 7, VMI_HC_PORT,
	VMI_PLATFORM_DEBUG_EXIT_PORT, VMI_PLATFORM_DEBUG_EXIT_PORT + 3, SHIM_PORT_PM1A_EVT,
	SHIM_PORT_PM1A_EVT + 2, SHIM_PORT_PM1A_CNT, SHIM_PORT_PM1A_CNT + 1, SHIM_PORT_RESET,
	SHIM_PORT_I8042_CMD, SHIM_PORT_CMOS_INDEX, SHIM_PORT_CMOS_DATA,
	VMI_PLATFORM_SERIAL_PORT - 1, VMI_PLATFORM_SERIAL_PORT + 8, VMI_HC_PORT + 1,
};
#define NR_CLAIMED (sizeof(claimed_ports) / sizeof(claimed_ports[0]))

static const uint32_t other_exits[] = {
	KVM_EXIT_HLT, KVM_EXIT_INTR, KVM_EXIT_SHUTDOWN, KVM_EXIT_SYSTEM_EVENT,
	KVM_EXIT_INTERNAL_ERROR, KVM_EXIT_FAIL_ENTRY,
};
#define NR_OTHER_EXITS (sizeof(other_exits) / sizeof(other_exits[0]))

static struct shim_vm vm;
static struct shim_options options;
static struct fuzz_ram ram;
static struct kvm_run *run_area[NR_VCPUS];
static int console_pipe[2];	/* what the console writes goes here */

/* One input's run. */
struct exit_state {
	struct fuzz_input in;
	int budget[NR_VCPUS];	/* exits a vCPU may still take; -1: until the VM ends */
	bool drained[NR_VCPUS];	/* its thread drained the console at its end */
	unsigned drains;
	uint64_t console_bytes;	/* what reached the host */
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int i;

	(void)argc;
	(void)argv;
	fuzz_quiet_stderr();
	fuzz_ram_init(&ram, (uint64_t)RAM_MAX_PAGES << GMEM_PAGE_SHIFT);
	for (i = 0; i < NR_VCPUS; i++)
		if (!(run_area[i] = malloc(RUN_SIZE)))
			fuzz_fail("out of memory");
	if (pipe2(console_pipe, O_NONBLOCK | O_CLOEXEC) != 0)
		fuzz_fail("no pipe for the console");
	fcntl(console_pipe[1], F_SETPIPE_SZ, 1 << 20);	/* more room; 64 KiB would do */
	pthread_mutex_init(&vm.exit_lock, NULL);
	pthread_cond_init(&vm.exit_cond, NULL);
	return 0;
}

static void drain_console(struct exit_state *st)
{
	static uint8_t sink[1 << 16];
	ssize_t got;

	while ((got = read(console_pipe[0], sink, sizeof(sink))) > 0)
		st->console_bytes += (uint64_t)got;
}

/* A vCPU in 64-bit mode at CPL 0 with the identity tables' cr3. */
static void vcpu_reset(int index)
{
	struct shim_vcpu *vcpu = &vm.vcpu[index];
	struct kvm_run *run = run_area[index];

	*vcpu = (struct shim_vcpu){ .vm = &vm, .index = index, .fd = -1, .run = run };
	memset(run, 0, sizeof(*run));
	run->kvm_valid_regs = KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS;
	run->s.regs.regs.rflags = 0x2;
	run->s.regs.regs.rip = CODE_GPA;
	run->s.regs.sregs.cs.l = 1;
	run->s.regs.sregs.cr0 = CR0_PE | CR0_WP | CR0_PG;
	run->s.regs.sregs.cr3 = FUZZ_PML4_GPA;
	run->s.regs.sregs.cr4 = CR4_PAE;
	run->s.regs.sregs.efer = EFER_LONG;
}

static struct audit *audit_for(uint8_t flags, uint8_t limits_byte)
{
	struct audit_limits limits = { 1 + (limits_byte & 7), 1 + 4 * (limits_byte >> 3) };

	if (!(flags & FLAG_AUDIT))
		return NULL;
	if (flags & FLAG_AUDIT_LIMITS)
		return audit_create_limited(&vm.mem, fuzz_null_file(), NR_VCPUS, limits);
	return audit_create(&vm.mem, fuzz_null_file(), NR_VCPUS);
}

/* The VM as main() leaves it when the vCPU threads start, from the header. */
static void vm_reset(struct fuzz_input *in)
{
	uint8_t flags = (uint8_t)fuzz_take(in, 1);
	uint64_t pages = RAM_MIN_PAGES + fuzz_take(in, 2) % (RAM_MAX_PAGES - RAM_MIN_PAGES + 1);
	uint64_t limit = fuzz_take(in, 2);
	uint8_t audit_limits = (uint8_t)fuzz_take(in, 1);
	int i;

	vm.opts = &options;
	vm.kvm_fd = vm.vm_fd = -1;
	vm.mem.size = pages << GMEM_PAGE_SHIFT;
	vm.mem.ram = fuzz_ram_get(&ram, vm.mem.size);
	vm.rom_size = 0;
	vm.run_size = RUN_SIZE;
	vm.sync_regs = !(flags & FLAG_IOCTL_REGS);
	vm.nr_vcpus = NR_VCPUS;
	for (i = 0; i < NR_VCPUS; i++)
		vcpu_reset(i);
	/* No writer thread: each byte is written as it is printed. */
	console_init(&vm.console, console_pipe[1],
		     (flags & FLAG_DEFAULT_LIMIT) ? CONSOLE_DEFAULT_LIMIT : limit);
	serial_init(&vm.serial, -1, &vm.console);
	vm.tsc_hz = (flags & FLAG_NO_TSC) ? 0 : 2500000000ULL;
	vm.pm1_enable = 0;
	vm.exiting = false;
	vm.exit_status = 0;
	vm.exit_reason = NULL;
	fuzz_flips_reset(vm.mem.ram, vm.mem.size);
	if (flags & FLAG_IDENTITY)
		fuzz_identity_tables(vm.mem.ram, vm.mem.size, flags & FLAG_SMALL_PAGES);
	vm.audit = audit_for(flags, audit_limits);
	options.stats = flags & FLAG_REPORT;
}

/* Only rax may change, and KVM must be told when it does. */
static void check_registers(const struct kvm_run *run, const struct kvm_regs *regs,
			    const struct kvm_sregs *sregs)
{
	struct kvm_regs now = run->s.regs.regs;

	now.rax = regs->rax;
	if (memcmp(&now, regs, sizeof(now)) != 0 || memcmp(&run->s.regs.sregs, sregs, sizeof(*sregs)))
		fuzz_fail("an exit changed registers other than rax");
	if (run->s.regs.regs.rax != regs->rax && !(run->kvm_dirty_regs & KVM_SYNC_X86_REGS))
		fuzz_fail("rax changed without KVM_SYNC_X86_REGS: KVM would drop the result");
	if (run->kvm_dirty_regs & ~(uint64_t)KVM_SYNC_X86_REGS)
		fuzz_fail("an exit marked registers dirty it did not change");
}

/* May vCPU v take an exit now? Counts it when it may. */
static bool may_exit(struct exit_state *st, int v)
{
	if (st->budget[v] == 0)
		return false;
	if (st->budget[v] > 0)
		st->budget[v]--;
	return true;
}

/* Handles the exit prepared in vCPU v's kvm_run as its thread does, and checks. */
static void take_exit(struct exit_state *st, int v)
{
	struct shim_vcpu *vcpu = &vm.vcpu[v];
	struct kvm_run *run = vcpu->run;
	struct kvm_regs regs = run->s.regs.regs;
	struct kvm_sregs sregs = run->s.regs.sregs;
	bool was_exiting = vm.exiting, go_on;

	run->kvm_dirty_regs = 0;	/* KVM consumed the last ones */
	vcpu_note_exit(vcpu);
	go_on = vcpu_handle_exit(vcpu);
	check_registers(run, &regs, &sregs);
	if (!go_on && !vm.exiting)
		fuzz_fail("vCPU %d stopped but the VM runs on: nothing would end it", v);
	if (vm.exiting && !vm.exit_reason)
		fuzz_fail("the VM ends without a reason");
	if (!go_on || (vm.exiting && !was_exiting))
		st->budget[v] = 0;
	if (vm.exiting && !was_exiting && st->budget[1 - v] != 0)
		st->budget[1 - v] = 1;
	drain_console(st);
}

/* A fresh exit of this reason: KVM rewrites the union each time. */
static struct kvm_run *begin_exit(int v, uint32_t reason)
{
	struct kvm_run *run = run_area[v];

	run->exit_reason = reason;
	memset(&run->io, 0, offsetof(struct kvm_run, kvm_valid_regs) - offsetof(struct kvm_run, io));
	return run;
}

/* An I/O exit as KVM reports one: data in the page after kvm_run. */
static void io_exit(struct exit_state *st, int v, bool out, unsigned size, uint16_t port,
		    uint32_t count, const uint8_t *data, size_t len)
{
	static uint8_t before[PIO_BYTES];
	struct kvm_run *run = begin_exit(v, KVM_EXIT_IO);
	uint8_t *pio = (uint8_t *)run + PIO_OFFSET;
	size_t bytes = (size_t)size * count;

	run->io.direction = out ? KVM_EXIT_IO_OUT : KVM_EXIT_IO_IN;
	run->io.size = (uint8_t)size;
	run->io.port = port;
	run->io.count = count;
	run->io.data_offset = PIO_OFFSET;
	memset(pio, PIO_CANARY, PIO_BYTES);
	if (out) {
		memset(pio, 0, bytes);
		memcpy(pio, data, len < bytes ? len : bytes);
	}
	memcpy(before, pio, PIO_BYTES);
	take_exit(st, v);
	if (memcmp(pio + (out ? 0 : bytes), before + (out ? 0 : bytes), PIO_BYTES - (out ? 0 : bytes)))
		fuzz_fail("an I/O exit wrote %s", out ? "into the data of an out" :
			  "past the data of an in");
}

static void io_record(struct exit_state *st, int v)
{
	static const unsigned sizes[] = { 1, 2, 4, 4 };
	struct fuzz_input *in = &st->in;
	uint8_t how = (uint8_t)fuzz_take(in, 1);
	unsigned size = sizes[(how >> 1) & 3], pick = (unsigned)fuzz_take(in, 1);
	uint16_t port = pick < NR_CLAIMED ? claimed_ports[pick] : (uint16_t)fuzz_take(in, 2);
	uint32_t count = (uint32_t)fuzz_take(in, 2) % (PIO_BYTES / size) + 1;
	const uint8_t *data = NULL;
	size_t len = 0;

	if (!(how & 8))
		count = 1;
	if (how & 1)
		data = fuzz_take_bytes(in, (size_t)size * count, &len);
	if (may_exit(st, v))
		io_exit(st, v, how & 1, size, port, count, data, len);
}

static void regs_record(struct fuzz_input *in, int v)
{
	struct kvm_regs *regs = &run_area[v]->s.regs.regs;
	struct kvm_sregs *sregs = &run_area[v]->s.regs.sregs;
	uint8_t mode;

	regs->rax = fuzz_take(in, 8);
	regs->rbx = fuzz_take(in, 8);
	regs->rcx = fuzz_take(in, 8);
	regs->rsi = fuzz_take(in, 8);
	regs->rdi = fuzz_take(in, 8);
	regs->rip = fuzz_take(in, 8);
	sregs->cr3 = fuzz_take(in, 8);
	mode = (uint8_t)fuzz_take(in, 1);
	sregs->cr0 = CR0_PE | ((mode & 1) ? CR0_PG : 0) | ((mode & 4) ? CR0_WP : 0);
	sregs->efer = (mode & 2) ? EFER_LONG : 0;
	sregs->cs.l = (mode >> 3) & 1;
	sregs->ss.dpl = (mode >> 4) & 3;
}

/*
 * The guest's code at rip is "out %eax, %dx" (the shim reads the opcode):
 * written where rip translates for the vCPU, nowhere when it does not.
 */
static void place_out_instruction(int v)
{
	const struct kvm_regs *regs = &run_area[v]->s.regs.regs;
	const struct kvm_sregs *sregs = &run_area[v]->s.regs.sregs;
	struct gmem_mmu mmu = { .cr3 = sregs->cr3, .paging = sregs->cr0 & CR0_PG,
				.long_mode = sregs->efer & EFER_LMA };
	bool mode64 = (sregs->efer & EFER_LMA) && sregs->cs.l;
	uint64_t linear = mode64 ? regs->rip : (uint32_t)(sregs->cs.base + regs->rip), gpa;

	fuzz_flips_pause(true);	/* the harness's own reads are no guest's business */
	if (gmem_translate(&vm.mem, &mmu, linear, &gpa) == VMI_OK)
		vm.mem.ram[gpa] = OUT_EAX_DX;
	fuzz_flips_pause(false);
}

/* "outl %eax, %dx" with the hypercall's registers; with the option, whatever code is at rip. */
static void hypercall_record(struct exit_state *st, int v, bool as_is)
{
	struct kvm_regs *regs = &run_area[v]->s.regs.regs;
	uint32_t nr = (uint32_t)(fuzz_take(&st->in, 1) % (VMI_NR_HYPERCALLS + 1));

	regs->rax = nr;
	regs->rbx = fuzz_take(&st->in, 8);
	regs->rcx = fuzz_take(&st->in, 8);
	regs->rsi = fuzz_take(&st->in, 8);
	regs->rdi = fuzz_take(&st->in, 8);
	if (!as_is)
		place_out_instruction(v);
	if (may_exit(st, v))
		io_exit(st, v, true, 4, VMI_HC_PORT, 1, (const uint8_t *)&nr, sizeof(nr));
}

static void mmio_record(struct exit_state *st, int v)
{
	bool is_write = fuzz_take(&st->in, 1) & 1;
	uint32_t len = (uint32_t)(fuzz_take(&st->in, 1) % 8 + 1);
	uint64_t address = fuzz_take(&st->in, 8);
	uint64_t data = fuzz_take(&st->in, 8);
	struct kvm_run *run;

	if (!may_exit(st, v))
		return;
	run = begin_exit(v, KVM_EXIT_MMIO);
	run->mmio.phys_addr = address;
	run->mmio.len = len;
	run->mmio.is_write = is_write;
	memcpy(run->mmio.data, &data, sizeof(data));
	take_exit(st, v);
}

static void other_exit_record(struct exit_state *st, int v)
{
	unsigned pick = (unsigned)fuzz_take(&st->in, 1);
	uint32_t detail = (uint32_t)fuzz_take(&st->in, 4);
	uint32_t reason = pick < NR_OTHER_EXITS ? other_exits[pick] : detail;
	struct kvm_run *run;

	if (reason == KVM_EXIT_IO)
		reason = KVM_EXIT_UNKNOWN;	/* KVM fills io for every I/O exit: io_record */
	if (!may_exit(st, v))
		return;
	run = begin_exit(v, reason);
	run->system_event.type = detail;
	if (reason == KVM_EXIT_INTERNAL_ERROR)
		run->internal.suberror = detail;
	else if (reason == KVM_EXIT_FAIL_ENTRY)
		run->fail_entry.hardware_entry_failure_reason = detail;
	take_exit(st, v);
}

/* After its last exit, a vCPU thread drains the console when the VM ended badly. */
static void thread_end_record(struct exit_state *st, int v)
{
	if (st->budget[v] || st->drained[v] || !vm.exiting || !vcpu_state_wanted(vm.exit_status))
		return;
	st->drained[v] = true;
	st->drains++;
	console_drain(&vm.console, 0);
	drain_console(st);
}

static void record(struct exit_state *st)
{
	uint8_t op = (uint8_t)fuzz_take(&st->in, 1);
	int v = (op & OP_VCPU) ? 1 : 0;
	struct fuzz_input *in = &st->in;

	switch (op & 7) {
	case 0:
		(op & OP_OPTION ? fuzz_ram_fill : fuzz_ram_bytes)(vm.mem.ram, vm.mem.size, in);
		break;
	case 1: {
		uint32_t delay = (uint32_t)fuzz_take(in, 2), offset = (uint32_t)fuzz_take(in, 4);

		fuzz_flip_add(delay, offset, (uint8_t)fuzz_take(in, 1), op & OP_OPTION);
		break;
	}
	case 2: regs_record(in, v); break;
	case 3: hypercall_record(st, v, op & OP_OPTION); break;
	case 4: io_record(st, v); break;
	case 5: mmio_record(st, v); break;
	case 6: other_exit_record(st, v); break;
	default:
		thread_end_record(st, v);
		break;
	}
}

/* No hypercall carries more operations than a batch holds, nor one MMU call more than one. */
static void check_stats(const struct shim_stats *stats)
{
	size_t i;

	for (i = 0; i <= VMI_NR_HYPERCALLS; i++)
		if (stats->hypercall[i].ops_max > VMI_HC_MAX_BATCH)
			fuzz_fail("hypercall %zu carried %llu operations", i,
				  (unsigned long long)stats->hypercall[i].ops_max);
	for (i = 0; i <= VMI_NR_CALLS; i++)
		if (stats->mmu_op[i].ops_max > 1)
			fuzz_fail("MMU call %zu counted %llu operations", i,
				  (unsigned long long)stats->mmu_op[i].ops_max);
}

/*
 * Every byte the console accepted reached the host; it accepted no more than
 * its cap, and wrote no more than that and, at each drain, the tail it keeps
 * past the cap with the line that introduces it.
 */
static void check_console(const struct exit_state *st)
{
	const struct shim_console *console = &vm.console;

	if (console->total > console->limit || st->console_bytes < console->total ||
	    st->console_bytes > console->total + (st->drains + 1) * (CONSOLE_TAIL + CONSOLE_NOTICE_MAX))
		fuzz_fail("console: %llu bytes accepted, %llu written, cap %llu",
			  (unsigned long long)console->total, (unsigned long long)st->console_bytes,
			  (unsigned long long)console->limit);
}

/* What main() does once the vCPUs have stopped, and the checks of the whole run. */
static void vm_finish(struct exit_state *st)
{
	static struct shim_stats total;
	int i;

	console_drain(&vm.console, 0);
	drain_console(st);
	check_console(st);
	for (i = 0; i < NR_VCPUS; i++)
		check_stats(&vm.vcpu[i].stats);
	if (options.stats) {
		memset(&total, 0, sizeof(total));
		for (i = 0; i < NR_VCPUS; i++)
			stats_add(&total, &vm.vcpu[i].stats);
		stats_print(fuzz_verbose() ? stderr : fuzz_null_file(), &total);
	}
	if (fuzz_verbose())
		fuzz_report("%s (status %d), console %llu bytes, %llu guest-memory reads\n",
			    vm.exiting ? vm.exit_reason : "still running", vm.exit_status,
			    (unsigned long long)st->console_bytes, (unsigned long long)fuzz_reads());
	if (vm.audit) {
		audit_finish(vm.audit);
		if (options.stats || fuzz_verbose())
			audit_print_summary(vm.audit, fuzz_verbose() ? stderr : fuzz_null_file());
		audit_destroy(vm.audit);
		vm.audit = NULL;
	}
	pthread_mutex_destroy(&vm.serial.lock);
	pthread_mutex_destroy(&vm.console.lock);
	pthread_cond_destroy(&vm.console.queued);
	pthread_cond_destroy(&vm.console.room);
	fuzz_ram_put(&ram, vm.mem.ram, vm.mem.size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct exit_state st = { .in = { data, size }, .budget = { -1, -1 } };

	vm_reset(&st.in);
	while (st.in.size && (st.budget[0] || st.budget[1]))
		record(&st);
	vm_finish(&st);
	return 0;
}
