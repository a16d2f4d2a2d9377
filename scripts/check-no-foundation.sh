#!/usr/bin/env bash
# Fails when the client executable links Foundation or FoundationEssentials (issue 23:
# the client is the standard library, Glibc, libcurl, zlib, libcrypto and libedit only;
# docs/choices.md says why the argument parser is vendored for it). Two views of the
# binary: the shared libraries it asks the loader for (a debug build links Swift's
# libraries dynamically), and the Swift modules its symbols come from (a
# --static-swift-stdlib build carries them inside). Needs a symbol table: give it
# .build/debug/wsauth or .build/release/wsauth, not the stripped copy.
#   check-no-foundation.sh [BINARY]     (default: .build/debug/wsauth)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-.build/debug/wsauth}
[ -x "$bin" ] || { echo "check-no-foundation: $bin is missing: build it first" >&2; exit 1; }
status=0

needed=$(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
foundation_libraries=$(grep -E '^lib_?Foundation' <<<"$needed" || true)
if [ -n "$foundation_libraries" ]; then
    echo "$bin needs" $foundation_libraries >&2
    status=1
fi

symbols=$(nm -a "$bin")
[ "$(wc -l <<<"$symbols")" -gt 1000 ] || { echo "check-no-foundation: $bin has no symbol table" >&2; exit 1; }
# Mangled module names are length-prefixed: 20FoundationEssentials, 10Foundation.
foundation_symbols=$(grep -E '(^|[^0-9])(20FoundationEssentials|10Foundation[^A-Za-z])' <<<"$symbols" || true)
if [ -n "$foundation_symbols" ]; then
    echo "$bin has $(wc -l <<<"$foundation_symbols") Foundation symbols, e.g.:" >&2
    head -n 3 <<<"$foundation_symbols" >&2
    status=1
fi

[ $status -eq 0 ] && echo "no Foundation: $bin needs no libFoundation* and has no Foundation symbols"
exit $status
