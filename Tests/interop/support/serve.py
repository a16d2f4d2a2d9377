"""`wsauth serve --port 0` as a process: the one way the suite starts the reference server.

Its URLs come from the banner (read until "Ctrl-C stops the server.", bounded); its
(redacted) log goes to a file the tests can read to learn what the server did."""

from __future__ import annotations

import os
import re
import select
import subprocess
import tempfile
import time
from pathlib import Path

START_WITHIN = 30.0  # seconds; a loaded 2-core machine starts the server in ~1 s


class Serve:
    """`wsauth serve --port 0 FLAGS…`; a context manager, or call `stop()`."""

    def __init__(self, binary: Path | str, *flags: str) -> None:
        self.log = tempfile.NamedTemporaryFile(prefix="serve-log-", delete=False)
        self.process = subprocess.Popen([str(binary), "serve", "--port", "0", *flags],
                                        stdout=subprocess.PIPE, stderr=self.log)
        self.banner = self._read_banner()
        found = re.search(r"listening on (http://\S+)", self.banner)
        if not found:
            self.stop()
            raise RuntimeError(f"wsauth serve printed no address: {self.banner!r}")
        self.base = found.group(1).rstrip("/")
        self.port = int(self.base.rsplit(":", 1)[1])
        self.ws = self.base.replace("http://", "ws://") + "/ws"

    def _read_banner(self) -> str:
        deadline = time.monotonic() + START_WITHIN
        text = b""
        while b"Ctrl-C" not in text:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self.process.poll() is not None:
                self.stop()
                raise RuntimeError(f"wsauth serve did not start within {START_WITHIN:.0f} s: {text!r}")
            ready, _, _ = select.select([self.process.stdout], [], [], remaining)
            if ready:
                chunk = os.read(self.process.stdout.fileno(), 4096)
                if not chunk:
                    continue
                text += chunk
        return text.decode(errors="replace")

    def url(self, path: str) -> str:
        return self.base + path

    def logged(self) -> str:
        return Path(self.log.name).read_text(errors="replace")

    def descriptors(self) -> int:
        return len(os.listdir(f"/proc/{self.process.pid}/fd"))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        if self.process.stdout and not self.process.stdout.closed:
            self.process.stdout.close()
        if not self.log.closed:
            self.log.close()
            Path(self.log.name).unlink(missing_ok=True)

    def __enter__(self) -> "Serve":
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()
