#include "write/write_file.h"
#include "support/diagnostics.h"
#include "support/input_files.h"
#include "write/universal_writer.h"

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

// A destination's checks, before anything is written.
static void checkDestination(const std::string &path) {
  if (fs::is_directory(path))
    throw UserError(path + ": is a directory; name a file to write");
  createParentDirectory(path);
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
  std::vector<fs::TempFile> temps;
  auto discardFrom = [&](size_t first) {
    for (size_t j = first; j < temps.size(); ++j)
      llvm::consumeError(temps[j].discard());
  };
  try {
    for (const FileWriter &f : files) {
      checkDestination(f.path);
      auto tmp = fs::TempFile::create(f.path + ".slimlink-tmp-%%%%%%%%");
      if (!tmp)
        throw UserError(f.path + ": cannot create temporary file: " +
                        takeMessage(tmp.takeError()));
      temps.push_back(std::move(*tmp));
      writeOne(f, temps.back());
    }
  } catch (...) {
    discardFrom(0);
    throw;
  }
  for (size_t i = 0; i < temps.size(); ++i)
    if (llvm::Error e = temps[i].keep(files[i].path)) {
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
  // Slice by slice (a universal input): written with the archives, at the
  // end, and only if every slice succeeds.
  if (UniversalOutputs *fat = UniversalOutputs::active()) {
    checkOutputsAreNotInputs({path});
    fat->addFile(path, contents);
    return;
  }
  writeFilesAtomically({{path, contents}});
}

} // namespace slimlink
