#!/bin/sh
# Installs wsauth from this directory (the tarball of `make dist`) under $DESTDIR$PREFIX:
# the executables in bin/, man pages, bash/zsh/fish completions and the copyright.
#   ./install.sh                       into /usr/local
#   PREFIX=$HOME/.local ./install.sh   into your home
#   DESTDIR=/tmp/stage PREFIX=/usr ./install.sh   staged, for a package of your own
# wsauth starts the wsauth-serve next to it, so the two stay in the same bin/.
set -eu
cd "$(dirname "$0")"
PREFIX=${PREFIX:-/usr/local}
DESTDIR=${DESTDIR:-}
case $PREFIX in
    /*) ;;
    *) echo "install.sh: PREFIX must be an absolute path, not '$PREFIX'" >&2; exit 64 ;;
esac
target=$DESTDIR$PREFIX
find bin share -type d | while read -r dir; do
    install -d -m 755 "$target/$dir"
done
for exe in bin/*; do
    install -m 755 "$exe" "$target/$exe"
done
find share -type f | while read -r file; do
    install -m 644 "$file" "$target/$file"
done
echo "installed wsauth in $target"
