// prune's dead atoms and sections, as an edit of a Mach-O object.
#include "formats/macho/macho.h"

namespace slimlink {

ObjectEdit macho::planDrop(const ObjectGraph &graph,
                           const std::vector<bool> &live, DropCounts &counts) {
  return {};
}

} // namespace slimlink
