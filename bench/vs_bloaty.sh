#!/usr/bin/env bash
# `slimlink size` against Google's bloaty (built from source: bloaty is not
# packaged in Debian 12; see BENCHMARKS.md, "size against bloaty built from
# source", for how). Each comparison is ONE hyperfine run holding both tools'
# commands (-N, output to /dev/null, WARMUP warm-ups, RUNS runs), so both
# see the same machine load:
#   a. startup: `-d sections` on a tiny object (cc -O2 -c of one function);
#   b. a big shared library: `-d sections` and `-d symbols -n 10` - the
#      largest *.so* over 100 MB under /usr/lib (else rustup's
#      librustc_driver, else the largest .so found), and also rustup's
#      librustc_driver when it is there (a full .symtab: Debian's libraries
#      carry only .dynsym, which bloaty's symbols view does not read);
#   c. the first 200 regular ELF files of /usr/lib/x86_64-linux-gnu/*.so.*
#      (sorted, no symlinks) in one call, `-d symbols -n 10`; the two
#      tools' totals are compared;
#   d. slimlink alone: `size --duplicates` over the first 500 of them
#      against plain `size` of the same 500;
#   e. with DEBUG_BIN=FILE (an unstripped ELF with DWARF, e.g. from
#      bench/make_debug_binary.sh): FILE stripped, its debug info kept apart
#      (objcopy --only-keep-debug), both in the temp dir; `-d symbols`,
#      `-d compileunits` and `-d inlines` (-n 10) of the stripped file with
#      `--debug-file` (bloaty's `--debug-file=`).
# Prints the load average and a Markdown table: mean and median wall time,
# mean CPU (user + system), and slimlink / bloaty (< 1: slimlink faster).
# Usage: BLOATY=/path/to/bloaty [RUNS=10] [WARMUP=3] [DEBUG_BIN=FILE] bench/vs_bloaty.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BLOATY=${BLOATY:-/work/bloaty-build/bloaty}
SLIMLINK=${SLIMLINK:-$PWD/build/slimlink}
RUNS=${RUNS:-10}
WARMUP=${WARMUP:-3}
if [ ! -x "$BLOATY" ]; then
  echo "vs_bloaty.sh: no bloaty executable at '$BLOATY'." >&2
  echo "  Build bloaty from source (BENCHMARKS.md, 'size against bloaty built from source')" >&2
  echo "  and run with BLOATY=/path/to/bloaty." >&2
  exit 2
fi
[ -x "$SLIMLINK" ] || { echo "vs_bloaty.sh: no slimlink at '$SLIMLINK' (build it, or set SLIMLINK)" >&2; exit 2; }
command -v hyperfine > /dev/null || { echo "vs_bloaty.sh: hyperfine is needed (apt-get install hyperfine)" >&2; exit 2; }
((RUNS >= 10)) || { echo "vs_bloaty.sh: RUNS must be at least 10" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A copy, so that a rebuild of build/ during the run cannot change what is measured.
slimlink_built=$(stat -c %y "$SLIMLINK" | cut -d. -f1)
cp "$SLIMLINK" "$tmp/slimlink"
SLIMLINK_SRC=$SLIMLINK
SLIMLINK=$tmp/slimlink
is_elf() { [ -f "$1" ] && [ ! -L "$1" ] && [ "$(od -An -tx1 -N4 "$1" | tr -d ' ')" = 7f454c46 ]; }
mb() { echo "$(( $(stat -L -c %s "$1") / 1000000 )) MB"; }

# Inputs.
printf 'int tiny(int x) { return 3 * x + 1; }\n' > "$tmp/tiny.c"
cc -O2 -c "$tmp/tiny.c" -o "$tmp/tiny.o"

big=$(find /usr/lib -name '*.so*' -type f -size +100M -printf '%s %p\n' 2>/dev/null | sort -rn | head -1 | cut -d' ' -f2-)
rustc_driver=$(ls -S "$HOME"/.rustup/toolchains/*/lib/librustc_driver-*.so 2>/dev/null | head -1 || true)
[ -n "$big" ] || big=$rustc_driver
[ -n "$big" ] || big=$(find / -xdev -name '*.so*' -type f -printf '%s %p\n' 2>/dev/null | sort -rn | head -1 | cut -d' ' -f2-)
bigs=("$big")
[ -n "$rustc_driver" ] && [ "$rustc_driver" != "$big" ] && bigs+=("$rustc_driver")

libs=()
while read -r f; do
  is_elf "$f" && libs+=("$f")
  ((${#libs[@]} < 500)) || break
done < <(ls /usr/lib/x86_64-linux-gnu/*.so.* | sort)
libs200=("${libs[@]:0:200}")
((${#libs200[@]} == 200)) || { echo "vs_bloaty.sh: fewer than 200 ELF shared libraries" >&2; exit 2; }
# Both tools must read each of the 200 (a file either refuses is left out, and said so).
skipped=()
ok200=()
for f in "${libs200[@]}"; do
  if "$BLOATY" -d symbols -n 1 "$f" > /dev/null 2>&1 && "$SLIMLINK" size -d symbols -n 1 "$f" > /dev/null 2>&1; then
    ok200+=("$f")
  else
    skipped+=("$f")
  fi
done

# e: the stripped file and its debug file.
if [ -n "${DEBUG_BIN:-}" ]; then
  is_elf "$DEBUG_BIN" || { echo "vs_bloaty.sh: DEBUG_BIN=$DEBUG_BIN is not an ELF file" >&2; exit 2; }
  split_debug=$tmp/${DEBUG_BIN##*/}.debug
  split_bin=$tmp/${DEBUG_BIN##*/}
  objcopy --only-keep-debug "$DEBUG_BIN" "$split_debug"
  strip -o "$split_bin" "$DEBUG_BIN"
  objcopy --add-gnu-debuglink="$split_debug" "$split_bin"
fi

echo "# slimlink size vs bloaty"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(lscpu | sed -n 's/^Hypervisor vendor: *//p') guest"
echo "- load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- bloaty: $BLOATY ($("$BLOATY" --version 2>&1 | head -1))"
echo "- slimlink: $SLIMLINK_SRC (built $slimlink_built; HEAD $(git -C "$PWD" rev-parse --short HEAD 2>/dev/null || echo '?'))"
echo "- hyperfine: $WARMUP warm-ups, $RUNS runs per command, -N, output to /dev/null"
echo "- tiny object: $(stat -c %s "$tmp/tiny.o") bytes"
for f in "${bigs[@]}"; do echo "- big file: $f ($(mb "$f"))"; done
echo "- c: ${#ok200[@]} libraries ($(cat "${ok200[@]}" | wc -c | awk '{printf "%.0f MB", $1 / 1e6}')), ${libs200[0]##*/} .. ${libs200[199]##*/}"
for f in "${skipped[@]}"; do echo "  - left out (a tool refused it): $f"; done
[ -n "${DEBUG_BIN:-}" ] && echo "- e: ${DEBUG_BIN##*/} stripped ($(mb "$split_bin")) and its debug file ($(mb "$split_debug")), from $DEBUG_BIN ($(mb "$DEBUG_BIN"))"
echo "- d: ${#libs[@]} libraries ($(cat "${libs[@]}" | wc -c | awk '{printf "%.0f MB", $1 / 1e6}'))"
echo

# run NAME -- LABEL COMMAND [LABEL COMMAND ...]: one hyperfine run.
n=0
run() {
  local json="$tmp/run$((++n)).json" args=()
  while (($#)); do args+=(-n "$1" "$2"); shift 2; done
  hyperfine -N --style none --warmup "$WARMUP" --runs "$RUNS" --export-json "$json" "${args[@]}" > /dev/null 2> "$tmp/hf.err" \
    || { cat "$tmp/hf.err" >&2; exit 1; }
  echo "$json" >> "$tmp/runs"
}
q() { local IFS=' '; echo "$*"; }

run "a slimlink" "$SLIMLINK size -d sections $tmp/tiny.o" \
    "a bloaty" "$BLOATY -d sections $tmp/tiny.o"
i=0
for f in "${bigs[@]}"; do
  i=$((i + 1))
  run "b$i slimlink sections" "$SLIMLINK size -d sections $f" \
      "b$i bloaty sections" "$BLOATY -d sections $f" \
      "b$i slimlink symbols" "$SLIMLINK size -d symbols -n 10 $f" \
      "b$i bloaty symbols" "$BLOATY -d symbols -n 10 $f"
done
run "c slimlink" "$SLIMLINK size -d symbols -n 10 $(q "${ok200[@]}")" \
    "c bloaty" "$BLOATY -d symbols -n 10 $(q "${ok200[@]}")"
if [ -n "${DEBUG_BIN:-}" ]; then
  for v in symbols compileunits inlines; do
    run "e slimlink $v" "$SLIMLINK size -d $v -n 10 --debug-file $split_debug $split_bin" \
        "e bloaty $v" "$BLOATY -d $v -n 10 --debug-file=$split_debug $split_bin"
  done
fi
run "d size" "$SLIMLINK size $(q "${libs[@]}")" \
    "d duplicates" "$SLIMLINK size --duplicates $(q "${libs[@]}")"

echo "- load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

# Totals of c, from each tool's CSV (-n 10: the rows sum to the total).
"$SLIMLINK" size -d symbols -n 10 --csv "${ok200[@]}" > "$tmp/c_slimlink.csv"
"$BLOATY" -d symbols -n 10 --csv "${ok200[@]}" > "$tmp/c_bloaty.csv"

bignames=()
for f in "${bigs[@]}"; do bignames+=("${f##*/} ($(mb "$f"))"); done
ename=
[ -n "${DEBUG_BIN:-}" ] && ename="${DEBUG_BIN##*/} stripped ($(mb "$split_bin")) + debug file ($(mb "$split_debug"))"
python3 - "$tmp/runs" "$tmp/c_slimlink.csv" "$tmp/c_bloaty.csv" "${#ok200[@]}" "${#libs[@]}" "$ename" "${bignames[@]}" <<'PY'
import csv, json, sys
runs_file, c_slim, c_bloaty, n200, n500, ename, *bignames = sys.argv[1:]
r = {}
for path in open(runs_file).read().split():
    for x in json.load(open(path))["results"]:
        r[x["command"]] = x
ms = lambda s: f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"
cpu = lambda x: x["user"] + x["system"]
rows = [("a", "tiny object (`cc -c`, one function)", "-d sections", "a slimlink", "a bloaty")]
for i, name in enumerate(bignames, 1):
    rows.append(("b", name, "-d sections", f"b{i} slimlink sections", f"b{i} bloaty sections"))
    rows.append(("b", name, "-d symbols -n 10", f"b{i} slimlink symbols", f"b{i} bloaty symbols"))
rows.append(("c", f"{n200} system .so files, one call", "-d symbols -n 10", "c slimlink", "c bloaty"))
if ename:
    for v in ("symbols", "compileunits", "inlines"):
        rows.append(("e", ename, f"-d {v} -n 10 --debug-file", f"e slimlink {v}", f"e bloaty {v}"))
print("| case | input | view | slimlink mean / median | bloaty mean / median | slimlink CPU / bloaty CPU (mean) | slimlink ÷ bloaty: mean / median / CPU |")
print("|---|---|---|---|---|---|---|")
for case, inp, view, s, b in rows:
    S, B = r[s], r[b]
    print(f"| {case} | {inp} | `{view}` | {ms(S['mean'])} / {ms(S['median'])} | {ms(B['mean'])} / {ms(B['median'])} "
          f"| {ms(cpu(S))} / {ms(cpu(B))} | {S['mean'] / B['mean']:.2f}× / {S['median'] / B['median']:.2f}× / {cpu(S) / cpu(B):.2f}× |")
P, D = r["d size"], r["d duplicates"]
print()
print("| case | input | command | mean / median | CPU (mean) | ÷ plain `size` (mean / median) |")
print("|---|---|---|---|---|---|")
print(f"| d | {n500} system .so files | `slimlink size FILES` | {ms(P['mean'])} / {ms(P['median'])} | {ms(cpu(P))} | 1.00× |")
print(f"| d | {n500} system .so files | `slimlink size --duplicates FILES` | {ms(D['mean'])} / {ms(D['median'])} | {ms(cpu(D))} "
      f"| {D['mean'] / P['mean']:.2f}× / {D['median'] / P['median']:.2f}× |")

def totals(path):
    rows = list(csv.reader(open(path)))
    head = [h.lower() for h in rows[0]]
    vm = next(i for i, h in enumerate(head) if h.startswith("vm"))
    fs = next(i for i, h in enumerate(head) if h.startswith("file"))
    return sum(int(x[vm]) for x in rows[1:]), sum(int(x[fs]) for x in rows[1:]), rows[1:]
sv, sf, srows = totals(c_slim)
bv, bf, brows = totals(c_bloaty)
print()
print(f"c totals (sum of each tool's CSV rows): file size slimlink {sf:,} B, bloaty {bf:,} B ({(sf - bf) / bf:+.3%}); "
      f"VM size slimlink {sv:,} B, bloaty {bv:,} B ({(sv - bv) / bv:+.3%}).")
print("c top rows: slimlink " + ", ".join(f"{x[0]} {int(x[-1]):,}" for x in srows[:4])
      + "; bloaty " + ", ".join(f"{x[0]} {int(x[-1]):,}" for x in brows[:4]) + ".")
PY
