"""`--app mqtt` (issue 24) against Mosquitto 2 from Debian, a broker of the run's
own (peers/mosquitto.py): a websockets listener, a password file whose password
for ``alice`` is a JWT, and an ACL. The broker is checked first with paho-mqtt,
someone else's client: if that fails, a wsauth failure below says nothing.
"""

from __future__ import annotations

import re
import threading
import time

import pytest

from peers import amqtt_peer, mosquitto
from peers.amqtt_peer import AmqttBroker
from peers.mosquitto import Mosquitto, MosquittoLogins
from peers.mqtt5_disconnect_peer import MQTT5DisconnectPeer
from support.terminal import STAMP, Terminal

APP = ("--app", "mqtt")
VERSIONS = [("3.1.1", 4), ("5", 5)]

pytestmark = pytest.mark.skipif(mosquitto.available() is not None or amqtt_peer.available() is not None,
                                reason=mosquitto.available() or amqtt_peer.available() or "")


@pytest.fixture
def broker():
    with Mosquitto() as server:
        yield server


def paho(server, user: str | None, password: str | None, version: int = 4, client_id: str | None = None):
    import paho.mqtt.client as mqtt

    protocol = mqtt.MQTTv311 if version == 4 else mqtt.MQTTv5
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id or f"paho-{version}",
                         transport="websockets", protocol=protocol)
    client.ws_set_options(path="/mqtt")
    if user is not None:
        client.username_pw_set(user, password)
    return client


def wait(condition, timeout: float = 10.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_peer_accepts_the_jwt_password_and_refuses_another_with_paho(broker):
    received: list[bytes] = []
    good = paho(broker, "alice", broker.alice_token)
    subscribed = threading.Event()
    good.on_message = lambda c, u, m: received.append(m.payload)
    good.on_subscribe = lambda c, u, mid, codes, p: subscribed.set()
    good.connect("127.0.0.1", broker.port)
    good.loop_start()
    try:
        assert wait(good.is_connected)
        good.subscribe("chat/a")
        assert subscribed.wait(10)
        good.publish("chat/a", b"hi").wait_for_publish(5)
        assert wait(lambda: received == [b"hi"])
    finally:
        good.disconnect()
        good.loop_stop()
    codes: list[object] = []
    bad = paho(broker, "alice", "not-the-token")
    bad.on_connect = lambda c, u, f, rc, p: codes.append(rc)
    bad.connect("127.0.0.1", broker.port)
    bad.loop_start()
    try:
        assert wait(lambda: bool(codes)) and codes[0].is_failure, codes
    finally:
        bad.loop_stop()


# --- wsauth against the broker ----------------------------------------------------


@pytest.mark.parametrize("version,level", VERSIONS)
def test_the_token_is_the_connect_password_and_the_user_its_sub(run_wsauth, broker, version, level):
    token = broker.alice_token
    r = run_wsauth("connect", broker.url, *APP, "--mqtt-version", version, "--mqtt-client-id", f"cid-{level}",
                   "--token", token, "--timeout", "20s", "-v", stdin="", secrets=[token])
    assert r.code == 0, r.describe()
    assert f"mqtt session open (version={version}, client id=cid-{level})" in r.stderr, r.describe()
    assert "Sec-WebSocket-Protocol: mqtt" in r.stderr, r.describe()
    assert broker.connects() == [{"client": f"cid-{level}", "level": 2 if level == 4 else 5, "keepalive": 30, "user": "alice"}]
    # Leaving is DISCONNECT, then the WebSocket close 1000 (docs/protocols.md).
    broker.wait_log(rf"Client cid-{level} disconnected\.")


@pytest.mark.parametrize("version,code", [("3.1.1", "0x05 Connection Refused, not authorized"), ("5", "0x87 Not authorized")])
def test_a_wrong_token_is_refused_in_connack_exit_2(run_wsauth, broker, version, code):
    r = run_wsauth("connect", broker.url, *APP, "--mqtt-version", version, "--token", "wrong-token", "--timeout", "20s",
                   "--json", stdin="")
    assert r.code == 2, r.describe()
    rejected = r.one("rejected")
    assert rejected["app"] == "mqtt" and rejected["message"].startswith(f"CONNACK {code[:4]}"), r.describe()
    assert f"mqtt refused the credentials: CONNACK {code}" in r.last_line, r.describe()


def test_a_user_with_a_password_logs_in_instead_of_the_token(run_wsauth, broker, tmp_path):
    password = tmp_path / "pw"
    password.write_text(broker.bob_password + "\n")
    r = run_wsauth("connect", broker.url, *APP, "--user", "bob", "--password-file", str(password),
                   "--mqtt-client-id", "bob-1", "--timeout", "20s", "--json", stdin="", secrets=[broker.bob_password])
    assert r.code == 0, r.describe()
    assert broker.connects()[0]["user"] == "bob"


@pytest.mark.parametrize("version,level", VERSIONS)
def test_subscribe_publish_and_receive(run_wsauth, broker, version, level):
    token = broker.alice_token
    r = run_wsauth("connect", broker.url, *APP, "--mqtt-version", version, "--token", token,
                   "--subscribe", "chat/#", "--destination", "chat/room", "--send", "hello broker",
                   "--expect", "^hello broker$", "--timeout", "20s", "--json", secrets=[token])
    assert r.code == 0, r.describe()
    message = [m for m in r.of("message")][0]
    assert message["topic"] == "chat/room" and message["data"] == "hello broker", r.describe()


def test_a_refused_subscription_is_exit_2_naming_the_topic(run_wsauth):
    # Mosquitto 2.0.11 grants a SUBACK for a filter its ACL denies (and then delivers
    # nothing): amqtt's topic plugin refuses it with 0x80.
    with AmqttBroker() as broker:
        token = broker.token()
        r = run_wsauth("connect", broker.url, *APP, "--token", token, "--subscribe", "chat/a",
                       "--subscribe", "secret/plans", "--timeout", "20s", "--json", stdin="", secrets=[token])
        assert r.code == 2, r.describe()
        assert "the subscription to secret/plans was refused: SUBACK 0x80 Unspecified error" in r.last_line, r.describe()
        assert r.one("rejected")["app"] == "mqtt"


def test_amqtt_peer_takes_a_jwt_password_with_paho():
    with AmqttBroker() as broker:
        token = broker.token()
        codes: list[object] = []
        client = paho(broker, "alice", token)
        client.on_connect = lambda c, u, f, rc, p: codes.append(rc)
        client.connect("127.0.0.1", broker.mqtt_port)
        client.loop_start()
        try:
            assert wait(lambda: bool(codes)) and not codes[0].is_failure, codes
        finally:
            client.disconnect()
            client.loop_stop()
        assert [r["verdict"] for r in broker.records()] == ["accepted"]


def test_an_expired_token_refused_in_connack_reconnects_with_the_refreshed_one(run_wsauth):
    # The broker's clock runs 120 s ahead: the login's token (exp in 60 s) is expired
    # for it though not for wsauth, which learns it from CONNACK 5 only.
    with AmqttBroker(skew=120, first_ttl=60) as broker:
        login = run_wsauth("login", f"{broker.base}/auth/login", "--user", "alice", "--password-env", "PASSWORD",
                           "--refresh-url", f"{broker.base}/auth/refresh", env={"PASSWORD": "wonderland"},
                           secrets=["wonderland"])
        assert login.code == 0, login.describe()
        r = run_wsauth("connect", broker.url, *APP, "--reconnect", "--refresh-before", "1s", "--mqtt-client-id", "re-1",
                       "--timeout", "30s", "--json", stdin="", timeout=60, secrets=broker.issued)
        assert r.code == 0, r.describe()
        assert len(broker.records()) == 2, r.describe()
        first, second = broker.records()[:2]
        assert first["password"] == broker.issued[0] and first["verdict"] == "token expired", broker.records()
        assert second["password"] == broker.issued[2] and second["verdict"] == "accepted", "the refreshed token"
        assert first["user"] == second["user"] == "alice" and first["client"] == second["client"] == "re-1"
        # amqtt closes without a CONNACK (3.1.1 §3.2.2.3 allows it): a refusal all the same.
        assert r.one("rejected")["message"] == "the broker closed the connection before CONNACK (close 1000)"
        assert len(r.of("refresh")) == 1 == broker.refreshes


def test_keepalives_are_ping_and_pong_events(run_wsauth, broker):
    token = broker.alice_token
    r = run_wsauth("connect", broker.url, *APP, "--token", token, "--keepalive", "1s", "--expect", "never comes",
                   "--timeout", "3500ms", "--json", secrets=[token])
    assert r.code == 5, r.describe()
    pings, pongs = r.of("ping"), r.of("pong")
    assert len(pings) >= 2 and all(p["direction"] == "out" for p in pings), r.describe()
    assert len(pongs) >= 2 and all(p["direction"] == "in" for p in pongs), r.describe()
    assert broker.connects()[0]["keepalive"] == 1


def test_no_connack_within_the_bound_is_exit_5(run_wsauth):
    # A WebSocket server that upgrades and then says nothing: no CONNACK ever.
    import asyncio

    from websockets.asyncio.server import serve

    from peers.loop_thread import LoopThread

    async def silent(ws):
        await asyncio.sleep(30)

    async def up():
        return await serve(silent, "127.0.0.1", 0, subprotocols=["mqtt"])

    loop = LoopThread("silent-mqtt")
    loop.start()
    try:
        server = loop.call(up)
        port = next(iter(server.sockets)).getsockname()[1]
        r = run_wsauth("connect", f"ws://127.0.0.1:{port}/", *APP, "--token", "t", "--timeout", "2s", "--json", stdin="")
        assert r.code == 5, r.describe()
        assert r.of("handshake") and not r.of("message"), r.describe()
        server.close()
    finally:
        loop.stop()


def test_audit_passes_the_secure_broker_and_fails_an_anonymous_one(run_wsauth):
    with Mosquitto() as secure:
        token = secure.alice_token
        r = run_wsauth("audit", secure.url, *APP, "--token", token, "-m", "60s", "--json", secrets=[token])
        assert r.code == 0, r.describe()
        checks = {c["name"]: c["verdict"] for c in r.of("check")}
        assert all(checks[name] == "pass" for name in ("no-credentials", "malformed-token", "tampered-signature", "alg-none")), checks
    with Mosquitto(lax=True) as lax:
        r = run_wsauth("audit", lax.url, *APP, "--token", token, "-m", "60s", "--json", secrets=[token])
        assert r.code == 7, r.describe()
        checks = {c["name"]: c["verdict"] for c in r.of("check")}
        assert checks["no-credentials"] == "fail" and checks["alg-none"] == "fail", checks
        assert "mqtt accepted it at its own handshake" in r.stderr + r.text, r.describe()


def test_repl_subscribe_publish_and_unsubscribe(tmp_path, wsauth_bin, broker):

    token = broker.alice_token
    (tmp_path / "token").write_text(token + "\n")
    terminal = Terminal(tmp_path, [token])
    try:
        terminal.start(wsauth_bin, broker.url, *APP, "--mqtt-version", "5", "--mqtt-client-id", "repl-1",
                       "--destination", "chat/r", "--token-file", str(tmp_path / "token"))
        terminal.wait_for(re.compile(r"\[open · mqtt 5 · token \d+m\d+s\] >"), timeout=20)
        terminal.type_text("/subscribe chat/#")
        terminal.type("Enter")
        terminal.wait_for(re.compile(r"subscribed to chat/# \(granted QoS 0\)"))
        terminal.type_text("over the repl")
        terminal.type("Enter")
        terminal.wait_for(re.compile(rf"→ {STAMP} chat/r over the repl"))
        terminal.wait_for(re.compile(rf"← {STAMP} chat/r over the repl"))
        terminal.type_text("/complete chat/#")
        terminal.type("Enter")
        terminal.wait_for(re.compile(r"unsubscribed from chat/#"))
        terminal.type_text("/emit x y")
        terminal.type("Enter")
        terminal.wait_for(re.compile(r"/emit is a command of --app socketio"))
        terminal.type_text("/quit")
        terminal.type("Enter")
        assert terminal.exit_status(timeout=20) == 0
    finally:
        terminal.close()
    broker.wait_log(r"Client repl-1 disconnected\.")


def test_codes_lists_the_mqtt_reason_codes_it_acts_on(run_wsauth):
    r = run_wsauth("codes")
    assert r.code == 0, r.describe()
    assert "0x87  --app mqtt reason code: Not authorized" in r.text, r.describe()
    assert "0xA0  --app mqtt reason code: Maximum connect time" in r.text, r.describe()
    r = run_wsauth("codes", "4401")
    assert "--app mqtt" not in r.text, "reason codes are not close codes"


def take_over(broker: Mosquitto, client_id: str) -> threading.Thread:
    """Once wsauth is connected, paho connects with the same client id and leaves:
    Mosquitto ends wsauth's connection by dropping TCP without a close frame (as EMQX
    drops one whose token expired; MQTT 3.1.1 has no server DISCONNECT).
    run_wsauth blocks: the takeover runs in a thread meanwhile."""

    def run() -> None:
        wait(lambda: any(c["client"] == client_id for c in broker.connects()), 10)
        client = paho(broker, "alice", broker.alice_token, client_id=client_id)
        client.connect("127.0.0.1", broker.port)
        client.loop(timeout=1.0)
        client.disconnect()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_a_drop_without_disconnect_reconnects_and_subscribes_again(run_wsauth, broker):
    token = broker.alice_token
    thread = take_over(broker, "dup")
    r = run_wsauth("connect", broker.url, *APP, "--token", token, "--mqtt-client-id", "dup", "--subscribe", "chat/#",
                   "--reconnect", "--expect", "never comes", "--timeout", "8s", "--json", secrets=[token], timeout=30)
    thread.join(5)
    assert r.code == 5, r.describe()
    # Mosquitto ends TCP without a close frame: the drop of any socket (1006).
    reconnects = r.of("reconnect")
    assert reconnects and "(1006)" in reconnects[0]["cause"], r.describe()
    assert len(r.of("handshake")) >= 2, r.describe()
    subscribes = [s for s in r.of("sent") if s.get("data_base64", "").startswith("gg")]
    assert len(subscribes) >= 2, "every --subscribe again on the new connection"
    mine = [c for c in broker.connects() if c["client"] == "dup"]
    assert len(mine) >= 3, broker.log()  # wsauth, the takeover, wsauth again
    assert len(re.findall(r"dup 0 chat/#", broker.log())) >= 2, broker.log()


def test_a_drop_refreshes_first_and_connects_with_the_new_token(run_wsauth, broker):
    with MosquittoLogins(broker) as logins:
        login = run_wsauth("login", f"{logins.base}/auth/login", "--user", "alice", "--password-env", "PASSWORD",
                           "--refresh-url", f"{logins.base}/auth/refresh", env={"PASSWORD": "wonderland"},
                           secrets=["wonderland"])
        assert login.code == 0, login.describe()
        client_id = "drop-1"
        thread = take_over(broker, client_id)
        r = run_wsauth("connect", broker.url, *APP, "--mqtt-client-id", client_id, "--subscribe", "chat/#",
                       "--reconnect", "--refresh-before", "1s", "--expect", "never comes", "--timeout", "10s",
                       "--json", secrets=logins.issued, timeout=40)
        thread.join(15)
        assert r.code == 5, r.describe()
        reconnects = r.of("reconnect")
        assert reconnects and "without DISCONNECT" in reconnects[0]["cause"], r.describe()
        refreshes = r.of("refresh")
        assert refreshes and refreshes[0]["ok"], r.describe()
        assert logins.refreshes == 1, r.describe()
        # Its first CONNECT carried alice's token; the one after the drop carol's, the refreshed one.
        mine = [c["user"] for c in broker.connects() if c["client"] == client_id]
        assert mine[0] == "alice" and mine[-1] == "carol", broker.log()
        assert len(re.findall(rf"{re.escape(client_id)} 0 chat/#", broker.log())) >= 2, "every --subscribe again"


def login(run_wsauth, peer) -> None:
    r = run_wsauth("login", f"{peer.base}/auth/login", "--user", "alice", "--password-env", "PASSWORD",
                   "--refresh-url", f"{peer.base}/auth/refresh", env={"PASSWORD": "wonderland"}, secrets=["wonderland"])
    assert r.code == 0, r.describe()


@pytest.mark.parametrize("ending", ["close", "drop"])
@pytest.mark.parametrize("json", [True, False])
def test_a_5_0_disconnect_not_about_the_token_ends_the_session_with_its_reason(run_wsauth, json, ending):
    # 0x8E Session taken over: a new token changes nothing, so even with --reconnect the
    # session ends as a server close does (6), the code and name the close's reason,
    # whether the server then closes the WebSocket or ends TCP (5.0 §3.14).
    with MQTT5DisconnectPeer([0x8E], ending=ending) as peer:
        login(run_wsauth, peer)
        r = run_wsauth("connect", peer.url, *APP, "--mqtt-version", "5", "--reconnect", "--expect", "never comes",
                       "--timeout", "8s", *(["--json"] if json else []), secrets=peer.issued, timeout=30)
        assert r.code == 6, r.describe()
        assert len(peer.records()) == 1 and peer.refreshes == 0, r.describe()
        assert "DISCONNECT 0x8E Session taken over (ended by the test)" in r.last_line, r.describe()
        if json:
            assert not r.of("reconnect") and not r.of("refresh"), r.describe()
            # Ours (initiator client), or the server's when it overtook ours in one read.
            close = r.one("close")
            assert (close["code"], close["reason"]) == (1000, "0x8E Session taken over"), r.describe()
        else:
            assert "reconnecting" not in r.stderr, r.describe()
            assert re.search(r'closed by (wsauth|server): 1000 "0x8E Session taken over"', r.stderr), r.describe()


@pytest.mark.parametrize("code, name", [(0x87, "Not authorized"), (0x8C, "Bad authentication method"),
                                        (0xA0, "Maximum connect time")])
def test_a_5_0_disconnect_about_the_token_refreshes_and_reconnects_with_the_new_one(run_wsauth, code, name):
    with MQTT5DisconnectPeer([code]) as peer:
        login(run_wsauth, peer)
        r = run_wsauth("connect", peer.url, *APP, "--mqtt-version", "5", "--mqtt-client-id", "re-5", "--reconnect",
                       "--expect", "never comes", "--timeout", "6s", "--json", secrets=peer.issued, timeout=30)
        assert r.code == 5, r.describe()  # open again on the new token until --timeout
        described = f"0x{code:02X} {name}"
        assert r.of("close")[0]["reason"] == described, r.describe()
        assert described in r.one("reconnect")["cause"], r.describe()
        assert [e["ok"] for e in r.of("refresh")] == [True] and peer.refreshes == 1, r.describe()
        first, second = peer.records()
        assert first["password"] == peer.issued[0] and second["password"] == peer.issued[2], "the refreshed token"
        assert first["client"] == second["client"] == "re-5"
        rejected = [e["message"] for e in r.of("rejected")]
        assert rejected == ([f"DISCONNECT {described} (ended by the test)"] if code != 0xA0 else []), r.describe()


@pytest.mark.parametrize("code, exit", [(0x87, 2), (0x8C, 2), (0xA0, 6), (0x98, 6)])
def test_a_5_0_disconnect_without_reconnect_is_its_exit_code(run_wsauth, code, exit):
    with MQTT5DisconnectPeer([code]) as peer:
        login(run_wsauth, peer)
        r = run_wsauth("connect", peer.url, *APP, "--mqtt-version", "5", "--expect", "never comes", "--timeout", "8s",
                       "--json", secrets=peer.issued, timeout=30)
        assert r.code == exit, r.describe()
        assert r.one("close")["reason"].startswith(f"0x{code:02X} "), r.describe()
        assert len(peer.records()) == 1, r.describe()


def test_doctor_says_the_broker_refused_connect_and_what_to_check(run_wsauth, broker):
    r = run_wsauth("doctor", broker.url, *APP, "--token", "wrong-token", "--repeat", "1", "-m", "30s", "--json")
    assert r.code == 2, r.describe()
    app = [f for f in r.of("finding") if f["check"] == "app"][0]
    assert "CONNACK 0x05 Connection Refused, not authorized" in app["detail"], app
    assert "--mqtt-version" in app["fix"] and "--user NAME" in app["fix"], app
    token = broker.alice_token
    r = run_wsauth("doctor", broker.url, *APP, "--token", token, "--repeat", "1", "-m", "30s", secrets=[token])
    assert r.code == 0, r.describe()
    assert "mqtt accepted the credentials at its own handshake" in r.text + r.stderr, r.describe()


@pytest.mark.parametrize("flags,message", [
    (("--qos", "2"), "--qos 2: wsauth speaks QoS 0 and 1"),
    (("--mqtt-version", "4"), "--mqtt-version 4: use 3.1.1 or 5"),
    (("--destination", "chat/#"), "--destination chat/#: a topic name without wildcards"),
    (("--auth-message", "token:{token}"), "--auth-message for MQTT is username:TEMPLATE or password:TEMPLATE"),
    (("--password-env", "PW"), "a password needs --user NAME (mqtt login)"),
])
def test_bad_mqtt_flags_are_one_line_and_64(run_wsauth, flags, message):
    r = run_wsauth("connect", "ws://127.0.0.1:9/mqtt", *APP, "--token", "t", *flags, env={"PW": "x"}, stdin="")
    assert r.code == 64, r.describe()
    assert message in r.last_line and len(r.stderr.strip().splitlines()) == 1, r.describe()


def test_repl_subscriptions_are_subscribed_again_after_a_drop_and_reconnect(tmp_path, wsauth_bin, broker):
    # Mosquitto drops wsauth (a takeover, as EMQX drops a client whose token expired);
    # --reconnect connects again: the topic added in the REPL must be subscribed again (the
    # CONNECT asks for a clean session, so the broker kept nothing), so that a line published
    # to it comes back on the new connection.
    token = broker.alice_token
    (tmp_path / "token").write_text(token + "\n")
    terminal = Terminal(tmp_path, [token])
    try:
        terminal.start(wsauth_bin, broker.url, *APP, "--mqtt-client-id", "repl-2", "--reconnect",
                       "--destination", "chat/r", "--token-file", str(tmp_path / "token"))
        terminal.wait_for(re.compile(r"\[open · mqtt 3\.1\.1 · token [\dms]+\] >"), timeout=20)
        terminal.enter("/subscribe chat/#")
        terminal.wait_for("subscribed to chat/# (granted QoS 0)")
        thread = take_over(broker, "repl-2")
        screen = terminal.wait_for(lambda screen: screen.count("mqtt session open") == 2, timeout=30)
        thread.join(5)
        reopened = [line for line in screen.splitlines() if "mqtt session open" in line][-1]
        assert "subscribed=chat/#" in reopened, screen
        terminal.enter("after the drop")
        terminal.wait_for(re.compile(rf"← {STAMP} chat/r after the drop"))
        terminal.enter("/quit")
        assert terminal.exit_status(timeout=20) == 0
    finally:
        terminal.close()
    broker.wait_log(r"Client repl-2 disconnected\.")
    assert len(re.findall(r"repl-2 0 chat/#", broker.log())) == 2, broker.log()
