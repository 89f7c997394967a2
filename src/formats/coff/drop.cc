// prune's dead sections, as an edit of a COFF object.
//
// Only COMDATs can be dead in an object the linker loads (graph.cc makes
// every other section a root), and a dead COMDAT goes whole: header, bytes,
// relocations and the symbols it defines. Names repeat (every function may
// be ".text"), so the edit names sections by number, for remove.cc.
#include "formats/coff/coff.h"

namespace slimlink {

ObjectEdit coff::planDrop(const ObjectGraph &graph,
                          const std::vector<bool> &live, DropCounts &counts) {
  ObjectEdit edit;
  for (uint32_t i = 0; i < graph.sections.size(); ++i) {
    if (live[i] || graph.sections[i].root)
      continue;
    edit.removeSectionIndices.push_back(i + 1); // COFF numbers from 1
    ++counts.removed;
  }
  return edit;
}

} // namespace slimlink
