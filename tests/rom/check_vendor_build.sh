#!/bin/bash
# What the vendor guide promises of the build, in a copy of the tree: a
# vendor's rom/<name>/build.mk is picked up without editing any other file,
# `make rom-<name>` builds build/rom/<name>.rom and nothing else (no
# kernel), `make build/rom/<name>.rom` names the same file, and the image
# verifies.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

check() {	# check WHAT COMMAND...
	local what=$1
	shift
	if "$@" >"$tmp/out" 2>&1; then
		passed=$((passed + 1)); echo "ok $what"
	else
		failed=$((failed + 1)); echo "not ok $what"; sed 's/^/#  /' "$tmp/out" | tail -20
	fi
}

tree=$tmp/tree
mkdir "$tree"
git -C "$top" ls-files -z | (cd "$top" && xargs -0 cp --parents -t "$tree")
mkdir "$tree/rom/acme"
cp "$top"/rom/template/template.* "$tree/rom/acme/"
cat >"$tree/rom/acme/build.mk" <<'MK'
ACME_ROM := $(call vmi_rom,acme,rom/acme/template.S rom/acme/template.c)
ROMS += $(ACME_ROM)
MK
check "make rom-acme builds a vendor's ROM from its own build.mk" \
	make -s -C "$tree" rom-acme
check "the ROM is build/rom/acme.rom and verifies" "$tree/build/romtool" verify "$tree/build/rom/acme.rom"
check "make rom-acme built no kernel" test ! -e "$tree/build/guest"
check "make build/rom/acme.rom names the same file" make -s -C "$tree" build/rom/acme.rom
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
