// slimlink verify: the CLI side. Exit status 1 when a check fails, so build
// systems and the other verbs' tests can rely on it.
#include "cli/commands.h"
#include "cli/slices.h"
#include "formats/read_library.h"
#include "passes/verify.h"
#include "report/json_header.h"
#include "support/diagnostics.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace slimlink {

namespace {
struct VerifyArgs {
  std::vector<std::string> before, after;
  std::string apiFile, apiRegex;
  bool json = false;
};
} // namespace

static void writeProblems(const VerifyResult &r, const VerifyArgs &a,
                          llvm::json::OStream &j) {
  j.object([&] {
    // verify writes nothing: the libraries it checks are both inputs.
    std::vector<std::string> inputs = a.before;
    inputs.insert(inputs.end(), a.after.begin(), a.after.end());
    jsonHeader(j, "verify", inputs, {});
    j.attributeArray("before", [&] {
      for (const std::string &p : a.before)
        j.value(p);
    });
    j.attributeArray("after", [&] {
      for (const std::string &p : a.after)
        j.value(p);
    });
    j.attribute("ok", r.problems.empty());
    j.attribute("api_symbols", int64_t(r.apiSymbols));
    j.attributeArray("problems", [&] {
      for (const auto &p : r.problems)
        j.object([&] {
          j.attribute("kind", kindName(p.kind));
          j.attribute("symbol", p.symbol);
          j.attributeArray("libraries", [&] {
            for (const auto &l : p.libs)
              j.value(l);
          });
        });
    });
  });
}

static void printProblems(const VerifyResult &r, llvm::raw_ostream &os) {
  const size_t shown = 20;
  for (size_t k = 0; k < r.problems.size() && k < shown; ++k) {
    const auto &p = r.problems[k];
    os << kindName(p.kind) << ": " << p.symbol << " (";
    for (size_t i = 0; i < p.libs.size(); ++i)
      os << (i ? ", " : "") << p.libs[i];
    os << ")\n";
  }
  if (r.problems.size() > shown)
    os << "... and " << r.problems.size() - shown << " more (--json lists all)\n";
  os << (r.problems.empty() ? "verify: ok" : "verify: FAILED") << " ("
     << r.apiSymbols << " API symbols checked, " << r.problems.size()
     << " problems)\n";
}

static VerbReport runVerify(const VerifyArgs &a, const SliceRun &run) {
  if (a.before.empty() || a.after.empty())
    throw UserError("verify needs BEFORE... -- AFTER...");
  ApiSpec spec = makeApiSpec(a.apiFile, a.apiRegex);
  InputSet before = readLibraries(a.before, run.read);
  InputSet after = readLibraries(a.after, run.read);
  checkSameTarget(before.libs);
  checkSameTarget(after.libs);
  if (!before.libs.empty() && !after.libs.empty() &&
      before.libs[0].target.known() && after.libs[0].target.known() &&
      !(before.libs[0].target == after.libs[0].target))
    throw InputError(after.libs[0].path,
                     "is " + after.libs[0].target.str() + " but " +
                         before.libs[0].path + " is " +
                         before.libs[0].target.str());
  auto r = std::make_shared<VerifyResult>(verifyLibraries(before, after, spec));
  VerbReport report{
      [r](llvm::raw_ostream &os) { printProblems(*r, os); },
      [r, &a](llvm::json::OStream &j) { writeProblems(*r, a, j); }};
  if (!r->problems.empty())
    report.failure =
        std::to_string(r->problems.size()) + " verification problem(s)";
  return report;
}

void addVerifyCommand(CLI::App &app) {
  auto args = std::make_shared<VerifyArgs>();
  CLI::App *sub = app.add_subcommand(
      "verify", "Check that output libraries link and resolve like the inputs");
  sub->footer(
      "Usage: slimlink verify BEFORE.a... -- AFTER.a...\n\nFails (exit 1) if "
      "an API symbol of the inputs is no longer defined, if a reference the "
      "inputs resolved is left unresolved, or if two outputs define the same "
      "strong global with different code.");
  sub->add_option("before", args->before, "Input libraries")->type_name("LIB");
  sub->add_option("--after", args->after, "Output libraries (or after '--')")
      ->type_name("LIB")
      ->expected(1, -1);
  addApiOptions(sub, args->apiFile, args->apiRegex);
  sub->add_flag("--json", args->json, "Print the result as JSON");
  sub->callback([args] {
    forEachSlice("verify", concat(args->before, args->after), args->json,
                 [&](const SliceRun &run) { return runVerify(*args, run); });
  });
}

} // namespace slimlink
