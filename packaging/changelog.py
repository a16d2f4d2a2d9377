#!/usr/bin/env python3
"""The package's version and Debian changelog, both from CHANGELOG.md.

  changelog.py version            prints the version, after checking that CHANGELOG.md's top
                                  entry is the one in Sources/WSAuthKit/Version.swift
  changelog.py debian MAINTAINER  prints CHANGELOG.md's entries as a Debian changelog
                                  (Debian Policy §4.4), newest first

CHANGELOG.md entries look like "## 0.1.0 — 2026-12-07" followed by "- " bullets, whose
continuation lines are indented.
"""
import datetime
import email.utils
import pathlib
import re
import sys
import textwrap

ROOT = pathlib.Path(__file__).resolve().parent.parent
HEADING = re.compile(r"^## (\S+) — (\d{4}-\d{2}-\d{2})$")


def fail(message):
    sys.stderr.write("changelog: %s\n" % message)
    sys.exit(1)


def code_version():
    text = (ROOT / "Sources/WSAuthKit/Version.swift").read_text()
    match = re.search(r'static let string = "([^"]+)"', text)
    if not match:
        fail("no version string in Sources/WSAuthKit/Version.swift")
    return match.group(1)


def entries():
    """(version, date, [bullet text]) for each entry of CHANGELOG.md, newest first."""
    found = []
    for line in (ROOT / "CHANGELOG.md").read_text().splitlines():
        heading = HEADING.match(line)
        if heading:
            date = datetime.date.fromisoformat(heading.group(2))
            found.append((heading.group(1), date, []))
        elif found and line.startswith("- "):
            found[-1][2].append(line[2:].strip())
        elif found and line.startswith("  ") and found[-1][2]:
            found[-1][2][-1] += " " + line.strip()
        elif found and line.strip():
            fail("CHANGELOG.md: unexpected line in the %s entry: %r" % (found[-1][0], line))
    if not found:
        fail("CHANGELOG.md has no entry ('## VERSION — YYYY-MM-DD')")
    return found


def checked_version():
    version = code_version()
    top = entries()[0][0]
    if top != version:
        fail("CHANGELOG.md's top entry is %s but Version.swift says %s: add an entry for %s"
             % (top, version, version))
    return version


def debian(maintainer):
    out = []
    for version, date, bullets in entries():
        out.append("wsauth (%s) unstable; urgency=medium" % version)
        out.append("")
        for bullet in bullets:
            out += textwrap.wrap(bullet, width=78, initial_indent="  * ",
                                 subsequent_indent="    ", break_on_hyphens=False)
        out.append("")
        moment = datetime.datetime.combine(date, datetime.time(), datetime.timezone.utc)
        out.append(" -- %s  %s" % (maintainer, email.utils.format_datetime(moment)))
        out.append("")
    return "\n".join(out)


def main():
    if sys.argv[1:] == ["version"]:
        print(checked_version())
    elif len(sys.argv) == 3 and sys.argv[1] == "debian":
        checked_version()
        sys.stdout.write(debian(sys.argv[2]))
    else:
        fail("usage: changelog.py version | changelog.py debian MAINTAINER")


main()
