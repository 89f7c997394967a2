// A 64-bit little-endian Mach-O relocatable object (x86_64, arm64) as the
// atom cutter sees it: sections, relocations, symbols, and the references
// that are no relocation (__eh_frame's implicit pc-relative pointers).
// graph.cc (what refers to what) and cut.cc (what moves where) read an
// object through this one reader, so both see the same targets and atoms.
//
// parseObject refuses what the cutter cannot rewrite faithfully (other
// load commands, indirect symbols, scattered or unknown relocations,
// section-relative references it cannot decode, ...): the graph then keeps
// such an object whole, and the cutter is never asked to cut it.
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/BinaryFormat/MachO.h"

#include <optional>
#include <string>
#include <vector>

namespace slimlink::macho {

struct Section {
  llvm::StringRef segment, name;
  uint64_t addr = 0, size = 0;
  uint32_t offset = 0, align = 0, reloff = 0, nreloc = 0, flags = 0;
  uint32_t header = 0; // file offset of its section_64

  uint32_t type() const { return flags & llvm::MachO::SECTION_TYPE; }
  bool zeroFill() const;
  bool debug() const;
  bool exec() const;
  bool is(llvm::StringRef seg, llvm::StringRef sect) const {
    return segment == seg && name == sect;
  }
  uint64_t end() const { return addr + size; }
};

struct Reloc {
  uint32_t address = 0; // offset in its section
  uint32_t symbol = 0;  // r_symbolnum: a symbol, a section ordinal, an addend
  bool pcrel = false, external = false;
  uint8_t length = 0, type = 0;
  uint32_t raw[2] = {}; // the entry as read
};

// A pointer in a section's contents that no relocation describes: the
// linker reads it as an address (pcrel: relative to the field).
struct Implicit {
  uint32_t section = 0;
  uint64_t offset = 0; // of the field, in its section
  uint8_t size = 0;    // 4 or 8
  bool pcrel = false, isSigned = false;
  uint64_t target = 0; // the address it points at
};

// One CIE or FDE of __eh_frame.
struct EhRecord {
  uint64_t offset = 0, size = 0; // in the section, length field included
  bool cie = false;
  uint64_t cieOffset = 0; // FDE: its CIE's offset in the section
  // FDE: what pc_begin points at, when no relocation says it; else the
  // relocation at pcBeginOffset names the function.
  std::optional<uint64_t> function;
  uint64_t pcBeginOffset = 0;
};

struct Command {
  uint32_t offset = 0, cmd = 0, size = 0;
};

struct Object {
  llvm::StringRef data;
  llvm::MachO::mach_header_64 header{};
  std::vector<Command> commands;
  std::vector<Section> sections;
  std::vector<uint32_t> byAddress; // section indices in address order
  std::vector<std::vector<Reloc>> relocs; // per section, in file order
  std::vector<llvm::MachO::nlist_64> symbols;
  llvm::StringRef strings;
  llvm::MachO::symtab_command symtab{};
  llvm::MachO::dysymtab_command dysymtab{};
  llvm::MachO::linkedit_data_command dataInCode{}, hints{};
  bool hasSymtab = false, hasDataInCode = false, hasHints = false;
  int ehFrame = -1, compactUnwind = -1; // section indices
  std::vector<EhRecord> eh;
  std::vector<Implicit> implicits;

  bool arm64() const { return header.cputype == llvm::MachO::CPU_TYPE_ARM64; }
  bool subsections() const {
    return header.flags & llvm::MachO::MH_SUBSECTIONS_VIA_SYMBOLS;
  }
  llvm::StringRef symbolName(uint32_t i) const;
  llvm::StringRef contents(uint32_t sec) const;
  // The section (index) whose [addr, end] holds `addr`, preferring one
  // that starts there; -1 if none.
  int sectionAt(uint64_t addr) const;
};

// Reads `data`. Returns "" or why the cutter cannot handle this object.
std::string parseObject(llvm::StringRef data, Object &out);

// ARM64_RELOC_ADDEND: no reference, the addend of the next relocation.
bool isAddend(const Object &obj, const Reloc &r);
bool isSubtractor(const Object &obj, const Reloc &r);

// The address a section-relative (r_extern=0) relocation points at, as a
// linker reads it from the contents of section `sec` (at the relocation's
// offset); nullopt for kinds the cutter cannot move.
std::optional<uint64_t> localTarget(const Object &obj, uint32_t sec,
                                    const Reloc &r, llvm::StringRef contents);
// Writes `target` back for the relocation `r` now at `fieldAddr` (its new
// address; pc-relative kinds count from there) into `field`.
void setLocalTarget(const Object &obj, const Reloc &r, uint64_t fieldAddr,
                    uint64_t target, char *field);

// Reads and writes an implicit pointer's field.
uint64_t readField(const char *p, uint8_t size, bool isSigned);
void writeField(char *p, uint8_t size, uint64_t value);

} // namespace slimlink::macho
