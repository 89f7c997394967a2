// Which personality routines a Mach-O object's unwind info names.
//
// Compact unwind encodes a function's personality as a 2-bit index into the
// linked image's table of personalities: one image can use at most three
// (ld64.lld: "too many personalities (N) for compact unwind to encode").
// Renaming each library's private copy of rust_eh_personality, as isolate
// does with every other internal symbol, would make N libraries need N.
#include "formats/macho/macho.h"
#include "support/diagnostics.h"

#include "llvm/Object/MachO.h"
#include "llvm/Support/Endian.h"

#include <set>

namespace slimlink {

using namespace llvm::object;

// A 64-bit __LD,__compact_unwind entry: function address (8), length (4),
// encoding (4), personality (8), LSDA (8).
constexpr uint64_t kEntrySize = 32, kPersonalityField = 16;

static bool isCompactUnwind(const MachOObjectFile &obj, const SectionRef &sec) {
  auto name = sec.getName();
  return name && *name == "__compact_unwind" &&
         obj.getSectionFinalSegmentName(sec.getRawDataRefImpl()) == "__LD";
}

static bool isEhFrame(const MachOObjectFile &obj, const SectionRef &sec) {
  auto name = sec.getName();
  return name && *name == "__eh_frame";
}

// A section-relative (r_extern = 0) reference: the routine is defined in
// this object, and the entry holds its address; the external symbol there
// names it (LLVM writes such references when the personality is defined in
// the same object, as in an LTO build's one object).
static std::string symbolAt(const MachOObjectFile &obj, const SectionRef &sec,
                            uint64_t offset) {
  auto contents = sec.getContents();
  if (!contents) {
    llvm::consumeError(contents.takeError());
    return {};
  }
  if (offset > contents->size() || contents->size() - offset < 8)
    return {};
  uint64_t addr = llvm::support::endian::read64le(contents->data() + offset);
  std::string best;
  for (const SymbolRef &sym : obj.symbols()) {
    auto flags = sym.getFlags();
    auto value = sym.getValue();
    if (!flags || !value) {
      llvm::consumeError(flags.takeError());
      llvm::consumeError(value.takeError());
      continue;
    }
    if (*value != addr || (*flags & SymbolRef::SF_Undefined))
      continue;
    auto name = sym.getName();
    if (!name) {
      llvm::consumeError(name.takeError());
      continue;
    }
    // An external name wins over a local label at the same address.
    if (best.empty() || (*flags & SymbolRef::SF_Global))
      best = name->str();
    if (*flags & SymbolRef::SF_Global)
      break;
  }
  return best;
}

std::vector<std::string> macho::personalities(const Member &m) {
  auto bin = ObjectFile::createObjectFile(llvm::MemoryBufferRef(m.data, m.name));
  if (!bin) {
    llvm::consumeError(bin.takeError());
    return {};
  }
  const auto *obj = llvm::dyn_cast<MachOObjectFile>(bin->get());
  if (!obj || !obj->is64Bit())
    return {};
  std::set<std::string> names;
  for (const SectionRef &sec : obj->sections()) {
    // __eh_frame's only GOT references are its CIEs' personalities (DWARF
    // mode, which compact unwind falls back to for some functions).
    bool cu = isCompactUnwind(*obj, sec), eh = !cu && isEhFrame(*obj, sec);
    if (!cu && !eh)
      continue;
    for (const RelocationRef &rel : sec.relocations()) {
      llvm::MachO::any_relocation_info info =
          obj->getRelocation(rel.getRawDataRefImpl());
      if (obj->isRelocationScattered(info))
        continue;
      if (cu && rel.getOffset() % kEntrySize != kPersonalityField)
        continue;
      if (!obj->getPlainRelocationExternal(info)) {
        if (cu)
          if (std::string name = symbolAt(*obj, sec, rel.getOffset()); !name.empty())
            names.insert(name);
        continue;
      }
      if (eh) {
        uint64_t type = rel.getType();
        bool got = obj->getArch() == llvm::Triple::x86_64
                       ? type == llvm::MachO::X86_64_RELOC_GOT
                       : type == llvm::MachO::ARM64_RELOC_POINTER_TO_GOT;
        if (!got)
          continue;
      }
      symbol_iterator sym = rel.getSymbol();
      if (sym == obj->symbol_end())
        continue;
      if (auto name = sym->getName())
        names.insert(name->str());
      else
        llvm::consumeError(name.takeError());
    }
  }
  return {names.begin(), names.end()};
}

} // namespace slimlink
