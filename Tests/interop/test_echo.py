"""Echo round trips through the websockets server, across the frame-length
boundaries of RFC 6455 §5.2 (7-bit, 16-bit, 64-bit lengths) up to 1 MiB."""

from __future__ import annotations

import base64
import os
import random
import re
import subprocess
import string

import pytest

from wsauth_runner import KeepOpen

SIZES = [0, 125, 126, 65535, 65536, 2**20]


def text_of(size: int) -> str:
    rng = random.Random(size)
    return "".join(rng.choices(string.ascii_letters + string.digits + " {}[]:,.-", k=size))


def binary_of(size: int) -> bytes:
    # Include every byte value, 0x0a and 0x00 in particular, so that a
    # newline added or a C-string cut would show.
    return (bytes(range(256)) * (size // 256 + 1))[:size] if size < 512 else os.urandom(size)


@pytest.mark.parametrize("size", SIZES)
def test_text_echo(run_wsauth, bearer, tmp_path, size):
    text = text_of(size)
    path = tmp_path / "msg.txt"
    path.write_bytes(text.encode())
    r = run_wsauth("connect", bearer.url(), "--token", bearer.token, "--send", f"@{path}", "--count", "1")
    assert r.code == 0, r.describe()
    assert r.stdout == text.encode() + b"\n", f"{len(r.stdout)} bytes back for {size}"
    rec = bearer.wait_ws_done()
    assert rec.messages == [("text", text.encode())]


@pytest.mark.parametrize("size", SIZES)
def test_text_echo_json(run_wsauth, bearer, tmp_path, size):
    text = text_of(size)
    path = tmp_path / "msg.txt"
    path.write_bytes(text.encode())
    r = run_wsauth("connect", bearer.url(), "--token", bearer.token, "--send", f"@{path}", "--count", "1", "--json")
    assert r.code == 0, r.describe()
    msg = r.one("message")
    assert (msg["type"], msg["data"], msg["size"]) == ("text", text, size)
    sent = r.one("sent")
    assert (sent["type"], sent["size"]) == ("text", size)


@pytest.mark.parametrize("size", SIZES)
def test_binary_echo_raw_stdout(run_wsauth, bearer, tmp_path, size):
    data = binary_of(size)
    path = tmp_path / "msg.bin"
    path.write_bytes(data)
    r = run_wsauth("connect", bearer.url(), "--token", bearer.token, "--send-binary", f"@{path}", "--count", "1")
    assert r.code == 0, r.describe()
    assert r.stdout == data, f"{len(r.stdout)} bytes on stdout for a {size}-byte binary message"
    assert bearer.wait_ws_done().messages == [("binary", data)]


@pytest.mark.parametrize("size", SIZES)
def test_binary_echo_json(run_wsauth, bearer, tmp_path, size):
    data = binary_of(size)
    path = tmp_path / "msg.bin"
    path.write_bytes(data)
    r = run_wsauth(
        "connect", bearer.url(), "--token", bearer.token, "--send-binary", f"@{path}", "--count", "1", "--json"
    )
    assert r.code == 0, r.describe()
    msg = r.one("message")
    assert msg["type"] == "binary" and msg["size"] == size
    assert base64.b64decode(msg["data_base64"]) == data


def test_binary_from_base64_argument(run_wsauth, bearer):
    data = b"\x00\x01\n\xff"
    r = run_wsauth(
        "connect", bearer.url(), "--token", bearer.token,
        "--send-binary", "base64:" + base64.b64encode(data).decode(), "--count", "1",
    )
    assert r.code == 0, r.describe()
    assert r.stdout == data
    assert bearer.wait_ws_done().messages == [("binary", data)]


def test_binary_as_base64(run_wsauth, bearer):
    data = bytes(range(40))
    r = run_wsauth(
        "connect", bearer.url(), "--token", bearer.token, "--send-binary", "base64:" + base64.b64encode(data).decode(),
        "--count", "1", "--binary-as", "base64",
    )
    assert r.code == 0, r.describe()
    assert base64.b64decode(r.stdout.strip()) == data


def test_pipe_mode_sends_each_line_and_closes_1000(run_wsauth, bearer):
    # printf 'hi\nthere\n' | wsauth connect URL --token T
    r = run_wsauth("connect", bearer.url(), "--token", bearer.token, stdin=b"hi\nthere\n")
    assert r.code == 0, r.describe()
    assert r.stdout == b"hi\nthere\n"
    rec = bearer.wait_ws_done()
    assert rec.texts == ["hi", "there"]
    assert rec.close_code == 1000 and rec.client_initiated_close


def test_pipe_mode_after_send(run_wsauth, bearer):
    r = run_wsauth("connect", bearer.url(), "--token", bearer.token, "--send", "first", stdin=b"second\n")
    assert r.code == 0, r.describe()
    assert r.stdout == b"first\nsecond\n"
    assert bearer.wait_ws_done().texts == ["first", "second"]


def test_pipe_mode_stays_open_while_stdin_is_open(run_wsauth, bearer):
    # The server closes when asked; wsauth must not have closed first.
    r = run_wsauth("connect", bearer.url(), "--token", bearer.token, stdin=KeepOpen(b"one\nclose:1000:bye\n"))
    assert r.code == 0, r.describe()
    assert r.stdout.startswith(b"one\n")
    rec = bearer.wait_ws_done()
    assert rec.server_close_code == 1000 and not rec.client_initiated_close


def test_binary_on_a_terminal_is_not_raw(run_wsauth, bearer):
    """stdout a terminal (stdin not): binary messages are shown as a hex dump."""
    import pty

    primary, secondary = pty.openpty()
    try:
        proc = subprocess.run(
            [str(run_wsauth.binary), "connect", bearer.url(), "--token", bearer.token,
             "--send-binary", "base64:" + base64.b64encode(b"\x00\x01\xfe\xff").decode(), "--count", "1"],
            stdin=subprocess.DEVNULL, stdout=secondary, stderr=subprocess.PIPE,
            env={**run_wsauth.base_env, "NO_COLOR": "1"}, timeout=60,
        )
        os.close(secondary)
        secondary = -1
        shown = b""
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(primary)
        if secondary >= 0:
            os.close(secondary)
    assert proc.returncode == 0, proc.stderr
    assert bearer.token.encode() not in shown + proc.stderr
    assert b"\x00\x01\xfe\xff" not in shown
    assert re.search(rb"00\s*01\s*fe\s*ff", shown, re.I), shown


def test_the_automatic_pong_to_a_server_ping_is_a_pong_out_event(run_wsauth, bearer):
    # The server (websockets) pings, and says "pong:…" only once our pong reached it.
    r = run_wsauth("connect", bearer.url(), "--token", bearer.token,
                   "--send", "ping:are-you-there", "--expect", "^pong:are-you-there$", "--json")
    assert r.code == 0, r.describe()
    pings = [(e["direction"], e["data"]) for e in r.of("ping")]
    pongs = [(e["direction"], e["data"]) for e in r.of("pong")]
    assert pings == [("in", "are-you-there")], r.describe()
    assert pongs == [("out", "are-you-there")], r.describe()
    kinds = [e["event"] for e in r.events if e["event"] in ("ping", "pong", "message")]
    assert kinds == ["ping", "pong", "message"], r.describe()
