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
import re

import pytest
import socketio
from websockets.sync.client import connect as ws_connect

from peers.socketio_peer import RawEngineIOPeer, SocketIOServer
from wsauth_runner import check_result
from support.terminal import STAMP, Terminal


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


# --- wsauth against them -------------------------------------------------------------

APP = ("--app", "socketio")


def connects(server: SocketIOServer, count: int) -> list[dict]:
    return server.connects.wait_for(lambda items: items if len(items) >= count else None, 15, f"{count} CONNECT(s)")


def test_token_in_the_connect_auth_payload_is_accepted(run_wsauth, sio_server):
    token = sio_server.token()
    r = run_wsauth("connect", sio_server.base, *APP, "--token", token, "--expect", "welcome", "--timeout", "20s",
                   "--json", secrets=[token])
    assert r.code == 0, r.describe()
    handshake = r.of("handshake")[0]
    assert handshake["url"].endswith("/socket.io/?EIO=4&transport=websocket")
    assert [(m["name"], json.loads(m["data"])) for m in r.of("message")] == [("welcome", ["welcome", {"user": "alice"}])]
    connect_sent = r.of("sent")[0]
    assert connect_sent["data"].startswith("40") and token not in connect_sent["data"], "CONNECT is redacted"
    record = connects(sio_server, 1)[0]
    assert record == {"namespace": "/", "auth": {"token": token}, "accepted": True, "message": ""}


@pytest.mark.parametrize("kind, message", [("forged", "invalid token"), ("expired", "token expired")])
def test_a_refused_connect_exits_2_with_the_connect_error_message(run_wsauth, sio_server, kind, message):
    token = sio_server.token(key=b"not-the-key") if kind == "forged" else sio_server.token(ttl=-10)
    r = run_wsauth("connect", sio_server.base, *APP, "--token", token, "--expect", "welcome", "--timeout", "20s",
                   "--json", secrets=[token])
    assert r.code == 2, r.describe()
    rejected = r.of("rejected")[0]
    assert rejected["app"] == "socketio" and rejected["message"] == message
    human = run_wsauth("connect", sio_server.base, *APP, "--token", token, "--expect", "welcome", "--timeout", "20s",
                       secrets=[token])
    assert human.code == 2 and message in human.stderr.strip().splitlines()[-1], human.describe()


def test_an_event_is_emitted_and_its_ack_expected(run_wsauth, sio_server):
    token = sio_server.token()
    r = run_wsauth("connect", sio_server.base, *APP, "--ack", "--token", token, "--send", '["echo","hi",{"n":1}]',
                   "--expect", r'^\[\["hi",\{"n":1\}\]\]$', "--timeout", "20s", "--json", secrets=[token])
    assert r.code == 0, r.describe()
    assert any(s["data"] == '420["echo","hi",{"n":1}]' for s in r.of("sent")), r.describe()
    ack = [m for m in r.of("message") if "ack" in m]
    assert ack and ack[0]["ack"] == 0 and json.loads(ack[0]["data"]) == [["hi", {"n": 1}]]


def test_without_ack_an_emit_carries_no_ack_id_and_no_ack_comes(run_wsauth, sio_server):
    token = sio_server.token()
    r = run_wsauth("connect", sio_server.base, *APP, "--token", token, "--send", '["echo","hi"]', "--send", '["shout","x"]',
                   "--expect", r'^\["shouted","X"\]$', "--timeout", "20s", "--json", secrets=[token])
    assert r.code == 0, r.describe()
    assert [s["data"] for s in r.of("sent") if "echo" in s["data"] or "shout" in s["data"]] == \
        ['42["echo","hi"]', '42["shout","x"]'], r.describe()
    assert not [m for m in r.of("message") if "ack" in m], r.describe()


def test_an_ack_never_counts_toward_count(run_wsauth, sio_server):
    token = sio_server.token()
    # welcome, then the ACK of echo: one message for --count, so two are never reached.
    r = run_wsauth("connect", sio_server.base, *APP, "--ack", "--token", token, "--send", '["echo","hi"]',
                   "--count", "2", "--timeout", "3s", "--json", secrets=[token])
    assert r.code == 5, r.describe()
    assert [m["ack"] for m in r.of("message") if "ack" in m] == [0], r.describe()
    assert "after 1 of 2 messages" in r.stderr, r.describe()


def test_pipe_lines_are_events_and_other_text_is_not_sent(run_wsauth, sio_server):
    token = sio_server.token()
    r = run_wsauth("connect", sio_server.base, *APP, "--token", token, "--expect", "welcome", "--expect", "HELLO",
                   "--timeout", "20s", stdin='not an event\n["shout","hello"]\n', secrets=[token])
    assert r.code == 0, r.describe()
    assert r.text.splitlines() == ['["welcome",{"user":"alice"}]', '["shouted","HELLO"]'], r.describe()
    assert "not sent" in r.stderr


def test_namespace(run_wsauth, sio_server):
    token = sio_server.token()
    r = run_wsauth("connect", sio_server.base, *APP, "--namespace", "/admin", "--token", token,
                   "--expect", "admin-hello", "--timeout", "20s", "--json", secrets=[token])
    assert r.code == 0, r.describe()
    assert r.of("message")[0]["namespace"] == "/admin"
    assert connects(sio_server, 1)[0]["namespace"] == "/admin"


def test_token_in_header_goes_in_the_upgrade_not_the_payload(run_wsauth, sio_server):
    token = sio_server.token()
    r = run_wsauth("connect", sio_server.base, *APP, "--token-in", "header", "--token", token,
                   "--expect", "welcome", "--timeout", "20s", "--json", secrets=[token])
    assert r.code == 0, r.describe()
    assert r.of("sent")[0]["data"] == "40", "no auth payload"
    assert connects(sio_server, 1)[0]["auth"] is None
    bad = sio_server.token(key=b"not-the-key")
    refused = run_wsauth("connect", sio_server.base, *APP, "--token-in", "header", "--token", bad,
                         "--expect", "welcome", "--timeout", "20s", "--json", secrets=[bad])
    assert refused.code == 2 and refused.of("rejected")[0]["status"] == 401, refused.describe()


def test_reconnect_after_the_server_disconnects_at_expiry_uses_the_refreshed_token(run_wsauth):
    # Each token lives 6 s: a refreshed one must outlive the refresh, the backoff (up to 1.25 s)
    # and the handshake on a loaded machine, then SessionMachine.provenAfter (1 s), or its end
    # at expiry reads as "the refreshed token was refused too".
    with SocketIOServer(ttl=6, disconnect_at_expiry=True) as server:
        login = run_wsauth("login", f"{server.base}/auth/login", "--user", "alice", "--password-env", "PASSWORD",
                           "--refresh-url", f"{server.base}/auth/refresh", env={"PASSWORD": "wonderland"},
                           secrets=["wonderland"])
        assert login.code == 0, login.describe()
        r = run_wsauth("connect", server.base, *APP, "--reconnect", "--refresh-before", "1s",
                       "--expect", "welcome", "--expect", "welcome", "--expect", "welcome",
                       "--timeout", "45s", "--json", timeout=90)
        check_result(r, server.issued)
        assert r.code == 0, r.describe()
        seen = connects(server, 3)
        tokens = [c["auth"]["token"] for c in seen]
        assert all(c["accepted"] for c in seen) and len(set(tokens)) == 3, "each CONNECT carried a new token"
        assert tokens == server.issued[0::2][:3], "the first from the login, then each refreshed one"
        order = [e["event"] for e in r.events if e["event"] in ("close", "refresh", "reconnect", "handshake")]
        assert order[:1] == ["handshake"] and order[1:9] == ["close", "refresh", "reconnect", "handshake"] * 2, order
        refreshes = r.of("refresh")
        assert len(refreshes) == 2 == server.refreshes, "one refresh per expiry"


def test_a_silent_server_is_a_drop_by_ping_timeout(run_wsauth, tokens):
    token = tokens()
    with RawEngineIOPeer([], ping_interval_ms=300, ping_timeout_ms=200) as peer:
        r = run_wsauth("connect", peer.url, *APP, "--token", token, "--expect", "never", "--timeout", "20s",
                       "--json")
    assert r.code == 4, r.describe()
    assert r.elapsed < 10
    assert "ping" in r.of("error")[0]["message"], r.describe()


@pytest.mark.parametrize("garbage", ["4garbage", "9", '42{"not":"an array"}', '0{"sid":"again"}', "42[",
                                     '451-["file",{"_placeholder":true,"num":0}]'])
def test_garbage_engineio_packets_exit_3(run_wsauth, tokens, garbage):
    token = tokens()
    script = [garbage, "2"] if garbage.startswith("451-") else [garbage]
    with RawEngineIOPeer(script, ping_interval_ms=25000, ping_timeout_ms=20000) as peer:
        r = run_wsauth("connect", peer.url, *APP, "--token", token, "--expect", "never", "--timeout", "20s",
                       "--json")
    assert r.code == 3, r.describe()
    close = r.of("close")[0]
    assert close["code"] == 1002 and close["initiator"] == "client"


def test_repl_emits_events_and_shows_them_by_name(tmp_path, wsauth_bin, sio_server):

    token = sio_server.token()
    (tmp_path / "token").write_text(token + "\n")
    terminal = Terminal(tmp_path, [token])
    try:
        terminal.start(wsauth_bin, sio_server.base, *APP, "--ack", "--token-file", str(tmp_path / "token"))
        terminal.wait_for(re.compile(r"\[open · socketio / · token \d+m\d+s\] >"), timeout=20)
        terminal.wait_for(re.compile(rf'← {STAMP} welcome \[\{{"user":"alice"\}}\]'))
        assert "40{" not in terminal.screen(), "CONNECT is the protocol's own frame: only with /raw"
        assert '42["welcome"' not in terminal.screen(), "received frames too: only with /raw"
        terminal.type_text("/emit echo hi")
        terminal.type("Enter")
        terminal.wait_for(re.compile(rf'→ {STAMP} echo \["hi"\]'))
        terminal.wait_for(re.compile(rf'← {STAMP} ack 0 \[\["hi"\]\]'))
        terminal.type_text("/raw")
        terminal.type("Enter")
        terminal.type_text('["shout","loud"]')
        terminal.type("Enter")
        terminal.wait_for(re.compile(rf'→ {STAMP} 421\["shout","loud"\]'))
        terminal.wait_for(re.compile(rf'← {STAMP} shouted \["LOUD"\]'))
        # /raw shows what came off the wire too, the frame before what it means.
        screen = terminal.wait_for(re.compile(rf'← {STAMP} 42\["shouted","LOUD"\]'))
        assert screen.index('42["shouted"') < screen.index('shouted ["LOUD"]'), screen
        terminal.type_text("/quit")
        terminal.type("Enter")
        assert terminal.exit_status(timeout=20) == 0
    finally:
        terminal.close()


MUST_REFUSE = ["no-credentials", "malformed-token", "tampered-signature", "alg-none", "expired-token"]


@pytest.mark.parametrize("lax", [False, True], ids=["secure", "lax"])
def test_audit_judges_credentials_at_connect(run_wsauth, lax):
    with SocketIOServer(lax=lax) as server:
        token, expired = server.token(), server.token(ttl=-10)
        r = run_wsauth("audit", server.base, *APP, "--token", token, "--expired-token", expired,
                       "--only", ",".join([*MUST_REFUSE, "placement-header"]), secrets=[token, expired], timeout=120)
        verdicts = {line.split()[1]: line.split()[0] for line in r.text.splitlines() if line[:4] in ("PASS", "FAIL", "SKIP", "WARN")}
        assert set(MUST_REFUSE) <= verdicts.keys(), r.describe()
        # Every one of these upgrades got 101: the verdict comes from CONNECT.
        if lax:
            assert r.code == 7 and all(verdicts[name] == "FAIL" for name in MUST_REFUSE), r.describe()
            assert "socketio accepted it" in r.text
        else:
            assert r.code == 0 and all(verdicts[name] == "PASS" for name in MUST_REFUSE), r.describe()
            assert "socketio refused it: token expired" in r.text
            # The peer's middleware and connect handler take a header token: judged at CONNECT, not skipped.
            assert verdicts["placement-header"] == "PASS", r.describe()
            refused = [c for c in server.connects.snapshot() if not c["accepted"]]
            assert {c["message"] for c in refused} >= {"no token", "invalid token", "token expired"}


@pytest.mark.parametrize("enforces", [True, False], ids=["disconnects-at-expiry", "keeps-the-session"])
def test_audit_watch_expiry_keeps_the_heartbeat_and_reads_the_disconnect(run_wsauth, enforces):
    # pingInterval 1 s: the 3 s watch outlives pingInterval + pingTimeout, so only our
    # pongs keep the session up until the server acts (or not) on the token's exp.
    with SocketIOServer(disconnect_at_expiry=enforces, ping_interval=1) as server:
        token = server.token(ttl=3)
        r = run_wsauth("audit", server.base, *APP, "--token", token, "--only", "watch-expiry", "--watch-expiry",
                       "--grace", "2s", "--json", secrets=[token], timeout=60)
        check = next(c for c in r.of("check") if c["name"] == "watch-expiry")
        if enforces:
            assert r.code == 0 and check["verdict"] == "pass", r.describe()
            assert "Socket.IO DISCONNECT" in check["detail"] and "after exp" in check["detail"], check
        else:
            assert r.code == 7 and check["verdict"] == "fail", r.describe()
            assert "still open 2s after the token's exp" in check["detail"], check
        assert server.connects.snapshot()[0]["accepted"] is True


def test_the_servers_pings_are_answered_so_the_session_outlives_its_ping_timeout(run_wsauth):
    # pingInterval 1 s and pingTimeout 1 s: without our pongs python-socketio drops us after ~2 s.
    with SocketIOServer(ping_interval=1) as server:
        token = server.token()
        r = run_wsauth("connect", server.base, *APP, "--token", token, "--send", '["later",4]',
                       "--expect", "later-done", "--timeout", "20s", "--json", secrets=[token])
    assert r.code == 0, r.describe()
    pings, pongs = r.of("ping"), r.of("pong")
    assert len(pings) >= 3 and all(p["direction"] == "in" for p in pings), r.describe()
    assert len(pongs) == len(pings) and all(p["direction"] == "out" for p in pongs)
    assert sum(1 for s in r.of("sent") if s["data"] == "3") == len(pings)


def test_reconnect_after_a_connect_error_for_an_expired_token_refreshes_once(run_wsauth):
    with SocketIOServer() as server:
        login = run_wsauth("login", f"{server.base}/auth/login", "--user", "alice", "--password-env", "PASSWORD",
                           "--refresh-url", f"{server.base}/auth/refresh", env={"PASSWORD": "wonderland"},
                           secrets=["wonderland"])
        assert login.code == 0, login.describe()
        server.expired_early.add(server.issued[0])
        r = run_wsauth("connect", server.base, *APP, "--reconnect", "--expect", "welcome", "--timeout", "30s",
                       "--json", timeout=60)
        check_result(r, server.issued)
        assert r.code == 0, r.describe()
        first, second = connects(server, 2)[:2]
        assert first["auth"]["token"] == server.issued[0] and first["message"] == "token expired"
        assert second["accepted"] and second["auth"]["token"] == server.issued[2], "the refreshed token"
        assert r.of("rejected")[0]["message"] == "token expired"
        assert len(r.of("refresh")) == 1 == server.refreshes


@pytest.mark.parametrize("flags", [["--app", "bogus"], [*APP, "--auth-message", "token={token}"],
                                   [*APP, "--namespace", "a,b"]])
def test_bad_socketio_flags_are_usage_errors(run_wsauth, flags):
    r = run_wsauth("connect", "ws://127.0.0.1:9/", *flags, "--token", "t")
    assert r.code == 64 and len(r.stderr.strip().splitlines()) == 1, r.describe()
