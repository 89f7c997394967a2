#!/usr/bin/env bash
# tricks on bad input: a directory without Cargo.toml; a crate that fails to
# build; a crate that fails only under one trick (the others go on); a --run
# command that fails. Clear errors, exit status 1, the rest of the report intact.
source "$(dirname "$0")/lib.sh"
export CARGO_NET_OFFLINE=true
[ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"

mkdir -p "$WORK/empty"
rc=0; "$SLIMLINK" tricks "$WORK/empty" 2> "$WORK/empty.err" || rc=$?
[ "$rc" = 1 ] || fail "no Cargo.toml: exit status $rc"
grep -q "empty: no Cargo.toml" "$WORK/empty.err" || fail "no Cargo.toml: $(cat "$WORK/empty.err")"

new_crate() { # DIR MAIN.RS
  mkdir -p "$1/src"
  printf '[package]\nname = "t"\nversion = "0.1.0"\nedition = "2021"\n[workspace]\n' > "$1/Cargo.toml"
  printf '%s\n' "$2" > "$1/src/main.rs"
}

new_crate "$WORK/broken" 'fn main() { let x: u32 = "not a number"; }'
rc=0; "$SLIMLINK" tricks "$WORK/broken" --tricks opt-z > "$WORK/broken.out" 2> "$WORK/broken.err" || rc=$?
[ "$rc" = 1 ] || fail "broken crate: exit status $rc"
grep -q "failed: baseline" "$WORK/broken.out" || fail "broken crate: report does not say baseline failed"
grep -q "mismatched types" "$WORK/broken.out" || fail "broken crate: compiler error not shown"
grep -q "slimlink: error: .*broken.*2 variant(s) failed" "$WORK/broken.err" || fail "broken: $(cat "$WORK/broken.err")"

new_crate "$WORK/no-abort" '#[cfg(panic = "abort")] compile_error!("this crate needs unwinding");
fn main() { println!("fine"); }'
rc=0; "$SLIMLINK" tricks "$WORK/no-abort" --tricks opt-z,panic-abort --json > "$WORK/no-abort.json" 2> /dev/null || rc=$?
[ "$rc" = 1 ] || fail "one failing trick: exit status $rc"
python3 - "$WORK/no-abort.json" <<'PY'
import json, sys
v = {x["name"]: x for x in json.load(open(sys.argv[1]))["variants"]}
assert not v["panic-abort"]["built"] and "needs unwinding" in v["panic-abort"]["error"], v["panic-abort"]
assert v["baseline"]["built"] and v["opt-z"]["built"] and v["opt-z"]["file_size"] > 0
PY

new_crate "$WORK/runs" 'fn main() { eprintln!("boom: no input file"); std::process::exit(3); }'
rc=0; "$SLIMLINK" tricks "$WORK/runs" --tricks opt-z --run 'any args' --runs 2 > "$WORK/runs.out" 2> "$WORK/runs.err" || rc=$?
[ "$rc" = 1 ] || fail "failing --run: exit status $rc"
grep -q "run failed: exit status 3: boom: no input file" "$WORK/runs.out" || fail "failing --run: $(cat "$WORK/runs.out")"
grep -q "opt-z (run: exit status 3: boom: no input file)" "$WORK/runs.err" ||
  fail "failing --run: the error does not say why: $(cat "$WORK/runs.err")"
grep -q "^baseline .* kB" "$WORK/runs.out" || fail "failing --run: sizes missing from the report"
pass "bad input: clear errors, the rest of the report intact"

# --run 'CMD ARGS': CMD is the binary's name (the crate's is "t").
new_crate "$WORK/args" 'fn main() { let a: Vec<String> = std::env::args().skip(1).collect();
  if a != ["x", "y z"] { eprintln!("args: {:?}", a); std::process::exit(2); } }'
"$SLIMLINK" tricks "$WORK/args" --tricks opt-z --run "t x 'y z'" --runs 1 > "$WORK/args.out" 2> "$WORK/args.err" ||
  fail "--run 'CMD ARGS': $(cat "$WORK/args.err")"
"$SLIMLINK" tricks "$WORK/args" --tricks opt-z --run "x 'y z'" --runs 1 > /dev/null 2> "$WORK/args2.err" ||
  fail "--run 'ARGS': $(cat "$WORK/args2.err")"
pass "--run takes 'CMD ARGS' (CMD the binary's name) and 'ARGS'"

# Runs are interleaved: every round runs each variant once (drift hits all
# alike), never all runs of one variant and then the next.
"$SLIMLINK" tricks "$WORK/args" --tricks opt-z,opt-s --run "echo {} >> '$WORK/order'" --runs 3 \
  > /dev/null 2> "$WORK/order.err" || fail "interleaved runs: $(cat "$WORK/order.err")"
python3 - "$WORK/order" <<'PY'
import sys
runs = [l.split("/")[-3] for l in open(sys.argv[1]).read().split()]
assert len(runs) == 12, runs  # a warm-up round and 3 measured, 3 variants each
for r in range(4):
    assert sorted(runs[3 * r:3 * r + 3]) == ["baseline", "opt-s", "opt-z"], runs
PY
pass "runs interleaved round by round"
