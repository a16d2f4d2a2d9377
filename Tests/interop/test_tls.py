"""wss:// against the websockets server with a trustme CA."""

from __future__ import annotations

import re

import pytest

CERT_PROBLEM = re.compile(r"certificat|x\.?509|self[- ]signed|issuer|verif", re.I)


def test_untrusted_certificate_is_exit_4(run_wsauth, bearer_tls):
    r = run_wsauth("probe", bearer_tls.url(), "--token", bearer_tls.token, "--json")
    assert r.code == 4, r.describe()
    assert r.of("error")[-1]["kind"] == "tls"
    assert CERT_PROBLEM.search(r.last_line), f"stderr must name a certificate problem\n{r.describe()}"
    assert bearer_tls.records.snapshot() == [], "no HTTP request may reach an untrusted server"


def test_untrusted_certificate_connect_human(run_wsauth, bearer_tls):
    r = run_wsauth("connect", bearer_tls.url(), "--token", bearer_tls.token, "--send", "x", "--count", "1")
    assert r.code == 4, r.describe()
    assert CERT_PROBLEM.search(r.last_line), r.describe()


def test_cacert_trusts_the_server(run_wsauth, bearer_tls, tls):
    r = run_wsauth(
        "connect", bearer_tls.url(), "--token", bearer_tls.token, "--cacert", str(tls.ca_pem),
        "--send", "secure", "--count", "1",
    )
    assert r.code == 0, r.describe()
    assert r.stdout == b"secure\n"


def test_insecure_skips_verification(run_wsauth, bearer_tls):
    r = run_wsauth("probe", bearer_tls.url(), "--token", bearer_tls.token, "-k", "--json")
    assert r.code == 0, r.describe()
    assert r.one("handshake")["status"] == 101


@pytest.mark.parametrize("how", ["resolve", "plain"])
def test_hostname_localhost_matches_the_certificate(run_wsauth, bearer_tls, tls, how):
    extra = ["--resolve", f"localhost:{bearer_tls.port}:127.0.0.1"] if how == "resolve" else []
    r = run_wsauth(
        "probe", bearer_tls.url(host="localhost"), "--token", bearer_tls.token, "--cacert", str(tls.ca_pem),
        *extra, "--json",
    )
    assert r.code == 0, r.describe()
    assert isinstance(r.one("handshake")["timings"]["tls_ms"], (int, float))


def test_wrong_hostname_is_exit_4(run_wsauth, bearer_tls, tls):
    # The certificate is for 127.0.0.1 and localhost, not this name.
    r = run_wsauth(
        "probe", f"wss://wrong.example:{bearer_tls.port}/ws", "--token", bearer_tls.token,
        "--cacert", str(tls.ca_pem), "--resolve", f"wrong.example:{bearer_tls.port}:127.0.0.1",
    )
    assert r.code == 4, r.describe()
    assert CERT_PROBLEM.search(r.last_line) or "wrong.example" in r.last_line, r.describe()
