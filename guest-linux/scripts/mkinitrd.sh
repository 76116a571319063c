#!/bin/bash
# Packs the boot-test initramfs: static busybox, stress-ng with the shared
# libraries it loads, and the /init test script.
#
#   mkinitrd.sh OUT.gz
set -euo pipefail

out=${1:?usage: mkinitrd.sh OUT.gz}
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(dirname "$out")/initrd-root

for tool in /bin/busybox /usr/bin/stress-ng; do
	[[ -x $tool ]] || { echo "mkinitrd: $tool is missing; run 'make deps'" >&2; exit 1; }
done
if ! file -L /bin/busybox | grep -q 'statically linked'; then
	echo "mkinitrd: /bin/busybox is not the static build (package busybox-static)" >&2
	exit 1
fi

rm -rf "$root"
mkdir -p "$root"/{bin,dev,proc,sys,tmp,lib64,usr/bin}
cp /bin/busybox "$root/bin/busybox"
cp /usr/bin/stress-ng "$root/usr/bin/stress-ng"
# Every library stress-ng loads, at the path the dynamic loader expects.
ldd /usr/bin/stress-ng | awk '/=> \// { print $3 } /^\t\/lib/ { print $1 }' |
	while read -r lib; do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
cp "$here/initramfs/init" "$root/init"
chmod 755 "$root/init"
(cd "$root" && find . | sort | cpio -o -H newc --quiet) | gzip -6 > "$out.tmp"
mv "$out.tmp" "$out"
