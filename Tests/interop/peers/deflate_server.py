"""A permessage-deflate echo server built on Python ``websockets``.

The point is someone else's RFC 7692 on the other end: websockets negotiates
the extension, compresses what it echoes and inflates what it receives.

``DeflateServer(config)`` picks how it answers an offer (``CONFIGS``):

=============================  ==============================================
``default``                    websockets' own choice (12-bit windows both ways)
``server_no_context_takeover`` the server resets its window after each message
``client_no_context_takeover`` the client must reset its window likewise
``small_windows``              9-bit windows both ways
``client_window_8``            the client may only use an 8-bit window
``off``                        no compression: the offer is ignored
=============================  ==============================================

Paths:

- any path: echo text and binary messages;
- ``/bomb``: right after the handshake, send one binary message whose
  compressed payload (about 1 MiB, made with Python's zlib) inflates to
  ``?mib=N`` MiB of zeros (default 1024: 1 GiB), then wait for the client's
  close;
- ``/answer?ext=VALUE``: answer with ``Sec-WebSocket-Extensions: VALUE``
  in place of websockets' own, to see how a client takes a bad answer.

Each connection is recorded in ``DeflateServer.records`` (a ``DeflateRecord``):
the extension answer sent, the raw bytes received on the socket (so that a
test can tell compressed traffic from plain), the messages, and the close
code the client sent.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
import struct
import sys
import urllib.parse
import zlib
from typing import Any

from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.extensions.permessage_deflate import ServerPerMessageDeflateFactory
from websockets.http11 import Request, Response

if __package__ in (None, ""):
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent))
    from loop_thread import LoopServer, LoopThread, Recorder  # type: ignore[no-redef]
else:
    from .loop_thread import LoopServer, LoopThread, Recorder

MAX_MESSAGE = 16 * 2**20

CONFIGS: dict[str, dict[str, Any] | None] = {
    "default": {},
    "server_no_context_takeover": {"server_no_context_takeover": True},
    "client_no_context_takeover": {"client_no_context_takeover": True},
    "small_windows": {"server_max_window_bits": 9, "client_max_window_bits": 9},
    "client_window_8": {"client_max_window_bits": 8},
    "off": None,
}

_log = logging.getLogger("deflate_server")


@functools.lru_cache(maxsize=4)
def deflate_bomb(mib: int) -> bytes:
    """A permessage-deflate payload (flush tail removed) of `mib` MiB of zeros.

    One sync-flushed MiB of zeros from a fresh compressor refers only to
    itself, so repeating it is still one valid DEFLATE stream: building a
    1 GiB bomb takes one MiB of compression, not a GiB.
    """
    compressor = zlib.compressobj(wbits=-15)
    piece = compressor.compress(bytes(2**20)) + compressor.flush(zlib.Z_SYNC_FLUSH)
    assert piece.endswith(b"\x00\x00\xff\xff")
    return (piece * mib)[:-4]


def binary_frame(payload: bytes, *, rsv1: bool) -> bytes:
    """An unmasked, final binary frame (RFC 6455 §5.2)."""
    first = 0x80 | (0x40 if rsv1 else 0) | 0x2
    n = len(payload)
    if n < 126:
        head = struct.pack("!BB", first, n)
    elif n < 2**16:
        head = struct.pack("!BBH", first, 126, n)
    else:
        head = struct.pack("!BBQ", first, 127, n)
    return head + payload


@dataclasses.dataclass
class DeflateRecord:
    path: str
    offered: str | None  # the client's Sec-WebSocket-Extensions
    answered: str | None = None  # ours
    raw_received: int = 0  # bytes read from the socket, the upgrade request included
    messages: list[tuple[str, bytes]] = dataclasses.field(default_factory=list)
    close_code: int | None = None  # from the client's close frame
    done: bool = False


class _CountingConnection(ServerConnection):
    """Counts what arrives on the socket, before websockets inflates it."""

    raw_received = 0

    def data_received(self, data: bytes) -> None:
        self.raw_received += len(data)
        super().data_received(data)


class DeflateServer(LoopServer):
    def __init__(self, config: str = "default") -> None:
        self.config = config
        self.records = Recorder()
        self.port = 0
        self._thread = LoopThread("deflate-server")
        self._server: Any = None

    def start(self, timeout: float = 15.0) -> "DeflateServer":
        self._thread.start(timeout)
        settings = CONFIGS[self.config]
        if settings is None:
            options: dict[str, Any] = {"compression": None}
        elif settings:
            options = {"compression": None, "extensions": [ServerPerMessageDeflateFactory(**settings)]}
        else:
            options = {}  # compression="deflate": websockets' defaults

        async def up() -> int:
            self._server = await serve(
                self._handler,
                "127.0.0.1",
                0,
                process_request=self._process_request,
                process_response=self._process_response,
                create_connection=_CountingConnection,
                max_size=MAX_MESSAGE,
                ping_interval=None,
                close_timeout=5,
                logger=_log,
                **options,
            )
            return self._server.sockets[0].getsockname()[1]

        self.port = self._thread.call(up, timeout)
        return self


    def url(self, path: str = "/echo") -> str:
        return f"ws://127.0.0.1:{self.port}{path}"

    def wait_done(self, timeout: float = 30.0) -> DeflateRecord:
        return self.records.wait_for(
            lambda recs: next((r for r in recs if r.done), None), timeout, "a finished connection"
        )

    # -- websockets callbacks ------------------------------------------------

    def _process_request(self, connection: ServerConnection, request: Request) -> None:
        rec = DeflateRecord(
            path=urllib.parse.urlsplit(request.path).path,
            offered=request.headers.get("Sec-WebSocket-Extensions"),
        )
        connection.record = rec  # type: ignore[attr-defined]
        connection.query = urllib.parse.parse_qs(urllib.parse.urlsplit(request.path).query)  # type: ignore[attr-defined]
        self.records.add(rec)

    def _process_response(self, connection: ServerConnection, request: Request, response: Response) -> None:
        rec: DeflateRecord = connection.record  # type: ignore[attr-defined]
        query: dict[str, list[str]] = connection.query  # type: ignore[attr-defined]
        if rec.path == "/answer":
            del response.headers["Sec-WebSocket-Extensions"]
            response.headers["Sec-WebSocket-Extensions"] = query["ext"][0]
        rec.answered = response.headers.get("Sec-WebSocket-Extensions")

    async def _handler(self, ws: ServerConnection) -> None:
        rec: DeflateRecord = ws.record  # type: ignore[attr-defined]
        try:
            if rec.path == "/bomb":
                mib = int(ws.query.get("mib", ["1024"])[0])  # type: ignore[attr-defined]
                # Past websockets' own compressor: the bytes as a hostile server sends them.
                ws.transport.write(binary_frame(deflate_bomb(mib), rsv1=True))
                await ws.wait_closed()
            else:
                async for message in ws:
                    kind = "text" if isinstance(message, str) else "binary"
                    rec.messages.append((kind, message.encode() if isinstance(message, str) else bytes(message)))
                    self.records.changed()
                    await ws.send(message)
        except ConnectionClosed:
            pass
        finally:
            try:
                await asyncio.wait_for(ws.wait_closed(), 10)
            except asyncio.TimeoutError:
                pass
            close = ws.protocol.close_rcvd
            rec.close_code = close.code if close is not None else None
            rec.raw_received = ws.raw_received  # type: ignore[attr-defined]
            rec.done = True
            self.records.changed()
