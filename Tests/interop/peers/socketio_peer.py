"""Socket.IO peers for `wsauth --app socketio`: python-socketio (the ecosystem's
implementation, not our codec) on aiohttp, and a raw Engine.IO peer for what a
well-behaved library never sends (silence, garbage).

``SocketIOServer(lax=False, ttl=…)`` serves on 127.0.0.1:

- ``POST /auth/login`` and ``POST /auth/refresh`` (JSON, like peers/auth_api.py):
  HS256 JWTs that live ``ttl`` seconds; refresh tokens rotate.
- ``/socket.io/``: a python-socketio ``AsyncServer``. Its ``connect`` handler
  checks ``auth.token`` (or, when the handshake carried one, the
  ``Authorization: Bearer`` header or ``token`` cookie) and refuses with
  CONNECT_ERROR ``{"message": "token expired" | "invalid token" | "no token"}``.
  An aiohttp middleware refuses an upgrade whose ``Authorization`` header holds
  a bad token with 401 before Socket.IO sees it (the "middleware" rejection).
  On success it emits ``welcome {"user": …}``; the ``echo`` event returns its
  arguments as the ACK; ``later N`` answers ``later-done`` N seconds later (to outlive
  ``ping_interval``); the ``/admin`` namespace does the same checks and
  emits ``admin-hello``. When ``disconnect_at_expiry``, the server disconnects
  the client (``41``) when its token expires.
- ``lax=True`` accepts any token, or none (the deliberately broken server for audit).
- ``token_from="auth"`` reads the token only from the auth payload, ``"header"``
  only from the upgrade's header or cookie (a server written for ``extraHeaders``);
  the default ``"any"`` takes either.

Every CONNECT it sees is recorded (namespace, the auth payload, the verdict) in
``SocketIOServer.connects`` for server-side assertions.

``RawEngineIOPeer(script)`` is a ``websockets`` server that sends the Engine.IO
open packet (``pingInterval``/``pingTimeout`` given), answers the client's
CONNECT with ``40{"sid"}`` and then sends ``script``'s frames and stays silent
(no pings): ``script=[]`` is a dead server, ``script=["4garbage"]`` a broken one.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import secrets
import sys
import time
from typing import Any

import socketio
from aiohttp import web
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

if __package__ in (None, ""):
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent))
    from loop_thread import LoopServer, LoopThread, Recorder  # type: ignore[no-redef]
else:
    from .loop_thread import LoopServer, LoopThread, Recorder

KEY = b"socketio-peer-test-key"
USERS = {"alice": "wonderland"}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def make_jwt(sub: str, ttl: float, key: bytes = KEY) -> str:
    now = int(time.time())
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = b64url(json.dumps({"sub": sub, "iat": now, "exp": now + int(ttl),
                                "jti": secrets.token_hex(8)}).encode())
    signature = b64url(hmac.new(key, f"{header}.{claims}".encode(), hashlib.sha256).digest())
    return f"{header}.{claims}.{signature}"


def check_jwt(token: Any) -> tuple[str | None, float, str]:
    """(user, exp, refusal message); user is None when the token is refused."""
    if not isinstance(token, str) or not token:
        return None, 0, "no token"
    try:
        header, claims, signature = token.split(".")
        expected = b64url(hmac.new(KEY, f"{header}.{claims}".encode(), hashlib.sha256).digest())
        head = json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))
        payload = json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))
        if head.get("alg") != "HS256" or not hmac.compare_digest(expected, signature):
            return None, 0, "invalid token"
        if payload["exp"] <= time.time():
            return None, 0, "token expired"
        return payload["sub"], float(payload["exp"]), ""
    except (ValueError, KeyError, TypeError, AttributeError):
        return None, 0, "invalid token"


def handshake_token(environ: dict) -> str | None:
    """The token from the upgrade's Authorization header or token cookie (Socket.IO's extraHeaders)."""
    request = environ.get("aiohttp.request")
    if request is None:
        return None
    authorization = request.headers.get("Authorization", "")
    if authorization.startswith("Bearer "):
        return authorization[len("Bearer "):]
    return request.cookies.get("token")


class AiohttpPeer:
    """An aiohttp app on a free 127.0.0.1 port, run on the peer's loop thread;
    LoopServer's stop() closes `_server` (the peer itself) through these."""

    async def _listen(self, app: web.Application) -> None:
        runner = web.AppRunner(app, shutdown_timeout=1)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self._runner = runner
        self.port = site._server.sockets[0].getsockname()[1]

    def close(self) -> None:
        pass

    async def wait_closed(self) -> None:
        await self._runner.cleanup()


class TokenIssuer:
    """``POST /auth/login`` (JSON, the users above) and ``POST /auth/refresh``
    (each refresh token works once), shared by the app peers (Socket.IO, GraphQL,
    STOMP). Every secret issued is kept in ``issued`` for the runner's leak check.
    The peer provides ``token()``, ``ttl``, ``issued``, ``refreshes`` and
    ``_refresh_tokens``."""

    def _issue(self) -> dict:
        refresh = secrets.token_urlsafe(16)
        self._refresh_tokens[refresh] = "alice"
        access = self.token()
        self.issued += [access, refresh]
        return {"access_token": access, "refresh_token": refresh, "expires_in": int(self.ttl)}

    async def _login(self, request: web.Request) -> web.Response:
        body = await request.json()
        if USERS.get(body.get("username")) != body.get("password"):
            return web.json_response({"error": "invalid_grant"}, status=401)
        return web.json_response(self._issue())

    async def _refresh(self, request: web.Request) -> web.Response:
        body = await request.json()
        if self._refresh_tokens.pop(body.get("refresh_token"), None) is None:
            return web.json_response({"error": "invalid_grant"}, status=400)
        self.refreshes += 1
        return web.json_response(self._issue())


class SocketIOServer(AiohttpPeer, TokenIssuer, LoopServer):
    def __init__(self, lax: bool = False, ttl: float = 300, disconnect_at_expiry: bool = False,
                 ping_interval: float = 5, token_from: str = "any") -> None:
        self.lax = lax
        self.token_from = token_from
        self.ping_interval = ping_interval
        self.ttl = ttl
        self.disconnect_at_expiry = disconnect_at_expiry
        self.connects = Recorder()
        self.refreshes = 0
        # Every access token it handed out, so that tests can check wsauth's output for them.
        self.issued: list[str] = []
        # Tokens it treats as expired before their exp (a server whose clock runs ahead).
        self.expired_early: set[str] = set()
        self._refresh_tokens: dict[str, str] = {}
        self._thread = LoopThread("socketio-peer")
        self.port = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def token(self, ttl: float | None = None, key: bytes = KEY) -> str:
        return make_jwt("alice", self.ttl if ttl is None else ttl, key)

    def start(self, timeout: float = 15.0) -> "SocketIOServer":
        self._thread.start()

        async def up() -> None:
            app = web.Application(middlewares=[self._upgrade_middleware])
            app.router.add_post("/auth/login", self._login)
            app.router.add_post("/auth/refresh", self._refresh)
            self._sio = self._socketio()
            self._sio.attach(app)
            await self._listen(app)

        self._thread.call(up, timeout)
        self._server = self
        return self

    @web.middleware
    async def _upgrade_middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        authorization = request.headers.get("Authorization", "")
        if not self.lax and request.path.startswith("/socket.io/") and authorization.startswith("Bearer "):
            if check_jwt(authorization[len("Bearer "):])[0] is None:
                return web.json_response({"error": "invalid_token"}, status=401,
                                         headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
        return await handler(request)

    def _socketio(self) -> socketio.AsyncServer:
        sio = socketio.AsyncServer(async_mode="aiohttp", ping_interval=self.ping_interval, ping_timeout=self.ping_interval)

        async def admit(sid: str, environ: dict, auth: Any, namespace: str) -> str:
            token = auth.get("token") if isinstance(auth, dict) and self.token_from != "header" else None
            token = token or (handshake_token(environ) if self.token_from != "auth" else None)
            user, exp, refusal = ("anyone", 0.0, "") if self.lax else check_jwt(token)
            if token in self.expired_early:
                user, refusal = None, "token expired"
            self.connects.add({"namespace": namespace, "auth": auth, "accepted": user is not None,
                               "message": refusal})
            if user is None:
                raise socketio.exceptions.ConnectionRefusedError(refusal)
            if self.disconnect_at_expiry and exp:
                asyncio.get_running_loop().call_later(
                    max(0.0, exp - time.time()),
                    lambda: asyncio.ensure_future(sio.disconnect(sid, namespace=namespace)))
            return user

        @sio.on("connect")
        async def connect(sid: str, environ: dict, auth: Any = None) -> None:
            user = await admit(sid, environ, auth, "/")
            await sio.emit("welcome", {"user": user}, to=sid)

        @sio.on("echo")
        async def echo(sid: str, *args: Any) -> list:
            return list(args)

        @sio.on("shout")
        async def shout(sid: str, text: str) -> None:
            await sio.emit("shouted", text.upper(), to=sid)

        @sio.on("later")
        async def later(sid: str, seconds: float) -> None:
            await asyncio.sleep(min(float(seconds), 10))
            await sio.emit("later-done", seconds, to=sid)

        @sio.on("connect", namespace="/admin")
        async def admin_connect(sid: str, environ: dict, auth: Any = None) -> None:
            await admit(sid, environ, auth, "/admin")
            await sio.emit("admin-hello", {"room": "ops"}, to=sid, namespace="/admin")

        return sio


class RawEngineIOPeer(LoopServer):
    """Speaks just enough Engine.IO to get a client connected, then misbehaves."""

    def __init__(self, script: list[str | bytes], ping_interval_ms: int = 300, ping_timeout_ms: int = 200) -> None:
        self.script = script
        self.open = json.dumps({"sid": "raw-engineio-sid", "upgrades": [], "pingInterval": ping_interval_ms,
                                "pingTimeout": ping_timeout_ms, "maxPayload": 1000000})
        self.received = Recorder()
        self._thread = LoopThread("raw-engineio-peer")
        self.port = 0

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    def start(self, timeout: float = 15.0) -> "RawEngineIOPeer":
        self._thread.start()

        async def up() -> None:
            self._server = await serve(self._handle, "127.0.0.1", 0)
            self.port = self._server.sockets[0].getsockname()[1]

        self._thread.call(up, timeout)
        return self

    async def _handle(self, ws: ServerConnection) -> None:
        try:
            await ws.send("0" + self.open)
            connect = await asyncio.wait_for(ws.recv(), 20)
            self.received.add(connect)
            if isinstance(connect, str) and connect.startswith("40"):
                await ws.send('40{"sid":"raw-socketio-sid"}')
            for frame in self.script:
                await ws.send(frame)
            async for message in ws:
                self.received.add(message)
        except (ConnectionClosed, asyncio.TimeoutError):
            pass
