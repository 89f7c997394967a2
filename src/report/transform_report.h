// The report of the verbs that rewrite one library into another (strip,
// isolate, prune): bytes before/after per library and by crate.
#pragma once

#include "model/library.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace slimlink {

struct TransformReport {
  std::string verb;
  struct Lib {
    std::string input, output;
    uint64_t bytesBefore = 0, bytesAfter = 0;
    size_t members = 0, membersAfter = 0;
  };
  struct Crate {
    std::string crate;
    uint64_t bytesBefore = 0, bytesAfter = 0;
  };
  std::vector<Lib> libs;
  std::vector<Crate> crates; // largest before first
  std::vector<std::pair<std::string, int64_t>> counts; // e.g. {"api_symbols", 3}
  std::vector<std::string> notes;
  std::vector<std::string> api; // isolate: the API kept public (JSON lists it)
  bool rust = true; // crates (Rust) or objects (C/C++ archives)
};

// Adds crate rows: member bytes before (from the model) and after (the
// written member sizes, parallel to lib.members; 0 for dropped members).
void addCrates(TransformReport &r, const Library &lib,
               const std::vector<uint64_t> &sizeAfter);

void printTable(const TransformReport &r, llvm::raw_ostream &os);
// The JSON object, wherever `j` is: a document, or a slice's part of one.
void writeJson(const TransformReport &r, llvm::json::OStream &j);

} // namespace slimlink
