#!/usr/bin/env bash
# Generates completions/, man/wsauth.1 and the generated pages of docs/reference/
# (commands and flags, profile keys, close codes) from the built binary, so that they
# cannot drift from the code. With --check, fails when the committed files differ
# from what the binary generates, or when a file of the repository refers to a
# document outside it.
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
"$bin" --experimental-dump-help | python3 scripts/reference_docs.py commands >"$out/commands.md"
"$bin" --experimental-dump-help | python3 scripts/reference_docs.py profile-keys >"$out/profile-keys.md"
"$bin" codes --json | python3 scripts/reference_docs.py close-codes >"$out/close-codes.md"

status=0
for file in completions/wsauth.bash completions/_wsauth completions/wsauth.fish man/wsauth.1 man/wsauth-serve.1 \
    docs/reference/commands.md docs/reference/profile-keys.md docs/reference/close-codes.md; do
    generated="$out/$(basename "$file")"
    if [ $check -eq 1 ]; then
        if ! cmp -s "$generated" "$file"; then
            echo "$file is out of date with the code: run 'make docs', rebuild and commit" >&2
            status=1
        fi
    else
        mkdir -p "$(dirname "$file")"
        cp "$generated" "$file"
    fi
done
if [ $check -eq 1 ]; then
    # The repository is self-contained: no file may send its reader to a document
    # outside it (the patterns are bracketed so that this line does not match itself).
    outside=$(git ls-files -co --exclude-standard | grep -v '^Tests/interop/fixtures/' \
        | xargs -d '\n' grep -nIE '[.][.]/shared|shared[/]docs|cli[.]md' -- 2>/dev/null || true)
    if [ -n "$outside" ]; then
        echo "$outside" >&2
        echo "these lines refer to a document outside the repository: point them at docs/" >&2
        status=1
    fi
fi
[ $check -eq 1 ] && [ $status -eq 0 ] && echo "docs: completions, man page and docs/reference are in step with the code; nothing refers outside the repository"
exit $status
