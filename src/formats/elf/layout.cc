// ELF -> Layout: where sections, loaded segments, headers, symbols and
// compile units lie in the file and in memory. Everything is read through
// LLVM's ELFFile; elf::checkExtents has vetted the tables first, so a damaged
// file gets one clear error instead of a crash.
#include "formats/elf/elf.h"
#include "formats/dwarf_units.h"
#include "formats/layout_rows.h"
#include "support/input_files.h"

#include "llvm/DebugInfo/DWARF/DWARFUnit.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <map>
#include <optional>

namespace slimlink {

using namespace llvm::object;

// Objects built with -ffunction-sections (all of Rust's) have a section per
// function: ".text._ZN3foo3barE". Per-function sections are the symbols
// view's job; the sections view groups them under the output section a
// linker would put them in. Returns the length of that group's name.
static size_t groupSize(llvm::StringRef name) {
  // Longest first: ".data.rel.ro" (exactly, or ".data.rel.ro.local") is
  // not ".data"; ".init_array.00100" (a priority) is ".init_array".
  static const char *const groups[] = {
      ".rela.data.rel.ro", ".rela.gcc_except_table", ".rela.init_array",
      ".rela.fini_array", ".rela.text", ".rela.rodata", ".rela.tdata",
      ".rela.data", ".data.rel.ro", ".gcc_except_table", ".init_array",
      ".fini_array", ".text", ".rodata", ".tdata", ".tbss", ".data", ".bss",
      ".ldata", ".lrodata", ".lbss"};
  for (llvm::StringRef g : groups)
    if (name.starts_with(g) &&
        (name.size() == g.size() || name[g.size()] == '.'))
      return g.size();
  return name.size();
}

// What the crates view calls a section's bytes that no symbol claims.
static SectionRole roleOf(llvm::StringRef sec) {
  if (sec.starts_with(".debug") || sec.starts_with(".zdebug"))
    return SectionRole::Debug;
  if (sec == ".symtab" || sec == ".strtab" || sec == ".dynsym" ||
      sec == ".dynstr" || sec == ".gnu.hash" || sec == ".hash" ||
      sec == ".shstrtab" || sec.starts_with(".gnu.version"))
    return SectionRole::SymbolTable;
  if (sec.starts_with(".rela") || sec.starts_with(".rel."))
    return SectionRole::Relocations;
  if (sec.starts_with(".eh_frame") || sec == ".gcc_except_table")
    return SectionRole::Unwind;
  return SectionRole::Other;
}

// An ELF file of split DWARF (a .dwo or .dwp), if it is a regular file
// that passes the input checks (a crafted name could point at a device).
struct DwarfFile {
  std::unique_ptr<llvm::MemoryBuffer> buf;
  std::unique_ptr<ObjectFile> obj;
  std::unique_ptr<llvm::DWARFContext> ctx;
};
static std::optional<DwarfFile> openSplitDwarf(const std::string &path) {
  std::string why;
  std::unique_ptr<llvm::MemoryBuffer> buf;
  if (path.empty() || !(buf = readRegularFile(path, why)) ||
      !elf::checkExtents(buf->getBuffer()).empty())
    return std::nullopt;
  auto obj = ObjectFile::createObjectFile(buf->getMemBufferRef());
  if (!obj) {
    llvm::consumeError(obj.takeError());
    return std::nullopt;
  }
  DwarfFile f;
  f.ctx = openDwarf(**obj, llvm::DWARFContext::ProcessDebugRelocations::Ignore);
  f.buf = std::move(buf);
  f.obj = std::move(*obj);
  return f;
}

// The names of the units of a split-DWARF file, by DWO id.
static std::map<uint64_t, std::string> splitUnitNames(const DwarfFile &f) {
  std::map<uint64_t, std::string> names;
  for (const auto &cu : f.ctx->dwo_compile_units())
    if (const char *name = cu->getUnitDIE(true).getShortName())
      if (auto id = cu->getDWOId())
        names.try_emplace(*id, name);
  return names;
}

// A compile unit's name: its DW_AT_name. Split DWARF (-gsplit-dwarf) leaves
// only a skeleton in the file, which names its .dwo: the name comes from the
// package (FILE.dwp) or the .dwo (in DW_AT_comp_dir) when one can be read,
// else it is the .dwo's own name.
static std::string unitName(llvm::DWARFUnit &cu,
                            const std::map<uint64_t, std::string> &packaged) {
  llvm::DWARFDie die = cu.getUnitDIE(/*ExtractUnitDIEOnly=*/true);
  if (const char *name = die.getShortName())
    return name;
  auto dwo = llvm::dwarf::toString(
      die.find({llvm::dwarf::DW_AT_dwo_name, llvm::dwarf::DW_AT_GNU_dwo_name}));
  if (!dwo)
    return {};
  if (auto id = cu.getDWOId())
    if (auto it = packaged.find(*id); it != packaged.end())
      return it->second;
  llvm::SmallString<256> path(*dwo);
  if (!llvm::sys::path::is_absolute(path))
    if (auto dir = llvm::dwarf::toString(die.find(llvm::dwarf::DW_AT_comp_dir))) {
      path = *dir;
      llvm::sys::path::append(path, *dwo);
    }
  if (auto f = openSplitDwarf(std::string(path)))
    for (const auto &[id, name] : splitUnitNames(*f))
      return name; // a .dwo holds one unit
  return *dwo;
}

// Debug info: the compile units' names, code ranges and .debug_info bytes,
// named from the split-DWARF package `dwp` where there is one; the source
// lines of the code.
static void readDebugInfo(const ObjectFile &obj, Layout &l,
                          std::optional<uint64_t> debugInfoOffset,
                          LayoutParts parts) {
  std::unique_ptr<llvm::DWARFContext> dwarf = openDwarf(obj);
  if (parts.units) {
    std::map<uint64_t, std::string> packaged;
    if (auto f = openSplitDwarf(parts.dwp))
      packaged = splitUnitNames(*f);
    auto name = [&](llvm::DWARFUnit &cu) { return unitName(cu, packaged); };
    readCompileUnits(*dwarf, debugInfoOffset, l, 0, name);
  }
  if (parts.lines)
    readSourceLines(*dwarf, l);
}

template <class ELFT>
static std::string readLayout(const ELFObjectFile<ELFT> &obj, LayoutParts parts,
                              Layout &l) {
  using Elf_Shdr = typename ELFT::Shdr;
  const ELFFile<ELFT> &elf = obj.getELFFile();
  const auto &eh = elf.getHeader();
  l.fileSize = elf.getBufSize();
  l.relocatable = eh.e_type == llvm::ELF::ET_REL;

  auto phdrs = elf.program_headers();
  if (!phdrs)
    return "bad program headers: " + llvm::toString(phdrs.takeError());
  unsigned loadIndex = 0;
  uint64_t tlsBase = 0;
  for (const auto &p : *phdrs) {
    if (p.p_type == llvm::ELF::PT_TLS)
      tlsBase = p.p_vaddr;
    if (p.p_type != llvm::ELF::PT_LOAD)
      continue;
    if (p.p_offset > l.fileSize || p.p_filesz > l.fileSize - p.p_offset)
      return "loaded segment " + std::to_string(loadIndex) +
             " runs past the end of the file (offset " +
             std::to_string(p.p_offset) + ", size " +
             std::to_string(p.p_filesz) + ")";
    l.segments.push_back({segmentName(loadIndex++, p.p_flags & llvm::ELF::PF_R,
                                      p.p_flags & llvm::ELF::PF_W,
                                      p.p_flags & llvm::ELF::PF_X),
                          {p.p_offset, p.p_filesz},
                          {p.p_vaddr, p.p_memsz}});
  }

  auto add = [&](const char *name, uint64_t off, uint64_t size) {
    if (size == 0)
      return;
    Extent f = inFile(l, off, size);
    l.headers.push_back({name, f, vmOf(l, f)});
  };
  add("[ELF header]", 0, eh.e_ehsize);
  add("[program headers]", eh.e_phoff, uint64_t(eh.e_phnum) * eh.e_phentsize);

  auto sections = elf.sections();
  if (!sections)
    return "bad section headers: " + llvm::toString(sections.takeError());
  if (eh.e_shoff)
    add("[section headers]", eh.e_shoff,
        uint64_t(sections->size()) * eh.e_shentsize);

  std::optional<uint64_t> debugInfoOffset; // the first one's
  uint64_t nextVm = 0; // relocatable objects: allocated sections in a row
  for (const Elf_Shdr &sh : *sections) {
    LayoutSection s;
    if (sh.sh_type != llvm::ELF::SHT_NULL) {
      auto name = elf.getSectionName(sh);
      s.name = name ? name->str() : "[unnamed section]";
      if (!name)
        llvm::consumeError(name.takeError());
    }
    s.groupSize = l.relocatable ? groupSize(s.name) : s.name.size();
    s.role = roleOf(s.group());
    s.code = sh.sh_flags & llvm::ELF::SHF_EXECINSTR;
    if (sh.sh_type != llvm::ELF::SHT_NOBITS && sh.sh_type != llvm::ELF::SHT_NULL)
      s.file = {sh.sh_offset, sh.sh_size};
    bool alloc = sh.sh_flags & llvm::ELF::SHF_ALLOC;
    bool tbss = sh.sh_type == llvm::ELF::SHT_NOBITS &&
                (sh.sh_flags & llvm::ELF::SHF_TLS);
    if (alloc && !tbss) {
      if (l.relocatable) {
        s.vm = {nextVm, sh.sh_size};
        nextVm += sh.sh_size;
      } else {
        s.vm = {sh.sh_addr, sh.sh_size};
      }
    }
    if (s.name == ".debug_info" && !(sh.sh_flags & llvm::ELF::SHF_COMPRESSED) &&
        !debugInfoOffset)
      debugInfoOffset = sh.sh_offset;
    l.sections.push_back(std::move(s));
  }

  // Symbols: the full table if there is one, else the dynamic one.
  const Elf_Shdr *symtab = nullptr;
  for (const Elf_Shdr &sh : *sections)
    if (sh.sh_type == llvm::ELF::SHT_SYMTAB ||
        (!symtab && sh.sh_type == llvm::ELF::SHT_DYNSYM))
      symtab = &sh;
  l.fullSymbols = symtab && symtab->sh_type == llvm::ELF::SHT_SYMTAB;
  // ELF symbols have their sizes: none runs into the unnamed code after it.
  if (!l.fullSymbols)
    l.namesLeft = symtab ? "exports only" : "no symbols";
  if (symtab && parts.symbols) {
    auto syms = elf.symbols(symtab);
    auto strtab = elf.getStringTableForSymtab(*symtab, *sections);
    if (!syms || !strtab) {
      llvm::consumeError(syms.takeError());
      llvm::consumeError(strtab.takeError());
      return "bad symbol table";
    }
    l.symbols.reserve(l.symbols.size() + syms->size()); // no regrowth
    for (const auto &sym : *syms) {
      unsigned shndx = sym.st_shndx;
      if (sym.st_size == 0 || shndx == llvm::ELF::SHN_UNDEF ||
          shndx >= llvm::ELF::SHN_LORESERVE || shndx >= l.sections.size())
        continue;
      unsigned type = sym.getType();
      if (type == llvm::ELF::STT_SECTION || type == llvm::ELF::STT_FILE)
        continue;
      auto name = sym.getName(*strtab);
      if (!name) {
        llvm::consumeError(name.takeError());
        continue;
      }
      LayoutSymbol s;
      s.name = *name;
      s.size = sym.st_size;
      s.section = shndx;
      const LayoutSection &sec = l.sections[shndx];
      if (l.relocatable)
        s.addr = sec.vm.start + sym.st_value;
      else if (type == llvm::ELF::STT_TLS)
        s.addr = tlsBase + sym.st_value;
      else
        s.addr = sym.st_value;
      l.symbols.push_back(s);
    }
  }

  if (parts.units || parts.lines)
    readDebugInfo(obj, l, debugInfoOffset, parts);
  return {};
}

std::string elf::readLayout(llvm::StringRef data, LayoutParts parts, Layout &out) {
  if (std::string err = elf::checkExtents(data); !err.empty())
    return err;
  auto obj = ObjectFile::createObjectFile(llvm::MemoryBufferRef(data, ""));
  if (!obj)
    return "malformed ELF file: " + llvm::toString(obj.takeError());
  if (auto *e = llvm::dyn_cast<ELF64LEObjectFile>(obj->get()))
    return readLayout(*e, parts, out);
  if (auto *e = llvm::dyn_cast<ELF32LEObjectFile>(obj->get()))
    return readLayout(*e, parts, out);
  if (auto *e = llvm::dyn_cast<ELF64BEObjectFile>(obj->get()))
    return readLayout(*e, parts, out);
  if (auto *e = llvm::dyn_cast<ELF32BEObjectFile>(obj->get()))
    return readLayout(*e, parts, out);
  return "not an ELF file";
}

} // namespace slimlink
