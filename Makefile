# Top-level build. Each part keeps its rules in its own build.mk and adds
# itself to CHECKS (test targets run by `make check`) and DEMOS.
#
#   make          build what exists
#   make check    install dependencies, run every test, print "N passed, N failed"
#   make demo     install dependencies, run the main job
#
.DEFAULT_GOAL := all
SHELL := /bin/bash

TOP     := $(CURDIR)
BUILD   := $(TOP)/build
# Debian's python3 carries pytest; any python3 >= 3.11 runs the generator.
PYTHON  := $(shell test -x /usr/bin/python3 && echo /usr/bin/python3 || echo python3)
CC      ?= gcc
HOST_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE -I$(TOP)/abi/include
# Where expensive builds (kernels, the test-host image) are cached, keyed by inputs.
CACHE   ?= $(HOME)/.cache/vmi-pv

CHECKS :=
DEMOS  :=
ALL    :=

include codegen/build.mk
include $(sort $(filter-out codegen/build.mk,$(wildcard */build.mk tests/*/build.mk)))

.PHONY: all check demo deps clean
all: $(ALL)

deps:
	@scripts/deps

check: deps
	@$(PYTHON) tests/harness.py $(CHECKS)

demo: deps $(DEMOS)

clean:
	rm -rf $(BUILD)

# The rules name their outputs by absolute path; `make build/X` is the same file.
build/%: $(BUILD)/% ;
