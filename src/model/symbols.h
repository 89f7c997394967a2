// Symbol names for people: demangling (Rust legacy and v0, C++) and the
// crate a symbol's bytes are charged to.
#pragma once

#include "model/layout.h"

#include "llvm/ADT/StringRef.h"

#include <string>

namespace slimlink {

enum class SymbolLang : uint8_t { Rust, Cxx, C };

struct SymbolInfo {
  std::string demangled; // human-readable; the raw name if it is not mangled
  SymbolLang lang = SymbolLang::C;
  // Rust only: the crate whose code this is (see crateOfSymbol) - empty for
  // C/C++.
  std::string crate;
};

// Demangles with LLVM's demanglers (llvm/Demangle) and works out the crate.
//
// The crate rule (documented in README.md, "size"):
//  - v0 symbols (_R...): a generic instance that carries an instantiating
//    crate (the path after the item's path) is charged to that crate: it is
//    the crate whose use of the generic put the code there. Otherwise the
//    crate at the root of the item's path; for an impl method that is the
//    crate holding the impl block.
//  - legacy symbols (_ZN...17h<hash>E): they carry no instantiating crate,
//    so the first path component of the demangled name; for
//    "<Type as Trait>::f" the crate of Type, or of Trait when Type is a
//    primitive, a slice, a reference to one, ...
//  - everything else is C or C++ and has no crate (the caller decides: the
//    member's crate inside a Rust archive, "[C]"/"[C++]" otherwise).
//
// withText=false may leave `demangled` empty where the crate and language
// can be had without demangling (v0 symbols, C++): demangling every symbol
// of a big binary costs more than everything else `size` does.
SymbolInfo describeSymbol(llvm::StringRef mangled, bool withText = true);

// describeSymbol(mangled).demangled, without working out the crate: what
// naming every symbol of a big binary needs.
std::string demangleSymbol(llvm::StringRef mangled);

// Of a Rust legacy name read without the demangler, the part its text is
// made of: all but its hash ("_ZN4core3fmt5write" of
// "_ZN4core3fmt5write17h<16 hex>E.llvm.7"). Names with the same key have
// the same text (the hash is dropped): a generic's instances, demangled
// once. "" for any other name.
llvm::StringRef legacyTextKey(llvm::StringRef mangled);

// In a Rust binary, the crate of an unmangled symbol that Rust code defines:
// compiler_builtins' C-ABI intrinsics (__udivti3, __floatsidf; only their
// shape says so) and std's #[no_mangle] entry points (rust_eh_personality,
// rust_begin_unwind, rust_panic). nullptr for anything else.
const char *crateOfUnmangled(llvm::StringRef name);

// In a Rust binary, the crate of a function named by its path without the
// hash ("hello::shapes::twice", "<alloc::string::String as core::fmt::
// Display>::fmt"): how a PDB names the functions no public names (local
// ones). "" for names with no path ("::"): C's.
std::string crateOfPath(llvm::StringRef name);

// The crates view's row for bytes that no symbol claims, by their section's
// role (which its format's edge decides): "[debug info]", "[symbol tables]",
// "[relocations]", "[unwind info]", else "[section NAME]"; bracketed rows
// ("[padding]") stay as they are.
std::string crateOfSection(llvm::StringRef section, SectionRole role);

// Only the crate part of describeSymbol's v0 rule, for tests: the defining
// and the instantiating crate of a v0 symbol ("" where absent or unparsable).
struct V0Crates {
  std::string defining, instantiating;
};
V0Crates v0Crates(llvm::StringRef mangled);

} // namespace slimlink
