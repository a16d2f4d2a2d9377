"""`--app graphql-ws` and `--app graphql-ws-legacy` (issue 12) against Strawberry,
a GraphQL server written by others: the token in `connection_init`, 4403/4401 and
`connection_error` as rejections, 4408 for an init that comes too late, a
subscription streaming values, living through token expiry, and audit.

The peer comes first, checked with a plain `websockets` client speaking each
protocol by hand: if it fails, a wsauth failure below says nothing about wsauth.
"""

from __future__ import annotations

import json
import re
import time

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect as ws_connect

from peers.graphql_peer import GraphQLServer
from wsauth_runner import check_result
from support.terminal import STAMP, Terminal

TRANSPORT, LEGACY = "graphql-transport-ws", "graphql-ws"
COUNT = "subscription { count(to: 3) }"


@pytest.fixture
def gql_server():
    with GraphQLServer() as server:
        yield server


def _handshake(server: GraphQLServer, subprotocol: str, token: str | None) -> tuple[list[dict], int | None]:
    """A hand-written client: connection_init, then what the server says until it closes or acks."""
    seen: list[dict] = []
    params = {"Authorization": f"Bearer {token}"} if token else {}
    with ws_connect(server.url, subprotocols=[subprotocol], open_timeout=10) as ws:
        ws.send(json.dumps({"type": "connection_init", "payload": params}))
        try:
            while True:
                message = json.loads(ws.recv(timeout=10))
                seen.append(message)
                if message["type"] == "connection_ack":
                    return seen, None
        except ConnectionClosed as closed:
            return seen, closed.rcvd.code if closed.rcvd else None


def test_peer_acks_a_good_token_on_both_protocols(gql_server):
    for subprotocol in (TRANSPORT, LEGACY):
        seen, code = _handshake(gql_server, subprotocol, gql_server.token())
        assert code is None and seen[-1] == {"type": "connection_ack", "payload": {"user": "alice"}}
    assert [c["protocol"] for c in gql_server.connects.snapshot()] == [TRANSPORT, LEGACY]


def test_peer_refuses_a_forged_token_with_4403_and_connection_error(gql_server):
    forged = gql_server.token(key=b"not-the-key")
    assert _handshake(gql_server, TRANSPORT, forged) == ([], 4403)
    seen, code = _handshake(gql_server, LEGACY, forged)
    assert seen == [{"type": "connection_error", "payload": {"message": "invalid token"}}] and code == 1011


def test_peer_can_refuse_with_4401_and_time_out_the_init():
    with GraphQLServer(reject_code=4401) as server:
        assert _handshake(server, TRANSPORT, None) == ([], 4401)
    with GraphQLServer(init_timeout=0.3, slow_link=3) as server:
        assert _handshake(server, TRANSPORT, server.token()) == ([], 4408)


# --- wsauth against it ---------------------------------------------------------------

APP = ("--app", "graphql-ws")


def connects(server: GraphQLServer, count: int) -> list[dict]:
    return server.connects.wait_for(lambda items: items if len(items) >= count else None, 15,
                                    f"{count} connection_init(s)")


def test_token_in_connection_init_is_accepted_and_a_subscription_streams(run_wsauth, gql_server):
    token = gql_server.token()
    r = run_wsauth("connect", gql_server.url, *APP, "--token", token, "--send", COUNT,
                   "--expect", '"count":2', "--count", "3", "--timeout", "20s", "--json", secrets=[token])
    assert r.code == 0, r.describe()
    assert r.of("handshake")[0]["subprotocol"] == TRANSPORT
    assert [json.loads(m["data"]) for m in r.of("message")] == [{"data": {"count": n}} for n in range(3)]
    assert {m["id"] for m in r.of("message")} == {"1"}, "each result names its operation"
    init = r.of("sent")[0]
    assert "redacted" in init["data"] and token not in init["data"], "connection_init is redacted"
    assert json.loads(r.of("sent")[1]["data"]) == {"id": "1", "type": "subscribe", "payload": {"query": COUNT}}
    record = connects(gql_server, 1)[0]
    assert record["params"] == {"Authorization": f"Bearer {token}"} and record["accepted"]


def test_pipe_lines_are_subscriptions_and_messages_are_lines(run_wsauth, gql_server):
    token = gql_server.token()
    r = run_wsauth("connect", gql_server.url, *APP, "--token", token, "--count", "2", "--timeout", "20s",
                   stdin="subscription { count(to: 2) }\n", secrets=[token])
    assert r.code == 0, r.describe()
    assert r.text.splitlines() == ['{"data":{"count":0}}', '{"data":{"count":1}}'], r.describe()


@pytest.mark.parametrize("reject_code", [4403, 4401])
def test_a_refused_connection_init_exits_2_with_the_close_meaning(run_wsauth, reject_code):
    with GraphQLServer(reject_code=reject_code) as server:
        forged = server.token(key=b"not-the-key")
        r = run_wsauth("connect", server.url, *APP, "--token", forged, "--send", COUNT, "--timeout", "20s",
                       "--json", secrets=[forged])
        assert r.code == 2, r.describe()
        rejected = r.of("rejected")[0]
        assert rejected["app"] == "graphql-ws" and f"close {reject_code}" in rejected["message"]
        human = run_wsauth("connect", server.url, *APP, "--token", forged, "--timeout", "20s", secrets=[forged])
        last = human.stderr.strip().splitlines()[-1]
        meaning = "forbidden" if reject_code == 4403 else "unauthorized"
        assert human.code == 2 and f"close {reject_code}" in last and meaning in last, human.describe()
        assert [c["accepted"] for c in server.connects.snapshot()] == [False, False]


def test_an_init_that_comes_too_late_is_4408_and_exit_3(run_wsauth):
    with GraphQLServer(init_timeout=0.3, slow_link=3) as server:
        token = server.token()
        r = run_wsauth("connect", server.url, *APP, "--token", token, "--timeout", "20s", "--json", secrets=[token])
    assert r.code == 3, r.describe()
    close = r.of("close")[0]
    assert close["code"] == 4408 and close["initiator"] == "server"
    assert "4408" in r.of("error")[0]["message"] and "initialisation timeout" in r.of("error")[0]["message"]


@pytest.mark.parametrize("written", ["document", "json"])
@pytest.mark.parametrize("app", ["graphql-ws", "graphql-ws-legacy"])
def test_reconnect_after_expiry_sends_a_new_init_with_the_new_token_and_subscribes_again(run_wsauth, app, written):
    # A subscription sent as a document gets id 1; one written out as a JSON message keeps its own id.
    start = "start" if app.endswith("legacy") else "subscribe"
    send, operation_id = ("subscription { ticks }", "1") if written == "document" else (
        json.dumps({"id": "ticks-1", "type": start, "payload": {"query": "subscription { ticks }"}}), "ticks-1")
    # Each token lives 6 s: a refreshed one must outlive the refresh, the backoff (up to 1.25 s)
    # and the handshake on a loaded machine, then SessionMachine.provenAfter (1 s), or its close
    # at expiry reads as "the refreshed token was refused too".
    with GraphQLServer(ttl=6, close_at_expiry=True) as server:
        login = run_wsauth("login", f"{server.base}/auth/login", "--user", "alice", "--password-env", "PASSWORD",
                           "--refresh-url", f"{server.base}/auth/refresh", env={"PASSWORD": "wonderland"},
                           secrets=["wonderland"])
        assert login.code == 0, login.describe()
        # ticks every 0.3 s: fewer than 20 per 6 s token; 45 need at least two reconnects.
        r = run_wsauth("connect", server.url, "--app", app, "--reconnect", "--refresh-before", "1s",
                       "--send", send, "--count", "45", "--timeout", "60s", "--json",
                       timeout=120)
        check_result(r, server.issued)
        assert r.code == 0, r.describe()
        seen = connects(server, 3)
        tokens = [c["token"] for c in seen]
        assert all(c["accepted"] for c in seen) and len(set(tokens)) == len(tokens), "each init carried a new token"
        assert tokens[:3] == server.issued[0::2][:3], "the first from the login, then each refreshed one"
        assert {c["protocol"] for c in seen} == {LEGACY if app.endswith("legacy") else TRANSPORT}
        closes = [c for c in r.of("close") if c["initiator"] == "server"]
        assert closes and all(c["code"] == 4403 and c["auth"] for c in closes), r.describe()
        subscribes = [json.loads(s["data"]) for s in r.of("sent") if '"subscribe"' in s["data"] or '"start"' in s["data"]]
        assert len(subscribes) >= 3 and all(s["id"] == operation_id for s in subscribes), "subscribed again on each reconnect"
        assert len(r.of("message")) == 45


LEGACY_APP = ("--app", "graphql-ws-legacy")


def test_legacy_init_ack_start_data_and_ka(run_wsauth, gql_server):
    token = gql_server.token()
    r = run_wsauth("connect", gql_server.url, *LEGACY_APP, "--token", token, "--send", COUNT,
                   "--expect", '"count":2', "--count", "3", "--timeout", "20s", "--json", secrets=[token])
    assert r.code == 0, r.describe()
    assert r.of("handshake")[0]["subprotocol"] == LEGACY
    assert [json.loads(m["data"]) for m in r.of("message")] == [{"data": {"count": n}} for n in range(3)]
    assert json.loads(r.of("sent")[1]["data"]) == {"id": "1", "type": "start", "payload": {"query": COUNT}}
    # Strawberry sends `ka` right after connection_ack: a ping in, never answered.
    assert r.of("ping") and all(p["direction"] == "in" for p in r.of("ping")) and not r.of("pong"), r.describe()
    record = connects(gql_server, 1)[0]
    assert record["protocol"] == LEGACY and record["token"] == token and record["accepted"]


def test_legacy_connection_error_exits_2_with_its_message(run_wsauth, gql_server):
    expired = gql_server.token(ttl=-10)
    r = run_wsauth("connect", gql_server.url, *LEGACY_APP, "--token", expired, "--send", COUNT,
                   "--timeout", "20s", "--json", secrets=[expired])
    assert r.code == 2, r.describe()
    rejected = r.of("rejected")[0]
    assert rejected["app"] == "graphql-ws-legacy" and rejected["message"] == "token expired"
    assert not [s for s in r.of("sent") if '"start"' in s["data"]], "nothing starts on a refused connection"
    human = run_wsauth("connect", gql_server.url, *LEGACY_APP, "--token", expired, "--timeout", "20s",
                       secrets=[expired])
    assert human.code == 2 and "token expired" in human.stderr.strip().splitlines()[-1], human.describe()


def test_repl_subscribes_completes_and_pretty_prints_results(tmp_path, wsauth_bin, gql_server):

    token = gql_server.token()
    (tmp_path / "token").write_text(token + "\n")
    terminal = Terminal(tmp_path, [token])
    try:
        terminal.start(wsauth_bin, gql_server.url, *APP, "--token-file", str(tmp_path / "token"))
        terminal.wait_for(re.compile(r"\[open · graphql-ws · token \d+m\d+s\] >"), timeout=20)
        assert "connection_init" not in terminal.screen(), "the protocol's own frames only with /raw"
        terminal.type_text("/subscribe subscription { count(to: 2) }")
        terminal.type("Enter")
        terminal.wait_for(re.compile(rf"→ {STAMP} subscribe 1 subscription \{{ count\(to: 2\) \}}"))
        # The result pretty-printed, under its operation id.
        terminal.wait_for(re.compile(r'← \S+ 1 \{\n\s+"data": \{\n\s+"count": 1\n'))
        terminal.wait_for("operation 1 complete")
        terminal.type_text("/subscribe subscription { ticks(every: 0.5) }")
        terminal.type("Enter")
        terminal.wait_for(re.compile(r'"ticks": 1\n'))
        terminal.type_text("/complete 2")
        terminal.type("Enter")
        terminal.wait_for(re.compile(rf"→ {STAMP} complete 2"))
        # graphql-transport-ws: the server stops the operation and says nothing more
        # (a tick already on its way may still land; after that, none).
        time.sleep(1.5)
        ticks = terminal.screen().count('"ticks"')
        time.sleep(1.5)
        assert terminal.screen().count('"ticks"') == ticks, "no ticks after /complete"
        terminal.type_text("/quit")
        terminal.type("Enter")
        assert terminal.exit_status(timeout=20) == 0
    finally:
        terminal.close()


MUST_REFUSE = ["no-credentials", "malformed-token", "tampered-signature", "alg-none", "expired-token"]


@pytest.mark.parametrize("app", ["graphql-ws", "graphql-ws-legacy"])
@pytest.mark.parametrize("lax", [False, True], ids=["strict", "lax"])
def test_audit_judges_credentials_at_connection_init(run_wsauth, app, lax):
    with GraphQLServer(lax=lax) as server:
        token, expired = server.token(), server.token(ttl=-10)
        r = run_wsauth("audit", server.url, "--app", app, "--token", token, "--expired-token", expired,
                       "--only", ",".join(MUST_REFUSE), secrets=[token, expired], timeout=120)
        verdicts = {line.split()[1]: line.split()[0] for line in r.text.splitlines()
                    if line[:4] in ("PASS", "FAIL", "SKIP", "WARN")}
        assert set(MUST_REFUSE) <= verdicts.keys(), r.describe()
        # Every upgrade got 101: the verdict comes from connection_init.
        if lax:
            assert r.code == 7 and all(verdicts[name] == "FAIL" for name in MUST_REFUSE), r.describe()
            assert f"{app} accepted it" in r.text
        else:
            assert r.code == 0 and all(verdicts[name] == "PASS" for name in MUST_REFUSE), r.describe()
            refusal = "close 4403" if app == "graphql-ws" else "token expired"
            assert f"{app} refused it: {refusal}" in r.text, r.describe()
        seen = server.connects.snapshot()
        # The valid token's baseline is accepted by both; the five bad ones only by the lax server.
        assert sum(not c["accepted"] for c in seen) == (0 if lax else len(MUST_REFUSE)), seen


@pytest.mark.parametrize("flags", [["--app", "graphql-ws", "--auth-message", "Bearer {token}"],
                                   ["--app", "graphql-ws-legacy", "--auth-message", '["{token}"]']])
def test_an_auth_message_that_is_not_a_json_object_is_a_usage_error(run_wsauth, flags):
    r = run_wsauth("connect", "ws://127.0.0.1:9/graphql", *flags, "--token", "t")
    assert r.code == 64 and len(r.stderr.strip().splitlines()) == 1 and "JSON object" in r.stderr, r.describe()


def test_the_wait_for_connection_ack_is_10s_by_default_and_bounded_by_timeout(run_wsauth):
    with GraphQLServer(ack_delay=25) as server:
        token = server.token()
        # --count: scripted, so the end of stdin does not end the wait.
        r = run_wsauth("connect", server.url, *APP, "--token", token, "--count", "1", "--json", secrets=[token],
                       timeout=60)
        assert r.code == 4 and 9 < r.elapsed < 20, r.describe()
        assert "no connection_ack within 10 s" in r.of("error")[0]["message"]
        piped = run_wsauth("connect", server.url, *APP, "--token", token, "--json", secrets=[token], timeout=60)
        assert piped.code == 5 and "no answer to the graphql-ws handshake" in piped.of("error")[0]["message"], \
            piped.describe()
        bounded = run_wsauth("connect", server.url, *APP, "--token", token, "--timeout", "2s", "--json",
                             secrets=[token], timeout=60)
        assert bounded.code in (4, 5) and bounded.elapsed < 8, bounded.describe()
