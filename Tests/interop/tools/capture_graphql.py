"""Prints the frames a real Strawberry server sends in both GraphQL WebSocket
protocols, for the unit tests (Tests/WSAuthKitTests/GraphQLCapturedTests.swift)
and the fuzz seeds (Fuzz/corpus/graphql).

Run: ``.venv/bin/python Tests/interop/tools/capture_graphql.py``. It starts the
Strawberry peer of the interop tests (peers/graphql_peer.py: 127.0.0.1, a free
port), talks to it with a raw ``websockets`` client (no GraphQL client library,
so nothing of ours or theirs shapes the frames we send) and prints every frame,
``>`` for sent and ``<`` for received, and ``# close CODE REASON`` for the
server's close.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
from pathlib import Path

import websockets

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from peers.graphql_peer import GraphQLServer  # noqa: E402

TRANSPORT, LEGACY = "graphql-transport-ws", "graphql-ws"


async def exchange(url: str, subprotocol: str, out: list[dict], expect: int) -> None:
    async with websockets.connect(url, subprotocols=[subprotocol]) as ws:
        for frame in out:
            text = json.dumps(frame, separators=(",", ":"))
            # The peer's throwaway JWTs differ on every run: shown as <jwt> for fixtures.
            print(">", re.sub(r"Bearer [\w.-]{40,}", "Bearer <jwt>", text))
            await ws.send(text)
            await asyncio.sleep(0.2)
        try:
            for _ in range(expect):
                print("<", await asyncio.wait_for(ws.recv(), 10))
            await asyncio.wait_for(ws.recv(), 0.5)
        except asyncio.TimeoutError:
            pass
        except websockets.ConnectionClosed as closed:
            print("# close", closed.rcvd.code if closed.rcvd else None, closed.rcvd.reason if closed.rcvd else "")


def init(token: str) -> dict:
    return {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}


async def capture(server: GraphQLServer) -> None:
    good, bad = server.token(), "not-a-jwt"
    count = {"query": "subscription { count(to: 2) }"}
    broken = {"query": "subscription { nope }"}
    print(f"# {TRANSPORT}: refused")
    await exchange(server.url, TRANSPORT, [init(bad)], 1)
    print(f"# {TRANSPORT}: accepted, a subscription, ping, an error, a duplicate id")
    await exchange(server.url, TRANSPORT, [
        init(good), {"id": "1", "type": "subscribe", "payload": count}, {"type": "ping"},
        {"id": "2", "type": "subscribe", "payload": broken},
        {"id": "3", "type": "subscribe", "payload": {"query": "subscription { ticks(every: 2) }"}},
        {"id": "3", "type": "subscribe", "payload": count}], 8)
    print(f"# {TRANSPORT}: subscribe before connection_ack")
    await exchange(server.url, TRANSPORT, [{"id": "1", "type": "subscribe", "payload": count}], 1)
    print(f"# {TRANSPORT}: connection_init twice")
    await exchange(server.url, TRANSPORT, [init(good), init(good)], 2)
    print(f"# {LEGACY}: refused")
    await exchange(server.url, LEGACY, [init(bad)], 2)
    print(f"# {LEGACY}: accepted, a subscription, an error, stop, terminate")
    await exchange(server.url, LEGACY, [
        init(good), {"id": "1", "type": "start", "payload": count},
        {"id": "2", "type": "start", "payload": broken},
        {"id": "3", "type": "start", "payload": {"query": "subscription { ticks(every: 5) }"}},
        {"id": "3", "type": "stop"}, {"type": "connection_terminate"}], 9)


def main() -> None:
    with GraphQLServer(keep_alive=True) as server:
        asyncio.run(asyncio.wait_for(capture(server), 60))
    with GraphQLServer(init_timeout=0.3, slow_link=2) as server:
        print(f"# {TRANSPORT}: connection_init too late")
        asyncio.run(asyncio.wait_for(exchange(server.url, TRANSPORT, [init(server.token())], 1), 30))


if __name__ == "__main__":
    main()
