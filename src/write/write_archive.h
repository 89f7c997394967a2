// Writes archives all-or-nothing: every output goes to a temp file next to
// its destination, and only when all are written are they renamed into
// place. Archives are deterministic: no timestamps, uids or modes, members in
// the order given, the symbol index built by LLVM from the members.
#pragma once

#include "model/library.h"
#include "write/universal_writer.h"
#include "write/write_file.h"

#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace slimlink {

// A member to write: its bytes are either an input member's (in the input
// mapping) or a rewritten copy that the caller keeps alive until written.
struct OutputMember {
  llvm::StringRef name;
  llvm::StringRef data;
};

struct OutputArchive {
  std::string path;
  llvm::object::Archive::Kind kind = llvm::object::Archive::K_GNU;
  std::vector<OutputMember> members;
  uint64_t bytesWritten = 0; // filled in by writeArchives
  std::string warnings;      // LLVM's, from writing it; writeArchives prints them

  void add(const Member &m) { members.push_back({m.name, m.data}); }
};

// Writes one archive to a stream (writeArchives' core; the fuzzers write into
// memory with it), keeping LLVM's warnings in out.warnings. Throws UserError.
void writeArchiveStream(OutputArchive &out, llvm::raw_ostream &os);

// Writes them where `sink` says. Throws UserError; on failure no output path
// has been created or changed.
void writeArchives(std::vector<OutputArchive> &outputs, const OutputSink &sink);

} // namespace slimlink
