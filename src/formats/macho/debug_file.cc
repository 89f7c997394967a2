// Debug info kept apart from a Mach-O image: dsymutil's .dSYM bundle, whose
// DWARF file is FILE.dSYM/Contents/Resources/DWARF/NAME (NAME: FILE's own
// name). It is the image's if their LC_UUIDs agree.
#include "formats/macho/macho.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"

#include <optional>

namespace slimlink {

// The UUID (in hex, "" for none) of a thin Mach-O file that passes the input
// checks; nothing for other bytes.
static std::optional<std::string> uuidOf(llvm::StringRef data) {
  if (!macho::checkHeader(data).empty())
    return std::nullopt;
  auto obj = llvm::object::MachOObjectFile::createMachOObjectFile(
      llvm::MemoryBufferRef(data, ""));
  if (!obj) {
    llvm::consumeError(obj.takeError());
    return std::nullopt;
  }
  if (!macho::checkTables(**obj).empty())
    return std::nullopt;
  return llvm::toHex((*obj)->getUuid(), /*LowerCase=*/true);
}

std::vector<std::string> macho::debugFilePaths(llvm::StringRef data,
                                               const std::string &path) {
  std::optional<std::string> uuid = uuidOf(data);
  if (!uuid || uuid->empty())
    return {};
  llvm::SmallString<256> p(path + ".dSYM");
  llvm::sys::path::append(p, "Contents", "Resources", "DWARF",
                          llvm::sys::path::filename(path));
  return {std::string(p)};
}

std::string macho::debugFileMismatch(llvm::StringRef data,
                                     llvm::StringRef debug) {
  std::optional<std::string> file = uuidOf(data), kept = uuidOf(debug);
  if (!file)
    return "the file is not a readable Mach-O file";
  if (!kept)
    return "the debug file is not a readable thin Mach-O file";
  if (*file == *kept)
    return {};
  auto shown = [](const std::string &id) {
    return id.empty() ? std::string("none") : id;
  };
  return "the debug file's UUID is " + shown(*kept) + ", the file's is " +
         shown(*file);
}

} // namespace slimlink
