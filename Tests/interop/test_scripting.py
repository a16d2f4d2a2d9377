"""--send / --expect / --count / --timeout / --close / --expect-close."""

from __future__ import annotations


def test_expect_matched(run_wsauth, bearer):
    r = run_wsauth("connect", bearer.url(), "--token", bearer.token, "--send", "x", "--expect", "^x$", "--json")
    assert r.code == 0, r.describe()
    assert [m["data"] for m in r.of("message")] == ["x"]


def test_expect_in_order_skipping_non_matching(run_wsauth, bearer):
    r = run_wsauth(
        "connect", bearer.url(), "--token", bearer.token,
        "--send", "alpha", "--send", "noise", "--send", "beta-1",
        "--expect", "^al", "--expect", r"beta-\d", "--timeout", "20s",
    )
    assert r.code == 0, r.describe()
    assert r.stdout.startswith(b"alpha\n")


def test_expect_never_matched_times_out_with_5(run_wsauth, bearer):
    r = run_wsauth(
        "connect", bearer.url(), "--token", bearer.token, "--send", "x",
        "--expect", "^never$", "--timeout", "2s", "--json",
    )
    assert r.code == 5, r.describe()
    assert 1.5 <= r.elapsed < 30, f"--timeout 2s took {r.elapsed:.1f}s"
    assert r.of("error")[-1]["kind"] == "timeout"
    assert [m["data"] for m in r.of("message")] == ["x"]


def test_count(run_wsauth, bearer):
    r = run_wsauth(
        "connect", bearer.url(), "--token", bearer.token,
        "--send", "a", "--send", "b", "--send", "c", "--count", "3",
    )
    assert r.code == 0, r.describe()
    assert r.stdout == b"a\nb\nc\n"
    assert bearer.wait_ws_done().close_code == 1000


def test_count_not_reached_times_out_with_5(run_wsauth, bearer):
    r = run_wsauth("connect", bearer.url(), "--token", bearer.token, "--send", "a", "--count", "2", "--timeout", "2s")
    assert r.code == 5, r.describe()
    assert r.stdout == b"a\n"
    assert r.elapsed < 30


def test_close_code_and_reason_reach_the_server(run_wsauth, bearer):
    r = run_wsauth(
        "connect", bearer.url(), "--token", bearer.token, "--send", "x", "--count", "1", "--close", "4000:bye"
    )
    assert r.code == 0, r.describe()
    rec = bearer.wait_ws_done()
    assert (rec.close_code, rec.close_reason) == (4000, "bye")
    assert rec.client_initiated_close


def test_expect_close_met(run_wsauth, bearer):
    r = run_wsauth(
        "connect", bearer.url(), "--token", bearer.token,
        "--send", "close:4001", "--expect-close", "4001", "--within", "5s", "--json",
    )
    assert r.code == 0, r.describe()
    close = r.one("close")
    assert (close["code"], close["initiator"]) == (4001, "server")


def test_expect_close_one_of_a_list(run_wsauth, bearer):
    r = run_wsauth(
        "connect", bearer.url(), "--token", bearer.token,
        "--send", "close:4003:gone", "--expect-close", "4001,4003", "--within", "5s",
    )
    assert r.code == 0, r.describe()


def test_expect_close_met_by_another_code_is_5(run_wsauth, bearer):
    r = run_wsauth(
        "connect", bearer.url(), "--token", bearer.token,
        "--send", "close:4001", "--expect-close", "4002", "--within", "5s", "--json",
    )
    assert r.code == 5, r.describe()
    assert r.one("close")["code"] == 4001


def test_expect_close_not_within_is_5(run_wsauth, bearer):
    r = run_wsauth(
        "connect", bearer.url(), "--token", bearer.token,
        "--send", "stay", "--expect-close", "4001", "--within", "2s",
    )
    assert r.code == 5, r.describe()
    assert 1.5 <= r.elapsed < 30
