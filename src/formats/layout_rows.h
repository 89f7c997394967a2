// What the formats' layout readers (formats/*/layout.cc) build their rows
// with, where the formats agree: loaded segments named as ELF names them,
// the VM range a file range is loaded at, tables cut to the file,
// symbols sized to the next one where the format gives them no size, and
// cut at the function bounds the file records.
#pragma once

#include "model/layout.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <vector>

namespace slimlink {

// "LOAD #1 [R-X]": a loaded segment, by its index and access.
std::string segmentName(unsigned index, bool read, bool write, bool execute);

// The VM range a file range is loaded at, if one loaded segment maps all of
// it (headers are usually mapped by the first segment).
Extent vmOf(const Layout &l, Extent f);

// A range a header names, cut to the file: what lies past its end is not
// the file's to count.
Extent inFile(const Layout &l, uint64_t off, uint64_t size);

// A range of the file a load command or header names (the symbol table,
// relocations, ...) as a pseudo-section, so that the crates view can file it
// by role. Nothing for an empty one. `startPastEnd`: whether one that starts
// at or past the end of the file still gets its (empty) row.
void addTable(Layout &l, const char *name, SectionRole role, uint64_t off,
              uint64_t size, bool startPastEnd);

// A defined symbol of a format whose symbols have no size (Mach-O, COFF).
struct UnsizedSymbol {
  llvm::StringRef name;
  uint64_t addr;
  uint32_t section; // the format's section, as `sectionEnd` and `row` take it
  bool local;
};

// Adds `syms` to l.symbols, each running to the next one of its section (or
// to `sectionEnd`); `row` says which entry of l.sections it lies in. Among
// several at one address the external one comes first: size.cc gives the
// bytes to the first.
void addSizedSymbols(std::vector<UnsizedSymbol> syms,
                     llvm::function_ref<uint64_t(uint32_t)> sectionEnd,
                     llvm::function_ref<uint32_t(const UnsizedSymbol &)> row,
                     Layout &l);

// Where functions start and end, as the file itself records it (Mach-O's
// LC_FUNCTION_STARTS, PE's .pdata): VM addresses, in any order. Each
// format's reader parses and checks its own.
struct FunctionBounds {
  std::vector<uint64_t> starts;
  std::vector<uint64_t> ends; // where a function is known to end
};

// A symbol never runs past the first function start or end after its
// address: a stripped file's named symbol does not swallow the unnamed
// functions after it. The bytes cut off are no symbol's (size.cc names them
// as it names any bytes of a section that no symbol covers).
void cutAtFunctionBounds(llvm::MutableArrayRef<LayoutSymbol> syms,
                         const FunctionBounds &bounds);

// How many of the recorded function starts no symbol starts at: the
// functions whose names were stripped.
size_t unnamedStarts(llvm::ArrayRef<LayoutSymbol> syms,
                     const FunctionBounds &bounds);

// A linked image's symbols from l.symbols[first] on, which the format gave
// no sizes: each cut at `bounds`, and the image called stripped when it has
// no symbol table ("no symbols"), or kept no local symbol (`anyLocal`) and
// records functions no symbol names ("exports only"). A file that kept
// local symbols is not stripped, even where its linker recorded a start no
// symbol names (a thunk).
void boundImageSymbols(Layout &l, size_t first, const FunctionBounds &bounds,
                       bool anyLocal);

} // namespace slimlink
