// slimlink isolate: the CLI side.
#include "cli/commands.h"
#include "cli/slices.h"
#include "cli/rewrite_library.h"
#include "formats/read_library.h"
#include "passes/isolate.h"

#include "llvm/ADT/StringExtras.h"

namespace slimlink {

namespace {
struct IsolateArgs {
  std::string input, output, apiFile, apiRegex, tag;
  bool json = false;
};
} // namespace

static VerbReport runIsolate(const IsolateArgs &a, const SliceRun &run) {
  InputSet in = readLibraries({a.input}, run.read);
  IsolatePlan plan = planIsolate(
      in.libs[0], {.api = makeApiSpec(a.apiFile, a.apiRegex), .tag = a.tag});
  ObjectEdit edit;
  edit.renames = &plan.renames;
  edit.weakenSymbols = plan.weaken;

  TransformReport report;
  report.verb = "isolate";
  rewriteLibrary(in, sameEditForAll(in.libs[0], edit), a.output, run.out,
                 report);
  report.counts = {{"api_symbols", int64_t(plan.api.size())},
                   {"private_symbols", int64_t(plan.renames.size())}};
  // A long API is a count here; --json lists it.
  const size_t listed = 8;
  std::string api;
  for (size_t k = 0; k < plan.api.size() && k < listed; ++k)
    api += (k ? ", " : "") + plan.api[k].str();
  if (plan.api.size() > listed)
    api = std::to_string(plan.api.size()) + " symbols (" + api +
          ", ...; --json lists all)";
  for (llvm::StringRef s : plan.api)
    report.api.push_back(s.str());
  report.notes.push_back(
      plan.api.empty()
          ? "no API symbols: nothing stays public (give --api or --api-regex)"
          : "public API: " + api);
  report.notes.push_back(
      plan.renames.empty()
          ? "renamed nothing: the library defines no global outside its API"
          : "every other symbol the library defines now ends in '" +
                privateSuffix(plan.tag) + "'");
  if (!plan.weaken.empty())
    report.notes.push_back(
        "kept as weak definitions (unwind info can name only 3 personality "
        "routines in one program): " + llvm::join(plan.weaken, ", "));
  return reportOf(std::move(report));
}

void addIsolateCommand(CLI::App &app) {
  auto args = std::make_shared<IsolateArgs>();
  CLI::App *sub = app.add_subcommand(
      "isolate", "Make every non-API symbol of a library private to it");
  sub->footer(
      "Renames every global the library defines, except its API, to a name "
      "unique to this library, in every member that defines or uses it. Any "
      "number of isolated libraries then link into one program: no duplicate "
      "rust_eh_personality, __rust_alloc or std statics, LTO or not.\n\n"
      "Default API: the #[no_mangle] functions and data of the library's own "
      "crate (named after the file: libfoo.a -> foo; for a renamed archive, "
      "the crate of its first Rust member), never Rust runtime "
      "internals or compiler_builtins.\n\nExample:\n"
      "  slimlink isolate libfoo.a -o isolated/libfoo.a");
  addLibraryOptions(sub, args->input, args->output, args->json);
  addApiOptions(sub, args->apiFile, args->apiRegex);
  sub->add_option("--tag", args->tag,
                  "Suffix tag for private names (default: crate + hash)")
      ->type_name("TAG");
  sub->callback([args] {
    forEachSlice("isolate", {args->input}, args->json,
                 [&](const SliceRun &run) { return runIsolate(*args, run); });
  });
}

} // namespace slimlink
