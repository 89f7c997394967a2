// slimlink dedup: the CLI side. Reads, plans, writes, reports.
#include "cli/commands.h"
#include "cli/rewrite_library.h"
#include "cli/slices.h"
#include "formats/read_library.h"
#include "passes/dedup.h"
#include "passes/shared_library.h"
#include "report/dedup_report.h"
#include "support/diagnostics.h"
#include "write/link_shared.h"
#include "write/pkg_config.h"
#include "write/write_file.h"
#include "write/write_archive.h"

#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <map>

namespace slimlink {

namespace {
struct DedupArgs {
  std::vector<std::string> inputs;
  DedupOutputs out; // -o, --common, --pkg-config, --shared, --linker
  std::string mergeOut, nonObjects = "keep";
  std::vector<std::string> bases;
  bool json = false;
};
} // namespace

void addModuleOutputOptions(CLI::App *sub, DedupOutputs &out) {
  sub->add_option("--pkg-config", out.pkgConfig,
                  "Also write DIR/NAME.pc: pkg-config --libs --static NAME "
                  "gives the link line; with --shared, DIR/NAME.pc for the "
                  "shared library and DIR/NAME-MODULE.pc for each module "
                  "(pkg-config --libs NAME-MODULE)")
      ->type_name("NAME");
  sub->add_flag("--shared", out.shared,
                "Write the common part as a shared library, DIR/<common>.so, "
                "exporting just what the slim libraries import from it, for "
                "modules that ship as separate shared libraries (ELF; "
                "Mach-O: DIR/<common>.dylib, install name @rpath/; "
                "MinGW: DIR/<common>.dll and its import library)");
  sub->add_option("--linker", out.linker,
                  "With --shared: the C compiler driver that links it, "
                  "with any flags of its own (default: $CC, else cc; "
                  "x86_64-w64-mingw32-gcc for MinGW libraries; for Mach-O "
                  "off Apple's systems, clang-19 "
                  "--target=ARCH-apple-macos11 -fuse-ld=lld -nostdlib)")
      ->type_name("CMD");
}

void checkOneStd(const InputSet &in) {
  if (std::string why = sharedStdMismatch(in); !why.empty())
    throw UserError("--shared: " + why);
}

// All inputs must be for one target, or the outputs would not link.
void checkSameTarget(const std::vector<Library> &libs) {
  const Library *first = nullptr;
  for (const Library &lib : libs) {
    if (!lib.target.known())
      continue;
    if (!first)
      first = &lib;
    else if (!(lib.target == first->target))
      throw InputError(lib.path, "is " + lib.target.str() + " but " +
                                     first->path + " is " +
                                     first->target.str() +
                                     "; dedup needs inputs for one target");
  }
}

static llvm::object::Archive::Kind outputKind(const std::vector<Library> &libs) {
  return libs.empty() ? llvm::object::Archive::K_GNU : libs.front().kind;
}

std::string commonLibraryPath(const std::vector<Library> &libs,
                              const std::string &outDir,
                              const std::string &commonName) {
  // The inputs' extension: MSVC's tools name libraries NAME.lib.
  std::string commonFile = commonName;
  bool msvc = !libs.empty() && llvm::StringRef(libs[0].path).ends_with_insensitive(".lib");
  if (!llvm::StringRef(commonFile).ends_with(".a") &&
      !llvm::StringRef(commonFile).ends_with(".lib"))
    commonFile += msvc ? ".lib" : ".a";
  return joinPath(outDir, commonFile);
}

// --shared: the common members linked into DIR/<common>.so (.dylib; or
// .dll and its import library), exporting what the slim libraries import from them.
// `common` is the archive that would otherwise be written; it takes the
// shared library's path and size.
static SharedLink linkCommonShared(const InputSet &in, const DedupPlan &plan,
                                   const SharedLibraryPlan &exports,
                                   const DedupOutputs &o, const Target &target,
                                   OutputArchive &common) {
  if (plan.common.empty())
    throw UserError("--shared: the libraries share no member, so there is no "
                    "common part to make a shared library of");
  if (llvm::StringRef(common.path).ends_with(".lib"))
    throw UserError("--shared links ELF, Mach-O and MinGW libraries only for "
                    "now; MSVC libraries (.lib) are not yet");
  std::string archive;
  llvm::raw_string_ostream os(archive);
  writeArchiveStream(common, os);
  os.flush();
  SharedLink link = linkSharedLibrary(
      {.archive = archive,
       .common = std::string(llvm::sys::path::stem(common.path)),
       .exports = exports.exports,
       .target = target,
       .rust = llvm::any_of(in.libs, isRustLibrary),
       .strip = o.strip,
       .linker = o.linker});
  common.path = joinPath(o.outDir, link.fileName);
  common.bytesWritten = link.bytes.size();
  return link;
}

// The first object's: shrink's read-back libraries carry no target of their
// own, their members do.
static Target targetOf(const InputSet &in) {
  for (const Library &lib : in.libs)
    for (const Member &m : lib.members)
      if (m.target.known())
        return m.target;
  return {};
}

// The members' bytes with every export they hold as hidden made visible
// (SharedLibraryPlan::madeVisible); the others' as they are.
static RewrittenMembers makeVisible(const InputSet &in,
                                    const SharedLibraryPlan &exports) {
  std::map<uint32_t, ObjectEdit> edits;
  for (const auto &[content, names] : exports.madeVisible)
    edits[content].defaultVisibility = names;
  std::vector<std::vector<MemberPlan>> plans;
  for (const Library &lib : in.libs) {
    std::vector<MemberPlan> &p = plans.emplace_back();
    for (const Member &m : lib.members) {
      auto it = edits.find(m.content);
      p.push_back({true, it == edits.end() ? nullptr : &it->second});
    }
  }
  return rewriteMembers(in, plans);
}

DedupReport writeDedupOutputs(const InputSet &in, const DedupPlan &plan,
                              const DedupOutputs &o, const OutputSink &sink) {
  const std::string &outDir = o.outDir, &pkgConfig = o.pkgConfig;
  std::vector<std::pair<std::string, std::string>> files = o.files;
  const std::vector<Library> &libs = in.libs;
  std::vector<OutputArchive> outs(libs.size());
  std::vector<std::string> paths;
  for (size_t l = 0; l < libs.size(); ++l) {
    outs[l].path = joinPath(outDir, llvm::sys::path::filename(libs[l].path));
    outs[l].kind = outputKind(libs);
    for (MemberRef r : plan.slim[l])
      outs[l].add(in.at(r));
    paths.push_back(outs[l].path);
  }
  OutputArchive common;
  common.path = commonLibraryPath(libs, outDir, o.commonName);
  common.kind = outputKind(libs);
  for (MemberRef r : plan.common)
    common.add(in.at(r));
  RewrittenMembers visible;
  SharedLink link;
  size_t sharedExports = 0;
  const Target target = targetOf(in);
  if (o.shared && sink.universal)
    throw UserError("--shared links one architecture at a time: give it "
                    "thin libraries (llvm-lipo -thin ARCH), one run per "
                    "architecture, and join the dylibs with lipo -create");
  if (o.shared) {
    SharedLibraryPlan exports = planSharedLibrary(in, plan);
    visible = makeVisible(in, exports);
    auto rebind = [&](OutputArchive &out, const std::vector<MemberRef> &refs) {
      for (size_t k = 0; k < refs.size(); ++k)
        out.members[k].data = visible.data[refs[k].lib][refs[k].index];
    };
    for (size_t l = 0; l < libs.size(); ++l)
      rebind(outs[l], plan.slim[l]);
    rebind(common, plan.common);
    link = linkCommonShared(in, plan, exports, o, target, common);
    sharedExports = exports.exports.size();
    files.insert(files.begin(), {common.path, link.bytes});
    if (!link.importName.empty())
      files.insert(files.begin() + 1,
                   {joinPath(outDir, link.importName), link.importBytes});
  }
  paths.push_back(common.path);
  // --pkg-config: the static line (slim libraries, then the common one), or
  // with --shared a file for the shared library and one per module.
  std::vector<std::pair<std::string, std::string>> pcFiles;
  if (!pkgConfig.empty() && o.shared)
    pcFiles = sharedPkgConfigFiles(
        outDir, pkgConfig, {paths.begin(), paths.begin() + libs.size()},
        link.importName.empty() ? link.fileName : link.importName, target);
  else if (!pkgConfig.empty())
    pcFiles.emplace_back(
        joinPath(outDir, pkgConfig + ".pc"),
        pkgConfigText(pkgConfig, paths,
                      libs.empty() ? Target{} : libs[0].target,
                      llvm::any_of(libs, isRustLibrary)));
  for (const auto &pc : pcFiles)
    paths.push_back(pc.first);
  for (size_t f = o.shared; f < files.size(); ++f)
    paths.push_back(files[f].first); // the shared library is in already
  checkOutputsAreNotInputs(paths);
  makeOutputDirectory(outDir);
  if (!o.shared)
    outs.push_back(common);
  writeArchives(outs, sink);
  if (!o.shared)
    common = outs.back(), outs.pop_back();
  for (const auto &[path, text] : files)
    writeOutputFile(sink, path, text);
  for (const auto &[path, text] : pcFiles)
    writeOutputFile(sink, path, text);
  DedupReport report = makeDedupReport(in, plan, outs, common);
  if (o.shared) {
    report.shared = true;
    report.sharedExports = sharedExports;
    if (!link.importName.empty())
      report.importPath = joinPath(outDir, link.importName);
    for (const OutputArchive &slim : outs)
      report.moduleLinkLines.push_back(moduleLinkLine(
          linkerDriver(o.linker, target), slim.path, link, outDir, target));
  }
  return report;
}

// dedup --base BASE... LIB... -o DIR: late plugins against libraries that
// have shipped. The bases are read, never written.
static VerbReport runAgainstBase(const DedupArgs &a, const DedupOptions &opts,
                                 const SliceRun &run) {
  if (a.out.outDir.empty() || !a.mergeOut.empty())
    throw UserError("dedup --base writes DIR/<LIB> for each LIB: give -o DIR "
                    "(and no --merge)");
  std::vector<std::string> paths = a.bases;
  paths.insert(paths.end(), a.inputs.begin(), a.inputs.end());
  InputSet in = readLibraries(paths, run.read);
  checkSameTarget(in.libs);
  BasePlan plan = planAgainstBase(in, a.bases.size(), opts);
  std::vector<OutputArchive> outs(plan.slim.size());
  std::vector<std::string> outPaths;
  for (size_t k = 0; k < outs.size(); ++k) {
    const Library &lib = in.libs[a.bases.size() + k];
    outs[k].path = joinPath(a.out.outDir, llvm::sys::path::filename(lib.path));
    outs[k].kind = lib.kind;
    for (MemberRef r : plan.slim[k])
      outs[k].add(in.at(r));
    outPaths.push_back(outs[k].path);
  }
  checkOutputsAreNotInputs(outPaths);
  makeOutputDirectory(a.out.outDir);
  writeArchives(outs, run.out);
  BaseReport report = makeBaseReport(in, plan, outs);
  return reportOf(std::move(report));
}

static VerbReport runDedup(const DedupArgs &a, const SliceRun &run) {
  DedupOptions opts;
  opts.dropNonObjects = a.nonObjects == "drop";
  if (a.out.shared && (!a.bases.empty() || !a.mergeOut.empty()))
    throw UserError("dedup --shared writes DIR/<common>.so and a slim library "
                    "per input: give -o DIR, and no --base or --merge");
  if (!a.bases.empty())
    return runAgainstBase(a, opts, run);
  if (a.mergeOut.empty() && a.out.outDir.empty())
    throw UserError("dedup needs -o DIR (common + slim libraries) or "
                    "--merge OUT.a (one merged library)");
  if (a.mergeOut.empty() && a.inputs.size() < 2)
    throw UserError("dedup needs two or more libraries to share members "
                    "between (or --merge OUT.a)");

  InputSet in = readLibraries(a.inputs, run.read);
  const std::vector<Library> &libs = in.libs;
  checkSameTarget(libs);
  if (a.out.shared)
    checkOneStd(in);

  DedupReport report;
  if (!a.mergeOut.empty()) {
    std::vector<MemberRef> merged = planMerge(in, opts);
    std::vector<OutputArchive> outs(1);
    outs[0].path = a.mergeOut;
    outs[0].kind = outputKind(libs);
    for (MemberRef r : merged)
      outs[0].add(in.at(r));
    checkOutputsAreNotInputs({a.mergeOut});
    writeArchives(outs, run.out);
    report = makeMergeReport(in, merged, outs[0]);
  } else {
    report = writeDedupOutputs(in, planDedup(in, opts), a.out, run.out);
  }
  return reportOf(std::move(report));
}

void addDedupCommand(CLI::App &app) {
  auto args = std::make_shared<DedupArgs>();
  CLI::App *sub = app.add_subcommand(
      "dedup", "Share identical members across static libraries");
  sub->footer(
      "Writes DIR/<common>.a with one copy of every member found in two or "
      "more inputs, and DIR/<input name> for each input with only the "
      "members no other input has. Members are compared by their bytes, "
      "never by name. Link the slim libraries first and the common library "
      "last; the report prints the link line.\n\n"
      "Example:\n"
      "  slimlink dedup liba.a libb.a libc.a -o out/\n"
      "  cc app.o out/liba.a out/libb.a out/libc.a out/libcommon.a");
  sub->add_option("libraries", args->inputs, "Static libraries (.a)")
      ->required()
      ->type_name("LIB");
  sub->add_option("-o,--output-dir", args->out.outDir,
                  "Directory for the common and slim libraries")
      ->type_name("DIR");
  sub->add_option("--common", args->out.commonName,
                  "Name of the common library (default: libcommon -> "
                  "DIR/libcommon.a)")
      ->type_name("NAME");
  sub->add_option("--merge", args->mergeOut,
                  "Instead: write one library with one copy of each distinct "
                  "member")
      ->type_name("OUT.a");
  sub->add_option("--base", args->bases,
                  "A library already shipped (e.g. an earlier run's common "
                  "library): each LIB keeps only what no base holds; bases "
                  "are never written")
      ->type_name("BASE.a")
      ->allow_extra_args(false);
  sub->add_option("--non-objects", args->nonObjects,
                  "Members that are not objects (e.g. lib.rmeta): keep or "
                  "drop (default: keep)")
      ->check(CLI::IsMember({"keep", "drop"}))
      ->type_name("MODE");
  addModuleOutputOptions(sub, args->out);
  sub->add_flag("--json", args->json, "Print the report as JSON");
  sub->callback([args] {
    forEachSlice("dedup", concat(args->bases, args->inputs), args->json,
                 [&](const SliceRun &run) { return runDedup(*args, run); });
  });
}

} // namespace slimlink
