// rewrite: one pipeline for every format. The format's own writer first
// (what ObjCopy cannot express), then LLVM's ObjCopy on bytes it has been
// checked to trust, then the format's steps on what ObjCopy wrote, and last
// the input checks on the result: ObjCopy trusts odd inputs further than
// our readers' checks reach, and a damaged member is refused, not written.
#include "formats/format.h"
#include "formats/objcopy.h"

#include "formats/read_library.h"

namespace slimlink {

static std::string damaged(const char *writer, const std::string &err) {
  return "unusual object: " + std::string(writer) + " it would damage it (" +
         err + ")";
}

std::string ObjectFormat::rewrite(const Member &m, const ObjectEdit &edit,
                                  std::string &out) const {
  std::string first;
  if (std::string err = writeBeforeObjcopy(m.data, edit, first); !err.empty())
    return err;
  llvm::StringRef bytes = first.empty() ? m.data : llvm::StringRef(first);
  // Refused as the input it is, or as what our own writer made of it.
  if (std::string err = checkObjcopyInput(bytes); !err.empty())
    return first.empty() ? err : damaged(ownWriter(), err);
  auto configure = [&](llvm::objcopy::ConfigManager &config) {
    configureObjcopy(edit, config);
  };
  if (std::string err = runObjcopy(bytes, m.name, edit, stripRemovals(edit),
                                   out, configure);
      !err.empty())
    return err;
  if (std::string err = writeAfterObjcopy(m, bytes, edit, out); !err.empty())
    return err;
  if (std::string err = checkReadsBack(m, out); !err.empty())
    return damaged("rewriting", err);
  return {};
}

// What was written reads as its input read: an object of the same format
// for the same machine, every symbol's name and flags readable, and its
// graph. ObjCopy can
// write objects that still parse but are not (found by fuzz/edit_object:
// LLVM 19's COFF writer, given a damaged object whose section contents
// overlap, wrote a header that reads machine 0, as llvm-objcopy-19 does; and
// a symbol with an empty name as eight zero bytes, which readers take for
// offset 0 of a string table it left empty).
std::string ObjectFormat::checkReadsBack(const Member &m,
                                         llvm::StringRef written) const {
  Member back;
  back.name = m.name;
  back.data = written;
  if (std::string err = readMember(back); !err.empty())
    return "the result does not read back: " + err;
  if (back.kind != m.kind || !(back.target == m.target))
    return "the result reads as " +
           (back.kind == MemberKind::Object ? back.target.str()
                                            : std::string("no object")) +
           ", the input as " + m.target.str();
  // And the edge reads its graph, local symbols' names included (ObjCopy
  // wrote a local's name as a string-table offset into an empty table).
  ObjectGraph graph;
  if (std::string err = readGraph(back, graph); !err.empty())
    return "the result does not read back: " + err;
  return {};
}

// strip's requests in the section names ELF and COFF share. .llvmbc and
// .llvmcmd: embedded bitcode (rustc, clang -fembed-bitcode), read only by
// rustc's own LTO from rlibs, never by a linker. .comment: compiler version
// strings (MinGW GCC writes them to .rdata$zzz, which code may read: kept).
// Debug info (ELF's .debug_*, COFF's .debug$S/$T/$P) is ObjCopy's
// StripDebug.
std::vector<std::string>
ObjectFormat::stripRemovals(const ObjectEdit &edit) const {
  std::vector<std::string> out;
  if (edit.stripBitcode)
    out.insert(out.end(), {".llvmbc", ".llvmcmd"});
  if (edit.stripComments)
    out.push_back(".comment");
  return out;
}

std::string ObjectFormat::checkRewritten(llvm::StringRef object) const {
  std::string err = checkBytes(object);
  return err.empty() ? err : damaged("rewriting", err);
}

} // namespace slimlink
