// The Mach-O edge: ObjectFormat for Mach-O objects and files.
#include "formats/macho/macho.h"
#include "support/diagnostics.h"
#include "formats/objcopy.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/BinaryFormat/Magic.h"
#include "llvm/Object/MachO.h"
#include "llvm/Support/Endian.h"

#include <cstring>

namespace slimlink {

// Whether a section [addr, addr + size) lies inside its segment.
static bool checkSegmentSection(uint64_t vmaddr, uint64_t vmsize,
                                uint64_t addr, uint64_t size) {
  return addr >= vmaddr && addr - vmaddr <= vmsize &&
         size <= vmsize - (addr - vmaddr);
}

// What LLVM 19's ObjCopy (lib/ObjCopy/MachO: MachOReader, MachOObject,
// MachOLayoutBuilder, MachOWriter) trusts in a Mach-O object, each checked
// here because it dereferences, indexes or lays out by it unchecked:
//   - filetype: MachOObjectFile reads relocations from the section's
//     reloff only for MH_OBJECT, else from LC_DYSYMTAB's extreloff and
//     locreloff; identify_magic looks at the low byte alone, so 0x100001
//     passes as an object and ObjCopy reads relocations from offset 0;
//   - a segment's cmdsize: extractSections walks sections up to cmdsize,
//     not nsects, so the two must agree; its segname is strlen'd; a
//     __LINKEDIT segment's sections are never laid out;
//   - each load command ObjCopy copies as its struct (MachO.def) is
//     memcpy'd whole, whatever its cmdsize;
//   - sections: contents and relocation tables inside the file, an offset
//     for any contents, alignment (1 << align) and address in its segment;
//   - relocations (not scattered, not ARM64_RELOC_ADDEND, exactly as
//     MachOReader decides): external ones index the symbol table
//     (getSymbolByIndex), the others the sections from 1 (Sections[n - 1]);
//     scattered ones in 64-bit objects are refused (no compiler writes them);
//   - symbols: n_strx inside the string table (strlen), which ends with a
//     NUL; n_sect 0 or a section (removeSections maps it through a table of
//     the sections and frees what it does not find, leaving dangling
//     pointers in the indirect symbol table);
//   - indirect symbols that are not LOCAL or ABS index the symbol table.
// LLVM's own parser has already checked the symbol, string and indirect
// tables and the load commands against the file.
std::string macho::checkObjcopyInput(llvm::StringRef bytes) {
  using namespace llvm::MachO;
  namespace endian = llvm::support::endian;
  auto parsed = llvm::object::ObjectFile::createObjectFile(
      llvm::MemoryBufferRef(bytes, "object"));
  if (!parsed)
    return "malformed object: " + takeMessage(parsed.takeError());
  const auto *macho =
      llvm::dyn_cast<llvm::object::MachOObjectFile>(parsed->get());
  if (!macho)
    return "not a Mach-O object";
  const bool le = macho->isLittleEndian(), is64 = macho->is64Bit();
  auto read32 = [&](const char *p) {
    return le ? endian::read32le(p) : endian::read32be(p);
  };
  uint32_t filetype = macho->getHeader().filetype;
  uint32_t cputype = macho->getHeader().cputype;
  if (filetype != MH_OBJECT)
    return "Mach-O file type 0x" + llvm::utohexstr(filetype) +
           " is not an object's (MH_OBJECT, 1), though its low byte reads as one";
  const uint64_t fileSize = bytes.size();

  // Load commands, and the sections of each segment, numbered from 1.
  struct Sect {
    std::string name;
    uint64_t size;
    uint32_t offset, align, reloff, nreloc, flags;
  };
  std::vector<Sect> sections;
  unsigned index = 0;
  for (const auto &lc : macho->load_commands()) {
    std::string what = "Mach-O load command " + std::to_string(index++);
    uint32_t cmd = lc.C.cmd, cmdsize = lc.C.cmdsize;
    size_t need = 0;
    switch (cmd) {
#define HANDLE_LOAD_COMMAND(LCName, LCValue, LCStruct)                         \
  case LCName:                                                                 \
    need = sizeof(LCStruct);                                                   \
    break;
#include "llvm/BinaryFormat/MachO.def"
#undef HANDLE_LOAD_COMMAND
    default:
      break;
    }
    if (cmdsize < need)
      return what + " (0x" + llvm::utohexstr(cmd) + ") is " +
             std::to_string(cmdsize) + " bytes, shorter than its " +
             std::to_string(need) + "-byte structure";
    if (cmd != LC_SEGMENT && cmd != LC_SEGMENT_64)
      continue;
    size_t segSize = is64 ? sizeof(segment_command_64) : sizeof(segment_command);
    size_t sectSize = is64 ? sizeof(section_64) : sizeof(section);
    uint32_t nsects = is64 ? macho->getSegment64LoadCommand(lc).nsects
                           : macho->getSegmentLoadCommand(lc).nsects;
    if (cmdsize != segSize + uint64_t(nsects) * sectSize)
      return what + ": a segment of " + std::to_string(nsects) +
             " sections is " + std::to_string(cmdsize) + " bytes, not " +
             std::to_string(segSize + uint64_t(nsects) * sectSize);
    llvm::StringRef afterName(lc.Ptr + 8, segSize - 8);
    if (afterName.find('\0') == llvm::StringRef::npos)
      return what + ": the segment name is not terminated";
    llvm::StringRef segname(lc.Ptr + 8, strnlen(lc.Ptr + 8, 16));
    if (segname == "__LINKEDIT" && nsects)
      return what + ": a __LINKEDIT segment with sections";
    for (uint32_t i = 0; i < nsects; ++i) {
      Sect s;
      auto fill = [&](const auto &sec) {
        s.name = std::string(sec.segname, strnlen(sec.segname, 16)) + "," +
                 std::string(sec.sectname, strnlen(sec.sectname, 16));
        s.size = sec.size;
        s.offset = sec.offset;
        s.align = sec.align;
        s.reloff = sec.reloff;
        s.nreloc = sec.nreloc;
        s.flags = sec.flags;
        return checkSegmentSection(is64 ? macho->getSegment64LoadCommand(lc).vmaddr
                                        : macho->getSegmentLoadCommand(lc).vmaddr,
                                   is64 ? macho->getSegment64LoadCommand(lc).vmsize
                                        : macho->getSegmentLoadCommand(lc).vmsize,
                                   sec.addr, sec.size);
      };
      bool inside = is64 ? fill(macho->getSection64(lc, i))
                         : fill(macho->getSection(lc, i));
      if (!inside)
        return "Mach-O section " + s.name + " lies outside its segment";
      sections.push_back(std::move(s));
    }
  }

  const uint32_t nsects = sections.size();
  llvm::MachO::symtab_command st{};
  if (macho->getSymtabLoadCommand().cmd)
    st = macho->getSymtabLoadCommand();
  const uint32_t nsyms = st.nsyms;
  for (const Sect &s : sections) {
    std::string what = "Mach-O section " + s.name;
    uint32_t type = s.flags & SECTION_TYPE;
    bool zerofill = type == S_ZEROFILL || type == S_GB_ZEROFILL ||
                    type == S_THREAD_LOCAL_ZEROFILL;
    if (!zerofill && s.size &&
        (s.offset == 0 || s.offset > fileSize || s.size > fileSize - s.offset))
      return what + " (offset " + std::to_string(s.offset) + ", size " +
             std::to_string(s.size) + ") does not lie inside the object";
    if (s.align > 24)
      return what + " is aligned to 2^" + std::to_string(s.align) +
             " bytes (at most 2^24 taken)";
    if (!s.nreloc)
      continue;
    constexpr uint64_t relSize = 8;
    if (s.reloff > fileSize || s.nreloc > (fileSize - s.reloff) / relSize)
      return what + ": " + std::to_string(s.nreloc) + " relocations at " +
             std::to_string(s.reloff) + " run past the end of the object";
    for (uint32_t i = 0; i < s.nreloc; ++i) {
      const char *rel = bytes.data() + s.reloff + i * relSize;
      uint32_t word0 = read32(rel), word1 = read32(rel + 4);
      // As MachOObjectFile::isRelocationScattered: never on x86_64.
      if (cputype != CPU_TYPE_X86_64 && (word0 & R_SCATTERED)) {
        if (is64)
          return what + ": relocation " + std::to_string(i) +
                 " is scattered, which 64-bit objects never use";
        continue; // ObjCopy copies it as it is
      }
      uint32_t num = le ? word1 & 0xffffff : word1 >> 8;
      bool external = le ? (word1 >> 27) & 1 : (word1 >> 4) & 1;
      uint32_t rtype = le ? word1 >> 28 : word1 & 0xf;
      // arm64's ADDEND carries the addend where the symbol number would be.
      if (cputype == CPU_TYPE_ARM64 && rtype == ARM64_RELOC_ADDEND)
        continue;
      // Sections count from 1; section 0 (R_ABS) ObjCopy takes for the
      // section before the first (finding 21).
      if (external ? num >= nsyms : num == 0 || num > nsects)
        return what + ": relocation " + std::to_string(i) + " names " +
               (external ? "symbol " : "section ") + std::to_string(num) +
               ", which does not exist";
    }
  }

  if (nsyms) {
    auto inSection = [&](uint32_t i, uint8_t sect) -> std::string {
      if (sect > nsects)
        return "Mach-O symbol " + std::to_string(i) + " is in section " +
               std::to_string(sect) + ", which does not exist";
      return {};
    };
    if (std::string err = checkSymbolNames(*macho, inSection); !err.empty())
      return err;
  }

  if (macho->getDysymtabLoadCommand().cmd) {
    dysymtab_command dst = macho->getDysymtabLoadCommand();
    for (uint32_t i = 0; i < dst.nindirectsyms; ++i) {
      uint32_t entry = macho->getIndirectSymbolTableEntry(dst, i);
      if (!(entry & (INDIRECT_SYMBOL_LOCAL | INDIRECT_SYMBOL_ABS)) &&
          entry >= nsyms)
        return "Mach-O indirect symbol " + std::to_string(i) + " names symbol " +
               std::to_string(entry) + ", which does not exist";
    }
  }
  return {};
}

namespace {

class MachOFormat final : public ObjectFormat {
public:
  const char *name() const override { return "Mach-O"; }

  std::string checkBytes(llvm::StringRef data) const override {
    return macho::checkHeader(data);
  }
  std::string checkObject(const llvm::object::ObjectFile &obj) const override {
    return macho::checkTables(obj);
  }

  std::string readGraph(const Member &m, ObjectGraph &out) const override {
    return macho::readGraph(m, out);
  }

  std::string relocationName(const ObjectGraph &graph,
                             uint32_t type) const override {
    return macho::relocationName(graph.machine, type);
  }

  std::string readLayout(llvm::StringRef data, LayoutParts parts,
                         Layout &out) const override {
    return macho::readLayout(data, parts, out);
  }

  ObjectEdit planDrop(const ObjectGraph &graph, const std::vector<bool> &live,
                      DropCounts &counts) const override {
    return macho::planDrop(graph, live, counts);
  }

  // The header's CPU type, read as it is (any bytes that start like a thin
  // Mach-O image): "?" for a CPU LLVM does not name.
  std::vector<std::string> debugFilePaths(llvm::StringRef data,
                                          const std::string &path,
                                          const std::string &) const override {
    return macho::debugFilePaths(data, path);
  }

  std::string debugFileMismatch(llvm::StringRef data,
                                llvm::StringRef debug) const override {
    return macho::debugFileMismatch(data, debug);
  }

  std::string fileArch(llvm::StringRef data) const override {
    if (data.size() < 12)
      return "";
    uint32_t magic = llvm::support::endian::read32le(data.data());
    bool le = magic == llvm::MachO::MH_MAGIC || magic == llvm::MachO::MH_MAGIC_64;
    bool be = magic == llvm::MachO::MH_CIGAM || magic == llvm::MachO::MH_CIGAM_64;
    if (!le && !be)
      return "";
    auto word = [&](size_t at) {
      return le ? llvm::support::endian::read32le(data.data() + at)
                : llvm::support::endian::read32be(data.data() + at);
    };
    const char *arch = nullptr;
    llvm::object::MachOObjectFile::getArchTriple(word(4), word(8), nullptr, &arch);
    return arch ? arch : "?";
  }

  std::vector<std::string> cappedRoutines(const Member &m) const override {
    return macho::personalities(m);
  }

protected:
  // Atoms first (our writer), then what ObjCopy can do (sections, renames,
  // strip), then the symbol flags ObjCopy has no option for on Mach-O
  // (weak definitions, private externs made visible).
  std::string writeBeforeObjcopy(llvm::StringRef object, const ObjectEdit &edit,
                                 std::string &out) const override {
    if (edit.removeRanges.empty())
      return {};
    return macho::cutRanges(object, edit.removeRanges, out);
  }
  const char *ownWriter() const override { return "cutting"; }

  std::string checkObjcopyInput(llvm::StringRef object) const override {
    return macho::checkObjcopyInput(object);
  }

  // strip's requests, in Mach-O section names. __LLVM,__bitcode and
  // __LLVM,__cmdline: -fembed-bitcode's copy of the module, which no
  // linker reads once the code is built. Mach-O has no .comment. Debug info
  // (__DWARF,*) is ObjCopy's StripDebug.
  std::vector<std::string> stripRemovals(const ObjectEdit &edit) const override {
    std::vector<std::string> out;
    if (edit.stripBitcode)
      out.insert(out.end(), {"__LLVM,__bitcode", "__LLVM,__cmdline",
                             "__LLVM,__asm", "__LLVM,__swift_modhash"});
    return out;
  }

  std::string writeAfterObjcopy(const Member &, llvm::StringRef,
                                const ObjectEdit &edit,
                                std::string &out) const override {
    if (!edit.weakenSymbols.empty())
      if (std::string err = macho::weakenDefinitions(out, edit.weakenSymbols);
          !err.empty())
        return err;
    if (edit.defaultVisibility.empty())
      return {};
    return macho::makeExternal(out, edit.defaultVisibility);
  }
};

} // namespace

const ObjectFormat &machoFormat() {
  static const MachOFormat format;
  return format;
}

} // namespace slimlink
