#!/bin/bash
# Runs inside the clean Debian 12 root after `apt install ./wsauth_*.deb` (started by
# clean-root-install.sh): the installed wsauth and wsauth-serve work with nothing else
# there. Every step prints what it checks; the first failure ends the run non-zero.
#   in-root-check.sh VERSION
set -euo pipefail
version=$1
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }

step "the executables are the package's, in /usr/bin"
[ "$(command -v wsauth)" = /usr/bin/wsauth ] || fail "wsauth is not /usr/bin/wsauth"
[ "$(dpkg -S /usr/bin/wsauth-serve)" = "wsauth: /usr/bin/wsauth-serve" ] || fail "wsauth-serve is not from the package"
for file in /usr/share/man/man1/wsauth.1.gz /usr/share/man/man1/wsauth-serve.1.gz \
    /usr/share/bash-completion/completions/wsauth /usr/share/zsh/vendor-completions/_wsauth \
    /usr/share/fish/vendor_completions.d/wsauth.fish /usr/share/doc/wsauth/copyright; do
    [ -f "$file" ] || fail "$file is not installed"
done

step "every library they need is there (no Swift runtime on this root)"
ls /usr/lib/swift >/dev/null 2>&1 && fail "a Swift runtime is installed: the test root is not clean"
for exe in /usr/bin/wsauth /usr/bin/wsauth-serve; do
    # ldd lists what the dynamic loader resolved; "not found" means a missing Depends.
    if ldd "$exe" | grep -q "not found"; then
        ldd "$exe" >&2
        fail "$exe misses a library"
    fi
done

step "the libraries wsauth opens on first use are installed (libcurl, libcrypto, libedit)"
# ldd cannot see them (dlopen; docs/ARCHITECTURE.md, "Lean start-up"): the package's
# Depends must bring them. The probes below load libcurl; the REPL needs a terminal.
for soname in libcurl.so.4 libcrypto.so.3 libedit.so.2; do
    ldconfig -p | grep -q "^[[:space:]]*$soname " || fail "$soname is not installed: Depends misses its package"
done
depends=$(dpkg-query -W -f='${Depends}' wsauth)
for package in libcurl4 libssl3 libedit2; do
    case ", $depends" in
        *", $package "* | *", $package,"*) ;;
        *) fail "Depends ($depends) does not name $package" ;;
    esac
done

step "wsauth --version"
out=$(wsauth --version)
echo "$out"
case $out in *"$version"*) ;; *) fail "--version says '$out', not $version" ;; esac

step "wsauth codes 4001"
out=$(wsauth codes 4001)
echo "$out"
case $out in *4001*) ;; *) fail "codes 4001 does not describe 4001" ;; esac

step "wsauth serve on loopback (wsauth execs the wsauth-serve next to it)"
log=$(mktemp)
wsauth serve --host 127.0.0.1 --port 0 >"$log" 2>&1 &
serve=$!
trap 'kill $serve 2>/dev/null || true; wait $serve 2>/dev/null || true; rm -f "$log"' EXIT
base=""
for _ in $(seq 300); do
    base=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$log" | head -n1)
    [ -n "$base" ] && break
    kill -0 $serve 2>/dev/null || { cat "$log" >&2; fail "wsauth serve exited"; }
    sleep 0.1
done
[ -n "$base" ] || { cat "$log" >&2; fail "wsauth serve did not start in 30 s"; }
base=${base%/}
ws=${base/http:/ws:}/ws
echo "listening on $base"

step "wsauth probe with a token the server did not issue is refused (exit 2)"
set +e
timeout 30 wsauth probe "$ws" --token not-a-token-of-this-server --timeout 10s
code=$?
set -e
[ $code -eq 2 ] || fail "probe with a foreign token exited $code, not 2"

step "wsauth login, then wsauth probe with the stored token (exit 0, HTTP 101)"
PW=wonderland timeout 30 wsauth login "$base/auth/login" --user alice --password-env PW
out=$(timeout 30 wsauth probe "$ws" --timeout 10s --json)
echo "$out"
echo "$out" | grep -q '"event":"handshake"' || fail "probe emitted no handshake event"
echo "$out" | grep '"event":"handshake"' | grep -q '"status":101' || fail "the handshake was not answered 101"
echo "all checks passed"
