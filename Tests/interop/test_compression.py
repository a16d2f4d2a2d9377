"""permessage-deflate (RFC 7692) against Python websockets with compression on:
echo at several sizes under each way a server can answer the offer, a server
without compression, answers the client must refuse, and a decompression bomb."""

from __future__ import annotations

import base64
import random
import sys
import urllib.parse
from pathlib import Path
from typing import Iterator

import pytest

from peers.deflate_server import CONFIGS, DeflateServer
from wsauth_runner import WsauthRunner

OFFER = "permessage-deflate; client_max_window_bits"
MIB = 2**20

# The same message goes out twice, so that the second one is compressed (and
# inflated) with the first one's window, or without it under no_context_takeover.
CASES = {
    "empty-text": ("text", b""),
    "short-text": ("text", b"Hello"),
    "text-125": ("text", b"x" * 125),
    "binary-70000-random": ("binary", random.Random(1).randbytes(70_000)),
    "text-1MiB-compressible": (
        "text",
        "".join(random.Random(2).choices(["token ", "expired ", "4001 ", "refresh "], k=MIB // 6)).encode()[:MIB],
    ),
    "binary-1MiB-random": ("binary", random.Random(3).randbytes(MIB)),
}

COMPRESSING = [name for name, settings in CONFIGS.items() if settings is not None]


@pytest.fixture(params=COMPRESSING)
def deflate_server(request: pytest.FixtureRequest) -> Iterator[DeflateServer]:
    with DeflateServer(request.param) as server:
        yield server


@pytest.fixture
def plain_server() -> Iterator[DeflateServer]:
    with DeflateServer("off") as server:
        yield server


def send_twice(run_wsauth, server: DeflateServer, tmp_path: Path, kind: str, data: bytes, *extra: str):
    path = tmp_path / "message"
    path.write_bytes(data)
    flag = "--send" if kind == "text" else "--send-binary"
    return run_wsauth(
        "connect", server.url(), "--compress", flag, f"@{path}", flag, f"@{path}", "--count", "2", "--json", *extra
    )


def answer_url(server: DeflateServer, answer: str) -> str:
    """The server answers the offer with `answer` in place of its own."""
    return server.url("/answer?ext=" + urllib.parse.quote(answer, safe=""))


def received(result) -> list[bytes]:
    out = []
    for message in result.of("message"):
        if message["type"] == "text":
            out.append(message["data"].encode())
        else:
            out.append(base64.b64decode(message["data_base64"]))
    return out


@pytest.mark.parametrize("case", list(CASES))
def test_echo_with_compression(run_wsauth, deflate_server, tmp_path, case):
    kind, data = CASES[case]
    r = send_twice(run_wsauth, deflate_server, tmp_path, kind, data)
    assert r.code == 0, r.describe()
    rec = deflate_server.wait_done()
    assert rec.offered == OFFER
    assert rec.answered and rec.answered.startswith("permessage-deflate")
    assert r.one("handshake")["extensions"] == [rec.answered]
    assert rec.messages == [(kind, data), (kind, data)], "the server inflated something else"
    assert received(r) == [data, data], "wsauth inflated something else"
    assert rec.close_code == 1000


def test_compressible_message_travels_compressed(run_wsauth, deflate_server, tmp_path):
    kind, data = CASES["text-1MiB-compressible"]
    r = send_twice(run_wsauth, deflate_server, tmp_path, kind, data)
    assert r.code == 0, r.describe()
    rec = deflate_server.wait_done()
    if deflate_server.config == "client_window_8":
        # zlib cannot compress with a 256-byte window: wsauth sends plain (RFC 7692 §6).
        assert rec.raw_received > 2 * len(data)
    else:
        assert rec.raw_received < len(data) // 2, f"{rec.raw_received} bytes on the wire for 2 MiB of text"


def test_compress_against_a_server_without_compression(run_wsauth, plain_server, tmp_path):
    kind, data = CASES["text-1MiB-compressible"]
    r = send_twice(run_wsauth, plain_server, tmp_path, kind, data)
    assert r.code == 0, r.describe()
    assert r.one("handshake")["extensions"] == []
    rec = plain_server.wait_done()
    assert rec.offered == OFFER and rec.answered is None
    assert rec.messages == [(kind, data), (kind, data)]
    assert rec.raw_received > 2 * len(data)


def test_no_offer_without_the_flag(run_wsauth, tmp_path):
    with DeflateServer() as server:
        r = run_wsauth("connect", server.url(), "--send", "hi", "--count", "1", "--json")
        assert r.code == 0, r.describe()
        assert r.one("handshake")["extensions"] == []
        assert server.wait_done().offered is None


def test_probe_shows_the_negotiated_extension(run_wsauth):
    with DeflateServer("server_no_context_takeover") as server:
        r = run_wsauth("probe", server.url(), "--compress", "--json")
        assert r.code == 0, r.describe()
        assert r.one("handshake")["extensions"] == ["permessage-deflate; server_no_context_takeover"]
        human = run_wsauth("probe", server.url(), "--compress")
        assert "extensions: permessage-deflate; server_no_context_takeover" in human.text


@pytest.mark.parametrize(
    "answer, rule",
    [
        ("permessage-deflate; server_max_window_bits=16", "server_max_window_bits=16 is not a window size"),
        ("permessage-deflate; server_max_window_bits=08", "server_max_window_bits=08 is not a window size"),
        ("permessage-deflate; client_max_window_bits", "client_max_window_bits needs a value"),
        ("permessage-deflate; x-turbo", 'unknown parameter "x-turbo"'),
        (
            "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
            'parameter "server_no_context_takeover" given twice',
        ),
        ("permessage-deflate, permessage-deflate", "accepted more than once"),
    ],
)
def test_an_answer_the_client_cannot_use_fails_the_handshake(run_wsauth, answer, rule):
    with DeflateServer() as server:
        r = run_wsauth("connect", answer_url(server, answer), "--compress", "--send", "hi", "--count", "1")
        assert r.code == 3, r.describe()
        assert rule in r.last_line and "RFC 7692" in r.last_line, r.describe()
        assert server.wait_done().messages == [], "nothing may be sent after a failed handshake"


def test_client_window_bits_answer_without_an_offer_fails(run_wsauth):
    """The offer is what went on the wire: here a -H offer without client_max_window_bits."""
    with DeflateServer() as server:
        r = run_wsauth(
            "connect", answer_url(server, "permessage-deflate; client_max_window_bits=10"),
            "-H", "Sec-WebSocket-Extensions: permessage-deflate", "--send", "hi", "--count", "1",
        )
        assert r.code == 3, r.describe()
        assert "client_max_window_bits was not offered" in r.last_line


# -- the decompression bomb ----------------------------------------------------

RSS_WRAPPER = """\
import os, subprocess, sys
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


@pytest.fixture
def measured(wsauth_bin: Path, tmp_path: Path, secret_registry: list[str]):
    """A runner whose runs record wsauth's peak RSS (KiB, from wait4) in `.peak_kib()`."""
    wrapper = tmp_path / "rss_wrapper.py"
    wrapper.write_text(RSS_WRAPPER)
    report = tmp_path / "peak_rss"
    launcher = tmp_path / "wsauth"
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{wrapper}" "{report}" "{wsauth_bin}" "$@"\n')
    launcher.chmod(0o755)
    runner = WsauthRunner(launcher, tmp_path / "home", secret_registry)
    runner.peak_kib = lambda: int(report.read_text())  # type: ignore[attr-defined]
    return runner


def test_a_one_gib_bomb_is_refused_with_1009_within_the_limit(measured):
    limit = 16 * MIB
    with DeflateServer() as server:
        baseline = measured(
            "connect", server.url(), "--compress", "--send", "hi", "--count", "1", "--max-message-size", str(limit)
        )
        assert baseline.code == 0, baseline.describe()
        baseline_kib = measured.peak_kib()
        server.wait_done()

    with DeflateServer() as server:
        r = measured(
            "connect", server.url("/bomb?mib=1024"), "--compress", "--count", "1",
            "--max-message-size", str(limit), "--json",
        )
        bomb_kib = measured.peak_kib()
        assert r.code == 3, r.describe()
        error = r.one("error")
        assert error["kind"] == "protocol" and "1009" in error["message"], r.describe()
        assert r.one("close")["code"] == 1009
        assert r.of("message") == []
        rec = server.wait_done()
        assert rec.close_code == 1009, "the server did not receive close 1009"

    # Inflating stops at the limit: the run costs the limit (the message buffer)
    # and the ~1 MiB compressed frame over a plain run, not the GiB it expands to,
    # nor twice the limit (a doubling buffer).
    extra_mib = (bomb_kib - baseline_kib) / 1024
    assert extra_mib < limit / MIB + 8, f"peak RSS {bomb_kib} KiB, {extra_mib:.1f} MiB over a plain run"


def test_a_message_inflating_to_exactly_the_limit_is_accepted(run_wsauth):
    with DeflateServer() as server:
        r = run_wsauth(
            "connect", server.url("/bomb?mib=4"), "--compress", "--count", "1", "--max-message-size", str(4 * MIB),
        )
        assert r.code == 0, r.describe()
        assert r.stdout == bytes(4 * MIB)
