#include "write/write_file.h"
#include "support/diagnostics.h"
#include "support/input_files.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace slimlink {

namespace fs = llvm::sys::fs;

void checkOutputsAreNotInputs(const std::vector<std::string> &outputs) {
  for (const std::string &out : outputs) {
    if (std::string in = inputAt(out); !in.empty())
      throw UserError(out + ": output would overwrite the input " +
                      (in == out ? "file" : in) + "; nothing written");
    for (const std::string &other : outputs)
      if (&other != &out && (other == out || (fs::exists(out) &&
                                              fs::equivalent(other, out))))
        throw UserError(out + ": two outputs would be written to this path "
                              "(do two inputs share a file name?)");
  }
}

void makeOutputDirectory(const std::string &dir, const char *option) {
  if (fs::exists(dir) && !fs::is_directory(dir))
    throw UserError(std::string(option) + " " + dir + " is not a directory");
  // all_all: 0777 less the umask, as `mkdir -p` (LLVM's default is 0770).
  if (std::error_code ec = fs::create_directories(dir, true, fs::all_all))
    throw UserError(dir + ": cannot create directory: " + ec.message());
}

void createParentDirectory(const std::string &path) {
  llvm::StringRef dir = llvm::sys::path::parent_path(path);
  if (dir.empty())
    return;
  if (fs::exists(dir) && !fs::is_directory(dir))
    throw UserError(path + ": cannot write: " + dir.str() + " is not a directory");
  if (std::error_code ec = fs::create_directories(dir, true, fs::all_all))
    throw UserError(dir.str() + ": cannot create directory: " + ec.message());
}

void writeFileAtomically(const std::string &path, const std::string &contents) {
  checkOutputsAreNotInputs({path});
  if (fs::is_directory(path))
    throw UserError(path + ": is a directory; name a file to write");
  createParentDirectory(path);
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
