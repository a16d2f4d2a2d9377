#!/usr/bin/env bash
# Fails when the release client's code is no longer laid out by use (docs/ARCHITECTURE.md,
# "Code laid out by use"): the link did not apply packaging/wsauth.order or
# packaging/wsauth-unnamed.ld, or the order names too few of the binary's functions to
# matter any more (the code moved on: `make order` writes it again).
# Usage: scripts/check-layout.sh BINARY [MAP]   (the unstripped release client and the map
# of its link, .build/wsauth.map by default)
set -euo pipefail
binary=${1:?usage: check-layout.sh BINARY [MAP]}
map=${2:-$(dirname "$0")/../.build/wsauth.map}
order=$(dirname "$0")/../packaging/wsauth.order
unnamed=$(dirname "$0")/../packaging/wsauth-unnamed.ld
# Below this share of the order's names present in the binary, the layout is stale.
least_present=75

fail() { echo "check-layout: $*" >&2; exit 1; }

# The script puts the symbol-less hot functions first in .text: the map of the link says
# whether it did (the binary cannot: they have no symbols).
main_in_binary=$(nm --defined-only "$binary" | awk '$3 == "wsauth_main" {print $1; exit}')
[ -f "$map" ] || fail "no link map $map (the release link writes it)"
python3 - "$map" "$unnamed" "$main_in_binary" <<'EOF' || exit 1
import re, sys
map_file, script_file, main_in_binary = sys.argv[1], sys.argv[2], int(sys.argv[3] or "0", 16)
listed = re.findall(r"^\s+\*\S+\((\.text\.\.L[^)]*)\)$", open(script_file).read(), re.M)
first, in_text, main_in_map = None, False, None
for line in open(map_file):
    fields = line.split()
    if len(fields) == 5 and fields[4] == ".text":
        in_text = True
    elif in_text and first is None and len(fields) == 5 and ":(" in fields[4]:
        first = fields[4]
    elif len(fields) == 5 and fields[4] == "wsauth_main":
        main_in_map = int(fields[0], 16)
if main_in_map != main_in_binary:
    sys.exit(f"check-layout: {map_file} is not the map of the binary's link")
if listed and not (first and re.search(r":\((\.text\.\.L[^)]*)\)$", first)):
    sys.exit(f"check-layout: .text starts with {first}, not the sections packaging/wsauth-unnamed.ld "
             "lists: the script was not linked")
EOF

symbols=$(mktemp)
trap 'rm -f "$symbols"' EXIT
nm -S --defined-only "$binary" | awk '$3 ~ /^[tTwW]$/ {print $1, $2, $4}' >"$symbols"
python3 - "$symbols" "$order" "$least_present" <<'EOF'
import sys
symbols_file, order_file, least_present = sys.argv[1], sys.argv[2], int(sys.argv[3])
extent = {}
for line in open(symbols_file):
    value, size, name = line.rstrip("\n").split(" ", 2)
    extent.setdefault(name, (int(value, 16), int(size, 16)))
names = [line.rstrip("\n") for line in open(order_file) if line.strip()]
present = [name for name in names if name in extent]
share = 100 * len(present) // max(len(names), 1)
if share < least_present:
    sys.exit(f"check-layout: only {share}% of packaging/wsauth.order's {len(names)} functions are in the "
             f"binary (at least {least_present}%): run `make order` and commit the layout")
# Laid out together, the ordered functions fill few of the 64 KiB windows the kernel maps
# at a time; scattered (no order linked), they touched 102 windows where 16 would do.
# Some stay apart (the standard library's text is one unsplittable section), hence 3x.
windows, size = set(), 0
for name in present:
    start, length = extent[name]
    size += length
    windows.update(range(start >> 16, ((start + max(length, 1) - 1) >> 16) + 1))
fewest = size // 65536 + 1
if len(windows) > 3 * fewest:
    sys.exit(f"check-layout: the ordered functions ({size} bytes) span {len(windows)} windows of 64 KiB, "
             f"more than 3 x {fewest}: packaging/wsauth.order was not linked")
print(f"check-layout: {share}% of the order's {len(names)} functions present, in {len(windows)} windows of 64 KiB")
EOF
