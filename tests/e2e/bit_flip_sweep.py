#!/usr/bin/env python3
"""Flips each bit of a byte range of one archive member, one flip at a time,
and runs slimlink verbs on each damaged copy (macho_bad_input.sh,
coff_bad_input.sh). Every run must end with status 0 or 1, never a signal
(status >= 128 from a shell, negative here), and every refusal must be one
error line naming the file and the member.

bit_flip_sweep.py SLIMLINK WORKDIR ARCHIVE MEMBER FIRST LAST BITS 'VERB [ARGS]'...
  MEMBER: the member's name (in a universal archive, its first slice that
  holds it); FIRST..LAST: the member's bytes to sweep (LAST excluded);
  BITS: "all" (every bit of each byte) or "one" (bit byte % 8 of each, for
  a sweep eight times shorter); each VERB runs as `slimlink VERB FLIPPED
  ARGS -o OUT` (strip, isolate, prune: OUT a file; others: a directory).
Prints one summary line; exit status 1 on any violation, listing them and
keeping each input that crashed in WORKDIR.
"""
import os
import shlex
import shutil
import struct
import subprocess
import sys


def members(d):
    """(name, data offset, size) of every member, thin or universal."""
    out = []

    def walk(base, end):
        off, longnames = base + 8, b""
        while off + 60 <= end:
            raw, size = d[off:off + 16].rstrip(b" "), int(d[off + 48:off + 58])
            data, n = off + 60, size
            if raw.startswith(b"#1/"):
                k = int(raw[3:])
                raw = d[data:data + k].rstrip(b"\0")
                data, n = data + k, n - k
            elif raw == b"//":
                longnames = d[data:data + size]
            elif raw.startswith(b"/") and raw[1:].isdigit():
                k = int(raw[1:])
                stop = min(i for i in (longnames.find(b"\n", k), longnames.find(b"\0", k),
                                      len(longnames)) if i >= 0)
                raw = longnames[k:stop].rstrip(b"/")
            else:
                raw = raw.rstrip(b"/") or raw
            out.append((raw.decode(errors="replace"), data, n))
            off += 60 + size + (size & 1)

    if d[:8] == b"!<arch>\n":
        walk(0, len(d))
    else:  # universal: fat_header and fat_arch are big-endian
        for i in range(struct.unpack(">I", d[4:8])[0]):
            _, _, off, size, _ = struct.unpack(">5I", d[8 + 20 * i:28 + 20 * i])
            walk(off, off + size)
    return out


def main():
    slim, work, archive, member, first, last, bits = sys.argv[1:8]
    first, last, verbs = int(first, 0), int(last, 0), [shlex.split(v) for v in sys.argv[8:]]
    d = open(archive, "rb").read()
    found = [m for m in members(d) if m[0] == member]
    if not found:
        sys.exit("no member %s in %s" % (member, archive))
    _, data, size = found[0]
    last = min(last, size)
    os.makedirs(work, exist_ok=True)
    bad = os.path.join(work, "flipped" + os.path.splitext(archive)[1])
    out = os.path.join(work, "out")
    runs, refused, problems = 0, 0, []
    for byte in range(first, last):
        for bit in range(8) if bits == "all" else [byte % 8]:
            b = bytearray(d)
            b[data + byte] ^= 1 << bit
            open(bad, "wb").write(b)
            for verb in verbs:
                shutil.rmtree(out, ignore_errors=True)
                os.makedirs(out)
                target = os.path.join(out, "x.a") if verb[0] in ("strip", "isolate", "prune") else out
                r = subprocess.run([slim, verb[0], bad] + verb[1:] + ["-o", target],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                runs += 1
                err = r.stderr.decode(errors="replace").strip().splitlines()
                where = "%s, byte %d bit %d" % (verb[0], byte, bit)
                if r.returncode < 0 or r.returncode >= 128:
                    keep = os.path.join(work, "crash-%s-%d.%d%s" % (verb[0], byte, bit,
                                                                    os.path.splitext(archive)[1]))
                    shutil.copy(bad, keep)
                    problems.append("%s: status %d (%s)" % (where, r.returncode, keep))
                elif r.returncode == 1:
                    refused += 1
                    if len(err) != 1 or not err[0].startswith("slimlink: error: " + bad) \
                            or member not in err[0]:
                        problems.append("%s: refusal does not name %s and %s: %s"
                                        % (where, bad, member, err[:3]))
                elif r.returncode != 0:
                    problems.append("%s: status %d: %s" % (where, r.returncode, err[:3]))
    print("%d runs over bytes %d..%d of %s in %s: %d refused with the member named"
          % (runs, first, last, member, os.path.basename(archive), refused))
    for p in problems[:20]:
        print("  " + p)
    if problems:
        print("  %d problems" % len(problems))
        sys.exit(1)


if __name__ == "__main__":
    main()
