# ROM SDK: the ROM images, romtool, and the vmi_rom helper other parts use
# to build ROMs of their own. See rom/README.md.
ROM_BUILD   := $(BUILD)/rom
ROMTOOL     := $(BUILD)/romtool
ROM_SDK     := rom/sdk
ROM_INCLUDE := -I$(TOP)/abi/include -I$(TOP)/$(ROM_SDK)/include
ROM_LDS     := $(ROM_BUILD)/rom.lds
ROM_SDK_LIB := $(ROM_SDK)/lib/rom_cpu.c $(ROM_SDK)/lib/rtc.c \
	       $(ROM_SDK)/lib/tsc.c $(ROM_SDK)/lib/power.c
# Largest frame any ROM C function may have (a first line of defence; the
# link then bounds each entry's whole call chain, see check-stack.py).
ROM_FRAME_MAX := 96

# Freestanding, position-independent, no FPU/SSE, no red zone (interrupts
# run on the caller's stack), no hidden calls to memcpy/memset.
ROM_CFLAGS := -std=c11 -O2 -Wall -Wextra -Werror -ffreestanding -nostdlib \
	-fpie -fvisibility=hidden -mno-red-zone -mgeneral-regs-only \
	-fno-stack-protector -fcf-protection=none -fno-asynchronous-unwind-tables \
	-fno-unwind-tables -fno-common -fno-builtin -fno-tree-loop-distribute-patterns \
	-Wstack-usage=$(ROM_FRAME_MAX) -MMD -MP $(ROM_INCLUDE)
ROM_ASFLAGS := -Wa,--fatal-warnings -MMD -MP $(ROM_INCLUDE)
ROM_LDFLAGS := -static -nostdlib --emit-relocs --build-id=none -z noexecstack \
	--no-warn-rwx-segments -T $(ROM_LDS)

$(ROM_LDS): $(ROM_SDK)/rom.lds.S abi/include/vmi/vmi_abi.h
	@mkdir -p $(@D)
	$(CC) -E -P -x assembler-with-cpp -D__ASSEMBLER__ -Iabi/include $< -o $@

$(ROM_BUILD)/obj/%.c.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ROM_CFLAGS) -c $< -o $@

$(ROM_BUILD)/obj/%.S.o: %.S
	@mkdir -p $(@D)
	$(CC) $(ROM_ASFLAGS) -c $< -o $@

# $(call vmi_rom,NAME,SOURCES[,EXTRA_CFLAGS[,noverify]]) defines the rules
# for $(BUILD)/rom/NAME.rom and returns that path. Use it in a := assignment
# (NAME_ROM := $(call vmi_rom,...)) so the rules are defined once.
# SOURCES (.S and .c, relative to the top) are linked with the SDK library.
# The link fails on writable data or absolute relocations, and when an
# entry may use more stack than VMI_MAX_STACK_BYTES; the image gets its
# checksum and must pass `romtool verify`. A 4th argument noverify skips
# the stack bound and romtool verify, for deliberately broken test ROMs.
# A ROM with EXTRA_CFLAGS gets objects of its own (SDK library included),
# so its flags never leak into another ROM's shared objects.
vmi_rom_objdir = $(if $(strip $(2)),$(ROM_BUILD)/obj-$(1),$(ROM_BUILD)/obj)
define vmi_rom_rules
ifneq ($(strip $(3)),)
$(ROM_BUILD)/obj-$(1)/%.c.o: %.c
	@mkdir -p $$(@D)
	$(CC) $(ROM_CFLAGS) $(3) -c $$< -o $$@
$(ROM_BUILD)/obj-$(1)/%.S.o: %.S
	@mkdir -p $$(@D)
	$(CC) $(ROM_ASFLAGS) $(3) -c $$< -o $$@
endif
$(ROM_BUILD)/$(1).elf: $(patsubst %,$(call vmi_rom_objdir,$(1),$(3))/%.o,$(2) $(ROM_SDK_LIB)) \
		$(ROM_LDS) $(ROM_SDK)/check-relocs.sh $(ROM_SDK)/check-stack.py
	$(LD) $(ROM_LDFLAGS) -o $$@.tmp $$(filter %.o,$$^)
	$(ROM_SDK)/check-relocs.sh $$@.tmp
	$(if $(filter noverify,$(4)),,$(PYTHON) $(ROM_SDK)/check-stack.py $$@.tmp)
	mv $$@.tmp $$@
$(ROM_BUILD)/$(1).rom: $(ROM_BUILD)/$(1).elf $(ROMTOOL)
	objcopy -O binary -j .rom $$< $$@.tmp
	$(ROMTOOL) fix-checksum $$@.tmp
	$(if $(filter noverify,$(4)),,$(ROMTOOL) verify $$@.tmp >/dev/null || { $(ROMTOOL) verify $$@.tmp; exit 1; })
	mv $$@.tmp $$@
endef
vmi_rom = $(eval $(call vmi_rom_rules,$(1),$(2),$(3),$(4)))$(ROM_BUILD)/$(1).rom

ROMTOOL_SRC := rom/tool/romtool.c rom/parser/vmi_rom_parse.c
$(ROMTOOL): $(ROMTOOL_SRC) rom/parser/vmi_rom_parse.h abi/include/vmi/vmi_abi.h
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Irom/parser $(ROMTOOL_SRC) -o $@

NATIVE_ROM   := $(call vmi_rom,native,rom/native/native.S)
SHIM_ROM     := $(call vmi_rom,shim,rom/shim/shim.S rom/shim/shim_calls.c rom/shim/shim_queue.c)
TEMPLATE_ROM := $(call vmi_rom,template,rom/template/template.S rom/template/template.c)
ROMS := $(NATIVE_ROM) $(SHIM_ROM) $(TEMPLATE_ROM)
# Every backend directory with a build.mk of its own: the KVM ROM's, and a
# vendor's rom/<name>/build.mk, which adds its $(call vmi_rom,...) line.
include $(sort $(wildcard rom/*/build.mk))

# One ROM, without the rest of `make` (kernels included): make rom-NAME
# builds build/rom/NAME.rom.
rom-%: $(ROM_BUILD)/%.rom
	@echo "built $(patsubst $(TOP)/%,%,$<)"

.PHONY: rom
rom: $(ROMS) $(ROMTOOL)
ALL += $(ROMS) $(ROMTOOL)

-include $(shell find $(ROM_BUILD) -name '*.d' 2>/dev/null)

# make demo: the three ROMs, verified, and what the shim ROM offers.
.PHONY: demo-rom
demo-rom: $(ROMS) $(ROMTOOL)
	@for rom in $(ROMS:$(TOP)/%=%); do $(ROMTOOL) verify $$rom; done
	@$(ROMTOOL) info $(SHIM_ROM:$(TOP)/%=%) | sed -n '1,11p'
	@echo "shim annotations:"; $(ROMTOOL) info $(SHIM_ROM:$(TOP)/%=%) | \
		awk '$$3 ~ /^(IDENT|NOP|CALL|UNSUPPORTED)$$/ { n[$$3]++ } END { for (a in n) printf "  %-12s %d\n", a, n[a] }' | sort
DEMOS += demo-rom
