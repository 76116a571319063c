# The ROM conformance suite: a freestanding test guest (PVH ELF) that finds,
# verifies, activates and exercises a VMI ROM, its runner, and the broken
# ROM variants that prove it can fail. See tests/conformance/VENDOR-GUIDE.md.

CONF_DIR   := $(TOP)/tests/conformance
CONF_BUILD := $(BUILD)/conformance
CONF_GEN   := $(CONF_BUILD)/gen
CONF_ELF   := $(CONF_BUILD)/suite.elf

CONF_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -ffreestanding -nostdlib \
	-fno-pic -fno-pie -mno-red-zone -mgeneral-regs-only -fno-stack-protector \
	-fcf-protection=none -fno-tree-loop-distribute-patterns -fno-omit-frame-pointer \
	-mcmodel=small -Wa,--noexecstack -I$(TOP)/abi/include -I$(CONF_DIR)/lib -I$(CONF_DIR)/cases -I$(CONF_GEN)

CONF_C_SRCS := $(wildcard $(CONF_DIR)/lib/*.c) $(wildcard $(CONF_DIR)/cases/*.c)
CONF_S_SRCS := $(wildcard $(CONF_DIR)/lib/*.S)
CONF_OBJS := $(patsubst $(CONF_DIR)/%.c,$(CONF_BUILD)/%.o,$(CONF_C_SRCS)) \
	$(patsubst $(CONF_DIR)/%.S,$(CONF_BUILD)/%.o,$(CONF_S_SRCS)) \
	$(CONF_BUILD)/gen/natives.o $(CONF_BUILD)/parser/vmi_rom_parse.o
CONF_HDRS := $(wildcard $(CONF_DIR)/lib/*.h $(CONF_DIR)/cases/*.h) \
	$(wildcard $(TOP)/abi/include/vmi/*.h) $(TOP)/rom/parser/vmi_rom_parse.h \
	$(CONF_GEN)/conf_spec.h

$(CONF_GEN)/conf_spec.h $(CONF_GEN)/natives.S &: $(TOP)/spec/vmi.toml $(CONF_DIR)/gen-spec
	@mkdir -p $(CONF_GEN)
	$(PYTHON) $(CONF_DIR)/gen-spec $(TOP)/spec/vmi.toml $(CONF_GEN)

$(CONF_BUILD)/%.o: $(CONF_DIR)/%.c $(CONF_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CONF_CFLAGS) -c $< -o $@

$(CONF_BUILD)/%.o: $(CONF_DIR)/%.S $(CONF_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CONF_CFLAGS) -c $< -o $@

$(CONF_BUILD)/gen/natives.o: $(CONF_GEN)/natives.S
	$(CC) $(CONF_CFLAGS) -c $< -o $@

$(CONF_BUILD)/parser/vmi_rom_parse.o: $(TOP)/rom/parser/vmi_rom_parse.c $(CONF_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CONF_CFLAGS) -c $< -o $@

$(CONF_ELF): $(CONF_OBJS) $(CONF_DIR)/lib/link.ld
	$(CC) -nostdlib -static -no-pie -Wl,--build-id=none -Wl,--no-warn-rwx-segments -Wl,-T,$(CONF_DIR)/lib/link.ld \
		-o $@ $(CONF_OBJS)

.PHONY: conformance
conformance: $(CONF_ELF)
ALL += conformance

# Deliberately broken ROMs, built from the template's all-native body with
# one defect each, and the case that must catch it. noverify: the SDK's
# static stack bound would refuse broken-stack before the suite could.
CONF_BROKEN_SRC := tests/conformance/broken
CONF_BROKEN := clobber=registers defer=deferred cr3=mmu stack=stack fault=nofault ipi=pv
$(foreach b,$(CONF_BROKEN),$(eval CONF_BROKEN_ROMS += \
	$(call vmi_rom,broken-$(firstword $(subst =, ,$(b))),$(CONF_BROKEN_SRC)/$(firstword $(subst =, ,$(b))).S $(CONF_BROKEN_SRC)/broken.c,,noverify)=$(lastword $(subst =, ,$(b)))))
CONF_BROKEN_FILES := $(foreach p,$(CONF_BROKEN_ROMS),$(firstword $(subst =, ,$(p))))
ALL += $(CONF_BROKEN_FILES)

# The control: a ROM that really defers stores, done right, must pass.
CONF_GOOD_DEFER := $(call vmi_rom,good-defer,$(CONF_BROKEN_SRC)/good_defer.S \
	$(CONF_BROKEN_SRC)/good_defer.c,,noverify)
ALL += $(CONF_GOOD_DEFER)

# On the shim host: a shim ROM whose deferred batches never reach the VMM;
# only the VMM's page-table audit sees it (the runner's own assertion).
CONF_BROKEN_SHIM := $(call vmi_rom,broken-shim-noflush,rom/shim/shim.S rom/shim/shim_calls.c \
	$(CONF_BROKEN_SRC)/shim_noflush.c,,noverify)
ALL += $(CONF_BROKEN_SHIM)

.PHONY: check-conformance-native-qemu check-conformance-shim check-conformance-broken \
	check-conformance-good-defer \
	check-conformance-broken-shim
check-conformance-native-qemu: $(CONF_ELF) $(NATIVE_ROM)
	$(CONF_DIR)/run $(NATIVE_ROM) --host qemu

check-conformance-shim: $(CONF_ELF) $(SHIM_ROM) $(BUILD)/vmi-shim
	$(CONF_DIR)/run $(SHIM_ROM) --host shim

check-conformance-broken: $(CONF_ELF) $(CONF_BROKEN_FILES)
	$(CONF_DIR)/check-broken $(CONF_BROKEN_ROMS)

check-conformance-good-defer: $(CONF_ELF) $(CONF_GOOD_DEFER)
	$(CONF_DIR)/run $(CONF_GOOD_DEFER) --host qemu

check-conformance-broken-shim: $(CONF_ELF) $(CONF_BROKEN_SHIM) $(BUILD)/vmi-shim
	$(CONF_DIR)/check-broken $(CONF_BROKEN_SHIM)=runner@shim

# Stock QEMU/KVM (nested where this machine has no hardware KVM).
.PHONY: check-conformance-kvm
check-conformance-kvm: $(CONF_ELF) $(KVM_ROM)
	$(CONF_DIR)/run $(KVM_ROM) --host kvm

CHECKS += check-conformance-kvm
CHECKS += check-conformance-native-qemu check-conformance-shim check-conformance-broken \
	check-conformance-good-defer \
	check-conformance-broken-shim

.PHONY: check-conformance-guide
check-conformance-guide:
	$(PYTHON) $(CONF_DIR)/gen-guide --check
CHECKS += check-conformance-guide

# Host unit test of the guest's freestanding printf (XTF-style selftest).
CONF_SELFTEST := $(CONF_BUILD)/print_test
$(CONF_SELFTEST): $(CONF_DIR)/selftest/print_test.c $(CONF_DIR)/lib/print.c $(CONF_HDRS)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -fno-builtin -I$(CONF_DIR)/lib -I$(CONF_GEN) \
		$(CONF_DIR)/selftest/print_test.c $(CONF_DIR)/lib/print.c -o $@

.PHONY: check-conformance-selftest
check-conformance-selftest: $(CONF_SELFTEST)
	$(CONF_SELFTEST)
CHECKS += check-conformance-selftest
