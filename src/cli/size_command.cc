// slimlink size: the CLI side. Reads, attributes, reports.
#include "cli/commands.h"
#include "passes/size.h"
#include "report/size_report.h"
#include "support/diagnostics.h"
#include "write/write_file.h"

#include "llvm/Object/MachO.h"
#include "llvm/Support/BuryPointer.h"
#include "llvm/Support/raw_ostream.h"

namespace slimlink {

namespace {
struct SizeArgs {
  std::vector<std::string> inputs, views, diff;
  std::string rows; // -n; unset: 20 for the table, all for --json/--csv/--html
  bool json = false;
  std::string csv;  // "": no CSV; "-": CSV (to -o or stdout); else a file
  std::string output, html;
  std::string arch; // --arch: one slice of universal inputs
  bool diffGiven = false; // --diff, with however many files (runSize checks)
};

// Where the report goes and in which form, bloaty's way: --json and --csv
// choose the form and print to stdout; -o FILE (or --csv=FILE) writes it.
struct Destination {
  enum Form { Table, Json, Csv } form = Table;
  std::string file; // "": stdout
};

Destination destinationOf(const SizeArgs &a) {
  Destination d;
  if (a.json && !a.csv.empty())
    throw UserError("--json and --csv: choose one");
  d.form = a.json ? Destination::Json
           : !a.csv.empty() ? Destination::Csv
                            : Destination::Table;
  d.file = a.output;
  if (!a.csv.empty() && a.csv != "-") {
    if (!a.output.empty() && a.output != a.csv)
      throw UserError("--csv=" + a.csv + " and -o " + a.output +
                      ": name one file");
    d.file = a.csv;
  }
  return d;
}

// -n N: a whole number of rows; 0 for all.
long rowsOf(const std::string &n) {
  if (n.empty())
    return -1;
  unsigned long long v;
  if (llvm::StringRef(n).getAsInteger(10, v) || v > (1ull << 40))
    throw UserError("-n takes a number of rows (0 for all), not '" + n + "'");
  return long(v);
}
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
                                  const std::vector<SizeView> &views,
                                  const std::string &arch) {
  // A name no slice can have: say so, rather than that each file lacks it.
  if (!arch.empty() && !llvm::object::MachOObjectFile::isValidArch(arch)) {
    std::string names;
    for (llvm::StringRef n : llvm::object::MachOObjectFile::getValidArchs())
      names += (names.empty() ? "" : ", ") + n.str();
    throw UserError("--arch " + arch + ": not an architecture name (a "
                    "universal file's slices are named " + names + ")");
  }
  std::vector<SizeFile> files;
  for (const std::string &p : paths)
    files.push_back(loadSizeFile(p, views, arch));
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

// Writes the report to the destination: a file atomically, else stdout.
template <class Print>
static void emit(const Destination &d, Print print) {
  if (d.file.empty())
    print(llvm::outs());
  else
    writeFileAtomically(d.file, toString(print));
}

static void runSize(const SizeArgs &a) {
  std::vector<SizeView> views = parseViews(a.views);
  Destination dest = destinationOf(a);
  long n = rowsOf(a.rows);
  size_t tableRows = n < 0 ? 20 : size_t(n);
  size_t allRows = n < 0 ? 0 : size_t(n);
  size_t htmlRows = n < 0 ? 500 : size_t(n);
  std::vector<std::string> outputs;
  for (const std::string &o : {dest.file, a.html})
    if (!o.empty())
      outputs.push_back(o);

  if (a.diffGiven) {
    // A bare --diff leaves CLI11's one empty value.
    size_t n = a.diff.size() == 1 && a.diff[0].empty() ? 0 : a.diff.size();
    if (n != 2)
      throw UserError("--diff takes two files, OLD and NEW, and compares "
                      "them; it was given " +
                      (n == 0 ? std::string("none")
                              : std::to_string(n) + (n == 1 ? " file" : " files")));
    if (!a.inputs.empty())
      throw UserError("--diff OLD NEW compares two files; give no other "
                      "inputs");
    std::vector<SizeFile> oldFile = load({a.diff[0]}, views, a.arch);
    std::vector<SizeFile> newFile = load({a.diff[1]}, views, a.arch);
    checkOutputsAreNotInputs(outputs);
    SizeResult before = computeSize(oldFile, views);
    SizeResult after = computeSize(newFile, views);
    // A stripped file's code has no names: diffing it by symbol or crate
    // would show every lost name as a saving.
    bool named = llvm::is_contained(views, SizeView::Symbols) ||
                 llvm::is_contained(views, SizeView::Crates);
    if (named && before.stripped.empty() != after.stripped.empty()) {
      const std::string &s =
          before.stripped.empty() ? after.stripped[0] : before.stripped[0];
      throw UserError(s + " has no symbol table (stripped): its code cannot "
                          "be named by symbol or crate, so this diff would "
                          "show lost names as savings; compare with -d "
                          "sections (or segments), or against an unstripped "
                          "build");
    }
    SizeDiff d = diffSizes(before, after);
    auto pick = [&](size_t n) {
      SizeDiff s = d;
      s.rows = topRows(d.rows, n);
      demangleRows(s.rows);
      return s;
    };
    if (!a.html.empty())
      writeFileAtomically(a.html, renderSizeDiffHtml(pick(htmlRows)));
    emit(dest, [&](llvm::raw_ostream &os) {
      if (dest.form == Destination::Json)
        printSizeDiffJson(pick(allRows), os, outputs);
      else if (dest.form == Destination::Csv)
        printSizeDiffCsv(pick(allRows), os);
      else
        printSizeDiffTable(pick(tableRows), os);
    });
    return;
  }

  if (a.inputs.empty())
    throw UserError("size needs a FILE (or --diff OLD NEW)");
  // The inputs and rows live until exit, and are not freed: freeing a
  // million small strings took a fifth of the run time (lld does the same).
  auto *files = new std::vector<SizeFile>(load(a.inputs, views, a.arch));
  checkOutputsAreNotInputs(outputs);
  SizeResult &r = *new SizeResult(computeSize(*files, views));
  llvm::BuryPointer(files); // on purpose, and LeakSanitizer knows it
  llvm::BuryPointer(&r);
  auto pick = [&](size_t n) {
    SizeResult s;
    s.views = r.views;
    s.files = r.files;
    s.vm = r.vm;
    s.file = r.file;
    s.sliced = r.sliced;
    s.rows = shown(r, n);
    return s;
  };
  // The page first, so that an error leaves stdout untouched too. A treemap
  // of a million boxes helps no one: the top 500 of each level (the rest in
  // one box per level) unless -n says otherwise.
  if (!a.html.empty())
    writeFileAtomically(a.html, renderSizeHtml(pick(htmlRows)));
  emit(dest, [&](llvm::raw_ostream &os) {
    if (dest.form == Destination::Json)
      printSizeJson(pick(allRows), os, outputs);
    else if (dest.form == Destination::Csv)
      printSizeCsv(pick(allRows), os);
    else
      printSizeTable(pick(tableRows), os);
  });
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
      "compileunits (DWARF), inputfiles. A universal (fat) Mach-O file has "
      "one more level outside them: a row per slice (\"[slice arm64]\"), "
      "unless --arch picks one.\n\n"
      "Output: a table on stdout; --json or --csv print JSON or CSV instead; "
      "-o FILE (or --csv=FILE) writes it to a file; --html OUT also writes "
      "a treemap page.\n\n"
      "Examples:\n"
      "  slimlink size target/release/app -d crates\n"
      "  slimlink size -d symbols target/release/app --csv > symbols.csv\n"
      "  slimlink size libfoo.a -d members,symbols -n 10\n"
      "  slimlink size --diff app.old app -d sections\n"
      "  slimlink size app -d crates,symbols --html size.html");
  sub->add_option("files", args->inputs,
                  "ELF, Mach-O or PE executables and shared libraries; ELF, "
                  "Mach-O or COFF objects; archives of them; universal (fat) "
                  "files")
      ->type_name("FILE");
  // One argument per -d, as bloaty: `size -d symbols FILE` views FILE.
  sub->add_option("-d,--view", args->views,
                  "Views to group by, outermost first (comma-separated)")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->type_name("VIEW[,VIEW...]");
  sub->add_option("-n,--rows", args->rows,
                  "Rows per level; the rest are folded into one row "
                  "(0: all; default 20 in the table, all otherwise)")
      ->type_name("N");
  // Any number of files, so that runSize says what --diff takes, not
  // CLI11 ("At Most 2 required but received 3").
  CLI::Option *diff =
      sub->add_option("--diff", args->diff,
                      "Compare two files: the change per row")
          ->expected(0, CLI::detail::expected_max_vector_size)
          ->type_name("OLD NEW");
  sub->add_option("--arch", args->arch,
                  "Of a universal (fat) file, only the ARCH slice, as if it "
                  "were thin (default: a row per slice); a thin Mach-O file "
                  "or archive must be for ARCH, and other files are refused")
      ->type_name("ARCH");
  sub->add_flag("--json", args->json, "Print JSON instead of the table");
  sub->add_flag("--csv{-}", args->csv,
                "Print CSV instead of the table (--csv=FILE: write it to FILE)");
  sub->add_option("-o,--output", args->output,
                  "Write the table, JSON or CSV to FILE instead of stdout")
      ->type_name("FILE");
  sub->add_option("--html", args->html,
                  "Write an interactive treemap page (self-contained) to OUT")
      ->type_name("OUT");
  sub->callback([args, diff] {
    args->diffGiven = diff->count() > 0;
    runSize(*args);
  });
}

} // namespace slimlink
