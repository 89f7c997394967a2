// tricks --per-crate: opt-level = "z" for some dependencies only, the trade
// people make by hand in [profile.release.package.NAME]. The pure half:
// which crates to try (the heaviest dependencies in the baseline), how to
// build one (a --config override: the crate's files stay untouched), which
// of those that were measured to combine, and the Cargo.toml lines that
// reproduce the combination.
#pragma once

#include "passes/size.h"
#include "passes/tricks.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace slimlink {

struct CrateWeight {
  std::string crate;   // as the size engine names it: "regex_syntax"
  std::string package; // as Cargo names it: "regex-syntax"
  uint64_t bytes = 0;  // file bytes the crate's code and data take
};

// The `n` heaviest rows of a crates view (by file bytes, then name) that are
// dependencies of the build: crates Cargo builds (`packageOfCrate`, lib
// target name to package name) other than the `own` packages. std, core,
// alloc and std's own dependencies are no Cargo package of the build: their
// opt-level cannot change without -Zbuild-std.
std::vector<CrateWeight>
heaviestDependencies(const std::vector<SizeRow> &crateRows,
                     const std::map<std::string, std::string> &packageOfCrate,
                     const std::set<std::string> &own, size_t n);

// The `cargo build --config` value that builds `package` at opt-level "z".
// (Cargo reads no environment variable for profile.*.package.* tables:
// CARGO_PROFILE_RELEASE_PACKAGE_<NAME>_OPT_LEVEL is silently ignored.)
std::string perCrateConfig(const std::string &package);

// The tricks that build crates at opt-level "z", against the baseline:
// "opt-z:NAME", one crate alone; `combinationName`, the chosen set.
inline constexpr const char *combinationName = "per-crate-z";
Trick perCrateTrick(const std::string &package, const std::string &toolchain);
Trick perCrateCombination(const std::vector<std::string> &packages,
                          const std::string &toolchain);

// The lines to paste into Cargo.toml for `packages`.
std::string cargoTomlLines(const std::vector<std::string> &packages);

// One crate built at opt-level "z" alone, as measured.
struct PerCrateCandidate {
  std::string package;
  bool measured = false;  // built (and, if timed, ran)
  int64_t saving = 0;     // baseline file size - this variant's
  // Timed only: the run-time change against the baseline's median, in
  // seconds, and whether it is beyond the noise.
  bool timed = false;
  double slowdown = 0;
  RunChange change = RunChange::TooFewRuns;
};

enum class PerCrateReason {
  NotMeasured,  // did not build or run: left out
  NoSaving,     // the file is no smaller: left out
  Untimed,      // taken: smaller, and no run weighs its speed
  NoSlowdown,   // taken: its time change is inside the noise (or faster)
  WithinBudget, // taken: slower, but within the slowdown budget
  OverBudget,   // left out: slower, and the budget was spent
};
const char *perCrateReasonText(PerCrateReason r);

struct PerCrateDecision {
  std::string package;
  bool chosen = false;
  PerCrateReason reason = PerCrateReason::NotMeasured;
  double cost = 0; // the slowdown counted against the budget, seconds
};

struct PerCrateChoice {
  std::vector<std::string> chosen;        // in the order they were taken
  std::vector<PerCrateDecision> decisions; // one per candidate, in order
};

// Greedy by size saving per unit of slowdown: crates that do not shrink the
// file are left out; untimed, every crate that shrinks it is taken, biggest
// saving first. Timed, a crate whose time change is inside the noise (or
// faster) costs nothing and is taken; the slower ones by bytes saved per
// second lost, best first, while their summed slowdown stays within
// `budgetSeconds` (0: none may slow the program measurably). With fewer than
// 3 runs the noise is unknown and any measured slowdown counts.
PerCrateChoice choosePerCrate(const std::vector<PerCrateCandidate> &candidates,
                              double budgetSeconds);

} // namespace slimlink
