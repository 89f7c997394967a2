// Which symbols are a library's API: the ones its users call. isolate keeps
// them public, prune keeps what they reach, verify checks they survive.
#pragma once

#include "model/library.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/Regex.h"

#include <memory>
#include <string>
#include <vector>

namespace slimlink {

// A glob of an API file. LLVM's GlobPattern points into its text, so the
// two live together, on the heap, shared by copies of the spec.
struct ApiGlob {
  std::string text;
  llvm::GlobPattern pattern;
};

struct ApiSpec {
  std::vector<std::string> names;                    // --api FILE: exact names
  std::vector<std::shared_ptr<const ApiGlob>> globs; // --api FILE: "foo_*"
  std::shared_ptr<llvm::Regex> regex;   // --api-regex RE
  bool given() const { return !names.empty() || !globs.empty() || regex; }
};

// From --api FILE and --api-regex RE; either may be empty. Throws
// UserError on a bad file (naming its line) or RE.
ApiSpec makeApiSpec(const std::string &file, const std::string &regex);

// Reads an API file into `spec`: a plain list (one symbol a line), an
// Apple -exported_symbols_list, a GNU version script or a Windows .def
// file, told apart by their text (passes/api_file.cc).
void readApiFile(const std::string &file, ApiSpec &spec);

// The library's API symbols, sorted and unique. With a spec: the defined
// globals it names or matches. Without: the unmangled (#[no_mangle]) global
// functions and data of the library's own crate, never Rust runtime internals
// (rust_eh_personality, __rust_alloc, ...) nor compiler_builtins; for a
// library with no Rust crate of its own, every defined global.
std::vector<llvm::StringRef> apiSymbols(const Library &lib, const ApiSpec &spec);

// The crate a Rust staticlib was built from, from its file name:
// "path/to/libmy-crate.a" -> "my_crate".
std::string ownCrateOf(const Library &lib);

// True for symbols of the Rust runtime that must never be API.
bool isRustRuntimeSymbol(llvm::StringRef name);

} // namespace slimlink
