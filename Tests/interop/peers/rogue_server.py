"""A raw asyncio TCP server that breaks RFC 6455 on purpose.

It completes the HTTP upgrade by hand, then writes hand-made frames for the
scenario named by the request path (``ws://127.0.0.1:PORT/<scenario>``), and
reads what the client sends back: it unmasks the client's frames and records
the close code the client sent, or that the client dropped the TCP
connection without one.

Scenarios (``SCENARIOS``):

=========================  ===================================================
``ok``                     a valid text frame "hello" (baseline)
``rsv1``                   text frame with RSV1 set, no extension negotiated
``opcode3``                frame with the reserved non-control opcode 0x3
``masked``                 server-to-client text frame with the MASK bit set
``fragmented_ping``        ping frame with FIN=0
``long_ping``              ping with a 126-byte payload (16-bit length form)
``orphan_continuation``    continuation frame with no message to continue
``bad_utf8``               text frame whose payload is not valid UTF-8
``bad_close_code``         close frame carrying 1005 on the wire
``bad_close_code_999``     close frame carrying 999
``wrong_accept``           101 with a wrong Sec-WebSocket-Accept
``unrequested_subprotocol`` 101 selecting ``evil.v1`` (none was offered)
``silent``                 reads the request, never answers
``close_4001``             valid close frame 4001 "token expired"
``close_1011``             valid close frame 1011 "internal error"
=========================  ===================================================

What the RFC expects back is in ``EXPECTED_CLIENT_CLOSE`` (1002 for
protocol errors, 1007 for invalid UTF-8).
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import hashlib
import struct
import sys
import urllib.parse

if __package__ in (None, ""):
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent))
    from loop_thread import LoopServer, LoopThread, Recorder  # type: ignore[no-redef]
else:
    from .loop_thread import LoopServer, LoopThread, Recorder

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
# How long the rogue waits for the client to react (bounded, generous).
CLIENT_WAIT_S = 45.0

OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA

BAD_UTF8 = bytes.fromhex("cebae1bdb9cf83cebcceb5eda080656469746564")


def accept_for(key: str) -> str:
    """Sec-WebSocket-Accept for a Sec-WebSocket-Key (RFC 6455 §4.2.2)."""
    return base64.b64encode(hashlib.sha1(key.encode() + GUID).digest()).decode()


def frame(
    opcode: int,
    payload: bytes = b"",
    *,
    fin: bool = True,
    rsv1: bool = False,
    mask_key: bytes | None = None,
) -> bytes:
    """Encode one frame exactly as told, rules or no rules (RFC 6455 §5.2)."""
    first = (0x80 if fin else 0) | (0x40 if rsv1 else 0) | (opcode & 0x0F)
    mask_bit = 0x80 if mask_key is not None else 0
    n = len(payload)
    if n < 126:
        head = struct.pack("!BB", first, mask_bit | n)
    elif n < 2**16:
        head = struct.pack("!BBH", first, mask_bit | 126, n)
    else:
        head = struct.pack("!BBQ", first, mask_bit | 127, n)
    if mask_key is not None:
        return head + mask_key + bytes(b ^ mask_key[i % 4] for i, b in enumerate(payload))
    return head + payload


def close_payload(code: int, reason: str = "") -> bytes:
    return struct.pack("!H", code) + reason.encode()


# Scenario -> frames written right after the 101 (same write as the 101).
FRAMES: dict[str, bytes] = {
    "ok": frame(OP_TEXT, b"hello"),
    "rsv1": frame(OP_TEXT, b"hello", rsv1=True),
    "opcode3": frame(0x3, b"hello"),
    "masked": frame(OP_TEXT, b"hello", mask_key=b"\x37\xfa\x21\x3d"),
    "fragmented_ping": frame(OP_PING, b"ping", fin=False),
    "long_ping": frame(OP_PING, b"p" * 126),
    "orphan_continuation": frame(OP_CONT, b"hello"),
    "bad_utf8": frame(OP_TEXT, BAD_UTF8),
    "bad_close_code": frame(OP_CLOSE, close_payload(1005)),
    "bad_close_code_999": frame(OP_CLOSE, close_payload(999)),
    "wrong_accept": b"",
    "unrequested_subprotocol": b"",
    "close_4001": frame(OP_CLOSE, close_payload(4001, "token expired")),
    "close_1011": frame(OP_CLOSE, close_payload(1011, "internal error")),
}
SCENARIOS = sorted([*FRAMES, "silent"])

VIOLATIONS = [
    "rsv1",
    "opcode3",
    "masked",
    "fragmented_ping",
    "long_ping",
    "orphan_continuation",
    "bad_utf8",
    "bad_close_code",
    "bad_close_code_999",
]
EXPECTED_CLIENT_CLOSE = {name: 1002 for name in VIOLATIONS} | {"bad_utf8": 1007}


@dataclasses.dataclass
class ClientFrame:
    fin: bool
    rsv: int
    opcode: int
    masked: bool
    payload: bytes  # unmasked


@dataclasses.dataclass
class RogueRecord:
    scenario: str
    request_head: bytes = b""
    sent: bytes = b""  # every byte written after reading the request
    frames: list[ClientFrame] = dataclasses.field(default_factory=list)
    close_received: bool = False
    close_code: int | None = None  # None when the close frame had no code
    close_reason: str | None = None
    dropped: bool = False  # EOF/reset without a close frame
    waited_out: bool = False  # the client neither closed nor dropped in time
    done: bool = False

    @property
    def outcome(self) -> str:
        if self.close_received:
            return f"close {self.close_code}"
        return "dropped" if self.dropped else "waited out" if self.waited_out else "pending"


class FrameError(Exception):
    pass


async def read_frame(reader: asyncio.StreamReader) -> ClientFrame:
    head = await reader.readexactly(2)
    fin, rsv, opcode = bool(head[0] & 0x80), (head[0] >> 4) & 0x7, head[0] & 0x0F
    masked, n = bool(head[1] & 0x80), head[1] & 0x7F
    if n == 126:
        (n,) = struct.unpack("!H", await reader.readexactly(2))
    elif n == 127:
        (n,) = struct.unpack("!Q", await reader.readexactly(8))
    if n > 64 * 2**20:
        raise FrameError(f"client frame too large: {n}")
    key = await reader.readexactly(4) if masked else b""
    payload = await reader.readexactly(n)
    if masked:
        payload = bytes(b ^ key[i % 4] for i, b in enumerate(payload))
    return ClientFrame(fin, rsv, opcode, masked, payload)


def parse_request(head: bytes) -> tuple[str, dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    target = parts[1] if len(parts) > 1 else "/"
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    return target, headers


class RogueServer(LoopServer):
    def __init__(self) -> None:
        self.records = Recorder()
        self.port = 0
        self._thread = LoopThread("rogue-server")
        self._server: asyncio.base_events.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def start(self, timeout: float = 15.0) -> "RogueServer":
        self._thread.start(timeout)

        async def up() -> int:
            self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
            return self._server.sockets[0].getsockname()[1]

        self.port = self._thread.call(up, timeout)
        return self


    async def _closing(self) -> None:
        # Handlers parked on a silent scenario would keep wait_closed() waiting.
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def url(self, scenario: str) -> str:
        assert scenario in SCENARIOS, scenario
        return f"ws://127.0.0.1:{self.port}/{scenario}"

    def wait_done(self, timeout: float = CLIENT_WAIT_S + 15) -> RogueRecord:
        return self.records.wait_for(
            lambda recs: next((r for r in recs if r.done), None),
            timeout,
            "a finished connection",
        )

    def wait_request(self, timeout: float = 20.0) -> RogueRecord:
        return self.records.wait_for(
            lambda recs: next((r for r in recs if r.request_head), None),
            timeout,
            "a request",
        )

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        rec = RogueRecord(scenario="?")
        try:
            await self._serve(reader, writer, rec)
        except (asyncio.IncompleteReadError, ConnectionError):
            rec.dropped = True
        except asyncio.TimeoutError:
            rec.waited_out = True
        except asyncio.CancelledError:
            rec.waited_out = True
        finally:
            rec.done = True
            self.records.changed()
            self._tasks.discard(task)
            writer.close()

    async def _serve(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, rec: RogueRecord
    ) -> None:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), CLIENT_WAIT_S)
        target, headers = parse_request(head)
        rec.scenario = urllib.parse.urlsplit(target).path.lstrip("/")
        rec.request_head = head
        self.records.add(rec)

        if rec.scenario == "silent":
            # Never answer; notice when the client gives up (EOF).
            while await asyncio.wait_for(reader.read(4096), CLIENT_WAIT_S):
                pass
            rec.dropped = True
            return
        if rec.scenario not in FRAMES:
            writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            await writer.drain()
            return

        key = headers.get("sec-websocket-key", "")
        accept = accept_for(key)
        if rec.scenario == "wrong_accept":
            accept = accept_for(key + "x")
        response = [
            "HTTP/1.1 101 Switching Protocols",
            "Upgrade: websocket",
            "Connection: Upgrade",
            f"Sec-WebSocket-Accept: {accept}",
        ]
        if rec.scenario == "unrequested_subprotocol":
            response.append("Sec-WebSocket-Protocol: evil.v1")
        out = ("\r\n".join(response) + "\r\n\r\n").encode() + FRAMES[rec.scenario]
        rec.sent = out
        writer.write(out)
        await writer.drain()

        loop = asyncio.get_running_loop()
        deadline = loop.time() + CLIENT_WAIT_S
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise asyncio.TimeoutError
            got = await asyncio.wait_for(read_frame(reader), remaining)
            rec.frames.append(got)
            self.records.changed()
            if got.opcode == OP_CLOSE:
                rec.close_received = True
                if len(got.payload) >= 2:
                    (rec.close_code,) = struct.unpack("!H", got.payload[:2])
                    rec.close_reason = got.payload[2:].decode("utf-8", "replace")
                # The server closes the TCP connection first (RFC 6455 §7.1.1).
                return


def main() -> None:
    server = RogueServer().start()
    for name in SCENARIOS:
        print(server.url(name), flush=True)
    try:
        __import__("threading").Event().wait()
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
