// tricks' pure half: which variants exist on which toolchain, what each is
// compared with, why one cannot run, and when a time difference is noise.
#include "passes/tricks.h"
#include "support/diagnostics.h"

#include <gtest/gtest.h>

using namespace slimlink;

namespace {

const Trick &named(const std::vector<Trick> &ts, const std::string &name) {
  for (const Trick &t : ts)
    if (t.name == name)
      return t;
  ADD_FAILURE() << "no trick " << name;
  return ts.front();
}

std::vector<std::string> names(const std::vector<Trick> &ts) {
  std::vector<std::string> out;
  for (const Trick &t : ts)
    out.push_back(t.name);
  return out;
}

std::string envOf(const Trick &t, const std::string &key) {
  for (const auto &[k, v] : t.env)
    if (k == key)
      return v;
  return "";
}

Toolchains stableWithNightly(bool rustSrc) {
  Toolchains tc;
  tc.defaultVersion = "rustc 1.95.0 (59807616e 2026-04-14)";
  tc.nightly = "nightly";
  tc.nightlyVersion = "rustc 1.97.0-nightly (e50aa6fba 2026-05-19)";
  tc.rustSrc = rustSrc;
  return tc;
}

Samples samples(std::vector<double> s) { return Samples{std::move(s)}; }

} // namespace

TEST(Tricks, NightlyTricksUseTheNightlyAndItsBaseline) {
  std::vector<Trick> all = allTricks(stableWithNightly(/*rustSrc=*/false));
  const Trick &loc = named(all, "location-detail-none");
  EXPECT_EQ(loc.unavailable, "");
  EXPECT_EQ(loc.toolchain, "nightly");
  EXPECT_EQ(loc.baseline, "baseline-nightly");
  EXPECT_EQ(envOf(loc, "RUSTUP_TOOLCHAIN"), "nightly");
  EXPECT_EQ(envOf(loc, "RUSTFLAGS"), "-Zlocation-detail=none");
  EXPECT_EQ(envOf(named(all, "fmt-debug-none"), "RUSTFLAGS"), "-Zfmt-debug=none");
  EXPECT_EQ(envOf(named(all, "share-generics"), "RUSTFLAGS"), "-Zshare-generics=y");
  const Trick &nb = named(all, "baseline-nightly");
  EXPECT_EQ(envOf(nb, "RUSTUP_TOOLCHAIN"), "nightly");
  EXPECT_EQ(nb.baseline, "baseline"); // what the toolchain alone changes
  // Stable tricks stay on the default toolchain, against the baseline.
  const Trick &z = named(all, "opt-z");
  EXPECT_EQ(z.toolchain, "stable");
  EXPECT_EQ(z.baseline, "baseline");
  EXPECT_EQ(envOf(z, "RUSTUP_TOOLCHAIN"), "");
  EXPECT_EQ(named(all, "baseline").baseline, "");
}

TEST(Tricks, BuildStdNeedsRustSrc) {
  std::vector<Trick> all = allTricks(stableWithNightly(/*rustSrc=*/false));
  for (const char *n : {"build-std", "panic-immediate-abort"}) {
    EXPECT_TRUE(named(all, n).buildStd) << n;
    EXPECT_EQ(named(all, n).unavailable,
              "nightly has no rust-src component: rustup component add rust-src "
              "--toolchain nightly")
        << n;
  }
  EXPECT_EQ(envOf(named(all, "panic-immediate-abort"), "RUSTFLAGS"),
            "-Zunstable-options -Cpanic=immediate-abort");
  all = allTricks(stableWithNightly(/*rustSrc=*/true));
  EXPECT_EQ(named(all, "build-std").unavailable, "");
  EXPECT_EQ(envOf(named(all, "build-std"), "CARGO_UNSTABLE_BUILD_STD"), "std,panic_abort");
}

TEST(Tricks, NoNightlyMeansNotRunWithTheReason) {
  Toolchains tc;
  tc.defaultVersion = "rustc 1.95.0 (59807616e 2026-04-14)";
  tc.noNightly = "no nightly toolchain (rustup toolchain install nightly, or "
                 "name one with --toolchain)";
  std::vector<Trick> all = allTricks(tc);
  for (const char *n : {"baseline-nightly", "location-detail-none", "fmt-debug-none",
                        "share-generics", "build-std", "panic-immediate-abort"})
    EXPECT_EQ(named(all, n).unavailable, tc.noNightly) << n;
  EXPECT_EQ(named(all, "opt-z").unavailable, "");
  // An unavailable trick pulls in no baseline of its own.
  EXPECT_EQ(names(selectTricks(all, "share-generics")),
            (std::vector<std::string>{"baseline", "share-generics"}));
}

TEST(Tricks, DefaultNightlyIsItsOwnBaseline) {
  Toolchains tc;
  tc.defaultName = "nightly";
  tc.defaultVersion = tc.nightlyVersion = "rustc 1.97.0-nightly (e50aa6fba 2026-05-19)";
  std::vector<Trick> all = allTricks(tc);
  std::vector<std::string> n = names(all);
  EXPECT_EQ(std::count(n.begin(), n.end(), "baseline-nightly"), 0);
  const Trick &loc = named(all, "location-detail-none");
  EXPECT_EQ(loc.baseline, "baseline");
  EXPECT_EQ(loc.toolchain, "nightly");
  EXPECT_EQ(envOf(loc, "RUSTUP_TOOLCHAIN"), "");
  EXPECT_EQ(named(all, "build-std").unavailable,
            "nightly has no rust-src component: rustup component add rust-src");
}

TEST(Tricks, SelectionBringsEachBaselineFirst) {
  std::vector<Trick> all = allTricks(stableWithNightly(/*rustSrc=*/false));
  EXPECT_EQ(names(selectTricks(all, "opt-z, location-detail-none,fmt-debug-none,build-std")),
            (std::vector<std::string>{"baseline", "opt-z", "baseline-nightly",
                                      "location-detail-none", "fmt-debug-none",
                                      "build-std"}));
  EXPECT_EQ(names(selectTricks(all, "opt-z,opt-z")),
            (std::vector<std::string>{"baseline", "opt-z"}));
  std::vector<Trick> every = selectTricks(all, "");
  EXPECT_EQ(every.size(), all.size());
  // "all" says the same where the default is less (--per-crate).
  EXPECT_EQ(names(selectTricks(all, "all")), names(every));
  EXPECT_THROW(selectTricks(all, "no-such"), UserError);
}

TEST(Tricks, PickNightlyFromRustupList) {
  const char *list = "stable-x86_64-unknown-linux-gnu (active, default)\n"
                     "nightly-x86_64-unknown-linux-gnu\n"
                     "nightly-2026-01-02-x86_64-unknown-linux-gnu\n"
                     "mine\n";
  const std::string host = "x86_64-unknown-linux-gnu";
  std::string why;
  EXPECT_EQ(pickNightly(list, "", host, why), "nightly");
  EXPECT_EQ(pickNightly(list, "nightly-2026-01-02", host, why), "nightly-2026-01-02");
  EXPECT_EQ(pickNightly(list, "nightly-2026-01-02-x86_64-unknown-linux-gnu", host, why),
            "nightly-2026-01-02");
  EXPECT_EQ(pickNightly(list, "mine", host, why), "mine");
  EXPECT_EQ(why, "");
  EXPECT_EQ(pickNightly(list, "no-such", host, why), "");
  EXPECT_EQ(why, "toolchain 'no-such' is not installed (rustup toolchain list)");
  why.clear();
  EXPECT_EQ(pickNightly("stable-x86_64-unknown-linux-gnu (default)\n", "", host, why), "");
  EXPECT_NE(why.find("no nightly toolchain"), std::string::npos) << why;
}

TEST(Tricks, RustcChannel) {
  EXPECT_EQ(rustcChannel("rustc 1.95.0 (59807616e 2026-04-14)"), "stable");
  EXPECT_EQ(rustcChannel("rustc 1.97.0-nightly (e50aa6fba 2026-05-19)"), "nightly");
  EXPECT_EQ(rustcChannel("rustc 1.96.0-beta.3 (abc 2026-05-01)"), "beta");
  EXPECT_EQ(rustcChannel("rustc 1.98.0-dev"), "dev");
}

TEST(Tricks, TimeDifferenceInsideTheNoiseIsNoChange) {
  // Baseline 1.00 s ± 0.05; a variant 3% slower but with runs as scattered.
  Samples base = samples({0.95, 1.00, 1.05, 0.98, 1.02});
  EXPECT_EQ(compareRuns(base, samples({0.99, 1.03, 1.08, 1.01, 1.05})),
            RunChange::NoMeasurableChange);
  // The variant's own spread counts too: tight baseline, noisy variant.
  Samples tight = samples({1.000, 1.001, 0.999});
  EXPECT_EQ(compareRuns(tight, samples({0.90, 1.05, 1.30})),
            RunChange::NoMeasurableChange);
  // 20% slower, far outside either spread; and 20% faster.
  EXPECT_EQ(compareRuns(base, samples({1.19, 1.20, 1.21})), RunChange::Slower);
  EXPECT_EQ(compareRuns(base, samples({0.79, 0.80, 0.81})), RunChange::Faster);
  // Right at the edge: moved exactly the larger half range is still noise.
  // (Binary fractions, so that the edge is exact.)
  EXPECT_EQ(compareRuns(samples({1.0, 1.0, 1.0}), samples({1.0, 1.25, 1.5})),
            RunChange::NoMeasurableChange);
  EXPECT_EQ(compareRuns(samples({1.0, 1.0, 1.0}), samples({1.125, 1.25, 1.375})),
            RunChange::Slower);
  // Two runs tell nothing about the noise.
  EXPECT_EQ(compareRuns(samples({1.0, 1.0}), samples({2.0, 2.0, 2.0})),
            RunChange::TooFewRuns);
  EXPECT_STREQ(runChangeText(RunChange::NoMeasurableChange), "no measurable change");
}
