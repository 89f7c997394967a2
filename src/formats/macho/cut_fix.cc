// What moves with the atoms the cutter keeps (cut_parts.h): relocations,
// the addresses encoded in section contents, __eh_frame's implicit
// pointers, data-in-code entries and symbols.
#include "formats/macho/cut_parts.h"

#include "llvm/Support/Endian.h"
#include "llvm/Support/LEB128.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

namespace slimlink::macho {

namespace MachO = llvm::MachO;

namespace {

std::string hex(uint64_t v) {
  char buf[24];
  snprintf(buf, sizeof buf, "0x%llx", (unsigned long long)v);
  return buf;
}

// Symbols kept relocations name, and those only cut relocations named.
struct SymbolUse {
  std::vector<bool> kept, dropped;
};

} // namespace

// Relocations of cut bytes go; the rest move with their bytes, and a
// section-relative one gets its target's new address written back.
static std::string fixSection(Cut &c, uint32_t s, SymbolUse &use) {
  const Object &o = c.o;
  const Section &sec = o.sections[s];
  NewSection &ns = c.sections[s];
  for (const Reloc &r : o.relocs[s]) {
    std::optional<uint64_t> at = c.map(s, sec.addr + r.address);
    if (r.external && !isAddend(o, r))
      (at ? use.kept : use.dropped)[r.symbol] = true;
    if (!at)
      continue;
    Reloc n = r;
    n.address = uint32_t(*at - ns.addr);
    if (!r.external && !isAddend(o, r)) {
      uint64_t target = *localTarget(o, s, r, o.contents(s));
      std::optional<uint64_t> moved = c.map(r.symbol - 1, target);
      if (!moved)
        return "kept bytes of " + sec.name.str() + " refer to cut address " +
               hex(target);
      setLocalTarget(o, n, *at, *moved, ns.contents.data() + n.address);
    }
    ns.relocs.push_back(n);
  }
  return {};
}

std::string fixRelocations(Cut &c) {
  SymbolUse use;
  use.kept.assign(c.o.symbols.size(), false);
  use.dropped.assign(c.o.symbols.size(), false);
  for (uint32_t s = 0; s < c.o.sections.size(); ++s)
    if (std::string err = fixSection(c, s, use); !err.empty())
      return err;
  // Which symbols may go is fixSymbols' question: keep the answer here.
  c.symbolIndex.assign(c.o.symbols.size(), 0);
  for (uint32_t i = 0; i < c.o.symbols.size(); ++i)
    if (use.dropped[i] && !use.kept[i])
      c.symbolIndex[i] = -2; // referred to by cut code only
  for (uint32_t i = 0; i < c.o.symbols.size(); ++i)
    if (use.kept[i])
      c.symbolIndex[i] = -3; // must stay
  return {};
}

// An FDE's CIE pointer counts back from itself; implicit pointers count
// from their field (pc-relative) or from 0.
std::string fixEhFrame(Cut &c) {
  const Object &o = c.o;
  for (const Implicit &p : o.implicits) {
    const Section &sec = o.sections[p.section];
    std::optional<uint64_t> at = c.map(p.section, sec.addr + p.offset);
    if (!at)
      continue;
    int t = o.sectionAt(p.target);
    std::optional<uint64_t> moved = t >= 0 ? c.map(t, p.target) : std::nullopt;
    if (!moved)
      return "a kept __eh_frame record points at cut address " + hex(p.target);
    NewSection &ns = c.sections[p.section];
    writeField(ns.contents.data() + (*at - ns.addr), p.size,
               *moved - (p.pcrel ? *at : 0));
  }
  if (o.ehFrame < 0)
    return {};
  uint32_t s = o.ehFrame;
  const Section &sec = o.sections[s];
  NewSection &ns = c.sections[s];
  for (const EhRecord &r : o.eh) {
    std::optional<uint64_t> at = c.map(s, sec.addr + r.offset);
    if (!at || r.cie)
      continue;
    std::optional<uint64_t> cie = c.map(s, sec.addr + r.cieOffset);
    if (!cie)
      return "a kept FDE's CIE was cut";
    llvm::support::endian::write32le(ns.contents.data() + (*at - ns.addr) + 4,
                                     uint32_t(*at + 4 - *cie));
  }
  return {};
}

// data_in_code_entry::offset is the code's address in the object.
void fixDataInCode(Cut &c) {
  const Object &o = c.o;
  if (!o.hasDataInCode)
    return;
  uint32_t n = o.dataInCode.datasize / sizeof(MachO::data_in_code_entry);
  for (uint32_t k = 0; k < n; ++k) {
    MachO::data_in_code_entry e;
    std::memcpy(&e, o.data.data() + o.dataInCode.dataoff + k * sizeof(e), sizeof(e));
    int s = o.sectionAt(e.offset);
    if (s < 0)
      continue;
    std::optional<uint64_t> at = c.map(s, e.offset);
    if (!at || *at == c.sections[s].addr + c.sections[s].size)
      continue;
    e.offset = uint32_t(*at);
    c.dataInCode.push_back(e);
  }
}

// Linker optimization hints (arm64: "these adrp/add/ldr may be relaxed"):
// ULEB128 kind, count, then that many instruction addresses. A hint
// naming cut code goes; the rest name the moved addresses. A malformed
// table goes whole: hints are optional.
void fixHints(Cut &c) {
  const Object &o = c.o;
  if (!o.hasHints)
    return;
  llvm::StringRef d = o.data.substr(o.hints.dataoff, o.hints.datasize);
  const uint8_t *p = (const uint8_t *)d.data(), *end = p + d.size();
  std::string out;
  llvm::raw_string_ostream os(out);
  const char *err = nullptr;
  auto next = [&] {
    unsigned n = 0;
    uint64_t v = llvm::decodeULEB128(p, &n, end, &err);
    p += n;
    return v;
  };
  while (p < end && !err) {
    uint64_t kind = next();
    if (kind == 0)
      break; // padding
    uint64_t count = next();
    std::vector<uint64_t> moved;
    bool keep = count <= 8;
    for (uint64_t k = 0; k < count && !err; ++k) {
      uint64_t addr = next();
      int s = o.sectionAt(addr);
      std::optional<uint64_t> at = s >= 0 ? c.map(s, addr) : std::nullopt;
      keep = keep && at;
      if (at)
        moved.push_back(*at);
    }
    if (!keep || err)
      continue;
    llvm::encodeULEB128(kind, os);
    llvm::encodeULEB128(count, os);
    for (uint64_t a : moved)
      llvm::encodeULEB128(a, os);
  }
  if (err)
    out.clear();
  out.resize(llvm::alignTo(out.size(), 8), '\0');
  c.hints = std::move(out);
}

// Symbols of cut atoms go, and undefined ones only cut code used; the rest
// keep their order (local, defined external, undefined) and get new
// addresses and indices.
std::string fixSymbols(Cut &c) {
  const Object &o = c.o;
  int64_t next = 0;
  for (uint32_t i = 0; i < o.symbols.size(); ++i) {
    const MachO::nlist_64 &n = o.symbols[i];
    bool keep = true;
    uint8_t type = n.n_type & MachO::N_TYPE;
    if (type == MachO::N_SECT) {
      keep = c.map(n.n_sect - 1, n.n_value).has_value();
    } else if (type == MachO::N_UNDF && n.n_value == 0) {
      keep = c.symbolIndex[i] != -2;
    }
    if (!keep && c.symbolIndex[i] == -3)
      return "kept code refers to " + o.symbolName(i).str() +
             ", which is cut out";
    c.symbolIndex[i] = keep ? next++ : -1;
  }
  return {};
}

} // namespace slimlink::macho
