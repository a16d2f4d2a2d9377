"""A small login/refresh/OAuth 2.0 API on aiohttp: a third-party stack for
wsauth's credential commands to talk to.

Run as a process: ``python auth_api.py --port 0 [--redis URL] [--refresh-delay S]``
prints ``PORT <n>`` once it listens on 127.0.0.1. Endpoints:

- ``POST /auth/login``: JSON or form ``username``/``password``; answers
  ``access_token`` (an HS256 JWT), ``refresh_token``, ``expires_in`` and sets a
  ``sid`` session cookie. ``?shape=nested`` nests the tokens under ``data`` in
  camelCase, ``?shape=html`` answers an HTML page, ``?shape=session`` only the cookie.
- ``POST /oauth/token``: RFC 6749 ``password``, ``client_credentials`` and
  ``refresh_token`` grants; client ``cli`` (public) or ``svc``/``svc-secret`` (Basic).
- ``POST /auth/refresh``: ``{"refresh_token": …}``. Refresh tokens rotate: each
  is good once; presenting a used one is reuse (RFC 6819 §5.2.2.3), answered
  400 ``invalid_grant`` and revoking the whole family.
- ``POST /auth/refresh500``: always 500 (counted).
- ``POST /auth/logout``: revokes the refresh token in a JSON or RFC 7009 body.
- ``GET /ws``: a WebSocket that greets the session's user; the session comes
  from a Bearer token (checked first: an expired one is refused), an
  ``X-Session-Token`` header or the ``sid`` cookie. No session: 401.
- ``GET /_stats``: call counters and the newest refresh token issued.
- ``POST /_release``: with ``--refresh-gate``, refreshes are held (at most 120 s)
  until this is called, so a test decides when the first one completes.

Sessions live in Redis when ``--redis`` is given, so several processes share them
(as a PHP/Workerman cluster does), else in memory.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import hashlib
import hmac
import json
import secrets
import sys
import time
from urllib.parse import parse_qs

from aiohttp import web

KEY = b"auth-api-test-key"
USERS = {"alice": "wonderland", "bob": "builder"}
CLIENTS = {"cli": None, "svc": "svc-secret"}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def make_jwt(sub: str, ttl: float) -> str:
    now = int(time.time())
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = b64url(json.dumps({"sub": sub, "iat": now, "nbf": now, "exp": now + int(ttl),
                                "jti": secrets.token_hex(8), "scope": "chat"}).encode())
    signature = b64url(hmac.new(KEY, f"{header}.{claims}".encode(), hashlib.sha256).digest())
    return f"{header}.{claims}.{signature}"


def verify_jwt(token: str) -> str | None:
    try:
        header, claims, signature = token.split(".")
        expected = b64url(hmac.new(KEY, f"{header}.{claims}".encode(), hashlib.sha256).digest())
        if not hmac.compare_digest(expected, signature):
            return None
        payload = json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))
        return payload["sub"] if payload["exp"] > time.time() else None
    except (ValueError, KeyError):
        return None


class Sessions:
    """Session ID → user, in Redis (shared by processes) or in memory."""

    def __init__(self, redis_url: str | None) -> None:
        self.memory: dict[str, str] = {}
        self.redis = None
        if redis_url:
            import redis.asyncio as redis_asyncio
            self.redis = redis_asyncio.from_url(redis_url, decode_responses=True)

    async def create(self, user: str) -> str:
        sid = secrets.token_urlsafe(24)
        if self.redis is not None:
            await self.redis.set(f"sess:{sid}", user, ex=3600)
        else:
            self.memory[sid] = user
        return sid

    async def user(self, sid: str | None) -> str | None:
        if not sid:
            return None
        if self.redis is not None:
            return await self.redis.get(f"sess:{sid}")
        return self.memory.get(sid)


class API:
    def __init__(self, args: argparse.Namespace) -> None:
        self.ttl = args.access_ttl
        self.refresh_delay = args.refresh_delay
        self.gate = asyncio.Event() if args.refresh_gate else None
        self.sessions = Sessions(args.redis)
        # refresh token → (user, family, used)
        self.refresh_tokens: dict[str, list] = {}
        self.revoked_families: set[str] = set()
        self.stats = {"login_calls": 0, "refresh_calls": 0, "refresh500_calls": 0, "logout_calls": 0,
                      "reuse_detected": 0, "latest_refresh_token": None, "latest_access_token": None}

    def issue(self, user: str, family: str | None = None) -> dict:
        refresh = "rt-" + secrets.token_urlsafe(24)
        self.refresh_tokens[refresh] = [user, family or secrets.token_hex(8), False]
        access = make_jwt(user, self.ttl)
        self.stats["latest_refresh_token"] = refresh
        self.stats["latest_access_token"] = access
        return {"access_token": access, "token_type": "Bearer", "expires_in": self.ttl, "refresh_token": refresh}

    @staticmethod
    async def fields(request: web.Request) -> dict:
        text = await request.text()
        if request.content_type == "application/json":
            try:
                body = json.loads(text or "{}")
            except json.JSONDecodeError:
                return {}
            return body if isinstance(body, dict) else {}
        return {k: v[0] for k, v in parse_qs(text).items()}

    def rotate(self, presented: str) -> tuple[dict | None, str]:
        entry = self.refresh_tokens.get(presented)
        if entry is None:
            return None, "unknown refresh token"
        user, family, used = entry
        if family in self.revoked_families:
            return None, "refresh token revoked"
        if used:
            self.stats["reuse_detected"] += 1
            self.revoked_families.add(family)
            return None, "refresh token reused; all tokens of this login are revoked"
        entry[2] = True
        return self.issue(user, family), ""

    async def login(self, request: web.Request) -> web.Response:
        self.stats["login_calls"] += 1
        body = await self.fields(request)
        user, password = body.get("username"), body.get("password")
        if USERS.get(user) != password:
            return web.json_response({"error": "invalid_credentials", "message": "wrong user or password"}, status=401)
        shape = request.query.get("shape", "")
        if shape == "html":
            return web.Response(text="<html><body>Welcome</body></html>", content_type="text/html")
        tokens = self.issue(user)
        if shape == "nested":
            answer = {"ok": True, "data": {"accessToken": tokens["access_token"],
                                           "refreshToken": tokens["refresh_token"], "expiresIn": self.ttl}}
        elif shape == "session":
            answer = {"ok": True, "user": user}
        else:
            answer = tokens
        response = web.json_response(answer)
        response.set_cookie("sid", await self.sessions.create(user), httponly=True, path="/", samesite="Lax")
        return response

    async def oauth_token(self, request: web.Request) -> web.Response:
        body = await self.fields(request)
        client, secret = body.get("client_id"), None
        authorization = request.headers.get("Authorization", "")
        if authorization.startswith("Basic "):
            client, _, secret = base64.b64decode(authorization[6:]).decode().partition(":")
        if client not in CLIENTS or CLIENTS[client] != secret:
            return web.json_response({"error": "invalid_client"}, status=401)
        grant = body.get("grant_type")
        if grant == "password":
            self.stats["login_calls"] += 1
            if USERS.get(body.get("username")) != body.get("password"):
                return web.json_response({"error": "invalid_grant", "error_description": "bad credentials"}, status=400)
            return web.json_response(self.issue(body["username"]))
        if grant == "client_credentials":
            self.stats["login_calls"] += 1
            tokens = self.issue(client)
            del tokens["refresh_token"]  # RFC 6749 §4.4.3: no refresh token here
            return web.json_response(tokens)
        if grant == "refresh_token":
            return await self.refresh_answer(body.get("refresh_token", ""))
        return web.json_response({"error": "unsupported_grant_type"}, status=400)

    async def refresh_answer(self, presented: str) -> web.Response:
        self.stats["refresh_calls"] += 1
        if self.refresh_delay:
            await asyncio.sleep(self.refresh_delay)
        if self.gate is not None:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.gate.wait(), 120)
        tokens, why = self.rotate(presented)
        if tokens is None:
            return web.json_response({"error": "invalid_grant", "error_description": why}, status=400)
        return web.json_response(tokens)

    async def refresh(self, request: web.Request) -> web.Response:
        body = await self.fields(request)
        return await self.refresh_answer(body.get("refresh_token", ""))

    async def refresh500(self, request: web.Request) -> web.Response:
        self.stats["refresh500_calls"] += 1
        return web.json_response({"error": "server_error"}, status=500)

    async def logout(self, request: web.Request) -> web.Response:
        self.stats["logout_calls"] += 1
        body = await self.fields(request)
        token = body.get("refresh_token") or body.get("token")
        entry = self.refresh_tokens.get(token or "")
        if entry is not None:
            self.revoked_families.add(entry[1])
        return web.json_response({"ok": True})

    async def ws(self, request: web.Request) -> web.StreamResponse:
        via, user = None, None
        # A bearer token, when sent, decides alone: an expired one is refused
        # even if a session would have been recognised.
        if request.headers.get("Authorization", "").startswith("Bearer "):
            via, user = "bearer", verify_jwt(request.headers["Authorization"][7:])
        elif request.headers.get("X-Session-Token"):
            via, user = "header", await self.sessions.user(request.headers["X-Session-Token"])
        elif request.cookies.get("sid"):
            via, user = "cookie", await self.sessions.user(request.cookies["sid"])
        if user is None:
            return web.json_response({"error": "no session"}, status=401)
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        await socket.send_str(json.dumps({"user": user, "via": via}))
        async for message in socket:
            await socket.send_str(message.data)
        return socket

    async def stats_view(self, request: web.Request) -> web.Response:
        return web.json_response(self.stats)

    async def release(self, request: web.Request) -> web.Response:
        if self.gate is not None:
            self.gate.set()
        return web.json_response({"ok": True})


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--redis")
    parser.add_argument("--access-ttl", type=float, default=600)
    parser.add_argument("--refresh-delay", type=float, default=0)
    parser.add_argument("--refresh-gate", action="store_true")
    args = parser.parse_args()
    api = API(args)
    app = web.Application()
    app.add_routes([
        web.post("/auth/login", api.login), web.post("/oauth/token", api.oauth_token),
        web.post("/auth/refresh", api.refresh), web.post("/auth/refresh500", api.refresh500),
        web.post("/auth/logout", api.logout), web.get("/ws", api.ws), web.get("/_stats", api.stats_view),
        web.post("/_release", api.release),
    ])
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", args.port)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    print(f"PORT {port}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
