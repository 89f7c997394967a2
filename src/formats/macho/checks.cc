// Mach-O checks. LLVM 19's MachOObjectFile::getSymbolName checks that a
// symbol's name offset lies inside the string table, then takes the name
// with strlen: a string table without a final NUL is read past its end
// (found by fuzz/: heap-buffer-overflow). We refuse such tables up front,
// and symbols whose names lie outside them.
#include "formats/macho/macho.h"

#include "llvm/Object/MachO.h"
#include "llvm/Support/Endian.h"

#include <cstddef>
#include <cstring>

namespace slimlink {

// ObjCopy lays an object's sections out at their address within their
// segment: an address outside it makes MachOWriter write far past its
// buffer (found by fuzz/rewrite: SEGV in writeSections).
template <class Segment, class Section>
static std::string checkSections(const Segment &seg, unsigned segIndex,
                                 const Section &sec) {
  uint64_t vmaddr = seg.vmaddr, vmsize = seg.vmsize;
  uint64_t addr = sec.addr, size = sec.size;
  if (addr < vmaddr || addr - vmaddr > vmsize || size > vmsize - (addr - vmaddr))
    return "Mach-O section " + std::string(sec.sectname, strnlen(sec.sectname, 16)) +
           " (address " + std::to_string(addr) + ", size " +
           std::to_string(size) + ") lies outside its segment (load command " +
           std::to_string(segIndex) + ")";
  return {};
}

static std::string checkSegments(const llvm::object::MachOObjectFile &macho) {
  unsigned index = 0;
  for (const auto &lc : macho.load_commands()) {
    std::string err;
    if (lc.C.cmd == llvm::MachO::LC_SEGMENT_64) {
      auto seg = macho.getSegment64LoadCommand(lc);
      for (unsigned i = 0; i < seg.nsects && err.empty(); ++i)
        err = checkSections(seg, index, macho.getSection64(lc, i));
    } else if (lc.C.cmd == llvm::MachO::LC_SEGMENT) {
      auto seg = macho.getSegmentLoadCommand(lc);
      for (unsigned i = 0; i < seg.nsects && err.empty(); ++i)
        err = checkSections(seg, index, macho.getSection(lc, i));
    }
    if (!err.empty())
      return err;
    ++index;
  }
  return {};
}

// ObjCopy's Mach-O reader and writer trust section contents, relocation
// tables and relocations' symbol numbers (found by fuzz/rewrite on mutated
// Mach-O seeds: SEGVs in MachOReader::setSymbolInRelocationInfo and in
// MachOWriter::writeSections). Zero-fill sections have no contents.
template <class Section>
static std::string checkSectionData(const llvm::object::MachOObjectFile &macho,
                                    const Section &sec, uint32_t nsects) {
  using namespace llvm::MachO;
  llvm::StringRef data = macho.getData();
  uint64_t fileSize = data.size();
  std::string what = "Mach-O section " +
                     std::string(sec.sectname, strnlen(sec.sectname, 16));
  uint32_t type = sec.flags & SECTION_TYPE;
  bool zerofill = type == S_ZEROFILL || type == S_GB_ZEROFILL ||
                  type == S_THREAD_LOCAL_ZEROFILL;
  if (!zerofill && sec.size &&
      (sec.offset > fileSize || sec.size > fileSize - sec.offset))
    return what + " (offset " + std::to_string(sec.offset) + ", size " +
           std::to_string(uint64_t(sec.size)) + ") runs past the end of the object";
  if (!sec.nreloc)
    return {};
  constexpr uint64_t relSize = 8;
  if (sec.reloff > fileSize || sec.nreloc > (fileSize - sec.reloff) / relSize)
    return what + ": " + std::to_string(sec.nreloc) + " relocations at " +
           std::to_string(sec.reloff) + " run past the end of the object";
  if (!macho.isLittleEndian())
    return {};
  uint32_t nsyms = macho.getSymtabLoadCommand().nsyms;
  for (uint32_t i = 0; i < sec.nreloc; ++i) {
    const char *rel = data.data() + sec.reloff + i * relSize;
    uint32_t word0 = llvm::support::endian::read32le(rel);
    uint32_t word1 = llvm::support::endian::read32le(rel + 4);
    if (word0 & R_SCATTERED) {
      if (macho.is64Bit())
        return what + ": relocation " + std::to_string(i) +
               " is scattered, which 64-bit objects never use";
      continue;
    }
    uint32_t num = word1 & 0xffffff;
    bool external = word1 & (1u << 27);
    // arm64's ADDEND carries the addend where the symbol number would be.
    if (macho.getArch() == llvm::Triple::aarch64 &&
        (word1 >> 28) == ARM64_RELOC_ADDEND)
      continue;
    // Sections count from 1. Section 0 (R_ABS, "absolute") no compiler
    // writes, and ObjCopy takes it for the section before the first (found
    // by fuzz/rewrite: SEGV in setSymbolInRelocationInfo).
    if (external ? num >= nsyms : num == 0 || num > nsects)
      return what + ": relocation " + std::to_string(i) + " names " +
             (external ? "symbol " : "section ") + std::to_string(num) +
             ", which does not exist";
  }
  return {};
}

static std::string checkSectionsData(const llvm::object::MachOObjectFile &macho) {
  uint32_t nsects = 0;
  for (const auto &lc : macho.load_commands()) {
    if (lc.C.cmd == llvm::MachO::LC_SEGMENT_64)
      nsects += macho.getSegment64LoadCommand(lc).nsects;
    else if (lc.C.cmd == llvm::MachO::LC_SEGMENT)
      nsects += macho.getSegmentLoadCommand(lc).nsects;
  }
  for (const auto &lc : macho.load_commands()) {
    std::string err;
    if (lc.C.cmd == llvm::MachO::LC_SEGMENT_64) {
      auto seg = macho.getSegment64LoadCommand(lc);
      for (unsigned i = 0; i < seg.nsects && err.empty(); ++i)
        err = checkSectionData(macho, macho.getSection64(lc, i), nsects);
    } else if (lc.C.cmd == llvm::MachO::LC_SEGMENT) {
      auto seg = macho.getSegmentLoadCommand(lc);
      for (unsigned i = 0; i < seg.nsects && err.empty(); ++i)
        err = checkSectionData(macho, macho.getSection(lc, i), nsects);
    }
    if (!err.empty())
      return err;
  }
  return {};
}

std::string macho::checkHeader(llvm::StringRef data) {
  if (data.size() < sizeof(llvm::MachO::mach_header))
    return {}; // LLVM refuses it; the magic alone says nothing more
  uint32_t magic = llvm::support::endian::read32le(data.data());
  bool swapped =
      magic == llvm::MachO::MH_CIGAM || magic == llvm::MachO::MH_CIGAM_64;
  if (!swapped && magic != llvm::MachO::MH_MAGIC &&
      magic != llvm::MachO::MH_MAGIC_64)
    return {};
  bool is64 = magic == llvm::MachO::MH_MAGIC_64 ||
              magic == llvm::MachO::MH_CIGAM_64;
  auto field = [&](size_t offset) {
    uint32_t v = llvm::support::endian::read32le(data.data() + offset);
    return swapped ? llvm::byteswap(v) : v;
  };
  // LLVM's identify_magic reads the file type into 16 bits, and as an
  // object takes any whose low byte is 1, where MachOObjectFile (and our
  // object checks) read all 32: a file both ways at once (found by
  // fuzz/edit_object: an "object" of type 0xFD000001 skipped the checks of
  // its relocations, and LLVM's graph reader died on one).
  uint32_t filetype = field(offsetof(llvm::MachO::mach_header, filetype));
  if (filetype == 0 || filetype > llvm::MachO::MH_FILESET)
    return "Mach-O file type " + std::to_string(filetype) +
           " is none Apple's linker writes";
  uint64_t ncmds = field(offsetof(llvm::MachO::mach_header, ncmds));
  uint64_t sizeofcmds = field(offsetof(llvm::MachO::mach_header, sizeofcmds));
  uint64_t header = is64 ? sizeof(llvm::MachO::mach_header_64)
                         : sizeof(llvm::MachO::mach_header);
  if (header + sizeofcmds > data.size())
    return "Mach-O load commands (" + std::to_string(sizeofcmds) +
           " bytes) run past the end of the file (" +
           std::to_string(data.size()) + " bytes)";
  if (ncmds * sizeof(llvm::MachO::load_command) > sizeofcmds)
    return "Mach-O header says " + std::to_string(ncmds) +
           " load commands, which do not fit in its " +
           std::to_string(sizeofcmds) + " bytes of commands";
  return {};
}

std::string macho::checkTables(const llvm::object::ObjectFile &obj) {
  const auto *macho = llvm::dyn_cast<llvm::object::MachOObjectFile>(&obj);
  if (!macho)
    return {};
  if (std::string err = checkSegments(*macho); !err.empty())
    return err;
  // Linked files (executables, dylibs) only go to size, whose reader
  // checks what it reads; objects go to ObjCopy.
  if (macho->getHeader().filetype == llvm::MachO::MH_OBJECT)
    if (std::string err = checkSectionsData(*macho); !err.empty())
      return err;
  if (!macho->getSymtabLoadCommand().cmd)
    return {};
  llvm::MachO::symtab_command st = macho->getSymtabLoadCommand();
  if (st.nsyms == 0)
    return {}; // no name is ever read from the table
  // LLVM checks that the table lies inside the file only when it is not
  // empty; an empty table under symbols it lets strlen read past the end
  // (found by the fuzz smoke: heap-buffer-overflow in getSymbolName).
  if (uint64_t(st.stroff) + st.strsize > obj.getData().size())
    return "Mach-O string table (offset " + std::to_string(st.stroff) +
           ", size " + std::to_string(st.strsize) +
           ") runs past the end of the file";
  return macho::checkSymbolNames(*macho);
}

std::string macho::checkSymbolNames(
    const llvm::object::MachOObjectFile &macho,
    llvm::function_ref<std::string(uint32_t index, uint8_t sect)> alsoCheck) {
  llvm::MachO::symtab_command st = macho.getSymtabLoadCommand();
  llvm::StringRef data = macho.getData();
  if (st.strsize == 0 && st.nsyms)
    return "Mach-O string table is empty, yet " + std::to_string(st.nsyms) +
           " symbols take their names from it";
  if (st.strsize == 0 || data[st.stroff + st.strsize - 1] != '\0')
    return "Mach-O string table (offset " + std::to_string(st.stroff) +
           ", size " + std::to_string(st.strsize) +
           ") does not end with a NUL";
  // ObjCopy's Mach-O reader takes every symbol's name at its n_strx
  // without a bounds check (found by fuzz/rewrite: SEGV in strlen).
  uint32_t index = 0;
  for (const llvm::object::SymbolRef &sym : macho.symbols()) {
    llvm::object::DataRefImpl ref = sym.getRawDataRefImpl();
    uint32_t strx;
    uint8_t sect;
    if (macho.is64Bit()) {
      auto e = macho.getSymbol64TableEntry(ref);
      strx = e.n_strx, sect = e.n_sect;
    } else {
      auto e = macho.getSymbolTableEntry(ref);
      strx = e.n_strx, sect = e.n_sect;
    }
    if (strx >= st.strsize)
      return "Mach-O symbol " + std::to_string(index) + " has its name at " +
             std::to_string(strx) + ", past the string table (" +
             std::to_string(st.strsize) + " bytes)";
    if (alsoCheck)
      if (std::string err = alsoCheck(index, sect); !err.empty())
        return err;
    ++index;
  }
  return {};
}

} // namespace slimlink
