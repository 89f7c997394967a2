// slimlink tricks: builds the crate once per trick, measures each build with
// the size engine, runs the built programs interleaved, and reports.
#include "cli/commands.h"
#include "formats/read_library.h"
#include "passes/api.h"
#include "passes/per_crate.h"
#include "passes/tricks.h"
#include "report/tricks_report.h"
#include "support/diagnostics.h"
#include "support/input_files.h"
#include "write/write_file.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <deque>
#include <map>

extern char **environ;

namespace slimlink {

namespace {

struct TricksArgs {
  std::string crate, bin, run, tricks, work, html, toolchain;
  bool lib = false, json = false, csv = false;
  unsigned runs = 5;
  // --per-crate [N]: given (perCrateValue "" when without N).
  bool perCrate = false;
  std::string perCrateValue;
  size_t perCrateTop = 8;
  double maxSlowdown = 0; // percent
};

struct Proc {
  int exit = -1;
  double seconds = 0;    // wall time
  double cpuSeconds = 0; // user + system time of the process (and children)
  std::string error; // could not start, or killed
};

// Runs `args` (args[0] is the program) with `env` overrides on top of ours,
// stdout and stderr to `log` ("" for /dev/null); with `stderrOnly`, stdout
// goes to /dev/null (a timed program's output costs no disk time).
Proc runProcess(const std::vector<std::string> &args,
                const std::vector<std::pair<std::string, std::string>> &env,
                const std::string &log, bool stderrOnly = false) {
  std::vector<std::string> envStrings;
  for (char **e = environ; *e; ++e) {
    llvm::StringRef kv(*e);
    bool overridden = false;
    for (const auto &[k, v] : env)
      overridden |= kv.starts_with(k + "=");
    if (!overridden)
      envStrings.push_back(kv.str());
  }
  for (const auto &[k, v] : env)
    envStrings.push_back(k + "=" + v);
  std::vector<llvm::StringRef> argRefs(args.begin(), args.end());
  std::vector<llvm::StringRef> envRefs(envStrings.begin(), envStrings.end());
  std::optional<llvm::StringRef> out = log.empty() ? llvm::StringRef("/dev/null")
                                                   : llvm::StringRef(log);
  std::optional<llvm::StringRef> redirects[] = {
      llvm::StringRef("/dev/null"), stderrOnly ? llvm::StringRef("/dev/null") : out,
      out};
  Proc p;
  auto start = std::chrono::steady_clock::now();
  std::string err;
  std::optional<llvm::sys::ProcessStatistics> stats;
  p.exit = llvm::sys::ExecuteAndWait(args[0], argRefs, envRefs, redirects, 0, 0,
                                     &err, nullptr, &stats);
  if (stats)
    p.cpuSeconds = stats->TotalTime.count() / 1e6;
  p.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
                  .count();
  if (p.exit < 0)
    p.error = err.empty() ? "crashed" : err;
  return p;
}

std::string findCargo() {
  if (auto p = llvm::sys::findProgramByName("cargo"))
    return *p;
  if (const char *home = getenv("HOME")) {
    std::string p = std::string(home) + "/.cargo/bin/cargo";
    if (llvm::sys::fs::can_execute(p))
      return p;
  }
  throw UserError("cargo not found on PATH (nor in ~/.cargo/bin)");
}

std::string readFile(const std::string &path) {
  auto buf = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  return buf ? (*buf)->getBuffer().str() : "";
}

// What went wrong, from a build log: from the first error on, else the end.
std::string buildError(const std::string &log) {
  size_t at = log.find("\nerror");
  if (at == std::string::npos)
    at = log.rfind('\n', log.size() > 2000 ? log.size() - 2000 : 0);
  llvm::StringRef rest = llvm::StringRef(log).substr(at == std::string::npos ? 0 : at);
  return rest.take_front(2000).trim().str();
}

// The last lines of a log.
std::string tail(const std::string &text, size_t lines) {
  size_t pos = text.size();
  for (size_t n = 0; pos > 0 && n <= lines; --pos)
    if (text[pos - 1] == '\n')
      ++n;
  return llvm::StringRef(text).substr(pos).trim().str();
}

struct Target {
  std::string name;    // the binary's name, or the library's file name
  bool lib = false;
};

// `cargo metadata` of the crate (with its dependencies, or --no-deps),
// its output kept in `log`.
llvm::json::Value cargoMetadata(const std::string &cargo,
                                const std::string &manifest,
                                const TricksArgs &a, const std::string &log,
                                bool deps) {
  std::vector<std::string> args = {cargo, "metadata"};
  if (!deps)
    args.push_back("--no-deps");
  args.insert(args.end(),
              {"--format-version", "1", "--manifest-path", manifest});
  Proc p = runProcess(args, {}, log);
  if (p.exit != 0)
    throw UserError(a.crate + ": cargo metadata failed: " + tail(readFile(log), 5));
  std::string text = readFile(log);
  size_t brace = text.find('{');
  auto json = llvm::json::parse(llvm::StringRef(text).substr(
      brace == std::string::npos ? text.size() : brace));
  if (!json)
    throw UserError(a.crate + ": cannot read cargo metadata: " +
                    takeMessage(json.takeError()));
  return std::move(*json);
}

// Which artifact to build and measure, from `cargo metadata`.
Target findTarget(const std::string &cargo, const std::string &manifest,
                  const TricksArgs &a, const std::string &work) {
  llvm::json::Value json =
      cargoMetadata(cargo, manifest, a, work + "/metadata.json", /*deps=*/false);
  llvm::SmallString<256> real;
  llvm::sys::fs::real_path(manifest, real);
  std::vector<std::string> bins, libs;
  for (const llvm::json::Value &pkg : *json.getAsObject()->getArray("packages")) {
    const auto *o = pkg.getAsObject();
    if (o->getString("manifest_path").value_or("") != real)
      continue;
    for (const llvm::json::Value &t : *o->getArray("targets")) {
      const auto *to = t.getAsObject();
      std::string name = to->getString("name").value_or("").str();
      for (const llvm::json::Value &k : *to->getArray("kind")) {
        if (k.getAsString() == "bin")
          bins.push_back(name);
        if (k.getAsString() == "staticlib") {
          std::replace(name.begin(), name.end(), '-', '_');
          libs.push_back("lib" + name + ".a");
        }
      }
    }
  }
  if (a.lib || (a.bin.empty() && bins.empty())) {
    if (libs.empty())
      throw UserError(a.crate + ": the crate has no staticlib target "
                                "(crate-type = [\"staticlib\"])");
    return {libs.front(), true};
  }
  if (!a.bin.empty()) {
    if (!llvm::is_contained(bins, a.bin))
      throw UserError(a.crate + ": no binary named '" + a.bin + "'");
    return {a.bin, false};
  }
  if (bins.size() > 1)
    throw UserError(a.crate + ": several binaries; choose one with --bin");
  return {bins.front(), false};
}

// A rustup tool (cargo, rustc, rustup) on PATH, else in ~/.cargo/bin; "" if
// neither has it.
std::string findRustTool(const char *name) {
  if (auto p = llvm::sys::findProgramByName(name))
    return *p;
  if (const char *home = getenv("HOME")) {
    std::string p = std::string(home) + "/.cargo/bin/" + name;
    if (llvm::sys::fs::can_execute(p))
      return p;
  }
  return "";
}

// What `args` print (stdout and stderr), "" if it cannot run.
std::string capture(const std::vector<std::string> &args,
                    const std::vector<std::pair<std::string, std::string>> &env = {}) {
  if (args[0].empty())
    return "";
  llvm::SmallString<128> out;
  llvm::sys::fs::createTemporaryFile("slimlink-tricks", "txt", out);
  Proc p = runProcess(args, env, std::string(out));
  std::string text = p.exit == 0 ? readFile(std::string(out)) : "";
  llvm::sys::fs::remove(out);
  return text;
}

std::string firstLine(llvm::StringRef text) { return text.split('\n').first.trim().str(); }

// The default toolchain, and the nightly beside it (or `wanted`) with rustup.
// A toolchain is run only once rustup lists it: asking rustup for one it does
// not have may download it.
Toolchains findToolchains(const std::string &wanted, std::string &nightlyHost) {
  Toolchains tc;
  std::string rustc = findRustTool("rustc");
  tc.defaultVersion = firstLine(capture({rustc, "-V"}));
  tc.defaultName = rustcChannel(tc.defaultVersion);
  std::string host =
      llvm::StringRef(capture({rustc, "-vV"})).split("host: ").second.split('\n').first.trim().str();
  nightlyHost = host;
  bool defaultNightly = tc.defaultName == "nightly" || tc.defaultName == "dev";
  if (wanted.empty() && defaultNightly) {
    tc.nightlyVersion = tc.defaultVersion;
  } else {
    std::string rustup = findRustTool("rustup");
    if (rustup.empty()) {
      tc.noNightly = wanted.empty() ? "no nightly toolchain (" + tc.defaultVersion +
                                          " is " + tc.defaultName + ", and no rustup)"
                                    : "--toolchain needs rustup, which is not on PATH";
      return tc;
    }
    tc.nightly = pickNightly(capture({rustup, "toolchain", "list"}), wanted, host,
                             tc.noNightly);
    if (tc.nightly.empty())
      return tc;
    std::vector<std::pair<std::string, std::string>> env = {{"RUSTUP_TOOLCHAIN", tc.nightly}};
    tc.nightlyVersion = firstLine(capture({rustc, "-V"}, env));
    std::string channel = rustcChannel(tc.nightlyVersion);
    if (channel != "nightly" && channel != "dev") {
      tc.noNightly = "toolchain '" + tc.nightly + "' is " +
                     (tc.nightlyVersion.empty() ? "not runnable" : tc.nightlyVersion) +
                     ", not a nightly: -Z flags need one";
      tc.nightly.clear();
      return tc;
    }
    nightlyHost = llvm::StringRef(capture({rustc, "-vV"}, env))
                      .split("host: ").second.split('\n').first.trim().str();
  }
  // cargo -Zbuild-std reads the sources from here.
  std::string sysroot = firstLine(capture(
      {rustc, "--print", "sysroot"},
      tc.nightly.empty() ? std::vector<std::pair<std::string, std::string>>{}
                         : std::vector<std::pair<std::string, std::string>>{
                               {"RUSTUP_TOOLCHAIN", tc.nightly}}));
  tc.rustSrc = !sysroot.empty() &&
               llvm::sys::fs::exists(sysroot + "/lib/rustlib/src/rust/library/Cargo.lock");
  return tc;
}

void progress(const std::string &msg) {
  llvm::errs() << "tricks: " << msg << "\n";
  llvm::errs().flush();
}

// A host program that keeps the library's API alive, so the link measures
// what a user of the staticlib ships.
uint64_t linkHost(const std::string &lib, const std::string &dir) {
  InputSet in = readLibraries({lib}, {.progress = false});
  std::string host = dir + "/host", src = dir + "/host.c";
  writeFileAtomically(src, "int main(void) { return 0; }\n");
  std::vector<std::string> args = {"/usr/bin/cc", "-Wl,--gc-sections", src, lib,
                                   "-o", host};
  for (llvm::StringRef s : apiSymbols(in.libs[0], {}))
    args.push_back(("-Wl,--undefined=" + s).str());
  auto cc = llvm::sys::findProgramByName("cc");
  if (cc)
    args[0] = *cc;
  if (runProcess(args, {}, dir + "/host.log").exit != 0)
    return 0;
  uint64_t size = 0;
  llvm::sys::fs::file_size(host, size);
  return size;
}

void measure(VariantResult &v, const SizeResult *baseCrates,
             const SizeResult *baseSections, SizeResult &crates,
             SizeResult &sections) {
  // Read the artifact once; both views are computed from it.
  std::vector<SizeFile> files;
  files.push_back(loadSizeFile(v.artifact, {SizeView::Crates, SizeView::Sections}));
  for (const std::string &n : files.back().notes)
    note(n);
  crates = computeSize(files, {SizeView::Crates});
  sections = computeSize(files, {SizeView::Sections});
  v.fileSize = crates.file;
  v.vmSize = crates.vm;
  if (baseCrates) {
    // Stripped of its symbols, the variant's code has no crates: crate rows
    // would show every lost name as a saving. Its sections still compare.
    v.cratesUnknown = !crates.stripped.empty() && baseCrates->stripped.empty();
    if (!v.cratesUnknown)
      v.changes = biggestChanges(*baseCrates, crates, 4);
    for (SizeDiffRow &r : biggestChanges(*baseSections, sections, 4))
      v.changes.push_back(std::move(r));
  }
}

// The crate's own files are inputs: no output may replace them (its
// target/ directory holds builds, not sources).
void rememberCrateFiles(const std::string &crate) {
  namespace fs = llvm::sys::fs;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(crate, ec), end; it != end && !ec;
       it.increment(ec)) {
    llvm::StringRef name = llvm::sys::path::filename(it->path());
    if (it->type() == fs::file_type::directory_file &&
        (name == "target" || name.starts_with("."))) {
      it.no_push();
      continue;
    }
    if (it->type() == fs::file_type::regular_file)
      rememberInput(it->path());
  }
}

// The shell command that runs `artifact` as --run says: 'CMD ARGS' where
// CMD is the binary's name (or {}, anywhere), or 'ARGS' alone.
std::string runCommand(const std::string &run, const std::string &binName,
                       const std::string &artifact) {
  std::string program = "'" + artifact + "'";
  std::string cmd = run;
  if (cmd.find("{}") != std::string::npos) {
    for (size_t at; (at = cmd.find("{}")) != std::string::npos;)
      cmd.replace(at, 2, program);
    return cmd;
  }
  llvm::StringRef first = llvm::StringRef(cmd).ltrim().split(' ').first;
  if (!binName.empty() && (first == binName || first == "./" + binName))
    return program + llvm::StringRef(cmd).ltrim().drop_front(first.size()).str();
  return program + " " + cmd;
}

// Crate (lib target) name to Cargo package name for every package of the
// build, and the package being built, from `cargo metadata` with its
// dependencies (after the baseline's build: resolved and offline).
struct CratePackages {
  std::map<std::string, std::string> packageOfCrate;
  std::string own;
};

CratePackages cratePackages(const std::string &cargo, const std::string &manifest,
                            const TricksArgs &a, const std::string &work) {
  llvm::json::Value json = cargoMetadata(
      cargo, manifest, a, work + "/metadata-deps.json", /*deps=*/true);
  llvm::SmallString<256> real;
  llvm::sys::fs::real_path(manifest, real);
  CratePackages out;
  const llvm::json::Array *packages = json.getAsObject()->getArray("packages");
  for (const llvm::json::Value &pkg : packages ? *packages : llvm::json::Array()) {
    const auto *o = pkg.getAsObject();
    std::string name = o->getString("name").value_or("").str();
    if (o->getString("manifest_path").value_or("") == real)
      out.own = name;
    const llvm::json::Array *targets = o->getArray("targets");
    for (const llvm::json::Value &t : targets ? *targets : llvm::json::Array()) {
      const auto *to = t.getAsObject();
      const llvm::json::Array *kinds = to->getArray("kind");
      bool library = false;
      for (const llvm::json::Value &k : kinds ? *kinds : llvm::json::Array())
        for (const char *lib : {"lib", "rlib", "dylib", "staticlib", "cdylib"})
          library |= k.getAsString() == lib;
      if (library)
        out.packageOfCrate.emplace(to->getString("name").value_or("").str(), name);
    }
  }
  return out;
}

// What building and timing a variant needs to know.
struct BuildContext {
  const TricksArgs &a;
  std::string cargo, manifest, work, nightlyHost;
  Target target;
};

// Builds `v` into `targetDir` (its own by default) and measures it against
// its baseline's sizes in `bases`.
void buildVariant(VariantResult &v, const BuildContext &c, const std::string &step,
                  const std::map<std::string, std::pair<SizeResult, SizeResult>> &bases,
                  SizeResult &crates, SizeResult &sections,
                  const std::string &targetDir = "") {
  std::string dir = targetDir.empty() ? c.work + "/" + v.trick->name : targetDir;
  progress(step + " building " + v.trick->name + " (" + v.trick->what + ", " +
           v.trick->toolchain + ")");
  std::vector<std::string> args = {c.cargo, "build", "--release", "--manifest-path",
                                   c.manifest, "--target-dir", dir};
  if (c.target.lib)
    args.push_back("--lib");
  else
    args.insert(args.end(), {"--bin", c.target.name});
  args.insert(args.end(), v.trick->cargoArgs.begin(), v.trick->cargoArgs.end());
  // Cargo rebuilds std only for an explicit target (not for build scripts).
  std::string out = dir + "/release/";
  if (v.trick->buildStd && !c.nightlyHost.empty()) {
    args.insert(args.end(), {"--target", c.nightlyHost});
    out = dir + "/" + c.nightlyHost + "/release/";
  }
  // A trick's RUSTFLAGS add to the user's, which the baseline had too.
  auto env = v.trick->env;
  for (auto &[k, val] : env)
    if (k == "RUSTFLAGS" && getenv("RUSTFLAGS") && *getenv("RUSTFLAGS"))
      val = std::string(getenv("RUSTFLAGS")) + " " + val;
  std::string log = c.work + "/" + v.trick->name + ".log";
  Proc p = runProcess(args, env, log);
  v.buildSeconds = p.seconds;
  v.artifact = out + c.target.name;
  if (p.exit != 0 || !llvm::sys::fs::exists(v.artifact)) {
    v.error = p.error.empty() ? buildError(readFile(log)) : p.error;
    progress("  " + v.trick->name + " failed to build (log: " + log + ")");
    return;
  }
  v.built = true;
  auto base = bases.find(v.trick->baseline);
  bool compared = base != bases.end();
  measure(v, compared ? &base->second.first : nullptr,
          compared ? &base->second.second : nullptr, crates, sections);
  if (c.target.lib)
    v.hostSize = linkHost(v.artifact, targetDir.empty() ? dir : c.work);
}

// A copy of `v`'s artifact in DIR/<name>, which later builds into the same
// target directory do not replace; `v` then names the copy.
void keepArtifact(VariantResult &v, const BuildContext &c, const std::string &dir) {
  if (!v.built)
    return;
  makeOutputDirectory(dir, "--work");
  std::string copy = dir + "/" + c.target.name;
  // A program must stay executable: copy_file keeps the bytes only.
  auto perms = llvm::sys::fs::getPermissions(v.artifact);
  std::error_code ec = llvm::sys::fs::copy_file(v.artifact, copy);
  if (!ec && perms)
    ec = llvm::sys::fs::setPermissions(copy, *perms);
  if (ec)
    throw UserError(copy + ": cannot copy " + v.artifact + ": " + ec.message());
  v.artifact = copy;
}

// Runs the programs of `vs`, interleaved so that drift hits every variant
// alike; earlier samples are replaced.
void timeVariants(const std::vector<VariantResult *> &vs, const BuildContext &c,
                  const std::string &what) {
  for (VariantResult *v : vs) {
    v->runs.seconds.clear();
    v->wall.seconds.clear();
  }
  for (unsigned r = 0; r <= c.a.runs; ++r) { // round 0 warms up, unmeasured
    progress(what + (r == 0 ? "warming up"
                            : "run " + std::to_string(r) + "/" + std::to_string(c.a.runs)));
    for (size_t k = 0; k < vs.size(); ++k) {
      VariantResult &v = *vs[(k + r) % vs.size()];
      if (!v.built || !v.runError.empty())
        continue;
      std::string cmd = runCommand(c.a.run, c.target.name, v.artifact);
      std::string errLog = c.work + "/" + v.trick->name + ".run.stderr";
      Proc p = runProcess({"/bin/sh", "-c", cmd}, {}, errLog, /*stderrOnly=*/true);
      if (p.exit != 0) {
        v.runError = p.error.empty() ? "exit status " + std::to_string(p.exit)
                                     : p.error;
        std::string said = llvm::StringRef(tail(readFile(errLog), 3)).trim().str();
        std::replace(said.begin(), said.end(), '\n', ' ');
        if (!said.empty())
          v.runError += ": " + said;
      } else if (r > 0) {
        v.runs.seconds.push_back(p.cpuSeconds);
        v.wall.seconds.push_back(p.seconds);
      }
    }
  }
}

std::vector<VariantResult *> pointers(std::vector<VariantResult> &vs) {
  std::vector<VariantResult *> out;
  for (VariantResult &v : vs)
    out.push_back(&v);
  return out;
}

// --per-crate: the heaviest dependencies of the baseline, each at opt-level
// "z" alone, then the chosen set. They build into the baseline's target
// directory: Cargo keeps each profile's build of a crate apart (its hash
// differs), so a variant rebuilds only its crate and what depends on it;
// each artifact is copied out before the next build replaces it.
void runPerCrate(TricksReport &report, std::deque<Trick> &tricks,
                 const BuildContext &c, const SizeResult &baseCrates,
                 std::map<std::string, std::pair<SizeResult, SizeResult>> &bases,
                 bool timed) {
  std::vector<VariantResult> &vs = report.variants;
  PerCrateReport &pc = report.perCrate;
  std::string dir = c.work + "/per-crate", shared = c.work + "/baseline";
  keepArtifact(vs.front(), c, dir + "/baseline");
  CratePackages packages = cratePackages(c.cargo, c.manifest, c.a, c.work);
  pc.weights = heaviestDependencies(baseCrates.rows, packages.packageOfCrate,
                                    {packages.own}, pc.top);
  if (pc.weights.empty()) {
    // A profile with strip = "symbols" leaves no names to find crates by.
    report.notes.push_back(
        baseCrates.stripped.empty()
            ? "--per-crate: no dependency of " + packages.own + " has code in the baseline"
            : "--per-crate: the baseline has no symbol table (strip in the crate's "
              "release profile?), so which crate its code is from is unknown");
    return;
  }
  size_t first = vs.size();
  for (size_t k = 0; k < pc.weights.size(); ++k) {
    tricks.push_back(perCrateTrick(pc.weights[k].package, vs.front().trick->toolchain));
    VariantResult &v = vs.emplace_back();
    v.trick = &tricks.back();
    SizeResult crates, sections;
    buildVariant(v, c, "[per-crate " + std::to_string(k + 1) + "/" +
                           std::to_string(pc.weights.size()) + "]",
                 bases, crates, sections, shared);
    keepArtifact(v, c, dir + "/" + v.trick->name);
  }
  // The choice is made from a screening session of the baseline and these
  // variants; the final session times every variant again, with the set.
  const VariantResult &base = vs.front();
  if (timed) {
    std::vector<VariantResult *> screen = {&vs.front()};
    for (size_t k = first; k < vs.size(); ++k)
      screen.push_back(&vs[k]);
    timeVariants(screen, c, "per-crate screening: ");
  }
  pc.timed = timed && base.runError.empty();
  pc.screeningBaseline = pc.timed ? base.runs.median() : 0;
  for (size_t k = first; k < vs.size(); ++k) {
    const VariantResult &v = vs[k];
    PerCrateCandidate cand;
    cand.package = pc.weights[k - first].package;
    cand.measured = v.built && (!timed || v.runError.empty());
    cand.saving = int64_t(base.fileSize) - int64_t(v.fileSize);
    if (pc.timed && cand.measured) {
      cand.timed = true;
      cand.slowdown = v.runs.median() - base.runs.median();
      cand.change = compareRuns(base.runs, v.runs);
    }
    pc.candidates.push_back(cand);
  }
  pc.choice = choosePerCrate(pc.candidates,
                             pc.timed ? base.runs.median() * pc.maxSlowdownPct / 100 : 0);
  if (pc.choice.chosen.empty())
    return;
  pc.cargoToml = cargoTomlLines(pc.choice.chosen);
  tricks.push_back(perCrateCombination(pc.choice.chosen, vs.front().trick->toolchain));
  VariantResult &v = vs.emplace_back();
  v.trick = &tricks.back();
  SizeResult crates, sections;
  buildVariant(v, c, "[per-crate set]", bases, crates, sections, shared);
  keepArtifact(v, c, dir + "/" + v.trick->name);
}

void runTricks(const TricksArgs &a) {
  std::string manifest = a.crate + "/Cargo.toml";
  if (!llvm::sys::fs::exists(manifest))
    throw UserError(a.crate + ": no Cargo.toml (not a Cargo crate)");
  rememberCrateFiles(a.crate);
  if (!a.html.empty())
    checkOutputsAreNotInputs({a.html});
  std::string work = a.work.empty() ? a.crate + "/target/slimlink-tricks" : a.work;
  makeOutputDirectory(work, "--work");
  llvm::SmallString<256> absWork;
  llvm::sys::fs::real_path(work, absWork);
  work = std::string(absWork);

  std::string cargo = findCargo();
  Target target = findTarget(cargo, manifest, a, work);
  std::string nightlyHost;
  Toolchains tc = findToolchains(a.toolchain, nightlyHost);
  std::vector<Trick> all = allTricks(tc);
  // --per-crate is its own question: the tricks run beside it only when
  // --tricks names them.
  std::vector<Trick> chosen =
      selectTricks(all, a.perCrate && a.tricks.empty() ? "baseline" : a.tricks);
  std::deque<Trick> perCrateTricks; // stable addresses for VariantResult::trick

  TricksReport report;
  report.crate = a.crate;
  report.artifact = target.name;
  report.lib = target.lib;
  report.runCommand = a.run;
  report.toolchains.push_back({tc.defaultName, tc.defaultVersion});
  report.perCrate.requested = a.perCrate;
  report.perCrate.top = a.perCrateTop;
  report.perCrate.maxSlowdownPct = a.maxSlowdown;
  std::vector<VariantResult> &vs = report.variants;
  // Room for every variant: runPerCrate adds some while holding references.
  vs.reserve(chosen.size() + a.perCrateTop + 1);
  for (const Trick &t : chosen) {
    if (!t.unavailable.empty())
      report.unavailable.push_back(t);
    else
      vs.emplace_back().trick = &t;
    if (t.unavailable.empty() && t.toolchain != tc.defaultName &&
        report.toolchains.size() == 1)
      report.toolchains.push_back({t.toolchain, tc.nightlyVersion});
  }

  // Build each variant in its own target directory; keep the sizes of the
  // baselines, which the others are compared with.
  BuildContext ctx{a, cargo, manifest, work, nightlyHost, target};
  std::map<std::string, std::pair<SizeResult, SizeResult>> bases;
  for (size_t i = 0; i < vs.size(); ++i) {
    VariantResult &v = vs[i];
    SizeResult crates, sections;
    buildVariant(v, ctx, "[" + std::to_string(i + 1) + "/" + std::to_string(vs.size()) + "]",
                 bases, crates, sections);
    bool isBase = a.perCrate && v.trick->name == "baseline";
    if (v.built && (isBase || std::any_of(chosen.begin(), chosen.end(), [&](const Trick &t) {
                      return t.baseline == v.trick->name;
                    })))
      bases[v.trick->name] = {std::move(crates), std::move(sections)};
  }
  bool baseBuilt = !vs.empty() && vs.front().built;
  if (!baseBuilt)
    report.notes.push_back("the baseline did not build, so no variant has "
                           "changes to show");

  bool timed = !a.run.empty() && !target.lib;
  if (a.perCrate && baseBuilt)
    runPerCrate(report, perCrateTricks, ctx, bases["baseline"].first, bases, timed);
  if (timed)
    timeVariants(pointers(vs), ctx, "");
  markPareto(vs, !a.run.empty() && !target.lib);

  if (!a.html.empty())
    writeFileAtomically(a.html, renderTricksHtml(report));
  if (a.csv)
    printTricksCsv(report, llvm::outs());
  else if (a.json)
    printTricksJson(report, llvm::outs(),
                    a.html.empty() ? std::vector<std::string>{}
                                   : std::vector<std::string>{a.html});
  else
    printTricksTable(report, llvm::outs());

  std::vector<std::string> failed;
  for (const VariantResult &v : vs)
    if (!v.built)
      failed.push_back(v.trick->name + " (did not build)");
    else if (!v.runError.empty())
      failed.push_back(v.trick->name + " (run: " + v.runError + ")");
  if (!failed.empty()) {
    std::string list;
    for (const std::string &f : failed)
      list += (list.empty() ? "" : ", ") + f;
    llvm::outs().flush();
    throw UserError(a.crate + ": " + std::to_string(failed.size()) +
                    " variant(s) failed: " + list);
  }
}

} // namespace

void addTricksCommand(CLI::App &app) {
  auto args = std::make_shared<TricksArgs>();
  CLI::App *sub = app.add_subcommand(
      "tricks", "Measure what each Rust size trick buys in bytes and costs in speed");
  sub->footer(
      "Builds the crate once per trick (each in its own target directory, "
      "through Cargo's CARGO_PROFILE_RELEASE_* overrides: your files are not "
      "touched), measures file and VM size with the size engine and shows "
      "which crates and sections each trick removes, and with --run times the "
      "built program over N runs.\n\n"
      "Nightly tricks (location-detail-none, fmt-debug-none, share-generics; "
      "build-std and panic-immediate-abort, which need the rust-src component) "
      "are built by the nightly toolchain rustup lists beside the default one "
      "(or --toolchain NAME) and compared with that nightly's release build, "
      "baseline-nightly; each says which toolchain built it. Without a nightly "
      "or rust-src they are listed as \"not run\" with the reason (exit status 0).\n\n"
      "Runs are interleaved: each round runs every variant once, starting one "
      "further along, so drift hits all alike. Time is CPU time, reported as "
      "median ± half the range; a variant whose median moved no more than the "
      "larger half range of its runs and its baseline's says \"no measurable "
      "change\" (fewer than 3 runs: \"too few runs to tell\").\n\n"
      "--run takes 'CMD ARGS' with CMD the binary's name, or the program's "
      "arguments alone, or a shell command with {} where "
      "the program goes.\n\n"
      "--per-crate [N] asks which dependencies to build at opt-level = \"z\": "
      "the N heaviest in the baseline's crates view (8 by default; not your "
      "crate, nor std, core and alloc, which only -Zbuild-std rebuilds) are "
      "each built at \"z\" alone (cargo --config profile.release.package.NAME."
      "opt-level=\"z\": your files are not touched), named opt-z:NAME. The "
      "set, per-crate-z, is chosen greedily: crates that do not shrink the file "
      "are left out; with --run, a crate whose time change is inside the noise "
      "costs nothing, and slower ones are taken by bytes saved per second lost "
      "while their summed slowdown stays within --max-slowdown (default 0); "
      "the choice uses a screening session of runs, then every variant is "
      "timed again. The report prints the [profile.release.package.NAME] "
      "lines that reproduce the set, to paste into Cargo.toml. With "
      "--per-crate, the other tricks run only when --tricks names them (--tricks "
      "all for every one).\n\n"
      "Examples:\n"
      "  slimlink tricks path/to/crate --bin app --run '--iterations 50' --html tricks.html\n"
      "  slimlink tricks path/to/crate --per-crate 5 --run '--iterations 50'");
  sub->add_option("crate", args->crate, "The crate's directory")->required()->type_name("DIR");
  sub->add_option("--bin", args->bin, "Which binary to build")->type_name("NAME");
  sub->add_flag("--lib", args->lib, "Build the crate's staticlib instead");
  sub->add_option("--run", args->run, "Time the built program with these arguments")
      ->type_name("'CMD ARGS'");
  sub->add_option("--runs", args->runs, "Measured runs per variant (default 5)")
      ->type_name("N")
      ->check(CLI::Range(1u, 1000u));
  sub->add_option("--tricks", args->tricks,
                  "Comma-separated tricks to try, or all (default: all; with --per-crate: none)")
      ->type_name("LIST");
  sub->add_option("--toolchain", args->toolchain,
                  "The rustup toolchain for nightly tricks (default: the first "
                  "nightly rustup lists)")
      ->type_name("NAME");
  sub->add_option("--work", args->work,
                  "Where the builds go (default: CRATE/target/slimlink-tricks)")
      ->type_name("DIR");
  auto *json = sub->add_flag("--json", args->json, "Print the report as JSON");
  auto *csv = sub->add_flag("--csv", args->csv, "Print the report as CSV");
  json->excludes(csv);
  sub->add_option("--html", args->html, "Also write a size-vs-time chart here")
      ->type_name("OUT");
  auto *perCrate =
      sub->add_option("--per-crate", args->perCrateValue,
                      "Build the N heaviest dependencies at opt-level \"z\", each "
                      "alone, then the best set, and print its Cargo.toml lines "
                      "(default N: 8)")
          ->expected(0, 1)
          ->type_name("[N]");
  sub->add_option("--max-slowdown", args->maxSlowdown,
                  "--per-crate with --run: the slowdown the set may cost, in % "
                  "of the baseline's run time (default 0: only crates whose "
                  "change is inside the noise)")
      ->type_name("PCT")
      ->check(CLI::Range(0.0, 1000.0))
      ->needs(perCrate);
  sub->callback([args, perCrate] {
    args->perCrate = perCrate->count() > 0;
    if (args->perCrate && !args->perCrateValue.empty()) {
      unsigned long long n = 0;
      if (llvm::StringRef(args->perCrateValue).getAsInteger(10, n) || n == 0 || n > 100)
        throw UserError("--per-crate: '" + args->perCrateValue +
                        "' is not a number of crates from 1 to 100 (the crate "
                        "directory goes before --per-crate)");
      args->perCrateTop = n;
    }
    runTricks(*args);
  });
}

} // namespace slimlink
