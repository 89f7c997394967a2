// Drops the unwind entries (and debug relocations) of pruned sections, so
// that the sections themselves can then be removed.
//
// prune empties a dead section that .eh_frame or debug info still names
// (SHT_NOBITS, renamed "<kind>.pruned"): ObjCopy can remove sections but not
// edit relocations, and a removed section must not be named by any. This
// step does the edit ObjCopy cannot: it rewrites .eh_frame without the FDEs
// that cover pruned code (fixing each kept FDE's CIE pointer and the offsets
// of the kept relocations), drops relocations from non-allocated sections
// (debug info) that point into pruned sections — a linker writes a tombstone
// there for discarded code anyway — and lays the file out again. Section and
// symbol indices do not change, so nothing else needs renumbering; a second
// ObjCopy pass then removes the pruned sections.
#include "formats/elf/elf.h"

#include "llvm/Object/ELF.h"
#include "llvm/Support/Endian.h"

#include <algorithm>
#include <cstring>
#include <map>

namespace slimlink {

using ELFT = llvm::object::ELF64LE;
using Shdr = ELFT::Shdr;
using Rela = ELFT::Rela;
using Sym = ELFT::Sym;
namespace endian = llvm::support::endian;

namespace elf {

// Emptied sections are "<kind>.pruned": ".text.pruned", ".rodata.pruned".
std::string emptiedName(llvm::StringRef section) {
  size_t dot = section.find('.', 1);
  return section.substr(0, dot).str() + ".pruned";
}
bool isEmptiedName(llvm::StringRef name) { return name.ends_with(".pruned"); }

} // namespace elf

namespace {
struct Record {
  uint64_t offset, size; // in the old .eh_frame, including the length field
  bool cie, keep = true;
  uint64_t cieOffset = 0; // FDE: the old offset of its CIE
};
} // namespace

// Splits .eh_frame into CIE and FDE records. Returns false on anything it
// does not understand (64-bit lengths, truncation): then nothing is changed.
static bool splitRecords(llvm::ArrayRef<uint8_t> data, std::vector<Record> &out) {
  uint64_t off = 0;
  while (off + 4 <= data.size()) {
    uint32_t len = endian::read32le(data.data() + off);
    if (len == 0) { // terminator: keep the rest as is
      out.push_back({off, data.size() - off, true});
      return true;
    }
    if (len == 0xffffffff || off + 4 + len > data.size() || len < 4)
      return false;
    uint32_t id = endian::read32le(data.data() + off + 4);
    Record r{off, 4 + uint64_t(len), id == 0};
    if (!r.cie) {
      if (id > off + 4)
        return false;
      r.cieOffset = off + 4 - id;
    }
    out.push_back(r);
    off += 4 + len;
  }
  return off == data.size();
}

std::string elf::dropEmptiedReferences(llvm::StringRef object, std::string &out) {
  auto file = llvm::object::ELFFile<ELFT>::create(object);
  if (!file)
    return toString(file.takeError());
  auto shdrsOr = file->sections();
  if (!shdrsOr)
    return toString(shdrsOr.takeError());
  std::vector<Shdr> shdrs(shdrsOr->begin(), shdrsOr->end());
  size_t n = shdrs.size();
  std::vector<bool> pruned(n);
  for (size_t i = 0; i < n; ++i) {
    auto name = file->getSectionName(shdrs[i]);
    if (!name)
      return toString(name.takeError());
    pruned[i] = elf::isEmptiedName(*name);
  }

  // Which symbols are defined in pruned sections.
  std::vector<bool> symInPruned;
  for (const Shdr &sh : shdrs)
    if (sh.sh_type == llvm::ELF::SHT_SYMTAB) {
      auto syms = file->symbols(&sh);
      if (!syms)
        return toString(syms.takeError());
      for (const Sym &s : *syms)
        symInPruned.push_back(s.st_shndx < n && s.st_shndx != 0 &&
                              pruned[s.st_shndx]);
    }
  auto deadSym = [&](const Rela &r) {
    uint32_t s = r.getSymbol(false);
    return s < symInPruned.size() && symInPruned[s];
  };

  // New contents of the sections we change.
  std::map<size_t, std::string> replaced;
  for (size_t i = 0; i < n; ++i) {
    const Shdr &rs = shdrs[i];
    if (rs.sh_type != llvm::ELF::SHT_RELA || rs.sh_info >= n)
      continue;
    const Shdr &target = shdrs[rs.sh_info];
    auto relas = file->relas(rs);
    if (!relas)
      return toString(relas.takeError());
    auto tname = file->getSectionName(target);
    bool ehFrame = target.sh_type == llvm::ELF::SHT_X86_64_UNWIND ||
                   (tname && *tname == ".eh_frame");
    if (!tname)
      llvm::consumeError(tname.takeError());
    std::string kept;
    if (!(target.sh_flags & llvm::ELF::SHF_ALLOC) && !ehFrame) {
      // Debug info: drop relocations into pruned code.
      for (const Rela &r : *relas)
        if (!deadSym(r))
          kept.append(reinterpret_cast<const char *>(&r), sizeof r);
      if (kept.size() != relas->size() * sizeof(Rela))
        replaced[i] = kept;
      continue;
    }
    if (!ehFrame)
      continue;
    auto contents = file->getSectionContents(target);
    if (!contents)
      return toString(contents.takeError());
    std::vector<Record> recs;
    if (!splitRecords(*contents, recs))
      continue; // leave an unusual .eh_frame alone
    // An FDE goes when its pc_begin (at +8) is relocated against pruned code.
    std::map<uint64_t, const Rela *> relAt;
    for (const Rela &r : *relas)
      relAt[r.r_offset] = &r;
    bool any = false;
    for (Record &rec : recs)
      if (!rec.cie)
        if (auto it = relAt.find(rec.offset + 8); it != relAt.end() &&
                                                  deadSym(*it->second)) {
          rec.keep = false;
          any = true;
        }
    if (!any)
      continue;
    std::string frame;
    std::map<uint64_t, uint64_t> newOffset; // old record offset -> new
    for (const Record &rec : recs) {
      if (!rec.keep)
        continue;
      newOffset[rec.offset] = frame.size();
      frame.append(reinterpret_cast<const char *>(contents->data()) + rec.offset,
                   rec.size);
      if (!rec.cie) { // the CIE pointer is relative to its own position
        if (!newOffset.count(rec.cieOffset))
          return "FDE at " + std::to_string(rec.offset) + " precedes its CIE";
        uint32_t ptr = frame.size() - rec.size + 4 - newOffset[rec.cieOffset];
        endian::write32le(frame.data() + newOffset[rec.offset] + 4, ptr);
      }
    }
    std::string rels;
    for (const Rela &r : *relas) {
      // The record holding this relocation, and whether it stays.
      auto rec = std::upper_bound(recs.begin(), recs.end(), r.r_offset,
                                  [](uint64_t off, const Record &x) {
                                    return off < x.offset;
                                  });
      if (rec == recs.begin())
        continue;
      --rec;
      if (!rec->keep)
        continue;
      Rela moved = r;
      moved.r_offset = r.r_offset - rec->offset + newOffset[rec->offset];
      rels.append(reinterpret_cast<const char *>(&moved), sizeof moved);
    }
    replaced[rs.sh_info] = frame;
    replaced[i] = rels;
  }
  if (replaced.empty()) {
    out.assign(object.data(), object.size());
    return {};
  }

  // Lay the file out again: header, contents in index order, header table.
  ELFT::Ehdr eh;
  memcpy(&eh, object.data(), sizeof eh);
  out.assign(reinterpret_cast<const char *>(&eh), sizeof eh);
  for (size_t i = 1; i < n; ++i) {
    Shdr &sh = shdrs[i];
    if (sh.sh_type == llvm::ELF::SHT_NOBITS)
      continue;
    uint64_t align = std::max<uint64_t>(sh.sh_addralign, 1);
    out.resize((out.size() + align - 1) / align * align, '\0');
    llvm::StringRef bytes;
    if (auto it = replaced.find(i); it != replaced.end())
      bytes = it->second;
    else
      bytes = object.substr(sh.sh_offset, sh.sh_size);
    sh.sh_offset = out.size();
    sh.sh_size = bytes.size();
    out.append(bytes.data(), bytes.size());
  }
  out.resize((out.size() + 7) / 8 * 8, '\0');
  eh.e_shoff = out.size();
  memcpy(out.data(), &eh, sizeof eh);
  out.append(reinterpret_cast<const char *>(shdrs.data()), n * sizeof(Shdr));
  return {};
}

} // namespace slimlink
