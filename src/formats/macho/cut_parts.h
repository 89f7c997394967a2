// The atom cutter's state, shared by its steps (cut.cc: what moves where;
// cut_fix.cc: the pointers that move with it; cut_write.cc: the new file).
#pragma once

#include "formats/macho/object.h"

#include <optional>
#include <string>
#include <vector>

namespace slimlink::macho {

// A kept run of a section's bytes: old addresses [start, end) now at `to`.
struct Piece {
  uint64_t start = 0, end = 0, to = 0;
};

struct NewSection {
  std::vector<Piece> pieces;
  uint64_t addr = 0, size = 0;
  std::string contents; // empty for zero-fill
  std::vector<Reloc> relocs;
};

struct Cut {
  const Object &o;
  std::vector<NewSection> sections;
  std::vector<int64_t> symbolIndex; // old index -> new, -1: dropped
  std::vector<llvm::MachO::data_in_code_entry> dataInCode;
  std::string hints; // LC_LINKER_OPTIMIZATION_HINT's new data

  explicit Cut(const Object &o) : o(o) {}
  // Where the byte at old address `addr` of section `sec` went; its end
  // maps to the new end. nullopt: it was cut.
  std::optional<uint64_t> map(uint32_t sec, uint64_t addr) const;
};

// cut_fix.cc: the kept relocations, section-relative pointers, __eh_frame
// fields, data-in-code entries and symbols, renumbered and moved.
std::string fixRelocations(Cut &c);
std::string fixEhFrame(Cut &c);
void fixDataInCode(Cut &c);
void fixHints(Cut &c);
std::string fixSymbols(Cut &c);

// cut_write.cc: the new object's bytes.
std::string writeObject(const Cut &c, std::string &out);

} // namespace slimlink::macho
