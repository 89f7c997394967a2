#include "write/rewrite_object.h"
#include "formats/formats.h"
#include "support/diagnostics.h"

#include "llvm/BinaryFormat/ELF.h"
#include "llvm/BinaryFormat/Magic.h"
#include "llvm/ObjCopy/ConfigManager.h"
#include "llvm/ObjCopy/ObjCopy.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/Parallel.h"
#include "llvm/Support/raw_ostream.h"

namespace slimlink {

namespace oc = llvm::objcopy;

static llvm::Error noError(llvm::Error e) { return e; }

static std::string configure(const ObjectEdit &edit, oc::ConfigManager &cfg) {
  cfg.Common.StripDebug = edit.stripDebug;
  for (const std::string &pattern : edit.removeSections)
    if (llvm::Error e = cfg.Common.ToRemove.addMatcher(oc::NameOrPattern::create(
            pattern, oc::MatchStyle::Wildcard, noError)))
      return takeMessage(std::move(e));
  for (const std::string &name : edit.emptySections)
    cfg.Common.SetSectionType[name] = llvm::ELF::SHT_NOBITS;
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

static std::string objcopy(llvm::StringRef bytes, llvm::StringRef name,
                           const oc::ConfigManager &cfg, std::string &out) {
  auto obj = llvm::object::ObjectFile::createObjectFile(
      llvm::MemoryBufferRef(bytes, name));
  if (!obj)
    return "malformed object: " + takeMessage(obj.takeError());
  llvm::raw_string_ostream os(out);
  if (llvm::Error e = oc::executeObjcopyOnBinary(cfg, **obj, os))
    return "cannot rewrite: " + takeMessage(std::move(e));
  os.flush();
  // ObjCopy trusts odd inputs further than the reader's checks reach (a
  // group signed by a symbol in a removed section comes out naming a symbol
  // that is gone; found by fuzz/rewrite). Its output must pass the same
  // checks as any input, or the member is refused rather than written.
  if (llvm::identify_magic(out) == llvm::file_magic::elf_relocatable)
    if (std::string err = checkElfExtents(out); !err.empty())
      return "unusual object: rewriting it would damage it (" + err + ")";
  return {};
}

// The second step of prune's edit: emptied sections leave for good once
// nothing names them. If anything still does (an .eh_frame this code does
// not understand), the emptied sections simply stay: still correct.
static void removePruned(const Member &m, std::string &out) {
  std::string unnamed, compact;
  if (!dropPrunedReferences(out, unnamed).empty())
    return;
  oc::ConfigManager cfg;
  ObjectEdit second;
  second.removeSections = {"*.pruned"};
  if (!configure(second, cfg).empty())
    return;
  if (objcopy(unnamed, m.name, cfg, compact).empty())
    out = std::move(compact);
}

static std::string rewriteOne(const Member &m, const ObjectEdit &edit,
                              std::string &out) {
  oc::ConfigManager cfg;
  if (std::string err = configure(edit, cfg); !err.empty())
    return err;
  if (std::string err = objcopy(m.data, m.name, cfg, out); !err.empty())
    return err;
  if (edit.removePruned && !edit.emptySections.empty() &&
      m.target.arch == llvm::Triple::x86_64)
    removePruned(m, out);
  return {};
}

std::vector<std::string> rewriteObjects(const InputSet &in,
                                        const std::vector<RewriteJob> &jobs) {
  std::vector<std::string> out(jobs.size()), errors(jobs.size());
  llvm::parallelFor(0, jobs.size(), [&](size_t k) {
    errors[k] = rewriteOne(in.at(jobs[k].member), *jobs[k].edit, out[k]);
  });
  for (size_t k = 0; k < jobs.size(); ++k)
    if (!errors[k].empty()) {
      const Member &m = in.at(jobs[k].member);
      throw InputError(in.libs[jobs[k].member.lib].path, m.name, m.offset,
                       errors[k]);
    }
  return out;
}

} // namespace slimlink
