# The KVM ROM (rom/kvm/README.md): included from rom/build.mk.
KVM_ROM := $(call vmi_rom,kvm,rom/kvm/kvm.S rom/kvm/kvm_calls.c rom/kvm/kvm_clock.c \
	rom/kvm/kvm_pv.c rom/kvm/kvm_preempt.c)
ROMS += $(KVM_ROM)

# Host unit tests of the kvmclock arithmetic and of the 1.2 entries on
# data areas as KVM leaves them (ASan/UBSan): rom/kvm/kvm_<name>_test.c
# tests rom/kvm/kvm_<name>.c.
KVM_ROM_TESTS := $(BUILD)/rom/kvm_clock_test $(BUILD)/rom/kvm_preempt_test
$(BUILD)/rom/kvm_%_test: rom/kvm/kvm_%_test.c rom/kvm/kvm_%.c rom/kvm/kvm_rom.h rom/kvm/kvm_test.h
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all \
		-DVMI_ROM_HOST_TEST -I$(TOP)/rom/sdk/include -Irom/kvm \
		rom/kvm/kvm_$*_test.c rom/kvm/kvm_$*.c -o $@

.PHONY: check-rom-kvm-unit
check-rom-kvm-unit: $(KVM_ROM_TESTS)
	@set -e; for t in $(KVM_ROM_TESTS); do $$t > $$t.log || { cat $$t.log; exit 1; }; \
		cat $$t.log; done
	@# The harness reads the last summary line: both binaries' counts.
	@cat $(KVM_ROM_TESTS:=.log) | awk '/^[0-9]+ passed, [0-9]+ failed$$/ \
		{ p += $$1; f += $$3 } END { printf "%d passed, %d failed\n", p, f }'
CHECKS += check-rom-kvm-unit

# make demo: what kvm.rom offers, and its entries that talk to KVM.
.PHONY: demo-rom-kvm
demo-rom-kvm: $(KVM_ROM) $(ROMTOOL)
	@$(ROMTOOL) info $(KVM_ROM:$(TOP)/%=%) | sed -n '1,11p'
	@echo "kvm.rom entries that may exit to KVM (each falls back to native per call):"
	@$(ROMTOOL) info $(KVM_ROM:$(TOP)/%=%) | awk '/ hypercall/ { print "  " $$2 }'
DEMOS += demo-rom-kvm

# KVM exit counts of the IPI-heavy guest workload: kvm.rom, no ROM, Debian's
# cloud kernel (a few minutes; not part of make check).
.PHONY: bench-kvm-exits
bench-kvm-exits: $(KVM_ROM)
	rom/kvm/exit-counts

# The guest bzImage with kvm.rom under QEMU/KVM, 2 and 4 vCPUs, full
# workload, and 2 vCPUs with KVM's PV IPI and unhalt withheld (the vmi: line
# must name the calls that fall back); about 4 minutes in the nested test
# host, with L1's KVM on shadow paging (boot-guest says why).
.PHONY: check-guest-kvm
check-guest-kvm: $(KVM_ROM) $(GUEST_KERNEL) $(GUEST_INITRD)
	rom/kvm/boot-guest --smp 2 4 --workload full
CHECKS += check-guest-kvm
