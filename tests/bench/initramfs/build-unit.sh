#!/bin/sh
# One unit of the bounded shell-script build loop (shell_build): generate
# a source file, "compile" it with text tools, archive the result. Every
# command is a busybox applet, so each line is a fork and an exec.
set -e
unit=${1:?usage: build-unit.sh UNIT}
dir=/tmp/build/unit$unit
mkdir -p "$dir"
seq 1 200 | sed "s/.*/int f${unit}_&(void);/" > "$dir/unit.c"
sort -r "$dir/unit.c" | md5sum > "$dir/unit.o"
grep -c "^int" "$dir/unit.c" >> "$dir/unit.o"
tr a-z A-Z < "$dir/unit.c" | wc -c >> "$dir/unit.o"
cat "$dir/unit.o" >> /tmp/build/lib.a
rm -rf "$dir"
