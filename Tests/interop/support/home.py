"""An isolated HOME with XDG directories for the credential commands, and files in it
written as wsauth writes them (the store, the config)."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from wsauth_runner import Result, WsauthRunner, check_result, stored_secrets, wsauth_binary

PASSWORD = "wonderland"  # alice's password on the auth API peer and the reference server


def wsauth_bin() -> Path:
    binary = wsauth_binary()
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        pytest.fail(f"wsauth binary not found at {binary}: build it with `swift build` or set WSAUTH_BIN", pytrace=False)
    return binary


class Home:
    """An isolated HOME with XDG directories, and a way to run wsauth in it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.binary = wsauth_bin()
        self.state = root / "state" / "wsauth"
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith("WSAUTH_") and k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
        self.env.update(HOME=str(root), XDG_STATE_HOME=str(root / "state"), XDG_CONFIG_HOME=str(root / "config"),
                        PASSWORD=PASSWORD)

    def store(self, profile: str = "default") -> Path:
        return self.state / f"{profile}.json"

    def stored(self, profile: str = "default") -> dict:
        return json.loads(self.store(profile).read_text())

    def command(self, *args: str) -> list[str]:
        return [str(self.binary), *args]

    def run(self, *args: str, stdin: str | None = None, extra_env: dict | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess:
        before = self.secrets()
        started = time.monotonic()
        result = subprocess.run(self.command(*args), input=stdin, capture_output=True, text=True,
                                env={**self.env, **(extra_env or {})}, timeout=timeout)
        self.check(list(args), result.returncode, result.stdout, result.stderr, before, time.monotonic() - started)
        return result

    def spawn(self, *args: str, extra_env: dict | None = None) -> subprocess.Popen:
        """wsauth in the background, with pipes; end it with `finish`, which holds
        its whole output to the same rules as `run`."""
        client = subprocess.Popen(self.command(*args), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, env={**self.env, **(extra_env or {})})
        client.wsauth_args, client.seen, client.before = list(args), [], self.secrets()  # type: ignore[attr-defined]
        return client

    def finish(self, client: subprocess.Popen, timeout: float = 60) -> tuple[str, str]:
        """Waits for a spawned wsauth (bounded), checks its output, returns it
        (including lines already read with `read_line`)."""
        if client.stdin is not None and client.stdin.closed:
            client.stdin = None  # the test ended its input already
        out, err = client.communicate(timeout=timeout)
        out = "".join(client.seen) + out  # type: ignore[attr-defined]
        self.check(client.wsauth_args, client.returncode, out, err, client.before)  # type: ignore[attr-defined]
        return out, err

    @staticmethod
    def read_line(client: subprocess.Popen) -> str:
        """One stdout line of a spawned wsauth, kept for `finish`'s checks."""
        line = client.stdout.readline()
        client.seen.append(line)  # type: ignore[attr-defined]
        return line

    def secrets(self) -> list[str]:
        """The password and whatever the store holds now (tokens, cookie values)."""
        return [PASSWORD, *stored_secrets(self.state)]

    def check(self, args: list[str], code: int, stdout: str, stderr: str, before: list[str],
              elapsed: float = 0) -> None:
        """the output rules of docs/reference/behaviour.md (wsauth_runner.check_result) for a run in this home:
        no secret held before or after the run appears in its output. `wsauth
        token` alone prints the raw token: that is its job."""
        secrets = [*before, *self.secrets()]
        if args[:1] == ["token"] and not {"--decode", "show"} & set(args):
            secrets = [PASSWORD]
        events = None
        if "--json" in args:
            events = [json.loads(line) for line in stdout.splitlines() if line.strip().startswith("{")]
        check_result(Result(args, code, stdout.encode(), stderr, events, elapsed), secrets)

    def login(self, base: str, *extra: str) -> subprocess.CompletedProcess:
        return self.run("login", f"{base}/auth/login", "--user", "alice", "--password-env", "PASSWORD",
                        "--refresh-url", f"{base}/auth/refresh", *extra)


def events(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]



def state_dir(run: WsauthRunner) -> Path:
    return run.home / "state" / "wsauth"


def write_store(run: WsauthRunner, profile: str = "default", **fields) -> Path:
    """A credentials file as wsauth writes it (format version 1)."""
    record = {"version": 1, "access_token": None, "refresh_token": None, "token_type": "Bearer",
              "expires_at": time.time() + 3600, "user": "alice", "cookies": [], "login_cookies": [],
              "refresh": None, "obtained_at": time.time(), "refreshed_at": None}
    record.update(fields)
    directory = state_dir(run)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    directory.chmod(0o700)
    path = directory / f"{profile}.json"
    path.write_text(json.dumps(record))
    path.chmod(0o600)
    return path


def write_config(run: WsauthRunner, text: str) -> None:
    config = run.home / "config" / "wsauth"
    config.mkdir(parents=True, exist_ok=True)
    (config / "config.toml").write_text(text)
