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

chrome "$WORK/size.html" --dump-dom > "$WORK/dom.html"
nodes=$(grep -o 'class="tm-node[^"]*"' "$WORK/dom.html" | wc -l)
top=$(grep -o 'class="tm-node zoomable"' "$WORK/dom.html" | wc -l)
echo "treemap: $nodes boxes, $top crates with members inside"
[ "$nodes" -ge 50 ] || fail "treemap rendered only $nodes boxes"
[ "$top" -ge 10 ] || fail "treemap rendered only $top top-level boxes"
grep -q '>std 11\.' "$WORK/dom.html" || grep -q 'std [0-9.]* MB' "$WORK/dom.html" || fail "no std box with its size"
grep -q '<td>compiler_builtins</td>' "$WORK/dom.html" || fail "table rows not rendered"

chrome "$WORK/size.html" --screenshot="$WORK/size.png" > /dev/null
check_screenshot "$WORK/size.png"
pass "treemap page renders in headless Chromium"

# --diff --html: boxes sized by the change, red for growth, green for shrinkage.
"$SLIMLINK" size --diff "$CORPUS/release/libalpha.a" "$CORPUS/release/libbeta.a" -d crates,members \
  --html "$WORK/size.html" > /dev/null
chrome "$WORK/size.html" --dump-dom > "$WORK/diff-dom.html"
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
