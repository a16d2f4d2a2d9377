#!/usr/bin/env bash
# The .deb on a fresh Debian 12 that has nothing else: a root made by
# `debootstrap --variant=minbase bookworm` from the mirror this machine's apt uses, where
# `apt install ./wsauth_*.deb` installs the package and its Depends, and in-root-check.sh
# runs the installed wsauth (--version, codes, serve, login, probe). Needs root (chroot).
#   clean-root-install.sh [DEB]     (default: the wsauth_VERSION_ARCH.deb of make deb)
# The pristine root is made once and copied for every run, so each run starts clean:
# it is kept in $WSAUTH_ROOT_CACHE (default ~/.cache/wsauth-package-test), outside the
# repository; delete it to fetch a new one.
set -euo pipefail
cd "$(dirname "$0")/../.."
started=$(date +%s)
version=$(python3 packaging/changelog.py version)
deb=${1:-wsauth_${version}_$(dpkg --print-architecture).deb}
[ -f "$deb" ] || { echo "clean-root-install: $deb is missing: run 'make deb'" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "clean-root-install: needs root for debootstrap and chroot" >&2; exit 1; }
./scripts/apt-ensure.sh debootstrap

cache=${WSAUTH_ROOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wsauth-package-test}
pristine=$cache/bookworm-minbase
if [ ! -f "$pristine/etc/debian_version" ]; then
    # Debian's own mirror: the one apt on this machine takes bookworm from.
    mirror=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' | awk '$2 == "bookworm" { print $1; exit }')
    [ -n "$mirror" ] || { echo "clean-root-install: apt has no bookworm source to take a mirror from" >&2; exit 1; }
    echo "debootstrap --variant=minbase bookworm from $mirror into $pristine"
    mkdir -p "$cache"
    rm -rf --one-file-system "$pristine.tmp"
    debootstrap --variant=minbase bookworm "$pristine.tmp" "$mirror" >"$cache/debootstrap.log" 2>&1 \
        || { tail -n 20 "$cache/debootstrap.log" >&2; echo "clean-root-install: debootstrap failed (log: $cache/debootstrap.log)" >&2; exit 1; }
    mv "$pristine.tmp" "$pristine"
fi

root=$(mktemp -d /var/tmp/wsauth-clean-root.XXXXXX)
cleanup() {
    umount "$root/dev/pts" 2>/dev/null || true
    umount "$root/proc" 2>/dev/null || true
    # --one-file-system: never follow a mount that is still there into the host.
    rm -rf --one-file-system "$root"
}
trap cleanup EXIT
cp -a "$pristine/." "$root/"
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
# dpkg logs its terminal output through a pty.
mount -t devpts devpts "$root/dev/pts"
cp "$deb" Tests/package/in-root-check.sh "$root/tmp/"
# in_root SECONDS COMMAND…: a command in the root with a clean environment, bounded.
in_root() {
    local limit=$1
    shift
    timeout "$limit" chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"
}

echo "== apt install ./$(basename "$deb") in a clean bookworm root"
in_root 300 apt-get update -q
in_root 600 sh -c "cd /tmp && DEBIAN_FRONTEND=noninteractive apt install -y -q ./$(basename "$deb")"
in_root 30 dpkg-query -W -f='installed ${Package} ${Version}, Depends: ${Depends}\n' wsauth
in_root 300 bash /tmp/in-root-check.sh "$version"
echo "clean-root-install: passed in $(( $(date +%s) - started )) s"
