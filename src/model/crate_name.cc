// Rust names every object it puts into a staticlib "<stem>.<unit>.rcgu.o":
//  - the stem is "<crate>-<16 hex>" for a crate cargo built (its
//    -C extra-filename), as all of std's crates are; for the crate that plain
//    rustc builds it is the output file's name up to its first dot:
//    "libfoo" for -o libfoo.a, "foo" by default, "x" for -o x.y.a.
//  - the unit is "<crate>.<hash>-cgu.<N>" for a codegen unit (the hash:
//    8 hex digits in rustc 1.63, up to 16 in 1.95), or a random base-36
//    name for the allocator shim and for every unit of an incremental
//    (debug) build ("<25 chars>.<7 chars>" in 1.95).
// A member's crate is its codegen unit's crate; else its stem's "<crate>";
// else the stem read as rustc reads a file name ("lib" dropped, '-' as '_'),
// right for plain rustc's default and lib<crate>.a outputs.
// compiler-rt's C objects (built by compiler_builtins) are
// "<16 hex>-<name>.o". Anything else is a native object and is named for
// itself.
#include "model/library.h"

#include "llvm/ADT/StringExtras.h"

#include <algorithm>

namespace slimlink {

static bool isHex16(llvm::StringRef s) {
  return s.size() == 16 && llvm::all_of(s, llvm::isHexDigit);
}

static bool isCrateIdent(llvm::StringRef s) {
  return !s.empty() && !llvm::isDigit(s[0]) &&
         llvm::all_of(s, [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

// "<crate>.<hash>-cgu.<N>" -> crate; "" for other units.
static llvm::StringRef crateOfUnit(llvm::StringRef unit) {
  auto [rest, n] = unit.rsplit('.');
  if (n.empty() || !llvm::all_of(n, llvm::isDigit) || !rest.consume_back("-cgu"))
    return "";
  auto [crate, hash] = rest.rsplit('.');
  if (hash.empty() || !llvm::all_of(hash, llvm::isAlnum) || !isCrateIdent(crate))
    return "";
  return crate;
}

// "<crate>-<16 hex>" -> crate; "" otherwise.
static llvm::StringRef crateOfCargoStem(llvm::StringRef stem) {
  auto [crate, hash] = stem.rsplit('-');
  return isHex16(hash) && isCrateIdent(crate) ? crate : "";
}

std::string crateOfMember(llvm::StringRef name) {
  auto [stem, rest] = name.split('.');
  if (llvm::StringRef unit = rest;
      !stem.empty() && unit.consume_back(".rcgu.o") && !unit.empty()) {
    if (llvm::StringRef crate = crateOfUnit(unit); !crate.empty())
      return crate.str();
    if (llvm::StringRef crate = crateOfCargoStem(stem); !crate.empty())
      return crate.str();
    if (stem.starts_with("lib") && stem.size() > 3)
      stem = stem.drop_front(3);
    std::string crate = stem.str();
    std::replace(crate.begin(), crate.end(), '-', '_');
    return crate;
  }
  // "<crate>-<16 hex>.<rest>" not ending in .rcgu.o
  if (!rest.empty())
    if (llvm::StringRef crate = crateOfCargoStem(stem); !crate.empty())
      return crate.str();
  // "<hash>-<name>.o"
  auto [hash, cname] = name.split('-');
  if (isHex16(hash) && !cname.empty())
    return cname.str() + " (native)";
  return name.str() + " (native)";
}

bool isRustLibrary(const Library &lib) {
  return llvm::any_of(lib.members, [](const Member &m) {
    return !llvm::StringRef(crateOfMember(m.name)).ends_with(" (native)");
  });
}

std::string objectLabel(llvm::StringRef crate, bool rust) {
  if (!rust && crate.ends_with(" (native)"))
    return crate.drop_back(9).str();
  return crate.str();
}

} // namespace slimlink
