#!/usr/bin/env bash
# Builds wsauth_VERSION_ARCH.deb in the repository's root from the files of `make release`
# with Debian's own tools: dpkg-shlibdeps computes Depends from the executables' libraries,
# dpkg-gencontrol writes the control file (Installed-Size included), dpkg-deb packs it
# with root as the owner of every file. Then lintian judges it: an error fails the build.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/apt-ensure.sh dpkg-dev lintian
version=$(python3 packaging/changelog.py version)
arch=$(dpkg --print-architecture)
deb=wsauth_${version}_${arch}.deb
work=.build/deb
rm -rf "$work"
install -d -m 755 "$work/debian" "$work/root/usr" "$work/root/DEBIAN"
./packaging/stage.sh "$work/root/usr" share/zsh/vendor-completions

# dpkg-shlibdeps and dpkg-gencontrol work in a source tree: debian/control and
# debian/changelog (where dpkg-gencontrol reads the version) in the current directory.
cp packaging/debian/control "$work/debian/control"
gzip -dc "$work/root/usr/share/doc/wsauth/changelog.gz" >"$work/debian/changelog"
# wsauth opens libcurl, libedit and libcrypto with dlopen on first use (docs/ARCHITECTURE.md,
# "Lean start-up"), which dpkg-shlibdeps cannot see: it reads DT_NEEDED. A stub linked
# against them, referencing every symbol the loaders in Sources/C*/ take with dlsym,
# stands for them, so Depends names their packages with the versions those symbols need.
symbols=$(grep -ho '{"[A-Za-z0-9_]*", (void \*\*)&' Sources/C*/*.c | sed -E 's/.*"([A-Za-z0-9_]+)".*/\1/' | sort -u)
[ -n "$symbols" ] || { echo "build-deb: found no dlsym'd symbols in Sources/C*/*.c" >&2; exit 1; }
{
    printf 'extern char %s[];\n' $symbols
    printf 'void *const wsauth_dlopened[] = {'
    printf '%s, ' $symbols
    printf '};\nint main(void) { return 0; }\n'
} >"$work/dlopened.c"
# --no-as-needed: each library is named even if a symbol were missed above.
cc -o "$work/dlopened" "$work/dlopened.c" -Wl,--no-as-needed -lcurl -ledit -lcrypto
(
    cd "$work"
    dpkg-shlibdeps -Tdebian/substvars root/usr/bin/wsauth root/usr/bin/wsauth-serve dlopened
    dpkg-gencontrol -pwsauth -Proot -Tdebian/substvars -fdebian/files
    (cd root && find usr -type f | LC_ALL=C sort | xargs -d '\n' md5sum) >root/DEBIAN/md5sums
    chmod 644 root/DEBIAN/control root/DEBIAN/md5sums
)
# Every directory 755 and every file 644 or 755 whatever the umask was (Policy §10.9).
find "$work/root" -type d -exec chmod 755 {} +
dpkg-deb --root-owner-group -Zxz --build "$work/root" "$deb" >/dev/null
echo "built $deb: $(dpkg-deb -f "$deb" Depends)"

# Lintian's tags we accept are listed in docs/install.md with the reason.
lintian --fail-on error --tag-display-limit 0 "$deb"
