#!/usr/bin/env bash
# Installs what `make bench` needs and only what is missing: hyperfine (probe timing),
# time and valgrind (profiling) through apt; websocat and websockets in .venv-bench.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(hyperfine time valgrind)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

requirements=bench/requirements.txt
stamp=.venv-bench/.requirements.stamp
if [ ! -x .venv-bench/bin/python ] || ! cmp -s "$requirements" "$stamp"; then
    python3 -m venv .venv-bench
    .venv-bench/bin/pip install -q --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$stamp"
fi
