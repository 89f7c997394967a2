// slimlink why: the CLI side. With symbols: each one's chain from the API
// (exit 1 if any is not reachable). Without: what each API root costs.
#include "cli/commands.h"
#include "cli/slices.h"
#include "formats/read_library.h"
#include "model/symbols.h"
#include "passes/why.h"
#include "report/json_header.h"
#include "report/size_report.h"
#include "report/table.h"
#include "support/diagnostics.h"
#include "write/write_archive.h"
#include "write/write_file.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace slimlink {

namespace {
// What why takes, for a call without it.
const char *const kNeeds =
    "why needs a library (or object) and, to ask why one is kept, symbol "
    "names: slimlink why LIB... [SYMBOL...] (no SYMBOL: what each API root "
    "costs)";

struct WhyArgs {
  std::vector<std::string> args; // libraries, then symbols
  std::string apiFile, apiRegex, html;
  size_t top = 20;
  bool json = false;
};
} // namespace

// Libraries are the arguments that name files (or look like paths); the
// rest are symbols.
static bool isLibraryArg(llvm::StringRef a) {
  return llvm::sys::fs::exists(a) || a.contains('/') || a.ends_with(".a") ||
         a.ends_with(".lib");
}

static std::string demangled(llvm::StringRef s) {
  return s.empty() ? "" : demangleSymbol(s);
}

static void writeAnswer(llvm::json::OStream &j, const WhyAnswer &a) {
  j.object([&] {
    j.attribute("asked", a.asked);
    j.attribute("symbol", a.symbol);
    j.attribute("demangled", demangled(a.symbol));
    j.attribute("defined", a.defined);
    j.attribute("reachable", a.reachable);
    j.attribute("matches", int64_t(a.matches));
    j.attributeArray("suggestions", [&] {
      for (const std::string &s : a.suggestions)
        j.value(s);
    });
    j.attributeArray("chain", [&] {
      for (const WhyStep &s : a.chain)
        j.object([&] {
          j.attribute("symbol", s.symbol);
          j.attribute("demangled", demangled(s.symbol));
          j.attribute("member", s.member);
          j.attribute("library", s.library);
          j.attribute("section", s.section);
          j.attribute("via", s.via);
        });
    });
  });
}

static void writeChains(const std::vector<WhyAnswer> &answers,
                        const std::vector<std::string> &libs,
                        llvm::json::OStream &j) {
  j.object([&] {
    jsonHeader(j, "why", libs, {});
    j.attributeArray("symbols", [&] {
      for (const WhyAnswer &a : answers)
        writeAnswer(j, a);
    });
  });
}

static void printChains(const std::vector<WhyAnswer> &answers,
                        llvm::raw_ostream &os) {
  for (const WhyAnswer &a : answers) {
    std::string name = demangled(a.symbol);
    if (name != a.symbol)
      name += " (" + a.symbol + ")";
    if (!a.defined) {
      os << a.asked << ": no symbol of the libraries has this name";
      if (a.suggestions.empty()) {
        os << " (why --help says how names match)\n";
        continue;
      }
      os << "; did you mean:\n";
      for (const std::string &s : a.suggestions)
        os << "    " << s << "\n";
      continue;
    }
    if (a.matches > 1)
      name += " [" + std::to_string(a.matches) +
              " symbols have this name; the mangled name picks another]";
    if (!a.reachable) {
      os << name << ": not reachable from the API: prune drops it\n";
      continue;
    }
    os << name << " is kept; from the API, " << a.chain.size() << " step"
       << (a.chain.size() == 1 ? "" : "s") << ":\n";
    for (size_t k = 0; k < a.chain.size(); ++k) {
      const WhyStep &s = a.chain[k];
      os << "  " << k + 1 << ". "
         << (s.symbol.empty() ? "[" + s.section + "]" : demangled(s.symbol))
         << "  in " << s.member << " (" << s.section << ")";
      if (!s.via.empty())
        os << "  --" << s.via << "-->";
      os << "\n";
    }
  }
}

// The dominator tree as size rows: a node's bytes are what it keeps alive;
// its own bytes are a "[itself]" row beside its children.
static SizeRow treeRow(const WhyTree &t, const std::vector<std::vector<uint32_t>> &kids,
                       uint32_t n, int depth) {
  SizeRow row;
  row.name = n == 0 ? "[link]" : demangled(t.label[n]);
  row.vm = row.file = t.retained[n];
  if (depth == 0 || kids[n].empty())
    return row;
  for (uint32_t c : kids[n])
    if (t.retained[c] > 0)
      row.children.push_back(treeRow(t, kids, c, depth - 1));
  if (t.self[n] > 0) {
    SizeRow self;
    self.name = "[itself]";
    self.vm = self.file = t.self[n];
    row.children.push_back(self);
  }
  row.children = topRows(row.children, 40);
  return row;
}

static std::string renderHtml(const WhySummary &s, const std::string &title) {
  const WhyTree &t = s.tree;
  std::vector<std::vector<uint32_t>> kids(t.parent.size());
  for (uint32_t n = 1; n < t.parent.size(); ++n)
    kids[t.parent[n]].push_back(n);
  // The top level: each API root, and what several roots keep alive.
  std::vector<SizeRow> rows;
  SizeRow shared;
  shared.name = "[kept alive by several API roots]";
  for (uint32_t c : kids[0]) {
    if (t.retained[c] == 0)
      continue;
    SizeRow row = treeRow(t, kids, c, 8);
    if (t.apiRoot[c]) {
      row.name = "API " + row.name;
      rows.push_back(std::move(row));
    } else {
      shared.vm += row.vm;
      shared.file += row.file;
      shared.children.push_back(std::move(row));
    }
  }
  if (!shared.children.empty()) {
    shared.children = topRows(shared.children, 40);
    rows.push_back(std::move(shared));
  }
  return renderTreemapHtml(
      "slimlink why: " + title,
      "what keeps the bytes alive: each box is the bytes only it keeps alive "
      "(the dominator tree of the live graph, VM bytes); " +
          std::to_string(s.liveBytes) + " bytes live in all",
      rows, s.liveBytes);
}

static void writeSummary(const WhySummary &s,
                         const std::vector<std::string> &libs,
                         const std::string &html, llvm::json::OStream &j) {
  j.object([&] {
    jsonHeader(j, "why", libs,
               html.empty() ? std::vector<std::string>{}
                            : std::vector<std::string>{html});
    j.attribute("live_bytes", int64_t(s.liveBytes));
    j.attributeArray("roots", [&] {
      for (const WhyRoot &r : s.roots)
        j.object([&] {
          j.attribute("symbol", r.symbol);
          j.attribute("demangled", demangled(r.symbol));
          j.attribute("reachable", int64_t(r.reachable));
          j.attribute("retained", int64_t(r.retained));
        });
    });
    j.attributeArray("top", [&] {
      for (const WhyTop &t : s.top)
        j.object([&] {
          j.attribute("symbol", t.symbol);
          j.attribute("demangled", demangled(t.symbol));
          j.attribute("retained", int64_t(t.retained));
        });
    });
  });
}

static void printSummary(const WhySummary &s, llvm::raw_ostream &os) {
  os << "API roots: the VM bytes each reaches, and those only it keeps alive "
        "(what prune saves without it)\n";
  Table roots({"root", ">reachable", ">retained"});
  for (const WhyRoot &r : s.roots)
    roots.row({shortenMiddle(demangled(r.symbol)), humanBytes(r.reachable),
               humanBytes(r.retained)});
  roots.rule();
  roots.row({"all live code and data", humanBytes(s.liveBytes), ""});
  roots.print(os);
  os << "\nWhat keeps the most bytes alive:\n";
  Table top({">retained", "symbol"});
  for (const WhyTop &t : s.top)
    top.row({humanBytes(t.retained), shortenMiddle(demangled(t.symbol))});
  top.print(os);
}

static VerbReport runWhy(const WhyArgs &a, const SliceRun &run) {
  std::vector<std::string> libs, symbols;
  for (const std::string &s : a.args)
    (symbols.empty() && isLibraryArg(s) ? libs : symbols).push_back(s);
  if (libs.empty())
    throw UserError(kNeeds);
  if (!a.html.empty() && !symbols.empty())
    throw UserError("--html draws the whole tree: give no SYMBOL with it");
  InputSet in = readLibraries(libs, run.read);
  checkSameTarget(in.libs);
  if (!a.html.empty())
    checkOutputsAreNotInputs({a.html});
  WhyLink w = buildWhyLink(in, makeApiSpec(a.apiFile, a.apiRegex));

  if (!symbols.empty()) {
    auto answers = std::make_shared<std::vector<WhyAnswer>>();
    for (const std::string &s : symbols)
      answers->push_back(explainSymbol(in, w, s));
    VerbReport report{
        [answers](llvm::raw_ostream &os) { printChains(*answers, os); },
        [answers, libs](llvm::json::OStream &j) {
          writeChains(*answers, libs, j);
        }};
    size_t undefined =
        llvm::count_if(*answers, [](auto &x) { return !x.defined; });
    size_t dropped = llvm::count_if(
        *answers, [](auto &x) { return x.defined && !x.reachable; });
    std::string of = " of " + std::to_string(answers->size()) + " symbol(s) ";
    std::vector<std::string> parts;
    if (undefined)
      parts.push_back(std::to_string(undefined) + of +
                      "not defined in the libraries");
    if (dropped)
      parts.push_back(std::to_string(dropped) + (undefined ? " " : of) +
                      "not reachable from the API");
    report.failure = llvm::join(parts, ", ");
    return report;
  }
  auto s =
      std::make_shared<WhySummary>(summarizeWhy(in, w, a.top, !a.html.empty()));
  if (!a.html.empty()) {
    std::string title;
    for (const std::string &l : libs)
      title += (title.empty() ? "" : ", ") + l;
    writeOutputFile(run.out, a.html, renderHtml(*s, title));
  }
  return {[s](llvm::raw_ostream &os) { printSummary(*s, os); },
          [s, libs, html = a.html](llvm::json::OStream &j) {
            writeSummary(*s, libs, html, j);
          }};
}

void addWhyCommand(CLI::App &app) {
  auto args = std::make_shared<WhyArgs>();
  CLI::App *sub = app.add_subcommand(
      "why", "Why is this code still here: chains from the API, and what each "
             "API root keeps alive");
  sub->footer(
      "With SYMBOLs (mangled or demangled): the chain from an API root to "
      "each, one step a line (symbol, member, section, and the relocation "
      "that leads on); exit 1 if one is not reachable (prune drops it), or "
      "if no symbol has that name (the nearest names are suggested).\n\n"
      "A SYMBOL matches a symbol when both read the same after: demangling "
      "(a mangled name: Rust legacy or v0, C++); dropping Rust's hashes "
      "(a trailing ::h<16 hex>, v0's [<hex>] after a crate); dropping the "
      "<> around an inherent impl's type (v0's <core::fmt::Formatter>::pad "
      "is core::fmt::Formatter::pad; <T as Trait>::f keeps them); ::< "
      "read as <. So a name from a backtrace or the source works.\n\n"
      "Without: per API root, the VM bytes it reaches and the bytes only it "
      "keeps alive (what prune saves when it leaves the API), then the "
      "symbols that keep the most bytes alive (--top N).\n\nExamples:\n"
      "  slimlink why libfoo.a 'miniz_oxide::deflate::core::compress_inner'\n"
      "  slimlink why libfoo.a --html why.html");
  // Not ->required(): CLI11's "args is required" does not say what why takes.
  sub->add_option("args", args->args, "Libraries (.a), then symbols")
      ->type_name("LIB... [SYMBOL...]");
  addApiOptions(sub, args->apiFile, args->apiRegex);
  // A negative N would wrap to a huge size_t: parsed as a signed number and
  // refused as a usage error, like 0.
  sub->add_option("--top", args->top, "Symbols to list by retained bytes (default 20)")
      ->type_name("N")
      ->check(CLI::Validator(
          [](std::string &v) -> std::string {
            long long n = 0;
            if (llvm::StringRef(v).getAsInteger(10, n) || n < 1)
              return "takes a number of symbols of 1 or more, not '" + v + "'";
            return "";
          },
          "N>=1"));
  sub->add_flag("--json", args->json, "Print the result as JSON");
  sub->add_option("--html", args->html,
                  "Write the dominator tree as a treemap page")
      ->type_name("OUT");
  sub->callback([args] {
    if (args->args.empty())
      throw CLI::ValidationError(kNeeds);
    forEachSlice("why", args->args, args->json,
                 [&](const SliceRun &run) { return runWhy(*args, run); });
  });
}

} // namespace slimlink
