// Mach-O -> Layout for `slimlink size`: segments, sections, the tables the
// load commands point at (__LINKEDIT's pieces in a linked file, relocations
// in an object), symbols and compile units.
//
// Mach-O differs from ELF where size cares:
//   - an object has one unnamed segment and its sections have addresses
//     already (laid out one after another), so no layout of our own;
//   - symbols have no size: a symbol runs to the next one in its section,
//     but never past the next function start LC_FUNCTION_STARTS records
//     (stripped to its exports, a dylib's next symbol can be far away);
//   - C names carry a leading '_' ("_main", "__ZN3foo3barE"), dropped here
//     so that the crate rules and the demangler see what they see on ELF;
//   - the tables dyld and the linker read are not sections but ranges named
//     by load commands: each becomes a bracketed pseudo-section with a role.
// LLVM's MachOObjectFile has checked that every load command, section and
// table lies inside the file; macho::checkTables adds what it does not.
#include "formats/dwarf_units.h"
#include "formats/layout_rows.h"
#include "formats/macho/macho.h"
#include "support/diagnostics.h"

#include "llvm/BinaryFormat/MachO.h"
#include "llvm/Object/MachO.h"
#include "llvm/Support/LEB128.h"

#include <algorithm>
#include <cstring>

namespace slimlink {

using namespace llvm::MachO;
using llvm::object::MachOObjectFile;

namespace {

// One section header, 32- or 64-bit.
struct RawSection {
  llvm::StringRef segname, sectname;
  uint64_t addr, size;
  uint32_t offset, flags, reloff, nreloc;
};

template <class S> RawSection rawSection(const S &s) {
  return {llvm::StringRef(s.segname, strnlen(s.segname, 16)),
          llvm::StringRef(s.sectname, strnlen(s.sectname, 16)),
          s.addr, s.size, s.offset, s.flags, s.reloff, s.nreloc};
}

bool isZeroFill(uint32_t flags) {
  uint32_t type = flags & SECTION_TYPE;
  return type == S_ZEROFILL || type == S_GB_ZEROFILL ||
         type == S_THREAD_LOCAL_ZEROFILL;
}

// Sections the loader never maps: DWARF, and what the linker alone reads
// (__LD,__compact_unwind, which it turns into __unwind_info). Objects give
// them addresses all the same.
bool isUnloaded(const RawSection &s) {
  return s.segname == "__DWARF" || (s.flags & S_ATTR_DEBUG);
}

SectionRole roleOf(const RawSection &s) {
  if (s.sectname == "__unwind_info" || s.sectname == "__eh_frame" ||
      s.sectname == "__compact_unwind" || s.sectname == "__gcc_except_tab")
    return SectionRole::Unwind;
  if (isUnloaded(s))
    return SectionRole::Debug;
  return SectionRole::Other;
}

class Reader {
public:
  Reader(const MachOObjectFile &obj, Layout &l) : obj(obj), l(l) {}

  std::string read(LayoutParts parts);

private:
  const MachOObjectFile &obj;
  Layout &l;
  // Mach-O numbers sections from 1 in load-command order (n_sect); this is
  // where each landed in l.sections, between the pseudo-sections.
  std::vector<uint32_t> sectionIndex;
  std::optional<uint64_t> debugInfoOffset; // the last one's
  std::optional<uint64_t> textVmaddr;      // the __TEXT segment's
  std::optional<linkedit_data_command> functionStartsCmd;

  void segment(llvm::StringRef name, uint64_t vmaddr, uint64_t vmsize,
               uint64_t fileoff, uint64_t filesize, uint32_t initprot);
  void section(const RawSection &s);
  void table(const char *name, SectionRole role, uint64_t off, uint64_t size);
  void loadCommand(const MachOObjectFile::LoadCommandInfo &lc);
  FunctionBounds functionStarts() const;
  void symbols();
};

void Reader::segment(llvm::StringRef name, uint64_t vmaddr, uint64_t vmsize,
                     uint64_t fileoff, uint64_t filesize, uint32_t initprot) {
  // An object's one segment only wraps its sections. __PAGEZERO (no bytes,
  // no access) reserves the low 4 GB of a 64-bit process: counting it would
  // drown every other number in the VM column.
  if (name == "__TEXT" && !textVmaddr)
    textVmaddr = vmaddr;
  if (l.relocatable || (filesize == 0 && initprot == 0))
    return;
  l.segments.push_back({name.str(), {fileoff, filesize}, {vmaddr, vmsize}});
}

void Reader::section(const RawSection &s) {
  sectionIndex.push_back(l.sections.size());
  LayoutSection out;
  out.name = (s.segname + "," + s.sectname).str();
  out.role = roleOf(s);
  out.code = s.flags & (S_ATTR_PURE_INSTRUCTIONS | S_ATTR_SOME_INSTRUCTIONS);
  if (!isZeroFill(s.flags) && s.size)
    out.file = {s.offset, s.size};
  if (!isUnloaded(s))
    out.vm = {s.addr, s.size};
  if (s.segname == "__DWARF" && s.sectname == "__debug_info")
    debugInfoOffset = s.offset;
  l.sections.push_back(std::move(out));
  if (s.nreloc)
    table("[relocations]", SectionRole::Relocations, s.reloff,
          uint64_t(s.nreloc) * sizeof(any_relocation_info));
}

// A range a load command names (the symbol table, the exports trie, ...).
// One that starts past the end of the file keeps its empty row, as it
// always has here (COFF's reader drops it): size's output stays as it was.
void Reader::table(const char *name, SectionRole role, uint64_t off,
                   uint64_t size) {
  addTable(l, name, role, off, size, /*startPastEnd=*/true);
}

void Reader::loadCommand(const MachOObjectFile::LoadCommandInfo &lc) {
  switch (lc.C.cmd) {
  case LC_SEGMENT_64: {
    segment_command_64 seg = obj.getSegment64LoadCommand(lc);
    segment(llvm::StringRef(seg.segname, strnlen(seg.segname, 16)), seg.vmaddr,
            seg.vmsize, seg.fileoff, seg.filesize, seg.initprot);
    for (unsigned i = 0; i < seg.nsects; ++i)
      section(rawSection(obj.getSection64(lc, i)));
    break;
  }
  case LC_SEGMENT: {
    segment_command seg = obj.getSegmentLoadCommand(lc);
    segment(llvm::StringRef(seg.segname, strnlen(seg.segname, 16)), seg.vmaddr,
            seg.vmsize, seg.fileoff, seg.filesize, seg.initprot);
    for (unsigned i = 0; i < seg.nsects; ++i)
      section(rawSection(obj.getSection(lc, i)));
    break;
  }
  case LC_SYMTAB: {
    symtab_command st = obj.getSymtabLoadCommand();
    uint64_t entry = obj.is64Bit() ? sizeof(nlist_64) : sizeof(nlist);
    table("[symbol table]", SectionRole::SymbolTable, st.symoff,
          uint64_t(st.nsyms) * entry);
    table("[string table]", SectionRole::SymbolTable, st.stroff, st.strsize);
    break;
  }
  case LC_DYSYMTAB: {
    dysymtab_command d = obj.getDysymtabLoadCommand();
    table("[indirect symbols]", SectionRole::SymbolTable, d.indirectsymoff,
          uint64_t(d.nindirectsyms) * 4);
    uint64_t reloc = sizeof(any_relocation_info);
    table("[relocations]", SectionRole::Relocations, d.extreloff,
          uint64_t(d.nextrel) * reloc);
    table("[relocations]", SectionRole::Relocations, d.locreloff,
          uint64_t(d.nlocrel) * reloc);
    break;
  }
  case LC_DYLD_INFO:
  case LC_DYLD_INFO_ONLY: {
    dyld_info_command d = obj.getDyldInfoLoadCommand(lc);
    for (auto [off, size] : {std::pair{d.rebase_off, d.rebase_size},
                             {d.bind_off, d.bind_size},
                             {d.weak_bind_off, d.weak_bind_size},
                             {d.lazy_bind_off, d.lazy_bind_size}})
      table("[dyld info]", SectionRole::Other, off, size);
    table("[exports trie]", SectionRole::SymbolTable, d.export_off,
          d.export_size);
    break;
  }
  default: {
    // The commands that name one range of __LINKEDIT.
    static const std::pair<uint32_t, const char *> linkedit[] = {
        {LC_DYLD_CHAINED_FIXUPS, "[chained fixups]"},
        {LC_DYLD_EXPORTS_TRIE, "[exports trie]"},
        {LC_FUNCTION_STARTS, "[function starts]"},
        {LC_DATA_IN_CODE, "[data in code]"},
        {LC_CODE_SIGNATURE, "[code signature]"},
        {LC_SEGMENT_SPLIT_INFO, "[split info]"},
        {LC_DYLIB_CODE_SIGN_DRS, "[code signing DRs]"},
        {LC_LINKER_OPTIMIZATION_HINT, "[linker optimization hints]"},
        {LC_ATOM_INFO, "[atom info]"}};
    for (auto [cmd, name] : linkedit)
      if (lc.C.cmd == cmd) {
        linkedit_data_command d = obj.getLinkeditDataLoadCommand(lc);
        if (cmd == LC_FUNCTION_STARTS)
          functionStartsCmd = d;
        SectionRole role = cmd == LC_DYLD_EXPORTS_TRIE
                               ? SectionRole::SymbolTable
                               : SectionRole::Other;
        table(name, role, d.dataoff, d.datasize);
      }
  }
  }
}

// Assembler temporaries ("ltmp0", "ltmp1", ...) mark where each section of
// an object starts; they name no code of their own.
bool isSectionMarker(llvm::StringRef name) {
  return name.consume_front("ltmp") && !name.empty() &&
         llvm::all_of(name, llvm::isDigit);
}

// LC_FUNCTION_STARTS: ULEB128 deltas, the first from __TEXT's address,
// up to a 0 or the end of the data. Nothing of it is trusted: a list that
// runs past the file, a number that runs past the list, or a start outside
// the code sections, and the list is not used at all.
FunctionBounds Reader::functionStarts() const {
  if (!functionStartsCmd || !textVmaddr)
    return {};
  llvm::StringRef data = obj.getData();
  uint64_t off = functionStartsCmd->dataoff,
           size = functionStartsCmd->datasize;
  if (off > data.size() || size > data.size() - off)
    return {};
  auto inCode = [&](uint64_t addr) {
    return llvm::any_of(l.sections, [&](const LayoutSection &s) {
      return s.code && addr >= s.vm.start && addr < s.vm.end();
    });
  };
  FunctionBounds b;
  const uint8_t *p = reinterpret_cast<const uint8_t *>(data.data()) + off;
  const uint8_t *end = p + size;
  uint64_t addr = *textVmaddr;
  while (p < end) {
    unsigned n = 0;
    const char *error = nullptr;
    uint64_t delta = llvm::decodeULEB128(p, &n, end, &error);
    if (error)
      return {};
    p += n;
    if (delta == 0)
      break;
    if (delta > UINT64_MAX - addr)
      return {};
    addr += delta;
    if (!inCode(addr))
      return {};
    b.starts.push_back(addr);
  }
  return b;
}

// Defined symbols in sections (of a linked file, what strip left), each
// running to the next symbol of its section (or the section's end), but not
// past the next function start the file records. Among several at one
// address, the external one comes first: size.cc gives the bytes to the
// first.
void Reader::symbols() {
  std::vector<UnsizedSymbol> syms; // section: an index into l.sections
  for (const llvm::object::SymbolRef &ref : obj.symbols()) {
    llvm::object::DataRefImpl d = ref.getRawDataRefImpl();
    nlist_64 n;
    if (obj.is64Bit()) {
      n = obj.getSymbol64TableEntry(d);
    } else {
      nlist n32 = obj.getSymbolTableEntry(d);
      n = {n32.n_strx, n32.n_type, n32.n_sect, uint16_t(n32.n_desc),
           n32.n_value};
    }
    if ((n.n_type & N_STAB) || (n.n_type & N_TYPE) != N_SECT || n.n_sect == 0 ||
        n.n_sect > sectionIndex.size())
      continue;
    auto name = ref.getName();
    if (!name) {
      llvm::consumeError(name.takeError());
      continue;
    }
    if (name->empty() || isSectionMarker(*name))
      continue;
    uint32_t sect = sectionIndex[n.n_sect - 1];
    const LayoutSection &s = l.sections[sect];
    // The symbol must lie in its section ("__mh_execute_header" names the
    // header, before __text, in section 1).
    if (s.vm.empty() || n.n_value < s.vm.start || n.n_value >= s.vm.end())
      continue;
    l.fullSymbols = true;
    syms.push_back({name->starts_with("_") ? name->drop_front() : *name,
                    n.n_value, sect, !(n.n_type & N_EXT)});
  }
  bool anyLocal = llvm::any_of(syms, [](const UnsizedSymbol &s) { return s.local; });
  size_t first = l.symbols.size();
  addSizedSymbols(
      std::move(syms),
      [&](uint32_t sect) { return l.sections[sect].vm.end(); },
      [](const UnsizedSymbol &s) { return s.section; }, l);
  if (l.relocatable)
    return;
  // A linked file: stripped (to its exports, as dylibs and executables are
  // shipped) when functions it records have no symbol.
  boundImageSymbols(l, first, functionStarts(), anyLocal);
}

std::string Reader::read(LayoutParts parts) {
  l.fileSize = obj.getData().size();
  uint32_t sizeofcmds = 0;
  uint64_t headerSize;
  if (obj.is64Bit()) {
    const mach_header_64 &h = obj.getHeader64();
    l.relocatable = h.filetype == MH_OBJECT;
    sizeofcmds = h.sizeofcmds;
    headerSize = sizeof(mach_header_64);
  } else {
    const mach_header &h = obj.getHeader();
    l.relocatable = h.filetype == MH_OBJECT;
    sizeofcmds = h.sizeofcmds;
    headerSize = sizeof(mach_header);
  }
  for (const auto &lc : obj.load_commands())
    loadCommand(lc);
  // Headers and __LINKEDIT's tables are loaded with their segments.
  for (Extent f : {Extent{0, headerSize}, Extent{headerSize, sizeofcmds}}) {
    const char *name = f.start ? "[load commands]" : "[Mach-O header]";
    if (!f.empty())
      l.headers.push_back({name, f, vmOf(l, f)});
  }
  for (LayoutSection &s : l.sections)
    if (s.name.starts_with("[") && !l.relocatable)
      s.vm = vmOf(l, s.file);
  // The walk also says whether the file has symbols at all (fullSymbols).
  symbols();
  if (!parts.symbols)
    l.symbols.clear();
  // DWARF compile units: in an object (where DWARF lives on Apple systems;
  // dsymutil collects it into a .dSYM) the first unit gets the whole object,
  // as on ELF; a file with linked DWARF (a dSYM companion) gets ranges.
  // Source lines, from the line tables of the same DWARF.
  if (parts.units || parts.lines) {
    auto dwarf = openDwarf(obj);
    if (parts.units)
      readCompileUnits(*dwarf, debugInfoOffset, l);
    if (parts.lines)
      readSourceLines(*dwarf, l);
  }
  return {};
}

} // namespace

std::string macho::readLayout(llvm::StringRef data, LayoutParts parts,
                              Layout &out) {
  if (std::string err = macho::checkHeader(data); !err.empty())
    return "malformed Mach-O file: " + err;
  auto obj = llvm::object::ObjectFile::createMachOObjectFile(
      llvm::MemoryBufferRef(data, ""));
  if (!obj)
    return "malformed Mach-O file: " + takeMessage(obj.takeError());
  if (std::string err = macho::checkTables(**obj); !err.empty())
    return err;
  return Reader(llvm::cast<MachOObjectFile>(**obj), out).read(parts);
}

} // namespace slimlink
