"""The amqtt broker of ``amqtt_broker.py`` started in its own virtualenv
(``.venv-amqtt``, scripts/install-deps.sh) and the ``/auth/login`` and
``/auth/refresh`` endpoints whose JWTs it takes as the CONNECT password.

``skew`` makes the broker's clock run ahead of the issuer's: a token whose
``exp`` is nearer than that is expired for the broker though not for the client,
which then only learns it from CONNACK. ``records()`` reads what the broker
wrote for every CONNECT (client id, user name, password, verdict).
"""

from __future__ import annotations

import json
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from aiohttp import web

from .loop_thread import LoopServer, LoopThread
from .socketio_peer import AiohttpPeer, TokenIssuer, make_jwt

ROOT = Path(__file__).resolve().parents[3]
PYTHON = ROOT / ".venv-amqtt" / "bin" / "python"
SCRIPT = Path(__file__).with_name("amqtt_broker.py")


def available() -> str | None:
    if not PYTHON.exists():
        return ".venv-amqtt is missing (scripts/install-deps.sh creates it)"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AmqttBroker(AiohttpPeer, TokenIssuer, LoopServer):
    def __init__(self, skew: float = 0, ttl: float = 600, first_ttl: float | None = None) -> None:
        self.key = secrets.token_bytes(32)
        self.skew = skew
        self.ttl = ttl
        self.first_ttl = first_ttl
        self.issued: list[str] = []
        self.refreshes = 0
        self._refresh_tokens: dict[str, str] = {}
        self._thread = LoopThread("amqtt-tokens")
        self.port = 0
        self.mqtt_port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="wsauth-amqtt-"))
        self._process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.mqtt_port}/mqtt"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def token(self) -> str:
        ttl = self.first_ttl if self.first_ttl is not None and not self.issued else self.ttl
        return make_jwt("alice", ttl, self.key)

    def start(self, timeout: float = 20.0) -> "AmqttBroker":
        self._thread.start()

        async def up() -> None:
            app = web.Application()
            app.router.add_post("/auth/login", self._login)
            app.router.add_post("/auth/refresh", self._refresh)
            await self._listen(app)

        self._thread.call(up, timeout)
        self._server = self
        self._process = subprocess.Popen(
            [str(PYTHON), str(SCRIPT), str(self.mqtt_port), self.key.hex(), str(self.dir / "records.jsonl"), str(self.skew)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self._process.poll() is not None:
                raise RuntimeError(f"amqtt exited: {self._process.stderr.read()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.mqtt_port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("amqtt did not listen within the bound")

    def stop(self, timeout: float = 15.0) -> None:
        if self._process and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=5)
        super().stop(timeout)
        shutil.rmtree(self.dir, ignore_errors=True)

    def records(self) -> list[dict]:
        path = self.dir / "records.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []
