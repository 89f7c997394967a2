#include "write/write_archive.h"
#include "support/diagnostics.h"

#include "llvm/Object/ArchiveWriter.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace slimlink {

namespace fs = llvm::sys::fs;

void writeArchiveStream(OutputArchive &out, llvm::raw_ostream &os) {
  std::vector<llvm::NewArchiveMember> members;
  members.reserve(out.members.size());
  for (const OutputMember &m : out.members) {
    // Points at the member's bytes where they are: nothing is copied until
    // the bytes go to the output file.
    llvm::NewArchiveMember nm(llvm::MemoryBufferRef(m.data, m.name));
    nm.MemberName = m.name;
    members.push_back(std::move(nm));
  }
  std::string warnings;
  llvm::Error err = llvm::writeArchiveToStream(
      os, members, llvm::SymtabWritingMode::NormalSymtab, out.kind,
      /*Deterministic=*/true, /*Thin=*/false, std::nullopt,
      [&](llvm::Error e) { warnings += takeMessage(std::move(e)) + "; "; });
  if (err)
    throw UserError(out.path + ": cannot write archive: " +
                    takeMessage(std::move(err)));
  out.bytesWritten = os.tell();
  out.warnings = std::move(warnings);
}

// After the writes, in output order: archives are written in parallel.
static void warnInOrder(const std::vector<OutputArchive> &outputs) {
  for (const OutputArchive &out : outputs)
    if (!out.warnings.empty())
      warn(out.path + ": " + out.warnings);
}

void writeArchives(std::vector<OutputArchive> &outputs,
                   const OutputSink &sink) {
  std::vector<std::string> paths;
  for (const OutputArchive &out : outputs)
    paths.push_back(out.path);
  checkOutputsAreNotInputs(paths);
  // Slice by slice (a universal input): the archives wait in memory until
  // every slice has run.
  if (sink.universal) {
    for (OutputArchive &out : outputs) {
      std::string bytes;
      llvm::raw_string_ostream os(bytes);
      writeArchiveStream(out, os);
      os.flush();
      sink.universal->add(out.path, sink.arch, std::move(bytes));
    }
    warnInOrder(outputs);
    return;
  }
  std::vector<FileWriter> writers;
  for (OutputArchive &out : outputs)
    writers.push_back({out.path, [&out](llvm::raw_ostream &os) {
                         writeArchiveStream(out, os);
                       }});
  writeFilesAtomically(writers);
  warnInOrder(outputs);
}

} // namespace slimlink
