"""`wsauth serve`'s Socket.IO endpoint against python-socketio's client (not our codec,
on aiohttp's WebSocket), and `wsauth connect --app socketio` against it.
"""

import asyncio
import time

import pytest
import socketio

from test_reference_server import Server, TOKEN_TTL, tokens

WAIT = 10


@pytest.fixture
def server():
    running = Server()
    yield running
    running.stop()


async def connect(sio, server, auth):
    await sio.connect(server.base, auth=auth, transports=["websocket"], wait_timeout=WAIT)


def test_valid_token_connects_with_a_sid_and_events_are_echoed(server):
    access, _ = tokens(server)

    async def scenario():
        sio = socketio.AsyncClient(reconnection=False)
        echoed = asyncio.Queue()
        sio.on("echo", lambda *args: echoed.put_nowait(args))
        await connect(sio, server, {"token": access})
        try:
            assert sio.sid
            assert await sio.call("hello", {"n": 1}, timeout=WAIT) == {"n": 1}
            assert await asyncio.wait_for(echoed.get(), WAIT) == ("hello", {"n": 1})
        finally:
            await sio.disconnect()

    asyncio.run(scenario())


@pytest.mark.parametrize("auth", [{"token": "not.a.jwt"}, {}])
def test_bad_or_missing_token_is_a_connect_error(server, auth):
    async def scenario():
        sio = socketio.AsyncClient(reconnection=False)
        errors = []
        sio.on("connect_error", lambda data: errors.append(data))
        with pytest.raises(socketio.exceptions.ConnectionError):
            await connect(sio, server, auth)
        await sio.disconnect()
        return errors

    errors = asyncio.run(scenario())
    assert errors and "token" in errors[0]["message"]
    assert "not.a.jwt" not in errors[0]["message"]


def test_server_disconnects_at_expiry(server):
    access, _ = tokens(server)

    async def scenario():
        sio = socketio.AsyncClient(reconnection=False)
        gone = asyncio.Event()
        sio.on("disconnect", lambda *reason: gone.set())
        started = time.monotonic()
        await connect(sio, server, {"token": access})
        try:
            await asyncio.wait_for(gone.wait(), TOKEN_TTL + WAIT)
        finally:
            await sio.disconnect()
        return time.monotonic() - started

    assert asyncio.run(scenario()) >= TOKEN_TTL - 1.5
    assert "token expired" in server.logged()
