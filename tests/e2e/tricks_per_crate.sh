#!/usr/bin/env bash
# slimlink tricks --per-crate on a binary with several dependencies (Debian's
# crate sources, offline: sha2, sha1, md-5, crc32fast, humantime; seconds to
# build):
#  - the crates tried are the N heaviest dependency rows of the baseline's
#    crates view (slimlink size -d crates), not the crate itself, nor std;
#  - each is built at opt-level "z" alone and its own code changes (the
#    override reaches the crate; the crate's files stay untouched);
#  - the chosen set is the crates that shrank, biggest saving first, and its
#    build, per-crate-z, is smaller than the baseline;
#  - the printed Cargo.toml lines, pasted into the crate's Cargo.toml,
#    rebuild to exactly per-crate-z's size;
#  - with --run the choice follows the screening verdicts and the budget;
#    the table and the page print the same lines.
source "$(dirname "$0")/lib.sh"
export CARGO_NET_OFFLINE=true
[ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
for crate in sha2-0.10 sha1-0.10 md-0.10 crc32fast-1 humantime-2; do
  ls -d /usr/share/cargo/registry/"$crate"* > /dev/null 2>&1 ||
    fail "/usr/share/cargo/registry has no $crate* (scripts/setup.sh installs the librust-*-dev packages)"
done

crate=$WORK/multi
mkdir -p "$crate/src" "$crate/.cargo"
cp "$SRC/examples/registry/.cargo/config.toml" "$crate/.cargo/"
cat > "$crate/Cargo.toml" <<'TOML'
[package]
name = "multi"
version = "0.1.0"
edition = "2021"
[workspace]
[dependencies]
sha2 = { version = "0.10", default-features = false }
sha1 = { version = "0.10", default-features = false }
md-5 = { version = "0.10", default-features = false }
crc32fast = { version = "1", default-features = false }
humantime = "2"
TOML
# The hot loop is the crate's own; each dependency runs once.
cat > "$crate/src/main.rs" <<'RS'
use sha2::Digest;
fn main() {
    let n: u64 = std::env::args().nth(1).unwrap_or("1".into()).parse().expect("N: a number");
    let text = format!("{} {}", humantime::format_duration(std::time::Duration::from_secs(n * 3671)), n);
    let mut total = humantime::parse_duration("2h 5m").map(|d| d.as_secs()).unwrap_or(0);
    total += sha2::Sha256::digest(text.as_bytes())[0] as u64 + sha1::Sha1::digest(text.as_bytes())[1] as u64;
    total += md5::Md5::digest(text.as_bytes())[2] as u64 + crc32fast::hash(text.as_bytes()) as u64 % 13;
    for i in 0..n * 100_000 { total = total.wrapping_add(i.wrapping_mul(i) % 7); }
    println!("{}", total);
}
RS
# Cargo resolves from the crate's directory (where .cargo/config.toml is).
cd "$crate"
sum_before=$(cat Cargo.toml src/main.rs | sha256sum)

"$SLIMLINK" tricks "$crate" --per-crate 4 --work "$WORK/builds" --json --html "$WORK/pc.html" \
  > "$WORK/report.json" 2> "$WORK/progress.txt" || fail "--per-crate: $(tail -5 "$WORK/progress.txt")"
[ "$(cat Cargo.toml src/main.rs | sha256sum)" = "$sum_before" ] || fail "the crate's files changed"
grep -q 'building opt-z:' "$WORK/progress.txt" || fail "no per-crate progress: $(cat "$WORK/progress.txt")"
size_json "$WORK/base-crates.json" "$WORK/builds/per-crate/baseline/multi" crates
python3 - "$WORK/report.json" "$WORK/base-crates.json" > "$WORK/paste.toml" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
v = {x["name"]: x for x in d["variants"]}
pc = d["per_crate"]
base = v["baseline"]
# Without --tricks, only the baseline and the per-crate variants.
assert not any(n in v for n in ("opt-z", "strip-symbols", "all-in")), list(v)
# The 4 heaviest dependency rows of the baseline, by the size engine.
package = {"sha2": "sha2", "sha1": "sha1", "md5": "md-5", "crc32fast": "crc32fast",
           "humantime": "humantime", "digest": "digest", "block_buffer": "block-buffer",
           "generic_array": "generic-array", "crypto_common": "crypto-common",
           "cpufeatures": "cpufeatures", "typenum": "typenum", "cfg_if": "cfg-if"}
rows = [r for r in json.load(open(sys.argv[2]))["rows"] if r["name"] in package and r["file_size"] > 0]
rows.sort(key=lambda r: (-r["file_size"], package[r["name"]]))
want = [package[r["name"]] for r in rows[:4]]
got = [c["package"] for c in pc["crates"]]
assert got == want, (got, want)
assert len(got) == 4 and not {"multi", "std", "core", "alloc"} & set(got), got
for c in pc["crates"]:
    z = v[c["variant"]]
    assert z["built"] and z["baseline"] == "baseline", z
    assert c["saving"] == base["file_size"] - z["file_size"], c
    # The override reached the crate: its own code changed.
    mine = [x for x in z["changes"] if x["name"] == c["crate"]]
    assert mine and mine[0]["new_file"] != mine[0]["old_file"], (c["package"], z["changes"])
# Untimed: every crate that shrank, biggest saving first.
shrank = sorted((c for c in pc["crates"] if c["saving"] > 0), key=lambda c: -c["saving"])
assert pc["chosen"] == [c["package"] for c in shrank], (pc["chosen"], pc["crates"])
assert pc["chosen"], f"no dependency shrank: {pc['crates']}"
assert pc["variant"] == "per-crate-z"
s = v["per-crate-z"]
assert s["built"] and s["file_size"] < base["file_size"], (s["file_size"], base["file_size"])
lines = "".join(f'{"" if k == 0 else chr(10)}[profile.release.package.{p}]\nopt-level = "z"\n'
                for k, p in enumerate(pc["chosen"]))
assert pc["cargo_toml"] == lines, pc["cargo_toml"]
print(pc["cargo_toml"], end="")
print(f"chosen {pc['chosen']}: {base['file_size']} -> {s['file_size']} B; "
      + ", ".join(f"{c['package']} {-c['saving']:+d}" for c in pc["crates"]), file=sys.stderr)
PY
pass "--per-crate: the 4 heaviest dependencies tried, each changed; the set of those that shrank is smaller"

# Paste the lines into the crate's Cargo.toml and build as the user would.
# Into the baseline's target directory, to rebuild only what changed: a
# profile that differs from per-crate-z's builds other objects.
chosen_size=$(json_get "$WORK/report.json" '[v["file_size"] for v in d["variants"] if v["name"] == "per-crate-z"][0]')
cp Cargo.toml "$WORK/Cargo.toml.orig"
{ echo; cat "$WORK/paste.toml"; } >> Cargo.toml
cargo build --release --quiet --target-dir "$WORK/builds/baseline" 2> "$WORK/pasted.log" ||
  fail "the pasted Cargo.toml does not build: $(cat "$WORK/pasted.log")"
pasted_size=$(stat -c %s "$WORK/builds/baseline/release/multi")
[ "$pasted_size" = "$chosen_size" ] ||
  fail "pasted lines rebuild to $pasted_size B, per-crate-z is $chosen_size B"
cp "$WORK/Cargo.toml.orig" Cargo.toml
pass "the printed Cargo.toml lines, pasted, rebuild to per-crate-z's $chosen_size B"

# Timed: the builds are Cargo's to reuse; a screening session decides. With
# no budget, only crates inside the noise are taken; with a budget of 1000%,
# every crate that shrank.
"$SLIMLINK" tricks "$crate" --per-crate 4 --run 30 --runs 3 --work "$WORK/builds" --json \
  > "$WORK/timed.json" 2> "$WORK/timed.txt" || fail "--per-crate --run: $(tail -5 "$WORK/timed.txt")"
grep -q 'per-crate screening: run 3/3' "$WORK/timed.txt" || fail "no screening session: $(cat "$WORK/timed.txt")"
"$SLIMLINK" tricks "$crate" --per-crate 4 --run 30 --runs 3 --max-slowdown 1000 --work "$WORK/builds" \
  --html "$WORK/budget.html" > "$WORK/budget.txt" 2> /dev/null || fail "--max-slowdown: $(cat "$WORK/budget.txt")"
python3 - "$WORK/timed.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
pc = d["per_crate"]
assert pc["timed"] and pc["max_slowdown_percent"] == 0, pc
for c in pc["crates"]:
    assert c["screening_change"] in ("no measurable change", "faster", "slower"), c
    free = c["saving"] > 0 and c["screening_change"] != "slower"
    assert c["chosen"] == free, c
v = {x["name"]: x for x in d["variants"]}
for n in ["baseline"] + [c["variant"] for c in pc["crates"]] + (["per-crate-z"] if pc["chosen"] else []):
    assert len(v[n]["run_samples"]) == 3 and v[n]["run_error"] == "", (n, v[n])
print({c["package"]: (c["saving"], c["screening_change"]) for c in pc["crates"]})
PY
grep -q '^per-crate opt-level = "z": the 4 heaviest dependencies (of at most 4), each alone against the baseline; run times from the screening session, slowdown budget 1000% ' \
  "$WORK/budget.txt" || fail "no per-crate heading: $(cat "$WORK/budget.txt")"
grep -q '^Chosen (per-crate-z): .*\. Paste into Cargo.toml:$' "$WORK/budget.txt" ||
  fail "no chosen line: $(cat "$WORK/budget.txt")"
python3 - "$WORK/report.json" "$WORK/budget.txt" "$WORK/budget.html" <<'PY'
import html, json, sys
pc = json.load(open(sys.argv[1]))["per_crate"]
table, page = open(sys.argv[2]).read(), open(sys.argv[3]).read()
# A budget that slowdowns cannot spend: the crates of the untimed choice
# (in the order of bytes per second lost), and the lines for that order.
chosen = table.split("Chosen (per-crate-z): ")[1].split(". Paste")[0].split(", ")
assert sorted(chosen) == sorted(pc["chosen"]), (chosen, pc["chosen"])
lines = "\n".join(f'[profile.release.package.{p}]\nopt-level = "z"\n' for p in chosen)
assert table.endswith("Paste into Cargo.toml:\n\n" + lines), table[-300:]
assert f'<pre id="cargo-toml">{lines}</pre>' in html.unescape(page), "the page lacks the lines"
for c in pc["crates"]:
    assert f'<tr data-package="{c["package"]}"' in page, c["package"]
PY
pass "--per-crate --run: screening verdicts decide, the budget admits slower crates; table and page print the lines"

"$SLIMLINK" tricks "$crate" --per-crate x > /dev/null 2> "$WORK/bad.err" && fail "--per-crate x accepted"
grep -q "error: --per-crate: 'x' is not a number of crates from 1 to 100" "$WORK/bad.err" ||
  fail "--per-crate x: $(cat "$WORK/bad.err")"
pass "--per-crate x: a clear error"
"$SLIMLINK" tricks "$crate" --max-slowdown 5 > /dev/null 2> "$WORK/bad2.err" && fail "--max-slowdown without --per-crate accepted"
grep -q "max-slowdown requires --per-crate" "$WORK/bad2.err" || fail "--max-slowdown alone: $(cat "$WORK/bad2.err")"
pass "--max-slowdown without --per-crate: a clear error"

# A crate without dependencies: nothing to try, said so, exit status 0.
mkdir -p "$WORK/alone/src"
printf '[package]\nname = "alone"\nversion = "0.1.0"\nedition = "2021"\n[workspace]\n' > "$WORK/alone/Cargo.toml"
echo 'fn main() { println!("alone"); }' > "$WORK/alone/src/main.rs"
"$SLIMLINK" tricks "$WORK/alone" --per-crate > "$WORK/alone.txt" 2> "$WORK/alone.err" ||
  fail "--per-crate without dependencies: $(cat "$WORK/alone.err")"
grep -q '^note: --per-crate: no dependency of alone has code in the baseline$' "$WORK/alone.txt" ||
  fail "--per-crate without dependencies: $(cat "$WORK/alone.txt")"
pass "--per-crate on a crate without dependencies: a note, exit status 0"
# Stripped by its own profile: no names to tell crates apart, said so.
CARGO_PROFILE_RELEASE_STRIP=symbols "$SLIMLINK" tricks "$WORK/alone" --per-crate > "$WORK/stripped.txt" 2> "$WORK/stripped.err" ||
  fail "--per-crate on a stripped baseline: $(cat "$WORK/stripped.err")"
grep -q '^note: --per-crate: the baseline has no symbol table (strip in the crate.s release profile?)' "$WORK/stripped.txt" ||
  fail "--per-crate on a stripped baseline: $(cat "$WORK/stripped.txt")"
pass "--per-crate on a stripped baseline: a note saying why nothing was tried"
