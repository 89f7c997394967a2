// ELF-only checks. LLVM's ELF reader validates most offsets lazily, when a
// section is read; we check the tables up front so that a damaged member is
// reported once, with a clear reason, before any pass touches it.
#include "formats/elf/elf.h"

#include "llvm/Object/ELF.h"

#include <algorithm>
#include <cstring>

namespace slimlink {

template <class ELFT> static std::string checkExtentsOf(llvm::StringRef data) {
  using Ehdr = typename ELFT::Ehdr;
  using Shdr = typename ELFT::Shdr;
  if (data.size() < sizeof(Ehdr))
    return "truncated ELF header (" + std::to_string(data.size()) + " bytes)";
  // Members are only 2-byte aligned inside an archive: copy, don't cast.
  Ehdr eh;
  memcpy(&eh, data.data(), sizeof(eh));
  uint64_t shoff = eh.e_shoff, shnum = eh.e_shnum;
  auto shdr = [&](uint64_t i) {
    Shdr sh;
    memcpy(&sh, data.data() + shoff + i * sizeof(Shdr), sizeof(sh));
    return sh;
  };
  if (shoff == 0)
    return {};
  if (eh.e_shentsize != sizeof(Shdr))
    return "unexpected ELF section header size " +
           std::to_string(eh.e_shentsize);
  if (shoff > data.size() || data.size() - shoff < sizeof(Shdr))
    return "ELF section header table at " + std::to_string(shoff) +
           " lies past the end of the member (" + std::to_string(data.size()) +
           " bytes)";
  // e_shnum == 0 with a table present means the count is in sh_size of [0].
  if (shnum == 0)
    shnum = shdr(0).sh_size;
  if (shnum > (data.size() - shoff) / sizeof(Shdr))
    return "ELF section header table (" + std::to_string(shnum) +
           " entries at " + std::to_string(shoff) +
           ") runs past the end of the member";
  // Number of entries of section `i` if it is the symbol table, else -1.
  auto symbolCount = [&](uint64_t i) -> int64_t {
    if (i == 0 || i >= shnum)
      return -1;
    Shdr sh = shdr(i);
    if (sh.sh_type != llvm::ELF::SHT_SYMTAB)
      return -1;
    return sh.sh_size / sizeof(typename ELFT::Sym);
  };
  // Built only for an error: this loop runs over every section we read.
  auto section = [](uint64_t i) { return "ELF section " + std::to_string(i); };
  bool relocatable = eh.e_type == llvm::ELF::ET_REL;
  for (uint64_t i = 0; i < shnum; ++i) {
    Shdr sh = shdr(i);
    // LLVM's symbol iterator calls report_fatal_error (abort) on a symbol
    // table of odd entries (found by fuzz/).
    if ((sh.sh_type == llvm::ELF::SHT_SYMTAB ||
         sh.sh_type == llvm::ELF::SHT_DYNSYM) &&
        (sh.sh_entsize != sizeof(typename ELFT::Sym) ||
         sh.sh_size % sizeof(typename ELFT::Sym) != 0))
      return "ELF symbol table (section " + std::to_string(i) + ") of size " +
             std::to_string(uint64_t(sh.sh_size)) + " has entries of " +
             std::to_string(uint64_t(sh.sh_entsize)) + " bytes, not " +
             std::to_string(sizeof(typename ELFT::Sym));
    // LLVM's relocation iterators divide by sh_entsize: 0 is a SIGFPE
    // (found by fuzz/size, through DWARFContext; prune walks them too).
    uint64_t relSize = sh.sh_type == llvm::ELF::SHT_RELA ? sizeof(typename ELFT::Rela)
                       : sh.sh_type == llvm::ELF::SHT_REL ? sizeof(typename ELFT::Rel)
                                                          : 0;
    if (relSize && (sh.sh_entsize != relSize || sh.sh_size % relSize != 0))
      return "ELF relocation section " + std::to_string(i) + " of size " +
             std::to_string(uint64_t(sh.sh_size)) + " has entries of " +
             std::to_string(uint64_t(sh.sh_entsize)) + " bytes, not " +
             std::to_string(relSize);
    // ... and call report_fatal_error on a symbol table link that names no
    // section (found by fuzz/rewrite, through prune's relocation walk).
    if (relSize && sh.sh_link >= shnum)
      return "ELF relocation section " + std::to_string(i) +
             " links to section " + std::to_string(uint64_t(sh.sh_link)) +
             " of " + std::to_string(shnum);
    // LLVM ObjCopy dereferences what an object's tables name without
    // checking (SEGVs found by fuzz/rewrite, finding 14 in RELIABILITY.md).
    // Every compiler's output satisfies these; executables may not (their
    // .rela.dyn applies to no section), and ObjCopy never sees those.
    uint64_t symbols = sh.sh_size / sizeof(typename ELFT::Sym);
    if (sh.sh_type == llvm::ELF::SHT_SYMTAB &&
        symbols < std::max<uint64_t>(1, sh.sh_info))
      return section(i) + ": symbol table of " + std::to_string(symbols) +
             " entries, but entry 0 and the first global (entry " +
             std::to_string(uint64_t(sh.sh_info)) + ") must exist";
    if (relocatable && relSize) {
      if (symbolCount(sh.sh_link) < 0)
        return section(i) + ": relocations whose symbol table (section " +
               std::to_string(uint64_t(sh.sh_link)) + ") is not one";
      if (sh.sh_info == 0 || sh.sh_info >= shnum)
        return section(i) + ": relocations for section " +
               std::to_string(uint64_t(sh.sh_info)) + ", which does not exist";
    }
    // ObjCopy takes any SHF_COMPRESSED section for compressed data and
    // copies its header as is, so a compressed relocation section keeps a
    // stale target index after edits (found by fuzz/rewrite). Compilers and
    // linkers compress only PROGBITS (debug) sections.
    if ((sh.sh_flags & llvm::ELF::SHF_COMPRESSED) &&
        sh.sh_type != llvm::ELF::SHT_PROGBITS)
      return section(i) + ": compressed, but of type " +
             std::to_string(uint32_t(sh.sh_type)) +
             " (only PROGBITS sections are compressed)";
    if (sh.sh_type == llvm::ELF::SHT_GROUP) {
      int64_t symbols = symbolCount(sh.sh_link);
      if (symbols < 0 || sh.sh_info >= uint64_t(symbols))
        return section(i) + ": group whose signature (symbol " +
               std::to_string(uint64_t(sh.sh_info)) + " of section " +
               std::to_string(uint64_t(sh.sh_link)) + ") does not exist";
      if (sh.sh_entsize != 4 || sh.sh_size < 4 || sh.sh_size % 4 != 0)
        return section(i) + ": group of size " +
               std::to_string(uint64_t(sh.sh_size)) + " with entries of " +
               std::to_string(uint64_t(sh.sh_entsize)) + " bytes, not 4";
    }
    // Writers (ObjCopy) lay sections out at their alignment: an absurd one
    // asks for petabytes (found by fuzz/rewrite). Real ones are small powers
    // of two.
    uint64_t align = sh.sh_addralign;
    if (align > (1u << 24) || (align & (align - 1)) != 0)
      return "ELF section " + std::to_string(i) + " has alignment " +
             std::to_string(align) + " (not a power of two up to 16 MiB)";
    if (sh.sh_type == llvm::ELF::SHT_NOBITS)
      continue;
    uint64_t off = sh.sh_offset, size = sh.sh_size;
    if (off > data.size() || size > data.size() - off)
      return "ELF section " + std::to_string(i) + " (offset " +
             std::to_string(off) + ", size " + std::to_string(size) +
             ") runs past the end of the member";
  }
  return {};
}

std::string elf::checkExtents(llvm::StringRef data) {
  if (data.size() < llvm::ELF::EI_NIDENT)
    return "truncated ELF header";
  unsigned char cls = data[llvm::ELF::EI_CLASS];
  unsigned char enc = data[llvm::ELF::EI_DATA];
  bool le = enc == llvm::ELF::ELFDATA2LSB;
  if (enc != llvm::ELF::ELFDATA2LSB && enc != llvm::ELF::ELFDATA2MSB)
    return "bad ELF data encoding " + std::to_string(enc);
  if (cls == llvm::ELF::ELFCLASS64)
    return le ? checkExtentsOf<llvm::object::ELF64LE>(data)
              : checkExtentsOf<llvm::object::ELF64BE>(data);
  if (cls == llvm::ELF::ELFCLASS32)
    return le ? checkExtentsOf<llvm::object::ELF32LE>(data)
              : checkExtentsOf<llvm::object::ELF32BE>(data);
  return "bad ELF class " + std::to_string(cls);
}

} // namespace slimlink
