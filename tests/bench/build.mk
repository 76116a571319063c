# Benchmarks (tests/bench/README.md): `make bench` runs the guest microbenchmarks
# natively under QEMU with exact instruction counts and under the shim on
# the test host, counts KVM's exits of the guest workload under stock
# QEMU/KVM (rom/kvm/exit-counts), and writes build/bench/report.md and
# plots. Not part of `make check` (it takes minutes); check-bench tests the
# parsers and the report generator on recorded output.
BENCH_BUILD    := $(BUILD)/bench
BENCH_SRC      := tests/bench/src
BENCH_PROGRAMS := fork_exit fork_exec mmap_touch pagefault mprotect_loop \
		  pipe_pingpong syscall_null shell_build
BENCH_BINS     := $(addprefix $(BENCH_BUILD)/bin/,$(BENCH_PROGRAMS) bench_true)
BENCH_INITRD   := $(BENCH_BUILD)/initrd.gz
# The kernels under test (guest-linux/): the series applied, and not.
BENCH_KERNEL   ?= $(BUILD)/guest/bzImage
BENCH_BASELINE ?= $(BUILD)/guest/bzImage.baseline

# Static, so the initramfs needs no libraries.
$(BENCH_BUILD)/bin/%: $(BENCH_SRC)/%.c $(BENCH_SRC)/bench.h
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -static $< -o $@

# No libc at all: exec cost without a C runtime's start-up.
$(BENCH_BUILD)/bin/bench_true: $(BENCH_SRC)/bench_true.c
	@mkdir -p $(@D)
	$(CC) -O2 -Wall -Wextra -Werror -static -nostdlib -ffreestanding \
		-fno-stack-protector -fcf-protection=none $< -o $@

$(BENCH_INITRD): $(BENCH_BINS) tests/bench/scripts/mkinitrd.sh tests/bench/initramfs/init \
		tests/bench/initramfs/build-unit.sh
	tests/bench/scripts/mkinitrd.sh $@ $(BENCH_BINS)

.PHONY: bench bench-initrd
bench-initrd: $(BENCH_INITRD)

# The shim ROM without batching: the same entries, with a queue that sends
# every notification at once (tests/bench/rom/shim_nodefer_queue.c).
BENCH_NODEFER_ROM := $(call vmi_rom,shim-nodefer,rom/shim/shim.S rom/shim/shim_calls.c \
	tests/bench/rom/shim_nodefer_queue.c,-I$(TOP)/rom/shim)

# The kvm part (Table 4) boots the guest tests' initramfs with kvm.rom.
BENCH_INPUTS := $(BENCH_KERNEL) $(BENCH_BASELINE) $(BENCH_INITRD) $(NATIVE_ROM) \
	$(SHIM_ROM) $(BENCH_NODEFER_ROM) $(KVM_ROM) $(GUEST_INITRD) $(ROMTOOL) $(SHIM) \
	$(SHIM_BENCH_AUDIT)
BENCH_ROM_ARGS := --native-rom $(NATIVE_ROM) --shim-rom $(SHIM_ROM) \
	--nodefer-rom $(BENCH_NODEFER_ROM) --kvm-rom $(KVM_ROM) --bench-audit $(SHIM_BENCH_AUDIT)
# Every boot from scratch: the figures describe this tree, not a stale one
# (BENCH_ONLY=native, shim, kvm or audit reruns one part and keeps the others when
# they came from the same kernels and ROMs). The report is written even
# when a part failed (it says so), then make fails with run_bench's status.
bench: deps $(BENCH_INPUTS)
	$(PYTHON) tests/bench/scripts/run_bench.py --out $(BENCH_BUILD) \
		--kernel $(BENCH_KERNEL) --baseline $(BENCH_BASELINE) --initrd $(BENCH_INITRD) \
		$(BENCH_ROM_ARGS) --romtool $(ROMTOOL) $(if $(BENCH_ONLY),--only $(BENCH_ONLY)) \
		$(if $(BENCH_VMI_OFF),--vmi-off "$(BENCH_VMI_OFF)"); \
	status=$$?; \
	$(PYTHON) tests/bench/scripts/report.py $(BENCH_BUILD)/results.json $(BENCH_BUILD) || exit 1; \
	exit $$status

# Repeatability: the native half again into build/bench/repeat/, then
# every instruction count must equal the last `make bench`'s.
.PHONY: bench-repeat
bench-repeat: $(BENCH_INPUTS)
	@test -f $(BENCH_BUILD)/results.json || { echo "bench-repeat: run make bench first"; exit 1; }
	rm -rf $(BENCH_BUILD)/repeat
	$(PYTHON) tests/bench/scripts/run_bench.py --out $(BENCH_BUILD)/repeat --only native \
		--kernel $(BENCH_KERNEL) --baseline $(BENCH_BASELINE) --initrd $(BENCH_INITRD) \
		$(BENCH_ROM_ARGS) --romtool $(ROMTOOL)
	$(PYTHON) tests/bench/scripts/compare_native.py $(BENCH_BUILD)/results.json $(BENCH_BUILD)/repeat/results.json

# The latest report, kept in the tree for the README to link: copies what
# the last `make bench` wrote.
.PHONY: bench-publish
bench-publish:
	@test -f $(BENCH_BUILD)/report.md || { echo "bench-publish: run make bench first"; exit 1; }
	cp $(BENCH_BUILD)/report.md $(BENCH_BUILD)/parity.png $(BENCH_BUILD)/batching.png tests/bench/report/

# Fast: the parsers and the report generator on recorded output.
.PHONY: check-bench
check-bench:
	$(PYTHON) -m pytest -q -p no:cacheprovider tests/bench/tests

CHECKS += check-bench
ALL    += $(BENCH_INITRD) $(BENCH_NODEFER_ROM)
