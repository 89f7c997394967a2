// The edge between slimlink's format-neutral passes and one object format.
//
// Each format (formats/elf/, formats/macho/, formats/coff/) implements this
// small interface, and the passes dispatch on a member's format once, here:
// they never look at ELF (or Mach-O, or COFF) constants themselves. What a
// pass needs from a format:
//   graph   sections (or atoms), symbols, relocations, must-keep roots
//           (prune, shrink, why, verify)
//   layout  where every byte of a file lies (size)
//   strip   which sections hold debug info, bitcode, comments (strip)
//   edit    how "drop these sections, rename those symbols" is written
#pragma once

#include "model/layout.h"
#include "model/link_graph.h"
#include "formats/object_edit.h"

#include <string>
#include <vector>

namespace llvm::objcopy {
struct ConfigManager;
}
namespace llvm::object {
class ObjectFile;
}

namespace slimlink {

// What prune's edit did to one object, for its report.
struct DropCounts {
  size_t removed = 0, emptied = 0;
};

class ObjectFormat {
public:
  virtual ~ObjectFormat() = default;

  // "ELF", "Mach-O", "COFF": for messages.
  virtual const char *name() const = 0;

  // input: the checks every member and file of the format passes before
  // anything reads it further (LLVM's readers, ObjCopy, our own readers):
  // what LLVM 19 trusts unchecked. checkBytes runs before LLVM parses the
  // bytes, checkObject on what it parsed. "" when sound.
  virtual std::string checkBytes(llvm::StringRef data) const { return {}; }
  virtual std::string checkObject(const llvm::object::ObjectFile &obj) const {
    return {};
  }

  // input: whether the format's linked files (executables, shared objects)
  // are taken as plain archive members, checked (ELF: LLVM's archive writer
  // reads their symbols); other formats' are refused.
  virtual bool takesLinkedMembers() const { return false; }

  // input: for each symbol of `obj`, in LLVM's order, whether it is a
  // definition the linker may keep any one of several copies of (COFF's
  // selectany COMDATs). Empty: none is.
  virtual std::vector<bool> mergeableSymbols(
      const llvm::object::ObjectFile &obj) const {
    return {};
  }

  // input: a member that is no object LLVM reads, which the format reads
  // itself (COFF's short import objects). True when `m` is one: then its
  // kind, target and symbols are filled, or `err` says what is wrong.
  virtual bool readOwnMember(Member &m, std::string &err) const {
    return false;
  }

  // graph: the object's sections, symbols and relocations. Returns an error
  // message, or "" on success.
  virtual std::string readGraph(const Member &m, ObjectGraph &out) const = 0;

  // graph: the section an undefined symbol that nothing defines stands for
  // the bounds of, where the format's linkers have that rule (ELF:
  // __start_SEC/__stop_SEC, SEC a C identifier: GNU ld's rule, which lld
  // keeps in its ELF MarkLive only). The link keeps the sections named so in
  // every object it pulls. "" for other symbols, and on other formats.
  virtual llvm::StringRef boundedSection(llvm::StringRef symbol) const {
    return {};
  }

  // The name of a relocation type of `graph`'s machine ("R_X86_64_PLT32").
  virtual std::string relocationName(const ObjectGraph &graph,
                                     uint32_t type) const {
    return {};
  }

  // layout: a file's (or an archive member's) sections, segments, headers
  // and, as asked, symbols and compile units. Names point into `data`.
  virtual std::string readLayout(llvm::StringRef data, LayoutParts parts,
                                 Layout &out) const = 0;

  // layout: debug info kept apart from a linked file (a stripped one's),
  // where the format has a way to find it (ELF: the NT_GNU_BUILD_ID note
  // and the .gnu_debuglink section). The paths, best first, where the debug
  // file of `data` (read from `path`) may be: under `root` (/usr/lib/debug)
  // or beside `path`. None for a file that names none.
  virtual std::vector<std::string> debugFilePaths(llvm::StringRef data,
                                                  const std::string &path,
                                                  const std::string &root) const {
    return {};
  }

  // Whether `debug` is the debug file of `data`: "" if it is (or nothing
  // says it is not), else why not, saying "the file" and "the debug file"
  // ("the debug file's build ID is 12ab..., the file's is 34cd...").
  virtual std::string debugFileMismatch(llvm::StringRef data,
                                        llvm::StringRef debug) const {
    return std::string("debug files kept apart are read for ELF files only, "
                       "and the file is ") + name();
  }

  // layout: the symbols and compile units of `debug`, the debug file of the
  // linked file `data` (debugFileMismatch has found it is), with sections
  // that are `data`'s of the same names and addresses. By default the debug
  // file is a file of the format (ELF's, a .dSYM's DWARF file) and read as
  // any; a format whose debug info is of another kind (PE: a PDB) reads it
  // its own way.
  virtual std::string readDebugLayout(llvm::StringRef data,
                                      llvm::StringRef debug, LayoutParts parts,
                                      Layout &out) const {
    return readLayout(debug, parts, out);
  }

  // The architecture a file's header names, by lipo's name ("arm64"), where
  // the format names one there (Mach-O); "" otherwise.
  virtual std::string fileArch(llvm::StringRef data) const { return {}; }

  // edit: the edit that removes the sections `live` says are dead (indices
  // of `graph`), with the symbols only they defined or referenced.
  virtual ObjectEdit planDrop(const ObjectGraph &graph,
                              const std::vector<bool> &live,
                              DropCounts &counts) const = 0;

  // Whether the edge can make a defined global local (ObjectEdit's
  // localizeSymbols): LLVM's ObjCopy can for ELF only.
  virtual bool canLocalize() const { return false; }

  // Routines the format lets one linked image name only a few of, which the
  // member's unwind info names: Mach-O's compact unwind holds at most three
  // personality routines. isolate and shrink keep these names instead of
  // making each library's copy private, and make the copies weak, so that
  // the linker keeps one.
  virtual std::vector<std::string> cappedRoutines(const Member &m) const {
    return {};
  }

  // Symbols the member's own linker directives name (COFF .drectve's
  // /INCLUDE: and /EXPORT:): renaming them would leave a directive naming a
  // symbol that is gone, so isolate and shrink keep their names.
  virtual std::vector<std::string> directiveSymbols(const Member &m) const {
    return {};
  }

  // Applies `edit` (strip's requests included) to an object member; `out`
  // gets the new bytes. Returns an error message, or "". One pipeline for
  // every format (formats/rewrite.cc), through the steps below.
  std::string rewrite(const Member &m, const ObjectEdit &edit,
                      std::string &out) const;

protected:
  // rewrite's steps, in order. 1: the format's own writer, for what ObjCopy
  // cannot do (Mach-O atoms, COFF sections by index); `out` stays empty when
  // it has nothing to do. `ownWriter` names it in errors ("cutting").
  virtual std::string writeBeforeObjcopy(llvm::StringRef object,
                                         const ObjectEdit &edit,
                                         std::string &out) const {
    return {};
  }
  virtual const char *ownWriter() const { return "rewriting"; }
  // 2: whether LLVM 19's ObjCopy may be given these bytes: "" when it may.
  virtual std::string checkObjcopyInput(llvm::StringRef object) const {
    return {};
  }
  // 3: ObjCopy, with strip's requests in the format's section names (as
  // removal patterns; by default ELF's and COFF's: formats/rewrite.cc) and
  // the format's own part of the config.
  virtual std::vector<std::string> stripRemovals(const ObjectEdit &edit) const;
  virtual void configureObjcopy(const ObjectEdit &edit,
                                llvm::objcopy::ConfigManager &config) const {}
  // 4: the format's own steps on what ObjCopy wrote (`objcopyInput`: what
  // it was given).
  virtual std::string writeAfterObjcopy(const Member &m,
                                        llvm::StringRef objcopyInput,
                                        const ObjectEdit &edit,
                                        std::string &out) const {
    return {};
  }
  // 5: what was written reads as the input `m` read (readMember, with
  // every input check: same kind, format and machine), and the edge reads
  // its graph, or it is refused rather than written. "" when it does.
  std::string checkReadsBack(const Member &m, llvm::StringRef written) const;
  // checkBytes on bytes ObjCopy wrote, before a format's own step reads
  // them, with rewrite's error ("unusual object: ...").
  std::string checkRewritten(llvm::StringRef object) const;
};

// The edge of a member's format; nullptr where slimlink has none.
const ObjectFormat *formatOf(llvm::Triple::ObjectFormatType format);
const ObjectFormat *formatOf(const Member &m);
// The link graph of an object member, read by its format's edge. Returns an
// error message, or "" (a member with no edge is an error).
std::string readMemberGraph(const Member &m, ObjectGraph &out);
// The edge for a whole file by its first bytes (an executable, a shared
// library, an object); nullptr where slimlink has none.
const ObjectFormat *formatOfFile(llvm::StringRef data);
// Every edge, for what no header names (ObjectFormat::readOwnMember).
llvm::ArrayRef<const ObjectFormat *> everyFormat();

} // namespace slimlink
