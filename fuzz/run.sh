#!/usr/bin/env bash
# Fuzzing campaign: builds the libFuzzer targets (clang-19, ASan + UBSan) in
# build-fuzz/, runs each with -fork on all cores for a number of executions
# or seconds, then minimizes every crash, leak, OOM or timeout and saves it
# under fuzz/regressions/<target>/, which the normal test suite replays.
#
#   fuzz/run.sh --runs 1000000            # each target, >= 1M executions
#   fuzz/run.sh --seconds 600 dedup       # one target
#   fuzz/run.sh --smoke                   # what scripts/test.sh runs
# --smoke is repeatable, so that CI sees what a developer sees: one
# process per target (no -fork), -seed=1, a fixed number of executions per
# target (about 15 s each here), from the seeds alone, address
# randomization off (dedup and size still drift a little; RELIABILITY.md).
# Options: --jobs N (default: nproc), --work DIR (default: build-fuzz/work;
# working corpora grow there and are not committed), --build DIR (a build
# tree configured with -DSLIMLINK_FUZZ=ON to use instead of build-fuzz/;
# scripts/test.sh passes its sanitizer build, so CI compiles once). FUZZ_FLAGS adds
# libFuzzer flags, e.g. FUZZ_FLAGS=-detect_leaks=0 (see RELIABILITY.md).
# Exits 1 if any target found a problem (after saving it).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
runs="" seconds="" smoke="" norand=() jobs=$(nproc) work=$ROOT/build-fuzz/work targets=() build=""
while (($#)); do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --smoke) smoke=1; shift ;;
    --jobs) jobs=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --build) build=$(realpath "$2"); shift 2 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ -n "$runs$seconds$smoke" ] || { echo "run.sh: give --runs N, --seconds S or --smoke" >&2; exit 2; }
work=$(realpath -m "$work") # the fuzzers run inside it
((${#targets[@]})) || targets=(read_archive read_object dedup rewrite edit_object size size_pdb api_file)

if [ -z "$build" ]; then
  build=$ROOT/build-fuzz
  cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++-19 \
    -DSLIMLINK_FUZZ=ON -DSLIMLINK_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build build-fuzz | grep -v '^\[' || true
fi

# Every UB report and every leak is a finding; tmpfs keeps dedup's temp
# files off the disk.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
[ -d /dev/shm ] && export TMPDIR=/dev/shm
limit=(); [ -n "$runs" ] && limit+=(-runs="$runs"); [ -n "$seconds" ] && limit+=(-max_total_time="$seconds")

found=0
mkdir -p "$work"
summary=$work/summary.txt
printf '%-14s %12s %8s %8s %8s %s\n' target executions cov ft seconds problems > "$summary"
for t in "${targets[@]}"; do
  bin=$build/fuzz/${t}_fuzzer
  dir=$work/$t
  mkdir -p "$dir/corpus" "$dir/artifacts"
  seeds=("$ROOT/fuzz/corpus/$t" "$ROOT/fuzz/regressions/$t")
  [ "$t" = read_archive ] && seeds+=("$ROOT/fuzz/corpus/edge")
  if [ -n "$smoke" ]; then
    # Executions per target for about 15 s each on this machine (leak
    # checks make dedup and rewrite slow). Recalibrated on 1 Dec 2026: the
    # Mach-O and COFF seeds had made the old counts take 40-50 s each.
    case $t in
      read_archive) n=120000 ;; read_object) n=500000 ;; size) n=60000 ;;
      dedup) n=2500 ;; rewrite) n=900 ;; edit_object) n=400000 ;; api_file) n=100000 ;;
      size_pdb) n=200000 ;; # 100,000 took 5 s under ASan (7 Dec 2026)
      *) n=10000 ;;
    esac
    rm -rf "$dir/corpus" "$dir/artifacts"; mkdir -p "$dir/corpus" "$dir/artifacts"
    mode=(-seed=1 -runs="$n" -reload=0)
    # Same addresses every run: LLVM's maps hash pointers, and their probe
    # paths are coverage that would steer the fuzzer differently each time.
    norand=(setarch "$(uname -m)" -R)
  else
    # -fork: jobs in child processes, so a crash does not stop the campaign.
    mode=(-fork="$jobs" -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1 "${limit[@]}")
  fi
  echo "== $t: ${mode[*]} ${FUZZ_FLAGS:-} (log: $dir/log)"
  start=$(date +%s)
  (cd "$dir" && ${norand[@]+"${norand[@]}"} "$bin" "${mode[@]}" -timeout=10 -rss_limit_mb=2048 ${FUZZ_FLAGS:-} \
     -artifact_prefix="$dir/artifacts/" corpus "${seeds[@]}") > "$dir/log" 2>&1 || true
  secs=$(($(date +%s) - start))
  # Status lines: "#<runs>: cov: <n> ft: <n> ..." (fork mode) or
  # "#<runs>  NEW|REDUCE|pulse|DONE  cov: <n> ft: <n> ..." (one process).
  last=$(grep -E '^#[0-9]+(:|\s+[A-Za-z]+)\s+cov:' "$dir/log" | tail -1 || true)
  execs=$(sed -E 's/^#([0-9]+).*/\1/' <<<"$last")
  cov=$(sed -E 's/.* cov: ([0-9]+).*/\1/' <<<"$last")
  ft=$(sed -E 's/.* ft: ([0-9]+).*/\1/' <<<"$last")

  # One regression per distinct failure: the error line and the first frame
  # outside the sanitizer runtime, libFuzzer and libc, with numbers removed.
  problems=() seen=""
  for a in "$dir"/artifacts/*; do
    [ -e "$a" ] || continue
    kind=$(basename "$a" | cut -d- -f1) # crash, leak, oom, timeout
    [ "$kind" = min ] && continue
    sig=$("$bin" "$a" 2>&1 | grep -E 'invariant violated|ERROR: (Address|Leak)Sanitizer|runtime error|LLVM ERROR|deadly signal|out-of-memory|timeout' -m1 -A40 |
      grep -vE '__sanitizer|__asan|__lsan|fuzzer::|libc\.so|raise|abort|pthread_kill' |
      grep -E 'invariant|ERROR|runtime error| in ' | head -2 | sed -E 's/0x[0-9a-f]+|[0-9]+//g; s/.* in //' | tr '\n' ' ') || true # the target exits non-zero: that is the point
    [ -n "$sig" ] || sig="does not reproduce alone"
    if grep -qxF "$sig" <<<"$seen"; then rm -f "$a"; continue; fi
    seen+="$sig"$'\n'
    # Smallest input that still fails the same way; keep the original if
    # minimizing does not work out (e.g. a flaky OOM).
    min=$dir/artifacts/min-$(basename "$a")
    "$bin" -minimize_crash=1 -max_total_time=60 -exact_artifact_path="$min" "$a" >/dev/null 2>&1 || true
    [ -s "$min" ] || cp "$a" "$min"
    name=$kind-$(sha1sum "$min" | cut -c1-12)
    cp "$min" "$ROOT/fuzz/regressions/$t/$name"
    problems+=("$name")
    echo "  $name: $sig" | tee -a "$dir/problems.txt"
    # The whole report, so a CI log alone shows what happened.
    { echo "--- $t: $name, as the target reports it:"; "$bin" "$min" 2>&1 | head -60; } >&2 || true
    rm -f "$a"
  done
  # A fuzzer that never printed a status line did not run: that is a failure.
  [ -n "$last" ] || { problems+=("did-not-run"); tail -5 "$dir/log" >&2; }
  ((${#problems[@]})) && found=1
  printf '%-14s %12s %8s %8s %8s %s\n' "$t" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$secs" \
    "${problems[*]:-none}" | tee -a "$summary"
done
echo "summary: $summary"
if ((found)); then
  echo "run.sh: problems saved under fuzz/regressions/ (the test suite replays them)" >&2
  exit 1
fi
