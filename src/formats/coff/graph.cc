// The sections, symbols and relocations of a COFF object.
#include "formats/coff/coff.h"

namespace slimlink {

std::string coff::readGraph(const Member &m, ObjectGraph &out) {
  return "COFF objects cannot be pruned yet";
}

std::string coff::relocationName(uint32_t machine, uint32_t type) {
  return std::to_string(type);
}

} // namespace slimlink
