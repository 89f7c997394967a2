// Source lines from a PDB, for the inlines view.
//
// What a PDB module stream holds for them:
//   - DEBUG_S_LINES subsections: for a procedure (section:offset, code
//     size), blocks of (code offset, line) entries, one block per source
//     file; each entry's code runs to the next entry's, the last to the
//     code size. Inlined code is charged there to the line of the call;
//   - S_INLINESITE records, nested inside their procedure's S_GPROC32 (and
//     inside each other) up to S_INLINESITE_END: the code inlined there, as
//     binary annotations (code offsets from the procedure's start, line
//     deltas, file changes), from the inlinee's first line that the
//     DEBUG_S_INLINEELINES subsection gives for its id. A site's ranges
//     cover the sites inside it (at the line of their call), so each byte
//     goes to the innermost;
//   - DEBUG_S_FILECHKSMS: the files, named by offsets into the PDB's
//     string table (the "/names" stream);
//   - S_BUILDINFO: the module's LF_BUILDINFO in the IPI stream, whose first
//     argument is the compile directory, which file names are made
//     relative to (as DWARF's line tables name them).
// LLVM's InfoStream and TpiStream are not used: their hash tables'
// loads allocate what a damaged capacity says (see pdb.cc, pdb_types.cc);
// the named stream map and the IPI records are read here instead, every
// read checked against its stream.
#include "formats/coff/pdb_lines.h"
#include "formats/coff/pdb_modules.h"
#include "support/diagnostics.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/DebugInfo/CodeView/DebugChecksumsSubsection.h"
#include "llvm/DebugInfo/CodeView/DebugInlineeLinesSubsection.h"
#include "llvm/DebugInfo/CodeView/DebugLinesSubsection.h"
#include "llvm/DebugInfo/CodeView/Line.h"
#include "llvm/DebugInfo/CodeView/SymbolDeserializer.h"
#include "llvm/DebugInfo/CodeView/SymbolRecord.h"
#include "llvm/DebugInfo/CodeView/TypeDeserializer.h"
#include "llvm/DebugInfo/CodeView/TypeRecord.h"
#include "llvm/DebugInfo/MSF/MappedBlockStream.h"
#include "llvm/DebugInfo/PDB/Native/DbiModuleDescriptor.h"
#include "llvm/DebugInfo/PDB/Native/DbiModuleList.h"
#include "llvm/DebugInfo/PDB/Native/DbiStream.h"
#include "llvm/DebugInfo/PDB/Native/ModuleDebugStream.h"
#include "llvm/DebugInfo/PDB/Native/PDBFile.h"
#include "llvm/DebugInfo/PDB/Native/PDBStringTable.h"
#include "llvm/DebugInfo/PDB/Native/RawConstants.h"
#include "llvm/DebugInfo/PDB/Native/RawTypes.h"
#include "llvm/Support/BinaryStreamReader.h"

#include <algorithm>

namespace slimlink::coff {

using namespace llvm::codeview;
using namespace llvm::pdb;

namespace {

// The stream index the info stream's named stream map gives "/names" (the
// string table), read as NamedStreamMap does but allocating nothing from
// the counts it reads: a string buffer, then a hash table (size, capacity,
// present and deleted bit vectors, a (key, value) pair per present bit),
// each key an offset into the buffer.
std::optional<uint32_t> namesStream(PDBFile &file) {
  auto info = file.safelyCreateIndexedStream(StreamPDB);
  if (!info) {
    llvm::consumeError(info.takeError());
    return std::nullopt;
  }
  llvm::BinaryStreamReader r(**info);
  const InfoStreamHeader *header = nullptr;
  uint32_t bufferSize = 0, size = 0, capacity = 0, words = 0;
  llvm::BinaryStreamRef buffer;
  auto check = [](llvm::Error e) {
    bool bad = bool(e);
    llvm::consumeError(std::move(e));
    return !bad;
  };
  if (!check(r.readObject(header)) || !check(r.readInteger(bufferSize)) ||
      !check(r.readStreamRef(buffer, bufferSize)) ||
      !check(r.readInteger(size)) || !check(r.readInteger(capacity)))
    return std::nullopt;
  uint64_t present = 0; // bits set in the present vector: the pairs
  if (!check(r.readInteger(words)))
    return std::nullopt;
  for (uint32_t i = 0; i < words; ++i) {
    uint32_t w = 0;
    if (!check(r.readInteger(w)))
      return std::nullopt;
    present += llvm::popcount(w);
  }
  if (!check(r.readInteger(words)) || !check(r.skip(uint64_t(words) * 4)))
    return std::nullopt; // the deleted vector: nothing to take from it
  for (uint64_t i = 0; i < present; ++i) {
    uint32_t key = 0, value = 0;
    if (!check(r.readInteger(key)) || !check(r.readInteger(value)))
      return std::nullopt;
    llvm::BinaryStreamReader names(buffer);
    llvm::StringRef name;
    if (key < buffer.getLength() && check(names.skip(key)) &&
        check(names.readCString(name)) && name == "/names")
      return value;
  }
  return std::nullopt;
}

// The IPI stream's records, by index (LF_BUILDINFO, LF_STRING_ID).
struct IdRecords {
  std::unique_ptr<llvm::msf::MappedBlockStream> stream;
  uint32_t begin = TypeIndex::FirstNonSimpleIndex;
  std::vector<CVType> records;

  void read(PDBFile &file) {
    // Not file.hasPDBIpiStream(): it loads the InfoStream (above).
    if (StreamIPI >= file.getNumStreams())
      return;
    auto s = file.safelyCreateIndexedStream(StreamIPI);
    if (!s)
      return llvm::consumeError(s.takeError());
    stream = std::move(*s);
    llvm::BinaryStreamReader r(*stream);
    const TpiStreamHeader *header = nullptr;
    CVTypeArray array;
    if (llvm::Error e = r.readObject(header))
      return llvm::consumeError(std::move(e));
    if (header->HeaderSize < sizeof(*header))
      return;
    r.setOffset(header->HeaderSize);
    if (llvm::Error e = r.readArray(array, header->TypeRecordBytes))
      return llvm::consumeError(std::move(e));
    begin = header->TypeIndexBegin;
    bool bad = false;
    for (auto it = array.begin(&bad), end = array.end(); it != end; ++it)
      records.push_back(*it);
  }

  template <class Record>
  std::optional<Record> get(TypeIndex ti, TypeLeafKind kind) const {
    if (ti.isSimple() || ti.getIndex() < begin ||
        ti.getIndex() - begin >= records.size())
      return std::nullopt;
    CVType t = records[ti.getIndex() - begin];
    if (t.kind() != kind)
      return std::nullopt;
    Record out(static_cast<TypeRecordKind>(kind));
    if (llvm::Error e = TypeDeserializer::deserializeAs(t, out)) {
      llvm::consumeError(std::move(e));
      return std::nullopt;
    }
    return out;
  }

  // The compile directory an S_BUILDINFO's id names, or "".
  llvm::StringRef compileDir(TypeIndex buildInfo) const {
    auto info = get<BuildInfoRecord>(buildInfo, LF_BUILDINFO);
    if (!info || info->getArgs().size() <= BuildInfoRecord::CurrentDirectory)
      return {};
    auto dir = get<StringIdRecord>(
        info->getArgs()[BuildInfoRecord::CurrentDirectory], LF_STRING_ID);
    return dir ? dir->getString() : llvm::StringRef();
  }
};

// The line a C13 entry or an inline site gives, as a name's number:
// MSVC's "step into" markers for code of no line are line 0, as DWARF
// says it.
uint32_t lineNumber(uint32_t line) {
  if (line == LineInfo::AlwaysStepIntoLineNumber ||
      line == LineInfo::NeverStepIntoLineNumber)
    return 0;
  return line;
}

class LineReader {
public:
  LineReader(PDBFile &file, RvaOf rvaOf, LayoutLines &out)
      : file(file), rvaOf(rvaOf), out(out) {}
  std::string read(DbiStream &dbi);

private:
  PDBFile &file;
  RvaOf rvaOf;
  LayoutLines &out;
  PDBStringTable strings;
  std::unique_ptr<llvm::msf::MappedBlockStream> stringStream;
  IdRecords ids;
  llvm::StringMap<uint32_t> nameIds; // "file:line" -> index into out.names
  std::vector<NestedLine> ranges;

  // One module's state.
  llvm::StringRef cwd;
  llvm::DenseMap<uint32_t, std::string> files; // by checksum entry offset
  llvm::DenseMap<uint64_t, uint32_t> lineIds;  // (file, line) -> name
  llvm::DenseMap<uint32_t, std::pair<uint32_t, uint32_t>> inlinees;

  bool readStrings();
  uint32_t nameOf(uint32_t fileOffset, uint32_t line);
  void module(const ModuleDebugStreamRef &mod);
  void lineTable(const DebugLinesSubsectionRef &lines);
  std::string symbols(const ModuleDebugStreamRef &mod);
};

bool LineReader::readStrings() {
  std::optional<uint32_t> index = namesStream(file);
  if (!index)
    return false;
  auto s = file.safelyCreateIndexedStream(*index);
  if (!s) {
    llvm::consumeError(s.takeError());
    return false;
  }
  stringStream = std::move(*s);
  llvm::BinaryStreamReader r(*stringStream);
  if (llvm::Error e = strings.reload(r)) {
    llvm::consumeError(std::move(e));
    return false;
  }
  return true;
}

uint32_t LineReader::nameOf(uint32_t fileOffset, uint32_t line) {
  line = lineNumber(line);
  auto [it, added] = lineIds.try_emplace(uint64_t(fileOffset) << 32 | line, 0);
  if (!added)
    return it->second;
  auto f = files.find(fileOffset);
  std::string name =
      (f == files.end() ? std::string("[unknown file]") : f->second) + ":" +
      std::to_string(line);
  auto [n, fresh] = nameIds.try_emplace(name, out.names.size());
  if (fresh)
    out.names.push_back(std::move(name));
  return it->second = n->second;
}

// A procedure's line table: each entry's code to the next entry's (of any
// of its files' blocks), the last to the table's code size.
void LineReader::lineTable(const DebugLinesSubsectionRef &lines) {
  const LineFragmentHeader *h = lines.header();
  std::optional<uint64_t> rva = rvaOf(h->RelocSegment, h->RelocOffset,
                                      h->CodeSize);
  if (!rva)
    return;
  struct Entry {
    uint32_t offset, file, line;
  };
  std::vector<Entry> entries;
  for (const LineColumnEntry &block : lines)
    for (const LineNumberEntry &e : block.LineNumbers)
      if (e.Offset < h->CodeSize)
        entries.push_back(
            {e.Offset, block.NameIndex, LineInfo(e.Flags).getStartLine()});
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Entry &a, const Entry &b) {
                     return a.offset < b.offset;
                   });
  for (size_t i = 0; i < entries.size(); ++i) {
    uint64_t end = i + 1 < entries.size() ? entries[i + 1].offset
                                          : uint64_t(h->CodeSize);
    if (end > entries[i].offset) // several entries at one offset: the last
      ranges.push_back({*rva + entries[i].offset, *rva + end, 0,
                        nameOf(entries[i].file, entries[i].line)});
  }
}

// The module's subsections: its files, its procedures' line tables, its
// inlinees' first lines. One that does not parse is left out.
void LineReader::module(const ModuleDebugStreamRef &mod) {
  files.clear();
  lineIds.clear();
  inlinees.clear();
  std::vector<DebugLinesSubsectionRef> tables;
  bool bad = false;
  DebugSubsectionArray subsections = mod.getSubsectionsArray();
  for (auto it = subsections.begin(&bad), end = subsections.end(); it != end;
       ++it) {
    llvm::BinaryStreamReader r(it->getRecordData());
    switch (it->kind()) {
    case DebugSubsectionKind::FileChecksums: {
      DebugChecksumsSubsectionRef checksums;
      if (llvm::Error e = checksums.initialize(r)) {
        llvm::consumeError(std::move(e));
        break;
      }
      bool badEntry = false;
      const auto &array = checksums.getArray();
      for (auto c = array.begin(&badEntry), cend = array.end(); c != cend;
           ++c) {
        auto name = strings.getStringForID(c->FileNameOffset);
        if (!name) {
          llvm::consumeError(name.takeError());
          continue;
        }
        files[c.offset()] = sourceFileName(*name, cwd);
      }
      break;
    }
    case DebugSubsectionKind::Lines: {
      DebugLinesSubsectionRef lines;
      if (llvm::Error e = lines.initialize(r)) {
        llvm::consumeError(std::move(e));
        break;
      }
      tables.push_back(lines);
      out.read = true;
      break;
    }
    case DebugSubsectionKind::InlineeLines: {
      DebugInlineeLinesSubsectionRef inl;
      if (llvm::Error e = inl.initialize(r)) {
        llvm::consumeError(std::move(e));
        break;
      }
      for (const InlineeSourceLine &s : inl)
        inlinees[s.Header->Inlinee.getIndex()] = {s.Header->FileID,
                                                  s.Header->SourceLineNum};
      break;
    }
    default:
      break;
    }
  }
  // The checksums may come after the tables that name them.
  for (const DebugLinesSubsectionRef &t : tables)
    lineTable(t);
}

// The module's inline sites, inside their procedures.
std::string LineReader::symbols(const ModuleDebugStreamRef &mod) {
  struct {
    uint64_t rva = 0, size = 0;
    bool known = false;
  } proc;
  uint32_t depth = 0;
  bool bad = false;
  for (const CVSymbol &sym : mod.symbols(&bad)) {
    if (isProcedure(sym.kind())) {
      depth = 0;
      proc.known = false;
      auto p = SymbolDeserializer::deserializeAs<ProcSym>(sym);
      if (!p) {
        llvm::consumeError(p.takeError());
        continue;
      }
      if (std::optional<uint64_t> rva =
              rvaOf(p->Segment, p->CodeOffset, p->CodeSize))
        proc = {*rva, p->CodeSize, true};
      continue;
    }
    switch (sym.kind()) {
    case S_SEPCODE:
      proc.known = false; // its sites' offsets are from elsewhere
      break;
    case S_INLINESITE: {
      ++depth;
      if (!proc.known)
        break;
      auto s = SymbolDeserializer::deserializeAs<InlineSiteSym>(sym);
      if (!s) {
        llvm::consumeError(s.takeError());
        break;
      }
      auto first = inlinees.find(s->Inlinee.getIndex());
      if (first == inlinees.end())
        break; // no first line to count from
      for (const SiteLine &r :
           inlineSiteLines(s->AnnotationData, first->second.first,
                           first->second.second, proc.size))
        ranges.push_back({proc.rva + r.start, proc.rva + r.end, depth,
                          nameOf(r.file, r.line)});
      break;
    }
    case S_INLINESITE2:
      ++depth; // LLVM has no record for it: its sites stay their caller's
      break;
    case S_INLINESITE_END:
      if (depth > 0)
        --depth;
      break;
    default:
      break;
    }
  }
  if (bad)
    return "malformed symbol records";
  return {};
}

std::string LineReader::read(DbiStream &dbi) {
  if (!readStrings())
    return {}; // no file names: no lines (the view says so)
  ids.read(file);
  std::string err = forEachPdbModule(file, dbi, [&](ModuleDebugStreamRef &mod) {
    cwd = {};
    for (const CVSymbol &sym : mod.symbols(nullptr))
      if (sym.kind() == S_BUILDINFO) {
        if (auto b = SymbolDeserializer::deserializeAs<BuildInfoSym>(sym))
          cwd = ids.compileDir(b->BuildId);
        else
          llvm::consumeError(b.takeError());
      }
    module(mod);
    return symbols(mod);
  });
  if (!err.empty())
    return err;
  innermostLines(std::move(ranges), out.ranges);
  return {};
}

} // namespace

std::string readPdbLines(PDBFile &file, DbiStream &dbi, RvaOf rvaOf,
                         LayoutLines &out) {
  return LineReader(file, rvaOf, out).read(dbi);
}

} // namespace slimlink::coff
