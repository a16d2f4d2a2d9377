"""wsauth's credential commands (issue 4) against a third-party HTTP stack:
the aiohttp API in peers/auth_api.py, and two of its processes sharing sessions
through a real Redis.

Each test gets its own HOME/XDG directories, so the store it sees is its own.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

from support.home import PASSWORD, Home, events
from support.processes import Peer, free_port
from support.serve import Serve


def last_line(text: str) -> str:
    return text.strip().splitlines()[-1]


@pytest.fixture
def home(tmp_path: Path) -> Home:
    return Home(tmp_path / "home")


@pytest.fixture
def peer() -> Iterator[Peer]:
    server = Peer()
    yield server
    server.stop()


@pytest.fixture
def gated_peer() -> Iterator[Peer]:
    """Refreshes are held until the test calls /_release (see the test below)."""
    server = Peer("--refresh-gate")
    yield server
    server.stop()


# -- login -------------------------------------------------------------------


def test_login_json_stores_tokens_0600(home: Home, peer: Peer) -> None:
    result = home.login(peer.base, "--json", "--ws-url", f"ws://127.0.0.1:{peer.port}/ws")
    assert result.returncode == 0, result.stderr
    (login,) = [e for e in events(result.stdout) if e["event"] == "login"]
    assert login["ok"] is True and login["user"] == "alice" and login["cookies"] == ["sid"]
    assert login["expires_at"] and login["warnings"] == []
    stored = home.stored()
    assert stored["access_token"] == peer.stats()["latest_access_token"]
    assert stored["refresh_token"] == peer.stats()["latest_refresh_token"]
    assert stat.S_IMODE(home.store().stat().st_mode) == 0o600
    # Secrets stay out of output unless --show-secrets.
    assert stored["access_token"] not in result.stdout + result.stderr
    assert stored["refresh_token"] not in result.stdout + result.stderr
    token = home.run("token")
    assert token.returncode == 0 and token.stdout == stored["access_token"] + "\n"
    decoded = home.run("token", "show", "--json")
    (report,) = events(decoded.stdout)
    assert report["event"] == "token" and report["opaque"] is False
    assert report["claims"]["sub"] == "alice" and 500 < report["expires_in_s"] <= 600
    status = home.run("status", "--json")
    (state,) = events(status.stdout)
    assert state == {**state, "profile": "default", "logged_in": True, "refresh_token": True, "cookies": ["sid"]}


def test_login_nested_camelcase_answer(home: Home, peer: Peer) -> None:
    result = home.run("login", f"{peer.base}/auth/login?shape=nested", "--user", "alice", "--password-stdin",
                      "--form", stdin=PASSWORD + "\n")
    assert result.returncode == 0, result.stderr
    assert home.stored()["refresh_token"] == peer.stats()["latest_refresh_token"]


def test_login_raw_data_from_file(home: Home, peer: Peer, tmp_path: Path) -> None:
    body = tmp_path / "login.json"
    body.write_text(json.dumps({"username": "bob", "password": "builder"}))
    result = home.run("login", f"{peer.base}/auth/login", "-d", f"@{body}", "--json")
    assert result.returncode == 0, result.stderr
    (login,) = [e for e in events(result.stdout) if e["event"] == "login"]
    assert login["user"] == "bob"  # from the JWT's sub: -d names no user


def test_login_oauth_password_grant_then_refresh_at_token_endpoint(home: Home, peer: Peer) -> None:
    result = home.run("login", f"{peer.base}/oauth/token", "--grant", "password", "--client-id", "cli",
                      "--user", "alice", "--password-env", "PASSWORD", "--json")
    assert result.returncode == 0, result.stderr
    stored = home.stored()
    assert stored["refresh"] == {"url": f"{peer.base}/oauth/token", "style": "oauth2", "client_id": "cli"}
    # The refresh endpoint and style recorded at login are used without flags.
    refreshed = home.run("refresh", "--json")
    assert refreshed.returncode == 0, refreshed.stderr
    (event,) = [e for e in events(refreshed.stdout) if e["event"] == "refresh"]
    assert event["ok"] is True and event["rotated"] is True
    assert home.stored()["refresh_token"] == peer.stats()["latest_refresh_token"] != stored["refresh_token"]


def test_login_oauth_client_credentials_with_basic_secret(home: Home, peer: Peer) -> None:
    result = home.run("login", f"{peer.base}/oauth/token", "--grant", "client_credentials", "--client-id", "svc",
                      "--client-secret-env", "SECRET", "--json", extra_env={"SECRET": "svc-secret"})
    assert result.returncode == 0, result.stderr
    assert home.stored()["refresh_token"] is None
    assert "svc-secret" not in result.stdout + result.stderr


def test_wrong_password_is_exit_2(home: Home, peer: Peer) -> None:
    result = home.run("login", f"{peer.base}/auth/login", "--user", "alice", "--password-env", "WRONG",
                      "--json", extra_env={"WRONG": "nope"})
    assert result.returncode == 2
    assert "HTTP 401" in last_line(result.stderr)
    assert events(result.stdout)[-1] == {**events(result.stdout)[-1], "event": "error", "kind": "auth", "exit_code": 2}
    assert not home.store().exists()


def test_non_json_login_answer_is_exit_3(home: Home, peer: Peer) -> None:
    result = home.run("login", f"{peer.base}/auth/login?shape=html", "--user", "alice", "--password-env", "PASSWORD")
    assert result.returncode == 3
    assert "not JSON" in last_line(result.stderr)


def test_missing_token_path_is_exit_3(home: Home, peer: Peer) -> None:
    result = home.login(peer.base, "--token-path", "data.jwt")
    assert result.returncode == 3
    line = last_line(result.stderr)
    assert "data.jwt" in line and "access_token" in line
    assert not home.store().exists()


def test_session_cookie_without_token_is_a_login(home: Home, peer: Peer) -> None:
    result = home.run("login", f"{peer.base}/auth/login?shape=session", "--user", "alice", "--password-env",
                      "PASSWORD", "--json")
    assert result.returncode == 0, result.stderr
    stored = home.stored()
    assert stored["access_token"] is None and stored["login_cookies"] == ["sid"]


def test_cookie_warnings_for_a_websocket_the_cookie_cannot_reach(home: Home, peer: Peer) -> None:
    result = home.login(peer.base, "--json", "--ws-url", "wss://chat.example.com/ws")
    assert result.returncode == 0, result.stderr
    (login,) = [e for e in events(result.stdout) if e["event"] == "login"]
    assert any("host-only for 127.0.0.1" in w for w in login["warnings"])


def test_cookie_jar_is_curl_compatible(home: Home, peer: Peer, tmp_path: Path) -> None:
    jar = tmp_path / "jar.txt"
    assert home.login(peer.base, "-c", str(jar)).returncode == 0
    lines = [l for l in jar.read_text().splitlines() if l and not l.startswith("# ")]
    assert lines and lines[0].startswith("#HttpOnly_127.0.0.1\t") and lines[0].split("\t")[5] == "sid"


def test_profile_from_config_toml(home: Home, peer: Peer) -> None:
    config = home.root / "config" / "wsauth"
    config.mkdir(parents=True)
    (config / "config.toml").write_text(
        f'[profiles.staging]\nlogin_url = "{peer.base}/auth/login"\nrefresh_url = "{peer.base}/auth/refresh"\n'
        'user = "alice"\npassword_env = "PASSWORD"\n')
    result = home.run("login", "-p", "staging")
    assert result.returncode == 0, result.stderr
    assert home.store("staging").exists()
    via_env = home.run("refresh", extra_env={"WSAUTH_PROFILE": "staging"})
    assert via_env.returncode == 0, via_env.stderr


def test_bad_config_file_is_exit_64_naming_file_and_line(home: Home) -> None:
    config = home.root / "config" / "wsauth"
    config.mkdir(parents=True)
    (config / "config.toml").write_text('[profiles.default]\nlogin_url = "x"\nbroken = = 1\n')
    result = home.run("status")
    assert result.returncode == 64
    assert result.stderr.count("\n") == 1 and "config.toml:3:" in result.stderr


def test_a_misspelled_profile_key_is_exit_64_naming_file_line_and_the_right_key(home: Home) -> None:
    config = home.root / "config" / "wsauth"
    config.mkdir(parents=True)
    (config / "config.toml").write_text('[profiles.default]\nlogin_url = "http://127.0.0.1:9/login"\n'
                                        'refresh-url = "http://127.0.0.1:9/refresh"\n')
    for command in (["status"], ["refresh"], ["login", "--user", "a", "--password-env", "PW"]):
        result = home.run(*command, extra_env={"PW": "pw"})
        assert result.returncode == 64, result.stderr
        assert result.stderr == (f"{config / 'config.toml'}:3: unknown key 'refresh-url' "
                                 "in [profiles.default]; did you mean refresh_url?\n"), result.stderr
    # Every flag of login, refresh and connect is a key, secret variants included.
    (config / "config.toml").write_text('[profiles.default]\nrefresh_url = "http://127.0.0.1:9/r"\n'
                                        'client_secret_stdin = false\nping_interval = "5s"\ntoken_in = "query"\n'
                                        'if_expiring_within = "1m"\nhosts = ["a"]\napp = "x"\nrevoke_style = "json"\n')
    assert home.run("status").returncode == 0


def test_a_bad_profile_value_goes_through_the_flags_parser(home: Home) -> None:
    config = home.root / "config" / "wsauth"
    config.mkdir(parents=True)
    (config / "config.toml").write_text('[profiles.default]\nrevoke_style = "xml"\n')
    result = home.run("logout")
    assert result.returncode == 64
    assert result.stderr == (f"{config / 'config.toml'}:2: profiles.default.revoke_style: "
                             "The value 'xml' is invalid for '--revoke-style <STYLE>'. "
                             "Please provide one of 'rfc7009' and 'json'.\n"), result.stderr


# -- refresh -----------------------------------------------------------------


def test_rotation_and_reuse_of_an_old_refresh_token_is_exit_2(home: Home, peer: Peer) -> None:
    assert home.login(peer.base).returncode == 0
    before = home.store().read_bytes()
    refreshed = home.run("refresh", "--json")
    assert refreshed.returncode == 0, refreshed.stderr
    (event,) = [e for e in events(refreshed.stdout) if e["event"] == "refresh"]
    assert event["rotated"] is True
    assert home.stored()["refresh_token"] == peer.stats()["latest_refresh_token"]
    # Put the old, already used refresh token back: the server sees a reuse.
    home.store().write_bytes(before)
    reused = home.run("refresh", "--json")
    assert reused.returncode == 2
    assert "invalid_grant" in last_line(reused.stderr) and "reused" in last_line(reused.stderr)
    failed = [e for e in events(reused.stdout) if e["event"] == "refresh"]
    assert failed and failed[0]["ok"] is False and failed[0]["status"] == 400
    # The stored credentials are never silently dropped.
    assert home.store().read_bytes() == before
    assert peer.stats()["reuse_detected"] == 1


def test_if_expiring_within_leaves_a_fresh_token_alone(home: Home, peer: Peer) -> None:
    assert home.login(peer.base).returncode == 0
    result = home.run("refresh", "--if-expiring-within", "60s", "--json")
    assert result.returncode == 0, result.stderr
    (event,) = events(result.stdout)
    assert event["ok"] is True and "skipped" in event
    assert peer.stats()["refresh_calls"] == 0
    # A margin longer than the token's life does refresh.
    assert home.run("refresh", "--if-expiring-within", "20m").returncode == 0
    assert peer.stats()["refresh_calls"] == 1


def holds_open(pid: int, path: Path) -> bool:
    """Whether process `pid` has `path` open (Linux /proc)."""
    try:
        return any(os.readlink(f"/proc/{pid}/fd/{fd}") == str(path) for fd in os.listdir(f"/proc/{pid}/fd"))
    except OSError:  # the process ended, or a descriptor closed while we looked
        return False


def test_sixteen_concurrent_refreshes_call_the_server_once(home: Home, gated_peer: Peer) -> None:
    """Single flight means: a refresh that *started* before another one completed
    reuses its result. So the first refresh is held at the server until every
    process has shown it started — it has opened the profile's lock file, which
    happens after it noted its start time — instead of hoping a fixed delay
    outlasts starting 16 processes on a loaded machine."""
    assert home.login(gated_peer.base).returncode == 0
    lock = Path(os.path.realpath(str(home.store()) + ".lock"))
    processes = [home.spawn("refresh", "--json", "--max-time", "150") for _ in range(16)]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        started = sum(holds_open(p.pid, lock) for p in processes)
        if started == 16 and gated_peer.stats()["refresh_calls"] == 1:
            break
        assert all(p.poll() is None for p in processes), "a refresh ended while the first was held"
        time.sleep(0.05)
    else:
        pytest.fail(f"16 refreshes did not all start within 120 s ({started} holding the lock file)")
    urllib.request.urlopen(urllib.request.Request(f"{gated_peer.base}/_release", method="POST"), timeout=5).close()
    outputs = [home.finish(p, timeout=150) for p in processes]
    codes = [p.returncode for p in processes]
    assert codes == [0] * 16, [err for _, err in outputs]
    stats = gated_peer.stats()
    assert stats["refresh_calls"] == 1
    stored = home.stored()
    assert stored["refresh_token"] == stats["latest_refresh_token"]
    assert stored["access_token"] == stats["latest_access_token"]
    expiries = {e["expires_at"] for out, _ in outputs for e in events(out) if e["event"] == "refresh"}
    assert len(expiries) == 1
    assert not list(home.state.glob("*.tmp"))


def test_refresh_500_is_exit_3_after_bounded_retries(home: Home, peer: Peer) -> None:
    assert home.run("login", f"{peer.base}/auth/login", "--user", "alice", "--password-env", "PASSWORD",
                    "--refresh-url", f"{peer.base}/auth/refresh500").returncode == 0
    before = home.store().read_bytes()
    started = time.monotonic()
    result = home.run("refresh")
    assert result.returncode == 3
    assert "HTTP 500" in last_line(result.stderr)
    assert peer.stats()["refresh500_calls"] == 3
    assert time.monotonic() - started < 10
    assert home.store().read_bytes() == before


def test_refresh_unreachable_is_exit_4(home: Home, peer: Peer) -> None:
    assert home.run("login", f"{peer.base}/auth/login", "--user", "alice", "--password-env", "PASSWORD",
                    "--refresh-url", f"http://127.0.0.1:{free_port()}/refresh").returncode == 0
    result = home.run("refresh")
    assert result.returncode == 4


def test_refresh_without_login_is_exit_2(home: Home) -> None:
    result = home.run("refresh", "--json")
    assert result.returncode == 2
    assert "wsauth login" in last_line(result.stderr)


def test_corrupt_store_is_kept_aside_with_one_clear_line(home: Home, peer: Peer) -> None:
    home.state.mkdir(parents=True)
    home.store().write_text('{"version": 1, "access_tok')
    result = home.run("refresh")
    assert result.returncode == 2
    line = last_line(result.stderr)
    assert "corrupt" in line and "default.json.corrupt" in line
    assert (home.state / "default.json.corrupt").read_text() == '{"version": 1, "access_tok'
    assert not home.store().exists()
    home.store().write_text("garbage")
    token = home.run("token")
    assert token.returncode == 2 and "corrupt" in last_line(token.stderr) and token.stdout == ""
    # The next login starts clean.
    assert home.login(peer.base).returncode == 0


def test_sigkill_in_the_middle_of_a_write_leaves_the_old_store(home: Home, peer: Peer) -> None:
    """WSAUTH_TEST_WRITE_PAUSE_MS (debug builds only) makes the store pause half-way
    through writing its temporary file; the test kills the process there. What is exercised is
    the write-temp-then-rename protocol: the store is never written in place."""
    assert home.login(peer.base).returncode == 0
    before = home.store().read_bytes()
    process = subprocess.Popen(home.command("refresh"), env={**home.env, "WSAUTH_TEST_WRITE_PAUSE_MS": "5000"},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    def temporary() -> Path | None:
        # A random name per write (O_EXCL), next to the store.
        found = [p for p in home.state.glob("default.json.tmp.*") if p.stat().st_size > 0]
        return found[0] if found else None

    deadline = time.monotonic() + 20
    while temporary() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    written = temporary()
    assert written is not None, "the refresh never started writing"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL
    half = written.read_bytes()
    with pytest.raises(json.JSONDecodeError):
        json.loads(half)
    assert home.store().read_bytes() == before
    assert json.loads(before)["refresh_token"]
    # The lock died with the process, and the leftover temporary file is harmless.
    status = home.run("status", "--json")
    assert status.returncode == 0 and events(status.stdout)[0]["logged_in"] is True


# -- logout ------------------------------------------------------------------


def test_logout_revokes_and_forgets(home: Home, peer: Peer) -> None:
    assert home.login(peer.base).returncode == 0
    old = home.store().read_bytes()
    result = home.run("logout", "--revoke-url", f"{peer.base}/auth/logout")
    assert result.returncode == 0, result.stderr
    assert not home.store().exists() and peer.stats()["logout_calls"] == 1
    assert home.run("token").returncode == 2
    # The revoked refresh token no longer works.
    home.state.mkdir(parents=True, exist_ok=True)
    home.store().write_bytes(old)
    assert home.run("refresh").returncode == 2


# -- sessions across workers (Redis) ------------------------------------------


@pytest.fixture
def workers(redis_url: str) -> Iterator[tuple[Peer, Peer]]:
    first, second = Peer("--redis", redis_url), Peer("--redis", redis_url)
    yield first, second
    first.stop()
    second.stop()


def greet(url: str, headers: dict[str, str]) -> tuple[int, dict | None]:
    """Opens the WebSocket with aiohttp's client; the status, and the greeting when it opened."""
    import asyncio

    import aiohttp

    async def attempt() -> tuple[int, dict | None]:
        async with aiohttp.ClientSession() as session:
            try:
                async with session.ws_connect(url, headers=headers, timeout=aiohttp.ClientWSTimeout(ws_close=5)) as ws:
                    message = await ws.receive(timeout=5)
                    return 101, json.loads(message.data)
            except aiohttp.WSServerHandshakeError as error:
                return error.status, None

    return asyncio.run(attempt())


def stored_cookie_header(home: Home) -> str:
    pairs = []
    for line in home.stored()["cookies"]:
        fields = line.removeprefix("#HttpOnly_").split("\t")
        pairs.append(f"{fields[5]}={fields[6]}")
    return "; ".join(pairs)


def test_session_from_one_worker_is_recognised_by_the_other(home: Home, workers: tuple[Peer, Peer]) -> None:
    first, second = workers
    ws_url = f"ws://127.0.0.1:{second.port}/ws"
    result = home.run("login", f"{first.base}/auth/login?shape=session", "--user", "alice", "--password-env",
                      "PASSWORD", "--ws-url", ws_url, "--json")
    assert result.returncode == 0, result.stderr
    (login,) = [e for e in events(result.stdout) if e["event"] == "login"]
    assert login["warnings"] == [] and login["cookies"] == ["sid"]
    sid = stored_cookie_header(home)
    assert greet(ws_url, {"Cookie": sid}) == (101, {"user": "alice", "via": "cookie"})
    assert greet(ws_url, {"X-Session-Token": sid.split("=", 1)[1]}) == (101, {"user": "alice", "via": "header"})
    assert greet(ws_url, {})[0] == 401


@pytest.mark.parametrize("session_header", [None, "X-Session-Token"])
def test_wsauth_connect_carries_the_stored_session(home: Home, workers: tuple[Peer, Peer],
                                                   session_header: str | None) -> None:
    first, second = workers
    ws_url = f"ws://127.0.0.1:{second.port}/ws"
    assert home.run("login", f"{first.base}/auth/login?shape=session", "--user", "alice", "--password-env",
                    "PASSWORD", "--ws-url", ws_url).returncode == 0
    args = ["connect", ws_url, "--count", "1", "--timeout", "10s", "--json"]
    if session_header:
        args += ["--session-header", session_header]
    result = home.run(*args, stdin="")
    assert result.returncode == 0, result.stderr
    greeting = [e for e in events(result.stdout) if e["event"] == "message"]
    assert json.loads(greeting[0]["data"]) == {"user": "alice", "via": "header" if session_header else "cookie"}


def test_wsauth_connect_without_a_session_is_exit_2(home: Home, workers: tuple[Peer, Peer]) -> None:
    _, second = workers
    result = home.run("connect", f"ws://127.0.0.1:{second.port}/ws", "--count", "1", "--timeout", "10s", stdin="")
    assert result.returncode == 2


def test_wsauth_connect_refreshes_an_expired_stored_token_first(home: Home) -> None:
    server = Peer("--access-ttl", "1")
    try:
        assert home.login(server.base).returncode == 0
        time.sleep(2.1)  # the stored access token is now expired
        result = home.run("connect", f"ws://127.0.0.1:{server.port}/ws", "--count", "1", "--timeout", "10s",
                          "--json", stdin="")
        assert result.returncode == 0, result.stderr
        names = [e["event"] for e in events(result.stdout)]
        assert names.index("refresh") < names.index("handshake")
        assert server.stats()["refresh_calls"] == 1
        greeting = [e for e in events(result.stdout) if e["event"] == "message"]
        assert json.loads(greeting[0]["data"]) == {"user": "alice", "via": "bearer"}
        assert home.stored()["access_token"] == server.stats()["latest_access_token"]
    finally:
        server.stop()


# -- the reference server (wsauth serve) ----------------------------------------


@pytest.fixture
def reference(home: Home) -> Iterator[Serve]:
    server = Serve(home.binary)
    yield server
    server.stop()


def test_reference_server_login_rotation_and_reuse(home: Home, reference: Serve) -> None:
    result = home.run("login", f"{reference.base}/auth/login", "--user", "alice", "--password-env", "PASSWORD",
                      "--refresh-url", f"{reference.base}/auth/refresh", "--json")
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(home.store().stat().st_mode) == 0o600
    first = home.store().read_bytes()
    refreshed = home.run("refresh", "--json")
    assert refreshed.returncode == 0, refreshed.stderr
    assert [e for e in events(refreshed.stdout) if e["event"] == "refresh"][0]["rotated"] is True
    home.store().write_bytes(first)
    reused = home.run("refresh")
    assert reused.returncode == 2, reused.stderr
    assert home.store().read_bytes() == first


def test_reference_server_oauth_password_grant(home: Home, reference: Serve) -> None:
    result = home.run("login", f"{reference.base}/oauth/token", "--grant", "password", "--user", "alice",
                      "--password-env", "PASSWORD", "--json")
    assert result.returncode == 0, result.stderr
    assert home.stored()["refresh"]["style"] == "oauth2"
    refreshed = home.run("refresh", "--json")
    assert refreshed.returncode == 0, refreshed.stderr
    decoded = home.run("token", "--decode", "--json")
    assert events(decoded.stdout)[0]["claims"]["sub"] == "alice"


def test_reference_server_logout_revokes(home: Home, reference: Serve) -> None:
    assert home.run("login", f"{reference.base}/auth/login", "--user", "alice", "--password-env", "PASSWORD",
                    "--refresh-url", f"{reference.base}/auth/refresh").returncode == 0
    kept = home.store().read_bytes()
    result = home.run("logout", "--revoke-url", f"{reference.base}/auth/logout")
    assert result.returncode == 0, result.stderr
    home.state.mkdir(parents=True, exist_ok=True)
    home.store().write_bytes(kept)
    assert home.run("refresh").returncode == 2


def test_stored_token_near_expiry_without_a_refresh_url_is_still_used(home: Home) -> None:
    server = Serve(home.binary, "--token-ttl", "20s")
    try:
        # No --refresh-url: the token expires within connect's 30 s margin but still works.
        assert home.run("login", f"{server.base}/auth/login", "--user", "alice", "--password-env",
                        "PASSWORD").returncode == 0
        result = home.run("connect", server.base.replace("http://", "ws://") + "/ws", "--send", '{"op":"whoami"}', "--count", "1",
                          "--timeout", "10s", "--json", stdin="")
        assert result.returncode == 0, result.stderr
        names = [e["event"] for e in events(result.stdout)]
        assert "refresh" not in names and "handshake" in names
    finally:
        server.stop()
