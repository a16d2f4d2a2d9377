"""The client executable links no server framework, no NIO, no swift-crypto, no ICU
(issue 13) and no Foundation, not even FoundationEssentials (issue 23): `wsauth` runs in
every CI step and must start like a C tool; the reference
server is `wsauth-serve`, beside it. Read from the built binary itself: its shared
libraries (ldd) and the Swift modules its symbols come from (nm), so that a dependency
added to the client target fails here and not in a benchmark weeks later."""
import os
import pty
import re
import select
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from support.processes import free_port

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


def needed_libraries(binary: Path) -> list[str]:
    """The binary's own NEEDED entries, not what its libraries load in turn."""
    dynamic = subprocess.run(["readelf", "-d", str(binary)], capture_output=True, text=True, timeout=60)
    assert dynamic.returncode == 0, dynamic.stderr
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dynamic.stdout)


def test_server_executable_is_beside_the_client(wsauth_bin: Path) -> None:
    server = wsauth_bin.parent / "wsauth-serve"
    if not server.exists():
        pytest.fail(f"{server} is missing: `make build` builds both executables", pytrace=False)
    # The same patterns find the server framework where it belongs: they can match.
    server_symbols = symbols(server)
    for module in ("Hummingbird", "NIOCore", "FoundationEssentials"):
        assert any(re.search(FORBIDDEN_MODULES[module], name) for name in server_symbols), module


# -- libraries loaded on first use (docs/ARCHITECTURE.md, "Lean start-up") -----------

# Commands that open no connection and start no REPL: none of them may load libcurl's
# tree of ~40 libraries, nor libcrypto, nor libedit.
OFFLINE_COMMANDS = [["--version"], ["--help"], ["token"], ["status"], ["logout"], ["codes"],
                    ["--generate-completion-script", "bash"]]


def loaded_libraries(run_wsauth, tmp_path: Path, *argv: str, env: dict | None = None):
    """Runs wsauth with the dynamic loader's LD_DEBUG=files trace written to files of
    its own (stderr stays wsauth's), and returns the run and the sonames it opened."""
    trace = tmp_path / f"ld-{len(list(tmp_path.glob('ld-*')))}"
    trace.mkdir()
    result = run_wsauth(*argv, env={"LD_DEBUG": "files", "LD_DEBUG_OUTPUT": str(trace / "trace"), **(env or {})})
    text = "".join(path.read_text() for path in trace.iterdir())
    opened = set(re.findall(r"file=(\S+) \[0\];\s+(?:needed by|dynamically loaded by)", text))
    assert opened, f"LD_DEBUG wrote no trace of opened files:\n{text[:2000]}"
    return result, opened


def by_name(opened: set[str], stem: str) -> list[str]:
    return sorted(name for name in opened if Path(name).name.startswith(stem))


@pytest.mark.parametrize("argv", OFFLINE_COMMANDS, ids=lambda argv: " ".join(argv))
def test_offline_commands_load_no_libcurl_libcrypto_or_libedit(run_wsauth, tmp_path: Path, argv: list[str]) -> None:
    result, opened = loaded_libraries(run_wsauth, tmp_path, *argv)
    # token on an empty home: "not logged in", exit 2 (the rest succeed).
    assert result.code == (2 if argv == ["token"] else 0), result.describe()
    loaded = [name for stem in ("libcurl", "libcrypto", "libedit") for name in by_name(opened, stem)]
    assert not loaded, sorted(opened)


def test_network_command_loads_libcurl_and_the_system_libcrypto_on_first_use(run_wsauth, tmp_path: Path) -> None:
    # The same trace sees libcurl once a command connects: the check above can fail.
    # SHA-1 of the handshake comes from the system's libcrypto (no second crypto library).
    result, opened = loaded_libraries(run_wsauth, tmp_path, "probe", f"ws://127.0.0.1:{free_port()}/")
    assert result.code == 4, result.describe()
    assert by_name(opened, "libcurl.so.4") and by_name(opened, "libcrypto.so.3"), sorted(opened)
    assert not by_name(opened, "libedit"), sorted(opened)


def test_binary_has_no_needed_entry_for_libcurl_libcrypto_or_libedit(wsauth_bin: Path) -> None:
    needed = needed_libraries(wsauth_bin)
    assert not [name for name in needed if name.startswith(("libcurl", "libcrypto", "libedit"))], needed


def fake_library(directory: Path, soname: str, source: str) -> Path:
    """A real shared object named `soname` in `directory`, built from `source`: found
    first by dlopen when `directory` is in LD_LIBRARY_PATH."""
    compiler = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    assert compiler, "no C compiler (cc, gcc or clang) to build the stand-in library"
    directory.mkdir(exist_ok=True)
    (directory / "stand_in.c").write_text(source)
    built = subprocess.run([compiler, "-shared", "-fPIC", "-o", str(directory / soname), str(directory / "stand_in.c")],
                           capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, built.stderr
    return directory


# A libcurl.so.4 with none of curl's functions (dlopen succeeds, dlsym fails), and one
# that is not ELF at all (dlopen fails).
def stand_in_without_symbols(directory: Path) -> Path:
    return fake_library(directory, "libcurl.so.4", "int wsauth_stand_in;\n")


def stand_in_not_elf(directory: Path) -> Path:
    directory.mkdir(exist_ok=True)
    (directory / "libcurl.so.4").write_text("not a shared object\n")
    return directory


@pytest.mark.parametrize("make_stand_in,why", [(stand_in_without_symbols, "undefined symbol: curl_"),
                                               (stand_in_not_elf, "libcurl.so.4: ")],
                         ids=["lacks-symbols", "not-elf"])
@pytest.mark.parametrize("json", [False, True], ids=["text", "json"])
def test_network_command_without_a_usable_libcurl_fails_with_one_line(run_wsauth, tmp_path: Path, make_stand_in,
                                                                      why: str, json: bool) -> None:
    libraries = make_stand_in(tmp_path / "lib")
    argv = ["probe", *(["--json"] if json else []), f"ws://127.0.0.1:{free_port()}/"]
    result = run_wsauth(*argv, env={"LD_LIBRARY_PATH": str(libraries)}, timeout=30)
    # Exit 1: a failure no other code covers (docs/reference), not a network failure.
    assert result.code == 1, result.describe()
    assert result.stderr.count("\n") == 1, result.describe()
    assert result.last_line.startswith("cannot load libcurl: "), result.describe()
    assert why in result.last_line and "install libcurl4" in result.last_line, result.describe()
    if json:
        assert result.events[-1]["event"] == "error" and result.events[-1]["exit_code"] == 1, result.describe()


def test_http_command_without_a_usable_libcurl_fails_with_one_line(run_wsauth, tmp_path: Path) -> None:
    libraries = stand_in_without_symbols(tmp_path / "lib")
    result = run_wsauth("login", "--user", "someone", "--password-stdin", f"http://127.0.0.1:{free_port()}/login",
                        stdin="a password\n", env={"LD_LIBRARY_PATH": str(libraries)}, timeout=30)
    assert result.code == 1, result.describe()
    assert result.stderr.count("\n") == 1 and result.last_line.startswith("cannot load libcurl: "), result.describe()


def repl_on_a_terminal(wsauth_bin: Path, home: Path, url: str, env: dict[str, str]) -> tuple[int, str]:
    """`wsauth connect URL` with stdin and stdout on a pseudo-terminal (so the REPL is
    wanted) and stderr on a pipe, typing Ctrl-D until it ends; its exit code and stderr."""
    leader, follower = pty.openpty()
    full_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "TERM": "xterm",
                "XDG_STATE_HOME": str(home / "state"), "XDG_CONFIG_HOME": str(home / "config"), **env}
    process = subprocess.Popen([str(wsauth_bin), "connect", url], stdin=follower, stdout=follower,
                               stderr=subprocess.PIPE, env=full_env, start_new_session=True)
    os.close(follower)
    try:
        deadline = time.monotonic() + 30
        while process.poll() is None and time.monotonic() < deadline:
            os.write(leader, b"\x04")
            # What the REPL draws must be read, or a full terminal would block it.
            while select.select([leader], [], [], 0.2)[0]:
                try:
                    os.read(leader, 4096)
                except OSError:
                    break
        if process.poll() is None:
            process.kill()
        stderr = process.communicate(timeout=10)[1].decode("utf-8", "replace")
    finally:
        os.close(leader)
    return process.returncode, stderr


def test_repl_without_a_usable_libedit_fails_with_one_line(wsauth_bin: Path, tmp_path: Path) -> None:
    libraries = fake_library(tmp_path / "lib", "libedit.so.2", "int wsauth_stand_in;\n")
    url = f"ws://127.0.0.1:{free_port()}/"
    code, stderr = repl_on_a_terminal(wsauth_bin, tmp_path / "home", url, {"LD_LIBRARY_PATH": str(libraries)})
    assert code == 1, stderr
    assert stderr.count("\n") == 1 and stderr.startswith("cannot load libedit for the REPL: "), stderr
    assert "undefined symbol: rl_" in stderr and "install libedit2" in stderr, stderr
    # The same run with the system's libedit gets past the editor to the connection,
    # which is refused (exit 4): the stand-in above is what failed.
    code, stderr = repl_on_a_terminal(wsauth_bin, tmp_path / "home", url, {})
    assert code == 4 and "connection failed" in stderr, (code, stderr)
