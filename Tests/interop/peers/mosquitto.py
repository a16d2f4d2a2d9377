"""A Mosquitto 2 broker of the test run's own, for `wsauth --app mqtt` against
a real MQTT broker (Debian's ``mosquitto``, scripts/install-deps.sh).

Started with its own config in a temp dir, never the system service: one
websockets listener on a free port of 127.0.0.1, a password file written with
``mosquitto_passwd`` (the user ``alice`` whose password is a JWT, as EMQX and
AWS IoT custom authorizers take one, plus ``bob`` with a plain password and
``carol`` whose password is another JWT) and an ACL (``chat/#`` read-write,
``news/#`` read-only, nothing else). ``lax=True``
instead allows anonymous clients and has no ACL: what ``audit`` must FAIL.
The broker's log (``log_type all``) is its record of each CONNECT: client id,
keepalive, user name, and whether the client said DISCONNECT.

``MosquittoLogins`` is a login endpoint for it: the login's access token is
alice's JWT and every refresh hands out carol's, so the user name of a CONNECT
(the token's ``sub``) in the broker's log says which token it carried.
"""

from __future__ import annotations

import getpass
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from aiohttp import web

from .loop_thread import LoopServer, LoopThread
from .socketio_peer import AiohttpPeer, TokenIssuer, make_jwt

BROKER = "/usr/sbin/mosquitto"


def available() -> str | None:
    if not Path(BROKER).exists() or shutil.which("mosquitto_passwd") is None:
        return "mosquitto is not installed (scripts/install-deps.sh installs it)"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mosquitto:
    def __init__(self, lax: bool = False) -> None:
        self.lax = lax
        self.dir = Path(tempfile.mkdtemp(prefix="wsauth-mosquitto-"))
        self.port = free_port()
        self.alice_token = make_jwt("alice", 600)
        self.bob_password = "bob-" + make_jwt("bob", 600)[-12:]
        self.carol_token = make_jwt("carol", 600)
        self._process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/mqtt"

    def start(self, timeout: float = 15.0) -> "Mosquitto":
        d = self.dir
        lines = [
            # Run as root, Mosquitto drops to the "mosquitto" user, which cannot read this dir.
            f"user {getpass.getuser()}",
            "per_listener_settings false",
            "persistence false",
            f"log_dest file {d / 'broker.log'}",
            "log_type all",
            "connection_messages true",
            # Mosquitto 2.0.11 exits ("Unable to start any listening sockets") with
            # websockets listeners alone: a plain one on loopback keeps it up.
            f"listener {free_port()} 127.0.0.1",
            f"listener {self.port} 127.0.0.1",
            "protocol websockets",
            # Without it libwebsockets binds every address, whatever the listener says.
            "socket_domain ipv4",
        ]
        if self.lax:
            lines.append("allow_anonymous true")
        else:
            passwords = d / "passwords"
            subprocess.run(["mosquitto_passwd", "-b", "-c", str(passwords), "alice", self.alice_token], check=True)
            subprocess.run(["mosquitto_passwd", "-b", str(passwords), "bob", self.bob_password], check=True)
            subprocess.run(["mosquitto_passwd", "-b", str(passwords), "carol", self.carol_token], check=True)
            (d / "acl").write_text("user alice\ntopic readwrite chat/#\ntopic read news/#\n\n"
                                   "user bob\ntopic readwrite chat/#\n\nuser carol\ntopic readwrite chat/#\n")
            lines += ["allow_anonymous false", f"password_file {passwords}", f"acl_file {d / 'acl'}"]
        (d / "mosquitto.conf").write_text("\n".join(lines) + "\n")
        self._process = subprocess.Popen([BROKER, "-c", str(d / "mosquitto.conf")],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self._process.poll() is not None:
                raise RuntimeError(f"mosquitto exited: {self._process.stderr.read().decode(errors='replace')}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("mosquitto did not listen within the bound")

    def stop(self) -> None:
        if self._process and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=5)
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> "Mosquitto":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- the broker's records -------------------------------------------------------

    def log(self) -> str:
        path = self.dir / "broker.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def wait_log(self, pattern: str, timeout: float = 10.0) -> re.Match:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            found = re.search(pattern, self.log())
            if found:
                return found
            time.sleep(0.1)
        raise AssertionError(f"no {pattern!r} in the broker's log:\n{self.log()}")

    def connects(self) -> list[dict]:
        """Every CONNECT the broker accepted: client id, protocol level, keepalive, user."""
        return [{"client": m[0], "level": int(m[1]), "keepalive": int(m[2]), "user": m[3]}
                for m in re.findall(r"New client connected from \S+ as (\S+) \(p(\d+), c\d+, k(\d+)(?:, u'([^']*)')?\)",
                                    self.log())]


class MosquittoLogins(AiohttpPeer, TokenIssuer, LoopServer):
    """``POST /auth/login`` (alice/wonderland) answering alice's JWT, and
    ``POST /auth/refresh`` answering carol's: both passwords of ``broker``."""

    def __init__(self, broker: Mosquitto) -> None:
        self.broker = broker
        self.ttl = 600
        self.issued: list[str] = []
        self.refreshes = 0
        self._refresh_tokens: dict[str, str] = {}
        self._thread = LoopThread("mosquitto-logins")
        self.port = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def token(self) -> str:
        return self.broker.carol_token if self.issued else self.broker.alice_token

    def start(self, timeout: float = 15.0) -> "MosquittoLogins":
        self._thread.start()

        async def up() -> None:
            app = web.Application()
            app.router.add_post("/auth/login", self._login)
            app.router.add_post("/auth/refresh", self._refresh)
            await self._listen(app)

        self._thread.call(up, timeout)
        self._server = self
        return self
