"""Servers with one fault each, for `wsauth doctor`'s interop tests.

- ``FaultyServer``: a Python ``websockets`` server that checks a bearer token
  (``Authorization`` header, or only ``?access_token=`` with
  ``token_in="access_token"``), a session ID in a cookie, and optionally an ``Origin``;
  it can insist on a subprotocol (websockets answers 400 without one);
  its clock can be set ahead (``clock_offset`` seconds, in its ``Date`` header
  and in how it judges a JWT's ``exp``).
- ``Nginx``: Debian's nginx in front of a backend, started on a free loopback
  port from a generated config in a temp prefix (no root needed).
- ``RoundRobin``: a TCP front that hands each connection to the next backend.
- ``SilentServer``: accepts TCP connections and never says a word.
- ``ActionCable``: Rails' Action Cable (Debian's ruby-actioncable) on puma, with
  the Origin check Rails ships (a missing or foreign Origin is answered 404).
"""

from __future__ import annotations

import asyncio
import base64
import email.utils
import hashlib
import hmac
import json
import shutil
import socket
import ssl
import subprocess
import time
import urllib.parse
from pathlib import Path
from typing import Any

from websockets.asyncio.server import ServerConnection, serve
from websockets.http11 import Request, Response

from .loop_thread import LoopServer, LoopThread

KEY = b"doctor-test-key"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def make_jwt(ttl: float, now: float | None = None, aud: str | None = None) -> str:
    """An HS256 JWT for user alice, valid `ttl` seconds from `now`."""
    issued = time.time() if now is None else now
    claims: dict[str, Any] = {"sub": "alice", "iat": int(issued), "exp": int(issued + ttl)}
    if aud:
        claims["aud"] = aud
    head = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = b64url(json.dumps(claims).encode())
    signature = hmac.new(KEY, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64url(signature)}"


def jwt_valid(token: str, now: float) -> bool:
    try:
        head, body, signature = token.split(".")
        expected = b64url(hmac.new(KEY, f"{head}.{body}".encode(), hashlib.sha256).digest())
        claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except (ValueError, json.JSONDecodeError):
        return False
    return hmac.compare_digest(signature, expected) and claims.get("exp", 0) > now


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FaultyServer(LoopServer):
    def __init__(self, *, token: str | None = None, token_in: str = "header", session: str | None = None,
                 origin: bool = False, clock_offset: float = 0, ssl_context: ssl.SSLContext | None = None,
                 subprotocols: list[str] | None = None) -> None:
        self.token, self.token_in, self.session, self.subprotocols = token, token_in, session, subprotocols
        self.need_origin, self.clock_offset, self.ssl_context = origin, clock_offset, ssl_context
        self.port = 0
        self._thread = LoopThread("faulty-server")
        self._server: Any = None

    def start(self, timeout: float = 15.0) -> "FaultyServer":
        self._thread.start(timeout)

        async def up() -> int:
            self._server = await serve(self._echo, "127.0.0.1", 0, process_request=self._check,
                                       process_response=self._date, ssl=self.ssl_context, ping_interval=None,
                                       subprotocols=self.subprotocols)
            return self._server.sockets[0].getsockname()[1]

        self.port = self._thread.call(up, timeout)
        return self

    def url(self, path: str = "/ws") -> str:
        return f"{'wss' if self.ssl_context else 'ws'}://127.0.0.1:{self.port}{path}"

    @property
    def origin(self) -> str:
        return f"{'https' if self.ssl_context else 'http'}://127.0.0.1:{self.port}"

    def _authorized(self, request: Request) -> bool:
        now = time.time() + self.clock_offset
        if self.token is not None:
            if self.token_in == "access_token":
                given = urllib.parse.parse_qs(urllib.parse.urlsplit(request.path).query).get("access_token", [""])[0]
            else:
                given = request.headers.get("Authorization", "").removeprefix("Bearer ")
            if given and (given == self.token or jwt_valid(given, now)):
                return True
        if self.session is not None:
            # The session ID in any cookie: the name is not what these tests are about.
            cookies = "; ".join(request.headers.get_all("Cookie"))
            return self.session in [c.strip().partition("=")[2] for c in cookies.split(";")]
        return False

    def _check(self, connection: ServerConnection, request: Request) -> Response | None:
        if self.need_origin and request.headers.get("Origin") != self.origin:
            return connection.respond(403, "Forbidden: Origin not allowed\n")
        if not self._authorized(request):
            response = connection.respond(401, "invalid or missing credentials\n")
            response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
            return response
        return None

    def _date(self, connection: ServerConnection, request: Request, response: Response) -> Response:
        if self.clock_offset:
            del response.headers["Date"]
            response.headers["Date"] = email.utils.formatdate(time.time() + self.clock_offset, usegmt=True)
        return response

    async def _echo(self, connection: ServerConnection) -> None:
        async for message in connection:
            await connection.send(message)


class Nginx:
    """nginx proxying / to `backend_port`, with or without the WebSocket headers;
    `locations` are more location blocks (redirects), `proxy_settings` more lines for
    the proxied one (``proxy_read_timeout 3s;``)."""

    def __init__(self, directory: Path, backend_port: int, forward_upgrade: bool,
                 locations: str = "", proxy_settings: str = "") -> None:
        binary = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
        if binary is None:
            raise FileNotFoundError("nginx is not installed (scripts/install-deps.sh installs nginx-light)")
        self.port = free_port()
        upgrade = ('proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; '
                   'proxy_set_header Connection "upgrade";') if forward_upgrade else ""
        (directory / "logs").mkdir(parents=True, exist_ok=True)
        config = directory / "nginx.conf"
        config.write_text(f"""
daemon off;
worker_processes 1;
pid {directory}/nginx.pid;
error_log {directory}/logs/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {directory}/body; proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi; uwsgi_temp_path {directory}/uwsgi; scgi_temp_path {directory}/scgi;
    server {{
        listen 127.0.0.1:{self.port};
        {locations}
        location / {{ proxy_pass http://127.0.0.1:{backend_port}; {upgrade} {proxy_settings} }}
    }}
}}
""")
        self.process = subprocess.Popen([binary, "-p", str(directory), "-c", str(config)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited: {self.process.stderr.read().decode(errors='replace')}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("nginx did not listen within 15 s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class RoundRobin(LoopServer):
    """Each new TCP connection goes to the next backend in turn, as a balancer without stickiness."""

    def __init__(self, backends: list[int]) -> None:
        self.backends = backends
        self.turn = 0
        self.port = 0
        self._thread = LoopThread("round-robin")
        self._server: Any = None

    def start(self, timeout: float = 15.0) -> "RoundRobin":
        self._thread.start(timeout)

        async def up() -> int:
            self._server = await asyncio.start_server(self._relay, "127.0.0.1", 0)
            return self._server.sockets[0].getsockname()[1]

        self.port = self._thread.call(up, timeout)
        return self

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        backend = self.backends[self.turn % len(self.backends)]
        self.turn += 1
        try:
            up_reader, up_writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", backend), 10)
        except (OSError, asyncio.TimeoutError):
            writer.close()
            return

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except (ConnectionError, asyncio.CancelledError):
                pass
            finally:
                sink.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    def stop(self, timeout: float = 15.0) -> None:
        # Not wait_closed(): relays of a socket the client left open would hold it;
        # stopping the loop cancels them.
        async def down() -> None:
            self._server.close()

        if self._server is not None:
            self._thread.call(down, timeout)
            self._server = None
        self._thread.stop(timeout)


class SilentServer(LoopServer):
    """Takes every TCP connection and answers nothing: no TLS hello, no HTTP."""

    def __init__(self) -> None:
        self.port = 0
        self._thread = LoopThread("silent-server")
        self._server: Any = None
        self._held: list[asyncio.StreamWriter] = []

    def start(self, timeout: float = 15.0) -> "SilentServer":
        self._thread.start(timeout)

        async def up() -> int:
            self._server = await asyncio.start_server(self._hold, "127.0.0.1", 0)
            return self._server.sockets[0].getsockname()[1]

        self.port = self._thread.call(up, timeout)
        return self

    async def _hold(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._held.append(writer)
        while await reader.read(65536):
            pass

    def stop(self, timeout: float = 15.0) -> None:
        async def down() -> None:
            self._server.close()
            for writer in self._held:
                writer.close()

        if self._server is not None:
            self._thread.call(down, timeout)
            self._server = None
        self._thread.stop(timeout)


class ActionCable:
    """Action Cable 6.1 on puma from peers/actioncable/config.ru: a connection is
    identified by a bearer token in ``Authorization``; the Origin must be the server's own (Rails' default
    ``allow_same_origin_as_host``), and Rails answers anything else with 404."""

    def __init__(self, token: str = "", app: str = "config.ru", env: dict[str, str] | None = None) -> None:
        puma = shutil.which("puma")
        if puma is None:
            raise FileNotFoundError("puma is not installed (scripts/install-deps.sh installs ruby-actioncable and puma)")
        self.port = free_port()
        rackup = Path(__file__).parent / "actioncable" / app
        env = {"PATH": "/usr/bin:/bin", "CABLE_TOKEN": token, "HOME": str(rackup.parent), **(env or {})}
        self.process = subprocess.Popen([puma, "-b", f"tcp://127.0.0.1:{self.port}", "-t", "1:4", str(rackup)],
                                        cwd=rackup.parent, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"puma exited: {self.process.stdout.read().decode(errors='replace')}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("puma did not listen within 60 s")

    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/cable"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
