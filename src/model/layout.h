// The format-neutral layout of one object image (an executable, a shared
// library, or an object in an archive), as `slimlink size` needs it: what
// lies where in the file and in memory. formats/ fills it; passes/size.cc
// turns it into rows.
//
// Two address spaces: file offsets (relative to the image's first byte) and
// VM addresses. For relocatable objects, which have no addresses, the reader
// lays the allocated sections out one after another from 0, so that "VM
// size" means the same thing as for a linked file: the bytes it will take in
// memory.
#pragma once

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace slimlink {

struct Extent {
  uint64_t start = 0, size = 0;
  uint64_t end() const { return start + size; }
  bool empty() const { return size == 0; }
};

// What a section holds, as far as the crates view cares for bytes no symbol
// claims. The format's edge decides (ELF: by section name).
enum class SectionRole : uint8_t {
  Other,       // "[section NAME]"
  Debug,       // "[debug info]"
  SymbolTable, // "[symbol tables]": symbols, their names, hash and versions
  Relocations, // "[relocations]"
  Unwind,      // "[unwind info]": unwind tables, exception tables
};

struct LayoutSection {
  std::string name;
  Extent file; // empty for NOBITS (.bss) and empty sections
  Extent vm;   // empty unless allocated (and for .tbss, which has no memory
               // of its own in the image)
  // The sections view's row is the name's first `groupSize` bytes: in
  // objects, the output section a linker would put it in (".text" for
  // ".text._ZN3foo3barE"); by default the whole name.
  uint32_t groupSize = ~0u;
  SectionRole role = SectionRole::Other;
  bool code = false; // holds machine code (what the format flags as such)

  llvm::StringRef group() const { return llvm::StringRef(name).take_front(groupSize); }
};

struct LayoutSegment {
  std::string name; // "LOAD #0 [R E]"
  Extent file, vm;
};

// Bytes the format itself uses: "[ELF header]", "[section headers]", ...
struct LayoutHeader {
  std::string name;
  Extent file, vm; // vm set if a loaded segment maps it
};

struct LayoutSymbol {
  llvm::StringRef name; // points into the image's string table
  uint64_t addr = 0, size = 0;
  uint32_t section = 0; // index into Layout::sections
};

// One compile unit (DWARF): its code (VM ranges) and its own debug info
// (file ranges in .debug_info).
struct LayoutCompileUnit {
  std::string name;
  std::vector<Extent> vm;
  std::vector<Extent> file;
};

// The inlines view's source lines (DWARF line tables): each range of code
// (VM addresses) and the "file:line" the table gives for its bytes, which
// for inlined code is where it came from (a header's line, not its caller's).
struct LayoutLineRange {
  uint64_t start = 0, end = 0;
  uint32_t line = 0; // index into LayoutLines::names
};
struct LayoutLines {
  std::vector<std::string> names; // "include/util.h:12", each once
  std::vector<LayoutLineRange> ranges;
  bool read = false; // the file had line tables (possibly of no code)
};

// What a reader must fill in beyond sections, segments and headers: symbols
// and compile units cost time on big files, and not every view needs them.
struct LayoutParts {
  bool symbols = true;
  bool units = false;
  bool lines = false; // source lines (the inlines view)
  // Split DWARF: the package file (FILE.dwp) that names the units, if any.
  std::string dwp;
};

struct Layout {
  uint64_t fileSize = 0;
  bool relocatable = false;
  std::vector<LayoutSection> sections;
  std::vector<LayoutSegment> segments; // loaded segments only
  std::vector<LayoutHeader> headers;
  std::vector<LayoutSymbol> symbols;   // defined, sized, in a section
  // Where symbols' names point into no file's bytes (a PDB's records can
  // span its blocks: the reader copies them), what keeps them.
  std::shared_ptr<const void> nameStorage;
  // The file has its full symbol table (not stripped down to the dynamic
  // one): what the symbols and crates views need to name most bytes.
  bool fullSymbols = false;
  // Without them (a stripped file, or one stripped to its exports): which
  // names are left, as the report says it ("exports only", "no symbols").
  std::string namesLeft;
  std::vector<LayoutCompileUnit> units; // filled only when asked for
  LayoutLines lines;                     // filled only when asked for
  // Relocatable objects: the name of the object's (first) compile unit,
  // which gets all of its bytes (its addresses would need relocating).
  std::string wholeUnit;
};

} // namespace slimlink
