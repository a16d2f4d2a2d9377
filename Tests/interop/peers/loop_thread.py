"""An asyncio event loop in a daemon thread, with bounded start and stop.

The peers run in-process so that tests can read what they recorded without
any IPC; the test thread itself blocks in subprocess calls, which release the
GIL, so the loop keeps serving while wsauth runs.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from typing import Any, Awaitable, Callable, TypeVar

T = TypeVar("T")


class LoopThread:
    def __init__(self, name: str) -> None:
        self._name = name
        self.loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    def start(self, timeout: float = 15.0) -> None:
        ready = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            self.loop = loop
            ready.set()
            try:
                loop.run_forever()
            finally:
                # Cancel whatever is left (handlers parked on a silent peer)
                # so that closing the loop does not warn about pending tasks.
                pending = asyncio.all_tasks(loop)
                for task in pending:
                    task.cancel()
                if pending:
                    loop.run_until_complete(
                        asyncio.gather(*pending, return_exceptions=True)
                    )
                loop.close()

        self._thread = threading.Thread(target=run, name=self._name, daemon=True)
        self._thread.start()
        if not ready.wait(timeout):
            raise RuntimeError(f"{self._name}: event loop did not start in {timeout}s")

    def call(self, factory: Callable[[], Awaitable[T]], timeout: float = 15.0) -> T:
        """Run a coroutine on the loop and wait (bounded) for its result."""
        assert self.loop is not None, "loop not started"
        future = asyncio.run_coroutine_threadsafe(factory(), self.loop)
        try:
            return future.result(timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise RuntimeError(f"{self._name}: loop call timed out after {timeout}s")

    def stop(self, timeout: float = 15.0) -> None:
        if self.loop is None or self._thread is None:
            return
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise RuntimeError(f"{self._name}: event loop did not stop in {timeout}s")
        self.loop = None
        self._thread = None


class Recorder:
    """Thread-safe list of per-connection records with a bounded wait."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._items: list[Any] = []

    def add(self, item: Any) -> None:
        with self._cond:
            self._items.append(item)
            self._cond.notify_all()

    def changed(self) -> None:
        with self._cond:
            self._cond.notify_all()

    def snapshot(self) -> list[Any]:
        with self._cond:
            return list(self._items)

    def wait_for(self, predicate: Callable[[list[Any]], Any], timeout: float, what: str) -> Any:
        """Wait until predicate(items) is truthy; return its value or raise."""
        with self._cond:
            result = self._cond.wait_for(lambda: predicate(list(self._items)), timeout)
            if not result:
                raise AssertionError(
                    f"peer never saw {what} within {timeout}s; records: {self._items!r}"
                )
            return result


class LoopServer:
    """What every in-process peer shares: a server started on a `LoopThread` by the
    subclass's `start()` (which sets `self._thread` and `self._server`), stopped within
    a bounded time, usable as a context manager."""

    _server: Any = None
    _thread: LoopThread

    async def _closing(self) -> None:
        """Runs after the server stopped accepting, before waiting for it to close."""

    def stop(self, timeout: float = 15.0) -> None:
        if self._server is None:
            return
        server = self._server

        async def down() -> None:
            server.close()
            await self._closing()
            await asyncio.wait_for(server.wait_closed(), timeout - 2)

        try:
            self._thread.call(down, timeout)
        finally:
            self._server = None
            self._thread.stop(timeout)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
