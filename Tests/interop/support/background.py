"""Playing the user while wsauth waits: a wsauth run in a thread, bounded polling, and the
device code the reference server logged (support/serve.py)."""

from __future__ import annotations

import re
import threading
import time
from typing import Any, Callable

from support.serve import Serve
from wsauth_runner import Result, WsauthRunner

WAIT = 60.0


def wait_for(condition: Callable[[], Any], what: str, timeout: float = WAIT) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def logged_user_code(serve: Serve) -> str:
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
