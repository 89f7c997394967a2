#include "passes/api.h"
#include "support/diagnostics.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <algorithm>

namespace slimlink {

ApiSpec makeApiSpec(const std::string &file, const std::string &regex) {
  ApiSpec spec;
  if (!file.empty())
    readApiFile(file, spec);
  if (!regex.empty()) {
    spec.regex = std::make_shared<llvm::Regex>(regex);
    std::string err;
    if (!spec.regex->isValid(err))
      throw UserError("--api-regex '" + regex + "': " + err);
  }
  return spec;
}

std::string ownCrateOf(const Library &lib) {
  std::string stem = llvm::sys::path::stem(lib.path).str();
  if (llvm::StringRef(stem).starts_with("lib"))
    stem = stem.substr(3);
  std::replace(stem.begin(), stem.end(), '-', '_');
  return stem;
}

bool isRustRuntimeSymbol(llvm::StringRef n) {
  // Mangled Rust (v0 "_R", legacy "_ZN") is never a C API.
  if (n.starts_with("_R") || n.starts_with("_ZN"))
    return true;
  for (const char *prefix : {"__rust_", "__rdl_", "__rg_", "__rustc", "DW.ref.",
                             "rust_begin_unwind", "rust_panic"})
    if (n.starts_with(prefix))
      return true;
  return n == "rust_eh_personality";
}

static bool isRustMember(const Member &m) {
  return !llvm::StringRef(crateOfMember(m.name)).ends_with(" (native)");
}

// The crate whose unmangled symbols are the default API. rustc names the
// archive after the crate, but build systems rename it (`libfoo_static.a`,
// `foo.lib`): then the crate is the one of the first Rust member, since
// rustc writes the crate's own codegen units before its dependencies'.
static std::string apiCrateOf(const Library &lib) {
  std::string own = ownCrateOf(lib);
  for (const Member &m : lib.members)
    if (crateOfMember(m.name) == own)
      return own;
  for (const Member &m : lib.members)
    if (isRustMember(m))
      return crateOfMember(m.name);
  return own;
}

std::vector<llvm::StringRef> apiSymbols(const Library &lib,
                                        const ApiSpec &spec) {
  llvm::StringSet<> named;
  for (const std::string &n : spec.names)
    named.insert(n);
  std::string own = apiCrateOf(lib);
  bool anyOwn = false, anyRust = false;
  for (const Member &m : lib.members) {
    anyOwn |= crateOfMember(m.name) == own;
    anyRust |= isRustMember(m);
  }

  std::vector<llvm::StringRef> api;
  for (const Member &m : lib.members)
    for (const Symbol &s : m.symbols) {
      if (!s.defined)
        continue;
      bool keep;
      if (spec.given())
        keep = named.contains(s.name) ||
               (spec.regex && spec.regex->match(s.name)) ||
               llvm::any_of(spec.globs,
                            [&](const auto &g) { return g->pattern.match(s.name); });
      else if (anyOwn)
        keep = crateOfMember(m.name) == own && !isRustRuntimeSymbol(s.name);
      else
        keep = !anyRust; // a C/C++ library: all of it is API
      if (keep)
        api.push_back(s.name);
    }
  llvm::sort(api);
  api.erase(std::unique(api.begin(), api.end()), api.end());
  return api;
}

} // namespace slimlink
