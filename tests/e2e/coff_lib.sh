# Helpers for the COFF end-to-end tests (coff_*.sh), on the corpus that
# build_coff_corpus.sh writes into $CORPUS/coff/. Sourced after lib.sh (the
# fixture sources it alone, with COFF_FIXTURE=1).
COFF=$CORPUS/coff
export WINEPREFIX=$COFF/wine WINEDEBUG=-all
WINE=/usr/lib/wine/wine64
[ -n "${COFF_FIXTURE:-}" ] && source "$(dirname "${BASH_SOURCE[0]}")/wine_lib.sh"
if [ -z "${COFF_FIXTURE:-}" ]; then
  [ -f "$COFF/msvc/host.obj" ] && [ -f "$COFF/rust/libplug3.a" ] ||
    fail "no COFF corpus in $COFF (the e2e.build_coff_corpus fixture)"
fi
# The MSVC-style plugins' API (plugN_keep is kept by a /INCLUDE: directive,
# plugN_dead is dead, the rest is internal).
MSVC_API_RE='^plug[0-9]_(run|version)$'
# The Rust plugins' #[no_mangle] functions.
RUST_API_RE='^plug[0-9]_'

# coff_members MODE ARCHIVE: the archive's members, from its bytes (linker
# members "/" and "//" left out), one a line:
#   list           "name kind sha256" (kind: object, import (a short import
#                  member: IMPORT_OBJECT_HDR), other), in archive order
#   short-imports  "name sha256 symbol" of each short import member
#   offsets        "name kind data_offset size" (to damage a member in place)
#   linker         "count" of the first linker member's symbols, then its
#                  offset in the file (to patch it)
coff_members() {
  python3 - "$@" <<'PY'
import signal; signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quiet when the reader stops
import hashlib, struct, sys
mode, path = sys.argv[1], sys.argv[2]
d = open(path, "rb").read()
if d[:8] != b"!<arch>\n":
    sys.exit("%s: not an archive" % path)
off, longnames, rows, first_linker = 8, b"", [], None
while off + 60 <= len(d):
    raw, size = d[off:off + 16].rstrip(b" "), int(d[off + 48:off + 58])
    data = off + 60
    body = d[data:data + size]
    if raw == b"/":
        if first_linker is None:
            first_linker = data
    elif raw == b"//":
        longnames = body
    elif raw != b"/SYM64/":
        if raw.startswith(b"/") and raw[1:].isdigit():
            k = int(raw[1:])
            end = min(i for i in (longnames.find(b"\0", k), longnames.find(b"/\n", k), len(longnames)) if i >= 0)
            name = longnames[k:end]
        else:
            name = raw[:-1] if raw.endswith(b"/") else raw
        sig1, sig2, ver = struct.unpack_from("<HHH", body, 0) if len(body) >= 6 else (1, 1, 1)
        if sig1 == 0 and sig2 == 0xFFFF and ver == 0:
            kind = "import"
        elif len(body) >= 20 and struct.unpack_from("<H", body, 0)[0] in (0x8664, 0xAA64, 0x14C):
            kind = "object"
        else:
            kind = "other"
        rows.append((name.decode(), kind, hashlib.sha256(body).hexdigest(), body, data))
    off = data + size + (size & 1)
if mode == "list":
    for n, k, h, _, _ in rows:
        print(n, k, h)
elif mode == "offsets":
    for n, k, _, b, at in rows:
        print(n, k, at, len(b))
elif mode == "short-imports":
    for n, k, h, b, _ in rows:
        if k == "import":
            sym = b[20:].split(b"\0")[0].decode()
            print(n, h, sym)
elif mode == "linker":
    assert first_linker is not None, "no linker member"
    print(struct.unpack_from(">I", d, first_linker)[0], first_linker)
else:
    sys.exit("coff_members: mode " + mode)
PY
}

# msvc_link OUT LIBS...: the MSVC-style host (host.obj, or HOST=host2.obj)
# and LIBS with lld-link-19, no CRT, kernel32 through its import library;
# writes OUT.map (/map) and puts fakedll.dll beside OUT, so it runs.
msvc_link() {
  local out=$1; shift
  lld-link-19 /entry:main /nodefaultlib /subsystem:console /out:"$out" /map:"$out.map" \
    "$COFF/msvc/${HOST:-host.obj}" "$@" "$COFF/msvc/kernel32.lib" || return 1
  cp "$COFF/msvc/fakedll.dll" "$(dirname "$out")/"
}

# run_exe EXE OUT: runs a Windows program under wine; its stdout into OUT.
run_exe() {
  wine_run "$2" "$2.err" "$1" || { echo "exit status $? under wine: $(head -5 "$2.err" "$2")"; return 1; }
}

# same_run EXPECTED_OUT EXE WHAT: EXE runs under wine and prints EXPECTED_OUT.
same_run() {
  local why
  why=$(run_exe "$2" "$2.out") || fail "$3: $why"
  diff "$1" "$2.out" > "$2.out.diff" || fail "$3: prints other than the program linked from the originals: $(head -10 "$2.out.diff")"
}

# map_publics EXE: the public symbols of lld-link's map (EXE.map), as
# "name section-kind" (code/data from the section number: lld's map has
# Address Publics by Value Rva+Base Lib:Object), private suffixes
# back to the originals (original_names, $NAMES_MAPS), sorted, repeats kept.
map_publics() {
  NAMES_MAPS="$NAMES_MAPS" python3 - "$1.map" <<'PY'
import signal; signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quiet when the reader stops
import os, re, sys
orig = {}
for m in os.environ["NAMES_MAPS"].split():
    for line in open(m):
        short, _, name = line.rstrip("\n").partition("\t")
        orig[short] = name
rows, on = [], False
for line in open(sys.argv[1]):
    if "Publics by Value" in line:
        on = True; continue
    if on and line.strip().startswith("entry point"):
        break
    f = line.split()
    if on and len(f) >= 4 and re.match(r"^[0-9a-f]{4}:[0-9a-f]{8}$", f[0]):
        rows.append("%s %s" % (re.sub(r"\.slimlink\..*$", "", orig.get(f[1], f[1])), f[0].split(":")[0]))
print("\n".join(sorted(rows)))
PY
}

# imports EXE: the import table, "dll symbol" per line, sorted.
imports() {
  llvm-readobj-19 --coff-imports "$1" | awk '/Name: /{dll=$2} /Symbol: /{print dll, $2}' | sort
}

# link_order REPORT.json: the libraries of the report's link line (tokens
# ending in .lib or .a), in order.
link_order() {
  python3 - "$1" <<'PY'
import signal; signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quiet when the reader stops
import json, sys
d = json.load(open(sys.argv[1]))
print(" ".join(t for t in d["link_line"].split() if t.endswith((".lib", ".a"))))
PY
}

# outputs_of REPORT.json: each input's output (input order), then the
# common library.
outputs_of() {
  python3 - "$1" <<'PY'
import signal; signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quiet when the reader stops
import json, sys
d = json.load(open(sys.argv[1]))
print(" ".join([l["output"] for l in d["libraries"]] + [d["common"]["path"]]))
PY
}

# run_twice VERB DIR ARGS...: the verb into DIR with --json (DIR.json), and
# again into DIR.again; the outputs must be byte-identical.
run_twice() {
  local verb=$1 dir=$2; shift 2
  local rc=0
  "$SLIMLINK" "$verb" "$@" -o "$dir" --json > "$dir.json" 2> "$dir.err" || rc=$?
  [ "$rc" = 0 ] || fail "$verb: exit status $rc$( ((rc > 128)) && echo " (signal $((rc - 128)))"): $(head -5 "$dir.err")"
  "$SLIMLINK" "$verb" "$@" -o "$dir.again" --json > /dev/null 2>&1 || fail "$verb: the second run failed"
  diff -r "$dir" "$dir.again" > /dev/null || fail "$verb: outputs differ between two runs"
}

# bytes FILES...: their total size.
bytes() { stat -c %s "$@" | paste -sd+ | bc; }
