# guest-linux: the patched Linux 6.1 guest kernel, the same kernel without
# the series (the benchmarks' reference) and the boot-test initramfs.
# See guest-linux/README.md.
GUEST_BUILD    := $(BUILD)/guest
GUEST_KERNEL   := $(GUEST_BUILD)/bzImage
GUEST_BASELINE := $(GUEST_BUILD)/bzImage.baseline
GUEST_INITRD   := $(GUEST_BUILD)/initrd.gz
GUEST_SCRIPTS  := guest-linux/scripts

# The kernels are rebuilt only when build-kernel.sh's key changes (source
# package version, patches, fragment, script); a cached build is a copy,
# so the script runs every time and decides for itself.
.PHONY: guest guest-kernels $(GUEST_KERNEL) $(GUEST_BASELINE)
guest: $(GUEST_KERNEL) $(GUEST_BASELINE) $(GUEST_INITRD)
guest-kernels: $(GUEST_KERNEL) $(GUEST_BASELINE)

$(GUEST_KERNEL): | deps
	@BUILD=$(BUILD) CACHE=$(CACHE) $(GUEST_SCRIPTS)/build-kernel.sh vmi $@

$(GUEST_BASELINE): | deps
	@BUILD=$(BUILD) CACHE=$(CACHE) $(GUEST_SCRIPTS)/build-kernel.sh baseline $@

$(GUEST_INITRD): $(GUEST_SCRIPTS)/mkinitrd.sh guest-linux/initramfs/init | deps
	$(GUEST_SCRIPTS)/mkinitrd.sh $@

ALL += guest
