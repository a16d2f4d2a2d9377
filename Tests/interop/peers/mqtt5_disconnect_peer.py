"""An MQTT 5.0 server over WebSocket that ends a session with DISCONNECT, for
what ``--app mqtt`` makes of a server's DISCONNECT and its reason code.

No broker at hand sends one: Mosquitto 2.0.11 drops a 5.0 client it ends (a
session taken over) without DISCONNECT, on its websockets and TCP listeners alike,
and amqtt speaks 3.1.1 only. So this peer is written from the MQTT 5.0
specification, not from wsauth's codec: §3.1 (CONNECT: the user name and
password it records), §3.2 (CONNACK 0x00), §3.14 (DISCONNECT with a reason code
and a Reason String property, 0x1F), after which the server closes the network
connection — with a WebSocket close 1000 (``ending="close"``) or by ending TCP
(``ending="drop"``).

``disconnects`` holds the reason code for each connection in turn; a connection
past the list stays open. ``/auth/login`` and ``/auth/refresh`` issue JWTs
(``TokenIssuer``), so ``records()`` shows which token each CONNECT carried.
"""

from __future__ import annotations

import asyncio

from aiohttp import WSMsgType, web

from .loop_thread import LoopServer, LoopThread
from .socketio_peer import AiohttpPeer, TokenIssuer, make_jwt


def _varint(data: bytes, at: int) -> tuple[int, int]:
    """§1.5.5 Variable Byte Integer: (value, index after it)."""
    value, shift = 0, 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, at
        shift += 7


def _string(data: bytes, at: int) -> tuple[bytes, int]:
    """§1.5.4/§1.5.6: a two-byte length, then that many bytes."""
    length = int.from_bytes(data[at:at + 2], "big")
    return data[at + 2:at + 2 + length], at + 2 + length


def parse_connect(packet: bytes) -> dict:
    """The client id, user name and password of a 5.0 CONNECT (§3.1.2, §3.1.3)."""
    assert packet[0] == 0x10, f"not a CONNECT: {packet[:1].hex()}"
    _, at = _varint(packet, 1)
    name, at = _string(packet, at)
    assert name == b"MQTT" and packet[at] == 5, "not MQTT 5.0"
    flags = packet[at + 1]
    at += 4  # level, flags, keep alive
    properties, at = _varint(packet, at)
    at += properties
    client, at = _string(packet, at)
    assert not flags & 0x04, "no will expected"
    user = password = None
    if flags & 0x80:
        user, at = _string(packet, at)
    if flags & 0x40:
        password, at = _string(packet, at)
    return {"client": client.decode(), "user": user and user.decode(), "password": password and password.decode()}


def disconnect(code: int, reason: str) -> bytes:
    """§3.14: reason code, then properties: one Reason String (0x1F)."""
    text = reason.encode()
    properties = bytes([0x1F]) + len(text).to_bytes(2, "big") + text
    body = bytes([code, len(properties)]) + properties
    return bytes([0xE0, len(body)]) + body


class MQTT5DisconnectPeer(AiohttpPeer, TokenIssuer, LoopServer):
    def __init__(self, disconnects: list[int], ending: str = "close", reason: str = "ended by the test") -> None:
        self.disconnects = list(disconnects)
        self.ending = ending
        self.reason = reason
        self.ttl = 600
        self.issued: list[str] = []
        self.refreshes = 0
        self._refresh_tokens: dict[str, str] = {}
        self._records: list[dict] = []
        self._thread = LoopThread("mqtt5-disconnect-peer")
        self.port = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/mqtt"

    def token(self) -> str:
        return make_jwt("alice", self.ttl)

    def records(self) -> list[dict]:
        return list(self._records)

    def start(self, timeout: float = 15.0) -> "MQTT5DisconnectPeer":
        self._thread.start()

        async def up() -> None:
            app = web.Application()
            app.router.add_post("/auth/login", self._login)
            app.router.add_post("/auth/refresh", self._refresh)
            app.router.add_get("/mqtt", self._mqtt)
            await self._listen(app)

        self._thread.call(up, timeout)
        self._server = self
        return self

    async def _mqtt(self, request: web.Request) -> web.WebSocketResponse:
        transport = request.transport
        ws = web.WebSocketResponse(protocols=("mqtt",))
        await ws.prepare(request)
        message = await ws.receive(timeout=10)
        if message.type != WSMsgType.BINARY:
            await ws.close()
            return ws
        self._records.append(parse_connect(message.data))
        await ws.send_bytes(bytes([0x20, 0x03, 0x00, 0x00, 0x00]))  # CONNACK: Success, no properties
        if not self.disconnects:
            async for _ in ws:  # stays open until the client leaves
                pass
            return ws
        await asyncio.sleep(0.3)
        await ws.send_bytes(disconnect(self.disconnects.pop(0), self.reason))
        if self.ending == "drop":
            transport.close()
        else:
            await ws.close(code=1000)
        return ws
