"""`wsauth audit` against servers with known behaviour (issue 6, docs/reference/behaviour.md "Audit verdicts").

Two servers that behave alike, written by different hands: the reference server
(`wsauth serve`, Hummingbird) and ``peers/audit_peer.py`` (Python ``websockets``,
HS256 by hand). Each runs in its secure default and with each insecure switch, and
the audit must come to the same verdicts on both. The token, the session cookie
and the forged look-alikes (which carry the real claims) are registered as
secrets: the runner fails any run that prints one.
"""

from __future__ import annotations

import base64
import json
import re
import tempfile
import time
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import pytest
import requests

from peers.audit_peer import AuditPeer
from support.serve import Serve
from wsauth_runner import wsauth_binary

TTL = 8  # seconds: longer than the handshake checks before the watch, on a loaded machine too
EVERY_CHECK = [
    "plain-ws", "login-cookies", "no-credentials", "malformed-token", "tampered-signature", "alg-none",
    "placement-header", "placement-query", "placement-protocol", "placement-cookie", "placement-message",
    "origin-foreign", "origin-null", "origin-suffix", "origin-prefix", "origin-scheme",
    "watch-expiry", "expired-token", "after-logout",
]


# ---------------------------------------------------------------- the two servers


class ReferenceTarget:
    """`wsauth serve --port 0` with insecure switches; login over HTTP."""

    cookie_name = "wsauth_session"

    def __init__(self, switches: list[str]) -> None:
        self.server = Serve(wsauth_binary(), "--token-ttl", f"{TTL}s", *switches)
        self.base = self.server.base
        self.ws_url = self.server.ws
        self.logout_url = self.base + "/auth/logout"

    def login(self) -> tuple[str, str]:
        response = requests.post(
            self.base + "/auth/login", json={"username": "alice", "password": "wonderland"}, timeout=5
        )
        assert response.status_code == 200, response.text
        return response.json()["access_token"], response.cookies[self.cookie_name]

    def close(self) -> None:
        self.server.stop()


class PeerTarget:
    """The Python ``websockets`` peer with the same switches."""

    cookie_name = "sid"
    options = {
        "--accept-expired": "accept_expired",
        "--no-expiry-close": "no_expiry_close",
        "--allow-query-token": "allow_query_token",
        "--ignore-origin": "ignore_origin",
    }

    def __init__(self, switches: list[str]) -> None:
        self.peer = AuditPeer(**{self.options[s]: True for s in switches}).__enter__()
        self.ws_url = self.peer.ws_url
        self.logout_url = self.peer.logout_url

    def login(self) -> tuple[str, str]:
        return self.peer.login(TTL)

    def close(self) -> None:
        self.peer.__exit__(None, None, None)


@pytest.fixture(params=["reference", "peer"])
def target(request, wsauth_bin):
    kinds = {"reference": ReferenceTarget, "peer": PeerTarget}
    started = []

    def start(*switches: str):
        started.append(kinds[request.param](list(switches)))
        return started[-1]

    yield start
    for running in started:
        running.close()


# ---------------------------------------------------------------- helpers


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def forgeries(token: str) -> list[str]:
    """The look-alikes the audit sends, so that the runner also hunts for them."""
    header, payload, signature = token.split(".")
    flipped = ("B" if signature[0] == "A" else "A") + signature[1:]
    none = b64url(b'{"alg":"none","typ":"JWT"}')
    return [f"{header}.{payload}.{flipped}", f"{none}.{payload}."]


def exp_of(token: str) -> int:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["exp"]


def credentials(server, secret_registry, with_cookie=True):
    """Log in; returns (args, env) that hand the audit the token and the cookie."""
    token, session = server.login()
    secret_registry += [token, session, *forgeries(token)]
    env = {"AUDIT_TOKEN": token}
    args = ["--token-env", "AUDIT_TOKEN"]
    if with_cookie:
        cookies = Path(tempfile.mkdtemp()) / "cookies.txt"
        # Netscape format, as curl -c writes it: the session cookie never on the command line.
        cookies.write_text(f"127.0.0.1\tFALSE\t/\tFALSE\t0\t{server.cookie_name}\t{session}\n")
        args += ["-b", str(cookies), "--session-cookie", server.cookie_name]
    return token, args, env


def verdicts(result) -> dict[str, str]:
    return {e["name"]: e["verdict"] for e in result.of("check")}


def details(result) -> dict[str, str]:
    return {e["name"]: e["detail"] for e in result.of("check")}


# ---------------------------------------------------------------- secure default


def test_secure_default_passes_with_the_same_verdicts_on_both_servers(target, run_wsauth, secret_registry, tmp_path):
    server = target()
    token, args, env = credentials(server, secret_registry)
    junit = tmp_path / "audit.xml"
    result = run_wsauth(
        "audit", server.ws_url, *args, "--watch-expiry", "--grace", "2s", "--logout-url", server.logout_url,
        "--junit", str(junit), "--json", env=env, timeout=60,
    )
    assert result.code == 0, result.describe()
    found = verdicts(result)
    assert list(found) == EVERY_CHECK, result.describe()
    expected = {name: "pass" for name in EVERY_CHECK}
    expected["origin-scheme"] = "skip"  # ws://: the other scheme is no weaker than the socket
    expected["login-cookies"] = "skip"  # no profile with login settings
    assert found == expected, result.describe()

    # The watch: closed with 4001 within a second of exp, by its own measure and by ours.
    watch = details(result)["watch-expiry"]
    assert "4001" in watch, watch
    measured = re.search(r"(\d+\.\d)s (after|before) exp", watch)
    assert measured and float(measured.group(1)) <= 1.0, watch
    reported = datetime.fromisoformat(next(e for e in result.of("check") if e["name"] == "watch-expiry")["time"].replace("Z", "+00:00"))
    assert 0 <= reported.timestamp() - exp_of(token) < 2.0, watch
    assert "expired" in details(result)["expired-token"]
    assert "session cookie" in details(result)["after-logout"]

    # The JUnit file, read the way a CI system reads it.
    suites = ET.parse(junit).getroot()
    assert suites.tag == "testsuites"
    suite = suites.find("testsuite")
    assert suite is not None
    for attribute in ("name", "tests", "failures", "errors", "skipped", "time", "timestamp"):
        assert suite.get(attribute) is not None, attribute
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == (str(len(EVERY_CHECK)), "0", "2")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == EVERY_CHECK
    assert all(c.get("classname") == "wsauth.audit" and float(c.get("time")) >= 0 for c in cases)
    skipped = [c.get("name") for c in cases if c.find("skipped") is not None]
    assert skipped == ["login-cookies", "origin-scheme"]
    assert all(c.find("failure") is None for c in cases)
    assert all(c.findtext("system-out").startswith(("PASS: ", "SKIP: ")) for c in cases)


# ---------------------------------------------------------------- each insecure switch


def test_accept_expired_fails_expired_token(target, run_wsauth, secret_registry):
    server = target("--accept-expired")
    _, args, env = credentials(server, secret_registry, with_cookie=False)
    result = run_wsauth(
        "audit", server.ws_url, *args, "--only", "watch-expiry,expired-token", "--watch-expiry", "--json",
        env=env, timeout=60,
    )
    assert result.code == 7, result.describe()
    assert verdicts(result) == {"watch-expiry": "pass", "expired-token": "fail"}, result.describe()
    assert result.one("error")["kind"] == "audit"
    assert "expired-token" in result.last_line


def test_no_expiry_close_fails_the_watch(target, run_wsauth, secret_registry):
    server = target("--no-expiry-close")
    _, args, env = credentials(server, secret_registry, with_cookie=False)
    started = time.monotonic()
    result = run_wsauth(
        "audit", server.ws_url, *args, "--only", "watch-expiry", "--watch-expiry", "--grace", "1s", "--json",
        env=env, timeout=60,
    )
    assert result.code == 7, result.describe()
    assert verdicts(result) == {"watch-expiry": "fail"}
    assert "still open 1s after" in details(result)["watch-expiry"]
    assert time.monotonic() - started >= TTL - 1  # it really waited for exp


def test_allow_query_token_warns_without_failing(target, run_wsauth, secret_registry):
    server = target("--allow-query-token")
    _, args, env = credentials(server, secret_registry)
    result = run_wsauth("audit", server.ws_url, *args, "--skip", "watch-expiry", "--json", env=env)
    # docs/reference/behaviour.md: exit 7 only on a FAIL; a WARN is reported and the run passes.
    assert result.code == 0, result.describe()
    found = verdicts(result)
    assert found["placement-query"] == "warn", result.describe()
    assert "logs" in details(result)["placement-query"]
    assert [n for n, v in found.items() if v in ("warn", "fail")] == ["placement-query"]


def test_ignore_origin_with_a_session_cookie_is_hijacking(target, run_wsauth, secret_registry, tmp_path):
    server = target("--ignore-origin")
    _, args, env = credentials(server, secret_registry)
    junit = tmp_path / "audit.xml"
    result = run_wsauth("audit", server.ws_url, *args, "--only", "origin", "--junit", str(junit), "--json", env=env)
    assert result.code == 7, result.describe()
    assert verdicts(result) == {
        "origin-foreign": "fail", "origin-null": "fail", "origin-suffix": "fail", "origin-prefix": "fail",
        "origin-scheme": "skip",
    }, result.describe()
    assert "cross-site WebSocket hijacking" in details(result)["origin-null"]
    suite = ET.parse(junit).getroot().find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("5", "4", "1")
    failure = suite.find("testcase[@name='origin-foreign']/failure")
    assert failure is not None and "hijacking" in failure.get("message")


def test_ignore_origin_with_a_token_only_is_a_warning(target, run_wsauth, secret_registry, tmp_path):
    server = target("--ignore-origin")
    _, args, env = credentials(server, secret_registry, with_cookie=False)
    junit = tmp_path / "audit.xml"
    result = run_wsauth("audit", server.ws_url, *args, "--only", "origin-foreign,origin-null", "--junit", str(junit), env=env)
    assert result.code == 0, result.describe()
    assert re.search(r"^WARN\s+origin-foreign\s+Origin https://evil.example", result.text, re.M), result.describe()
    case = ET.parse(junit).getroot().find("testsuite/testcase[@name='origin-null']")
    assert case.find("failure") is None and case.findtext("system-out").startswith("WARN: ")


# ---------------------------------------------------------------- logout, refusals, usage


def test_a_session_kept_after_logout_fails(run_wsauth, secret_registry):
    with AuditPeer(ignore_logout=True) as peer:
        token, sid = peer.login(60)
        secret_registry += [token, sid, *forgeries(token)]
        result = run_wsauth(
            "audit", peer.ws_url, "--token-env", "T", "--session-cookie",
            f"sid={sid}", "--only", "after-logout", "--logout-url", peer.logout_url, "--json", env={"T": token},
        )
    assert result.code == 7, result.describe()
    assert verdicts(result) == {"after-logout": "fail"}
    assert "answered 200" in details(result)["after-logout"]


def test_credentials_the_server_refuses_stop_the_audit(run_wsauth, secret_registry, tmp_path):
    with AuditPeer() as peer:
        # Signed with another server's key: a good-looking token this one refuses.
        token = AuditPeer().mint({"sub": "alice", "sid": "s", "exp": int(time.time()) + 60})
        secret_registry.append(token)
        junit = tmp_path / "audit.xml"
        result = run_wsauth("audit", peer.ws_url, "--token-env", "T", "--junit", str(junit), "--json", env={"T": token})
    assert result.code == 2, result.describe()
    assert result.of("check") == []
    assert "audit stopped" in result.last_line and "401" in result.last_line
    suite = ET.parse(junit).getroot().find("testsuite")
    assert (suite.get("tests"), suite.get("errors")) == ("1", "1")
    assert "audit stopped" in suite.find("testcase[@name='credentials']/error").get("message")


def test_an_expired_token_given_is_judged_as_one(run_wsauth, secret_registry):
    """The stored token once expired (or any expired token given) goes to expired-token."""
    with AuditPeer() as peer:
        token = peer.mint({"sub": "alice", "sid": "s", "exp": int(time.time()) - 60})
        secret_registry += [token, *forgeries(token)]
        result = run_wsauth("audit", peer.ws_url, "--token-env", "T", "--only", "expired-token,alg-none", "--json", env={"T": token})
    assert result.code == 0, result.describe()
    assert verdicts(result) == {"alg-none": "skip", "expired-token": "pass"}
    assert "expired" in details(result)["alg-none"] and "401" in details(result)["expired-token"]


def test_human_output_is_a_table(run_wsauth):
    with AuditPeer() as peer:
        result = run_wsauth("audit", peer.ws_url, "--only", "no-credentials,malformed-token,alg-none")
    assert result.code == 0, result.describe()
    lines = result.text.splitlines()
    assert re.match(r"^PASS  no-credentials\s+the handshake with no credentials answered 401 \(WWW-Authenticate: Bearer", lines[0])
    assert re.match(r"^SKIP  alg-none\s+no token given", lines[2]), result.text
    assert lines[-1] == "3 checks: 2 pass, 0 warn, 0 fail, 1 skip"


@pytest.mark.parametrize("argv", [
    ["--only", "nonsense"],
    ["--skip", "origin-everything"],
    ["--junit", "/nonexistent-dir/audit.xml"],
    ["--grace", "-1s"],
    ["--expired-token-env", "NOT_SET_ANYWHERE"],
])
def test_usage_errors_exit_64(run_wsauth, argv):
    result = run_wsauth("audit", "ws://127.0.0.1:9/ws", *argv)
    assert result.code == 64, result.describe()


def test_an_auth_message_endpoint_is_judged_on_its_first_message(run_wsauth, secret_registry, wsauth_bin):
    server = ReferenceTarget([])
    try:
        token, _ = server.login()
        secret_registry += [token, *forgeries(token)]
        result = run_wsauth(
            "audit", server.ws_url + "?auth=message", "--token-env", "T", "--token-in", "message",
            "--only", "no-credentials,tampered-signature,placement", "--json", env={"T": token},
        )
    finally:
        server.close()
    assert result.code == 0, result.describe()
    assert verdicts(result) == {
        "no-credentials": "pass", "tampered-signature": "pass",
        # The endpoint upgrades every handshake and waits for the message: a 101 proves nothing.
        "placement-header": "skip", "placement-query": "skip", "placement-protocol": "skip",
        "placement-cookie": "skip", "placement-message": "pass",
    }, result.describe()
    assert "auth message answered with close 4001" in details(result)["tampered-signature"]


def test_after_logout_revokes_a_throwaway_login_not_the_stored_one(run_wsauth, secret_registry):
    server = ReferenceTarget([])
    try:
        config = run_wsauth.home / "config" / "wsauth" / "config.toml"
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_text(
            "[profiles.default]\n"
            f'login_url = "{server.base}/auth/login"\nrefresh_url = "{server.base}/auth/refresh"\n'
            f'ws_url = "{server.ws_url}"\n'
            'user = "alice"\npassword_env = "PW"\n'
        )
        secret_registry.append("wonderland")
        env = {"PW": "wonderland"}
        assert run_wsauth("login", env=env).code == 0
        result = run_wsauth(
            "audit", "--logout-url", server.logout_url, "--only", "login-cookies,after-logout", "--json", env=env
        )
        assert result.code == 0, result.describe()
        assert verdicts(result) == {"login-cookies": "pass", "after-logout": "pass"}, result.describe()
        assert "throwaway login answered 200" in details(result)["after-logout"]
        assert "wsauth_session" in details(result)["login-cookies"]
        # The stored login, which the audit used for everything else, still works.
        probe = run_wsauth("probe", "--json")
        assert probe.code == 0, probe.describe()
    finally:
        server.close()


def test_verbose_shows_every_handshake_on_stderr_with_forgeries_redacted(run_wsauth, secret_registry):
    with AuditPeer() as peer:
        token, _ = peer.login(60)
        secret_registry += [token, *forgeries(token)]
        result = run_wsauth(
            "audit", peer.ws_url, "--token-env", "T", "--only", "tampered-signature,alg-none,placement-protocol",
            "-v", "--json", env={"T": token},
        )
    assert result.code == 0, result.describe()
    assert result.stderr.count("> GET /ws HTTP/1.1") == 2  # the two upgrades: baseline, protocol placement
    assert result.stderr.count("< HTTP/1.1 401") == 2  # the two forgeries
    assert "Authorization: Bearer eyJ" in result.stderr and "(redacted" in result.stderr
    assert all(e["event"] == "check" for e in result.events)  # -v goes to stderr, not into the stream


def test_plain_ws_warns_for_a_name_that_only_looks_like_loopback(run_wsauth, secret_registry):
    """`127.attacker.example` is resolved by DNS like any name (here pinned by --resolve
    to the peer): credentials to it over ws:// are a WARN; 127.0.0.1 itself is a PASS."""
    with AuditPeer() as peer:
        token, _ = peer.login(60)
        secret_registry += [token, *forgeries(token)]
        lookalike = f"ws://127.attacker.example:{peer.port}/ws"
        resolve = ["--resolve", f"127.attacker.example:{peer.port}:127.0.0.1"]
        warned = run_wsauth("audit", lookalike, *resolve, "--token-env", "T", "--only", "plain-ws", "--json", env={"T": token})
        passed = run_wsauth("audit", peer.ws_url, "--token-env", "T", "--only", "plain-ws", "--json", env={"T": token})
    assert warned.code == 0, warned.describe()
    assert verdicts(warned) == {"plain-ws": "warn"} and "127.attacker.example" in details(warned)["plain-ws"]
    assert "clear text to 127.attacker.example" in warned.stderr, "the clear-text warning follows the same rule"
    assert verdicts(passed) == {"plain-ws": "pass"} and "loopback" in details(passed)["plain-ws"]
    assert "clear text" not in passed.stderr
