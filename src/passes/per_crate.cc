#include "passes/per_crate.h"

#include <algorithm>
#include <limits>

namespace slimlink {

static std::string crateKey(std::string name) {
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

std::vector<CrateWeight>
heaviestDependencies(const std::vector<SizeRow> &crateRows,
                     const std::map<std::string, std::string> &packageOfCrate,
                     const std::set<std::string> &own, size_t n) {
  std::map<std::string, std::string> byKey; // lib names use '_', rows too
  for (const auto &[crate, package] : packageOfCrate)
    byKey.emplace(crateKey(crate), package);
  std::vector<CrateWeight> out;
  for (const SizeRow &r : crateRows) {
    auto it = byKey.find(crateKey(r.name));
    if (it == byKey.end() || own.count(it->second) || r.file == 0)
      continue;
    // Two rows of one package (a crate renamed, two versions): one build.
    auto same = std::find_if(out.begin(), out.end(), [&](const CrateWeight &w) {
      return w.package == it->second;
    });
    if (same != out.end())
      same->bytes += r.file;
    else
      out.push_back({r.name, it->second, r.file});
  }
  std::sort(out.begin(), out.end(), [](const CrateWeight &a, const CrateWeight &b) {
    return a.bytes != b.bytes ? a.bytes > b.bytes : a.package < b.package;
  });
  if (out.size() > n)
    out.resize(n);
  return out;
}

std::string perCrateConfig(const std::string &package) {
  // Package names are [A-Za-z0-9_-]: a bare TOML key.
  return "profile.release.package." + package + ".opt-level=\"z\"";
}

Trick perCrateTrick(const std::string &package, const std::string &toolchain) {
  Trick t = perCrateCombination({package}, toolchain);
  t.name = "opt-z:" + package;
  return t;
}

Trick perCrateCombination(const std::vector<std::string> &packages,
                          const std::string &toolchain) {
  Trick t;
  t.name = combinationName;
  t.what = "opt-level = \"z\" for ";
  for (size_t k = 0; k < packages.size(); ++k) {
    t.what += (k ? ", " : "") + packages[k];
    t.cargoArgs.push_back("--config");
    t.cargoArgs.push_back(perCrateConfig(packages[k]));
  }
  t.toolchain = toolchain;
  t.baseline = "baseline";
  return t;
}

std::string cargoTomlLines(const std::vector<std::string> &packages) {
  std::string s;
  for (const std::string &p : packages)
    s += (s.empty() ? "" : "\n") + std::string("[profile.release.package.") + p +
         "]\nopt-level = \"z\"\n";
  return s;
}

const char *perCrateReasonText(PerCrateReason r) {
  switch (r) {
  case PerCrateReason::NotMeasured: return "not measured (did not build or run)";
  case PerCrateReason::NoSaving: return "no smaller";
  case PerCrateReason::Untimed: return "smaller (speed not measured)";
  case PerCrateReason::NoSlowdown: return "smaller, no measurable slowdown";
  case PerCrateReason::WithinBudget: return "smaller, slower within the budget";
  case PerCrateReason::OverBudget: return "smaller, but slower beyond the budget";
  }
  return "";
}

PerCrateChoice choosePerCrate(const std::vector<PerCrateCandidate> &cands,
                              double budgetSeconds) {
  PerCrateChoice out;
  for (const PerCrateCandidate &c : cands)
    out.decisions.push_back({c.package});
  // What each shrinking crate costs: nothing untimed or inside the noise.
  std::vector<size_t> order;
  for (size_t k = 0; k < cands.size(); ++k) {
    const PerCrateCandidate &c = cands[k];
    PerCrateDecision &d = out.decisions[k];
    if (!c.measured) {
      d.reason = PerCrateReason::NotMeasured;
      continue;
    }
    if (c.saving <= 0) {
      d.reason = PerCrateReason::NoSaving;
      continue;
    }
    bool noise = c.change == RunChange::NoMeasurableChange ||
                 c.change == RunChange::Faster;
    d.cost = c.timed && !noise ? std::max(0.0, c.slowdown) : 0;
    order.push_back(k);
  }
  // Best bytes per second first (free ones ahead of all), then the bigger
  // saving, then the name: the same measurements, the same choice.
  auto ratio = [&](size_t k) {
    double cost = out.decisions[k].cost;
    return cost > 0 ? double(cands[k].saving) / cost
                    : std::numeric_limits<double>::infinity();
  };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (ratio(a) != ratio(b))
      return ratio(a) > ratio(b);
    if (cands[a].saving != cands[b].saving)
      return cands[a].saving > cands[b].saving;
    return cands[a].package < cands[b].package;
  });
  double spent = 0;
  for (size_t k : order) {
    PerCrateDecision &d = out.decisions[k];
    if (d.cost == 0) {
      d.reason = cands[k].timed ? PerCrateReason::NoSlowdown : PerCrateReason::Untimed;
    } else if (spent + d.cost <= budgetSeconds) {
      d.reason = PerCrateReason::WithinBudget;
      spent += d.cost;
    } else {
      d.reason = PerCrateReason::OverBudget;
      continue;
    }
    d.chosen = true;
    out.chosen.push_back(d.package);
  }
  return out;
}

} // namespace slimlink
