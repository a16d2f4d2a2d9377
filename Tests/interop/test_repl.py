"""The REPL of `wsauth connect` on a real terminal: tmux runs it, `send-keys`
types, `capture-pane` reads the screen (issue 5, "Done means").

The peer is a Python `websockets` echo server started here (127.0.0.1, port 0)
that wants `Authorization: Bearer <JWT>` whose `exp` is in the future (the
signature is not checked), closes the socket with 4001 when that `exp` passes,
and obeys two text commands: `close:CODE[:REASON]` and `burst:N` (N messages,
100 ms apart, to type against).

Refresh: a token given on the command line or in WSAUTH_TOKEN cannot be
refreshed, so these tests give it with `--token-file`; wsauth's refresh for
such a token reads the file again, and the tests write a fresh token there
before typing `/refresh`.

Every test ends by checking that the raw token never appeared on the screen.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import os
import re
import subprocess
import threading
import time
import uuid
from pathlib import Path
from typing import Callable, Iterator

import pytest
from websockets.asyncio.server import ServerConnection, serve
from websockets.datastructures import Headers
from websockets.http11 import Request, Response

from support.serve import Serve
from support.terminal import STAMP, Terminal
from wsauth_runner import Result, check_result, stored_secrets

PROMPT_OPEN = re.compile(r"\[open · token \d+[smh]")


# -- tokens -------------------------------------------------------------------


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def make_jwt(lifetime_s: float) -> str:
    """An HS256 JWT (any key: the server only reads `exp`) with a random `jti`,
    so that two tokens never share more than their header."""
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = {"sub": "repl-tester", "exp": int(time.time() + lifetime_s), "jti": uuid.uuid4().hex}
    payload = b64url(json.dumps(claims).encode())
    signature = hmac.new(b"test-key", f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64url(signature)}"


def token_exp(token: str) -> float | None:
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return float(claims["exp"])
    except (IndexError, ValueError, KeyError):
        return None


# -- the peer -----------------------------------------------------------------


class ExpiringEchoServer:
    """Echo server in its own thread and event loop; see the module docstring."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.server = None
        self.port = 0
        self.handshakes = 0

    def start(self) -> None:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(timeout=10)

    async def _start(self) -> None:
        self.server = await serve(self._handle, "127.0.0.1", 0, process_request=self._check_token)
        self.port = self.server.sockets[0].getsockname()[1]

    def stop(self) -> None:
        if not self.thread.is_alive():
            return

        async def close() -> None:
            self.server.close()
            await self.server.wait_closed()

        asyncio.run_coroutine_threadsafe(close(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    def _check_token(self, connection: ServerConnection, request: Request) -> Response | None:
        self.handshakes += 1
        auth = request.headers.get("Authorization", "")
        exp = token_exp(auth[7:]) if auth.startswith("Bearer ") else None
        if exp is None or exp <= time.time():
            body = b'{"error":"invalid_token"}'
            headers = Headers([("WWW-Authenticate", 'Bearer error="invalid_token"'),
                               ("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return Response(401, "Unauthorized", headers, body)
        connection.token_exp = exp  # type: ignore[attr-defined]
        return None

    async def _handle(self, ws: ServerConnection) -> None:
        expiry = asyncio.create_task(self._close_at_expiry(ws, ws.token_exp))  # type: ignore[attr-defined]
        try:
            async for message in ws:
                if isinstance(message, str) and message.startswith("close:"):
                    _, code, *reason = message.split(":", 2)
                    await ws.close(int(code), reason[0] if reason else "")
                elif isinstance(message, str) and message.startswith("burst:"):
                    for i in range(int(message[6:])):
                        await asyncio.sleep(0.1)
                        await ws.send(json.dumps({"burst": i}))
                else:
                    await ws.send(message)
        finally:
            expiry.cancel()

    @staticmethod
    async def _close_at_expiry(ws: ServerConnection, exp: float) -> None:
        await asyncio.sleep(max(0.0, exp - time.time()))
        await ws.close(4001, "token expired")


# -- the terminal -------------------------------------------------------------


# -- fixtures -----------------------------------------------------------------


@pytest.fixture(scope="module")
def wsauth_binary(wsauth_bin: Path) -> Path:
    return wsauth_bin


@pytest.fixture
def server() -> Iterator[ExpiringEchoServer]:
    peer = ExpiringEchoServer()
    peer.start()
    yield peer
    peer.stop()


@pytest.fixture
def secrets() -> list[str]:
    return []


@pytest.fixture
def terminal(tmp_path: Path, secrets: list[str]) -> Iterator[Terminal]:
    term = Terminal(tmp_path, secrets)
    yield term
    term.close()


@pytest.fixture
def token_file(tmp_path: Path, secrets: list[str]) -> Callable[[float], Path]:
    path = tmp_path / "token"

    def write(lifetime_s: float) -> Path:
        token = make_jwt(lifetime_s)
        secrets.append(token)
        path.write_text(token + "\n")
        return path

    return write


def connect(terminal: Terminal, binary: Path, server: ExpiringEchoServer, token_path: Path, *extra: str) -> None:
    terminal.start(binary, server.url, "--token-file", str(token_path), *extra)
    terminal.wait_for(PROMPT_OPEN)


# -- tests --------------------------------------------------------------------


def test_typed_line_is_echoed_above_the_prompt(terminal, wsauth_binary, server, token_file) -> None:
    connect(terminal, wsauth_binary, server, token_file(300))
    terminal.type_text("hello over the wire")
    terminal.type("Enter")
    terminal.wait_for(re.compile(rf"← {STAMP} hello over the wire"))
    terminal.wait_for(re.compile(rf"→ {STAMP} hello over the wire"))
    assert PROMPT_OPEN.search(terminal.prompt_line())


def test_json_is_pretty_printed(terminal, wsauth_binary, server, token_file) -> None:
    connect(terminal, wsauth_binary, server, token_file(300))
    terminal.type_text('{"type":"greeting","items":[1,2]}')
    terminal.type("Enter")
    screen = terminal.wait_for(re.compile(rf'← {STAMP} \{{\n\s+"type": "greeting",\n\s+"items": \['))
    assert '"items": [' in screen


def test_ping_shows_the_pong_with_its_round_trip(terminal, wsauth_binary, server, token_file) -> None:
    connect(terminal, wsauth_binary, server, token_file(300))
    terminal.type_text("/ping are-you-there")
    terminal.type("Enter")
    terminal.wait_for(re.compile(rf'← {STAMP} pong "are-you-there" \(RTT [\d.]+ ms\)'))
    terminal.wait_for(re.compile(r"\[open · token \d+m\d+s · rtt [\d.]+ms\] >"))


def test_close_with_a_code_shows_the_close_and_quit_exits_zero(terminal, wsauth_binary, server, token_file) -> None:
    connect(terminal, wsauth_binary, server, token_file(300))
    terminal.type_text("/close 4000 bye")
    terminal.type("Enter")
    terminal.wait_for(re.compile(rf'→ {STAMP} close 4000 "bye" — '))
    terminal.wait_for("[closed 4000")
    terminal.type_text("/quit")
    terminal.type("Enter")
    assert terminal.exit_status() == 0


def test_token_expiry_counts_down_is_explained_and_refresh_reconnects(
    terminal, wsauth_binary, server, token_file
) -> None:
    path = token_file(5)
    connect(terminal, wsauth_binary, server, path)
    seen: set[int] = set()

    def countdown(screen: str) -> bool:
        match = re.search(r"\[open · token (\d)s\] >$", terminal.prompt_line())
        if match:
            seen.add(int(match.group(1)))
        return len(seen) >= 3

    terminal.wait_for(countdown, timeout=8)
    screen = terminal.wait_for(re.compile(rf'← {STAMP} close 4001 "token expired" — .+ \[auth close code\]'), timeout=10)
    assert "/refresh" in screen.split("close 4001", 1)[1]
    terminal.wait_for(lambda _: terminal.prompt_line().startswith("[closed 4001 · token expired] >"))

    token_file(120)
    handshakes = server.handshakes
    terminal.type_text("/refresh")
    terminal.type("Enter")
    terminal.wait_for(re.compile(r"refreshed — new token expires"))
    terminal.wait_for(lambda _: re.match(r"\[open · token 1m5\ds\] >", terminal.prompt_line()) is not None)
    assert server.handshakes == handshakes + 1
    terminal.type_text("still here")
    terminal.type("Enter")
    terminal.wait_for(re.compile(rf"← {STAMP} still here"))


def test_refresh_of_a_token_from_the_command_line_says_so_and_reconnects(
    terminal, wsauth_binary, server, secrets
) -> None:
    token = make_jwt(300)
    secrets.append(token)
    terminal.start(wsauth_binary, server.url, "--token", token)
    terminal.wait_for(PROMPT_OPEN)
    handshakes = server.handshakes
    terminal.type_text("/refresh")
    terminal.type("Enter")
    terminal.wait_for("refresh skipped: nothing to refresh with (a token from the command line or the environment, "
                      "or no refresh token stored); reconnecting with the same token")
    terminal.wait_for(lambda _: server.handshakes == handshakes + 1 and PROMPT_OPEN.search(terminal.prompt_line()))


def test_a_half_typed_line_survives_incoming_messages(terminal, wsauth_binary, server, token_file) -> None:
    connect(terminal, wsauth_binary, server, token_file(300))
    terminal.type_text("burst:8")
    terminal.type("Enter")
    terminal.type_text("half typed")
    terminal.wait_for(re.compile(rf'← {STAMP} \{{\n\s+"burst": 7'))
    assert re.fullmatch(r"\[open · token \d+m\d+s\] > half typed", terminal.prompt_line())
    terminal.type_text(" and finished")
    terminal.type("Enter")
    terminal.wait_for(re.compile(rf"← {STAMP} half typed and finished"))


def test_headers_show_the_handshake_redacted(terminal, wsauth_binary, server, token_file) -> None:
    connect(terminal, wsauth_binary, server, token_file(300))
    terminal.type_text("/headers")
    terminal.type("Enter")
    screen = terminal.wait_for("< HTTP/1.1 101")
    assert re.search(r"> Authorization: Bearer eyJ\w*…\(redacted, \d+ chars\)", screen)


def test_token_shows_claims_and_time_left(terminal, wsauth_binary, server, token_file) -> None:
    connect(terminal, wsauth_binary, server, token_file(300))
    terminal.type_text("/token")
    terminal.type("Enter")
    screen = terminal.wait_for("time left: ")
    assert '"sub": "repl-tester"' in screen


def test_codes_and_bad_commands_answer_in_one_line(terminal, wsauth_binary, server, token_file) -> None:
    connect(terminal, wsauth_binary, server, token_file(300))
    terminal.type_text("/codes 4001")
    terminal.type("Enter")
    terminal.wait_for(re.compile(r"4001  \S.* \[auth\]: "))
    for bad in ("/frobnicate", "/close 1005", "/binary xyz", "/codes 70000"):
        terminal.type_text(bad)
        terminal.type("Enter")
    terminal.wait_for("/codes [CODE] with a number from 0 to 4999")
    screen = terminal.screen()
    assert "unknown command /frobnicate; /help lists the commands" in screen
    assert "usage: /close [CODE [REASON]]" in screen
    assert "usage: /binary HEX" in screen
    assert PROMPT_OPEN.search(terminal.prompt_line())


def test_binary_is_sent_and_shown_as_hex(terminal, wsauth_binary, server, token_file) -> None:
    connect(terminal, wsauth_binary, server, token_file(300))
    terminal.type_text("/binary 48 69 00 ff")
    terminal.type("Enter")
    terminal.wait_for(re.compile(rf"← {STAMP} binary 4 bytes\n\s+00000000  48 69 00 ff"))


def test_ctrl_c_clears_the_line_then_closes_cleanly(terminal, wsauth_binary, server, token_file) -> None:
    connect(terminal, wsauth_binary, server, token_file(300))
    terminal.type_text("never sent")
    terminal.wait_for(lambda _: terminal.prompt_line().endswith("> never sent"))
    terminal.type("C-c")
    terminal.wait_for(lambda _: terminal.prompt_line().endswith("] >"))
    terminal.type("C-c")
    assert terminal.exit_status() == 0
    assert "never sent" not in terminal.screen().split("] > never sent", 1)[-1]


def test_ctrl_d_closes_with_1000_and_history_is_private(tmp_path, terminal, wsauth_binary, server, token_file) -> None:
    connect(terminal, wsauth_binary, server, token_file(300))
    terminal.type_text("remember me")
    terminal.type("Enter")
    terminal.wait_for(re.compile(rf"← {STAMP} remember me"))
    terminal.type("C-d")
    assert terminal.exit_status() == 0
    history = tmp_path / "state" / "wsauth" / "history"
    assert history.stat().st_mode & 0o777 == 0o600
    assert "remember" in history.read_text()


def test_with_reconnect_an_auth_close_refreshes_and_reconnects_by_itself(
    terminal, wsauth_binary, server, token_file
) -> None:
    path = token_file(3)
    connect(terminal, wsauth_binary, server, path, "--reconnect")
    token_file(120)
    terminal.wait_for(re.compile(rf'← {STAMP} close 4001 "token expired"'), timeout=10)
    terminal.wait_for("--reconnect is refreshing the token and reconnecting")
    terminal.wait_for(lambda _: re.match(r"\[open · token 1m5\ds\] >", terminal.prompt_line()) is not None, timeout=10)
    assert server.handshakes == 2


def test_keepalive_round_trip_is_in_the_prompt(terminal, wsauth_binary, server, token_file) -> None:
    connect(terminal, wsauth_binary, server, token_file(300), "--ping-interval", "500ms")
    terminal.wait_for(lambda _: re.search(r"· rtt [\d.]+ms\] >$", terminal.prompt_line()) is not None)
    assert "pong" not in terminal.screen(), "keepalive pongs only update the prompt"


def test_a_refused_handshake_keeps_the_prompt_for_another_try(
    terminal, wsauth_binary, server, token_file
) -> None:
    path = token_file(-10)
    terminal.start(wsauth_binary, server.url, "--token-file", str(path))
    terminal.wait_for("< HTTP/1.1 401 Unauthorized")
    terminal.wait_for(lambda _: terminal.prompt_line().startswith("[rejected 401 · token expired] >"))
    token_file(300)
    terminal.type_text("/refresh")
    terminal.type("Enter")
    terminal.wait_for(PROMPT_OPEN)


def test_control_characters_from_the_server_are_shown_not_obeyed(terminal, wsauth_binary, server, token_file) -> None:
    connect(terminal, wsauth_binary, server, token_file(300))
    # Echoed back: an escape that would clear the screen and a bell.
    terminal.type_text("before")
    terminal.type("C-v", "Escape")
    terminal.type_text("[2Jafter")
    terminal.type("C-v", "C-g", "Enter")
    terminal.wait_for(re.compile(rf"← {STAMP} before\^\[\[2Jafter\^G"))
    assert "connected:" in terminal.screen(), "the screen was not cleared"


def test_a_server_that_went_away_leaves_the_prompt_until_quit(terminal, wsauth_binary, server, token_file) -> None:
    connect(terminal, wsauth_binary, server, token_file(300))
    server.stop()
    terminal.wait_for(re.compile(rf"← {STAMP} close 1001"))
    terminal.type_text("/reconnect")
    terminal.type("Enter")
    terminal.wait_for(lambda _: terminal.prompt_line().startswith("[not connected · token"))
    assert "Couldn't connect to server" in terminal.screen()
    terminal.type_text("/quit")
    terminal.type("Enter")
    assert terminal.exit_status() == 4


# -- against the reference server ---------------------------------------------


@pytest.fixture
def reference_server(wsauth_binary: Path) -> Iterator[str]:
    """`wsauth serve` with 6 s access tokens; yields its http:// base."""
    with Serve(wsauth_binary, "--token-ttl", "6s") as server:
        yield server.base


def test_reference_server_expiry_then_refresh_through_the_store(
    tmp_path, terminal, wsauth_binary, reference_server, secrets
) -> None:
    env = {"HOME": str(tmp_path / "home"), "XDG_STATE_HOME": str(tmp_path / "state"),
           "PATH": os.environ.get("PATH", ""), "PASSWORD": "wonderland"}
    login = subprocess.run([str(wsauth_binary), "login", f"{reference_server}/auth/login", "--user", "alice",
                            "--password-env", "PASSWORD", "--refresh-url", f"{reference_server}/auth/refresh"],
                           env=env, capture_output=True, text=True, timeout=30)
    check_result(Result(["login"], login.returncode, login.stdout.encode(), login.stderr, None, 0),
                 ["wonderland", *stored_secrets(tmp_path / "state" / "wsauth")])
    assert login.returncode == 0, login.stderr
    store = tmp_path / "state" / "wsauth" / "default.json"

    def remember_stored_secrets() -> None:
        stored = json.loads(store.read_text())
        secrets.extend(value for key, value in stored.items() if key in ("access_token", "refresh_token") and value)

    remember_stored_secrets()
    ws_url = reference_server.replace("http://", "ws://") + "/ws"
    terminal.start(wsauth_binary, ws_url, "--refresh-before", "1s")
    terminal.wait_for(PROMPT_OPEN)
    terminal.wait_for(re.compile(rf"← {STAMP} close 4001 .*\[auth close code\]"), timeout=15)
    terminal.wait_for("/refresh refreshes the token and reconnects")
    terminal.type_text("/refresh")
    terminal.type("Enter")
    terminal.wait_for("refreshed")
    terminal.wait_for(lambda _: PROMPT_OPEN.search(terminal.prompt_line()) is not None)
    remember_stored_secrets()
    terminal.type_text("after refresh")
    terminal.type("Enter")
    terminal.wait_for(re.compile(rf"← {STAMP} after refresh"))
