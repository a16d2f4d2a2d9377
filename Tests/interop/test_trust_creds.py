"""Issue 10, credentials stay where they belong: stored credentials go only to
their hosts, nothing from outside writes our requests, the store survives a
hostile neighbour, endpoint answers are bounded, and logout speaks RFC 7009.

Peers: the websockets bearer server (records every handshake), the aiohttp
auth API of test_credentials (real logins), and peers/token_endpoints.py
(hostile login answers and a strict RFC 7009 revocation endpoint).
"""

from __future__ import annotations

import json
import os
import pwd
import stat
import time
from typing import Iterator

import pytest

from peers.bearer_server import BearerServer
from peers.token_endpoints import CONFIDENTIAL_SECRET, TokenEndpoints, json_body
from support.home import PASSWORD, state_dir, write_config, write_store
from support.processes import Peer

OTHER = "elsewhere.test"


def elsewhere(server: BearerServer) -> list[str]:
    """The bearer server under another host name: same socket, different host."""
    return [server.url(host=OTHER), "--resolve", f"{OTHER}:{server.port}:127.0.0.1"]


@pytest.fixture
def endpoints() -> Iterator[TokenEndpoints]:
    with TokenEndpoints() as server:
        yield server


@pytest.fixture
def auth_api() -> Iterator[Peer]:
    server = Peer()
    yield server
    server.stop()


# -- credentials belong to their hosts ------------------------------------------


def test_stored_token_goes_to_its_host_and_not_to_another(run_wsauth, bearer):
    write_store(run_wsauth, access_token=bearer.token, obtained_from=["127.0.0.1"])
    home = run_wsauth("probe", bearer.url(), "--json")
    assert home.code == 0, home.describe()
    assert bearer.wait_done().header("authorization") == f"Bearer {bearer.token}"

    away = run_wsauth("probe", *elsewhere(bearer), "--json")
    assert away.code == 2, away.describe()
    record = bearer.wait_done(count=2)
    assert record.header("authorization") is None and record.header("cookie") is None
    note = [line for line in away.stderr.splitlines() if line.startswith("not sending")]
    assert note == [f"not sending the stored credentials of profile default to {OTHER}: they belong to 127.0.0.1; "
                    f"to allow it, add \"{OTHER}\" to hosts in [profiles.default] of "
                    f"{run_wsauth.home}/config/wsauth/config.toml, or pass --token…"], away.stderr


def test_explicit_token_goes_wherever_asked(run_wsauth, bearer):
    write_store(run_wsauth, access_token="tok-stored-elsewhere", obtained_from=["127.0.0.1"])
    result = run_wsauth("probe", *elsewhere(bearer), "--token-env", "T", env={"T": bearer.token})
    assert result.code == 0, result.describe()
    assert bearer.wait_done().header("authorization") == f"Bearer {bearer.token}"
    assert "not sending" not in result.stderr


def test_profile_hosts_and_ws_url_extend_where_credentials_go(run_wsauth, bearer):
    write_store(run_wsauth, access_token=bearer.token, obtained_from=["login.example"])
    write_config(run_wsauth, f'[profiles.default]\nhosts = ["{OTHER.upper()}"]\n')
    listed = run_wsauth("probe", *elsewhere(bearer))
    assert listed.code == 0, listed.describe()
    write_config(run_wsauth, f'[profiles.default]\nws_url = "{bearer.url()}"\n')
    by_ws_url = run_wsauth("probe")
    assert by_ws_url.code == 0, by_ws_url.describe()
    assert [r.header("authorization") for r in bearer.records.snapshot()] == [f"Bearer {bearer.token}"] * 2


def test_store_without_origin_is_bound_to_the_login_url_host(run_wsauth, bearer):
    """Files written before the origin was kept: the profile's login_url host."""
    write_store(run_wsauth, access_token=bearer.token)
    refused = run_wsauth("probe", bearer.url())
    assert refused.code == 2 and "they belong to no known host" in refused.stderr, refused.describe()
    write_config(run_wsauth, '[profiles.default]\nlogin_url = "http://127.0.0.1:9/auth/login"\n')
    allowed = run_wsauth("probe", bearer.url())
    assert allowed.code == 0, allowed.describe()


def test_login_ws_url_is_remembered_and_its_host_gets_the_token(run_wsauth, auth_api):
    ws_host = "ws.example.test"
    ws_url = f"ws://{ws_host}:{auth_api.port}/ws"
    login = run_wsauth("login", f"{auth_api.base}/auth/login", "--user", "alice", "--password-env", "PASSWORD",
                       "--ws-url", ws_url, env={"PASSWORD": PASSWORD})
    assert login.code == 0, login.describe()
    stored = json.loads((state_dir(run_wsauth) / "default.json").read_text())
    assert stored["ws_url"] == ws_url and stored["obtained_from"] == ["127.0.0.1"]
    run_wsauth.secrets += [stored["access_token"], stored["refresh_token"]]
    # No URL: the one given at login; its host is not the login host, and still gets the token.
    connect = run_wsauth("connect", "--resolve", f"{ws_host}:{auth_api.port}:127.0.0.1", "--count", "1",
                         "--timeout", "10s", "--json", stdin="")
    assert connect.code == 0, connect.describe()
    assert json.loads(connect.one("message")["data"]) == {"user": "alice", "via": "bearer"}
    assert connect.one("handshake")["url"] == ws_url


def test_cleartext_credentials_to_a_remote_host_get_one_warning(run_wsauth, bearer):
    result = run_wsauth("probe", *elsewhere(bearer), "--token-env", "T", env={"T": bearer.token})
    assert result.code == 0, result.describe()
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: credentials")]
    assert warnings == [f"warning: credentials are sent in clear text to {OTHER} (ws://); anyone on the path can "
                        "read them — use wss://"]
    loopback = run_wsauth("probe", bearer.url(), "--token-env", "T", env={"T": bearer.token})
    assert loopback.code == 0 and "clear text" not in loopback.stderr


# -- sessions -------------------------------------------------------------------


def test_session_header_from_a_browser_cookie(run_wsauth, bearer):
    sid = "sess-" + os.urandom(12).hex()
    run_wsauth.secrets.append(sid)
    result = run_wsauth("probe", bearer.url(), "-b", f"PHPSESSID={sid}", "--session-header", "X-Session-Token")
    assert result.code == 2, result.describe()  # the bearer server wants a token; what matters is what it saw
    record = bearer.wait_done()
    assert record.header("x-session-token") == sid
    assert record.header("cookie") is None


def test_session_header_ignores_stored_cookies_for_another_domain(run_wsauth, bearer):
    sid = "sess-" + os.urandom(12).hex()
    run_wsauth.secrets.append(sid)
    cookie = f"{OTHER}\tFALSE\t/\tFALSE\t0\tPHPSESSID\t{sid}"
    write_store(run_wsauth, cookies=[cookie], login_cookies=["PHPSESSID"], obtained_from=["127.0.0.1"])
    result = run_wsauth("probe", bearer.url(), "--session-header", "X-Session-Token")
    assert result.code == 2, result.describe()
    assert result.last_line.startswith("no session ID for --session-header: no stored cookie matches 127.0.0.1")
    assert bearer.records.snapshot() == []


# -- nothing from outside writes our requests -----------------------------------


def test_stored_token_with_crlf_is_refused_before_connecting(run_wsauth, bearer):
    write_store(run_wsauth, access_token="tok-a\r\nX-Injected: yes", obtained_from=["127.0.0.1"])
    result = run_wsauth("probe", bearer.url())
    assert result.code == 3, result.describe()
    assert result.last_line.startswith("refusing the stored access token: it holds a CR character")
    assert bearer.records.snapshot() == []


@pytest.mark.parametrize("flags, what", [
    (["--origin", "http://a.test\r\nX-Injected: yes"], "--origin"),
    (["--token-env", "T", "--auth-scheme", "Bearer\nX-Injected:"], "--auth-scheme"),
    (["-b", "sid=abc\rdef"], "-b sid"),
    (["-H", "X-Trace: a\r\nX-Injected: yes"], "-H X-Trace"),
    (["--token-env", "BAD"], "the token given"),
])
def test_user_values_with_line_breaks_are_usage_errors(run_wsauth, bearer, flags, what):
    result = run_wsauth("probe", bearer.url(), *flags, env={"T": bearer.token, "BAD": "tok-a\nX-Injected: yes"})
    assert result.code == 64, result.describe()
    assert result.stderr.count("\n") == 1 and result.last_line.startswith(f"refusing {what}: it holds a")
    assert bearer.records.snapshot() == []


def test_a_cookie_file_value_with_cr_is_a_usage_error(run_wsauth, bearer, tmp_path):
    jar = tmp_path / "cookies.txt"
    jar.write_bytes(b"127.0.0.1\tFALSE\t/\tFALSE\t0\tsid\tabc\rX-Injected: yes\n")
    result = run_wsauth("probe", bearer.url(), "-b", str(jar))
    assert result.code == 64, result.describe()
    assert result.last_line.startswith(f"refusing the cookie sid of -b {jar}: it holds a CR character")
    assert bearer.records.snapshot() == []


def test_a_stored_cookie_with_lf_is_exit_3(run_wsauth, bearer):
    write_store(run_wsauth, cookies=["127.0.0.1\tFALSE\t/\tFALSE\t0\tsid\tabc\nX-Injected: yes"],
                obtained_from=["127.0.0.1"])
    result = run_wsauth("probe", bearer.url())
    assert result.code == 3, result.describe()
    assert result.last_line.startswith("refusing the stored cookie sid: it holds a LF character")
    assert bearer.records.snapshot() == []


def test_login_answer_with_crlf_token_is_exit_3_and_stores_nothing(run_wsauth, endpoints):
    result = run_wsauth("login", f"{endpoints.base}/login/crlf", "-d", "{}")
    assert result.code == 3, result.describe()
    assert result.last_line.startswith("refusing the access token of the login answer: it holds a CR character")
    assert not (state_dir(run_wsauth) / "default.json").exists()


# -- bounded answers ------------------------------------------------------------


def test_an_answer_over_1_mib_is_refused_and_changes_nothing(run_wsauth, endpoints):
    before = write_store(run_wsauth, access_token="tok-before-" + os.urandom(8).hex()).read_bytes()
    result = run_wsauth("login", f"{endpoints.base}/login/huge", "-d", "{}")
    assert result.code == 3, result.describe()
    assert result.last_line == f"the answer from {endpoints.base}/login/huge is larger than 1 MiB; refused it (nothing was stored)"
    assert (state_dir(run_wsauth) / "default.json").read_bytes() == before


def test_an_endpoint_that_never_answers_cannot_hold_the_lock(run_wsauth, endpoints):
    write_store(run_wsauth, access_token="tok-old", refresh_token="rt-" + os.urandom(8).hex(),
                refresh={"url": f"{endpoints.base}/login/hang", "style": "json"})
    started = time.monotonic()
    result = run_wsauth("refresh", "-m", "2", timeout=60)
    assert result.code == 5, result.describe()
    # 3 tries of 2 s each plus the pauses: well under the 30 s default, and bounded.
    assert time.monotonic() - started < 20
    assert run_wsauth("status").code == 0


# -- the store survives a hostile neighbour -------------------------------------


def test_state_directory_owned_by_another_user_is_refused(run_wsauth):
    directory = state_dir(run_wsauth)
    directory.mkdir(parents=True, mode=0o700)
    nobody = pwd.getpwnam("nobody").pw_uid
    os.chown(directory, nobody, -1)
    result = run_wsauth("token")
    assert result.code == 1, result.describe()
    assert result.last_line == (f"refusing to keep credentials in {directory}: it is owned by uid {nobody}, "
                                f"not by you (uid {os.geteuid()}); use a directory of your own")


def test_world_writable_state_directory_is_refused(run_wsauth):
    directory = state_dir(run_wsauth)
    directory.mkdir(parents=True)
    directory.chmod(0o777)
    result = run_wsauth("refresh")
    assert result.code == 1, result.describe()
    assert result.last_line == (f"refusing to keep credentials in {directory}: others can write to it (mode 777); "
                                "run 'chmod 700' on it")


def test_state_directory_is_created_0700_and_the_jar_0600(run_wsauth, auth_api, tmp_path):
    jar = tmp_path / "jar.txt"
    result = run_wsauth("login", f"{auth_api.base}/auth/login", "--user", "alice", "--password-env", "PASSWORD",
                        "-c", str(jar), env={"PASSWORD": PASSWORD})
    assert result.code == 0, result.describe()
    stored = json.loads((state_dir(run_wsauth) / "default.json").read_text())
    run_wsauth.secrets += [stored["access_token"], stored["refresh_token"]]
    assert stat.S_IMODE(state_dir(run_wsauth).stat().st_mode) == 0o700
    assert stat.S_IMODE(jar.stat().st_mode) == 0o600 and "\tsid\t" in jar.read_text()


def test_symlinks_planted_at_the_temp_and_lock_paths_are_not_followed(run_wsauth, auth_api, tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    directory = state_dir(run_wsauth)
    directory.mkdir(parents=True, mode=0o700)
    # The temporary name older versions used: the new one is random and O_EXCL.
    (directory / "default.json.tmp").symlink_to(victim)
    login = ["login", f"{auth_api.base}/auth/login", "--user", "alice", "--password-env", "PASSWORD"]
    first = run_wsauth(*login, env={"PASSWORD": PASSWORD})
    assert first.code == 0, first.describe()
    stored = json.loads((directory / "default.json").read_text())
    run_wsauth.secrets += [stored["access_token"], stored["refresh_token"]]
    assert victim.read_text() == "precious\n"
    assert not (directory / "default.json").is_symlink()
    # A symlink at the lock's name: refused rather than followed.
    (directory / "default.json.lock").unlink()
    (directory / "default.json.lock").symlink_to(tmp_path / "elsewhere.lock")
    second = run_wsauth(*login, env={"PASSWORD": PASSWORD})
    assert second.code == 1, second.describe()
    assert second.last_line.startswith(f"cannot open lock file {directory}/default.json.lock:")
    assert not (tmp_path / "elsewhere.lock").exists()


def test_logout_removes_a_corrupt_file_kept_aside(run_wsauth):
    path = write_store(run_wsauth)
    path.write_text('{"version": 1, "access_tok')
    assert run_wsauth("token").code == 2
    assert (state_dir(run_wsauth) / "default.json.corrupt").exists()
    result = run_wsauth("logout")
    assert result.code == 0, result.describe()
    assert not (state_dir(run_wsauth) / "default.json.corrupt").exists() and not path.exists()


# -- logout speaks RFC 7009 -----------------------------------------------------


def test_rfc7009_public_client_revokes_the_refresh_token(run_wsauth, endpoints):
    refresh = "rt-" + os.urandom(12).hex()
    access = "tok-" + os.urandom(12).hex()
    run_wsauth.secrets += [refresh, access]
    write_store(run_wsauth, access_token=access, refresh_token=refresh,
                refresh={"url": f"{endpoints.base}/token", "style": "oauth2", "client_id": "public"})
    result = run_wsauth("logout", "--revoke-url", f"{endpoints.base}/revoke")
    assert result.code == 0, result.describe()
    record = endpoints.last_revocation()
    assert (record.status, record.token, record.hint, record.client, record.client_auth) == \
        (200, refresh, "refresh_token", "public", "client_id")
    assert not (state_dir(run_wsauth) / "default.json").exists()


def test_rfc7009_confidential_client_authenticates_with_basic(run_wsauth, endpoints):
    access = "tok-" + os.urandom(12).hex()
    run_wsauth.secrets.append(access)
    write_store(run_wsauth, access_token=access,
                refresh={"url": f"{endpoints.base}/token", "style": "oauth2", "client_id": "confidential"})
    result = run_wsauth("logout", "--revoke-url", f"{endpoints.base}/revoke", "--client-secret-env", "CS",
                        env={"CS": CONFIDENTIAL_SECRET}, secrets=[CONFIDENTIAL_SECRET])
    assert result.code == 0, result.describe()
    record = endpoints.last_revocation()
    assert (record.status, record.token, record.hint, record.client, record.client_auth) == \
        (200, access, "access_token", "confidential", "basic")
    assert b"client_id" not in record.body  # authenticated by Basic alone


def test_rfc7009_wrong_client_secret_is_exit_2_and_still_forgets(run_wsauth, endpoints):
    write_store(run_wsauth, access_token="tok-" + os.urandom(12).hex(),
                refresh={"url": f"{endpoints.base}/token", "style": "oauth2", "client_id": "confidential"})
    result = run_wsauth("logout", "--revoke-url", f"{endpoints.base}/revoke", "--client-secret-env", "CS",
                        env={"CS": "wrong-secret"}, secrets=["wrong-secret"])
    assert result.code == 2, result.describe()
    assert result.last_line.startswith("forgot the stored credentials, but revocation rejected: HTTP 401 (invalid_client")
    assert endpoints.last_revocation().status == 401
    assert not (state_dir(run_wsauth) / "default.json").exists()


@pytest.mark.parametrize("client, secret, refresh", [("public", None, True), ("confidential", CONFIDENTIAL_SECRET, False)])
def test_rfc7009_against_oauthlibs_revocation_endpoint(run_wsauth, endpoints, client, secret, refresh):
    access, refresh_token = "tok-" + os.urandom(12).hex(), "rt-" + os.urandom(12).hex()
    run_wsauth.secrets += [access, refresh_token]
    write_store(run_wsauth, access_token=access, refresh_token=refresh_token if refresh else None,
                refresh={"url": f"{endpoints.base}/token", "style": "oauth2", "client_id": client})
    args = ["--client-secret-env", "CS"] if secret else []
    result = run_wsauth("logout", "--revoke-url", f"{endpoints.base}/oauthlib/revoke", *args,
                        env={"CS": secret or ""}, secrets=[secret] if secret else [])
    assert result.code == 0, result.describe()
    expected = (refresh_token, "refresh_token") if refresh else (access, "access_token")
    assert endpoints.oauthlib_revoked.snapshot() == [(*expected, client)]


def test_oauthlib_refuses_a_confidential_client_without_its_secret(run_wsauth, endpoints):
    write_store(run_wsauth, access_token="tok-" + os.urandom(12).hex(),
                refresh={"url": f"{endpoints.base}/token", "style": "oauth2", "client_id": "confidential"})
    result = run_wsauth("logout", "--revoke-url", f"{endpoints.base}/oauthlib/revoke")
    assert result.code == 2, result.describe()
    assert "revocation rejected: HTTP 401 (invalid_client" in result.last_line
    assert endpoints.oauthlib_revoked.snapshot() == []


def test_revoke_style_json_keeps_the_json_body(run_wsauth, endpoints):
    refresh = "rt-" + os.urandom(12).hex()
    run_wsauth.secrets.append(refresh)
    write_store(run_wsauth, refresh_token=refresh, obtained_from=["127.0.0.1"])
    result = run_wsauth("logout", "--revoke-url", f"{endpoints.base}/revoke", "--revoke-style", "json")
    record = endpoints.last_revocation()
    assert record.content_type == "application/json" and json_body(record) == {"refresh_token": refresh}
    # The strict RFC 7009 endpoint refuses a JSON body, which shows the style was honoured.
    assert result.code == 2 and record.status in (400, 401), result.describe()


def test_bad_revoke_style_is_a_usage_error(run_wsauth):
    result = run_wsauth("logout", "--revoke-url", "http://127.0.0.1:9/revoke", "--revoke-style", "xml")
    assert result.code == 64
    assert result.stderr.strip() == (
        "The value 'xml' is invalid for '--revoke-style <STYLE>'. "
        "Please provide one of 'rfc7009' and 'json'. (see 'wsauth --help')")


# -- libcurl speaks only http(s) ------------------------------------------------


def test_a_file_url_is_not_read_as_a_login_answer(run_wsauth, tmp_path):
    """Without CURLOPT_PROTOCOLS_STR libcurl reads the file as the answer (as
    `curl -d {} file://…` does): a URL must never reach anything but http(s)."""
    answer = tmp_path / "answer.json"
    answer.write_text(json.dumps({"access_token": "tok-from-a-file", "token_type": "Bearer"}))
    result = run_wsauth("login", f"file://{answer}", "-d", "{}")
    assert result.code == 64, result.describe()
    assert "not supported or disabled" in result.last_line and result.last_line.startswith("invalid URL")
    assert not (state_dir(run_wsauth) / "default.json").exists()


def test_login_over_http_to_a_remote_host_warns_once(run_wsauth, auth_api):
    host = "api.example.test"
    result = run_wsauth("login", f"http://{host}:{auth_api.port}/auth/login", "--user", "alice",
                        "--password-env", "PASSWORD", "--resolve", f"{host}:{auth_api.port}:127.0.0.1",
                        env={"PASSWORD": PASSWORD}, secrets=[PASSWORD])
    assert result.code == 0, result.describe()
    stored = json.loads((state_dir(run_wsauth) / "default.json").read_text())
    run_wsauth.secrets += [stored["access_token"], stored["refresh_token"]]
    assert stored["obtained_from"] == [host]
    warnings = [line for line in (result.text + result.stderr).splitlines() if "clear text" in line]
    assert warnings == [f"warning: credentials are sent in clear text to {host} (http://); anyone on the path can "
                        "read them — use https://"]
