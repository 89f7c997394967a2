// What dedup did, as numbers a user (table) or a script (JSON) can read.
#pragma once

#include "passes/dedup.h"
#include "write/write_archive.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace slimlink {

struct DedupReport {
  struct Input {
    std::string path, output;
    uint64_t bytesBefore = 0, bytesAfter = 0;
    size_t members = 0, moved = 0;
    std::string note; // why sharing is low, when it is
  };
  bool rust = true; // crates (Rust) or objects (C/C++ archives)
  struct CrateRow {
    std::string crate;
    size_t members = 0;   // in the common library
    uint64_t bytes = 0;   // one copy, as stored in the common library
    uint64_t saved = 0;   // the copies no longer stored
  };
  struct Fallback {
    std::string member, from; // the copied member and the input it came from
    std::vector<std::string> symbols; // the back-references it resolves
  };
  std::vector<Input> inputs;
  std::string commonPath;
  std::string importPath; // --shared on MinGW: libcommon.dll.a, else ""
  uint64_t commonBytes = 0;
  size_t commonMembers = 0;
  std::vector<CrateRow> sharedByCrate; // largest first
  std::vector<Fallback> fallbacks;
  uint64_t totalBefore = 0, totalAfter = 0;
  std::string linkLine;
  bool merged = false; // --merge: one output, no slim libraries
  std::string mode = "dedup"; // or "merge", "shrink"
  std::vector<std::pair<std::string, int64_t>> counts; // verb-specific
  std::string namesPath; // shrink: short private name -> original, if written
  // --shared: the common part is the shared library commonPath, exporting
  // `sharedExports` symbols; each input's module links with its line.
  bool shared = false;
  size_t sharedExports = 0;
  std::vector<std::string> moduleLinkLines;
};

DedupReport makeDedupReport(const InputSet &in,
                            const DedupPlan &plan,
                            const std::vector<OutputArchive> &slims,
                            const OutputArchive &common);
DedupReport makeMergeReport(const InputSet &in,
                            const std::vector<MemberRef> &merged,
                            const OutputArchive &out);

void printTable(const DedupReport &r, llvm::raw_ostream &os);
// The JSON object, wherever `j` is: a document, or a slice's part of one.
void writeJson(const DedupReport &r, llvm::json::OStream &j);

// dedup --base: the libraries slimmed against libraries already shipped.
struct BaseReport {
  std::vector<std::string> bases;
  std::vector<DedupReport::Input> libs; // `moved`: members a base holds
  std::vector<std::string> backrefs;    // "SYM (needed by BASE(member))"
  std::string linkLine;
};
BaseReport makeBaseReport(const InputSet &in, const BasePlan &plan,
                          const std::vector<OutputArchive> &outs);
void printTable(const BaseReport &r, llvm::raw_ostream &os);
void writeJson(const BaseReport &r, llvm::json::OStream &j);

} // namespace slimlink
