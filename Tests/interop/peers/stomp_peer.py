"""A STOMP 1.2 over WebSocket server for `wsauth --app stomp`, in the pattern of
Spring's message broker: the WebSocket upgrade is open to all, and CONNECT's
``Authorization: Bearer`` header (or ``login``/``passcode``) decides.

Its frame handling is written here, independently of wsauth's codec, from the
STOMP 1.2 specification, and kept minimal.

``STOMPServer(lax=False, ttl=…, heart_beat=(sx, sy), end_at_expiry=False)`` serves:

- ``ws://127.0.0.1:PORT/ws`` (subprotocols v12.stomp, v11.stomp, v10.stomp):
  CONNECT → CONNECTED (``version``, ``server``, ``heart-beat`` sx,sy) or ERROR
  ``message:`` "token expired" | "invalid token" | "no credentials" | "bad login";
  SUBSCRIBE/UNSUBSCRIBE; SEND is delivered as MESSAGE to every subscription on
  that destination (the sender's own included); frames with ``receipt`` get
  RECEIPT; heart-beats go out every negotiated interval. With ``end_at_expiry``
  the session gets an ERROR when its token expires.
- ``http://127.0.0.1:HTTP_PORT/auth/login`` and ``/auth/refresh`` (JSON): HS256
  JWTs (socketio_peer's) that live ``ttl`` seconds; refresh tokens rotate.
- ``lax=True`` accepts any token, or none (a broken server for audit).
- ``script``: raw messages sent right after CONNECTED, then silence (no
  heart-beats): ``[]`` with heart-beats negotiated is a server gone silent.

Every CONNECT is recorded in ``connects`` (its headers and the verdict), every
frame received in ``frames``.
"""

from __future__ import annotations

import asyncio
import secrets
import sys
import time
from typing import Any

from aiohttp import web
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

if __package__ in (None, ""):
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent))
    from loop_thread import LoopServer, LoopThread, Recorder  # type: ignore[no-redef]
    from socketio_peer import KEY, USERS, TokenIssuer, check_jwt, make_jwt  # type: ignore[no-redef]
else:
    from .loop_thread import LoopServer, LoopThread, Recorder
    from .socketio_peer import KEY, USERS, TokenIssuer, check_jwt, make_jwt

SUBPROTOCOLS = ["v12.stomp", "v11.stomp", "v10.stomp"]


def encode(command: str, headers: dict[str, str], body: str = "") -> str:
    escape = command not in ("CONNECT", "CONNECTED")
    lines = [command]
    for name, value in headers.items():
        if escape:
            value = value.replace("\\", "\\\\").replace("\n", "\\n").replace(":", "\\c").replace("\r", "\\r")
        lines.append(f"{name}:{value}")
    return "\n".join(lines) + "\n\n" + body + "\x00"


def decode(message: str) -> tuple[str, dict[str, str], str] | None:
    """One frame (command, headers — the first of repeated ones —, body); None for a heart-beat."""
    if message.strip("\r\n") == "":
        return None
    head, _, rest = message.lstrip("\r\n").partition("\n\n")
    lines = head.replace("\r\n", "\n").split("\n")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.setdefault(name, value)
    return lines[0], headers, rest.split("\x00", 1)[0]


class STOMPServer(TokenIssuer, LoopServer):
    def __init__(self, lax: bool = False, ttl: float = 300, heart_beat: tuple[int, int] = (0, 0),
                 end_at_expiry: bool = False, script: list[str] | None = None) -> None:
        self.lax = lax
        self.ttl = ttl
        self.heart_beat = heart_beat
        self.end_at_expiry = end_at_expiry
        self.script = script
        self.connects = Recorder()
        self.frames = Recorder()
        self.heart_beats_in = Recorder()
        self.refreshes = 0
        self.issued: list[str] = []
        # Tokens it treats as expired before their exp (a server whose clock runs ahead).
        self.expired_early: set[str] = set()
        self._refresh_tokens: dict[str, str] = {}
        self._subscribers: dict[str, list[tuple[ServerConnection, str]]] = {}
        self._thread = LoopThread("stomp-peer")
        self.port = 0
        self.http_port = 0

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def token(self, ttl: float | None = None, key: bytes = KEY) -> str:
        return make_jwt("alice", self.ttl if ttl is None else ttl, key)

    def start(self, timeout: float = 15.0) -> "STOMPServer":
        self._thread.start()

        async def up() -> None:
            self._server = await serve(self._handle, "127.0.0.1", 0, subprotocols=SUBPROTOCOLS)
            self.port = self._server.sockets[0].getsockname()[1]
            app = web.Application()
            app.router.add_post("/auth/login", self._login)
            app.router.add_post("/auth/refresh", self._refresh)
            self._runner = web.AppRunner(app, shutdown_timeout=1)
            await self._runner.setup()
            site = web.TCPSite(self._runner, "127.0.0.1", 0)
            await site.start()
            self.http_port = site._server.sockets[0].getsockname()[1]

        self._thread.call(up, timeout)
        return self

    async def _closing(self) -> None:
        await self._runner.cleanup()


    def _judge(self, headers: dict[str, str]) -> tuple[str | None, float]:
        """(refusal message or None, exp)."""
        if self.lax:
            return None, 0
        if "login" in headers:
            return (None, 0) if USERS.get(headers["login"]) == headers.get("passcode") else ("bad login", 0)
        authorization = headers.get("Authorization", "")
        if not authorization.startswith("Bearer "):
            return "no credentials", 0
        token = authorization[len("Bearer "):]
        if token in self.expired_early:
            return "token expired", 0
        user, exp, refusal = check_jwt(token)
        return (None, exp) if user else (refusal, 0)

    async def _handle(self, ws: ServerConnection) -> None:
        tasks: list[asyncio.Task] = []
        try:
            first = decode(await asyncio.wait_for(ws.recv(), 20))
            if first is None or first[0] not in ("CONNECT", "STOMP"):
                await ws.send(encode("ERROR", {"message": "expected CONNECT"}))
                return
            refusal, exp = self._judge(first[1])
            self.connects.add({"headers": first[1], "accepted": refusal is None, "message": refusal or ""})
            if refusal:
                await ws.send(encode("ERROR", {"message": refusal}, "Access refused\n"))
                await asyncio.sleep(0.5)
                return
            cx, cy = (int(x) for x in first[1].get("heart-beat", "0,0").split(","))
            sx, sy = self.heart_beat
            await ws.send(encode("CONNECTED", {"version": "1.2", "server": "stomp-peer/1", "session": "s-1",
                                               "heart-beat": f"{sx},{sy}"}))
            if self.script is not None:
                for message in self.script:
                    await ws.send(message)
            elif sx and cy:
                tasks.append(asyncio.create_task(self._beat(ws, max(sx, cy) / 1000)))
            if self.end_at_expiry and exp:
                tasks.append(asyncio.create_task(self._end_at(ws, exp)))
            await self._serve(ws)
        except (ConnectionClosed, asyncio.TimeoutError, ValueError):
            pass
        finally:
            for task in tasks:
                task.cancel()
            for subscribers in self._subscribers.values():
                subscribers[:] = [s for s in subscribers if s[0] is not ws]

    async def _beat(self, ws: ServerConnection, every: float) -> None:
        while True:
            await asyncio.sleep(every)
            await ws.send("\n")

    async def _end_at(self, ws: ServerConnection, exp: float) -> None:
        await asyncio.sleep(max(0.0, exp - time.time()))
        await ws.send(encode("ERROR", {"message": "token expired"}))
        await ws.close()

    async def _serve(self, ws: ServerConnection) -> None:
        async for message in ws:
            text = message if isinstance(message, str) else message.decode(errors="replace")
            frame = decode(text)
            if frame is None:
                self.heart_beats_in.add(time.monotonic())
                continue
            command, headers, body = frame
            self.frames.add({"command": command, "headers": headers, "body": body})
            if command == "SUBSCRIBE":
                self._subscribers.setdefault(headers["destination"], []).append((ws, headers["id"]))
            elif command == "UNSUBSCRIBE":
                for subscribers in self._subscribers.values():
                    subscribers[:] = [s for s in subscribers if s != (ws, headers["id"])]
            elif command == "SEND":
                await self._publish(headers["destination"], body)
            if "receipt" in headers:
                await ws.send(encode("RECEIPT", {"receipt-id": headers["receipt"]}))
            if command == "DISCONNECT":
                return

    async def _publish(self, destination: str, body: str) -> None:
        for ws, subscription in list(self._subscribers.get(destination, [])):
            await ws.send(encode("MESSAGE", {"destination": destination, "subscription": subscription,
                                             "message-id": secrets.token_hex(4), "content-type": "text/plain"}, body))
