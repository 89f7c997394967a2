// slimlink prune: the CLI side.
#include "cli/commands.h"
#include "cli/slices.h"
#include "cli/rewrite_library.h"
#include "formats/read_library.h"
#include "passes/prune.h"
#include "support/diagnostics.h"

namespace slimlink {

namespace {
struct PruneArgs {
  std::string input, output, apiFile, apiRegex;
  std::vector<std::string> keep;
  bool json = false;
};
} // namespace

static VerbReport runPrune(const PruneArgs &a, const SliceRun &run) {
  InputSet in = readLibraries({a.input}, run.read);
  PruneLiveness live = findLive(
      in, 0, {.api = makeApiSpec(a.apiFile, a.apiRegex), .keep = a.keep});
  if (!live.missingKeep.empty())
    throw UserError(a.input + ": --keep " + live.missingKeep.front() +
                    ": no member defines it");
  if (live.roots.empty())
    throw UserError(a.input + ": no API symbol found, so everything would be "
                              "pruned; name the API with --api, --api-regex "
                              "or --keep");
  PrunePlan plan = planPrune(live);
  std::vector<MemberPlan> plans;
  size_t dropped = 0;
  for (size_t i = 0; i < plan.memberLive.size(); ++i) {
    plans.push_back({plan.memberLive[i], &plan.edits[i]});
    dropped += !plan.memberLive[i];
  }
  TransformReport report;
  report.verb = "prune";
  rewriteLibrary(in, plans, a.output, run.out, report);
  report.counts = {{"roots", int64_t(live.roots.size())},
                   {"members_dropped", int64_t(dropped)},
                   {"sections_removed", int64_t(plan.sectionsRemoved)},
                   {"sections_emptied", int64_t(plan.sectionsEmptied)}};
  return reportOf(std::move(report));
}

void addPruneCommand(CLI::App &app) {
  auto args = std::make_shared<PruneArgs>();
  CLI::App *sub = app.add_subcommand(
      "prune", "Drop the members and sections the library's API cannot reach");
  sub->footer(
      "Follows relocations from the API symbols (default: the #[no_mangle] "
      "symbols of the library's own crate) through every member, like a "
      "linker's --gc-sections, and drops what is never reached: whole members, "
      "and sections inside the members that stay. The unwind entries and debug "
      "relocations of dropped code are rewritten away with it.\n\n"
      "Example:\n  slimlink prune libfoo.a -o libfoo.pruned.a --keep foo_init");
  addLibraryOptions(sub, args->input, args->output, args->json);
  addApiOptions(sub, args->apiFile, args->apiRegex);
  sub->add_option("--keep", args->keep, "Also keep what this symbol reaches")
      ->type_name("SYM");
  sub->callback([args] {
    forEachSlice("prune", {args->input}, args->json,
                 [&](const SliceRun &run) { return runPrune(*args, run); });
  });
}

} // namespace slimlink
