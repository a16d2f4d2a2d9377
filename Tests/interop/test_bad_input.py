"""Usage errors (64, exactly one stderr line) and network failures (4)."""

from __future__ import annotations

import pytest


def test_malformed_url(run_wsauth, tokens):
    r = run_wsauth("connect", "ws://", "--token", tokens())
    assert r.code == 64, r.describe()


def test_malformed_url_json_error_event(run_wsauth, tokens):
    r = run_wsauth("probe", "ws://", "--token", tokens(), "--json")
    assert r.code == 64, r.describe()
    assert r.of("error")[-1]["kind"] == "usage"


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/", "http//127.0.0.1/", "127.0.0.1:80 /x"])
def test_unknown_scheme_or_garbage(run_wsauth, tokens, url):
    r = run_wsauth("connect", url, "--token", tokens())
    assert r.code == 64, r.describe()


def test_header_without_colon(run_wsauth, tokens, closed_port):
    r = run_wsauth("connect", f"ws://127.0.0.1:{closed_port}/", "--token", tokens(), "-H", "NoColon")
    assert r.code == 64, r.describe()
    # The header is named, not some other usage error (the port is closed: a
    # header that slipped through would be exit 4, not 64).
    assert "invalid header 'NoColon'" in r.stderr.strip().splitlines()[-1], r.describe()


@pytest.mark.parametrize("form", [["--timeout", "-1s"], ["--timeout=-1s"], ["--timeout", "soon"]])
def test_bad_duration(run_wsauth, tokens, closed_port, form):
    r = run_wsauth("connect", f"ws://127.0.0.1:{closed_port}/", "--token", tokens(), *form)
    assert r.code == 64, r.describe()


@pytest.mark.parametrize("command,flag,choices", [
    (["connect", "ws://127.0.0.1:9/"], "--binary-as", "'raw', 'hex' or 'base64'"),
    (["refresh"], "--style", "'json' and 'oauth2'"),
    (["login"], "--grant", "'password', 'client_credentials', 'authorization_code' or 'device_code'"),
    (["connect", "ws://127.0.0.1:9/"], "--token-in", "'header', 'query', 'protocol', 'cookie' or 'message'"),
])
def test_bad_choice_is_one_line_naming_the_flag_and_the_choices(run_wsauth, command, flag, choices):
    r = run_wsauth(*command, flag, "bogus")
    assert r.code == 64, r.describe()
    assert r.stderr.strip() == (
        f"The value 'bogus' is invalid for '{flag} <{'PLACE' if flag == '--token-in' else 'STYLE' if flag != '--grant' else 'GRANT'}>'. "
        f"Please provide one of {choices}. (see 'wsauth --help')"), r.describe()


def test_bad_duration_names_the_flag_and_says_why_in_one_line(run_wsauth):
    r = run_wsauth("refresh", "--if-expiring-within", "soon")
    assert r.code == 64, r.describe()
    assert r.stderr.strip() == ("The value 'soon' is invalid for '--if-expiring-within <DURATION>': "
                                "use a number with ms, s, m or h (e.g. 250ms, 10s, 5m) (see 'wsauth --help')")
    count = run_wsauth("connect", "ws://127.0.0.1:9/", "--count=-1")
    assert (count.code, count.stderr.strip()) == (
        64, "The value '-1' is invalid for '--count <N>': use a whole number, 0 or more (see 'wsauth --help')")
    negative = run_wsauth("connect", "ws://127.0.0.1:9/", "--ping-interval=-2s")
    assert (negative.code, negative.stderr.strip()) == (
        64, "The value '-2s' is invalid for '--ping-interval <DURATION>': it must not be negative (see 'wsauth --help')")


@pytest.mark.parametrize("args,message", [
    (["audit", "ws://127.0.0.1:9/", "--token", "abc", "--expired-token-env", "WSAUTH_UNSET_X"],
     "--expired-token-env WSAUTH_UNSET_X: the environment variable is not set"),
    (["logout", "--revoke-url", "http://127.0.0.1:9/r", "--client-secret-file", "EMPTY"],
     "--client-secret-file EMPTY: the secret is empty"),
    (["login", "http://127.0.0.1:9/", "--user", "a", "--password-env", "A", "--password-stdin"],
     "give only one of --password-env, --password-file and --password-stdin"),
    (["connect", "ws://127.0.0.1:9/", "--token", "abc", "--token-file", "EMPTY"],
     "give only one of --token, --token-env, --token-file and --token-stdin"),
])
def test_every_secret_flag_reads_alike_and_names_itself(run_wsauth, tmp_path, args, message):
    empty = tmp_path / "empty"
    empty.write_text("\n")
    args = [str(empty) if a == "EMPTY" else a for a in args]
    r = run_wsauth(*args, stdin="")
    assert r.code == 64, r.describe()
    assert r.stderr.strip() == message.replace("EMPTY", str(empty)), r.describe()


def test_unknown_flag(run_wsauth, closed_port):
    r = run_wsauth("connect", f"ws://127.0.0.1:{closed_port}/", "--no-such-flag")
    assert r.code == 64, r.describe()


def test_bad_token_in_placement(run_wsauth, tokens, closed_port):
    r = run_wsauth("connect", f"ws://127.0.0.1:{closed_port}/", "--token", tokens(), "--token-in", "carrier-pigeon")
    assert r.code == 64, r.describe()


def test_connection_refused(run_wsauth, tokens, closed_port):
    r = run_wsauth("connect", f"ws://127.0.0.1:{closed_port}/ws", "--token", tokens(), "--json")
    assert r.code == 4, r.describe()
    assert r.of("error")[-1]["kind"] == "network"
    assert r.elapsed < 30


def test_connection_refused_probe(run_wsauth, tokens, closed_port):
    r = run_wsauth("probe", f"ws://127.0.0.1:{closed_port}/ws", "--token", tokens())
    assert r.code == 4, r.describe()
    assert "refused" in r.last_line.lower() or str(closed_port) in r.last_line
