"""A JWT-guarded WebSocket server on Python ``websockets``, for ``wsauth audit``.

A second, independent implementation of what the reference server does, so that
the audit's verdicts are shown to follow the server's behaviour and not the
reference server's quirks. HS256 tokens are made and checked by hand (``hmac``,
no PyJWT), the way many small services do it:

- ``/ws`` takes ``Authorization: Bearer``, the Kubernetes subprotocol form, the
  ``token`` cookie or the ``sid`` session cookie; ``?token=`` only with
  ``allow_query_token``. A bad credential is answered 401 with
  ``WWW-Authenticate: Bearer error="invalid_token"``; a foreign ``Origin`` 403.
- an open socket is closed with 4001 when its token's ``exp`` passes.
- ``POST /logout`` (a stdlib HTTP server on its own port) revokes the session of
  the bearer token or ``sid`` cookie.

Switches turn on the insecure behaviours the audit must find: ``accept_expired``,
``no_expiry_close``, ``allow_query_token``, ``ignore_origin``, ``ignore_logout``.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import http.server
import json
import logging
import secrets
import threading
import time
import urllib.parse
from typing import Any

from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from .loop_thread import LoopThread

PROTOCOL_PREFIX = "base64url.bearer.authorization.k8s.io."
_log = logging.getLogger("audit_peer")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class AuditPeer:
    def __init__(
        self,
        *,
        accept_expired: bool = False,
        no_expiry_close: bool = False,
        allow_query_token: bool = False,
        ignore_origin: bool = False,
        ignore_logout: bool = False,
    ) -> None:
        self.accept_expired = accept_expired
        self.no_expiry_close = no_expiry_close
        self.allow_query_token = allow_query_token
        self.ignore_origin = ignore_origin
        self.ignore_logout = ignore_logout
        self.key = secrets.token_bytes(32)
        self.revoked: set[str] = set()
        self.sessions: set[str] = set()
        self.closes: list[tuple[int, float]] = []  # (code, time.time()) of server closes
        self.port = 0
        self._thread = LoopThread("audit-peer")
        self._server: Any = None
        self._http: http.server.ThreadingHTTPServer | None = None
        self._admissions: dict[int, float | None] = {}

    # -- tokens --------------------------------------------------------------

    def login(self, ttl: float) -> tuple[str, str]:
        """A new session: (access token, session ID); the token lives `ttl` seconds."""
        sid = secrets.token_hex(16)
        self.sessions.add(sid)
        return self.mint({"sub": "alice", "sid": sid, "exp": int(time.time() + ttl)}), sid

    def mint(self, claims: dict[str, Any]) -> str:
        header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        payload = b64url(json.dumps(claims).encode())
        signature = hmac.new(self.key, f"{header}.{payload}".encode(), hashlib.sha256).digest()
        return f"{header}.{payload}.{b64url(signature)}"

    def verify(self, token: str) -> tuple[dict[str, Any] | None, str]:
        """(claims, "") for a good token, (None, why) otherwise."""
        parts = token.split(".")
        if len(parts) != 3:
            return None, "not a JWT"
        try:
            header = json.loads(b64url_decode(parts[0]))
            claims = json.loads(b64url_decode(parts[1]))
            signature = b64url_decode(parts[2])
        except (ValueError, json.JSONDecodeError):
            return None, "undecodable"
        if not isinstance(header, dict) or header.get("alg") != "HS256":
            return None, "alg not accepted"
        expected = hmac.new(self.key, f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, signature):
            return None, "bad signature"
        if not self.accept_expired and claims.get("exp", 0) <= time.time():
            return None, "expired"
        if claims.get("sid") in self.revoked:
            return None, "revoked"
        return claims, ""

    # -- lifecycle -----------------------------------------------------------

    def __enter__(self) -> "AuditPeer":
        self._thread.start()

        async def up() -> int:
            self._server = await serve(
                self._handler, "127.0.0.1", 0, process_request=self._process_request,
                ping_interval=None, close_timeout=5, logger=_log,
            )
            return self._server.sockets[0].getsockname()[1]

        self.port = self._thread.call(up)
        self._http = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._logout_handler())
        threading.Thread(target=self._http.serve_forever, name="audit-peer-http", daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
        server = self._server

        async def down() -> None:
            server.close()
            await asyncio.wait_for(server.wait_closed(), 10)

        try:
            self._thread.call(down)
        finally:
            self._thread.stop()

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    @property
    def logout_url(self) -> str:
        assert self._http is not None
        return f"http://127.0.0.1:{self._http.server_address[1]}/logout"

    # -- the handshake -------------------------------------------------------

    def _process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        origin = request.headers.get("Origin")
        own = {f"http://127.0.0.1:{self.port}", f"http://localhost:{self.port}"}
        if origin is not None and origin not in own and not self.ignore_origin:
            return self._refuse(connection, 403, None, "origin not allowed")
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(request.path).query)
        jar: dict[str, str] = {}
        for value in request.headers.get_all("Cookie"):
            for part in value.split(";"):
                name, _, val = part.strip().partition("=")
                jar.setdefault(name, val)
        token = None
        auth = request.headers.get("Authorization", "")
        if auth.lower().startswith("bearer "):
            token = auth[7:].strip()
        for value in request.headers.get_all("Sec-WebSocket-Protocol"):
            for offered in value.split(","):
                if token is None and offered.strip().startswith(PROTOCOL_PREFIX):
                    token = b64url_decode(offered.strip()[len(PROTOCOL_PREFIX):]).decode(errors="replace")
        if "token" in query:
            if not self.allow_query_token:
                return self._refuse(connection, 401, "invalid_request", "no tokens in URLs")
            token = token or query["token"][0]
        token = token or jar.get("token")
        if token is not None:
            claims, why = self.verify(token)
            if claims is None:
                return self._refuse(connection, 401, "invalid_token", why)
            self._admissions[id(connection)] = None if self.no_expiry_close else float(claims["exp"])
            return None
        sid = jar.get("sid")
        if sid is not None:
            if sid not in self.sessions or sid in self.revoked:
                return self._refuse(connection, 401, "invalid_token", "session revoked")
            self._admissions[id(connection)] = None
            return None
        return self._refuse(connection, 401, None, "no credentials")

    @staticmethod
    def _refuse(connection: ServerConnection, status: int, error: str | None, why: str) -> Response:
        response = connection.respond(status, json.dumps({"error": error or "forbidden", "why": why}))
        if status == 401:
            challenge = f'Bearer error="{error}"' if error else 'Bearer realm="audit-peer"'
            response.headers["WWW-Authenticate"] = challenge
        return response

    async def _handler(self, ws: ServerConnection) -> None:
        expiry = self._admissions.pop(id(ws), None)
        watch = asyncio.create_task(self._close_at(ws, expiry)) if expiry is not None else None
        try:
            async for message in ws:
                await ws.send(message)
        except ConnectionClosed:
            pass
        finally:
            if watch is not None:
                watch.cancel()

    async def _close_at(self, ws: ServerConnection, expiry: float) -> None:
        await asyncio.sleep(max(0.0, expiry - time.time()))
        self.closes.append((4001, time.time()))
        await ws.close(4001, "token expired")

    # -- logout --------------------------------------------------------------

    def _logout_handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        peer = self

        class Logout(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                sid = None
                auth = self.headers.get("Authorization", "")
                if auth.lower().startswith("bearer "):
                    claims, _ = peer.verify(auth[7:].strip())
                    sid = claims.get("sid") if claims else None
                for part in (self.headers.get("Cookie") or "").split(";"):
                    name, _, value = part.strip().partition("=")
                    if name == "sid":
                        sid = sid or value
                if sid is None:
                    self.send_response(401)
                    self.end_headers()
                    return
                if not peer.ignore_logout:
                    peer.revoked.add(sid)
                body = b'{"revoked":true}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        return Logout
