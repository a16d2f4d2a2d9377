"""The rogue server breaks RFC 6455; wsauth must fail the connection (exit 3).

For frame-level violations the client fails the connection with close 1002
(protocol error) or 1007 (invalid UTF-8 in a text message) — RFC 6455 §7.1.7,
§5.2, §5.5, §8.1 — and the rogue records the code it got back. A broken
handshake (§4.1) is failed without a close frame: there only the exit code
and the stderr line are checked.
"""

from __future__ import annotations

import re

import pytest

from peers.rogue_server import EXPECTED_CLIENT_CLOSE, VIOLATIONS
from wsauth_runner import KeepOpen


@pytest.mark.parametrize("scenario", VIOLATIONS)
def test_frame_violation_fails_with_exit_3_and_close_code(run_wsauth, rogue, tokens, scenario):
    r = run_wsauth(
        "connect", rogue.url(scenario), "--token", tokens(), "--json", "--timeout", "20s", stdin=KeepOpen()
    )
    assert r.code == 3, r.describe()
    assert r.of("error")[-1]["kind"] == "protocol", r.describe()
    rec = rogue.wait_done()
    assert rec.close_received, f"expected a close frame from wsauth, got: {rec.outcome}\n{r.describe()}"
    assert rec.close_code == EXPECTED_CLIENT_CLOSE[scenario], r.describe()
    assert all(f.masked for f in rec.frames), "client frames are masked (RFC 6455 §5.3)"


def test_valid_frames_from_the_rogue_are_fine(run_wsauth, rogue, tokens):
    """Baseline: the hand-made handshake and frame are accepted."""
    r = run_wsauth("connect", rogue.url("ok"), "--token", tokens(), "--count", "1", "--timeout", "20s")
    assert r.code == 0, r.describe()
    assert r.stdout == b"hello\n"
    assert rogue.wait_done().close_code == 1000


@pytest.mark.parametrize(
    "scenario,names",
    [
        ("wrong_accept", r"accept"),
        ("unrequested_subprotocol", r"subprotocol|evil\.v1"),
    ],
)
def test_broken_handshake_fails_with_exit_3(run_wsauth, rogue, tokens, scenario, names):
    r = run_wsauth("connect", rogue.url(scenario), "--token", tokens(), "--timeout", "20s", stdin=KeepOpen())
    assert r.code == 3, r.describe()
    assert re.search(names, r.last_line, re.I), f"stderr's last line must name the problem\n{r.describe()}"
    rec = rogue.wait_done()
    assert all(f.opcode == 0x8 for f in rec.frames), "no data is sent on a failed handshake"


@pytest.mark.parametrize("scenario", ["wrong_accept", "unrequested_subprotocol"])
def test_broken_handshake_json_and_probe(run_wsauth, rogue, tokens, scenario):
    r = run_wsauth("probe", rogue.url(scenario), "--token", tokens(), "--json", "--timeout", "20s")
    assert r.code == 3, r.describe()
    assert r.of("error")[-1]["kind"] in ("handshake", "protocol")


@pytest.mark.parametrize("flag", [["--timeout", "2s"], ["-m", "2"], ["--max-time", "2"]])
def test_silent_server_times_out_with_5(run_wsauth, rogue, tokens, flag):
    r = run_wsauth("connect", rogue.url("silent"), "--token", tokens(), *flag, "--json", timeout=60)
    assert r.code == 5, r.describe()
    assert 1.5 <= r.elapsed < 30, f"{flag} took {r.elapsed:.1f}s"
    assert r.of("error")[-1]["kind"] == "timeout"
    assert rogue.wait_done().dropped


def test_silent_server_probe_times_out_with_5(run_wsauth, rogue, tokens):
    r = run_wsauth("probe", rogue.url("silent"), "--token", tokens(), "--timeout", "2s")
    assert r.code == 5, r.describe()
    assert r.elapsed < 30
