"""Token endpoints that are hostile or strict, on aiohttp, for issue 10's trust tests.

- ``POST /login/crlf``: 200 with a JSON token answer whose ``access_token`` holds
  CR LF and a header line of its own (a response-splitting attempt on our next
  request).
- ``POST /login/huge``: 200 with a JSON answer of 2 MiB, streamed in 64 KiB chunks.
- ``POST /login/hang``: reads the request and never answers (until the peer
  stops, at most 60 s).
- ``POST /revoke``: an RFC 7009 §2.1 revocation endpoint that parses as strictly
  as the RFC allows: POST, ``application/x-www-form-urlencoded``, each parameter
  at most once (RFC 6749 §3.2), ``token`` required, ``token_type_hint`` one of
  the registered values (§2.1, §4.1.2), and client authentication (§2.1: the
  client is authenticated "as described in Section 2.3 of [RFC6749]"): the
  confidential client ``confidential`` only with HTTP Basic whose id and secret
  are form-encoded first (RFC 6749 §2.3.1), the public client ``public`` by
  ``client_id`` in the body. Errors are RFC 6749 §5.2 JSON, ``invalid_client``
  with 401 and ``WWW-Authenticate: Basic``. Success is 200 with an empty body,
  also for an unknown token (RFC 7009 §2.2). Every request is recorded, raw.
- ``POST /oauthlib/revoke``: the same clients behind oauthlib's RFC 7009
  ``RevocationEndpoint`` (someone else's reading of the RFC: method, form
  parsing, required ``token``, the client-authentication decision); only the
  checks oauthlib leaves to its ``RequestValidator`` (the Basic header, the
  client table) are ours. What it revoked is recorded.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import dataclasses
import json
from typing import Any
from urllib.parse import parse_qs, unquote_plus

from aiohttp import web
from oauthlib.oauth2 import RequestValidator, RevocationEndpoint

if __package__ in (None, ""):
    from loop_thread import LoopThread, Recorder  # type: ignore[no-redef]
else:
    from .loop_thread import LoopThread, Recorder

CONFIDENTIAL_SECRET = "s3cr%t:with&odd=chars"
CLIENTS = {"confidential": CONFIDENTIAL_SECRET, "public": None}
HUGE = 2 * 2**20


@dataclasses.dataclass
class Revocation:
    content_type: str
    body: bytes
    authorization: str | None
    status: int = 0
    # Filled in when the request was valid.
    token: str | None = None
    hint: str | None = None
    client: str | None = None
    client_auth: str | None = None  # "basic" or "client_id"
    error: str | None = None


def _error(status: int, code: str, description: str) -> web.Response:
    headers = {"WWW-Authenticate": 'Basic realm="revoke"'} if code == "invalid_client" else {}
    return web.json_response({"error": code, "error_description": description}, status=status, headers=headers)


def _basic_client(header: str) -> tuple[str, str] | None:
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, sep, secret = decoded.partition(":")
    if not sep:
        return None
    return unquote_plus(client_id), unquote_plus(secret)


def judge(record: Revocation) -> web.Response:
    """RFC 7009 §2.1 and §2.2.1, strictly."""
    if record.content_type != "application/x-www-form-urlencoded":
        return _error(400, "invalid_request", "the body must be application/x-www-form-urlencoded")
    try:
        fields = parse_qs(record.body.decode(), keep_blank_values=True, strict_parsing=True)
    except (ValueError, UnicodeDecodeError):
        return _error(400, "invalid_request", "the body is not a form")
    if any(len(values) != 1 for values in fields.values()):
        return _error(400, "invalid_request", "a parameter is repeated")
    form = {key: values[0] for key, values in fields.items()}
    basic = _basic_client(record.authorization) if record.authorization else None
    if basic is not None:
        client_id, secret = basic
        if CLIENTS.get(client_id) is None or CLIENTS[client_id] != secret or form.get("client_id", client_id) != client_id:
            return _error(401, "invalid_client", "client authentication failed")
        record.client, record.client_auth = client_id, "basic"
    else:
        client_id = form.get("client_id")
        if client_id not in CLIENTS or CLIENTS[client_id] is not None:
            return _error(401, "invalid_client", "unknown client, or a confidential client without authentication")
        record.client, record.client_auth = client_id, "client_id"
    if not form.get("token"):
        return _error(400, "invalid_request", "token is required")
    hint = form.get("token_type_hint")
    if hint is not None and hint not in ("access_token", "refresh_token"):
        return _error(400, "unsupported_token_type", f"unknown token_type_hint {hint!r}")
    record.token, record.hint = form["token"], hint
    return web.Response(status=200)


class Validator(RequestValidator):
    """The parts of RFC 7009 §2.1 that oauthlib hands to the server: who the clients are."""

    def __init__(self, revoked: Recorder) -> None:
        self.revoked = revoked

    def client_authentication_required(self, request: Any, *args: Any, **kwargs: Any) -> bool:
        # RFC 6749 §3.2.1: a confidential client, or one that sent credentials, must authenticate.
        return "Authorization" in request.headers and request.headers["Authorization"].lower().startswith("basic ") \
            or CLIENTS.get(request.client_id or "") is not None

    def authenticate_client(self, request: Any, *args: Any, **kwargs: Any) -> bool:
        basic = _basic_client(request.headers.get("Authorization", ""))
        if basic is None or CLIENTS.get(basic[0]) is None or CLIENTS[basic[0]] != basic[1]:
            return False
        request.client_id, request.client = basic[0], basic[0]
        return True

    def authenticate_client_id(self, client_id: str, request: Any, *args: Any, **kwargs: Any) -> bool:
        if client_id not in CLIENTS or CLIENTS[client_id] is not None:
            return False
        request.client = client_id
        return True

    def revoke_token(self, token: str, token_type_hint: str | None, request: Any, *args: Any, **kwargs: Any) -> None:
        self.revoked.add((token, token_type_hint, request.client_id))


class TokenEndpoints:
    def __init__(self) -> None:
        self.revocations = Recorder()
        self.oauthlib_revoked = Recorder()
        self._oauthlib = RevocationEndpoint(Validator(self.oauthlib_revoked))
        self.port = 0
        self._thread = LoopThread("token-endpoints")
        self._runner: web.AppRunner | None = None
        self._hanging: list[asyncio.Future[None]] = []

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 15.0) -> "TokenEndpoints":
        self._thread.start(timeout)

        async def up() -> int:
            app = web.Application()
            app.add_routes([
                web.post("/login/crlf", self._crlf), web.post("/login/huge", self._huge),
                web.post("/login/hang", self._hang), web.post("/revoke", self._revoke),
                web.post("/oauthlib/revoke", self._oauthlib_revoke),
            ])
            self._runner = web.AppRunner(app, shutdown_timeout=2)
            await self._runner.setup()
            site = web.TCPSite(self._runner, "127.0.0.1", 0)
            await site.start()
            return site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

        self.port = self._thread.call(up, timeout)
        return self

    def stop(self, timeout: float = 15.0) -> None:
        runner = self._runner
        if runner is None:
            return

        async def down() -> None:
            for waiter in self._hanging:
                if not waiter.done():
                    waiter.set_result(None)
            await runner.cleanup()

        try:
            self._thread.call(down, timeout)
        finally:
            self._runner = None
            self._thread.stop(timeout)

    def __enter__(self) -> "TokenEndpoints":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def _crlf(self, request: web.Request) -> web.Response:
        await request.read()
        return web.json_response({"access_token": "tok-crlf\r\nX-Injected: yes", "token_type": "Bearer"})

    async def _huge(self, request: web.Request) -> web.StreamResponse:
        await request.read()
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        await response.prepare(request)
        await response.write(b'{"access_token":"tok-huge","padding":"')
        chunk = b"x" * 65536
        sent = 0
        try:
            while sent < HUGE:
                await response.write(chunk)
                sent += len(chunk)
            await response.write(b'"}')
        except (ConnectionResetError, RuntimeError):
            pass  # the client hung up, as it should
        return response

    async def _hang(self, request: web.Request) -> web.Response:
        await request.read()
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._hanging.append(waiter)
        try:
            await asyncio.wait_for(waiter, 60)
        except asyncio.TimeoutError:
            pass
        return web.json_response({"error": "too late"}, status=503)

    async def _revoke(self, request: web.Request) -> web.Response:
        record = Revocation(content_type=request.content_type, body=await request.read(),
                            authorization=request.headers.get("Authorization"))
        response = judge(record) if request.method == "POST" else _error(405, "invalid_request", "POST only")
        record.status = response.status
        self.revocations.add(record)
        return response

    async def _oauthlib_revoke(self, request: web.Request) -> web.Response:
        body = (await request.read()).decode()
        headers, text, status = self._oauthlib.create_revocation_response(
            str(request.url), http_method=request.method, body=body, headers=dict(request.headers))
        return web.Response(status=status, text=text, headers=headers)

    def last_revocation(self, timeout: float = 10.0) -> Revocation:
        return self.revocations.wait_for(lambda items: items[-1] if items else None, timeout, "a revocation request")


def json_body(record: Revocation) -> Any:
    return json.loads(record.body)
