// The tricks report: a table sorted by size, JSON and CSV for scripts, and a
// self-contained HTML page with a size-vs-time scatter (Pareto front marked)
// and the table.
#pragma once

#include "passes/per_crate.h"
#include "passes/tricks.h"

#include "llvm/Support/raw_ostream.h"

namespace slimlink {

// --per-crate: what was tried, what the choice was made from (the runs of
// the screening session with --run) and what to paste.
struct PerCrateReport {
  bool requested = false;
  size_t top = 0;            // N: how many dependencies at most
  double maxSlowdownPct = 0; // the budget, % of the baseline's run time
  bool timed = false;        // the choice used run times
  double screeningBaseline = 0; // the baseline's median in that session, s
  std::vector<CrateWeight> weights;          // the heaviest, heaviest first
  std::vector<PerCrateCandidate> candidates; // one per weight, same order
  PerCrateChoice choice;
  std::string cargoToml; // the lines to paste; "" when nothing was chosen
};

struct TricksReport {
  std::string crate, artifact, runCommand;
  bool lib = false;
  std::vector<VariantResult> variants; // in build order, baseline first
  std::vector<Trick> unavailable;
  std::vector<std::string> notes;
  // Each toolchain that built a variant: its name ("stable", "nightly")
  // and `rustc -V`, the default first.
  std::vector<std::pair<std::string, std::string>> toolchains;
  PerCrateReport perCrate;
};

void printTricksTable(const TricksReport &r, llvm::raw_ostream &os);
void printTricksJson(const TricksReport &r, llvm::raw_ostream &os,
                     const std::vector<std::string> &outputs = {});
void printTricksCsv(const TricksReport &r, llvm::raw_ostream &os);
std::string renderTricksHtml(const TricksReport &r);

} // namespace slimlink
