// One member's edit: sections to drop, empty or rename, symbols to drop,
// localize or rename. The verbs ask for what they want in format-neutral
// terms (strip's flags; prune's dead sections go through their format's
// planDrop, which writes the names here).
//
// Split as llvm-objcopy splits its config (CommonConfig, then ELFConfig,
// MachOConfig, COFFConfig): what every format carries out, mostly through
// LLVM's ObjCopy, and what one format's own writer adds. A verb may ask
// for a format's part on any member; the other formats leave it be.
#pragma once

#include "llvm/ADT/StringMap.h"

#include <string>
#include <utility>
#include <vector>

namespace slimlink {

struct CommonEdit {
  // strip: each format knows which of its sections these are.
  bool stripDebug = false;    // debug info and its relocations
  bool stripBitcode = false;  // embedded LLVM bitcode and its command line
  bool stripComments = false; // compiler version strings
  // prune, as the member's format planned it: exact section names.
  std::vector<std::string> removeSections;
  std::vector<std::pair<std::string, std::string>> renameSections;
  std::vector<std::string> removeSymbols;   // exact names
  std::vector<std::string> localizeSymbols; // exact names
  const llvm::StringMap<std::string> *renames = nullptr; // symbol -> new name
  // Local symbols (and undefined ones) that no relocation names go.
  bool stripUnneededSymbols = false;
  // --shared: symbols one module takes from another at load time, made
  // visible where they are defined or referenced as hidden (Rust's std
  // makes its internal symbols hidden: a hidden definition is never
  // exported, and a hidden reference must be defined in its own module).
  // ELF: STV_DEFAULT; Mach-O: private externs (N_PEXT) made plain externs;
  // COFF has no visibility (a DLL exports what its .def file lists).
  std::vector<std::string> defaultVisibility;
};

struct ElfEdit {
  std::vector<std::string> emptySections; // made zero-fill, header kept
  // After the edit, the format's own step removes the emptied sections once
  // nothing names them any more (ELF: unwind entries, debug relocations).
  bool dropEmptied = false;
  // shrink: names that only keep things apart go, as the format can (ELF:
  // section names that repeat a symbol's, local symbols' names). Formats
  // that cannot leave names as they are.
  bool shortNames = false;
};

struct MachOEdit {
  // prune, where the format's unit is smaller than a section (Mach-O atoms):
  // [start, end) byte ranges, in the object's own addresses, that the
  // format's writer cuts out, with their symbols, relocations and unwind
  // entries.
  std::vector<std::pair<uint64_t, uint64_t>> removeRanges;
  // Definitions made weak (after renaming), so that the linker keeps one of
  // several identical copies (Mach-O personality routines).
  std::vector<std::string> weakenSymbols;
};

struct CoffEdit {
  // prune, where section names repeat (COFF COMDATs): sections by the
  // format's own index, which its writer removes with their symbols and
  // relocations.
  std::vector<uint32_t> removeSectionIndices;
};

struct ObjectEdit : CommonEdit, ElfEdit, MachOEdit, CoffEdit {
  bool empty() const {
    return !stripDebug && !stripBitcode && !stripComments &&
           removeSections.empty() && emptySections.empty() &&
           renameSections.empty() && removeRanges.empty() &&
           removeSectionIndices.empty() &&
           removeSymbols.empty() && weakenSymbols.empty() &&
           localizeSymbols.empty() && (!renames || renames->empty()) &&
           defaultVisibility.empty() &&
           !stripUnneededSymbols && !shortNames;
  }
};

} // namespace slimlink
