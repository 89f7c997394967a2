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
