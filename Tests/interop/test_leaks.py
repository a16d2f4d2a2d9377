"""Secrets stay where they belong, and nothing a server sends is obeyed (issue 10).

Every command runs with ``-v`` (where it has it) against a hostile peer
(``peers/hostile_server.py``) that hands every credential back in every place it
can — the chosen subprotocol, response headers, ``Set-Cookie``, the 401 body,
``WWW-Authenticate``, a message, a ping, the close reason, an OAuth
``error_description`` — in every encoding a secret travels in, and answers with
terminal escape sequences in the reason phrase, headers, bodies, messages, close
reasons and JWT claims. Each run's stdout and stderr together must hold no secret
in any of those encodings (the runner's ``secret_forms``) and no raw ESC, BEL or
C1 CSI byte.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import re
import urllib.parse
import secrets as random
import time
from pathlib import Path
from typing import Iterator

import pytest

from peers.hostile_server import ESCAPES, HostileServer
from support.terminal import Terminal
from wsauth_runner import Result, WsauthRunner, secret_forms

# Bytes that act on a terminal: ESC, BEL and the C1 CSI (U+009B, UTF-8 C2 9B).
RAW_CONTROLS = (b"\x1b", b"\x07", b"\xc2\x9b")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def make_jwt(lifetime_s: float, **claims: object) -> str:
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT", "kid": ESCAPES}).encode())
    body = {"sub": f"alice {ESCAPES}", "exp": int(time.time() + lifetime_s), "jti": random.token_hex(8), **claims}
    payload = b64url(json.dumps(body).encode())
    signature = hmac.new(b"hostile", f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64url(signature)}"


class Secrets:
    """Every secret of the story; some hold `/`, `+`, `=` and a space so that
    their percent-encoded and JSON-escaped forms differ from the raw one."""

    def __init__(self) -> None:
        self.refresh = "rt/" + random.token_hex(12) + "+="
        self.rotated = "rt2/" + random.token_hex(12) + "+="
        self.cookie = "sc-" + random.token_hex(10)
        self.password = "pw " + random.token_hex(6) + "/!"
        self.client_secret = "cs/" + random.token_hex(10) + "+"
        self.api_key = "key/" + random.token_hex(24) + "+="
        self.opaque = "tok-" + random.token_hex(20)
        self.jar_cookie = "jar/" + random.token_hex(10) + "="
        # A claim quotes the refresh token: `token --decode` must hide it too.
        self.access = make_jwt(300, rt=self.refresh)
        self.access2 = make_jwt(300)
        self.expired = make_jwt(-60)

    def all(self) -> list[str]:
        return [self.refresh, self.rotated, self.cookie, self.password, self.client_secret, self.api_key,
                self.opaque, self.jar_cookie, self.access, self.access2, self.expired]


@pytest.fixture
def story() -> Secrets:
    return Secrets()


@pytest.fixture
def hostile(story: Secrets) -> Iterator[HostileServer]:
    server = HostileServer(access=story.access, refresh=story.refresh, cookie=story.cookie,
                           rotated=story.rotated, access2=story.access2, expired=story.expired)
    with server:
        yield server


@pytest.fixture
def wsauth(run_wsauth: WsauthRunner, story: Secrets):
    """The runner, and on every run a second check: nothing in stdout or stderr
    decodes to a secret, by any family's decoder (`decodings`)."""
    run_wsauth.secrets.extend(story.all())

    def run(*args: str, **kwargs: object) -> Result:
        result = run_wsauth(*args, **kwargs)
        assert_nothing_decodes(result.stdout, story.all(), result.describe())
        assert_nothing_decodes(result.stderr.encode(), story.all(), result.describe())
        return result

    return run


# -- decoding the output: no byte sequence may decode to a secret (issue 21) ------

HEX_LINE = re.compile(rb"^([0-9a-f]{8})  ((?:[0-9a-f]{2} ){0,15}[0-9a-f]{2})", re.MULTILINE)
BASE64_RUN = re.compile(rb"[A-Za-z0-9+/_-]{8,}")


def json_unescape(text: str) -> str:
    def one(match: re.Match) -> str:
        escape = match.group(0)
        if escape.startswith("\\u"):
            return chr(int(escape[2:], 16))
        return {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}.get(escape[1], escape[1])
    joined = re.sub(r"\\u[0-9a-fA-F]{4}|\\[\\/\"bfnrt]", one, text)
    return joined.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def decodings(output: bytes) -> list[bytes]:
    """`output` as it is and decoded by each family: percent (`unquote_plus`), JSON
    escapes (surrogate pairs joined), HTML entities, all three in a row, the bytes of
    hex-dump lines, and every base64/base64url run from each of its first four symbols."""
    text = output.decode("utf-8", "replace")
    forms = [output]
    for decoded in (urllib.parse.unquote_plus(text), json_unescape(text), html.unescape(text),
                    html.unescape(json_unescape(urllib.parse.unquote_plus(text)))):
        forms.append(decoded.encode("utf-8", "replace"))
    dump = b"".join(bytes.fromhex(m.group(2).decode()) for m in HEX_LINE.finditer(output))
    forms.append(dump)
    for run in BASE64_RUN.findall(output):
        standard = run.replace(b"-", b"+").replace(b"_", b"/")
        for skip in range(4):
            part = standard[skip:]
            part = part[: len(part) // 4 * 4]
            try:
                forms.append(base64.b64decode(part))
            except ValueError:
                pass
    return forms


def assert_nothing_decodes(output: bytes, secrets: list[str], describe: str) -> None:
    forms = decodings(output)
    for secret in secrets:
        needle = secret.encode()
        for form in forms:
            assert needle not in form, f"the output decodes to a secret ({secret[:4]}…)\n{describe}"


def assert_inert(result: Result) -> None:
    """No byte that would act on a terminal, whatever the server sent."""
    combined = result.stdout + result.stderr.encode()
    for control in RAW_CONTROLS:
        assert control not in combined, f"raw {control!r} in the output\n{result.describe()}"


def env(story: Secrets) -> dict[str, str]:
    return {"PW": story.password, "CS": story.client_secret, "TOK": story.opaque}


def login(wsauth: WsauthRunner, hostile: HostileServer, story: Secrets, *extra: str) -> Result:
    result = wsauth("login", hostile.http("/login"), "-v", "--grant", "password", "--user", "alice",
                    "--password-env", "PW", "--client-id", "cli", "--client-secret-env", "CS",
                    "-H", f"X-Api-Key: {story.api_key}", "--ws-url", hostile.ws_url,
                    "--refresh-url", hostile.http("/refresh"), *extra, env=env(story))
    assert_inert(result)
    return result


def test_login_hides_what_the_endpoint_echoes(wsauth, hostile, story) -> None:
    result = login(wsauth, hostile, story)
    assert result.code == 0, result.describe()
    assert "X-Echo-0" in result.stderr, "-v shows the response headers"


def test_a_failed_login_hides_the_error_description(wsauth, hostile, story) -> None:
    result = wsauth("login", hostile.http("/login-fail"), "-v", "--grant", "password", "--user", "alice",
                    "--password-env", "PW", "--client-id", "cli", "--client-secret-env", "CS", env=env(story))
    assert_inert(result)
    assert result.code == 2, result.describe()
    assert "invalid_grant" in result.last_line


def test_refresh_hides_old_and_new_tokens(wsauth, hostile, story) -> None:
    login(wsauth, hostile, story)
    result = wsauth("refresh", "-v", "--client-secret-env", "CS", env=env(story))
    assert_inert(result)
    assert result.code == 0, result.describe()


def test_a_refresh_failing_inside_connect_hides_the_refresh_token(wsauth, hostile, story) -> None:
    wsauth("login", hostile.http("/login?stale=1"), "-p", "stale", "--user", "alice", "--password-env", "PW",
           "--refresh-url", hostile.http("/refresh-fail"), env=env(story))
    result = wsauth("connect", "-p", "stale", hostile.ws_url, "-v", env=env(story))
    assert_inert(result)
    assert result.code == 2, result.describe()
    assert "refresh rejected" in result.last_line


def test_probe_does_not_print_the_token_in_the_subprotocol_the_server_echoes(run_wsauth, hostile, story) -> None:
    """The reported bug: a server that picks the first subprotocol offered (Node's `ws`)
    echoes the k8s token protocol, and probe printed it — the token in base64url."""
    result = run_wsauth("probe", hostile.ws_url, "--token-env", "TOK", "--token-in", "protocol", env=env(story))
    line = next((l for l in result.text.splitlines() if l.startswith("subprotocol: ")), "")
    assert line.startswith("subprotocol: base64url.bearer.authorization.k8s.io."), result.describe()
    token64 = base64.urlsafe_b64encode(story.opaque.encode()).decode().rstrip("=")
    assert token64 not in line, f"the token is in the subprotocol line: {line}"
    assert "(redacted, " in line
    assert_inert(result)
    for form in secret_forms(story.opaque):
        assert form not in result.text + result.stderr, f"token leaked (form {form[:6]}…)\n{result.describe()}"


@pytest.mark.parametrize("placement", ["protocol", "header", "query", "cookie"])
def test_probe_hides_the_echoed_subprotocol_and_headers(wsauth, hostile, story, placement) -> None:
    result = wsauth("probe", hostile.ws_url, "-v", "--token-env", "TOK", "--token-in", placement,
                    "-H", f"X-Api-Key: {story.api_key}", env=env(story))
    assert_inert(result)
    if placement == "protocol":
        assert "subprotocol: base64url.bearer.authorization.k8s.io." in result.text, result.describe()


def test_a_rejected_probe_hides_the_401_body_and_challenge(wsauth, hostile, story) -> None:
    result = wsauth("probe", hostile.ws_url + "?reject=1", "-v", "--token-env", "TOK", env=env(story))
    assert_inert(result)
    assert result.code == 2, result.describe()


def test_connect_in_pipe_mode_hides_messages_pings_and_the_close_reason(wsauth, hostile, story, tmp_path) -> None:
    jar = tmp_path / "cookies.txt"
    jar.write_text(f"127.0.0.1\tFALSE\t/\tFALSE\t0\tjar\t{story.jar_cookie}\n")
    result = wsauth("connect", hostile.ws_url, "-v", "--token-env", "TOK", "--token-in", "query",
                    "-H", f"X-Api-Key: {story.api_key}", "-b", str(jar), stdin="bye\n", env=env(story))
    assert_inert(result)
    assert "closed by server: 4000" in result.stderr, result.describe()


def test_connect_in_json_mode_hides_every_field(wsauth, hostile, story) -> None:
    result = wsauth("connect", hostile.ws_url, "-v", "--json", "--token-env", "TOK", "--token-in", "protocol",
                    stdin="bye\n", env=env(story))
    assert_inert(result)
    assert result.of("message"), result.describe()
    assert result.one("close")["code"] == 4000


@pytest.mark.parametrize("style", ["raw", "hex", "base64", "json"])
def test_binary_messages_are_redacted_in_every_rendering(wsauth, hostile, story, style) -> None:
    """The secrets' bytes in a binary message, raw on a pipe, in a hex dump (both
    columns), in base64 and in `data_base64`: redacted before they are rendered."""
    how = ["--json"] if style == "json" else ["--binary-as", style]
    result = wsauth("connect", hostile.ws_url + "?binary=1", "-v", "--token-env", "TOK", "--token-in", "query",
                    "-H", f"X-Api-Key: {story.api_key}", *how, stdin="bye\n", env=env(story))
    if style == "json":
        binaries = [e for e in result.of("message") if e.get("type") == "binary"]
        assert binaries, result.describe()
        message = base64.b64decode(binaries[0]["data_base64"])
    elif style == "hex":
        message = b"".join(bytes.fromhex(m.group(2).decode()) for m in HEX_LINE.finditer(result.stdout))
    elif style == "base64":
        message = b"".join(base64.b64decode(line) for line in result.stdout.splitlines()
                           if re.fullmatch(rb"[A-Za-z0-9+/]+=*", line) and len(line) % 4 == 0 and len(line) > 200)
    else:
        message = result.stdout
    assert b"(redacted, " in message, result.describe()
    assert_nothing_decodes(message, story.all(), result.describe())
    if style != "raw":  # raw is the bytes as sent, controls included, on a pipe
        assert_inert(result)


def test_connect_with_stored_credentials_hides_them(wsauth, hostile, story) -> None:
    login(wsauth, hostile, story)
    result = wsauth("connect", hostile.ws_url, "-v", stdin="bye\n", env=env(story))
    assert_inert(result)
    assert result.code == 6, result.describe()


def test_audit_hides_the_token_and_its_forgeries(wsauth, hostile, story, tmp_path) -> None:
    junit = tmp_path / "audit.xml"
    result = wsauth("audit", hostile.ws_url, "-v", "--token-env", "TOK", "--token-in", "protocol",
                    "--junit", str(junit), env=env(story), timeout=180)
    assert_inert(result)
    assert result.code == 7, result.describe()
    assert_nothing_decodes(junit.read_bytes(), story.all(), junit.read_text())


def test_status_and_token_decode_hide_the_store(wsauth, hostile, story) -> None:
    login(wsauth, hostile, story)
    for args in (("status",), ("status", "--json"), ("token", "--decode"), ("token", "--decode", "--json")):
        result = wsauth(*args)
        assert_inert(result)
        assert result.code == 0, result.describe()


def test_logout_hides_what_the_revocation_endpoint_echoes(wsauth, hostile, story) -> None:
    login(wsauth, hostile, story)
    result = wsauth("logout", "-v", "--revoke-url", hostile.http("/revoke"), env=env(story))
    assert_inert(result)
    assert result.code != 0, result.describe()


# -- the REPL on a terminal -------------------------------------------------------

HOSTILE_SEQUENCES = (b"\x1b[31m", b"\x1b[2J", b"\x1b]0;", b"\x1b]8;", b"\x07", b"\xc2\x9b")


def test_the_repl_hides_secrets_and_shows_escapes_inert(wsauth_bin: Path, tmp_path: Path, hostile, story) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(story.opaque + "\n")
    terminal = Terminal(tmp_path, [])
    raw_log = tmp_path / "pty.log"
    try:
        terminal.start(wsauth_bin, hostile.ws_url, "-v", "--token-file", str(token_file), "--token-in", "protocol")
        terminal.tmux("pipe-pane", "-o", f"cat >> {raw_log}")
        terminal.wait_for("connected")
        terminal.wait_for("^[[2J")
        terminal.type_text("bye")
        terminal.type("Enter")
        terminal.wait_for("close 4000")
        terminal.type_text("/headers")
        terminal.type("Enter")
        terminal.wait_for("X-Evil")
        terminal.type_text("/quit")
        terminal.type("Enter")
        terminal.exit_status()
        screen = terminal.screen()
    finally:
        terminal.close()
    written = raw_log.read_bytes() if raw_log.exists() else b""
    assert written, "tmux recorded nothing the REPL wrote"
    for sequence in HOSTILE_SEQUENCES:
        assert sequence not in written, f"the REPL wrote {sequence!r} to the terminal"
    shown = screen + written.decode("utf-8", "replace")
    for secret in story.all():
        for form in secret_forms(secret):
            assert form not in shown, f"a secret (form {form[:6]}…) reached the terminal:\n{screen}"
