"""The peers themselves, checked with Python clients (no wsauth needed).

If these fail, a wsauth failure elsewhere says nothing about wsauth.
"""

from __future__ import annotations

import base64
import json
import socket
import struct

import pytest
import requests
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from peers.bearer_server import PROTOCOL_PREFIX, token64
from peers.deflate_server import DeflateServer
from peers.rogue_server import BAD_UTF8, EXPECTED_CLIENT_CLOSE, FRAMES, accept_for, frame


def http_url(server, path="/ws"):
    return server.url(path).replace("ws", "http", 1)


def test_bearer_rejects_bad_token_with_401(bearer, tokens):
    with pytest.raises(InvalidStatus) as info:
        connect(bearer.url(), additional_headers={"Authorization": f"Bearer {tokens()}"}, open_timeout=30)
    response = info.value.response
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    assert json.loads(response.body) == {"error": "invalid_token"}
    rec = bearer.wait_done()
    assert rec.status == 401 and rec.invalid_placements == ["header"]


def test_bearer_rejects_upgrade_without_token_as_401(bearer):
    r = requests.get(
        http_url(bearer),
        headers={
            "Connection": "Upgrade",
            "Upgrade": "websocket",
            "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": base64.b64encode(b"0123456789abcdef").decode(),
        },
        timeout=30,
    )
    assert r.status_code == 401
    assert "invalid_token" in r.headers["WWW-Authenticate"]
    assert r.json() == {"error": "invalid_token"}


@pytest.mark.parametrize("placement", ["header", "query", "protocol", "cookie"])
def test_bearer_accepts_each_handshake_placement(bearer_any, tls, placement):
    server, token = bearer_any, bearer_any.token
    url, headers, subprotocols = server.url(), {}, None
    if placement == "header":
        headers["Authorization"] = f"Bearer {token}"
    elif placement == "query":
        url += f"?token={token}"
    elif placement == "protocol":
        subprotocols = [PROTOCOL_PREFIX + token64(token), "echo.v1"]
    else:
        headers["Cookie"] = f"theme=dark; token={token}"
    ssl_context = tls.client_context() if server.ssl_context else None
    with connect(url, additional_headers=headers, subprotocols=subprotocols, ssl=ssl_context, open_timeout=30) as ws:
        if placement == "protocol":
            assert ws.subprotocol == "echo.v1"
        ws.send("whoami")
        assert json.loads(ws.recv(30)) == {"placement": placement}
        ws.send("hi")
        assert ws.recv(30) == "hi"
        ws.send(b"\x00\xffbin")
        assert ws.recv(30) == b"\x00\xffbin"
        ws.close(4000, "bye")
    rec = server.wait_ws_done()
    assert rec.placement == placement
    assert (rec.close_code, rec.close_reason) == (4000, "bye")
    assert rec.texts == ["whoami", "hi"]


def test_bearer_never_selects_the_token_protocol(bearer):
    with connect(bearer.url(), subprotocols=[PROTOCOL_PREFIX + token64(bearer.token)], open_timeout=30) as ws:
        assert ws.subprotocol is None
    assert bearer.wait_ws_done().placement == "protocol"


def test_bearer_message_auth(bearer, tokens):
    with connect(bearer.url("/msg-auth"), open_timeout=30) as ws:
        ws.send(json.dumps({"type": "auth", "token": bearer.token}))
        ws.send("whoami")
        assert json.loads(ws.recv(30)) == {"placement": "message"}
    with connect(bearer.url("/msg-auth"), open_timeout=30) as ws:
        ws.send(json.dumps({"type": "auth", "token": tokens()}))
        with pytest.raises(ConnectionClosed) as info:
            ws.recv(30)
        assert info.value.rcvd.code == 4001


@pytest.mark.parametrize("code,reason", [(4001, "expired"), (1011, ""), (1000, "done")])
def test_bearer_close_command(bearer, code, reason):
    with connect(bearer.url(), additional_headers={"Authorization": f"Bearer {bearer.token}"}, open_timeout=30) as ws:
        ws.send(f"close:{code}:{reason}" if reason else f"close:{code}")
        with pytest.raises(ConnectionClosed) as info:
            ws.recv(30)
    assert (info.value.rcvd.code, info.value.rcvd.reason) == (code, reason)
    rec = bearer.wait_ws_done()
    assert rec.server_close_code == code and rec.close_code == code  # the client echoed it


def test_bearer_records_pipe_close_1000(bearer):
    with connect(bearer.url(), additional_headers={"Authorization": f"Bearer {bearer.token}"}, open_timeout=30) as ws:
        ws.send("x" * 65536)
        assert ws.recv(30) == "x" * 65536
    rec = bearer.wait_ws_done()
    assert rec.close_code == 1000 and rec.client_initiated_close


# -- rogue server: the bytes it claims ---------------------------------------


def raw_upgrade(port: int, path: str, key: str = "dGhlIHNhbXBsZSBub25jZQ==") -> tuple[socket.socket, bytes]:
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sock.sendall(
        (
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        assert chunk, f"closed before the response head: {data!r}"
        data += chunk
    return sock, data


def recv_exactly(sock: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        assert chunk, "peer closed early"
        data += chunk
    return data


def test_rfc_accept_example():
    # RFC 6455 §1.3's worked example.
    assert accept_for("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="


EXPECTED_FRAME_BYTES = {
    "rsv1": b"\xc1\x05hello",
    "opcode3": b"\x83\x05hello",
    "masked": b"\x81\x85\x37\xfa\x21\x3d" + bytes(b ^ k for b, k in zip(b"hello", b"\x37\xfa\x21\x3d\x37")),
    "fragmented_ping": b"\x09\x04ping",
    "long_ping": b"\x89\x7e\x00\x7e" + b"p" * 126,
    "orphan_continuation": b"\x80\x05hello",
    "bad_utf8": b"\x81\x14" + BAD_UTF8,
    "bad_close_code": b"\x88\x02\x03\xed",
    "bad_close_code_999": b"\x88\x02\x03\xe7",
    "close_4001": b"\x88\x0f\x0f\xa1token expired",
    "close_1011": b"\x88\x10\x03\xf3internal error",
    "ok": b"\x81\x05hello",
}


def test_bad_utf8_is_really_invalid():
    assert len(BAD_UTF8) == 20
    with pytest.raises(UnicodeDecodeError):
        BAD_UTF8.decode("utf-8")


@pytest.mark.parametrize("scenario", sorted(EXPECTED_FRAME_BYTES))
def test_rogue_emits_the_claimed_bytes_and_records_client_close(rogue, scenario):
    key = "dGhlIHNhbXBsZSBub25jZQ=="
    sock, data = raw_upgrade(rogue.port, f"/{scenario}", key)
    with sock:
        head, _, rest = data.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 101 ")
        assert b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" in head
        want = EXPECTED_FRAME_BYTES[scenario]
        assert FRAMES[scenario] == want
        assert rest + recv_exactly(sock, len(want) - len(rest)) == want
        # Answer the way a correct client would: a masked close frame.
        code = EXPECTED_CLIENT_CLOSE.get(scenario, 1000)
        sock.sendall(frame(0x8, struct.pack("!H", code) + b"why", mask_key=b"\x01\x02\x03\x04"))
        assert sock.recv(30) == b""  # the server closes TCP first
    rec = rogue.wait_done()
    assert rec.scenario == scenario
    assert rec.close_received and (rec.close_code, rec.close_reason) == (code, "why")
    assert rec.frames[-1].masked


def test_rogue_wrong_accept_and_unrequested_subprotocol(rogue):
    sock, data = raw_upgrade(rogue.port, "/wrong_accept")
    with sock:
        assert data.startswith(b"HTTP/1.1 101 ")
        assert b"Sec-WebSocket-Accept: " in data
        assert b"s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" not in data
    assert rogue.wait_done().outcome == "dropped"
    sock, data = raw_upgrade(rogue.port, "/unrequested_subprotocol")
    with sock:
        assert b"s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" in data
        assert b"\r\nSec-WebSocket-Protocol: evil.v1\r\n" in data


def test_rogue_silent_never_answers_and_records_the_drop(rogue):
    sock = socket.create_connection(("127.0.0.1", rogue.port), timeout=30)
    sock.sendall(b"GET /silent HTTP/1.1\r\nHost: x\r\n\r\n")
    rogue.wait_request()
    sock.settimeout(1.0)
    with pytest.raises(socket.timeout):
        sock.recv(1)
    sock.close()
    rec = rogue.wait_done()
    assert rec.scenario == "silent" and rec.dropped


def test_python_websockets_client_fails_rogue_violations_like_the_rfc_says(rogue):
    """A third-party client against the rogue: the codes we demand of wsauth."""
    for scenario in ("rsv1", "opcode3", "bad_utf8"):
        with connect(rogue.url(scenario), open_timeout=30, close_timeout=5) as ws:
            with pytest.raises(ConnectionClosed):
                ws.recv(30)
    rogue.records.wait_for(lambda recs: len([r for r in recs if r.done]) == 3, 30, "three finished connections")
    assert {r.scenario: r.close_code for r in rogue.records.snapshot()} == {
        "rsv1": 1002, "opcode3": 1002, "bad_utf8": 1007
    }


@pytest.mark.parametrize("config", ["default", "server_no_context_takeover", "small_windows"])
def test_deflate_server_echoes_compressed(config):
    with DeflateServer(config) as server, connect(server.url(), open_timeout=30) as ws:
        assert [type(e).__name__ for e in ws.protocol.extensions] == ["PerMessageDeflate"]
        for message in ["Hello", "Hello", b"\x00" * 100_000]:
            ws.send(message)
            assert ws.recv(30) == message


def test_deflate_server_without_compression_ignores_the_offer():
    with DeflateServer("off") as server, connect(server.url(), open_timeout=30) as ws:
        assert ws.protocol.extensions == []


def test_deflate_bomb_is_a_real_one():
    """websockets itself refuses it with 1009 once it inflates past max_size."""
    with DeflateServer() as server, connect(server.url("/bomb?mib=64"), open_timeout=30, max_size=2**20) as ws:
        with pytest.raises(ConnectionClosed) as info:
            ws.recv(30)
        assert info.value.sent.code == 1009
    assert server.wait_done().close_code == 1009

