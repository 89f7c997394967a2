// tricks: what each of Rust's size tricks buys in bytes and costs in speed,
// measured on the user's own crate. The pure half: which variants exist, how
// to build each (Cargo's CARGO_PROFILE_RELEASE_* overrides, so the user's
// files stay untouched), and what the measurements mean (changes against the
// baseline, the size/time Pareto front). Building and running is the CLI's
// (cli/tricks_command.cc); sizes come from the size engine.
#pragma once

#include "passes/size.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace slimlink {

struct Trick {
  std::string name; // "opt-z"
  std::string what; // "opt-level = \"z\""
  std::vector<std::pair<std::string, std::string>> env; // Cargo overrides
  std::string unavailable; // why this toolchain cannot build it, or ""
};

// Every trick, the release baseline first and the usual all-in combination
// last; tricks that need nightly are present but unavailable on stable.
std::vector<Trick> allTricks(bool nightlyToolchain);

// The tricks named in `list` (comma-separated names), baseline always first.
// Throws UserError naming an unknown trick.
std::vector<Trick> selectTricks(const std::vector<Trick> &all,
                                const std::string &list);

struct Samples {
  std::vector<double> seconds;
  double median() const;
  double spread() const; // (max - min) / 2: half the range seen
};

struct VariantResult {
  const Trick *trick = nullptr;
  bool built = false;
  std::string error;          // build error (the log's last lines)
  std::string artifact;       // the built file
  uint64_t fileSize = 0, vmSize = 0;
  uint64_t hostSize = 0;      // staticlib: a host linked with --gc-sections
  double buildSeconds = 0;
  // --run: CPU time (user + system) per run, which the machine's other
  // load disturbs far less than wall time; and the wall time too.
  Samples runs, wall;
  std::string runError;
  std::vector<SizeDiffRow> changes; // biggest changed rows against baseline
  // The variant has no symbol table (strip = "symbols") while the baseline
  // has: its crates are unknown, and changes hold sections only.
  bool cratesUnknown = false;
  bool pareto = false;        // on the size/time front
};

// Marks the variants no other built variant beats on both size and time
// (run time with --run, else build time).
void markPareto(std::vector<VariantResult> &variants, bool useRunTime);

// The `n` biggest changed rows of `variant` against `baseline` (results of
// one view), and every row that appears or disappears.
std::vector<SizeDiffRow> biggestChanges(const SizeResult &baseline,
                                        const SizeResult &variant, size_t n);

} // namespace slimlink
