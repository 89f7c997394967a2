#include "write/universal_writer.h"
#include "support/diagnostics.h"
#include "write/write_file.h"

#include "llvm/Object/Archive.h"
#include "llvm/Object/MachOUniversalWriter.h"
#include "llvm/Support/raw_ostream.h"

namespace slimlink {

UniversalOutputs::UniversalOutputs(std::vector<FatSlice> s)
    : slices(std::move(s)) {}

void UniversalOutputs::add(const std::string &path, const std::string &arch,
                           std::string archive) {
  auto [it, fresh] = bytes.try_emplace(path);
  if (fresh)
    order.push_back(path);
  it->second[arch] = std::move(archive);
}

void UniversalOutputs::addFile(const std::string &path, const std::string &arch,
                               std::string contents) {
  auto [it, fresh] = files.try_emplace(path);
  if (fresh)
    fileOrder.push_back(path);
  it->second[arch] = std::move(contents);
}

void writeOutputFile(const OutputSink &sink, const std::string &path,
                     const std::string &contents) {
  if (!sink.universal) {
    writeFileAtomically(path, contents);
    return;
  }
  // Written with the archives, at the end, and only if every slice succeeds.
  checkOutputsAreNotInputs({path});
  sink.universal->addFile(path, sink.arch, contents);
}

// "dir/why.html" for arm64 -> "dir/why.arm64.html".
static std::string slicePath(const std::string &path, const std::string &arch) {
  llvm::StringRef p(path);
  size_t slash = p.find_last_of('/');
  size_t dot = p.rfind('.');
  if (dot == llvm::StringRef::npos || (slash != llvm::StringRef::npos && dot < slash))
    return path + "." + arch;
  return (p.take_front(dot) + "." + arch + p.drop_front(dot)).str();
}

// One output: its slices in the inputs' order, each at the alignment the
// input's slice had (lipo's choice for that CPU).
static std::string fatFile(const std::string &path,
                           const std::vector<FatSlice> &slices,
                           const std::map<std::string, std::string> &archives) {
  std::vector<std::unique_ptr<llvm::object::Archive>> parsed;
  std::vector<llvm::object::Slice> out;
  for (const FatSlice &s : slices) {
    auto it = archives.find(s.arch);
    if (it == archives.end())
      throw UserError(path + ": the " + s.arch +
                      " slice wrote no such output: the slices' outputs "
                      "differ, so no universal file can hold them");
    auto ar = llvm::object::Archive::create(llvm::MemoryBufferRef(it->second, path));
    if (!ar)
      throw UserError(path + ": cannot read back its " + s.arch +
                      " slice: " + takeMessage(ar.takeError()));
    parsed.push_back(std::move(*ar));
    out.emplace_back(*parsed.back(), s.cpuType, s.cpuSubType, s.arch,
                     s.alignLog2);
  }
  std::string file;
  llvm::raw_string_ostream os(file);
  if (llvm::Error e = llvm::object::writeUniversalBinaryToStream(out, os))
    throw UserError(path + ": cannot write universal file: " +
                    takeMessage(std::move(e)));
  os.flush();
  return file;
}

void UniversalOutputs::write() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const std::string &path : order)
    out.emplace_back(path, fatFile(path, slices, bytes[path]));
  for (const std::string &path : fileOrder) {
    const auto &perArch = files[path];
    bool same = true;
    for (const auto &kv : perArch)
      same &= kv.second == perArch.begin()->second;
    if (same) {
      out.emplace_back(path, perArch.begin()->second);
      continue;
    }
    for (const FatSlice &s : slices)
      if (auto it = perArch.find(s.arch); it != perArch.end())
        out.emplace_back(slicePath(path, s.arch), it->second);
  }
  std::vector<std::string> paths;
  for (const auto &f : out)
    paths.push_back(f.first);
  checkOutputsAreNotInputs(paths);
  writeFilesAtomically(out);
}

} // namespace slimlink
