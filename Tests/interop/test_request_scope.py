"""Issue 21, sections 1 and 3: every request carries only what belongs to its
host, and discovery and the loopback redirect listener trust nothing they
were not asked for.

Peers that record what they received: the websockets bearer server (every
handshake attempt, headers included) and peers/recording_endpoints.py (every
HTTP request, raw). Two hosts on one machine: 127.0.0.1, and ``idp.test``
pointed at 127.0.0.1 with ``--resolve``. Each test asserts what a server did
NOT receive.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Iterator

import pytest

from peers.recording_endpoints import RecordingEndpoints
from support.home import state_dir, write_config, write_store
from wsauth_runner import WsauthRunner

IDP = "idp.test"


@pytest.fixture
def recording(secret_registry: list[str]) -> Iterator[RecordingEndpoints]:
    with RecordingEndpoints(secret_registry) as server:
        yield server


def idp(server: RecordingEndpoints) -> tuple[str, list[str]]:
    """The recording endpoints as another host than 127.0.0.1."""
    return server.base(IDP), ["--resolve", f"{IDP}:{server.port}:127.0.0.1"]


def secret(run: WsauthRunner, prefix: str) -> str:
    value = prefix + os.urandom(12).hex()
    run.secrets.append(value)
    return value


def sent_anywhere(records, value: str) -> bool:
    return any(value in f"{name}: {text}" for record in records for name, text in record.headers)


def stored(run: WsauthRunner) -> dict | None:
    path = state_dir(run) / "default.json"
    return json.loads(path.read_text()) if path.exists() else None


# -- cookies go by RFC 6265, whatever header they are copied into ---------------


def test_doctor_sends_a_foreign_secure_cookie_of_a_file_nowhere(run_wsauth, bearer, tmp_path):
    sid = secret(run_wsauth, "bank-")
    cookies = tmp_path / "cookies.txt"
    cookies.write_text(f".bank.example\tTRUE\t/\tTRUE\t0\tsid\t{sid}\n")
    result = run_wsauth("doctor", bearer.url(), "-b", str(cookies), "--token", "not-the-token", "--repeat", "1")
    assert result.code == 2, result.describe()
    records = bearer.records.snapshot()
    assert len(records) >= 2, "the placement search ran (it tried other places for the token)"
    assert not sent_anywhere(records, sid), "neither in Cookie nor in X-Session-Token"
    assert "the cookie sid is not sent to 127.0.0.1" in result.text


def test_login_stores_only_set_cookie_and_a_later_doctor_sends_none_of_the_file(run_wsauth, recording, bearer, tmp_path):
    home_cookie, foreign = secret(run_wsauth, "home-"), secret(run_wsauth, "foreign-")
    cookies = tmp_path / "browser-cookies.txt"
    cookies.write_text(f"127.0.0.1\tFALSE\t/\tFALSE\t0\tpref\t{home_cookie}\n"
                       f".bank.example\tTRUE\t/\tFALSE\t0\tbank\t{foreign}\n")
    result = run_wsauth("login", recording.base() + "/login", "-d", "{}", "-b", str(cookies))
    assert result.code == 0, result.describe()
    (login,) = recording.requests()
    assert login.header("cookie") == f"pref={home_cookie}", "-b goes to the login URL as curl sends it"
    saved = stored(run_wsauth)
    assert [line.split("\t")[5] for line in saved["cookies"]] == ["sid"], "only what the answer set"
    assert home_cookie not in json.dumps(saved) and foreign not in json.dumps(saved)

    doctor = run_wsauth("doctor", bearer.url(), "--repeat", "1")
    assert doctor.code == 2, doctor.describe()
    records = bearer.records.snapshot()
    assert records and not any(sent_anywhere(records, value) for value in (home_cookie, foreign))


# -- -H and -b given for the WebSocket stay on its host ------------------------


def test_connect_refreshing_first_sends_no_websocket_header_or_cookie_to_the_idp(run_wsauth, recording, bearer):
    base, resolve = idp(recording)
    key, cookie = secret(run_wsauth, "key-"), secret(run_wsauth, "c-")
    old = secret(run_wsauth, "old-")
    write_store(run_wsauth, access_token=old, refresh_token=secret(run_wsauth, "r-"), expires_at=time.time() - 10,
                refresh={"url": base + "/refresh", "style": "json"}, obtained_from=["127.0.0.1"])
    result = run_wsauth("probe", bearer.url(), "-H", f"X-Api-Key: {key}", "-b", f"c={cookie}", *resolve)
    assert result.code == 2, result.describe()  # the bearer server wants its own token
    (refresh,) = recording.requests()
    assert refresh.path == "/refresh" and refresh.host == IDP
    assert key not in refresh.raw and cookie not in refresh.raw
    assert refresh.header("x-api-key") is None and refresh.header("cookie") is None
    handshake = bearer.wait_done()
    assert handshake.header("x-api-key") == key and handshake.header("cookie") == f"c={cookie}"


def test_a_refresh_endpoint_on_the_websocket_host_gets_them(run_wsauth, recording, bearer):
    key = secret(run_wsauth, "key-")
    write_store(run_wsauth, access_token=secret(run_wsauth, "old-"), refresh_token=secret(run_wsauth, "r-"),
                expires_at=time.time() - 10, refresh={"url": recording.base() + "/refresh", "style": "json"},
                obtained_from=["127.0.0.1"])
    result = run_wsauth("probe", bearer.url(), "-H", f"X-Api-Key: {key}")
    assert result.code == 2, result.describe()
    (refresh,) = recording.requests()
    assert refresh.header("x-api-key") == key, "the same host: the flags were given for it"


def test_audit_logout_on_another_host_gets_no_websocket_header_or_cookie(run_wsauth, recording, bearer):
    base, resolve = idp(recording)
    key, cookie = secret(run_wsauth, "key-"), secret(run_wsauth, "c-")
    result = run_wsauth("audit", bearer.url(), "--token-env", "T", "--only", "after-logout",
                        "--logout-url", base + "/logout", "-H", f"X-Api-Key: {key}", "-b", f"c={cookie}", *resolve,
                        env={"T": bearer.token})
    (logout,) = recording.requests()
    assert logout.path == "/logout" and logout.host == IDP, result.describe()
    assert logout.header("authorization") == f"Bearer {bearer.token}", "a given token goes where it is asked to"
    assert key not in logout.raw and cookie not in logout.raw


# -- explicit URLs outside the credentials' hosts -------------------------------


def test_refresh_url_outside_the_hosts_is_refused_before_any_request(run_wsauth, recording):
    base, resolve = idp(recording)
    refresh_token = secret(run_wsauth, "r-")
    write_store(run_wsauth, access_token=secret(run_wsauth, "a-"), refresh_token=refresh_token,
                obtained_from=["127.0.0.1"])
    result = run_wsauth("refresh", base + "/refresh", *resolve)
    assert result.code == 64, result.describe()
    assert IDP in result.last_line and f'add "{IDP}" to hosts in [profiles.default]' in result.last_line
    assert recording.requests() == []

    write_config(run_wsauth, f'[profiles.default]\nhosts = ["{IDP}"]\n')
    allowed = run_wsauth("refresh", base + "/refresh", *resolve)
    assert allowed.code == 0, allowed.describe()
    assert [r.path for r in recording.requests()] == ["/refresh"]


def test_revoke_url_and_a_discovered_revocation_endpoint_outside_the_hosts_are_refused(run_wsauth, recording):
    base, resolve = idp(recording)
    write_store(run_wsauth, access_token=secret(run_wsauth, "a-"), refresh_token=secret(run_wsauth, "r-"),
                obtained_from=["127.0.0.1"])
    result = run_wsauth("logout", "--revoke-url", base + "/revoke", *resolve)
    assert result.code == 64, result.describe()
    assert IDP in result.last_line and "hosts" in result.last_line
    assert recording.requests() == [] and stored(run_wsauth) is not None, "nothing sent, nothing forgotten"

    write_store(run_wsauth, access_token=secret(run_wsauth, "a-"), refresh_token=secret(run_wsauth, "r-"),
                obtained_from=["127.0.0.1"], revocation_url=base + "/revoke")
    discovered = run_wsauth("logout", *resolve)
    assert discovered.code == 64, discovered.describe()
    assert recording.requests() == []


def test_audit_logout_url_outside_the_hosts_of_a_stored_token_is_refused(run_wsauth, recording, bearer):
    base, resolve = idp(recording)
    write_store(run_wsauth, access_token=bearer.token, obtained_from=["127.0.0.1"])
    result = run_wsauth("audit", bearer.url(), "--only", "after-logout", "--logout-url", base + "/logout", *resolve)
    assert result.code == 64, result.describe()
    assert IDP in result.last_line and "hosts" in result.last_line
    assert recording.requests() == [] and bearer.records.snapshot() == []


# -- discovery is checked --------------------------------------------------------


@pytest.fixture
def browser(tmp_path: Path) -> tuple[dict[str, str | None], Path]:
    """$BROWSER for wsauth: a script that records the URL it was given."""
    opened = tmp_path / "opened"
    script = tmp_path / "browser.sh"
    script.write_text(f'#!/bin/sh\nprintf "%s" "$1" > "{opened}"\n')
    script.chmod(0o755)
    return {"BROWSER": str(script), "DISPLAY": None, "WAYLAND_DISPLAY": None}, opened


def document(issuer: str, token: str, authorize: str | None = None) -> dict:
    return {"issuer": issuer, "token_endpoint": token, "authorization_endpoint": authorize or issuer + "/authorize",
            "revocation_endpoint": issuer + "/revoke"}


def discovery_only(server: RecordingEndpoints) -> bool:
    return all(r.method == "GET" and "/.well-known/" in r.path for r in server.requests())


def test_a_document_naming_another_issuer_is_refused(run_wsauth, recording, browser):
    env, opened = browser
    issuer = recording.base()
    recording.document = document("https://evil.example", issuer + "/token")
    result = run_wsauth("login", "--issuer", issuer, "--grant", "authorization_code", "--client-id", "c",
                        "--timeout", "5s", env=env)
    assert result.code == 3, result.describe()
    assert "https://evil.example" in result.last_line and issuer in result.last_line
    assert discovery_only(recording) and not opened.exists()


def test_an_http_endpoint_on_a_remote_name_gets_no_client_secret(run_wsauth, recording):
    base, resolve = idp(recording)
    client_secret = secret(run_wsauth, "cs-")
    recording.document = document(recording.base(), base + "/token")
    result = run_wsauth("login", "--issuer", recording.base(), "--grant", "client_credentials", "--client-id", "c",
                        "--client-secret-env", "CS", *resolve, env={"CS": client_secret})
    assert result.code == 3, result.describe()
    assert "token_endpoint" in result.last_line and "https://" in result.last_line
    assert discovery_only(recording)
    assert not any(client_secret in r.raw or "Basic " in r.raw for r in recording.requests())


def test_a_file_authorization_endpoint_never_reaches_the_browser(run_wsauth, recording, browser):
    env, opened = browser
    issuer = recording.base()
    recording.document = document(issuer, issuer + "/token", authorize="file:///etc/passwd")
    result = run_wsauth("login", "--issuer", issuer, "--grant", "authorization_code", "--client-id", "c",
                        "--timeout", "5s", env=env)
    assert result.code == 3, result.describe()
    assert "authorization_endpoint" in result.last_line
    assert discovery_only(recording) and not opened.exists()
