// COFF and PE -> Layout for `slimlink size`: headers, sections, the tables
// the headers point at, symbols and compile units.
//
// Where COFF differs from ELF for size:
//   - a PE image has no segments: the loader maps the headers and then each
//     section on its own, at its RVA. Each becomes a loaded segment here, so
//     that the VM column is what the loader maps (ImageBase is left out:
//     addresses are RVAs);
//   - a section's raw data is padded to FileAlignment, its VirtualSize is
//     not: file bytes past VirtualSize are the section's (SizeOfRawData is
//     what the file spends on it), VM bytes past SizeOfRawData are zero-fill;
//   - the import, export and debug directories usually lie inside .rdata:
//     they are cut out of it as rows of their own, the rest of .rdata stays
//     ".rdata";
//   - objects have no addresses: loaded sections are laid out one after
//     another from 0, as for ELF; COMDAT sections repeat names (".text$mn"):
//     the sections view groups them by the name before '$';
//   - symbols have no size: each runs to the next one in its section, but
//     in an image never past the next function start or end .pdata records
//     (a MinGW DLL stripped of its local symbols keeps its exports).
// LLVM's COFFObjectFile has checked the headers and the symbol table;
// coff::checkExtents and rawExtents add what it does not.
#include "formats/coff/coff.h"
#include "formats/dwarf_units.h"
#include "formats/layout_rows.h"
#include "support/diagnostics.h"

#include "llvm/BinaryFormat/COFF.h"
#include "llvm/Object/COFF.h"
#include "llvm/Support/Endian.h"

#include <algorithm>
#include <cstring>

namespace slimlink {

using namespace llvm::COFF;
using llvm::object::coff_section;
using llvm::object::COFFObjectFile;

namespace {

// The sections view's name for an object's section: a linker puts
// ".text$mn" and ".text$x" into ".text" (sorted by what follows '$').
// CodeView's .debug$S (symbols) and .debug$T (types) are two kinds of
// debug info, not parts of one output section.
uint32_t groupSize(llvm::StringRef name) {
  if (name.starts_with(".debug$"))
    return name.size();
  size_t dollar = name.find('$');
  return dollar == llvm::StringRef::npos || dollar == 0 ? name.size() : dollar;
}

SectionRole roleOf(llvm::StringRef group) {
  // .debug$S/$T/$P (CodeView) and MinGW's DWARF (.debug_info, ...).
  if (group.starts_with(".debug"))
    return SectionRole::Debug;
  if (group == ".pdata" || group == ".xdata")
    return SectionRole::Unwind;
  if (group == ".reloc") // base relocations
    return SectionRole::Relocations;
  return SectionRole::Other;
}

// A range of an image's RVAs (a data directory) that gets a row of its own,
// cut out of the section that holds it.
struct Carve {
  uint64_t start, end;
  const char *name;
  SectionRole role;
};

// A section that is nothing but this table (MinGW's .idata, .edata) keeps
// its own name.
bool isWhole(llvm::StringRef section, const Carve &c) {
  llvm::StringRef n = c.name;
  return (n == "[import table]" &&
          (section == ".idata" || section == ".didat")) ||
         (n == "[export table]" && section == ".edata");
}

// What the loader maps, as ELF would print it.
std::string segmentName(unsigned index, uint32_t flags) {
  return slimlink::segmentName(index, flags & IMAGE_SCN_MEM_READ,
                               flags & IMAGE_SCN_MEM_WRITE,
                               flags & IMAGE_SCN_MEM_EXECUTE);
}

class Reader {
public:
  Reader(const COFFObjectFile &obj, Layout &l) : obj(obj), l(l) {}

  std::string read(LayoutParts parts);
  // An image's function bounds from .pdata (read by symbols()).
  FunctionBounds bounds;

private:
  const COFFObjectFile &obj;
  Layout &l;
  bool pe = false;
  // Per COFF section (0-based): its whole VM range, and the entries of
  // l.sections it was cut into, in address order.
  std::vector<Extent> sectionVm;
  std::vector<std::vector<uint32_t>> pieces;
  std::optional<uint64_t> debugInfoOffset; // the last one's

  uint64_t sectionTableOffset() const;
  void headers();
  std::string rawExtents();
  std::vector<Carve> carves() const;
  void section(const coff_section &s, llvm::StringRef name,
               std::vector<Carve> cuts, uint64_t &nextVm);
  void table(const char *name, SectionRole role, uint64_t off, uint64_t size);
  void tables();
  void overlay();
  std::optional<llvm::ArrayRef<uint8_t>> imageBytes(uint64_t rva,
                                                    uint64_t size) const;
  FunctionBounds functionBounds() const;
  void symbols();
};

uint64_t Reader::sectionTableOffset() const {
  if (obj.getNumberOfSections())
    return reinterpret_cast<const char *>(obj.getCOFFSection(
               *obj.section_begin())) -
           obj.getData().data();
  if (pe)
    return obj.getDOSHeader()->AddressOfNewExeHeader + 4 +
           sizeof(llvm::object::coff_file_header) +
           obj.getSizeOfOptionalHeader();
  uint64_t header = obj.getCOFFBigObjHeader()
                        ? sizeof(llvm::object::coff_bigobj_file_header)
                        : sizeof(llvm::object::coff_file_header);
  return header + obj.getSizeOfOptionalHeader();
}

// The headers, and in an image the loaded segment they are mapped by.
void Reader::headers() {
  uint64_t table = sectionTableOffset();
  uint64_t tableSize = uint64_t(obj.getNumberOfSections()) * sizeof(coff_section);
  if (!pe) {
    l.headers.push_back({"[COFF header]", {0, table}, {}});
    if (tableSize)
      l.headers.push_back({"[section headers]", {table, tableSize}, {}});
    return;
  }
  uint64_t headersSize = obj.getPE32PlusHeader()
                             ? obj.getPE32PlusHeader()->SizeOfHeaders
                             : obj.getPE32Header()->SizeOfHeaders;
  headersSize = std::max(headersSize, table + tableSize);
  l.segments.push_back({segmentName(0, IMAGE_SCN_MEM_READ),
                        {0, std::min(headersSize, l.fileSize)},
                        {0, headersSize}});
  uint64_t lfanew = obj.getDOSHeader()->AddressOfNewExeHeader;
  auto add = [&](const char *name, uint64_t off, uint64_t size) {
    if (size)
      l.headers.push_back({name, {off, size}, {off, size}});
  };
  add("[DOS header + stub]", 0, lfanew);
  add("[PE headers]", lfanew, table - lfanew);
  add("[section headers]", table, tableSize);
}

// Every section's raw data must lie inside the file. (LLVM checks an
// image's sections only up to VirtualSize.) And a section with relocations
// must be at address 0: LLVM aborts the process on one that is not, when
// the DWARF reader walks its relocations (found by mutating objects).
std::string Reader::rawExtents() {
  for (const llvm::object::SectionRef &ref : obj.sections()) {
    const coff_section *s = obj.getCOFFSection(ref);
    if ((s->NumberOfRelocations || s->hasExtendedRelocations()) &&
        s->VirtualAddress)
      return "COFF section " + std::to_string(ref.getIndex() + 1) +
             " has relocations but is at address " +
             hexOffset(s->VirtualAddress) + " (it must be at 0)";
    uint64_t off = s->PointerToRawData, size = s->SizeOfRawData;
    if (size == 0 || (s->Characteristics & IMAGE_SCN_CNT_UNINITIALIZED_DATA &&
                      !pe))
      continue;
    if (off > l.fileSize || size > l.fileSize - off)
      return "COFF section " + std::to_string(ref.getIndex() + 1) +
             " (offset " + std::to_string(off) + ", size " +
             std::to_string(size) + ") runs past the end of the file (" +
             std::to_string(l.fileSize) + " bytes)";
  }
  return {};
}

// The directories of an image that lie inside a section: import and export
// tables (not where the section is nothing else: .idata, .edata), the debug
// directory and what it points at (CodeView: the PDB's name and GUID).
std::vector<Carve> Reader::carves() const {
  std::vector<Carve> out;
  auto dir = [&](uint32_t index, const char *name, SectionRole role) {
    if (const llvm::object::data_directory *d = obj.getDataDirectory(index))
      if (d->RelativeVirtualAddress && d->Size)
        out.push_back({d->RelativeVirtualAddress,
                       uint64_t(d->RelativeVirtualAddress) + d->Size, name,
                       role});
  };
  dir(EXPORT_TABLE, "[export table]", SectionRole::SymbolTable);
  dir(IMPORT_TABLE, "[import table]", SectionRole::Other);
  dir(IAT, "[import table]", SectionRole::Other);
  dir(DELAY_IMPORT_DESCRIPTOR, "[import table]", SectionRole::Other);
  dir(LOAD_CONFIG_TABLE, "[load config]", SectionRole::Other);
  dir(DEBUG_DIRECTORY, "[debug directory]", SectionRole::Debug);
  for (const llvm::object::debug_directory &d : obj.debug_directories())
    if (d.AddressOfRawData && d.SizeOfData)
      out.push_back({d.AddressOfRawData,
                     uint64_t(d.AddressOfRawData) + d.SizeOfData,
                     d.Type == IMAGE_DEBUG_TYPE_CODEVIEW ? "[CodeView]"
                                                         : "[debug data]",
                     SectionRole::Debug});
  std::sort(out.begin(), out.end(),
            [](const Carve &a, const Carve &b) { return a.start < b.start; });
  return out;
}

// One COFF section, as one entry of l.sections or, where directories lie
// inside it, as several: the section's bytes between them keep its name.
void Reader::section(const coff_section &s, llvm::StringRef name,
                     std::vector<Carve> cuts, uint64_t &nextVm) {
  bool bss = s.Characteristics & IMAGE_SCN_CNT_UNINITIALIZED_DATA;
  LayoutSection whole;
  whole.name = name.str();
  whole.groupSize = pe ? whole.name.size() : groupSize(name);
  whole.role = roleOf(whole.group());
  whole.code = s.Characteristics & (IMAGE_SCN_CNT_CODE | IMAGE_SCN_MEM_EXECUTE);
  if (s.SizeOfRawData && !(bss && !pe))
    whole.file = {s.PointerToRawData, s.SizeOfRawData};
  if (pe) {
    // VirtualSize 0: old linkers; the loader maps SizeOfRawData then.
    whole.vm = {s.VirtualAddress,
                s.VirtualSize ? uint64_t(s.VirtualSize) : s.SizeOfRawData};
    l.segments.push_back({segmentName(l.segments.size(), s.Characteristics),
                          whole.file, whole.vm});
  } else if (!(s.Characteristics &
               (IMAGE_SCN_LNK_REMOVE | IMAGE_SCN_LNK_INFO |
                IMAGE_SCN_MEM_DISCARDABLE))) {
    whole.vm = {nextVm, s.SizeOfRawData};
    nextVm += s.SizeOfRawData;
  }
  if (whole.group() == ".debug_info")
    debugInfoOffset = s.PointerToRawData;
  sectionVm.push_back(whole.vm);
  pieces.emplace_back();

  // Only the part of the section with bytes in the file can be cut.
  uint64_t backed = std::min(whole.file.size, whole.vm.size);
  uint64_t at = whole.vm.start, end = at + backed;
  auto push = [&](LayoutSection p) {
    pieces.back().push_back(l.sections.size());
    l.sections.push_back(std::move(p));
  };
  for (const Carve &c : cuts) {
    if (c.start < whole.vm.start || c.end > end || isWhole(name, c))
      continue; // not (all) in this section's file bytes
    uint64_t a = std::max(c.start, at), b = c.end; // overlaps: first wins
    if (a >= b)
      continue;
    if (a > at) {
      LayoutSection before = whole;
      before.file = {whole.file.start + (at - whole.vm.start), a - at};
      before.vm = {at, a - at};
      push(std::move(before));
    }
    LayoutSection cut;
    cut.name = c.name;
    cut.role = c.role;
    cut.file = {whole.file.start + (a - whole.vm.start), b - a};
    cut.vm = {a, b - a};
    push(std::move(cut));
    at = b;
  }
  if (at == whole.vm.start) {
    push(std::move(whole));
    return;
  }
  LayoutSection rest = whole;
  uint64_t done = at - whole.vm.start;
  rest.file = {whole.file.start + done, whole.file.size - done};
  rest.vm = {at, whole.vm.size - done};
  if (!rest.file.empty() || !rest.vm.empty())
    push(std::move(rest));
}

// A range of the file no section holds (the symbol table, relocations,
// ...). One that starts past the end of the file gets no row, as it never
// has here (Mach-O's reader keeps an empty one): size's output stays as it
// was.
void Reader::table(const char *name, SectionRole role, uint64_t off,
                   uint64_t size) {
  addTable(l, name, role, off, size, /*startPastEnd=*/false);
}

void Reader::tables() {
  // Relocations (objects; an image's are in .reloc). With
  // IMAGE_SCN_LNK_NRELOC_OVFL the first entry holds the count, itself
  // included (coff::checkExtents has read it).
  constexpr uint64_t relSize = sizeof(llvm::object::coff_relocation);
  for (const llvm::object::SectionRef &ref : obj.sections()) {
    const coff_section *s = obj.getCOFFSection(ref);
    uint64_t count = s->NumberOfRelocations;
    if (s->hasExtendedRelocations()) {
      llvm::object::coff_relocation first;
      memcpy(&first, obj.getData().data() + s->PointerToRelocations,
             sizeof(first));
      count = first.VirtualAddress;
    }
    table("[relocations]", SectionRole::Relocations, s->PointerToRelocations,
          count * relSize);
  }
  // The symbol table and its string table (MinGW leaves them in images too).
  if (uint64_t symtab = obj.getPointerToSymbolTable()) {
    uint64_t size = uint64_t(obj.getNumberOfSymbols()) *
                    obj.getSymbolTableEntrySize();
    table("[symbol table]", SectionRole::SymbolTable, symtab, size);
    table("[string table]", SectionRole::SymbolTable, symtab + size,
          std::max<uint64_t>(obj.getStringTableSize(), 4));
  }
  // Authenticode signatures: the one directory that names a file offset.
  if (const llvm::object::data_directory *d =
          pe ? obj.getDataDirectory(CERTIFICATE_TABLE) : nullptr)
    table("[certificates]", SectionRole::Other, d->RelativeVirtualAddress,
          d->Size);
  // Debug data that is not loaded (no RVA): at its file offset.
  for (const llvm::object::debug_directory &d : obj.debug_directories())
    if (!d.AddressOfRawData)
      table(d.Type == IMAGE_DEBUG_TYPE_CODEVIEW ? "[CodeView]" : "[debug data]",
            SectionRole::Debug, d.PointerToRawData, d.SizeOfData);
}

// Bytes after everything the headers name (installers append archives,
// signing tools data): "[overlay]".
void Reader::overlay() {
  uint64_t end = 0;
  for (const LayoutHeader &h : l.headers)
    end = std::max(end, h.file.end());
  for (const LayoutSection &s : l.sections)
    end = std::max(end, s.file.end());
  for (const LayoutSegment &s : l.segments)
    end = std::max(end, s.file.end());
  if (end < l.fileSize)
    l.headers.push_back({"[overlay]", {end, l.fileSize - end}, {}});
}

// The bytes of an image at `rva`, if one section's raw data holds all of
// them (rawExtents has checked that every section's raw data is in the
// file).
std::optional<llvm::ArrayRef<uint8_t>>
Reader::imageBytes(uint64_t rva, uint64_t size) const {
  for (const llvm::object::SectionRef &ref : obj.sections()) {
    const coff_section *s = obj.getCOFFSection(ref);
    uint64_t va = s->VirtualAddress, raw = s->SizeOfRawData;
    if (rva < va || rva - va > raw || size > raw - (rva - va))
      continue;
    auto *data = reinterpret_cast<const uint8_t *>(obj.getData().data());
    return llvm::ArrayRef<uint8_t>(data + s->PointerToRawData + (rva - va),
                                   size);
  }
  return std::nullopt;
}

// .pdata (the exception directory) of an x64 or arm64 image: where every
// function with unwind info starts and ends. x64: RUNTIME_FUNCTION entries
// of 12 bytes, begin RVA, end RVA, unwind info RVA. arm64: 8 bytes, begin
// RVA and a word that is either packed unwind data (low bits 1 or 2; the
// function's length in 4-byte units in bits 2..12) or the RVA of .xdata,
// whose first word has the length in bits 0..17. Nothing is trusted: a
// table or .xdata outside the file, or a function outside the code
// sections, and none of it is used.
FunctionBounds Reader::functionBounds() const {
  using llvm::support::endian::read32le;
  const llvm::object::data_directory *d =
      pe ? obj.getDataDirectory(EXCEPTION_TABLE) : nullptr;
  if (!d || !d->RelativeVirtualAddress || !d->Size)
    return {};
  uint16_t machine = obj.getMachine();
  bool x64 = machine == IMAGE_FILE_MACHINE_AMD64;
  bool arm64 = machine == IMAGE_FILE_MACHINE_ARM64 ||
               machine == IMAGE_FILE_MACHINE_ARM64EC ||
               machine == IMAGE_FILE_MACHINE_ARM64X;
  if (!x64 && !arm64)
    return {};
  auto table = imageBytes(d->RelativeVirtualAddress, d->Size);
  if (!table)
    return {};
  auto inCode = [&](uint64_t start, uint64_t end) {
    return start < end &&
           llvm::any_of(l.sections, [&](const LayoutSection &s) {
             return s.code && start >= s.vm.start && end <= s.vm.end();
           });
  };
  FunctionBounds b;
  size_t entry = x64 ? 12 : 8;
  for (size_t i = 0; i + entry <= table->size(); i += entry) {
    const uint8_t *e = table->data() + i;
    uint64_t begin = read32le(e), end;
    if (x64) {
      end = read32le(e + 4);
    } else {
      uint32_t word = read32le(e + 4);
      uint64_t units = (word >> 2) & 0x7ff;
      if ((word & 3) == 0) {
        auto xdata = imageBytes(word, 4);
        if (!xdata)
          return {};
        units = read32le(xdata->data()) & 0x3ffff;
      } else if ((word & 3) == 3) {
        return {}; // reserved
      }
      end = begin + units * 4;
    }
    if (!inCode(begin, end))
      return {};
    b.starts.push_back(begin);
    b.ends.push_back(end);
  }
  return b;
}

// Defined symbols in sections, each running to the next one of its section
// (or the section's end), in an image not past the next function start or
// end .pdata records. Among several at one address the external one comes
// first: size.cc gives the bytes to the first.
void Reader::symbols() {
  std::vector<UnsizedSymbol> syms; // section: the COFF section, 0-based
  bool i386 = obj.getMachine() == IMAGE_FILE_MACHINE_I386;
  for (const llvm::object::SymbolRef &ref : obj.symbols()) {
    llvm::object::COFFSymbolRef sym = obj.getCOFFSymbol(ref);
    int32_t sect = sym.getSectionNumber();
    if (sect <= 0 || uint32_t(sect) > sectionVm.size() || sym.isFileRecord() ||
        sym.isSection())
      continue;
    auto name = obj.getSymbolName(sym);
    if (!name) {
      llvm::consumeError(name.takeError());
      continue;
    }
    // Section symbols (".text$mn", with the section's definition) name no
    // bytes of their own.
    if (name->empty() || (sym.isSectionDefinition() && name->starts_with(".")))
      continue;
    Extent vm = sectionVm[sect - 1];
    if (vm.empty() || sym.getValue() >= vm.size)
      continue;
    l.fullSymbols = true;
    // 32-bit x86 C names carry a leading '_': dropped, so that the crate
    // rules and the demangler see what they see elsewhere.
    llvm::StringRef n = i386 && name->starts_with("_") ? name->drop_front()
                                                       : *name;
    syms.push_back({n, vm.start + sym.getValue(), uint32_t(sect - 1),
                    !sym.isExternal()});
  }
  // Each goes in the piece of its section it starts in.
  auto piece = [&](const UnsizedSymbol &s) {
    uint32_t in = pieces[s.section].front();
    for (uint32_t p : pieces[s.section])
      if (l.sections[p].vm.start <= s.addr)
        in = p;
    return in;
  };
  bool anyLocal = llvm::any_of(syms, [](const UnsizedSymbol &s) { return s.local; });
  size_t first = l.symbols.size();
  addSizedSymbols(
      std::move(syms),
      [&](uint32_t sect) { return sectionVm[sect].end(); }, piece, l);
  if (!pe)
    return;
  // An image: stripped (MSVC's have no symbol table; strip -x leaves a
  // MinGW one its exports) when functions .pdata records have no symbol.
  bounds = functionBounds();
  boundImageSymbols(l, first, bounds, anyLocal);
}

std::string Reader::read(LayoutParts parts) {
  l.fileSize = obj.getData().size();
  pe = obj.getPE32Header() || obj.getPE32PlusHeader();
  l.relocatable = !pe;
  if (std::string err = rawExtents(); !err.empty())
    return err;
  headers();
  std::vector<Carve> cuts = pe ? carves() : std::vector<Carve>();
  uint64_t nextVm = 0;
  for (const llvm::object::SectionRef &ref : obj.sections()) {
    const coff_section *s = obj.getCOFFSection(ref);
    auto name = obj.getSectionName(s);
    if (!name)
      llvm::consumeError(name.takeError());
    section(*s, name ? *name : "[unnamed section]", cuts, nextVm);
  }
  tables();
  overlay();
  // The walk also says whether the file has symbols at all (fullSymbols).
  symbols();
  if (!parts.symbols)
    l.symbols.clear();
  // DWARF compile units (MinGW): an object's bytes go to its first unit; an
  // image's units get their code (DWARF has VAs: ImageBase is taken off) and
  // their part of .debug_info.
  // Source lines from the same DWARF's line tables, for the inlines view.
  if (parts.units || parts.lines) {
    auto dwarf = openDwarf(obj);
    uint64_t imageBase = pe ? obj.getImageBase() : 0;
    if (parts.units)
      readCompileUnits(*dwarf, debugInfoOffset, l, imageBase);
    if (parts.lines)
      readSourceLines(*dwarf, l, imageBase);
  }
  return {};
}

} // namespace

std::string coff::readLayout(llvm::StringRef data, LayoutParts parts,
                             Layout &out, FunctionBounds *bounds) {
  auto obj = llvm::object::ObjectFile::createCOFFObjectFile(
      llvm::MemoryBufferRef(data, ""));
  if (!obj)
    return "malformed COFF file: " + takeMessage(obj.takeError());
  if (std::string err = coff::checkExtents(**obj); !err.empty())
    return err;
  Reader reader(llvm::cast<COFFObjectFile>(**obj), out);
  std::string err = reader.read(parts);
  if (bounds)
    *bounds = std::move(reader.bounds);
  return err;
}

} // namespace slimlink
