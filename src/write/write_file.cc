#include "write/write_file.h"
#include "support/diagnostics.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace slimlink {

namespace fs = llvm::sys::fs;

void writeFileAtomically(const std::string &path, const std::string &contents) {
  llvm::StringRef dir = llvm::sys::path::parent_path(path);
  if (!dir.empty())
    if (std::error_code ec = fs::create_directories(dir))
      throw UserError(dir.str() + ": cannot create directory: " + ec.message());
  auto tmp = fs::TempFile::create(path + ".slimlink-tmp-%%%%%%%%");
  if (!tmp)
    throw UserError(path + ": cannot create temporary file: " +
                    takeMessage(tmp.takeError()));
  {
    llvm::raw_fd_ostream os(tmp->FD, /*shouldClose=*/false);
    os << contents;
    os.flush();
    if (os.has_error()) {
      std::string msg = os.error().message();
      os.clear_error();
      llvm::consumeError(tmp->discard());
      throw UserError(path + ": cannot write: " + msg);
    }
  }
  if (llvm::Error e = tmp->keep(path))
    throw UserError(path + ": cannot rename into place: " +
                    takeMessage(std::move(e)));
}

} // namespace slimlink
