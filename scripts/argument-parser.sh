#!/usr/bin/env bash
# swift-argument-parser 1.8.2 without its FoundationEssentials import, so that the
# client links no Foundation, and with the argument sets it reflects kept for the
# process (dependencies/swift-argument-parser.md says why and what).
# Package.swift depends on it by path: .build-deps/swift-argument-parser, made here from
# the upstream tag (through the usual GitHub URL) plus our manifest and patches.
# Run by scripts/install-deps.sh, so by every make target; idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
url=https://github.com/apple/swift-argument-parser
tag=1.8.2
commit=436bde4bb9489201ca6662f5cf94ec45fa8e244e
target=.build-deps/swift-argument-parser
patches=(dependencies/swift-argument-parser-no-foundation.patch dependencies/swift-argument-parser-argument-set-cache.patch)
manifest=dependencies/swift-argument-parser-Package.swift
stamp="$tag $(cat "${patches[@]}" "$manifest" | sha256sum | cut -d' ' -f1)"
if [ -f "$target/.wsauth-stamp" ] && [ "$(cat "$target/.wsauth-stamp")" = "$stamp" ]; then
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q --depth 1 --branch "$tag" "$url" "$work/upstream" 2>/dev/null
if [ "$(git -C "$work/upstream" rev-parse HEAD)" != "$commit" ]; then
    echo "argument-parser.sh: $url $tag is not $commit" >&2
    exit 1
fi
mkdir -p "$work/patched/Sources"
cp -R "$work/upstream/Sources/ArgumentParser" "$work/upstream/Sources/ArgumentParserToolInfo" "$work/patched/Sources/"
cp "$work/upstream/LICENSE.txt" "$work/patched/"
rm -rf "$work/patched/Sources/ArgumentParser/Documentation.docc"
find "$work/patched/Sources" -name CMakeLists.txt -delete
cp "$manifest" "$work/patched/Package.swift"
for patch in "${patches[@]}"; do
    git -C "$work/patched" apply -p1 "$PWD/$patch"  # git, not patch(1): a bare machine has git
done
echo "$stamp" > "$work/patched/.wsauth-stamp"
rm -rf "$target"
mkdir -p "$(dirname "$target")"
mv "$work/patched" "$target"
