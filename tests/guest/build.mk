# Boot tests of the guest kernel (tests/guest/boot_test.py): the one
# bzImage natively, with the native ROM, with vmi=off, with every ROM of
# the malformed corpus, with version-skewed ROMs, under the shim; and the
# baseline kernel. Each target prints "N passed, N failed".
GUEST_BOOT := $(PYTHON) tests/guest/boot_test.py
GUEST_BOOT_INPUTS := $(GUEST_KERNEL) $(GUEST_INITRD)

.PHONY: check-guest-copies check-guest-checkpatch check-guest-native \
	check-guest-native-rom check-guest-vmi-off check-guest-corpus \
	check-guest-skew check-guest-baseline check-guest-shim demo-guest \
	check-guest-shim-rom-emulated

# The series' copies of the ABI header and ROM parser match their sources.
check-guest-copies:
	$(PYTHON) guest-linux/scripts/kernel_copies.py check guest-linux/patches

# Every patch passes the kernel's checkpatch.pl without errors.
check-guest-checkpatch: | deps
	guest-linux/scripts/checkpatch.sh $(GUEST_BUILD)/checkpatch guest-linux/patches

check-guest-native: $(GUEST_BOOT_INPUTS)
	$(GUEST_BOOT) native

check-guest-native-rom: $(GUEST_BOOT_INPUTS) $(NATIVE_ROM)
	$(GUEST_BOOT) native-rom

# The shim ROM on 2 CPUs under the emulator, its hypercalls unanswered.
check-guest-shim-rom-emulated: $(GUEST_BOOT_INPUTS) $(SHIM_ROM)
	$(GUEST_BOOT) shim-rom-emulated

check-guest-vmi-off: $(GUEST_BOOT_INPUTS) $(NATIVE_ROM)
	$(GUEST_BOOT) vmi-off

check-guest-corpus: $(GUEST_BOOT_INPUTS) rom-corpus $(ROMTOOL)
	$(GUEST_BOOT) corpus

check-guest-skew: $(GUEST_BOOT_INPUTS) $(TEMPLATE_ROM) $(ROMTOOL)
	$(GUEST_BOOT) skew

check-guest-baseline: $(GUEST_BASELINE) $(GUEST_INITRD)
	$(GUEST_BOOT) baseline

check-guest-shim: $(GUEST_BOOT_INPUTS) $(SHIM_ROM) $(SHIM)
	$(GUEST_BOOT) shim

CHECKS += check-guest-copies check-guest-checkpatch check-guest-native \
	check-guest-native-rom check-guest-shim-rom-emulated check-guest-vmi-off \
	check-guest-corpus check-guest-skew check-guest-baseline check-guest-shim

# One bzImage natively, with the native ROM and under the shim.
demo-guest: $(GUEST_BOOT_INPUTS) $(NATIVE_ROM) $(SHIM_ROM) $(SHIM)
	@$(PYTHON) tests/guest/demo.py

DEMOS += demo-guest
