"""`wsauth serve --port 0` as a process for the OAuth tests: its URLs from the banner,
its (redacted) log in a file that tests read to learn what the server did."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable

from wsauth_runner import Result, WsauthRunner

WAIT = 60.0


class Serve:
    """`wsauth serve --port 0` as a process: URLs from its banner, its log in a file."""

    def __init__(self, binary: Path) -> None:
        self.log = tempfile.NamedTemporaryFile(prefix="serve-log-", delete=False)
        self.process = subprocess.Popen([str(binary), "serve", "--port", "0"], stdout=subprocess.PIPE,
                                        stderr=self.log, text=True)
        lines: list[str] = []

        def read() -> None:
            for line in self.process.stdout:
                lines.append(line)
                if "Ctrl-C" in line:
                    return

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        reader.join(timeout=30)
        banner = [l for l in lines if "listening on" in l]
        if not banner:
            self.stop()
            raise RuntimeError(f"wsauth serve did not start in 30 s: {''.join(lines)!r}")
        self.banner = "".join(lines)
        self.base = banner[0].split("listening on", 1)[1].strip().rstrip("/")
        self.ws = self.base.replace("http://", "ws://") + "/ws"

    def logged(self) -> str:
        return Path(self.log.name).read_text(errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        self.process.stdout.close()
        self.log.close()
        os.unlink(self.log.name)


def wait_for(condition: Callable[[], Any], what: str, timeout: float = WAIT) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def logged_user_code(serve: "Serve") -> str:
    found = re.findall(r"user code ([B-Z]{4}-[B-Z]{4})", serve.logged())
    return found[-1] if found else ""




class Background:
    """A wsauth run in a thread, so that the test can play the user meanwhile."""

    def __init__(self, run: WsauthRunner, args: list[str], env: dict[str, str | None]) -> None:
        self.result: Result | None = None
        self.error: BaseException | None = None

        def target() -> None:
            try:
                self.result = run(*args, env=env, timeout=WAIT + 30)
            except BaseException as exc:  # noqa: BLE001 - re-raised by finish()
                self.error = exc

        self.thread = threading.Thread(target=target, daemon=True)
        self.thread.start()

    def finish(self) -> Result:
        self.thread.join(WAIT + 60)
        assert not self.thread.is_alive(), "wsauth did not finish"
        if self.error:
            raise self.error
        assert self.result is not None
        return self.result
