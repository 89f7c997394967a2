// Rust names every object it puts into a staticlib after the crate it came
// from: "<crate>-<16 hex>.<crate>.<16 hex>-cgu.<N>.rcgu.o" for codegen units
// and "<crate>-<16 hex>.<random>.rcgu.o" for the allocator shim. compiler-rt's
// C objects (built by compiler_builtins) are "<16 hex>-<name>.o". Anything
// else is a native object and is named for itself.
#include "model/library.h"

#include "llvm/ADT/StringExtras.h"

namespace slimlink {

static bool isHex16(llvm::StringRef s) {
  return s.size() == 16 && llvm::all_of(s, llvm::isHexDigit);
}

static bool isCrateIdent(llvm::StringRef s) {
  return !s.empty() && !llvm::isDigit(s[0]) &&
         llvm::all_of(s, [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

std::string crateOfMember(llvm::StringRef name) {
  // "<crate>-<hash>.<rest>"
  auto [head, rest] = name.split('.');
  if (!rest.empty()) {
    auto [crate, hash] = head.rsplit('-');
    if (isHex16(hash) && isCrateIdent(crate))
      return crate.str();
  }
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
