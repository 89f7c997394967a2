// Reports for `slimlink size`: a table for people, CSV and JSON for scripts
// (columns documented in README.md), and a self-contained HTML treemap.
#pragma once

#include "passes/size.h"
#include "passes/size_budget.h"
#include "passes/size_duplicates.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace slimlink {

// The order of each level's rows (bloaty's -s), largest first: by file size
// (then VM size), by VM size (then file size), or by the larger of the two
// (bloaty's default); ties by name. A diff's rows go by the size of the
// change.
enum class SizeSort { File, Vm, Both };

// Keeps the first `n` rows of every level (0: all) and folds the rest into
// one "[K others]" row, so that the rows still sum to the totals. The
// printers below print the rows they are given: the caller picks them with
// topRows, then demangles them (demangleRows).
std::vector<SizeRow> topRows(const std::vector<SizeRow> &rows, size_t n,
                             SizeSort sort = SizeSort::File);
std::vector<SizeDiffRow> topRows(const std::vector<SizeDiffRow> &rows,
                                 size_t n, SizeSort sort = SizeSort::File);

// What the table shows (the JSON and CSV always have everything).
struct SizeTableStyle {
  bool vm = true, file = true; // --domain: the VM and file size columns
  bool wide = false;           // -w: names whole, not shortened
  // --source-filter: what it left out, said under the table.
  std::optional<SizeFilter> filtered;
};

// A table's cells: the name, then the columns --domain shows (each a list:
// size, share...), the VM ones first (the terminal table, bloaty's order)
// or the file ones (Markdown: what ships, what a review asks about first).
std::vector<std::string> domainCells(const SizeTableStyle &style,
                                     std::string name,
                                     std::vector<std::string> vm,
                                     std::vector<std::string> file,
                                     bool fileFirst = false);

// A diff table's cells: the name, then of `n` (the VM change, the file
// change, old and new file size, old and new VM size) what --domain shows:
// vm: the VM change, old and new VM; file: the same of the file; both: both
// changes (VM first, or file first for Markdown), then the file sizes.
std::vector<std::string> diffCells(const SizeTableStyle &style,
                                   std::string name,
                                   std::vector<std::string> n,
                                   bool fileFirst = false);
// The six values of `n` above for one diff row, changes as `change` writes
// them.
std::vector<std::string> diffNumbers(const SizeDiffRow &row,
                                     std::string (*change)(int64_t));

void printSizeTable(const SizeResult &r, llvm::raw_ostream &os,
                    const SizeTableStyle &style = {});
// `outputs`: the files the run writes (-o, --html), for the JSON header.
// `budget`: --budget's verdict, as top-level fields (writeBudgetJson).
void printSizeJson(const SizeResult &r, llvm::raw_ostream &os,
                   const std::vector<std::string> &outputs = {},
                   const BudgetVerdict *budget = nullptr);
// `tabs`: TSV, bloaty's: fields separated by tabs, never quoted.
void printSizeCsv(const SizeResult &r, llvm::raw_ostream &os,
                  bool tabs = false);

void printSizeDiffTable(const SizeDiff &d, llvm::raw_ostream &os,
                        const SizeTableStyle &style = {});
void printSizeDiffJson(const SizeDiff &d, llvm::raw_ostream &os,
                       const std::vector<std::string> &outputs = {},
                       const BudgetVerdict *budget = nullptr);
void printSizeDiffCsv(const SizeDiff &d, llvm::raw_ostream &os,
                      bool tabs = false);

// --duplicates: the first `n` rows (0: all), the rest folded into one
// "[K others]" row (no copies, no files) so that the rows still sum to the
// totals. The printers print the rows they are given; `symbols` is how the
// symbols view's mangled names are shown (-C).
SizeDuplicates topDuplicates(const SizeDuplicates &d, size_t n);
void printSizeDuplicatesTable(const SizeDuplicates &d, llvm::raw_ostream &os,
                              Demangle symbols,
                              const SizeTableStyle &style = {});
void printSizeDuplicatesJson(const SizeDuplicates &d, llvm::raw_ostream &os,
                             Demangle symbols,
                             const std::vector<std::string> &outputs = {});
void printSizeDuplicatesCsv(const SizeDuplicates &d, llvm::raw_ostream &os,
                            Demangle symbols, bool tabs = false);

// --markdown (report/size_markdown.cc): GitHub-flavoured Markdown of the
// table, the diff and the duplicates, to post as a review comment as is: a
// heading, a summary line, a table of the rows given (in their order, names
// as code spans), TOTAL.
void printSizeMarkdown(const SizeResult &r, llvm::raw_ostream &os,
                       const SizeTableStyle &style = {});
void printSizeDiffMarkdown(const SizeDiff &d, llvm::raw_ostream &os,
                           const SizeTableStyle &style = {});
void printSizeDuplicatesMarkdown(const SizeDuplicates &d,
                                 llvm::raw_ostream &os, Demangle symbols,
                                 const SizeTableStyle &style = {});

// --budget's verdict (report/budget_report.cc), under the report: a table
// of every limit (exceeded ones first, most exceeded first) with its value,
// its budget and by how much it is exceeded, then the headline.
std::string budgetHeadline(const BudgetVerdict &v);
void printBudgetTable(const BudgetVerdict &v, llvm::raw_ostream &os);
void printBudgetMarkdown(const BudgetVerdict &v, llvm::raw_ostream &os);
// "ok" (as verify's report) and "budget": {file, exceeded, limits: [{kind,
// path, line, limit, checked, value, over, found}]}.
void writeBudgetJson(const BudgetVerdict &v, llvm::json::OStream &j);

// One HTML file, no network: an interactive treemap of the rows (nested by
// the views) and the table. In report/html.cc.
std::string renderSizeHtml(const SizeResult &r);
// The same page for --duplicates: a box per duplicate, sized by its
// duplicated bytes.
std::string renderSizeDuplicatesHtml(const SizeDuplicates &d,
                                     Demangle symbols);
// The same page for --diff: boxes sized by the change, red grew, green shrank.
std::string renderSizeDiffHtml(const SizeDiff &d);
// The same page for any tree of rows (`why`'s dominator tree): `title` is
// the heading, `summary` HTML under it, `total` the bytes of the whole.
std::string renderTreemapHtml(const std::string &title,
                              const std::string &summary,
                              const std::vector<SizeRow> &rows, uint64_t total);

} // namespace slimlink
