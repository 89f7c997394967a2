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

// Largest first by `sort`'s measure, then by file size, VM size, name.
template <class Row>
static bool sizeOrder(const Row &a, const Row &b, uint64_t aVm, uint64_t aFile,
                      uint64_t bVm, uint64_t bFile, SizeSort sort) {
  auto key = [&](uint64_t vm, uint64_t file) {
    return sort == SizeSort::Vm     ? vm
           : sort == SizeSort::Both ? std::max(vm, file)
                                    : file;
  };
  if (key(aVm, aFile) != key(bVm, bFile))
    return key(aVm, aFile) > key(bVm, bFile);
  if (sort == SizeSort::Vm) {
    if (aFile != bFile)
      return aFile > bFile;
  } else {
    if (aFile != bFile)
      return aFile > bFile;
    if (aVm != bVm)
      return aVm > bVm;
  }
  return a.name < b.name;
}

std::vector<SizeRow> topRows(const std::vector<SizeRow> &rows, size_t n,
                             SizeSort sort) {
  auto rowOrder = [sort](const SizeRow *a, const SizeRow *b) {
    return sizeOrder(*a, *b, a->vm, a->file, b->vm, b->file, sort);
  };
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
      r.children = topRows(order[i]->children, n, sort);
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

std::vector<SizeDiffRow> topRows(const std::vector<SizeDiffRow> &unsorted,
                                 size_t n, SizeSort sort) {
  // diffSizes has them by file change already; the others by their change.
  std::vector<SizeDiffRow> rows = unsorted;
  if (sort != SizeSort::File)
    std::stable_sort(rows.begin(), rows.end(),
                     [sort](const SizeDiffRow &a, const SizeDiffRow &b) {
                       return sizeOrder(a, b, std::llabs(a.dVm()),
                                        std::llabs(a.dFile()),
                                        std::llabs(b.dVm()),
                                        std::llabs(b.dFile()), sort);
                     });
  std::vector<SizeDiffRow> out;
  SizeDiffRow rest;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (n == 0 || i < n) {
      SizeDiffRow r = rows[i];
      r.children = topRows(rows[i].children, n, sort);
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

std::vector<std::string> domainCells(const SizeTableStyle &style,
                                     std::string name,
                                     std::vector<std::string> vm,
                                     std::vector<std::string> file,
                                     bool fileFirst) {
  std::vector<std::string> cells{std::move(name)};
  auto add = [&](bool shown, const std::vector<std::string> &columns) {
    if (shown)
      cells.insert(cells.end(), columns.begin(), columns.end());
  };
  add(fileFirst ? style.file : style.vm, fileFirst ? file : vm);
  add(fileFirst ? style.vm : style.file, fileFirst ? vm : file);
  return cells;
}

// A table line: VM columns first, as bloaty's.
static std::vector<std::string> line(const SizeTableStyle &style,
                                     std::string name,
                                     std::vector<std::string> vm,
                                     std::vector<std::string> file) {
  return domainCells(style, std::move(name), std::move(vm), std::move(file));
}

static std::string indentedName(const std::string &name, int depth,
                                const SizeTableStyle &style) {
  return std::string(2 * depth, ' ') +
         (style.wide ? name : shortenMiddle(name));
}

static void tableRows(Table &t, const std::vector<SizeRow> &rows, int depth,
                      const SizeResult &r, const SizeTableStyle &style) {
  for (const SizeRow &row : rows) {
    t.row(line(style, indentedName(row.name, depth, style),
               {humanBytes(row.vm), percent(row.vm, r.vm)},
               {humanBytes(row.file), percent(row.file, r.file)}));
    tableRows(t, row.children, depth + 1, r, style);
  }
}

void printSizeTable(const SizeResult &r, llvm::raw_ostream &os,
                    const SizeTableStyle &style) {
  // A universal input's rows have a level of slices outside the views.
  std::string title = (r.sliced ? "slices, " : "") + viewsTitle(r.views);
  Table t(line(style, title, {">VM size", ">%"}, {">file size", ">%"}));
  tableRows(t, r.rows, 0, r, style);
  t.rule();
  t.row(line(style, "TOTAL", {humanBytes(r.vm), "100.0%"},
             {humanBytes(r.file), "100.0%"}));
  t.print(os);
  // bloaty says what its filter left out, under the table.
  if (style.filtered)
    os << "--source-filter left out " << humanBytes(style.filtered->omittedVm)
       << " of VM size, " << humanBytes(style.filtered->omittedFile)
       << " of file size\n";
  for (const SizeResult::Stripped &s : r.stripped)
    os << "note: " << s.path << " is stripped (" << s.namesLeft << "): "
       << humanBytes(s.unnamedCode)
       << " of code has no name here; the unstripped build and its debug "
          "file (.debug, .dSYM or .pdb) have the names\n";
}

static std::string signedBytes(int64_t d) {
  if (d == 0)
    return "0";
  return (d > 0 ? "+" : "-") + humanBytes(uint64_t(std::llabs(d)));
}

std::vector<std::string> diffCells(const SizeTableStyle &style,
                                   std::string name,
                                   std::vector<std::string> n,
                                   bool fileFirst) {
  if (!style.file)
    return {std::move(name), n[0], n[4], n[5]};
  if (!style.vm)
    return {std::move(name), n[1], n[2], n[3]};
  if (fileFirst)
    return {std::move(name), n[1], n[0], n[2], n[3]};
  return {std::move(name), n[0], n[1], n[2], n[3]};
}

std::vector<std::string> diffNumbers(const SizeDiffRow &row,
                                     std::string (*change)(int64_t)) {
  return {change(row.dVm()),          change(row.dFile()),
          humanBytes(row.oldFile),    humanBytes(row.newFile),
          humanBytes(row.oldVm),      humanBytes(row.newVm)};
}

static void diffTableRows(Table &t, const std::vector<SizeDiffRow> &rows,
                          int depth, const SizeTableStyle &style) {
  for (const SizeDiffRow &row : rows) {
    t.row(diffCells(style, indentedName(row.name, depth, style),
                    diffNumbers(row, signedBytes)));
    diffTableRows(t, row.children, depth + 1, style);
  }
}

void printSizeDiffTable(const SizeDiff &d, llvm::raw_ostream &os,
                        const SizeTableStyle &style) {
  os << "old: " << d.oldFile << "\nnew: " << d.newFile << "\n\n";
  if (d.rows.empty() && d.oldSize == d.newSize && d.oldVm == d.newVm) {
    os << "no differences (" << humanBytes(d.newSize) << ", "
       << viewsTitle(d.views) << ")\n";
    return;
  }
  Table t(diffCells(style, viewsTitle(d.views),
                   {">VM change", ">file change", ">old file", ">new file",
                    ">old VM", ">new VM"}));
  diffTableRows(t, d.rows, 0, style);
  t.rule();
  t.row(diffCells(style, "TOTAL",
                 {signedBytes(d.newVm - d.oldVm),
                  signedBytes(d.newSize - d.oldSize), humanBytes(d.oldSize),
                  humanBytes(d.newSize), humanBytes(d.oldVm),
                  humanBytes(d.newVm)}));
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
                   const std::vector<std::string> &outputs,
                   const BudgetVerdict *budget) {
  llvm::json::OStream j(os, 2);
  j.object([&] {
    jsonHeader(j, "size", r.files, outputs);
    if (budget)
      writeBudgetJson(*budget, j);
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
    // Files stripped of their names (only with views that name bytes).
    j.attributeArray("stripped", [&] {
      for (const SizeResult::Stripped &s : r.stripped)
        j.object([&] {
          j.attribute("file", s.path);
          j.attribute("names", s.namesLeft);
          j.attribute("unnamed_code_size", int64_t(s.unnamedCode));
        });
    });
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
                       const std::vector<std::string> &outputs,
                       const BudgetVerdict *budget) {
  llvm::json::OStream j(os, 2);
  j.object([&] {
    jsonHeader(j, "size", {d.oldFile, d.newFile}, outputs);
    if (budget)
      writeBudgetJson(*budget, j);
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
                      llvm::raw_ostream &os, char sep, bool sliced = false) {
  std::string line = sliced ? std::string("slice") + sep : "";
  for (SizeView v : views)
    line += std::string(sizeViewName(v)) + sep;
  for (const char *c : cols)
    line += std::string(c) + sep;
  line.pop_back();
  os << line << "\n";
}

// One line per leaf row; its path of names fills the view columns (a
// shallower leaf, such as "[3 others]", leaves the deeper columns empty).
// `tabs`: TSV, whose fields are never quoted (bloaty's); the numbers come
// comma-separated from `numbers`.
template <class Row, class F>
static void csvLeaves(const std::vector<Row> &rows, std::vector<std::string> &path,
                      size_t nviews, F numbers, llvm::raw_ostream &os,
                      bool tabs) {
  for (const Row &row : rows) {
    path.push_back(row.name);
    if (row.children.empty()) {
      std::string line;
      for (size_t i = 0; i < nviews; ++i)
        line += (i >= path.size() ? ""
                 : tabs           ? path[i]
                                  : csvField(path[i])) +
                (tabs ? "\t" : ",");
      std::string n = numbers(row);
      if (tabs)
        std::replace(n.begin(), n.end(), ',', '\t');
      os << line << n << "\n";
    } else {
      csvLeaves(row.children, path, nviews, numbers, os, tabs);
    }
    path.pop_back();
  }
}

void printSizeCsv(const SizeResult &r, llvm::raw_ostream &os, bool tabs) {
  csvHeader(r.views, {"vm_size", "file_size"}, os, tabs ? '\t' : ',',
            r.sliced);
  std::vector<std::string> path;
  csvLeaves(r.rows, path, r.views.size() + r.sliced,
            [](const SizeRow &x) {
              return std::to_string(x.vm) + "," + std::to_string(x.file);
            },
            os, tabs);
}

void printSizeDiffCsv(const SizeDiff &d, llvm::raw_ostream &os, bool tabs) {
  csvHeader(d.views,
            {"old_vm_size", "new_vm_size", "vm_change", "old_file_size",
             "new_file_size", "file_change"},
            os, tabs ? '\t' : ',');
  std::vector<std::string> path;
  csvLeaves(d.rows, path, d.views.size(),
            [](const SizeDiffRow &x) {
              return std::to_string(x.oldVm) + "," + std::to_string(x.newVm) +
                     "," + std::to_string(x.dVm()) + "," +
                     std::to_string(x.oldFile) + "," +
                     std::to_string(x.newFile) + "," +
                     std::to_string(x.dFile());
            },
            os, tabs);
}

// ------------------------------------------------------------ duplicates

SizeDuplicates topDuplicates(const SizeDuplicates &d, size_t n) {
  SizeDuplicates out = d;
  if (!n || d.rows.size() <= n)
    return out;
  out.rows.resize(n);
  DuplicateRow rest;
  rest.name = othersName(d.rows.size() - n);
  for (size_t i = n; i < d.rows.size(); ++i) {
    rest.vm += d.rows[i].vm;
    rest.file += d.rows[i].file;
    rest.duplicatedVm += d.rows[i].duplicatedVm;
    rest.duplicatedFile += d.rows[i].duplicatedFile;
  }
  out.rows.push_back(std::move(rest));
  return out;
}

// A row's name as shown: a symbol demangled as -C says; "[K others]" as is.
static std::string shownName(const SizeDuplicates &d, const DuplicateRow &r,
                             Demangle symbols) {
  if (d.view != SizeView::Symbols || r.files.empty())
    return r.name;
  return symbolName(r.name, symbols);
}

static std::string joined(const std::vector<std::string> &v) {
  std::string s;
  for (const std::string &x : v)
    s += (s.empty() ? "" : ", ") + x;
  return s;
}

void printSizeDuplicatesTable(const SizeDuplicates &d, llvm::raw_ostream &os,
                              Demangle symbols, const SizeTableStyle &style) {
  const char *view = sizeViewName(d.view);
  if (d.rows.empty()) {
    os << "no " << view << " in more than one of the " << d.files.size()
       << " inputs\n";
  } else {
    bool crates = d.view == SizeView::Crates;
    auto cells = [&](std::string name, std::string copies,
                     std::vector<std::string> vm,
                     std::vector<std::string> file, std::string note) {
      std::vector<std::string> c = line(style, std::move(name), std::move(vm),
                                        std::move(file));
      c.insert(c.begin() + 1, std::move(copies));
      if (crates)
        c.push_back(std::move(note));
      return c;
    };
    Table t(cells(std::string(view) + " in more than one file", ">copies",
                  {">VM size", ">duplicated VM"},
                  {">file size", ">duplicated file"}, "versions"));
    for (const DuplicateRow &r : d.rows)
      t.row(cells(indentedName(shownName(d, r, symbols), 0, style),
                  r.files.empty() ? "" : std::to_string(r.copies()),
                  {humanBytes(r.vm), humanBytes(r.duplicatedVm)},
                  {humanBytes(r.file), humanBytes(r.duplicatedFile)},
                  r.versionsDiffer ? "differ" : ""));
    t.rule();
    t.row(cells("TOTAL duplicated", "", {"", humanBytes(d.duplicatedVm)},
                {"", humanBytes(d.duplicatedFile)}, ""));
    t.print(os);
    os << "One shared copy of each would save at most "
       << humanBytes(d.duplicatedFile) << " of file size and "
       << humanBytes(d.duplicatedVm) << " of VM size, of the "
       << d.files.size() << " inputs' " << humanBytes(d.file) << " ("
       << humanBytes(d.vm) << " VM).\n";
    if (llvm::any_of(d.rows, [](const DuplicateRow &r) {
          return r.versionsDiffer;
        }))
      os << "versions differ: the copies have no Rust symbol name in common "
            "(another version of the crate, or another rustc): matched by "
            "crate name alone.\n";
  }
  if (!d.stripped.empty())
    os << "stripped (matched by the names that survive): "
       << joined(d.stripped) << "\n";
  if (!d.unnamed.empty())
    os << "no " << (d.view == SizeView::Crates    ? "crate"
                    : d.view == SizeView::Symbols ? "symbol"
                                                  : "section")
       << " names to match: " << joined(d.unnamed) << "\n";
}

void printSizeDuplicatesJson(const SizeDuplicates &d, llvm::raw_ostream &os,
                             Demangle symbols,
                             const std::vector<std::string> &outputs) {
  llvm::json::OStream j(os, 2);
  j.object([&] {
    jsonHeader(j, "size", d.files, outputs);
    j.attributeArray("files", [&] {
      for (const std::string &f : d.files)
        j.value(f);
    });
    j.attributeArray("views", [&] { j.value(sizeViewName(d.view)); });
    j.attribute("duplicates", true);
    j.attribute("vm_size", int64_t(d.vm));
    j.attribute("file_size", int64_t(d.file));
    j.attribute("duplicated_vm", int64_t(d.duplicatedVm));
    j.attribute("duplicated_file", int64_t(d.duplicatedFile));
    j.attributeArray("stripped", [&] {
      for (const std::string &f : d.stripped)
        j.value(f);
    });
    j.attributeArray("no_names", [&] {
      for (const std::string &f : d.unnamed)
        j.value(f);
    });
    j.attributeArray("rows", [&] {
      for (const DuplicateRow &r : d.rows)
        j.object([&] {
          j.attribute("name", shownName(d, r, symbols));
          if (d.view == SizeView::Symbols && !r.files.empty())
            j.attribute("mangled", r.name);
          if (!r.files.empty())
            j.attribute("copies", int64_t(r.copies()));
          j.attribute("vm_size", int64_t(r.vm));
          j.attribute("file_size", int64_t(r.file));
          j.attribute("duplicated_vm", int64_t(r.duplicatedVm));
          j.attribute("duplicated_file", int64_t(r.duplicatedFile));
          if (d.view == SizeView::Crates && !r.files.empty())
            j.attribute("versions_differ", r.versionsDiffer);
          if (!r.files.empty())
            j.attributeArray("files", [&] {
              for (const std::string &f : r.files)
                j.value(f);
            });
        });
    });
  });
  os << "\n";
}

void printSizeDuplicatesCsv(const SizeDuplicates &d, llvm::raw_ostream &os,
                            Demangle symbols, bool tabs) {
  bool crates = d.view == SizeView::Crates;
  if (crates)
    csvHeader({d.view},
              {"copies", "vm_size", "file_size", "duplicated_vm",
               "duplicated_file", "versions_differ"},
              os, tabs ? '\t' : ',');
  else
    csvHeader({d.view},
              {"copies", "vm_size", "file_size", "duplicated_vm",
               "duplicated_file"},
              os, tabs ? '\t' : ',');
  std::string sep = tabs ? "\t" : ",";
  for (const DuplicateRow &r : d.rows) {
    std::string name = shownName(d, r, symbols);
    os << (tabs ? name : csvField(name)) << sep
       << (r.files.empty() ? "" : std::to_string(r.copies())) << sep << r.vm
       << sep << r.file << sep << r.duplicatedVm << sep << r.duplicatedFile;
    if (crates)
      os << sep << (r.files.empty() ? "" : r.versionsDiffer ? "1" : "0");
    os << "\n";
  }
}

} // namespace slimlink
