// A PE image's symbols and compile units from its PDB, read by LLVM's
// native PDB reader (DebugInfo/PDB/Native: no Windows needed).
//
// What a PDB says, and what is taken:
//   - module symbol streams: a procedure (S_GPROC32, S_LPROC32 and their
//     _ID forms) and an incremental-linking thunk (S_THUNK32) have an
//     address (section:offset) and a code size; data (S_GDATA32,
//     S_LDATA32, thread-local S_GTHREAD32/S_LTHREAD32) an address and a
//     type, whose size the type stream gives (pdb_types.cc);
//   - the symbol records stream holds the publics (S_PUB32: the linkage
//     names: "?f@@YAXXZ", "_ZN5hello6square17h...E", what the symbols and
//     crates views read) and the global data;
//   - the DBI stream's modules (one per object linked, and "* Linker *")
//     and its section contributions: which module each range of each
//     section came from: the compile units;
//   - the modules' line tables and inline sites: the inlines view's source
//     lines (pdb_lines.cc).
// A procedure is named by the public at its address where there is one
// (a procedure record names C++ and Rust functions demangled, without the
// hash the crates rule reads), else by its own name (static functions).
// Symbols without a size (publics alone, data of a type of no known size)
// run to the next symbol of their section, never past another's bounds or
// a function start or end .pdata records.
// Addresses are section:offset, section the image's section number: each
// must lie inside that section of the image, or the symbol is left out.
// Every Expected is checked; LLVM's reader checks the MSF block map and
// every record's extent against its stream.
#include "formats/coff/coff.h"
#include "formats/coff/pdb_lines.h"
#include "formats/coff/pdb_modules.h"
#include "formats/coff/pdb_types.h"
#include "support/diagnostics.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/BinaryFormat/Magic.h"
#include "llvm/DebugInfo/CodeView/SymbolDeserializer.h"
#include "llvm/DebugInfo/CodeView/SymbolRecord.h"
#include "llvm/DebugInfo/PDB/Native/DbiModuleDescriptor.h"
#include "llvm/DebugInfo/PDB/Native/DbiModuleList.h"
#include "llvm/DebugInfo/PDB/Native/DbiStream.h"
#include "llvm/DebugInfo/PDB/Native/ISectionContribVisitor.h"
#include "llvm/DebugInfo/PDB/Native/InfoStream.h"
#include "llvm/DebugInfo/PDB/Native/ModuleDebugStream.h"
#include "llvm/DebugInfo/PDB/Native/PDBFile.h"
#include "llvm/DebugInfo/PDB/Native/RawTypes.h"
#include "llvm/DebugInfo/PDB/Native/SymbolStream.h"
#include "llvm/DebugInfo/MSF/MappedBlockStream.h"
#include "llvm/Object/COFF.h"
#include "llvm/Support/BinaryByteStream.h"
#include "llvm/Support/BinaryStreamReader.h"
#include "llvm/Support/StringSaver.h"

#include <algorithm>

namespace slimlink {

using namespace llvm::codeview;
using namespace llvm::pdb;

namespace {

// An open PDB: LLVM's PDBFile over the bytes (not copied; the caller keeps
// them), its headers and stream directory parsed.
struct OpenPdb {
  llvm::BumpPtrAllocator alloc; // the reader's copies of records that span blocks
  std::unique_ptr<PDBFile> file;
};

std::string openPdb(llvm::StringRef bytes, OpenPdb &out) {
  if (llvm::identify_magic(bytes) != llvm::file_magic::pdb)
    return "not a PDB file (no MSF 7.00 signature at offset 0x0)";
  auto stream = std::make_unique<llvm::MemoryBufferByteStream>(
      llvm::MemoryBuffer::getMemBuffer(bytes, "", false),
      llvm::endianness::little);
  out.file = std::make_unique<PDBFile>("", std::move(stream), out.alloc);
  if (llvm::Error e = out.file->parseFileHeaders())
    return "malformed PDB file: " + takeMessage(std::move(e));
  if (llvm::Error e = out.file->parseStreamData())
    return "malformed PDB file: " + takeMessage(std::move(e));
  return {};
}

// A range of the image the PDB names as section:offset, as an RVA.
struct ImageSection {
  uint64_t rva, size;
};

// A symbol as the PDB gives it, placed in the image.
struct PdbSymbol {
  llvm::StringRef name;
  uint64_t rva = 0, size = 0;
  bool sized = false;  // a procedure's or thunk's length, a datum's type's
  bool isPublic = false;
};

class PdbReader {
public:
  PdbReader(PDBFile &file, const std::vector<ImageSection> &sections,
            Layout &l)
      : file(file), sections(sections), l(l),
        storage(std::make_shared<llvm::BumpPtrAllocator>()), saver(*storage) {}

  std::string read(LayoutParts parts, const FunctionBounds &bounds);

private:
  PDBFile &file;
  const std::vector<ImageSection> &sections; // by section number - 1
  Layout &l;
  std::shared_ptr<llvm::BumpPtrAllocator> storage;
  llvm::StringSaver saver;
  coff::PdbTypeSizes typeSizes;
  std::vector<PdbSymbol> found;

  std::optional<uint64_t> rvaOf(uint16_t segment, uint64_t offset,
                                uint64_t size = 0) const;
  std::optional<uint64_t> dataSize(uint16_t segment, uint64_t offset,
                                   TypeIndex type) const;
  void take(const CVSymbol &sym, bool globals);
  std::string moduleSymbols(DbiStream &dbi);
  std::string globalSymbols();
  void placeSymbols(const FunctionBounds &bounds);
  std::string units(DbiStream &dbi);
};

// Where segment:offset (and `size` bytes after it) lies, if inside one of
// the image's sections.
std::optional<uint64_t> PdbReader::rvaOf(uint16_t segment, uint64_t offset,
                                         uint64_t size) const {
  if (segment == 0 || segment > sections.size())
    return std::nullopt;
  const ImageSection &s = sections[segment - 1];
  if (offset >= s.size || size > s.size - offset)
    return std::nullopt;
  return s.rva + offset;
}

// A data symbol's size: its type's, where the PDB has the type and the
// value fits in its section; else nothing (it runs to the next symbol).
std::optional<uint64_t> PdbReader::dataSize(uint16_t segment, uint64_t offset,
                                            TypeIndex type) const {
  uint64_t size = typeSizes.of(type);
  if (!size || !rvaOf(segment, offset, size))
    return std::nullopt;
  return size;
}

// One symbol record, if it names bytes of the image. Records that do not
// deserialize are left out (the stream itself was read without error).
void PdbReader::take(const CVSymbol &sym, bool globals) {
  auto add = [&](llvm::StringRef name, uint16_t segment, uint64_t offset,
                 std::optional<uint64_t> size, bool isPublic) {
    if (name.empty())
      return;
    std::optional<uint64_t> rva = rvaOf(segment, offset, size.value_or(0));
    if (!rva)
      return;
    found.push_back({saver.save(name), *rva, size.value_or(0),
                     size.has_value(), isPublic});
  };
  if (coff::isProcedure(sym.kind())) {
    auto p = SymbolDeserializer::deserializeAs<ProcSym>(sym);
    if (!p)
      return llvm::consumeError(p.takeError());
    add(p->Name, p->Segment, p->CodeOffset, uint64_t(p->CodeSize), false);
    return;
  }
  switch (sym.kind()) {
  case S_THUNK32: {
    auto t = SymbolDeserializer::deserializeAs<Thunk32Sym>(sym);
    if (!t)
      return llvm::consumeError(t.takeError());
    add(t->Name, t->Segment, t->Offset, uint64_t(t->Length), false);
    return;
  }
  case S_GDATA32:
  case S_LDATA32: {
    auto d = SymbolDeserializer::deserializeAs<DataSym>(sym);
    if (!d)
      return llvm::consumeError(d.takeError());
    add(d->Name, d->Segment, d->DataOffset, dataSize(d->Segment, d->DataOffset,
                                                     d->Type), false);
    return;
  }
  case S_GTHREAD32:
  case S_LTHREAD32: {
    auto d = SymbolDeserializer::deserializeAs<ThreadLocalDataSym>(sym);
    if (!d)
      return llvm::consumeError(d.takeError());
    add(d->Name, d->Segment, d->DataOffset, dataSize(d->Segment, d->DataOffset,
                                                     d->Type), false);
    return;
  }
  case S_PUB32: {
    if (!globals)
      return;
    auto p = SymbolDeserializer::deserializeAs<PublicSym32>(sym);
    if (!p)
      return llvm::consumeError(p.takeError());
    add(p->Name, p->Segment, p->Offset, std::nullopt, true);
    return;
  }
  default:
    return;
  }
}

std::string PdbReader::moduleSymbols(DbiStream &dbi) {
  return coff::forEachPdbModule(file, dbi, [&](ModuleDebugStreamRef &mod) {
    bool bad = false;
    for (const CVSymbol &sym : mod.symbols(&bad))
      take(sym, /*globals=*/false);
    return std::string(bad ? "malformed symbol records" : "");
  });
}

// The symbol records stream: publics and global data.
std::string PdbReader::globalSymbols() {
  auto symbols = file.getPDBSymbolStream();
  if (!symbols)
    return "PDB symbol records: " + takeMessage(symbols.takeError());
  bool bad = false;
  for (const CVSymbol &sym : symbols->getSymbols(&bad))
    take(sym, /*globals=*/true);
  if (bad)
    return "PDB symbol records: malformed symbol records";
  return {};
}

// The symbols found, as the layout's: each procedure or datum of known
// size named by the public at its address if there is one; where none has
// a size, one name for the address (a public's first), sized to the next
// symbol start of its section and cut at the sized ones' and .pdata's
// bounds.
void PdbReader::placeSymbols(const FunctionBounds &pdata) {
  std::stable_sort(found.begin(), found.end(),
                   [](const PdbSymbol &a, const PdbSymbol &b) {
                     return std::tie(a.rva, b.isPublic, b.sized) <
                            std::tie(b.rva, a.isPublic, a.sized);
                   });
  // The l.sections entry (a section, or a piece of one) holding an RVA.
  std::vector<uint32_t> byVm;
  for (uint32_t i = 0; i < l.sections.size(); ++i)
    if (!l.sections[i].vm.empty())
      byVm.push_back(i);
  std::sort(byVm.begin(), byVm.end(), [&](uint32_t a, uint32_t b) {
    return l.sections[a].vm.start < l.sections[b].vm.start;
  });
  auto sectionAt = [&](uint64_t rva) -> std::optional<uint32_t> {
    auto it = std::upper_bound(byVm.begin(), byVm.end(), rva,
                               [&](uint64_t a, uint32_t s) {
                                 return a < l.sections[s].vm.start;
                               });
    if (it == byVm.begin())
      return std::nullopt;
    uint32_t s = *std::prev(it);
    if (rva >= l.sections[s].vm.end())
      return std::nullopt;
    return s;
  };
  FunctionBounds cuts = pdata;
  std::vector<uint64_t> starts;
  for (const PdbSymbol &s : found) {
    starts.push_back(s.rva);
    if (s.sized) {
      cuts.starts.push_back(s.rva);
      cuts.ends.push_back(s.rva + s.size);
    }
  }
  // `found` is sorted by address: `starts` is too. Symbols without a size
  // are cut at the bounds once they are all made (one sort of the cuts).
  std::vector<LayoutSymbol> unsized;
  for (size_t i = 0; i < found.size();) {
    size_t j = i;
    while (j < found.size() && found[j].rva == found[i].rva)
      ++j;
    // [i, j): one address; publics first, then the sized ones.
    uint64_t rva = found[i].rva;
    std::optional<uint32_t> sec = sectionAt(rva);
    if (sec) {
      llvm::StringRef publicName =
          found[i].isPublic ? found[i].name : llvm::StringRef();
      // The sized ones (a procedure in several modules' records, a datum
      // in its module's and the globals'), once per name and size.
      llvm::SmallVector<std::pair<llvm::StringRef, uint64_t>, 2> sized;
      for (size_t k = i; k < j; ++k) {
        auto named = std::make_pair(
            publicName.empty() ? found[k].name : publicName, found[k].size);
        if (found[k].sized && !llvm::is_contained(sized, named))
          sized.push_back(named);
      }
      for (auto [name, size] : sized)
        l.symbols.push_back({name, rva, size, *sec});
      if (sized.empty()) {
        uint64_t end = l.sections[*sec].vm.end();
        auto next = std::upper_bound(starts.begin(), starts.end(), rva);
        if (next != starts.end() && *next < end)
          end = *next;
        unsized.push_back({found[i].name, rva, end - rva, *sec});
      }
    }
    i = j;
  }
  // Only these are cut: a procedure's or datum's size is the PDB's.
  cutAtFunctionBounds(unsized, cuts);
  l.symbols.insert(l.symbols.end(), unsized.begin(), unsized.end());
}

// Section contributions as collected by DbiStream's visitor.
struct Contributions : ISectionContribVisitor {
  std::vector<SectionContrib> all;
  void visit(const SectionContrib &c) override { all.push_back(c); }
  void visit(const SectionContrib2 &c) override { all.push_back(c.Base); }
};

// Each module a compile unit, named as the PDB names it (the object file's
// path, "* Linker *"), with the image ranges its section contributions give.
std::string PdbReader::units(DbiStream &dbi) {
  const DbiModuleList &modules = dbi.modules();
  uint32_t count = modules.getModuleCount();
  for (uint32_t i = 0; i < count; ++i)
    l.units.push_back({modules.getModuleDescriptor(i).getModuleName().str(),
                       {}, {}});
  Contributions c;
  dbi.visitSectionContributions(c);
  for (const SectionContrib &x : c.all) {
    if (x.Imod >= count || x.Size <= 0 || x.Off < 0)
      continue;
    if (std::optional<uint64_t> rva = rvaOf(x.ISect, x.Off, x.Size))
      l.units[x.Imod].vm.push_back({*rva, uint64_t(x.Size)});
  }
  return {};
}

std::string PdbReader::read(LayoutParts parts, const FunctionBounds &bounds) {
  auto dbi = file.getPDBDbiStream();
  if (!dbi)
    return "PDB DBI stream: " + takeMessage(dbi.takeError());
  if (parts.symbols) {
    if (std::string err = typeSizes.read(file); !err.empty())
      return err;
    if (std::string err = moduleSymbols(*dbi); !err.empty())
      return err;
    if (std::string err = globalSymbols(); !err.empty())
      return err;
    placeSymbols(bounds);
    l.nameStorage = storage;
  }
  l.fullSymbols = true;
  l.namesLeft.clear();
  if (parts.lines)
    if (std::string err = coff::readPdbLines(
            file, *dbi,
            [&](uint16_t segment, uint64_t offset, uint64_t size) {
              return rvaOf(segment, offset, size);
            },
            l.lines);
        !err.empty())
      return err;
  if (parts.units)
    return units(*dbi);
  return {};
}

} // namespace

std::string coff::PdbIdentity::describe() const {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << guid << " age " << age;
  return s;
}

std::string coff::readPdbIdentity(llvm::StringRef pdb, PdbIdentity &out) {
  OpenPdb open;
  if (std::string err = openPdb(pdb, open); !err.empty())
    return err;
  // The PDB info stream's fixed header only. LLVM's InfoStream also loads
  // the named stream map after it, whose hash table load runs out of
  // memory on a damaged bit vector (std::bad_alloc: found by mutating the
  // test's PDB); nothing here needs that map.
  auto info = open.file->safelyCreateIndexedStream(StreamPDB);
  if (!info)
    return "PDB info stream: " + takeMessage(info.takeError());
  llvm::BinaryStreamReader reader(**info);
  const InfoStreamHeader *header = nullptr;
  if (llvm::Error e = reader.readObject(header))
    return "PDB info stream: " + takeMessage(std::move(e));
  out.guid = header->Guid;
  out.age = header->Age;
  // The image records the DBI stream's age (the info stream's may be
  // ahead of it after an incremental link): debuggers match that one.
  if (open.file->hasPDBDbiStream()) {
    auto dbi = open.file->getPDBDbiStream();
    if (!dbi)
      return "PDB DBI stream: " + takeMessage(dbi.takeError());
    out.age = dbi->getAge();
  }
  return {};
}

std::string coff::readPdbLayout(llvm::StringRef image, llvm::StringRef pdb,
                                LayoutParts parts, Layout &out) {
  FunctionBounds bounds;
  LayoutParts own = parts;
  own.symbols = false; // the image's own (if any) are not wanted
  own.units = false;
  own.lines = false; // the PDB's are
  if (std::string err = readLayout(image, own, out, &bounds); !err.empty())
    return err;
  out.symbols.clear();
  out.units.clear();
  out.lines = {};
  auto obj = llvm::object::ObjectFile::createCOFFObjectFile(
      llvm::MemoryBufferRef(image, ""));
  if (!obj)
    return "malformed COFF file: " + takeMessage(obj.takeError());
  std::vector<ImageSection> sections;
  for (const llvm::object::SectionRef &ref : (*obj)->sections()) {
    const llvm::object::coff_section *s =
        llvm::cast<llvm::object::COFFObjectFile>(**obj).getCOFFSection(ref);
    sections.push_back({s->VirtualAddress,
                        s->VirtualSize ? s->VirtualSize : s->SizeOfRawData});
  }
  OpenPdb open;
  if (std::string err = openPdb(pdb, open); !err.empty())
    return err;
  return PdbReader(*open.file, sections, out).read(parts, bounds);
}

} // namespace slimlink
