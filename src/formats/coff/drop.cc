// prune's dead sections, as an edit of a COFF object.
#include "formats/coff/coff.h"

namespace slimlink {

ObjectEdit coff::planDrop(const ObjectGraph &graph,
                          const std::vector<bool> &live, DropCounts &counts) {
  return {};
}

} // namespace slimlink
