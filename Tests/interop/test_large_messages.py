"""Messages of several MiB from Python ``websockets`` (someone else's RFC 6455 and
RFC 7692): one frame or fragments, plain or compressed, within ``--max-message-size``
or over it. Large frames take their own way into wsauth (a buffer sized from the
frame header, read straight from the socket; docs/ARCHITECTURE.md "Benchmarks"), so
the bytes on stdout must still be exactly the bytes sent."""

from __future__ import annotations

import random
import ssl
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.server import ServerConnection, serve

MIB = 2**20
# Odd sizes, so that no fragment ends on a 4- or 8-byte boundary.
BINARY = random.Random(23).randbytes(3 * MIB + 7)
TEXT = "".join(random.Random(5).choices("abcdefghij é€😀\t", k=MIB + 3))


class LargeSender:
    """Sends what the path names right after the handshake, then waits for the close:

    - ``/binary``: ``BINARY`` as one frame;
    - ``/fragments``: ``BINARY`` in three fragments of about 1 MiB, then a small one;
    - ``/text``: ``TEXT`` as one frame.
    """

    def __init__(self, compression: str | None, ssl_context: ssl.SSLContext | None = None) -> None:
        self.close_codes: list[int | None] = []
        self.scheme = "wss" if ssl_context else "ws"
        self._server = serve(
            self._handler, "127.0.0.1", 0, compression=compression, max_size=None, ssl=ssl_context, logger=None
        )
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return self._server.socket.getsockname()[1]

    def url(self, path: str) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}{path}"

    def _handler(self, ws: ServerConnection) -> None:
        path = ws.request.path if ws.request else ""
        try:
            if path == "/binary":
                ws.send(BINARY)
            elif path == "/fragments":
                ws.send(iter([BINARY[:MIB], BINARY[MIB : 2 * MIB + 1], BINARY[2 * MIB + 1 : -5], BINARY[-5:]]))
            elif path == "/text":
                ws.send(TEXT)
            for _ in ws:
                pass
        except ConnectionClosed:
            pass
        self.close_codes.append(ws.close_code)

    def wait_close_code(self, timeout: float = 15.0) -> int | None:
        deadline = time.monotonic() + timeout
        while not self.close_codes and time.monotonic() < deadline:
            time.sleep(0.05)
        assert self.close_codes, f"the handler did not end within {timeout}s"
        return self.close_codes[0]

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(10)


@pytest.fixture(params=[None, "deflate"], ids=["plain", "deflate"])
def sender(request: pytest.FixtureRequest) -> Iterator[LargeSender]:
    server = LargeSender(request.param)
    yield server
    server.stop()


@pytest.mark.parametrize("path", ["/binary", "/fragments"])
def test_large_binary_reaches_stdout_intact(run_wsauth: Any, sender: LargeSender, path: str) -> None:
    r = run_wsauth("connect", sender.url(path), "--count", "1")
    assert r.code == 0, r.describe()
    assert len(r.stdout) == len(BINARY) and r.stdout == BINARY


@pytest.mark.parametrize("path", ["/binary", "/fragments"])
def test_large_binary_over_tls_reaches_stdout_intact(run_wsauth: Any, tls: Any, path: str) -> None:
    """TLS: OpenSSL may hold decrypted bytes the socket no longer shows; reads into the
    payload's buffer must drain them like reads into the loop's buffer."""
    sender = LargeSender(None, tls.server_context())
    try:
        r = run_wsauth("connect", sender.url(path), "--count", "1", "--cacert", str(tls.ca_pem))
    finally:
        sender.stop()
    assert r.code == 0, r.describe()
    assert len(r.stdout) == len(BINARY) and r.stdout == BINARY


def test_large_text_reaches_stdout_intact(run_wsauth: Any, sender: LargeSender) -> None:
    r = run_wsauth("connect", sender.url("/text"), "--count", "1")
    assert r.code == 0, r.describe()
    # Tabs are shown as they are (docs/redaction.md escapes control characters, not tabs).
    assert r.stdout.decode() == TEXT + "\n"


@pytest.mark.parametrize("path", ["/binary", "/fragments"])
def test_message_over_the_limit_is_refused_with_1009(run_wsauth: Any, sender: LargeSender, path: str) -> None:
    r = run_wsauth("connect", sender.url(path), "--count", "1", "--max-message-size", str(2 * MIB))
    assert r.code != 0, r.describe()
    assert r.stdout == b""
    assert "closed with 1009" in r.stderr, r.describe()
    # The server reads our 1009: wsauth drains what it still sends until it closes TCP,
    # rather than resetting the connection with that close unread.
    assert sender.wait_close_code() == 1009
