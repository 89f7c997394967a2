#include "formats/objcopy.h"
#include "support/diagnostics.h"

#include "llvm/ObjCopy/ConfigManager.h"
#include "llvm/ObjCopy/ObjCopy.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/raw_ostream.h"

namespace slimlink {

namespace oc = llvm::objcopy;

static llvm::Error noError(llvm::Error e) { return e; }

static std::string configure(const CommonEdit &edit,
                             llvm::ArrayRef<std::string> extraRemovals,
                             ObjcopyFormatStep formatStep,
                             oc::ConfigManager &cfg) {
  cfg.Common.StripDebug = edit.stripDebug;
  cfg.Common.StripUnneeded = edit.stripUnneededSymbols;
  // prune's exact names go into ObjCopy's hash set of names; as wildcard
  // patterns they were each tried in turn on every section (thousands of
  // names on thousands of sections: a sixth of shrink's time), and a name
  // with a glob character in it would have matched others.
  for (const std::string &name : edit.removeSections)
    if (llvm::Error e = cfg.Common.ToRemove.addMatcher(oc::NameOrPattern::create(
            name, oc::MatchStyle::Literal, noError)))
      return takeMessage(std::move(e));
  for (llvm::StringRef pattern : extraRemovals)
    if (llvm::Error e = cfg.Common.ToRemove.addMatcher(oc::NameOrPattern::create(
            pattern, oc::MatchStyle::Wildcard, noError)))
      return takeMessage(std::move(e));
  if (formatStep)
    formatStep(cfg);
  for (const auto &[from, to] : edit.renameSections)
    cfg.Common.SectionsToRename.try_emplace(from, oc::SectionRename{from, to, {}});
  for (const std::string &name : edit.removeSymbols)
    if (llvm::Error e = cfg.Common.SymbolsToRemove.addMatcher(
            oc::NameOrPattern::create(name, oc::MatchStyle::Literal, noError)))
      return takeMessage(std::move(e));
  for (const std::string &name : edit.localizeSymbols)
    if (llvm::Error e = cfg.Common.SymbolsToLocalize.addMatcher(
            oc::NameOrPattern::create(name, oc::MatchStyle::Literal, noError)))
      return takeMessage(std::move(e));
  if (edit.renames)
    for (const auto &kv : *edit.renames)
      cfg.Common.SymbolsToRename[kv.getKey()] = kv.getValue();
  return {};
}

std::string runObjcopy(llvm::StringRef bytes, llvm::StringRef name,
                       const CommonEdit &edit,
                       llvm::ArrayRef<std::string> extraRemovals,
                       std::string &out, ObjcopyFormatStep formatStep) {
  oc::ConfigManager cfg;
  if (std::string err = configure(edit, extraRemovals, formatStep, cfg);
      !err.empty())
    return err;
  auto obj = llvm::object::ObjectFile::createObjectFile(
      llvm::MemoryBufferRef(bytes, name));
  if (!obj)
    return "malformed object: " + takeMessage(obj.takeError());
  llvm::raw_string_ostream os(out);
  if (llvm::Error e = oc::executeObjcopyOnBinary(cfg, **obj, os))
    return "cannot rewrite: " + takeMessage(std::move(e));
  os.flush();
  return {};
}

} // namespace slimlink
