"""Rails' Action Cable 6.1 (Debian's ruby-actioncable on puma, peers/actioncable/
protocol.ru, launched by doctor_peers.ActionCable) with the login endpoints of the
other app peers: ``POST /auth/login`` and ``/auth/refresh`` (JSON tokens, JWTs the
Rack app verifies with the same key) and ``POST /session/login`` (JSON credentials;
sets the signed ``_app_session`` cookie the Rack app reads). What every connection
presented, and the verdict, is in ``records()``."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import shutil
import tempfile
from pathlib import Path

from aiohttp import web

from .doctor_peers import ActionCable
from .loop_thread import LoopServer, LoopThread
from .socketio_peer import USERS, AiohttpPeer, TokenIssuer, make_jwt


def available() -> str | None:
    return None if shutil.which("puma") else "puma is not installed (scripts/install-deps.sh installs ruby-actioncable and puma)"


class ActionCableApp(AiohttpPeer, TokenIssuer, LoopServer):
    def __init__(self, ttl: float = 600, first_ttl: float | None = None, lax: bool = False) -> None:
        self.key = secrets.token_bytes(32)
        self.ttl = ttl
        self.first_ttl = first_ttl
        self.lax = lax
        self.issued: list[str] = []
        self.refreshes = 0
        self._refresh_tokens: dict[str, str] = {}
        self._thread = LoopThread("actioncable-tokens")
        self.port = 0
        self.dir = Path(tempfile.mkdtemp(prefix="wsauth-actioncable-"))
        self.cable: ActionCable | None = None

    @property
    def url(self) -> str:
        assert self.cable is not None
        return self.cable.url()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def token(self, user: str = "alice", ttl: float | None = None) -> str:
        if ttl is None:
            ttl = self.first_ttl if self.first_ttl is not None and not self.issued else self.ttl
        return make_jwt(user, ttl, self.key)

    def session_cookie(self, user: str) -> str:
        return f"{user}--{hmac.new(self.key, user.encode(), hashlib.sha256).hexdigest()}"

    async def _session_login(self, request: web.Request) -> web.Response:
        body = await request.json()
        if USERS.get(body.get("username")) != body.get("password"):
            return web.json_response({"error": "invalid_grant"}, status=401)
        cookie = self.session_cookie(body["username"])
        self.issued.append(cookie)
        response = web.json_response({"ok": True})
        response.set_cookie("_app_session", cookie, httponly=True, path="/")
        return response

    def start(self, timeout: float = 20.0) -> "ActionCableApp":
        self._thread.start()

        async def up() -> None:
            app = web.Application()
            app.router.add_post("/auth/login", self._login)
            app.router.add_post("/auth/refresh", self._refresh)
            app.router.add_post("/session/login", self._session_login)
            await self._listen(app)

        self._thread.call(up, timeout)
        self._server = self
        env = {"CABLE_KEY": self.key.hex(), "CABLE_RECORDS": str(self.dir / "records.jsonl"), "CABLE_LAX": "1" if self.lax else "0"}
        try:
            self.cable = ActionCable(app="protocol.ru", env=env)
        except Exception:
            super().stop()
            raise
        return self

    def stop(self, timeout: float = 15.0) -> None:
        if self.cable is not None:
            self.cable.stop()
            self.cable = None
        super().stop(timeout)
        shutil.rmtree(self.dir, ignore_errors=True)

    def records(self) -> list[dict]:
        path = self.dir / "records.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []
