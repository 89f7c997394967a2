// slimlink size: the CLI side. Reads, attributes, reports.
#include "cli/commands.h"
#include "passes/size.h"
#include "report/size_report.h"
#include "support/diagnostics.h"
#include "write/write_file.h"

#include "llvm/Support/BuryPointer.h"
#include "llvm/Support/raw_ostream.h"

namespace slimlink {

namespace {
struct SizeArgs {
  std::vector<std::string> inputs, views, diff;
  long rows = -1; // -n; -1: 20 for the table, all for --json/--csv/--html
  bool json = false;
  std::string csv, html;
};
} // namespace

static std::vector<SizeView> parseViews(const std::vector<std::string> &names) {
  std::vector<SizeView> views;
  for (const std::string &n : names) {
    auto v = parseSizeView(n);
    if (!v)
      throw UserError("unknown view '" + n +
                      "' (views: sections, segments, symbols, crates, "
                      "members, compileunits, inputfiles)");
    if (std::find(views.begin(), views.end(), *v) != views.end())
      throw UserError("view '" + n + "' given twice");
    views.push_back(*v);
  }
  if (views.empty())
    views.push_back(SizeView::Sections);
  return views;
}

static std::vector<SizeFile> load(const std::vector<std::string> &paths,
                                  const std::vector<SizeView> &views) {
  std::vector<SizeFile> files;
  for (const std::string &p : paths)
    files.push_back(loadSizeFile(p, views));
  return files;
}

template <class Print>
static std::string toString(Print print) {
  std::string s;
  llvm::raw_string_ostream os(s);
  print(os);
  return s;
}

// The rows an output shows: the top n of each level, demangled.
static std::vector<SizeRow> shown(const SizeResult &r, size_t n) {
  std::vector<SizeRow> rows = topRows(r.rows, n);
  demangleRows(rows);
  return rows;
}

static void runSize(const SizeArgs &a) {
  std::vector<SizeView> views = parseViews(a.views);
  size_t tableRows = a.rows < 0 ? 20 : size_t(a.rows);
  size_t allRows = a.rows < 0 ? 0 : size_t(a.rows);

  if (!a.diff.empty()) {
    if (!a.inputs.empty())
      throw UserError("--diff OLD NEW compares two files; give no other "
                      "inputs");
    SizeResult before = computeSize(load({a.diff[0]}, views), views);
    SizeResult after = computeSize(load({a.diff[1]}, views), views);
    SizeDiff d = diffSizes(before, after);
    auto pick = [&](size_t n) {
      SizeDiff s = d;
      s.rows = topRows(d.rows, n);
      demangleRows(s.rows);
      return s;
    };
    if (!a.csv.empty() && a.csv != "-")
      writeFileAtomically(a.csv, toString([&](llvm::raw_ostream &os) {
                            printSizeDiffCsv(pick(allRows), os);
                          }));
    if (!a.html.empty())
      writeFileAtomically(a.html,
                          renderSizeDiffHtml(pick(a.rows < 0 ? 500 : a.rows)));
    if (a.json)
      printSizeDiffJson(pick(allRows), llvm::outs());
    else if (a.csv == "-")
      printSizeDiffCsv(pick(allRows), llvm::outs());
    else
      printSizeDiffTable(pick(tableRows), llvm::outs());
    return;
  }

  if (a.inputs.empty())
    throw UserError("size needs a FILE (or --diff OLD NEW)");
  // The inputs and rows live until exit, and are not freed: freeing a
  // million small strings took a fifth of the run time (lld does the same).
  auto *files = new std::vector<SizeFile>(load(a.inputs, views));
  SizeResult &r = *new SizeResult(computeSize(*files, views));
  llvm::BuryPointer(files); // on purpose, and LeakSanitizer knows it
  llvm::BuryPointer(&r);
  auto pick = [&](size_t n) {
    SizeResult s;
    s.views = r.views;
    s.files = r.files;
    s.vm = r.vm;
    s.file = r.file;
    s.rows = shown(r, n);
    return s;
  };
  // Files first, all of them, so that an error leaves stdout untouched too.
  if (!a.csv.empty() && a.csv != "-")
    writeFileAtomically(a.csv, toString([&](llvm::raw_ostream &os) {
                          printSizeCsv(pick(allRows), os);
                        }));
  if (!a.html.empty())
    // A treemap of a million boxes helps no one: the top 500 of each level
    // (the rest in one box per level) unless -n says otherwise.
    writeFileAtomically(a.html, renderSizeHtml(pick(a.rows < 0 ? 500 : a.rows)));
  if (a.json)
    printSizeJson(pick(allRows), llvm::outs());
  else if (a.csv == "-")
    printSizeCsv(pick(allRows), llvm::outs());
  else
    printSizeTable(pick(tableRows), llvm::outs());
}

void addSizeCommand(CLI::App &app) {
  auto args = std::make_shared<SizeArgs>();
  CLI::App *sub = app.add_subcommand(
      "size", "Show where every byte of a binary, object or archive goes");
  sub->footer(
      "Every byte of each file is in exactly one row, in VM size (memory "
      "once loaded) and in file size; bytes no section or symbol claims get "
      "bracketed rows ([ELF header], [section headers], [padding], "
      "[unmapped], [archive headers], ...), so each column sums to the "
      "total. Views nest: -d crates,symbols lists the symbols inside each "
      "crate.\n\n"
      "Views: sections (default), segments, symbols, crates, members, "
      "compileunits (DWARF), inputfiles.\n\n"
      "Examples:\n"
      "  slimlink size target/release/app -d crates\n"
      "  slimlink size libfoo.a -d members,symbols -n 10\n"
      "  slimlink size --diff app.old app -d sections\n"
      "  slimlink size app -d crates,symbols --html size.html");
  sub->add_option("files", args->inputs, "ELF executables, shared libraries, "
                                         "objects, archives")
      ->type_name("FILE");
  sub->add_option("-d,--view", args->views,
                  "Views to group by, outermost first (comma-separated)")
      ->delimiter(',')
      ->type_name("VIEW[,VIEW...]");
  sub->add_option("-n,--rows", args->rows,
                  "Rows per level; the rest are folded into one row "
                  "(0: all; default 20 in the table, all otherwise)")
      ->check(CLI::NonNegativeNumber)
      ->type_name("N");
  sub->add_option("--diff", args->diff, "Compare two files: the change per row")
      ->expected(2)
      ->type_name("OLD NEW");
  sub->add_flag("--json", args->json, "Print JSON instead of the table");
  sub->add_option("--csv", args->csv, "Write CSV to OUT ('-': print it)")
      ->type_name("OUT");
  sub->add_option("--html", args->html,
                  "Write an interactive treemap page (self-contained) to OUT")
      ->type_name("OUT");
  sub->callback([args] { runSize(*args); });
}

} // namespace slimlink
