// Hand-made models for unit tests: members with bytes and symbols, no files.
#pragma once

#include "model/library.h"

#include <memory>
#include <string>
#include <vector>

namespace slimlink::test {

// A member whose bytes are `bytes` (default: its name, so distinct names mean
// distinct contents). The bytes live as long as the test binary, as the
// mapping would.
inline Member member(std::string name, std::vector<Symbol> syms = {},
                     std::string bytes = "") {
  static std::vector<std::unique_ptr<std::string>> storage;
  storage.push_back(std::make_unique<std::string>(bytes.empty() ? name : bytes));
  Member m;
  m.name = std::move(name);
  m.data = *storage.back();
  m.kind = MemberKind::Object;
  m.symbols = std::move(syms);
  return m;
}

inline Symbol def(llvm::StringRef n) { return {n, true, false}; }
inline Symbol ref(llvm::StringRef n) { return {n, false, false}; }
inline Symbol weakRef(llvm::StringRef n) { return {n, false, true}; }

inline Library lib(std::string path, std::vector<Member> ms) {
  Library l;
  l.path = std::move(path);
  l.members = std::move(ms);
  return l;
}

// The model as readLibraries leaves it: content ids assigned.
inline InputSet inputs(std::vector<Library> libs) {
  InputSet in;
  in.libs = std::move(libs);
  assignContents(in);
  return in;
}

} // namespace slimlink::test
