#!/usr/bin/env python3
"""Writes slimlink's man page (section 1) from its own --help texts, so the
page says what the binary says: make_man.py SLIMLINK OUT."""
import re
import subprocess
import sys

slimlink, out = sys.argv[1], sys.argv[2]


def help_of(*args):
    return subprocess.run([slimlink, *args, "--help"], capture_output=True,
                          text=True, check=True).stdout


def roff(text):
    # Lines starting with '.' or "'" would be requests; backslashes escapes.
    lines = []
    for line in text.rstrip().splitlines():
        line = line.replace("\\", "\\e")
        if line.startswith((".", "'")):
            line = "\\&" + line
        lines.append(line)
    return "\n".join(lines)


top = help_of()
verbs = re.findall(r"^  (\w+)\s{2,}", top.split("Subcommands:")[1], re.M)
version = subprocess.run([slimlink, "--version"], capture_output=True,
                         text=True).stdout.split()[-1]
page = [
    f'.TH SLIMLINK 1 "" "slimlink {version}" "User Commands"',
    ".SH NAME",
    "slimlink \\- where the bytes in Rust (and C/C++) binaries and static "
    "libraries go, and taking them out",
    ".SH SYNOPSIS",
    ".B slimlink",
    "[\\fIOPTIONS\\fR] \\fISUBCOMMAND\\fR ...",
    ".br",
    ".B slimlink help",
    "\\fISUBCOMMAND\\fR",
    ".SH DESCRIPTION",
    ".nf",
    roff(top),
    ".fi",
]
for verb in verbs:
    page += [f".SH {verb.upper()}", ".nf", roff(help_of(verb)), ".fi"]
page += [".SH SEE ALSO", "The README of the slimlink sources."]
with open(out, "w") as f:
    f.write("\n".join(page) + "\n")
