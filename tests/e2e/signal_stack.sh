#!/usr/bin/env bash
# No worker thread installs an alternate signal stack: every multi-threaded
# verb runs under a shim that fails the run if one does. (LLVM's signal
# handlers are installed on the main thread at startup; before, the first
# temporary file, made on a worker, installed them there, and ASan aborted at
# that worker's exit on CPUs with a large xsave state.)
source "$(dirname "$0")/lib.sh"
guard="$WORK/sigaltstack_guard.so"
gcc -shared -fPIC -O1 -o "$guard" "$SRC/tests/e2e/sigaltstack_guard.c" -ldl
in=("$CORPUS"/release/lib{alpha,beta,gamma}.a)
# Under ASan the runtime gives every thread an alternate stack of its own,
# through the same libc call; use_sigaltstack=0 turns that off for this test
# alone, so that what the shim sees is slimlink's and LLVM's.
run() {
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}use_sigaltstack=0" \
    LD_PRELOAD="$guard" "$SLIMLINK" "$@" > "$WORK/out.txt" 2> "$WORK/err.txt" ||
    fail "slimlink $*: exit $?: $(cat "$WORK/err.txt")"
}
# The shim itself: it must catch a worker that does install one.
cat > "$WORK/worker.c" <<'C'
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
static void *worker(void *arg) {
  stack_t ss = {.ss_sp = malloc(1 << 16), .ss_size = 1 << 16};
  sigaltstack(&ss, 0);
  return arg;
}
int main(void) {
  pthread_t t;
  pthread_create(&t, 0, worker, 0);
  pthread_join(t, 0);
  return 0;
}
C
gcc -pthread -o "$WORK/worker" "$WORK/worker.c"
rc=0; LD_PRELOAD="$guard" "$WORK/worker" 2> /dev/null || rc=$?
[ "$rc" = 97 ] || fail "the shim did not catch a worker's sigaltstack (exit $rc)"
for j in 2 4; do
  run -j $j dedup "${in[@]}" -o "$WORK/dedup$j"
  run -j $j dedup "${in[@]}" --merge "$WORK/merged$j.a"
  run -j $j shrink "${in[@]}" -o "$WORK/shrink$j"
  run -j $j prune "${in[0]}" -o "$WORK/prune$j.a"
  run -j $j isolate "${in[0]}" -o "$WORK/isolate$j.a"
  run -j $j strip "${in[0]}" -o "$WORK/strip$j.a"
  run -j $j size "${in[0]}" -d crates
done
pass "no worker thread installed an alternate signal stack"
