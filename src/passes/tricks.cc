#include "passes/tricks.h"
#include "support/diagnostics.h"

#include "llvm/ADT/StringExtras.h"

#include <algorithm>

namespace slimlink {

static std::string prof(const char *key) {
  return std::string("CARGO_PROFILE_RELEASE_") + key;
}

std::vector<Trick> allTricks(bool nightly) {
  std::vector<Trick> t = {
      {"baseline", "cargo build --release", {}, ""},
      {"strip-debuginfo", "strip = \"debuginfo\"", {{prof("STRIP"), "debuginfo"}}, ""},
      {"strip-symbols", "strip = \"symbols\"", {{prof("STRIP"), "symbols"}}, ""},
      {"debug-0", "debug = 0", {{prof("DEBUG"), "0"}}, ""},
      {"opt-s", "opt-level = \"s\"", {{prof("OPT_LEVEL"), "s"}}, ""},
      {"opt-z", "opt-level = \"z\"", {{prof("OPT_LEVEL"), "z"}}, ""},
      {"lto-thin", "lto = \"thin\"", {{prof("LTO"), "thin"}}, ""},
      {"lto-fat", "lto = \"fat\"", {{prof("LTO"), "fat"}}, ""},
      {"cgu-1", "codegen-units = 1", {{prof("CODEGEN_UNITS"), "1"}}, ""},
      {"panic-abort", "panic = \"abort\"", {{prof("PANIC"), "abort"}}, ""},
      {"all-in",
       "strip = \"symbols\", opt-level = \"z\", lto = \"fat\", "
       "codegen-units = 1, panic = \"abort\"",
       {{prof("STRIP"), "symbols"},
        {prof("OPT_LEVEL"), "z"},
        {prof("LTO"), "fat"},
        {prof("CODEGEN_UNITS"), "1"},
        {prof("PANIC"), "abort"}},
       ""},
  };
  std::string stable = "needs a nightly toolchain; this rustc is stable";
  std::string why = nightly ? "" : stable;
  t.push_back({"build-std", "-Zbuild-std=std,panic_abort (with opt-level = \"z\")",
               {{"CARGO_UNSTABLE_BUILD_STD", "std,panic_abort"}}, why});
  t.push_back({"location-detail-none", "-Zlocation-detail=none",
               {{"RUSTFLAGS", "-Zlocation-detail=none"}}, why});
  t.push_back({"panic-immediate-abort", "panic = \"immediate-abort\"",
               {{prof("PANIC"), "immediate-abort"}}, why});
  return t;
}

std::vector<Trick> selectTricks(const std::vector<Trick> &all,
                                const std::string &list) {
  if (list.empty())
    return all;
  std::vector<Trick> out = {all.front()};
  llvm::SmallVector<llvm::StringRef> names;
  llvm::StringRef(list).split(names, ',', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef n : names) {
    n = n.trim();
    auto it = std::find_if(all.begin(), all.end(),
                           [&](const Trick &t) { return t.name == n; });
    if (it == all.end()) {
      std::string known;
      for (const Trick &t : all)
        known += (known.empty() ? "" : ", ") + t.name;
      throw UserError("--tricks: unknown trick '" + n.str() + "' (known: " +
                      known + ")");
    }
    if (it != all.begin())
      out.push_back(*it);
  }
  return out;
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
