// Which symbols are a library's API: the ones its users call. isolate keeps
// them public, prune keeps what they reach, verify checks they survive.
#pragma once

#include "model/library.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Regex.h"

#include <memory>
#include <string>
#include <vector>

namespace slimlink {

struct ApiSpec {
  std::vector<std::string> names;      // --api FILE (one symbol a line)
  std::shared_ptr<llvm::Regex> regex;  // --api-regex RE
  bool given() const { return !names.empty() || regex; }
};

// From --api FILE (one symbol per line, '#' starts a comment) and
// --api-regex RE; either may be empty. Throws UserError on a bad file or RE.
ApiSpec makeApiSpec(const std::string &file, const std::string &regex);

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
