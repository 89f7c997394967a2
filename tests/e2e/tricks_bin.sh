#!/usr/bin/env bash
# slimlink tricks on the bundled CPU-bound binary (examples/rust-bin/crunch).
# Asserted from the numbers the report measured, nothing hard-coded:
#  - strip = "symbols" shrinks the file, run time within noise (the runs'
#    ranges, at least 3%; run time is CPU time, which load disturbs little);
#  - opt-level = "z" shrinks the code (.text) and changes the run time
#    (here it is slower; the point is that it moves beyond the noise);
#  - panic = "abort" removes the unwinding machinery (the panic_unwind crate);
#  - a nightly-only trick is listed as unavailable, with the reason;
#  - the --html page renders the scatter with the Pareto front in Chromium.
source "$(dirname "$0")/lib.sh"
export CARGO_NET_OFFLINE=true
[ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
"$SLIMLINK" tricks "$SRC/examples/rust-bin/crunch" --run 60 --runs 7 \
  --tricks strip-symbols,opt-z,panic-abort,build-std --work "$WORK/builds" \
  --json --html "$WORK/tricks.html" > "$WORK/report.json" 2> "$WORK/progress.txt"
grep -q "building opt-z" "$WORK/progress.txt" || fail "no progress lines"
python3 - "$WORK/report.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
v = {x["name"]: x for x in d["variants"]}
base = v["baseline"]
assert all(x["built"] and x["run_error"] == "" for x in v.values()), "a variant failed"
def noise(x):  # what jitter can explain: the runs' ranges, and at least 3%
    rng = lambda v: max(v["run_samples"]) - min(v["run_samples"])
    return max(0.03 * base["run_median"], (rng(base) + rng(x)) / 2)
def within(x):
    return abs(x["run_median"] - base["run_median"]) <= noise(x)
def change(x, name):
    return next((c["new_file"] - c["old_file"] for c in x["changes"] if c["name"] == name), None)
s = v["strip-symbols"]
assert s["file_size"] < base["file_size"], "strip = symbols did not shrink the file"
assert within(s), \
    f"strip changed run time: {s['run_median']:.3f} vs {base['run_median']:.3f}"
# Its symbols went, not std: no crate rows that would call that a saving.
assert s["crates_unknown"] and not v["opt-z"]["crates_unknown"], s
assert all(c["name"].startswith((".", "[")) for c in s["changes"]), \
    f"crate rows for a variant without symbols: {[c['name'] for c in s['changes']]}"
z = v["opt-z"]
text = change(z, ".text")
assert text is not None and text < 0, f"opt-z did not shrink .text: {text}"
assert not within(z), \
    f"opt-z run time {z['run_median']:.3f} vs {base['run_median']:.3f}: within noise"
# Beyond the test's noise (the larger), so beyond the report's too.
assert z["run_change"] in ("slower", "faster"), z["run_change"]
p = v["panic-abort"]
unwind = next((c for c in p["changes"] if c["name"] == "panic_unwind"), None)
assert unwind and unwind["old_file"] > 0 and unwind["new_file"] == 0, \
    f"panic = abort kept panic_unwind: {unwind}"
u = {x["name"]: x for x in d["unavailable"]}
assert "nightly" in u["build-std"]["reason"], u
assert any(x["pareto"] for x in v.values()), "no Pareto front"
print(f"strip-symbols {s['file_size'] - base['file_size']:+d} B, "
      f"run {s['run_median'] / base['run_median'] - 1:+.1%}; "
      f"opt-z .text {text:+d} B, run {z['run_median'] / base['run_median'] - 1:+.1%}; "
      f"panic-abort drops panic_unwind ({unwind['old_file']} B)")
PY

command -v chromium > /dev/null || fail "chromium is not installed (scripts/setup.sh installs it)"
if grep -Eiq '<(script|link|img)[^>]+(src|href)=|@import|url\(' "$WORK/tricks.html"; then
  fail "the page loads something from elsewhere"
fi
chrome "$WORK/tricks.html" --dump-dom > "$WORK/dom.html"
points=$(grep -o '<circle[^>]*class="point[^"]*"' "$WORK/dom.html" | wc -l)
front=$(grep -o 'class="point pareto"' "$WORK/dom.html" | wc -l)
[ "$points" = 4 ] || fail "scatter shows $points points, want 4"
[ "$front" -ge 1 ] || fail "no Pareto point marked"
grep -q 'data-name="opt-z"' "$WORK/dom.html" || fail "opt-z point missing"
labels=$(grep -o 'data-label="[^"]*"' "$WORK/dom.html" | sort -u | wc -l)
[ "$labels" = 4 ] || fail "$labels of 4 points are labelled"
rows=$(grep -o '<tr data-name="[^"]*"' "$WORK/dom.html" | wc -l)
[ "$rows" = 4 ] || fail "the table has $rows variant rows, want 4"
! grep -q '<pre' "$WORK/dom.html" || fail "the table is still a <pre> dump"
# The size axis fits the data: its lowest tick is not 0, and within 10% of
# the smallest variant.
python3 - "$WORK/dom.html" "$WORK/report.json" <<'PY' || fail "the size axis does not fit the data"
import json, re, sys
ticks = sorted(float(t) for t in re.findall(r'data-tick="([0-9.e+]+)"', open(sys.argv[1]).read()))
smallest = min(v["file_size"] for v in json.load(open(sys.argv[2]))["variants"] if v["built"])
assert ticks and ticks[0] > 0.9 * smallest, (ticks[:2], smallest)
PY
chrome "$WORK/tricks.html" --screenshot="$WORK/tricks.png" > /dev/null
check_screenshot "$WORK/tricks.png"
pass "tricks: sizes, run times and the chart agree with what each trick should do"
