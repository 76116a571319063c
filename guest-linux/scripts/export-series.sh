#!/bin/bash
# Regenerates guest-linux/patches/ from a git tree of the kernel source in
# which the series is developed (one commit per patch on top of a commit of
# the untouched Debian source).
#
#   export-series.sh TREE BASE
#
# Writes 0000-cover-letter.patch (body from guest-linux/patches/cover.txt),
# the patches, and the series file listing them in order.
set -euo pipefail

tree=${1:?usage: export-series.sh TREE BASE}
base=${2:?usage: export-series.sh TREE BASE}
here=$(cd "$(dirname "$0")/.." && pwd)
out=$here/patches
cover=$here/patches/cover.txt

[[ -f $cover ]] || { echo "export-series: $cover is missing" >&2; exit 1; }
find "$out" -name '*.patch' -delete
git -C "$tree" format-patch -q --zero-commit --no-signature --cover-letter \
	--subject-prefix="PATCH" -o "$out" "$base..HEAD"
# Put the cover text in place of format-patch's placeholders.
python3 - "$out"/0000-cover-letter.patch "$cover" <<'PY'
import sys
path, cover = sys.argv[1], open(sys.argv[2]).read()
subject, _, body = cover.partition("\n\n")
text = open(path).read()
text = text.replace("*** SUBJECT HERE ***", subject.strip())
text = text.replace("*** BLURB HERE ***", body.strip())
open(path, "w").write(text)
PY
{
	echo "# Apply in this order with patch -p1 (the cover letter is not a patch)."
	(cd "$out" && ls [0-9][0-9][0-9][0-9]-*.patch | grep -v '^0000-')
} > "$out/series"
