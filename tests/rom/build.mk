# Tests of the ROM SDK: built ROMs against the spec, the malformed-ROM
# corpus, host unit tests of ROM logic, and the parser fuzzer.
ROM_TESTS      := tests/rom
ROM_CORPUS     := $(ROM_BUILD)/corpus
ROM_UNIT       := $(ROM_BUILD)/rom_unit
ROM_FUZZER     := $(ROM_BUILD)/fuzz_rom_parse
ROM_FUZZ_SEEDS := $(ROM_TESTS)/fuzz-corpus
# Bounded runs: seconds of fuzzing for make check and for make fuzz.
ROM_FUZZ_CHECK_SECONDS ?= 20
ROM_FUZZ_LONG_SECONDS  ?= 600

# ROMs that break one build rule each (never part of ALL); check_rules.sh
# builds them and expects the build to refuse with the rule's message.
ROM_BAD := $(ROM_TESTS)/bad
ROM_RULE_CASES := \
	$(call vmi_rom,bad-writable,rom/native/native.S $(ROM_BAD)/writable.c) \
	$(call vmi_rom,bad-absolute,rom/native/native.S $(ROM_BAD)/absolute.S) \
	$(call vmi_rom,bad-deep-stack,$(ROM_BAD)/deep_stack.S) \
	$(call vmi_rom,bad-missing-call,$(ROM_BAD)/missing_call.S) \
	$(call vmi_rom,bad-long-name,$(ROM_BAD)/long_name.S) \
	$(call vmi_rom,bad-big-frame,rom/native/native.S $(ROM_BAD)/big_frame.c) \
	$(call vmi_rom,good-control,rom/native/native.S)

check-rom-rules: $(ROMTOOL) $(ROM_LDS)
	$(ROM_TESTS)/check_rules.sh $(ROM_BUILD)

.PHONY: check-rom-rules check-rom-verify check-rom-corpus check-rom-unit check-rom-fuzz fuzz rom-corpus

# romtool's warning for a CALL entry that aliases IDENT code.
.PHONY: check-rom-alias-warning
check-rom-alias-warning: $(ROMS) $(ROMTOOL)
	$(PYTHON) $(ROM_TESTS)/check_alias_warning.py $(ROMTOOL) $(NATIVE_ROM) $(ROMS)

# The vendor guide's build steps, in a copy of the tree (a ROM of its own).
.PHONY: check-rom-vendor-build
check-rom-vendor-build:
	$(ROM_TESTS)/check_vendor_build.sh

check-rom-verify: $(ROMS) $(ROMTOOL)
	$(PYTHON) $(ROM_TESTS)/check_roms.py $(ROMTOOL) $(ROMS:$(TOP)/%=%)

# The corpus is generated from the native ROM; the guest-kernel tests
# reuse it (build/rom/corpus/MANIFEST lists case, expected defect, what).
rom-corpus: $(ROM_CORPUS)/MANIFEST
$(ROM_CORPUS)/MANIFEST: $(NATIVE_ROM) $(ROM_TESTS)/make_corpus.py $(ROM_TESTS)/romspec.py spec/vmi.toml
	$(PYTHON) $(ROM_TESTS)/make_corpus.py $(NATIVE_ROM:$(TOP)/%=%) $(ROM_CORPUS:$(TOP)/%=%)

check-rom-corpus: $(ROM_CORPUS)/MANIFEST $(ROMTOOL)
	$(PYTHON) $(ROM_TESTS)/check_corpus.py $(ROMTOOL) $(ROM_CORPUS:$(TOP)/%=%)

ROM_UNIT_SRC := $(ROM_TESTS)/rom_unit.c rom/shim/shim_queue.c \
		rom/sdk/lib/rom_cpu.c rom/sdk/lib/rtc.c
$(ROM_UNIT): $(ROM_UNIT_SRC) rom/shim/shim_queue.h rom/sdk/include/vmi_rom.h
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -DVMI_ROM_HOST_TEST -Irom/sdk/include -Irom/shim \
		-fsanitize=address,undefined -fno-sanitize-recover=all $(ROM_UNIT_SRC) -o $@

check-rom-unit: $(ROM_UNIT)
	$(ROM_UNIT)

$(ROM_FUZZER): $(ROM_TESTS)/fuzz_rom_parse.c rom/parser/vmi_rom_parse.c rom/parser/vmi_rom_parse.h
	@mkdir -p $(@D)
	clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-Iabi/include -Irom/parser $(ROM_TESTS)/fuzz_rom_parse.c rom/parser/vmi_rom_parse.c -o $@

# Fuzzes from the committed seeds, the malformed corpus and the real ROMs;
# new inputs go to a scratch directory under build/.
define rom_fuzz_run
	rm -rf $(ROM_BUILD)/fuzz-work && mkdir -p $(ROM_BUILD)/fuzz-work $(ROM_BUILD)/fuzz-roms
	cp $(ROMS) $(ROM_BUILD)/fuzz-roms/
	$(ROM_FUZZER) -max_total_time=$(1) -print_final_stats=1 \
		-artifact_prefix=$(ROM_BUILD)/fuzz-crash- $(ROM_BUILD)/fuzz-work \
		$(ROM_FUZZ_SEEDS) $(ROM_CORPUS) $(ROM_BUILD)/fuzz-roms 2>&1 | \
		grep -E '^(stat::number_of_executed_units|stat::new_units_added|Done|SUMMARY|==[0-9]+==ERROR)' ; \
		exit $${PIPESTATUS[0]}
endef

check-rom-fuzz: $(ROM_FUZZER) $(ROM_CORPUS)/MANIFEST $(ROMS)
	$(call rom_fuzz_run,$(ROM_FUZZ_CHECK_SECONDS))

# make fuzz: a long run, then merges inputs that add coverage into the
# committed seed corpus (commit them if you want to keep them).
fuzz: $(ROM_FUZZER) $(ROM_CORPUS)/MANIFEST $(ROMS)
	$(call rom_fuzz_run,$(ROM_FUZZ_LONG_SECONDS))
	$(ROM_FUZZER) -merge=1 -max_len=2048 $(ROM_FUZZ_SEEDS) $(ROM_BUILD)/fuzz-work 2>&1 | tail -1

CHECKS += check-rom-verify check-rom-rules check-rom-corpus check-rom-unit check-rom-fuzz check-rom-vendor-build check-rom-alias-warning
