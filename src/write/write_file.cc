#include "write/write_file.h"
#include "support/diagnostics.h"
#include "support/input_files.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Parallel.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <exception>
#include <map>
#include <optional>

namespace slimlink {

namespace fs = llvm::sys::fs;

void checkOutputsAreNotInputs(const std::vector<std::string> &outputs) {
  // Each output's file looked up once, not once per pair: a set of 230
  // libraries has 231 outputs, and every writer checks again.
  using FileId = std::pair<uint64_t, uint64_t>;
  std::map<std::string, int> byPath;
  std::map<FileId, int> byFile;
  std::vector<std::optional<FileId>> ids(outputs.size());
  for (size_t i = 0; i < outputs.size(); ++i) {
    ++byPath[outputs[i]];
    fs::UniqueID id;
    if (!fs::getUniqueID(outputs[i], id)) {
      ids[i] = FileId{id.getDevice(), id.getFile()};
      ++byFile[*ids[i]];
    }
  }
  for (size_t i = 0; i < outputs.size(); ++i) {
    const std::string &out = outputs[i];
    if (std::string in = inputAt(out); !in.empty())
      throw UserError(out + ": output would overwrite the input " +
                      (in == out ? "file" : in) + "; nothing written");
    if (byPath[out] > 1 || (ids[i] && byFile[*ids[i]] > 1))
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

// A destination's checks, before anything is written: a file to replace or
// create, in a directory that exists. A verb's output directory (-o DIR) is
// made by makeOutputDirectory; an output file's is not, so that a mistyped
// path is an error rather than a new directory tree.
static void checkDestination(const std::string &path) {
  fs::file_status st;
  if (!fs::status(path, st) && fs::exists(st)) {
    if (fs::is_directory(st))
      throw UserError(path + ": is a directory; name a file to write");
    // Outputs are renamed into place: a device or a pipe (/dev/null, run as
    // root) would be replaced by a plain file, not written to.
    if (!fs::is_regular_file(st))
      throw UserError(path + ": is not a regular file (a device, pipe or "
                             "socket); outputs replace the file they are "
                             "written to, so name a plain file");
  }
  llvm::StringRef dir = llvm::sys::path::parent_path(path);
  if (dir.empty())
    return;
  if (!fs::exists(dir))
    throw UserError(path + ": cannot write: its directory " + dir.str() +
                    " does not exist");
  if (!fs::is_directory(dir))
    throw UserError(path + ": cannot write: " + dir.str() + " is not a directory");
}

static void writeOne(const FileWriter &f, fs::TempFile &tmp) {
  llvm::raw_fd_ostream os(tmp.FD, /*shouldClose=*/false);
  f.write(os);
  os.flush();
  if (os.has_error()) {
    std::string msg = os.error().message();
    os.clear_error();
    throw UserError(f.path + ": cannot write: " + msg);
  }
}

void writeFilesAtomically(const std::vector<FileWriter> &files) {
  std::vector<std::string> paths;
  for (const FileWriter &f : files)
    paths.push_back(f.path);
  checkOutputsAreNotInputs(paths); // callers check too; this is the last line
  for (const FileWriter &f : files)
    checkDestination(f.path);
  // The temporary files are made here, on the calling thread: the first
  // TempFile::create registers LLVM's signal handlers (to remove temporaries
  // on a crash), and a worker thread must never be the one that does it
  // (it would get an alternate signal stack of LLVM's, which a sanitizer's
  // thread exit cannot free). main() registers them first anyway; this keeps
  // the library safe for callers that do not.
  std::vector<std::optional<fs::TempFile>> temps(files.size());
  auto discardFrom = [&](size_t first) {
    for (size_t j = first; j < temps.size(); ++j)
      if (temps[j])
        llvm::consumeError(temps[j]->discard());
  };
  for (size_t i = 0; i < files.size(); ++i) {
    auto tmp = fs::TempFile::create(files[i].path + ".slimlink-tmp-%%%%%%%%");
    if (!tmp) {
      discardFrom(0);
      // Where and why: a read-only directory, or one no file can be made
      // in (in /proc, creating one says "No such file or directory").
      llvm::StringRef dir = llvm::sys::path::parent_path(files[i].path);
      throw UserError(files[i].path + ": cannot write: cannot create a file in " +
                      (dir.empty() ? std::string(".") : dir.str()) + " (" +
                      takeMessage(tmp.takeError()) +
                      "); each output is written to a new file beside it, "
                      "then renamed into place");
    }
    temps[i].emplace(std::move(*tmp));
  }
  // Written in parallel: a set's outputs are one big common archive and many
  // small ones. The error thrown is the first in order, as if they were
  // written one by one.
  std::vector<std::exception_ptr> errors(files.size());
  llvm::parallelFor(0, files.size(), [&](size_t i) {
    try {
      writeOne(files[i], *temps[i]);
    } catch (...) {
      errors[i] = std::current_exception();
    }
  });
  for (std::exception_ptr &e : errors)
    if (e) {
      discardFrom(0);
      std::rethrow_exception(e);
    }
  for (size_t i = 0; i < temps.size(); ++i)
    if (llvm::Error e = temps[i]->keep(files[i].path)) {
      std::string msg = takeMessage(std::move(e));
      discardFrom(i + 1);
      throw UserError(files[i].path + ": cannot rename into place: " + msg);
    }
}

void writeFilesAtomically(
    const std::vector<std::pair<std::string, std::string>> &files) {
  std::vector<FileWriter> writers;
  for (const auto &[path, bytes] : files)
    writers.push_back({path, [&bytes = bytes](llvm::raw_ostream &os) { os << bytes; }});
  writeFilesAtomically(writers);
}

void writeFileAtomically(const std::string &path, const std::string &contents) {
  writeFilesAtomically({{path, contents}});
}

std::string joinPath(const std::string &dir, llvm::StringRef name) {
  llvm::SmallString<256> p(dir);
  llvm::sys::path::append(p, name);
  return std::string(p);
}

} // namespace slimlink
