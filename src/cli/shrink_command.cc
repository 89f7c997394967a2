// slimlink shrink: the CLI side of the whole pipeline over a set.
#include "cli/commands.h"
#include "cli/slices.h"
#include "formats/read_library.h"
#include "passes/shrink.h"
#include "support/diagnostics.h"

#include "llvm/Support/raw_ostream.h"

namespace slimlink {

namespace {
struct ShrinkArgs {
  std::vector<std::string> inputs;
  std::string outDir, commonName = "libcommon", apiFile, apiRegex, tag, pkgConfig;
  bool keepDebug = false, keepNames = false, json = false;
};
} // namespace

static void runShrink(const ShrinkArgs &a) {
  InputSet in = readLibraries(a.inputs, {.progress = commonOptions().progress});
  checkSameTarget(in.libs);
  ShrinkResult r = planShrink(in, {.api = makeApiSpec(a.apiFile, a.apiRegex),
                                   .keepDebug = a.keepDebug,
                                   .keepNames = a.keepNames,
                                   .tag = a.tag});
  DedupReport report = writeDedupOutputs(r.out, r.dedup, a.outDir, a.commonName,
                                         a.pkgConfig, r.shortNames);
  report.mode = "shrink";
  report.counts = {{"api_symbols", int64_t(r.apiSymbols)},
                   {"private_symbols", int64_t(r.privateSymbols)},
                   {"per_library_symbols", int64_t(r.perLibrarySymbols)},
                   {"localized_symbols", int64_t(r.localizedSymbols)},
                   {"object_members", int64_t(r.objectCopies)},
                   {"objects_rewritten", int64_t(r.distinctRewrites)}};
  if (a.json)
    printJson(report, reportOut());
  else
    printTable(report, reportOut());
}

void addShrinkCommand(CLI::App &app) {
  auto args = std::make_shared<ShrinkArgs>();
  CLI::App *sub = app.add_subcommand(
      "shrink", "The whole pipeline over a set: prune, strip, isolate, dedup");
  sub->footer(
      "Treats the libraries as one unit, as a build system that ships them "
      "together would: each is pruned to what its API reaches and stripped, "
      "every non-API symbol becomes private to the set, and one copy of "
      "what they share (std, core, alloc, ...) goes into DIR/<common>.a. Link "
      "the slim libraries, then the common one; the report prints the line.\n\n"
      "Example:\n  slimlink shrink liba.a libb.a libc.a -o out/");
  sub->add_option("libraries", args->inputs, "Static libraries (.a)")
      ->required()
      ->type_name("LIB");
  sub->add_option("-o,--output-dir", args->outDir,
                  "Directory for the common and slim libraries")
      ->required()
      ->type_name("DIR");
  sub->add_option("--common", args->commonName,
                  "Name of the common library (default: libcommon)")
      ->type_name("NAME");
  addApiOptions(sub, args->apiFile, args->apiRegex);
  sub->add_option("--tag", args->tag, "Tag for private names")->type_name("TAG");
  sub->add_flag("--keep-debug", args->keepDebug, "Keep .debug_* sections");
  sub->add_flag("--keep-names", args->keepNames,
                "Keep private names readable (NAME.slimlink.TAG) and local "
                "names; by default they are short and listed in DIR/<common>.names");
  sub->add_option("--pkg-config", args->pkgConfig,
                  "Also write DIR/NAME.pc: pkg-config --libs --static NAME "
                  "gives the link line")
      ->type_name("NAME");
  sub->add_flag("--json", args->json, "Print the report as JSON");
  sub->callback([args] {
    forEachSlice("shrink", args->inputs, args->json, [&] { runShrink(*args); });
  });
}

} // namespace slimlink
