#!/usr/bin/env bash
# Where wsauth's instructions go, on smaller instances of the benchmark scenarios:
# callgrind counts instructions, so the numbers hold on a loaded machine where wall
# times do not. Writes bench/profile/*.callgrind and prints the top functions.
#
# valgrind 3.19 (Debian 12) gives up on the DWARF that Swift 6.3 emits ("Possibly
# corrupted debuginfo file"), so the binary is profiled from a copy without debug
# sections; the symbol table is enough for function names.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-.build/release/wsauth}
messages=${MESSAGES:-20000}
big=${BIG:-8388608}
out=bench/profile
mkdir -p "$out"
objcopy --strip-debug "$binary" "$out/wsauth"
websocat=.venv-bench/bin/websocat

port_file=$(mktemp)
.venv-bench/bin/python bench/server.py --idle 60 --lifetime 900 \
    --warm "/firehose?n=$messages&size=64" --warm "/big?size=$big" >"$port_file" &
server=$!
trap 'kill $server 2>/dev/null; rm -f "$port_file"' EXIT
while [ ! -s "$port_file" ]; do sleep 0.1; done
base="ws://127.0.0.1:$(head -1 "$port_file")"

profile() {  # name, command...
    local name=$1; shift
    valgrind --tool=callgrind --callgrind-out-file="$out/$name.callgrind" "$@" </dev/null >/dev/null 2>"$out/$name.log" || true
    printf '%-16s %15s instructions\n' "$name" "$(grep -o 'refs: *[0-9,]*' "$out/$name.log" | tr -dc '0-9,')"
}
profile version "$out/wsauth" --version
profile probe "$out/wsauth" probe "$base/probe"
profile firehose "$out/wsauth" connect "$base/firehose?n=$messages&size=64" --count "$messages"
profile big "$out/wsauth" connect "$base/big?size=$big" --count 1 --max-message-size $((big + 1024))
profile websocat-probe "$websocat" "$base/probe"
profile websocat-firehose "$websocat" -n "$base/firehose?n=$messages&size=64"

# `head` ends each listing early; without this its SIGPIPE upstream would end the script
# after the first listing.
set +o pipefail
demangle() { if command -v swift-demangle >/dev/null; then swift-demangle --simplified; else cat; fi; }
for name in probe firehose big; do
    echo
    echo "== $name: top functions, inclusive"
    callgrind_annotate --inclusive=yes "$out/$name.callgrind" 2>/dev/null | grep -E '^ *[0-9,]+ \(' | demangle \
        | grep -vE 'PROGRAM TOTALS|below main|_start|0x0000' | head -25 | cut -c1-170
    echo "== $name: top functions, self"
    callgrind_annotate "$out/$name.callgrind" 2>/dev/null | grep -E '^ *[0-9,]+ \(' | demangle \
        | grep -v 'PROGRAM TOTALS' | head -12 | cut -c1-170
done
