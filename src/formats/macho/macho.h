// The Mach-O edge's parts (formats/macho/), behind ObjectFormat
// (formats/format.h). Nothing outside formats/macho/ includes this file.
//
// What Mach-O asks for beyond ELF:
//   - objects built with .subsections_via_symbols are cut into atoms at
//     symbol boundaries: prune's unit is the atom, not the section (rustc
//     and clang put every function of a unit in one __TEXT,__text);
//   - compact unwind encodes a personality in 2 bits: one linked image can
//     use at most 3 personality routines.
#pragma once

#include "formats/format.h"

#include "llvm/Object/MachO.h"

namespace slimlink::macho {

// checks.cc: a Mach-O header, before LLVM parses the file: its load
// commands must fit in the file, ncmds of at least 8 bytes each inside
// sizeofcmds. LLVM 19 reserves room for ncmds commands first (found by
// fuzz/read_object: 2.7 GB for a 57-byte file). "" for sound headers and
// for files that are not thin Mach-O.
std::string checkHeader(llvm::StringRef data);
// What LLVM's Mach-O reader and ObjCopy trust: that sections lie inside
// their segments, that the string table ends with a NUL and that every
// symbol's name lies inside it. "" for sound files and non-Mach-O ones.
std::string checkTables(const llvm::object::ObjectFile &obj);

// graph.cc: the atoms (or, without .subsections_via_symbols, the sections)
// of a Mach-O object, with its symbols and relocations.
std::string readGraph(const Member &m, ObjectGraph &out);
std::string relocationName(uint32_t machine, uint32_t type);

// layout.cc: a Mach-O file's (object, executable, dylib) layout for `size`.
std::string readLayout(llvm::StringRef data, LayoutParts parts, Layout &out);

// debug_file.cc: a Mach-O image's .dSYM (ObjectFormat's debugFilePaths and
// debugFileMismatch).
std::vector<std::string> debugFilePaths(llvm::StringRef data,
                                        const std::string &path);
std::string debugFileMismatch(llvm::StringRef data, llvm::StringRef debug);

// drop.cc: prune's dead atoms as byte ranges (ObjectEdit::removeRanges) and
// dead whole sections as ObjCopy removals.
ObjectEdit planDrop(const ObjectGraph &graph, const std::vector<bool> &live,
                    DropCounts &counts);

// cut.cc: writes `object` without the byte ranges (object addresses) in
// `ranges`: their symbols, relocations, compact unwind and eh_frame entries
// go too, and everything after them moves down. `out` gets the new object.
std::string cutRanges(llvm::StringRef object,
                      const std::vector<std::pair<uint64_t, uint64_t>> &ranges,
                      std::string &out);

// symbols.cc: makes the named external definitions weak (N_WEAK_DEF) in a
// Mach-O object, in place: a linker keeps one of several such copies; and
// compact unwind entries that name them by address name their symbols.
std::string weakenDefinitions(std::string &object,
                              const std::vector<std::string> &names);

// symbols.cc: makes the named private external definitions (N_PEXT, the
// Mach-O form of hidden visibility) plain externs, in place, so that a
// dylib linked from the object can export them (--shared).
std::string makeExternal(std::string &object,
                         const std::vector<std::string> &names);

// personality.cc: the personality routines the object's unwind info names.
std::vector<std::string> personalities(const Member &m);

// format.cc: whether LLVM 19's ObjCopy may be given this object. Its Mach-O
// reader and writer trust every index and offset they read (relocations'
// symbol and section numbers, symbols' sections, indirect symbols, the
// section count implied by a segment's cmdsize, the header's file type) and
// crash on one out of range (RELIABILITY.md findings 17, 18, 21 and 22).
// Runs on the exact bytes handed to ObjCopy. "" when it may; else what is
// wrong, for an error naming the member.
std::string checkObjcopyInput(llvm::StringRef object);

// checks.cc: that the string table ends with a NUL and that every symbol's
// name (n_strx) lies inside it: LLVM 19's MachOObjectFile::getSymbolName and
// ObjCopy's reader take names with strlen. `alsoCheck` checks each symbol
// further (by its index and n_sect), after its name. For a file whose
// string table LLVM has checked lies inside it. "" when sound.
std::string checkSymbolNames(
    const llvm::object::MachOObjectFile &macho,
    llvm::function_ref<std::string(uint32_t index, uint8_t sect)> alsoCheck =
        {});

} // namespace slimlink::macho
