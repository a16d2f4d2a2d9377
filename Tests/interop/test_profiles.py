"""Issue 16, a typed profile: every long flag of a command is a key of its profile
(docs/reference/profile-keys.md), read by the flag's own parser, the command line winning, and
bad values named with the file, the line and the key.

Peer: the websockets bearer server, which records every handshake.
"""

from __future__ import annotations

from peers.bearer_server import BearerServer
from support.home import write_config
from wsauth_runner import WsauthRunner


def config_path(run: WsauthRunner) -> str:
    return str(run.home / "config" / "wsauth" / "config.toml")


def test_the_flags_of_connect_are_settings(run_wsauth: WsauthRunner, bearer: BearerServer) -> None:
    write_config(run_wsauth, "[profiles.default]\n"
                 f'ws_url = "{bearer.url()}"\ntoken_env = "T"\nheader = ["X-Team: blue", "X-Build: 7"]\n'
                 'origin = "https://app.example"\nsend = ["hello"]\nexpect = ["^hello$"]\ncount = 1\n')
    result = run_wsauth("connect", env={"T": bearer.token})
    assert result.code == 0, result.describe()
    record = bearer.wait_done()
    assert record.header("authorization") == f"Bearer {bearer.token}"
    assert (record.header("x-team"), record.header("x-build"), record.header("origin")) == ("blue", "7", "https://app.example")
    assert record.texts == ["hello"]


def test_the_command_line_wins_and_one_secret_source_replaces_the_others(run_wsauth: WsauthRunner, bearer: BearerServer,
                                                                          tmp_path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(bearer.token + "\n")
    write_config(run_wsauth, "[profiles.default]\n"
                 f'ws_url = "{bearer.url()}"\ntoken_env = "UNSET_TOKEN_VARIABLE"\nheader = ["X-Team: blue"]\n')
    result = run_wsauth("probe", "--token-file", str(token_file), "-H", "X-Team: red", env={"UNSET_TOKEN_VARIABLE": None})
    assert result.code == 0, result.describe()
    record = bearer.wait_done()
    assert record.header("authorization") == f"Bearer {bearer.token}"
    assert [value for name, value in record.headers if name.lower() == "x-team"] == ["red"]


def test_a_login_profiles_user_is_not_a_stomp_login_for_probe(run_wsauth: WsauthRunner, bearer: BearerServer) -> None:
    write_config(run_wsauth, "[profiles.default]\n"
                 f'ws_url = "{bearer.url()}"\nuser = "alice"\npassword_env = "PW"\n')
    result = run_wsauth("probe", "--token-env", "T", env={"T": bearer.token, "PW": "wonderland"})
    assert result.code == 0, result.describe()
    assert bearer.wait_done().header("authorization") == f"Bearer {bearer.token}"


def test_a_bad_value_names_file_line_and_key(run_wsauth: WsauthRunner, bearer: BearerServer) -> None:
    write_config(run_wsauth, f'[profiles.default]\nws_url = "{bearer.url()}"\n\ntimeout = "soon"\n')
    result = run_wsauth("probe")
    assert result.code == 64
    assert result.stderr == (f"{config_path(run_wsauth)}:4: profiles.default.timeout: "
                             "The value 'soon' is invalid for '--timeout <DURATION>': "
                             "use a number with ms, s, m or h (e.g. 250ms, 10s, 5m)\n"), result.stderr
    # The command line's --timeout replaces the bad setting, so the command runs.
    fixed = run_wsauth("probe", "--timeout", "20s", "--token-env", "T", env={"T": bearer.token})
    assert fixed.code == 0, fixed.describe()
    # A LIST value is checked while parsing too, so its key is named.
    write_config(run_wsauth, '[profiles.default]\nauth_close_codes = [4001, "soon"]\n')
    codes = run_wsauth("connect", "ws://127.0.0.1:9/")
    assert (codes.code, codes.stderr) == (64, f"{config_path(run_wsauth)}:2: profiles.default.auth_close_codes: "
                                              "The value '4001,soon' is invalid for '--auth-close-codes <LIST>': "
                                              "use a comma-separated list of close codes\n"), codes.describe()
    write_config(run_wsauth, '[profiles.default]\ninsecure = "yes"\n')
    shape = run_wsauth("probe", "ws://127.0.0.1:9/")
    assert (shape.code, shape.stderr) == (64, f"{config_path(run_wsauth)}:2: profiles.default.insecure must be true or false\n")


def test_a_secret_value_or_show_secrets_cannot_be_set(run_wsauth: WsauthRunner) -> None:
    run_wsauth.secrets.append("tok-in-config-123")
    write_config(run_wsauth, '[profiles.ci]\ntoken = "tok-in-config-123"\n')
    result = run_wsauth("status")
    assert result.code == 64
    assert result.stderr == (f"{config_path(run_wsauth)}:2: 'token' cannot be set in [profiles.ci]: "
                             "a secret is not kept in config.toml; use token_env or token_file\n"), result.stderr
    write_config(run_wsauth, '[profiles.default]\nshow_secrets = true\n')
    shown = run_wsauth("status")
    assert shown.code == 64 and "'show_secrets' cannot be set" in shown.stderr, shown.describe()


def test_a_profiles_insecure_is_said_on_every_run_that_uses_it(run_wsauth: WsauthRunner, bearer: BearerServer) -> None:
    write_config(run_wsauth, f'[profiles.default]\nws_url = "{bearer.url()}"\ninsecure = true\n')
    warning = (f"warning: TLS certificates are not verified: profile default sets insecure = true "
               f"({config_path(run_wsauth)}:3); anyone on the path can pose as the server")
    for _ in range(2):
        result = run_wsauth("probe", "--token-env", "T", env={"T": bearer.token})
        assert result.code == 0, result.describe()
        assert result.stderr.splitlines().count(warning) == 1, result.stderr
    typed = run_wsauth("probe", "-k", "--token-env", "T", env={"T": bearer.token})
    assert typed.code == 0 and "not verified" not in typed.stderr, "-k typed for this run is not said back"
    assert "not verified" not in run_wsauth("codes", "4001").stderr, "a command that reads no profile"
    write_config(run_wsauth, f'[profiles.default]\nws_url = "{bearer.url()}"\ninsecure = false\n')
    off = run_wsauth("probe", "--token-env", "T", env={"T": bearer.token})
    assert off.code == 0 and "not verified" not in off.stderr
