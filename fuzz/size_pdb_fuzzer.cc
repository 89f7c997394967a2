// Fuzz target: a PE image and its PDB (`<u32 LE length of the image>
// <image><PDB>`), through the COFF edge as `size` uses it: whether the PDB
// is the image's (GUID and age), then the image's layout with the PDB's
// symbols, modules and source lines (LLVM's native PDB reader, slimlink's
// own reading of the info, type and id streams, inline sites' annotations).
// Invariants: no crash or sanitizer report; either a clean error, or
// symbols, compile units and line ranges that lie inside the image's
// sections, line ranges in address order, not overlapping, named by a name
// that exists.
#include "fuzz_common.h"
#include "formats/format.h"

#include "llvm/Support/Endian.h"

using namespace slimlink;
using namespace slimlink::fuzz;

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  singleThreaded();
  return 0;
}

// Whether the sections (or pieces of one: a PE section is cut around the
// directories in it) cover all of [start, start + size) in VM.
static bool covered(const Layout &l, uint64_t start, uint64_t size) {
  uint64_t at = start, end = start + size;
  for (bool moved = true; moved && at < end;) {
    moved = false;
    for (const LayoutSection &s : l.sections)
      if (at >= s.vm.start && at < s.vm.end()) {
        at = s.vm.end();
        moved = true;
      }
  }
  return at >= end;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 4)
    return 0;
  uint32_t imageSize = llvm::support::endian::read32le(data);
  llvm::StringRef rest(reinterpret_cast<const char *>(data) + 4, size - 4);
  if (imageSize > rest.size())
    return 0;
  llvm::StringRef image = rest.take_front(imageSize);
  llvm::StringRef pdb = rest.drop_front(imageSize);
  const ObjectFormat *format = formatOfFile(image);
  if (!format || llvm::StringRef(format->name()) != "COFF")
    return 0;
  (void)format->debugFileMismatch(image, pdb);
  Layout l;
  LayoutParts parts;
  parts.units = true;
  parts.lines = true;
  if (!format->readDebugLayout(image, pdb, parts, l).empty())
    return 0;
  for (const LayoutSymbol &s : l.symbols) {
    if (s.section >= l.sections.size())
      violated("a symbol in section " + std::to_string(s.section) + " of " +
               std::to_string(l.sections.size()));
    if (!covered(l, s.addr, s.size))
      violated("symbol " + s.name.str() + " runs outside the image's sections");
  }
  for (const LayoutCompileUnit &u : l.units)
    for (Extent e : u.vm)
      if (!covered(l, e.start, e.size))
        violated("unit " + u.name + " has a range outside the image's sections");
  uint64_t after = 0;
  for (const LayoutLineRange &r : l.lines.ranges) {
    if (r.line >= l.lines.names.size())
      violated("a line range names line " + std::to_string(r.line) + " of " +
               std::to_string(l.lines.names.size()));
    if (r.end <= r.start || r.start < after)
      violated("line ranges empty, out of order or overlapping");
    if (!covered(l, r.start, r.end - r.start))
      violated("line " + l.lines.names[r.line] +
               " has a range outside the image's sections");
    after = r.end;
  }
  return 0;
}
