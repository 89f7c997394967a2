// Reads sections, symbols and relocations of an ELF object for the passes
// that follow references (prune). Generic parts go through LLVM's ObjectFile
// interface; ELF-only facts (types, flags, groups) through ELFSectionRef.
#include "formats/elf/elf.h"
#include "support/diagnostics.h"

#include "llvm/BinaryFormat/ELF.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Support/Endian.h"

namespace slimlink {

using namespace llvm::object;
namespace ELF = llvm::ELF;

static bool isRootSection(llvm::StringRef name, uint32_t type, uint64_t flags) {
  if (type == ELF::SHT_INIT_ARRAY || type == ELF::SHT_FINI_ARRAY ||
      type == ELF::SHT_PREINIT_ARRAY || type == ELF::SHT_NOTE)
    return true;
  if (flags & ELF::SHF_GNU_RETAIN)
    return true;
  for (const char *p : {".init_array", ".fini_array", ".preinit_array", ".ctors",
                        ".dtors", ".init", ".fini", ".note"})
    if (name == p || name.starts_with(std::string(p) + "."))
      return true;
  return false;
}

// In .eh_frame, an FDE's references past its code pointer (the LSDA: an
// exception table) matter only if that code stays: they get onlyWith =
// the code's section. Records are [length, CIE id or pointer, ...]; an FDE's
// code pointer is at +8. Anything odd (64-bit lengths, truncation) leaves
// every reference as it is: always followed, as before.
static void guardUnwindReferences(llvm::StringRef data, bool little,
                                  std::vector<std::pair<uint64_t, size_t>> &relocs,
                                  ObjectGraph &g) {
  auto read32 = [&](uint64_t at) {
    return little ? llvm::support::endian::read32le(data.data() + at)
                  : llvm::support::endian::read32be(data.data() + at);
  };
  std::vector<std::pair<uint64_t, uint64_t>> fdes; // [start, end)
  for (uint64_t off = 0; off + 8 <= data.size();) {
    uint32_t len = read32(off);
    if (len == 0)
      break;
    if (len == 0xffffffff || len < 4 || len > data.size() - off - 4)
      return;
    if (read32(off + 4) != 0)
      fdes.push_back({off, off + 4 + len});
    off += 4 + uint64_t(len);
  }
  llvm::sort(relocs);
  size_t k = 0;
  for (auto [start, end] : fdes) {
    while (k < relocs.size() && relocs[k].first < start)
      ++k;
    if (k == relocs.size() || relocs[k].first != start + 8)
      continue; // no code pointer relocation: leave the entry alone
    const GraphSymbol &code = g.symbols[g.relocs[relocs[k].second].symbol];
    if (code.section < 0 || !g.sections[code.section].exec)
      continue;
    for (size_t j = k + 1; j < relocs.size() && relocs[j].first < end; ++j)
      g.relocs[relocs[j].second].onlyWith = code.section;
  }
}

std::string elf::readGraph(const Member &m, ObjectGraph &out) {
  auto bin = ObjectFile::createObjectFile(llvm::MemoryBufferRef(m.data, m.name));
  if (!bin)
    return "malformed object: " + takeMessage(bin.takeError());
  auto *obj = llvm::dyn_cast<ELFObjectFileBase>(bin->get());
  if (!obj)
    return "not an ELF object";

  out.machine = obj->getEMachine();
  size_t nsec = 0;
  for (const SectionRef &s : obj->sections())
    nsec = std::max<size_t>(nsec, s.getIndex() + 1);
  out.sections.assign(nsec, {});
  for (const SectionRef &s : obj->sections()) {
    ELFSectionRef es(s);
    GraphSection &ls = out.sections[s.getIndex()];
    auto name = s.getName();
    if (!name)
      return "bad section name: " + takeMessage(name.takeError());
    ls.name = *name;
    uint32_t type = es.getType();
    uint64_t flags = es.getFlags();
    ls.fileSize = type == ELF::SHT_NOBITS ? 0 : s.getSize();
    bool tbss = type == ELF::SHT_NOBITS && (flags & ELF::SHF_TLS);
    ls.vmSize = (flags & ELF::SHF_ALLOC) && !tbss ? s.getSize() : 0;
    ls.alloc = flags & ELF::SHF_ALLOC;
    ls.exec = flags & ELF::SHF_EXECINSTR;
    ls.root = ls.alloc && isRootSection(ls.name, type, flags);
    ls.ehFrame = type == ELF::SHT_X86_64_UNWIND || ls.name == ".eh_frame";
    ls.isReloc = type == ELF::SHT_RELA || type == ELF::SHT_REL;
    if (ls.isReloc) {
      auto target = s.getRelocatedSection();
      if (!target)
        return "bad relocation section: " + takeMessage(target.takeError());
      if (*target != obj->section_end())
        ls.relocates = (*target)->getIndex();
    }
    if ((flags & ELF::SHF_LINK_ORDER) && es.getObject())
      ls.linkOrder = -2; // filled in below from sh_link
    if (type == ELF::SHT_GROUP) {
      auto contents = s.getContents();
      if (!contents)
        return "bad group section: " + takeMessage(contents.takeError());
      // [flags, member index...], 32-bit words in the object's byte order.
      for (size_t k = 4; k + 4 <= contents->size(); k += 4)
        ls.groupMembers.push_back(
            obj->isLittleEndian()
                ? llvm::support::endian::read32le(contents->data() + k)
                : llvm::support::endian::read32be(contents->data() + k));
    }
  }
  // sh_link of SHF_LINK_ORDER sections and a group's signature symbol
  // (sh_info): only the ELF header tables have them.
  if (auto *o = llvm::dyn_cast<ELF64LEObjectFile>(obj)) {
    auto shdrs = o->getELFFile().sections();
    if (!shdrs)
      return takeMessage(shdrs.takeError());
    for (size_t i = 0; i < shdrs->size() && i < nsec; ++i) {
      if (out.sections[i].linkOrder == -2)
        out.sections[i].linkOrder = (*shdrs)[i].sh_link;
      if ((*shdrs)[i].sh_type == ELF::SHT_GROUP)
        out.sections[i].signature = (*shdrs)[i].sh_info;
    }
  }
  for (size_t i = 0; i < nsec; ++i) {
    if (out.sections[i].linkOrder == -2)
      out.sections[i].linkOrder = -1;
    for (uint32_t member : out.sections[i].groupMembers) {
      if (member >= nsec)
        return "group section " + std::to_string(i) + " names section " +
               std::to_string(member) + " of " + std::to_string(nsec);
      out.sections[member].group = i;
    }
    if (out.sections[i].linkOrder >= int64_t(nsec))
      return "section " + std::to_string(i) + " links to a missing section";
  }

  // Symbols by their index in the symbol table (index 0 is the null symbol).
  for (const SymbolRef &sym : obj->symbols()) {
    uint32_t index = sym.getRawDataRefImpl().d.b;
    if (index >= out.symbols.size())
      out.symbols.resize(index + 1);
    GraphSymbol &ls = out.symbols[index];
    auto flags = sym.getFlags();
    auto name = sym.getName();
    auto sec = sym.getSection();
    if (!flags || !name || !sec) {
      llvm::consumeError(flags.takeError());
      llvm::consumeError(name.takeError());
      llvm::consumeError(sec.takeError());
      return "bad symbol " + std::to_string(index);
    }
    ls.name = *name;
    ls.global = *flags & BasicSymbolRef::SF_Global;
    ls.weak = *flags & BasicSymbolRef::SF_Weak;
    ls.sectionSymbol = ELFSymbolRef(sym).getELFType() == ELF::STT_SECTION;
    if (*sec != obj->section_end())
      ls.section = (*sec)->getIndex();
  }

  for (const SectionRef &s : obj->sections()) {
    const GraphSection &ls = out.sections[s.getIndex()];
    if (!ls.isReloc || ls.relocates < 0)
      continue;
    std::vector<std::pair<uint64_t, size_t>> unwind; // offset, index in relocs
    for (const RelocationRef &r : s.relocations()) {
      symbol_iterator sym = r.getSymbol();
      if (sym == obj->symbol_end())
        continue;
      uint32_t index = sym->getRawDataRefImpl().d.b;
      if (index >= out.symbols.size())
        return "relocation in section " + std::to_string(s.getIndex()) +
               " names missing symbol " + std::to_string(index);
      if (out.sections[ls.relocates].ehFrame)
        unwind.push_back({r.getOffset(), out.relocs.size()});
      out.relocs.push_back({uint32_t(ls.relocates), index, uint32_t(r.getType())});
    }
    if (unwind.empty())
      continue;
    for (const SectionRef &t : obj->sections()) {
      if (t.getIndex() != uint64_t(ls.relocates))
        continue;
      if (auto data = t.getContents())
        guardUnwindReferences(*data, obj->isLittleEndian(), unwind, out);
      else
        llvm::consumeError(data.takeError());
    }
  }
  return {};
}

} // namespace slimlink
