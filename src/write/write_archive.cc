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
  if (!warnings.empty())
    warn(out.path + ": " + warnings);
}

static void writeOne(OutputArchive &out, fs::TempFile &tmp) {
  llvm::raw_fd_ostream os(tmp.FD, /*shouldClose=*/false);
  writeArchiveStream(out, os);
  os.flush();
  if (os.has_error())
    throw UserError(out.path + ": cannot write: " + os.error().message());
}

void writeArchives(std::vector<OutputArchive> &outputs) {
  std::vector<fs::TempFile> temps;
  auto discardAll = [&] {
    for (fs::TempFile &t : temps)
      llvm::consumeError(t.discard());
  };
  std::vector<std::string> paths;
  for (const OutputArchive &out : outputs)
    paths.push_back(out.path);
  checkOutputsAreNotInputs(paths); // callers check too; this is the last line
  try {
    for (OutputArchive &out : outputs) {
      createParentDirectory(out.path);
      auto tmp = fs::TempFile::create(out.path + ".slimlink-tmp-%%%%%%%%");
      if (!tmp)
        throw UserError(out.path + ": cannot create temporary file: " +
                        takeMessage(tmp.takeError()));
      temps.push_back(std::move(*tmp));
      writeOne(out, temps.back());
    }
  } catch (...) {
    discardAll();
    throw;
  }
  for (size_t i = 0; i < temps.size(); ++i)
    if (llvm::Error e = temps[i].keep(outputs[i].path)) {
      std::string msg = takeMessage(std::move(e));
      for (size_t j = i + 1; j < temps.size(); ++j)
        llvm::consumeError(temps[j].discard());
      throw UserError(outputs[i].path + ": cannot rename into place: " + msg);
    }
}

} // namespace slimlink
