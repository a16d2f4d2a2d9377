"""A RabbitMQ broker of the test run's own, with the Web-STOMP plugin, for
`wsauth --app stomp` against a real STOMP server.

Debian's ``rabbitmq-server`` (scripts/install-deps.sh) is started as a
non-system node: every directory, port and file it uses is in a temp dir
(RABBITMQ_* variables), its Erlang port mapper listens on a free port
(ERL_EPMD_PORT) and the Erlang cookie lives in that dir's HOME, so that it
neither collides with nor touches a system broker or another run. Web-STOMP
listens on 127.0.0.1 only. The default user is ``wsauth`` with a random
password. The ``rabbitmq_auth_backend_oauth2`` plugin is enabled before the
internal backend, with a random HS256 key (an ``oct`` JWK: jose wants its
``k``), so a JWT from ``jwt()`` logs in as the passcode, whatever the login. Starting takes 10–20 s on a loaded machine: the wait is bounded and
generous; ``stop()`` ends the node and its port mapper.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from aiohttp import web

from .loop_thread import LoopServer, LoopThread
from .socketio_peer import AiohttpPeer, TokenIssuer

SERVER = Path("/usr/lib/rabbitmq/bin/rabbitmq-server")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def available() -> str | None:
    """None when a broker can be started here, else why not."""
    if not SERVER.exists():
        return "rabbitmq-server is not installed (scripts/install-deps.sh installs it)"
    if shutil.which("epmd") is None:
        return "Erlang's epmd is not installed"
    return None


class RabbitMQ:
    def __init__(self) -> None:
        self.user = "wsauth"
        self.password = secrets.token_hex(12)
        self.signing_key = secrets.token_bytes(32)
        self.dir = Path(tempfile.mkdtemp(prefix="wsauth-rabbitmq-"))
        self.web_stomp_port = free_port()
        self.epmd_port = free_port()
        self._process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.web_stomp_port}/ws"

    def _env(self) -> dict[str, str]:
        d = self.dir
        env = {k: v for k, v in os.environ.items() if not k.startswith(("RABBITMQ_", "ERL_"))}
        env.update({
            "HOME": str(d),
            "ERL_EPMD_PORT": str(self.epmd_port),
            "RABBITMQ_NODENAME": f"wsauth{os.getpid()}@localhost",
            "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
            "RABBITMQ_NODE_PORT": str(free_port()),
            "RABBITMQ_DIST_PORT": str(free_port()),
            "RABBITMQ_MNESIA_BASE": str(d / "mnesia"),
            "RABBITMQ_LOG_BASE": str(d / "log"),
            "RABBITMQ_PID_FILE": str(d / "rabbitmq.pid"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(d / "enabled_plugins"),
            "RABBITMQ_CONFIG_FILE": str(d / "rabbitmq.conf"),
            "RABBITMQ_ADVANCED_CONFIG_FILE": str(d / "advanced.config"),
            "RABBITMQ_CONF_ENV_FILE": str(d / "rabbitmq-env.conf"),
        })
        return env

    def _write_config(self) -> None:
        (self.dir / "enabled_plugins").write_text("[rabbitmq_web_stomp,rabbitmq_auth_backend_oauth2].\n")
        key = _b64url(self.signing_key)
        (self.dir / "advanced.config").write_text(
            '[{rabbitmq_auth_backend_oauth2, [{resource_server_id, <<"rabbitmq">>}, {key_config, ['
            '{default_key, <<"wsauth">>}, {signing_keys, #{<<"wsauth">> => {map, #{'
            f'<<"kty">> => <<"oct">>, <<"alg">> => <<"HS256">>, <<"k">> => <<"{key}">>}}}}}}}}]}}]}}].\n')
        (self.dir / "rabbitmq-env.conf").write_text("")
        config = self.dir / "rabbitmq.conf"
        config.write_text("\n".join([
            f"web_stomp.tcp.port = {self.web_stomp_port}",
            "web_stomp.tcp.ip = 127.0.0.1",
            f"stomp.listeners.tcp.1 = 127.0.0.1:{free_port()}",
            f"default_user = {self.user}",
            f"default_pass = {self.password}",
            "loopback_users = none",
            "auth_backends.1 = rabbit_auth_backend_oauth2",
            "auth_backends.2 = rabbit_auth_backend_internal",
            "",
        ]))
        config.chmod(0o600)

    def jwt(self, lifetime: float, *, scope: str = "rabbitmq.read:*/* rabbitmq.write:*/* rabbitmq.configure:*/*",
            key: bytes | None = None) -> str:
        """An HS256 JWT for this broker (audience ``rabbitmq``) expiring ``lifetime`` s from now."""
        now = int(time.time())
        header = {"alg": "HS256", "typ": "JWT", "kid": "wsauth"}
        claims = {"sub": "alice", "aud": ["rabbitmq"], "iat": now, "exp": now + int(lifetime), "scope": scope}
        signed = f"{_b64url(json.dumps(header).encode())}.{_b64url(json.dumps(claims).encode())}"
        signature = hmac.new(key or self.signing_key, signed.encode(), hashlib.sha256).digest()
        return f"{signed}.{_b64url(signature)}"

    def start(self, timeout: float = 120.0) -> "RabbitMQ":
        self._write_config()
        log = open(self.dir / "server.out", "wb")
        self._process = subprocess.Popen([str(SERVER)], env=self._env(), stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                self.stop()
                raise RuntimeError(f"rabbitmq-server exited: {self.output()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.web_stomp_port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.5)
        output = self.output()
        self.stop()
        raise RuntimeError(f"Web-STOMP did not listen within {timeout}s: {output[-2000:]}")

    def output(self) -> str:
        path = self.dir / "server.out"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self._process is not None:
            if self._process.poll() is None:
                os.killpg(self._process.pid, signal.SIGTERM)
                try:
                    self._process.wait(30)
                except subprocess.TimeoutExpired:
                    os.killpg(self._process.pid, signal.SIGKILL)
                    self._process.wait(10)
            self._process = None
        # The node's port mapper outlives it (it is shared by design): end ours.
        subprocess.run(["epmd", "-kill"], env=self._env(), capture_output=True, timeout=10)
        shutil.rmtree(self.dir, ignore_errors=True)


class BrokerTokens(AiohttpPeer, TokenIssuer, LoopServer):
    """``/auth/login`` and ``/auth/refresh`` handing out JWTs for ``broker``; the
    login's token is signed with a foreign key, so that the broker refuses it
    although its ``exp`` is far away, and every refreshed one is good."""

    def __init__(self, broker: RabbitMQ, ttl: float = 300) -> None:
        self.broker = broker
        self.ttl = ttl
        self.issued: list[str] = []
        self.refreshes = 0
        self._refresh_tokens: dict[str, str] = {}
        self._thread = LoopThread("broker-tokens")
        self.port = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def token(self) -> str:
        return self.broker.jwt(self.ttl, key=None if self.issued else secrets.token_bytes(32))

    def start(self, timeout: float = 15.0) -> "BrokerTokens":
        self._thread.start()

        async def up() -> None:
            app = web.Application()
            app.router.add_post("/auth/login", self._login)
            app.router.add_post("/auth/refresh", self._refresh)
            await self._listen(app)

        self._thread.call(up, timeout)
        self._server = self
        return self
