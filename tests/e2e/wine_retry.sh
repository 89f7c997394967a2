# wine_run (wine_lib.sh) tries a run again only when wine, not the program,
# failed: a program wine cannot start because it is broken fails on the
# first try, and one it refused to start while it is a whole PE file is
# tried again. On the MSVC host linked from the original libraries.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/coff_lib.sh"
cd "$WORK"
msvc_link good.exe "$COFF"/msvc/libplug{1,2,3}.lib > link.log 2>&1 || fail "lld-link: $(head -5 link.log)"
wine_run good.out good.err ./good.exe 2> good.tries || fail "the original program fails under wine: $(head -5 good.err)"
[ ! -s good.tries ] || fail "a run that passed was tried again: $(cat good.tries)"

# A truncated program: wine falls back to start.exe, exit status 1, and the
# run is not tried again (llvm-readobj refuses the file).
head -c 1500 good.exe > broken.exe
status=0; wine_run broken.out broken.err ./broken.exe 2> broken.tries || status=$?
[ "$status" = 1 ] || fail "the truncated program: exit status $status, want 1 (start.exe's)"
grep -q "^Application could not be started" broken.out || fail "the truncated program: wine printed $(head -3 broken.out broken.err)"
[ ! -s broken.tries ] || fail "a broken program was tried again: $(cat broken.tries)"

# What the retry keys on: the same refusal on a whole PE file is wine's.
wine_failed 1 broken.out broken.err ./good.exe || fail "wine's refusal of a whole PE file is taken as the program's"
! wine_failed 1 broken.out broken.err ./broken.exe || fail "a truncated file's refusal is taken as wine's"
! wine_failed 3 good.out good.err ./good.exe || fail "a program's own exit status is taken as wine's"
pass "wine_run: tries again only what wine failed, not a broken program"
