#include "report/tricks_report.h"
#include "report/json_header.h"
#include "report/table.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"

#include <algorithm>

namespace slimlink {

static std::string fmt(const char *f, double x) {
  std::string s;
  llvm::raw_string_ostream(s) << llvm::format(f, x);
  return s;
}

static std::string signedBytes(int64_t d) {
  return (d < 0 ? "-" : "+") + humanBytes(d < 0 ? -d : d);
}

// What `v` is compared with: the release build of its own toolchain (a
// baseline, with itself), if that built.
static const VariantResult *baselineOf(const TricksReport &r, const VariantResult &v) {
  if (v.trick->baseline.empty())
    return v.built ? &v : nullptr;
  for (const VariantResult &b : r.variants)
    if (b.trick->name == v.trick->baseline)
      return b.built ? &b : nullptr;
  return nullptr;
}

static std::string changePercent(double value, double base) {
  if (base <= 0)
    return "";
  return fmt("%+.1f%%", 100.0 * (value - base) / base);
}

static bool timed(const TricksReport &r) { return !r.runCommand.empty() && !r.lib; }

// The run time against the baseline's, and whether the noise hides it.
static std::string runVsBase(const VariantResult *base, const VariantResult &v) {
  if (!base || !base->runError.empty())
    return "";
  std::string pct = changePercent(v.runs.median(), base->runs.median());
  if (base == &v)
    return pct;
  switch (RunChange c = compareRuns(base->runs, v.runs)) {
  case RunChange::NoMeasurableChange:
    return std::string(runChangeText(c)) + " (" + pct + ")";
  case RunChange::TooFewRuns:
    return pct + " (" + runChangeText(c) + ")";
  default:
    return pct;
  }
}

static bool comparedWithNightly(const TricksReport &r) {
  return std::any_of(r.variants.begin(), r.variants.end(), [](const VariantResult &v) {
    return v.trick->baseline == "baseline-nightly";
  });
}

static std::string toolchainsLine(const TricksReport &r) {
  std::string s;
  for (const auto &[name, version] : r.toolchains)
    s += (s.empty() ? "" : "; ") + name + " = " + version;
  return s;
}

// Built variants by file size, then the ones that failed.
static std::vector<const VariantResult *> bySize(const TricksReport &r) {
  std::vector<const VariantResult *> out;
  for (const VariantResult &v : r.variants)
    out.push_back(&v);
  std::stable_sort(out.begin(), out.end(), [](auto *a, auto *b) {
    if (a->built != b->built)
      return a->built;
    return a->fileSize < b->fileSize;
  });
  return out;
}

static std::string changesText(const VariantResult &v) {
  std::string s = v.cratesUnknown ? "no symbols: crates unknown" : "";
  for (const SizeDiffRow &c : v.changes) {
    if (c.dFile() == 0 ||
        (!v.cratesUnknown && llvm::StringRef(c.name).starts_with(".")))
      continue; // sections repeat what the crate rows say; JSON has both
    if (!s.empty())
      s += ", ";
    s += signedBytes(c.dFile()) + " " + c.name;
    if (s.size() > 70)
      break;
  }
  return s;
}

// --per-crate: one row per dependency tried, in the order tried (heaviest
// first): its bytes in the baseline, what "z" alone saved, the screening
// runs' verdict, and whether the set took it.
struct PerCrateRow {
  std::string package, bytes, saving, run, decision;
  bool chosen = false;
};

static std::vector<PerCrateRow> perCrateRows(const TricksReport &r) {
  const PerCrateReport &pc = r.perCrate;
  std::vector<PerCrateRow> out;
  for (size_t k = 0; k < pc.weights.size() && k < pc.candidates.size(); ++k) {
    const PerCrateCandidate &c = pc.candidates[k];
    PerCrateRow row;
    row.package = c.package;
    row.bytes = humanBytes(pc.weights[k].bytes);
    if (c.measured)
      row.saving = c.saving >= 0 ? "-" + humanBytes(c.saving) : "+" + humanBytes(-c.saving);
    if (c.timed)
      row.run = (pc.screeningBaseline > 0
                     ? fmt("%+.1f%%", 100 * c.slowdown / pc.screeningBaseline)
                     : fmt("%+.3f s", c.slowdown)) +
                " (" +
                (c.change == RunChange::TooFewRuns ? "too few runs"
                                                   : runChangeText(c.change)) +
                ")";
    if (k < pc.choice.decisions.size()) {
      row.chosen = pc.choice.decisions[k].chosen;
      row.decision = std::string(row.chosen ? "yes: " : "no: ") +
                     perCrateReasonText(pc.choice.decisions[k].reason);
    }
    out.push_back(std::move(row));
  }
  return out;
}

static std::string perCrateHeading(const TricksReport &r) {
  const PerCrateReport &pc = r.perCrate;
  std::string s = "per-crate opt-level = \"z\": the " + std::to_string(pc.weights.size()) +
                  " heaviest dependencies (of at most " + std::to_string(pc.top) +
                  "), each alone against the baseline";
  if (pc.timed)
    s += "; run times from the screening session, slowdown budget " +
         fmt("%g", pc.maxSlowdownPct) + "% of the baseline's";
  return s;
}

static std::string perCrateOutcome(const TricksReport &r) {
  const PerCrateReport &pc = r.perCrate;
  if (pc.choice.chosen.empty())
    return "No set chosen: no dependency is smaller at opt-level = \"z\"" +
           std::string(pc.timed ? " without slowing the program beyond the budget" : "") +
           "; nothing to paste.";
  std::string s = "Chosen (" + std::string(combinationName) + "): ";
  for (size_t k = 0; k < pc.choice.chosen.size(); ++k)
    s += (k ? ", " : "") + pc.choice.chosen[k];
  return s + ". Paste into Cargo.toml:";
}

static void printPerCrate(const TricksReport &r, llvm::raw_ostream &os) {
  const PerCrateReport &pc = r.perCrate;
  if (!pc.requested || pc.weights.empty())
    return;
  os << "\n" << perCrateHeading(r) << ":\n\n";
  std::vector<std::string> head = {"package", ">in baseline", ">alone vs base"};
  if (pc.timed)
    head.push_back(">run vs base");
  head.push_back("chosen");
  Table t(head);
  for (const PerCrateRow &row : perCrateRows(r)) {
    std::vector<std::string> cells = {row.package, row.bytes, row.saving};
    if (pc.timed)
      cells.push_back(row.run);
    cells.push_back(row.decision);
    t.row(cells);
  }
  t.print(os);
  os << "\n" << perCrateOutcome(r) << "\n";
  if (!pc.cargoToml.empty())
    os << "\n" << pc.cargoToml;
}

void printTricksTable(const TricksReport &r, llvm::raw_ostream &os) {
  os << r.crate << ": " << (r.lib ? "staticlib " : "binary ") << r.artifact
     << "\n";
  if (!r.toolchains.empty())
    os << "toolchains: " << toolchainsLine(r) << "\n";
  os << "\n";
  std::vector<std::string> head = {"trick", "toolchain", ">file", ">vs base", ">VM"};
  if (r.lib)
    head.push_back(">host (gc)");
  head.push_back(">build s");
  if (timed(r)) {
    head.push_back(">run CPU s (median ± half range)");
    head.push_back(">vs base");
  }
  head.push_back("front");
  head.push_back("biggest changes");
  Table t(head);
  for (const VariantResult *v : bySize(r)) {
    const VariantResult *base = baselineOf(r, *v);
    std::vector<std::string> row = {v->trick->name, v->trick->toolchain};
    if (!v->built) {
      row.push_back("failed");
      t.row(row);
      continue;
    }
    row.push_back(humanBytes(v->fileSize));
    row.push_back(base ? changePercent(v->fileSize, base->fileSize) : "");
    row.push_back(humanBytes(v->vmSize));
    if (r.lib)
      row.push_back(v->hostSize ? humanBytes(v->hostSize) : "link failed");
    row.push_back(fmt("%.1f", v->buildSeconds));
    if (timed(r)) {
      if (!v->runError.empty()) {
        row.push_back("run failed: " + v->runError);
        row.push_back("");
      } else {
        row.push_back(fmt("%.3f", v->runs.median()) + " ± " +
                      fmt("%.3f", v->runs.spread()));
        row.push_back(runVsBase(base, *v));
      }
    }
    row.push_back(v->pareto ? "*" : "");
    row.push_back(changesText(*v));
    t.row(row);
  }
  t.print(os);
  os << "\n* = on the size/" << (timed(r) ? "run-time" : "build-time")
     << " Pareto front: no other variant is both smaller and faster.\n";
  if (comparedWithNightly(r))
    os << "Nightly tricks are compared with baseline-nightly, the nightly's "
          "release build.\n";
  for (const VariantResult &v : r.variants)
    if (!v.built)
      os << "\nfailed: " << v.trick->name << " (" << v.trick->what << "):\n"
         << v.error << "\n";
  for (const Trick &t : r.unavailable)
    os << "\nnot run: " << t.name << " (" << t.what << "): " << t.unavailable
       << "\n";
  printPerCrate(r, os);
  for (const std::string &n : r.notes)
    os << "\nnote: " << n << "\n";
}

void printTricksJson(const TricksReport &r, llvm::raw_ostream &os,
                     const std::vector<std::string> &outputs) {
  llvm::json::OStream j(os, 2);
  j.object([&] {
    jsonHeader(j, "tricks", {r.crate}, outputs);
    j.attribute("crate", r.crate);
    j.attribute("artifact", r.artifact);
    j.attribute("kind", r.lib ? "staticlib" : "bin");
    j.attribute("run", r.runCommand);
    j.attributeObject("toolchains", [&] {
      for (const auto &[name, version] : r.toolchains)
        j.attribute(name, version);
    });
    j.attributeArray("variants", [&] {
      for (const VariantResult &v : r.variants)
        j.object([&] {
          j.attribute("name", v.trick->name);
          j.attribute("what", v.trick->what);
          j.attribute("toolchain", v.trick->toolchain);
          j.attribute("baseline", v.trick->baseline);
          j.attribute("built", v.built);
          if (!v.built) {
            j.attribute("error", v.error);
            return;
          }
          j.attribute("file_size", int64_t(v.fileSize));
          j.attribute("vm_size", int64_t(v.vmSize));
          if (r.lib)
            j.attribute("host_size", int64_t(v.hostSize));
          j.attribute("build_seconds", v.buildSeconds);
          if (timed(r)) {
            j.attribute("run_error", v.runError);
            j.attribute("run_median", v.runs.median());
            j.attribute("run_spread", v.runs.spread());
            const VariantResult *base = baselineOf(r, v);
            j.attribute("run_change",
                        base && base != &v && base->runError.empty() && v.runError.empty()
                            ? runChangeText(compareRuns(base->runs, v.runs))
                            : "");
            j.attributeArray("run_samples", [&] {
              for (double s : v.runs.seconds)
                j.value(s);
            });
            j.attribute("wall_median", v.wall.median());
            j.attributeArray("wall_samples", [&] {
              for (double s : v.wall.seconds)
                j.value(s);
            });
          }
          j.attribute("pareto", v.pareto);
          j.attribute("crates_unknown", v.cratesUnknown);
          j.attributeArray("changes", [&] {
            for (const SizeDiffRow &c : v.changes)
              j.object([&] {
                j.attribute("name", c.name);
                j.attribute("old_file", c.oldFile);
                j.attribute("new_file", c.newFile);
                j.attribute("old_vm", c.oldVm);
                j.attribute("new_vm", c.newVm);
              });
          });
        });
    });
    if (r.perCrate.requested) {
      const PerCrateReport &pc = r.perCrate;
      j.attributeObject("per_crate", [&] {
        j.attribute("top", int64_t(pc.top));
        j.attribute("timed", pc.timed);
        j.attribute("max_slowdown_percent", pc.maxSlowdownPct);
        if (pc.timed)
          j.attribute("screening_baseline_median", pc.screeningBaseline);
        j.attributeArray("crates", [&] {
          for (size_t k = 0; k < pc.weights.size() && k < pc.candidates.size(); ++k)
            j.object([&] {
              const PerCrateCandidate &c = pc.candidates[k];
              j.attribute("package", c.package);
              j.attribute("crate", pc.weights[k].crate);
              j.attribute("variant", perCrateTrick(c.package, "").name);
              j.attribute("baseline_bytes", int64_t(pc.weights[k].bytes));
              j.attribute("measured", c.measured);
              j.attribute("saving", c.saving);
              if (c.timed) {
                j.attribute("screening_slowdown", c.slowdown);
                j.attribute("screening_change", runChangeText(c.change));
              }
              if (k < pc.choice.decisions.size()) {
                j.attribute("chosen", pc.choice.decisions[k].chosen);
                j.attribute("reason", perCrateReasonText(pc.choice.decisions[k].reason));
              }
            });
        });
        j.attributeArray("chosen", [&] {
          for (const std::string &p : pc.choice.chosen)
            j.value(p);
        });
        j.attribute("variant", pc.choice.chosen.empty() ? "" : combinationName);
        j.attribute("cargo_toml", pc.cargoToml);
      });
    }
    j.attributeArray("unavailable", [&] {
      for (const Trick &t : r.unavailable)
        j.object([&] {
          j.attribute("name", t.name);
          j.attribute("what", t.what);
          j.attribute("toolchain", t.toolchain);
          j.attribute("reason", t.unavailable);
        });
    });
  });
  os << "\n";
}

static std::string csvField(const std::string &s) {
  std::string out = "\"";
  for (char c : s)
    out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

void printTricksCsv(const TricksReport &r, llvm::raw_ostream &os) {
  os << "name,what,built,file_size,vm_size,host_size,build_seconds,"
        "run_median,run_spread,wall_median,run_error,pareto,toolchain,baseline,"
        "run_change\n";
  for (const VariantResult &v : r.variants) {
    const VariantResult *base = baselineOf(r, v);
    bool judged = timed(r) && base && base != &v && base->runError.empty() &&
                  v.runError.empty();
    os << v.trick->name << "," << csvField(v.trick->what) << ","
       << (v.built ? 1 : 0) << "," << v.fileSize << "," << v.vmSize << ","
       << v.hostSize << "," << fmt("%.3f", v.buildSeconds) << ","
       << fmt("%.6f", v.runs.median()) << "," << fmt("%.6f", v.runs.spread())
       << "," << fmt("%.6f", v.wall.median()) << "," << csvField(v.runError)
       << "," << (v.pareto ? 1 : 0) << "," << v.trick->toolchain << ","
       << v.trick->baseline << ","
       << csvField(judged ? runChangeText(compareRuns(base->runs, v.runs)) : "")
       << "\n";
  }
  for (const Trick &t : r.unavailable)
    os << t.name << "," << csvField(t.what) << ",0,0,0,0,0,0,0,0,"
       << csvField(t.unavailable) << ",0," << t.toolchain << "," << t.baseline
       << ",\"\"\n";
}

// Every change of a variant, for the page (the text table keeps 70 chars).
static std::string allChanges(const VariantResult &v) {
  std::string s = v.cratesUnknown ? "no symbols: crates unknown" : "";
  for (const SizeDiffRow &c : v.changes) {
    if (c.dFile() == 0 ||
        (!v.cratesUnknown && llvm::StringRef(c.name).starts_with(".")))
      continue;
    s += (s.empty() ? "" : ", ") + signedBytes(c.dFile()) + " " + c.name;
  }
  return s;
}

// --per-crate on the page: the crates tried, the choice, the lines to paste.
static std::string htmlPerCrate(const TricksReport &r) {
  const PerCrateReport &pc = r.perCrate;
  if (!pc.requested || pc.weights.empty())
    return "";
  std::string h = "<h2>Per-crate opt-level = \"z\"</h2><p>" +
                  escapeHtml(perCrateHeading(r)) +
                  ".</p><table id=\"per-crate\"><thead><tr><th>package</th>"
                  "<th>in baseline</th><th>alone vs base</th>";
  if (pc.timed)
    h += "<th>run vs base</th>";
  h += "<th>chosen</th></tr></thead><tbody>";
  for (const PerCrateRow &row : perCrateRows(r)) {
    h += "<tr data-package=\"" + escapeHtml(row.package) + "\"" +
         (row.chosen ? " class=\"chosen\"" : "") + "><td>" + escapeHtml(row.package) +
         "</td><td>" + escapeHtml(row.bytes) + "</td><td>" + escapeHtml(row.saving) +
         "</td>";
    if (pc.timed)
      h += "<td>" + escapeHtml(row.run) + "</td>";
    h += "<td>" + escapeHtml(row.decision) + "</td></tr>";
  }
  h += "</tbody></table><p>" + escapeHtml(perCrateOutcome(r)) + "</p>";
  if (!pc.cargoToml.empty())
    h += "<pre id=\"cargo-toml\">" + escapeHtml(pc.cargoToml) + "</pre>";
  return h;
}

// The table of the page: one row per variant, smallest first, every change.
static std::string htmlTable(const TricksReport &r) {
  std::string h;
  if (!r.toolchains.empty())
    h += "<p class=\"note\">toolchains: " + escapeHtml(toolchainsLine(r)) + "." +
         (comparedWithNightly(r) ? " Nightly tricks are compared with "
                                   "baseline-nightly, the nightly's release build."
                                 : "") +
         "</p>";
  h += "<table id=\"variants\"><thead><tr><th>#</th><th>trick</th>"
       "<th>what</th><th>toolchain</th><th>file</th><th>vs base</th><th>VM</th>";
  if (r.lib)
    h += "<th>host (gc)</th>";
  h += "<th>build s</th>";
  if (timed(r))
    h += "<th>run CPU s</th><th>vs base</th>";
  h += "<th>front</th><th>changes against the baseline</th></tr></thead><tbody>";
  std::vector<const VariantResult *> rows = bySize(r);
  for (size_t k = 0; k < rows.size(); ++k) {
    const VariantResult &v = *rows[k];
    const VariantResult *base = baselineOf(r, v);
    h += "<tr data-name=\"" + escapeHtml(v.trick->name) + "\"><td>" +
         std::to_string(k + 1) + "</td><td>" + escapeHtml(v.trick->name) +
         "</td><td>" + escapeHtml(v.trick->what) + "</td><td>" +
         escapeHtml(v.trick->toolchain) + "</td>";
    if (!v.built) {
      h += "<td colspan=\"9\">failed to build</td></tr>";
      continue;
    }
    auto cell = [&](const std::string &text) { h += "<td>" + escapeHtml(text) + "</td>"; };
    cell(humanBytes(v.fileSize));
    cell(base ? changePercent(v.fileSize, base->fileSize) : "");
    cell(humanBytes(v.vmSize));
    if (r.lib)
      cell(v.hostSize ? humanBytes(v.hostSize) : "link failed");
    cell(fmt("%.1f", v.buildSeconds));
    if (timed(r)) {
      if (!v.runError.empty()) {
        cell("run failed: " + v.runError);
        cell("");
      } else {
        cell(fmt("%.3f", v.runs.median()) + " ± " + fmt("%.3f", v.runs.spread()));
        cell(runVsBase(base, v));
      }
    }
    cell(v.pareto ? "yes" : "");
    h += "<td class=\"changes\">" + escapeHtml(allChanges(v)) + "</td></tr>";
  }
  h += "</tbody></table>";
  for (const Trick &t : r.unavailable)
    h += "<p class=\"note\">not run: " + escapeHtml(t.name) + " (" +
         escapeHtml(t.what) + "): " + escapeHtml(t.unavailable) + "</p>";
  for (const std::string &n : r.notes)
    h += "<p class=\"note\">note: " + escapeHtml(n) + "</p>";
  return h + htmlPerCrate(r);
}

// The chart is drawn in the page from the embedded JSON, so the file stays
// small and needs nothing from the network. Axes fit the data (variants
// differ by a few percent; from 0 they would all sit at the top), the
// baseline is marked, and labels go where they do not overlap: a point
// whose name fits nowhere shows its number, which the table lists.
std::string renderTricksHtml(const TricksReport &r) {
  std::string data;
  {
    llvm::raw_string_ostream os(data);
    printTricksJson(r, os);
  }
  std::string safe = scriptSafeText(data);
  return R"(<!doctype html>
<html><head><meta charset="utf-8"><title>slimlink tricks: )" +
         escapeHtml(r.crate) + R"(</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 24px; color: #222; }
svg { border: 1px solid #ccc; background: #fcfcfc; }
.point { fill: #4a7bd0; } .point.pareto { fill: #d0502a; }
.front { fill: none; stroke: #d0502a; stroke-width: 1.5; stroke-dasharray: 4 3; }
.base { stroke: #999; stroke-dasharray: 2 3; }
.leader { stroke: #bbb; stroke-width: 0.75; }
.label { font-size: 12px; } .axis { font-size: 12px; fill: #555; }
table { border-collapse: collapse; margin-top: 16px; }
td, th { padding: 3px 8px; border-bottom: 1px solid #ddd; text-align: right;
  vertical-align: top; }
td:nth-child(2), td:nth-child(3), th:nth-child(2), th:nth-child(3) { text-align: left; }
td.changes, th:last-child { text-align: left; max-width: 520px; }
.note { color: #555; }
#per-crate td:first-child, #per-crate td:last-child { text-align: left; }
#per-crate tr.chosen td { font-weight: 600; }
pre#cargo-toml { background: #f4f4f4; padding: 8px 12px; display: inline-block; }
</style></head><body>
<h1>slimlink tricks: )" +
         escapeHtml(r.crate) + R"(</h1>
<p>File size against )" +
         (timed(r) ? "median run time" : "build time") +
         R"(; the dotted lines cross at the baseline. Orange: the Pareto front (no other variant is both smaller and faster). Numbers are the rows of the table.</p>
<svg id="chart" width="900" height="520"></svg>
)" + htmlTable(r) +
         R"(
<script type="application/json" id="tricks-data">)" +
         safe + R"(</script>
<script>
const data = JSON.parse(document.getElementById('tricks-data').textContent);
const timed = data.run !== '' && data.kind === 'bin';
const order = [...document.querySelectorAll('#variants tbody tr')].map(r => r.dataset.name);
const pts = data.variants.filter(v => v.built && (!timed || v.run_error === ''))
  .map(v => ({name: v.name, size: v.file_size, time: timed ? v.run_median : v.build_seconds,
              pareto: v.pareto, n: order.indexOf(v.name) + 1}));
const svg = document.getElementById('chart'), NS = 'http://www.w3.org/2000/svg';
const W = 900, H = 520, L = 100, R = 30, T = 20, B = 50;
function el(tag, attrs, text) {
  const e = document.createElementNS(NS, tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (text !== undefined) e.textContent = text;
  svg.appendChild(e); return e;
}
// Each axis spans the data with a margin, never less than 2% of its middle.
function span(vals) {
  let lo = Math.min(...vals), hi = Math.max(...vals);
  const pad = Math.max((hi - lo) * 0.08, Math.abs(hi + lo) / 2 * 0.01, 1e-9);
  return [lo - pad, hi + pad];
}
const [t0, t1] = span(pts.map(p => p.time)), [s0, s1] = span(pts.map(p => p.size));
const x = t => L + (W - L - R) * (t - t0) / (t1 - t0);
const y = s => H - B - (H - T - B) * (s - s0) / (s1 - s0);
el('line', {x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: '#888'});
el('line', {x1: L, y1: T, x2: L, y2: H - B, stroke: '#888'});
el('text', {x: (L + W - R) / 2, y: H - 12, class: 'axis', 'text-anchor': 'middle'},
   timed ? 'median run time, CPU (s)' : 'build time (s)');
el('text', {x: 16, y: (T + H - B) / 2, class: 'axis', transform: `rotate(-90 16 ${(T + H - B) / 2})`,
   'text-anchor': 'middle'}, 'file size');
// Tick labels with as many decimals as it takes to tell them apart:
// variants microseconds or a few hundred bytes apart are common.
function distinct(vals, fmt) {
  let ls = vals.map(v => fmt(v, 0));
  for (let d = 1; d <= 6 && new Set(ls).size < ls.length; d++) ls = vals.map(v => fmt(v, d));
  return ls;
}
const ticks = [0, 1, 2, 3, 4];
const tTicks = ticks.map(i => t0 + (t1 - t0) * i / 4), sTicks = ticks.map(i => s0 + (s1 - s0) * i / 4);
const tLabels = distinct(tTicks, (t, d) => t.toFixed(3 + d));
const sLabels = distinct(sTicks, (s, d) => s >= 1e6 ? (s / 1e6).toFixed(2 + d) + ' MB'
  : s >= 1e3 ? (s / 1e3).toFixed(1 + d) + ' kB' : Math.round(s) + ' B');
for (const i of ticks) {
  el('text', {x: x(tTicks[i]), y: H - B + 16, class: 'axis', 'text-anchor': 'middle', 'data-xtick': tTicks[i]}, tLabels[i]);
  el('text', {x: L - 6, y: y(sTicks[i]) + 4, class: 'axis', 'text-anchor': 'end', 'data-tick': sTicks[i]}, sLabels[i]);
}
const base = pts.find(p => p.name === 'baseline');
if (base) {
  el('line', {x1: x(base.time), y1: T, x2: x(base.time), y2: H - B, class: 'base'});
  el('line', {x1: L, y1: y(base.size), x2: W - R, y2: y(base.size), class: 'base'});
}
const front = pts.filter(p => p.pareto).sort((a, b) => a.time - b.time);
if (front.length > 1)
  el('polyline', {class: 'front', points: front.map(p => `${x(p.time)},${y(p.size)}`).join(' ')});
for (const p of pts)
  el('circle', {cx: x(p.time), cy: y(p.size), r: 6, class: 'point' + (p.pareto ? ' pareto' : ''),
                'data-name': p.name});
// Labels: the first of eight places around the point that overlaps no
// label or point placed before, widths measured as drawn; else the row
// number alone there; else the number farther out, on rings of growing
// radius, tied to its point by a line. Each label carries its box
// (data-box) so a test can check that none overlap.
const boxes = pts.map(p => ({x0: x(p.time) - 7, x1: x(p.time) + 7, y0: y(p.size) - 7, y1: y(p.size) + 7}));
const clash = b => boxes.some(o => b.x0 < o.x1 && o.x0 < b.x1 && b.y0 < o.y1 && o.y0 < b.y1) ||
  b.x0 < L || b.x1 > W - R || b.y0 < T || b.y1 > H - B;
function measure(text) {
  const t = el('text', {class: 'label', x: 0, y: -100}, text);
  const w = t.getComputedTextLength ? t.getComputedTextLength() : 7 * text.length;
  t.remove();
  return (w || 7 * text.length) + 4;
}
function put(p, text, b, tx, ty) {
  boxes.push(b);
  el('text', {x: tx, y: ty, class: 'label', 'data-label': p.name,
              'data-box': [b.x0, b.y0, b.x1, b.y1].map(v => v.toFixed(1)).join(' ')}, text);
}
for (const p of pts) {
  const px = x(p.time), py = y(p.size), h = 14;
  let placed = false;
  for (const text of [p.n + ' ' + p.name, String(p.n)]) {
    const w = measure(text);
    for (const [dx, dy] of [[9, -4], [9, 14], [-9 - w, -4], [-9 - w, 14], [-w / 2, -12], [-w / 2, 24], [9, 28], [-9 - w, 28]]) {
      const b = {x0: px + dx, x1: px + dx + w, y0: py + dy - h + 3, y1: py + dy + 3};
      if (clash(b)) continue;
      put(p, text, b, b.x0 + 2, py + dy);
      placed = true;
      break;
    }
    if (placed) break;
  }
  const text = String(p.n), w = measure(text);
  for (let r = 36; !placed && r < 400; r += 14)
    for (let k = 0; k < 24 && !placed; k++) {
      const a = 2 * Math.PI * k / 24, cx = px + r * Math.cos(a), cy = py + r * Math.sin(a);
      const b = {x0: cx - w / 2, x1: cx + w / 2, y0: cy - h / 2, y1: cy + h / 2};
      if (clash(b)) continue;
      el('line', {x1: px, y1: py, x2: cx, y2: cy, class: 'leader'});
      put(p, text, b, b.x0 + 2, b.y1 - 3);
      placed = true;
    }
}
</script></body></html>
)";
}

} // namespace slimlink
