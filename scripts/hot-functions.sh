#!/usr/bin/env bash
# Rewrites packaging/wsauth.order and packaging/wsauth-unnamed.ld, the layout of the
# release client's code (docs/ARCHITECTURE.md, "Code laid out by use"): the functions
# that common runs execute go first and together, so that a run touches few pages of the
# binary. The kernel maps a file's pages 64 KiB around each page fault, so scattered
# start-up code made `wsauth --version` map 4.7 MB of code to execute 1.5 MB.
# The order names functions by symbol; functions the compiler leaves without one
# (closure destructors, some thunks: `.text..L…` sections) are named by object file and
# section in the linker script instead, from the map of the same link.
#
# Usage: scripts/hot-functions.sh   (`make order` runs it between two `make release`).
# Profiles .build/release/wsauth with .build/wsauth.map, both from the last `make release`.
# Needs valgrind. A stale layout only loses
# locality (the link ignores names it no longer has), never correctness.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=.build/release/wsauth
map=.build/wsauth.map
order=packaging/wsauth.order
unnamed=packaging/wsauth-unnamed.ld
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

# valgrind 3.19 gives up on Swift 6.3's DWARF (bench/profile.sh); the symbol table is
# what the order needs.
objcopy --strip-debug "$binary" "$work/wsauth"

python3 bench/server.py --idle 60 --lifetime 600 >"$work/port" &
server=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
base="ws://127.0.0.1:$(head -1 "$work/port")"

# A home of its own: `status` and `token` read an empty store, nothing of the user's.
export HOME=$work/home XDG_CONFIG_HOME=$work/home/config XDG_STATE_HOME=$work/home/state
mkdir -p "$HOME"

# Each run's executed functions, in groups: start-up first, then what a probe adds, then
# what streaming adds. A group is laid out in the order of the current binary, which
# keeps each module's neighbours together.
runs=(
    "--version"
    "--help"
    "probe --help"
    "status"
    "token"
    "codes"
    "probe $base/probe"
    "probe --json $base/probe"
    "connect $base/firehose?n=2000&size=64 --count 2000"
    "connect --json $base/firehose?n=200&size=64 --count 200"
    "connect $base/big?size=2097152 --count 1"
)
n=0
for run in "${runs[@]}"; do
    n=$((n + 1))
    # shellcheck disable=SC2086 # each run is a word list
    valgrind --tool=callgrind --dump-instr=yes --dump-line=no --compress-strings=no --compress-pos=no \
        --callgrind-out-file="$work/$n.callgrind" "$work/wsauth" $run </dev/null >/dev/null 2>&1 || true
done

# Callgrind names a function by one of its aliases, not always the one the link orders
# by, so the layout is made from the addresses executed: every symbol whose extent holds
# one goes in the order, and every symbol-less section that holds one in the script.
python3 - "$work" "$n" "$binary" "$map" "$order" "$unnamed" <<'EOF'
import bisect, re, subprocess, sys
work, runs, binary, map_file, order_file, unnamed_file = sys.argv[1:7]
runs = int(runs)
symbols = []  # (start, end, name), text symbols of the binary
nm = subprocess.run(["nm", "--defined-only", "-S", binary], capture_output=True, text=True).stdout
for line in nm.splitlines():
    parts = line.split(" ", 3)
    if len(parts) == 4 and parts[2] in "tTwW" and int(parts[1], 16) > 0:
        start = int(parts[0], 16)
        symbols.append((start, start + int(parts[1], 16), parts[3]))
symbols.sort()
starts = [symbol[0] for symbol in symbols]
longest = max(end - start for start, end, _ in symbols)

# Input sections of the link, from its map: "VMA LMA SIZE ALIGN file:(section)".
sections = []
main_in_map = None
for line in open(map_file):
    found = re.match(r"^\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)\s+\d+\s+(\S.*):\((\.text[^)]*)\)$", line.rstrip())
    if found:
        sections.append((int(found[1], 16), int(found[2], 16), found[3], found[4]))
    elif line.rstrip().endswith(" wsauth_main"):
        main_in_map = int(line.split()[0], 16)
sections.sort()
section_starts = [section[0] for section in sections]
longest_section = max(size for _, size, _, _ in sections)
main_in_binary = next((start for start, _, name in symbols if name == "wsauth_main"), None)
if main_in_map is None or main_in_map != main_in_binary:
    sys.exit(f"hot-functions.sh: {map_file} is not the map of {binary}: run `make release` first")

def containing(address):
    i = bisect.bisect_right(starts, address) - 1
    while i >= 0 and address - symbols[i][0] < longest:
        if symbols[i][0] <= address < symbols[i][1]:
            yield symbols[i][2]
        i -= 1

def unnamed_section(address):
    """The object file and section of a function the compiler gave no symbol."""
    # Back from the last section starting at or before the address: empty sections may
    # share a start with the one that holds it.
    i = bisect.bisect_right(section_starts, address) - 1
    while i >= 0 and address - sections[i][0] < longest_section:
        start, size, path, name = sections[i]
        if start <= address < start + size:
            if not name.startswith(".text..L"):
                return None
            # The path from the build directory on, so that the script holds on any machine.
            return path.split("/release/")[-1], name
        i -= 1
    return None

seen, hot_unnamed = set(), set()
with open(order_file, "w") as order:
    for run in range(1, runs + 1):
        ours, executed = False, set()
        for line in open(f"{work}/{run}.callgrind", errors="replace"):
            if line.startswith("ob="):
                ours = line.rstrip("\n").endswith("/wsauth")
            elif ours and line.startswith("0x"):
                executed.add(int(line.split(" ", 1)[0], 16))
        hit = {}  # name: its lowest address executed, so that the run's new names keep the binary's order
        for address in sorted(executed):
            names = list(containing(address))
            for name in names:
                hit.setdefault(name, address)
            if not names and (section := unnamed_section(address)):
                hot_unnamed.add(section)
        for name in sorted(set(hit) - seen, key=lambda name: (hit[name], name)):
            print(name, file=order)
        seen |= set(hit)
with open(unnamed_file, "w") as script:
    script.write("/* Written by scripts/hot-functions.sh: the hot functions that have no symbol for\n"
                 "   packaging/wsauth.order to name, by object file and section. */\n")
    # Into `.text` itself, first: the rest of `.text` follows them, ordered by
    # packaging/wsauth.order (a section of its own would not be text to valgrind).
    script.write("SECTIONS {\n  .text : {\n")
    for path, section in sorted(hot_unnamed):
        script.write(f"    *{path}({section})\n")
    script.write("  }\n}\nINSERT BEFORE .init;\n")
print(f"{order_file}: {len(seen)} functions; {unnamed_file}: {len(hot_unnamed)} sections", file=sys.stderr)
EOF
