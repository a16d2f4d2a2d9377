#!/usr/bin/env bash
# Installs what `make bench` needs and only what is missing: hyperfine (probe timing),
# time and valgrind (profiling) through apt; websocat and websockets in .venv-bench.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/apt-ensure.sh hyperfine time valgrind

requirements=bench/requirements.txt
stamp=.venv-bench/.requirements.stamp
if [ ! -x .venv-bench/bin/python ] || ! cmp -s "$requirements" "$stamp"; then
    python3 -m venv .venv-bench
    .venv-bench/bin/pip install -q --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$stamp"
fi
