// shrink's last ELF step: names that only keep things apart go.
//
// With -ffunction-sections every function has its own section, named after
// it (.text._ZN3foo3bar17h...E), and rustc's objects share one string table
// between section and symbol names. Once a symbol is private to the set and
// short, or local, the long string is kept alive by the section name alone.
// A linker needs a section's name only for its output section, which it
// takes from the prefix (.text, .text.unlikely, .rodata, .data.rel.ro, ...):
// the part after it only made the name unique. So:
//  - a section named PREFIX.SYMBOL, SYMBOL defined in the object (the
//    function's code, or its jump tables in .rodata.FUNCTION), or
//    PREFIX..L* (an assembler label), becomes PREFIX; its relocation
//    section follows;
//  - local symbols no relocation names are removed (strip --strip-unneeded;
//    only when debug info is stripped too, since ObjCopy then drops it);
//  - a relocation that names a local symbol names its section's symbol
//    instead, the symbol's offset added to the addend, as assemblers do for
//    most local targets; where the result is the same address (S + A
//    relocations, not GOT or TLS ones, nor into mergeable sections, where a
//    linker reads the addend as the piece), so the local symbol is needed no
//    more and goes with the unneeded ones;
//  - the remaining local symbols lose their names: relocations name them by
//    index. Kept: section and file symbols, COMDAT signatures (a group is
//    known by its signature's name), mapping symbols ($x, $d, $a, $t: ARM
//    and RISC-V linkers read them), and names a non-local symbol also has.
#include "formats/elf/elf.h"
#include "formats/objcopy.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Object/ELFObjectFile.h"

#include <cstring>

namespace slimlink::elf {

using namespace llvm::ELF;

namespace {

// The prefix of `name` that a linker maps to an output section, if the
// rest only made the name unique; "" otherwise.
llvm::StringRef linkerPrefix(llvm::StringRef name, const llvm::StringSet<> &defined) {
  for (size_t dot = name.find('.', 1); dot != llvm::StringRef::npos;
       dot = name.find('.', dot + 1)) {
    llvm::StringRef suffix = name.substr(dot + 1);
    if (suffix.empty())
      return {};
    if (suffix.starts_with(".L") || defined.contains(suffix))
      return name.take_front(dot);
  }
  return {};
}

// Relocation types whose value is S + A (- P): the same with a section
// symbol and the target's offset in the addend. GOT, PLT-only, TLS and
// size relocations depend on the symbol itself.
bool addressOnly(uint16_t machine, uint32_t type) {
  switch (machine) {
  case EM_X86_64:
    return llvm::is_contained({R_X86_64_64, R_X86_64_PC32, R_X86_64_PLT32, R_X86_64_32,
                               R_X86_64_32S, R_X86_64_PC64},
                              type);
  case EM_AARCH64:
    return llvm::is_contained(
        {R_AARCH64_ABS64, R_AARCH64_ABS32, R_AARCH64_PREL64, R_AARCH64_PREL32,
         R_AARCH64_CALL26, R_AARCH64_JUMP26, R_AARCH64_ADR_PREL_PG_HI21,
         R_AARCH64_ADR_PREL_LO21, R_AARCH64_ADD_ABS_LO12_NC,
         R_AARCH64_LDST8_ABS_LO12_NC, R_AARCH64_LDST16_ABS_LO12_NC,
         R_AARCH64_LDST32_ABS_LO12_NC, R_AARCH64_LDST64_ABS_LO12_NC,
         R_AARCH64_LDST128_ABS_LO12_NC, R_AARCH64_CONDBR19, R_AARCH64_TSTBR14},
        type);
  default:
    return false;
  }
}

// Points RELA relocations at local symbols to their sections' symbols
// instead, in place. Returns how many it changed.
template <class ELFT>
size_t retargetToSections(const llvm::object::ELFFile<ELFT> &file,
                          llvm::MutableArrayRef<char> bytes) {
  auto sections = file.sections();
  if (!sections)
    return (llvm::consumeError(sections.takeError()), 0);
  const typename ELFT::Shdr *symtab = nullptr;
  for (const auto &s : *sections)
    if (s.sh_type == SHT_SYMTAB)
      symtab = &s;
  if (!symtab)
    return 0;
  auto symbols = file.symbols(symtab);
  if (!symbols)
    return (llvm::consumeError(symbols.takeError()), 0);
  std::vector<uint32_t> sectionSymbol(sections->size(), 0);
  std::vector<bool> signature(symbols->size());
  for (const auto &s : *sections)
    if (s.sh_type == SHT_GROUP && s.sh_info < signature.size())
      signature[s.sh_info] = true;
  for (uint32_t i = 1; i < symbols->size(); ++i) {
    const auto &sym = (*symbols)[i];
    if (sym.getType() == STT_SECTION && sym.st_shndx < sectionSymbol.size() &&
        !sectionSymbol[sym.st_shndx])
      sectionSymbol[sym.st_shndx] = i;
  }
  uint16_t machine = file.getHeader().e_machine;
  size_t changed = 0;
  for (const auto &rs : *sections) {
    if (rs.sh_type != SHT_RELA || rs.sh_link != uint32_t(symtab - &(*sections)[0]))
      continue;
    auto relas = file.relas(rs);
    if (!relas)
      return (llvm::consumeError(relas.takeError()), changed);
    for (size_t k = 0; k < relas->size(); ++k) {
      const auto &r = (*relas)[k];
      uint32_t si = r.getSymbol(false);
      if (si == 0 || si >= symbols->size() || signature[si] ||
          !addressOnly(machine, r.getType(false)))
        continue;
      const auto &sym = (*symbols)[si];
      uint8_t type = sym.getType();
      if (sym.getBinding() != STB_LOCAL ||
          (type != STT_NOTYPE && type != STT_OBJECT && type != STT_FUNC) ||
          sym.st_shndx == SHN_UNDEF || sym.st_shndx >= sectionSymbol.size() ||
          !sectionSymbol[sym.st_shndx] ||
          ((*sections)[sym.st_shndx].sh_flags & SHF_MERGE))
        continue;
      typename ELFT::Rela n = r;
      n.setSymbolAndType(sectionSymbol[sym.st_shndx], r.getType(false), false);
      n.r_addend = r.r_addend + int64_t(sym.st_value);
      size_t at = rs.sh_offset + k * sizeof(n);
      memcpy(bytes.data() + at, &n, sizeof n);
      ++changed;
    }
  }
  return changed;
}

template <class ELFT>
std::string plan(const llvm::object::ELFFile<ELFT> &file, ObjectEdit &edit,
                 llvm::StringMap<std::string> &renames,
                 const llvm::StringMap<llvm::StringRef> &originalOf) {
  auto sections = file.sections();
  if (!sections)
    return llvm::toString(sections.takeError());
  const typename ELFT::Shdr *symtab = nullptr;
  for (const auto &s : *sections)
    if (s.sh_type == SHT_SYMTAB)
      symtab = &s;
  if (!symtab)
    return {};
  auto symbols = file.symbols(symtab);
  auto strtab = file.getStringTableForSymtab(*symtab);
  if (!symbols || !strtab)
    return "unreadable symbol table";
  std::vector<bool> signature(symbols->size());
  for (const auto &s : *sections)
    if (s.sh_type == SHT_GROUP && s.sh_info < signature.size())
      signature[s.sh_info] = true;

  llvm::StringSet<> defined; // in this object, under its new and old names
  llvm::StringSet<> nonLocal, local;
  for (size_t i = 1; i < symbols->size(); ++i) {
    const auto &sym = (*symbols)[i];
    auto name = sym.getName(*strtab);
    if (!name || name->empty())
      continue;
    if (sym.st_shndx != SHN_UNDEF) {
      defined.insert(*name);
      // The section was named after the symbol's name before shrink's.
      if (auto it = originalOf.find(*name); it != originalOf.end())
        defined.insert(it->second);
    }
    uint8_t type = sym.getType();
    if (sym.getBinding() != STB_LOCAL || signature[i])
      nonLocal.insert(*name);
    else if (type != STT_SECTION && type != STT_FILE && !name->starts_with("$"))
      local.insert(*name);
  }
  for (const auto &kv : local)
    if (!nonLocal.contains(kv.getKey()))
      renames.try_emplace(kv.getKey(), "");

  llvm::StringSet<> renamed;
  for (size_t i = 1; i < sections->size(); ++i) {
    const auto &s = (*sections)[i];
    // Only what a linker lays out: a relocation section follows its
    // target's new name, notes and non-alloc sections keep theirs.
    if (!(s.sh_flags & SHF_ALLOC) || s.sh_type == SHT_NOTE)
      continue;
    auto name = file.getSectionName(s);
    if (!name)
      return llvm::toString(name.takeError());
    // A name without the dot could be a C identifier, which makes
    // __start_/__stop_ symbols: never produce one.
    if (!name->starts_with("."))
      continue;
    llvm::StringRef prefix = linkerPrefix(*name, defined);
    // Init and fini arrays' suffixes are priorities, not names.
    if (prefix.empty() || llvm::is_contained({".init_array", ".fini_array", ".ctors",
                                              ".dtors", ".preinit_array"}, prefix))
      continue;
    if (renamed.insert(*name).second)
      edit.renameSections.push_back({name->str(), prefix.str()});
  }
  return {};
}

} // namespace

std::string shortenNames(llvm::StringRef object, bool stripUnneeded,
                         const llvm::StringMap<std::string> *renamed,
                         std::string &out) {
  // ELF64 little-endian only (x86_64, aarch64, riscv64, ...); others as is.
  if (object.size() < 6 || object[4] != ELFCLASS64 || object[5] != ELFDATA2LSB) {
    out = object.str();
    return {};
  }
  std::string retargeted;
  if (stripUnneeded) { // the symbols freed go only then
    auto file = llvm::object::ELF64LEFile::create(object);
    if (!file)
      return llvm::toString(file.takeError());
    retargeted = object.str();
    if (retargetToSections(*file, llvm::MutableArrayRef<char>(retargeted.data(), retargeted.size())))
      object = retargeted;
  }
  auto file = llvm::object::ELF64LEFile::create(object);
  if (!file)
    return llvm::toString(file.takeError());
  ObjectEdit edit;
  llvm::StringMap<std::string> renames;
  llvm::StringMap<llvm::StringRef> originalOf;
  if (renamed)
    for (const auto &kv : *renamed)
      originalOf.try_emplace(kv.getValue(), kv.getKey());
  if (std::string err = plan(*file, edit, renames, originalOf); !err.empty())
    return err;
  edit.renames = &renames;
  edit.stripUnneededSymbols = stripUnneeded;
  if (edit.empty()) {
    out = object.str();
    return {};
  }
  return runObjcopy(object, "", edit, {}, out);
}

} // namespace slimlink::elf
