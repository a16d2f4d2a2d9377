"""The device flow's countdown (`wsauth login --grant device_code`): on a terminal one
line counts the code's remaining time down in place; through a pipe (CI) only plain
lines appear. tmux plays the terminal, `wsauth serve` the authorization server, and
the test approves the code on the server's /device page.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Iterator

import pytest
import requests

from support.background import Background, logged_user_code, wait_for
from support.serve import Serve
from support.terminal import Terminal
from wsauth_runner import WsauthRunner, check_result, secret_forms, stored_secrets

COUNTDOWN = re.compile(r"waiting for approval; the code expires in (\d+)m(\d+)s")


@pytest.fixture
def serve(wsauth_bin: Path) -> Iterator[Serve]:
    server = Serve(wsauth_bin)
    yield server
    server.stop()


def approve(serve: Serve, user_code: str) -> None:
    answer = requests.post(serve.base + "/device", timeout=10, data={
        "user_code": user_code, "username": "alice", "password": "wonderland", "decision": "approve"})
    assert answer.status_code == 200, answer.text


def remaining(screen: str) -> int | None:
    found = COUNTDOWN.findall(screen)
    return int(found[-1][0]) * 60 + int(found[-1][1]) if found else None


def test_the_countdown_counts_down_in_place_on_a_terminal(run_wsauth: WsauthRunner, serve, tmp_path):
    terminal = Terminal(tmp_path)
    env = {key: value for key, value in run_wsauth.base_env.items() if key in (
        "HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "PATH")}
    env.update(TERM="xterm-256color", LANG="C.UTF-8", NO_COLOR="1")
    try:
        terminal.run(env, [str(run_wsauth.binary), "login", "--issuer", serve.base, "--grant", "device_code",
                             "--client-id", "tty"])
        first = wait_for(lambda: remaining(terminal.screen()), "the countdown")
        later = wait_for(lambda: (remaining(terminal.screen()) or first) < first and remaining(terminal.screen()),
                         "the countdown to go down")
        assert 0 < later < first <= 600
        screen = terminal.screen()
        assert len(COUNTDOWN.findall(screen)) == 1, f"the countdown is one line, rewritten:\n{screen}"
        approve(serve, logged_user_code(serve))
        assert terminal.exit_status(timeout=60) == 0, terminal.screen()
        screen = terminal.screen()
        assert not COUNTDOWN.search(screen), f"the countdown line is cleared at the end:\n{screen}"
        assert "alice" in screen
        for secret in stored_secrets(run_wsauth.home / "state" / "wsauth"):
            assert not any(form in screen for form in secret_forms(secret)), "a token appeared on the screen"
    finally:
        terminal.close()


def test_a_pipe_gets_plain_lines_only(run_wsauth: WsauthRunner, serve):
    job = Background(run_wsauth, ["login", "--issuer", serve.base, "--grant", "device_code", "--client-id", "ci"], {})
    user_code = wait_for(lambda: logged_user_code(serve), "a device code")
    wait_for(lambda: "authorization_pending" in serve.logged(), "a pending poll")
    time.sleep(1.5)  # a second of waiting, when a terminal would see the countdown tick
    approve(serve, user_code)
    result = job.finish()
    assert result.code == 0, result.describe()
    check_result(result, stored_secrets(run_wsauth.home / "state" / "wsauth"))
    assert user_code in result.stderr and "waiting for the code to be approved" in result.stderr
    assert "\r" not in result.stderr and "\x1b" not in result.stderr, repr(result.stderr)
    assert not COUNTDOWN.search(result.stderr)
