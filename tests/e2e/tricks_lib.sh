#!/usr/bin/env bash
# slimlink tricks on a staticlib crate: per variant, the archive's size and the
# size of a host linked from it with --gc-sections. Every trick asked for is
# built: the baseline and one variant per trick, each with its sizes.
source "$(dirname "$0")/lib.sh"
export CARGO_NET_OFFLINE=true
[ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
tricks=opt-z,panic-abort
"$SLIMLINK" tricks "$SRC/examples/rust/alpha" --lib --tricks "$tricks" \
  --work "$WORK/builds" --json > "$WORK/report.json" 2> /dev/null
python3 - "$WORK/report.json" "$WORK/builds" "$tricks" <<'PY'
import json, os, sys
d = json.load(open(sys.argv[1]))
assert d["kind"] == "staticlib" and d["artifact"] == "libalpha.a", d
want = ["baseline"] + sys.argv[3].split(",")
names = [v["name"] for v in d["variants"]]
assert names == want, f"variants {names}, want {want} (unavailable: {d['unavailable']})"
assert d["unavailable"] == [], d["unavailable"]
for v in d["variants"]:
    assert v["built"], v
    for k in ("file_size", "vm_size", "host_size"):
        assert isinstance(v.get(k), int) and v[k] > 0, (v["name"], k, v.get(k))
    path = os.path.join(sys.argv[2], v["name"], "release", "libalpha.a")
    assert v["file_size"] == os.path.getsize(path), (v["name"], v["file_size"])
    assert 0 < v["host_size"] < v["file_size"], (v["name"], v["host_size"])
    assert v["host_size"] == os.path.getsize(os.path.join(sys.argv[2], v["name"], "host"))
print({v["name"]: (v["file_size"], v["vm_size"], v["host_size"]) for v in d["variants"]})
PY
pass "staticlib: baseline and $tricks all built; archive, VM and linked-host sizes per variant"
