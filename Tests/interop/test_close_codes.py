"""A server's close code becomes the exit status (docs/reference/exit-codes.md).

The connection is held open by stdin (`cat | wsauth connect` style) so that
the server's close, not the end of input, is what ends it.
"""

from __future__ import annotations

import pytest

from wsauth_runner import KeepOpen


@pytest.mark.parametrize(
    "code,reason,exit_code,auth",
    [
        (4001, "token expired", 2, True),
        (4003, "forbidden", 2, True),
        (1008, "policy", 2, True),
        (1011, "oops", 6, False),
        (4000, "custom", 6, False),
        (1000, "done", 0, False),
        (1001, "going away", 0, False),
    ],
)
def test_server_close_code_to_exit_status(run_wsauth, bearer, code, reason, exit_code, auth):
    r = run_wsauth(
        "connect", bearer.url(), "--token", bearer.token, "--json",
        stdin=KeepOpen(f"close:{code}:{reason}\n"),
    )
    assert r.code == exit_code, r.describe()
    close = r.one("close")
    assert close["code"] == code
    assert close["reason"] == reason
    assert close["initiator"] == "server"
    assert close["auth"] is auth
    assert isinstance(close["meaning"], str) and close["meaning"].strip()
    rec = bearer.wait_ws_done()
    assert rec.close_code is not None, "the client answers the close (RFC 6455 §5.5.1)"
    if exit_code:
        assert str(code) in r.last_line, "the last stderr line names the close code"


def test_server_close_4001_human_output(run_wsauth, bearer):
    r = run_wsauth("connect", bearer.url(), "--token", bearer.token, stdin=KeepOpen("close:4001:token expired\n"))
    assert r.code == 2, r.describe()
    assert "4001" in r.last_line


def test_auth_close_codes_flag_replaces_the_list(run_wsauth, bearer):
    r = run_wsauth(
        "connect", bearer.url(), "--token", bearer.token, "--auth-close-codes", "4444", "--json",
        stdin=KeepOpen("close:4444:expired\n"),
    )
    assert r.code == 2, r.describe()
    assert r.one("close")["auth"] is True


@pytest.mark.parametrize("scenario,code,exit_code", [("close_4001", 4001, 2), ("close_1011", 1011, 6)])
def test_rogue_close_frames(run_wsauth, rogue, tokens, scenario, code, exit_code):
    r = run_wsauth("connect", rogue.url(scenario), "--token", tokens(), "--json", "--timeout", "20s", stdin=KeepOpen())
    assert r.code == exit_code, r.describe()
    close = r.one("close")
    assert (close["code"], close["initiator"]) == (code, "server")
    rec = rogue.wait_done()
    assert rec.close_received, f"client answered the close: {rec.outcome}"
    assert all(f.masked for f in rec.frames), "client frames are masked (RFC 6455 §5.3)"
