#!/usr/bin/env bash
# The tarball of `make dist` installed with its install.sh: into a DESTDIR with a PREFIX
# (every file where it belongs, modes 755/644, nothing else), with the default PREFIX
# (/usr/local), and a relative PREFIX refused with 64. The installed wsauth runs.
#   dist-install.sh [TARBALL]     (default: the wsauth-VERSION-linux-ARCH.tar.gz of make dist)
set -euo pipefail
cd "$(dirname "$0")/../.."
version=$(python3 packaging/changelog.py version)
tarball=${1:-wsauth-$version-linux-$(uname -m).tar.gz}
[ -f "$tarball" ] || { echo "dist-install: $tarball is missing: run 'make dist'" >&2; exit 1; }
fail() { echo "FAIL: $*" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xzf "$tarball"
unpacked=$work/wsauth-$version
[ -x "$unpacked/install.sh" ] || fail "the tarball has no wsauth-$version/install.sh"

expected="bin/wsauth 755
bin/wsauth-serve 755
share/bash-completion/completions/wsauth 644
share/doc/wsauth/changelog.gz 644
share/doc/wsauth/copyright 644
share/fish/vendor_completions.d/wsauth.fish 644
share/man/man1/wsauth-serve.1.gz 644
share/man/man1/wsauth.1.gz 644
share/zsh/site-functions/_wsauth 644"

# listing DIR: every file under DIR as "PATH MODE", sorted.
listing() { (cd "$1" && find . -type f -printf '%P %m\n' | LC_ALL=C sort); }

echo "== DESTDIR=$work/dest PREFIX=/opt/wsauth ./install.sh"
DESTDIR=$work/dest PREFIX=/opt/wsauth "$unpacked/install.sh"
[ "$(cd "$work/dest" && find . -mindepth 1 -maxdepth 1)" = "./opt" ] || fail "install.sh wrote outside DESTDIR/PREFIX"
got=$(listing "$work/dest/opt/wsauth")
echo "$got"
[ "$got" = "$expected" ] || { diff <(echo "$expected") <(echo "$got") >&2 || true; fail "the installed files differ from the expected list"; }
out=$("$work/dest/opt/wsauth/bin/wsauth" --version)
case $out in *"$version"*) ;; *) fail "the installed wsauth --version says '$out'" ;; esac
for page in "$work"/dest/opt/wsauth/share/man/man1/*.gz; do
    gzip -t "$page" || fail "$page is not gzip"
done

echo "== DESTDIR=$work/default ./install.sh (PREFIX defaults to /usr/local)"
env -u PREFIX DESTDIR="$work/default" "$unpacked/install.sh"
[ "$(listing "$work/default/usr/local")" = "$expected" ] || fail "the default PREFIX is not /usr/local"

echo "== PREFIX=relative ./install.sh is refused with 64"
set +e
DESTDIR=$work/relative PREFIX=relative "$unpacked/install.sh" 2>"$work/stderr"
code=$?
set -e
[ $code -eq 64 ] || fail "a relative PREFIX exited $code, not 64"
cat "$work/stderr"
[ ! -e "$work/relative" ] || fail "a refused install wrote files"
echo "dist-install: passed"
