// tricks: what each of Rust's size tricks buys in bytes and costs in speed,
// measured on the user's own crate. The pure half: which variants exist, how
// to build each (Cargo's CARGO_PROFILE_RELEASE_* overrides, so the user's
// files stay untouched), and what the measurements mean (changes against the
// baseline, the size/time Pareto front). Building and running is the CLI's
// (cli/tricks_command.cc); sizes come from the size engine.
#pragma once

#include "passes/size.h"

#include "llvm/ADT/StringRef.h"

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
  std::string toolchain;   // which toolchain builds it: "stable", "nightly"
  // What it is compared with: the release build of its own toolchain (a
  // nightly trick against the nightly baseline, like with like); "" for
  // the baseline itself.
  std::string baseline;
  bool buildStd = false; // rebuilds std from rust-src (cargo needs --target)
  // More `cargo build` arguments (--config overrides Cargo reads from no
  // environment variable, such as profile.release.package.NAME).
  std::vector<std::string> cargoArgs = {};
};

// The toolchains tricks can use, as found on this machine.
struct Toolchains {
  std::string defaultName = "stable"; // the default rustc's channel
  std::string defaultVersion;         // its `rustc -V`
  // The nightly: its rustup name (built with RUSTUP_TOOLCHAIN=name), or ""
  // when the default toolchain is itself a nightly.
  std::string nightly;
  std::string nightlyVersion;
  std::string noNightly; // why no nightly trick runs, "" when one was found
  bool rustSrc = false;  // the nightly has the rust-src component
};

// Every trick, the release baseline first; the nightly ones (and their
// baseline, when the nightly is not the default toolchain) last, each
// unavailable with the reason when `tc` has no nightly or no rust-src.
std::vector<Trick> allTricks(const Toolchains &tc);

// The tricks named in `list` (comma-separated names; "" or "all" is all), the
// baseline always first and the baseline of every available trick chosen
// before it. Throws UserError naming an unknown trick.
std::vector<Trick> selectTricks(const std::vector<Trick> &all,
                                const std::string &list);

// The nightly toolchain to use from `rustup toolchain list` output: `wanted`
// (--toolchain; rustup also knows it as wanted-HOST), else the first whose
// name starts with "nightly". Returns its name without the -HOST suffix, or
// "" and sets `why`.
std::string pickNightly(llvm::StringRef rustupList, const std::string &wanted,
                        const std::string &host, std::string &why);

// "nightly", "beta", "dev" or "stable", from a `rustc -V` line.
std::string rustcChannel(llvm::StringRef version);

struct Samples {
  std::vector<double> seconds;
  double median() const;
  double spread() const; // (max - min) / 2: half the range seen
};

// What the runs say about a variant's time against its baseline's. Noise is
// the runs' own spread: a median that moved no more than the larger of the
// two half ranges is "no measurable change"; with fewer than 3 runs either
// side, the spread says nothing about the noise.
enum class RunChange { TooFewRuns, NoMeasurableChange, Faster, Slower };
RunChange compareRuns(const Samples &baseline, const Samples &variant);
const char *runChangeText(RunChange c);

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
