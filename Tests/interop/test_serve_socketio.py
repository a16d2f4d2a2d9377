"""`wsauth serve`'s Socket.IO endpoint against python-socketio's client (not our codec,
on aiohttp's WebSocket), and `wsauth connect --app socketio` against it.
"""

import asyncio
import contextlib
import json
import time

import pytest
import requests
import socketio

from support.reference import TOKEN_TTL, close_of, short_lived, tokens, ws
from wsauth_runner import wsauth_binary

WAIT = 10


@pytest.fixture
def server():
    running = short_lived(wsauth_binary())
    yield running
    running.stop()


async def connect(sio, server, auth):
    await sio.connect(server.base, auth=auth, transports=["websocket"], wait_timeout=WAIT)


def test_valid_token_connects_with_a_sid_and_events_are_echoed(server):
    access, _ = tokens(server)

    async def scenario():
        sio = socketio.AsyncClient(reconnection=False)
        echoed = asyncio.Queue()
        welcomed = asyncio.Queue()
        sio.on("echo", lambda *args: echoed.put_nowait(args))
        sio.on("welcome", lambda data: welcomed.put_nowait(data))
        await connect(sio, server, {"token": access})
        try:
            assert sio.sid
            assert await asyncio.wait_for(welcomed.get(), WAIT) == {"user": "alice"}
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


def test_logout_disconnects_the_open_session():
    # --no-expiry-close: the 2 s token's expiry cannot be what ends the session.
    server = short_lived(wsauth_binary(), "--no-expiry-close")
    try:
        access, _ = tokens(server)
        elapsed = asyncio.run(_logout_while_connected(server, access))
        assert elapsed < WAIT
        assert "socket.io DISCONNECT: session revoked" in server.logged()
    finally:
        server.stop()


async def _logout_while_connected(server, access):
    sio = socketio.AsyncClient(reconnection=False)
    gone = asyncio.Event()
    sio.on("disconnect", lambda *reason: gone.set())
    await connect(sio, server, {"token": access})
    try:
        assert not gone.is_set()
        response = await asyncio.to_thread(requests.post, server.url("/auth/logout"),
                                           headers={"Authorization": f"Bearer {access}"}, timeout=WAIT)
        assert response.status_code < 300, response.text
        started = time.monotonic()
        await asyncio.wait_for(gone.wait(), WAIT)
        return time.monotonic() - started
    finally:
        await sio.disconnect()


# ---------------------------------------------------------------- wsauth connect --app socketio

APP = ("--app", "socketio")


def test_wsauth_connect_emits_and_sees_the_echo_and_the_ack(server, run_wsauth):
    access, _ = tokens(server)
    r = run_wsauth("connect", server.base, *APP, "--ack", "--token", access, "--send", '["hi",{"n":1}]',
                   "--expect", r'^\[\{"n":1\}\]$', "--timeout", "20s", "--json", secrets=[access])
    assert r.code == 0, r.describe()
    names = [m.get("name") for m in r.of("message")]
    assert "echo" in names, r.describe()


def test_wsauth_connect_with_a_bad_token_exits_2_with_the_servers_message(server, run_wsauth):
    bad = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.AAAA"
    r = run_wsauth("connect", server.base, *APP, "--token", bad, "--expect", "never", "--timeout", "20s",
                   "--json", secrets=[bad])
    assert r.code == 2, r.describe()
    assert r.of("rejected")[0]["app"] == "socketio" and r.of("rejected")[0]["message"]


def test_wsauth_reconnect_comes_back_with_a_refreshed_token(server, run_wsauth):
    login = run_wsauth("login", server.url("/auth/login"), "--user", "alice", "--password-env", "PASSWORD",
                       "--refresh-url", server.url("/auth/refresh"), env={"PASSWORD": "wonderland"},
                       secrets=["wonderland"])
    assert login.code == 0, login.describe()
    r = run_wsauth("connect", server.base, *APP, "--reconnect", "--refresh-before", "1s",
                   "--expect", "welcome", "--expect", "welcome", "--timeout", "30s", "--json", timeout=60)
    assert r.code == 0, r.describe()
    assert r.of("refresh")[0]["ok"] and "DISCONNECT" in r.of("reconnect")[0]["cause"]
    order = [e["event"] for e in r.events if e["event"] in ("close", "refresh", "reconnect", "handshake")]
    assert order[:5] == ["handshake", "close", "refresh", "reconnect", "handshake"], order


# ---------------------------------------------------------------- the CONNECT deadline


def test_a_socket_that_never_connects_is_closed_and_a_connected_one_is_not():
    """A raw Engine.IO client (websockets, our bytes by hand) that never sends CONNECT,
    one whose CONNECT was refused, and one admitted: only the first two are closed."""
    server = short_lived(wsauth_binary(), "--no-expiry-close")
    url = f"ws://127.0.0.1:{server.port}/socket.io/?EIO=4&transport=websocket"
    with contextlib.ExitStack() as sockets:
        sockets.callback(server.stop)
        access, _ = tokens(server)
        silent, refused, admitted = (sockets.enter_context(ws(url)) for _ in range(3))
        started = time.monotonic()
        for socket_ in (silent, refused, admitted):
            assert socket_.recv(timeout=5).startswith("0{"), "Engine.IO OPEN"
        refused.send('40{"token":"not.a.jwt"}')
        assert refused.recv(timeout=5).startswith("44")
        admitted.send("40" + json.dumps({"token": access}))
        assert admitted.recv(timeout=5).startswith("40")
        close = close_of(silent, within=15)
        assert close.code == 4401 and close.reason == "connect timeout"
        assert time.monotonic() - started >= 9, "not before the 10 s deadline"
        assert close_of(refused, within=3).code == 4401
        admitted.send('42["hi"]')
        while (message := admitted.recv(timeout=5)) != '42["echo","hi"]':
            assert message.startswith("42"), message
        assert "socket.io: no accepted CONNECT within" in server.logged()
