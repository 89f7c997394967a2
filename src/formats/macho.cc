// Mach-O checks. LLVM 19's MachOObjectFile::getSymbolName checks that a
// symbol's name offset lies inside the string table, then takes the name
// with strlen: a string table without a final NUL is read past its end
// (found by fuzz/: heap-buffer-overflow). We refuse such tables up front,
// and symbols whose names lie outside them.
#include "formats/formats.h"

#include "llvm/Object/MachO.h"

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

std::string checkMachOTables(const llvm::object::ObjectFile &obj) {
  const auto *macho = llvm::dyn_cast<llvm::object::MachOObjectFile>(&obj);
  if (!macho)
    return {};
  if (std::string err = checkSegments(*macho); !err.empty())
    return err;
  if (!macho->getSymtabLoadCommand().cmd)
    return {};
  llvm::MachO::symtab_command st = macho->getSymtabLoadCommand();
  llvm::StringRef data = obj.getData();
  // LLVM has checked that the table lies inside the file.
  if (st.strsize == 0 || uint64_t(st.stroff) + st.strsize > data.size())
    return {};
  if (data[st.stroff + st.strsize - 1] != '\0')
    return "Mach-O string table (offset " + std::to_string(st.stroff) +
           ", size " + std::to_string(st.strsize) +
           ") does not end with a NUL";
  // ObjCopy's Mach-O reader takes every symbol's name at its n_strx
  // without a bounds check (found by fuzz/rewrite: SEGV in strlen).
  uint32_t index = 0;
  for (const llvm::object::SymbolRef &sym : macho->symbols()) {
    llvm::object::DataRefImpl ref = sym.getRawDataRefImpl();
    uint32_t strx = macho->is64Bit() ? macho->getSymbol64TableEntry(ref).n_strx
                                     : macho->getSymbolTableEntry(ref).n_strx;
    if (strx >= st.strsize)
      return "Mach-O symbol " + std::to_string(index) + " has its name at " +
             std::to_string(strx) + ", past the string table (" +
             std::to_string(st.strsize) + " bytes)";
    ++index;
  }
  return {};
}

} // namespace slimlink
