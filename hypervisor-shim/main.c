// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * vmi-shim: command line (modelled on QEMU's), then VM creation, ROM,
 * guest loading, vCPU threads, and the exit status the guest chose.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exit_status.h"
#include "layout.h"
#include "shim.h"

static const char usage[] =
	"usage: vmi-shim --kernel FILE [--initrd FILE] [--append CMDLINE] [--rom FILE]\n"
	"                [-m SIZE] [--smp N] [--stats] [--audit] [--console-limit SIZE]\n"
	"  --kernel FILE   Linux bzImage, or a PVH ELF test guest\n"
	"  --initrd FILE   initial ramdisk (bzImage) or first module (PVH)\n"
	"  --append LINE   kernel command line\n"
	"  --rom FILE      VMI ROM image, verified and mapped at its spec address\n"
	"  -m SIZE         guest RAM: MiB, or with a K/M/G suffix (default 256M)\n"
	"  --smp N         vCPUs, one thread each (default 1)\n"
	"  --stats         print hypercall statistics at exit\n"
	"  --audit         check the guest's page tables against its notifications\n"
	"  --console-limit SIZE  most console output kept, K/M/G suffix (default 64M)\n";

/* A byte count: a number with an optional K/M/G suffix (unit_shift without). */
static uint64_t parse_bytes(const char *option, const char *text, unsigned unit_shift)
{
	char *end;
	unsigned long long value;
	unsigned shift = unit_shift;

	errno = 0;
	value = strtoull(text, &end, 10);
	if (errno || end == text || text[0] < '0' || text[0] > '9')
		shim_usage_error("%s %s: not a size (a number, with a K/M/G suffix)", option, text);
	if (*end == 'K' || *end == 'k')
		shift = 10;
	else if (*end == 'M' || *end == 'm')
		shift = 20;
	else if (*end == 'G' || *end == 'g')
		shift = 30;
	if ((*end && shift == unit_shift && *end != 'M' && *end != 'm') || (*end && end[1]))
		shim_usage_error("%s %s: unknown suffix '%s'", option, text, end);
	if (value > (UINT64_MAX >> shift))
		shim_usage_error("%s %s: more than 2^64 bytes", option, text);
	return (uint64_t)value << shift;
}

static uint64_t parse_size(const char *text)
{
	uint64_t size;

	size = parse_bytes("-m", text, 20);
	if (size > SHIM_MAX_RAM)
		shim_usage_error("-m %s: at most %llu MiB are supported", text,
				 (unsigned long long)(SHIM_MAX_RAM >> 20));
	if (size < SHIM_MIN_RAM)
		shim_usage_error("-m %s: at least %llu MiB are needed", text,
				 (unsigned long long)(SHIM_MIN_RAM >> 20));
	return size & ~(SHIM_PAGE_SIZE - 1);
}

static int parse_smp(const char *text)
{
	char *end;
	long value;

	if (strncmp(text, "cpus=", 5) == 0)
		text += 5;
	value = strtol(text, &end, 10);
	if (end == text || *end || value < 1 || value > SHIM_MAX_VCPUS)
		shim_usage_error("--smp %s: give a vCPU count from 1 to %d", text, SHIM_MAX_VCPUS);
	return (int)value;
}

/* "--kernel" and QEMU's "-kernel" both match "kernel". */
static bool is_option(const char *arg, const char *name)
{
	if (arg[0] != '-')
		return false;
	arg += arg[1] == '-' ? 2 : 1;
	return strcmp(arg, name) == 0;
}

static const char *value_of(int argc, char **argv, int *i)
{
	if (*i + 1 >= argc)
		shim_usage_error("%s needs a value", argv[*i]);
	return argv[++*i];
}

static void parse_options(int argc, char **argv, struct shim_options *opts)
{
	int i;

	opts->ram_size = SHIM_DEFAULT_RAM;
	opts->smp = 1;
	opts->console_limit = CONSOLE_DEFAULT_LIMIT;
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (is_option(arg, "kernel"))
			opts->kernel = value_of(argc, argv, &i);
		else if (is_option(arg, "initrd"))
			opts->initrd = value_of(argc, argv, &i);
		else if (is_option(arg, "append"))
			opts->append = value_of(argc, argv, &i);
		else if (is_option(arg, "rom"))
			opts->rom = value_of(argc, argv, &i);
		else if (is_option(arg, "m"))
			opts->ram_size = parse_size(value_of(argc, argv, &i));
		else if (is_option(arg, "smp"))
			opts->smp = parse_smp(value_of(argc, argv, &i));
		else if (is_option(arg, "stats"))
			opts->stats = true;
		else if (is_option(arg, "audit"))
			opts->audit = true;
		else if (is_option(arg, "console-limit"))
			opts->console_limit = parse_bytes(arg, value_of(argc, argv, &i), 0);
		else if (is_option(arg, "help") || is_option(arg, "h")) {
			fputs(usage, stdout);
			exit(0);
		} else
			shim_usage_error("unknown argument '%s' (try --help)", arg);
	}
	if (!opts->kernel)
		shim_usage_error("no --kernel given (try --help)");
}

static void load_guest(struct shim_vm *vm)
{
	size_t size;
	/* Nothing larger than guest RAM can be loaded into it. */
	uint8_t *image = shim_read_file(vm->opts->kernel, "kernel", vm->mem.size, &size);

	if (boot_is_elf(image, size))
		boot_pvh(vm, image, size);
	else
		boot_linux(vm, image, size);
	free(image);
}

static void report_exit(struct shim_vm *vm)
{
	struct shim_stats *total = calloc(1, sizeof(*total));
	uint64_t refused = 0;
	int i;

	if (!total)
		shim_fatal("out of memory");
	console_drain(&vm->console, 2000);	/* the console comes before the report */
	for (i = 0; i < vm->nr_vcpus; i++)
		stats_add(total, &vm->vcpu[i].stats);
	for (i = 0; i <= VMI_NR_HYPERCALLS; i++)
		refused += total->hypercall[i].errors;
	if (vm->opts->stats)
		stats_print(stderr, total);
	if (refused)
		fprintf(stderr, "vmi-shim: %" PRIu64 " bad hypercalls refused\n", refused);
	if (total->string_io_refused)
		fprintf(stderr, "vmi-shim: %" PRIu64 " string I/O writes to the hypercall port refused\n",
			total->string_io_refused);
	if (vm->audit) {
		audit_finish(vm->audit);
		audit_print_summary(vm->audit, stderr);
	}
	fprintf(stderr, "vmi-shim: %s, exit status %d\n", vm->exit_reason, vm->exit_status);
	free(total);
}

int main(int argc, char **argv)
{
	static struct shim_vm vm;
	struct shim_options opts = { 0 };

	signal(SIGPIPE, SIG_IGN);	/* a closed stdout must not kill the VM */
	parse_options(argc, argv, &opts);
	vm.opts = &opts;
	vm.nr_vcpus = opts.smp;
	vm.mem.size = opts.ram_size;
	pthread_mutex_init(&vm.exit_lock, NULL);
	pthread_cond_init(&vm.exit_cond, NULL);
	/* Every argument is checked and the guest laid out before KVM is touched. */
	ram_allocate(&vm);
	if (opts.rom)
		rom_load(&vm, opts.rom);
	load_guest(&vm);
	kvm_create_vm(&vm);
	console_init(&vm.console, STDOUT_FILENO, opts.console_limit);
	serial_init(&vm.serial, vm.vm_fd, &vm.console);
	kvm_create_vcpus(&vm);
	boot_apply(&vm);
	if (opts.audit && !(vm.audit = audit_create(&vm.mem, stderr, (unsigned)vm.nr_vcpus)))
		shim_fatal("out of memory for the audit");
	signals_start(&vm);
	console_start(&vm.console);
	serial_start_input(&vm.serial);
	vcpu_start_all(&vm);
	vm_wait_for_exit(&vm);
	report_exit(&vm);
	return vm.exit_status;
}
