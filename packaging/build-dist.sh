#!/usr/bin/env bash
# Builds wsauth-VERSION-linux-ARCH.tar.gz in the repository's root: the files of the .deb
# laid out under a prefix (bin/, share/…) in a directory wsauth-VERSION/, with install.sh,
# which installs them under $DESTDIR$PREFIX.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(python3 packaging/changelog.py version)
arch=$(uname -m)
name=wsauth-$version
tarball=$name-linux-$arch.tar.gz
work=.build/dist
rm -rf "$work"
install -d -m 755 "$work/$name"
./packaging/stage.sh "$work/$name" share/zsh/site-functions
install -m 755 packaging/install.sh "$work/$name/install.sh"
find "$work/$name" -type d -exec chmod 755 {} +
# Owned by root and sorted, so the tarball does not carry this machine's users or order.
tar -C "$work" --owner=0 --group=0 --numeric-owner --sort=name -cf - "$name" | gzip -9n >"$tarball"
echo "built $tarball"
