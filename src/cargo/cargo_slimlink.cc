// cargo-slimlink: `cargo slimlink shrink|dedup [-p PKG]... [--release |
// --profile P] [--target T] [--out DIR] [-- VERB OPTIONS]`.
//
// Builds the workspace's staticlib packages with cargo (asking cargo
// itself, through --message-format=json, which archives it made), runs the
// slimlink verb on them into DIR (default target/<profile>/slimlink/), and
// prints the link line and the native libraries Rust's std needs. slimlink
// is found beside this program, else on PATH.
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

namespace {

[[noreturn]] void die(const std::string &msg) {
  llvm::errs() << "cargo-slimlink: error: " << msg << "\n";
  std::exit(1);
}

const char *kUsage =
    "Usage: cargo slimlink shrink|dedup [-p PKG]... [--release | --profile P]\n"
    "                      [--target T] [--out DIR] [-- VERB OPTIONS]\n\n"
    "Builds the staticlib packages (all of the workspace's, or each -p PKG),\n"
    "runs `slimlink shrink` (or dedup) on them into DIR (default\n"
    "target/<profile>/slimlink/), and prints the link line.\n";

struct Args {
  std::string verb, profile = "dev", target, out;
  std::vector<std::string> packages, verbOptions;
};

Args parse(int argc, char **argv) {
  std::vector<std::string> a(argv + 1, argv + argc);
  if (!a.empty() && a[0] == "slimlink") // cargo passes its subcommand's name
    a.erase(a.begin());
  Args r;
  for (size_t i = 0; i < a.size(); ++i) {
    auto value = [&]() -> std::string {
      if (i + 1 >= a.size())
        die(a[i] + " needs a value");
      return a[++i];
    };
    if (a[i] == "-h" || a[i] == "--help") {
      llvm::outs() << kUsage;
      std::exit(0);
    } else if (a[i] == "--") {
      r.verbOptions.assign(a.begin() + i + 1, a.end());
      break;
    } else if (a[i] == "-p" || a[i] == "--package") {
      r.packages.push_back(value());
    } else if (a[i] == "--release") {
      r.profile = "release";
    } else if (a[i] == "--profile") {
      r.profile = value();
    } else if (a[i] == "--target") {
      r.target = value();
    } else if (a[i] == "--out") {
      r.out = value();
    } else if (r.verb.empty() && (a[i] == "shrink" || a[i] == "dedup")) {
      r.verb = a[i];
    } else {
      die("unexpected '" + a[i] + "'\n" + kUsage);
    }
  }
  if (r.verb.empty())
    die(std::string("give a verb, shrink or dedup\n") + kUsage);
  return r;
}

// Runs a program; its stdout goes to `out` (a file) when given.
int run(const std::vector<std::string> &args, const std::string &out = "") {
  std::vector<llvm::StringRef> refs(args.begin(), args.end());
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, std::nullopt,
                                                std::nullopt};
  if (!out.empty())
    redirects[1] = llvm::StringRef(out);
  std::string err;
  int rc = llvm::sys::ExecuteAndWait(args[0], refs, std::nullopt, redirects, 0,
                                     0, &err);
  if (rc < 0)
    die(args[0] + ": " + (err.empty() ? "did not run" : err));
  return rc;
}

std::string program(const char *name, const char *argv0) {
  // Beside this program first: an installed pair belongs together.
  std::string self = llvm::sys::fs::getMainExecutable(argv0, (void *)&program);
  llvm::SmallString<256> beside(llvm::sys::path::parent_path(self));
  llvm::sys::path::append(beside, name);
  if (llvm::sys::fs::can_execute(beside))
    return std::string(beside);
  if (auto p = llvm::sys::findProgramByName(name))
    return *p;
  die(std::string(name) + " not found beside cargo-slimlink or on PATH");
}

std::string tempFile(const char *what) {
  llvm::SmallString<128> path;
  if (llvm::sys::fs::createTemporaryFile("cargo-slimlink", what, path))
    die("cannot create a temporary file");
  return std::string(path);
}

std::string readAll(const std::string &path) {
  auto buf = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  return buf ? (*buf)->getBuffer().str() : "";
}

} // namespace

int main(int argc, char **argv) {
  Args a = parse(argc, argv);
  const char *cargoEnv = std::getenv("CARGO");
  std::string cargo = cargoEnv ? cargoEnv : program("cargo", argv[0]);
  std::string slimlink = program("slimlink", argv[0]);

  // Where cargo puts things: target_directory from its metadata.
  std::string meta = tempFile("json");
  if (run({cargo, "metadata", "--format-version", "1", "--no-deps"}, meta) != 0)
    die("cargo metadata failed");
  auto metaJson = llvm::json::parse(readAll(meta));
  llvm::sys::fs::remove(meta);
  if (!metaJson)
    die("cargo metadata: " + llvm::toString(metaJson.takeError()));
  std::string targetDir;
  if (auto *o = metaJson->getAsObject())
    if (auto s = o->getString("target_directory"))
      targetDir = s->str();
  if (targetDir.empty())
    die("cargo metadata gave no target_directory");

  // Build, and collect the staticlib archives cargo reports.
  std::vector<std::string> build = {cargo, "build",
                                    "--message-format=json-render-diagnostics"};
  for (const std::string &p : a.packages)
    build.insert(build.end(), {"-p", p});
  if (a.profile == "release")
    build.push_back("--release");
  else if (a.profile != "dev")
    build.insert(build.end(), {"--profile", a.profile});
  if (!a.target.empty())
    build.insert(build.end(), {"--target", a.target});
  std::string messages = tempFile("json");
  if (run(build, messages) != 0)
    die("cargo build failed");
  std::vector<std::string> libs;
  std::string lines = readAll(messages);
  for (llvm::StringRef line : llvm::split(lines, '\n')) {
    auto msg = llvm::json::parse(line);
    if (!msg) {
      llvm::consumeError(msg.takeError());
      continue;
    }
    auto *o = msg->getAsObject();
    if (!o || o->getString("reason") != "compiler-artifact")
      continue;
    bool staticlib = false;
    if (auto *t = o->getObject("target"))
      if (auto *kinds = t->getArray("crate_types"))
        for (const auto &k : *kinds)
          staticlib |= k.getAsString() == "staticlib";
    if (auto *files = o->getArray("filenames"); staticlib && files)
      for (const auto &f : *files)
        if (auto s = f.getAsString(); s && (s->ends_with(".a") || s->ends_with(".lib")))
          libs.push_back(s->str());
  }
  llvm::sys::fs::remove(messages);
  // Cargo reports artifacts as its parallel build finishes them: sorted,
  // the outputs are the same on every run.
  llvm::sort(libs);
  libs.erase(std::unique(libs.begin(), libs.end()), libs.end());
  if (libs.empty())
    die("cargo built no staticlib (crate-type = [\"staticlib\"])");
  if (a.verb == "dedup" && libs.size() < 2)
    die("dedup needs two or more staticlibs; cargo built one");

  std::string profileDir = a.profile == "dev" ? "debug" : a.profile;
  llvm::SmallString<256> out(targetDir);
  if (!a.target.empty())
    llvm::sys::path::append(out, a.target);
  llvm::sys::path::append(out, profileDir, "slimlink");
  std::string dir = a.out.empty() ? std::string(out) : a.out;

  std::vector<std::string> verb = {slimlink, a.verb};
  verb.insert(verb.end(), libs.begin(), libs.end());
  verb.insert(verb.end(), {"-o", dir});
  verb.insert(verb.end(), a.verbOptions.begin(), a.verbOptions.end());
  if (int rc = run(verb); rc != 0)
    return rc;
  llvm::outs() << "\ncargo slimlink: " << libs.size() << " staticlib(s) into "
               << dir << "\nnative libraries (rustc's native-static-libs, "
                  "Linux): -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc\n";
  return 0;
}
