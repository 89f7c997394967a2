// Reading inputs into the model: archives (each member's extent checked
// before LLVM reads it), and each member's kind, target and symbols, with the
// checks each format's objects pass first (ObjectFormat::checkBytes and
// checkObject). The model (model/library.h) is plain data; this is where
// bytes become it.
#pragma once

#include "model/library.h"

#include "llvm/Support/MemoryBuffer.h"

#include <memory>
#include <string>
#include <vector>

namespace slimlink {

struct ReadOptions {
  // Report progress on stderr for inputs that take longer than a second.
  bool progress = true;
  // The slice to read from universal (fat) inputs, as lipo names it; "":
  // a universal input is an error (cli/slices.h runs a verb per slice).
  std::string arch = "";
};

// Reads archives into the model, in parallel across members. Throws
// slimlink::InputError naming the file (and member/offset) on any bad input;
// nothing is read half: either every library is valid or the call throws.
InputSet readLibraries(const std::vector<std::string> &paths,
                       const ReadOptions &opts = {});

// The same, from archives already in memory (the fuzzers' entry point); each
// buffer's identifier names it in errors.
InputSet readLibraryBuffers(std::vector<std::unique_ptr<llvm::MemoryBuffer>> files,
                            const ReadOptions &opts = {});

// Fills kind, target and symbols of one member from its bytes. Returns an
// error message (empty on success) instead of throwing: it runs on worker
// threads.
std::string readMember(Member &m);

} // namespace slimlink
