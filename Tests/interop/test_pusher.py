"""`--app pusher` (issue 24) against a Pusher Channels protocol 7 server (peers/
pusher_peer.py: written from Pusher's protocol documentation with `websockets`, no
Pusher server being on PyPI or Debian) whose app side signs channel authorizations
with the official `pusher` library and whose socket verifies them with the same
library. The peer is checked first with someone else's clients (websockets and
requests): if that fails, a wsauth failure below says nothing.
"""

from __future__ import annotations

import json
import re

import pytest

from peers.pusher_peer import KEY, PusherPeer
from support.terminal import STAMP, Terminal

APP = ("--app", "pusher")


@pytest.fixture(scope="module")
def peer():
    with PusherPeer() as p:
        yield p


def private(peer: PusherPeer, *channels: str) -> tuple[str, ...]:
    flags: list[str] = []
    for channel in channels:
        flags += ["--channel", channel]
    return (*APP, *flags, "--channel-auth-url", peer.auth_url)


def sent_events(r) -> list[dict]:
    return [json.loads(s["data"]) for s in r.of("sent")]


def test_peer_signs_and_verifies_with_the_pusher_library_for_websockets_and_requests(peer):
    import requests
    from websockets.sync.client import connect

    token = peer.token()
    with connect(peer.url) as ws:
        established = json.loads(ws.recv(timeout=10))
        assert established["event"] == "pusher:connection_established"
        socket_id = json.loads(established["data"])["socket_id"]
        answer = requests.post(peer.auth_url, data={"socket_id": socket_id, "channel_name": "presence-room"},
                               headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert answer.status_code == 200 and answer.json()["auth"].startswith(f"{KEY}:"), answer.text
        ws.send(json.dumps({"event": "pusher:subscribe", "data": {"channel": "presence-room", **answer.json()}}))
        succeeded = json.loads(ws.recv(timeout=10))
        assert succeeded["event"] == "pusher_internal:subscription_succeeded", succeeded
        assert succeeded["channel"] == "presence-room", succeeded
        # A signature for another socket is refused by the library's check.
        borrowed = {"channel": "private-x", "auth": answer.json()["auth"]}
        ws.send(json.dumps({"event": "pusher:subscribe", "data": borrowed}))
        refused = json.loads(ws.recv(timeout=10))
        assert refused["event"] == "pusher:subscription_error" and refused["channel"] == "private-x", refused
    anonymous = requests.post(peer.auth_url, data={"socket_id": "1.2", "channel_name": "private-x"}, timeout=10)
    assert anonymous.status_code == 401, anonymous.text


# --- wsauth against the peer ----------------------------------------------------------


def test_a_private_channel_is_authorized_with_the_token_and_subscribed(run_wsauth, peer):
    token = peer.token()
    before_auth, before_sockets = len(peer.auth_records()), len(peer.socket_records())
    r = run_wsauth("connect", peer.url, *private(peer, "private-chat"), "--token", token, "--timeout", "20s", "--json",
                   stdin="", secrets=[token])
    assert r.code == 0, r.describe()
    # The token rides in the channel authorization, not in the upgrade.
    assert "Authorization" not in r.one("handshake")["request_headers"], r.describe()
    socket = peer.wait_for_sockets(before_sockets + 1)[before_sockets]
    assert socket["query"] == {"protocol": "7", "client": "wsauth", "version": socket["query"]["version"]}, socket
    auth = peer.auth_records()[before_auth]
    assert auth["authorization"] == f"Bearer {token}" and auth["status"] == 200, auth
    assert auth["socket_id"] == socket["socket_id"] and auth["channel"] == "private-chat", auth
    assert auth["content_type"] == "application/x-www-form-urlencoded"
    # The auth went into pusher:subscribe exactly as the app answered it.
    assert socket["subscribed"] == [{"channel": "private-chat", "data": {"channel": "private-chat", **auth["body"]}}]


def test_presence_channel_data_goes_into_subscribe_as_received(run_wsauth, peer):
    token = peer.token()
    before = len(peer.auth_records())
    r = run_wsauth("connect", peer.url, *private(peer, "presence-room"), "--token", token, "--timeout", "20s",
                   "--json", stdin="", secrets=[token])
    assert r.code == 0, r.describe()
    body = peer.auth_records()[before]["body"]
    assert "channel_data" in body, body
    expected = {"event": "pusher:subscribe", "data": {"channel": "presence-room", **body}}
    assert sent_events(r)[0] == expected, r.describe()


def test_a_session_cookie_from_login_authorizes_and_session_header_too(run_wsauth, peer):
    login = run_wsauth("login", f"{peer.base}/session/login", "--user", "alice", "--password-env", "PASSWORD",
                       env={"PASSWORD": "wonderland"}, secrets=["wonderland"] + peer.issued)
    assert login.code == 0, login.describe()
    before = len(peer.auth_records())
    r = run_wsauth("connect", peer.url, *private(peer, "private-admin"), "--timeout", "20s", "--json", stdin="",
                   secrets=peer.issued)
    assert r.code == 0, r.describe()
    record = peer.auth_records()[before]
    assert record["cookie"] == peer.issued[-1] and record["authorization"] is None and record["status"] == 200, record
    r = run_wsauth("connect", peer.url, *private(peer, "private-admin"), "--session-header", "X-Session-Token",
                   "--timeout", "20s", "--json", stdin="", secrets=peer.issued)
    assert r.code == 0, r.describe()
    record = peer.auth_records()[before + 1]
    assert record["session_header"] == peer.issued[-1] and record["cookie"] is None, record


def test_the_auth_endpoint_refusing_is_exit_2_naming_the_channel_and_status(run_wsauth, peer):
    token = peer.token("bob")
    r = run_wsauth("connect", peer.url, *private(peer, "private-admin"), "--token", token, "--timeout", "20s",
                   "--json", stdin="", secrets=[token])
    assert r.code == 2, r.describe()
    message = r.one("rejected")["message"]
    assert "private-admin" in message and "403" in message, r.describe()
    assert r.one("rejected")["app"] == "pusher"


@pytest.mark.parametrize("refuse, said", [("subscription_error", "pusher:subscription_error (status 401"),
                                          ("null", "pusher:error Invalid signature"),
                                          ("4009", "pusher:error 4009")])
def test_a_refused_signature_is_exit_2_naming_the_channel(run_wsauth, refuse, said):
    # The socket's own check refuses: the app signed with another secret than the socket's.
    with PusherPeer(refuse=refuse) as peer:
        peer.pusher = __import__("pusher").Pusher(app_id="1", key=KEY, secret="not-the-secret")
        token = peer.token()
        r = run_wsauth("connect", peer.url, *private(peer, "private-chat"), "--token", token, "--timeout", "20s",
                       "--json", stdin="", secrets=[token])
        assert r.code == 2, r.describe()
        message = r.one("rejected")["message"]
        assert "private-chat" in message and said in message, r.describe()
        assert peer.wait_for_sockets(1)[0]["refused"][0]["channel"] == "private-chat"


def test_public_subscribe_send_and_receive(run_wsauth, peer):
    before = len(peer.socket_records())
    event = '{"event":"client-typing","channel":"lobby","data":{"who":"alice"}}'
    r = run_wsauth("connect", peer.url, *APP, "--channel", "lobby", "--send", event, "--expect", "client-typing",
                   "--timeout", "20s", "--json")
    assert r.code == 0, r.describe()
    expected = [{"event": "pusher:subscribe", "data": {"channel": "lobby"}}, json.loads(event)]
    assert sent_events(r) == expected, r.describe()
    message = r.one("message")
    assert message["name"] == "echo" and message["channel"] == "lobby", r.describe()
    assert json.loads(message["data"]) == {"event": "client-typing", "data": {"who": "alice"}}, r.describe()
    socket = peer.wait_for_sockets(before + 1)[before]
    assert socket["client_events"] == [json.loads(event)], socket


def test_pings_both_ways_are_ping_and_pong_events(run_wsauth):
    # 1 s of silence and wsauth pings; the server's own ping comes at 1.6 s.
    with PusherPeer(activity_timeout=1, server_ping=1.6) as peer:
        r = run_wsauth("connect", peer.url, *APP, "--expect", "never comes", "--timeout", "3s", "--json")
        assert r.code == 5, r.describe()
        pings, pongs = r.of("ping"), r.of("pong")
        assert {p["direction"] for p in pings} == {"in", "out"}, r.describe()
        assert {p["direction"] for p in pongs} == {"in", "out"}, r.describe()
        socket = peer.wait_for_sockets(1)[0]
        assert socket["pings"] >= 1 and socket["pongs"] >= 1, socket
        assert not r.of("message"), r.describe()


def test_error_4001_ends_the_session_exit_3(run_wsauth, peer):
    r = run_wsauth("connect", peer.url, *APP, "--channel", "lobby", "--reconnect",
                   "--send", '{"event":"client-error","data":{"code":4001,"message":"App disabled"}}',
                   "--expect", "never comes", "--timeout", "20s", "--json")
    assert r.code == 3, r.describe()
    assert "pusher:error 4001 App disabled" in r.one("error")["message"], r.describe()
    assert not r.of("reconnect"), r.describe()


def test_a_wrong_app_key_is_4001_exit_3(run_wsauth, peer):
    r = run_wsauth("connect", peer.url.replace(KEY, "other-key"), *APP, "--timeout", "20s", "--json", stdin="")
    assert r.code == 3, r.describe()
    assert "4001" in r.one("error")["message"], r.describe()


@pytest.mark.parametrize("reconnect, code", [(True, 5), (False, 6)])
def test_error_4201_reconnects_with_reconnect_and_ends_without(run_wsauth, reconnect, code):
    with PusherPeer() as peer:
        token = peer.token()
        flags = ["--reconnect"] if reconnect else []
        r = run_wsauth("connect", peer.url, *private(peer, "private-chat"), "--token", token, *flags,
                       "--send", '{"event":"client-error","data":{"code":4201,"message":"Pong reply not received"}}',
                       "--expect", "never comes", "--timeout", "6s", "--json", secrets=[token], timeout=40)
        assert r.code == code, r.describe()
        if reconnect:
            assert "pusher:error 4201" in r.one("reconnect")["cause"], r.describe()
            sockets = peer.wait_for_sockets(2)
            auths = peer.auth_records()
            assert len(auths) >= 2 and auths[0]["socket_id"] == sockets[0]["socket_id"], (auths, sockets)
            assert auths[1]["socket_id"] == sockets[1]["socket_id"] != sockets[0]["socket_id"], "authorized again"
        else:
            assert not r.of("reconnect") and len(peer.auth_records()) == 1, r.describe()


def test_token_expiry_then_reconnect_authorizes_the_new_socket_with_the_refreshed_token(run_wsauth):
    # The first token lives 4 s: the server ends the socket (4200) when it expires;
    # wsauth refreshes, reconnects, and the new socket_id is authorized with the new token.
    with PusherPeer(first_ttl=4, end_at_expiry=True) as peer:
        login = run_wsauth("login", f"{peer.base}/auth/login", "--user", "alice", "--password-env", "PASSWORD",
                           "--refresh-url", f"{peer.base}/auth/refresh", env={"PASSWORD": "wonderland"},
                           secrets=["wonderland"])
        assert login.code == 0, login.describe()
        r = run_wsauth("connect", peer.url, *private(peer, "private-chat"), "--reconnect", "--refresh-before", "1s",
                       "--expect", "never comes", "--timeout", "10s", "--json", timeout=60, secrets=peer.issued)
        assert r.code == 5, r.describe()
        auths = peer.auth_records()
        sockets = peer.wait_for_sockets(2)
        assert len(auths) == 2, auths
        assert auths[0]["authorization"] == f"Bearer {peer.issued[0]}", auths
        assert auths[0]["socket_id"] == sockets[0]["socket_id"], (auths, sockets)
        assert auths[1]["authorization"] == f"Bearer {peer.issued[2]}", "the refreshed token"
        assert auths[1]["socket_id"] == sockets[1]["socket_id"] != sockets[0]["socket_id"], "the new socket_id"
        assert peer.refreshes == 1 and len(r.of("refresh")) == 1, r.describe()
        assert "pusher:error 4200" in r.one("reconnect")["cause"], r.describe()


def test_sent_events_come_in_the_order_the_peer_received_the_frames(run_wsauth, peer):
    # A private channel between two public ones: its authorization is an HTTP step that
    # wsauth performs while the public subscriptions are already queued.
    token = peer.token()
    before = len(peer.socket_records())
    r = run_wsauth("connect", peer.url, *APP, "--channel", "lobby", "--channel", "private-chat", "--channel", "news",
                   "--channel-auth-url", peer.auth_url, "--token", token, "--timeout", "20s", "--json", stdin="",
                   secrets=[token])
    assert r.code == 0, r.describe()
    received = [s["channel"] for s in peer.wait_for_sockets(before + 1)[before]["subscribed"]]
    sent = [e["data"]["channel"] for e in sent_events(r) if e["event"] == "pusher:subscribe"]
    assert sorted(received) == ["lobby", "news", "private-chat"], received
    assert sent == received, r.describe()


def test_the_authorization_on_another_host_gets_no_bearer(run_wsauth, peer):
    # localhost is another host than the socket's 127.0.0.1: the token stays home.
    token = peer.token()
    before = len(peer.auth_records())
    elsewhere = peer.auth_url.replace("127.0.0.1", "localhost")
    r = run_wsauth("connect", peer.url, *APP, "--channel", "private-chat", "--channel-auth-url", elsewhere,
                   "--token", token, "--timeout", "20s", "--json", stdin="", secrets=[token])
    assert r.code == 2, r.describe()
    record = peer.auth_records()[before]
    assert record["authorization"] is None and record["status"] == 401, record
    assert "401" in r.one("rejected")["message"], r.describe()


def test_audit_passes_the_secure_app_and_fails_a_lax_one(run_wsauth, peer):
    token = peer.token()
    r = run_wsauth("audit", peer.url, *private(peer, "private-chat"), "--token", token, "-m", "60s", "--json",
                   secrets=[token])
    assert r.code == 0, r.describe()
    checks = {c["name"]: c["verdict"] for c in r.of("check")}
    judged = ("no-credentials", "malformed-token", "tampered-signature", "alg-none")
    assert all(checks[name] == "pass" for name in judged), checks
    with PusherPeer(lax=True) as lax:
        token = lax.token()
        r = run_wsauth("audit", lax.url, *private(lax, "private-chat"), "--token", token, "-m", "60s", "--json",
                       secrets=[token])
        assert r.code == 7, r.describe()
        checks = {c["name"]: c["verdict"] for c in r.of("check")}
        assert checks["no-credentials"] == "fail" and checks["alg-none"] == "fail", checks
        # The app was asked with nothing (no Authorization) and signed anyway.
        assert any(a["authorization"] is None and a["status"] == 200 for a in lax.auth_records()), lax.auth_records()


def test_codes_knows_the_pusher_ranges(run_wsauth):
    r = run_wsauth("codes", "4009")
    assert r.code == 0, r.describe()
    assert "4009  --app pusher close code: Connection is unauthorized" in r.text, r.describe()
    assert "4000–4099  --app pusher close code: Do not reconnect" in r.text, r.describe()
    r = run_wsauth("codes", "4250")
    assert "4200–4299  --app pusher close code: Reconnect" in r.text, r.describe()
    assert "4000–4099" not in r.text and "4009  --app pusher" not in r.text, r.describe()


@pytest.mark.parametrize("flags, words", [
    (("--channel", "private-chat"), "--channel-auth-url"),
    (("--channel", "private-chat", "--channel-auth-url", "ftp://x/auth"), "--channel-auth-url"),
    (("--channel", "no spaces"), "--channel"),
])
def test_bad_pusher_flags_are_one_line_and_64(run_wsauth, flags, words):
    r = run_wsauth("connect", "ws://127.0.0.1:9/app/key", *APP, *flags, "--token", "t", stdin="")
    assert r.code == 64, r.describe()
    assert words in r.last_line and len(r.stderr.strip().splitlines()) == 1, r.describe()


def test_a_url_without_app_key_is_64(run_wsauth):
    r = run_wsauth("connect", "ws://127.0.0.1:9/socket", *APP, stdin="")
    assert r.code == 64 and "ws(s)://HOST/app/KEY" in r.last_line, r.describe()


# --- the REPL under tmux ---------------------------------------------------------------

def test_repl_subscribe_send_and_unsubscribe(tmp_path, wsauth_bin, peer):
    token = peer.token()
    (tmp_path / "token").write_text(token + "\n")
    before = len(peer.socket_records())
    terminal = Terminal(tmp_path, [token])
    try:
        terminal.start(wsauth_bin, peer.url, *APP, "--channel-auth-url", peer.auth_url,
                       "--token-file", str(tmp_path / "token"))
        terminal.wait_for(re.compile(r"\[open · pusher · token \d+m\d+s\] >"), timeout=20)
        terminal.enter("/subscribe private-chat")
        terminal.wait_for(re.compile(r"subscribed to private-chat"))
        terminal.enter('{"event":"client-typing","channel":"private-chat","data":{"who":"alice"}}')
        terminal.wait_for(re.compile(rf"→ {STAMP} private-chat client-typing \{{\"who\":\"alice\"\}}"))
        terminal.wait_for(re.compile(rf"← {STAMP} private-chat echo "))
        terminal.enter("/complete private-chat")
        terminal.wait_for(re.compile(r"unsubscribed from private-chat"))
        terminal.enter("/quit")
        assert terminal.exit_status(timeout=20) == 0
    finally:
        terminal.close()
    socket = peer.wait_for_sockets(before + 1)[before]
    assert [s["channel"] for s in socket["subscribed"]] == ["private-chat"], socket
    assert socket["unsubscribed"] == ["private-chat"], socket


def test_doctor_says_the_app_refused_the_authorization_and_what_to_check(run_wsauth, peer):
    token = peer.token("bob")
    r = run_wsauth("doctor", peer.url, *private(peer, "private-admin"), "--token", token, "--repeat", "1", "-m", "30s",
                   "--json", secrets=[token])
    assert r.code == 2, r.describe()
    app = [f for f in r.of("finding") if f["check"] == "app"][0]
    assert "private-admin" in app["detail"] and "403" in app["detail"], app
    assert "--channel-auth-url" in app["fix"], app
    token = peer.token()
    r = run_wsauth("doctor", peer.url, *private(peer, "private-admin"), "--token", token, "--repeat", "1", "-m", "30s",
                   secrets=[token])
    assert r.code == 0, r.describe()
    assert "pusher accepted the credentials at its own handshake" in r.text + r.stderr, r.describe()


def test_repl_subscriptions_are_subscribed_again_after_expiry_and_reconnect(tmp_path, wsauth_bin):
    # The token that authorized private-chat lives 8 s (time to start and subscribe on a loaded
    # machine); at its expiry the server ends the socket (4200). --reconnect reads the token file
    # again and connects: the channels added in the REPL must be subscribed on the new socket,
    # the private one authorized again with the new token for the new socket_id.
    with PusherPeer(end_at_expiry=True) as peer:
        first = peer.token(ttl=8)
        path = tmp_path / "token"
        path.write_text(first + "\n")
        secrets = [first]
        terminal = Terminal(tmp_path, secrets)
        try:
            terminal.start(wsauth_bin, peer.url, *APP, "--channel-auth-url", peer.auth_url, "--reconnect",
                           "--token-file", str(path))
            terminal.wait_for(re.compile(r"\[open · pusher · token [\dms]+\] >"), timeout=20)
            terminal.enter("/subscribe private-chat")
            terminal.wait_for("subscribed to private-chat")
            terminal.enter("/subscribe lobby")
            terminal.wait_for("subscribed to lobby")
            second = peer.token(ttl=600)
            secrets.append(second)
            path.write_text(second + "\n")
            terminal.wait_for(re.compile(r"pusher session open .*private-chat, lobby"), timeout=30)
            terminal.enter('{"event":"client-typing","channel":"private-chat","data":{"after":"reconnect"}}')
            terminal.wait_for(re.compile(rf"← {STAMP} private-chat echo .*reconnect"))
            terminal.enter("/quit")
            assert terminal.exit_status(timeout=20) == 0
        finally:
            terminal.close()
        sockets = peer.wait_for_sockets(2)
        assert len(sockets) == 2, sockets
        assert [s["channel"] for s in sockets[1]["subscribed"]] == ["private-chat", "lobby"], sockets[1]
        auths = [a for a in peer.auth_records() if a["channel"] == "private-chat"]
        assert [a["authorization"] for a in auths] == [f"Bearer {first}", f"Bearer {second}"], auths
        assert auths[1]["socket_id"] == sockets[1]["socket_id"] != sockets[0]["socket_id"], (auths, sockets)
