"""`--app actioncable` (issue 24) against Rails' own Action Cable 6.1 from Debian
(ruby-actioncable on puma, peers/actioncable/protocol.ru): an
ApplicationCable::Connection that authenticates at the upgrade by a signed session
cookie or a bearer JWT, a ChatChannel that echoes `speak` to its stream, an
AdminChannel that rejects everyone but alice, and a record of what each connection
presented. The peer is checked first with the websockets library, someone else's
client: if that fails, a wsauth failure below says nothing.
"""

from __future__ import annotations

import json
import re

import pytest

from peers import actioncable_peer
from peers.actioncable_peer import ActionCableApp
from support.terminal import STAMP, Terminal

APP = ("--app", "actioncable")
SPEAK = '{"action":"speak","text":"hello cable"}'

pytestmark = pytest.mark.skipif(actioncable_peer.available() is not None, reason=actioncable_peer.available() or "")


@pytest.fixture(scope="module")
def cable():
    with ActionCableApp() as app:
        yield app


def identifier(channel: str) -> str:
    return json.dumps({"channel": channel})


def test_peer_welcomes_a_token_and_disconnects_without_one_with_websockets(cable):
    from websockets.sync.client import connect

    headers = {"Authorization": f"Bearer {cable.token()}"}
    with connect(cable.url, subprotocols=["actioncable-v1-json"], additional_headers=headers) as ws:
        assert json.loads(ws.recv(timeout=10)) == {"type": "welcome"}
        ws.send(json.dumps({"command": "subscribe", "identifier": identifier("ChatChannel")}))
        assert json.loads(ws.recv(timeout=10)) == {"identifier": identifier("ChatChannel"), "type": "confirm_subscription"}
        ws.send(json.dumps({"command": "message", "identifier": identifier("ChatChannel"), "data": SPEAK}))
        message = json.loads(ws.recv(timeout=10))
        while message.get("type") == "ping":
            message = json.loads(ws.recv(timeout=10))
        assert message == {"identifier": identifier("ChatChannel"), "message": {"from": "alice", "text": "hello cable"}}
    with connect(cable.url, subprotocols=["actioncable-v1-json"]) as ws:
        assert json.loads(ws.recv(timeout=10)) == {"type": "disconnect", "reason": "unauthorized", "reconnect": False}


# --- wsauth against Action Cable ------------------------------------------------


def test_a_token_is_accepted_at_the_upgrade(run_wsauth, cable):
    token = cable.token()
    before = len(cable.records())
    r = run_wsauth("connect", cable.url, *APP, "--token", token, "--timeout", "20s", "-v", stdin="", secrets=[token])
    assert r.code == 0, r.describe()
    assert "actioncable session open" in r.stderr, r.describe()
    assert "Sec-WebSocket-Protocol: actioncable-v1-json" in r.stderr, r.describe()
    record = cable.records()[before]
    assert record["via"] == "token" and record["authorization"] == token and record["verdict"] == "accepted", record
    assert record["protocol"] == "actioncable-v1-json"


def test_a_session_cookie_from_login_is_accepted(run_wsauth, cable):
    login = run_wsauth("login", f"{cable.base}/session/login", "--user", "alice", "--password-env", "PASSWORD",
                       env={"PASSWORD": "wonderland"}, secrets=["wonderland"] + cable.issued)
    assert login.code == 0, login.describe()
    before = len(cable.records())
    r = run_wsauth("connect", cable.url, *APP, "--channel", "AdminChannel", "--timeout", "20s", "--json", stdin="",
                   secrets=cable.issued)
    assert r.code == 0, r.describe()
    record = cable.records()[before]
    assert record["via"] == "cookie" and record["cookie"] == cable.session_cookie("alice") and record["authorization"] is None, record


def test_a_refused_connection_is_exit_2_with_the_reason(run_wsauth, cable):
    r = run_wsauth("connect", cable.url, *APP, "--token", "not-a-jwt", "--reconnect", "--timeout", "20s", "--json", stdin="")
    assert r.code == 2, r.describe()
    rejected = r.one("rejected")
    assert rejected["app"] == "actioncable" and rejected["message"] == "disconnect unauthorized (reconnect: false)", r.describe()
    assert "actioncable refused the credentials: disconnect unauthorized" in r.last_line, r.describe()
    # "reconnect": false: no second try, --reconnect or not.
    assert not r.of("reconnect") and len(r.of("handshake")) == 1, r.describe()


def test_subscribe_perform_and_receive(run_wsauth, cable):
    token = cable.token()
    r = run_wsauth("connect", cable.url, *APP, "--token", token, "--channel", '{"channel":"ChatChannel","room":"7"}',
                   "--send", SPEAK, "--expect", "hello cable", "--timeout", "20s", "--json", secrets=[token])
    assert r.code == 0, r.describe()
    sent = [json.loads(s["data"]) for s in r.of("sent")]
    ident = '{"channel":"ChatChannel","room":"7"}'
    assert sent == [{"command": "subscribe", "identifier": ident},
                    {"command": "message", "identifier": ident, "data": SPEAK}], r.describe()
    message = r.one("message")
    assert message["channel"] == "ChatChannel" and json.loads(message["data"]) == {"from": "alice", "text": "hello cable"}, r.describe()


def test_a_rejected_channel_is_exit_2_naming_it(run_wsauth, cable):
    token = cable.token("bob")
    r = run_wsauth("connect", cable.url, *APP, "--token", token, "--channel", "ChatChannel", "--channel", "AdminChannel",
                   "--timeout", "20s", "--json", stdin="", secrets=[token])
    assert r.code == 2, r.describe()
    assert r.one("rejected")["message"] == "the subscription to AdminChannel was rejected (reject_subscription)", r.describe()


def test_a_channel_that_never_answers_is_exit_5(run_wsauth, cable):
    # Action Cable logs "Subscription class not found" and answers nothing: the
    # protocol's own bound (10 s) ends the handshake as a timeout, not a drop.
    token = cable.token()
    r = run_wsauth("connect", cable.url, *APP, "--token", token, "--channel", "NoSuchChannel", "--expect", "never comes",
                   "--json", secrets=[token], timeout=40)
    assert r.code == 5 and 9 < r.elapsed < 20, r.describe()
    assert "no Action Cable confirm_subscription for NoSuchChannel within 10 s" in r.one("error")["message"], r.describe()
    assert r.one("close")["code"] == 1000, r.describe()


def test_pings_are_ping_events(run_wsauth, cable):
    token = cable.token()
    r = run_wsauth("connect", cable.url, *APP, "--token", token, "--expect", "never comes", "--timeout", "7s", "--json",
                   secrets=[token])
    assert r.code == 5, r.describe()
    pings = r.of("ping")
    assert len(pings) >= 2 and all(p["direction"] == "in" and p["data"].isdigit() for p in pings), r.describe()
    assert not r.of("pong") and not r.of("message"), r.describe()


def test_expiry_then_reconnect_carries_the_refreshed_token(run_wsauth):
    # The first token lives 4 s: the app's connection says `disconnect` token_expired
    # (reconnect: true) at its exp; wsauth refreshes and connects with the new one.
    with ActionCableApp(first_ttl=4) as cable:
        login = run_wsauth("login", f"{cable.base}/auth/login", "--user", "alice", "--password-env", "PASSWORD",
                           "--refresh-url", f"{cable.base}/auth/refresh", env={"PASSWORD": "wonderland"},
                           secrets=["wonderland"])
        assert login.code == 0, login.describe()
        r = run_wsauth("connect", cable.url, *APP, "--reconnect", "--refresh-before", "1s", "--channel", "ChatChannel",
                       "--expect", "never comes", "--timeout", "12s", "--json", timeout=60, secrets=cable.issued)
        assert r.code == 5, r.describe()
        records = cable.records()
        assert len(records) == 2, records
        assert records[0]["authorization"] == cable.issued[0] and records[0]["verdict"] == "accepted"
        assert records[1]["authorization"] == cable.issued[2] and records[1]["verdict"] == "accepted", "the refreshed token"
        assert cable.refreshes == 1 and len(r.of("refresh")) == 1, r.describe()
        assert "disconnect token_expired" in r.one("reconnect")["cause"], r.describe()


def test_a_close_without_disconnect_reconnects_and_subscribes_again(run_wsauth, cable):
    # RemoteConnections#disconnect closes the socket without a `disconnect` message;
    # the JavaScript client reconnects after that, and so does --reconnect.
    token = cable.token("carol")
    before = len(cable.records())
    r = run_wsauth("connect", cable.url, *APP, "--token", token, "--reconnect", "--channel", "ChatChannel",
                   "--send", '{"action":"kick"}', "--expect", "never comes", "--timeout", "8s", "--json",
                   secrets=[token], timeout=40)
    assert r.code == 5, r.describe()
    records = cable.records()[before:]
    assert len(records) == 2 and all(x["authorization"] == token and x["verdict"] == "accepted" for x in records), records
    assert "without a disconnect message" in r.one("reconnect")["cause"], r.describe()
    subscribes = [s for s in r.of("sent") if json.loads(s["data"])["command"] == "subscribe"]
    assert len(subscribes) == 2, r.describe()


def test_audit_passes_the_secure_app_and_fails_a_lax_one(run_wsauth, cable):
    token = cable.token()
    r = run_wsauth("audit", cable.url, *APP, "--token", token, "-m", "60s", "--json", secrets=[token])
    assert r.code == 0, r.describe()
    checks = {c["name"]: c["verdict"] for c in r.of("check")}
    assert all(checks[name] == "pass" for name in ("no-credentials", "malformed-token", "tampered-signature", "alg-none")), checks
    with ActionCableApp(lax=True) as lax:
        token = lax.token()
        r = run_wsauth("audit", lax.url, *APP, "--token", token, "-m", "60s", "--json", secrets=[token])
        assert r.code == 7, r.describe()
        checks = {c["name"]: c["verdict"] for c in r.of("check")}
        assert checks["no-credentials"] == "fail" and checks["alg-none"] == "fail", checks


@pytest.mark.parametrize("channel", ['{"room":"1"}', "{not json", ""])
def test_a_bad_channel_is_one_line_and_64(run_wsauth, channel):
    r = run_wsauth("connect", "ws://127.0.0.1:9/cable", *APP, "--token", "t", "--channel", channel, stdin="")
    assert r.code == 64, r.describe()
    assert "--channel" in r.last_line and len(r.stderr.strip().splitlines()) == 1, r.describe()


def test_repl_subscribe_perform_and_unsubscribe(tmp_path, wsauth_bin, cable):

    token = cable.token()
    (tmp_path / "token").write_text(token + "\n")
    terminal = Terminal(tmp_path, [token])
    try:
        terminal.start(wsauth_bin, cable.url, *APP, "--token-file", str(tmp_path / "token"))
        terminal.wait_for(re.compile(r"\[open · actioncable · token \d+m\d+s\] >"), timeout=20)
        terminal.type_text("/subscribe ChatChannel")
        terminal.type("Enter")
        terminal.wait_for(re.compile(r"subscribed to ChatChannel"))
        terminal.type_text(SPEAK)
        terminal.type("Enter")
        terminal.wait_for(re.compile(rf"→ {STAMP} ChatChannel \{{\"action\":\"speak\""))
        terminal.wait_for(re.compile(rf"← {STAMP} ChatChannel \{{\"from\":\"alice\",\"text\":\"hello cable\"\}}"))
        terminal.type_text("/complete ChatChannel")
        terminal.type("Enter")
        terminal.wait_for(re.compile(r"unsubscribed from ChatChannel"))
        terminal.type_text("/quit")
        terminal.type("Enter")
        assert terminal.exit_status(timeout=20) == 0
    finally:
        terminal.close()


def test_repl_subscriptions_are_subscribed_again_after_expiry_and_reconnect(tmp_path, wsauth_bin):
    # The first token lives 8 s (time to start and subscribe on a loaded machine); at its exp
    # the app says `disconnect` token_expired. --reconnect reads the token file again and
    # connects: the channel added in the REPL must be subscribed on the new connection, so
    # that a line is performed on it and the app answers on it.
    with ActionCableApp() as cable:
        first = cable.token(ttl=8)
        path = tmp_path / "token"
        path.write_text(first + "\n")
        secrets = [first]
        terminal = Terminal(tmp_path, secrets)
        try:
            terminal.start(wsauth_bin, cable.url, *APP, "--reconnect", "--token-file", str(path))
            terminal.wait_for(re.compile(r"\[open · actioncable · token [\dms]+\] >"), timeout=20)
            terminal.enter("/subscribe ChatChannel")
            terminal.wait_for("subscribed to ChatChannel")
            second = cable.token(ttl=600)
            secrets.append(second)
            path.write_text(second + "\n")
            terminal.wait_for(re.compile(r"actioncable session open \(subscribed=ChatChannel\)"), timeout=30)
            terminal.enter(SPEAK)
            terminal.wait_for(re.compile(rf"← {STAMP} ChatChannel \{{\"from\":\"alice\",\"text\":\"hello cable\"\}}"))
            terminal.enter("/quit")
            assert terminal.exit_status(timeout=20) == 0
        finally:
            terminal.close()
        records = cable.records()
        assert [r["authorization"] for r in records] == [first, second], records
        assert all(r["verdict"] == "accepted" for r in records), records
