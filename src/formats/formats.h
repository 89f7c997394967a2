// Checks every object passes before LLVM parses it further, one per object
// format (formats/elf/checks.cc, macho.cc, coff.cc). The rest of each format
// is behind ObjectFormat (formats/format.h).
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Object/ObjectFile.h"

#include <string>

namespace slimlink {

// Checks that an ELF file's header, section header table and section
// contents lie inside `data` before LLVM parses it. Returns an error message,
// or "" when the extents are sound.
std::string checkElfExtents(llvm::StringRef data);

// Checks what LLVM's Mach-O reader and ObjCopy trust: that sections lie
// inside their segments, that the string table ends with a NUL and that
// every symbol's name lies inside it. "" for sound files and non-Mach-O ones.
std::string checkMachOTables(const llvm::object::ObjectFile &obj);

// Checks that a COFF object's section contents and relocation tables lie
// inside the file; LLVM's COFF reader hides that error from ObjCopy.
// "" for sound files and non-COFF ones.
std::string checkCoffExtents(const llvm::object::ObjectFile &obj);

} // namespace slimlink
