# hypervisor-shim: the vmi-shim VMM, its fuzz target and its tests.
# See hypervisor-shim/README.md.
SHIM_DIR   := hypervisor-shim
SHIM_BUILD := $(BUILD)/shim
SHIM       := $(BUILD)/vmi-shim
# Hypercall decoding and its helpers: no KVM, shared with the fuzz target.
SHIM_CORE  := hypercall.c gmem.c stats.c audit.c
SHIM_SRCS  := main.c kvm.c boot_common.c boot_linux.c boot_pvh.c memmap.c acpi.c \
	      rom.c vcpu.c ports.c hypercall_port.c serial.c $(SHIM_CORE)
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
