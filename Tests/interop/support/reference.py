"""Third-party clients of the reference server (`requests`, `websockets`' sync client), for
the tests that hold `wsauth serve` to the protocols rather than to our own client."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import requests
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from support.serve import Serve

TOKEN_TTL = 2  # seconds: the access-token lifetime of `short_lived` servers
HTTP_TIMEOUT = 5


def short_lived(binary: Path | str, *flags: str) -> Serve:
    """`wsauth serve` whose access tokens live TOKEN_TTL seconds (later flags override)."""
    return Serve(binary, "--token-ttl", f"{TOKEN_TTL}s", *flags)


def login(server: Serve, user: str = "alice", password: str = "wonderland") -> requests.Response:
    response = requests.post(
        server.url("/auth/login"), json={"username": user, "password": password}, timeout=HTTP_TIMEOUT
    )
    assert response.status_code == 200, response.text
    return response


def tokens(server: Serve) -> tuple[str, str]:
    body = login(server).json()
    return body["access_token"], body["refresh_token"]


def ws(url: str, **options):
    return connect(url, open_timeout=5, close_timeout=3, **options)


def close_of(socket_, within: float):
    """The server's close frame, waiting at most `within` seconds."""
    deadline = time.monotonic() + within
    with pytest.raises(ConnectionClosed) as caught:
        while True:
            socket_.recv(timeout=max(0.01, deadline - time.monotonic()))
    return caught.value.rcvd
