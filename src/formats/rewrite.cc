// rewrite: one pipeline for every format. The format's own writer first
// (what ObjCopy cannot express), then LLVM's ObjCopy on bytes it has been
// checked to trust, then the format's steps on what ObjCopy wrote, and last
// the input checks on the result: ObjCopy trusts odd inputs further than
// our readers' checks reach, and a damaged member is refused, not written.
#include "formats/format.h"
#include "formats/objcopy.h"

#include "llvm/Object/ObjectFile.h"

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
  auto configure = [&](llvm::objcopy::CommonConfig &config) {
    configureObjcopy(edit, config);
  };
  if (std::string err = runObjcopy(bytes, m.name, edit, stripRemovals(edit),
                                   out, configure);
      !err.empty())
    return err;
  if (std::string err = writeAfterObjcopy(m, bytes, edit, out); !err.empty())
    return err;
  if (std::string err = checkSameKind(m.data, out); !err.empty())
    return damaged("rewriting", err);
  return checkRewritten(out);
}

// ObjCopy can write an object that still parses but is no longer what it
// was given (found by fuzz/edit_object: LLVM 19's COFF writer, given a
// damaged object whose section contents overlap, wrote a header that reads
// machine 0; llvm-objcopy-19 does the same). Whatever a format's steps did, the result is an object of the
// same format for the same machine.
std::string ObjectFormat::checkSameKind(llvm::StringRef before,
                                        llvm::StringRef after) {
  auto describe = [](llvm::StringRef bytes, std::string &what) {
    auto obj = llvm::object::ObjectFile::createObjectFile(
        llvm::MemoryBufferRef(bytes, "object"));
    if (!obj) {
      what = "not an object: " + llvm::toString(obj.takeError());
      return;
    }
    llvm::Triple::ArchType arch = (*obj)->getArch();
    what = std::string((*obj)->getFileFormatName()) + " " +
           (arch == llvm::Triple::UnknownArch
                ? "for no known machine"
                : "for " + llvm::Triple::getArchTypeName(arch).str());
  };
  std::string was, is;
  describe(before, was);
  describe(after, is);
  if (was == is)
    return {};
  return "the result is " + is + ", the input " + was;
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
  std::string err = checkWritten(object);
  return err.empty() ? err : damaged("rewriting", err);
}

} // namespace slimlink
