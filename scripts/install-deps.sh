#!/usr/bin/env bash
# Installs what building and testing wsauth needs on Debian 12, and only what is
# missing: system packages through apt, Python test peers in a venv under .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libcurl4-openssl-dev zlib1g-dev libedit-dev redis-server openssl tmux pkg-config)
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

requirements=Tests/interop/requirements.txt
stamp=.venv/.requirements.stamp
if [ ! -x .venv/bin/python ] || ! cmp -s "$requirements" "$stamp"; then
    python3 -m venv .venv
    .venv/bin/pip install -q --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$stamp"
fi
