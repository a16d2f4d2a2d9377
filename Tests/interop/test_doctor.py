"""`wsauth doctor` against third-party servers, each set up with one fault.

Every test asserts the finding doctor reports and then that the fix it names
works: the suggested flags make `wsauth probe` (or doctor itself) succeed, or,
for a fix on the server, the server with that fix passes doctor.
"""

from __future__ import annotations

import datetime
import re
import shlex
from pathlib import Path

import pytest
import trustme

from peers.doctor_peers import ActionCable, FaultyServer, Nginx, RoundRobin, SilentServer, make_jwt
from support.processes import Peer
from wsauth_runner import Result, WsauthRunner


def findings(result: Result) -> list[dict]:
    return result.of("finding")


def finding(result: Result, check: str, severity: str) -> dict:
    found = [f for f in findings(result) if f["check"] == check and f["severity"] == severity]
    assert found, f"no {severity} finding for {check}:\n{result.describe()}"
    return found[0]


def suggested_flags(fix: str) -> list[str]:
    """The flags of a fix that says "add `--flag value …`"."""
    match = re.search(r"add `([^`]+)`", fix)
    assert match, f"the fix names no flags: {fix}"
    return shlex.split(match.group(1))


def doctor(run_wsauth: WsauthRunner, url: str, *flags: str, env: dict | None = None) -> Result:
    return run_wsauth("doctor", url, "--json", "--repeat", "2", *flags, env=env, timeout=90)


@pytest.fixture
def jwt(secret_registry: list[str]) -> str:
    token = make_jwt(300)
    secret_registry.append(token)
    return token


# -- reach --------------------------------------------------------------------


def test_expired_certificate_is_found_and_renewing_fixes_it(run_wsauth: WsauthRunner, jwt: str, tmp_path: Path) -> None:
    ca = trustme.CA()
    ca_pem = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_pem))
    past = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=2)
    expired = ca.issue_cert("127.0.0.1", not_before=past - datetime.timedelta(days=30), not_after=past)
    token_env = {"TOK": jwt}

    def context(cert: trustme.LeafCert):
        import ssl
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(ctx)
        return ctx

    with FaultyServer(token=jwt, ssl_context=context(expired)) as server:
        result = doctor(run_wsauth, server.url(), "--cacert", str(ca_pem), "--token-env", "TOK", env=token_env)
        assert result.code == 4, result.describe()
        found = finding(result, "reach", "error")
        assert "expired" in found["detail"] and "renew" in found["fix"]
    # The fix: a renewed certificate from the same CA.
    with FaultyServer(token=jwt, ssl_context=context(ca.issue_cert("127.0.0.1"))) as server:
        result = doctor(run_wsauth, server.url(), "--cacert", str(ca_pem), "--token-env", "TOK", env=token_env)
        assert result.code == 0, result.describe()
        assert finding(result, "reach", "ok")


def test_untrusted_chain_says_cacert_and_cacert_fixes_it(run_wsauth: WsauthRunner, jwt: str, tls) -> None:
    with FaultyServer(token=jwt, ssl_context=tls.server_context()) as server:
        result = doctor(run_wsauth, server.url(), "--token-env", "TOK", env={"TOK": jwt})
        assert result.code == 4, result.describe()
        assert "--cacert" in finding(result, "reach", "error")["fix"]
        fixed = doctor(run_wsauth, server.url(), "--token-env", "TOK", "--cacert", str(tls.ca_pem), env={"TOK": jwt})
        assert fixed.code == 0, fixed.describe()


def test_certificate_for_another_host_names_the_right_host(run_wsauth: WsauthRunner, jwt: str, tmp_path: Path) -> None:
    import ssl
    ca = trustme.CA()
    ca_pem = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_pem))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost").configure_cert(context)
    with FaultyServer(token=jwt, ssl_context=context) as server:
        result = doctor(run_wsauth, server.url(), "--cacert", str(ca_pem), "--token-env", "TOK", env={"TOK": jwt})
        assert result.code == 4, result.describe()
        found = finding(result, "reach", "error")
        assert "not for 127.0.0.1" in found["detail"] and "host name the certificate names" in found["fix"]
        # The fix: the host the certificate is for.
        fixed = doctor(run_wsauth, f"wss://localhost:{server.port}/ws", "--resolve", f"localhost:{server.port}:127.0.0.1",
                       "--cacert", str(ca_pem), "--token-env", "TOK", env={"TOK": jwt})
        assert fixed.code == 0, fixed.describe()


# -- upgrade ------------------------------------------------------------------


@pytest.fixture
def nginx_dir(tmp_path: Path) -> Path:
    return tmp_path / "nginx"


def start_nginx(directory: Path, backend: int, forward_upgrade: bool, **settings: str) -> Nginx:
    try:
        return Nginx(directory, backend, forward_upgrade, **settings)
    except FileNotFoundError as missing:
        pytest.skip(f"{missing}; run scripts/install-deps.sh")


def test_proxy_without_upgrade_headers_gets_the_nginx_fix(run_wsauth: WsauthRunner, jwt: str, tmp_path: Path) -> None:
    with FaultyServer(token=jwt) as backend:
        proxy = start_nginx(tmp_path / "bad", backend.port, forward_upgrade=False)
        try:
            result = doctor(run_wsauth, f"ws://127.0.0.1:{proxy.port}/ws", "--token-env", "TOK", env={"TOK": jwt})
        finally:
            proxy.stop()
        assert result.code == 3, result.describe()
        found = finding(result, "upgrade", "error")
        assert "Upgrade" in found["detail"] and "nginx" in found["detail"]
        assert "proxy_set_header Upgrade $http_upgrade" in found["fix"] and "proxy_http_version 1.1" in found["fix"]
        # The fix, applied to the same nginx config.
        proxy = start_nginx(tmp_path / "good", backend.port, forward_upgrade=True)
        try:
            fixed = doctor(run_wsauth, f"ws://127.0.0.1:{proxy.port}/ws", "--token-env", "TOK", env={"TOK": jwt})
        finally:
            proxy.stop()
        assert fixed.code == 0, fixed.describe()


def test_server_that_needs_origin_gets_origin_flag(run_wsauth: WsauthRunner, jwt: str) -> None:
    with FaultyServer(token=jwt, origin=True) as server:
        result = doctor(run_wsauth, server.url(), "--token-env", "TOK", env={"TOK": jwt})
        assert result.code == 2, result.describe()
        found = finding(result, "upgrade", "error")
        flags = suggested_flags(found["fix"])
        assert flags == ["--origin", server.origin]
        fixed = run_wsauth("probe", server.url(), "--token-env", "TOK", *flags, env={"TOK": jwt})
        assert fixed.code == 0, fixed.describe()


def test_server_that_wants_a_subprotocol_says_so(run_wsauth: WsauthRunner, jwt: str) -> None:
    with FaultyServer(token=jwt, subprotocols=["chat.v1"]) as server:
        result = doctor(run_wsauth, server.url(), "--token-env", "TOK", env={"TOK": jwt})
        assert result.code == 3, result.describe()
        found = finding(result, "upgrade", "error")
        assert "subprotocol" in found["detail"] and "--subprotocol NAME" in found["fix"]
        fixed = run_wsauth("probe", server.url(), "--token-env", "TOK", "--subprotocol", "chat.v1", env={"TOK": jwt})
        assert fixed.code == 0, fixed.describe()


# -- token --------------------------------------------------------------------


def test_server_clock_ahead_expires_the_token(run_wsauth: WsauthRunner, secret_registry: list[str]) -> None:
    token = make_jwt(300)
    secret_registry.append(token)
    with FaultyServer(token="unused-" + token[:4], clock_offset=600) as server:
        result = doctor(run_wsauth, server.url(), "--token-env", "TOK", env={"TOK": token})
        assert result.code == 2, result.describe()
        found = finding(result, "token", "error")
        assert "clock is 10m" in found["detail"] and "ahead" in found["detail"], found
        assert "NTP" in found["fix"]
    # The fix on the server: its clock set right.
    with FaultyServer(token="unused-" + token[:4]) as server:
        fixed = doctor(run_wsauth, server.url(), "--token-env", "TOK", env={"TOK": token})
        assert fixed.code == 0, fixed.describe()


# -- cookies ------------------------------------------------------------------


def cookie_file(path: Path, lines: list[tuple[str, str, bool, str]]) -> Path:
    """Netscape lines (path, name, secure, value) for 127.0.0.1."""
    path.write_text("".join(
        f"127.0.0.1\tFALSE\t{cookie_path}\t{'TRUE' if secure else 'FALSE'}\t0\t{name}\t{value}\n"
        for cookie_path, name, secure, value in lines))
    return path


def test_cookie_path_and_secure_over_ws_are_explained(run_wsauth: WsauthRunner, tokens, tmp_path: Path, tls) -> None:
    sid, other = tokens(), tokens()
    jar = cookie_file(tmp_path / "jar.txt", [("/app", "sid", False, sid), ("/", "pref", True, other)])
    with FaultyServer(session=sid) as server:
        result = doctor(run_wsauth, server.url(), "-b", str(jar))
        assert result.code == 2, result.describe()
        details = [f["detail"] for f in findings(result) if f["check"] == "cookies"]
        path_finding = next(f for f in findings(result) if "sid" in f["detail"] and f["check"] == "cookies")
        assert "Path=/app does not cover /ws" in path_finding["detail"] and "Path=/" in path_finding["fix"], details
        secure = next(f for f in findings(result) if "pref" in f["detail"] and f["check"] == "cookies")
        assert "Secure" in secure["detail"] and "wss://" in secure["fix"]
        # The fix on the server: the cookie set with Path=/.
        fixed_jar = cookie_file(tmp_path / "fixed.txt", [("/", "sid", False, sid)])
        fixed = doctor(run_wsauth, server.url(), "-b", str(fixed_jar))
        assert fixed.code == 0, fixed.describe()
    # The Secure cookie's fix: the same server over wss:// sends it.
    with FaultyServer(session=other, ssl_context=tls.server_context()) as server:
        fixed = doctor(run_wsauth, server.url(), "-b", str(jar), "--cacert", str(tls.ca_pem))
        assert fixed.code == 0, fixed.describe()
        assert "pref" in finding(fixed, "cookies", "ok")["detail"]


# -- placement ----------------------------------------------------------------


def test_token_only_in_access_token_query_is_found(run_wsauth: WsauthRunner, jwt: str) -> None:
    with FaultyServer(token=jwt, token_in="access_token") as server:
        result = doctor(run_wsauth, server.url(), "--token-env", "TOK", env={"TOK": jwt})
        assert result.code == 2, result.describe()
        found = finding(result, "placement", "error")
        flags = suggested_flags(found["fix"])
        assert flags == ["--token-in", "query", "--query-param", "access_token"], found
        fixed = run_wsauth("probe", server.url(), "--token-env", "TOK", *flags, env={"TOK": jwt})
        assert fixed.code == 0, fixed.describe()


# -- consistency --------------------------------------------------------------


def login_through(run_wsauth: WsauthRunner, front: int) -> None:
    result = run_wsauth("login", f"http://127.0.0.1:{front}/auth/login?shape=session", "--user", "alice",
                        "--password-env", "PW", "--ws-url", f"ws://127.0.0.1:{front}/ws", env={"PW": "wonderland"})
    assert result.code == 0, result.describe()


def test_sessions_in_one_workers_memory_are_found(run_wsauth: WsauthRunner) -> None:
    first, second = Peer(), Peer()
    try:
        with RoundRobin([first.port, second.port]) as front:
            login_through(run_wsauth, front.port)
            result = run_wsauth("doctor", f"ws://127.0.0.1:{front.port}/ws", "--json", "--repeat", "4", timeout=90)
        assert result.code == 2, result.describe()
        found = finding(result, "consistency", "error")
        assert re.match(r"2 of 4 refused", found["detail"]), found
        assert "Redis" in found["fix"] and "sticky" in found["fix"]
    finally:
        first.stop()
        second.stop()


def test_sessions_in_redis_are_consistent(run_wsauth: WsauthRunner, redis_url: str) -> None:  # noqa: F811
    first, second = Peer("--redis", redis_url), Peer("--redis", redis_url)
    try:
        with RoundRobin([first.port, second.port]) as front:
            login_through(run_wsauth, front.port)
            result = run_wsauth("doctor", f"ws://127.0.0.1:{front.port}/ws", "--json", "--repeat", "4", timeout=90)
        assert result.code == 0, result.describe()
        assert finding(result, "consistency", "ok")["detail"].startswith("4 of 4 handshakes accepted")
    finally:
        first.stop()
        second.stop()


# -- the hint on probe and connect --------------------------------------------


def test_rejected_probe_and_connect_name_the_doctor_command(run_wsauth: WsauthRunner, jwt: str) -> None:
    with FaultyServer(token=jwt, token_in="access_token") as server:
        for command in ("probe", "connect"):
            result = run_wsauth(command, server.url(), "--token-env", "TOK", env={"TOK": jwt}, stdin="")
            assert result.code == 2, result.describe()
            suggested = re.search(r"run `wsauth (doctor [^`]+)` to find out why$", result.last_line)
            assert suggested, result.last_line
            assert shlex.split(suggested.group(1)) == ["doctor", server.url(), "--token-env", "TOK"]
        diagnosed = run_wsauth(*shlex.split(suggested.group(1)), "--json", env={"TOK": jwt})
        assert diagnosed.code == 2 and "access_token" in finding(diagnosed, "placement", "error")["fix"]


# -- app (--app socketio, against python-socketio) ------------------------------


def sio_doctor(run_wsauth: WsauthRunner, server, token: str, *flags: str) -> Result:
    return run_wsauth("doctor", server.base, "--app", "socketio", "--json", "--repeat", "1", "--token-env", "TOK",
                      *flags, env={"TOK": token}, timeout=90)


def test_app_server_reading_a_header_gets_token_in_header(run_wsauth: WsauthRunner, secret_registry: list[str]) -> None:
    from peers.socketio_peer import SocketIOServer
    with SocketIOServer(token_from="header") as server:
        token = server.token()
        secret_registry.append(token)
        probe = run_wsauth("probe", server.base, "--app", "socketio", "--token-env", "TOK", env={"TOK": token})
        assert probe.code == 2, probe.describe()
        suggested = re.search(r"run `wsauth (doctor [^`]+)` to find out why$", probe.last_line)
        assert suggested and "--app socketio" in suggested.group(1), probe.last_line
        result = sio_doctor(run_wsauth, server, token)
        assert result.code == 2, result.describe()
        assert finding(result, "upgrade", "ok")
        refused = finding(result, "app", "error")
        assert 'socketio refused the credentials' in refused["detail"] and '"no token"' in refused["detail"], refused
        assert "--auth-message" in refused["fix"] and "--namespace" in refused["fix"], refused
        placement = finding(result, "placement", "error")
        flags = suggested_flags(placement["fix"])
        assert flags == ["--token-in", "header"], placement
        fixed = run_wsauth("probe", server.base, "--app", "socketio", "--token-env", "TOK", *flags,
                           env={"TOK": token})
        assert fixed.code == 0, fixed.describe()


def test_app_server_reading_the_auth_payload_gets_it_back(run_wsauth: WsauthRunner, secret_registry: list[str]) -> None:
    from peers.socketio_peer import SocketIOServer
    with SocketIOServer(token_from="auth") as server:
        token = server.token()
        secret_registry.append(token)
        result = sio_doctor(run_wsauth, server, token, "--token-in", "header")
        assert result.code == 2, result.describe()
        assert '"no token"' in finding(result, "app", "error")["detail"]
        placement = finding(result, "placement", "error")
        assert "the socketio auth payload" in placement["detail"], placement
        assert suggested_flags(placement["fix"]) == ["--token-in", "message"]
        # Server-side: the payload CONNECT carried the token, the header one did not.
        payloads = [c["auth"] for c in server.connects.snapshot()]
        assert payloads[0] in (None, {}) and {"token": token} in payloads, payloads
        fixed = sio_doctor(run_wsauth, server, token)
        assert fixed.code == 0, fixed.describe()
        assert "accepted" in finding(fixed, "app", "ok")["detail"]


def test_app_wrong_namespace_is_refused_and_names_the_namespace(run_wsauth: WsauthRunner, secret_registry: list[str]) -> None:
    from peers.socketio_peer import SocketIOServer
    with SocketIOServer() as server:
        token = server.token()
        secret_registry.append(token)
        result = sio_doctor(run_wsauth, server, token, "--namespace", "/nope")
        assert result.code == 2, result.describe()
        refused = finding(result, "app", "error")
        assert "Unable to connect" in refused["detail"] and "now /nope" in refused["fix"], refused
        placement = finding(result, "placement", "error")
        assert "refuses these credentials wherever they go" in placement["detail"], placement
        assert "--namespace" in placement["fix"], placement
        fixed = sio_doctor(run_wsauth, server, token, "--namespace", "/admin")
        assert fixed.code == 0, fixed.describe()


def test_app_never_answered_says_the_server_does_not_speak_it(run_wsauth: WsauthRunner, jwt: str) -> None:
    with FaultyServer(token=jwt) as server:
        result = run_wsauth("doctor", server.url(), "--app", "socketio", "--json", "--repeat", "1",
                            "--token-in", "header", "--token-env", "TOK", env={"TOK": jwt}, timeout=90)
        assert result.code == 3, result.describe()
        silent = finding(result, "app", "error")
        assert "never completed the socketio handshake" in silent["detail"], silent
        assert "--app" in silent["fix"], silent
        assert not [f for f in findings(result) if f["check"] == "placement"], "no placement search on silence"
        # The fix: this server speaks plain WebSocket.
        fixed = run_wsauth("probe", server.url(), "--token-env", "TOK", env={"TOK": jwt})
        assert fixed.code == 0, fixed.describe()


# -- everyday mistakes (issue 26) ----------------------------------------------


def fixed_url(fix: str) -> str:
    """The URL of a fix that says "use URL"."""
    match = re.fullmatch(r"use (wss?://\S+)", fix)
    assert match, f"the fix names no URL: {fix}"
    return match.group(1)


def test_wss_to_a_plain_port_says_ws_within_seconds(run_wsauth: WsauthRunner, jwt: str) -> None:
    token_env = {"TOK": jwt}
    with FaultyServer(token=jwt) as server:
        wrong = server.url().replace("ws://", "wss://")
        result = doctor(run_wsauth, wrong, "--token-env", "TOK", env=token_env)
        assert result.code == 4 and result.elapsed < 10, result.describe()
        found = finding(result, "reach", "error")
        assert "speaks plain HTTP" in found["detail"], found
        assert fixed_url(found["fix"]) == server.url()
        # probe fails as fast, and its last line points at the scheme, not at a timeout.
        probe = run_wsauth("probe", wrong, "--token-env", "TOK", env=token_env)
        assert probe.code == 4 and probe.elapsed < 10, probe.describe()
        assert probe.last_line.endswith(f"use {server.url()}") and "timeout" not in probe.last_line, probe.last_line
        fixed = run_wsauth("probe", fixed_url(found["fix"]), "--token-env", "TOK", env=token_env)
        assert fixed.code == 0, fixed.describe()


def test_ws_to_a_tls_port_says_wss_within_seconds(run_wsauth: WsauthRunner, jwt: str, tls) -> None:
    token_env = {"TOK": jwt}
    with FaultyServer(token=jwt, ssl_context=tls.server_context()) as server:
        wrong = server.url().replace("wss://", "ws://")
        result = doctor(run_wsauth, wrong, "--token-env", "TOK", env=token_env)
        assert result.code == 4 and result.elapsed < 10, result.describe()
        found = finding(result, "reach", "error")
        assert "speaks TLS" in found["detail"], found
        assert fixed_url(found["fix"]) == server.url()
        probe = run_wsauth("connect", wrong, "--token-env", "TOK", env=token_env)
        assert probe.code == 4 and probe.last_line.endswith(f"use {server.url()}"), probe.describe()
        fixed = doctor(run_wsauth, fixed_url(found["fix"]), "--token-env", "TOK", "--cacert", str(tls.ca_pem), env=token_env)
        assert fixed.code == 0, fixed.describe()


def test_silent_server_costs_one_bound(run_wsauth: WsauthRunner) -> None:
    with SilentServer() as server:
        for scheme, check, step in (("ws", "upgrade", "the upgrade"), ("wss", "reach", "TLS hello")):
            url = f"{scheme}://127.0.0.1:{server.port}/ws"
            result = run_wsauth("doctor", url, "--json", timeout=40)
            # 15 s for the handshake, then 2 s for the other scheme: never one bound per check.
            assert result.code == 5 and result.elapsed < 20, result.describe()
            assert step in finding(result, check, "error")["detail"]
            # probe: exit 5 within its bound, naming the step that got no answer.
            bound = ("-m", "3") if scheme == "ws" else ("--connect-timeout", "3")
            probe = run_wsauth("probe", url, *bound, timeout=40)
            assert probe.code == 5 and probe.elapsed < 8, probe.describe()
            assert probe.last_line.startswith("no answer:") and ("upgrade" if scheme == "ws" else "TLS hello") in probe.last_line, probe.last_line


def test_redirects_name_the_websocket_url_and_are_not_followed(run_wsauth: WsauthRunner, jwt: str, tls, nginx_dir: Path) -> None:
    token_env = {"TOK": jwt}
    with FaultyServer(token=jwt) as backend, FaultyServer(token=jwt, ssl_context=tls.server_context()) as secure:
        locations = (f"location = /plain {{ return 301 https://127.0.0.1:{secure.port}/ws; }}\n"
                     "        location = /old { return 307 /ws; }")
        nginx = start_nginx(nginx_dir, backend.port, True, locations=locations)
        try:
            moved = doctor(run_wsauth, f"ws://127.0.0.1:{nginx.port}/plain", "--token-env", "TOK", env=token_env)
            assert moved.code == 3, moved.describe()
            found = finding(moved, "upgrade", "error")
            assert "301" in found["detail"] and f"https://127.0.0.1:{secure.port}/ws" in found["detail"], found
            assert fixed_url(found["fix"]) == secure.url()
            fixed = run_wsauth("probe", fixed_url(found["fix"]), "--cacert", str(tls.ca_pem), "--token-env", "TOK", env=token_env)
            assert fixed.code == 0, fixed.describe()

            other_path = doctor(run_wsauth, f"ws://127.0.0.1:{nginx.port}/old", "--token-env", "TOK", env=token_env)
            assert other_path.code == 3, other_path.describe()
            found = finding(other_path, "upgrade", "error")
            assert "307" in found["detail"], found
            assert fixed_url(found["fix"]) == f"ws://127.0.0.1:{nginx.port}/ws"
            fixed = run_wsauth("probe", fixed_url(found["fix"]), "--token-env", "TOK", env=token_env)
            assert fixed.code == 0, fixed.describe()
        finally:
            nginx.stop()


def test_socketio_at_a_wrong_path_finds_socket_io(run_wsauth: WsauthRunner, secret_registry: list[str]) -> None:
    from peers.socketio_peer import SocketIOServer
    with SocketIOServer() as server:
        token = server.token()
        secret_registry.append(token)
        wrong = f"ws://127.0.0.1:{server.port}/ws"
        result = run_wsauth("doctor", wrong, "--app", "socketio", "--json", "--repeat", "1", "--token-env", "TOK",
                            env={"TOK": token}, timeout=90)
        assert result.code == 3, result.describe()
        found = finding(result, "upgrade", "error")
        assert "no WebSocket endpoint at /ws" in found["detail"] and "/socket.io/ upgrades" in found["detail"], found
        url = fixed_url(found["fix"])
        assert url.startswith(f"ws://127.0.0.1:{server.port}/socket.io/?"), url
        fixed = run_wsauth("probe", url, "--app", "socketio", "--token-env", "TOK", env={"TOK": token})
        assert fixed.code == 0, fixed.describe()


def test_action_cable_origin_answered_404_gets_origin_flag(run_wsauth: WsauthRunner, secret_registry: list[str]) -> None:
    token = "cable-" + make_jwt(300)[-16:]
    secret_registry.append(token)
    try:
        cable = ActionCable(token)
    except FileNotFoundError as missing:
        pytest.skip(f"{missing}; run scripts/install-deps.sh")
    token_env = {"TOK": token}
    try:
        plain = run_wsauth("probe", cable.url(), "--token-env", "TOK", env=token_env)
        assert plain.code == 3 and "HTTP 404" in plain.last_line, plain.describe()
        result = doctor(run_wsauth, cable.url(), "--token-env", "TOK", env=token_env)
        assert result.code == 2, result.describe()
        found = finding(result, "upgrade", "error")
        assert "answered 404 without an Origin header" in found["detail"], found
        flags = suggested_flags(found["fix"])
        assert flags == ["--origin", f"http://127.0.0.1:{cable.port}"], flags
        fixed = run_wsauth("connect", cable.url(), "--token-env", "TOK", *flags, "--expect", '"type":"welcome"',
                           "--timeout", "10s", env=token_env)
        assert fixed.code == 0, fixed.describe()
    finally:
        cable.stop()


def test_proxy_idle_timeout_is_found_and_pings_fix_it(run_wsauth: WsauthRunner, jwt: str, nginx_dir: Path) -> None:
    token_env = {"TOK": jwt}
    with FaultyServer(token=jwt) as backend:
        # Straight to the server: nothing drops a quiet socket, so no warning.
        direct = doctor(run_wsauth, backend.url(), "--token-env", "TOK", "--idle", "8s", env=token_env)
        assert direct.code == 0, direct.describe()
        assert "stayed open idle for 8s" in finding(direct, "idle", "ok")["detail"]
        nginx = start_nginx(nginx_dir, backend.port, True, proxy_settings="proxy_read_timeout 3s;")
        try:
            url = f"ws://127.0.0.1:{nginx.port}/ws"
            result = doctor(run_wsauth, url, "--token-env", "TOK", "--idle", "8s", env=token_env)
            assert result.code == 0, result.describe()
            found = finding(result, "idle", "warn")
            assert re.search(r"dropped after [34]s", found["detail"]) and "proxy_read_timeout" in found["detail"], found
            flags = suggested_flags(found["fix"])
            assert flags[0] == "--ping-interval" and "proxy_read_timeout" in found["fix"], found
            fixed = doctor(run_wsauth, url, "--token-env", "TOK", "--idle", "8s", *flags, env=token_env)
            assert fixed.code == 0, fixed.describe()
            assert "stayed open idle for 8s" in finding(fixed, "idle", "ok")["detail"]
        finally:
            nginx.stop()
