#!/bin/bash
# Runs the kernel's checkpatch.pl over every patch of the series.
#
#   checkpatch.sh DIR PATCHDIR
#
# DIR holds scripts/checkpatch.pl (a kernel tree); when it does not, the
# script and its data files are taken from linux-source-6.1 into DIR.
#
# A patch passes with no errors (warnings are printed, not counted).
# PATCHDIR/checkpatch.ignore may name, per patch number, message types not
# to report, with the reason: "0002 COMPLEX_MACRO  # why".
set -uo pipefail

tree=${1:?usage: checkpatch.sh DIR PATCHDIR}
patches=$(cd "${2:?usage: checkpatch.sh DIR PATCHDIR}" && pwd)
tarball=/usr/src/linux-source-6.1.tar.xz
if [[ ! -x $tree/scripts/checkpatch.pl ]]; then
	[[ -f $tarball ]] || { echo "checkpatch: $tarball is missing; run 'make deps'" >&2; exit 1; }
	mkdir -p "$tree"
	tar -xJf "$tarball" -C "$tree" --strip-components=1 \
		linux-source-6.1/scripts/checkpatch.pl \
		linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch
fi
ignored_types() {
	local types
	types=$(sed 's/#.*//' "$patches/checkpatch.ignore" 2>/dev/null |
		awk -v n="${1%%-*}" '$1 == n { print $2 }' | paste -sd, -)
	echo "FILE_PATH_CHANGES${types:+,$types}"
}

passed=0 failed=0
while read -r p; do
	out=$(cd "$tree" && ./scripts/checkpatch.pl --no-tree --terse --show-types \
		--ignore "$(ignored_types "$p")" "$patches/$p" 2>&1)
	errors=$(grep -c ': ERROR:' <<< "$out")
	warnings=$(grep -c ': WARNING:' <<< "$out")
	if ((errors == 0)); then
		echo "ok   $p: 0 errors, $warnings warnings"
		passed=$((passed + 1))
	else
		echo "FAIL $p: $errors errors, $warnings warnings"
		failed=$((failed + 1))
	fi
	grep -E ': (ERROR|WARNING):' <<< "$out" | sed 's/^/     /'
done < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$patches/series" | grep -v '^0000-')
echo "$passed passed, $failed failed"
((failed == 0))
