// `slimlink size --html OUT`: one self-contained page (inline CSS and JS, no
// network): a squarified treemap of the rows, nested by the chosen views
// (click a box to zoom into it, the path above to zoom out), a switch between
// file and VM size, and the table of the rows shown.
#include "report/size_report.h"
#include "report/table.h"

#include "llvm/Support/JSON.h"

namespace slimlink {

static llvm::json::Value toJson(const SizeRow &r) {
  llvm::json::Object o{{"name", r.name},
                       {"vm", int64_t(r.vm)},
                       {"file", int64_t(r.file)}};
  if (!r.children.empty()) {
    llvm::json::Array kids;
    for (const SizeRow &c : r.children)
      kids.push_back(toJson(c));
    o["rows"] = std::move(kids);
  }
  return o;
}

static const char *const kStyle = R"CSS(
body { font: 13px/1.4 system-ui, sans-serif; margin: 16px; color: #222; }
h1 { font-size: 18px; margin: 0 0 4px; }
#bar { margin: 8px 0; display: flex; gap: 12px; align-items: center; }
#crumbs span { cursor: pointer; color: #0645ad; }
#crumbs span.here { color: #222; cursor: default; font-weight: 600; }
#map { position: relative; width: 100%; height: 560px; background: #eee;
  overflow: hidden; }
.tm-node { position: absolute; box-sizing: border-box; overflow: hidden;
  border: 1px solid #fff; font-size: 12px; padding: 2px 4px; color: #111; }
.tm-node.zoomable { cursor: zoom-in; }
.tm-node .tm-label { white-space: nowrap; font-weight: 600; }
.tm-child { border-color: rgba(255,255,255,.6); font-weight: normal; }
table { border-collapse: collapse; margin-top: 12px; }
td, th { padding: 2px 10px; text-align: right; border-bottom: 1px solid #ddd; }
td:first-child, th:first-child { text-align: left; max-width: 800px;
  overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
)CSS";

static const char *const kScript = R"JS(
const data = JSON.parse(document.getElementById('size-data').textContent);
let metric = 'file';
const stack = [{ name: 'TOTAL', vm: data.vm, file: data.file, rows: data.rows }];

function signed(b) { return b === 0 ? '0' : (b > 0 ? '+' : '-') + human(Math.abs(b)); }
function human(b) {
  if (b < 1000) return b + ' B';
  if (b < 1e6) return (b / 1e3).toFixed(1) + ' kB';
  if (b < 1e9) return (b / 1e6).toFixed(1) + ' MB';
  return (b / 1e9).toFixed(2) + ' GB';
}
// Diffs: red for growth, green for shrinkage (of the metric shown).
function color(r, depth) {
  if (data.diff) {
    const d = metric === 'file' ? r.dfile : r.dvm;
    return d > 0 ? 'hsl(0,70%,' + (depth ? 84 : 72) + '%)'
                 : 'hsl(120,40%,' + (depth ? 82 : 68) + '%)';
  }
  const name = r.name;
  let h = 0;
  for (const c of name) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return 'hsl(' + (h % 360) + ',55%,' + (depth ? 80 : 68) + '%)';
}
// Squarified treemap (Bruls, Huizing, van Wijk): rows of boxes along the
// shorter side, each row grown while it makes the boxes squarer.
function squarify(items, x, y, w, h) {
  const total = items.reduce((s, r) => s + r[metric], 0);
  const out = [];
  if (total <= 0 || w <= 0 || h <= 0) return out;
  let rest = items.filter(r => r[metric] > 0)
    .map(r => ({ r, a: r[metric] * w * h / total }));
  const worst = (row, side) => {
    const s = row.reduce((t, e) => t + e.a, 0);
    let m = 0;
    for (const e of row) m = Math.max(m, side * side * e.a / (s * s), s * s / (side * side * e.a));
    return m;
  };
  while (rest.length) {
    const side = Math.min(w, h);
    let n = 1;
    while (n < rest.length && worst(rest.slice(0, n + 1), side) <= worst(rest.slice(0, n), side)) n++;
    const row = rest.slice(0, n), s = row.reduce((t, e) => t + e.a, 0);
    if (w >= h) {
      const cw = s / h; let cy = y;
      for (const e of row) { const eh = e.a / cw; out.push({ r: e.r, x, y: cy, w: cw, h: eh }); cy += eh; }
      x += cw; w -= cw;
    } else {
      const rh = s / w; let cx = x;
      for (const e of row) { const ew = e.a / rh; out.push({ r: e.r, x: cx, y, w: ew, h: rh }); cx += ew; }
      y += rh; h -= rh;
    }
    rest = rest.slice(n);
  }
  return out;
}
function box(parent, b, depth, zoomable) {
  const d = document.createElement('div');
  d.className = 'tm-node' + (depth ? ' tm-child' : '') + (zoomable ? ' zoomable' : '');
  Object.assign(d.style, { left: b.x + 'px', top: b.y + 'px', width: b.w + 'px',
    height: b.h + 'px', background: color(b.r, depth) });
  if (b.w < 12 || b.h < 12) d.style.padding = '0'; // padding would widen it
  d.title = data.diff
    ? b.r.name + '\nfile ' + human(b.r.oldfile) + ' -> ' + human(b.r.newfile) +
      ' (' + signed(b.r.dfile) + '), VM ' + signed(b.r.dvm)
    : b.r.name + '\nfile ' + human(b.r.file) + ', VM ' + human(b.r.vm);
  if (b.w > 40 && b.h > 14) {
    const l = document.createElement('div');
    l.className = 'tm-label';
    l.textContent = b.r.name + ' ' +
      (data.diff ? signed(metric === 'file' ? b.r.dfile : b.r.dvm) : human(b.r[metric]));
    d.appendChild(l);
  }
  parent.appendChild(d);
  return d;
}
function render() {
  const node = stack[stack.length - 1];
  const map = document.getElementById('map');
  map.innerHTML = '';
  const W = map.clientWidth, H = map.clientHeight;
  for (const b of squarify(node.rows || [], 0, 0, W, H)) {
    const kids = b.r.rows || [];
    const d = box(map, b, 0, kids.length > 0);
    if (kids.length) {
      d.onclick = () => { stack.push(b.r); render(); };
      for (const k of squarify(kids, 2, 18, b.w - 4, b.h - 20)) box(d, k, 1, false);
    }
  }
  const crumbs = document.getElementById('crumbs');
  crumbs.innerHTML = '';
  stack.forEach((s, i) => {
    const e = document.createElement('span');
    e.textContent = s.name;
    if (i === stack.length - 1) e.className = 'here';
    else e.onclick = () => { stack.length = i + 1; render(); };
    crumbs.appendChild(e);
    if (i < stack.length - 1) crumbs.appendChild(document.createTextNode(' / '));
  });
  const tb = document.getElementById('rows');
  tb.innerHTML = '';
  for (const r of node.rows || []) {
    const tr = document.createElement('tr');
    const cells = data.diff
      ? [r.name, signed(r.dvm), signed(r.dfile), human(r.oldfile), human(r.newfile)]
      : [r.name, human(r.vm), human(r.file),
         (100 * r.file / Math.max(1, node.file)).toFixed(1) + '%'];
    for (const v of cells) {
      const td = document.createElement('td');
      td.textContent = v;
      tr.appendChild(td);
    }
    tb.appendChild(tr);
  }
}
for (const m of ['file', 'vm'])
  document.getElementById('by-' + m).onchange = () => { metric = m; render(); };
window.addEventListener('resize', render);
render();
)JS";

// Inside <script>, "</" could end the element early.
static std::string scriptSafe(const llvm::json::Value &v) {
  std::string json;
  llvm::raw_string_ostream(json) << v;
  return scriptSafeText(json);
}

static std::string viewsText(const std::vector<SizeView> &vs) {
  std::string views;
  for (SizeView v : vs)
    views += (views.empty() ? "" : ", ") + std::string(sizeViewName(v));
  return views;
}

// `title`: the page's heading, e.g. "slimlink size: app".
static std::string page(const std::string &title, const std::string &summary,
                        const std::string &columns, llvm::json::Value data) {
  std::string out = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n"
                    "<title>" + escapeHtml(title) +
                    "</title>\n<style>" + kStyle + "</style></head><body>\n";
  out += "<h1>" + escapeHtml(title) + "</h1>\n";
  out += "<div>" + summary + "</div>\n";
  out += "<div id=\"bar\"><div id=\"crumbs\"></div>"
         "<label><input type=\"radio\" name=\"m\" id=\"by-file\" checked> "
         "file size</label><label><input type=\"radio\" name=\"m\" "
         "id=\"by-vm\"> VM size</label></div>\n";
  out += "<div id=\"map\"></div>\n<table><thead><tr>" + columns +
         "</tr></thead><tbody id=\"rows\"></tbody></table>\n";
  out += "<script type=\"application/json\" id=\"size-data\">" +
         scriptSafe(data) + "</script>\n<script>" + kScript +
         "</script>\n</body></html>\n";
  return out;
}

std::string renderSizeHtml(const SizeResult &r) {
  llvm::json::Array rows;
  for (const SizeRow &row : r.rows)
    rows.push_back(toJson(row));
  std::string files;
  for (const std::string &f : r.files)
    files += (files.empty() ? "" : ", ") + f;
  std::string views = viewsText(r.views);
  return page("slimlink size: " + files,
              "views: " + escapeHtml(views) + " &middot; file size " +
                  std::to_string(r.file) + " bytes &middot; VM size " +
                  std::to_string(r.vm) + " bytes",
              "<th>" + escapeHtml(views) +
                  "</th><th>VM size</th><th>file size</th><th>%</th>",
              llvm::json::Object{{"vm", int64_t(r.vm)},
                                 {"file", int64_t(r.file)},
                                 {"rows", std::move(rows)}});
}

// Boxes are sized by the absolute change ("file", "vm"); the signed change
// and the old and new sizes ride along.
static llvm::json::Value toJson(const SizeDiffRow &r) {
  llvm::json::Object o{{"name", r.name},
                       {"file", std::llabs(r.dFile())},
                       {"vm", std::llabs(r.dVm())},
                       {"dfile", r.dFile()},
                       {"dvm", r.dVm()},
                       {"oldfile", r.oldFile},
                       {"newfile", r.newFile}};
  if (!r.children.empty()) {
    llvm::json::Array kids;
    for (const SizeDiffRow &c : r.children)
      kids.push_back(toJson(c));
    o["rows"] = std::move(kids);
  }
  return o;
}

std::string renderSizeDiffHtml(const SizeDiff &d) {
  llvm::json::Array rows;
  int64_t file = 0, vm = 0;
  for (const SizeDiffRow &row : d.rows) {
    rows.push_back(toJson(row));
    file += std::llabs(row.dFile());
    vm += std::llabs(row.dVm());
  }
  std::string views = viewsText(d.views);
  return page("slimlink size: " + d.oldFile + " -> " + d.newFile,
              "views: " + escapeHtml(views) + " &middot; file size " +
                  std::to_string(d.oldSize) + " -> " +
                  std::to_string(d.newSize) + " bytes &middot; VM size " +
                  std::to_string(d.oldVm) + " -> " + std::to_string(d.newVm) +
                  " bytes &middot; boxes: size of the change, red grew, "
                  "green shrank",
              "<th>" + escapeHtml(views) +
                  "</th><th>VM change</th><th>file change</th><th>old "
                  "file</th><th>new file</th>",
              llvm::json::Object{{"diff", true},
                                 {"vm", vm},
                                 {"file", file},
                                 {"rows", std::move(rows)}});
}

std::string renderSizeDuplicatesHtml(const SizeDuplicates &d,
                                     Demangle symbols) {
  llvm::json::Array rows;
  for (const DuplicateRow &r : d.rows) {
    std::string name = d.view == SizeView::Symbols && !r.files.empty()
                           ? symbolName(r.name, symbols)
                           : r.name;
    if (!r.files.empty())
      name += " (" + std::to_string(r.copies()) + " copies" +
              (r.versionsDiffer ? ", versions differ" : "") + ")";
    rows.push_back(llvm::json::Object{{"name", name},
                                      {"vm", int64_t(r.duplicatedVm)},
                                      {"file", int64_t(r.duplicatedFile)}});
  }
  std::string files;
  for (const std::string &f : d.files)
    files += (files.empty() ? "" : ", ") + f;
  std::string view = sizeViewName(d.view);
  return page("slimlink size --duplicates: " + files,
              escapeHtml(view) + " in more than one file &middot; boxes: "
              "duplicated bytes (all copies but the largest) &middot; one "
              "shared copy of each would save at most " +
                  std::to_string(d.duplicatedFile) + " bytes of file size, " +
                  std::to_string(d.duplicatedVm) + " of VM size",
              "<th>" + escapeHtml(view) +
                  "</th><th>duplicated VM</th><th>duplicated file</th>"
                  "<th>%</th>",
              llvm::json::Object{{"vm", int64_t(d.duplicatedVm)},
                                 {"file", int64_t(d.duplicatedFile)},
                                 {"rows", std::move(rows)}});
}

std::string renderTreemapHtml(const std::string &title,
                              const std::string &summary,
                              const std::vector<SizeRow> &rows, uint64_t total) {
  llvm::json::Array json;
  for (const SizeRow &row : rows)
    json.push_back(toJson(row));
  return page(title, summary,
              "<th>name</th><th>VM size</th><th>file size</th><th>%</th>",
              llvm::json::Object{{"vm", int64_t(total)},
                                 {"file", int64_t(total)},
                                 {"rows", std::move(json)}});
}

} // namespace slimlink
