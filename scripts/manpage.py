#!/usr/bin/env python3
"""Writes a man page (roff) from `--experimental-dump-help` (ArgumentParser's tool info JSON):
wsauth.1 from `wsauth`, wsauth-serve.1 from `wsauth-serve`.

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
    name = info["commandName"]
    subcommands = info.get("subcommands", [])
    # ArgumentParser gives every root command a `help` subcommand; alone it makes no
    # COMMANDS section (wsauth-serve has only options).
    if [sub["commandName"] for sub in subcommands] == ["help"]:
        info = dict(info, subcommands=[])
        subcommands = []
    usage = "\\fICOMMAND\\fR [\\fIOPTIONS\\fR]" if subcommands else "[\\fIOPTIONS\\fR]"
    out = [
        '.TH %s 1 "" "wsauth" "User Commands"' % esc(name.upper()),
        ".SH NAME",
        esc(name) + " \\- " + esc(info.get("abstract", "")),
        ".SH SYNOPSIS",
        "\\fB%s\\fR %s" % (esc(name), usage),
        ".SH DESCRIPTION",
        esc(info.get("discussion", "")),
    ]
    if subcommands:
        out.append(".SH COMMANDS")
    for sub in subcommands:
        out += [".TP", "\\fB%s\\fR" % esc(sub["commandName"]), esc(sub.get("abstract", ""))]
    out += command_section(info, [name])
    sys.stdout.write("\n".join(out) + "\n")


main()
