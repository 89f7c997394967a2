#!/usr/bin/env bash
# slimlink why: its usage errors, its JSON's top level, and the names a
# person types. On libalpha.a (core's code is in it):
#  - `why` alone and `why LIB --top N` for N < 1 are usage errors (exit 2)
#    that say what why takes;
#  - `--json` starts with verb, version, inputs, outputs like every verb's,
#    then why's own fields ({"symbols": [...]} when asked about symbols);
#  - core::fmt::Formatter::pad (the source's and legacy's form), with a
#    legacy hash, legacy-mangled, v0's <core::fmt::Formatter>::pad and the
#    v0 mangled name all name the one symbol; a misspelled name gets one
#    message, "did you mean" the nearest names, and no "not reachable".
source "$(dirname "$0")/lib.sh"
lib="$CORPUS/release/libalpha.a"
cd "$WORK"

problems=()
problem() { echo "PROBLEM: $*"; problems+=("$*"); }
why() { rc=0; "$SLIMLINK" why "$@" > why.out 2> why.err || rc=$?; }
said() { cat why.out why.err 2> /dev/null | head -"${1:-4}" | tr '\n' ' ' | cut -c1-400; }
# jcheck EXPR ARGS...: the Python EXPR over why.out's JSON `d` (and the
# arguments `a`) holds.
jcheck() {
  python3 -c 'import json, sys; d = json.load(open("why.out")); a = sys.argv[2:]; sys.exit(0 if eval(sys.argv[1]) else 1)' "$@" 2> /dev/null
}

# 1. Usage errors say what why takes.
why
if [ "$rc" != 2 ] || ! grep -q "why needs a library" why.err || grep -q "args is required" why.err; then
  problem "why (no argument): want exit 2 and 'why needs a library ... LIB... [SYMBOL...]', got exit $rc: $(said)"
else
  pass "why alone: $(head -1 why.err)"
fi
for n in -3 0 -1; do
  why "$lib" --top "$n"
  if [ "$rc" != 2 ] || ! grep -q -- "--top" why.err; then
    problem "why LIB --top $n: want a usage error (exit 2) naming --top, got exit $rc: $(said)"
  else
    pass "--top $n: $(head -1 why.err)"
  fi
done

# 2. The JSON's top level: verb first, the header's keys, then why's own.
header='["verb", "version", "inputs", "outputs"]'
check_top() { # WHAT KEYS...: why.out's keys, in order
  local what=$1; shift
  if ! jcheck "isinstance(d, dict) and list(d) == $header + a" "$@"; then
    problem "$what: want the keys ${header%]}, $*], got: $(python3 -c 'import json; d = json.load(open("why.out")); print(list(d) if isinstance(d, dict) else type(d).__name__)' 2>&1 | cut -c1-300)"
  else
    pass "$what: keys in order"
  fi
}
why "$lib" --json
check_top "why LIB --json" live_bytes roots top
why "$lib" alpha_word_stats --json
check_top "why LIB SYMBOL --json" symbols
why "$lib" alpha_word_stats core::fmt::Formatter::pad --json
check_top "why LIB SYMBOL SYMBOL --json" symbols
jcheck "[s['asked'] for s in d['symbols']] == a" alpha_word_stats core::fmt::Formatter::pad ||
  problem "two symbols: want symbols[] in the order asked: $(said)"

# 3. One symbol, the forms a person types.
llvm-nm-19 --defined-only "$lib" > nm.txt 2> /dev/null || true
pad=$(awk '$2 == "T" && $3 ~ /Formatter3pad$/ { print $3 }' nm.txt | head -1)
[ -n "$pad" ] || fail "no <core::fmt::Formatter>::pad in $lib"
echo "pad: $pad"
for name in 'core::fmt::Formatter::pad' 'core::fmt::Formatter::pad::h0123456789abcdef' \
            '_ZN4core3fmt9Formatter3pad17h0123456789abcdefE' '<core::fmt::Formatter>::pad' "$pad"; do
  why "$lib" "$name" --json
  if [ "$rc" -gt 1 ] || ! jcheck "d['symbols'][0]['symbol'] == a[0] and d['symbols'][0]['defined']" "$pad"; then
    problem "why LIB '$name': want $pad, got exit $rc: $(said)"
  else
    pass "'$name' is $pad"
  fi
  why "$lib" "$name"
  if grep -q "no symbol of the libraries\|not defined" why.out why.err; then
    problem "why LIB '$name' (text): says it is not defined: $(said)"
  fi
done

# 4. A name no symbol has: one message, and the nearest names.
why "$lib" 'core::fmt::Formatter::padd'
if [ "$rc" != 1 ]; then
  problem "misspelled: want exit 1, got $rc: $(said)"
elif grep -q "not reachable" why.out why.err; then
  problem "misspelled: says 'not reachable' of a name no symbol has: $(said)"
elif ! grep -q "did you mean" why.out || ! grep -qF '<core::fmt::Formatter>::pad' why.out; then
  problem "misspelled: want 'did you mean' and <core::fmt::Formatter>::pad: $(said 8)"
else
  pass "misspelled: $(said 3)"
fi
why "$lib" 'core::fmt::Formatter::padd' --json
jcheck "d['symbols'][0]['defined'] is False and '<core::fmt::Formatter>::pad' in d['symbols'][0]['suggestions']" ||
  problem "misspelled --json: want defined false and suggestions with <core::fmt::Formatter>::pad: $(said)"

if ((${#problems[@]})); then
  fail "${#problems[@]} problem(s), each on a PROBLEM line above"
fi
pass "why: usage errors, JSON header, names as typed"
