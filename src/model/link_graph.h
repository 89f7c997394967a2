// The link graph inside one object: sections, symbols, relocations — what
// refers to what. Read on demand (prune needs it, dedup does not) by the
// format's reader in formats/.
#pragma once

#include "model/library.h"

#include "llvm/Support/Allocator.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace slimlink {

// Indices are the object's own section and symbol indices.
struct GraphSection {
  llvm::StringRef name;
  uint64_t fileSize = 0;     // bytes in the file (0 for NOBITS)
  uint64_t vmSize = 0;       // bytes in memory once linked: allocated, not
                             // thread-local zero-fill (size's VM column)
  bool alloc = false;        // loaded at run time
  bool exec = false;
  bool root = false;         // kept whenever its object is linked: init/fini
                             // arrays, ctors/dtors, notes, SHF_GNU_RETAIN
  bool ehFrame = false;      // unwind tables: kept, but do not keep code alive
  bool isReloc = false;      // a relocation section (of `relocates`)
  int32_t relocates = -1;
  int32_t linkOrder = -1;    // SHF_LINK_ORDER: lives and dies with that section
  int32_t group = -1;        // the SHT_GROUP section this one belongs to
  std::vector<uint32_t> groupMembers; // for an SHT_GROUP section
  int64_t signature = -1;    // for an SHT_GROUP section: its symbol's index
  // Where the unit lies in its object's addresses when the format's writer
  // can cut it out alone (Mach-O atoms): [address, address + cutSize).
  // cutSize 0: it cannot be cut (ELF sections go by name instead).
  uint64_t address = 0, cutSize = 0;
};

struct GraphSymbol {
  llvm::StringRef name;
  int32_t section = -1;      // defining section; -1: undefined, absolute, common
  bool global = false, weak = false, sectionSymbol = false;
};

struct GraphReloc {
  uint32_t from;             // the section the relocation patches
  uint32_t symbol;           // index into symbols
  uint32_t type = 0;         // the format's relocation type (for `why`)
  // An unwind entry's reference (an FDE's LSDA): followed only once the
  // code the entry describes, this section, is live, as lld and GNU ld keep
  // exception tables only for code they keep. -1: always followed.
  int32_t onlyWith = -1;
};

struct ObjectGraph {
  uint32_t machine = 0; // the format's machine code (names relocation types)
  std::vector<GraphSection> sections;
  std::vector<GraphSymbol> symbols;
  std::vector<GraphReloc> relocs;
  // Names the format made up (Mach-O atoms: "__TEXT,__text(_f)"); shared,
  // so that a copy of the graph keeps them alive.
  std::shared_ptr<llvm::BumpPtrAllocator> names;
};

} // namespace slimlink
