#!/usr/bin/env bash
# Lays out what the package installs under DIR, as under a prefix (/usr for the .deb,
# the tarball's root for make dist): the stripped executables of `make release`, a
# gzipped man page for each, the bash, zsh and fish completions, the copyright and the
# changelog. ZSH_DIR is where zsh completions go under DIR (Debian's vendor directory for
# the .deb, site-functions for a /usr/local install).
#   stage.sh DIR ZSH_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { echo "usage: stage.sh DIR ZSH_DIR" >&2; exit 64; }
dir=$1
zsh_dir=$2
stripped=.build/stripped
for exe in wsauth wsauth-serve; do
    [ -x "$stripped/$exe" ] || { echo "stage: $stripped/$exe is missing: run 'make release'" >&2; exit 1; }
done
maintainer=$(sed -n 's/^Maintainer: //p' packaging/debian/control)

install -d -m 755 "$dir/bin" "$dir/share/man/man1" "$dir/share/doc/wsauth" \
    "$dir/share/bash-completion/completions" "$dir/$zsh_dir" "$dir/share/fish/vendor_completions.d"
for exe in wsauth wsauth-serve; do
    # What dh_strip removes besides the symbols `make release` already stripped.
    strip --remove-section=.comment --remove-section=.note -o "$dir/bin/$exe" "$stripped/$exe"
    chmod 755 "$dir/bin/$exe"
    # -n: no name or time stamp in the gzip header, so the same page gives the same bytes.
    gzip -9n <"man/$exe.1" >"$dir/share/man/man1/$exe.1.gz"
done
# bash-completion sources the file; the generator's "#!/bin/bash" line would only say it
# can be run (lintian: bash-completion-with-hashbang).
sed '1{/^#!/d}' completions/wsauth.bash >"$dir/share/bash-completion/completions/wsauth"
chmod 644 "$dir/share/bash-completion/completions/wsauth"
install -m 644 completions/_wsauth "$dir/$zsh_dir/_wsauth"
install -m 644 completions/wsauth.fish "$dir/share/fish/vendor_completions.d/wsauth.fish"
install -m 644 packaging/copyright "$dir/share/doc/wsauth/copyright"
# A native package's changelog is changelog.gz, in Debian's format (Policy §12.7).
python3 packaging/changelog.py debian "$maintainer" | gzip -9n >"$dir/share/doc/wsauth/changelog.gz"
chmod 644 "$dir"/share/man/man1/*.gz "$dir/share/doc/wsauth/changelog.gz"
