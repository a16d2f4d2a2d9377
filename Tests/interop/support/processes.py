"""The aiohttp auth API (peers/auth_api.py) as a process, which several modules log in to."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

PEER = Path(__file__).resolve().parents[1] / "peers" / "auth_api.py"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Peer:
    """One auth_api.py process on a free loopback port."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen([sys.executable, str(PEER), "--port", "0", *args],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line: list[str] = []
        reader = threading.Thread(target=lambda: line.append(self.process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(timeout=15)
        if not line or not line[0].startswith("PORT "):
            self.stop()
            raise RuntimeError(f"auth_api.py did not start: {self.process.stderr.read() if self.process.poll() is not None else 'no PORT line in 15s'}")
        self.port = int(line[0].split()[1])
        self.base = f"http://127.0.0.1:{self.port}"

    def stats(self) -> dict:
        with urllib.request.urlopen(f"{self.base}/_stats", timeout=5) as answer:
            return json.loads(answer.read())

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

