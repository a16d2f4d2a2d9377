#!/usr/bin/env bash
# Generates completions/, man/wsauth.1, man/wsauth-serve.1 and the profile's flag table
# (Sources/wsauth/ProfileFlagTable.swift) from the argument parsers of the built
# binaries (the wsauth-serve next to the given wsauth), so that they cannot drift from
# the code. With --check, fails when the committed files differ from what they generate.
set -euo pipefail
cd "$(dirname "$0")/.."
check=0
if [ "${1:-}" = "--check" ]; then check=1; shift; fi
bin=${1:-.build/debug/wsauth}
serve_bin=$(dirname "$bin")/wsauth-serve
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

"$bin" --generate-completion-script bash >"$out/wsauth.bash"
"$bin" --generate-completion-script zsh >"$out/_wsauth"
"$bin" --generate-completion-script fish >"$out/wsauth.fish"
"$bin" --experimental-dump-help | python3 scripts/manpage.py >"$out/wsauth.1"
"$serve_bin" --experimental-dump-help | python3 scripts/manpage.py >"$out/wsauth-serve.1"
"$bin" --experimental-dump-help | python3 scripts/profile_flags.py >"$out/ProfileFlagTable.swift"

status=0
for file in completions/wsauth.bash completions/_wsauth completions/wsauth.fish man/wsauth.1 man/wsauth-serve.1 Sources/wsauth/ProfileFlagTable.swift; do
    generated="$out/$(basename "$file")"
    if [ $check -eq 1 ]; then
        if ! cmp -s "$generated" "$file"; then
            echo "$file is out of date with the argument parser: run 'make docs', rebuild and commit" >&2
            status=1
        fi
    else
        mkdir -p "$(dirname "$file")"
        cp "$generated" "$file"
    fi
done
[ $check -eq 1 ] && [ $status -eq 0 ] && echo "docs: completions and man page are in step with the parser"
exit $status
