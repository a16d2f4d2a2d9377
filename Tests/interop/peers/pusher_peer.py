"""A Pusher Channels protocol 7 server (what Pusher, Laravel Reverb and Soketi speak;
none of them is on PyPI or Debian), written from Pusher's published protocol
documentation ("Pusher Channels Protocol", pusher.com/docs/channels/library_auth_reference/
pusher-websockets-protocol) with the `websockets` library, plus the app's side in the
same peer: an aiohttp ``POST /broadcasting/auth`` as Laravel's, ``/auth/login`` and
``/auth/refresh`` (JWTs, shared with the other app peers) and ``/session/login`` (the
``laravel_session`` cookie, also accepted as ``X-Session-Token``).

Channel authorizations are SIGNED by the official ``pusher`` library
(``Pusher.authenticate``) and VERIFIED on the WebSocket side by the same library's
``pusher.signature.verify``: no HMAC of ours judges the client.

What it does, for the tests:
- ``/app/KEY`` only (another key: ``pusher:error`` 4001 and close 4001, as Pusher does);
- ``pusher:connection_established`` with a fresh ``socket_id`` and ``activity_timeout``;
- a refused signature is answered as ``refuse`` says: ``subscription_error`` (Soketi),
  ``null`` (``pusher:error`` with a null code, Reverb and Pusher) or ``4009``;
- ``private-admin`` is for alice only (403 for others), ``presence-`` channels get
  ``channel_data`` with the user;
- a client event on a subscribed channel comes back as the server's ``echo`` event on
  that channel; ``client-error`` with ``{"code":N}`` makes the server send ``pusher:error``
  N (and close with N when N is 4000–4299, as the protocol does);
- ``server_ping`` seconds: the server's own ``pusher:ping``;
- ``end_at_expiry``: when the token that authorized a socket's channel expires, the
  server sends ``pusher:error`` 4200 and closes 4200 (reconnect);
- ``lax``: the app authorizes anyone and the socket takes any signature.
Every request to ``/broadcasting/auth`` and every socket is recorded as one JSON line
in files the tests read (``auth_records()``, ``socket_records()``).
"""

from __future__ import annotations

import asyncio
import json
import secrets
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pusher
from aiohttp import web
from pusher.signature import verify
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from .loop_thread import LoopServer, LoopThread
from .socketio_peer import USERS, AiohttpPeer, TokenIssuer, check_jwt, make_jwt

APP_ID = "1001"
KEY = "wsauth-key"
SECRET = "wsauth-pusher-secret"


class PusherPeer(AiohttpPeer, TokenIssuer, LoopServer):
    def __init__(self, refuse: str = "subscription_error", lax: bool = False, ttl: float = 600,
                 first_ttl: float | None = None, activity_timeout: int = 120, server_ping: float | None = None,
                 end_at_expiry: bool = False) -> None:
        assert refuse in ("subscription_error", "null", "4009")
        self.refuse = refuse
        self.lax = lax
        self.ttl = ttl
        self.first_ttl = first_ttl
        self.activity_timeout = activity_timeout
        self.server_ping = server_ping
        self.end_at_expiry = end_at_expiry
        self.issued: list[str] = []
        self.refreshes = 0
        self._refresh_tokens: dict[str, str] = {}
        self._sessions: dict[str, str] = {}
        # socket_id -> exp of the token that authorized one of its channels.
        self._expiry: dict[str, float] = {}
        self.pusher = pusher.Pusher(app_id=APP_ID, key=KEY, secret=SECRET)
        self._thread = LoopThread("pusher-peer")
        self.port = 0
        self.ws_port = 0
        self.dir = Path(tempfile.mkdtemp(prefix="wsauth-pusher-"))

    # --- addresses and credentials ------------------------------------------------

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.ws_port}/app/{KEY}"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def auth_url(self) -> str:
        return f"{self.base}/broadcasting/auth"

    def token(self, user: str = "alice", ttl: float | None = None) -> str:
        if ttl is None:
            ttl = self.first_ttl if self.first_ttl is not None and not self.issued else self.ttl
        return make_jwt(user, ttl)

    # --- records ------------------------------------------------------------------

    def _record(self, name: str, record: dict) -> None:
        with open(self.dir / name, "a") as f:
            f.write(json.dumps(record) + "\n")

    def _records(self, name: str) -> list[dict]:
        path = self.dir / name
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []

    def auth_records(self) -> list[dict]:
        return self._records("auth.jsonl")

    def socket_records(self) -> list[dict]:
        return self._records("sockets.jsonl")

    def wait_for_sockets(self, count: int, timeout: float = 10.0) -> list[dict]:
        end = time.monotonic() + timeout
        while len(self.socket_records()) < count and time.monotonic() < end:
            time.sleep(0.05)
        return self.socket_records()

    # --- the app: login and /broadcasting/auth ---------------------------------------

    async def _session_login(self, request: web.Request) -> web.Response:
        body = await request.json()
        if USERS.get(body.get("username")) != body.get("password"):
            return web.json_response({"error": "invalid_grant"}, status=401)
        session = secrets.token_urlsafe(24)
        self._sessions[session] = body["username"]
        self.issued.append(session)
        response = web.json_response({"ok": True})
        response.set_cookie("laravel_session", session, httponly=True, path="/")
        return response

    def _user(self, request: web.Request) -> tuple[str | None, float, str]:
        """(user, exp of the credential, why refused) as Laravel's auth guards would see it."""
        authorization = request.headers.get("Authorization")
        if authorization is not None:
            if not authorization.startswith("Bearer "):
                return None, 0, "not a bearer token"
            return check_jwt(authorization[len("Bearer "):])
        session = request.headers.get("X-Session-Token") or request.cookies.get("laravel_session")
        if session is not None:
            user = self._sessions.get(session)
            return (user, time.time() + 3600, "") if user else (None, 0, "unknown session")
        return None, 0, "no credentials"

    async def _authorize(self, request: web.Request) -> web.Response:
        form = await request.post()
        socket_id, channel = str(form.get("socket_id", "")), str(form.get("channel_name", ""))
        user, exp, why = self._user(request)
        record = {"authorization": request.headers.get("Authorization"),
                  "cookie": request.cookies.get("laravel_session"),
                  "session_header": request.headers.get("X-Session-Token"), "content_type": request.content_type,
                  "socket_id": socket_id, "channel": channel, "user": user}
        if user is None and not self.lax:
            status, body = 401, {"message": f"Unauthenticated: {why}"}
        elif channel == "private-admin" and user != "alice" and not self.lax:
            status, body = 403, {"message": "This action is unauthorized."}
        else:
            user = user or "anonymous"
            custom = {"user_id": user, "user_info": {"name": user}} if channel.startswith("presence-") else None
            # The official library signs: `{"auth": "KEY:HMAC"}` (and `channel_data` for presence).
            status, body = 200, self.pusher.authenticate(channel=channel, socket_id=socket_id, custom_data=custom)
            self._expiry[socket_id] = min(self._expiry.get(socket_id, exp), exp) if exp else time.time() + 3600
        record.update(status=status, body=body)
        self._record("auth.jsonl", record)
        return web.json_response(body, status=status)

    # --- the WebSocket: protocol 7 --------------------------------------------------

    def _signature_ok(self, socket_id: str, channel: str, data: dict) -> bool:
        """The official library's check of `auth` (`KEY:HMAC-SHA256(secret, socket_id:channel[:channel_data])`)."""
        if self.lax:
            return True
        auth = data.get("auth")
        if not isinstance(auth, str) or ":" not in auth:
            return False
        key, signature = auth.split(":", 1)
        to_sign = f"{socket_id}:{channel}"
        if channel.startswith("presence-"):
            channel_data = data.get("channel_data")
            if not isinstance(channel_data, str):
                return False
            to_sign += f":{channel_data}"
        return key == KEY and verify(SECRET, to_sign, signature)

    async def _send(self, ws: ServerConnection, event: str, data: Any, channel: str | None = None) -> None:
        message: dict[str, Any] = {"event": event}
        if channel is not None:
            message["channel"] = channel
        message["data"] = data
        await ws.send(json.dumps(message))

    async def _error(self, ws: ServerConnection, code: int | None, message: str) -> None:
        await self._send(ws, "pusher:error", {"message": message, "code": code})
        if code is not None and 4000 <= code < 4300:
            await ws.close(code, message)

    async def _refuse(self, ws: ServerConnection, channel: str) -> None:
        if self.refuse == "subscription_error":
            await self._send(ws, "pusher:subscription_error",
                             {"type": "AuthError", "error": "Invalid signature", "status": 401}, channel)
        elif self.refuse == "null":
            await self._error(ws, None, f"Invalid signature: Expected HMAC SHA256 hex digest of {channel}")
        else:
            await self._error(ws, 4009, "Connection is unauthorized")

    async def _handle(self, ws: ServerConnection) -> None:
        target = urlsplit(ws.request.path)
        query = {k: v[0] for k, v in parse_qs(target.query).items()}
        socket_id = f"{secrets.randbelow(10**9)}.{secrets.randbelow(10**9)}"
        record: dict[str, Any] = {"path": target.path, "query": query, "socket_id": socket_id,
                                  "subscribed": [], "refused": [], "unsubscribed": [], "client_events": [],
                                  "pings": 0, "pongs": 0}
        try:
            if target.path != f"/app/{KEY}":
                await self._error(ws, 4001, f"App key {target.path.rsplit('/', 1)[-1]} not in this cluster")
                return
            await self._send(ws, "pusher:connection_established",
                             json.dumps({"socket_id": socket_id, "activity_timeout": self.activity_timeout}))
            tasks = [asyncio.create_task(self._pinger(ws))] if self.server_ping else []
            if self.end_at_expiry:
                tasks.append(asyncio.create_task(self._expirer(ws, socket_id)))
            try:
                await self._serve(ws, socket_id, record)
            finally:
                for task in tasks:
                    task.cancel()
        except ConnectionClosed:
            pass
        finally:
            self._record("sockets.jsonl", record)

    async def _serve(self, ws: ServerConnection, socket_id: str, record: dict) -> None:
        subscribed: set[str] = set()
        async for text in ws:
            message = json.loads(text)
            event, data = message.get("event"), message.get("data")
            if event == "pusher:ping":
                record["pings"] += 1
                await self._send(ws, "pusher:pong", {})
            elif event == "pusher:pong":
                record["pongs"] += 1
            elif event == "pusher:subscribe":
                channel = data["channel"]
                private = channel.startswith(("private-", "presence-"))
                if private and not self._signature_ok(socket_id, channel, data):
                    record["refused"].append({"channel": channel, "data": data})
                    await self._refuse(ws, channel)
                    continue
                subscribed.add(channel)
                record["subscribed"].append({"channel": channel, "data": data})
                answer = "{}"
                if channel.startswith("presence-"):
                    me = json.loads(data.get("channel_data") or "{}").get("user_id", "anonymous")
                    answer = json.dumps({"presence": {"ids": [me], "hash": {me: {"name": me}}, "count": 1}})
                await self._send(ws, "pusher_internal:subscription_succeeded", answer, channel)
            elif event == "pusher:unsubscribe":
                subscribed.discard(data["channel"])
                record["unsubscribed"].append(data["channel"])
            elif isinstance(event, str) and event.startswith("client-"):
                record["client_events"].append(message)
                if event == "client-error":
                    await self._error(ws, data.get("code"), data.get("message", "on demand"))
                elif message.get("channel") in subscribed:
                    echoed = json.dumps({"event": event, "data": data})
                    await self._send(ws, "echo", echoed, message["channel"])
                else:
                    await self._error(ws, None, "Client event rejected - not subscribed to that channel")

    async def _pinger(self, ws: ServerConnection) -> None:
        while True:
            await asyncio.sleep(self.server_ping)
            await self._send(ws, "pusher:ping", {})

    async def _expirer(self, ws: ServerConnection, socket_id: str) -> None:
        while True:
            await asyncio.sleep(0.1)
            exp = self._expiry.get(socket_id)
            if exp is not None and exp <= time.time():
                await self._error(ws, 4200, "the token behind a private channel expired: reconnect")
                return

    # --- lifecycle --------------------------------------------------------------------

    def start(self, timeout: float = 15.0) -> "PusherPeer":
        self._thread.start()

        async def up() -> None:
            app = web.Application()
            app.router.add_post("/auth/login", self._login)
            app.router.add_post("/auth/refresh", self._refresh)
            app.router.add_post("/session/login", self._session_login)
            app.router.add_post("/broadcasting/auth", self._authorize)
            await self._listen(app)
            self._ws_server = await serve(self._handle, "127.0.0.1", 0, ping_interval=None)
            self.ws_port = self._ws_server.sockets[0].getsockname()[1]

        self._thread.call(up, timeout)
        self._server = self
        return self

    async def _closing(self) -> None:
        self._ws_server.close()
        await asyncio.wait_for(self._ws_server.wait_closed(), 5)

    def stop(self, timeout: float = 15.0) -> None:
        super().stop(timeout)
        shutil.rmtree(self.dir, ignore_errors=True)
