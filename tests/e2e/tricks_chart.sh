#!/usr/bin/env bash
# The tricks page stays readable with many variants: a real page, its data
# swapped for 24 variants (most in one tight cluster, as size tricks often
# are), rendered in Chromium. Every point gets a label (its name, or its
# row number), and no label overlaps another label or a point.
source "$(dirname "$0")/lib.sh"
export CARGO_NET_OFFLINE=true
[ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
command -v chromium > /dev/null || fail "chromium is not installed (scripts/setup.sh installs it)"
mkdir -p "$WORK/c/src"
printf '[package]\nname = "c"\nversion = "0.1.0"\nedition = "2021"\n[workspace]\n' > "$WORK/c/Cargo.toml"
echo 'fn main() { println!("c"); }' > "$WORK/c/src/main.rs"
"$SLIMLINK" tricks "$WORK/c" --tricks opt-z --html "$WORK/real.html" > /dev/null 2> "$WORK/real.err" ||
  fail "tricks: $(cat "$WORK/real.err")"
python3 - "$WORK/real.html" "$WORK/many.html" <<'PY'
import json, random, re, sys
page = open(sys.argv[1]).read()
random.seed(7)
vs = []
for i in range(24):
    tight = i < 18  # 18 within 1% of each other, 6 spread out
    vs.append({"name": f"variant-with-a-long-name-{i}", "what": "", "built": True,
               "file_size": int(400000 * (1 + (random.random() * 0.01 if tight else random.random() * 0.3))),
               "build_seconds": 3 + (random.random() * 0.05 if tight else random.random() * 2),
               "pareto": i % 5 == 0})
vs[0]["name"] = "baseline"
d = json.loads(re.search(r'id="tricks-data">(.*?)</script>', page, re.S).group(1))
d["variants"] = vs
page = re.sub(r'(id="tricks-data">).*?(</script>)', lambda m: m.group(1) + json.dumps(d) + m.group(2), page, flags=re.S)
rows = "".join(f'<tr data-name="{v["name"]}"><td>{k + 1}</td></tr>' for k, v in enumerate(vs))
page = re.sub(r'<tbody>.*?</tbody>', lambda m: "<tbody>" + rows + "</tbody>", page, flags=re.S)
open(sys.argv[2], "w").write(page)
PY
chrome "$WORK/many.html" --dump-dom > "$WORK/dom.html"
python3 - "$WORK/dom.html" <<'PY' || fail "labels overlap or are missing"
import re, sys
dom = open(sys.argv[1]).read()
points = re.findall(r'<circle cx="([-0-9.e]+)" cy="([-0-9.e]+)"[^>]*data-name="([^"]*)"', dom)
labels = re.findall(r'<text[^>]*data-label="([^"]*)" data-box="([^"]*)"', dom)
assert len(points) == 24, len(points)
named = sorted(n for n, _ in labels)
assert named == sorted(n for _, _, n in points), f"{len(labels)} labels for 24 points"
boxes = [tuple(map(float, b.split())) for _, b in labels]
for i, a in enumerate(boxes):
    for b in boxes[i + 1:]:
        assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
    for cx, cy, n in points:
        cx, cy = float(cx), float(cy)
        assert not (a[0] < cx + 6 and cx - 6 < a[2] and a[1] < cy + 6 and cy - 6 < a[3]), (a, n)
print(f"{len(labels)} labels, {sum(1 for n, _ in labels if 'variant' in n)} named, none overlapping")
PY
chrome "$WORK/many.html" --screenshot="$WORK/many.png" > /dev/null
check_screenshot "$WORK/many.png"
pass "24 variants: every point labelled, no label overlaps another or a point"

# Variants a few hundred bytes and microseconds apart (per-crate variants of
# a quick program often are): each axis tick still says a different number.
python3 - "$WORK/real.html" "$WORK/tight.html" <<'PY'
import json, re, sys
page = open(sys.argv[1]).read()
d = json.loads(re.search(r'id="tricks-data">(.*?)</script>', page, re.S).group(1))
d["run"] = "1"
d["variants"] = [{"name": "baseline" if i == 0 else f"opt-z:crate-{i}", "what": "", "built": True,
                  "run_error": "", "file_size": 1000000 + 97 * i, "run_median": 0.0060 + 0.00001 * i,
                  "build_seconds": 1, "pareto": i == 0} for i in range(6)]
page = re.sub(r'(id="tricks-data">).*?(</script>)', lambda m: m.group(1) + json.dumps(d) + m.group(2), page, flags=re.S)
rows = "".join(f'<tr data-name="{v["name"]}"><td>{k + 1}</td></tr>' for k, v in enumerate(d["variants"]))
page = re.sub(r'<tbody>.*?</tbody>', lambda m: "<tbody>" + rows + "</tbody>", page, flags=re.S)
open(sys.argv[2], "w").write(page)
PY
chrome "$WORK/tight.html" --dump-dom > "$WORK/tight-dom.html"
python3 - "$WORK/tight-dom.html" <<'PY' || fail "axis ticks repeat a number"
import re, sys
dom = open(sys.argv[1]).read()
for axis in ("data-xtick", "data-tick"):
    labels = re.findall(axis + r'="[^"]*"[^>]*>([^<]*)</text>', dom)
    assert len(labels) == 5 and len(set(labels)) == 5, (axis, labels)
    print(axis, labels)
PY
pass "variants close together: every axis tick says a different number"
