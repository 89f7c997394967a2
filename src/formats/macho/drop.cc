// prune's dead atoms and sections, as an edit of a Mach-O object.
//
// Every unit the graph could cut out alone (GraphSection::cutSize) that the
// walk left dead becomes a byte range for the format's own writer (cut.cc),
// which takes its symbols, relocations and unwind entries with it. Whole
// sections go the same way (as the ranges of all their atoms): ObjCopy would
// refuse to drop a section something still names, and the writer leaves
// every section header in place, so no section index moves. Units that
// cannot be cut (debug info, roots of objects kept whole) stay.
#include "formats/macho/macho.h"

#include "llvm/ADT/STLExtras.h"

namespace slimlink {

ObjectEdit macho::planDrop(const ObjectGraph &graph,
                           const std::vector<bool> &live, DropCounts &counts) {
  ObjectEdit edit;
  std::vector<std::pair<uint64_t, uint64_t>> &ranges = edit.removeRanges;
  for (uint32_t i = 0; i < graph.sections.size(); ++i) {
    const GraphSection &s = graph.sections[i];
    if (live[i] || s.cutSize == 0)
      continue;
    ranges.push_back({s.address, s.address + s.cutSize});
    ++counts.removed;
  }
  // Adjacent dead atoms make one range: the writer's work and the edit's
  // size stay small on objects of thousands of atoms.
  llvm::sort(ranges);
  size_t n = 0;
  for (const auto &r : ranges)
    if (n > 0 && ranges[n - 1].second >= r.first)
      ranges[n - 1].second = std::max(ranges[n - 1].second, r.second);
    else
      ranges[n++] = r;
  ranges.resize(n);
  return edit;
}

} // namespace slimlink
