#!/bin/bash
# Each rule the ROM build enforces, broken on purpose: the build must fail
# and say why. A control ROM built the same way must succeed.
# Usage: check_rules.sh BUILD_ROM_DIR
set -uo pipefail
dir=$1
passed=0 failed=0

expect() {	# expect NAME "message the failing build prints"
	local out
	out=$(make -s --no-print-directory "$dir/bad-$1.rom" 2>&1)
	if [[ $? -ne 0 ]] && grep -qF -- "$2" <<<"$out"; then
		echo "PASS bad-$1: build refused: $2"; ((passed++))
	else
		echo "FAIL bad-$1: expected a failed build saying '$2'; got:"; echo "$out" | tail -5
		((failed++))
	fi
}

expect writable "writable data in the image"
expect absolute "absolute relocations"
expect deep-stack "more stack than VMI_MAX_STACK_BYTES"
expect missing-call "call halt has neither VMI_ENTRY nor VMI_UNSUPPORTED"
expect long-name "must have 1-16 characters"
expect big-frame "stack usage"
if out=$(make -s --no-print-directory "$dir/good-control.rom" 2>&1); then
	echo "PASS good-control: the same machinery builds a valid ROM"; ((passed++))
else
	echo "FAIL good-control: $out"; ((failed++))
fi
echo "$passed passed, $failed failed"
((failed == 0))
