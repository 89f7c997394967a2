// Cutting atoms out of a Mach-O object: the edit LLVM's ObjCopy cannot make.
//
// Each section keeps its header and its place; what is left of its bytes
// moves down, each kept piece by a multiple of the section's alignment, so
// every atom keeps the alignment a linker reads off its offset (lld: the
// largest power of two dividing it, at most the section's). __eh_frame's
// records move by exactly what went before them: they are a chain, and
// padding would break it. Everything that points at a moved byte follows
// (cut_fix.cc); the file is then written afresh (cut_write.cc).
//
// Debug info: the cutter cannot rewrite DWARF (line tables and ranges run
// through cut code), so an object that loses any atom loses its __DWARF
// sections' contents too (their headers stay, empty). Linking needs none of
// it; `slimlink strip` would drop it anyway.
#include "formats/macho/cut_parts.h"
#include "formats/macho/macho.h"

#include "llvm/Support/MathExtras.h"

namespace slimlink {

using namespace macho;

std::optional<uint64_t> Cut::map(uint32_t sec, uint64_t addr) const {
  const NewSection &ns = sections[sec];
  if (addr == o.sections[sec].end())
    return ns.addr + ns.size;
  for (const Piece &p : ns.pieces)
    if (addr >= p.start && addr < p.end)
      return p.to + (addr - p.start);
  return std::nullopt;
}

namespace {

using Ranges = std::vector<std::pair<uint64_t, uint64_t>>;

// What `ranges` leave of [start, end).
std::vector<Piece> keptPieces(uint64_t start, uint64_t end, const Ranges &ranges) {
  std::vector<Piece> out;
  uint64_t at = start;
  for (const auto &[s, e] : ranges) {
    if (e <= at || s >= end)
      continue;
    if (s > at)
      out.push_back({at, s, 0});
    at = std::max(at, e);
  }
  if (at < end)
    out.push_back({at, end, 0});
  return out;
}

bool cutsSomething(const Object &o, const Ranges &ranges) {
  for (const Section &s : o.sections)
    if (!s.debug())
      for (const auto &[b, e] : ranges)
        if (b < s.end() && e > s.addr && b < e)
          return true;
  return false;
}

// New addresses: sections in their address order, each at its alignment; within
// one, pieces as low as their alignment lets them go.
void layOut(Cut &c, const Ranges &ranges, bool dropDebug) {
  uint64_t cursor = 0;
  for (uint32_t s : c.o.byAddress) {
    const Section &sec = c.o.sections[s];
    NewSection &ns = c.sections[s];
    uint64_t align = uint64_t(1) << sec.align;
    ns.addr = llvm::alignTo(cursor, align);
    if (int(s) == c.o.ehFrame)
      align = 1;
    if (!(dropDebug && sec.debug()))
      ns.pieces = keptPieces(sec.addr, sec.end(), ranges);
    uint64_t end = 0; // in the new section
    for (Piece &p : ns.pieces) {
      uint64_t old = p.start - sec.addr;
      uint64_t off = old - (old - end) / align * align;
      p.to = ns.addr + off;
      end = off + (p.end - p.start);
    }
    ns.size = end;
    cursor = ns.addr + ns.size;
    if (!sec.zeroFill()) {
      ns.contents.assign(ns.size, '\0');
      llvm::StringRef old = c.o.contents(s);
      for (const Piece &p : ns.pieces)
        std::memcpy(ns.contents.data() + (p.to - ns.addr),
                    old.data() + (p.start - sec.addr), p.end - p.start);
    }
  }
}

} // namespace

std::string macho::cutRanges(llvm::StringRef object, const Ranges &input,
                             std::string &out) {
  Object o;
  if (std::string err = parseObject(object, o); !err.empty())
    return "cannot cut atoms out of this object: " + err;
  Ranges ranges = input;
  llvm::sort(ranges);
  if (!cutsSomething(o, ranges)) {
    out = object.str();
    return {};
  }
  Cut c(o);
  c.sections.resize(o.sections.size());
  layOut(c, ranges, true);
  for (auto step : {fixRelocations, fixEhFrame, fixSymbols})
    if (std::string err = step(c); !err.empty())
      return "cannot cut atoms out of this object: " + err;
  fixDataInCode(c);
  fixHints(c);
  return writeObject(c, out);
}

} // namespace slimlink
