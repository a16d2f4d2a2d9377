#!/usr/bin/env bash
# Builds the libFuzzer targets (-sanitize=fuzzer,address) and runs each for a bounded
# time, starting from the committed seeds. Usage: Fuzz/fuzz.sh [TARGET…]
#   FUZZ_SECONDS   how long each target runs (default 60)
# New inputs go to Fuzz/.build/corpus/TARGET (kept between runs, never committed);
# a crashing input goes to Fuzz/.build/crashes/ and makes the script fail, printing the
# command that reproduces it.
set -euo pipefail
cd "$(dirname "$0")"

declare -A binaries=(
    [connection]=FuzzConnection [handshake]=FuzzHandshake [json]=FuzzJSON [jwt]=FuzzJWT [cookies]=FuzzCookies
    [graphql]=FuzzGraphQL [stomp]=FuzzSTOMP [redactor]=FuzzRedactor [mqtt]=FuzzMQTT
    [actioncable]=FuzzActionCable [pusher]=FuzzPusher
)
seconds=${FUZZ_SECONDS:-60}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(connection handshake json jwt cookies graphql stomp redactor mqtt actioncable pusher)

swift build -c release -Xswiftc -sanitize=fuzzer,address
mkdir -p .build/crashes

failed=()
for target in "${targets[@]}"; do
    binary=.build/release/${binaries[$target]:?unknown target $target}
    mkdir -p ".build/corpus/$target"
    log=".build/fuzz-$target.log"
    echo "fuzz $target for ${seconds}s (log: Fuzz/$log)"
    # Leak checking is off: the Swift runtime keeps metadata caches for the process's
    # life, which LeakSanitizer would report at exit. Swift's own backtracer is off so
    # that a trap is reported by libFuzzer (its backtracer trips ASan reading memory).
    if SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 "$binary" ".build/corpus/$target" "corpus/$target" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix=".build/crashes/$target-" >"$log" 2>&1; then
        grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 | sed "s/^/  /" || true
    else
        failed+=("$target")
        grep -E 'ERROR|Test unit written|artifact_prefix|Fatal error|Precondition' "$log" | head -5 | sed "s/^/  /"
        echo "  reproduce: Fuzz/$binary Fuzz/.build/crashes/$target-<file>"
    fi
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec)' "$log" | sed "s/^/  /"
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "crashed: ${failed[*]}" >&2
    exit 1
fi
