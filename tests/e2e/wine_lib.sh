# wine_run OUT ERR EXE ARGS...: runs a Windows program under wine64 (60 s at
# most), its stdout into OUT and stderr into ERR; returns its exit status.
# Tests that share one wine prefix run side by side, and a client can reach
# the prefix's wineserver just as it exits after its idle timeout ("wine
# client error:0: recvmsg: Connection reset by peer", seen once in a fresh
# clone's run): only such a run is tried again, up to three times. Any
# other failure is the program's.
# Sourced by lib.sh, and by the COFF fixture, which runs without lib.sh.
wine_run() {
  local out=$1 err=$2 status=0 try; shift 2
  for try in 1 2 3; do
    status=0
    timeout 60 /usr/lib/wine/wine64 "$@" > "$out" 2> "$err" || status=$?
    if [ "$status" = 0 ] || ! grep -q "wine client error" "$err"; then
      return "$status"
    fi
    sleep "$try"
  done
  return "$status"
}
