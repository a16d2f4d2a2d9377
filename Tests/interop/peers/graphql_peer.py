"""GraphQL peers for `wsauth --app graphql-ws|graphql-ws-legacy`: Strawberry (the
Python ecosystem's GraphQL server, not our codec) on aiohttp, serving both
graphql-transport-ws and the legacy subscriptions-transport-ws (``graphql-ws``
subprotocol) at ``/graphql``.

``GraphQLServer(lax=False, ttl=…, …)`` serves on 127.0.0.1:

- ``POST /auth/login`` and ``POST /auth/refresh`` (JSON): HS256 JWTs that live
  ``ttl`` seconds, refresh tokens rotating (socketio_peer's token helpers).
- ``/graphql``: Strawberry's ``GraphQLView``. Its ``on_ws_connect`` (Strawberry's
  hook for ``connection_init``) reads ``Authorization: Bearer …`` from the
  connection params and refuses a bad token with ``ConnectionRejectionError``:
  Strawberry closes graphql-transport-ws with 4403, and answers the legacy
  protocol with ``connection_error`` (payload ``{"message": …}``) and close 1011.
  ``reject_code=4401`` closes with 4401 itself first (servers that use it for
  bad credentials). ``lax=True`` accepts any token, or none.
- ``close_at_expiry``: once a connection's token expires the server closes it
  with 4403 "token expired" (the mid-subscription expiry).
- ``init_timeout`` is Strawberry's ``connection_init_wait_timeout``; ``slow_link``
  holds the client's first message back that many seconds (a slow network), so
  that a real ``connection_init`` comes too late and Strawberry closes with 4408.
- ``ack_delay``: ``on_ws_connect`` takes that long before it answers (a slow auth
  backend), to see how long a client waits for ``connection_ack``.
- The schema: ``hello``; subscriptions ``count(to, every)`` yielding 0…to-1 and
  ``ticks(every)`` yielding 0, 1, 2 … until stopped.

Every ``connection_init`` it sees is recorded (subprotocol, params, verdict) in
``GraphQLServer.connects``.
"""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import timedelta
from typing import Any, AsyncGenerator

import strawberry
from aiohttp import web
from strawberry.aiohttp.views import GraphQLView
from strawberry.exceptions import ConnectionRejectionError

if __package__ in (None, ""):
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent))
    from loop_thread import LoopServer, LoopThread, Recorder  # type: ignore[no-redef]
    from socketio_peer import KEY, AiohttpPeer, TokenIssuer, check_jwt, make_jwt  # type: ignore[no-redef]
else:
    from .loop_thread import LoopServer, LoopThread, Recorder
    from .socketio_peer import KEY, AiohttpPeer, TokenIssuer, check_jwt, make_jwt


@strawberry.type
class Query:
    @strawberry.field
    def hello(self) -> str:
        return "world"


@strawberry.type
class Subscription:
    @strawberry.subscription
    async def count(self, to: int = 3, every: float = 0.05) -> AsyncGenerator[int, None]:
        for number in range(min(to, 1000)):
            yield number
            await asyncio.sleep(min(every, 5))

    @strawberry.subscription
    async def ticks(self, every: float = 0.3) -> AsyncGenerator[int, None]:
        for number in range(1000):
            yield number
            await asyncio.sleep(min(max(every, 0.01), 5))


SCHEMA = strawberry.Schema(query=Query, subscription=Subscription)


class SlowFirstMessage(web.WebSocketResponse):
    """Holds the client's first message back `delay` seconds (a slow link)."""

    def __init__(self, delay: float, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._delay = delay

    async def receive(self, timeout: float | None = None) -> Any:
        if self._delay:
            delay, self._delay = self._delay, 0.0
            await asyncio.sleep(delay)
        return await super().receive(timeout)


def bearer(params: Any) -> str | None:
    authorization = params.get("Authorization") if isinstance(params, dict) else None
    if isinstance(authorization, str) and authorization.startswith("Bearer "):
        return authorization[len("Bearer "):]
    return None


class CheckingView(GraphQLView):
    server: "GraphQLServer"

    async def create_websocket_response(self, request: web.Request, subprotocol: str | None) -> web.WebSocketResponse:
        ws = SlowFirstMessage(self.server.slow_link, protocols=[subprotocol] if subprotocol else [])
        await ws.prepare(request)
        return ws

    async def on_ws_connect(self, context: dict) -> Any:
        server = self.server
        params = context.get("connection_params")
        ws: web.WebSocketResponse = context["response"]
        token = bearer(params)
        user, exp, refusal = ("anyone", 0.0, "") if server.lax else check_jwt(token)
        server.connects.add({"protocol": ws.ws_protocol, "params": params, "token": token,
                             "accepted": user is not None, "message": refusal})
        if server.ack_delay:
            await asyncio.sleep(server.ack_delay)
        if user is None:
            if server.reject_code != 4403:
                await ws.close(code=server.reject_code, message=refusal.encode())
            raise ConnectionRejectionError({"message": refusal})
        if server.close_at_expiry and exp:
            asyncio.get_running_loop().call_later(
                max(0.0, exp - time.time()),
                lambda: asyncio.ensure_future(ws.close(code=4403, message=b"token expired")))
        return {"user": user}


class GraphQLServer(AiohttpPeer, TokenIssuer, LoopServer):
    def __init__(self, lax: bool = False, ttl: float = 300, reject_code: int = 4403,
                 close_at_expiry: bool = False, init_timeout: float = 10, slow_link: float = 0.0,
                 keep_alive: bool = True, ack_delay: float = 0.0) -> None:
        self.lax = lax
        self.ttl = ttl
        self.reject_code = reject_code
        self.close_at_expiry = close_at_expiry
        self.init_timeout = init_timeout
        self.slow_link = slow_link
        self.keep_alive = keep_alive
        self.ack_delay = ack_delay
        self.connects = Recorder()
        self.refreshes = 0
        # Every token it handed out, so that tests can check wsauth's output for them.
        self.issued: list[str] = []
        self._refresh_tokens: dict[str, str] = {}
        self._thread = LoopThread("graphql-peer")
        self.port = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/graphql"

    def token(self, ttl: float | None = None, key: bytes = KEY) -> str:
        return make_jwt("alice", self.ttl if ttl is None else ttl, key)

    def start(self, timeout: float = 15.0) -> "GraphQLServer":
        self._thread.start()

        async def up() -> None:
            view = CheckingView(schema=SCHEMA, keep_alive=self.keep_alive,
                                connection_init_wait_timeout=timedelta(seconds=self.init_timeout))
            view.server = self
            app = web.Application()
            app.router.add_post("/auth/login", self._login)
            app.router.add_post("/auth/refresh", self._refresh)
            app.router.add_route("*", "/graphql", view)
            await self._listen(app)

        self._thread.call(up, timeout)
        self._server = self
        return self
