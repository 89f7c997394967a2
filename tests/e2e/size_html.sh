#!/usr/bin/env bash
# slimlink size --html: one self-contained page that Chromium renders into a
# treemap. Headless Chromium (Debian's `chromium`, no network) dumps the DOM
# after the page's script ran, and takes a screenshot.
source "$(dirname "$0")/lib.sh"
command -v chromium > /dev/null || fail "chromium is not installed (scripts/setup.sh installs it)"
lib="$CORPUS/release/libalpha.a"
"$SLIMLINK" size "$lib" -d crates,members --html "$WORK/size.html" > /dev/null
[ -s "$WORK/size.html" ] || fail "no HTML written"
[ -z "$(ls "$WORK" | grep slimlink-tmp)" ] || fail "temporary file left behind"
# Self-contained: no external scripts, styles, images or fonts.
if grep -Eiq '<(script|link|img)[^>]+(src|href)=|@import|url\(' "$WORK/size.html"; then
  fail "the page loads something from elsewhere"
fi

chrome() {
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update \
    --disable-sync --user-data-dir="$(mktemp -d)" --window-size=1200,900 "$@" \
    "file://$WORK/size.html" 2> "$WORK/chromium.log"
}
chrome --dump-dom > "$WORK/dom.html"
nodes=$(grep -o 'class="tm-node[^"]*"' "$WORK/dom.html" | wc -l)
top=$(grep -o 'class="tm-node zoomable"' "$WORK/dom.html" | wc -l)
echo "treemap: $nodes boxes, $top crates with members inside"
[ "$nodes" -ge 50 ] || fail "treemap rendered only $nodes boxes"
[ "$top" -ge 10 ] || fail "treemap rendered only $top top-level boxes"
grep -q '>std 11\.' "$WORK/dom.html" || grep -q 'std [0-9.]* MB' "$WORK/dom.html" || fail "no std box with its size"
grep -q '<td>compiler_builtins</td>' "$WORK/dom.html" || fail "table rows not rendered"

chrome --screenshot="$WORK/size.png" > /dev/null
[ -s "$WORK/size.png" ] || fail "no screenshot"
python3 - "$WORK/size.png" <<'PY' || fail "screenshot looks blank"
import struct, sys, zlib
png = open(sys.argv[1], "rb").read()
assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
w, h = struct.unpack(">II", png[16:24])
assert (w, h) == (1200, 900), f"screenshot is {w}x{h}"
idat, pos = b"", 8
while pos < len(png):
    n, kind = struct.unpack(">I4s", png[pos:pos + 8])
    if kind == b"IDAT":
        idat += png[pos + 8:pos + 8 + n]
    pos += 12 + n
raw = zlib.decompress(idat)
# A blank or one-colour page compresses to almost nothing and has few byte values.
assert len(png) > 20000, f"PNG is only {len(png)} bytes"
assert len(set(raw)) > 100, f"only {len(set(raw))} distinct byte values"
print(f"screenshot {w}x{h}, {len(png)} bytes")
PY
pass "treemap page renders in headless Chromium"

# --diff --html: boxes sized by the change, red for growth, green for shrinkage.
"$SLIMLINK" size --diff "$CORPUS/release/libalpha.a" "$CORPUS/release/libbeta.a" -d crates,members \
  --html "$WORK/size.html" > /dev/null
chrome --dump-dom > "$WORK/diff-dom.html"
grep -q '<th>file change</th>' "$WORK/diff-dom.html" || fail "diff page has no change column"
grep -q '>alpha -[0-9.]* kB<' "$WORK/diff-dom.html" || fail "diff page: no shrunk alpha box"
grep -q '>beta +[0-9.]* kB<' "$WORK/diff-dom.html" || fail "diff page: no grown beta box"
# Chromium serialises the colours as rgb(): red has R > G, green G > R.
python3 - "$WORK/diff-dom.html" <<'PY' || fail "diff page: not both red and green boxes"
import re, sys
cols = re.findall(r'background: rgb\((\d+), (\d+), (\d+)\)', open(sys.argv[1]).read())
red = sum(1 for r, g, b in cols if int(r) > int(g))
green = sum(1 for r, g, b in cols if int(g) > int(r))
print(f"{red} red boxes, {green} green boxes")
assert red and green
PY
pass "diff treemap renders: alpha shrank, beta grew"
