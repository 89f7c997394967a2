// Debug info kept apart from an ELF file (`objcopy --only-keep-debug`, a
// distribution's debug package), found as GDB finds it, best first:
//   the build ID (an NT_GNU_BUILD_ID note of owner "GNU"):
//     ROOT/.build-id/xx/rest.debug, xx its first byte in hex, rest the others;
//   .gnu_debuglink (a file name, NUL-terminated and padded to 4 bytes, then
//   the standard CRC-32 of the debug file, zlib's): DIR/NAME, DIR/.debug/NAME
//     and ROOT/DIR/NAME, DIR the file's own directory (absolute).
// ROOT is /usr/lib/debug unless the user says otherwise. A debug file is the
// file's if their build IDs agree; where neither has one, if its CRC-32 is
// the one .gnu_debuglink names.
#include "formats/elf/elf.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Object/ELF.h"
#include "llvm/Support/CRC.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <optional>

namespace slimlink {

using namespace llvm::object;

namespace {
// What ties an ELF file to its debug file.
struct DebugIdentity {
  std::string buildId; // in hex; "" for none
  std::string link;    // .gnu_debuglink's file name; "" for none
  uint32_t crc = 0;    // .gnu_debuglink's CRC-32, if `link` is set
};
} // namespace

// .gnu_debuglink's contents, if they hold what they should: a plain file
// name (no directory: the name is looked for in fixed places only) and the
// CRC-32 after its padding.
template <class ELFT>
static void readDebugLink(llvm::StringRef bytes, DebugIdentity &id) {
  size_t nul = bytes.find('\0');
  if (nul == llvm::StringRef::npos || nul == 0)
    return;
  uint64_t at = llvm::alignTo(nul + 1, 4);
  llvm::StringRef name = bytes.take_front(nul);
  if (at + 4 > bytes.size() || name.contains('/') || name == "." ||
      name == "..")
    return;
  id.link = name.str();
  id.crc = llvm::support::endian::read32<ELFT::Endianness>(bytes.data() + at);
}

template <class ELFT>
static DebugIdentity identityOf(const ELFFile<ELFT> &elf) {
  DebugIdentity id;
  auto sections = elf.sections();
  if (!sections) {
    llvm::consumeError(sections.takeError());
    return id;
  }
  for (const typename ELFT::Shdr &sh : *sections) {
    if (sh.sh_type == llvm::ELF::SHT_NOTE && id.buildId.empty()) {
      llvm::Error err = llvm::Error::success();
      size_t align = std::max<size_t>(sh.sh_addralign, 4);
      for (const typename ELFT::Note &note : elf.notes(sh, err))
        if (note.getType() == llvm::ELF::NT_GNU_BUILD_ID &&
            note.getName() == "GNU" && id.buildId.empty())
          id.buildId = llvm::toHex(note.getDesc(align), /*LowerCase=*/true);
      llvm::consumeError(std::move(err));
      continue;
    }
    if (sh.sh_type == llvm::ELF::SHT_NOBITS || !id.link.empty())
      continue;
    auto name = elf.getSectionName(sh);
    if (!name) {
      llvm::consumeError(name.takeError());
      continue;
    }
    if (*name != ".gnu_debuglink")
      continue;
    if (auto bytes = elf.getSectionContents(sh))
      readDebugLink<ELFT>(llvm::toStringRef(*bytes), id);
    else
      llvm::consumeError(bytes.takeError());
  }
  return id;
}

// The identity of an ELF file that passes the input checks; nothing for
// other bytes.
static std::optional<DebugIdentity> identityOf(llvm::StringRef data) {
  if (!data.starts_with("\x7f" "ELF") || !elf::checkExtents(data).empty())
    return std::nullopt;
  auto read = [&](auto elf) -> std::optional<DebugIdentity> {
    if (!elf) {
      llvm::consumeError(elf.takeError());
      return std::nullopt;
    }
    return identityOf(*elf);
  };
  bool is64 = data[llvm::ELF::EI_CLASS] == llvm::ELF::ELFCLASS64;
  bool le = data[llvm::ELF::EI_DATA] == llvm::ELF::ELFDATA2LSB;
  if (is64)
    return le ? read(ELF64LEFile::create(data)) : read(ELF64BEFile::create(data));
  return le ? read(ELF32LEFile::create(data)) : read(ELF32BEFile::create(data));
}

std::vector<std::string> elf::debugFilePaths(llvm::StringRef data,
                                             const std::string &path,
                                             const std::string &root) {
  std::optional<DebugIdentity> id = identityOf(data);
  if (!id)
    return {};
  namespace path_ = llvm::sys::path;
  std::vector<std::string> paths;
  if (id->buildId.size() >= 4) { // at least two bytes: "xx/rest.debug"
    llvm::SmallString<256> p(root);
    path_::append(p, ".build-id", llvm::StringRef(id->buildId).take_front(2),
                  llvm::StringRef(id->buildId).drop_front(2) + ".debug");
    paths.push_back(std::string(p));
  }
  if (!id->link.empty()) {
    llvm::SmallString<256> dir(path_::parent_path(path));
    if (dir.empty())
      dir = ".";
    llvm::SmallString<256> absolute;
    if (llvm::sys::fs::real_path(dir, absolute))
      absolute.clear();
    llvm::SmallString<256> p(dir);
    path_::append(p, id->link);
    paths.push_back(std::string(p));
    p = dir;
    path_::append(p, ".debug", id->link);
    paths.push_back(std::string(p));
    if (!absolute.empty()) {
      p = root;
      path_::append(p, path_::relative_path(absolute), id->link);
      paths.push_back(std::string(p));
    }
  }
  return paths;
}

std::string elf::debugFileMismatch(llvm::StringRef data,
                                   llvm::StringRef debug) {
  std::optional<DebugIdentity> file = identityOf(data);
  std::optional<DebugIdentity> kept = identityOf(debug);
  if (!file)
    return "the file is not a readable ELF file";
  if (!kept) {
    if (!debug.starts_with("\x7f" "ELF"))
      return "the debug file is not an ELF file";
    std::string err = elf::checkExtents(debug);
    return "the debug file is not a readable ELF file" +
           (err.empty() ? std::string() : " (" + err + ")");
  }
  if (!file->buildId.empty() || !kept->buildId.empty()) {
    if (file->buildId == kept->buildId)
      return {};
    auto shown = [](const std::string &id) {
      return id.empty() ? std::string("none") : id;
    };
    return "the debug file's build ID is " + shown(kept->buildId) +
           ", the file's is " + shown(file->buildId);
  }
  if (file->link.empty())
    return {}; // nothing to match: the symbols must agree (size_load.cc)
  uint32_t crc = llvm::crc32(llvm::arrayRefFromStringRef(debug));
  if (crc == file->crc)
    return {};
  return "the debug file's CRC-32 is " + llvm::utohexstr(crc, true) +
         ", the file's .gnu_debuglink wants " +
         llvm::utohexstr(file->crc, true);
}

} // namespace slimlink
