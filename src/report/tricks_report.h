// The tricks report: a table sorted by size, JSON and CSV for scripts, and a
// self-contained HTML page with a size-vs-time scatter (Pareto front marked)
// and the table.
#pragma once

#include "passes/tricks.h"

#include "llvm/Support/raw_ostream.h"

namespace slimlink {

struct TricksReport {
  std::string crate, artifact, runCommand;
  bool lib = false;
  std::vector<VariantResult> variants; // in build order, baseline first
  std::vector<Trick> unavailable;
  std::vector<std::string> notes;
  // Each toolchain that built a variant: its name ("stable", "nightly")
  // and `rustc -V`, the default first.
  std::vector<std::pair<std::string, std::string>> toolchains;
};

void printTricksTable(const TricksReport &r, llvm::raw_ostream &os);
void printTricksJson(const TricksReport &r, llvm::raw_ostream &os,
                     const std::vector<std::string> &outputs = {});
void printTricksCsv(const TricksReport &r, llvm::raw_ostream &os);
std::string renderTricksHtml(const TricksReport &r);

} // namespace slimlink
