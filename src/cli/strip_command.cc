// slimlink strip: the CLI side.
#include "cli/commands.h"
#include "cli/slices.h"
#include "cli/rewrite_library.h"
#include "formats/read_library.h"
#include "passes/strip.h"

namespace slimlink {

namespace {
struct StripArgs {
  std::string input, output;
  bool keepDebug = false, json = false;
};
} // namespace

static VerbReport runStrip(const StripArgs &a, const SliceRun &run) {
  InputSet in = readLibraries({a.input}, run.read);
  TransformReport report;
  report.verb = "strip";
  ObjectEdit edit = planStrip({.keepDebug = a.keepDebug});
  rewriteLibrary(in, sameEditForAll(in.libs[0], edit), a.output, run.out,
                 report);
  return reportOf(std::move(report));
}

void addStripCommand(CLI::App &app) {
  auto args = std::make_shared<StripArgs>();
  CLI::App *sub = app.add_subcommand(
      "strip", "Drop debug info, embedded bitcode and comments from a library");
  sub->footer("Drops .debug_* (unless --keep-debug), .llvmbc, .llvmcmd and "
              ".comment from every object member. Symbols, relocations, "
              "unwind tables and the archive index stay, so the library links "
              "as before.\n\nExample:\n  slimlink strip libfoo.a -o "
              "libfoo.stripped.a");
  addLibraryOptions(sub, args->input, args->output, args->json);
  sub->add_flag("--keep-debug", args->keepDebug, "Keep .debug_* sections");
  sub->callback([args] {
    forEachSlice("strip", {args->input}, args->json,
                 [&](const SliceRun &run) { return runStrip(*args, run); });
  });
}

} // namespace slimlink
