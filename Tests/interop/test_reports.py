"""The CI reports (docs/ci.md), read by readers written by others: `--junit` of probe
and connect parsed with junitparser, testcase by testcase against what the run did;
`audit --sarif` validated with jsonschema against the SARIF 2.1.0 schema of the OASIS
standard (fixtures/sarif-schema-2.1.0.json, from oasis-tcs/sarif-spec
sarif-2.1/schema/, commit e0583813964ec43cea53b6b531b402866095ed1f); the GitHub Actions
workflow commands and job summary only under GITHUB_ACTIONS=true; no secret in any
report."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import jsonschema
import pytest
from junitparser import Failure, JUnitXml, Skipped

from peers.audit_peer import AuditPeer
from peers.socketio_peer import SocketIOServer
from wsauth_runner import secret_forms

SCHEMA = Path(__file__).parent / "fixtures" / "sarif-schema-2.1.0.json"
EVERY_CHECK = [
    "plain-ws", "login-cookies", "no-credentials", "malformed-token", "tampered-signature", "alg-none",
    "placement-header", "placement-query", "placement-protocol", "placement-cookie", "placement-message",
    "origin-foreign", "origin-null", "origin-suffix", "origin-prefix", "origin-scheme",
    "watch-expiry", "expired-token", "after-logout",
]


def cases(path: Path) -> dict[str, tuple[str, str]]:
    """testcase name -> (pass|failure|skipped, message), as junitparser reads them."""
    xml = JUnitXml.fromfile(str(path))
    suites = list(xml) if isinstance(xml, JUnitXml) else [xml]
    assert len(suites) == 1, "one testsuite"
    found = {}
    for case in suites[0]:
        results = case.result
        if not results:
            found[case.name] = ("pass", "")
        elif isinstance(results[0], Failure):
            found[case.name] = ("failure", results[0].message)
        elif isinstance(results[0], Skipped):
            found[case.name] = ("skipped", results[0].message)
        else:
            found[case.name] = (type(results[0]).__name__, results[0].message)
    return found


def assert_no_secret(text: str, secrets: list[str]) -> None:
    for secret in secrets:
        for form in secret_forms(secret):
            assert form not in text, f"secret leaked into a report (form {form[:6]}…)"


def assert_pure_json_lines(stdout: bytes) -> None:
    """Under --json stdout is the event stream alone: no workflow command, no summary."""
    lines = stdout.decode().splitlines()
    assert lines
    for line in lines:
        assert isinstance(json.loads(line), dict), line


def escaped(text: str) -> str:
    """GitHub's escaping of a workflow command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


# ---------------------------------------------------------------- JUnit of connect and probe


def test_connect_junit_holds_a_testcase_per_step_with_the_failure_where_it_happened(run_wsauth, bearer, tmp_path):
    junit = tmp_path / "connect.xml"
    summary = tmp_path / "summary.md"
    r = run_wsauth(
        "connect", bearer.url(), "--token", bearer.token, "--send", "hello",
        "--expect", "hel", "--expect", "never-sent", "--count", "1", "--timeout", "2s",
        "--junit", str(junit), "--json", stdin="",
        # Outside Actions the summary variable alone does nothing.
        env={"GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert r.code == 5, r.describe()
    found = cases(junit)
    assert list(found) == ["handshake", "expect 1: hel", "expect 2: never-sent", "count 1"]
    assert found["handshake"][0] == "pass"
    assert found["expect 1: hel"][0] == "pass"
    assert found["expect 2: never-sent"][0] == "failure"
    assert "never-sent" in found["expect 2: never-sent"][1]
    assert found["count 1"][0] == "pass"
    assert_pure_json_lines(r.stdout)
    assert "::error" not in r.stderr and not summary.exists(), "nothing of Actions outside Actions"
    assert_no_secret(junit.read_text(), [bearer.token])


def test_a_refused_handshake_fails_its_testcase_and_skips_the_rest(run_wsauth, bearer, tokens, tmp_path):
    junit = tmp_path / "refused.xml"
    wrong = tokens()
    r = run_wsauth(
        "connect", bearer.url(), "--token", wrong, "--expect", "x", "--count", "2",
        "--expect-close", "4001", "--junit", str(junit), stdin="",
    )
    assert r.code == 2, r.describe()
    found = cases(junit)
    assert list(found) == ["handshake", "expect 1: x", "count 2", "expect-close 4001"]
    state, message = found["handshake"]
    assert state == "failure" and "HTTP 401" in message
    for name in ["expect 1: x", "count 2", "expect-close 4001"]:
        assert found[name] == ("skipped", "the handshake failed")
    text = junit.read_text()
    assert_no_secret(text, [wrong, bearer.token])
    assert "--junit" not in text, "the doctor hint leaves out --junit, which doctor does not take"


def test_expect_close_met_and_a_later_expect_never_looked_for(run_wsauth, bearer, tmp_path):
    junit = tmp_path / "close.xml"
    r = run_wsauth(
        "connect", bearer.url(), "--token", bearer.token, "--send", "close:4001:bye",
        "--expect-close", "4001", "--junit", str(junit), stdin="",
    )
    assert r.code == 0, r.describe()
    assert cases(junit) == {"handshake": ("pass", ""), "expect-close 4001": ("pass", "")}

    junit2 = tmp_path / "order.xml"
    r = run_wsauth(
        "connect", bearer.url(), "--token", bearer.token, "--send", "one",
        "--expect", "two", "--expect", "one", "--timeout", "1s", "--junit", str(junit2), stdin="",
    )
    assert r.code == 5, r.describe()
    found = cases(junit2)
    assert found["expect 1: two"][0] == "failure"
    assert found["expect 2: one"] == ("skipped", "--expect 1 was not met first")


def test_probe_junit_is_written_when_nothing_answers(run_wsauth, closed_port, tmp_path):
    junit = tmp_path / "probe.xml"
    r = run_wsauth("probe", f"ws://127.0.0.1:{closed_port}/ws", "--junit", str(junit))
    assert r.code == 4, r.describe()
    found = cases(junit)
    assert list(found) == ["handshake"] and found["handshake"][0] == "failure"
    assert r.last_line.strip() in found["handshake"][1]


def test_a_junit_path_that_cannot_be_written_is_a_usage_error(run_wsauth, tmp_path):
    r = run_wsauth("probe", "ws://127.0.0.1:9/ws", "--junit", str(tmp_path / "missing" / "x.xml"))
    assert r.code == 64, r.describe()
    assert "--junit" in r.last_line


def test_app_handshake_testcase_with_socketio(run_wsauth, tmp_path):
    with SocketIOServer() as server:
        good, forged = server.token(), server.token(key=b"not-the-key")
        junit = tmp_path / "app.xml"
        r = run_wsauth("connect", server.base, "--app", "socketio", "--token", good, "--expect", "welcome",
                       "--timeout", "20s", "--junit", str(junit), stdin="", secrets=[good])
        assert r.code == 0, r.describe()
        assert cases(junit) == {"handshake": ("pass", ""), "app handshake (socketio)": ("pass", ""),
                                "expect 1: welcome": ("pass", "")}

        refused = tmp_path / "refused.xml"
        r = run_wsauth("connect", server.base, "--app", "socketio", "--token", forged, "--expect", "welcome",
                       "--timeout", "20s", "--junit", str(refused), stdin="", secrets=[forged])
        assert r.code == 2, r.describe()
        found = cases(refused)
        assert found["handshake"] == ("pass", "")
        assert found["app handshake (socketio)"][0] == "failure"
        assert "invalid token" in found["app handshake (socketio)"][1]
        assert found["expect 1: welcome"] == ("skipped", "the socketio handshake failed")
        assert_no_secret(junit.read_text() + refused.read_text(), [good, forged])


# ---------------------------------------------------------------- GitHub Actions


def test_actions_get_one_error_command_after_the_last_line_and_a_summary(run_wsauth, bearer, tmp_path):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    # A close reason with % and the token in it: escaped for the runner, redacted everywhere.
    r = run_wsauth(
        "connect", bearer.url(), "--token", bearer.token, "--send", f"close:4000:50% {bearer.token}",
        "--json", stdin="", env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert r.code == 6, r.describe()
    lines = r.stderr.rstrip("\n").split("\n")
    command = lines[-1]
    assert [line for line in lines if line.startswith("::")] == [command]
    assert command.startswith("::error title=wsauth connect::"), r.describe()
    message = command.split("::", 2)[2]
    assert message == escaped(lines[-2]), "the last line, escaped per the runner's rules"
    assert "50%25" in message
    assert_pure_json_lines(r.stdout)
    text = summary.read_text()
    assert text.startswith("earlier step\n"), "appended, not replaced"
    assert "| handshake | ✅ pass |" in text and "Exit code 6" in text and "4000" in text
    assert_no_secret(text + r.stderr, [bearer.token])


def test_a_successful_run_in_actions_has_no_command_but_a_summary(run_wsauth, bearer, tmp_path):
    summary = tmp_path / "summary.md"
    r = run_wsauth(
        "connect", bearer.url(), "--token", bearer.token, "--send", "hi", "--expect", "hi",
        stdin="", env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert r.code == 0, r.describe()
    assert "::" not in r.stderr
    assert "| expect 1: hi | ✅ pass |" in summary.read_text()


# ---------------------------------------------------------------- audit: SARIF and annotations


@pytest.fixture
def leaky_peer(secret_registry):
    """Accepts a query-string token (WARN) and ignores Origin with a session cookie (FAIL)."""
    with AuditPeer(allow_query_token=True, ignore_origin=True) as peer:
        token, sid = peer.login(60)
        secret_registry += [token, sid]
        yield peer, token, sid


def test_audit_sarif_validates_and_holds_a_result_per_warn_and_fail(run_wsauth, leaky_peer, tmp_path):
    peer, token, sid = leaky_peer
    sarif = tmp_path / "audit.sarif"
    summary = tmp_path / "summary.md"
    r = run_wsauth(
        "audit", peer.ws_url, "--token-env", "T", "--session-cookie", f"sid={sid}",
        "--only", "placement,origin-foreign,origin-null", "--sarif", str(sarif), "--json",
        env={"T": token, "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert r.code == 7, r.describe()
    document = json.loads(sarif.read_text())
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft4Validator.check_schema(schema)
    jsonschema.Draft4Validator(schema).validate(document)

    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == EVERY_CHECK, "one rule per check, unselected ones included"
    assert all(rule["help"]["text"].endswith(".") for rule in rules)
    verdicts = {e["name"]: (e["verdict"], e["detail"]) for e in r.of("check")}
    expected = {name: ("error" if v == "fail" else "warning", d) for name, (v, d) in verdicts.items() if v in ("fail", "warn")}
    assert {res["ruleId"]: (res["level"], res["message"]["text"]) for res in run["results"]} == expected
    assert "warning" in {level for level, _ in expected.values()} and "error" in {level for level, _ in expected.values()}
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == peer.ws_url

    # One ::error per FAIL and one ::warning per WARN, and no other workflow command.
    commands = {}
    for line in r.stderr.splitlines():
        if line.startswith("::"):
            match = re.fullmatch(r"::(error|warning) title=wsauth audit ([a-z-]+)::(.*)", line)
            assert match, line
            assert match.group(2) not in commands, "one command per check"
            commands[match.group(2)] = (match.group(1), match.group(3))
    assert commands == {name: (level, escaped(detail)) for name, (level, detail) in expected.items()}, r.describe()
    assert_pure_json_lines(r.stdout)
    table = summary.read_text()
    assert "| origin-foreign | ❌ FAIL |" in table and "| placement-query | ⚠️ WARN |" in table
    assert_no_secret(sarif.read_text() + table + r.stderr, [token, sid])


def test_audit_outside_actions_prints_no_workflow_command(run_wsauth, leaky_peer, tmp_path):
    peer, token, sid = leaky_peer
    summary = tmp_path / "summary.md"
    r = run_wsauth(
        "audit", peer.ws_url, "--token-env", "T", "--only", "placement-query",
        env={"T": token, "GITHUB_ACTIONS": "false", "GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert r.code == 0, r.describe()
    assert "::warning" not in r.stderr and "::" not in r.text and not summary.exists()


@pytest.mark.parametrize("argv", [["connect", "--count", "-1", "ws://127.0.0.1:9/ws"], ["probe", "ftp://h/"]])
def test_a_usage_error_in_actions_is_annotated_too(wsauth_bin, tmp_path, argv):
    # Not through run_wsauth, whose rule of one stderr line for a usage error holds outside Actions.
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_STATE_HOME": str(tmp_path / "state"), "GITHUB_ACTIONS": "true"}
    done = subprocess.run([str(wsauth_bin), *argv], env=env, capture_output=True, text=True, timeout=30)
    assert done.returncode == 64, done.stderr
    lines = done.stderr.rstrip("\n").split("\n")
    assert len(lines) == 2, done.stderr
    assert lines[1] == f"::error title=wsauth {argv[0]}::" + escaped(lines[0])
    env.pop("GITHUB_ACTIONS")
    outside = subprocess.run([str(wsauth_bin), *argv], env=env, capture_output=True, text=True, timeout=30)
    assert outside.returncode == 64 and outside.stderr.count("\n") == 1, outside.stderr
