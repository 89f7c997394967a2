#include "cli/commands.h"
#include "support/diagnostics.h"
#include "support/heap_policy.h"
#include "support/version.h"

#include "llvm/Support/Parallel.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/Threading.h"

#include <algorithm>

int main(int argc, char **argv) {
  using namespace slimlink;
  setHeapPolicy();
  // LLVM's signal handlers, installed here, on the main thread, before any
  // worker starts (as LLVM's own tools do): a crash prints a stack trace, and
  // no worker thread installs them later. The first TempFile::create or
  // RemoveFileOnSignal would install them on whichever thread runs it, with
  // an alternate signal stack malloc'd for that thread, which ASan's thread
  // exit then munmaps (an abort where its own stack is the smaller one).
  llvm::sys::PrintStackTraceOnErrorSignal(argv[0]);
  CLI::App app{"slimlink: shows where the bytes in Rust (and C/C++) static "
               "libraries go, and takes them out.",
               "slimlink"};
  app.set_version_flag("--version", std::string("slimlink ") + kVersion);
  app.require_subcommand(1);
  app.fallthrough();
  CommonOptions &common = commonOptions();
  bool noProgress = false;
  app.add_option("-j,--threads", common.threads,
                 "Worker threads (default: all cores)")
      ->type_name("N");
  app.add_flag("--no-progress", noProgress,
               "Never show a progress line on stderr");
  app.parse_complete_callback([&] {
    common.progress = !noProgress;
    if (common.threads)
      llvm::parallel::strategy = llvm::hardware_concurrency(common.threads);
    setHeapArenas(llvm::parallel::strategy.compute_thread_count());
  });
  addDedupCommand(app);
  addIsolateCommand(app);
  addPruneCommand(app);
  addShrinkCommand(app);
  addStripCommand(app);
  addTricksCommand(app);
  addVerifyCommand(app);
  addWhyCommand(app);

  // `verify BEFORE... -- AFTER...` and bloaty's `size FILE -- BASE`: CLI11
  // would swallow the "--", so it becomes an option before parsing.
  // Global options (-j N, --no-progress) may come before the subcommand.
  std::vector<std::string> args(argv + 1, argv + argc);
  size_t sub = 0;
  while (sub < args.size() && args[sub].starts_with("-"))
    sub += args[sub] == "-j" || args[sub] == "--threads" ? 2 : 1;
  if (sub < args.size() && (args[sub] == "verify" || args[sub] == "size"))
    std::replace(args.begin() + sub, args.end(), std::string("--"),
                 std::string(args[sub] == "size" ? "--base" : "--after"));
  addSizeCommand(app);
  // `slimlink help [VERB]`, as git and cargo have it.
  if (sub < args.size() && args[sub] == "help") {
    args.erase(args.begin() + sub);
    args.insert(args.begin() + std::min(args.size(), sub + 1), "--help");
  }
  // A word that is no subcommand: name it, and the nearest one.
  if (sub < args.size() && !llvm::StringRef(args[sub]).starts_with("-")) {
    llvm::StringRef word = args[sub];
    std::string best;
    unsigned bestDistance = ~0u;
    for (const CLI::App *c : app.get_subcommands({})) {
      if (c->get_name() == word) {
        best.clear();
        bestDistance = 0;
        break;
      }
      unsigned d = word.edit_distance(c->get_name());
      if (d < bestDistance)
        bestDistance = d, best = c->get_name();
    }
    if (bestDistance > 0) {
      llvm::errs() << "slimlink: error: unknown subcommand '" << word << "'";
      if (bestDistance <= 2)
        llvm::errs() << "; did you mean '" << best << "'?";
      llvm::errs() << " (slimlink --help lists them)\n";
      return 2;
    }
  }
  std::reverse(args.begin(), args.end()); // CLI11 takes them last-first

  try {
    app.parse(args);
  } catch (const CLI::ParseError &e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2; // usage errors: 2, like other binary tools
  } catch (const UserError &e) {
    llvm::outs().flush();
    llvm::errs() << "slimlink: error: " << e.what() << "\n";
    // size's exit status 1 says "over budget" (--budget), so that a CI can
    // tell it from a broken run: its errors are 2, as usage errors are.
    return app.got_subcommand("size") ? 2 : 1;
  } catch (const CheckFailed &e) {
    llvm::outs().flush();
    llvm::errs() << "slimlink: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
