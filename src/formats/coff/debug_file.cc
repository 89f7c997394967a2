// Debug info kept apart from a PE image: its PDB. The image's CodeView
// debug directory record (RSDS) names the PDB's path as the linker wrote it
// (often a Windows path, or one of the machine it was built on) with the
// PDB's GUID and age; a PDB is the image's if both agree. Looked for, best
// first: at that path, under that path's file name beside the image, and as
// NAME.pdb beside the image (NAME: the image's name without its extension).
#include "formats/coff/coff.h"
#include "support/diagnostics.h"

#include "llvm/Object/COFF.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/Path.h"

#include <optional>

namespace slimlink {

namespace {

// The CodeView record of an image: its PDB's identity and the path it
// names. Nothing for files that are not PE images, or have no PDB 7.0
// record.
struct CodeViewRecord {
  coff::PdbIdentity id;
  std::string path;
};

std::optional<CodeViewRecord> codeViewOf(llvm::StringRef data) {
  auto obj = llvm::object::ObjectFile::createCOFFObjectFile(
      llvm::MemoryBufferRef(data, ""));
  if (!obj) {
    llvm::consumeError(obj.takeError());
    return std::nullopt;
  }
  const auto &coff = llvm::cast<llvm::object::COFFObjectFile>(**obj);
  if (!coff.getPE32Header() && !coff.getPE32PlusHeader())
    return std::nullopt;
  if (!coff::checkExtents(coff).empty())
    return std::nullopt;
  // The record is read here, by its file offset, not through LLVM's
  // getDebugPDBInfo: that finds it by address in a section whose virtual
  // size may run past its bytes in the file, and reads the name after it
  // up to a NUL byte wherever that is (found by fuzz/size_pdb: a read past
  // the end of the input).
  auto inData = [&](const void *p, uint64_t size) {
    auto at = reinterpret_cast<uintptr_t>(p),
         begin = reinterpret_cast<uintptr_t>(data.data());
    return at >= begin && at - begin <= data.size() &&
           size <= data.size() - (at - begin);
  };
  const llvm::object::debug_directory *first = coff.debug_directory_begin(),
                                      *end = coff.debug_directory_end();
  if (!first || end < first ||
      !inData(first, uint64_t(end - first) * sizeof(*first)))
    return std::nullopt;
  for (const llvm::object::debug_directory &d : coff.debug_directories()) {
    if (d.Type != llvm::COFF::IMAGE_DEBUG_TYPE_CODEVIEW || !d.PointerToRawData)
      continue;
    // RSDS, the GUID, the age, then the path up to a NUL byte.
    const size_t head = 4 + 16 + 4;
    if (d.PointerToRawData > data.size() ||
        d.SizeOfData > data.size() - d.PointerToRawData || d.SizeOfData < head)
      return std::nullopt;
    llvm::StringRef record = data.substr(d.PointerToRawData, d.SizeOfData);
    if (!record.starts_with("RSDS"))
      continue;
    CodeViewRecord r;
    std::copy(record.begin() + 4, record.begin() + 20, r.id.guid.Guid);
    r.id.age = llvm::support::endian::read32le(record.data() + 20);
    r.path = record.drop_front(head).split('\0').first.str();
    return r;
  }
  return std::nullopt;
}

// The last component of a path written on Windows or elsewhere.
llvm::StringRef baseName(llvm::StringRef path) {
  size_t slash = path.find_last_of("/\\");
  return slash == llvm::StringRef::npos ? path : path.drop_front(slash + 1);
}

} // namespace

std::vector<std::string> coff::debugFilePaths(llvm::StringRef data,
                                              const std::string &path) {
  std::optional<CodeViewRecord> cv = codeViewOf(data);
  if (!cv)
    return {};
  std::vector<std::string> out;
  auto add = [&](std::string p) {
    if (!p.empty() && !llvm::is_contained(out, p))
      out.push_back(std::move(p));
  };
  add(cv->path);
  llvm::SmallString<256> dir(llvm::sys::path::parent_path(path));
  auto beside = [&](llvm::StringRef name) {
    if (name.empty() || name == "." || name == "..")
      return;
    llvm::SmallString<256> p(dir);
    llvm::sys::path::append(p, name);
    add(std::string(p));
  };
  beside(baseName(cv->path));
  beside((llvm::sys::path::stem(path) + ".pdb").str());
  return out;
}

std::string coff::debugFileMismatch(llvm::StringRef data,
                                    llvm::StringRef debug) {
  std::optional<CodeViewRecord> cv = codeViewOf(data);
  if (!cv)
    return "the file names no PDB (it is not a PE image with a CodeView "
           "(RSDS) debug record)";
  PdbIdentity kept;
  if (std::string err = readPdbIdentity(debug, kept); !err.empty())
    return "the debug file is not a readable PDB file (" + err + ")";
  if (kept.guid == cv->id.guid && kept.age == cv->id.age)
    return {};
  return "the debug file's GUID and age are " + kept.describe() +
         ", the file's are " + cv->id.describe() + " (its PDB: " + cv->path +
         ")";
}

} // namespace slimlink
