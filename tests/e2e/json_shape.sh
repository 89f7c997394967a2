#!/usr/bin/env bash
# Every verb's --json has one top-level shape: {"verb", "version",
# "inputs", "outputs", ...the verb's own fields}.
source "$(dirname "$0")/lib.sh"
export CARGO_NET_OFFLINE=true
[ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
cd "$WORK"
a="$CORPUS/release/libalpha.a" b="$CORPUS/release/libbeta.a"
version=$("$SLIMLINK" --version | awk '{print $2}')

shape() { # VERB INPUTS OUTPUTS FILE: the header says so
  python3 - "$@" "$version" <<'PY' || fail "$1: JSON header: $(head -c 400 "$4")"
import json, sys
verb, ins, outs, path, version = sys.argv[1:6]
d = json.load(open(path))
objs = d if isinstance(d, list) else [d]
for o in objs:
    assert list(o)[:4] == ["verb", "version", "inputs", "outputs"], list(o)
    assert o["verb"] == verb, o.get("verb")
    assert o["version"] == version, o.get("version")
    assert o["inputs"] == ins.split(), (o["inputs"], ins)
    assert o["outputs"] == (outs.split() if outs else []), (o["outputs"], outs)
PY
}
"$SLIMLINK" dedup "$a" "$b" -o dd --json > dedup.json
shape dedup "$a $b" "dd/libalpha.a dd/libbeta.a dd/libcommon.a" dedup.json
"$SLIMLINK" dedup "$a" "$b" --merge merged.a --json > merge.json
shape dedup "$a $b" "merged.a" merge.json
"$SLIMLINK" shrink "$a" "$b" -o sh --json > shrink.json
shape shrink "$a $b" "sh/libalpha.a sh/libbeta.a sh/libcommon.a" shrink.json
for verb in isolate prune strip; do
  "$SLIMLINK" "$verb" "$a" -o "$verb.a" --json > "$verb.json"
  shape "$verb" "$a" "$verb.a" "$verb.json"
done
"$SLIMLINK" verify --json "$a" -- prune.a > verify.json
shape verify "$a prune.a" "" verify.json
"$SLIMLINK" size "$a" --json > size.json
shape size "$a" "" size.json
"$SLIMLINK" size "$a" --json -o size-out.json --html size.html > /dev/null
shape size "$a" "size-out.json size.html" size-out.json
"$SLIMLINK" size --diff "$a" prune.a --json > diff.json
shape size "$a prune.a" "" diff.json
"$SLIMLINK" why "$a" --json --html why.html > why.json
shape why "$a" "why.html" why.json
"$SLIMLINK" why "$a" alpha_word_stats --json > why-sym.json
shape why "$a" "" why-sym.json
# Universal inputs: the run's header first, then each slice's report.
fat="$CORPUS/macho/fat/libplug1.a"
for verb in prune strip; do
  "$SLIMLINK" "$verb" "$fat" -o "fat-$verb.a" --json > "fat-$verb.json"
  shape "$verb" "$fat" "fat-$verb.a" "fat-$verb.json"
  python3 - "fat-$verb.json" <<'PY' || fail "fat $verb: slices' reports: $(head -c 600 "fat-$verb.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert [s["arch"] for s in d["slices"]] == ["arm64", "x86_64"], d["slices"]
for s in d["slices"]:
    assert list(s["report"])[:4] == ["verb", "version", "inputs", "outputs"], list(s["report"])
PY
done
mkdir -p crate/src
printf '[package]\nname = "t"\nversion = "0.1.0"\nedition = "2021"\n[workspace]\n' > crate/Cargo.toml
echo 'fn main() { println!("hi"); }' > crate/src/main.rs
"$SLIMLINK" tricks crate --tricks opt-z --json > tricks.json 2> tricks.err || fail "tricks: $(tail -3 tricks.err)"
shape tricks "crate" "" tricks.json
pass "every verb's JSON starts with verb, version, inputs, outputs"
