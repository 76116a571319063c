# hypervisor-shim fuzz targets (included from hypervisor-shim/build.mk).
# libFuzzer over the hypercall decoder and handlers: short in make check,
# longer in make fuzz (SHIM_FUZZ_SECONDS).
SHIM_FUZZER := $(SHIM_BUILD)/fuzz-hypercall
SHIM_FUZZ_CORPUS := $(SHIM_BUILD)/fuzz-corpus
SHIM_FUZZ_SECONDS ?= 300
$(SHIM_FUZZER): $(SHIM_TESTS)/fuzz_hypercall.c $(SHIM_CORE_SRCS) $(wildcard $(SHIM_DIR)/*.h)
	@mkdir -p $(@D)
	clang -std=c11 -g -O1 -D_GNU_SOURCE -I$(TOP)/abi/include -I$(SHIM_DIR) \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -pthread \
		-o $@ $(SHIM_TESTS)/fuzz_hypercall.c $(SHIM_CORE_SRCS)

.PHONY: check-shim-fuzz fuzz-shim fuzz
check-shim-fuzz: $(SHIM_FUZZER)
	@mkdir -p $(SHIM_FUZZ_CORPUS)
	$(SHIM_FUZZER) -runs=100000 -seed=1 -max_len=4096 $(SHIM_FUZZ_CORPUS) >$(SHIM_BUILD)/fuzz.log 2>&1 \
		|| { tail -40 $(SHIM_BUILD)/fuzz.log; exit 1; }
	@tail -1 $(SHIM_BUILD)/fuzz.log

fuzz-shim: $(SHIM_FUZZER)
	@mkdir -p $(SHIM_FUZZ_CORPUS)
	$(SHIM_FUZZER) -max_total_time=$(SHIM_FUZZ_SECONDS) -max_len=4096 $(SHIM_FUZZ_CORPUS)
fuzz: fuzz-shim

CHECKS += check-shim-fuzz
