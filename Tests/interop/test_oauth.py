"""Issue 15: the interactive OAuth 2.0 logins against Authlib's authorization
server (peers/authlib_server.py): discovery, the authorization code grant with
PKCE and a loopback redirect, the device code grant, and what the stored
credentials then allow (refresh, the ID token's claims, revocation at logout).

The browser is played by the test: wsauth opens the URL with $BROWSER (a
script that writes it to a file); the test follows it with requests, posts the
consent, and follows Authlib's redirect to wsauth's loopback listener.
"""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path
from typing import Any, Callable, Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
import requests

from peers.authlib_server import CLIENT_ID, AuthlibServer
from support.background import Background, wait_for
from wsauth_runner import Result, WsauthRunner


@pytest.fixture
def authlib(secret_registry: list[str]) -> Iterator[AuthlibServer]:
    with AuthlibServer(secret_registry) as server:
        yield server


def login_args(server: AuthlibServer, grant: str, *extra: str) -> list[str]:
    return ["login", "--issuer", server.base, "--grant", grant, "--client-id", CLIENT_ID, *extra]


def stored(run: WsauthRunner) -> dict[str, Any] | None:
    path = run.home / "state" / "wsauth" / "default.json"
    return json.loads(path.read_text()) if path.exists() else None


@pytest.fixture
def browser(tmp_path: Path) -> tuple[dict[str, str | None], Path]:
    """$BROWSER for wsauth: a script that hands the URL to the test."""
    url_file = tmp_path / "opened-url"
    script = tmp_path / "browser.sh"
    script.write_text(f'#!/bin/sh\nprintf "%s" "$1" > "{url_file}.part" && mv "{url_file}.part" "{url_file}"\n')
    script.chmod(0o755)
    return {"BROWSER": str(script), "DISPLAY": None, "WAYLAND_DISPLAY": None}, url_file


def consent(url: str, confirm: str = "yes") -> str:
    """The user at Authlib's authorization page: the redirect it answers with."""
    page = requests.get(url, timeout=10)
    assert page.status_code == 200, page.text
    answer = requests.post(url, data={"confirm": confirm}, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    return answer.headers["Location"]


def with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


def port_is_closed(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except ConnectionRefusedError:
        return True
    return False


def browser_login(run: WsauthRunner, server: AuthlibServer, browser, *extra: str,
                  redirect: Callable[[str], str] = lambda u: u, confirm: str = "yes") -> tuple[Result, str, requests.Response]:
    env, url_file = browser
    job = Background(run, login_args(server, "authorization_code", *extra), env)
    url = wait_for(lambda: url_file.exists() and url_file.read_text(), "wsauth to open the browser")
    location = redirect(consent(url, confirm))
    landing = requests.get(location, timeout=10)
    return job.finish(), url, landing


def test_authorization_code_with_pkce_stores_tokens_that_refresh_and_revoke(run_wsauth, authlib, browser):
    result, url, landing = browser_login(run_wsauth, authlib, browser, "--scope", "openid profile")
    assert result.code == 0, result.describe()
    query = dict(parse_qsl(urlsplit(url).query))
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert query["client_id"] == CLIENT_ID and query["scope"] == "openid profile" and query["state"]
    redirect = urlsplit(query["redirect_uri"])
    assert redirect.hostname == "127.0.0.1" and redirect.path == "/callback"
    assert url in result.stderr, "the authorization URL is printed too"
    assert landing.status_code == 200 and "logged in" in landing.text
    assert port_is_closed(redirect.port), "the loopback listener is closed afterwards"

    saved = stored(run_wsauth)
    issued = authlib.tokens[-1]
    assert issued.refresh_token and issued.access_token
    assert saved["access_token"] == issued.access_token and saved["refresh_token"] == issued.refresh_token
    assert saved["id_token"] and saved["refresh"]["url"] == authlib.base + "/token"
    assert saved["revocation_url"] == authlib.base + "/revoke"

    refreshed = run_wsauth("refresh")
    assert refreshed.code == 0, refreshed.describe()
    assert authlib.token_requests[-1].grant_type == "refresh_token" and authlib.token_requests[-1].status == 200
    assert stored(run_wsauth)["access_token"] == authlib.tokens[-1].access_token != issued.access_token

    claims = run_wsauth("token", "--decode", "--id", "--json")
    assert claims.code == 0, claims.describe()
    assert claims.one("token")["claims"]["sub"] == "ada" and claims.one("token")["claims"]["aud"] == CLIENT_ID
    assert "not verified" in claims.stderr

    logout = run_wsauth("logout")
    assert logout.code == 0, logout.describe()
    assert authlib.revoked == [authlib.tokens[-1].refresh_token]
    assert stored(run_wsauth) is None


def test_a_stray_callback_gets_400_and_the_login_waits_for_the_real_one(run_wsauth, authlib, browser):
    env, url_file = browser
    job = Background(run_wsauth, login_args(authlib, "authorization_code", "--json"), env)
    url = wait_for(lambda: url_file.exists() and url_file.read_text(), "wsauth to open the browser")
    location = consent(url)
    listener = location.split("?")[0]
    # Any local process or page can reach the listener: a forged state, another path.
    stray = requests.get(listener + "?" + urlencode({"state": "x", "code": "login"}), timeout=10)
    other = requests.get(listener.rsplit("/", 1)[0] + "/favicon.ico", timeout=10)
    assert stray.status_code == 400 and other.status_code == 400
    assert not authlib.token_requests, "the code of a stray callback is not redeemed"
    landing = requests.get(location, timeout=10)
    result = job.finish()
    assert result.code == 0, result.describe()
    assert landing.status_code == 200
    assert [r.grant_type for r in authlib.token_requests] == ["authorization_code"]
    assert stored(run_wsauth)["access_token"] == authlib.tokens[-1].access_token
    assert "ignored a request to the redirect listener" in result.stderr
    # `login` came from an untrusted request: it is no secret, so the word is not blanked.
    assert result.one("login")["event"] == "login"
    assert "(redacted" not in result.stdout.decode()


def test_the_server_checks_the_pkce_verifier(run_wsauth, authlib, browser):
    authlib.tamper_verifier = True
    result, _, _ = browser_login(run_wsauth, authlib, browser)
    assert result.code == 2, result.describe()
    assert "invalid_grant" in result.last_line
    assert [r.error for r in authlib.token_requests] == ["invalid_grant"]
    assert stored(run_wsauth) is None


def test_a_refused_consent_exits_2(run_wsauth, authlib, browser):
    result, _, landing = browser_login(run_wsauth, authlib, browser, confirm="no")
    assert result.code == 2, result.describe()
    assert "access_denied" in result.last_line
    assert landing.status_code == 200 and not authlib.token_requests
    assert stored(run_wsauth) is None


def test_no_browser_only_prints_the_url_and_the_wait_is_bounded(run_wsauth, authlib, browser):
    env, url_file = browser
    result = run_wsauth(*login_args(authlib, "authorization_code", "--no-browser", "--timeout", "1s"), env=env)
    assert result.code == 5, result.describe()
    assert "no redirect from the browser within 1s" in result.last_line
    assert authlib.base + "/authorize?" in result.stderr
    assert not url_file.exists(), "--no-browser starts no browser"


def start_device_login(run: WsauthRunner, server: AuthlibServer, *extra: str) -> tuple[Background, str]:
    job = Background(run, login_args(server, "device_code", "--scope", "openid", *extra), {})
    user_code = wait_for(lambda: next((d["user_code"] for d in server.devices.values()), None), "a device code")
    return job, user_code


def decide(server: AuthlibServer, user_code: str, decision: str) -> None:
    answer = requests.post(server.base + "/device", data={"user_code": user_code, "decision": decision}, timeout=10)
    assert answer.status_code == 200


def test_device_flow_waits_while_pending_then_stores_the_tokens(run_wsauth, secret_registry):
    with AuthlibServer(secret_registry, metadata="rfc8414") as server:
        job, user_code = start_device_login(run_wsauth, server, "--json")
        wait_for(lambda: any(r.error == "authorization_pending" for r in server.token_requests), "a pending poll")
        decide(server, user_code, "approve")
        result = job.finish()
        assert result.code == 0, result.describe()
        assert result.one("login")["ok"] is True and result.one("login")["user"] == "ada@example.com"
        assert server.base + "/device" in result.stderr and user_code in result.stderr
        assert [r.status for r in server.token_requests][-1] == 200
        assert stored(run_wsauth)["access_token"] == server.tokens[-1].access_token
        assert stored(run_wsauth)["revocation_url"] == server.base + "/revoke"


def test_device_flow_slows_down_by_five_seconds(run_wsauth, authlib):
    authlib.slow_down_polls = 1
    job, user_code = start_device_login(run_wsauth, authlib)
    wait_for(lambda: any(r.error == "slow_down" for r in authlib.token_requests), "the slow_down answer")
    decide(authlib, user_code, "approve")
    result = job.finish()
    assert result.code == 0, result.describe()
    polls = authlib.token_requests
    assert [r.error for r in polls] == ["slow_down", None]
    gap = polls[1].time - polls[0].time
    assert gap >= 5.5, f"the poll after slow_down came {gap:.2f}s later; the interval is 1s + 5s"


def test_device_flow_access_denied_exits_2(run_wsauth, authlib):
    job, user_code = start_device_login(run_wsauth, authlib)
    decide(authlib, user_code, "deny")
    result = job.finish()
    assert result.code == 2, result.describe()
    assert "denied" in result.last_line
    assert stored(run_wsauth) is None


@pytest.mark.parametrize("args", [
    ["login", "--grant", "device_code", "--client-id", CLIENT_ID],
    ["login", "--grant", "authorization_code", "--issuer", "http://127.0.0.1:9"],
    ["login", "--grant", "authorization_code", "--issuer", "http://127.0.0.1:9", "--client-id", "c", "--timeout", "-1s"],
    ["login", "--grant", "implicit", "--issuer", "http://127.0.0.1:9", "--client-id", "c"],
])
def test_incomplete_interactive_logins_are_usage_errors_before_any_request(run_wsauth, args):
    result = run_wsauth(*args)
    assert result.code == 64, result.describe()


def test_an_issuer_without_metadata_is_exit_3_and_an_unreachable_one_exit_4(run_wsauth, authlib, closed_port):
    missing = run_wsauth(*login_args(authlib, "device_code")[:2], authlib.base + "/nothing",
                         *login_args(authlib, "device_code")[3:])
    assert missing.code == 3, missing.describe()
    assert "no OAuth 2.0 metadata" in missing.last_line
    unreachable = run_wsauth("login", "--issuer", f"http://127.0.0.1:{closed_port}", "--grant", "device_code",
                             "--client-id", CLIENT_ID)
    assert unreachable.code == 4, unreachable.describe()


def test_device_flow_expired_token_exits_2(run_wsauth, authlib):
    job, _ = start_device_login(run_wsauth, authlib)
    wait_for(lambda: any(r.error == "authorization_pending" for r in authlib.token_requests), "a pending poll")
    for device in authlib.devices.values():
        device["expires_at"] = time.time() - 1
    result = job.finish()
    assert result.code == 2, result.describe()
    assert "expired" in result.last_line
    assert authlib.token_requests[-1].error == "expired_token"
    assert stored(run_wsauth) is None


def test_device_code_running_out_by_our_clock_exits_2_like_expired_token(run_wsauth, authlib):
    authlib.device_expires_in = 3
    started = time.monotonic()
    job, _ = start_device_login(run_wsauth, authlib)
    result = job.finish()
    assert result.code == 2, result.describe()
    assert "the device code expired before it was approved" in result.last_line
    assert time.monotonic() - started < 10, "not the 5 min --timeout"
    errors = [r.error for r in authlib.token_requests]
    assert errors and set(errors) == {"authorization_pending"}, "the server never said expired_token: our clock did"
    assert stored(run_wsauth) is None


def test_the_timeout_running_out_first_still_exits_5(run_wsauth, authlib):
    job, _ = start_device_login(run_wsauth, authlib, "--timeout", "2s")
    result = job.finish()
    assert result.code == 5, result.describe()
    assert "not approved within 2s" in result.last_line
