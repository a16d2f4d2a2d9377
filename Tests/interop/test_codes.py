"""`wsauth codes`: close codes explained."""

from __future__ import annotations

import re


def test_codes_4001(run_wsauth):
    r = run_wsauth("codes", "4001")
    assert r.code == 0, r.describe()
    assert re.search(r"expir|unauthori", r.text, re.I), r.describe()


def test_codes_1006(run_wsauth):
    r = run_wsauth("codes", "1006")
    assert r.code == 0, r.describe()
    assert re.search(r"abnormal", r.text, re.I), r.describe()


def test_codes_lists_the_registry(run_wsauth):
    r = run_wsauth("codes")
    assert r.code == 0, r.describe()
    for code in ("1000", "1002", "1007", "1008", "1011", "4001", "4401"):
        assert code in r.text, f"{code} missing from `wsauth codes`"


def test_codes_bad_argument_is_usage_error(run_wsauth):
    r = run_wsauth("codes", "not-a-code")
    assert r.code == 64, r.describe()
