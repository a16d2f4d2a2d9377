"""A hostile peer for the leak test: it hands back every credential it is given,
in every encoding a secret travels in, and answers with terminal escape sequences
wherever a server's text can reach a screen (docs/reference/behaviour.md "Conventions").

Two servers on one event loop, both on 127.0.0.1 and a free port:

- HTTP (raw asyncio, since HTTP libraries refuse control characters in headers): ``POST /login`` answers the tokens it was built with and a
  session cookie (``?stale=1``: an expired access token); ``POST /login-fail`` a 401; ``POST /refresh`` new tokens;
  ``POST /refresh-fail`` a 400; ``POST /revoke`` a 400. Each answer echoes the
  credentials of its request (password, client secret, refresh token) and the
  tokens it issues in headers, in ``Set-Cookie`` and in an OAuth 2.0
  ``error_description`` (RFC 6749 §5.2), with a hostile reason phrase.
- WebSocket (Python ``websockets``): picks the first subprotocol offered (as
  Node's ``ws`` does, which is how the k8s token protocol comes back), echoes
  the credentials of the upgrade in response headers, a ``Set-Cookie`` and a
  hostile reason phrase; then sends a message holding them (``?binary=1``: and a
  binary message of their bytes and forms), a ping, echoes what
  it receives, and closes with a reason holding one. ``/ws?reject=1`` answers
  401 with the credentials in ``WWW-Authenticate`` and the body.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import html
import json
import struct
import urllib.parse
from typing import Any, Iterable

from websockets.asyncio.server import ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from .loop_thread import LoopServer, LoopThread

PROTOCOL_PREFIX = "base64url.bearer.authorization.k8s.io."

# What a hostile server writes to move, recolour, clear and retitle a terminal,
# and to hide a link behind innocent text (OSC 8).
ESCAPES = (
    "\x1b[31mRED\x1b[0m \x1b[2J\x1b[H \x1b]0;pwned\x07 "
    "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\ \x07\x08\x7f\x9b31m"
)


def encodings(secret: str) -> list[str]:
    """Every form the peer echoes a secret in (the leak check knows the same list)."""
    raw = secret.encode()
    b64 = base64.b64encode(raw).decode()
    b64url = base64.urlsafe_b64encode(raw).decode()
    return [
        secret,
        b64, b64.rstrip("="), b64url, b64url.rstrip("="),
        urllib.parse.quote(secret, safe=""),
        lower_percent(secret),
        secret.replace("/", "\\/"),
        json_unicode(secret),
    ]


def mixed_encodings(secret: str) -> list[str]:
    """The forms a list of encodings misses (issue 21): Python's ``quote()`` keeping
    ``/``, HTML entities, a character-by-character mix of every family, and the secret
    inside longer base64/base64url text at each of the three byte offsets."""
    raw = secret.encode()
    forms = [
        urllib.parse.quote(secret),
        urllib.parse.quote_plus(secret),
        html.escape(secret, quote=True).replace("&#x27;", "&apos;"),
        "".join(f"&#{ord(c)};" for c in secret),
        "".join(f"&#x{ord(c):X};" for c in secret),
        "".join(MIXERS[n % len(MIXERS)](c) for n, c in enumerate(secret)),
        "".join(MIXERS[(n * 7 + 3) % len(MIXERS)](c) for n, c in enumerate(secret)),
    ]
    for before in (b"user:", b"us:", b"u:"):
        inside = before + raw + b'"}'
        forms += [base64.b64encode(inside).decode(), base64.urlsafe_b64encode(inside).decode().rstrip("=")]
    return forms


def _json_u(c: str) -> str:
    return "".join(f"\\u{unit:04X}" for unit in struct.unpack(f">{len(c.encode('utf-16-be')) // 2}H", c.encode("utf-16-be")))


MIXERS = (
    lambda c: c,
    lambda c: "".join(f"%{b:02X}" for b in c.encode()),
    lambda c: "".join(f"%{b:02x}" for b in c.encode()),
    lambda c: "+" if c == " " else c,
    lambda c: "\\/" if c == "/" else c,
    _json_u,
    lambda c: html.escape(c, quote=True),
    lambda c: f"&#{ord(c)};",
    lambda c: f"&#x{ord(c):x};",
)


def lower_percent(secret: str) -> str:
    return "".join(c if c.isalnum() or c in "-._~" else "".join(f"%{b:02x}" for b in c.encode()) for c in secret)


def json_unicode(secret: str) -> str:
    """Every character that is not a letter or digit as a JSON ``\\u00xx`` escape."""
    return "".join(c if c.isalnum() else f"\\u{ord(c):04x}" for c in secret)


def all_encodings(secrets: Iterable[str]) -> list[str]:
    return [form for secret in secrets for form in encodings(secret) + mixed_encodings(secret)]


def hostile_binary(secrets: Iterable[str]) -> bytes:
    """A binary message: the secrets' bytes between non-text bytes, and their forms."""
    secrets = list(secrets)
    return b"\x00\xff\x1b".join([secret.encode() for secret in secrets] + [hostile_text(secrets).encode()])


def hostile_text(secrets: Iterable[str]) -> str:
    return " | ".join(all_encodings(secrets)) + " " + ESCAPES


def add_unchecked(headers: Headers, name: str, value: str) -> None:
    """A header `websockets` would refuse (it checks values on assignment, not
    when it writes them): the point of this peer is to send what it must not."""
    headers._dict.setdefault(name.lower(), []).append(value)  # noqa: SLF001
    headers._list.append((name, value))  # noqa: SLF001


class HostileServer(LoopServer):
    def __init__(self, access: str, refresh: str, cookie: str, rotated: str, access2: str, expired: str) -> None:
        self.access, self.refresh, self.cookie = access, refresh, cookie
        self.rotated, self.access2, self.expired = rotated, access2, expired
        self._thread = LoopThread("hostile-server")
        self._server: Any = None
        self._http_server: asyncio.Server | None = None
        self.ws_port = 0
        self.http_port = 0

    # -- lifecycle ---------------------------------------------------------------

    def start(self, timeout: float = 15.0) -> "HostileServer":
        self._thread.start(timeout)

        async def up() -> tuple[int, int]:
            self._server = await serve(
                self._handle, "127.0.0.1", 0, process_request=self._upgrade,
                process_response=self._answer, select_subprotocol=lambda _, offered: offered[0] if offered else None,
                ping_interval=None)
            self._http_server = await asyncio.start_server(self._http, "127.0.0.1", 0)
            http_port = self._http_server.sockets[0].getsockname()[1]
            return self._server.sockets[0].getsockname()[1], http_port

        self.ws_port, self.http_port = self._thread.call(up, timeout)
        return self

    async def _closing(self) -> None:
        if self._http_server is not None:
            self._http_server.close()
            await self._http_server.wait_closed()

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.ws_port}/ws"

    def http(self, path: str) -> str:
        return f"http://127.0.0.1:{self.http_port}{path}"

    # -- HTTP endpoints (raw asyncio: HTTP libraries refuse to send control characters) --

    async def _http(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
            lines = head.decode("latin-1").split("\r\n")
            target = lines[0].split(" ")[1]
            headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
            body = await asyncio.wait_for(reader.readexactly(int(headers.get("content-length", "0"))), 10)
            status, answer, extra = self._route(target, headers, body.decode("utf-8", "replace"))
            payload = json.dumps(answer).encode()
            out = [f"HTTP/1.1 {status} Hostile {ESCAPES}", "Content-Type: application/json",
                   f"Content-Length: {len(payload)}", "Connection: close"]
            out += [f"{name}: {value}" for name, value in extra]
            writer.write("\r\n".join(out).encode() + b"\r\n\r\n" + payload)
            await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.TimeoutError, asyncio.LimitOverrunError, ConnectionError):
            pass
        finally:
            writer.close()

    def _route(self, target: str, headers: dict[str, str], body: str) -> tuple[int, dict, list[tuple[str, str]]]:
        path, _, query = target.partition("?")
        echoed = self._presented(headers, body)
        if path == "/login":
            access = self.expired if "stale=1" in query else self.access
            return 200, self._tokens(access, self.refresh), self._headers(echoed, [access, self.refresh])
        if path == "/refresh":
            return 200, self._tokens(self.access2, self.rotated), self._headers(echoed, [self.access2, self.rotated])
        status = {"/login-fail": 401, "/refresh-fail": 400, "/revoke": 400}.get(path, 404)
        body_out = {"error": "invalid_grant", "error_description": hostile_text(echoed)}
        return status, body_out, self._headers(echoed, [])

    @staticmethod
    def _presented(headers: dict[str, str], body: str) -> list[str]:
        """The credentials a login, refresh or revocation request carries."""
        found: list[str] = []
        try:
            fields = json.loads(body)
        except ValueError:
            fields = {k: v[0] for k, v in urllib.parse.parse_qs(body).items()}
        if isinstance(fields, dict):
            found += [str(fields[k]) for k in ("password", "refresh_token", "token", "client_secret") if k in fields]
        auth = headers.get("authorization", "")
        if auth.startswith("Basic "):
            try:
                pair = base64.b64decode(auth[6:]).decode()
                found += [urllib.parse.unquote_plus(part) for part in pair.split(":", 1)]
            except (binascii.Error, UnicodeDecodeError):
                pass
        elif auth.startswith("Bearer "):
            found.append(auth[7:])
        found += [pair.split("=", 1)[1] for pair in headers.get("cookie", "").split("; ") if "=" in pair]
        found += [v for k, v in headers.items() if k.startswith("x-api-")]
        return [f for f in found if f]

    def _headers(self, echoed: list[str], issued: list[str]) -> list[tuple[str, str]]:
        out = [(f"X-Echo-{n}", form) for n, form in enumerate(all_encodings([*echoed, *issued]))]
        out.append(("X-Evil", ESCAPES))
        out.append(("Set-Cookie", f"sid={self.cookie}; Path=/; HttpOnly"))
        return out

    def _tokens(self, access: str, refresh: str) -> dict:
        return {"access_token": access, "refresh_token": refresh, "token_type": "Bearer", "expires_in": 300,
                "note": ESCAPES}

    # -- WebSocket ---------------------------------------------------------------

    @staticmethod
    def _credentials(request: Request) -> list[str]:
        """Every credential the upgrade carries, decoded from where wsauth put it."""
        found: list[str] = []
        auth = request.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            found.append(auth[7:])
        for offered in request.headers.get_all("Sec-WebSocket-Protocol"):
            for name in (p.strip() for p in offered.split(",")):
                if name.startswith(PROTOCOL_PREFIX):
                    data = name[len(PROTOCOL_PREFIX):]
                    found.append(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)).decode("utf-8", "replace"))
        for cookies in request.headers.get_all("Cookie"):
            found += [pair.split("=", 1)[1] for pair in cookies.split("; ") if "=" in pair]
        found += [v for k, v in request.headers.raw_items() if k.lower().startswith("x-api-")]
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(request.path).query)
        found += query.get("token", [])
        return [f for f in found if f]

    def _upgrade(self, connection: ServerConnection, request: Request) -> Response | None:
        secrets = self._credentials(request)
        connection.secrets = secrets  # type: ignore[attr-defined]
        if "reject=1" not in request.path:
            return None
        body = hostile_text(secrets).encode()
        headers = Headers([("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
        challenge = f'Bearer error="invalid_token", error_description="{secrets[0] if secrets else ""} {ESCAPES}"'
        add_unchecked(headers, "WWW-Authenticate", challenge)
        self._echo_headers(headers, secrets)
        return Response(401, f"Unauthorized {ESCAPES}", headers, body)

    def _answer(self, connection: ServerConnection, request: Request, response: Response) -> Response:
        secrets: list[str] = getattr(connection, "secrets", [])
        self._echo_headers(response.headers, secrets)
        response.reason_phrase = f"Switching Protocols {ESCAPES}"
        return response

    @staticmethod
    def _echo_headers(headers: Headers, secrets: list[str]) -> None:
        for n, form in enumerate(all_encodings(secrets)):
            headers[f"X-Echo-{n}"] = form
        for n, secret in enumerate(secrets):
            headers["Set-Cookie"] = f"echo{n}={secret}; Path=/"
        add_unchecked(headers, "X-Evil", ESCAPES)

    async def _handle(self, ws: ServerConnection) -> None:
        secrets: list[str] = getattr(ws, "secrets", [])
        try:
            await ws.send(hostile_text(secrets))
            await ws.send(json.dumps({"echo": all_encodings(secrets), "evil": ESCAPES}))
            if "binary=1" in ws.request.path:
                await ws.send(hostile_binary(secrets))
            if secrets and len(secrets[0].encode()) <= 100:
                await ws.ping(secrets[0].encode())
            async for message in ws:
                await ws.send(message)
                if message == "bye":
                    break
            # A close reason holds at most 123 bytes (RFC 6455 §5.5): the shortest secret.
            shortest = min(secrets, key=len) if secrets else ""
            reason = f"{shortest} \x1b[2J\x07"[:123] if len(shortest) < 100 else "\x1b[2J\x07"
            await ws.close(4000, reason)
        except ConnectionClosed:
            pass
