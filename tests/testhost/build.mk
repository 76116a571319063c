# The nested test host: real KVM for the shim's tests on machines whose
# /dev/kvm is not hardware-assisted. See tests/testhost/README.md.
.PHONY: testhost
# Builds (once, cached under $(CACHE)/testhost) the L1 image run-shim boots.
testhost:
	CACHE=$(CACHE) tests/testhost/mkimage

# Fast: run-shim's batch bookkeeping (console split, further L1 boots).
.PHONY: check-testhost
check-testhost:
	$(PYTHON) -m pytest -q -p no:cacheprovider tests/testhost/tests

CHECKS += check-testhost
