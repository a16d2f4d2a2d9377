"""A real terminal for wsauth: tmux runs the command, `send-keys` types, `capture-pane`
reads the screen. The one tmux driver of the suite (the REPL tests of every `--app`,
the device countdown, the leak tests)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import time
import uuid
from pathlib import Path
from typing import Callable, Iterable

import pytest

from wsauth_runner import secret_forms

STAMP = r"\d\d:\d\d:\d\d"  # the REPL's time stamp in front of every line


class Terminal:
    """A command in a detached tmux session on a private socket, 120×40.

    `secrets` are checked at `close()`: none of their forms may be on the screen."""

    def __init__(self, directory: Path, secrets: Iterable[str] = ()) -> None:
        self.socket = f"wsauth-tty-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.directory = directory
        # A list given by the test stays shared: tokens made later are checked too.
        self.secrets = secrets if isinstance(secrets, list) else list(secrets)
        self.status_file = directory / "exit-status"
        self.socket_path = ""

    def tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=10)
        return done.stdout

    def run(self, env: dict[str, str], argv: list[str]) -> None:
        """Runs `argv` with exactly `env`; its exit status is kept for `exit_status()`."""
        exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items())
        command = " ".join(shlex.quote(part) for part in argv)
        script = f"env -i {exports} {command}; echo $? > {shlex.quote(str(self.status_file))}; sleep 600"
        self.tmux("new-session", "-d", "-x", "120", "-y", "40", "sh", "-c", script)
        self.socket_path = self.tmux("display-message", "-p", "#{socket_path}").strip()

    def start(self, binary: Path, *arguments: str) -> None:
        """`wsauth connect ARGUMENTS…` in a home of its own under the test's directory."""
        env = {
            "HOME": str(self.directory / "home"),
            "XDG_STATE_HOME": str(self.directory / "state"),
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "TERM": "xterm-256color",
            "LANG": "C.UTF-8",
            "NO_COLOR": "1",
        }
        self.run(env, [str(binary), "connect", *arguments])

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-J", "-S", "-500")

    def prompt_line(self) -> str:
        lines = [line for line in self.tmux("capture-pane", "-p", "-J").splitlines() if line.strip()]
        return lines[-1].rstrip() if lines else ""

    def type(self, *keys: str) -> None:
        self.tmux("send-keys", *keys)

    def type_text(self, text: str) -> None:
        self.tmux("send-keys", "-l", text)

    def enter(self, line: str) -> None:
        """Types `line` and presses Enter."""
        self.type_text(line)
        self.type("Enter")

    def wait_for(self, what: str | re.Pattern[str] | Callable[[str], bool], timeout: float = 10.0) -> str:
        """Polls the screen until `what` shows (a substring, a regex or a test)."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if callable(what):
                found = what(screen)
            elif isinstance(what, re.Pattern):
                found = what.search(screen) is not None
            else:
                found = what in screen
            if found:
                return screen
            if time.monotonic() > deadline:
                pytest.fail(f"timed out after {timeout}s waiting for {what!r}; screen:\n{screen}")
            time.sleep(0.05)

    def exit_status(self, timeout: float = 10.0) -> int:
        deadline = time.monotonic() + timeout
        while not self.status_file.exists() or not self.status_file.read_text().strip():
            if time.monotonic() > deadline:
                pytest.fail(f"the command did not exit within {timeout}s; screen:\n{self.screen()}")
            time.sleep(0.05)
        return int(self.status_file.read_text())

    def close(self) -> None:
        screen = self.screen()
        self.tmux("kill-server")
        # tmux leaves its socket file behind when the server is killed.
        if self.socket_path:
            Path(self.socket_path).unlink(missing_ok=True)
        for secret in self.secrets:
            for form in secret_forms(secret):
                assert form not in screen, f"a secret appeared on the screen (form {form[:6]}…)"
