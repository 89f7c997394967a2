// Helpers the fuzz targets share. A target returns normally for a clean
// error (slimlink::UserError) and for a good output; it calls violated() -
// which traps, so libFuzzer saves the input as a crash - when an invariant
// that must hold for any input does not.
#pragma once

#include "formats/read_library.h"
#include "model/library.h"
#include "model/universal.h"
#include "support/diagnostics.h"
#include "write/write_archive.h"

#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/Parallel.h"
#include "llvm/Support/Threading.h"

#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

namespace slimlink::fuzz {

[[noreturn]] inline void violated(const std::string &what) {
  fprintf(stderr, "slimlink fuzz: invariant violated: %s\n", what.c_str());
  // Not abort(): LLVM's signal handler (installed by TempFile) catches
  // SIGABRT, restores the old handlers and returns, and abort() then dies
  // without libFuzzer's handler, so no crash file would be written. A trap
  // faults again after LLVM's handler returns, and libFuzzer sees it.
  __builtin_trap();
}

// One thread: libFuzzer parallelizes with -fork/-jobs, and a thread pool per
// input would only add noise (and make crashes harder to reproduce).
inline void singleThreaded() {
  llvm::parallel::strategy = llvm::hardware_concurrency(1);
  // LLVM's report_fatal_error ends in exit/abort, which LLVM's own signal
  // handling can hide from libFuzzer: trap, so the input is saved.
  llvm::install_fatal_error_handler([](void *, const char *reason, bool) {
    fprintf(stderr, "slimlink fuzz: LLVM fatal error: %s\n", reason);
    __builtin_trap();
  });
}

// A buffer over the fuzzer's bytes without a copy, so that ASan sees a read
// even one byte past the end (a copy would add a NUL terminator).
inline std::unique_ptr<llvm::MemoryBuffer> bufferOf(llvm::StringRef bytes,
                                                    llvm::StringRef name) {
  return llvm::MemoryBuffer::getMemBuffer(bytes, name,
                                          /*RequiresNullTerminator=*/false);
}

// The Darwin64 writer (LLVM's, like Apple's ar) pads each member to 8
// bytes with '\n' inside the member's size, so its bytes compare equal only
// without that padding (RELIABILITY.md). Other kinds keep bytes exactly.
inline llvm::StringRef comparable(llvm::StringRef bytes,
                                  llvm::object::Archive::Kind kind) {
  return kind == llvm::object::Archive::K_DARWIN64 ? bytes.rtrim('\n') : bytes;
}

// Bitcode members are parsed by LLVM's IR reader when the writer indexes
// their symbols, and that reader is not hardened against damaged bitcode
// (known-llvm-crashes/, RELIABILITY.md). slimlink cannot index bitcode
// without it, so the targets do not write inputs that have bitcode members.
inline bool hasBitcode(const InputSet &in) {
  for (const Library &lib : in.libs)
    for (const Member &m : lib.members)
      if (m.kind == MemberKind::Bitcode)
        return true;
  return false;
}

// Writes `members` as one archive into memory with slimlink's writer.
// Returns false on a clean write error (e.g. LLVM's symbol table builder
// refusing an object that slimlink itself could read), and for bitcode.
inline bool writeToMemory(llvm::object::Archive::Kind kind,
                          const std::vector<const Member *> &members,
                          std::string &bytes) {
  for (const Member *m : members)
    if (m->kind == MemberKind::Bitcode)
      return false;
  OutputArchive out;
  out.path = "fuzz-out.a";
  out.kind = kind;
  for (const Member *m : members)
    out.add(*m);
  llvm::raw_string_ostream os(bytes);
  try {
    writeArchiveStream(out, os);
  } catch (const UserError &) {
    return false;
  }
  os.flush();
  return true;
}

// Reads back an archive slimlink wrote: this must never fail.
inline InputSet readBack(std::string &bytes) {
  std::vector<std::unique_ptr<llvm::MemoryBuffer>> bufs;
  bufs.push_back(bufferOf(bytes, "fuzz-out.a"));
  try {
    return readLibraryBuffers(std::move(bufs), {.progress = false});
  } catch (const UserError &e) {
    violated(std::string("slimlink cannot read its own output: ") + e.what());
  }
}

// The architecture of a universal file's first slice ("" for a thin file or
// a damaged fat header, which the reader then refuses).
inline std::string firstSliceArch(llvm::StringRef bytes) {
  if (!isUniversal(bytes))
    return {};
  try {
    return readFatSlices("fuzz", bytes).front().arch;
  } catch (const UserError &) {
    return {};
  }
}

// readLibraries for files that may be universal: their first slice, as the
// verbs' run for that slice reads it (cli/slices.h); outputs keep the
// inputs' slice order, so inputs and outputs compare slice for slice.
inline InputSet readFirstSlice(const std::vector<std::string> &paths) {
  std::string arch;
  for (const std::string &p : paths)
    if (auto buf = llvm::MemoryBuffer::getFile(p, false, false); buf && arch.empty())
      arch = firstSliceArch((*buf)->getBuffer());
  return readLibraries(paths, {.progress = false, .arch = arch});
}

} // namespace slimlink::fuzz
