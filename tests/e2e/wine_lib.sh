# wine_run OUT ERR EXE ARGS...: runs a Windows program under wine64 (60 s at
# most), its stdout into OUT and stderr into ERR; returns its exit status.
# Tests that share one wine prefix run side by side, and wine itself fails
# now and then in ways that are not the program's; only these runs are
# tried again, up to three times:
#  - a client reaches the prefix's wineserver just as it exits after its
#    idle timeout ("wine client error:0: recvmsg: Connection reset by peer",
#    seen once in a fresh clone's run);
#  - wine cannot load its own kernel32.dll ("wine: could not load
#    kernel32.dll, status c0000135": the shared prefix in the middle of an
#    update by another test's wine; seen once in the ASan stage of a fresh
#    clone's run, the same test passing in the normal stage);
#  - wine refuses to start a program it can start: it falls back to
#    start.exe, which prints "Application could not be started" on stdout
#    and exits 1 (seen once in CI, on a program that ran in every other run).
#    Tried again only when llvm-readobj-19 reads EXE as a whole PE file, so
#    a broken program still fails, on the first try.
# And a run that exits 0 is tried again when wine says it faulted on its
# own ("wine: Unhandled page fault on read access to 0000000000000008 at
# address 000000031CAA2391 (thread 008c), starting debugger...", seen once
# in a fresh clone's run, on the unmodified build's program, whose stdout
# was right): the program's stderr then holds wine's line, and a test that
# compares it would fail. After three such runs the line stays, for the
# test to see.
# Any other failure is the program's. A retried run is said on stderr.
# Sourced by lib.sh, and by the COFF fixture, which runs without lib.sh.
wine_run() {
  local out=$1 err=$2 status=0 try; shift 2
  for try in 1 2 3; do
    status=0
    timeout 60 /usr/lib/wine/wine64 "$@" > "$out" 2> "$err" || status=$?
    if [ "$status" = 0 ]; then
      grep -q "^wine: Unhandled .*starting debugger" "$err" || return 0
      echo "wine_run: try $try of $1: exit status 0, but wine says: $(grep -m1 "^wine: Unhandled" "$err"); trying again" >&2
    else
      wine_failed "$status" "$out" "$err" "$1" || return "$status"
      echo "wine_run: try $try of $1: wine failed (exit status $status: $(head -2 "$err" "$out" | tr '\n' ' ')); trying again" >&2
    fi
    sleep "$try"
  done
  return "$status"
}

# wine_failed STATUS OUT ERR EXE: whether a failed run is wine's, not EXE's.
wine_failed() {
  grep -q "wine client error" "$3" && return 0
  grep -q "^wine: could not load kernel32.dll" "$3" && return 0
  [ "$1" = 1 ] && grep -q "^Application could not be started" "$2" &&
    llvm-readobj-19 --file-headers --sections "$4" > /dev/null 2>&1
}
