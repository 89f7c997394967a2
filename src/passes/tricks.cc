#include "passes/tricks.h"
#include "support/diagnostics.h"

#include "llvm/ADT/StringExtras.h"

#include <algorithm>
#include <cmath>

namespace slimlink {

static std::string prof(const char *key) {
  return std::string("CARGO_PROFILE_RELEASE_") + key;
}

std::vector<Trick> allTricks(const Toolchains &tc) {
  std::string base = "baseline", stable = tc.defaultName;
  std::vector<Trick> t = {
      {"baseline", "cargo build --release", {}, "", stable, ""},
      {"strip-debuginfo", "strip = \"debuginfo\"", {{prof("STRIP"), "debuginfo"}}, "", stable, base},
      {"strip-symbols", "strip = \"symbols\"", {{prof("STRIP"), "symbols"}}, "", stable, base},
      {"debug-0", "debug = 0", {{prof("DEBUG"), "0"}}, "", stable, base},
      {"opt-s", "opt-level = \"s\"", {{prof("OPT_LEVEL"), "s"}}, "", stable, base},
      {"opt-z", "opt-level = \"z\"", {{prof("OPT_LEVEL"), "z"}}, "", stable, base},
      {"lto-thin", "lto = \"thin\"", {{prof("LTO"), "thin"}}, "", stable, base},
      {"lto-fat", "lto = \"fat\"", {{prof("LTO"), "fat"}}, "", stable, base},
      {"cgu-1", "codegen-units = 1", {{prof("CODEGEN_UNITS"), "1"}}, "", stable, base},
      {"panic-abort", "panic = \"abort\"", {{prof("PANIC"), "abort"}}, "", stable, base},
      {"all-in",
       "strip = \"symbols\", opt-level = \"z\", lto = \"fat\", "
       "codegen-units = 1, panic = \"abort\"",
       {{prof("STRIP"), "symbols"},
        {prof("OPT_LEVEL"), "z"},
        {prof("LTO"), "fat"},
        {prof("CODEGEN_UNITS"), "1"},
        {prof("PANIC"), "abort"}},
       "", stable, base},
  };
  // Nightly tricks are built by the nightly (RUSTUP_TOOLCHAIN, so the
  // crate's files stay untouched) and compared with the nightly's own
  // release build: a toolchain change is not a trick's doing.
  bool defaultIsNightly = tc.noNightly.empty() && tc.nightly.empty();
  std::string label = defaultIsNightly ? stable : tc.nightly;
  std::vector<std::pair<std::string, std::string>> env;
  if (!tc.nightly.empty())
    env.push_back({"RUSTUP_TOOLCHAIN", tc.nightly});
  auto nightly = [&](std::string name, std::string what,
                     std::vector<std::pair<std::string, std::string>> more,
                     bool buildStd = false) {
    Trick n{std::move(name), std::move(what), env, tc.noNightly, label,
            defaultIsNightly ? base : "baseline-nightly", buildStd};
    n.env.insert(n.env.end(), more.begin(), more.end());
    if (buildStd && n.unavailable.empty() && !tc.rustSrc)
      n.unavailable = label + " has no rust-src component: rustup component add "
                              "rust-src" +
                      (tc.nightly.empty() ? "" : " --toolchain " + tc.nightly);
    t.push_back(std::move(n));
  };
  if (!defaultIsNightly) {
    nightly("baseline-nightly",
            "cargo +" + (tc.nightly.empty() ? std::string("nightly") : tc.nightly) +
                " build --release",
            {});
    t.back().baseline = base; // what the toolchain alone changes
  }
  nightly("location-detail-none", "-Zlocation-detail=none",
          {{"RUSTFLAGS", "-Zlocation-detail=none"}});
  nightly("fmt-debug-none", "-Zfmt-debug=none", {{"RUSTFLAGS", "-Zfmt-debug=none"}});
  nightly("share-generics", "-Zshare-generics=y", {{"RUSTFLAGS", "-Zshare-generics=y"}});
  nightly("build-std",
          "-Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size, "
          "opt-level = \"z\", panic = \"abort\"",
          {{"CARGO_UNSTABLE_BUILD_STD", "std,panic_abort"},
           {"CARGO_UNSTABLE_BUILD_STD_FEATURES", "optimize_for_size"},
           {prof("OPT_LEVEL"), "z"},
           {prof("PANIC"), "abort"}},
          true);
  nightly("panic-immediate-abort",
          "-Zbuild-std=std,panic_abort, -Cpanic=immediate-abort",
          {{"CARGO_UNSTABLE_BUILD_STD", "std,panic_abort"},
           {"RUSTFLAGS", "-Zunstable-options -Cpanic=immediate-abort"}},
          true);
  return t;
}

std::vector<Trick> selectTricks(const std::vector<Trick> &all,
                                const std::string &list) {
  if (list.empty() || llvm::StringRef(list).trim() == "all")
    return all;
  std::vector<const Trick *> named = {&all.front()};
  llvm::SmallVector<llvm::StringRef> names;
  llvm::StringRef(list).split(names, ',', -1, /*KeepEmpty=*/false);
  auto find = [&](llvm::StringRef n) {
    return std::find_if(all.begin(), all.end(),
                        [&](const Trick &t) { return t.name == n; });
  };
  for (llvm::StringRef n : names) {
    n = n.trim();
    auto it = find(n);
    if (it == all.end()) {
      std::string known;
      for (const Trick &t : all)
        known += (known.empty() ? "" : ", ") + t.name;
      throw UserError("--tricks: unknown trick '" + n.str() + "' (known: " +
                      known + ")");
    }
    if (!llvm::is_contained(named, &*it))
      named.push_back(&*it);
  }
  // Each trick that runs needs its baseline, built before it.
  std::vector<Trick> out;
  auto add = [&](const Trick *t, auto &self) -> void {
    if (std::any_of(out.begin(), out.end(), [&](const Trick &o) { return o.name == t->name; }))
      return;
    if (t->unavailable.empty() && !t->baseline.empty())
      self(&*find(t->baseline), self);
    out.push_back(*t);
  };
  for (const Trick *t : named)
    add(t, add);
  return out;
}

std::string pickNightly(llvm::StringRef list, const std::string &wanted,
                        const std::string &host, std::string &why) {
  llvm::SmallVector<llvm::StringRef> lines;
  list.split(lines, '\n', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef line : lines) {
    // "nightly-x86_64-unknown-linux-gnu (active, default)"
    llvm::StringRef name = line.trim().split(' ').first;
    llvm::StringRef shortName = name;
    if (!host.empty() && name.ends_with("-" + host))
      shortName = name.drop_back(host.size() + 1);
    if (wanted.empty() ? shortName.starts_with("nightly")
                       : (name == wanted || shortName == wanted))
      return shortName.str();
  }
  why = wanted.empty()
            ? "no nightly toolchain (rustup toolchain install nightly, or name "
              "one with --toolchain)"
            : "toolchain '" + wanted + "' is not installed (rustup toolchain list)";
  return "";
}

std::string rustcChannel(llvm::StringRef version) {
  llvm::StringRef number = version.split(' ').second.split(' ').first;
  for (const char *c : {"nightly", "beta", "dev"})
    if (number.contains(c))
      return c;
  return "stable";
}

double Samples::median() const {
  if (seconds.empty())
    return 0;
  std::vector<double> s = seconds;
  std::sort(s.begin(), s.end());
  size_t n = s.size();
  return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

double Samples::spread() const {
  if (seconds.empty())
    return 0;
  auto [lo, hi] = std::minmax_element(seconds.begin(), seconds.end());
  return (*hi - *lo) / 2;
}

RunChange compareRuns(const Samples &base, const Samples &v) {
  if (base.seconds.size() < 3 || v.seconds.size() < 3)
    return RunChange::TooFewRuns;
  double moved = v.median() - base.median();
  if (std::abs(moved) <= std::max(base.spread(), v.spread()))
    return RunChange::NoMeasurableChange;
  return moved < 0 ? RunChange::Faster : RunChange::Slower;
}

const char *runChangeText(RunChange c) {
  switch (c) {
  case RunChange::TooFewRuns: return "too few runs to tell (need 3)";
  case RunChange::NoMeasurableChange: return "no measurable change";
  case RunChange::Faster: return "faster";
  case RunChange::Slower: return "slower";
  }
  return "";
}

void markPareto(std::vector<VariantResult> &vs, bool useRunTime) {
  auto timeOf = [&](const VariantResult &v) {
    return useRunTime ? v.runs.median() : v.buildSeconds;
  };
  auto usable = [&](const VariantResult &v) {
    return v.built && (!useRunTime || (v.runError.empty() && !v.runs.seconds.empty()));
  };
  for (VariantResult &v : vs) {
    v.pareto = usable(v);
    for (const VariantResult &o : vs)
      if (&o != &v && usable(o) && v.pareto &&
          o.fileSize <= v.fileSize && timeOf(o) <= timeOf(v) &&
          (o.fileSize < v.fileSize || timeOf(o) < timeOf(v)))
        v.pareto = false;
  }
}

std::vector<SizeDiffRow> biggestChanges(const SizeResult &baseline,
                                        const SizeResult &variant, size_t n) {
  SizeDiff d = diffSizes(baseline, variant);
  std::vector<SizeDiffRow> out;
  for (size_t k = 0; k < d.rows.size(); ++k) {
    SizeDiffRow &r = d.rows[k];
    // The biggest changes, and every row a trick removes or adds whole:
    // those say what it does (panic = "abort" drops panic_unwind).
    bool whole = (r.oldFile == 0) != (r.newFile == 0);
    if (k < n || whole) {
      r.children.clear();
      out.push_back(std::move(r));
    }
  }
  return out;
}

} // namespace slimlink
