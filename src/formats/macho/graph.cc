// The atoms, symbols and relocations of a Mach-O object.
#include "formats/macho/macho.h"

namespace slimlink {

std::string macho::readGraph(const Member &m, ObjectGraph &out) {
  return "Mach-O objects cannot be pruned yet";
}

std::string macho::relocationName(uint32_t machine, uint32_t type) {
  return std::to_string(type);
}

} // namespace slimlink
