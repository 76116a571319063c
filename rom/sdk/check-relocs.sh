#!/bin/bash
# Fails when a linked ROM (ld --emit-relocs) carries any relocation that is
# not PC-relative: such a value would be wrong wherever the guest copies
# the image. Usage: check-relocs.sh ROM.elf
set -euo pipefail
elf=$1
bad=$(readelf -rW "$elf" | awk '
	/^Relocation section/ { section = $3; next }
	$3 ~ /^R_X86_64_/ && $3 !~ /^R_X86_64_(PC8|PC16|PC32|PC64|PLT32|NONE)$/ {
		printf "  %s at %s in %s (%s)\n", $3, $1, section, $5
	}')
if [[ -n "$bad" ]]; then
	echo "$elf: absolute relocations; a ROM must be position-independent:" >&2
	echo "$bad" >&2
	exit 1
fi
