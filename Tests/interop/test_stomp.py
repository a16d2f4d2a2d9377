"""`--app stomp` (issue 12) against a Spring-style STOMP-over-WebSocket peer
(peers/stomp_peer.py, its own frame code) and against RabbitMQ's Web-STOMP
plugin, a broker instance of our own started for the run (rabbitmq.py).

The peer is checked first with a plain `websockets` client: if it fails, a
wsauth failure below says nothing about wsauth.
"""

from __future__ import annotations

import os

import pytest
from websockets.sync.client import connect as ws_connect

from peers.stomp_peer import STOMPServer, decode, encode
from wsauth_runner import check_result
from support.terminal import STAMP, Terminal

APP = ("--app", "stomp")


def test_peer_answers_connect_subscribe_and_send():
    with STOMPServer() as server:
        with ws_connect(server.url, subprotocols=["v12.stomp"], open_timeout=10) as ws:
            assert ws.subprotocol == "v12.stomp"
            ws.send(encode("CONNECT", {"accept-version": "1.2", "host": "x", "Authorization": f"Bearer {server.token()}"}))
            assert decode(ws.recv(timeout=10))[0] == "CONNECTED"
            ws.send(encode("SUBSCRIBE", {"id": "0", "destination": "/topic/a"}))
            ws.send(encode("SEND", {"destination": "/topic/a", "receipt": "r1"}, "hi"))
            frames = [decode(ws.recv(timeout=10)) for _ in range(2)]
            assert sorted(f[0] for f in frames) == ["MESSAGE", "RECEIPT"]
            assert [f[2] for f in frames if f[0] == "MESSAGE"] == ["hi"]
        with ws_connect(server.url, subprotocols=["v12.stomp"], open_timeout=10) as ws:
            ws.send(encode("CONNECT", {"accept-version": "1.2", "host": "x", "Authorization": "Bearer nope"}))
            command, headers, _ = decode(ws.recv(timeout=10))
            assert command == "ERROR" and headers["message"] == "invalid token"


# --- wsauth against the peer ---------------------------------------------------------


def connects(server: STOMPServer, count: int) -> list[dict]:
    return server.connects.wait_for(lambda items: items if len(items) >= count else None, 15, f"{count} CONNECT(s)")


def test_bearer_token_in_connect_is_accepted(run_wsauth):
    with STOMPServer() as server:
        token = server.token()
        r = run_wsauth("connect", server.url, *APP, "--token", token, "--timeout", "20s", "--json",
                       stdin="", secrets=[token])
        assert r.code == 0, r.describe()
        assert r.of("handshake")[0]["subprotocol"] == "v12.stomp"
        connect = connects(server, 1)[0]
        assert connect["accepted"] and connect["headers"]["Authorization"] == f"Bearer {token}"
        assert connect["headers"]["accept-version"] == "1.0,1.1,1.2" and connect["headers"]["host"] == "127.0.0.1"
        sent = r.of("sent")[0]["data"]
        assert sent.startswith("CONNEC") and "redacted" in sent and token not in sent, "CONNECT is redacted"
        # Leaving: DISCONNECT with a receipt (STOMP 1.2 "DISCONNECT").
        frames = server.frames.wait_for(lambda items: items if any(f["command"] == "DISCONNECT" for f in items) else None,
                                        10, "DISCONNECT")
        assert [f["headers"].get("receipt") for f in frames if f["command"] == "DISCONNECT"] == ["wsauth-disconnect"]


@pytest.mark.parametrize("kind, message", [("forged", "invalid token"), ("expired", "token expired")])
def test_an_error_before_connected_exits_2_with_its_message(run_wsauth, kind, message):
    with STOMPServer() as server:
        token = server.token(key=b"not-the-key") if kind == "forged" else server.token(ttl=-10)
        r = run_wsauth("connect", server.url, *APP, "--token", token, "--timeout", "20s", "--json",
                       stdin="", secrets=[token])
        assert r.code == 2, r.describe()
        rejected = r.of("rejected")[0]
        assert rejected["app"] == "stomp" and rejected["message"] == f"{message}: Access refused"


def test_subscribe_send_and_receive_own_message(run_wsauth):
    with STOMPServer() as server:
        token = server.token()
        r = run_wsauth("connect", server.url, *APP, "--token", token, "--subscribe", "/topic/chat",
                       "--destination", "/topic/chat", "--send", "hello stomp", "--send", "second",
                       "--expect", "^hello stomp$", "--count", "2", "--timeout", "20s", "--json", secrets=[token])
        assert r.code == 0, r.describe()
        messages = r.of("message")
        assert [m["data"] for m in messages] == ["hello stomp", "second"], r.describe()
        assert messages[0]["headers"]["destination"] == "/topic/chat"
        assert messages[0]["headers"]["subscription"] == "sub-0"
        commands = [f["command"] for f in server.frames.snapshot()]
        assert commands[:3] == ["SUBSCRIBE", "SEND", "SEND"], commands


def test_a_line_without_destination_is_not_sent(run_wsauth):
    with STOMPServer() as server:
        token = server.token()
        r = run_wsauth("connect", server.url, *APP, "--token", token, "--timeout", "20s",
                       stdin="not sent anywhere\n", secrets=[token])
        assert r.code == 0, r.describe()
        # CONNECTED's facts are in the handshake's narration.
        assert "stomp session open (version=1.2, server=stomp-peer/1" in r.stderr, r.describe()
        assert "no --destination" in r.stderr
        assert "SEND" not in [f["command"] for f in server.frames.snapshot()]


def test_login_passcode_from_a_password_flag(run_wsauth):
    with STOMPServer() as server:
        ok = run_wsauth("connect", server.url, *APP, "--user", "alice", "--password-env", "PW", "--timeout", "20s",
                        "--json", env={"PW": "wonderland"}, stdin="", secrets=["wonderland"])
        assert ok.code == 0, ok.describe()
        assert connects(server, 1)[0]["headers"]["passcode"] == "wonderland"
        bad = run_wsauth("connect", server.url, *APP, "--user", "alice", "--password-env", "PW", "--timeout", "20s",
                         env={"PW": "not-the-password"}, stdin="", secrets=["not-the-password"])
        assert bad.code == 2 and "bad login" in bad.stderr, bad.describe()


def test_heart_beats_both_ways(run_wsauth):
    # We offer 500 ms; the peer sends every 500 ms and wants ours every 500 ms.
    with STOMPServer(heart_beat=(500, 500)) as server:
        token = server.token()
        r = run_wsauth("connect", server.url, *APP, "--token", token, "--stomp-heart-beat", "500ms",
                       "--subscribe", "/topic/x", "--destination", "/topic/x", "--send", "late",
                       "--expect", "never", "--timeout", "4s", "--json", secrets=[token])
        # Still alive at --timeout (5): neither side's heart-beat watch ended it.
        assert r.code == 5, r.describe()
        pings = r.of("ping")
        assert len([p for p in pings if p["direction"] == "in"]) >= 3, r.describe()
        assert len([p for p in pings if p["direction"] == "out"]) >= 3, r.describe()
        assert len(server.heart_beats_in.snapshot()) >= 3


def test_a_server_gone_silent_is_a_drop(run_wsauth, tokens):
    # Heart-beats negotiated, then nothing: gone after twice the interval.
    with STOMPServer(heart_beat=(500, 0), script=[]) as server:
        token = server.token()
        r = run_wsauth("connect", server.url, *APP, "--token", token, "--stomp-heart-beat", "500ms",
                       "--expect", "never", "--timeout", "20s", "--json", secrets=[token])
    assert r.code == 4, r.describe()
    assert r.elapsed < 10
    assert "heart-beat" in r.of("error")[0]["message"], r.describe()


@pytest.mark.parametrize("garbage", ["garbage\n\n\x00", "MESSAGE\nno-colon\n\n\x00", "MESSAGE\n\nno NUL",
                                     "MESSAGE\nbad:\\t\n\n\x00", "CONNECTED\n\n\x00"])
def test_garbage_frames_exit_3(run_wsauth, garbage):
    with STOMPServer(script=[garbage]) as server:
        token = server.token()
        r = run_wsauth("connect", server.url, *APP, "--token", token, "--expect", "never", "--timeout", "20s",
                       "--json", secrets=[token])
    assert r.code == 3, r.describe()
    assert r.of("close")[0]["code"] == 1002


def test_reconnect_after_an_expired_token_connects_with_the_refreshed_one(run_wsauth):
    with STOMPServer() as server:
        login = run_wsauth("login", f"{server.base}/auth/login", "--user", "alice", "--password-env", "PASSWORD",
                           "--refresh-url", f"{server.base}/auth/refresh", env={"PASSWORD": "wonderland"},
                           secrets=["wonderland"])
        assert login.code == 0, login.describe()
        server.expired_early.add(server.issued[0])
        r = run_wsauth("connect", server.url, *APP, "--reconnect", "--subscribe", "/topic/r", "--destination", "/topic/r",
                       "--send", "after refresh", "--expect", "after refresh", "--timeout", "30s", "--json", timeout=60)
        check_result(r, server.issued)
        assert r.code == 0, r.describe()
        first, second = connects(server, 2)[:2]
        assert first["headers"]["Authorization"] == f"Bearer {server.issued[0]}" and first["message"] == "token expired"
        assert second["accepted"] and second["headers"]["Authorization"] == f"Bearer {server.issued[2]}"
        assert len(r.of("refresh")) == 1 == server.refreshes


@pytest.mark.parametrize("flags", [[*APP, "--auth-message", "no colon {token}"], [*APP, "--user", "u"],
                                   [*APP, "--password-env", "PW"], [*APP, "--user", "u", "--password-stdin", "--token-stdin"]])
def test_bad_stomp_flags_are_usage_errors(run_wsauth, flags):
    token = [] if "--token-stdin" in flags else ["--token", "t"]
    r = run_wsauth("connect", "ws://127.0.0.1:9/", *flags, *token, env={"PW": "x"}, stdin="x\n", secrets=["x"])
    assert r.code == 64 and len(r.stderr.strip().splitlines()) == 1, r.describe()


# --- wsauth against RabbitMQ Web-STOMP -----------------------------------------------

@pytest.fixture(scope="module")
def rabbitmq():
    from peers.rabbitmq import RabbitMQ, available

    why = available()
    if why:
        pytest.skip(why)
    broker = RabbitMQ().start()
    try:
        yield broker
    finally:
        broker.stop()


def rabbit(run_wsauth, broker, *args: str, password: str | None = None, **kw):
    """`connect` to the broker's Web-STOMP with login/passcode; RabbitMQ's vhost is the STOMP host."""
    password = broker.password if password is None else password
    return run_wsauth("connect", broker.url, *APP, "--stomp-host", "/", "--user", broker.user, "--password-env", "PW",
                      *args, env={"PW": password}, secrets=[password], **kw)


def test_rabbitmq_login_passcode_accepted(run_wsauth, rabbitmq):
    r = rabbit(run_wsauth, rabbitmq, "--timeout", "30s", stdin="")
    assert r.code == 0, r.describe()
    assert "stomp session open (version=1.2, server=RabbitMQ/" in r.stderr, r.describe()


def test_rabbitmq_wrong_passcode_is_a_rejection(run_wsauth, rabbitmq):
    r = rabbit(run_wsauth, rabbitmq, "--timeout", "30s", "--json", password="not-the-password", stdin="")
    assert r.code == 2, r.describe()
    rejected = r.of("rejected")[0]
    assert rejected["app"] == "stomp" and "Access refused" in rejected["message"], r.describe()


def test_rabbitmq_subscribe_send_and_receive(run_wsauth, rabbitmq):
    r = rabbit(run_wsauth, rabbitmq, "--subscribe", "/queue/wsauth-test", "--destination", "/queue/wsauth-test",
               "--send", "through rabbit", "--expect", "^through rabbit$", "--timeout", "30s", "--json")
    assert r.code == 0, r.describe()
    message = r.of("message")[0]
    assert message["data"] == "through rabbit"
    assert message["headers"]["destination"] == "/queue/wsauth-test" and message["headers"]["subscription"] == "sub-0"
    assert "message-id" in message["headers"]


def test_rabbitmq_heart_beats(run_wsauth, rabbitmq):
    r = rabbit(run_wsauth, rabbitmq, "--stomp-heart-beat", "1s", "--subscribe", "/queue/wsauth-quiet",
               "--expect", "never", "--timeout", "5s", "--json")
    assert r.code == 5, r.describe()
    pings = r.of("ping")
    assert len([p for p in pings if p["direction"] == "in"]) >= 2, r.describe()
    assert len([p for p in pings if p["direction"] == "out"]) >= 2, r.describe()


# RabbitMQ's rabbitmq_auth_backend_oauth2 (HS256 key of the broker's own): the JWT is the
# passcode. `--auth-message 'passcode:{token}'` puts the token there; without a login
# header RabbitMQ logs in its default login, whose name the OAuth 2 backend ignores.

def rabbit_jwt(run_wsauth, broker, token: str, *args: str, **kw):
    return run_wsauth("connect", broker.url, *APP, "--stomp-host", "/", "--token-env", "JWT",
                      "--auth-message", "passcode:{token}", *args, env={"JWT": token}, secrets=[token], **kw)


def test_rabbitmq_oauth2_jwt_as_passcode_subscribes_sends_and_receives(run_wsauth, rabbitmq):
    r = rabbit_jwt(run_wsauth, rabbitmq, rabbitmq.jwt(300), "--subscribe", "/queue/wsauth-jwt",
                   "--destination", "/queue/wsauth-jwt", "--send", "signed in", "--expect", "^signed in$",
                   "--timeout", "30s", "--json")
    assert r.code == 0, r.describe()
    assert [m["data"] for m in r.of("message")] == ["signed in"]


def test_rabbitmq_oauth2_scopes_decide_what_the_token_may_do(run_wsauth, rabbitmq):
    """A token without rabbitmq.write logs in, but RabbitMQ 3.10's Web-STOMP ends the socket at
    the SEND (close 1000 "STOMP died", no ERROR frame), where the full token above went through."""
    token = rabbitmq.jwt(300, scope="rabbitmq.read:*/* rabbitmq.configure:*/*")
    r = rabbit_jwt(run_wsauth, rabbitmq, token, "--subscribe", "/queue/wsauth-scoped", "--destination", "/queue/wsauth-scoped",
                   "--send", "not allowed", "--expect", "^not allowed$", "--timeout", "30s", "--json")
    assert r.code == 5 and not r.of("message"), r.describe()
    close = r.of("close")[0]
    assert (close["initiator"], close["code"], close["reason"]) == ("server", 1000, "STOMP died"), r.describe()


def test_rabbitmq_oauth2_jwt_as_the_password_of_a_login_works_too(run_wsauth, rabbitmq):
    token = rabbitmq.jwt(300)
    r = rabbit(run_wsauth, rabbitmq, "--timeout", "30s", "--json", password=token, stdin="")
    assert r.code == 0 and not r.of("rejected"), r.describe()


@pytest.mark.parametrize("kind", ["expired", "other-key"])
def test_rabbitmq_oauth2_refuses_an_expired_or_forged_jwt(run_wsauth, rabbitmq, kind):
    token = rabbitmq.jwt(-60) if kind == "expired" else rabbitmq.jwt(300, key=os.urandom(32))
    r = rabbit_jwt(run_wsauth, rabbitmq, token, "--timeout", "30s", "--json", stdin="")
    assert r.code == 2, r.describe()
    rejected = r.of("rejected")[0]
    assert rejected["app"] == "stomp" and "Access refused" in rejected["message"], r.describe()


def test_rabbitmq_oauth2_refusal_with_reconnect_refreshes_and_connects_with_the_new_jwt(run_wsauth, rabbitmq):
    from peers.rabbitmq import BrokerTokens

    with BrokerTokens(rabbitmq) as tokens:
        login = run_wsauth("login", f"{tokens.base}/auth/login", "--user", "alice", "--password-env", "PASSWORD",
                           "--refresh-url", f"{tokens.base}/auth/refresh", env={"PASSWORD": "wonderland"},
                           secrets=["wonderland"])
        assert login.code == 0, login.describe()
        r = run_wsauth("connect", rabbitmq.url, *APP, "--stomp-host", "/", "--auth-message", "passcode:{token}",
                       "--reconnect", "--subscribe", "/queue/wsauth-again", "--destination", "/queue/wsauth-again",
                       "--send", "after refresh", "--expect", "^after refresh$", "--timeout", "30s", "--json", timeout=60)
        check_result(r, tokens.issued)
        assert r.code == 0, r.describe()
        assert "Access refused" in r.of("rejected")[0]["message"], r.describe()
        assert len(r.of("refresh")) == 1 == tokens.refreshes and r.of("refresh")[0]["ok"], r.describe()
        assert [m["data"] for m in r.of("message")] == ["after refresh"]


def test_audit_passes_rabbitmq_oauth2_at_connect(run_wsauth, rabbitmq):
    """The credential matrix against a real broker: every bad JWT refused at CONNECT."""
    token, expired = rabbitmq.jwt(300), rabbitmq.jwt(-60)
    r = run_wsauth("audit", rabbitmq.url, *APP, "--stomp-host", "/", "--token-env", "JWT", "--auth-message", "passcode:{token}",
                   "--expired-token-env", "OLD", "--only", ",".join(MUST_REFUSE), "--json",
                   env={"JWT": token, "OLD": expired}, secrets=[token, expired])
    assert r.code == 0, r.describe()
    assert {c["name"]: c["verdict"] for c in r.of("check")} == {name: "pass" for name in MUST_REFUSE}, r.describe()


MUST_REFUSE = ["no-credentials", "malformed-token", "tampered-signature", "alg-none", "expired-token"]


@pytest.mark.parametrize("lax", [False, True], ids=["secure", "lax"])
def test_audit_judges_credentials_at_connect(run_wsauth, lax):
    with STOMPServer(lax=lax) as server:
        token, expired = server.token(), server.token(ttl=-10)
        r = run_wsauth("audit", server.url, *APP, "--token", token, "--expired-token", expired,
                       "--only", ",".join(MUST_REFUSE), secrets=[token, expired], timeout=120)
        verdicts = {line.split()[1]: line.split()[0] for line in r.text.splitlines() if line[:4] in ("PASS", "FAIL", "SKIP", "WARN")}
        assert set(MUST_REFUSE) <= verdicts.keys(), r.describe()
        # Every upgrade got 101: the verdict comes from CONNECT.
        if lax:
            assert r.code == 7 and all(verdicts[name] == "FAIL" for name in MUST_REFUSE), r.describe()
            assert "stomp accepted it" in r.text
        else:
            assert r.code == 0 and all(verdicts[name] == "PASS" for name in MUST_REFUSE), r.describe()
            assert "stomp refused it: token expired" in r.text
            refused = [c for c in server.connects.snapshot() if not c["accepted"]]
            assert {c["message"] for c in refused} >= {"no credentials", "invalid token", "token expired"}, refused


def test_repl_subscribe_send_and_unsubscribe(tmp_path, wsauth_bin):
    import re


    with STOMPServer() as server:
        token = server.token()
        (tmp_path / "token").write_text(token + "\n")
        terminal = Terminal(tmp_path, [token])
        try:
            terminal.start(wsauth_bin, server.url, *APP, "--destination", "/topic/r", "--token-file", str(tmp_path / "token"))
            terminal.wait_for(re.compile(r"\[open · stomp · token \d+m\d+s\] >"), timeout=20)
            terminal.type_text("/subscribe /topic/r")
            terminal.type("Enter")
            terminal.wait_for(re.compile(r"subscribed to /topic/r as sub-0"))
            terminal.type_text("over the repl")
            terminal.type("Enter")
            terminal.wait_for(re.compile(rf"← {STAMP} .*over the repl"))
            terminal.type_text("/complete sub-0")
            terminal.type("Enter")
            server.frames.wait_for(lambda items: [f for f in items if f["command"] == "UNSUBSCRIBE"], 10, "UNSUBSCRIBE")
            terminal.type_text("/quit")
            terminal.type("Enter")
            assert terminal.exit_status(timeout=20) == 0
        finally:
            terminal.close()
        unsubscribe = [f for f in server.frames.snapshot() if f["command"] == "UNSUBSCRIBE"]
        assert [f["headers"]["id"] for f in unsubscribe] == ["sub-0"]


def test_a_passcode_with_a_line_break_or_nul_is_refused_64_without_showing_it(run_wsauth):
    for passcode in ("pass\rword", "pass\nword"):
        r = run_wsauth("connect", "ws://127.0.0.1:9/ws", *APP, "--user", "guest", "--password-env", "PW",
                       env={"PW": passcode}, stdin="")
        assert r.code == 64, r.describe()
        assert r.last_line.endswith("holds a CR, LF or NUL, which a STOMP header cannot carry"), r.describe()
        assert "pass" not in r.stderr.replace("passcode", "").replace("--password", ""), r.describe()


def test_repl_subscriptions_are_subscribed_again_after_expiry_and_reconnect(tmp_path, wsauth_bin):
    # The first token lives 8 s (time to start and subscribe on a loaded machine); at its exp
    # the server sends ERROR. --reconnect reads the token file again and connects: the
    # subscription added in the REPL must be subscribed again, with its id, so that a line
    # sent to its destination comes back on the new connection.
    import re

    with STOMPServer(end_at_expiry=True) as server:
        first = server.token(ttl=8)
        path = tmp_path / "token"
        path.write_text(first + "\n")
        secrets = [first]
        terminal = Terminal(tmp_path, secrets)
        try:
            terminal.start(wsauth_bin, server.url, *APP, "--reconnect", "--destination", "/topic/r",
                           "--token-file", str(path))
            terminal.wait_for(re.compile(r"\[open · stomp · token [\dms]+\] >"), timeout=20)
            terminal.enter("/subscribe /topic/r")
            terminal.wait_for("subscribed to /topic/r as sub-0")
            second = server.token(ttl=600)
            secrets.append(second)
            path.write_text(second + "\n")
            terminal.wait_for(lambda screen: screen.count("stomp session open") == 2, timeout=30)
            terminal.enter("after the reconnect")
            terminal.wait_for(re.compile(rf"← {STAMP} .*after the reconnect"))
            terminal.enter("/quit")
            assert terminal.exit_status(timeout=20) == 0
        finally:
            terminal.close()
        seen = connects(server, 2)
        assert [c["headers"]["Authorization"] for c in seen] == [f"Bearer {first}", f"Bearer {second}"], seen
        subscribes = [f["headers"] for f in server.frames.snapshot() if f["command"] == "SUBSCRIBE"]
        assert [(s["id"], s["destination"]) for s in subscribes] == [("sub-0", "/topic/r")] * 2, subscribes
