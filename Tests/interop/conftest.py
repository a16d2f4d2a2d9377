"""Fixtures for the interop suite: the wsauth runner and the third-party peers.

WSAUTH_BIN names the binary (default <repo>/.build/debug/wsauth). A missing
binary fails every test that needs it, so CI cannot pass by skipping; set
WSAUTH_ALLOW_MISSING_BIN=1 to skip those tests instead (peer self-tests
still run).
"""

from __future__ import annotations

import os
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path
from typing import Iterator

import pytest
import trustme

from peers.bearer_server import BearerServer
from peers.rogue_server import RogueServer
from support.processes import free_port
from wsauth_runner import WsauthRunner, new_token, wsauth_binary


def pytest_report_header(config: pytest.Config) -> str:
    binary = wsauth_binary()
    state = "found" if binary.is_file() else "MISSING"
    return f"wsauth binary: {binary} ({state})"


@pytest.fixture(scope="session")
def wsauth_bin() -> Path:
    binary = wsauth_binary()
    if binary.is_file() and os.access(binary, os.X_OK):
        return binary
    reason = (
        f"wsauth binary not found or not executable at {binary} "
        "(build it with `swift build`, or set WSAUTH_BIN)"
    )
    if os.environ.get("WSAUTH_ALLOW_MISSING_BIN") == "1":
        pytest.skip(reason + "; skipped because WSAUTH_ALLOW_MISSING_BIN=1")
    pytest.fail(reason + "; set WSAUTH_ALLOW_MISSING_BIN=1 to skip instead", pytrace=False)


@pytest.fixture
def secret_registry() -> list[str]:
    """Every token a test makes; the runner checks output for all of them."""
    return []


class Tokens:
    def __init__(self, registry: list[str]) -> None:
        self._registry = registry

    def __call__(self) -> str:
        token = new_token()
        self._registry.append(token)
        return token


@pytest.fixture
def tokens(secret_registry: list[str]) -> Tokens:
    return Tokens(secret_registry)


@pytest.fixture
def run_wsauth(wsauth_bin: Path, tmp_path: Path, secret_registry: list[str]) -> WsauthRunner:
    return WsauthRunner(wsauth_bin, tmp_path / "home", secret_registry)


# -- TLS ---------------------------------------------------------------------


class TLS:
    def __init__(self, directory: Path) -> None:
        self.ca = trustme.CA()
        self.cert = self.ca.issue_cert("127.0.0.1", "localhost")
        self.ca_pem = directory / "ca.pem"
        self.ca.cert_pem.write_to_path(str(self.ca_pem))

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.cert.configure_cert(context)
        return context

    def client_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        self.ca.configure_trust(context)
        return context


@pytest.fixture(scope="session")
def tls(tmp_path_factory: pytest.TempPathFactory) -> TLS:
    return TLS(tmp_path_factory.mktemp("tls"))


# -- peers -------------------------------------------------------------------


@pytest.fixture
def bearer(tokens: Tokens) -> Iterator[BearerServer]:
    """The websockets bearer server over ws://."""
    with BearerServer(tokens()) as server:
        yield server


@pytest.fixture
def bearer_tls(tokens: Tokens, tls: TLS) -> Iterator[BearerServer]:
    """The websockets bearer server over wss:// (trust with tls.ca_pem)."""
    with BearerServer(tokens(), tls.server_context()) as server:
        yield server


@pytest.fixture(params=["ws", "wss"])
def bearer_any(request: pytest.FixtureRequest, tokens: Tokens, tls: TLS) -> Iterator[BearerServer]:
    """The bearer server over ws:// and again over wss://."""
    context = tls.server_context() if request.param == "wss" else None
    with BearerServer(tokens(), context) as server:
        yield server


@pytest.fixture
def trust(tls: TLS):
    """Transport flags that make wsauth trust a bearer server (none for ws://)."""

    def flags(server: BearerServer) -> list[str]:
        return ["--cacert", str(tls.ca_pem)] if server.ssl_context else []

    return flags


@pytest.fixture
def rogue() -> Iterator[RogueServer]:
    with RogueServer() as server:
        yield server


@pytest.fixture
def closed_port() -> int:
    """A loopback port that was just bound and closed: connecting is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A redis-server of the test's own on a free loopback port, saving nothing."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail("redis-server is not installed (apt-get install redis-server)", pytrace=False)
    port = free_port()
    process = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    break
        except OSError:
            time.sleep(0.05)
    else:
        process.kill()
        pytest.fail("redis-server did not start in 10 s", pytrace=False)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)
