"""HTTP endpoints on aiohttp that record every request they receive, raw, for
the request-scope tests (issue 21): which headers, cookies and bodies reached
which host. One server answers under any host name (127.0.0.1, localhost,
names given to wsauth with ``--resolve``); the ``Host`` header tells which one
a request was sent to.

- ``POST /login``: 200 with fresh ``access_token``/``refresh_token`` (60 s) and
  a ``Set-Cookie: sid=…``.
- ``POST /refresh``: 200 with fresh tokens, as RFC 6749 §5.1.
- ``POST /logout``, ``POST /revoke``: 200, empty.
- ``GET /.well-known/openid-configuration``: ``document`` (set by the test), else 404.
- ``GET /.well-known/oauth-authorization-server``: 404.
- anything else: 404, recorded too.
"""

from __future__ import annotations

import dataclasses
import json
import secrets
from typing import Any

from aiohttp import web

if __package__ in (None, ""):
    from loop_thread import LoopThread, Recorder  # type: ignore[no-redef]
else:
    from .loop_thread import LoopThread, Recorder


@dataclasses.dataclass
class Received:
    method: str
    host: str
    path: str
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        return next((value for key, value in self.headers if key.lower() == name.lower()), None)

    @property
    def raw(self) -> str:
        """Everything received, for "this value was not sent" assertions."""
        lines = [f"{self.method} {self.path}"] + [f"{k}: {v}" for k, v in self.headers]
        return "\n".join(lines) + "\n\n" + self.body.decode(errors="replace")


class RecordingEndpoints:
    def __init__(self, registry: list[str]) -> None:
        self.received = Recorder()
        self.registry = registry
        self.document: dict[str, Any] | None = None
        self.port = 0
        self._thread = LoopThread("recording-endpoints")
        self._runner: web.AppRunner | None = None

    def base(self, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}"

    def requests(self) -> list[Received]:
        return self.received.snapshot()

    def start(self, timeout: float = 15.0) -> "RecordingEndpoints":
        self._thread.start(timeout)

        async def up() -> int:
            app = web.Application()
            app.router.add_route("*", "/{tail:.*}", self._any)
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
        try:
            self._thread.call(runner.cleanup, timeout)
        finally:
            self._runner = None
            self._thread.stop(timeout)

    def __enter__(self) -> "RecordingEndpoints":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _tokens(self) -> dict[str, Any]:
        access, refresh = "acc-" + secrets.token_hex(16), "ref-" + secrets.token_hex(16)
        self.registry += [access, refresh]
        return {"access_token": access, "refresh_token": refresh, "token_type": "Bearer", "expires_in": 60}

    async def _any(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        self.received.add(Received(request.method, request.host.rsplit(":", 1)[0], request.path_qs,
                                   list(request.headers.items()), body))
        if request.method == "POST" and request.path == "/login":
            sid = "sid-" + secrets.token_hex(12)
            self.registry.append(sid)
            response = web.json_response(self._tokens())
            response.headers["Set-Cookie"] = f"sid={sid}; Path=/; HttpOnly"
            return response
        if request.method == "POST" and request.path == "/refresh":
            return web.json_response(self._tokens())
        if request.method == "POST" and request.path in ("/logout", "/revoke"):
            return web.Response(status=200)
        if request.path == "/.well-known/openid-configuration" and self.document is not None:
            return web.Response(text=json.dumps(self.document), content_type="application/json")
        return web.Response(status=404)
