#!/bin/bash
# Builds one guest kernel from Debian's linux-source-6.1.
#
#   build-kernel.sh vmi      OUT   source + guest-linux/patches/series
#   build-kernel.sh baseline OUT   the same source and fragment, no series
#
# The bzImage is cached under $CACHE keyed by the source package version,
# the variant, the patches and the config fragment, so a warm cache costs a
# copy (change KEY_EPOCH when this script changes what it builds). A cold
# build extracts under $BUILD/guest/ and runs make with at most $JOBS jobs;
# a lock keeps two builds of one variant from sharing a tree.
set -euo pipefail

variant=${1:?usage: build-kernel.sh vmi|baseline OUT}
out=${2:?usage: build-kernel.sh vmi|baseline OUT}
here=$(cd "$(dirname "$0")/.." && pwd)
top=$(cd "$here/.." && pwd)
build=${BUILD:-$top/build}
cache=${CACHE:-$HOME/.cache/vmi-pv}
jobs=${JOBS:-2}
tarball=/usr/src/linux-source-6.1.tar.xz
fragment=$here/config/vmi-guest.config
patches=$here/patches

case $variant in
vmi | baseline) ;;
*) echo "build-kernel: unknown variant '$variant' (expected vmi or baseline)" >&2; exit 2 ;;
esac
if ! version=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null) || [[ ! -f $tarball ]]; then
	echo "build-kernel: linux-source-6.1 is not installed; run 'make deps'" >&2
	exit 1
fi

series_files() {
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$patches/series"
}

KEY_EPOCH=1

# Everything that changes the kernel binary goes into the key.
key_inputs() {
	echo "linux-source-6.1 $version variant $variant epoch $KEY_EPOCH"
	sha256sum "$fragment" | cut -d' ' -f1
	if [[ $variant == vmi ]]; then
		local p
		while read -r p; do
			sha256sum "$patches/$p" | cut -d' ' -f1
		done < <(series_files)
	fi
}
key=$(key_inputs | sha256sum | cut -c1-16)
cached=$cache/guest-linux/$variant-$key
if [[ ${PRINT_CACHE_DIR:-} == 1 ]]; then
	echo "$cached"
	exit 0
fi

mkdir -p "$(dirname "$out")"
if [[ -f $cached/bzImage ]]; then
	cp "$cached/bzImage" "$out"
	echo "build-kernel: $variant kernel from cache ($version, key $key)"
	exit 0
fi

src=$build/guest/src-$variant
obj=$build/guest/obj-$variant
mkdir -p "$build/guest"
exec 9> "$build/guest/.lock-$variant"
flock 9
# Another build may have filled the cache while this one waited.
if [[ -f $cached/bzImage ]]; then
	cp "$cached/bzImage" "$out"
	echo "build-kernel: $variant kernel from cache ($version, key $key)"
	exit 0
fi
start=$SECONDS
if [[ ! -f $src/.vmi-key ]] || [[ $(cat "$src/.vmi-key") != "$key" ]]; then
	rm -rf "$src" "$obj"
	mkdir -p "$src"
	tar -xf "$tarball" -C "$src" --strip-components=1
	if [[ $variant == vmi ]]; then
		while read -r p; do
			patch -d "$src" -p1 --batch --forward --quiet < "$patches/$p" ||
				{ echo "build-kernel: $p does not apply to linux-source-6.1 $version" >&2; exit 1; }
		done < <(series_files)
	fi
	echo "$key" > "$src/.vmi-key"
fi

mkdir -p "$obj"
make -s -C "$src" O="$obj" tinyconfig > /dev/null
"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$fragment" > /dev/null
make -s -C "$src" O="$obj" olddefconfig > /dev/null
if [[ $variant == vmi ]] && ! grep -qx 'CONFIG_VMI_GUEST=y' "$obj/.config"; then
	echo "build-kernel: CONFIG_VMI_GUEST did not survive olddefconfig; check the fragment's dependencies" >&2
	exit 1
fi
make -s -C "$src" O="$obj" -j"$jobs" bzImage
mkdir -p "$cached"
cp "$obj/arch/x86/boot/bzImage" "$cached/bzImage"
cp "$obj/.config" "$cached/config"
cp "$obj/arch/x86/boot/bzImage" "$out"
echo "build-kernel: built $variant kernel in $((SECONDS - start)) s ($version, key $key)"
