// slimlink why: the CLI side. With symbols: each one's chain from the API
// (exit 1 if any is not reachable). Without: what each API root costs.
#include "cli/commands.h"
#include "cli/slices.h"
#include "model/symbols.h"
#include "passes/why.h"
#include "report/json_header.h"
#include "report/size_report.h"
#include "report/table.h"
#include "support/diagnostics.h"
#include "write/write_archive.h"
#include "write/write_file.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace slimlink {

namespace {
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
  return s.empty() ? "" : describeSymbol(s).demangled;
}

static void printChains(const std::vector<WhyAnswer> &answers, bool json,
                        const std::vector<std::string> &libs) {
  auto &os = reportOut();
  if (json) {
    auto one = [&](const WhyAnswer &a) {
      llvm::json::Array chain;
      for (const WhyStep &s : a.chain)
        chain.push_back(llvm::json::Object{{"symbol", s.symbol},
                                           {"demangled", demangled(s.symbol)},
                                           {"member", s.member},
                                           {"library", s.library},
                                           {"section", s.section},
                                           {"via", s.via}});
      llvm::json::Object o{{"symbol", a.symbol},
                           {"demangled", demangled(a.symbol)},
                           {"defined", a.defined},
                           {"reachable", a.reachable},
                           {"chain", std::move(chain)}};
      addJsonHeader(o, "why", libs, {});
      return o;
    };
    if (answers.size() == 1) {
      os << llvm::formatv("{0:2}", llvm::json::Value(one(answers[0]))) << "\n";
    } else {
      llvm::json::Array all;
      for (const WhyAnswer &a : answers)
        all.push_back(one(a));
      os << llvm::formatv("{0:2}", llvm::json::Value(std::move(all))) << "\n";
    }
    return;
  }
  for (const WhyAnswer &a : answers) {
    std::string name = demangled(a.symbol);
    if (name != a.symbol)
      name += " (" + a.symbol + ")";
    if (!a.defined) {
      os << a.asked << ": no object of the libraries defines it\n";
      continue;
    }
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

static void printSummary(const WhySummary &s, bool json,
                         const std::vector<std::string> &libs,
                         const std::string &html) {
  auto &os = reportOut();
  if (json) {
    llvm::json::Array roots, top;
    for (const WhyRoot &r : s.roots)
      roots.push_back(llvm::json::Object{{"symbol", r.symbol},
                                         {"demangled", demangled(r.symbol)},
                                         {"reachable", int64_t(r.reachable)},
                                         {"retained", int64_t(r.retained)}});
    for (const WhyTop &t : s.top)
      top.push_back(llvm::json::Object{{"symbol", t.symbol},
                                       {"demangled", demangled(t.symbol)},
                                       {"retained", int64_t(t.retained)}});
    llvm::json::Object o{{"live_bytes", int64_t(s.liveBytes)},
                         {"roots", std::move(roots)},
                         {"top", std::move(top)}};
    addJsonHeader(o, "why", libs,
                  html.empty() ? std::vector<std::string>{}
                               : std::vector<std::string>{html});
    os << llvm::formatv("{0:2}", llvm::json::Value(std::move(o))) << "\n";
    return;
  }
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

static void runWhy(const WhyArgs &a) {
  std::vector<std::string> libs, symbols;
  for (const std::string &s : a.args)
    (symbols.empty() && isLibraryArg(s) ? libs : symbols).push_back(s);
  if (a.top == 0)
    throw UserError("--top takes a number of symbols of 1 or more");
  if (libs.empty())
    throw UserError("why needs a library: slimlink why LIB... [SYMBOL...]");
  if (!a.html.empty() && !symbols.empty())
    throw UserError("--html draws the whole tree: give no SYMBOL with it");
  InputSet in = readLibraries(libs, {.progress = commonOptions().progress});
  checkSameTarget(in.libs);
  if (!a.html.empty())
    checkOutputsAreNotInputs({a.html});
  WhyLink w = buildWhyLink(in, makeApiSpec(a.apiFile, a.apiRegex));

  if (!symbols.empty()) {
    std::vector<WhyAnswer> answers;
    for (const std::string &s : symbols)
      answers.push_back(explainSymbol(in, w, s));
    printChains(answers, a.json, libs);
    size_t missing = llvm::count_if(answers, [](auto &x) { return !x.reachable; });
    if (missing) {
      reportOut().flush();
      throw UserError(std::to_string(missing) + " of " +
                      std::to_string(answers.size()) +
                      " symbol(s) not reachable from the API");
    }
    return;
  }
  WhySummary s = summarizeWhy(in, w, a.top, !a.html.empty());
  if (!a.html.empty()) {
    std::string title;
    for (const std::string &l : libs)
      title += (title.empty() ? "" : ", ") + l;
    writeFileAtomically(a.html, renderHtml(s, title));
  }
  printSummary(s, a.json, libs, a.html);
}

void addWhyCommand(CLI::App &app) {
  auto args = std::make_shared<WhyArgs>();
  CLI::App *sub = app.add_subcommand(
      "why", "Why is this code still here: chains from the API, and what each "
             "API root keeps alive");
  sub->footer(
      "With SYMBOLs (mangled or demangled): the chain from an API root to "
      "each, one step a line (symbol, member, section, and the relocation "
      "that leads on); exit 1 if one is not reachable (prune drops it).\n\n"
      "Without: per API root, the VM bytes it reaches and the bytes only it "
      "keeps alive (what prune saves when it leaves the API), then the "
      "symbols that keep the most bytes alive (--top N).\n\nExamples:\n"
      "  slimlink why libfoo.a 'miniz_oxide::deflate::core::compress_inner'\n"
      "  slimlink why libfoo.a --html why.html");
  sub->add_option("args", args->args, "Libraries (.a), then symbols")
      ->required()
      ->type_name("LIB... [SYMBOL...]");
  addApiOptions(sub, args->apiFile, args->apiRegex);
  sub->add_option("--top", args->top, "Symbols to list by retained bytes (default 20)")
      ->type_name("N");
  sub->add_flag("--json", args->json, "Print the result as JSON");
  sub->add_option("--html", args->html,
                  "Write the dominator tree as a treemap page")
      ->type_name("OUT");
  sub->callback([args] {
    forEachSlice("why", args->args, args->json, [&] { runWhy(*args); });
  });
}

} // namespace slimlink
