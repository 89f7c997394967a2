// size --markdown: the table, the diff and the duplicates as GitHub-flavoured
// Markdown, for a CI step to post as a pull request comment as it is. The
// rows are the ones the caller picked (topRows: the top -n of each level,
// the rest folded into "[K others]"), in their order: largest (diffs:
// largest change) first.
#include "report/markdown.h"
#include "report/size_report.h"
#include "report/table.h"

namespace slimlink {

static std::string viewsOf(const std::vector<SizeView> &views) {
  std::string s;
  for (SizeView v : views)
    s += (s.empty() ? "" : ", ") + std::string(sizeViewName(v));
  return s;
}

static std::string filesOf(const std::vector<std::string> &files) {
  std::string s;
  for (const std::string &f : files)
    s += (s.empty() ? "" : ", ") + markdownCode(f);
  return s;
}

// Markdown tables have no indentation: a nested row's name is led by
// em spaces and an arrow, one step per level.
static std::string nestedName(const std::string &name, int depth) {
  std::string lead;
  for (int i = 0; i < depth; ++i)
    lead += "&emsp;";
  return lead + (depth ? "↳ " : "") + markdownCode(name);
}

// The columns --domain shows, file size first: it is what rows are sorted
// by (-s file, the default; a diff's file change, duplicated file bytes)
// and what ships, what a review asks about first.
static std::vector<std::string> cells(const SizeTableStyle &style,
                                      std::string name,
                                      std::vector<std::string> vm,
                                      std::vector<std::string> file) {
  return domainCells(style, std::move(name), std::move(vm), std::move(file),
                     /*fileFirst=*/true);
}

static void markdownRows(MarkdownTable &t, const std::vector<SizeRow> &rows,
                         int depth, const SizeResult &r,
                         const SizeTableStyle &style) {
  for (const SizeRow &row : rows) {
    t.row(cells(style, nestedName(row.name, depth),
                {humanBytes(row.vm), percent(row.vm, r.vm)},
                {humanBytes(row.file), percent(row.file, r.file)}));
    markdownRows(t, row.children, depth + 1, r, style);
  }
}

void printSizeMarkdown(const SizeResult &r, llvm::raw_ostream &os,
                       const SizeTableStyle &style) {
  os << "### Size of " << filesOf(r.files) << "\n\n";
  MarkdownTable t(cells(style, (r.sliced ? "slices, " : "") + viewsOf(r.views),
                        {">VM size", ">%"}, {">file size", ">%"}));
  markdownRows(t, r.rows, 0, r, style);
  t.row(cells(style, "**TOTAL**",
              {"**" + humanBytes(r.vm) + "**", "100.0%"},
              {"**" + humanBytes(r.file) + "**", "100.0%"}));
  t.print(os);
  if (style.filtered)
    os << "\n--source-filter left out " << humanBytes(style.filtered->omittedVm)
       << " of VM size, " << humanBytes(style.filtered->omittedFile)
       << " of file size.\n";
  for (const SizeResult::Stripped &s : r.stripped)
    os << "\nNote: " << markdownCode(s.path) << " is stripped ("
       << s.namesLeft << "): " << humanBytes(s.unnamedCode)
       << " of code has no name here.\n";
}

static void markdownDiffRows(MarkdownTable &t,
                             const std::vector<SizeDiffRow> &rows, int depth,
                             const SizeTableStyle &style) {
  for (const SizeDiffRow &row : rows) {
    t.row(diffCells(style, nestedName(row.name, depth),
                    diffNumbers(row, markdownChange), /*fileFirst=*/true));
    markdownDiffRows(t, row.children, depth + 1, style);
  }
}

void printSizeDiffMarkdown(const SizeDiff &d, llvm::raw_ostream &os,
                           const SizeTableStyle &style) {
  os << "### Size change: " << markdownCode(d.oldFile) << " → "
     << markdownCode(d.newFile) << "\n\n";
  os << "File size " << humanBytes(d.oldSize) << " → " << humanBytes(d.newSize)
     << " (**" << markdownChange(d.newSize - d.oldSize) << "**), VM size "
     << humanBytes(d.oldVm) << " → " << humanBytes(d.newVm) << " ("
     << markdownChange(d.newVm - d.oldVm) << ").\n\n";
  if (d.rows.empty()) {
    os << "No " << viewsOf(d.views) << " changed.\n";
    return;
  }
  MarkdownTable t(diffCells(style, viewsOf(d.views),
                            {">VM change", ">file change", ">old file",
                             ">new file", ">old VM", ">new VM"},
                            /*fileFirst=*/true));
  markdownDiffRows(t, d.rows, 0, style);
  t.row(diffCells(style, "**TOTAL**",
                  {"**" + markdownChange(d.newVm - d.oldVm) + "**",
                   "**" + markdownChange(d.newSize - d.oldSize) + "**",
                   humanBytes(d.oldSize), humanBytes(d.newSize),
                   humanBytes(d.oldVm), humanBytes(d.newVm)},
                  /*fileFirst=*/true));
  t.print(os);
}

void printSizeDuplicatesMarkdown(const SizeDuplicates &d,
                                 llvm::raw_ostream &os, Demangle symbols,
                                 const SizeTableStyle &style) {
  const char *view = sizeViewName(d.view);
  os << "### Duplicates across " << d.files.size() << " files\n\n";
  if (d.rows.empty()) {
    os << "No " << view << " in more than one of " << filesOf(d.files)
       << ".\n";
  } else {
    bool crates = d.view == SizeView::Crates;
    auto row = [&](std::string name, std::string copies,
                   std::vector<std::string> vm, std::vector<std::string> file,
                   std::string note) {
      std::vector<std::string> c =
          cells(style, std::move(name), std::move(vm), std::move(file));
      c.insert(c.begin() + 1, std::move(copies));
      if (crates)
        c.push_back(std::move(note));
      return c;
    };
    MarkdownTable t(row(std::string(view) + " in more than one file",
                        ">copies", {">VM size", ">duplicated VM"},
                        {">file size", ">duplicated file"}, "versions"));
    for (const DuplicateRow &r : d.rows) {
      bool folded = r.files.empty(); // "[K others]"
      std::string name = d.view == SizeView::Symbols && !folded
                             ? symbolName(r.name, symbols)
                             : r.name;
      t.row(row(markdownCode(name), folded ? "" : std::to_string(r.copies()),
                {humanBytes(r.vm), humanBytes(r.duplicatedVm)},
                {humanBytes(r.file), humanBytes(r.duplicatedFile)},
                r.versionsDiffer ? "differ" : ""));
    }
    t.row(row("**TOTAL duplicated**", "",
              {"", "**" + humanBytes(d.duplicatedVm) + "**"},
              {"", "**" + humanBytes(d.duplicatedFile) + "**"}, ""));
    t.print(os);
    os << "\nOne shared copy of each would save at most "
       << humanBytes(d.duplicatedFile) << " of file size ("
       << groupedDigits(d.duplicatedFile) << " B) and "
       << humanBytes(d.duplicatedVm) << " of VM size, of the "
       << d.files.size() << " files' " << humanBytes(d.file) << ".\n";
  }
  if (!d.stripped.empty())
    os << "\nStripped (matched by the names that survive): "
       << filesOf(d.stripped) << ".\n";
  if (!d.unnamed.empty())
    os << "\nNo names to match: " << filesOf(d.unnamed) << ".\n";
}

} // namespace slimlink
