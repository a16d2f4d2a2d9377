"""`connect --reconnect` without a terminal (issue 5): refresh once per expiry, keep
sending across reconnects, back off while the server is away, give up after --max-retries."""
import json
import socket
import subprocess
import sys
import time
from pathlib import Path

from support.home import Home, events
from support.serve import Serve

ECHO_SERVER = r"""
import asyncio, sys
from websockets.asyncio.server import serve
async def echo(ws):
    async for message in ws:
        await ws.send(message)
async def main():
    async with serve(echo, "127.0.0.1", int(sys.argv[1])):
        print("ready", flush=True)
        await asyncio.sleep(120)
asyncio.run(main())
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_echo(port: int) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-c", ECHO_SERVER, str(port)], stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "ready"
    return process


def stop(process: subprocess.Popen) -> None:
    process.kill()
    process.wait(timeout=10)


def read_event(client: subprocess.Popen, kind: str, deadline: float) -> dict:
    """Reads the client's JSON events until one of `kind` arrives (bounded)."""
    while time.monotonic() < deadline:
        line = Home.read_line(client)
        assert line, f"the client ended before a {kind} event"
        event = json.loads(line)
        if event["event"] == kind:
            return event
    raise AssertionError(f"no {kind} event in time")


def test_reconnect_refreshes_once_per_expiry_and_keeps_sending(tmp_path: Path) -> None:
    home = Home(tmp_path)
    # 4 s tokens: a refreshed one must outlive the refresh, the backoff (up to 1.25 s) and the
    # handshake on a loaded machine, then SessionMachine.provenAfter (1 s), or its close at
    # expiry reads as "the refreshed token was refused too".
    server = Serve(home.binary, "--token-ttl", "4s")
    try:
        base = server.base
        assert home.run("login", f"{base}/auth/login", "--user", "alice", "--password-env", "PASSWORD",
                        "--refresh-url", f"{base}/auth/refresh").returncode == 0
        lines = 32
        client = home.spawn("connect", base.replace("http://", "ws://") + "/ws", "--reconnect", "--expect",
                            f"^line {lines - 1}$", "--timeout", "60s", "--json")
        # Lines paced over ~19 s, so that several token lifetimes (4-5 s, exp is rounded up to
        # whole seconds, plus ~1 s of backoff each) pass while they are sent.
        for number in range(lines):
            client.stdin.write(f"line {number}\n")
            client.stdin.flush()
            time.sleep(0.6)
        out, err = home.finish(client, timeout=90)
        assert client.returncode == 0, err
        stream = events(out)
        sent = [e["data"] for e in stream if e["event"] == "sent"]
        assert sent == [f"line {n}" for n in range(lines)], "every line is sent, across the reconnects"
        expiries = [i for i, e in enumerate(stream) if e["event"] == "close" and e["code"] == 4001]
        assert len(expiries) >= 2, [(e["event"], e.get("code"), e.get("time")) for e in stream]
        for index in expiries:
            assert stream[index]["initiator"] == "server" and stream[index]["auth"] is True
            following = [e["event"] for e in stream[index + 1:] if e["event"] in ("refresh", "reconnect", "handshake")]
            assert following[:3] == ["refresh", "reconnect", "handshake"]
        # A 4 s token is inside connect's 30 s margin, so one refresh comes before the first
        # handshake too; after it, exactly one per expiry.
        first_handshake = next(i for i, e in enumerate(stream) if e["event"] == "handshake")
        refreshes = [e for e in stream[first_handshake:] if e["event"] == "refresh"]
        assert len(refreshes) == len(expiries), "one refresh per expiry"
        assert all(r["ok"] and r["rotated"] for r in refreshes)
        assert home.stored()["access_token"]  # the newest token was stored
    finally:
        server.stop()


def test_backoff_while_the_server_is_away_then_reconnect(tmp_path: Path) -> None:
    home = Home(tmp_path)
    port = free_port()
    server = start_echo(port)
    client = home.spawn("connect", f"ws://127.0.0.1:{port}/", "--reconnect", "--max-retries", "10",
                        "--expect", "^after$", "--timeout", "60s", "--json")
    try:
        deadline = time.monotonic() + 30
        client.stdin.write("before\n")
        client.stdin.flush()
        assert read_event(client, "message", deadline)["data"] == "before"
        stop(server)
        dropped = read_event(client, "close", deadline)
        assert dropped["code"] == 1006
        first = read_event(client, "reconnect", deadline)
        assert first["attempt"] == 1 and first["delay_ms"] > 0 and first["cause"]
        server = start_echo(port)
        client.stdin.write("after\n")
        client.stdin.flush()
        assert read_event(client, "handshake", deadline)["status"] == 101
        assert read_event(client, "message", deadline)["data"] == "after"
        client.stdin.close()
        _, err = home.finish(client, timeout=30)
        assert client.returncode == 0, err
    finally:
        client.kill()
        stop(server)


def test_server_never_returning_gives_up_after_max_retries(tmp_path: Path) -> None:
    home = Home(tmp_path)
    port = free_port()
    server = start_echo(port)
    client = home.spawn("connect", f"ws://127.0.0.1:{port}/", "--reconnect", "--max-retries", "2", "--json")
    try:
        deadline = time.monotonic() + 30
        client.stdin.write("hello\n")
        client.stdin.flush()
        read_event(client, "message", deadline)
        stop(server)
        out, err = home.finish(client, timeout=60)
        assert client.returncode == 4, err
        attempts = [e["attempt"] for e in events(out) if e["event"] == "reconnect"]
        assert attempts == [1, 2]
        error = [e for e in events(out) if e["event"] == "error"][0]
        assert error["exit_code"] == 4 and "gave up after 2" in error["message"]
    finally:
        client.kill()
