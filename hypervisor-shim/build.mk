# hypervisor-shim: the vmi-shim VMM, its fuzz target and its tests.
# See hypervisor-shim/README.md.
SHIM_DIR   := hypervisor-shim
SHIM_BUILD := $(BUILD)/shim
SHIM       := $(BUILD)/vmi-shim
# Hypercall decoding and its helpers: no KVM, shared with the fuzz target.
SHIM_CORE  := hypercall.c gmem.c stats.c audit.c audit_walk.c audit_suspect.c
SHIM_SRCS  := main.c kvm.c boot_common.c boot_linux.c boot_pvh.c memmap.c acpi.c \
	      rom.c vcpu.c vcpu_dump.c signals.c ports.c hypercall_port.c serial.c console.c util.c $(SHIM_CORE)
SHIM_OBJS  := $(SHIM_SRCS:%.c=$(SHIM_BUILD)/obj/%.o) $(SHIM_BUILD)/obj/vmi_rom_parse.o
SHIM_CFLAGS := $(HOST_CFLAGS) -I$(TOP)/rom/parser -pthread -MMD -MP

# Static, so the nested test host can run it from a bare initramfs.
$(SHIM): $(SHIM_OBJS)
	$(CC) -static -pthread -o $@ $^

$(SHIM_BUILD)/obj/%.o: $(SHIM_DIR)/%.c
	@mkdir -p $(@D)
	$(CC) $(SHIM_CFLAGS) -c $< -o $@

$(SHIM_BUILD)/obj/vmi_rom_parse.o: rom/parser/vmi_rom_parse.c
	@mkdir -p $(@D)
	$(CC) $(SHIM_CFLAGS) -c $< -o $@

-include $(SHIM_OBJS:.o=.d)

ALL += $(SHIM)
.PHONY: shim
shim: $(SHIM)

# --- Tests -----------------------------------------------------------------
SHIM_TESTS := $(SHIM_DIR)/tests
SHIM_GUEST := $(SHIM_BUILD)/test-guest.elf
SHIM_INITRAMFS := $(SHIM_BUILD)/test-initramfs.cpio.gz
SHIM_GUEST_CFLAGS := -std=c11 -O2 -Wall -Wextra -Werror -ffreestanding -nostdlib \
	-fno-pic -fno-pie -mno-red-zone -mgeneral-regs-only -fno-stack-protector \
	-fcf-protection=none -Wa,--noexecstack -I$(TOP)/abi/include
SHIM_GUEST_SRCS := $(addprefix $(SHIM_TESTS)/guest/,entry.S guest.c hostile.c memory.c ring3.c traps.S smp.c trampoline.S)

$(SHIM_GUEST): $(SHIM_GUEST_SRCS) $(SHIM_TESTS)/guest/link.ld $(wildcard $(SHIM_TESTS)/guest/*.h) \
		$(wildcard abi/include/vmi/*.h)
	@mkdir -p $(@D)
	$(CC) $(SHIM_GUEST_CFLAGS) -static -no-pie -Wl,--build-id=none -Wl,-T,$(SHIM_TESTS)/guest/link.ld \
		-o $@ $(SHIM_GUEST_SRCS)

$(SHIM_INITRAMFS): $(SHIM_TESTS)/mkinitramfs $(SHIM_TESTS)/initramfs-init
	$(SHIM_TESTS)/mkinitramfs $@

# Debian's stock cloud kernel (downloaded once into $(CACHE)).
SHIM_STOCK_KERNEL = $$(CACHE=$(CACHE) $(TOP)/tests/testhost/debian-kernel cloud-amd64)/boot/vmlinuz-*

.PHONY: check-shim-args check-shim-boot
check-shim-args: $(SHIM)
	cd $(SHIM_TESTS) && $(PYTHON) test_args.py $(SHIM) $(SHIM_STOCK_KERNEL)

check-shim-boot: $(SHIM) $(SHIM_GUEST) $(SHIM_INITRAMFS)
	cd $(SHIM_TESTS) && CACHE=$(CACHE) $(PYTHON) test_boot.py $(SHIM) $(SHIM_STOCK_KERNEL) \
		$(SHIM_INITRAMFS) $(SHIM_GUEST) $(BUILD)/rom/shim.rom

CHECKS += check-shim-args check-shim-boot
ALL += $(SHIM_GUEST)

# Host unit tests of the handlers and the audit, under ASan and UBSan.
SHIM_CORE_SRCS := $(addprefix $(SHIM_DIR)/,$(SHIM_CORE))
SHIM_UNIT := $(SHIM_BUILD)/test-hypercall
$(SHIM_UNIT): $(SHIM_TESTS)/test_hypercall.c $(SHIM_TESTS)/unit.h $(SHIM_CORE_SRCS) $(wildcard $(SHIM_DIR)/*.h)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -I$(SHIM_DIR) -fsanitize=address,undefined -fno-sanitize-recover=undefined \
		-pthread -o $@ $(SHIM_TESTS)/test_hypercall.c $(SHIM_CORE_SRCS)

# What the shim holds against a hostile guest, on the host: CPL, copies,
# the audit's bounds. Under ASan and UBSan too.
SHIM_HOSTILE_UNIT := $(SHIM_BUILD)/test-hostile
$(SHIM_HOSTILE_UNIT): $(SHIM_TESTS)/test_hostile.c $(SHIM_TESTS)/unit.h $(SHIM_TESTS)/hostile_tree.h \
		$(SHIM_CORE_SRCS) \
		$(wildcard $(SHIM_DIR)/*.h)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -I$(SHIM_DIR) -fsanitize=address,undefined -fno-sanitize-recover=undefined \
		-pthread -o $@ $(SHIM_TESTS)/test_hostile.c $(SHIM_CORE_SRCS)

# The handlers and the audit with real threads under ThreadSanitizer: two
# vCPUs and a guest rewriting their memory; any data race fails the run.
SHIM_TSAN_UNIT := $(SHIM_BUILD)/test-threads
$(SHIM_TSAN_UNIT): $(SHIM_TESTS)/test_threads.c $(SHIM_TESTS)/unit.h $(SHIM_CORE_SRCS) \
		$(wildcard $(SHIM_DIR)/*.h)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -I$(SHIM_DIR) -fsanitize=thread -pthread -o $@ \
		$(SHIM_TESTS)/test_threads.c $(SHIM_CORE_SRCS)

.PHONY: check-shim-tsan
check-shim-tsan: $(SHIM_TSAN_UNIT)
	TSAN_OPTIONS="halt_on_error=1 exitcode=66" $(SHIM_TSAN_UNIT)

CHECKS += check-shim-tsan

# The audit's worst case on a 1 GiB guest, timed: a benchmark (make bench
# reports it as Table 5), optimised as the shim is, no sanitizers.
SHIM_BENCH_AUDIT := $(SHIM_BUILD)/bench-audit
$(SHIM_BENCH_AUDIT): $(SHIM_TESTS)/bench_audit.c $(SHIM_TESTS)/hostile_tree.h $(SHIM_CORE_SRCS) \
		$(wildcard $(SHIM_DIR)/*.h)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -I$(SHIM_DIR) -pthread -o $@ $(SHIM_TESTS)/bench_audit.c $(SHIM_CORE_SRCS)

.PHONY: bench-audit
bench-audit: $(SHIM_BENCH_AUDIT)
	$(SHIM_BENCH_AUDIT) 1024

# The fuzz targets and their corpora: make fuzz, and a smoke run in make check.
include $(SHIM_DIR)/tests/fuzz.mk

# The console's ring, cap and writer thread over pipes.
SHIM_CONSOLE_UNIT := $(SHIM_BUILD)/test-console
$(SHIM_CONSOLE_UNIT): $(SHIM_TESTS)/test_console.c $(SHIM_TESTS)/unit.h $(SHIM_DIR)/console.c \
		$(wildcard $(SHIM_DIR)/*.h)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -I$(SHIM_DIR) -fsanitize=address,undefined -fno-sanitize-recover=undefined \
		-pthread -o $@ $(SHIM_TESTS)/test_console.c $(SHIM_DIR)/console.c

.PHONY: check-shim-unit check-shim-hostile-unit check-shim-console
check-shim-unit: $(SHIM_UNIT)
	$(SHIM_UNIT)

check-shim-hostile-unit: $(SHIM_HOSTILE_UNIT)
	$(SHIM_HOSTILE_UNIT)

check-shim-console: $(SHIM_CONSOLE_UNIT)
	$(SHIM_CONSOLE_UNIT)

CHECKS += check-shim-unit check-shim-hostile-unit check-shim-console

# Demo: Debian's stock kernel under the shim with the shim ROM mapped,
# through the test host, with the hypercall statistics at exit.
.PHONY: demo-shim
demo-shim: $(SHIM) $(SHIM_INITRAMFS) $(BUILD)/rom/shim.rom
	CACHE=$(CACHE) tests/testhost/run-shim --kernel $(SHIM_STOCK_KERNEL) --initrd $(SHIM_INITRAMFS) \
		--rom $(BUILD)/rom/shim.rom --smp 2 -m 256 --stats \
		--append "console=ttyS0 quiet panic=-1 shimtest=poweroff"
DEMOS += demo-shim
