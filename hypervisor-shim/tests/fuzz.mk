# hypervisor-shim fuzz targets (included from hypervisor-shim/build.mk).
#
#   hypercall  the hypercall decoder and handlers over a plain buffer (fast)
#   exit       vcpu_handle_exit() on a fake kvm_run: ports, UART, hypercall
#              transport, handlers and audit, two vCPUs, guest writes
#              during the VMM's reads of guest memory
#   loader     boot_linux(), boot_pvh() and boot_load_initrd() on crafted files
#
# Each target has a minimized corpus in tests/fuzz/<target>/.
#   make check       check-shim-fuzz, check-shim-fuzz-exit, check-shim-fuzz-loader:
#                    the committed corpus and a few seconds of new inputs each
#   make fuzz        FUZZ_SECONDS per target on a copy of the corpus under
#                    build/ (plus the seeds fuzz_seeds.py writes), which grows;
#                    a crash leaves its input as build/shim/fuzz/<target>-crash-*
#   make fuzz-merge  minimizes that copy and the committed corpus back into
#                    tests/fuzz/<target>/ (the only rule that writes there):
#                    one input per new edge, not per hit count, so each
#                    corpus stays a few hundred small files
SHIM_FUZZ_TARGETS := hypercall exit loader
SHIM_FUZZ_CORPORA := $(SHIM_TESTS)/fuzz
SHIM_FUZZ_WORK := $(SHIM_BUILD)/fuzz
SHIM_FUZZ_SEEDS := $(SHIM_FUZZ_WORK)/seeds
# Seconds per target. Measured on one core of a 2-core host shared with
# other emulators: loader 12000 executions/s, hypercall 2600/s, exit
# 2100/s; 10 million executions of the slowest take about 4800 s.
FUZZ_SECONDS ?= 4800
SHIM_FUZZ_MAX_LEN := 8192
SHIM_FUZZ_CHECK_RUNS_hypercall := 15000
SHIM_FUZZ_CHECK_RUNS_exit := 20000
SHIM_FUZZ_CHECK_RUNS_loader := 60000
SHIM_FUZZ_CHECK_hypercall := check-shim-fuzz
SHIM_FUZZ_CHECK_exit := check-shim-fuzz-exit
SHIM_FUZZ_CHECK_loader := check-shim-fuzz-loader
SHIM_FUZZ_SRCS_hypercall := $(SHIM_CORE)
# The exit path is everything but start-up, KVM itself and what exits.
SHIM_FUZZ_SRCS_loader := boot_linux.c boot_pvh.c boot_common.c memmap.c acpi.c
SHIM_FUZZ_SRCS_exit := $(filter-out main.c kvm.c util.c rom.c signals.c $(SHIM_FUZZ_SRCS_loader),$(SHIM_SRCS))
SHIM_FUZZ_BASE_CFLAGS := -std=c11 -g -O1 -Wall -Wextra -Werror -D_GNU_SOURCE -DSHIM_FUZZ_GUEST_WRITES \
	-I$(TOP)/abi/include -I$(SHIM_DIR) -I$(SHIM_TESTS) -fno-sanitize-recover=undefined -pthread
SHIM_FUZZ_CFLAGS := $(SHIM_FUZZ_BASE_CFLAGS) -fsanitize=fuzzer,address,undefined
# The shared helpers without coverage: their loops (RAM fills, the hook)
# would cost more in comparison tracing than the code under test, and what
# the fuzzer should reach is the shim's code, not theirs.
SHIM_FUZZ_COMMON := $(SHIM_FUZZ_WORK)/fuzz_common.o
$(SHIM_FUZZ_COMMON): $(SHIM_TESTS)/fuzz_common.c $(SHIM_TESTS)/fuzz_common.h $(wildcard $(SHIM_DIR)/*.h)
	@mkdir -p $(@D)
	clang $(SHIM_FUZZ_BASE_CFLAGS) -fsanitize=address,undefined -c -o $@ $<
SHIM_FUZZ_FLAGS := -max_len=$(SHIM_FUZZ_MAX_LEN)

$(SHIM_FUZZ_SEEDS)/.stamp: $(SHIM_TESTS)/fuzz_seeds.py
	@mkdir -p $(@D)
	$(PYTHON) $< $(@D)
	@touch $@

# $(1): the target. Its fuzzer, check, fuzz and merge rules.
define shim_fuzz_rules
$(SHIM_BUILD)/fuzz-$(1): $(SHIM_TESTS)/fuzz_$(1).c $(SHIM_FUZZ_COMMON) $(SHIM_TESTS)/fuzz_common.h \
		$(addprefix $(SHIM_DIR)/,$(SHIM_FUZZ_SRCS_$(1))) $(wildcard $(SHIM_DIR)/*.h)
	@mkdir -p $$(@D)
	clang $(SHIM_FUZZ_CFLAGS) -o $$@ $(SHIM_TESTS)/fuzz_$(1).c $(SHIM_FUZZ_COMMON) \
		$(addprefix $(SHIM_DIR)/,$(SHIM_FUZZ_SRCS_$(1)))

.PHONY: $(SHIM_FUZZ_CHECK_$(1)) fuzz-shim-$(1) fuzz-merge-shim-$(1)
# New inputs go to a scratch directory: the committed corpus is only read.
$(SHIM_FUZZ_CHECK_$(1)): $(SHIM_BUILD)/fuzz-$(1)
	@rm -rf $(SHIM_FUZZ_WORK)/$(1)-check && mkdir -p $(SHIM_FUZZ_WORK)/$(1)-check
	$(SHIM_BUILD)/fuzz-$(1) $(SHIM_FUZZ_FLAGS) -runs=$(SHIM_FUZZ_CHECK_RUNS_$(1)) -seed=1 \
		-artifact_prefix=$(SHIM_FUZZ_WORK)/$(1)- \
		$(SHIM_FUZZ_WORK)/$(1)-check $(SHIM_FUZZ_CORPORA)/$(1) \
		>$(SHIM_FUZZ_WORK)/$(1)-check.log 2>&1 || { tail -40 $(SHIM_FUZZ_WORK)/$(1)-check.log; exit 1; }
	@tail -1 $(SHIM_FUZZ_WORK)/$(1)-check.log

fuzz-shim-$(1): $(SHIM_BUILD)/fuzz-$(1) $(SHIM_FUZZ_SEEDS)/.stamp
	@mkdir -p $(SHIM_FUZZ_WORK)/$(1)
	cp -r $(SHIM_FUZZ_CORPORA)/$(1)/. $(SHIM_FUZZ_WORK)/$(1)/
	$(SHIM_BUILD)/fuzz-$(1) $(SHIM_FUZZ_FLAGS) -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
		-artifact_prefix=$(SHIM_FUZZ_WORK)/$(1)- \
		$(SHIM_FUZZ_WORK)/$(1) $(SHIM_FUZZ_SEEDS)/$(1) 2>&1 | tee $(SHIM_FUZZ_WORK)/$(1).log | \
		grep -v -E '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse)|# Uses: '; test $$$${PIPESTATUS[0]} -eq 0

fuzz-merge-shim-$(1): $(SHIM_BUILD)/fuzz-$(1) $(SHIM_FUZZ_SEEDS)/.stamp
	@rm -rf $(SHIM_FUZZ_WORK)/$(1)-merged && mkdir -p $(SHIM_FUZZ_WORK)/$(1)-merged $(SHIM_FUZZ_WORK)/$(1)
	$(SHIM_BUILD)/fuzz-$(1) $(SHIM_FUZZ_FLAGS) -merge=1 -use_counters=0 $(SHIM_FUZZ_WORK)/$(1)-merged \
		$(SHIM_FUZZ_CORPORA)/$(1) $(SHIM_FUZZ_WORK)/$(1) $(SHIM_FUZZ_SEEDS)/$(1) \
		>$(SHIM_FUZZ_WORK)/$(1)-merge.log 2>&1 || { tail -40 $(SHIM_FUZZ_WORK)/$(1)-merge.log; exit 1; }
	@mkdir -p $(SHIM_FUZZ_CORPORA)/$(1)
	rm -f $(SHIM_FUZZ_CORPORA)/$(1)/*
	cp $(SHIM_FUZZ_WORK)/$(1)-merged/* $(SHIM_FUZZ_CORPORA)/$(1)/
	@echo "$(SHIM_FUZZ_CORPORA)/$(1): $$$$(ls $(SHIM_FUZZ_CORPORA)/$(1) | wc -l) inputs," \
		"$$$$(cat $(SHIM_FUZZ_CORPORA)/$(1)/* | wc -c) bytes"

CHECKS += $(SHIM_FUZZ_CHECK_$(1))
endef
$(foreach target,$(SHIM_FUZZ_TARGETS),$(eval $(call shim_fuzz_rules,$(target))))

.PHONY: fuzz-shim fuzz-merge-shim fuzz fuzz-merge
fuzz-shim: $(SHIM_FUZZ_TARGETS:%=fuzz-shim-%)
fuzz-merge-shim: $(SHIM_FUZZ_TARGETS:%=fuzz-merge-shim-%)
fuzz: fuzz-shim
fuzz-merge: fuzz-merge-shim
