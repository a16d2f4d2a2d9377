"""The client executable links no server framework, no NIO, no swift-crypto, no ICU
(issue 13) and no Foundation, not even FoundationEssentials (issue 23): `wsauth` runs in
every CI step and must start like a C tool; the reference
server is `wsauth-serve`, beside it. Read from the built binary itself: its shared
libraries (ldd) and the Swift modules its symbols come from (nm), so that a dependency
added to the client target fails here and not in a benchmark weeks later."""
import re
import subprocess
from pathlib import Path

import pytest

# Shared objects that carry Foundation or ICU (a debug build links the Swift
# libraries dynamically; a --static-swift-stdlib build has them in its symbols).
FORBIDDEN_LIBRARIES = re.compile(r"lib(_?Foundation\w*|icu\w*)\.so")

# Mangled Swift module names are length-prefixed ("11Hummingbird"): a digit before the
# length would make it part of a longer name, so none may precede it.
FORBIDDEN_MODULES = {
    "Hummingbird": r"(?<!\d)11Hummingbird",
    "HummingbirdWebSocket": r"(?<!\d)20HummingbirdWebSocket",
    "NIOCore": r"(?<!\d)7NIOCore",
    "NIOPosix": r"(?<!\d)8NIOPosix",
    "Foundation (full)": r"(?<!\d)10Foundation(?![A-Za-z])",
    "FoundationEssentials": r"(?<!\d)20FoundationEssentials",
    "FoundationInternationalization": r"(?<!\d)31FoundationInternationalization",
    "swift-crypto": r"(?<!\d)6Crypto(?![A-Za-z])|CCryptoBoringSSL_",
    "ICU": r"^_?_?u(col|cal|dat|num|loc|brk)_\w+$",
}


def symbols(binary: Path) -> list[str]:
    listed = subprocess.run(["nm", "--defined-only", "--format=just-symbols", str(binary)],
                            capture_output=True, text=True, timeout=120)
    assert listed.returncode == 0, listed.stderr
    return listed.stdout.splitlines()


def test_client_links_no_server_framework_nio_crypto_icu_or_foundation(wsauth_bin: Path) -> None:
    libraries = subprocess.run(["ldd", str(wsauth_bin)], capture_output=True, text=True, timeout=60).stdout
    linked = [line.split()[0] for line in libraries.splitlines() if FORBIDDEN_LIBRARIES.search(line)]
    assert not linked, f"the client loads {linked}"
    names = symbols(wsauth_bin)
    assert len(names) > 1000, "the binary has no symbol table; run this on an unstripped build"
    found = {module: next(name for name in names if re.search(pattern, name))
             for module, pattern in FORBIDDEN_MODULES.items()
             if any(re.search(pattern, name) for name in names)}
    assert not found, f"the client links {sorted(found)}: e.g. {found}"


def test_client_takes_sha1_from_the_system_libcrypto(wsauth_bin: Path) -> None:
    # NEEDED entries are the binary's own, not what libcurl loads in turn.
    dynamic = subprocess.run(["readelf", "-d", str(wsauth_bin)], capture_output=True, text=True, timeout=60)
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dynamic.stdout)
    assert any(name.startswith("libcrypto.so") for name in needed), needed


def test_server_executable_is_beside_the_client(wsauth_bin: Path) -> None:
    server = wsauth_bin.parent / "wsauth-serve"
    if not server.exists():
        pytest.fail(f"{server} is missing: `make build` builds both executables", pytrace=False)
    # The same patterns find the server framework where it belongs: they can match.
    server_symbols = symbols(server)
    for module in ("Hummingbird", "NIOCore", "FoundationEssentials"):
        assert any(re.search(FORBIDDEN_MODULES[module], name) for name in server_symbols), module
