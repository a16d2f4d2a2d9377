"""The runner's own rules, checked with stand-in binaries (no wsauth needed).

A rule that never fires is no rule: each check must fail on output that
breaks it and pass on output that keeps it.
"""

from __future__ import annotations

import base64
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from wsauth_runner import KeepOpen, WsauthRunner, new_token

STAMP = "2025-01-02T03:04:05.678Z"


def fake(tmp_path: Path, script: str) -> Path:
    path = tmp_path / "fake-wsauth"
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def runner(tmp_path: Path, script: str, secrets: list[str] | None = None) -> WsauthRunner:
    return WsauthRunner(fake(tmp_path, script), tmp_path / "home", secrets or [])


def test_new_token_shape():
    token = new_token()
    assert token.startswith("tok-") and len(token) == 44 and token != new_token()


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t,
        lambda t: base64.urlsafe_b64encode(t.encode()).decode().rstrip("="),
        lambda t: base64.b64encode(t.encode()).decode(),
    ],
    ids=["raw", "base64url", "base64"],
)
@pytest.mark.parametrize("stream", ["1", "2"])
def test_leak_is_caught(tmp_path, encode, stream):
    token = new_token()
    run = runner(tmp_path, f'echo "Authorization: Bearer {encode(token)}" >&{stream}\n', [token])
    with pytest.raises(AssertionError, match="secret leaked"):
        run("probe", "ws://x/")


def test_redacted_prefix_is_no_leak_and_show_secrets_allows_it(tmp_path):
    token = new_token()
    run = runner(tmp_path, f'echo "Bearer {token[:8]}…(redacted, 44 chars)"; echo "{token}" >&2\n')
    with pytest.raises(AssertionError, match="secret leaked"):
        run("probe", "ws://x/", secrets=[token])
    assert run("probe", "ws://x/", "--show-secrets", secrets=[token]).code == 0


@pytest.mark.parametrize(
    "stderr,ok",
    [
        (r"printf 'connect: refused; try again\n'", True),
        (r"printf 'detail\nconnect: refused\n'", True),
        (r"printf 'connect: refused'", False),  # not a line
        (r"printf 'connect: refused\n\n'", False),  # ends with a blank line
        (r"true", False),  # nothing said
    ],
)
def test_nonzero_exit_needs_a_last_line(tmp_path, stderr, ok):
    run = runner(tmp_path, f"{stderr} >&2; exit 4\n")
    if ok:
        assert run("probe").code == 4
    else:
        with pytest.raises(AssertionError):
            run("probe")


def test_usage_error_is_exactly_one_line(tmp_path):
    assert runner(tmp_path, "echo 'bad flag -H: NoColon has no colon' >&2; exit 64\n")("x").code == 64
    with pytest.raises(AssertionError, match="exactly one stderr line"):
        runner(tmp_path, "printf 'Error: bad\\nUsage: wsauth ...\\n' >&2; exit 64\n")("x")


def test_json_rules(tmp_path):
    good = f'echo \'{{"event":"error","time":"{STAMP}","kind":"network","exit_code":4}}\'; echo refused >&2; exit 4\n'
    r = runner(tmp_path, good)("probe", "--json")
    assert r.one("error")["kind"] == "network"
    with pytest.raises(AssertionError, match="without an 'error' event"):
        runner(tmp_path, "echo refused >&2; exit 4\n")("probe", "--json")
    with pytest.raises(AssertionError, match="not JSON"):
        runner(tmp_path, "echo hello\n")("probe", "--json")
    with pytest.raises(AssertionError, match="RFC 3339"):
        runner(tmp_path, 'echo \'{"event":"handshake","time":"2025-01-02 03:04:05"}\'\n')("probe", "--json")


def test_environment_is_isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("WSAUTH_TOKEN", "from-the-user")
    monkeypatch.setenv("https_proxy", "http://proxy.invalid:3128")
    run = runner(tmp_path, 'echo "$HOME|$XDG_CONFIG_HOME|$XDG_STATE_HOME|${WSAUTH_TOKEN-unset}|${https_proxy-unset}|$EXTRA"\n')
    r = run("x", env={"EXTRA": "yes"})
    home = str(tmp_path / "home")
    assert r.text.strip() == f"{home}|{home}/config|{home}/state|unset|unset|yes"


def test_stdin_modes(tmp_path):
    run = runner(tmp_path, "cat\n")
    assert run("x").stdout == b""  # /dev/null by default
    assert run("x", stdin="a\nb\n").stdout == b"a\nb\n"
    # KeepOpen: the data arrives and stdin stays open until the process exits.
    r = runner(tmp_path, "read line; echo \"got $line\"; if read -t 1 more; then echo eof-seen; else echo still-open; fi\n")(
        "x", stdin=KeepOpen("hello\n")
    )
    assert r.text.splitlines() == ["got hello", "still-open"]


def test_hang_is_reported_not_waited_for(tmp_path):
    with pytest.raises(AssertionError, match="did not exit within 1s"):
        runner(tmp_path, "sleep 30\n")("x", timeout=1)


def test_missing_binary_fails_loudly_unless_allowed(tmp_path):
    """A nested pytest on a real test: fail without the binary, skip only when allowed."""
    target = f"{Path(__file__).resolve().parent / 'test_codes.py'}::test_codes_4001"
    env = {**os.environ, "WSAUTH_BIN": str(tmp_path / "nope")}
    env.pop("WSAUTH_ALLOW_MISSING_BIN", None)
    cmd = [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", target]
    failed = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert failed.returncode == 1 and "wsauth binary not found" in failed.stdout, failed.stdout
    env["WSAUTH_ALLOW_MISSING_BIN"] = "1"
    skipped = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert skipped.returncode == 0 and "1 skipped" in skipped.stdout, skipped.stdout
