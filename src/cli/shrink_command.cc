// slimlink shrink: the CLI side of the whole pipeline over a set. The plan is
// passes/shrink.h; running it (rewrite, dedup, write) is here.
#include "cli/commands.h"
#include "cli/rewrite_library.h"
#include "cli/slices.h"
#include "formats/read_library.h"
#include "passes/shrink.h"
#include "support/diagnostics.h"

#include "llvm/Support/Parallel.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace slimlink {

namespace {
struct ShrinkArgs {
  std::vector<std::string> inputs;
  DedupOutputs out; // -o, --common, --pkg-config, --shared, --linker
  std::string apiFile, apiRegex, tag;
  bool keepDebug = false, keepNames = false, json = false;
};
} // namespace

// The rewritten libraries as a model again, for dedup: each distinct member
// read once, its copies given what it reads as.
static InputSet readBack(const InputSet &in,
                         const std::vector<std::vector<MemberPlan>> &plans,
                         const RewrittenMembers &rewritten) {
  InputSet out;
  for (uint32_t l = 0; l < in.libs.size(); ++l) {
    Library &lib = out.libs.emplace_back();
    lib.path = in.libs[l].path;
    lib.kind = in.libs[l].kind;
    lib.fileSize = in.libs[l].fileSize;
    for (uint32_t i = 0; i < in.libs[l].members.size(); ++i) {
      if (!plans[l][i].keep)
        continue;
      Member &m = lib.members.emplace_back();
      m.name = in.libs[l].members[i].name;
      m.offset = in.libs[l].members[i].offset;
      m.data = rewritten.data[l][i];
    }
  }
  assignContents(out);
  std::vector<std::string> errors(out.contents.size());
  llvm::parallelFor(0, out.contents.size(), [&](size_t c) {
    MemberRef ref = out.contents[c];
    errors[c] = readMember(out.libs[ref.lib].members[ref.index]);
  });
  for (size_t c = 0; c < errors.size(); ++c)
    if (!errors[c].empty())
      throw UserError("internal error: rewritten member '" +
                      out.at(out.contents[c]).name +
                      "' does not read back: " + errors[c]);
  for (Library &lib : out.libs)
    for (Member &m : lib.members)
      if (const Member &rep = out.at(out.contents[m.content]); &rep != &m) {
        m.kind = rep.kind;
        m.target = rep.target;
        m.symbols = rep.symbols;
      }
  return out;
}

// shrink's write step: the plan's rewrites through the path prune and
// isolate take, then dedup over the new bytes, then the outputs, with
// DIR/<common>.names listing the short private names.
static DedupReport writeShrink(const InputSet &in, const ShrinkPlan &plan,
                               const ShrinkArgs &a, const OutputSink &sink) {
  std::vector<ObjectEdit> edits;
  for (const ShrinkRewrite &rw : plan.rewrites) {
    edits.push_back(rw.edit);
    edits.back().renames = &rw.renames;
  }
  std::vector<std::vector<MemberPlan>> plans;
  for (const std::vector<ShrinkMember> &members : plan.members) {
    std::vector<MemberPlan> &lib = plans.emplace_back();
    for (const ShrinkMember &m : members)
      lib.push_back({m.keep, m.rewrite ? &edits[*m.rewrite] : nullptr});
  }
  RewrittenMembers rewritten = rewriteMembers(in, plans);
  InputSet out = readBack(in, plans, rewritten);

  DedupOutputs outputs = a.out;
  outputs.strip = true;
  if (!plan.shortNames.empty()) {
    // One line per private name: the short one, a tab, the original.
    llvm::SmallString<256> path(commonLibraryPath(in.libs, a.out.outDir, a.out.commonName));
    llvm::sys::path::replace_extension(path, "names");
    std::string &text = outputs.files.emplace_back(std::string(path), "").second;
    for (const auto &[to, from] : plan.shortNames)
      text += to + "\t" + from + "\n";
  }
  DedupReport report = writeDedupOutputs(out, planDedup(out, {}), outputs, sink);
  if (!outputs.files.empty())
    report.namesPath = outputs.files[0].first;
  return report;
}

static VerbReport runShrink(const ShrinkArgs &a, const SliceRun &run) {
  InputSet in = readLibraries(a.inputs, run.read);
  checkSameTarget(in.libs);
  if (a.out.shared)
    checkOneStd(in);
  ShrinkPlan plan = planShrink(in, readSetGraphs(in),
                               {.api = makeApiSpec(a.apiFile, a.apiRegex),
                                .keepDebug = a.keepDebug,
                                .keepNames = a.keepNames,
                                .tag = a.tag});
  DedupReport report = writeShrink(in, plan, a, run.out);
  report.mode = "shrink";
  report.counts = {{"api_symbols", int64_t(plan.apiSymbols)},
                   {"private_symbols", int64_t(plan.privateSymbols)},
                   {"per_library_symbols", int64_t(plan.perLibrarySymbols)},
                   {"localized_symbols", int64_t(plan.localizedSymbols)},
                   {"object_members", int64_t(plan.objectCopies)},
                   {"objects_rewritten", int64_t(plan.rewrites.size())}};
  return reportOf(std::move(report));
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
      "the slim libraries, then the common one; the report prints the line. "
      "With --shared the common part is DIR/<common>.so (.dylib, .dll) instead, for "
      "libraries that ship as separate shared modules (Python extension "
      "modules, Node addons, plugins): link each module from its slim "
      "library and that shared library, as the report prints.\n\n"
      "Example:\n  slimlink shrink liba.a libb.a libc.a -o out/\n"
      "  slimlink shrink --shared liba.a libb.a -o out/   # out/libcommon.so");
  sub->add_option("libraries", args->inputs, "Static libraries (.a)")
      ->required()
      ->type_name("LIB");
  sub->add_option("-o,--output-dir", args->out.outDir,
                  "Directory for the common and slim libraries")
      ->required()
      ->type_name("DIR");
  sub->add_option("--common", args->out.commonName,
                  "Name of the common library (default: libcommon)")
      ->type_name("NAME");
  addApiOptions(sub, args->apiFile, args->apiRegex);
  sub->add_option("--tag", args->tag, "Tag for private names")->type_name("TAG");
  sub->add_flag("--keep-debug", args->keepDebug, "Keep .debug_* sections");
  sub->add_flag("--keep-names", args->keepNames,
                "Keep private names readable (NAME.slimlink.TAG) and local "
                "names; by default they are short and listed in DIR/<common>.names");
  addModuleOutputOptions(sub, args->out);
  sub->add_flag("--json", args->json, "Print the report as JSON");
  sub->callback([args] {
    forEachSlice("shrink", args->inputs, args->json,
                 [&](const SliceRun &run) { return runShrink(*args, run); });
  });
}

} // namespace slimlink
