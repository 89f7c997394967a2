// The COFF edge's parts (formats/coff/), behind ObjectFormat
// (formats/format.h). Nothing outside formats/coff/ includes this file.
//
// What COFF asks for beyond ELF:
//   - section names repeat (every COMDAT function of an MSVC-style object
//     may be ".text$mn"): prune's edits name sections by index, and our own
//     writer removes them, since ObjCopy matches sections by name;
//   - COMDAT selection kinds, associative sections (.pdata/.xdata live and
//     die with the function they describe), .CRT$X* initializers, the
//     linker directives in .drectve (/INCLUDE:, /EXPORT:), weak externals;
//   - short import objects (a DLL's symbol, a few dozen bytes) are members
//     that are not objects: kept where they are (model: MemberKind::Import).
#pragma once

#include "formats/format.h"
#include "formats/layout_rows.h"

#include "llvm/DebugInfo/CodeView/GUID.h"

namespace slimlink::coff {

// checks.cc: that a COFF object's symbol table, section contents and
// relocation tables lie inside the file; LLVM's COFF reader hides that
// error from ObjCopy. "" for sound files and non-COFF ones.
std::string checkExtents(const llvm::object::ObjectFile &obj);
// For each symbol, in LLVM's symbol order, whether it is an external
// definition in a COMDAT section whose selection lets the linker keep any
// one of several copies (selectany: string literals, float constants,
// inline functions). Empty for other formats.
std::vector<bool> mergeableSymbols(const llvm::object::ObjectFile &obj);

// import.cc: a short import object: a DLL's symbol.
struct Import {
  llvm::Triple::ArchType arch = llvm::Triple::UnknownArch;
  llvm::StringRef symbol, dll; // point into the member's bytes
  llvm::StringRef impSymbol;   // "__imp_" + symbol, saved for the run
  bool code = false;           // IMPORT_CODE: `symbol` (a thunk) is defined too
};
// Whether a member starts like a short import object (Sig1 0, Sig2 0xffff,
// Version 0).
bool isImport(llvm::StringRef data);
// Reads one, checking every field it uses. Returns an error message, or "".
std::string readImport(llvm::StringRef data, Import &out);
// An import member as the model holds it: kind Import, the COFF target of
// its machine, and the symbols it defines (__imp_NAME, and NAME for code),
// so that verify and dedup see what it resolves.
std::string readImportMember(Member &m);

// format.cc: whether LLVM 19's ObjCopy may be given this object: a COFF
// object (not PE) whose sections, relocation tables, symbols and aux records
// lie where ObjCopy's reader takes them without checking, and whose indices
// name what exists. Runs on the exact bytes handed to ObjCopy. "" when it
// may; else what is wrong, for an error naming the member.
std::string checkObjcopyInput(llvm::StringRef object);

// graph.cc: the sections, symbols and relocations of a COFF object.
std::string readGraph(const Member &m, ObjectGraph &out);
std::string relocationName(uint32_t machine, uint32_t type);

// layout.cc: a PE file's (executable, DLL) or a COFF object's layout for
// `size`; `bounds`, if given, gets an image's function bounds (.pdata).
std::string readLayout(llvm::StringRef data, LayoutParts parts, Layout &out,
                       FunctionBounds *bounds = nullptr);

// pdb.cc: what ties a PE image to its PDB: the CodeView debug record's
// (RSDS) GUID and age, the PDB's info stream GUID and DBI stream age.
struct PdbIdentity {
  llvm::codeview::GUID guid{};
  uint32_t age = 0;
  std::string describe() const; // "{GUID} age N"
};
// The PDB's identity; "" or what is wrong with the bytes (a PDB that LLVM's
// reader refuses, or no PDB at all).
std::string readPdbIdentity(llvm::StringRef pdb, PdbIdentity &out);
// The layout of the PE image `image` (readLayout) with the symbols and
// compile units of `pdb`, its PDB: module symbols (procedures with their
// code sizes, data), publics, and modules as compile units (their section
// contributions). Every range the PDB gives is checked against the image's
// sections. Returns an error message, or "".
std::string readPdbLayout(llvm::StringRef image, llvm::StringRef pdb,
                          LayoutParts parts, Layout &out);

// debug_file.cc: where a PE image's PDB may be (the path the CodeView record
// names, that name beside `path`, then NAME.pdb beside it), and whether
// `debug` is it (their GUIDs and ages agree): ObjectFormat's
// debugFilePaths and debugFileMismatch.
std::vector<std::string> debugFilePaths(llvm::StringRef data,
                                        const std::string &path);
std::string debugFileMismatch(llvm::StringRef data, llvm::StringRef debug);

// drop.cc: prune's dead sections as an edit (ObjectEdit::removeSectionIndices).
ObjectEdit planDrop(const ObjectGraph &graph, const std::vector<bool> &live,
                    DropCounts &counts);

// remove.cc: writes `object` without the sections at `indices` (1-based, as
// COFF numbers them), their relocations and the symbols defined in them;
// every other section and symbol keeps its bytes, renumbered. `out` gets the
// new object.
std::string removeSections(llvm::StringRef object,
                           const std::vector<uint32_t> &indices,
                           std::string &out);

// bss.cc: ObjCopy is given no size of a section without bytes (.bss: it would write and
// first allocate that many zeros): hideBssSizes moves each into the
// section's VirtualSize (`out` stays empty when there is none, and an object
// that already looks so is refused), restoreBssSizes moves them back in what
// ObjCopy wrote from `objcopyInput`.
std::string hideBssSizes(llvm::StringRef object, std::string &out);
void restoreBssSizes(llvm::StringRef objcopyInput, std::string &object);

// directives.cc: the symbols .drectve's /INCLUDE: and /EXPORT: name.
std::vector<std::string> directiveSymbols(const Member &m);

} // namespace slimlink::coff
