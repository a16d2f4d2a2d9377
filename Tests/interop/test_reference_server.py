"""`wsauth serve` against someone else's clients: `requests` for HTTP, `websockets` for /ws.

The server runs as a subprocess (`wsauth serve --port 0 --token-ttl 2s`); its port is
read from the banner. Every wait is bounded, and every server is killed at the end.
"""

import base64
import contextlib
import json
import os
import re
import signal
import socket
import struct
import subprocess
import time
from pathlib import Path

import pytest
import requests
from websockets.exceptions import InvalidStatus

from wsauth_runner import wsauth_binary
from support.reference import HTTP_TIMEOUT, TOKEN_TTL, close_of, login, short_lived, tokens, ws

WSAUTH_BIN = str(wsauth_binary())


# ---------------------------------------------------------------- server process


@pytest.fixture(scope="module")
def server():
    running = short_lived(WSAUTH_BIN)
    yield running
    running.stop()


@pytest.fixture
def make_server():
    started = []

    def start(*flags):
        started.append(short_lived(WSAUTH_BIN, *flags))
        return started[-1]

    yield start
    for running in started:
        running.stop()


# ---------------------------------------------------------------- helpers


def b64url_json(segment):
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def claims(token):
    return b64url_json(token.split(".")[1])


def k8s_protocol(token):
    encoded = base64.urlsafe_b64encode(token.encode()).decode().rstrip("=")
    return f"base64url.bearer.authorization.k8s.io.{encoded}"


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def rejected(url, **options):
    """The non-101 answer to a handshake."""
    with pytest.raises(InvalidStatus) as caught:
        ws(url, **options).close()
    return caught.value.response


def whoami(socket_):
    socket_.send(json.dumps({"op": "whoami"}))
    return json.loads(socket_.recv(timeout=5))


def poll_until(condition, within, interval=0.1):
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


# ---------------------------------------------------------------- banner and login


def test_banner_prints_urls_and_demo_users(server):
    banner = server.banner
    for path in ("/auth/login", "/auth/refresh", "/oauth/token", "/auth/logout"):
        assert server.url(path) in banner
    assert server.ws in banner
    assert "alice:wonderland" in banner and "bob:builder" in banner


def test_login_json_returns_tokens_and_session_cookie(server):
    response = login(server)
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == TOKEN_TTL
    assert body["refresh_token"] and "." not in body["refresh_token"]  # opaque, not a JWT
    assert response.headers["Cache-Control"] == "no-store"
    header = b64url_json(body["access_token"].split(".")[0])
    assert header["alg"] == "HS256"
    token_claims = claims(body["access_token"])
    assert token_claims["sub"] == "alice"
    assert {"iat", "exp", "jti", "sid"} <= token_claims.keys()
    assert TOKEN_TTL <= token_claims["exp"] - token_claims["iat"] <= TOKEN_TTL + 1
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("wsauth_session=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie


def test_login_form(server):
    response = requests.post(
        server.url("/auth/login"), data={"username": "bob", "password": "builder"}, timeout=HTTP_TIMEOUT
    )
    assert response.status_code == 200
    assert claims(response.json()["access_token"])["sub"] == "bob"


@pytest.mark.parametrize(
    "body, status",
    [
        ({"username": "alice", "password": "nope"}, 401),
        ({"username": "mallory", "password": "wonderland"}, 401),
        ({"username": "alice"}, 400),
    ],
)
def test_login_refused(server, body, status):
    response = requests.post(server.url("/auth/login"), json=body, timeout=HTTP_TIMEOUT)
    assert response.status_code == status
    assert response.json()["error"] and response.json()["error_description"]


def test_json_body_labelled_as_form_is_explained(server):
    response = requests.post(
        server.url("/auth/login"),
        data='{"username":"alice","password":"wonderland"}',
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=HTTP_TIMEOUT,
    )
    assert response.status_code == 400
    assert "Content-Type: application/json" in response.json()["error_description"]


def test_custom_users_replace_the_demo_ones(make_server):
    custom = make_server("--users", "carol:s3cret,dave:pw")
    assert "users: carol, dave" in custom.banner
    assert "s3cret" not in custom.banner
    assert login(custom, "carol", "s3cret").json()["access_token"]
    refused = requests.post(
        custom.url("/auth/login"), json={"username": "alice", "password": "wonderland"}, timeout=HTTP_TIMEOUT
    )
    assert refused.status_code == 401


def test_users_and_secret_from_a_file_and_the_environment_stay_off_the_command_line(make_server, tmp_path, monkeypatch):
    users = tmp_path / "users.txt"
    users.write_text("carol:s3cret\ndave:pw-from-file\n")
    key = tmp_path / "key"
    key.write_text("hmac-key-from-a-file\n")
    from_file = make_server("--users-file", str(users), "--secret-file", str(key))
    command_line = Path(f"/proc/{from_file.process.pid}/cmdline").read_bytes()
    banner = from_file.banner
    assert "users: carol, dave" in banner and "s3cret" not in banner and b"s3cret" not in command_line
    assert login(from_file, "dave", "pw-from-file").json()["access_token"]
    monkeypatch.setenv("WSAUTH_TEST_USERS", "erin:from-env")
    from_env = make_server("--users-env", "WSAUTH_TEST_USERS")
    assert "from-env" not in from_env.banner
    assert login(from_env, "erin", "from-env").json()["access_token"]


def test_control_characters_in_a_tokens_alg_are_escaped_in_the_log(server):
    hostile = base64.urlsafe_b64encode(b'{"alg":"\\u001b[2J\\u001b]0;pwned\\u0007HS\\n256","typ":"JWT"}').decode().rstrip("=")
    response = rejected(server.ws, additional_headers=bearer(f"{hostile}.e30.c2ln"))
    assert_invalid_token(response, "alg")
    assert "\x1b" not in response.headers["WWW-Authenticate"]
    deadline = time.monotonic() + 5
    while "is not accepted" not in server.logged() and time.monotonic() < deadline:
        time.sleep(0.05)
    log = server.logged()
    assert "alg \\u{1b}[2J\\u{1b}]0;pwned\\u{7}HS\\u{a}256 is not accepted" in log, log
    assert "\x1b" not in log and "\x07" not in log


def test_serve_without_the_server_executable_names_the_missing_file(tmp_path):
    lonely = tmp_path / "wsauth"
    lonely.write_bytes(Path(WSAUTH_BIN).read_bytes())
    lonely.chmod(0o755)
    result = subprocess.run([str(lonely), "serve", "--port", "0"], capture_output=True, timeout=20,
                            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert result.returncode == 1
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and f"{tmp_path}/wsauth-serve" in lines[0], lines
    assert result.stdout == b""


@pytest.mark.parametrize(
    "flags",
    [["--token-ttl", "-3s"], ["--token-ttl", "soon"], ["--refresh-ttl", "0"], ["--users", "nobody"], ["--port", "70000"],
     ["--users", "a:b", "--users-env", "HOME"], ["--users-env", "WSAUTH_TEST_UNSET_VARIABLE"],
     ["--users-file", "/nonexistent/users"], ["--secret", "x", "--secret-file", "/etc/hostname"]],
)
def test_usage_errors_exit_64_with_one_line(flags):
    result = subprocess.run([WSAUTH_BIN, "serve", *flags], capture_output=True, timeout=20)
    assert result.returncode == 64
    assert len(result.stderr.decode().strip().splitlines()) == 1
    assert result.stdout == b""


def test_durations_with_units_are_accepted(make_server):
    quick = make_server("--token-ttl", "1500ms", "--refresh-ttl", "1.5h")
    assert "access tokens live 1500ms, refresh tokens 1.5h" in quick.banner
    body = login(quick).json()
    assert body["expires_in"] in (1, 2)


# ---------------------------------------------------------------- refresh


def refresh(server, refresh_token):
    return requests.post(server.url("/auth/refresh"), json={"refresh_token": refresh_token}, timeout=HTTP_TIMEOUT)


def test_refresh_rotates_the_refresh_token(server):
    access, first = tokens(server)
    response = refresh(server, first)
    assert response.status_code == 200
    body = response.json()
    assert body["refresh_token"] != first
    assert body["access_token"] != access
    assert claims(body["access_token"])["sid"] == claims(access)["sid"]
    with ws(server.ws, additional_headers=bearer(body["access_token"])) as socket_:
        assert whoami(socket_)["sub"] == "alice"


def test_refresh_reuse_revokes_the_whole_family(server):
    access, first = tokens(server)
    second = refresh(server, first).json()
    reused = refresh(server, first)
    assert reused.status_code == 401
    assert reused.json()["error"] == "invalid_grant"
    assert "family" in reused.json()["error_description"]
    # The newest token of the family and its access token are dead too.
    assert refresh(server, second["refresh_token"]).status_code == 401
    response = rejected(server.ws, additional_headers=bearer(second["access_token"]))
    assert response.status_code == 401


def test_refresh_unknown_token(server):
    response = refresh(server, "not-a-token")
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_grant"


# ---------------------------------------------------------------- OAuth 2.0 token endpoint


def oauth(server, data, auth=None):
    return requests.post(server.url("/oauth/token"), data=data, auth=auth, timeout=HTTP_TIMEOUT)


def test_oauth_password_grant(server):
    response = oauth(server, {"grant_type": "password", "username": "alice", "password": "wonderland"})
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer" and body["refresh_token"] and body["expires_in"] == TOKEN_TTL
    assert response.headers["Cache-Control"] == "no-store"


def test_oauth_password_grant_wrong_password(server):
    response = oauth(server, {"grant_type": "password", "username": "alice", "password": "x"})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_oauth_client_credentials_basic_and_form(server):
    basic = oauth(server, {"grant_type": "client_credentials"}, auth=("bob", "builder"))
    assert basic.status_code == 200
    assert "refresh_token" not in basic.json()  # RFC 6749 4.4.3
    assert claims(basic.json()["access_token"])["sub"] == "bob"
    form = oauth(server, {"grant_type": "client_credentials", "client_id": "bob", "client_secret": "builder"})
    assert form.status_code == 200


def test_oauth_client_credentials_bad_client(server):
    response = oauth(server, {"grant_type": "client_credentials"}, auth=("bob", "wrong"))
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert response.headers["WWW-Authenticate"].startswith("Basic")
    anonymous = oauth(server, {"grant_type": "client_credentials"})
    assert anonymous.status_code == 401 and anonymous.json()["error"] == "invalid_client"


def test_oauth_refresh_grant_rotates_and_detects_reuse(server):
    _, first = tokens(server)
    rotated = oauth(server, {"grant_type": "refresh_token", "refresh_token": first})
    assert rotated.status_code == 200 and rotated.json()["refresh_token"] != first
    reused = oauth(server, {"grant_type": "refresh_token", "refresh_token": first})
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"
    newest = oauth(server, {"grant_type": "refresh_token", "refresh_token": rotated.json()["refresh_token"]})
    assert newest.status_code == 400


@pytest.mark.parametrize(
    "data, error",
    [
        ({"grant_type": "implicit", "code": "x"}, "unsupported_grant_type"),
        ({"grant_type": "authorization_code", "code": "x"}, "invalid_request"),
        ({"grant_type": "authorization_code", "code": "x", "client_id": "c"}, "invalid_grant"),
        ({"username": "alice", "password": "wonderland"}, "invalid_request"),
        ({"grant_type": "password", "username": "alice"}, "invalid_request"),
        ({"grant_type": "refresh_token"}, "invalid_request"),
    ],
)
def test_oauth_errors_have_rfc6749_bodies(server, data, error):
    response = oauth(server, data)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == error and body["error_description"]


# ---------------------------------------------------------------- logout


def test_logout_by_bearer_revokes_session_and_refresh_family(server):
    access, refresh_token = tokens(server)
    response = requests.post(server.url("/auth/logout"), headers=bearer(access), timeout=HTTP_TIMEOUT)
    assert response.status_code == 200 and response.json()["sub"] == "alice"
    assert refresh(server, refresh_token).status_code == 401
    rejection = rejected(server.ws, additional_headers=bearer(access))
    assert rejection.status_code == 401
    assert "logged out" in json.loads(rejection.body)["error_description"]


def test_logout_by_refresh_token(server):
    access, refresh_token = tokens(server)
    response = requests.post(server.url("/auth/logout"), json={"refresh_token": refresh_token}, timeout=HTTP_TIMEOUT)
    assert response.status_code == 200
    assert rejected(server.ws, additional_headers=bearer(access)).status_code == 401


def test_logout_by_session_cookie_clears_it(server):
    session = login(server).cookies["wsauth_session"]
    response = requests.post(server.url("/auth/logout"), cookies={"wsauth_session": session}, timeout=HTTP_TIMEOUT)
    assert response.status_code == 200
    assert "Max-Age=0" in response.headers["Set-Cookie"]
    rejection = rejected(server.ws, additional_headers={"Cookie": f"wsauth_session={session}"})
    assert rejection.status_code == 401


def test_logout_by_session_header(server):
    session = login(server).cookies["wsauth_session"]
    response = requests.post(server.url("/auth/logout"), headers={"X-Session-Token": session}, timeout=HTTP_TIMEOUT)
    assert response.status_code == 200
    assert rejected(server.ws, additional_headers={"X-Session-Token": session}).status_code == 401


def test_logout_without_credentials(server):
    response = requests.post(server.url("/auth/logout"), timeout=HTTP_TIMEOUT)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


# ---------------------------------------------------------------- handshake placements


def test_header_placement_echoes_text_and_binary(server):
    access, _ = tokens(server)
    with ws(server.ws, additional_headers=bearer(access)) as socket_:
        socket_.send("hello")
        assert socket_.recv(timeout=5) == "hello"
        socket_.send(b"\x00\x01\xfe\xff")
        assert socket_.recv(timeout=5) == b"\x00\x01\xfe\xff"
        identity = whoami(socket_)
        assert identity["sub"] == "alice"
        assert identity["exp"] == claims(access)["exp"]
        assert identity["placement"] == "header"


def test_kubernetes_subprotocol_is_accepted_but_never_selected(server):
    access, _ = tokens(server)
    offered = [k8s_protocol(access), "echo.v1"]
    with ws(server.ws, subprotocols=offered) as socket_:
        assert socket_.subprotocol == "echo.v1"
        assert access not in str(socket_.response.headers)
        assert whoami(socket_)["placement"] == "protocol"
    with ws(server.ws, subprotocols=[k8s_protocol(access)]) as socket_:
        assert socket_.subprotocol is None
        assert "Sec-WebSocket-Protocol" not in socket_.response.headers


def test_raw_jwt_subprotocol(server):
    access, _ = tokens(server)
    with ws(server.ws, subprotocols=[access, "echo.v1"]) as socket_:
        assert socket_.subprotocol == "echo.v1"
        assert whoami(socket_)["placement"] == "protocol"


def test_session_cookie_placement(server):
    session = login(server).cookies["wsauth_session"]
    with ws(server.ws, additional_headers={"Cookie": f"wsauth_session={session}"}) as socket_:
        identity = whoami(socket_)
        assert identity["placement"] == "cookie" and identity["sub"] == "alice"


def test_access_token_cookie_placement(server):
    access, _ = tokens(server)
    with ws(server.ws, additional_headers={"Cookie": f"token={access}"}) as socket_:
        identity = whoami(socket_)
        assert identity["placement"] == "cookie" and identity["exp"] == claims(access)["exp"]


def test_upgrade_answer_carries_a_date_for_clock_skew(server):
    access, _ = tokens(server)
    with ws(server.ws, additional_headers=bearer(access)) as socket_:
        assert socket_.response.headers["Date"].endswith(" GMT")


def test_session_header_placement(server):
    session = login(server, "bob", "builder").cookies["wsauth_session"]
    with ws(server.ws, additional_headers={"X-Session-Token": session}) as socket_:
        identity = whoami(socket_)
        assert identity["placement"] == "session-header" and identity["sub"] == "bob"


def test_query_token_refused_by_default(server):
    access, _ = tokens(server)
    response = rejected(f"{server.ws}?token={access}")
    assert response.status_code == 401
    assert "query string" in json.loads(response.body)["error_description"]
    assert access not in server.logged()  # the log redacts it


def test_query_token_accepted_with_allow_query_token(make_server):
    insecure = make_server("--allow-query-token")
    access, _ = tokens(insecure)
    with ws(f"{insecure.ws}?token={access}") as socket_:
        assert whoami(socket_)["placement"] == "query"


# ---------------------------------------------------------------- handshake refusals


def assert_invalid_token(response, words):
    assert response.status_code == 401
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith("Bearer ") and 'error="invalid_token"' in challenge
    assert "error_description=" in challenge
    body = json.loads(response.body)
    assert body["error"] == "invalid_token"
    assert words in body["error_description"]


def test_missing_credentials_get_a_bearer_challenge(server):
    response = rejected(server.ws)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.headers["Content-Type"] == "application/json"
    assert "no credentials" in json.loads(response.body)["error_description"]


def test_malformed_token(server):
    assert_invalid_token(rejected(server.ws, additional_headers=bearer("not-a-jwt")), "not a JWT")


def test_tampered_signature(server):
    access, _ = tokens(server)
    head, payload, signature = access.split(".")
    forged = dict(claims(access), sub="bob")
    forged_payload = base64.urlsafe_b64encode(json.dumps(forged).encode()).decode().rstrip("=")
    response = rejected(server.ws, additional_headers=bearer(f"{head}.{forged_payload}.{signature}"))
    assert_invalid_token(response, "signature")


def test_alg_none(server):
    access, _ = tokens(server)
    none_header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').decode().rstrip("=")
    response = rejected(server.ws, additional_headers=bearer(f"{none_header}.{access.split('.')[1]}."))
    assert_invalid_token(response, "alg none")


def test_expired_token(server):
    access, _ = tokens(server)
    time.sleep(TOKEN_TTL + 1.2)
    assert_invalid_token(rejected(server.ws, additional_headers=bearer(access)), "expired")


def test_an_expired_token_opens_nothing_by_any_placement(make_server):
    """The token's claims hold no session value: its `sid` names the session by a key that
    no session endpoint accepts, so once `exp` passes, nothing in the token opens /ws."""
    server = make_server("--allow-query-token")
    answer = login(server)
    access, session = answer.json()["access_token"], answer.cookies["wsauth_session"]
    sid = claims(access)["sid"]
    assert sid and sid != session and session not in json.dumps(claims(access))
    time.sleep(TOKEN_TTL + 1.2)
    placements = {
        "header": dict(additional_headers=bearer(access)),
        "protocol": dict(subprotocols=[k8s_protocol(access)]),
        "raw protocol": dict(subprotocols=[access]),
        "token cookie": dict(additional_headers={"Cookie": f"token={access}"}),
        "sid as session cookie": dict(additional_headers={"Cookie": f"wsauth_session={sid}"}),
        "sid as X-Session-Token": dict(additional_headers={"X-Session-Token": sid}),
        "token as session cookie": dict(additional_headers={"Cookie": f"wsauth_session={access}"}),
        "token as X-Session-Token": dict(additional_headers={"X-Session-Token": access}),
    }
    for name, options in placements.items():
        assert rejected(server.ws, **options).status_code == 401, name
    assert rejected(f"{server.ws}?token={access}").status_code == 401, "query"
    with ws(f"{server.ws}?auth=message") as socket_:
        socket_.send(json.dumps({"type": "auth", "token": access}))
        assert close_of(socket_, within=3).code == 4001, "first message"
    # The session itself is alive: only its own cookie opens it.
    with ws(server.ws, additional_headers={"Cookie": f"wsauth_session={session}"}) as socket_:
        assert whoami(socket_)["placement"] == "cookie"


def test_the_sid_claim_logs_nothing_out_but_an_expired_token_still_does(server):
    answer = login(server)
    access, session = answer.json()["access_token"], answer.cookies["wsauth_session"]
    refused = requests.post(server.url("/auth/logout"), headers={"X-Session-Token": claims(access)["sid"]}, timeout=HTTP_TIMEOUT)
    assert refused.status_code == 401 and refused.json()["error_description"] == "unknown session"
    with ws(server.ws, additional_headers={"X-Session-Token": session}) as socket_:
        whoami(socket_)
        time.sleep(TOKEN_TTL + 1.2)
        response = requests.post(server.url("/auth/logout"), headers=bearer(access), timeout=HTTP_TIMEOUT)
        assert response.status_code == 200 and response.json()["sub"] == "alice"
        assert close_of(socket_, within=5).code == 4003
    assert rejected(server.ws, additional_headers={"X-Session-Token": session}).status_code == 401


def test_accept_expired(make_server):
    insecure = make_server("--accept-expired", "--no-expiry-close")
    access, _ = tokens(insecure)
    time.sleep(TOKEN_TTL + 1.2)
    with ws(insecure.ws, additional_headers=bearer(access)) as socket_:
        socket_.send("still here")
        assert socket_.recv(timeout=5) == "still here"


def test_foreign_origin_is_forbidden(server):
    access, _ = tokens(server)
    response = rejected(server.ws, additional_headers=bearer(access), origin="http://evil.example")
    assert response.status_code == 403
    assert json.loads(response.body)["error"] == "forbidden_origin"
    session = login(server).cookies["wsauth_session"]
    hijack = rejected(server.ws, additional_headers={"Cookie": f"wsauth_session={session}"}, origin="http://evil.example")
    assert hijack.status_code == 403


def test_same_origin_passes(server):
    access, _ = tokens(server)
    with ws(server.ws, additional_headers=bearer(access), origin=f"http://127.0.0.1:{server.port}") as socket_:
        assert whoami(socket_)["sub"] == "alice"


def test_allowed_origin_and_ignore_origin(make_server):
    listed = make_server("--allowed-origin", "https://app.example")
    access, _ = tokens(listed)
    with ws(listed.ws, additional_headers=bearer(access), origin="https://app.example") as socket_:
        assert whoami(socket_)["sub"] == "alice"
    assert rejected(listed.ws, additional_headers=bearer(access), origin="https://evil.example").status_code == 403
    careless = make_server("--ignore-origin")
    access, _ = tokens(careless)
    with ws(careless.ws, additional_headers=bearer(access), origin="https://evil.example") as socket_:
        assert whoami(socket_)["sub"] == "alice"


def test_plain_get_and_other_paths(server):
    assert requests.get(server.url("/ws"), timeout=HTTP_TIMEOUT).status_code == 401
    access, _ = tokens(server)
    plain = requests.get(server.url("/ws"), headers=bearer(access), timeout=HTTP_TIMEOUT)
    assert plain.status_code == 426 and plain.headers["Upgrade"] == "websocket"
    assert rejected(f"ws://127.0.0.1:{server.port}/elsewhere", additional_headers=bearer(access)).status_code == 404


# ---------------------------------------------------------------- open sockets: expiry and revocation


def test_socket_closed_with_4001_when_token_expires(server):
    access, _ = tokens(server)
    with ws(server.ws, additional_headers=bearer(access)) as socket_:
        close = close_of(socket_, within=TOKEN_TTL + 3)
    assert close.code == 4001 and close.reason == "token expired"


def test_no_expiry_close_keeps_socket_open(make_server):
    insecure = make_server("--no-expiry-close")
    access, _ = tokens(insecure)
    with ws(insecure.ws, additional_headers=bearer(access)) as socket_:
        time.sleep(TOKEN_TTL + 1.5)
        assert whoami(socket_)["sub"] == "alice"


def test_socket_closed_with_4003_after_logout(server):
    access, _ = tokens(server)
    with ws(server.ws, additional_headers=bearer(access)) as socket_:
        assert whoami(socket_)["sub"] == "alice"
        requests.post(server.url("/auth/logout"), headers=bearer(access), timeout=HTTP_TIMEOUT)
        close = close_of(socket_, within=3)
    assert close.code == 4003 and close.reason == "session revoked"


def test_cookie_socket_closed_with_4003_after_logout(server):
    session = login(server).cookies["wsauth_session"]
    with ws(server.ws, additional_headers={"Cookie": f"wsauth_session={session}"}) as socket_:
        requests.post(server.url("/auth/logout"), cookies={"wsauth_session": session}, timeout=HTTP_TIMEOUT)
        assert close_of(socket_, within=3).code == 4003


# ---------------------------------------------------------------- first-message auth


def test_first_message_auth(server):
    access, _ = tokens(server)
    with ws(f"{server.ws}?auth=message") as socket_:
        socket_.send(json.dumps({"type": "auth", "token": access}))
        identity = whoami(socket_)
        assert identity["placement"] == "message" and identity["sub"] == "alice"
        socket_.send("echo")
        assert socket_.recv(timeout=5) == "echo"


def test_first_message_bad_token_closes_4001(server):
    with ws(f"{server.ws}?auth=message") as socket_:
        socket_.send(json.dumps({"type": "auth", "token": "garbage"}))
        assert close_of(socket_, within=3).code == 4001
    with ws(f"{server.ws}?auth=message") as socket_:
        socket_.send("hello before auth")
        assert close_of(socket_, within=3).code == 4001


def test_first_message_timeout_closes_4401(server):
    with ws(f"{server.ws}?auth=message") as socket_:
        close = close_of(socket_, within=13)
    assert close.code == 4401 and close.reason == "auth timeout"


def test_first_message_token_expiry_closes_4001(server):
    access, _ = tokens(server)
    with ws(f"{server.ws}?auth=message") as socket_:
        socket_.send(json.dumps({"type": "auth", "token": access}))
        assert close_of(socket_, within=TOKEN_TTL + 3).code == 4001


# ---------------------------------------------------------------- logging


def test_log_redacts_secrets(server):
    access, refresh_token = tokens(server)
    with ws(server.ws, additional_headers=bearer(access)) as socket_:
        whoami(socket_)
    refresh(server, refresh_token)
    log = server.logged()
    assert "POST /auth/login" in log and "redacted" in log
    assert access not in log and refresh_token not in log and "wonderland" not in log


def test_the_log_redacts_by_the_clients_rule(server):
    """wsauth's one rule (Secret.redact): at most an eighth of a secret, at most 6
    characters, none of one shorter than 16."""
    access, refresh_token = tokens(server)
    with ws(server.ws, additional_headers={"Cookie": f"token={access}; short=abcdefghijkl"}) as socket_:
        whoami(socket_)
    shown = re.findall(r"([A-Za-z0-9_-]*)…\(redacted, (\d+) chars\)", server.logged())
    lengths = {int(n) for _, n in shown}
    assert {len(access), len(refresh_token), 12} <= lengths, shown
    for prefix, count in shown:
        count = int(count)
        assert len(prefix) == (min(6, count // 8) if count >= 16 else 0), (prefix, count)


# ---------------------------------------------------------------- robustness


@pytest.fixture(scope="module")
def sturdy():
    running = short_lived(WSAUTH_BIN, "--token-ttl", "60s")
    yield running
    running.stop()


def warm_up(server):
    access, _ = tokens(server)
    with ws(server.ws, additional_headers=bearer(access)) as socket_:
        whoami(socket_)
    return access


# TCP states (include/net/tcp_states.h) of a server-side connection whose descriptor
# the server holds, or will hold once it accepts it: ESTABLISHED, SYN_RECV, CLOSE_WAIT.
HELD_STATES = {"01", "03", "08"}


def server_connections(server):
    """The server's own TCP connections (local port = its port) still holding a descriptor."""
    port = f":{server.port:04X}"
    with open("/proc/net/tcp") as table:
        rows = [line.split() for line in table.readlines()[1:]]
    return sum(1 for row in rows if row[1].endswith(port) and row[3] in HELD_STATES)


def settled_descriptors(server, within=60, steady=1.0):
    """The server's descriptor count once it holds no connection at all and the count has
    held still for `steady` seconds. The server closes a connection asynchronously after
    its peer went, and on a loaded machine accepts late: counted at any other moment, a
    connection's descriptor may or may not be in the figure. The runtime also opens some
    descriptors once, lazily (a timerfd after the first WebSocket closes): counted before
    that, a baseline is one short for good ("descriptors 16 > baseline 15")."""
    assert poll_until(lambda: server_connections(server) == 0, within=within), (
        f"the server still holds {server_connections(server)} connections after {within} s"
    )
    deadline = time.monotonic() + within
    count, since = server.descriptors(), time.monotonic()
    while time.monotonic() - since < steady and time.monotonic() < deadline:
        time.sleep(0.1)
        now = server.descriptors()
        if now != count or server_connections(server):
            count, since = now, time.monotonic()
    return count


def assert_recovers(server, baseline):
    settled_descriptors(server)
    assert poll_until(lambda: server.descriptors() <= baseline, within=20), (
        f"descriptors {server.descriptors()} > baseline {baseline}"
    )
    assert server.process.poll() is None
    warm_up(server)


def raw_connection(server):
    return socket.create_connection(("127.0.0.1", server.port), timeout=5)


def drain(connection, within=5):
    """Reads until the server closes or `within` seconds pass; returns what came."""
    deadline = time.monotonic() + within
    received = b""
    with contextlib.suppress(OSError):
        while time.monotonic() < deadline:
            connection.settimeout(max(0.01, deadline - time.monotonic()))
            chunk = connection.recv(65536)
            if not chunk:
                break
            received += chunk
    return received


UPGRADE = (
    "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n{extra}\r\n"
)


def send_garbage(server):
    for garbage in (b"\x00\xff\xfe garbage \x16\x03\x01\r\n\r\n", b"HELLO\r\n\r\n", os.urandom(4096)):
        with raw_connection(server) as connection:
            connection.sendall(garbage)
            answer = drain(connection)
            assert answer == b"" or answer.startswith(b"HTTP/1.1 4")


def test_garbage_bytes(sturdy):
    # One round before the baseline, so that what the runtime opens once for these paths is
    # in it; a descriptor each garbage connection kept would still show in the rounds after.
    warm_up(sturdy)
    send_garbage(sturdy)
    baseline = settled_descriptors(sturdy)
    for _ in range(3):
        send_garbage(sturdy)
    assert_recovers(sturdy, baseline)


def test_handshake_cut_in_half(sturdy):
    warm_up(sturdy)
    baseline = settled_descriptors(sturdy)
    request = UPGRADE.format(extra="").encode()
    for _ in range(20):
        with raw_connection(sturdy) as connection:
            connection.sendall(request[: len(request) // 2])
    assert_recovers(sturdy, baseline)


def test_thousand_connections_opened_and_dropped(sturdy):
    access = warm_up(sturdy)
    baseline = settled_descriptors(sturdy)
    admitted = UPGRADE.format(extra=f"Authorization: Bearer {access}\r\n").encode()
    refused = UPGRADE.format(extra="").encode()
    for batch in range(10):
        kind = batch % 3  # 0: connect (half of them send a line), 1: upgrade, 2: refused upgrade
        connections = [raw_connection(sturdy) for _ in range(100)]
        for index, connection in enumerate(connections):
            if kind == 1:
                connection.sendall(admitted)
            elif kind == 2:
                connection.sendall(refused)
            elif index % 2:
                connection.sendall(b"GET /ws HTTP/1.1\r\n")
        for connection in connections:
            if kind:
                connection.settimeout(5)
                assert connection.recv(12) == (b"HTTP/1.1 101" if kind == 1 else b"HTTP/1.1 401")
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            connection.close()  # linger 0: a reset, no goodbye
    assert_recovers(sturdy, baseline)


def masked_frame(opcode, payload):
    mask = os.urandom(4)
    header = bytes([0x80 | opcode])
    if len(payload) < 126:
        header += bytes([0x80 | len(payload)])
    elif len(payload) < 65536:
        header += bytes([0x80 | 126]) + len(payload).to_bytes(2, "big")
    else:
        header += bytes([0x80 | 127]) + len(payload).to_bytes(8, "big")
    return header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def test_slow_reader(sturdy):
    access = warm_up(sturdy)
    baseline = settled_descriptors(sturdy)
    connection = raw_connection(sturdy)
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    connection.sendall(UPGRADE.format(extra=f"Authorization: Bearer {access}\r\n").encode())
    assert connection.recv(12) == b"HTTP/1.1 101"
    frame = masked_frame(0x2, os.urandom(60000))
    connection.settimeout(0.5)
    sent = 0
    deadline = time.monotonic() + 30
    with contextlib.suppress(socket.timeout):
        while time.monotonic() < deadline:  # the server echoes, we never read: both buffers fill
            connection.sendall(frame)
            sent += 1
    assert sent < 2000, "the server kept reading although nobody read its echoes"
    # Others are still served while the slow reader is stuck.
    other, _ = tokens(sturdy)
    with ws(sturdy.ws, additional_headers=bearer(other)) as socket_:
        socket_.send("not stuck")
        assert socket_.recv(timeout=5) == "not stuck"
    connection.close()
    assert_recovers(sturdy, baseline)


# ---------------------------------------------------------------- stopping


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM])
def test_signal_stops_cleanly_and_says_goodbye(make_server, signal_number):
    stopping = make_server()
    access, _ = tokens(stopping)
    with ws(stopping.ws, additional_headers=bearer(access)) as socket_:
        whoami(socket_)
        stopping.process.send_signal(signal_number)
        close = close_of(socket_, within=5)
    assert close.code == 1001
    assert stopping.process.wait(timeout=10) == 0
    assert "stopped" in stopping.logged()
