#!/bin/bash
# Packs the benchmark initramfs: static busybox, the benchmark programs
# under /bench, and the benchmark /init. File dates are fixed so the same
# inputs give the same archive.
#
#   mkinitrd.sh OUT.gz PROGRAM...
set -euo pipefail

out=${1:?usage: mkinitrd.sh OUT.gz PROGRAM...}
shift
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(dirname "$out")/initrd-root

if ! file -L /bin/busybox 2>/dev/null | grep -q 'statically linked'; then
	echo "bench mkinitrd: /bin/busybox is missing or not the static build (package busybox-static; run 'make deps')" >&2
	exit 1
fi
rm -rf "$root"
mkdir -p "$root"/{bin,dev,proc,sys,tmp,bench}
cp /bin/busybox "$root/bin/busybox"
cp "$here/initramfs/init" "$root/init"
cp "$here/initramfs/build-unit.sh" "$root/bench/build-unit.sh"
for program in "$@"; do
	[[ -x $program ]] || { echo "bench mkinitrd: $program is not an executable" >&2; exit 1; }
	cp "$program" "$root/bench/"
done
chmod 755 "$root/init" "$root/bench/"*
find "$root" -exec touch -h -d @0 {} +
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet --reproducible) | gzip -n -6 > "$out.tmp"
mv "$out.tmp" "$out"
