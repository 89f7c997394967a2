#!/usr/bin/env bash
# slimlink tricks on a staticlib crate: per variant, the archive's size and the
# size of a host linked from it with --gc-sections.
source "$(dirname "$0")/lib.sh"
export CARGO_NET_OFFLINE=true
[ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
"$SLIMLINK" tricks "$SRC/examples/rust/alpha" --lib --tricks opt-z,panic-abort \
  --work "$WORK/builds" --json > "$WORK/report.json" 2> /dev/null
python3 - "$WORK/report.json" "$WORK/builds" <<'PY'
import json, os, sys
d = json.load(open(sys.argv[1]))
assert d["kind"] == "staticlib" and d["artifact"] == "libalpha.a", d
for v in d["variants"]:
    assert v["built"], v
    path = os.path.join(sys.argv[2], v["name"], "release", "libalpha.a")
    assert v["file_size"] == os.path.getsize(path), (v["name"], v["file_size"])
    assert 0 < v["host_size"] < v["file_size"], (v["name"], v["host_size"])
    assert v["host_size"] == os.path.getsize(os.path.join(sys.argv[2], v["name"], "host"))
print({v["name"]: (v["file_size"], v["host_size"]) for v in d["variants"]})
PY
pass "staticlib: archive and linked-host sizes per variant"
