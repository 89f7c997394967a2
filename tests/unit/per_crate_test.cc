// tricks --per-crate's pure half, on hand-made inputs: which dependencies
// are tried, how each is built, which are combined, and what to paste.
#include "passes/per_crate.h"

#include <gtest/gtest.h>

using namespace slimlink;

namespace {

SizeRow row(std::string name, uint64_t file) { return {std::move(name), file, file, {}, false}; }

std::vector<std::string> packagesOf(const std::vector<CrateWeight> &ws) {
  std::vector<std::string> out;
  for (const CrateWeight &w : ws)
    out.push_back(w.package);
  return out;
}

PerCrateCandidate untimed(std::string package, int64_t saving) {
  PerCrateCandidate c;
  c.package = std::move(package);
  c.measured = true;
  c.saving = saving;
  return c;
}

PerCrateCandidate timed(std::string package, int64_t saving, double slowdown,
                        RunChange change) {
  PerCrateCandidate c = untimed(std::move(package), saving);
  c.timed = true;
  c.slowdown = slowdown;
  c.change = change;
  return c;
}

const PerCrateDecision &decision(const PerCrateChoice &c, const std::string &p) {
  for (const PerCrateDecision &d : c.decisions)
    if (d.package == p)
      return d;
  ADD_FAILURE() << "no decision for " << p;
  return c.decisions.front();
}

} // namespace

TEST(PerCrate, HeaviestDependenciesOnlyCargoPackagesNotOwnNotStd) {
  std::vector<SizeRow> rows = {
      row("std", 190000),          row("[symbol tables]", 200000),
      row("regex_syntax", 120000), row("core", 90000),
      row("app", 80000),           row("regex", 50000),
      row("rustc_demangle", 22000), // std's own dependency: no package here
      row("serde_json", 18000),    row("sha2", 12000),
      row("itoa", 0),
  };
  std::map<std::string, std::string> packages = {
      {"app", "app"},         {"regex", "regex"}, {"regex_syntax", "regex-syntax"},
      {"serde_json", "serde_json"}, {"sha2", "sha2"}, {"itoa", "itoa"}};
  std::vector<CrateWeight> top = heaviestDependencies(rows, packages, {"app"}, 3);
  EXPECT_EQ(packagesOf(top), (std::vector<std::string>{"regex-syntax", "regex", "serde_json"}));
  EXPECT_EQ(top[0].crate, "regex_syntax");
  EXPECT_EQ(top[0].bytes, 120000u);
  // All of them (no empty row: it has nothing to shrink).
  EXPECT_EQ(packagesOf(heaviestDependencies(rows, packages, {"app"}, 8)),
            (std::vector<std::string>{"regex-syntax", "regex", "serde_json", "sha2"}));
  EXPECT_TRUE(heaviestDependencies(rows, packages, {"app"}, 0).empty());
}

TEST(PerCrate, LibNamesWithDashesAndTwoRowsOfOnePackage) {
  // cargo metadata may name a lib target with '-'; rows use '_'. Two
  // versions of one package are one build, their bytes summed; equal
  // weights go by name, so the plan does not depend on row order.
  std::vector<SizeRow> rows = {row("md5", 3000), row("tiny_keccak", 2000),
                               row("tiny_keccak", 2000), row("crc32fast", 3000)};
  std::map<std::string, std::string> packages = {
      {"md5", "md-5"}, {"tiny-keccak", "tiny-keccak"}, {"crc32fast", "crc32fast"}};
  std::vector<CrateWeight> top = heaviestDependencies(rows, packages, {}, 8);
  EXPECT_EQ(packagesOf(top), (std::vector<std::string>{"tiny-keccak", "crc32fast", "md-5"}));
  EXPECT_EQ(top[0].bytes, 4000u);
}

TEST(PerCrate, BuiltThroughConfigOverridesAndPastedAsTables) {
  EXPECT_EQ(perCrateConfig("regex-syntax"),
            "profile.release.package.regex-syntax.opt-level=\"z\"");
  Trick one = perCrateTrick("sha2", "stable");
  EXPECT_EQ(one.name, "opt-z:sha2");
  EXPECT_EQ(one.baseline, "baseline");
  EXPECT_TRUE(one.env.empty()); // Cargo reads no variable for package tables
  EXPECT_EQ(one.cargoArgs, (std::vector<std::string>{
                               "--config", "profile.release.package.sha2.opt-level=\"z\""}));
  // The chosen set has its own name, even of one crate.
  EXPECT_EQ(perCrateCombination({"sha2"}, "stable").name, combinationName);
  Trick both = perCrateCombination({"sha2", "sha1"}, "stable");
  EXPECT_EQ(both.name, combinationName);
  EXPECT_EQ(both.what, "opt-level = \"z\" for sha2, sha1");
  EXPECT_EQ(both.cargoArgs.size(), 4u);
  EXPECT_EQ(cargoTomlLines({"sha2", "regex-syntax"}),
            "[profile.release.package.sha2]\nopt-level = \"z\"\n\n"
            "[profile.release.package.regex-syntax]\nopt-level = \"z\"\n");
  EXPECT_EQ(cargoTomlLines({}), "");
}

TEST(PerCrate, UntimedTakesEveryCrateThatShrinksBiggestFirst) {
  PerCrateCandidate failed;
  failed.package = "broken";
  PerCrateChoice c = choosePerCrate(
      {untimed("crc32fast", -1984), untimed("sha1", 240), untimed("sha2", 3664),
       untimed("md-5", 0), failed},
      0);
  EXPECT_EQ(c.chosen, (std::vector<std::string>{"sha2", "sha1"}));
  EXPECT_EQ(decision(c, "crc32fast").reason, PerCrateReason::NoSaving);
  EXPECT_EQ(decision(c, "md-5").reason, PerCrateReason::NoSaving);
  EXPECT_EQ(decision(c, "broken").reason, PerCrateReason::NotMeasured);
  EXPECT_EQ(decision(c, "sha2").reason, PerCrateReason::Untimed);
  ASSERT_EQ(c.decisions.size(), 5u); // in the candidates' order
  EXPECT_EQ(c.decisions[0].package, "crc32fast");
}

TEST(PerCrate, TimedNoiseIsFreeSlowdownsNeedABudget) {
  std::vector<PerCrateCandidate> cs = {
      timed("hot", 10000, 0.050, RunChange::Slower),     // 200 kB/s
      timed("warm", 4000, 0.010, RunChange::Slower),     // 400 kB/s
      timed("cold", 1000, 0.004, RunChange::NoMeasurableChange),
      timed("quick", 500, -0.020, RunChange::Faster),
      timed("grows", -800, 0.0, RunChange::NoMeasurableChange),
  };
  // No budget: only what does not slow the program measurably.
  PerCrateChoice none = choosePerCrate(cs, 0);
  EXPECT_EQ(none.chosen, (std::vector<std::string>{"cold", "quick"}));
  EXPECT_EQ(decision(none, "hot").reason, PerCrateReason::OverBudget);
  EXPECT_EQ(decision(none, "cold").cost, 0.0); // its 4 ms are noise
  EXPECT_EQ(decision(none, "cold").reason, PerCrateReason::NoSlowdown);
  // 20 ms: the best bytes per second first (warm), then hot does not fit.
  PerCrateChoice some = choosePerCrate(cs, 0.020);
  EXPECT_EQ(some.chosen, (std::vector<std::string>{"cold", "quick", "warm"}));
  EXPECT_EQ(decision(some, "warm").reason, PerCrateReason::WithinBudget);
  EXPECT_EQ(decision(some, "hot").reason, PerCrateReason::OverBudget);
  // Enough for both, in order of bytes per second.
  PerCrateChoice all = choosePerCrate(cs, 0.065);
  EXPECT_EQ(all.chosen, (std::vector<std::string>{"cold", "quick", "warm", "hot"}));
  EXPECT_EQ(decision(all, "grows").reason, PerCrateReason::NoSaving);
}

TEST(PerCrate, BudgetSkipsWhatDoesNotFitAndTakesWhatStillDoes) {
  // Greedy by ratio, but a costly crate that does not fit does not stop a
  // cheaper one behind it.
  std::vector<PerCrateCandidate> cs = {
      timed("big", 90000, 0.030, RunChange::Slower),   // 3 MB/s
      timed("small", 2000, 0.005, RunChange::Slower),  // 400 kB/s
  };
  PerCrateChoice c = choosePerCrate(cs, 0.010);
  EXPECT_EQ(c.chosen, (std::vector<std::string>{"small"}));
  // Fewer than 3 runs: the noise is unknown, any slowdown counts.
  PerCrateChoice few = choosePerCrate({timed("x", 100, 0.001, RunChange::TooFewRuns)}, 0);
  EXPECT_TRUE(few.chosen.empty());
  EXPECT_EQ(decision(few, "x").reason, PerCrateReason::OverBudget);
}
