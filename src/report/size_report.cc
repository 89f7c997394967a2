#include "report/size_report.h"
#include "report/json_header.h"
#include "report/table.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"

#include <algorithm>

namespace slimlink {

static std::string othersName(size_t k) {
  return "[" + std::to_string(k) + " others]";
}

static bool rowOrder(const SizeRow *a, const SizeRow *b) {
  if (a->file != b->file)
    return a->file > b->file;
  if (a->vm != b->vm)
    return a->vm > b->vm;
  return a->name < b->name;
}

std::vector<SizeRow> topRows(const std::vector<SizeRow> &rows, size_t n) {
  // Sorts only what is shown: with a big binary's 100k+ symbols, sorting
  // them all (many of equal size, tie-broken by long names) was a tenth of
  // the run.
  std::vector<const SizeRow *> order;
  order.reserve(rows.size());
  for (const SizeRow &r : rows)
    order.push_back(&r);
  size_t shown = n && n < rows.size() ? n : rows.size();
  std::partial_sort(order.begin(), order.begin() + shown, order.end(),
                    rowOrder);
  std::vector<SizeRow> out;
  out.reserve(shown + 1);
  SizeRow rest;
  for (size_t i = 0; i < order.size(); ++i) {
    if (i < shown) {
      SizeRow r;
      r.name = order[i]->name;
      r.vm = order[i]->vm;
      r.file = order[i]->file;
      r.symbol = order[i]->symbol;
      r.children = topRows(order[i]->children, n);
      out.push_back(std::move(r));
    } else {
      rest.vm += order[i]->vm;
      rest.file += order[i]->file;
    }
  }
  if (n && rows.size() > n) {
    rest.name = othersName(rows.size() - n);
    out.push_back(std::move(rest));
  }
  return out;
}

std::vector<SizeDiffRow> topRows(const std::vector<SizeDiffRow> &rows,
                                 size_t n) {
  std::vector<SizeDiffRow> out;
  SizeDiffRow rest;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (n == 0 || i < n) {
      SizeDiffRow r = rows[i];
      r.children = topRows(rows[i].children, n);
      out.push_back(std::move(r));
    } else {
      rest.oldVm += rows[i].oldVm;
      rest.newVm += rows[i].newVm;
      rest.oldFile += rows[i].oldFile;
      rest.newFile += rows[i].newFile;
    }
  }
  if (n && rows.size() > n) {
    rest.name = othersName(rows.size() - n);
    out.push_back(std::move(rest));
  }
  return out;
}

static std::string viewsTitle(const std::vector<SizeView> &views) {
  std::string s;
  for (SizeView v : views)
    s += (s.empty() ? "" : ", ") + std::string(sizeViewName(v));
  return s;
}

// ------------------------------------------------------------------ table

static void tableRows(Table &t, const std::vector<SizeRow> &rows, int depth,
                      const SizeResult &r) {
  for (const SizeRow &row : rows) {
    t.row({std::string(2 * depth, ' ') + shortenMiddle(row.name), humanBytes(row.vm),
           percent(row.vm, r.vm), humanBytes(row.file),
           percent(row.file, r.file)});
    tableRows(t, row.children, depth + 1, r);
  }
}

void printSizeTable(const SizeResult &r, llvm::raw_ostream &os) {
  // A universal input's rows have a level of slices outside the views.
  std::string title = (r.sliced ? "slices, " : "") + viewsTitle(r.views);
  Table t({title, ">VM size", ">%", ">file size", ">%"});
  tableRows(t, r.rows, 0, r);
  t.rule();
  t.row({"TOTAL", humanBytes(r.vm), "100.0%", humanBytes(r.file), "100.0%"});
  t.print(os);
}

static std::string signedBytes(int64_t d) {
  if (d == 0)
    return "0";
  return (d > 0 ? "+" : "-") + humanBytes(uint64_t(std::llabs(d)));
}

static void diffTableRows(Table &t, const std::vector<SizeDiffRow> &rows,
                          int depth) {
  for (const SizeDiffRow &row : rows) {
    t.row({std::string(2 * depth, ' ') + shortenMiddle(row.name), signedBytes(row.dVm()),
           signedBytes(row.dFile()), humanBytes(row.oldFile),
           humanBytes(row.newFile)});
    diffTableRows(t, row.children, depth + 1);
  }
}

void printSizeDiffTable(const SizeDiff &d, llvm::raw_ostream &os) {
  os << "old: " << d.oldFile << "\nnew: " << d.newFile << "\n\n";
  if (d.rows.empty() && d.oldSize == d.newSize && d.oldVm == d.newVm) {
    os << "no differences (" << humanBytes(d.newSize) << ", "
       << viewsTitle(d.views) << ")\n";
    return;
  }
  Table t({viewsTitle(d.views), ">VM change", ">file change", ">old file",
           ">new file"});
  diffTableRows(t, d.rows, 0);
  t.rule();
  t.row({"TOTAL", signedBytes(d.newVm - d.oldVm),
         signedBytes(d.newSize - d.oldSize), humanBytes(d.oldSize),
         humanBytes(d.newSize)});
  t.print(os);
}

// ------------------------------------------------------------------ JSON

static void jsonRows(llvm::json::OStream &j, const std::vector<SizeRow> &rows) {
  for (const SizeRow &row : rows)
    j.object([&] {
      j.attribute("name", row.name);
      j.attribute("vm_size", int64_t(row.vm));
      j.attribute("file_size", int64_t(row.file));
      if (!row.children.empty())
        j.attributeArray("rows", [&] { jsonRows(j, row.children); });
    });
}

void printSizeJson(const SizeResult &r, llvm::raw_ostream &os,
                   const std::vector<std::string> &outputs) {
  llvm::json::OStream j(os, 2);
  j.object([&] {
    jsonHeader(j, "size", r.files, outputs);
    j.attributeArray("files", [&] {
      for (const std::string &f : r.files)
        j.value(f);
    });
    j.attributeArray("views", [&] {
      for (SizeView v : r.views)
        j.value(sizeViewName(v));
    });
    j.attribute("vm_size", int64_t(r.vm));
    j.attribute("file_size", int64_t(r.file));
    j.attributeArray("rows", [&] { jsonRows(j, r.rows); });
  });
  os << "\n";
}

static void jsonDiffRows(llvm::json::OStream &j,
                         const std::vector<SizeDiffRow> &rows) {
  for (const SizeDiffRow &row : rows)
    j.object([&] {
      j.attribute("name", row.name);
      j.attribute("old_vm_size", row.oldVm);
      j.attribute("new_vm_size", row.newVm);
      j.attribute("vm_change", row.dVm());
      j.attribute("old_file_size", row.oldFile);
      j.attribute("new_file_size", row.newFile);
      j.attribute("file_change", row.dFile());
      if (!row.children.empty())
        j.attributeArray("rows", [&] { jsonDiffRows(j, row.children); });
    });
}

void printSizeDiffJson(const SizeDiff &d, llvm::raw_ostream &os,
                       const std::vector<std::string> &outputs) {
  llvm::json::OStream j(os, 2);
  j.object([&] {
    jsonHeader(j, "size", {d.oldFile, d.newFile}, outputs);
    j.attribute("old", d.oldFile);
    j.attribute("new", d.newFile);
    j.attributeArray("views", [&] {
      for (SizeView v : d.views)
        j.value(sizeViewName(v));
    });
    j.attribute("old_vm_size", d.oldVm);
    j.attribute("new_vm_size", d.newVm);
    j.attribute("old_file_size", d.oldSize);
    j.attribute("new_file_size", d.newSize);
    j.attributeArray("rows", [&] { jsonDiffRows(j, d.rows); });
  });
  os << "\n";
}

// ------------------------------------------------------------------ CSV

// RFC 4180: quote fields with commas, quotes or line breaks (symbol names
// have commas: "<(A, B) as Trait>::f").
static std::string csvField(llvm::StringRef s) {
  if (s.find_first_of(",\"\r\n") == llvm::StringRef::npos)
    return s.str();
  std::string out = "\"";
  for (char c : s) {
    if (c == '"')
      out += '"';
    out += c;
  }
  return out + "\"";
}

static void csvHeader(const std::vector<SizeView> &views,
                      std::initializer_list<const char *> cols,
                      llvm::raw_ostream &os, bool sliced = false) {
  std::string line = sliced ? "slice," : "";
  for (SizeView v : views)
    line += std::string(sizeViewName(v)) + ",";
  for (const char *c : cols)
    line += std::string(c) + ",";
  line.pop_back();
  os << line << "\n";
}

// One line per leaf row; its path of names fills the view columns (a
// shallower leaf, such as "[3 others]", leaves the deeper columns empty).
template <class Row, class F>
static void csvLeaves(const std::vector<Row> &rows, std::vector<std::string> &path,
                      size_t nviews, F numbers, llvm::raw_ostream &os) {
  for (const Row &row : rows) {
    path.push_back(row.name);
    if (row.children.empty()) {
      std::string line;
      for (size_t i = 0; i < nviews; ++i)
        line += (i < path.size() ? csvField(path[i]) : "") + ",";
      os << line << numbers(row) << "\n";
    } else {
      csvLeaves(row.children, path, nviews, numbers, os);
    }
    path.pop_back();
  }
}

void printSizeCsv(const SizeResult &r, llvm::raw_ostream &os) {
  csvHeader(r.views, {"vm_size", "file_size"}, os, r.sliced);
  std::vector<std::string> path;
  csvLeaves(r.rows, path, r.views.size() + r.sliced,
            [](const SizeRow &x) {
              return std::to_string(x.vm) + "," + std::to_string(x.file);
            },
            os);
}

void printSizeDiffCsv(const SizeDiff &d, llvm::raw_ostream &os) {
  csvHeader(d.views,
            {"old_vm_size", "new_vm_size", "vm_change", "old_file_size",
             "new_file_size", "file_change"},
            os);
  std::vector<std::string> path;
  csvLeaves(d.rows, path, d.views.size(),
            [](const SizeDiffRow &x) {
              return std::to_string(x.oldVm) + "," + std::to_string(x.newVm) +
                     "," + std::to_string(x.dVm()) + "," +
                     std::to_string(x.oldFile) + "," +
                     std::to_string(x.newFile) + "," +
                     std::to_string(x.dFile());
            },
            os);
}

} // namespace slimlink
