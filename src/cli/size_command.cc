// slimlink size: the CLI side. Reads, attributes, reports.
#include "cli/commands.h"
#include "model/universal.h"
#include "passes/size.h"
#include "passes/size_budget.h"
#include "passes/size_duplicates.h"
#include "report/size_report.h"
#include "support/diagnostics.h"
#include "write/write_file.h"

#include "llvm/Support/BuryPointer.h"
#include "llvm/Support/Parallel.h"
#include "llvm/Support/raw_ostream.h"

#include <array>
#include <exception>

namespace slimlink {

namespace {
struct SizeArgs {
  std::vector<std::string> inputs, views, diff;
  std::string rows; // -n; unset: 20 for the table, all for --json/--csv/--html
  bool json = false, markdown = false;
  std::string csv;  // "": no CSV; "-": CSV (to -o or stdout); else a file
  std::string output, html;
  std::string arch; // --arch: one slice of universal inputs
  bool diffGiven = false; // --diff, with however many files (runSize checks)
  // bloaty's: FILE -- BASE (the "--" becomes --base in main.cc)
  std::vector<std::string> base;
  std::string sort = "file", domain = "both", demangle = "full";
  std::string sourceFilter;
  bool filterGiven = false;
  bool duplicates = false, sortGiven = false;
  bool wide = false, tsv = false;
  int verbose = 0;
  DebugFiles debug; // --debug-file, --debug-root
  std::string budget, maxGrowth; // --budget FILE, --max-growth SIZE
  bool maxGrowthGiven = false;
};

// Where the report goes and in which form, bloaty's way: --json and --csv
// choose the form and print to stdout; -o FILE (or --csv=FILE) writes it.
struct Destination {
  enum Form { Table, Json, Csv, Tsv, Markdown } form = Table;
  std::string file; // "": stdout
};

Destination destinationOf(const SizeArgs &a) {
  Destination d;
  std::vector<std::string> forms;
  for (auto [given, name] : {std::pair{a.json, "--json"},
                             {!a.csv.empty(), "--csv"},
                             {a.tsv, "--tsv"},
                             {a.markdown, "--markdown"}})
    if (given)
      forms.push_back(name);
  if (forms.size() > 1)
    throw UserError(forms[0] + " and " + forms[1] + ": choose one");
  d.form = a.json           ? Destination::Json
           : !a.csv.empty() ? Destination::Csv
           : a.tsv          ? Destination::Tsv
           : a.markdown     ? Destination::Markdown
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

// One of a flag's words ("-s vm"), as its index in `words`.
size_t choiceOf(const std::string &flag, const std::string &value,
                std::initializer_list<const char *> words) {
  size_t i = 0;
  std::string list;
  for (const char *w : words) {
    if (value == w)
      return i;
    list += (i ? i + 1 == words.size() ? " or " : ", " : "") + std::string(w);
    ++i;
  }
  throw UserError(flag + " takes " + list + ", not '" + value + "'");
}

SizeSort sortOf(const SizeArgs &a) {
  return std::array{SizeSort::Vm, SizeSort::File,
                    SizeSort::Both}[choiceOf("-s", a.sort, {"vm", "file", "both"})];
}

Demangle demangleOf(const SizeArgs &a) {
  return std::array{Demangle::None, Demangle::Short, Demangle::Full}
      [choiceOf("-C", a.demangle, {"none", "short", "full"})];
}

SizeTableStyle styleOf(const SizeArgs &a) {
  SizeTableStyle s;
  size_t d = choiceOf("--domain", a.domain, {"vm", "file", "both"});
  s.vm = d != 1;
  s.file = d != 0;
  s.wide = a.wide;
  return s;
}

// -v: what was read, on stderr: each input, and each object in it with the
// sections, segments, symbols and compile units that the views had to go
// on; -vv: each section too.
void describeInput(const SizeFile &f, int level, bool symbols, bool units,
                   bool lines, llvm::raw_ostream &os) {
  os << "slimlink size: " << f.path;
  if (!f.arch.empty())
    os << " (" << f.arch << " slice at " << f.offset << ")";
  os << ": " << f.size << " bytes";
  if (!f.slices.empty())
    os << ", universal: " << f.slices.size() << " slices";
  else if (f.archive)
    os << ", an archive of " << f.images.size() << " members";
  os << "\n";
  if (!f.debugFile.empty())
    os << "  " << f.path << ": symbols and compile units from "
       << f.debugFile << (f.debugGiven ? " (--debug-file)" : " (found)")
       << "\n";
  for (const SizeFile &s : f.slices)
    describeInput(s, level, symbols, units, lines, os);
  for (const SizeImage &img : f.images) {
    os << "  " << (img.member.empty() ? f.path : img.member) << ": ";
    if (!img.nonObject.empty()) {
      os << img.size << " bytes, " << img.nonObject << "\n";
      continue;
    }
    const Layout &l = img.layout;
    os << img.size << " bytes, " << l.sections.size() << " sections, "
       << l.segments.size() << " loaded segments";
    // What the views do not need is not read.
    if (symbols)
      os << ", " << l.symbols.size() << " sized symbols"
         << (l.fullSymbols ? "" : " (stripped)");
    if (units)
      os << ", " << l.units.size() << " compile units";
    if (lines)
      os << ", " << l.lines.ranges.size() << " source line ranges ("
         << l.lines.names.size() << " lines)";
    os << "\n";
    for (const LayoutSection &s : l.sections)
      if (level >= 2 && !s.name.empty())
        os << "    section " << s.name << ": " << s.file.size << " file bytes, "
         << s.vm.size << " VM bytes\n";
  }
}
} // namespace

static std::vector<SizeView> parseViews(const std::vector<std::string> &names) {
  std::vector<SizeView> views;
  for (const std::string &n : names) {
    auto v = parseSizeView(n);
    if (!v)
      throw UserError("unknown view '" + n +
                      "' (views: sections, segments, symbols, rawsymbols, "
                      "shortsymbols, fullsymbols, crates, members, "
                      "compileunits, inlines, inputfiles)");
    if (std::find(views.begin(), views.end(), *v) != views.end())
      throw UserError("view '" + n + "' given twice");
    views.push_back(*v);
  }
  if (views.empty())
    views.push_back(SizeView::Sections);
  return views;
}

// The inlines view on a file it has no source lines for: said plainly, not
// left to the reader to guess from rows of sections alone.
static void noteWithoutLines(const SizeFile &f) {
  for (const SizeFile &s : f.slices)
    noteWithoutLines(s);
  bool objects = false;
  for (const SizeImage &img : f.images) {
    if (!img.nonObject.empty())
      continue;
    if (img.layout.lines.read)
      return;
    objects |= img.layout.relocatable;
  }
  if (f.images.empty())
    return;
  std::string where = f.path + (f.arch.empty() ? "" : " (" + f.arch + ")");
  if (objects)
    note(where + ": the inlines view reads linked files' DWARF line tables, "
                 "not objects' (their addresses would need relocating): its "
                 "code stays in its sections' rows");
  else
    note(where + " has no source line tables (DWARF's, or a PE image's "
                 "PDB's), nor a debug file with them: the inlines view "
                 "needs them, its code stays in its sections' rows");
}

static std::vector<SizeFile> load(const std::vector<std::string> &paths,
                                  const std::vector<SizeView> &views,
                                  const std::string &arch,
                                  const DebugFiles &debug, int verbose) {
  // A name no slice can have: say so, rather than that each file lacks it.
  if (!arch.empty() && !isSliceArch(arch))
    throw UserError("--arch " + arch + ": not an architecture name (a "
                    "universal file's slices are named " + sliceArchNames() +
                    ")");
  // Read in parallel (hundreds of small libraries read one at a time keep
  // the other cores waiting; one file reads its parts in parallel itself),
  // then said about in input order, up to the first that failed.
  std::vector<SizeFile> files(paths.size());
  std::vector<std::exception_ptr> errors(paths.size());
  auto read = [&](size_t i) {
    try {
      files[i] = loadSizeFile(paths[i], views, arch, debug);
    } catch (...) {
      errors[i] = std::current_exception();
    }
  };
  if (paths.size() == 1)
    read(0);
  else
    llvm::parallelFor(0, paths.size(), read);
  for (size_t i = 0; i < files.size(); ++i) {
    for (const std::string &n : files[i].notes)
      note(n);
    if (errors[i])
      std::rethrow_exception(errors[i]);
    if (llvm::is_contained(views, SizeView::Inlines))
      noteWithoutLines(files[i]);
    if (verbose)
      describeInput(files[i], verbose,
                    llvm::any_of(views, isSymbolView) ||
                        llvm::is_contained(views, SizeView::Crates),
                    llvm::is_contained(views, SizeView::CompileUnits),
                    llvm::is_contained(views, SizeView::Inlines),
                    llvm::errs());
  }
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
static std::vector<SizeRow> shown(const SizeResult &r, size_t n,
                                  SizeSort sort) {
  std::vector<SizeRow> rows = topRows(r.rows, n, sort);
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

// computeSize, then --source-filter if given.
static SizeResult sizeOf(const std::vector<SizeFile> &files,
                         const std::vector<SizeView> &views,
                         const SizeArgs &a, SizeFilter *filtered = nullptr) {
  SizeResult r = computeSize(files, views, demangleOf(a));
  if (a.filterGiven) {
    SizeFilter f = filterRows(r, a.sourceFilter);
    if (filtered)
      *filtered = f;
  }
  return r;
}

// --duplicates: each file's rows of one view, computed from the one read of
// it, grouped by name across the files.
static void runDuplicates(const SizeArgs &a, const Destination &dest,
                          const SizeTableStyle &style, long n,
                          const std::vector<std::string> &outputs) {
  if (a.filterGiven)
    throw UserError("--duplicates takes no --source-filter");
  if (a.sortGiven)
    throw UserError("--duplicates sorts by duplicated file bytes; it takes "
                    "no -s");
  if (a.views.size() > 1 ||
      (a.views.size() == 1 && !(parseSizeView(a.views[0]) &&
                                duplicatesView(*parseSizeView(a.views[0])))))
    throw UserError("--duplicates groups by one view: crates (the default), "
                    "symbols or sections; not -d " +
                    [&] {
                      std::string v;
                      for (const std::string &x : a.views)
                        v += (v.empty() ? "" : ",") + x;
                      return v;
                    }());
  SizeView view =
      a.views.empty() ? SizeView::Crates : *parseSizeView(a.views[0]);
  if (a.inputs.size() < 2)
    throw UserError("--duplicates compares files: give two or more (it was "
                    "given " + std::to_string(a.inputs.size()) + ")");
  std::vector<SizeView> views = duplicatesViews(view);
  // The inputs live until exit, as runSize's do.
  auto *files = new std::vector<SizeFile>(load(a.inputs, views, a.arch,
                                               a.debug, a.verbose));
  llvm::BuryPointer(files);
  std::vector<const SizeFile *> loaded;
  for (const SizeFile &f : *files)
    loaded.push_back(&f);
  checkDebugFilesUsed(loaded, a.debug);
  for (const SizeFile &f : *files)
    if (!f.slices.empty())
      throw InputError(f.path, "a universal (fat) file: its slices are never "
                               "loaded together, so --duplicates compares "
                               "one of them; pick it with --arch ARCH");
  checkOutputsAreNotInputs(outputs);
  // The files in parallel, each computeSize's own parallel loops then run
  // inline: over many small files their hand-offs between threads cost
  // more than the work (500 system libraries: 1.4-1.6 s at -j 2 against
  // 0.44 s at -j 1). The first error in input order is the one thrown.
  std::vector<SizeResult> perFile(files->size());
  std::vector<std::exception_ptr> errors(files->size());
  llvm::parallelFor(0, files->size(), [&](size_t i) {
    try {
      perFile[i] = computeSize((*files)[i], views);
    } catch (...) {
      errors[i] = std::current_exception();
    }
  });
  for (std::exception_ptr &e : errors)
    if (e)
      std::rethrow_exception(e);
  SizeDuplicates d = findDuplicates(perFile, view);
  Demangle symbols = demangleOf(a);
  auto pick = [&](size_t rows) { return topDuplicates(d, rows); };
  if (!a.html.empty())
    writeFileAtomically(a.html, renderSizeDuplicatesHtml(
                                    pick(n < 0 ? 500 : size_t(n)), symbols));
  emit(dest, [&](llvm::raw_ostream &os) {
    size_t all = n < 0 ? 0 : size_t(n);
    if (dest.form == Destination::Json)
      printSizeDuplicatesJson(pick(all), os, symbols, outputs);
    else if (dest.form == Destination::Csv || dest.form == Destination::Tsv)
      printSizeDuplicatesCsv(pick(all), os, symbols,
                             dest.form == Destination::Tsv);
    else if (dest.form == Destination::Markdown)
      printSizeDuplicatesMarkdown(pick(n < 0 ? 20 : size_t(n)), os, symbols,
                                  style);
    else
      printSizeDuplicatesTable(pick(n < 0 ? 20 : size_t(n)), os, symbols,
                               style);
  });
}

// --budget FILE and --max-growth SIZE: the limits, read before any input is
// (a broken budget fails at once), or none.
static std::optional<Budget> budgetOf(const SizeArgs &a,
                                      const Destination &dest) {
  if (a.budget.empty() && !a.maxGrowthGiven)
    return std::nullopt;
  if (a.duplicates)
    throw UserError("--budget and --max-growth limit the size of FILE (or "
                    "of --diff OLD NEW), not --duplicates");
  if (dest.form == Destination::Csv || dest.form == Destination::Tsv)
    throw UserError("--budget's verdict goes under the table, the "
                    "--markdown or into the --json; CSV and TSV have rows "
                    "only");
  Budget b;
  if (!a.budget.empty())
    b = readBudget(a.budget);
  if (a.maxGrowthGiven) {
    if (!a.diffGiven)
      throw UserError("--max-growth limits how much NEW grew: give --diff "
                      "OLD NEW (or FILE -- BASE)");
    auto bytes = parseByteSize(a.maxGrowth);
    if (!bytes)
      throw UserError("--max-growth takes a size (bytes, or 16K, 2.5M, "
                      "64Ki), not '" + a.maxGrowth + "'");
    for (const BudgetLimit &l : b.limits)
      if (l.kind == BudgetLimit::Growth && !l.view)
        throw UserError("--max-growth and " + a.budget + " line " +
                        std::to_string(l.line) +
                        " both limit the growth of TOTAL: give one");
    BudgetLimit total;
    total.kind = BudgetLimit::Growth;
    total.bytes = *bytes;
    b.limits.push_back(total);
  }
  return b;
}

// The sizes of `files` that `b` limits, each of its views computed alone
// (whatever -d shows, and without --source-filter: limits are on files).
// `stripped`: set to a file whose code these views cannot name, if any.
static BudgetSizes measure(const Budget &b, const std::vector<SizeFile> &files,
                           Demangle symbols,
                           std::optional<SizeResult::Stripped> *stripped =
                               nullptr) {
  std::vector<SizeResult> byView;
  for (SizeView v : budgetViews(b)) {
    byView.push_back(computeSize(files, {v}, symbols));
    if (stripped && !byView.back().stripped.empty())
      *stripped = byView.back().stripped[0];
  }
  return budgetSizes(byView);
}

// The views to read the inputs for: those shown, and those the budget's
// limits name.
static std::vector<SizeView> viewsToRead(std::vector<SizeView> views,
                                         const std::optional<Budget> &b) {
  if (b)
    for (SizeView v : budgetViews(*b))
      if (!llvm::is_contained(views, v))
        views.push_back(v);
  return views;
}

// The verdict under the report, in its form (JSON has it in its object).
static void printVerdict(const std::optional<BudgetVerdict> &v,
                         const Destination &dest, llvm::raw_ostream &os) {
  if (!v || dest.form == Destination::Json)
    return;
  os << "\n";
  if (dest.form == Destination::Markdown)
    printBudgetMarkdown(*v, os);
  else
    printBudgetTable(*v, os);
}

// Over budget: exit status 1, once the report is out.
static void failIfOver(const std::optional<BudgetVerdict> &v) {
  if (v && !v->ok())
    throw CheckFailed(budgetHeadline(*v));
}

static void runSize(SizeArgs a) {
  if (a.duplicates && (a.diffGiven || !a.base.empty()))
    throw UserError("--duplicates compares the FILEs given, --diff (or FILE "
                    "-- BASE) two versions of one: give one or the other");
  // bloaty's FILE -- BASE: the same as --diff BASE FILE.
  if (!a.base.empty()) {
    if (a.diffGiven)
      throw UserError("FILE -- BASE compares two files, as --diff BASE FILE "
                      "does: give one or the other");
    if (a.inputs.size() != 1 || a.base.size() != 1)
      throw UserError("FILE -- BASE compares one file with one base; it was "
                      "given " +
                      std::to_string(a.inputs.size()) + " before '--' and " +
                      std::to_string(a.base.size()) + " after");
    a.diff = {a.base[0], a.inputs[0]};
    a.inputs.clear();
    a.diffGiven = true;
  }
  std::vector<SizeView> views = parseViews(a.views);
  Destination dest = destinationOf(a);
  std::optional<Budget> budget = budgetOf(a, dest);
  std::vector<SizeView> reading = viewsToRead(views, budget);
  SizeSort sort = sortOf(a);
  SizeTableStyle style = styleOf(a);
  demangleOf(a); // -C's word checked before any file is read
  long n = rowsOf(a.rows);
  size_t tableRows = n < 0 ? 20 : size_t(n);
  size_t allRows = n < 0 ? 0 : size_t(n);
  size_t htmlRows = n < 0 ? 500 : size_t(n);
  std::vector<std::string> outputs;
  for (const std::string &o : {dest.file, a.html})
    if (!o.empty())
      outputs.push_back(o);

  if (a.duplicates) {
    runDuplicates(a, dest, style, n, outputs);
    return;
  }

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
    std::vector<SizeFile> oldFile =
        load({a.diff[0]}, reading, a.arch, a.debug, a.verbose);
    std::vector<SizeFile> newFile =
        load({a.diff[1]}, reading, a.arch, a.debug, a.verbose);
    checkDebugFilesUsed({&oldFile[0], &newFile[0]}, a.debug);
    checkOutputsAreNotInputs(outputs);
    SizeResult before = sizeOf(oldFile, views, a);
    SizeResult after = sizeOf(newFile, views, a);
    // A stripped file's code has no names (ELF's without .symtab, Mach-O's
    // and PE's stripped to their exports or of every symbol alike): diffing
    // it by symbol or crate would show every lost name as a saving.
    bool named = llvm::any_of(views, isSymbolView) ||
                 llvm::is_contained(views, SizeView::Crates);
    if (named && before.stripped.empty() != after.stripped.empty()) {
      const SizeResult::Stripped &s =
          before.stripped.empty() ? after.stripped[0] : before.stripped[0];
      throw UserError(s.path + " has no symbol table (stripped): " +
                      s.namesLeft +
                      "; its code cannot be named by symbol or crate, so "
                      "this diff would show lost names as savings; compare "
                      "with -d sections (or segments), or against an "
                      "unstripped build");
    }
    SizeDiff d = diffSizes(before, after);
    std::optional<BudgetVerdict> verdict;
    if (budget) {
      std::optional<SizeResult::Stripped> oldStripped, newStripped;
      BudgetSizes old = measure(*budget, oldFile, demangleOf(a), &oldStripped);
      BudgetSizes now = measure(*budget, newFile, demangleOf(a), &newStripped);
      // As for the rows above: a crate's or a symbol's growth from a file
      // with names to one without would be all loss.
      if (bool(oldStripped) != bool(newStripped)) {
        const SizeResult::Stripped &s = oldStripped ? *oldStripped : *newStripped;
        throw UserError(s.path + " has no symbol table (stripped): " +
                        s.namesLeft + "; " + a.budget +
                        "'s limits by symbol or crate cannot be checked "
                        "against a file with its names; compare two "
                        "stripped builds or two unstripped ones");
      }
      verdict = checkBudget(*budget, now, &old);
    }
    auto pick = [&](size_t n) {
      SizeDiff s = d;
      s.rows = topRows(d.rows, n, sort);
      demangleRows(s.rows);
      return s;
    };
    if (!a.html.empty())
      writeFileAtomically(a.html, renderSizeDiffHtml(pick(htmlRows)));
    emit(dest, [&](llvm::raw_ostream &os) {
      if (dest.form == Destination::Json)
        printSizeDiffJson(pick(allRows), os, outputs,
                          verdict ? &*verdict : nullptr);
      else if (dest.form == Destination::Csv || dest.form == Destination::Tsv)
        printSizeDiffCsv(pick(allRows), os, dest.form == Destination::Tsv);
      else if (dest.form == Destination::Markdown)
        printSizeDiffMarkdown(pick(tableRows), os, style);
      else
        printSizeDiffTable(pick(tableRows), os, style);
      printVerdict(verdict, dest, os);
    });
    failIfOver(verdict);
    return;
  }

  if (a.inputs.empty())
    throw UserError("size needs a FILE (or --diff OLD NEW)");
  // The inputs and rows live until exit, and are not freed: freeing a
  // million small strings took a fifth of the run time (lld does the same).
  auto *files = new std::vector<SizeFile>(
      load(a.inputs, reading, a.arch, a.debug, a.verbose));
  llvm::BuryPointer(files); // on purpose, and LeakSanitizer knows it
  std::vector<const SizeFile *> loaded;
  for (const SizeFile &f : *files)
    loaded.push_back(&f);
  checkDebugFilesUsed(loaded, a.debug);
  checkOutputsAreNotInputs(outputs);
  SizeFilter filtered;
  SizeResult &r = *new SizeResult(sizeOf(*files, views, a, &filtered));
  if (a.filterGiven)
    style.filtered = filtered;
  llvm::BuryPointer(&r);
  std::optional<BudgetVerdict> verdict;
  if (budget)
    verdict = checkBudget(*budget, measure(*budget, *files, demangleOf(a)));
  auto pick = [&](size_t n) {
    SizeResult s;
    s.views = r.views;
    s.files = r.files;
    s.vm = r.vm;
    s.file = r.file;
    s.sliced = r.sliced;
    s.stripped = r.stripped;
    s.rows = shown(r, n, sort);
    return s;
  };
  // The page first, so that an error leaves stdout untouched too. A treemap
  // of a million boxes helps no one: the top 500 of each level (the rest in
  // one box per level) unless -n says otherwise.
  if (!a.html.empty())
    writeFileAtomically(a.html, renderSizeHtml(pick(htmlRows)));
  emit(dest, [&](llvm::raw_ostream &os) {
    if (dest.form == Destination::Json)
      printSizeJson(pick(allRows), os, outputs,
                    verdict ? &*verdict : nullptr);
    else if (dest.form == Destination::Csv || dest.form == Destination::Tsv)
      printSizeCsv(pick(allRows), os, dest.form == Destination::Tsv);
    else if (dest.form == Destination::Markdown)
      printSizeMarkdown(pick(tableRows), os, style);
    else
      printSizeTable(pick(tableRows), os, style);
    printVerdict(verdict, dest, os);
  });
  failIfOver(verdict);
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
      "Views: sections (default), segments, symbols (named as -C says), "
      "rawsymbols (mangled), shortsymbols (without argument lists and "
      "hashes), fullsymbols (demangled in full), crates, members, "
      "compileunits (DWARF; a PDB's modules), inlines (each byte of code "
      "by the source file:line the line tables give for it: DWARF's, or a "
      "PE image's PDB's with its inline sites; so inlined code is charged "
      "to where it came from; code with no line stays [section NAME]), "
      "inputfiles. A universal (fat) "
      "Mach-O file has one more level outside them: a row per slice (\"[slice arm64]\"), "
      "unless --arch picks one.\n\n"
      "Stripped files: where the format gives symbols no size (Mach-O, PE), "
      "a symbol runs to the next one but never past the next function start "
      "or end the file records (LC_FUNCTION_STARTS, .pdata), so an export "
      "does not swallow the unnamed functions after it; their bytes are "
      "[section NAME]. A file stripped of its names (or to its exports) is "
      "said so once under the table, with how much code has no name.\n\n"
      "Output: a table on stdout; --json, --csv, --tsv or --markdown print "
      "JSON, CSV, TSV or GitHub-flavoured Markdown instead; -o FILE (or "
      "--csv=FILE) writes it to a file; --html OUT also writes a treemap "
      "page.\n\n"
      "bloaty's options mean what they mean there, but for these defaults: "
      "-s file (bloaty: both), -C full (bloaty: short), and slimlink's "
      "-d members is bloaty's armembers. --source-filter takes a POSIX "
      "extended regex (bloaty: RE2). -v tells what was read, not bloaty's "
      "maps. Compare with `FILE -- BASE` (bloaty's) or --diff BASE FILE.\n\n"
      "--duplicates: names match as linked: crates by crate name, symbols "
      "by mangled name (Rust's match exactly when the same rustc built the "
      "same crate version), sections by name; bracketed rows ([C], [section "
      ".text], ...) never match. A crate whose copies have no Rust symbol "
      "name in common is marked \"versions differ\" (another version, or "
      "another rustc): matched by crate name alone. Duplicated bytes are "
      "sum - max, in VM and in file size each; rows go by duplicated file "
      "bytes, then name. Stripped inputs are matched by the names that "
      "survive, and the report names inputs with none. A universal file "
      "needs --arch.\n\n"
      "Budgets (--budget BUDGET_FILE): one limit a line, '#' starts a comment: "
      "TOTAL or VIEW/NAME (a row of `size -d VIEW`: crates/std, "
      "sections/.text, inputfiles/libfoo.so), then a size: bytes, or with "
      "K, M, G (1000, 1000^2, 1000^3, the table's kB, MB, GB) or Ki, Mi, Gi "
      "(1024, 1024^2, 1024^3). 'growth PATH SIZE' limits how much PATH may "
      "grow from OLD to NEW, with --diff (without it, growth limits are "
      "listed as not checked); --max-growth SIZE is 'growth TOTAL SIZE'. "
      "Limits are on file size, of the whole files (not only what "
      "--source-filter keeps), each view measured on its own, whatever -d "
      "shows; with --diff, size limits are on NEW. A row a file does not "
      "have is 0 bytes (within budget, said so); an unknown view, a size "
      "that is none, or a path limited twice is an error naming the file "
      "and line. The verdict follows the report: each limit, its value, "
      "its budget and by how much it is exceeded, most exceeded first.\n\n"
      "Exit status: 0 done (and within budget); 1 over budget (the report "
      "is still written); 2 an error (bad input, options or budget file: "
      "nothing written).\n\n"
      "Debug info kept apart: a stripped ELF file's symbols, compile "
      "units and source lines come from its debug file, its bytes from "
      "itself. The debug "
      "file is one given by --debug-file with the input's build ID, else "
      "one found: by the build ID note at "
      "/usr/lib/debug/.build-id/xx/yyyy.debug, else by .gnu_debuglink "
      "(NAME beside the file, in .debug/ beside it, or under /usr/lib/debug "
      "and the file's directory), only if its build ID (or, without one, "
      "its CRC-32) is the file's. --debug-root DIR looks under DIR instead "
      "of /usr/lib/debug. A Mach-O image's is FILE.dSYM/Contents/Resources/"
      "DWARF/NAME, with the image's UUID. A PE image's is its PDB: the "
      "path its CodeView record names, that name beside it, or NAME.pdb "
      "beside it, with the record's GUID and age; its procedures (with the "
      "PDB's code sizes, named by the public at their address), data (with "
      "its type's size) and publics are the symbols, its modules the "
      "compile units. A "
      "--debug-file of another build is an error; a debug file found that "
      "is another build's is passed over with a note on stderr naming both "
      "files and why.\n\n"
      "Examples:\n"
      "  slimlink size target/release/app -d crates\n"
      "  slimlink size -d symbols target/release/app --csv > symbols.csv\n"
      "  slimlink size libfoo.a -d members,symbols -n 10\n"
      "  slimlink size --diff app.old app -d sections\n"
      "  slimlink size app -- app.old -d shortsymbols -s vm\n"
      "  slimlink size app -d crates,symbols --source-filter '^std$'\n"
      "  slimlink size app -d crates,symbols --html size.html\n"
      "  slimlink size --duplicates liba.so libb.so node_addon.node\n"
      "  slimlink size app -d crates --budget size-budget.txt\n"
      "  slimlink size --diff base/app app --budget size-budget.txt "
      "--max-growth 16K --markdown -o size.md\n"
      "  slimlink size app --debug-file app.debug -d symbols");
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
  // bloaty's `FILE -- BASE`: main.cc turns the "--" into --base.
  sub->add_option("--base", args->base, "")
      ->expected(0, CLI::detail::expected_max_vector_size)
      ->group("");
  CLI::Option *sort = sub->add_option("-s", args->sort,
                  "Sort each level's rows by file size (then VM size), by "
                  "VM size, or by the larger of the two (diffs: by the "
                  "change); default file (bloaty's default is both)")
      ->type_name("vm|file|both");
  sub->add_option("--domain", args->domain,
                  "The table's size columns: VM, file or both (default); "
                  "JSON, CSV and TSV have both always")
      ->type_name("vm|file|both");
  sub->add_flag("-w", args->wide,
                "Wide: the table's names whole (without, names over 100 "
                "characters are cut in the middle)");
  sub->add_option("-C,--demangle", args->demangle,
                  "How the symbols view names symbols: mangled, without "
                  "argument lists and hashes, or demangled in full "
                  "(default full; bloaty's default is short)")
      ->type_name("none|short|full");
  CLI::Option *filter =
      sub->add_option("--source-filter", args->sourceFilter,
                      "Only the bytes with a row name matching REGEX at any "
                      "level (and the rows around them), as bloaty; the "
                      "totals are then of what stays, and the table says "
                      "what was left out")
          ->type_name("REGEX");
  sub->add_flag("-v", args->verbose,
                "Verbose: tell on stderr what was read (each input, and "
                "each object's sections, segments, symbols, compile units "
                "and source line ranges); -vv lists each section too");
  sub->add_option("--debug-file", args->debug.given,
                  "Read symbols and compile units from FILE, the debug info "
                  "kept apart from an input (objcopy --only-keep-debug, a "
                  ".dSYM's DWARF file, a PDB); the input whose build ID "
                  "(UUID, PDB GUID and age) it has takes it, and one that "
                  "belongs to no input is an error (repeatable)")
      ->allow_extra_args(false)
      ->type_name("FILE");
  sub->add_option("--debug-root", args->debug.root,
                  "Where debug files are found by build ID and "
                  ".gnu_debuglink, as under /usr/lib/debug (the default)")
      ->type_name("DIR");
  sub->add_option("--arch", args->arch,
                  "Of a universal (fat) file, only the ARCH slice, as if it "
                  "were thin (default: a row per slice); a thin Mach-O file "
                  "or archive must be for ARCH, and other files are refused")
      ->type_name("ARCH");
  sub->add_flag("--json", args->json, "Print JSON instead of the table");
  sub->add_flag("--markdown", args->markdown,
                "Print GitHub-flavoured Markdown instead of the table (the "
                "table, --diff, --duplicates and the --budget verdict), to "
                "post as a review comment as is: the top -n rows (default "
                "20), biggest first, the rest folded into one row");
  sub->add_flag("--csv{-}", args->csv,
                "Print CSV instead of the table (--csv=FILE: write it to FILE)");
  sub->add_flag("--tsv", args->tsv,
                "Print TSV instead of the table: CSV's columns, separated "
                "by tabs, never quoted");
  sub->add_option("-o,--output", args->output,
                  "Write the table, JSON, CSV, TSV or Markdown to FILE "
                  "instead of stdout")
      ->type_name("FILE");
  sub->add_option("--html", args->html,
                  "Write an interactive treemap page (self-contained) to OUT")
      ->type_name("OUT");
  sub->add_flag("--duplicates", args->duplicates,
                "What several FILEs each carry a copy of: a row per crate "
                "(-d crates, the default), symbol (-d symbols) or section "
                "name (-d sections) in more than one FILE, with its copies, "
                "the bytes of all of them and the duplicated bytes (all but "
                "the largest copy: what one shared copy would save at most)");
  sub->add_option("--budget", args->budget,
                  "Check the limits in BUDGET_FILE (one a line: TOTAL or "
                  "VIEW/NAME, then a size such as 512K or 2.5M; 'growth "
                  "PATH SIZE' for --diff): the verdict follows the report, "
                  "and exit status 1 if a limit is exceeded")
      ->type_name("BUDGET_FILE");
  CLI::Option *maxGrowth =
      sub->add_option("--max-growth", args->maxGrowth,
                      "With --diff: fail (exit 1) if the total file size "
                      "grew by more than SIZE (a budget's 'growth TOTAL "
                      "SIZE')")
          ->type_name("SIZE");
  sub->callback([args, diff, filter, sort, maxGrowth] {
    args->maxGrowthGiven = maxGrowth->count() > 0;
    args->diffGiven = diff->count() > 0;
    args->sortGiven = sort->count() > 0;
    args->filterGiven = filter->count() > 0;
    runSize(*args);
  });
}

} // namespace slimlink
