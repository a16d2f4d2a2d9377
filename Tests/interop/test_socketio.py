"""`--app socketio` (issue 11) against python-socketio, the ecosystem's own
implementation: the auth payload in CONNECT, CONNECT_ERROR as a rejection,
events, namespaces, ACKs, living through token expiry, and the Engine.IO
heartbeat and garbage from a raw peer.

The peers come first, checked with python-socketio's own client: if they fail,
a wsauth failure below says nothing about wsauth.
"""

from __future__ import annotations

import asyncio
import json

import pytest
import socketio
from websockets.sync.client import connect as ws_connect

from peers.socketio_peer import RawEngineIOPeer, SocketIOServer


@pytest.fixture
def sio_server():
    with SocketIOServer() as server:
        yield server


def _python_client(server: SocketIOServer, auth: dict, namespaces: tuple[str, ...] = ("/",)) -> dict:
    """Connects python-socketio's AsyncClient; what it saw, or the refusal."""
    async def run() -> dict:
        client = socketio.AsyncClient()
        seen: dict = {"events": []}
        client.on("welcome", lambda data: seen["events"].append(["welcome", data]))
        client.on("admin-hello", lambda data: seen["events"].append(["admin-hello", data]), namespace="/admin")
        try:
            await client.connect(server.base, auth=auth, transports=["websocket"], namespaces=list(namespaces),
                                 wait_timeout=10)
        except socketio.exceptions.ConnectionError as error:
            seen["refused"] = str(error)
            return seen
        if "/" in namespaces:
            seen["ack"] = await client.call("echo", [1, "two"], timeout=10)
        await asyncio.sleep(0.2)
        await client.disconnect()
        return seen
    return asyncio.run(asyncio.wait_for(run(), 30))


def test_peer_accepts_a_good_token_and_acks(sio_server):
    seen = _python_client(sio_server, {"token": sio_server.token()})
    assert seen["events"] == [["welcome", {"user": "alice"}]]
    assert seen["ack"] == [[1, "two"]]


@pytest.mark.parametrize("auth, message", [({"token": "nope"}, "invalid token"), ({}, "no token")])
def test_peer_refuses_bad_and_missing_tokens(sio_server, auth, message):
    assert "refused" in _python_client(sio_server, auth)
    record = sio_server.connects.wait_for(lambda items: items[-1:], 10, "a CONNECT")[0]
    assert record["accepted"] is False and record["message"] == message


def test_peer_refuses_an_expired_token(sio_server):
    assert "refused" in _python_client(sio_server, {"token": sio_server.token(ttl=-5)})
    assert sio_server.connects.snapshot()[-1]["message"] == "token expired"


def test_peer_admin_namespace(sio_server):
    seen = _python_client(sio_server, {"token": sio_server.token()}, namespaces=("/admin",))
    assert seen["events"] == [["admin-hello", {"room": "ops"}]]
    assert [r["namespace"] for r in sio_server.connects.snapshot()] == ["/admin"]


def test_lax_peer_accepts_anything():
    with SocketIOServer(lax=True) as lax:
        assert "refused" not in _python_client(lax, {"token": "forged"})


def test_raw_peer_opens_connects_and_then_sends_its_script():
    with RawEngineIOPeer(["4garbage"]) as peer:
        with ws_connect(peer.url + "socket.io/?EIO=4&transport=websocket", open_timeout=10) as ws:
            opened = ws.recv(timeout=10)
            assert opened.startswith("0") and json.loads(opened[1:])["pingInterval"] == 300
            ws.send('40{"token":"x"}')
            assert ws.recv(timeout=10) == '40{"sid":"raw-socketio-sid"}'
            assert ws.recv(timeout=10) == "4garbage"
        assert peer.received.wait_for(lambda items: items, 10, "CONNECT") == ['40{"token":"x"}']


def test_peer_disconnects_the_client_when_its_token_expires():
    async def run(server: SocketIOServer) -> float:
        client = socketio.AsyncClient()
        gone = asyncio.Event()
        client.on("disconnect", lambda *reason: gone.set())
        await client.connect(server.base, auth={"token": server.token(ttl=2)}, transports=["websocket"],
                             namespaces=["/"], wait_timeout=10)
        started = asyncio.get_running_loop().time()
        await asyncio.wait_for(gone.wait(), 15)
        return asyncio.get_running_loop().time() - started

    with SocketIOServer(disconnect_at_expiry=True) as server:
        assert asyncio.run(run(server)) < 4
