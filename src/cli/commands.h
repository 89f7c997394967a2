// One function per verb that adds its subcommand to the CLI. The subcommand's
// callback reads the inputs, runs the verb's pass, writes and reports.
#pragma once

#include "passes/dedup.h"
#include "report/dedup_report.h"
#include "write/universal_writer.h"

#include <CLI/CLI.hpp>

namespace slimlink {

void addDedupCommand(CLI::App &app);
void addIsolateCommand(CLI::App &app);
void addPruneCommand(CLI::App &app);
void addShrinkCommand(CLI::App &app);
void addStripCommand(CLI::App &app);
void addTricksCommand(CLI::App &app);
void addVerifyCommand(CLI::App &app);
void addWhyCommand(CLI::App &app);

// Options the one-library verbs share: LIB, -o OUT.a, --json.
void addLibraryOptions(CLI::App *sub, std::string &input, std::string &output,
                       bool &json);
// --api FILE and --api-regex RE (isolate, prune, shrink, verify).
void addApiOptions(CLI::App *sub, std::string &file, std::string &regex);


// --shared: the inputs' std members are one build of std, or a UserError
// names two libraries whose are not.
void checkOneStd(const InputSet &in);

// Shared by dedup and shrink: all inputs must be for one target.
void checkSameTarget(const std::vector<Library> &libs);

// Where dedup's and shrink's outputs go: DIR/<input name> (slim) for each
// library and DIR/<common>.a; with `pkgConfig` set, also DIR/<pkgConfig>.pc
// naming them in link order; `files` (path, text) go with them (shrink:
// DIR/<common>.names).
struct DedupOutputs {
  std::string outDir, commonName = "libcommon", pkgConfig;
  std::vector<std::pair<std::string, std::string>> files;
  // --shared: the common part as DIR/<common>.so, linked by `linker` ("":
  // $CC or cc), its symbol table stripped with `strip`.
  bool shared = false, strip = false;
  std::string linker;
};
// dedup's and shrink's --pkg-config, --shared and --linker, into `out`.
void addModuleOutputOptions(CLI::App *sub, DedupOutputs &out);

// Writes the outputs as the plan says, all-or-nothing where `sink` says,
// and returns the report.
DedupReport writeDedupOutputs(const InputSet &in, const DedupPlan &plan,
                              const DedupOutputs &outputs,
                              const OutputSink &sink);
// DIR/<common>.a, or DIR/<common>.lib beside inputs named NAME.lib.
std::string commonLibraryPath(const std::vector<Library> &libs,
                              const std::string &outDir,
                              const std::string &commonName);
void addSizeCommand(CLI::App &app);

// Options every verb shares.
struct CommonOptions {
  unsigned threads = 0; // 0: all cores
  bool progress = true;
};
CommonOptions &commonOptions();

} // namespace slimlink
