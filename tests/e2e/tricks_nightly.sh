#!/usr/bin/env bash
# slimlink tricks with the nightly toolchain rustup has beside stable, on a
# small crate of its own (a panic location in src/main.rs, a derived Debug):
#  - the nightly tricks are built by the nightly, say so, and are compared
#    with baseline-nightly (the nightly's release build), not the stable one;
#  - -Zlocation-detail=none drops the file name of the crate's panic
#    locations, -Zfmt-debug=none the names a derived Debug prints; neither
#    grows the file;
#  - -Zbuild-std without the rust-src component is "not run" with the reason;
#  - every timed variant says whether its time moved beyond the noise, and
#    the table, JSON and page agree;
#  - with no nightly to be found (--toolchain naming none; a rustup that lists
#    only stable) the nightly tricks are "not run" with the reason, exit 0.
source "$(dirname "$0")/lib.sh"
export CARGO_NET_OFFLINE=true
[ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"

crate=$WORK/spot
mkdir -p "$crate/src"
printf '[package]\nname = "spot"\nversion = "0.1.0"\nedition = "2021"\n[workspace]\n' > "$crate/Cargo.toml"
cat > "$crate/src/main.rs" <<'RS'
#[derive(Debug)]
struct SpotMarker { spot_field_one: u64, spot_field_two: u64 }
fn main() {
    let n: u64 = std::env::args().nth(1).expect("usage: spot N").parse().expect("N: a number");
    let m = SpotMarker { spot_field_one: n, spot_field_two: n * 2 };
    let mut s = 0u64;
    for i in 0..n * 100_000 { s = s.wrapping_add(i.wrapping_mul(i) % 7); }
    if s == 1 { println!("{:?}", m); }
    println!("{}", s + m.spot_field_two);
}
RS

nightly=yes
rustup toolchain list 2> /dev/null | grep -q '^nightly' || nightly=no
rust_src=no
[ $nightly = yes ] &&
  [ -e "$(rustc +nightly --print sysroot)/lib/rustlib/src/rust/library/Cargo.lock" ] && rust_src=yes

tricks=location-detail-none,fmt-debug-none,share-generics,build-std
if [ $nightly = yes ]; then
  "$SLIMLINK" tricks "$crate" --tricks "$tricks" --run 20 --runs 5 --work "$WORK/builds" \
    --json --html "$WORK/tricks.html" > "$WORK/report.json" 2> "$WORK/progress.txt" ||
    fail "nightly tricks: $(tail -5 "$WORK/progress.txt")"
  grep -q "building location-detail-none (-Zlocation-detail=none, nightly)" "$WORK/progress.txt" ||
    fail "progress does not name the toolchain: $(cat "$WORK/progress.txt")"
  python3 - "$WORK/report.json" "$rust_src" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
v = {x["name"]: x for x in d["variants"]}
want = ["baseline", "baseline-nightly", "location-detail-none", "fmt-debug-none", "share-generics"]
if sys.argv[2] == "yes":
    want.append("build-std")
assert [x["name"] for x in d["variants"]] == want, [x["name"] for x in d["variants"]]
assert all(x["built"] and x["run_error"] == "" for x in v.values()), "a variant failed"
assert d["toolchains"]["stable"].startswith("rustc ") and "nightly" in d["toolchains"]["nightly"], d["toolchains"]
assert v["baseline"]["toolchain"] == "stable" and v["baseline"]["baseline"] == "", v["baseline"]
assert v["baseline-nightly"]["toolchain"] == "nightly" and v["baseline-nightly"]["baseline"] == "baseline"
for n in want[2:]:
    assert v[n]["toolchain"] == "nightly" and v[n]["baseline"] == "baseline-nightly", v[n]
nb = v["baseline-nightly"]
for n in ("location-detail-none", "fmt-debug-none"):
    assert v[n]["file_size"] <= nb["file_size"], (n, v[n]["file_size"], nb["file_size"])
# Changes are against the nightly baseline: the same toolchain's std, so no
# std row moves under -Zlocation-detail=none (the stable std would).
assert not any(c["name"] == "std" for c in v["location-detail-none"]["changes"]), v["location-detail-none"]["changes"]
verdicts = {"no measurable change", "faster", "slower"}
for n in want[1:]:
    assert v[n]["run_change"] in verdicts, (n, v[n]["run_change"])
assert v["baseline"]["run_change"] == "", v["baseline"]["run_change"]
u = {x["name"]: x for x in d["unavailable"]}
if sys.argv[2] == "no":
    assert u["build-std"]["reason"] == ("nightly has no rust-src component: "
        "rustup component add rust-src --toolchain nightly"), u
    assert u["build-std"]["toolchain"] == "nightly", u
print({n: (v[n]["file_size"], v[n]["run_change"]) for n in want})
PY
  b=$WORK/builds
  [ "$(grep -c 'src/main.rs' "$b/baseline-nightly/release/spot")" -ge 1 ] ||
    fail "the nightly baseline has no src/main.rs panic location to remove"
  [ "$(grep -c 'src/main.rs' "$b/location-detail-none/release/spot")" = 0 ] ||
    fail "-Zlocation-detail=none kept src/main.rs"
  [ "$(grep -c 'spot_field_one' "$b/baseline-nightly/release/spot")" -ge 1 ] ||
    fail "the nightly baseline has no Debug field names to remove"
  [ "$(grep -c 'spot_field_one' "$b/fmt-debug-none/release/spot")" = 0 ] ||
    fail "-Zfmt-debug=none kept the Debug field names"
  pass "nightly tricks: built by nightly against baseline-nightly; location and Debug names gone"

  # The table (cargo has the builds: no rebuild) says the same.
  "$SLIMLINK" tricks "$crate" --tricks "$tricks" --run 20 --runs 3 --work "$WORK/builds" \
    > "$WORK/table.txt" 2> /dev/null || fail "table: $(cat "$WORK/table.txt")"
  grep -q "^toolchains: stable = rustc .*; nightly = rustc .*nightly" "$WORK/table.txt" ||
    fail "the table does not name the toolchains: $(head -3 "$WORK/table.txt")"
  grep -Eq "^location-detail-none +nightly " "$WORK/table.txt" || fail "no toolchain column: $(cat "$WORK/table.txt")"
  grep -Eq "^baseline +stable " "$WORK/table.txt" || fail "baseline not stable: $(cat "$WORK/table.txt")"
  grep -q "compared with baseline-nightly" "$WORK/table.txt" || fail "the table does not say what nightly tricks are compared with"
  if [ $rust_src = no ]; then
    grep -q "^not run: build-std (.*): nightly has no rust-src component: rustup component add rust-src --toolchain nightly" \
      "$WORK/table.txt" || fail "build-std not reported as not run: $(cat "$WORK/table.txt")"
  fi
  # The page: the toolchain column, and each run verdict of the JSON.
  grep -q '<td>nightly</td>' "$WORK/tricks.html" || fail "the page has no toolchain column"
  grep -q 'nightly = rustc' "$WORK/tricks.html" || fail "the page does not name the toolchains"
  python3 - "$WORK/report.json" "$WORK/tricks.html" <<'PY'
import json, sys
page = open(sys.argv[2]).read()
for v in json.load(open(sys.argv[1]))["variants"]:
    if v["run_change"] == "no measurable change":
        row = page.split('<tr data-name="%s">' % v["name"])[1].split("</tr>")[0]
        assert "no measurable change" in row, (v["name"], row)
PY
  pass "table and page name each variant's toolchain and the run verdicts"
fi

# No nightly: a toolchain that is not installed, then a rustup listing only
# stable. Not run, with the reason; the rest is measured; exit status 0.
"$SLIMLINK" tricks "$crate" --tricks opt-z,location-detail-none,build-std --toolchain no-such \
  --work "$WORK/builds" > "$WORK/hidden.txt" 2> "$WORK/hidden.err" ||
  fail "--toolchain no-such: exit status $?: $(cat "$WORK/hidden.err")"
for t in location-detail-none build-std; do
  grep -q "^not run: $t (.*): toolchain 'no-such' is not installed (rustup toolchain list)" "$WORK/hidden.txt" ||
    fail "--toolchain no-such: $t not reported as not run: $(cat "$WORK/hidden.txt")"
done
grep -Eq "^opt-z +stable " "$WORK/hidden.txt" || fail "--toolchain no-such: opt-z missing"
! grep -q "baseline-nightly" "$WORK/hidden.txt" || fail "--toolchain no-such: a nightly baseline was built"

mkdir -p "$WORK/fakebin"
printf '#!/bin/sh\n[ "$1 $2" = "toolchain list" ] && echo "stable-x86_64-unknown-linux-gnu (active, default)"\n' \
  > "$WORK/fakebin/rustup"
chmod +x "$WORK/fakebin/rustup"
PATH="$WORK/fakebin:$PATH" "$SLIMLINK" tricks "$crate" --tricks location-detail-none --json \
  --work "$WORK/builds" > "$WORK/none.json" 2> "$WORK/none.err" || fail "no nightly: $(cat "$WORK/none.err")"
python3 - "$WORK/none.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert [v["name"] for v in d["variants"]] == ["baseline"], d["variants"]
u = d["unavailable"]
assert [x["name"] for x in u] == ["location-detail-none"], u
assert u[0]["reason"].startswith("no nightly toolchain"), u
assert list(d["toolchains"]) == ["stable"], d["toolchains"]
PY
pass "no nightly toolchain: nightly tricks not run, with the reason, exit status 0"
