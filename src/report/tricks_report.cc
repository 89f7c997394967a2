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

static const VariantResult *baselineOf(const TricksReport &r) {
  return !r.variants.empty() && r.variants[0].built ? &r.variants[0] : nullptr;
}

static std::string changePercent(double value, double base) {
  if (base <= 0)
    return "";
  return fmt("%+.1f%%", 100.0 * (value - base) / base);
}

static bool timed(const TricksReport &r) { return !r.runCommand.empty() && !r.lib; }

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

void printTricksTable(const TricksReport &r, llvm::raw_ostream &os) {
  const VariantResult *base = baselineOf(r);
  os << r.crate << ": " << (r.lib ? "staticlib " : "binary ") << r.artifact
     << "\n\n";
  std::vector<std::string> head = {"trick", ">file", ">vs base", ">VM"};
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
    std::vector<std::string> row = {v->trick->name};
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
        row.push_back(base && base->runError.empty()
                          ? changePercent(v->runs.median(), base->runs.median())
                          : "");
      }
    }
    row.push_back(v->pareto ? "*" : "");
    row.push_back(changesText(*v));
    t.row(row);
  }
  t.print(os);
  os << "\n* = on the size/" << (timed(r) ? "run-time" : "build-time")
     << " Pareto front: no other variant is both smaller and faster.\n";
  for (const VariantResult &v : r.variants)
    if (!v.built)
      os << "\nfailed: " << v.trick->name << " (" << v.trick->what << "):\n"
         << v.error << "\n";
  for (const Trick &t : r.unavailable)
    os << "\nnot run: " << t.name << " (" << t.what << "): " << t.unavailable
       << "\n";
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
    j.attributeArray("variants", [&] {
      for (const VariantResult &v : r.variants)
        j.object([&] {
          j.attribute("name", v.trick->name);
          j.attribute("what", v.trick->what);
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
    j.attributeArray("unavailable", [&] {
      for (const Trick &t : r.unavailable)
        j.object([&] {
          j.attribute("name", t.name);
          j.attribute("what", t.what);
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
        "run_median,run_spread,run_error,pareto\n";
  for (const VariantResult &v : r.variants)
    os << v.trick->name << "," << csvField(v.trick->what) << ","
       << (v.built ? 1 : 0) << "," << v.fileSize << "," << v.vmSize << ","
       << v.hostSize << "," << fmt("%.3f", v.buildSeconds) << ","
       << fmt("%.6f", v.runs.median()) << "," << fmt("%.6f", v.runs.spread())
       << "," << fmt("%.6f", v.wall.median()) << "," << csvField(v.runError) << "," << (v.pareto ? 1 : 0) << "\n";
  for (const Trick &t : r.unavailable)
    os << t.name << "," << csvField(t.what) << ",0,0,0,0,0,0,0,0,"
       << csvField(t.unavailable) << ",0\n";
}

// The chart is drawn in the page from the embedded JSON, so the file stays
// small and needs nothing from the network.
std::string renderTricksHtml(const TricksReport &r) {
  std::string data, table;
  {
    llvm::raw_string_ostream os(data);
    printTricksJson(r, os);
  }
  {
    llvm::raw_string_ostream os(table);
    printTricksTable(r, os);
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
.label { font-size: 11px; } .axis { font-size: 12px; fill: #555; }
pre { background: #f4f4f4; padding: 12px; overflow-x: auto; }
</style></head><body>
<h1>slimlink tricks: )" +
         escapeHtml(r.crate) + R"(</h1>
<p>File size against )" +
         (timed(r) ? "median run time" : "build time") +
         R"(. Orange: the Pareto front (no other variant is both smaller and faster).</p>
<svg id="chart" width="900" height="520"></svg>
<pre id="table">)" +
         escapeHtml(table) + R"(</pre>
<script type="application/json" id="tricks-data">)" +
         safe + R"(</script>
<script>
const data = JSON.parse(document.getElementById('tricks-data').textContent);
const timed = data.run !== '' && data.kind === 'bin';
const pts = data.variants.filter(v => v.built && (!timed || v.run_error === ''))
  .map(v => ({name: v.name, size: v.file_size, time: timed ? v.run_median : v.build_seconds, pareto: v.pareto}));
const svg = document.getElementById('chart'), NS = 'http://www.w3.org/2000/svg';
const W = 900, H = 520, L = 90, R = 30, T = 20, B = 50;
function el(tag, attrs, text) {
  const e = document.createElementNS(NS, tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (text !== undefined) e.textContent = text;
  svg.appendChild(e); return e;
}
const maxT = Math.max(...pts.map(p => p.time), 1e-9) * 1.1;
const maxS = Math.max(...pts.map(p => p.size), 1) * 1.1;
const x = t => L + (W - L - R) * t / maxT, y = s => H - B - (H - T - B) * s / maxS;
el('line', {x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: '#888'});
el('line', {x1: L, y1: T, x2: L, y2: H - B, stroke: '#888'});
el('text', {x: (L + W - R) / 2, y: H - 12, class: 'axis', 'text-anchor': 'middle'},
   timed ? 'median run time, CPU (s)' : 'build time (s)');
el('text', {x: 16, y: (T + H - B) / 2, class: 'axis', transform: `rotate(-90 16 ${(T + H - B) / 2})`,
   'text-anchor': 'middle'}, 'file size (bytes)');
for (let i = 0; i <= 4; i++) {
  el('text', {x: x(maxT * i / 4), y: H - B + 16, class: 'axis', 'text-anchor': 'middle'}, (maxT * i / 4).toFixed(2));
  el('text', {x: L - 6, y: y(maxS * i / 4) + 4, class: 'axis', 'text-anchor': 'end'}, Math.round(maxS * i / 4).toLocaleString());
}
const front = pts.filter(p => p.pareto).sort((a, b) => a.time - b.time);
if (front.length > 1)
  el('polyline', {class: 'front', points: front.map(p => `${x(p.time)},${y(p.size)}`).join(' ')});
for (const p of pts) {
  el('circle', {cx: x(p.time), cy: y(p.size), r: 6, class: 'point' + (p.pareto ? ' pareto' : ''),
                'data-name': p.name});
  el('text', {x: x(p.time) + 9, y: y(p.size) - 6, class: 'label'}, p.name);
}
</script></body></html>
)";
}

} // namespace slimlink
