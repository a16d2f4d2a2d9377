"""probe and connect with a good token: every placement, every token source,
over ws:// and wss://, and the handshake event of `probe --json`."""

from __future__ import annotations

import json
import re

import pytest

from peers.bearer_server import PROTOCOL_PREFIX, token64
from wsauth_runner import KeepOpen, header

PLACEMENTS = ["header", "query", "protocol", "cookie", "message"]
AUTH_MESSAGE = '{"type":"auth","token":"{token}"}'


def placement_args(server, placement: str) -> tuple[str, list[str]]:
    """URL and flags for a placement; message placement lives on /msg-auth."""
    if placement == "message":
        return server.url("/msg-auth"), ["--token-in", "message", "--auth-message", AUTH_MESSAGE]
    return server.url(), ["--token-in", placement]


@pytest.mark.parametrize("placement", PLACEMENTS)
def test_connect_each_placement(run_wsauth, bearer_any, trust, placement):
    server = bearer_any
    url, flags = placement_args(server, placement)
    r = run_wsauth(
        "connect", url, "--token", server.token, *flags, *trust(server),
        "--send", "whoami", "--count", "1", "--json",
    )
    assert r.code == 0, r.describe()
    messages = r.of("message")
    assert [json.loads(m["data"]) for m in messages] == [{"placement": placement}], r.describe()
    rec = server.wait_ws_done()
    assert rec.placement == placement
    assert rec.invalid_placements == []
    assert rec.close_code == 1000 and rec.client_initiated_close, "a clean close when done"
    if placement == "message":
        assert json.loads(rec.auth_message) == {"type": "auth", "token": server.token}
        assert rec.texts == ["whoami"], "the auth message comes first, then --send"
    if placement == "protocol":
        assert rec.offered_subprotocols == [PROTOCOL_PREFIX + token64(server.token)]
        assert rec.subprotocol is None


@pytest.mark.parametrize("placement", PLACEMENTS)
def test_probe_each_placement(run_wsauth, bearer_any, trust, placement):
    server = bearer_any
    url, flags = placement_args(server, placement)
    r = run_wsauth("probe", url, "--token", server.token, *flags, *trust(server), "--json", "-v")
    assert r.code == 0, r.describe()
    assert r.one("handshake")["status"] == 101
    rec = server.wait_ws_done()
    assert rec.close_code == 1000, "probe ends with a clean close (1000)"
    if placement != "message":
        # Whether probe also sends the auth message is not in the contract.
        assert rec.placement == placement


def test_protocol_placement_is_offered_before_subprotocols(run_wsauth, bearer):
    r = run_wsauth(
        "probe", bearer.url(), "--token", bearer.token, "--token-in", "protocol",
        "--subprotocol", "echo.v1", "--json",
    )
    assert r.code == 0, r.describe()
    assert r.one("handshake")["subprotocol"] == "echo.v1"
    rec = bearer.wait_ws_done()
    assert rec.offered_subprotocols == [PROTOCOL_PREFIX + token64(bearer.token), "echo.v1"]
    assert rec.subprotocol == "echo.v1" and rec.placement == "protocol"


def test_default_placement_is_the_authorization_header(run_wsauth, bearer):
    r = run_wsauth("connect", bearer.url(), "--token", bearer.token, "--send", "whoami", "--count", "1")
    assert r.code == 0, r.describe()
    assert bearer.wait_ws_done().placement == "header"
    assert bearer.records.snapshot()[0].header("Authorization") == f"Bearer {bearer.token}"


@pytest.mark.parametrize("source", ["flag", "env", "file", "stdin", "WSAUTH_TOKEN"])
def test_token_sources(run_wsauth, bearer_any, trust, tmp_path, source):
    server, token = bearer_any, bearer_any.token
    args, env, stdin = [], {}, None
    if source == "flag":
        args = ["--token", token]
    elif source == "env":
        args, env = ["--token-env", "MY_WS_TOKEN"], {"MY_WS_TOKEN": token}
    elif source == "file":
        path = tmp_path / "token.txt"
        path.write_text(token + "\n")  # as `echo $T > file` writes it
        path.chmod(0o600)
        args = ["--token-file", str(path)]
    elif source == "stdin":
        args, stdin = ["--token-stdin"], token + "\n"
    else:
        env = {"WSAUTH_TOKEN": token}
    r = run_wsauth(
        "connect", server.url(), *args, "--token-in", "header", *trust(server),
        "--send", "whoami", "--count", "1", env=env, stdin=stdin,
    )
    assert r.code == 0, r.describe()
    assert r.stdout == b'{"placement": "header"}\n'
    assert server.wait_ws_done().placement == "header"


def test_probe_json_handshake_event(run_wsauth, bearer_any, trust):
    server = bearer_any
    url = server.url()
    r = run_wsauth("probe", url, "--token", server.token, *trust(server), "--json")
    assert r.code == 0, r.describe()
    ev = r.one("handshake")
    assert ev["url"] == url
    assert ev["status"] == 101
    assert isinstance(ev["headers"], dict)
    assert header(ev["headers"], "Upgrade").lower() == "websocket"
    assert header(ev["headers"], "Sec-WebSocket-Accept")
    auth = header(ev["request_headers"], "Authorization")
    assert auth is not None and "redacted" in auth, f"Authorization must be shown redacted: {auth!r}"
    assert ev["subprotocol"] is None
    assert ev["extensions"] == []
    timings = ev["timings"]
    assert set(timings) >= {"dns_ms", "connect_ms", "tls_ms", "upgrade_ms"}
    for key in ("connect_ms", "upgrade_ms"):
        assert isinstance(timings[key], (int, float)) and timings[key] >= 0, timings
    assert timings["dns_ms"] is None or timings["dns_ms"] >= 0
    if server.scheme == "wss":
        assert isinstance(timings["tls_ms"], (int, float)) and timings["tls_ms"] >= 0, timings
    else:
        assert timings["tls_ms"] is None, timings
    # websockets sends a Date header (1 s resolution), so the skew is known
    # and small on one machine.
    assert isinstance(ev["server_skew_ms"], (int, float)), ev
    assert abs(ev["server_skew_ms"]) < 10_000
    assert bearer_any.wait_ws_done().close_code == 1000


def test_show_secrets_reveals_the_authorization_header(run_wsauth, bearer):
    r = run_wsauth("probe", bearer.url(), "--token", bearer.token, "--json", "--show-secrets")
    assert r.code == 0, r.describe()
    assert header(r.one("handshake")["request_headers"], "Authorization") == f"Bearer {bearer.token}"


@pytest.mark.parametrize("command", ["probe", "connect"])
def test_bad_token_is_rejected_with_exit_2(run_wsauth, bearer, tokens, command):
    bad = tokens()
    r = run_wsauth(command, bearer.url(), "--token", bad, "--json")
    assert r.code == 2, r.describe()
    ev = r.one("rejected")
    assert ev["status"] == 401
    assert "invalid_token" in ev["www_authenticate"]
    assert "invalid_token" in ev["body"]
    assert isinstance(ev["headers"], dict)
    assert r.of("error")[-1]["kind"] == "auth"
    assert "401" in r.last_line
    assert bearer.wait_done().status == 401


def test_bad_token_human_output_names_the_rejection(run_wsauth, bearer, tokens):
    r = run_wsauth("probe", bearer.url(), "--token", tokens())
    assert r.code == 2, r.describe()
    assert "401" in r.last_line
    assert "invalid_token" in r.text + r.stderr, "probe reports WWW-Authenticate / the body"


def test_no_token_is_rejected_with_exit_2(run_wsauth, bearer):
    r = run_wsauth("connect", bearer.url(), "--json")
    assert r.code == 2, r.describe()


def test_bad_auth_message_is_closed_4001_and_exits_2(run_wsauth, bearer, tokens):
    r = run_wsauth(
        "connect", bearer.url("/msg-auth"), "--token", tokens(), "--token-in", "message",
        "--auth-message", AUTH_MESSAGE, "--json", stdin=KeepOpen(),
    )
    assert r.code == 2, r.describe()
    close = r.one("close")
    assert (close["code"], close["initiator"], close["auth"]) == (4001, "server", True)


# -- where exactly the credential goes: names the server does not accept, so
#    the handshake is rejected (2) and the server's record shows the request.


def test_query_param_name(run_wsauth, bearer):
    r = run_wsauth("probe", bearer.url(), "--token", bearer.token, "--token-in", "query", "--query-param", "access_token")
    assert r.code == 2, r.describe()
    rec = bearer.wait_done()
    assert rec.query == {"access_token": [bearer.token]}


def test_query_placement_keeps_existing_parameters(run_wsauth, bearer):
    r = run_wsauth("probe", bearer.url("/ws?room=a%20b&x=1"), "--token", bearer.token, "--token-in", "query")
    assert r.code == 0, r.describe()
    rec = bearer.wait_ws_done()
    assert rec.query == {"room": ["a b"], "x": ["1"], "token": [bearer.token]}


def test_cookie_name(run_wsauth, bearer):
    r = run_wsauth("probe", bearer.url(), "--token", bearer.token, "--token-in", "cookie", "--cookie-name", "jwt")
    assert r.code == 2, r.describe()
    assert bearer.wait_done().header("Cookie") == f"jwt={bearer.token}"


def test_auth_header_and_scheme(run_wsauth, bearer):
    r = run_wsauth(
        "probe", bearer.url(), "--token", bearer.token, "--auth-header", "X-Api-Key", "--auth-scheme", "Token"
    )
    assert r.code == 2, r.describe()
    rec = bearer.wait_done()
    assert rec.header("X-Api-Key") == f"Token {bearer.token}"
    assert rec.header("Authorization") is None


def test_extra_headers_and_origin_reach_the_server(run_wsauth, bearer):
    r = run_wsauth(
        "probe", bearer.url(), "--token", bearer.token,
        "-H", "X-Trace: abc 123", "--header", "X-Other:v", "--origin", "https://app.example",
    )
    assert r.code == 0, r.describe()
    rec = bearer.wait_ws_done()
    assert rec.header("X-Trace") == "abc 123"
    assert rec.header("X-Other") == "v"
    assert rec.header("Origin") == "https://app.example"


@pytest.mark.parametrize("command", ["probe", "connect"])
def test_verbose_request_and_response_lines_on_stderr(run_wsauth, bearer, command):
    """docs/reference/behaviour.md conventions: -v prints request/response lines and headers on stderr
    (as curl -v does), so stdout stays the command's own output."""
    r = run_wsauth(command, bearer.url(), "--token", bearer.token, "-v", "--send", "hi", "--count", "1") \
        if command == "connect" else run_wsauth(command, bearer.url(), "--token", bearer.token, "-v")
    assert r.code == 0, r.describe()
    assert re.search(r"^\W*GET /ws HTTP/1\.1", r.stderr, re.M), r.describe()
    assert re.search(r"^\W*HTTP/1\.1 101", r.stderr, re.M), r.describe()
    assert re.search(r"^\W*Authorization: Bearer .*redacted", r.stderr, re.M | re.I), r.describe()
    if command == "connect":
        assert r.stdout == b"hi\n"
