"""Run the wsauth binary and hold every run to the output rules of docs/reference/behaviour.md.

Every call of ``WsauthRunner.__call__`` checks, whatever the test asserts:

- no secret appears in stdout or stderr in any form it travels in (raw,
  base64, base64url, percent-encoded, JSON-escaped: ``secret_forms``) unless
  ``--show-secrets`` is among the arguments;
- a non-zero exit ends stderr with one non-empty line; exit 64 prints
  exactly one line on stderr;
- with ``--json``: stdout is JSON lines, each an object with ``event`` and an
  RFC 3339 ``time`` with milliseconds, and a non-zero exit comes with an
  ``error`` event whose ``exit_code`` is the exit status.

Runs are isolated: HOME and the XDG directories point into a per-test tmp
directory, and WSAUTH_*/proxy variables from the caller are dropped.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import os
import re
import secrets as _secrets
import signal
import subprocess
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BIN = REPO_ROOT / ".build" / "debug" / "wsauth"

TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})$")

_DROPPED_ENV = {
    "http_proxy", "https_proxy", "all_proxy", "no_proxy", "ws_proxy", "wss_proxy",
    "CURL_CA_BUNDLE", "CURL_HOME", "SSLKEYLOGFILE", "NO_COLOR", "FORCE_COLOR",
    # The suite run inside GitHub Actions: runs add annotations and a job summary only
    # where a test asks for them (test_reports.py).
    "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY",
}


def wsauth_binary() -> Path:
    return Path(os.environ.get("WSAUTH_BIN") or DEFAULT_BIN)


def new_token(prefix: str = "tok-") -> str:
    """A token that cannot appear in output by accident: tok- + 40 hex."""
    return prefix + _secrets.token_hex(20)


def secret_forms(secret: str) -> set[str]:
    """The forms in which a leaked secret would show up (docs/reference/behaviour.md "Conventions"):
    raw, base64 and base64url (padded and not), percent-encoded with upper- and
    lowercase hex, and JSON-escaped (``\\/``, ``\\u00xx`` in either case)."""
    raw = secret.encode()
    b64 = base64.b64encode(raw).decode()
    b64url = base64.urlsafe_b64encode(raw).decode()
    percent = urllib.parse.quote(secret, safe="")
    forms = {
        secret,
        b64, b64.rstrip("="), b64url, b64url.rstrip("="),
        percent,
        re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), percent),
        secret.replace("/", "\\/"),
        "".join(c if c.isalnum() else f"\\u{ord(c):04x}" for c in secret),
        "".join(c if c.isalnum() else f"\\u{ord(c):04X}" for c in secret),
    }
    return {f for f in forms if len(f) >= 8}


class KeepOpen:
    """stdin that delivers `data` and then stays open until wsauth exits.

    Pipe mode without scripting flags finishes at end of stdin; tests that
    need the connection to end for another reason (a server close, a
    protocol violation) hold stdin open the way `cat | wsauth connect` does.
    """

    def __init__(self, data: bytes | str = b"") -> None:
        self.data = data.encode() if isinstance(data, str) else data


@dataclasses.dataclass
class Result:
    args: list[str]
    code: int
    stdout: bytes
    stderr: str
    events: list[dict[str, Any]] | None
    elapsed: float

    @property
    def text(self) -> str:
        return self.stdout.decode("utf-8", "replace")

    @property
    def last_line(self) -> str:
        lines = self.stderr.rstrip("\n").split("\n")
        return lines[-1] if lines else ""

    def of(self, kind: str) -> list[dict[str, Any]]:
        assert self.events is not None, "run without --json has no events"
        return [e for e in self.events if e.get("event") == kind]

    def one(self, kind: str) -> dict[str, Any]:
        found = self.of(kind)
        assert len(found) == 1, f"expected one {kind!r} event, got {len(found)}\n{self.describe()}"
        return found[0]

    def describe(self) -> str:
        out = self.stdout[:3000].decode("utf-8", "replace")
        more = f"… ({len(self.stdout)} bytes)" if len(self.stdout) > 3000 else ""
        return (
            f"$ wsauth {' '.join(self.args)}\n"
            f"exit {self.code} after {self.elapsed:.2f}s\n"
            f"--- stdout ---\n{out}{more}\n--- stderr ---\n{self.stderr[-4000:]}"
        )


class WsauthRunner:
    """Callable that runs wsauth; ``runner(*args, stdin=..., env=..., ...)``."""

    def __init__(self, binary: Path, home: Path, secrets: list[str] | None = None) -> None:
        self.binary = binary
        self.home = home
        self.secrets: list[str] = secrets if secrets is not None else []
        for sub in ("config", "state", "cache", "data"):
            (home / sub).mkdir(parents=True, exist_ok=True)

    @property
    def base_env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("WSAUTH_")
            and k not in _DROPPED_ENV
            and k.lower() not in _DROPPED_ENV
        }
        env.update(
            HOME=str(self.home),
            XDG_CONFIG_HOME=str(self.home / "config"),
            XDG_STATE_HOME=str(self.home / "state"),
            XDG_CACHE_HOME=str(self.home / "cache"),
            XDG_DATA_HOME=str(self.home / "data"),
        )
        return env

    def __call__(
        self,
        *args: str,
        stdin: bytes | str | KeepOpen | None = None,
        env: Mapping[str, str | None] | None = None,
        timeout: float = 60,
        secrets: Iterable[str] = (),
    ) -> Result:
        argv = [str(a) for a in args]
        full_env = self.base_env
        for key, value in (env or {}).items():
            if value is None:
                full_env.pop(key, None)
            else:
                full_env[key] = value
        result = _run([str(self.binary), *argv], full_env, stdin, timeout, argv)
        check_result(result, [*self.secrets, *secrets])
        return result


def _run(
    cmd: list[str],
    env: dict[str, str],
    stdin: bytes | str | KeepOpen | None,
    timeout: float,
    argv: list[str],
) -> Result:
    keep_open = isinstance(stdin, KeepOpen)
    read_fd = write_fd = None
    if keep_open:
        read_fd, write_fd = os.pipe()
        stdin_arg: Any = read_fd
    elif stdin is None:
        stdin_arg = subprocess.DEVNULL
    else:
        stdin_arg = subprocess.PIPE
    start = time.monotonic()
    # Own process group, so that a hang is killed with whatever it started.
    proc = subprocess.Popen(
        cmd, stdin=stdin_arg, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        start_new_session=True,
    )
    writer = None
    if keep_open:
        assert read_fd is not None and write_fd is not None
        os.close(read_fd)
        data = stdin.data  # type: ignore[union-attr]

        def feed() -> None:
            try:
                os.write(write_fd, data) if len(data) < 4096 else _write_all(write_fd, data)
            except OSError:
                pass  # wsauth exited without reading it all: its exit code says why

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
    feed_input = None if keep_open or stdin is None else stdin
    if isinstance(feed_input, str):
        feed_input = feed_input.encode()
    try:
        out, err = proc.communicate(feed_input, timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate(timeout=15)
        partial = Result(argv, -9, out, err.decode("utf-8", "replace"), None, time.monotonic() - start)
        raise AssertionError(f"wsauth did not exit within {timeout}s\n{partial.describe()}")
    finally:
        if write_fd is not None:
            os.close(write_fd)
        if writer is not None:
            writer.join(5)
    elapsed = time.monotonic() - start
    events = _parse_events(argv, out, proc.returncode, err) if "--json" in argv else None
    return Result(argv, proc.returncode, out, err.decode("utf-8", "replace"), events, elapsed)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _parse_events(argv: Sequence[str], out: bytes, code: int, err: bytes) -> list[dict[str, Any]]:
    events = []
    for n, line in enumerate(out.decode("utf-8", "replace").splitlines(), 1):
        if not line.strip():
            continue
        try:
            event = json.loads(line)
        except json.JSONDecodeError as exc:
            raise AssertionError(
                f"--json stdout line {n} is not JSON ({exc}): {line[:300]!r}\n"
                f"$ wsauth {' '.join(argv)} -> exit {code}\nstderr: {err.decode(errors='replace')[-2000:]}"
            ) from None
        assert isinstance(event, dict), f"--json line {n} is not an object: {line[:300]!r}"
        assert isinstance(event.get("event"), str), f"--json line {n} has no 'event': {line[:300]!r}"
        assert isinstance(event.get("time"), str) and TIME_RE.match(event["time"]), (
            f"--json line {n}: 'time' must be RFC 3339 with milliseconds: {line[:300]!r}"
        )
        events.append(event)
    return events


def stored_secrets(state_dir: Path) -> list[str]:
    """Every secret in a credential store directory: tokens and cookie values.

    Tests that log in against a peer do not know the tokens it issued; the
    store does, so the output of a run can be checked against what it holds.
    """
    found: list[str] = []
    for path in sorted(state_dir.glob("*.json")):
        try:
            stored = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if not isinstance(stored, dict):
            continue
        for key in ("access_token", "refresh_token"):
            if isinstance(stored.get(key), str):
                found.append(stored[key])
        for line in stored.get("cookies") or []:
            fields = str(line).split("\t")
            if len(fields) == 7:
                found.append(fields[6])
    return found


def check_result(result: Result, secrets: Iterable[str]) -> None:
    """The rules every run obeys, whatever the test is about."""
    if "--show-secrets" not in result.args:
        stdout = result.stdout.decode("utf-8", "replace")
        for secret in secrets:
            for form in secret_forms(secret):
                where = [n for n, s in (("stdout", stdout), ("stderr", result.stderr)) if form in s]
                assert not where, (
                    f"secret leaked on {' and '.join(where)} (form {form[:6]}…)\n{result.describe()}"
                )
    if result.code != 0:
        assert result.stderr.strip(), f"exit {result.code} with empty stderr\n{result.describe()}"
        assert result.stderr.endswith("\n") and not result.stderr.endswith("\n\n"), (
            f"stderr must end with one non-empty line (newline-terminated)\n{result.describe()}"
        )
        assert result.last_line.strip(), f"last stderr line is blank\n{result.describe()}"
    if result.code == 64:
        assert result.stderr.count("\n") == 1, (
            f"a usage error prints exactly one stderr line\n{result.describe()}"
        )
    if result.events is not None and result.code != 0:
        errors = [e for e in result.events if e.get("event") == "error"]
        assert errors, f"--json run exited {result.code} without an 'error' event\n{result.describe()}"
        assert errors[-1].get("exit_code") == result.code, (
            f"'error' event exit_code {errors[-1].get('exit_code')!r} != exit {result.code}\n"
            f"{result.describe()}"
        )


def header(headers: Any, name: str) -> str | None:
    """A header from an event's headers: an object or a list of [name, value]."""
    if isinstance(headers, dict):
        items = list(headers.items())
    else:
        items = [tuple(pair) for pair in headers or []]
    for key, value in items:
        if str(key).lower() == name.lower():
            return ", ".join(value) if isinstance(value, list) else value
    return None
