// The atoms, symbols and relocations of a Mach-O object.
//
// An object built with .subsections_via_symbols (clang's and rustc's, always)
// promises that nothing refers into a section but through its symbols, so a
// linker may cut each section at its symbols' addresses and keep or drop
// the pieces (atoms) one by one: ld64's and lld's rule, which we follow:
//  - every symbol in a section starts an atom, except alternate entry
//    points (N_ALT_ENTRY); the bytes before the first one are an atom too;
//  - C string sections split at their strings, compact unwind at its
//    32-byte entries, __eh_frame at its CIEs and FDEs;
//  - a compact unwind entry or an FDE lives and dies with its function
//    (LinkOrder); CIEs stay with their object and keep no code alive.
// Without the flag, each section is one unit. An object the cutter could
// not rewrite (object.h) is read with every loaded section a root: kept
// whole whenever the linker pulls it.
#include "formats/macho/graph_parts.h"
#include "formats/macho/macho.h"
#include "formats/macho/object.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/StringSaver.h"

#include <map>

namespace slimlink {

namespace MachO = llvm::MachO;
using llvm::StringRef;
using namespace macho;

namespace {

// Sections whose entries nothing refers to, or whose references the graph
// cannot see: ld64 keeps them whenever it loads their object.
bool isRootSection(const Section &s) {
  uint32_t t = s.type();
  if (s.flags & MachO::S_ATTR_NO_DEAD_STRIP)
    return true;
  switch (t) {
  case MachO::S_MOD_INIT_FUNC_POINTERS:
  case MachO::S_MOD_TERM_FUNC_POINTERS:
  case MachO::S_INIT_FUNC_OFFSETS:
  case MachO::S_LITERAL_POINTERS: // Objective-C selector references
  case MachO::S_NON_LAZY_SYMBOL_POINTERS:
  case MachO::S_LAZY_SYMBOL_POINTERS:
  case MachO::S_LAZY_DYLIB_SYMBOL_POINTERS:
  case MachO::S_SYMBOL_STUBS:
  case MachO::S_INTERPOSING:
  case MachO::S_DTRACE_DOF:
  case MachO::S_THREAD_LOCAL_INIT_FUNCTION_POINTERS:
    return true;
  case MachO::S_COALESCED:
    return s.name != "__eh_frame";
  }
  for (StringRef n : {"__mod_init_func", "__mod_term_func", "__init_offsets"})
    if (s.name == n)
      return true;
  // Objective-C and Swift metadata: the runtime finds it by section.
  if (s.name.starts_with("__objc_") || s.name.starts_with("__swift") ||
      s.segment == "__OBJC")
    return true;
  // Segments the cutter knows; anything else (__LLVM's bitcode, ...) stays.
  return !(s.segment == "__TEXT" || s.segment == "__DATA" ||
           s.segment == "__DATA_CONST" || s.is("__LD", "__compact_unwind"));
}

class Builder {
public:
  Builder(const Object &o, ObjectGraph &g)
      : o(o), g(g), saver(*g.names) {}

  std::string build() {
    g.machine = o.header.cputype;
    for (uint32_t s = 0; s < o.sections.size(); ++s)
      addUnits(s);
    first.push_back(g.sections.size());
    if (int s = o.ehFrame; s >= 0)
      for (const EhRecord &r : o.eh)
        if (r.cie) // kept with the object; keeps personalities, not code
          g.sections[unitAt(s, o.sections[s].addr + r.offset)].ehFrame = true;
    addSymbols();
    for (uint32_t s = 0; s < o.sections.size(); ++s)
      if (!o.sections[s].debug()) // never live: their references do not count
        if (std::string err = addRelocs(s); !err.empty())
          return err;
    if (std::string err = addImplicits(); !err.empty())
      return err;
    if (std::string err = linkUnwind(); !err.empty())
      return err;
    nameUnits();
    for (auto [unit, symbol] : unitSymbols)
      g.symbols[symbol].name = g.sections[unit].name;
    return {};
  }

private:
  // Where each unit of section `s` starts (section offsets, ascending).
  std::vector<uint64_t> boundaries(uint32_t s) const {
    const Section &sec = o.sections[s];
    std::vector<uint64_t> b{0};
    if (sec.debug() || isRootSection(sec) || sec.size == 0)
      return b;
    if (int(s) == o.compactUnwind) {
      for (uint64_t off = 32; off < sec.size; off += 32)
        b.push_back(off);
      return b;
    }
    if (int(s) == o.ehFrame) {
      for (const EhRecord &r : o.eh)
        b.push_back(r.offset);
      return dedup(b);
    }
    if (!o.subsections())
      return b;
    for (const MachO::nlist_64 &n : o.symbols)
      if ((n.n_type & MachO::N_TYPE) == MachO::N_SECT && n.n_sect == s + 1 &&
          !(n.n_desc & MachO::N_ALT_ENTRY) && n.n_value < sec.end())
        b.push_back(n.n_value - sec.addr);
    if (sec.type() == MachO::S_CSTRING_LITERALS) {
      StringRef d = o.contents(s);
      for (size_t k = 0; k + 1 < d.size(); ++k)
        if (d[k] == '\0')
          b.push_back(k + 1);
    }
    return dedup(b);
  }

  static std::vector<uint64_t> dedup(std::vector<uint64_t> b) {
    llvm::sort(b);
    b.erase(std::unique(b.begin(), b.end()), b.end());
    return b;
  }

  void addUnits(uint32_t s) {
    const Section &sec = o.sections[s];
    first.push_back(g.sections.size());
    std::vector<uint64_t> b = boundaries(s);
    bool root = isRootSection(sec);
    // Loaded at run time: not debug info, the linker's own input
    // (__LD), or -fembed-bitcode's copy of the module (__LLVM).
    bool alloc = !sec.debug() && sec.segment != "__LD" && sec.segment != "__LLVM";
    for (size_t k = 0; k < b.size(); ++k) {
      uint64_t size = (k + 1 < b.size() ? b[k + 1] : sec.size) - b[k];
      GraphSection u;
      u.name = saver.save(sec.segment + "," + sec.name);
      u.fileSize = sec.zeroFill() ? 0 : size;
      u.vmSize = alloc && sec.type() != MachO::S_THREAD_LOCAL_ZEROFILL ? size : 0;
      u.alloc = alloc;
      u.exec = sec.exec();
      u.root = root;
      u.address = sec.addr + b[k];
      u.cutSize = sec.debug() || root ? 0 : size;
      start.push_back(u.address);
      g.sections.push_back(u);
    }
  }

  // The unit of section `s` that holds `addr`; its end counts as its last
  // unit's (a pointer one past an array).
  uint32_t unitAt(uint32_t s, uint64_t addr) const {
    auto b = start.begin() + first[s], e = start.begin() + first[s + 1];
    auto it = std::upper_bound(b, e, addr);
    return it == b ? first[s] : uint32_t(it - start.begin() - 1);
  }

  bool inSection(uint32_t s, uint64_t addr) const {
    return addr >= o.sections[s].addr && addr <= o.sections[s].end();
  }

  void addSymbols() {
    g.symbols.resize(o.symbols.size());
    for (uint32_t i = 0; i < o.symbols.size(); ++i) {
      const MachO::nlist_64 &n = o.symbols[i];
      GraphSymbol &sym = g.symbols[i];
      sym.name = o.symbolName(i);
      sym.global = n.n_type & (MachO::N_EXT | MachO::N_PEXT);
      sym.weak = n.n_desc & (MachO::N_WEAK_DEF | MachO::N_WEAK_REF);
      if ((n.n_type & MachO::N_TYPE) != MachO::N_SECT)
        continue;
      sym.section = unitAt(n.n_sect - 1, n.n_value);
      if (n.n_desc & MachO::N_NO_DEAD_STRIP)
        g.sections[sym.section].root = true;
    }
  }

  // A symbol for "this unit" that section-relative references name.
  uint32_t unitSymbol(uint32_t unit) {
    auto [it, added] = unitSymbols.try_emplace(unit, g.symbols.size());
    if (added) {
      GraphSymbol sym;
      sym.section = unit;
      sym.sectionSymbol = true;
      g.symbols.push_back(sym);
    }
    return it->second;
  }

  // The unit a section-relative reference to `addr` in section `s` means.
  std::optional<uint32_t> localUnit(uint32_t s, uint64_t addr) const {
    if (s >= o.sections.size() || !inSection(s, addr))
      return std::nullopt;
    return unitAt(s, addr);
  }

  std::string addRelocs(uint32_t s) {
    const Section &sec = o.sections[s];
    for (const Reloc &r : o.relocs[s]) {
      if (isAddend(o, r))
        continue;
      uint32_t from = unitAt(s, sec.addr + r.address);
      uint32_t symbol = r.symbol;
      if (!r.external) {
        uint64_t t = *localTarget(o, s, r, o.contents(s));
        std::optional<uint32_t> unit = localUnit(r.symbol - 1, t);
        if (!unit)
          return "a relocation in " + sec.name.str() + " points outside section " +
                 std::to_string(r.symbol);
        symbol = unitSymbol(*unit);
      }
      g.relocs.push_back({from, symbol, r.type});
    }
    return {};
  }

  // __eh_frame's pointers without relocations: an FDE's function (its
  // LinkOrder, below) and its LSDA, which the FDE keeps.
  std::string addImplicits() {
    for (const Implicit &p : o.implicits) {
      uint32_t from = unitAt(p.section, o.sections[p.section].addr + p.offset);
      int s = o.sectionAt(p.target);
      if (s < 0)
        return "an __eh_frame pointer points outside the object";
      uint32_t unit = unitAt(s, p.target);
      if (o.sections[s].exec())
        continue; // the function: the FDE follows it, it does not keep it
      g.relocs.push_back({from, unitSymbol(unit), kImplicitPointer});
    }
    return {};
  }

  // The unit a relocation at `off` in section `s` names (not its addend
  // or subtrahend half).
  std::optional<uint32_t> namedBy(uint32_t s, uint64_t off) {
    for (const Reloc &r : o.relocs[s]) {
      if (r.address != off || isAddend(o, r) || isSubtractor(o, r))
        continue;
      if (!r.external)
        return localUnit(r.symbol - 1, *localTarget(o, s, r, o.contents(s)));
      int32_t sec = g.symbols[r.symbol].section;
      return sec >= 0 ? std::optional<uint32_t>(sec) : std::nullopt;
    }
    return std::nullopt;
  }

  std::string linkUnwind() {
    if (int s = o.compactUnwind; s >= 0)
      for (uint64_t off = 0; off < o.sections[s].size; off += 32) {
        std::optional<uint32_t> f = namedBy(s, off);
        if (!f)
          return "a compact unwind entry names no function of its object";
        g.sections[unitAt(s, o.sections[s].addr + off)].linkOrder = *f;
      }
    if (int s = o.ehFrame; s >= 0)
      for (const EhRecord &r : o.eh) {
        if (r.cie)
          continue;
        std::optional<uint32_t> f;
        if (r.function) {
          if (int t = o.sectionAt(*r.function); t >= 0)
            f = unitAt(t, *r.function);
        } else {
          f = namedBy(s, r.pcBeginOffset);
        }
        if (!f)
          return "an FDE names no function of its object";
        g.sections[unitAt(s, o.sections[s].addr + r.offset)].linkOrder = *f;
      }
    return {};
  }

  // "__TEXT,__text(_f)": the best name of the symbols an atom starts with;
  // unwind entries after their function.
  void nameUnits() {
    std::vector<int64_t> best(g.sections.size(), -1);
    auto rank = [&](uint32_t i) {
      StringRef n = o.symbolName(i);
      return (o.symbols[i].n_type & MachO::N_EXT ? 4 : 0) +
             (n.starts_with("l") || n.starts_with("L") ? 0 : 2) +
             !n.starts_with("ltmp");
    };
    for (uint32_t i = 0; i < o.symbols.size(); ++i) {
      int32_t u = g.symbols[i].section;
      if (u < 0 || g.sections[u].address != o.symbols[i].n_value ||
          g.symbols[i].name.empty())
        continue;
      if (best[u] < 0 || rank(i) > rank(best[u]))
        best[u] = i;
    }
    for (uint32_t s = 0; s < o.sections.size(); ++s)
      for (uint32_t u = first[s]; u < first[s + 1]; ++u) {
        GraphSection &unit = g.sections[u];
        uint64_t off = unit.address - o.sections[s].addr;
        std::string tag;
        if (unit.linkOrder >= 0)
          tag = (int(s) == o.ehFrame ? "FDE " : "") +
                label(unit.linkOrder, best[unit.linkOrder]);
        else if (unit.ehFrame)
          tag = "CIE";
        else if (best[u] >= 0)
          tag = o.symbolName(best[u]).str();
        else if (off != 0 || first[s + 1] - first[s] > 1)
          tag = "+0x" + llvm::utohexstr(off, true);
        if (!tag.empty())
          unit.name = saver.save(unit.name + "(" + tag + ")");
      }
  }

  std::string label(uint32_t unit, int64_t symbol) const {
    if (symbol >= 0)
      return o.symbolName(symbol).str();
    return "+0x" + llvm::utohexstr(g.sections[unit].address, true);
  }

  const Object &o;
  ObjectGraph &g;
  llvm::StringSaver saver;
  std::vector<uint32_t> first;  // per section: its first unit; then the end
  std::vector<uint64_t> start;  // per unit: its address
  std::map<uint32_t, uint32_t> unitSymbols;
};

} // namespace

std::string macho::readGraph(const Member &m, ObjectGraph &out) {
  out = ObjectGraph();
  out.names = std::make_shared<llvm::BumpPtrAllocator>();
  Object o;
  if (parseObject(m.data, o).empty()) {
    if (Builder(o, out).build().empty())
      return {};
    out = ObjectGraph();
    out.names = std::make_shared<llvm::BumpPtrAllocator>();
  }
  return readWholeGraph(m, out);
}

std::string macho::relocationName(uint32_t machine, uint32_t type) {
  if (type == kImplicitPointer)
    return "eh_frame pointer";
  static const char *const x86[] = {
      "X86_64_RELOC_UNSIGNED", "X86_64_RELOC_SIGNED",   "X86_64_RELOC_BRANCH",
      "X86_64_RELOC_GOT_LOAD", "X86_64_RELOC_GOT",      "X86_64_RELOC_SUBTRACTOR",
      "X86_64_RELOC_SIGNED_1", "X86_64_RELOC_SIGNED_2", "X86_64_RELOC_SIGNED_4",
      "X86_64_RELOC_TLV"};
  static const char *const arm[] = {
      "ARM64_RELOC_UNSIGNED",            "ARM64_RELOC_SUBTRACTOR",
      "ARM64_RELOC_BRANCH26",            "ARM64_RELOC_PAGE21",
      "ARM64_RELOC_PAGEOFF12",           "ARM64_RELOC_GOT_LOAD_PAGE21",
      "ARM64_RELOC_GOT_LOAD_PAGEOFF12",  "ARM64_RELOC_POINTER_TO_GOT",
      "ARM64_RELOC_TLVP_LOAD_PAGE21",    "ARM64_RELOC_TLVP_LOAD_PAGEOFF12",
      "ARM64_RELOC_ADDEND",              "ARM64_RELOC_AUTHENTICATED_POINTER"};
  if (machine == MachO::CPU_TYPE_X86_64 && type < std::size(x86))
    return x86[type];
  if (machine == MachO::CPU_TYPE_ARM64 && type < std::size(arm))
    return arm[type];
  return std::to_string(type);
}

} // namespace slimlink
