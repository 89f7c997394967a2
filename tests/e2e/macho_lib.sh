# Helpers for the Mach-O end-to-end tests (macho_*.sh), on the corpus that
# build_macho_corpus.sh writes into $CORPUS/macho/. Sourced after lib.sh.
MACHO=$CORPUS/macho
[ -f "$MACHO/arm64/host.o" ] || fail "no Mach-O corpus in $MACHO (the e2e.build_macho_corpus fixture)"
API_RE='^_plug[0-9]+_(run|version)$'

# archs_of FILE: the architectures of a universal file (its slices, in file
# order), of a thin archive (its first Mach-O member) or of an object.
# (llvm-lipo-19 -archs crashes on thin archives.)
archs_of() {
  python3 - "$1" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
names = {0x01000007: "x86_64", 0x0100000C: "arm64"}
def cpu(obj):
    assert obj[:4] == b"\xcf\xfa\xed\xfe", "not a 64-bit Mach-O object"
    return names.get(struct.unpack_from("<i", obj, 4)[0] & 0xFFFFFFFF, "?")
if d[:4] == b"\xca\xfe\xba\xbe":
    n, = struct.unpack_from(">I", d, 4)
    print(" ".join(names.get(struct.unpack_from(">I", d, 8 + 20 * i)[0], "?") for i in range(n)))
elif d[:8] == b"!<arch>\n":
    off = 8
    while off + 60 <= len(d):
        name, size = d[off:off + 16], int(d[off + 48:off + 58])
        body, extra = d[off + 60:off + 60 + size], 0
        if name.startswith(b"#1/"):
            extra = int(name[3:])
        if body[extra:extra + 4] == b"\xcf\xfa\xed\xfe":
            print(cpu(body[extra:])); break
        off += 60 + size + (size & 1)
    else:
        print("none")
else:
    print(cpu(d))
PY
}

# set_archs SET: the architectures a set (arm64, x86_64, fat) links for.
set_archs() { if [ "$1" = fat ]; then echo arm64 x86_64; else echo "$1"; fi; }

# macho_link ARCH OUT [LDFLAGS...] -- ARCHIVES...: the C host and the archives,
# with ld64.lld-19 (no libSystem here: undefined symbols are looked up at run
# time, so a dropped definition shows in the symbol table, not as an error).
macho_link() {
  local arch=$1 out=$2; shift 2
  local flags=()
  while [ "$1" != -- ]; do flags+=("$1"); shift; done
  shift
  ld64.lld-19 -arch "$arch" -platform_version macos 11.0 11.0 -undefined dynamic_lookup \
    -e _main "${flags[@]}" "$MACHO/$arch/host.o" "$@" -o "$out" -map "$out.map"
}

# map_symbols PROGRAM: from the linker's map (PROGRAM.map), every symbol the
# program defines, as "section name size" (private suffixes taken off,
# sorted, repeats kept). Sizes are the atoms' own, without alignment
# padding, so they do not depend on link order.
map_symbols() {
  NAMES_MAPS="$NAMES_MAPS" python3 - "$1.map" <<'PY'
import os, re, sys
orig = {}  # shrink's short private names (original_names, $NAMES_MAPS)
for m in os.environ["NAMES_MAPS"].split():
    for line in open(m):
        short, _, name = line.rstrip("\n").partition("\t")
        orig[short] = name
part, sections, rows = None, [], []
for line in open(sys.argv[1]):
    if line.startswith("# Sections:"): part = "s"; continue
    if line.startswith("# Symbols:"): part = "y"; continue
    if line.startswith("#"):
        if part == "y" and not line.startswith("# Address"): part = None
        continue
    f = line.split()
    if part == "s" and len(f) == 4:
        sections.append((int(f[0], 16), int(f[1], 16), f[2] + "," + f[3]))
    elif part == "y" and len(f) >= 4:
        addr, size, name = int(f[0], 16), int(f[1], 16), f[-1]
        sec = next((n for a, s, n in sections if a <= addr < a + s), "?")
        rows.append("%s %s %d" % (sec, re.sub(r"\.slimlink\..*$", "", orig.get(name, name)), size))
print("\n".join(sorted(rows)))
PY
}

# code_size PROGRAM: the bytes of the functions in __TEXT,__text (map sizes).
code_size() { map_symbols "$1" | awk '$1 == "__TEXT,__text" { n += $3 } END { print n + 0 }'; }

# defined_names PROGRAM: every defined symbol's name, private names back to
# the originals (original_names, $NAMES_MAPS), sorted, repeats kept: a
# duplicated function shows twice, a dropped one not at all.
defined_names() {
  # shellcheck disable=SC2086
  llvm-nm-19 --defined-only -j "$1" | original_names $NAMES_MAPS | sort
}

# personalities PROGRAM: how many personality routines compact unwind names.
personalities() {
  llvm-objdump-19 --macho --unwind-info "$1" |
    sed -n 's/^ *Personality functions: (count = \([0-9]*\)).*/\1/p' | head -1
}

# thin_slice FILE ARCH OUT: one slice of a universal file (a thin file as is).
thin_slice() {
  if [ "$(archs_of "$1")" = "$2" ]; then cp "$1" "$3"; else llvm-lipo-19 -thin "$2" "$1" -output "$3"; fi
}

# link_order REPORT.json ARCH: the archives of the report's link line, in
# order (a universal set's report has one per slice: "slices": [{"arch",
# "report"}]).
link_order() {
  python3 - "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
if "link_line" not in d:
    d = next(s["report"] for s in d["slices"] if s["arch"] == sys.argv[2])
print(" ".join(t for t in d["link_line"].split() if t.endswith(".a")))
PY
}

# same_program EXPECTED ACTUAL WHAT: the two linked programs define the same
# symbols (names, with repeats: llvm-nm) with the same sizes in the same
# sections (the linker's map), and compact unwind names as many personalities.
same_program() {
  diff <(defined_names "$1") <(defined_names "$2") > "$2.names.diff" ||
    fail "$3: defined symbols differ from the program linked from the originals: $(head -20 "$2.names.diff")"
  diff <(map_symbols "$1") <(map_symbols "$2") > "$2.map.diff" ||
    fail "$3: symbol sizes differ from the program linked from the originals: $(head -20 "$2.map.diff")"
  local a b
  a=$(code_size "$1") b=$(code_size "$2")
  [ "$a" -gt 0 ] || fail "$3: no code at all"
  a=$(personalities "$1") b=$(personalities "$2")
  [ "$a" = "$b" ] || fail "$3: compact unwind names $b personality routines, $a from the originals"
}
