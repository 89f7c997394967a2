// LD_PRELOAD shim for e2e.signal_stack: a worker thread that installs an
// alternate signal stack makes the process exit 97 with a message. LLVM's
// signal handlers install one, malloc'd, on whichever thread registers them
// first; a sanitizer's thread exit then munmaps that block and aborts, but
// only on CPUs where the sanitizer's own stack is the smaller one. Watching
// the call itself makes the test independent of the CPU.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int sigaltstack(const stack_t *ss, stack_t *old) {
  if (ss && !(ss->ss_flags & SS_DISABLE) && syscall(SYS_gettid) != getpid()) {
    static const char msg[] =
        "sigaltstack_guard: a worker thread installs an alternate signal stack\n";
    write(2, msg, sizeof msg - 1);
    _exit(97);
  }
  return syscall(SYS_sigaltstack, ss, old);
}
