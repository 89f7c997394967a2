# Shared helpers for the end-to-end tests. Sourced; expects from ctest:
#   SLIMLINK  the CLI under test       SRC     the source tree
#   CORPUS    built Rust staticlibs    WORK    a scratch dir for this test
set -euo pipefail
: "${SLIMLINK:?}" "${SRC:?}" "${CORPUS:?}" "${WORK:?}"
rm -rf "$WORK" && mkdir -p "$WORK"
HOST_C="$SRC/examples/host/host.c"
source "$SRC/tests/e2e/wine_lib.sh"
LIBS=(alpha beta gamma)

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok: $*"; }

# link_host OUT LINKER CFLAGS ARCHIVES... : compile and link the C host.
link_host() {
  local out=$1 ld=$2 cflags=$3; shift 3
  # shellcheck disable=SC2086
  gcc -fuse-ld="$ld" $cflags "$HOST_C" "$@" -o "$out"
}

# original_names [MAP...] < NAMES: one name per line, shrink's private names
# back to the originals: TAG_<n> through the MAPs (DIR/<common>.names, lines
# "short<TAB>original"), NAME.slimlink.TAG (--keep-names) cut to NAME.
# NAMES_MAPS: the maps the format helpers (macho_lib.sh, coff_lib.sh) use.
NAMES_MAPS=""
original_names() {
  awk -v maps="$*" 'BEGIN {
      n = split(maps, m, " ")
      for (i = 1; i <= n; i++)
        while ((getline l < m[i]) > 0) { t = index(l, "\t"); orig[substr(l, 1, t - 1)] = substr(l, t + 1) }
    }
    { s = $0; if (s in orig) s = orig[s]; sub(/\.slimlink\..*$/, "", s); print s }'
}

# flag_for LIB: the host's -D switch that makes it call only LIB.
flag_for() { echo "-DUSE_$(echo "$1" | tr a-z A-Z)"; }

# json_get FILE EXPR: evaluate a Python expression over the parsed JSON `d`.
json_get() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

# armap_symbols ARCHIVE...: the symbols in the archives' indexes, sorted.
armap_symbols() {
  for a in "$@"; do llvm-nm-19 --print-armap "$a" 2>/dev/null; done |
    sed -n 's/^\(.*\) in .*$/\1/p' | sort -u
}

# size_json OUT FILE VIEWS [ARGS...]: `size --json` of FILE by VIEWS into OUT.
size_json() {
  local out=$1 file=$2 views=$3; shift 3
  "$SLIMLINK" size "$file" -d "$views" --json "$@" > "$out" || fail "size $file -d $views failed"
}

# size_sums JSON FILE [JSON FILE...]: checks that the rows of each `size
# --json` report, at every level, sum to the totals and the file size to
# FILE's size on disk; the first that does not is named. One python for all
# the pairs: a test that checks a hundred reports would spend seconds just
# starting python.
size_sums() {
  python3 - "$@" <<'PY'
import json, os, sys
args = sys.argv[1:]
for report, path in zip(args[::2], args[1::2]):
    d = json.load(open(report))
    size = os.path.getsize(path)
    assert d["file_size"] == size, f"{report}: file_size {d['file_size']} != {size} on disk"
    def check(rows, vm, fs, where):
        sv, sf = sum(r["vm_size"] for r in rows), sum(r["file_size"] for r in rows)
        assert (sv, sf) == (vm, fs), f"{report}: {where}: rows sum to vm {sv}, file {sf}; expected {vm}, {fs}"
        for r in rows:
            if "rows" in r:
                check(r["rows"], r["vm_size"], r["file_size"], where + " > " + r["name"])
    check(d["rows"], d["vm_size"], d["file_size"], "top")
PY
}

# load_vm_size ELF: the sum of the loaded segments' memory sizes, from llvm-readelf.
load_vm_size() {
  llvm-readelf-19 -lW "$1" |
    python3 -c 'import sys; print(sum(int(l.split()[5], 16) for l in sys.stdin if l.split()[:1] == ["LOAD"]))'
}

# chrome PAGE ARGS...: headless Chromium (Debian's, no network) on a local page.
chrome() {
  local page=$1; shift
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update \
    --disable-sync --user-data-dir="$(mktemp -d)" --window-size=1200,900 "$@" \
    "file://$page" 2> "$WORK/chromium.log"
}

# check_screenshot PNG: a 1200x900 PNG that is not blank.
check_screenshot() {
  [ -s "$1" ] || fail "no screenshot"
  python3 - "$1" <<'PY' || fail "screenshot looks blank"
import struct, sys, zlib
png = open(sys.argv[1], "rb").read()
assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
w, h = struct.unpack(">II", png[16:24])
assert (w, h) == (1200, 900), f"screenshot is {w}x{h}"
idat, pos = b"", 8
while pos < len(png):
    n, kind = struct.unpack(">I4s", png[pos:pos + 8])
    if kind == b"IDAT":
        idat += png[pos + 8:pos + 8 + n]
    pos += 12 + n
raw = zlib.decompress(idat)
# A blank or one-colour page compresses to almost nothing and has few byte values.
assert len(png) > 20000, f"PNG is only {len(png)} bytes"
assert len(set(raw)) > 100, f"only {len(set(raw))} distinct byte values"
print(f"screenshot {w}x{h}, {len(png)} bytes")
PY
}

# exports_exactly DIR FROM MODULE...: of --shared's outputs in DIR,
# libcommon.so's dynamic symbols are what the modules (DIR/MODULE.so)
# import from it (FROM=modules: the linked modules; shrink's are
# pruned, so that is exact) or what their slim libraries reference
# (FROM=archives: dedup's are not pruned, and the modules' --gc-sections
# drops some references); the modules define none of those, need
# libcommon.so and take something from it; and std is in libcommon.so only:
# its panic machinery's strings (RUST_BACKTRACE, which the default hook
# reads) are in no module. Names alone cannot show that: a module linked
# from the original staticlib defines its std under other names than
# shrink's (hidden, and short in libcommon.so), and with --no-as-needed it
# still needs libcommon.so.
exports_exactly() {
  local dir=$1 from=$2; shift 2
  local mods=("$@") p
  llvm-nm-19 -D --defined-only "$dir/libcommon.so" | awk '{print $3}' | sort > "$dir.exports"
  if [ "$from" = modules ]; then
    llvm-nm-19 -D --undefined-only $(printf "$dir/%s.so " "${mods[@]}") | awk 'NF==2 {print $2}' | sed 's/@.*//' | sort -u > "$dir.imports"
  else
    llvm-nm-19 --undefined-only $(printf "$dir/lib%s.a " "${mods[@]}") 2>/dev/null | awk 'NF==2 {print $2}' | sort -u > "$dir.imports"
  fi
  comm -23 "$dir.exports" "$dir.imports" > "$dir.unused"
  [ ! -s "$dir.unused" ] || fail "$dir: libcommon.so exports what no module imports: $(head -5 "$dir.unused")"
  [ -s "$dir.exports" ] || fail "$dir: libcommon.so exports nothing"
  for p in "${mods[@]}"; do
    llvm-nm-19 -D --defined-only "$dir/$p.so" | awk '{print $3}' | sort > "$dir.$p.defs"
    comm -12 "$dir.exports" "$dir.$p.defs" > "$dir.$p.both"
    [ ! -s "$dir.$p.both" ] || fail "$dir: $p.so defines what libcommon.so exports: $(head -3 "$dir.$p.both")"
    llvm-readelf-19 -d "$dir/$p.so" > "$dir.$p.dynamic" # not piped: grep -q and pipefail
    grep -q 'NEEDED.*\[libcommon.so\]' "$dir.$p.dynamic" ||
      fail "$dir: $p.so does not need libcommon.so"
    grep -q 'R.*PATH.*\[\$ORIGIN\]' "$dir.$p.dynamic" ||
      fail "$dir: $p.so does not look for libcommon.so beside itself"
    llvm-nm-19 -D --undefined-only "$dir/$p.so" | awk 'NF==2 {print $2}' | sed 's/@.*//' | sort -u |
      comm -12 - "$dir.exports" > "$dir.$p.taken"
    [ -s "$dir.$p.taken" ] || fail "$dir: $p.so takes nothing from libcommon.so (a std of its own?)"
    ! grep -qa RUST_BACKTRACE "$dir/$p.so" ||
      fail "$dir: $p.so carries std's panic machinery (RUST_BACKTRACE in its bytes): a second std"
  done
  grep -qa RUST_BACKTRACE "$dir/libcommon.so" ||
    fail "$dir: premise: libcommon.so holds no RUST_BACKTRACE, so its absence from the modules shows nothing"
}
