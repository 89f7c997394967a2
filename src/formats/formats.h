// Checks every object passes before LLVM parses it further, one per object
// format (formats/elf/checks.cc, macho/checks.cc, coff.cc). The rest of each format
// is behind ObjectFormat (formats/format.h).
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/TargetParser/Triple.h"

#include <string>
#include <vector>

namespace slimlink {

// Checks that an ELF file's header, section header table and section
// contents lie inside `data` before LLVM parses it. Returns an error message,
// or "" when the extents are sound.
std::string checkElfExtents(llvm::StringRef data);

// Checks a Mach-O header before LLVM parses the file: its load commands must
// fit in the file, ncmds of at least 8 bytes each inside sizeofcmds. LLVM 19
// reserves room for ncmds commands first (found by fuzz/read_object: 2.7 GB
// for a 57-byte file). "" for sound headers and for files that are not thin
// Mach-O.
std::string checkMachOHeader(llvm::StringRef data);

// Checks what LLVM's Mach-O reader and ObjCopy trust: that sections lie
// inside their segments, that the string table ends with a NUL and that
// every symbol's name lies inside it. "" for sound files and non-Mach-O ones.
std::string checkMachOTables(const llvm::object::ObjectFile &obj);

// Checks that a COFF object's section contents and relocation tables lie
// inside the file; LLVM's COFF reader hides that error from ObjCopy.
// "" for sound files and non-COFF ones.
std::string checkCoffExtents(const llvm::object::ObjectFile &obj);

// COFF: for each symbol, in LLVM's symbol order, whether it is an external
// definition in a COMDAT section whose selection lets the linker keep any
// one of several copies (selectany: string literals, float constants,
// inline functions). Empty for other formats.
std::vector<bool> coffMergeableSymbols(const llvm::object::ObjectFile &obj);

// A COFF short import object (formats/coff/import.cc): a DLL's symbol.
struct CoffImport {
  llvm::Triple::ArchType arch = llvm::Triple::UnknownArch;
  llvm::StringRef symbol, dll; // point into the member's bytes
  llvm::StringRef impSymbol;   // "__imp_" + symbol, saved for the run
  bool code = false;           // IMPORT_CODE: `symbol` (a thunk) is defined too
};

// Whether a member starts like a short import object (Sig1 0, Sig2 0xffff,
// Version 0).
bool isCoffImport(llvm::StringRef data);
// Reads one, checking every field it uses. Returns an error message, or "".
std::string readCoffImport(llvm::StringRef data, CoffImport &out);

} // namespace slimlink
