#!/usr/bin/env python3
"""Writes wsauth.1 (roff) from `wsauth --experimental-dump-help` (ArgumentParser's tool info JSON).

Kept free of dates and versions that change on their own, so that the check in
`make test` only fails when the parser changed.
"""
import json
import sys


def esc(text):
    text = (text or "").replace("\\", "\\e")
    lines = []
    for line in text.split("\n"):
        if line.startswith((".", "'")):
            line = "\\&" + line
        lines.append(line)
    return "\n".join(lines).replace("-", "\\-")


def names(arg):
    shown = []
    for name in arg.get("names", []):
        prefix = "-" if name["kind"] == "short" else "--"
        shown.append(prefix + name["name"])
    return ", ".join(shown)


def argument_lines(arg):
    if arg.get("shouldDisplay") is False:
        return []
    value = arg.get("valueName")
    if arg["kind"] == "positional":
        head = "\\fI" + esc(value or "value") + "\\fR"
    else:
        head = "\\fB" + esc(names(arg)) + "\\fR"
        if arg["kind"] == "option" and value:
            head += " \\fI" + esc(value) + "\\fR"
    out = [".TP", head]
    abstract = arg.get("abstract", "")
    default = arg.get("defaultValue")
    if default not in (None, "", "false", "[]"):
        abstract += " (default: %s)" % default
    out.append(esc(abstract))
    return out


def command_section(cmd, path):
    out = []
    full = " ".join(path)
    out.append('.SH "%s"' % esc(full.upper()) if len(path) > 1 else ".SH OPTIONS")
    if len(path) > 1:
        out.append(esc(cmd.get("abstract", "")))
        if cmd.get("discussion"):
            out += [".PP", esc(cmd["discussion"])]
    for arg in cmd.get("arguments", []):
        out += argument_lines(arg)
    for sub in cmd.get("subcommands", []):
        out += command_section(sub, path + [sub["commandName"]])
    return out


def main():
    info = json.load(sys.stdin)["command"]
    out = [
        '.TH WSAUTH 1 "" "wsauth" "User Commands"',
        ".SH NAME",
        "wsauth \\- " + esc(info.get("abstract", "")),
        ".SH SYNOPSIS",
        "\\fBwsauth\\fR \\fICOMMAND\\fR [\\fIOPTIONS\\fR]",
        ".SH DESCRIPTION",
        esc(info.get("discussion", "")),
        ".SH COMMANDS",
    ]
    for sub in info.get("subcommands", []):
        out += [".TP", "\\fB%s\\fR" % esc(sub["commandName"]), esc(sub.get("abstract", ""))]
    out += command_section(info, ["wsauth"])
    sys.stdout.write("\n".join(out) + "\n")


main()
