// Mach-O objects prune keeps whole when linked (graph_parts.h): one unit per
// section, the loaded ones roots, with the symbols they define (so that the
// walk binds to them) and the external ones they refer to (so that the walk
// pulls their definers).
#include "formats/macho/graph_parts.h"
#include "support/diagnostics.h"

#include "llvm/Object/MachO.h"

namespace slimlink {

using namespace llvm::object;
namespace MachO = llvm::MachO;

std::string macho::readWholeGraph(const Member &m, ObjectGraph &out) {
  auto bin = ObjectFile::createObjectFile(llvm::MemoryBufferRef(m.data, m.name));
  if (!bin)
    return "malformed object: " + takeMessage(bin.takeError());
  auto *obj = llvm::dyn_cast<MachOObjectFile>(bin->get());
  if (!obj)
    return "not a Mach-O object";
  out.machine = obj->getHeader().cputype;
  size_t nsec = 0;
  for (const SectionRef &s : obj->sections())
    nsec = std::max<size_t>(nsec, s.getIndex() + 1);
  out.sections.assign(nsec, {});
  for (const SectionRef &s : obj->sections()) {
    GraphSection &u = out.sections[s.getIndex()];
    llvm::StringRef seg = obj->getSectionFinalSegmentName(s.getRawDataRefImpl());
    auto name = s.getName();
    if (!name)
      return "bad section name: " + takeMessage(name.takeError());
    u.name = *name; // points into the object; the segment goes unsaid
    bool debug = s.isDebugSection() || seg == "__DWARF";
    u.alloc = !debug && seg != "__LD" && seg != "__LLVM";
    u.exec = s.isText();
    u.fileSize = s.isBSS() ? 0 : s.getSize();
    u.vmSize = u.alloc ? s.getSize() : 0;
    u.root = !debug;
  }
  uint32_t n = 0;
  for (const SymbolRef &sym : obj->symbols()) {
    (void)sym;
    ++n;
  }
  out.symbols.resize(n);
  for (const SymbolRef &sym : obj->symbols()) {
    uint64_t i = obj->getSymbolIndex(sym.getRawDataRefImpl());
    GraphSymbol &gs = out.symbols[i];
    auto name = sym.getName();
    auto flags = sym.getFlags();
    auto sec = sym.getSection();
    if (!name || !flags || !sec) {
      llvm::consumeError(name.takeError());
      llvm::consumeError(flags.takeError());
      llvm::consumeError(sec.takeError());
      return "bad symbol " + std::to_string(i);
    }
    gs.name = *name;
    gs.global = *flags & BasicSymbolRef::SF_Global;
    gs.weak = *flags & BasicSymbolRef::SF_Weak;
    if (*sec != obj->section_end())
      gs.section = (*sec)->getIndex();
  }
  for (const SectionRef &s : obj->sections())
    for (const RelocationRef &r : s.relocations()) {
      symbol_iterator sym = r.getSymbol();
      if (sym == obj->symbol_end())
        continue; // section-relative: its target is a root anyway
      uint64_t i = obj->getSymbolIndex(sym->getRawDataRefImpl());
      if (i < out.symbols.size())
        out.relocs.push_back({uint32_t(s.getIndex()), uint32_t(i), uint32_t(r.getType())});
    }
  return {};
}

} // namespace slimlink
