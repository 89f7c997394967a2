// The sections, symbols and relocations of a COFF object, as lld-link's
// /OPT:REF sees them:
//  - graph section i is COFF section i + 1; graph symbol i is symbol table
//    record i (aux records are nameless placeholders), so relocations'
//    SymbolTableIndex needs no mapping; symbols past the table are made up
//    for linker directives (below);
//  - only COMDAT sections can be dropped: every other section is a root,
//    kept whenever its object is linked;
//  - an associative COMDAT (.pdata, .xdata, .debug$S of a COMDAT function)
//    lives and dies with its parent: LinkOrder. MinGW objects (GNU as, old
//    clang) may have .pdata$f/.xdata$f as plain COMDATs: lld ties them to
//    .text$f, and so do we;
//  - debug sections (.debug$*, DWARF .debug_*) keep nothing alive: their
//    relocations are not edges. remove.cc keeps them whole and points what
//    they name in dropped code at address 0;
//  - .drectve's /INCLUDE:, /EXPORT: and /ALTERNATENAME: name symbols the
//    linker keeps once it loads the object: edges from .drectve (a root) to
//    made-up symbols of those names;
//  - a weak external binds to its default when nothing else defines it: a
//    relocation to it is an edge to the default too, and one whose default
//    is defined here defines the name (llvm-ar lists it in the index).
#include "formats/coff/coff.h"
#include "support/diagnostics.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/BinaryFormat/COFF.h"
#include "llvm/Object/COFF.h"
#include "llvm/Support/StringSaver.h"

namespace slimlink {

using namespace llvm::object;
namespace COFF = llvm::COFF;
using llvm::StringRef;

namespace {

// Made-up relocation types for the edges of linker directives (`why`).
constexpr uint32_t kDirective = 0xFFFF0000;
enum Directive : uint32_t { Include, Export, AlternateName };

bool isDebug(StringRef name) { return name.starts_with(".debug"); }

// Sections a loaded object keeps even when they are COMDATs nothing names:
// C/C++ initializers and thread-local templates (the CRT walks them by
// section name, as a linker-made table).
bool isTable(StringRef name) {
  return name.starts_with(".CRT$") || name.starts_with(".tls$") ||
         name == ".tls";
}

// Splits .drectve's contents like a command line: spaces separate,
// quotes group and are dropped.
std::vector<StringRef> directiveArgs(StringRef s, llvm::StringSaver &saver) {
  std::vector<StringRef> out;
  std::string cur;
  bool quoted = false, any = false;
  for (char c : s) {
    if (c == '"') {
      quoted = !quoted;
      any = true;
    } else if (!quoted && (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
                           c == '\0')) {
      if (any || !cur.empty())
        out.push_back(saver.save(cur));
      cur.clear();
      any = false;
    } else {
      cur += c;
    }
  }
  if (any || !cur.empty())
    out.push_back(saver.save(cur));
  return out;
}

class Reader {
public:
  Reader(const COFFObjectFile &obj, ObjectGraph &g)
      : obj(obj), g(g), saver(*g.names) {}

  std::string read() {
    g.machine = obj.getMachine();
    if (std::string e = readSections(); !e.empty())
      return e;
    if (std::string e = readSymbols(); !e.empty())
      return e;
    if (std::string e = readComdats(); !e.empty())
      return e;
    if (std::string e = readRelocations(); !e.empty())
      return e;
    return readDirectives();
  }

private:
  std::string readSections() {
    uint32_t n = obj.getNumberOfSections();
    g.sections.resize(n);
    for (uint32_t i = 0; i < n; ++i) {
      auto sec = obj.getSection(i + 1);
      if (!sec)
        return "bad section " + std::to_string(i + 1) + ": " +
               takeMessage(sec.takeError());
      auto name = obj.getSectionName(*sec);
      if (!name)
        return "bad name of section " + std::to_string(i + 1) + ": " +
               takeMessage(name.takeError());
      uint32_t c = (*sec)->Characteristics;
      GraphSection &s = g.sections[i];
      s.name = *name;
      bool bss = c & COFF::IMAGE_SCN_CNT_UNINITIALIZED_DATA;
      s.fileSize = bss ? 0 : uint32_t((*sec)->SizeOfRawData);
      s.alloc = !(c & (COFF::IMAGE_SCN_LNK_REMOVE |
                       COFF::IMAGE_SCN_MEM_DISCARDABLE)) &&
                !isDebug(s.name);
      s.vmSize = s.alloc ? uint32_t((*sec)->SizeOfRawData) : 0;
      s.exec = c & (COFF::IMAGE_SCN_CNT_CODE | COFF::IMAGE_SCN_MEM_EXECUTE);
      // COMDATs are made droppable by readComdats(); one without a
      // definition record stays a root.
      s.root = true;
      comdat.push_back(c & COFF::IMAGE_SCN_LNK_COMDAT);
    }
    return {};
  }

  std::string readSymbols() {
    uint32_t n = obj.getNumberOfSymbols();
    g.symbols.resize(n);
    weakDefault.assign(n, -1);
    for (uint32_t i = 0; i < n; ++i) {
      auto sym = obj.getSymbol(i);
      if (!sym)
        return "bad symbol " + std::to_string(i) + ": " +
               takeMessage(sym.takeError());
      auto name = obj.getSymbolName(*sym);
      if (!name)
        return "bad name of symbol " + std::to_string(i) + ": " +
               takeMessage(name.takeError());
      GraphSymbol &s = g.symbols[i];
      s.name = *name;
      int32_t number = sym->getSectionNumber();
      if (number > 0) {
        if (uint32_t(number) > g.sections.size())
          return "symbol " + std::to_string(i) + " names section " +
                 std::to_string(number) + " of " +
                 std::to_string(g.sections.size());
        s.section = number - 1;
      }
      s.global = sym->isExternal() || sym->isWeakExternal();
      s.weak = sym->isWeakExternal();
      s.sectionSymbol = number > 0 && sym->isSectionDefinition();
      if (const coff_aux_weak_external *w = sym->getWeakExternal()) {
        if (w->TagIndex >= n)
          return "weak external " + std::to_string(i) + " names symbol " +
                 std::to_string(w->TagIndex) + " of " + std::to_string(n);
        weakDefault[i] = w->TagIndex;
      }
      uint32_t aux = sym->getNumberOfAuxSymbols();
      if (aux > n - 1 - i)
        return "symbol " + std::to_string(i) + "'s aux records run past the table";
      i += aux; // placeholders: no name, no section
    }
    // A weak external whose default is defined here defines its name where
    // the default lies (the second pass sees defaults after their alias).
    for (uint32_t i = 0; i < n; ++i)
      if (weakDefault[i] >= 0 && g.symbols[weakDefault[i]].section >= 0)
        g.symbols[i].section = g.symbols[weakDefault[i]].section;
    for (uint32_t i = 0; i < n; ++i)
      if (g.symbols[i].global && g.symbols[i].section >= 0 &&
          !g.symbols[i].sectionSymbol)
        definedHere.try_emplace(g.symbols[i].name, i);
    return {};
  }

  // The first section-definition record of a section says whether it is
  // associative, and to what (as lld reads it).
  std::string readComdats() {
    bool big = obj.getSymbolTableEntrySize() == sizeof(coff_symbol32);
    std::vector<bool> seen(g.sections.size());
    llvm::StringMap<int32_t> textOf; // MinGW: "f" -> its .text$f COMDAT
    for (uint32_t i = 0; i < g.sections.size(); ++i)
      if (comdat[i] && g.sections[i].name.starts_with(".text$"))
        textOf.try_emplace(g.sections[i].name.drop_front(6), i);
    for (uint32_t i = 0; i < obj.getNumberOfSymbols(); ++i) {
      auto sym = obj.getSymbol(i);
      if (!sym)
        return takeMessage(sym.takeError());
      uint32_t aux = sym->getNumberOfAuxSymbols();
      int32_t number = sym->getSectionNumber();
      const coff_aux_section_definition *def = sym->getSectionDefinition();
      if (def && number > 0 && !seen[number - 1]) {
        uint32_t s = number - 1;
        seen[s] = true;
        if (comdat[s])
          if (std::string e = setComdat(s, *def, big); !e.empty())
            return e;
      }
      i += aux;
    }
    // MinGW's unwind tables as plain COMDATs: tied to their function.
    for (uint32_t s = 0; s < g.sections.size(); ++s) {
      GraphSection &sec = g.sections[s];
      if (!comdat[s] || sec.linkOrder >= 0)
        continue;
      for (StringRef prefix : {".pdata$", ".xdata$"})
        if (sec.name.starts_with(prefix))
          if (auto it = textOf.find(sec.name.drop_front(prefix.size()));
              it != textOf.end()) {
            sec.linkOrder = it->second;
            sec.root = false;
          }
    }
    return {};
  }

  std::string setComdat(uint32_t s, const coff_aux_section_definition &def,
                        bool big) {
    GraphSection &sec = g.sections[s];
    if (def.Selection == COFF::IMAGE_COMDAT_SELECT_ASSOCIATIVE) {
      int32_t parent = def.getNumber(big);
      if (parent < 1 || uint32_t(parent) > g.sections.size() ||
          uint32_t(parent) == s + 1)
        return "associative section " + std::to_string(s + 1) +
               " names section " + std::to_string(parent);
      sec.linkOrder = parent - 1;
      sec.root = false;
      return {};
    }
    // A lone COMDAT table or debug section: nothing refers to it, the
    // linker keeps it with the object.
    sec.root = isTable(sec.name) || isDebug(sec.name);
    return {};
  }

  std::string readRelocations() {
    uint32_t nsym = obj.getNumberOfSymbols();
    for (uint32_t s = 0; s < g.sections.size(); ++s) {
      if (isDebug(g.sections[s].name))
        continue; // lld does not walk debug info: it keeps nothing alive
      auto sec = obj.getSection(s + 1);
      if (!sec)
        return takeMessage(sec.takeError());
      for (const coff_relocation &r : obj.getRelocations(*sec)) {
        uint32_t sym = r.SymbolTableIndex;
        if (sym >= nsym)
          return "relocation in section " + std::to_string(s + 1) +
                 " names symbol " + std::to_string(sym) + " of " +
                 std::to_string(nsym);
        g.relocs.push_back({s, sym, uint32_t(r.Type)});
        if (weakDefault[sym] >= 0)
          g.relocs.push_back({s, uint32_t(weakDefault[sym]), uint32_t(r.Type)});
      }
    }
    return {};
  }

  std::string readDirectives() {
    for (uint32_t s = 0; s < g.sections.size(); ++s) {
      if (g.sections[s].name != ".drectve")
        continue;
      auto sec = obj.getSection(s + 1);
      if (!sec)
        return takeMessage(sec.takeError());
      llvm::ArrayRef<uint8_t> bytes;
      if (llvm::Error e = obj.getSectionContents(*sec, bytes))
        return "bad .drectve: " + takeMessage(std::move(e));
      for (StringRef arg : directiveArgs(llvm::toStringRef(bytes), saver))
        directive(s, arg);
    }
    return {};
  }

  void directive(uint32_t from, StringRef arg) {
    if (arg.size() < 2 || (arg[0] != '/' && arg[0] != '-'))
      return;
    auto [opt, value] = arg.drop_front().split(':');
    if (value.empty())
      return;
    if (opt.equals_insensitive("include")) {
      edge(from, value, Include);
    } else if (opt.equals_insensitive("export")) {
      // name[=internal][,@ordinal][,NONAME][,DATA][,PRIVATE]
      StringRef name = value.split(',').first;
      if (auto [ext, internal] = name.split('='); !internal.empty()) {
        if (internal.contains('.'))
          return; // forwarded to another DLL: nothing here
        name = internal;
      }
      // i386 exports name C symbols undecorated; the symbol has '_'.
      if (g.machine == COFF::IMAGE_FILE_MACHINE_I386 && !name.starts_with("?"))
        name = saver.save("_" + name);
      edge(from, name, Export);
    } else if (opt.equals_insensitive("alternatename")) {
      // from=to: `to` stands in for `from` when nothing defines it; keeping
      // `to` whenever the object is linked errs on the side of keeping.
      if (StringRef to = value.split('=').second; !to.empty())
        edge(from, to, AlternateName);
    }
  }

  // An edge from .drectve to the symbol `name`: this object's own when it
  // defines it (which then stays even when an earlier member's wins), else
  // a made-up undefined global, left to whoever defines it.
  void edge(uint32_t from, StringRef name, Directive kind) {
    if (auto it = definedHere.find(name); it != definedHere.end()) {
      g.relocs.push_back({from, it->second, kDirective | kind});
      return;
    }
    GraphSymbol sym;
    sym.name = name;
    sym.global = true;
    g.relocs.push_back({from, uint32_t(g.symbols.size()), kDirective | kind});
    g.symbols.push_back(sym);
  }

  const COFFObjectFile &obj;
  ObjectGraph &g;
  llvm::StringSaver saver;
  std::vector<bool> comdat;
  std::vector<int32_t> weakDefault; // weak external -> its default symbol
  llvm::StringMap<uint32_t> definedHere; // global name -> its symbol
};

} // namespace

std::string coff::readGraph(const Member &m, ObjectGraph &out) {
  auto bin = ObjectFile::createObjectFile(llvm::MemoryBufferRef(m.data, m.name));
  if (!bin)
    return "malformed object: " + takeMessage(bin.takeError());
  auto *obj = llvm::dyn_cast<COFFObjectFile>(bin->get());
  if (!obj)
    return "not a COFF object";
  if (std::string err = coff::checkExtents(*obj); !err.empty())
    return err;
  if (!out.names)
    out.names = std::make_shared<llvm::BumpPtrAllocator>();
  return Reader(*obj, out).read();
}

std::string coff::relocationName(uint32_t machine, uint32_t type) {
  if ((type & 0xFFFF0000) == kDirective) {
    switch (type & 0xFFFF) {
    case Include:
      return "/INCLUDE";
    case Export:
      return "/EXPORT";
    case AlternateName:
      return "/ALTERNATENAME";
    }
  }
#define R(name)                                                                \
  case COFF::name:                                                             \
    return #name;
  switch (machine) {
  case COFF::IMAGE_FILE_MACHINE_AMD64:
    switch (type) {
      R(IMAGE_REL_AMD64_ABSOLUTE) R(IMAGE_REL_AMD64_ADDR64)
      R(IMAGE_REL_AMD64_ADDR32) R(IMAGE_REL_AMD64_ADDR32NB)
      R(IMAGE_REL_AMD64_REL32) R(IMAGE_REL_AMD64_REL32_1)
      R(IMAGE_REL_AMD64_REL32_2) R(IMAGE_REL_AMD64_REL32_3)
      R(IMAGE_REL_AMD64_REL32_4) R(IMAGE_REL_AMD64_REL32_5)
      R(IMAGE_REL_AMD64_SECTION) R(IMAGE_REL_AMD64_SECREL)
      R(IMAGE_REL_AMD64_SECREL7) R(IMAGE_REL_AMD64_TOKEN)
      R(IMAGE_REL_AMD64_SREL32) R(IMAGE_REL_AMD64_PAIR)
      R(IMAGE_REL_AMD64_SSPAN32)
    }
    break;
  case COFF::IMAGE_FILE_MACHINE_I386:
    switch (type) {
      R(IMAGE_REL_I386_ABSOLUTE) R(IMAGE_REL_I386_DIR16)
      R(IMAGE_REL_I386_REL16) R(IMAGE_REL_I386_DIR32)
      R(IMAGE_REL_I386_DIR32NB) R(IMAGE_REL_I386_SEG12)
      R(IMAGE_REL_I386_SECTION) R(IMAGE_REL_I386_SECREL)
      R(IMAGE_REL_I386_TOKEN) R(IMAGE_REL_I386_SECREL7)
      R(IMAGE_REL_I386_REL32)
    }
    break;
  case COFF::IMAGE_FILE_MACHINE_ARM64:
  case COFF::IMAGE_FILE_MACHINE_ARM64EC:
  case COFF::IMAGE_FILE_MACHINE_ARM64X:
    switch (type) {
      R(IMAGE_REL_ARM64_ABSOLUTE) R(IMAGE_REL_ARM64_ADDR32)
      R(IMAGE_REL_ARM64_ADDR32NB) R(IMAGE_REL_ARM64_BRANCH26)
      R(IMAGE_REL_ARM64_PAGEBASE_REL21) R(IMAGE_REL_ARM64_REL21)
      R(IMAGE_REL_ARM64_PAGEOFFSET_12A) R(IMAGE_REL_ARM64_PAGEOFFSET_12L)
      R(IMAGE_REL_ARM64_SECREL) R(IMAGE_REL_ARM64_SECREL_LOW12A)
      R(IMAGE_REL_ARM64_SECREL_HIGH12A) R(IMAGE_REL_ARM64_SECREL_LOW12L)
      R(IMAGE_REL_ARM64_TOKEN) R(IMAGE_REL_ARM64_SECTION)
      R(IMAGE_REL_ARM64_ADDR64) R(IMAGE_REL_ARM64_BRANCH19)
      R(IMAGE_REL_ARM64_BRANCH14) R(IMAGE_REL_ARM64_REL32)
    }
    break;
  }
#undef R
  return std::to_string(type);
}

} // namespace slimlink
