# The KVM ROM (rom/kvm/README.md): included from rom/build.mk.
KVM_ROM := $(call vmi_rom,kvm,rom/kvm/kvm.S rom/kvm/kvm_calls.c rom/kvm/kvm_clock.c rom/kvm/kvm_pv.c)
ROMS += $(KVM_ROM)
