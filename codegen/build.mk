# ABI generation and its checks.
VMI_ABI    := codegen/vmi-abi
ABI_BUILD  := $(BUILD)/abi
ABI_STRICT := -std=c11 -Wall -Wextra -Werror -pedantic -Iabi/include

.PHONY: abi check-abi check-abi-stale check-abi-headers check-abi-compat check-codegen demo-abi
abi:
	$(PYTHON) $(VMI_ABI) generate

# check-abi: committed files are current, headers compile in every mode,
# the spec is a valid successor of every released version.
check-abi: check-abi-stale check-abi-headers check-abi-compat

check-abi-stale:
	$(PYTHON) $(VMI_ABI) check-stale

check-abi-headers:
	@mkdir -p $(ABI_BUILD)
	$(CC) $(ABI_STRICT) -c codegen/tests/header_use.c -o $(ABI_BUILD)/hosted.o
	$(CC) $(ABI_STRICT) -ffreestanding -nostdlib -c codegen/tests/header_use.c -o $(ABI_BUILD)/freestanding.o
	$(CC) -Iabi/include -c codegen/tests/header_use.S -o $(ABI_BUILD)/asm.o

check-abi-compat:
	@set -e; for old in spec/history/*.toml; do \
		$(PYTHON) $(VMI_ABI) check-compat $$old spec/vmi.toml; done

check-codegen:
	$(PYTHON) -m pytest -q codegen/tests

demo-abi:
	@$(PYTHON) $(VMI_ABI) validate
	@$(PYTHON) $(VMI_ABI) check-stale && echo "vmi-abi: generated files are current"
	@$(PYTHON) $(VMI_ABI) summary

CHECKS += check-abi check-codegen
DEMOS  += demo-abi
