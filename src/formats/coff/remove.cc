// Removing sections of a COFF object by number: the edit LLVM's ObjCopy
// cannot make when section names repeat (every COMDAT function of an
// MSVC-style object is ".text").
//
// The object is laid out again: header, the kept section headers, each kept
// section's bytes and relocations (bytes unchanged), the symbol table
// renumbered, the string table as it was (unused names are harmless).
// What goes with a removed section:
//  - the symbols it defines, with their aux records, and weak externals
//    whose default it defines;
//  - undefined symbols only its relocations named (a linker would otherwise
//    look for them, and the member defining them may be pruned too);
//  - its entries in .llvm_addrsig and .llvm.call-graph-profile, which name
//    symbols by index.
// Kept debug info (DWARF .debug_*, CodeView .debug$S) may name code that
// went: such a symbol stays as an absolute 0, as if the linker had
// discarded the COMDAT. Any other kept relocation to a removed symbol means
// the liveness walk was wrong: refused, rather than a broken object.
// Both the classic header and /bigobj's ANON_OBJECT_HEADER_BIGOBJ (32-bit
// section numbers, 20-byte symbols) are handled.
#include "formats/coff/coff.h"
#include "support/diagnostics.h"

#include "llvm/BinaryFormat/COFF.h"
#include "llvm/Object/COFF.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/LEB128.h"

#include <cstring>
#include <map>

namespace slimlink {

namespace COFF = llvm::COFF;
using llvm::StringRef;
namespace endian = llvm::support::endian;

namespace {

constexpr size_t kSectionHeaderSize = 40, kRelocSize = 10;

uint16_t rd16(const char *p) { return endian::read16le(p); }
uint32_t rd32(const char *p) { return endian::read32le(p); }
void wr16(char *p, uint16_t v) { endian::write16le(p, v); }
void wr32(char *p, uint32_t v) { endian::write32le(p, v); }

bool isDebug(StringRef name) { return name.starts_with(".debug"); }

class Remover {
public:
  Remover(StringRef in, std::string &out) : in(in), out(out) {}

  std::string run(const std::vector<uint32_t> &indices) {
    if (std::string e = readHeader(); !e.empty())
      return e;
    removed.assign(nsec + 1, false);
    for (uint32_t i : indices) {
      if (i < 1 || i > nsec)
        return "cannot remove section " + std::to_string(i) + " of " +
               std::to_string(nsec);
      removed[i] = true;
    }
    if (std::string e = readSymbols(); !e.empty())
      return e;
    if (std::string e = countReferences(); !e.empty())
      return e;
    decide();
    if (std::string e = rewriteIndexTables(); !e.empty())
      return e;
    return write();
  }

private:
  enum State : uint8_t { Keep, Drop, Absolute };

  const char *section(uint32_t number) const { // 1-based
    return in.data() + headerSize + (number - 1) * kSectionHeaderSize;
  }
  const char *symbol(uint32_t index) const {
    return in.data() + symOff + size_t(index) * symSize;
  }
  int32_t sectionNumber(uint32_t i) const {
    return big ? int32_t(rd32(symbol(i) + 12)) : int16_t(rd16(symbol(i) + 12));
  }
  uint8_t storageClass(uint32_t i) const { return symbol(i)[big ? 18 : 16]; }
  uint8_t auxCount(uint32_t i) const { return symbol(i)[big ? 19 : 17]; }
  StringRef sectionName(uint32_t number) const {
    auto sec = obj->getSection(number);
    if (!sec)
      return llvm::consumeError(sec.takeError()), StringRef();
    auto name = obj->getSectionName(*sec);
    if (!name)
      return llvm::consumeError(name.takeError()), StringRef();
    return *name;
  }

  // The relocations of a section, without the count entry that
  // IMAGE_SCN_LNK_NRELOC_OVFL puts first.
  struct Relocs {
    size_t offset = 0, count = 0; // count: entries in the file
    bool overflow = false;
  };
  Relocs relocs(uint32_t number) const {
    const char *h = section(number);
    Relocs r;
    r.offset = rd32(h + 24);
    r.count = rd16(h + 32);
    r.overflow = rd32(h + 36) & COFF::IMAGE_SCN_LNK_NRELOC_OVFL;
    if (r.overflow && r.count == 0xFFFF)
      r.count = rd32(in.data() + r.offset);
    else
      r.overflow = false;
    return r;
  }

  std::string readHeader() {
    auto parsed = llvm::object::COFFObjectFile::create(
        llvm::MemoryBufferRef(in, "object"));
    if (!parsed)
      return "malformed COFF object: " + takeMessage(parsed.takeError());
    obj = std::move(*parsed);
    if (std::string e = coff::checkExtents(*obj); !e.empty())
      return e;
    big = obj->getSymbolTableEntrySize() == sizeof(llvm::object::coff_symbol32);
    if (big) {
      headerSize = sizeof(llvm::object::coff_bigobj_file_header);
      symSize = sizeof(llvm::object::coff_symbol32);
      nsec = rd32(in.data() + 44);
      symOff = rd32(in.data() + 48);
      nsym = rd32(in.data() + 52);
    } else {
      headerSize = sizeof(llvm::object::coff_file_header);
      symSize = sizeof(llvm::object::coff_symbol16);
      if (rd16(in.data() + 16) != 0)
        return "not a COFF object (it has an optional header)";
      nsec = rd16(in.data() + 2);
      symOff = rd32(in.data() + 8);
      nsym = rd32(in.data() + 12);
    }
    if (nsym == 0)
      symOff = 0;
    if (in.size() < headerSize + uint64_t(nsec) * kSectionHeaderSize ||
        (nsym && (symOff > in.size() ||
                  (in.size() - symOff) / symSize < nsym)))
      return "COFF section or symbol table runs past the end of the object";
    for (uint32_t s = 1; s <= nsec; ++s)
      if (rd32(section(s) + 28) != 0 || rd16(section(s) + 34) != 0)
        return "COFF line numbers (section " + std::to_string(s) +
               ") are not supported";
    // The string table: its size first, counting itself.
    size_t strOff = symOff ? symOff + size_t(nsym) * symSize : in.size();
    if (strOff + 4 <= in.size()) {
      uint32_t n = rd32(in.data() + strOff);
      if (n < 4 || n > in.size() - strOff)
        return "COFF string table runs past the end of the object";
      strings = in.substr(strOff, n);
    }
    return {};
  }

  std::string readSymbols() {
    isAux.assign(nsym, false);
    weakTag.assign(nsym, -1);
    for (uint32_t i = 0; i < nsym; ++i) {
      uint32_t aux = auxCount(i);
      if (aux > nsym - 1 - i)
        return "COFF symbol " + std::to_string(i) + "'s aux records run past the table";
      int32_t number = sectionNumber(i);
      if (number > int32_t(nsec))
        return "COFF symbol " + std::to_string(i) + " names section " +
               std::to_string(number) + " of " + std::to_string(nsec);
      uint8_t cls = storageClass(i);
      // Their aux records name symbols by index in ways we do not rewrite.
      if (cls == COFF::IMAGE_SYM_CLASS_FUNCTION ||
          cls == COFF::IMAGE_SYM_CLASS_CLR_TOKEN)
        return "COFF symbol " + std::to_string(i) + " of storage class " +
               std::to_string(cls) + " is not supported";
      if (cls == COFF::IMAGE_SYM_CLASS_WEAK_EXTERNAL && aux > 0) {
        uint32_t tag = rd32(symbol(i + 1));
        if (tag >= nsym)
          return "COFF weak external " + std::to_string(i) + " names symbol " +
                 std::to_string(tag);
        weakTag[i] = tag;
      }
      for (uint32_t k = 1; k <= aux; ++k)
        isAux[i + k] = true;
      i += aux;
    }
    for (uint32_t i = 0; i < nsym; ++i)
      if (weakTag[i] >= 0 && isAux[weakTag[i]])
        return "COFF weak external " + std::to_string(i) +
               " names an aux record";
    return {};
  }

  // Whether a symbol is defined in a removed section, directly or, for a
  // weak external, through its default.
  bool inRemoved(uint32_t i) const {
    int32_t n = sectionNumber(i);
    if (n > 0)
      return removed[n];
    return weakTag[i] >= 0 && sectionNumber(weakTag[i]) > 0 &&
           removed[sectionNumber(weakTag[i])];
  }

  std::string countReferences() {
    kept.assign(nsym, 0);
    dropped.assign(nsym, 0);
    absolute.assign(nsym, false);
    for (uint32_t s = 1; s <= nsec; ++s) {
      Relocs r = relocs(s);
      bool debug = isDebug(sectionName(s));
      for (size_t k = r.overflow; k < r.count; ++k) {
        uint32_t sym = rd32(in.data() + r.offset + k * kRelocSize + 4);
        if (sym >= nsym || isAux[sym])
          return "COFF section " + std::to_string(s) +
                 ": a relocation names symbol " + std::to_string(sym);
        if (removed[s]) {
          ++dropped[sym];
          continue;
        }
        ++kept[sym];
        if (!inRemoved(sym))
          continue;
        if (!debug)
          return "COFF section " + std::to_string(s) + " (" +
                 sectionName(s).str() + ") refers to symbol " +
                 std::to_string(sym) + ", defined in a removed section: "
                 "the liveness walk missed an edge";
        absolute[sym] = true;
      }
    }
    return {};
  }

  // What becomes of each symbol, and its new index.
  void decide() {
    state.assign(nsym, Keep);
    for (uint32_t i = 0; i < nsym; i += 1 + auxCount(i))
      if (inRemoved(i))
        state[i] = absolute[i] ? Absolute : Drop;
    // Weak externals first: one that goes no longer names its default.
    for (uint32_t i = 0; i < nsym; i += 1 + auxCount(i)) {
      if (weakTag[i] < 0)
        continue;
      if (state[i] == Keep && !kept[i] && dropped[i])
        state[i] = Drop;
      if (state[i] == Keep)
        ++kept[weakTag[i]];
      else
        ++dropped[weakTag[i]];
    }
    for (uint32_t i = 0; i < nsym; i += 1 + auxCount(i)) {
      bool undefined = storageClass(i) == COFF::IMAGE_SYM_CLASS_EXTERNAL &&
                       sectionNumber(i) == 0 && rd32(symbol(i) + 8) == 0;
      if (undefined && !kept[i] && dropped[i])
        state[i] = Drop;
    }
    newIndex.assign(nsym, ~0u);
    uint32_t next = 0;
    for (uint32_t i = 0; i < nsym; i += 1 + auxCount(i)) {
      if (state[i] == Drop)
        continue;
      uint32_t n = state[i] == Absolute ? 1 : 1 + auxCount(i);
      for (uint32_t k = 0; k < n; ++k)
        newIndex[i + k] = next++;
    }
    newSymbols = next;
    newSection.assign(nsec + 1, 0);
    uint32_t s = 0;
    for (uint32_t i = 1; i <= nsec; ++i)
      if (!removed[i])
        newSection[i] = ++s;
    keptSections = s;
  }

  // A symbol index as the new table has it, for tables that may drop
  // entries: none for symbols that went or became absolute.
  bool mapped(uint32_t old, uint32_t &to) const {
    if (old >= nsym || isAux[old] || state[old] != Keep)
      return false;
    to = newIndex[old];
    return true;
  }

  // .llvm_addrsig (ULEB128 symbol indices) and .llvm.call-graph-profile
  // (pairs of 32-bit indices and a 64-bit count) of kept sections.
  std::string rewriteIndexTables() {
    for (uint32_t s = 1; s <= nsec; ++s) {
      StringRef name = sectionName(s);
      if (removed[s] || (name != ".llvm_addrsig" &&
                         name != ".llvm.call-graph-profile"))
        continue;
      auto sec = obj->getSection(s);
      llvm::ArrayRef<uint8_t> bytes;
      if (!sec)
        return takeMessage(sec.takeError());
      if (llvm::Error e = obj->getSectionContents(*sec, bytes))
        return takeMessage(std::move(e));
      std::string &to = contents[s];
      if (name == ".llvm_addrsig") {
        const uint8_t *p = bytes.begin();
        while (p < bytes.end()) {
          const char *err = nullptr;
          unsigned n = 0;
          uint64_t v = llvm::decodeULEB128(p, &n, bytes.end(), &err);
          if (err)
            return "bad .llvm_addrsig: " + std::string(err);
          p += n;
          uint32_t idx;
          if (mapped(v, idx)) {
            uint8_t buf[16];
            to.append(reinterpret_cast<char *>(buf), llvm::encodeULEB128(idx, buf));
          }
        }
      } else {
        if (bytes.size() % 16)
          return "bad .llvm.call-graph-profile: " + std::to_string(bytes.size()) +
                 " bytes";
        for (size_t k = 0; k < bytes.size(); k += 16) {
          const char *e = reinterpret_cast<const char *>(bytes.data()) + k;
          uint32_t from, into;
          if (!mapped(rd32(e), from) || !mapped(rd32(e + 4), into))
            continue;
          char entry[16];
          memcpy(entry, e, 16);
          wr32(entry, from);
          wr32(entry + 4, into);
          to.append(entry, 16);
        }
      }
    }
    return {};
  }

  std::string write() {
    out.clear();
    out.reserve(in.size());
    out.append(in.data(), headerSize);
    size_t tableAt = out.size();
    for (uint32_t s = 1; s <= nsec; ++s)
      if (!removed[s])
        out.append(section(s), kSectionHeaderSize);
    for (uint32_t s = 1; s <= nsec; ++s)
      if (!removed[s])
        if (std::string e = writeSection(s, tableAt + (newSection[s] - 1) *
                                                          kSectionHeaderSize);
            !e.empty())
          return e;
    size_t symbolsAt = out.size();
    for (uint32_t i = 0; i < nsym; i += 1 + auxCount(i))
      if (state[i] != Drop)
        if (std::string e = writeSymbol(i); !e.empty())
          return e;
    out.append(strings.data(), strings.size());
    char *h = out.data();
    if (big) {
      wr32(h + 44, keptSections);
      wr32(h + 48, newSymbols ? symbolsAt : 0);
      wr32(h + 52, newSymbols);
    } else {
      wr16(h + 2, keptSections);
      wr32(h + 8, newSymbols ? symbolsAt : 0);
      wr32(h + 12, newSymbols);
    }
    return {};
  }

  // Appends section `s`'s bytes and relocations; `header` is where its
  // header lies in `out`.
  std::string writeSection(uint32_t s, size_t header) {
    const char *h = section(s);
    uint32_t rawAt = rd32(h + 20), rawSize = rd32(h + 16);
    uint32_t newRawAt = 0, newRawSize = rawSize;
    if (auto it = contents.find(s); it != contents.end()) {
      newRawAt = it->second.empty() ? 0 : out.size();
      newRawSize = it->second.size();
      out += it->second;
    } else if (rawAt != 0 && rawSize != 0 &&
               !(rd32(h + 36) & COFF::IMAGE_SCN_CNT_UNINITIALIZED_DATA)) {
      // Uninitialized data has no bytes in an object, only its size, even
      // where a writer put zeros (LLVM 19's ObjCopy does).
      newRawAt = out.size();
      out.append(in.data() + rawAt, rawSize);
    }
    Relocs r = relocs(s);
    uint32_t newRelocAt = r.count ? out.size() : 0;
    for (size_t k = 0; k < r.count; ++k) {
      const char *e = in.data() + r.offset + k * kRelocSize;
      size_t at = out.size();
      out.append(e, kRelocSize);
      if (r.overflow && k == 0)
        continue; // the count entry
      uint32_t sym = rd32(e + 4);
      if (state[sym] == Drop)
        return "COFF section " + std::to_string(s) + " still refers to symbol " +
               std::to_string(sym) + ", which goes";
      wr32(out.data() + at + 4, newIndex[sym]);
    }
    char *nh = out.data() + header;
    wr32(nh + 16, newRawSize);
    wr32(nh + 20, newRawAt);
    wr32(nh + 24, newRelocAt);
    return {};
  }

  void setSectionNumber(char *sym, int32_t n) const {
    uint8_t b[4];
    endian::write32le(b, uint32_t(n));
    memcpy(sym + 12, b, big ? 4 : 2);
  }

  std::string writeSymbol(uint32_t i) {
    size_t at = out.size();
    uint32_t aux = auxCount(i);
    out.append(symbol(i), symSize * (1 + aux));
    char *p = out.data() + at;
    int32_t number = sectionNumber(i);
    if (state[i] == Absolute) {
      // Debug info names it: resolved to 0, as for a discarded COMDAT.
      out.resize(at + symSize);
      p = out.data() + at;
      wr32(p + 8, 0);
      setSectionNumber(p, COFF::IMAGE_SYM_ABSOLUTE);
      wr16(p + (big ? 16 : 14), 0);
      p[big ? 18 : 16] = COFF::IMAGE_SYM_CLASS_STATIC;
      p[big ? 19 : 17] = 0;
      return {};
    }
    if (number > 0)
      setSectionNumber(p, newSection[number]);
    if (aux == 0)
      return {};
    char *a = p + symSize;
    uint8_t cls = storageClass(i);
    if (weakTag[i] >= 0) {
      uint32_t tag = weakTag[i];
      if (state[tag] == Drop)
        return "COFF weak external " + std::to_string(i) +
               " keeps a default that goes";
      wr32(a, newIndex[tag]);
    } else if (cls == COFF::IMAGE_SYM_CLASS_STATIC && number > 0) {
      return writeSectionDefinition(i, number, a);
    }
    return {};
  }

  // A section definition names its parent (associative COMDATs) or itself
  // by number; a rewritten section's length changes.
  std::string writeSectionDefinition(uint32_t i, int32_t own, char *a) {
    uint8_t selection = a[14];
    uint32_t n = rd16(a + 12) | (big ? uint32_t(rd16(a + 16)) << 16 : 0);
    uint32_t to = n;
    if (selection == COFF::IMAGE_COMDAT_SELECT_ASSOCIATIVE) {
      if (n < 1 || n > nsec || removed[n])
        return "COFF section " + std::to_string(own) +
               " is associative to section " + std::to_string(n) +
               ", which goes";
      to = newSection[n];
    } else if (n == uint32_t(own)) {
      to = newSection[own];
    }
    wr16(a + 12, uint16_t(to));
    if (big)
      wr16(a + 16, uint16_t(to >> 16));
    if (auto it = contents.find(own); it != contents.end())
      if (rd32(a) == rd32(section(own) + 16))
        wr32(a, it->second.size());
    return {};
  }

  StringRef in;
  std::string &out;
  std::unique_ptr<llvm::object::COFFObjectFile> obj;
  bool big = false;
  size_t headerSize = 0, symSize = 0;
  uint32_t nsec = 0, nsym = 0, symOff = 0;
  StringRef strings;
  std::vector<bool> removed;          // by section number
  std::vector<bool> isAux;            // symbol table slots of aux records
  std::vector<int64_t> weakTag;       // weak external -> its default
  std::vector<uint32_t> kept, dropped; // relocations naming each symbol
  std::vector<bool> absolute;         // named by kept debug info
  std::vector<State> state;
  std::vector<uint32_t> newIndex, newSection;
  uint32_t newSymbols = 0, keptSections = 0;
  std::map<uint32_t, std::string> contents; // rewritten sections' bytes
};

} // namespace

std::string coff::removeSections(StringRef object,
                                 const std::vector<uint32_t> &indices,
                                 std::string &out) {
  std::string result;
  if (std::string e = Remover(object, result).run(indices); !e.empty())
    return e;
  out = std::move(result);
  return {};
}

} // namespace slimlink
