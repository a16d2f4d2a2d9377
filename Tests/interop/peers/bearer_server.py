"""A bearer-token WebSocket echo server built on Python ``websockets``.

The point is a third-party RFC 6455 implementation on the other end of the
wire. It accepts one valid token in every placement that wsauth can send:

- ``Authorization: Bearer T``
- query ``?token=T``
- ``Sec-WebSocket-Protocol: base64url.bearer.authorization.k8s.io.<T64>``
  (Kubernetes form; the token protocol is never selected — a real one such as
  ``echo.v1`` is, when the client also offers it)
- cookie ``token=T``
- on ``/msg-auth`` only: a first text message ``{"type":"auth","token":"T"}``

A missing or bad credential at the handshake is answered 401 with
``WWW-Authenticate: Bearer error="invalid_token"`` and a JSON body; a bad
auth message is answered with close 4001.

After the handshake it echoes text and binary messages; the text message
``close:CODE[:REASON]`` makes it close with that code, and ``whoami`` answers
``{"placement": "<where the token was>"}``; ``ping:DATA`` makes it send a ping
with DATA and, once our pong came back, the text ``pong:DATA``.

Everything it sees is recorded in ``BearerServer.records`` (one
``ConnRecord`` per handshake) for server-side assertions.

Run standalone for manual checks::

    python Tests/interop/peers/bearer_server.py --token T [--tls-dir DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import binascii
import dataclasses
import json
import logging
import ssl
import sys
import urllib.parse
from typing import Any

from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

if __package__ in (None, ""):
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent))
    from loop_thread import LoopServer, LoopThread, Recorder  # type: ignore[no-redef]
else:
    from .loop_thread import LoopServer, LoopThread, Recorder

PROTOCOL_PREFIX = "base64url.bearer.authorization.k8s.io."
SUPPORTED_SUBPROTOCOLS = ("echo.v1",)
MESSAGE_AUTH_PATH = "/msg-auth"
AUTH_MESSAGE_WAIT_S = 30.0
MAX_MESSAGE = 16 * 2**20

_log = logging.getLogger("bearer_server")


@dataclasses.dataclass
class ConnRecord:
    """What the server saw on one connection attempt."""

    path: str
    query: dict[str, list[str]]
    headers: list[tuple[str, str]]
    offered_subprotocols: list[str]
    # Placements whose credential was present and valid / present and wrong.
    valid_placements: list[str]
    invalid_placements: list[str]
    status: int = 0  # 101 or 401
    placement: str | None = None  # the one that authenticated
    subprotocol: str | None = None  # what the server selected
    messages: list[tuple[str, bytes]] = dataclasses.field(default_factory=list)
    auth_message: str | None = None
    # Close frame received from the client (None: none received).
    close_code: int | None = None
    close_reason: str | None = None
    client_initiated_close: bool = False
    # Close the server initiated, if any.
    server_close_code: int | None = None
    done: bool = False  # the connection is over and every field is final

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    @property
    def texts(self) -> list[str]:
        return [data.decode() for kind, data in self.messages if kind == "text"]


def token64(token: str) -> str:
    return base64.urlsafe_b64encode(token.encode()).decode().rstrip("=")


def _b64url_decode(text: str) -> str | None:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def _cookies(header_values: list[str]) -> dict[str, str]:
    jar: dict[str, str] = {}
    for value in header_values:
        for part in value.split(";"):
            name, sep, val = part.strip().partition("=")
            if sep:
                jar.setdefault(name.strip(), val.strip())
    return jar


def credentials(request: Request) -> dict[str, str]:
    """Every credential the request carries, by placement (raw values)."""
    found: dict[str, str] = {}
    auth = request.headers.get("Authorization")
    if auth is not None:
        scheme, _, value = auth.strip().partition(" ")
        found["header"] = value.strip() if scheme.lower() == "bearer" else auth
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(request.path).query)
    if "token" in query:
        found["query"] = query["token"][0]
    for offered in _offered(request):
        if offered.startswith(PROTOCOL_PREFIX):
            decoded = _b64url_decode(offered[len(PROTOCOL_PREFIX):])
            found["protocol"] = decoded if decoded is not None else offered
            break
    jar = _cookies(request.headers.get_all("Cookie"))
    if "token" in jar:
        found["cookie"] = jar["token"]
    return found


def _offered(request: Request) -> list[str]:
    return [
        p.strip()
        for value in request.headers.get_all("Sec-WebSocket-Protocol")
        for p in value.split(",")
        if p.strip()
    ]


class BearerServer(LoopServer):
    def __init__(self, token: str, ssl_context: ssl.SSLContext | None = None) -> None:
        self.token = token
        self.ssl_context = ssl_context
        self.records = Recorder()
        self.port = 0
        self._thread = LoopThread("bearer-server")
        self._server: Any = None

    # -- lifecycle -----------------------------------------------------------

    def start(self, timeout: float = 15.0) -> "BearerServer":
        self._thread.start(timeout)

        async def up() -> int:
            self._server = await serve(
                self._handler,
                "127.0.0.1",
                0,
                process_request=self._process_request,
                select_subprotocol=self._select_subprotocol,
                ssl=self.ssl_context,
                max_size=MAX_MESSAGE,
                ping_interval=None,  # no unsolicited pings in the transcripts
                close_timeout=5,
                open_timeout=30,
                logger=_log,
            )
            return self._server.sockets[0].getsockname()[1]

        self.port = self._thread.call(up, timeout)
        return self


    # -- what tests use ------------------------------------------------------

    @property
    def scheme(self) -> str:
        return "wss" if self.ssl_context else "ws"

    def url(self, path: str = "/ws", host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def wait_done(self, timeout: float = 30.0, count: int = 1) -> ConnRecord:
        """Wait until `count` connections are over; return the last of them."""
        return self.records.wait_for(
            lambda recs: (done := [r for r in recs if r.done]) and len(done) >= count and done[-1],
            timeout,
            f"{count} finished connection(s)",
        )

    def wait_ws_done(self, timeout: float = 30.0) -> ConnRecord:
        """The first upgraded (101) connection, once it is over."""
        return self.records.wait_for(
            lambda recs: next((r for r in recs if r.done and r.status == 101), None),
            timeout,
            "a finished WebSocket connection",
        )

    # -- websockets callbacks ------------------------------------------------

    def _process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        path = urllib.parse.urlsplit(request.path).path
        found = credentials(request)
        rec = ConnRecord(
            path=path,
            query=urllib.parse.parse_qs(urllib.parse.urlsplit(request.path).query),
            headers=list(request.headers.raw_items()),
            offered_subprotocols=_offered(request),
            valid_placements=[p for p, v in found.items() if v == self.token],
            invalid_placements=[p for p, v in found.items() if v != self.token],
        )
        connection.record = rec  # type: ignore[attr-defined]
        if rec.valid_placements:
            rec.placement = rec.valid_placements[0]
        if path == MESSAGE_AUTH_PATH or rec.valid_placements:
            rec.status = 101
            self.records.add(rec)
            return None
        rec.status = 401
        rec.done = True
        body = json.dumps({"error": "invalid_token"})
        response = connection.respond(401, body)
        del response.headers["Content-Type"]
        response.headers["Content-Type"] = "application/json"
        response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        self.records.add(rec)
        return response

    def _select_subprotocol(self, connection: ServerConnection, offered: Any) -> str | None:
        for name in offered:
            if name in SUPPORTED_SUBPROTOCOLS:
                return name
        return None  # never the token protocol

    async def _handler(self, ws: ServerConnection) -> None:
        rec: ConnRecord = ws.record  # type: ignore[attr-defined]
        rec.subprotocol = ws.subprotocol
        try:
            if rec.path == MESSAGE_AUTH_PATH and not await self._message_auth(ws, rec):
                return
            async for message in ws:
                if isinstance(message, str):
                    rec.messages.append(("text", message.encode()))
                    self.records.changed()
                    await self._on_text(ws, rec, message)
                else:
                    rec.messages.append(("binary", bytes(message)))
                    self.records.changed()
                    await ws.send(message)
        except ConnectionClosed:
            pass
        finally:
            # Let the closing handshake finish so that close_rcvd is final.
            try:
                await asyncio.wait_for(ws.wait_closed(), 10)
            except asyncio.TimeoutError:
                pass
            close = ws.protocol.close_rcvd
            if close is not None:
                rec.close_code = close.code
                rec.close_reason = close.reason
                rec.client_initiated_close = bool(ws.protocol.close_rcvd_then_sent)
            rec.done = True
            self.records.changed()

    async def _message_auth(self, ws: ServerConnection, rec: ConnRecord) -> bool:
        try:
            first = await asyncio.wait_for(ws.recv(), AUTH_MESSAGE_WAIT_S)
        except asyncio.TimeoutError:
            rec.server_close_code = 4001
            await ws.close(4001, "auth message timeout")
            return False
        rec.auth_message = first if isinstance(first, str) else repr(first)
        try:
            parsed = json.loads(first) if isinstance(first, str) else None
        except json.JSONDecodeError:
            parsed = None
        if (
            isinstance(parsed, dict)
            and parsed.get("type") == "auth"
            and parsed.get("token") == self.token
        ):
            rec.placement = "message"
            self.records.changed()
            return True
        rec.server_close_code = 4001
        await ws.close(4001, "invalid_token")
        return False

    async def _on_text(self, ws: ServerConnection, rec: ConnRecord, text: str) -> None:
        if text == "whoami":
            await ws.send(json.dumps({"placement": rec.placement}))
        elif text.startswith("ping:"):
            # A server ping; websockets resolves the waiter only on the matching pong.
            data = text[len("ping:"):]
            waiter = await ws.ping(data.encode())
            await asyncio.wait_for(waiter, 10)
            await ws.send(f"pong:{data}")
        elif text.startswith("close:"):
            code_text, _, reason = text[len("close:"):].partition(":")
            rec.server_close_code = int(code_text)
            await ws.close(int(code_text), reason)
        else:
            await ws.send(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--token", required=True)
    parser.add_argument("--tls-dir", help="write a trustme CA (ca.pem) here and serve wss://")
    args = parser.parse_args()
    context = None
    if args.tls_dir:
        import trustme

        ca = trustme.CA()
        ca.cert_pem.write_to_path(f"{args.tls_dir}/ca.pem")
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    server = BearerServer(args.token, context).start()
    print(server.url(), flush=True)
    try:
        __import__("threading").Event().wait()
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
