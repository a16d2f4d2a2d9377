"""Prints the Engine.IO / Socket.IO frames a real python-socketio server sends,
for the packet-layer unit tests (Tests/WSAuthKitTests/SocketIOPacketTests.swift).

Run: ``.venv/bin/python Tests/interop/tools/capture_socketio.py``. It starts a
python-socketio AsyncServer on aiohttp (127.0.0.1, a free port), talks to it
with a raw ``websockets`` client (no Socket.IO client library, so nothing of
ours or theirs shapes the frames we send) and prints every frame, ``>`` for
sent and ``<`` for received, text as it is and binary as hex.
"""

from __future__ import annotations

import asyncio

import socketio
import websockets
from aiohttp import web

GOOD = "good-token"


def make_server(ping_interval: float) -> socketio.AsyncServer:
    sio = socketio.AsyncServer(async_mode="aiohttp", ping_interval=ping_interval, ping_timeout=20)

    @sio.event
    async def connect(sid, environ, auth):
        if not isinstance(auth, dict) or auth.get("token") != GOOD:
            raise socketio.exceptions.ConnectionRefusedError("invalid token")
        await sio.emit("welcome", {"user": "alice"}, to=sid)

    @sio.event
    async def echo(sid, *args):
        return list(args)

    @sio.event
    async def blob(sid, data):
        await sio.emit("blob", {"bytes": data}, to=sid)

    @sio.on("connect", namespace="/admin")
    async def admin_connect(sid, environ, auth):
        return None

    @sio.on("kick", namespace="/admin")
    async def kick(sid):
        await sio.disconnect(sid, namespace="/admin")

    return sio


async def talk(port: int, ping_port: int) -> None:
    url = f"ws://127.0.0.1:{port}/socket.io/?EIO=4&transport=websocket"

    async def exchange(ws, out: list[str | bytes], expect: int) -> None:
        for frame in out:
            print(">", frame if isinstance(frame, str) else frame.hex())
            await ws.send(frame)
        for _ in range(expect):
            frame = await asyncio.wait_for(ws.recv(), 10)
            print("<", frame if isinstance(frame, str) else frame.hex())

    print("# refused CONNECT")
    async with websockets.connect(url) as ws:
        await exchange(ws, [], 1)
        await exchange(ws, ['40{"token":"bad"}'], 1)
    print("# accepted CONNECT, events, ACK, binary, namespace, server DISCONNECT")
    async with websockets.connect(url) as ws:
        await exchange(ws, [], 1)
        await exchange(ws, ['40{"token":"%s"}' % GOOD], 2)
        await exchange(ws, ['420["echo","hi",{"n":1}]'], 1)
        await exchange(ws, ['451-["blob",{"_placeholder":true,"num":0}]', b"\x01\x02\x03"], 2)
        await exchange(ws, ["40/admin,"], 1)
        await exchange(ws, ['42/admin,["kick"]'], 1)
        await exchange(ws, ["41"], 0)
    print("# Engine.IO heartbeat (a server with pingInterval 1 s)")
    ping_url = f"ws://127.0.0.1:{ping_port}/socket.io/?EIO=4&transport=websocket"
    async with websockets.connect(ping_url) as ws:
        await exchange(ws, [], 1)
        await exchange(ws, ["40"], 1)
        await exchange(ws, [], 1)
        await exchange(ws, ["3"], 0)


async def serve(ping_interval: float) -> tuple[web.AppRunner, int]:
    app = web.Application()
    make_server(ping_interval).attach(app)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, site._server.sockets[0].getsockname()[1]


async def main() -> None:
    runner, port = await serve(25)
    ping_runner, ping_port = await serve(1)
    try:
        await asyncio.wait_for(talk(port, ping_port), 30)
    finally:
        await runner.cleanup()
        await ping_runner.cleanup()


if __name__ == "__main__":
    asyncio.run(main())
